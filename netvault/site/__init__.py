"""The pages: building the static site from a loaded vault (only the pages
whose inputs changed), watching the vault to rebuild it, and serving it on
the loopback interface.

Writes only into its output folder; never imports click or the edit path.
"""

"""The one write path into a vault: minimal text edits of a note's lines
(frontmatter and log), checked editing commands, new files from templates,
the write lock and the atomic swap with its conflict copies.

Only this package changes a user's notes; it never imports click, the site,
the importers or adopt.
"""

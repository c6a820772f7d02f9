"""Reading a vault: walking the folder, recognising people, frontmatter, the
log, meeting and daily notes, names and links, settings, the read cache, and
the loader that turns it all into a :class:`~netvault.read.model.Vault` with
its problems.

Reads files and writes only its own cache; imports only :mod:`netvault.values`,
never the playbook, the views or the write path.
"""

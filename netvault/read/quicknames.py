"""Who is in the vault, at once: the names ``names.json`` in the cache
holds, for shell completion, without loading the reader.

``names.json`` lists every note the last load read, with its identity
(device, inode, size, mtime, ctime) and who it is; a note changed just
before that load is listed too, marked :data:`UNSETTLED` (commands never
trust such an entry; a suggestion may).  Every entry is checked against a
fresh ``stat``: a note that is gone is left out, one that changed since is
returned for the caller to read.  When the file is missing, damaged or
planted as a link, the answer is None and the caller loads the vault.  A
note added since netvault last read the vault is not in it until the next
command.  Imports nothing heavier than :mod:`json`, so a completion stays
fast.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .ownfolder import OwnFolderError, own_file

NAMES_FILE = "names.json"  # who each note is: all an edit needs of the others
UNSETTLED = "unsettled"  # the 7th item of an entry for a note changed just before the load


def cached_names(root: Path | str) -> tuple[list[tuple[str, str, tuple[str, ...]]], list[str]] | None:
    """``(people, changed)``: ``(path, name, aliases)`` of every contact the
    cache answers for, and the notes changed since it was written; None when
    there is no cache to trust."""
    try:
        path = own_file(root, "cache", NAMES_FILE)
        if path is None:
            return None
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
        if data.get("complete") is not True:
            return None  # an older cache, which left out notes changed just before it
        people, changed = [], []
        for rel, entry in data["notes"].items():
            try:
                info = os.stat(os.path.join(root, rel))
            except FileNotFoundError:
                continue  # gone since
            if entry[:5] != [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]:
                changed.append(rel)
                continue
            who = entry[5]
            if who is not None and isinstance(who[0], str):
                people.append((rel, who[0], tuple(a for a in who[1] if isinstance(a, str))))
        return people, changed
    except (OSError, OwnFolderError, ValueError, RecursionError, AttributeError, TypeError, IndexError, KeyError):
        return None

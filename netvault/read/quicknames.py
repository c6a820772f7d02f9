"""Who is in the vault, at once: the names ``names.json`` in the cache
holds, for shell completion, without loading the reader.

Every entry is checked against a fresh ``stat`` of its note, as the loader
checks it; when the file is missing, damaged, planted as a link, left out a
note that had just changed, or any note in it has changed, the answer is None and the caller loads the vault the slow
and certain way (which writes a fresh cache).  A note added since netvault
last read the vault is not in it until the next command reads the vault.
Imports nothing heavier than :mod:`json`, so a completion stays fast.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .ownfolder import OwnFolderError, own_file

NAMES_FILE = "names.json"  # who each note is: all an edit needs of the others


def cached_names(root: Path | str) -> list[tuple[str, str, tuple[str, ...]]] | None:
    """``(path, name, aliases)`` of every contact, from an up-to-date cache;
    None when the cache cannot answer for every note it lists."""
    try:
        path = own_file(root, "cache", NAMES_FILE)
        if path is None:
            return None
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
        if data.get("complete") is not True:
            return None  # notes changed just before it was written are not in it
        notes = data["notes"]
        people = []
        for rel, entry in notes.items():
            info = os.stat(os.path.join(root, rel))
            if entry[:5] != [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]:
                return None
            who = entry[5]
            if who is not None and isinstance(who[0], str):
                people.append((rel, who[0], tuple(a for a in who[1] if isinstance(a, str))))
        return people
    except (OSError, OwnFolderError, ValueError, RecursionError, AttributeError, TypeError, IndexError, KeyError):
        return None

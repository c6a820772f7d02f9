"""A change of several files that survives being killed halfway.

``merge`` and ``rename`` change many files: the kept contact, every note
that links to the other, the import record, and they move a file.  Each
file's new version is prepared and fsynced beside it first; then this
journal, ``.netvault/journal.json``, lists every rename still to do
(temporary file -> file, with a digest of the bytes before and after) and
every move; only then are the files renamed, and the journal removed.

If the process dies in between (killed, power lost), the journal is still
there.  The next netvault command that reads or writes the vault finishes
it under the write lock (:func:`finish`): a file still holding the bytes
from before gets its prepared version, a move not made yet is made.  So a
reader sees the old files or the new ones, never a mix, once any netvault
command has run.  A file another program changed in between is left as it
is and the prepared version kept beside it as a conflict copy, as any
netvault write would.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from ..read.ownfolder import STATE_DIR, OwnFolderError, own_file, own_folder
from .errors import EditError
from .files import create_file, fsync_folder
from .latewrites import conflict_copy_path
from .lock import remove

NAME = "journal.json"
SHOWN = f"{STATE_DIR}/{NAME}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rel(root: Path, path: Path | str) -> str:
    return os.path.relpath(os.path.realpath(path), os.path.realpath(root)).replace(os.sep, "/")


def begin(root: Path, edits, moves) -> Path:
    """Write the journal: ``edits`` are plans with a prepared temporary file,
    ``moves`` are ``(source, destination)`` paths."""
    entries = {
        "format": 1,
        "edits": [
            {"path": _rel(root, p.target), "tmp": _rel(root, p.tmp), "old": digest(p.old), "new": digest(p.new)}
            for p in edits
        ],
        "moves": [{"from": _rel(root, a), "to": _rel(root, b)} for a, b in moves],
    }
    try:
        folder = own_folder(root)
    except OwnFolderError as exc:
        raise EditError(exc.reason) from None
    path = folder / NAME
    if os.path.lexists(path):
        raise EditError(f"{SHOWN} is still there from an interrupted change; run any netvault command to finish it")
    create_file(path, (json.dumps(entries, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return path


def end(path: Path) -> None:
    remove(str(path))
    fsync_folder(path.parent)


def pending(root: Path) -> bool:
    try:
        return own_file(root, NAME) is not None
    except OwnFolderError:
        return False


def move_file(source: Path, destination: Path) -> None:
    """Move a file to a name that must be free: never replaces one."""
    os.makedirs(destination.parent, exist_ok=True)
    try:
        os.link(source, destination)
    except FileExistsError:
        raise EditError(f"{destination} already exists; nothing was moved there") from None
    except OSError:
        if os.path.lexists(destination):
            raise EditError(f"{destination} already exists; nothing was moved there") from None
        os.rename(source, destination)  # no hard links here: checked just before
    else:
        os.unlink(source)
    fsync_folder(destination.parent)
    fsync_folder(source.parent)


def _bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def finish(root: Path, now=datetime.now) -> list[str]:
    """Finish an interrupted change (call with the write lock held); returns
    what was done, one line each, or nothing when there was no journal."""
    try:
        path = own_file(root, NAME)
    except OwnFolderError:
        return []
    if path is None:
        return []
    notes: list[str] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        edits, moves = data["edits"], data["moves"]
    except (OSError, ValueError, KeyError, TypeError):
        notes.append(f"{SHOWN} could not be read; it was removed and nothing else was changed")
        end(path)
        return notes
    real_root = os.path.realpath(root)

    def inside(rel) -> Path | None:
        if not isinstance(rel, str):
            return None
        full = os.path.realpath(os.path.join(real_root, rel))
        return Path(full) if full.startswith(real_root + os.sep) else None

    for entry in edits:
        target, tmp = inside(entry.get("path")), inside(entry.get("tmp"))
        if target is None or tmp is None:
            continue
        now_bytes, prepared = _bytes(target), _bytes(tmp)
        if now_bytes is None and prepared is None:
            continue  # written, then moved (a rename) before the process died
        if now_bytes is not None and digest(now_bytes) == entry.get("new"):
            remove(str(tmp))
            continue
        if prepared is None or digest(prepared) != entry.get("new"):
            notes.append(f"{entry['path']}: its new version was lost; the file was left as it was")
            continue
        if now_bytes is not None and digest(now_bytes) == entry.get("old"):
            os.replace(tmp, target)
            fsync_folder(target.parent)
            notes.append(f"{entry['path']}: written")
        else:
            copy = conflict_copy_path(target, now())
            os.replace(tmp, copy)
            notes.append(
                f"{entry['path']} changed since; netvault's version is kept in {_rel(root, copy)}"
            )
    for entry in moves:
        source, destination = inside(entry.get("from")), inside(entry.get("to"))
        if source is None or destination is None:
            continue
        if os.path.lexists(source) and not os.path.lexists(destination):
            move_file(source, destination)
            notes.append(f"{entry['from']}: moved to {entry['to']}")
    end(path)
    return notes

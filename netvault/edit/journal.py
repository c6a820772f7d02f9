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
import stat
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


_OWN_FILES = (f"{STATE_DIR}/imports.json", f"{STATE_DIR}/not-duplicates.json")
TRASH = ".trash"


def _visible_note(rel: str) -> bool:
    """A note netvault reads: ``.md``, in no dot-folder, no dot-file."""
    parts = rel.split("/")
    return rel.lower().endswith(".md") and all(p and not p.startswith(".") and p != ".." for p in parts)


def _may_edit(rel: str) -> bool:
    return _visible_note(rel) or rel in _OWN_FILES


def _may_move_to(rel: str) -> bool:
    if _visible_note(rel):
        return True
    parts = rel.split("/")
    return len(parts) == 2 and parts[0] == TRASH and _visible_note(parts[1])


def _is_temp_beside(tmp: str, rel: str) -> bool:
    """netvault's own temporary file, in the folder of the file it replaces."""
    folder, _, name = tmp.rpartition("/")
    return folder == rel.rpartition("/")[0] and name.startswith(".") and name.endswith(".netvault-tmp")


def _plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _parsed(raw: bytes):
    """The journal's edits and moves, or None when it is not one netvault writes."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("edits"), list) or not isinstance(data.get("moves"), list):
        return None
    edits, moves = data["edits"], data["moves"]
    edit_keys, move_keys = ("path", "tmp", "old", "new"), ("from", "to")
    if not all(isinstance(e, dict) and all(isinstance(e.get(k), str) for k in edit_keys) for e in edits):
        return None
    if not all(isinstance(m, dict) and all(isinstance(m.get(k), str) for k in move_keys) for m in moves):
        return None
    for entry in edits:
        if not _may_edit(entry["path"]) or not _is_temp_beside(entry["tmp"], entry["path"]):
            return None
    for entry in moves:
        if not _visible_note(entry["from"]) or not _may_move_to(entry["to"]):
            return None
    return edits, moves


def finish(root: Path, now=datetime.now) -> list[str]:
    """Finish an interrupted change (call with the write lock held); returns
    what was done, one line each, or nothing when there was no journal.

    Only what netvault itself writes there is done: edits of visible notes
    (and of netvault's import record and pairs kept apart) from a hidden
    ``.netvault-tmp`` file beside them, and moves of a note to another note's
    name or into ``.trash/``.  A journal that asks for anything else (a
    cloned vault could hold one) is set aside unread, and nothing is changed.
    """
    try:
        path = own_file(root, NAME)
    except OwnFolderError:
        return []
    if path is None:
        return []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [f"{SHOWN} could not be read ({exc.strerror or exc}); nothing was changed"]
    parsed = _parsed(raw)
    if parsed is None:
        end(path)
        return [f"{SHOWN} is not a change netvault left halfway; it was removed and nothing was changed"]
    edits, moves = parsed
    notes: list[str] = []
    for entry in edits:
        try:
            notes.extend(_finish_edit(root, entry, now))
        except OSError as exc:
            notes.append(f"{entry['path']}: not written ({exc.strerror or exc}); the file was left as it was")
    for entry in moves:
        source, destination = root / entry["from"], root / entry["to"]
        try:
            if not os.path.lexists(source):
                continue  # moved before the process died
            if os.path.lexists(destination):
                notes.append(
                    f"{entry['from']} was not moved to {entry['to']}: that name is taken now; "
                    "move or merge the two by hand"
                )
                continue
            if not _plain_file(source) or not folders_inside(root, destination.parent):
                notes.append(f"{entry['from']} was not moved to {entry['to']}; move it by hand")
                continue
            move_file(source, destination)
            notes.append(f"{entry['from']}: moved to {entry['to']}")
        except (OSError, EditError) as exc:
            notes.append(f"{entry['from']} was not moved to {entry['to']}: {getattr(exc, 'strerror', None) or exc}")
    end(path)
    return notes


def folders_inside(root: Path, folder: Path) -> bool:
    """Every existing folder from ``root`` to ``folder`` is a real folder (no
    link, no file in the way)."""
    current = Path(root)
    for part in folder.relative_to(root).parts:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return True  # made when the file is moved
        if not stat.S_ISDIR(info.st_mode):
            return False
    return True


def _finish_edit(root: Path, entry: dict, now) -> list[str]:
    target, tmp = root / entry["path"], root / entry["tmp"]
    if os.path.islink(target) or (os.path.lexists(tmp) and not _plain_file(tmp)):
        return [f"{entry['path']}: not written (a link); the file was left as it was"]
    now_bytes = _bytes(target) if _plain_file(target) else None
    prepared = _bytes(tmp) if _plain_file(tmp) else None
    if now_bytes is None and prepared is None:
        return []  # written, then moved (a rename) before the process died
    if now_bytes is not None and digest(now_bytes) == entry["new"]:
        remove(str(tmp))
        return []
    if prepared is None or digest(prepared) != entry["new"]:
        return [f"{entry['path']}: its new version was lost; the file was left as it was"]
    if now_bytes is not None and digest(now_bytes) == entry["old"]:
        os.replace(tmp, target)
        fsync_folder(target.parent)
        return [f"{entry['path']}: written"]
    copy = conflict_copy_path(target, now())
    os.replace(tmp, copy)
    return [f"{entry['path']} changed since; netvault's version is kept in {_rel(root, copy)}"]

"""What the loader read from each note, kept on disk between runs.

``.netvault/cache/notes-NN.json`` hold, per note, the file's identity
(device, inode, size, mtime and ctime in nanoseconds) and what reading it
gave: the contact (its frontmatter values, lines and log entries, not its
prose), its problems, and for a meeting or daily note only its date keys and
links.  A later run parses again only the notes whose identity changed.
``names.json`` beside it holds only who each note is (name, aliases,
errors), which is all ``netvault log`` needs of the contacts it does not edit.
``vault.json`` holds what only the whole vault shows (problems across files,
everyone's contact from meeting and daily notes) for one exact state of
every note: a run that finds every note as the last one left them skips
indexing names and reading links across the vault.

The cache is never trusted over the files:

* An entry is used only when every part of the identity matches a fresh
  ``stat``.  Any write to a file changes its ctime, even one that keeps its
  size and puts its mtime back; a file replaced or swapped for a link is
  another inode.
* A note whose mtime is less than :data:`RACY_SECONDS` before the load
  started (or in the future) is not stored: it could still change within the
  same tick of a coarse filesystem clock without its mtime moving.
* The whole file belongs to one netvault build and one set of settings
  (:func:`cache_key`); anything else, or anything unreadable, truncated or
  malformed, is ignored and rewritten.  An entry that does not decode is a
  miss, never an error.
* It is JSON: loading it runs nothing a vault could have put there.
* It is written to a temporary file and renamed over the old one, so two
  netvault processes at once each leave a whole cache.  A vault that cannot
  be written to (read-only, full disk) is read without one.

``NETVAULT_NO_CACHE=1``, the ``--no-cache`` option and :func:`bypassed`
read every note.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import zlib
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from .. import __version__
from ..values.problems import Problem
from .cachecodec import _int, _opt_int, _opt_text, _text, _texts, decode_result, encode_result  # noqa: F401
from .model import Contact, Interaction
from .ownfolder import OwnFolderError, own_file, own_folder
from .quicknames import NAMES_FILE, UNSETTLED

CACHE_FOLDER = ".netvault/cache"
SHARDS = 64  # notes-00.json ... notes-63.json
FORMAT = 2  # 2: evidence lines (dated lines of a note, interactions with a channel)
RACY_SECONDS = 2
SNAPSHOT_FILE = "vault.json"  # what only the whole vault shows, for an unchanged vault
_IGNORE_ALL = "# netvault's cache of what it read; safe to delete, never committed\n*\n"


_bypassed = 0  # inside bypassed(): every load reads every note


def enabled() -> bool:
    """Whether loads use the cache unless told otherwise."""
    return not _bypassed and os.environ.get("NETVAULT_NO_CACHE", "") in ("", "0")


@contextmanager
def bypassed():
    """Within this block, loads neither read nor write the cache."""
    global _bypassed
    _bypassed += 1
    try:
        yield
    finally:
        _bypassed -= 1


def cache_key(*settings: object) -> str:
    """A digest of this netvault build and of the settings reading depends on.

    The build is its version plus the size and mtime of its own modules, so
    a changed netvault never reads what another one wrote."""
    package = Path(__file__).resolve().parent.parent
    build = []
    for folder, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                build.append((os.path.relpath(os.path.join(folder, name), package), info.st_size, info.st_mtime_ns))
    text = repr((FORMAT, __version__, build, settings))
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


class NoteCache:
    """One load's view of the cache: what it found, and what it will write.

    The notes are spread over :data:`SHARDS` files by a hash of their path,
    so an edit to one note rewrites one small file, not the whole cache."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = Path(root)
        self.key = key
        self.started_ns = time.time_ns()
        self.current: tuple[int, dict] | None = None  # the one shard read and not yet done with
        self.done: set[int] = set()
        self.results: dict[str, tuple] = {}  # rel -> (fingerprint, result) to store
        self.dirty: set[int] = set()
        # Notes changed just now: not stored, but their names go in names.json
        # marked unsettled, for shell completion only (see quicknames).
        self.unsettled: dict[str, tuple] = {}

    @staticmethod
    def order(paths) -> list[str]:
        """``paths`` grouped by shard: each shard's file is read once, then dropped."""
        return sorted(paths, key=_shard)

    def _shard_entries(self, shard: int) -> dict:
        if self.current is not None and self.current[0] == shard:
            return self.current[1]
        self._finish()
        entries = {} if shard in self.done else _read(self.root, self.key, _shard_name(shard))
        self.current = (shard, entries)
        return entries

    def _finish(self) -> None:
        """Done with the current shard: whatever it still holds is gone from the vault."""
        if self.current is not None:
            shard, left = self.current
            if left:
                self.dirty.add(shard)
            self.done.add(shard)
            self.current = None

    def _take(self, rel: str, fingerprint: tuple) -> list | None:
        """``rel``'s entry if it matches ``fingerprint``; a stale one marks its shard."""
        shard = _shard(rel)
        entry = self._shard_entries(shard).pop(rel, None)  # left over at the end: gone from the vault
        if isinstance(entry, list) and len(entry) == 6 and tuple(entry[:5]) == fingerprint:
            return entry
        self.dirty.add(shard)
        return None

    def get(self, rel: str, fingerprint: tuple):
        """The decoded ``(contact, problems, dated note)`` of ``rel``, or None."""
        entry = self._take(rel, fingerprint)
        if entry is None:
            return None
        try:
            result = decode_result(rel, entry[5])
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            self.dirty.add(_shard(rel))
            return None
        self.results[rel] = (fingerprint, result)
        return result

    def keep(self, rel: str, fingerprint: tuple, result) -> None:
        """``rel`` was read earlier in this process (``netvault watch``) and is unchanged."""
        if self._take(rel, fingerprint) is None:
            self.put(rel, fingerprint, result)
        else:
            self.results[rel] = (fingerprint, result)

    def put(self, rel: str, fingerprint: tuple, result) -> None:
        self.dirty.add(_shard(rel))
        if fingerprint[3] >= self.started_ns - RACY_SECONDS * 1_000_000_000:
            self.unsettled[rel] = (fingerprint, result)
            return  # changed just now or dated in the future: read it again next time
        self.results[rel] = (fingerprint, result)

    def save(self) -> None:
        """Rewrite the shards that differ from what this load read, and the names."""
        self._finish()
        # Shards no note of this vault falls in any more: whatever they held is gone.
        for shard in set(range(SHARDS)) - self.done:
            if (self.root / CACHE_FOLDER / _shard_name(shard)).exists():
                self.dirty.add(shard)
        if not self.dirty:
            return
        by_shard: dict[int, list[str]] = {n: [] for n in self.dirty}
        for rel in self.results:
            shard = _shard(rel)
            if shard in by_shard:
                by_shard[shard].append(rel)
        try:
            for shard, rels in sorted(by_shard.items()):  # one shard's JSON in memory at a time
                notes = {rel: [*self.results[rel][0], encode_result(self.results[rel][1])] for rel in sorted(rels)}
                _write(self.root, _shard_name(shard), {"netvault": self.key, "notes": notes})
                del notes
            names = {rel: [*fingerprint, _names_entry(result)] for rel, (fingerprint, result) in self.results.items()}
            # 7 items: unsettled, which stub() (and so every command) passes over
            names.update(
                (rel, [*fingerprint, _names_entry(result), UNSETTLED]) for rel, (fingerprint, result) in self.unsettled.items()
            )
            _write(self.root, NAMES_FILE, {"netvault": self.key, "complete": True, "notes": dict(sorted(names.items()))})
        except (OSError, ValueError):
            pass  # a read-only vault, a full disk: the next run reads the notes again


    # ------------------------------------------------------------ the snapshot

    def read_snapshot(self, digest: str):
        """``(problems, interactions, views)`` of the whole vault as a load
        with the same notes (``digest``) left them, or None.  ``views`` are
        what callers that need only some of the notes keep (see
        ``load_vault(..., idle=...)``): per rule, the notes left out with the
        last day they can warn about and their problems, and the encoded
        reading of every other note (or None when those were too many to
        be worth a copy)."""
        try:
            path = own_file(self.root, "cache", SNAPSHOT_FILE)
            if path is None:
                return None
            with open(path, "rb") as handle:
                data = json.loads(handle.read())
            if not isinstance(data, dict) or data.get("netvault") != self.key or data.get("notes") != digest:
                return None
            problems = [
                Problem(_text(rel), _opt_int(line), _text(severity), _text(message))
                for rel, line, severity, message in data["problems"]
            ]
            found = {
                _text(path): tuple(
                    Interaction(date.fromordinal(_int(day)), _text(source), _opt_int(line), _opt_text(channel))
                    for day, source, line, channel in events
                )
                for path, events in data["interactions"].items()
            }
            if any(not events for events in found.values()):
                return None
            return problems, found, _views(data.get("views", {}))
        except (OwnFolderError, OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError):
            return None

    def save_snapshot(self, digest: str, problems, found, views: dict | None = None) -> None:
        data = {
            "netvault": self.key,
            "notes": digest,
            "problems": [[p.path, p.line, p.severity, p.message] for p in problems],
            "interactions": {
                path: [[e.date.toordinal(), e.source, e.line, e.channel] for e in events]
                for path, events in found.items()
            },
            "views": views or {},
        }
        try:
            _write(self.root, SNAPSHOT_FILE, data)
        except (OSError, ValueError):
            pass


def _views(data: dict) -> dict:
    views = {}
    for rule, view in data.items():
        idle, others = view["idle"], view["others"]
        views[_text(rule)] = (
            {
                _text(rel): (
                    _opt_int(horizon),
                    [Problem(rel, _opt_int(line), _text(sev), _text(msg)) for line, sev, msg in problems],
                )
                for rel, (horizon, problems) in idle.items()
            },
            None if others is None else {_text(rel): record for rel, record in others.items()},
        )
    return views


def encode_view(idle: dict, others: dict | None) -> dict:
    """A view for :meth:`NoteCache.save_snapshot`: ``idle`` is rel ->
    (horizon ordinal or None, problems), ``others`` rel -> reading."""
    return {
        "idle": {
            rel: [horizon, [[p.line, p.severity, p.message] for p in problems]]
            for rel, (horizon, problems) in idle.items()
        },
        "others": None if others is None else {rel: encode_result(result) for rel, result in others.items()},
    }


def vault_digest(prints) -> str:
    """One digest of every note's path and identity, in the order given."""
    return hashlib.sha256(repr(prints).encode("utf-8", "backslashreplace")).hexdigest()


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) % SHARDS


def _shard_name(number: int) -> str:
    return f"notes-{number:02d}.json"


def _names_entry(result) -> list | None:
    """Who a note is, for :func:`read_names`: ``[name, aliases, errors]`` of a
    contact, ``[None, [], errors]`` of a note with errors, else None."""
    contact, problems, _ = result
    errors = [[p.line, p.severity, p.message] for p in problems if p.severity == "error"]
    if contact is None:
        return [None, [], errors] if errors else None
    return [contact.name, list(contact.aliases), errors]


def read_names(root: Path, key: str) -> dict:
    """``names.json``: per note, its identity and who it is (see
    :func:`stub`), for commands that edit one contact and need only the
    others' names."""
    return _read(Path(root), key, NAMES_FILE)


def stub(rel: str, entry, fingerprint: tuple):
    """``(contact or None, error problems)`` from a ``names.json`` entry that
    matches ``fingerprint``: a contact with only its path, name and aliases.
    None when the entry is missing, stale or malformed."""
    if not isinstance(entry, list) or len(entry) != 6 or tuple(entry[:5]) != fingerprint:
        return None
    try:
        if entry[5] is None:
            return None, []
        name, aliases, errors = entry[5]
        problems = [Problem(rel, _opt_int(line), _text(sev), _text(msg)) for line, sev, msg in errors]
        if name is None:
            return None, problems
        return Contact(path=rel, name=_text(name), aliases=_texts(aliases)), problems
    except (ValueError, TypeError):
        return None


def _read(root: Path, key: str, name: str) -> dict:
    try:
        path = own_file(root, "cache", name)
    except OwnFolderError:
        return {}  # a link: whatever is there is not netvault's to trust
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("netvault") != key:
        return {}
    notes = data.get("notes")
    return notes if isinstance(notes, dict) else {}


def _write(root: Path, name: str, data: dict) -> None:
    try:
        folder = own_folder(root, "cache")
    except OwnFolderError:
        return  # a cache: never written through a link, wherever it leads
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(_IGNORE_ALL, encoding="utf-8")
    # ASCII: a file name that is not UTF-8 (a lone surrogate) is written as an escape
    text = json.dumps(data, separators=(",", ":"))
    handle, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

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

import functools
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
from ..values.cadence import Cadence, parse_cadence
from ..values.problems import Problem
from ..values.wikilinks import Link
from .model import Birthday, Contact, FollowUp, Interaction, LogEntry
from .ownfolder import OwnFolderError, own_file, own_folder
from .quicknames import NAMES_FILE, UNSETTLED

CACHE_FOLDER = ".netvault/cache"
SHARDS = 64  # notes-00.json ... notes-63.json
FORMAT = 1
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
        """``(problems, interactions)`` of the whole vault as a load with the
        same notes (``digest``) left them, or None."""
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
                    Interaction(date.fromordinal(_int(day)), _text(source), _opt_int(line))
                    for day, source, line in events
                )
                for path, events in data["interactions"].items()
            }
            if any(not events for events in found.values()):
                return None
            return problems, found
        except (OwnFolderError, OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError):
            return None

    def save_snapshot(self, digest: str, problems, found) -> None:
        data = {
            "netvault": self.key,
            "notes": digest,
            "problems": [[p.path, p.line, p.severity, p.message] for p in problems],
            "interactions": {
                path: [[e.date.toordinal(), e.source, e.line] for e in events] for path, events in found.items()
            },
        }
        try:
            _write(self.root, SNAPSHOT_FILE, data)
        except (OSError, ValueError):
            pass


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


# ---------------------------------------------------------------- encoding


def encode_result(result) -> list:
    contact, problems, dated = result
    return [
        _encode_contact(contact) if contact is not None else None,
        [[p.line, p.severity, p.message] for p in problems],
        [dated.data, dated.key_lines, [_link(link) for link in dated.links]] if dated is not None else None,
    ]


def decode_result(rel: str, record: list):
    from .mentions import DatedNote  # the read side's digest of a dated note

    contact_record, problem_records, dated_record = record
    contact = _decode_contact(rel, contact_record) if contact_record is not None else None
    problems = [Problem(rel, _opt_int(line), _text(severity), _text(message)) for line, severity, message in problem_records]
    dated = None
    if dated_record is not None:
        data, key_lines, links = dated_record
        if not isinstance(data, dict) or not isinstance(key_lines, dict):
            raise TypeError("dated note")
        dated = DatedNote(data, key_lines, tuple(_unlink(item) for item in links))
    return contact, problems, dated


def _encode_contact(c: Contact) -> list:
    return [
        c.name,
        list(c.aliases),
        c.circle,
        c.origin,
        c.org,
        c.role,
        c.email,
        c.phone,
        c.linkedin,
        list(c.channels),
        [c.cadence.unit, c.cadence.amount, c.cadence.text] if c.cadence else None,
        _day(c.last_contact),
        c.priority,
        _day(c.snooze_until),
        [c.follow_up.date.toordinal(), c.follow_up.note] if c.follow_up else None,
        [_link(link) for link in c.introduced_by],
        [_link(link) for link in c.knows],
        list(c.goals),
        [c.birthday.month, c.birthday.day, c.birthday.year] if c.birthday else None,
        list(c.tags),
        _encode_log(c.log),
        c.fields,
        c.lines,
        c.keys,
    ]


def _decode_contact(rel: str, r: list) -> Contact:
    (
        name, aliases, circle, origin, org, role, email, phone, linkedin, channels, cadence,
        last_contact, priority, snooze, follow_up, introduced_by, knows, goals, birthday, tags,
        log, fields, lines, keys,
    ) = r
    if not (isinstance(fields, dict) and isinstance(lines, dict) and isinstance(keys, dict)):
        raise TypeError("contact")
    return Contact(
        path=rel,
        name=_text(name),
        aliases=_texts(aliases),
        circle=_opt_text(circle),
        origin=_opt_text(origin),
        org=_opt_text(org),
        role=_opt_text(role),
        email=_opt_text(email),
        phone=_opt_text(phone),
        linkedin=_opt_text(linkedin),
        channels=_texts(channels),
        cadence=_cadence(cadence) if cadence else None,
        last_contact=_undate(last_contact),
        priority=_opt_int(priority),
        snooze_until=_undate(snooze),
        follow_up=FollowUp(date.fromordinal(follow_up[0]), _text(follow_up[1])) if follow_up else None,
        introduced_by=tuple(_unlink(item) for item in introduced_by),
        knows=tuple(_unlink(item) for item in knows),
        goals=_texts(goals),
        birthday=_birthday(birthday) if birthday else None,
        tags=_texts(tags),
        log=_decode_log(log),
        fields=fields,
        lines=lines,
        keys=keys,
    )


def _cadence(value: list) -> Cadence:
    """A cached cadence is believed only when it is what its text parses to
    (an amount of 10**9 days, or a unit netvault has no word for, is a miss)."""
    unit, amount, text = value
    cadence = Cadence(_text(unit), _int(amount), _text(text))
    if parse_cadence(cadence.text) != cadence:
        raise ValueError("cadence")
    return cadence


def _birthday(value: list) -> Birthday:
    """A cached birthday must be a day of the calendar (29 February only
    without a year or in a leap year)."""
    month, day, year = value
    birthday = Birthday(_int(month), _int(day), _opt_int(year))
    date(birthday.year if birthday.year is not None else 2000, birthday.month, birthday.day)
    return birthday


def _int(value) -> int:
    if type(value) is not int:
        raise TypeError("int")
    return value


def _encode_log(log: tuple[LogEntry, ...]) -> list:
    """Column by column (dates as ordinals, the four flags as bits): decoding
    then runs in C loops rather than a Python call per entry."""
    return [
        [e.date.toordinal() for e in log],
        [e.channel for e in log],
        [e.text for e in log],
        [e.line for e in log],
        [e.gave | e.asked << 1 | e.interaction << 2 | e.planned << 3 for e in log],
    ]


_INT = {int}
_TEXT = {str}
_MAYBE_TEXT = {str, type(None)}
_new_entry = functools.partial(tuple.__new__, LogEntry)


def _decode_log(columns: list) -> tuple[LogEntry, ...]:
    days, channels, texts, lines, flags = columns
    count = len(days)
    if not (len(channels) == len(texts) == len(lines) == len(flags) == count):
        raise ValueError("log columns")
    if count == 0:
        return ()
    if not (
        set(map(type, days)) <= _INT
        and set(map(type, channels)) <= _MAYBE_TEXT
        and set(map(type, texts)) <= _TEXT
        and set(map(type, lines)) <= _INT
        and set(map(type, flags)) <= _INT
    ):
        raise TypeError("log entry")
    return tuple(
        map(
            _new_entry,
            zip(
                map(date.fromordinal, days),
                channels,
                texts,
                lines,
                [bool(f & 1) for f in flags],
                [bool(f & 2) for f in flags],
                [bool(f & 4) for f in flags],
                [bool(f & 8) for f in flags],
            ),
        )
    )


def _day(value: date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _undate(value) -> date | None:
    return date.fromordinal(value) if value is not None else None


def _link(link: Link) -> list:
    return [link.target, link.label, link.line]


def _unlink(item) -> Link:
    target, label, line = item
    return Link(_text(target), _opt_text(label), _opt_int(line))


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("text")
    return value


def _opt_text(value) -> str | None:
    return None if value is None else _text(value)


def _opt_int(value) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise TypeError("int")
    return value


def _texts(values) -> tuple[str, ...]:
    return tuple(_text(v) for v in values)

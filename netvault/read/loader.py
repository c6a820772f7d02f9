"""Read a vault folder into a :class:`Vault`: contacts plus every problem found.

This module and the writer are the only ones that touch the disk for
contacts.  A file that cannot be read becomes a problem; it never stops the
other files from being read.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..values.problems import ERROR, WARNING, Problem, sort_problems
from . import cache as note_cache
from . import pool
from .contact import contact_from_bytes, dated_problems, future_horizon, load_contact_file, parse_birthday
from .crosscheck import cross_check
from .frontmatter import FrontmatterError, decode, parse
from .goalsettings import goal_reference_problems
from .mentions import dated_note, evidence_note, interactions, is_interaction_folder
from .model import Contact, Vault
from .names import NameIndex
from .notedates import daily_notes_settings
from .settings import Config, load_config
from .vaultfile import UnreadableFile, note_stem, read_vault_file
from .walk import on_disk_folder, scan_notes

# Read one note: in netvault.read.contact, named here for the loader's callers.
__all__ = [
    "contact_from_bytes", "dated_problems", "load_contact_file", "load_names", "load_vault",
    "note_stem", "parse_birthday", "playbook_check",
]


def load_vault(
    root: Path | str,
    today: date | None = None,
    memo: dict | None = None,
    cache: bool | None = None,
    idle: tuple[str, Callable] | None = None,
) -> Vault:
    """Read every note under ``root``.

    ``today`` is only used to warn about log entries dated in the future; the
    due computations take their own ``today``.  ``memo`` (a dict the caller
    keeps between loads, as ``netvault watch`` does) lets a later load reuse
    what an earlier one read of every file whose size, mtime and inode are
    unchanged, so only changed files are parsed again; ``cache`` does the
    same across processes through ``.netvault/cache/`` (see
    :mod:`netvault.read.cache`; None: unless ``NETVAULT_NO_CACHE`` is set).  The
    result is the same with or without them.

    ``idle`` is ``(rule, is_idle)``: ``is_idle(contact, config, interactions)``
    says a contact can never matter to the caller (the agenda: no rhythm, no
    follow-up, nothing in the log).  With the cache, a run that finds every
    note as the last one left them does not build those contacts at all:
    the snapshot lists them (under ``rule``, a name that changes whenever
    ``is_idle`` does), ``Vault.contacts`` leaves them out and ``Vault.idle``
    counts them; their problems are all there.  ``today`` is then required.
    """
    root = Path(root)
    was_collecting = gc.isenabled()
    gc.disable()  # reading makes millions of small acyclic objects: nothing to collect
    try:
        return _load(root, today, memo, cache, idle if today is not None else None)
    finally:
        # ...nor later: what was read stays out of the collector's sweeps (at
        # 30,000 contacts these cost seconds while the agenda is built).
        # Refcounting still frees it all once the vault is dropped.
        gc.freeze()
        if was_collecting:
            gc.enable()


def _prepare(root: Path):
    """The settings, their problems, the notes to read, and the daily-notes folder."""
    config, problems = load_config(root)
    spelled = tuple(on_disk_folder(root, folder) for folder in config.contacts)
    if spelled != config.contacts:
        # `contacts = ["people"]` with a People/ folder: new contacts go in People/.
        config = replace(config, contacts=spelled)
    scan = scan_notes(root, config)
    problems.extend(scan.problems)
    daily, daily_format = _daily_notes_folder(root) if config.interactions_from_notes else (None, None)
    prefixes = (*config.interaction_folders, *([daily] if daily else []), config.evidence_folder)
    return config, problems, scan.notes, prefixes, daily, daily_format


def load_names(root: Path | str, today: date | None = None) -> Vault:
    """Who is in the vault, for a command that edits a few contacts.

    Like :func:`load_vault`, but a note whose identity matches the cache's
    ``names.json`` is not read: its contact holds only its path, name and
    aliases, and its problems only its errors.  Notes that changed are read
    in full.  Enough to resolve a NAME, refuse a name already taken and check
    an edit against the others; the contact to edit must then be read with
    :func:`load_contact_file`.  No cross-vault checks, no interactions.
    """
    root = Path(root)
    was_collecting = gc.isenabled()
    gc.disable()  # as in load_vault
    try:
        return _load_names(root, today)
    finally:
        if was_collecting:
            gc.enable()


def _load_names(root: Path, today: date | None) -> Vault:
    config, problems, paths, prefixes, _, _ = _prepare(root)
    names = note_cache.read_names(root, note_cache.cache_key((config, prefixes))) if note_cache.enabled() else {}
    contacts: list[Contact] = []
    for rel in paths:
        fingerprint = _fingerprint(root, rel)
        known = note_cache.stub(rel, names.get(rel), fingerprint) if fingerprint is not None else None
        if known is None:
            contact, file_problems, _ = _read_note(root, rel, config, prefixes)
            if contact is not None and today is not None:
                file_problems = file_problems + dated_problems(contact, today)
        else:
            contact, file_problems = known
        problems.extend(file_problems)
        if contact is not None:
            contacts.append(contact)
    contacts.sort(key=lambda c: (c.name.casefold(), c.path))
    return Vault(root, config, tuple(contacts), tuple(sort_problems(problems)), len(paths))


def _load(root: Path, today: date | None, memo: dict | None, use_cache: bool | None, idle=None) -> Vault:
    config, problems, paths, prefixes, daily, daily_format = _prepare(root)
    contacts: list[Contact] = []
    dated_notes = []  # meeting and daily notes: contact with everyone they link to
    settings = (config, prefixes)
    files = _memo_for(memo, settings)
    disk = None
    if use_cache if use_cache is not None else note_cache.enabled():
        disk = note_cache.NoteCache(root, note_cache.cache_key(settings))
    results = {}
    misses: list[str] = []  # notes to read: new, changed, or not in any cache
    # With a cache, the notes are read shard by shard (see NoteCache), so
    # only one shard's JSON is held at a time; the vault keeps the walk's order.
    order = disk.order(paths) if disk is not None else paths
    prints = [(rel, _fingerprint(root, rel)) for rel in order]  # the vault's state, for the snapshot
    digest = note_cache.vault_digest((prints, daily, daily_format)) if disk is not None else None
    snapshot = disk.read_snapshot(digest) if disk is not None else None
    view = snapshot[2].get(idle[0]) if snapshot is not None and idle is not None else None
    skipped, from_view = 0, False
    if view is not None and files is None:
        results, skipped = _from_view(view, prints, today)
        from_view = bool(results)
    if not from_view:
        _read_all(prints, files, disk, results, misses)
    for rel, fingerprint, result in _read_notes(root, misses, config, prefixes):
        if disk is not None and fingerprint is not None:
            disk.put(rel, fingerprint, result)
        if files is not None and fingerprint is not None:
            files[rel] = (fingerprint, result)
        results[rel] = result
    if disk is not None and not from_view:
        disk.save()  # (from the snapshot's view nothing was read, so nothing changed)
    for rel in paths:
        contact, file_problems, note = results[rel]
        problems.extend(file_problems)
        if contact is not None:
            contacts.append(contact)
            if today is not None:
                problems.extend(dated_problems(contact, today))
        elif note is not None:
            dated_notes.append((rel, note))
    if files is not None:
        for gone in set(files) - set(paths):
            del files[gone]
    contacts.sort(key=lambda c: (c.name.casefold(), c.path))
    if snapshot is None:
        index = NameIndex(contacts)
        whole, every_time = _whole_vault(contacts, index, dated_notes, config, paths, daily, daily_format)
        views = {}
    else:
        index = None  # built when a command asks for Vault.names
        whole, every_time, views = snapshot
    write = snapshot is None
    if idle is not None and idle[0] not in views:
        views = {**views, idle[0]: _view(idle[1], contacts, config, every_time, results, today)}
        write = True
    if write and disk is not None and not disk.unsettled:
        disk.save_snapshot(digest, whole, every_time, views)
    problems.extend(whole)
    found = _until(every_time, today) if today is not None else every_time
    vault = Vault(root, config, tuple(contacts), tuple(sort_problems(problems)), len(paths), found, idle=skipped)
    if index is not None:
        vault.__dict__["names"] = index  # the same contacts, already indexed (Vault.names)
    return vault


def _whole_vault(contacts, index, dated_notes, config, paths, daily, daily_format):
    """What only the whole vault shows, the same whatever day it is: the
    problems across files, and every contact read from dated notes (future
    ones too: :func:`_until` keeps those up to a day)."""
    problems = cross_check(contacts, index)
    problems.extend(playbook_check(contacts))
    problems.extend(goal_reference_problems(contacts, config))
    found: dict = {}
    if dated_notes:
        found, note_problems = interactions(
            dated_notes,
            contacts,
            date.max,
            folders=config.interaction_folders,
            daily_folder=daily,
            daily_format=daily_format,
            date_keys=config.date_keys,
            known_notes=paths,
            index=index,
            evidence_folder=config.evidence_folder,
        )
        problems.extend(note_problems)
    return problems, found


def _read_all(prints, files, disk, results: dict, misses: list) -> None:
    """Take every note the memo or the cache holds as it is on disk into
    ``results``; list the others in ``misses``."""
    for rel, fingerprint in prints:
        result = None
        if fingerprint is not None:
            if files is not None:
                known = files.get(rel)
                if known is not None and known[0] == fingerprint:
                    result = known[1]
                    if disk is not None:
                        disk.keep(rel, fingerprint, result)
            if result is None and disk is not None:
                result = disk.get(rel, fingerprint)
        if result is None:
            misses.append(rel)
            continue
        if files is not None and fingerprint is not None:
            files[rel] = (fingerprint, result)
        results[rel] = result


# A view copies the notes a caller needs only while they are this share of the vault at most.
VIEW_SHARE = 3


def _view(is_idle, contacts, config, found: dict, results: dict, today: date) -> dict:
    """What a caller that can do without the contacts ``is_idle`` picks needs
    of an unchanged vault: those contacts' problems and the last day each can
    warn about a date ahead (one with a date after ``today`` is not left
    out), and (when they are most of the vault) every other note's reading."""
    idle = {}
    for contact in contacts:
        if is_idle(contact, config, found.get(contact.path, ())):
            horizon = future_horizon(contact)
            if horizon is None or horizon <= today:
                idle[contact.path] = (horizon.toordinal() if horizon is not None else None, results[contact.path][1])
    others = None
    if (len(results) - len(idle)) * VIEW_SHARE <= len(results):
        others = {rel: result for rel, result in results.items() if rel not in idle}
    return note_cache.encode_view(idle, others)


def _from_view(view, prints, today: date) -> tuple[dict, int]:
    """Every note's reading from a snapshot's view, the idle contacts as
    problems only, and how many those are; ``({}, 0)`` when the view holds no
    copy of the other notes, when an idle contact could still warn about a
    day after ``today``, or when it does not decode."""
    idle, others = view
    if others is None or any(h is not None and h > today.toordinal() for h, _ in idle.values()):
        return {}, 0
    results = {}
    try:
        for rel, _ in prints:
            if rel in idle:
                results[rel] = (None, idle[rel][1], None)
            else:
                results[rel] = note_cache.decode_result(rel, others[rel])
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, OverflowError):
        return {}, 0
    return results, len(idle)


def _until(found: dict, today: date) -> dict:
    """The interactions dated on or before ``today`` (each list is oldest first)."""
    kept = {}
    for path, events in found.items():
        if events[-1].date <= today:
            kept[path] = events
        else:
            early = tuple(e for e in events if e.date <= today)
            if early:
                kept[path] = early
    return kept


PARALLEL_FROM = 1000  # notes to read before a pool of processes pays for itself
CHUNK = 200  # notes per task of the pool


def _read_notes(root: Path, rels: list[str], config: Config, prefixes: tuple) -> list[tuple]:
    """``(rel, fingerprint, result)`` for each note: its identity taken just
    before it is read (what the cache may store it under) and what reading
    gave.  Many notes (a first run, a fresh clone) are read by a pool of
    processes (see :mod:`.pool`), sent back in the cache's plain encoding
    and checked as the cache is; few, or where a pool cannot run, here."""

    def read_encoded(rel: str) -> tuple:
        fingerprint = _fingerprint(root, rel)
        return rel, fingerprint, note_cache.encode_result(_read_note(root, rel, config, prefixes))

    found = pool.fork_map(read_encoded, rels, PARALLEL_FROM, CHUNK)
    if found is not None:
        try:
            return [(rel, fingerprint, note_cache.decode_result(rel, encoded)) for rel, fingerprint, encoded in found]
        except (OSError, BrokenProcessPool, pickle.PicklingError, TypeError, ValueError):
            pass  # a worker died or could not send its notes back: read them here
    return [(rel, _fingerprint(root, rel), _read_note(root, rel, config, prefixes)) for rel in rels]


def _read_note(root: Path, rel: str, config: Config, prefixes: tuple) -> tuple:
    """What one note holds for netvault: ``(contact or None, its problems,
    dated note or None)``; the same whatever day it is."""
    try:
        raw = (root / rel).read_bytes()
    except OSError as exc:
        return None, [Problem(rel, None, ERROR, f"cannot read: {exc.strerror or exc}")], None
    contact, file_problems = contact_from_bytes(rel, raw, config)
    note = None
    if contact is None and is_interaction_folder(rel, (config.evidence_folder,)):
        try:  # imported evidence counts even where notes do not ([interactions] from_notes)
            note = evidence_note(parse(decode(raw)))
        except FrontmatterError:
            pass
    elif contact is None and config.interactions_from_notes and prefixes and is_interaction_folder(rel, prefixes):
        # Not netvault's to report if it cannot be read: only contacts are checked.
        try:
            note = dated_note(parse(decode(raw)), config.date_keys)
        except FrontmatterError:
            pass
    return contact, file_problems, note


def _memo_for(memo: dict | None, settings: tuple) -> dict | None:
    """The per-file part of ``memo``, emptied when what reading depends on changed."""
    if memo is None:
        return None
    if memo.get("key") != settings:
        memo.clear()
        memo["key"] = settings
        memo["files"] = {}
    return memo["files"]


def _fingerprint(root: Path, rel: str) -> tuple | None:
    try:
        info = os.stat(os.path.join(root, rel))
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


TOP_TEN = 10  # prioritise ten people: a campaign, not a mailing list
ADDRESS_KEYS = ("address", "postal_address", "mailing_address")


def playbook_check(contacts: list[Contact]) -> list[Problem]:
    """Warnings about how the vault is used rather than how it is written:
    more than ten priorities (one warning on each contact beyond the tenth,
    at its ``priority`` line, so the fix is in the file named), and a
    ``post`` channel with nowhere to post to."""
    problems: list[Problem] = []
    ranked = sorted(
        (c for c in contacts if c.priority is not None),
        key=lambda c: (c.priority, c.name.casefold(), c.path),
    )
    for contact in ranked[TOP_TEN:]:
        problems.append(
            Problem(
                contact.path,
                contact.lines.get("priority"),
                WARNING,
                f"{len(ranked)} contacts have a priority; a top ten holds {TOP_TEN}, and this one "
                f"(priority {contact.priority}) is beyond the tenth: unset it or demote another",
            )
        )
    for contact in contacts:
        if "post" not in contact.channels:
            continue
        has_address = any(
            isinstance(value, str) and value.strip() or isinstance(value, (list, dict)) and value
            for key, value in contact.fields.items()
            if str(key).strip().casefold() in ADDRESS_KEYS
        )
        if not has_address:
            problems.append(
                Problem(
                    contact.path,
                    contact.lines.get("channels"),
                    WARNING,
                    "channels include post but there is no address: add an address field",
                )
            )
    return problems


def _daily_notes_folder(root: Path) -> tuple[str | None, str | None]:
    """Obsidian's daily-notes folder, whose dated notes count as contact, and
    the format their names are written in."""
    try:
        return daily_notes_settings(read_vault_file(root, ".obsidian/daily-notes.json"))
    except (OSError, ValueError, UnreadableFile):
        return None, None

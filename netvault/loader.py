"""Read a vault folder into a :class:`Vault`: contacts plus every problem found.

This module and the writer are the only ones that touch the disk for
contacts.  A file that cannot be read becomes a problem; it never stops the
other files from being read.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from . import cache as note_cache
from .cadence import CadenceError, parse_cadence
from .config import (
    CIRCLES,
    Config,
    UnreadableFile,
    goal_reference_problems,
    load_config,
    read_vault_file,
)
from .dates import DateError, parse_date, parse_day
from .frontmatter import FrontmatterError, decode, parse
from .links import NameIndex, cross_check, parse_link
from .logsection import parse_log
from .mentions import dated_note, interactions, is_interaction_folder
from .model import CHANNELS, Birthday, Contact, FollowUp, Link, Vault
from .notedates import daily_notes_settings
from .people import contact_hint, is_person, resolve_fields
from .problems import ERROR, WARNING, Problem, sort_problems
from .scan import in_contacts_folder, on_disk_folder, scan_notes

TEXT_FIELDS = ("name", "email", "phone", "linkedin")
# Obsidian vaults often hold these as lists (`org: ["[[Acme]]"]`); shown joined.
JOINED_FIELDS = ("origin", "org", "role")
LIST_FIELDS = ("aliases", "channels", "goals", "tags")
_BIRTHDAY_NO_YEAR = re.compile(r"^(?:--)?(\d{2})-(\d{2})$")


def load_vault(
    root: Path | str, today: date | None = None, memo: dict | None = None, cache: bool | None = None
) -> Vault:
    """Read every note under ``root``.

    ``today`` is only used to warn about log entries dated in the future; the
    due computations take their own ``today``.  ``memo`` (a dict the caller
    keeps between loads, as ``netvault watch`` does) lets a later load reuse
    what an earlier one read of every file whose size, mtime and inode are
    unchanged, so only changed files are parsed again; ``cache`` does the
    same across processes through ``.netvault/cache/`` (see
    :mod:`netvault.cache`; None: unless ``NETVAULT_NO_CACHE`` is set).  The
    result is the same with or without them.
    """
    root = Path(root)
    was_collecting = gc.isenabled()
    gc.disable()  # reading makes millions of small acyclic objects: nothing to collect
    try:
        return _load(root, today, memo, cache)
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
    prefixes = (*config.interaction_folders, *([daily] if daily else []))
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


def _load(root: Path, today: date | None, memo: dict | None, use_cache: bool | None) -> Vault:
    config, problems, paths, prefixes, daily, daily_format = _prepare(root)
    contacts: list[Contact] = []
    dated_notes = []  # meeting and daily notes: contact with everyone they link to
    settings = (config, prefixes)
    files = _memo_for(memo, settings)
    disk = None
    if use_cache if use_cache is not None else note_cache.enabled():
        disk = note_cache.NoteCache(root, note_cache.cache_key(settings))
    for rel in paths:
        fingerprint = _fingerprint(root, rel)
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
            result = _read_note(root, rel, config, prefixes)
            if disk is not None and fingerprint is not None:
                disk.put(rel, fingerprint, result)
        if files is not None and fingerprint is not None:
            files[rel] = (fingerprint, result)
        contact, file_problems, note = result
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
    if disk is not None:
        disk.save()
    contacts.sort(key=lambda c: (c.name.casefold(), c.path))
    index = NameIndex(contacts)
    problems.extend(cross_check(contacts, index))
    problems.extend(playbook_check(contacts))
    problems.extend(goal_reference_problems(contacts, config))
    found: dict = {}
    if dated_notes:
        found, note_problems = interactions(
            dated_notes,
            contacts,
            today or date.max,
            folders=config.interaction_folders,
            daily_folder=daily,
            daily_format=daily_format,
            date_keys=config.date_keys,
            known_notes=paths,
            index=index,
        )
        problems.extend(note_problems)
    return Vault(
        root, config, tuple(contacts), tuple(sort_problems(problems)), len(paths), found
    )


def _read_note(root: Path, rel: str, config: Config, prefixes: tuple) -> tuple:
    """What one note holds for netvault: ``(contact or None, its problems,
    dated note or None)``; the same whatever day it is."""
    try:
        raw = (root / rel).read_bytes()
    except OSError as exc:
        return None, [Problem(rel, None, ERROR, f"cannot read: {exc.strerror or exc}")], None
    contact, file_problems = contact_from_bytes(rel, raw, config)
    note = None
    if contact is None and config.interactions_from_notes and prefixes and is_interaction_folder(rel, prefixes):
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


def dated_problems(contact: Contact, today: date) -> list[Problem]:
    """Warnings that depend on the day: a last contact or log entry in the future."""
    problems = []
    last = contact.last_contact
    if last is not None and last > today:
        problems.append(
            Problem(
                contact.path,
                contact.lines.get("last_contact"),
                WARNING,
                f"{contact.keys.get('last_contact', 'last_contact')} {last.isoformat()} is in the "
                "future; the next touch-base is counted from it",
            )
        )
    for entry in contact.log:
        if entry.date > today and not entry.planned:
            problems.append(
                Problem(
                    contact.path,
                    entry.line,
                    WARNING,
                    f"log entry dated {entry.date.isoformat()} is in the future; "
                    "it does not count as a contact until then",
                )
            )
    return problems


TOP_TEN = 10  # seed 000: "prioritise ten former colleagues"
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


def load_contact_file(
    root: Path, rel: str, config: Config, today: date | None = None
) -> tuple[Contact | None, list[Problem]]:
    """Read one note; return its contact (or None if it is not one) and problems."""
    try:
        raw = (root / rel).read_bytes()
    except OSError as exc:
        return None, [Problem(rel, None, ERROR, f"cannot read: {exc.strerror or exc}")]
    return contact_from_bytes(rel, raw, config, today)


def contact_from_bytes(
    rel: str, raw: bytes, config: Config, today: date | None = None
) -> tuple[Contact | None, list[Problem]]:
    """The contact in one note's bytes (None if it is not a contact), and its problems.

    A note that is not a contact is left alone: its problems are not reported.
    """
    in_folder = in_contacts_folder(rel, config)
    looks_like_contact = in_folder or bool(
        contact_hint(config.person_types, config.keys_for("circle")).search(
            raw.replace(b"\r\n", b"\n")
        )
    )
    try:
        note = parse(decode(raw))
    except FrontmatterError as exc:
        if not looks_like_contact:
            return None, []
        return None, [Problem(rel, exc.line, ERROR, exc.message)]
    if not is_person(note.data, note.body, config, in_folder):
        return None, []
    contact, problems = _build_contact(rel, note, config)
    if today is not None:
        problems.extend(dated_problems(contact, today))
    nul = raw.find(b"\x00")
    if nul >= 0:
        # In the frontmatter YAML refuses it (above); in the body it is read,
        # but a note holding NULs is more likely a binary file named .md.
        line = raw.count(b"\n", 0, nul) + 1
        problems.append(
            Problem(rel, line, WARNING, f"contains NUL bytes (line {line}); is it really a text note?")
        )
    return contact, problems


def _build_contact(rel, note, config: Config):
    resolved = resolve_fields(note.data, note.key_lines, config)
    data, lines = resolved.data, resolved.lines
    problems: list[Problem] = []

    def problem(key: str | None, severity: str, message: str, line: int | None = None) -> None:
        problems.append(Problem(rel, line if line is not None else lines.get(key), severity, message))

    def label(name: str) -> str:
        """A field as the file writes it (``last contact`` for last_contact)."""
        return resolved.keys.get(name, name)

    for key, line in note.duplicate_keys:
        problem(key, WARNING, f"'{key}' is set more than once; the last one counts", line)
    for field_name, key, first, chosen, line in resolved.clashes:
        which = "the later date" if field_name == "last_contact" else "the first"
        problem(
            key,
            WARNING,
            f"'{key}' and '{first}' both give {field_name}, with different values; "
            f"netvault uses {which}, '{chosen}'",
            line,
        )
    for key, line in resolved.bad_dates:
        problem(key, ERROR, f"{key}: expected a date YYYY-MM-DD, got {note.data[key]!r}", line)

    values: dict = {}

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            problem(key, ERROR, f"{label(key)} must be a single value, not a {_kind(value)}")
            return None
        return value.strip() or None

    def text_list(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if isinstance(value, list) and all(isinstance(v, str) or v is None for v in value):
            return tuple(v.strip() for v in value if v and v.strip())
        problem(key, ERROR, f"{label(key)} must be a list of values like [a, b]")
        return ()

    def a_date(key: str) -> date | None:
        raw = text(key)
        if raw is None:
            return None
        try:
            return parse_day(raw)
        except DateError as exc:
            problem(key, ERROR, f"{label(key)}: {exc}")
            return None

    for key in TEXT_FIELDS:
        values[key] = text(key)
    for key in LIST_FIELDS:
        values[key] = text_list(key)
    for key in JOINED_FIELDS:
        parts = [_link_text(part) for part in text_list(key)]
        values[key] = ", ".join(parts) or None

    name = values.pop("name")
    if name is not None and ("\n" in name or "\r" in name):
        problem("name", ERROR, f"{label('name')} must be on one line")
        name = " ".join(name.split())
    name = name or note_stem(rel)
    circle = text("circle")
    if circle is not None:
        if circle.lower() in CIRCLES:
            circle = circle.lower()
        else:
            problem("circle", ERROR, f"unknown circle {circle!r}; use one of: {', '.join(CIRCLES)}")
            circle = None

    for channel in values["channels"]:
        if channel.lower() not in CHANNELS:
            problem(
                "channels",
                WARNING,
                f"unknown channel {channel!r}; known channels: {', '.join(CHANNELS)}",
            )
    values["channels"] = tuple(c.lower() if c.lower() in CHANNELS else c for c in values["channels"])

    cadence = None
    cadence_text = text("cadence")
    if cadence_text is not None:
        try:
            cadence = parse_cadence(cadence_text)
        except CadenceError as exc:
            problem("cadence", ERROR, str(exc))

    priority = None
    priority_text = text("priority")
    if priority_text is not None:
        if re.fullmatch(r"\d{1,6}", priority_text) and int(priority_text) >= 1:
            priority = int(priority_text)
        else:
            problem(
                "priority",
                ERROR,
                f"{label('priority')} must be a whole number, 1 = highest, not {priority_text!r}",
            )

    follow_up = None
    follow_text = text("follow_up")
    if follow_text is not None:
        when, _, note_text = follow_text.partition(" ")
        try:
            follow_up = FollowUp(parse_date(when), note_text.strip())
        except DateError as exc:
            problem("follow_up", ERROR, f"{label('follow_up')} must start with a date: {exc}")

    birthday = None
    birthday_text = text("birthday")
    if birthday_text is not None:
        birthday = parse_birthday(birthday_text)
        if birthday is None:
            problem(
                "birthday",
                ERROR,
                f"{label('birthday')}: expected YYYY-MM-DD (or MM-DD without the year), "
                f"got {birthday_text!r}",
            )

    links = {}
    for key in ("introduced_by", "knows"):
        links[key] = _links(data.get(key), lines.get(key), key, problem, label(key))

    body_lines = note.body.splitlines(keepends=True)
    log, log_problems = parse_log(body_lines, note.body_line, config.log_heading, rel)
    problems.extend(log_problems)
    last_contact = a_date("last_contact")

    # A field read from the user's key is found at that key's line by its name too.
    contact_lines = dict(note.key_lines)
    for field_name, key in resolved.keys.items():
        contact_lines.setdefault(field_name, note.key_lines.get(key))
    contact = Contact(
        path=rel,
        name=name,
        aliases=values["aliases"],
        circle=circle,
        origin=values["origin"],
        org=values["org"],
        role=values["role"],
        email=values["email"],
        phone=values["phone"],
        linkedin=values["linkedin"],
        channels=values["channels"],
        cadence=cadence,
        last_contact=last_contact,
        priority=priority,
        snooze_until=a_date("snooze_until"),
        follow_up=follow_up,
        introduced_by=links["introduced_by"],
        knows=links["knows"],
        goals=values["goals"],
        birthday=birthday,
        tags=values["tags"],
        log=tuple(log),
        fields=dict(note.data),
        lines=contact_lines,
        keys=resolved.keys,
    )
    return contact, problems


def _link_text(text: str) -> str:
    """``[[Acme Corp|Acme]]`` -> ``Acme``; plain text stays."""
    link = parse_link(text)
    if link is None or not text.strip().startswith("[["):
        return text
    return link.text


def note_stem(rel: str) -> str:
    base = rel.rsplit("/", 1)[-1]
    return base[:-3] if base.lower().endswith(".md") else base


def _kind(value) -> str:
    return "list" if isinstance(value, list) else "mapping" if isinstance(value, dict) else "value"


def parse_birthday(text: str) -> Birthday | None:
    try:
        full = parse_date(text)
        return Birthday(full.month, full.day, full.year)
    except DateError:
        pass
    match = _BIRTHDAY_NO_YEAR.match(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            date(2000, month, day)  # a leap year, so 02-29 is allowed
        except ValueError:
            return None
        return Birthday(month, day, None)
    return None


def _links(value, line, key, problem, shown: str | None = None) -> tuple[Link, ...]:
    shown = shown or key
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    links = []
    for item in items:
        # `knows: [[Carol Lee]]` unquoted is a list inside a list in YAML
        if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str):
            problem(
                key,
                WARNING,
                f"{shown}: quote wikilinks in frontmatter, e.g. \"[[{item[0]}]]\", "
                "or YAML reads them as nested lists",
            )
            item = f"[[{item[0]}]]"
        if not isinstance(item, str):
            problem(key, ERROR, f"{shown} must be a wikilink like \"[[Jane Doe]]\" or a list of them")
            continue
        link = parse_link(item, line)
        if link is not None:
            links.append(link)
    return tuple(links)

"""Read a vault folder into a :class:`Vault`: contacts plus every problem found.

This module and the writer are the only ones that touch the disk for
contacts.  A file that cannot be read becomes a problem; it never stops the
other files from being read.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from .cadence import CadenceError, parse_cadence
from .config import (
    CIRCLES,
    CONFIG_NAME,
    FIELDS,
    Config,
    UnreadableFile,
    inside,
    load_config,
    marker,
    read_vault_file,
    tag_marker,
)
from .dates import DateError, parse_date
from .frontmatter import FrontmatterError, decode, parse
from .links import cross_check, parse_link
from .logsection import parse_log
from .mentions import daily_notes_folder, interactions, is_interaction_folder
from .model import CHANNELS, Birthday, Contact, FollowUp, Link, Vault
from .problems import ERROR, WARNING, Problem, sort_problems

TEXT_FIELDS = ("name", "email", "phone", "linkedin")
# Obsidian vaults often hold these as lists (`org: ["[[Acme]]"]`); shown joined.
JOINED_FIELDS = ("origin", "org", "role")
LIST_FIELDS = ("aliases", "channels", "goals", "tags")
# vCard-style notes (KIND: org) describe these, never a person.
NOT_KINDS = frozenset({"org", "organization", "organisation", "location", "group"})
# An inline tag: '#' at the start or after a space, then letters, digits, _ - /.
_INLINE_TAG = re.compile(r"(?<!\S)#([\w/-]+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+).*?\1", re.DOTALL)
_COMMENTS = re.compile(r"%%.*?(?:%%|\Z)|<!--.*?(?:-->|\Z)", re.DOTALL)
_BIRTHDAY_NO_YEAR = re.compile(r"^(?:--)?(\d{2})-(\d{2})$")


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding netvault.toml, else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def _obsidian_template_folder(root: Path) -> str | None:
    """Obsidian's template folder, whose notes are blanks rather than people.

    The file is Obsidian's, not ours: if it cannot be read (missing, not JSON,
    nested deeper than Python's parser goes, not a regular file, over 1 MB,
    a link out of the vault) it is ignored without a word.
    """
    for name in ("templates.json", "core-plugins-templates.json"):
        try:
            data = json.loads(read_vault_file(root, f".obsidian/{name}").decode("utf-8"))
        except (OSError, UnreadableFile, ValueError, RecursionError):
            continue
        folder = data.get("folder") if isinstance(data, dict) else None
        if isinstance(folder, str) and folder.strip("/ "):
            return folder.strip("/ ")
    return None


# A competing editor's bytes, saved by the writer beside the contact it lost
# to: ``people/Jane Doe.conflict-2026-11-23T10-00-00.md``, then ``...-2.md``,
# ``...-3.md`` if that name is taken.  One pattern for the writer and the loader.
CONFLICT_COPY = re.compile(
    r"^(?P<stem>.+)\.conflict-(?P<stamp>\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})"
    r"(?:-(?P<number>[2-9]|[1-9]\d+))?\.md$",
    re.IGNORECASE,
)


def is_conflict_copy(rel: str) -> bool:
    """Whether the file name of ``rel`` is a conflict copy's."""
    return CONFLICT_COPY.match(rel.rsplit("/", 1)[-1]) is not None


def conflict_original(rel: str) -> str | None:
    """``people/Jane Doe.conflict-…md`` -> ``people/Jane Doe.md``; None if not a copy."""
    folder, _, name = rel.rpartition("/")
    match = CONFLICT_COPY.match(name)
    if match is None:
        return None
    return _join(folder, match.group("stem") + ".md")


def conflict_copy_name(rel: str, when: datetime, number: int = 1) -> str:
    """The name of the ``number``-th conflict copy of ``rel`` saved at ``when``.

    ``people/Jane Doe.md`` at 2026-11-23 10:00 -> ``people/Jane Doe.conflict-
    2026-11-23T10-00-00.md``; number 2 adds ``-2`` before ``.md``.
    """
    folder, _, name = rel.rpartition("/")
    stem = name[:-3] if name.lower().endswith(".md") else name
    suffix = "" if number <= 1 else f"-{number}"
    return _join(folder, f"{stem}.conflict-{when.strftime('%Y-%m-%dT%H-%M-%S')}{suffix}.md")


# The writer's temporary file beside a contact, ``.Jane Doe.md.1a2b3c4d.netvault-tmp``
# (the name may be shortened); renamed over the contact when the write
# completes, so one that stays was left by a write that was killed.
LEFTOVER_TEMP = re.compile(r"^\..+\.[0-9a-f]{8}\.netvault-tmp$")
_LEFTOVER = "left by an interrupted netvault write; delete it once you have checked the contact"


@dataclass(frozen=True)
class Scan:
    """What a walk of the vault found.

    ``notes``: relative paths of the Markdown notes to read, sorted.
    ``problems``: files seen but not read (links leading out of the vault,
    conflict copies).  ``nested_vaults``: subfolders holding their own
    netvault.toml, which belong to another vault and are not walked.
    """

    notes: tuple[str, ...]
    problems: tuple[Problem, ...]
    nested_vaults: tuple[str, ...]


def scan_notes(root: Path, config: Config) -> Scan:
    """Walk ``root`` for the notes netvault reads.

    Skipped: dot-folders and dot-files, the output folder, Obsidian's template
    folder, subfolders holding their own netvault.toml (another vault), and
    every folder symlink (never walked; one leading out of the vault is
    reported).  A note that is a symlink is read only if :func:`link_problem`
    allows it: a ``.md`` file inside the vault and not hidden, or outside it
    when ``[vault] follow_outside_links`` says so; git keeps symlinks, and a
    cloned vault must not make netvault read (and later rewrite) files
    elsewhere.  Conflict copies are reported, never read, and so are the
    temporary files an interrupted write left behind.

    Only symlinks are resolved: folders are never entered through a link, so
    every other entry's real path lies under the vault's real root already.
    """
    output = config.output
    # Template folders hold blanks, not people; their names match in any case.
    templates = {t.casefold() for t in (_obsidian_template_folder(root), *config.templates) if t}

    def skipped(rel: str) -> bool:
        return rel == output or rel.casefold() in templates

    real_root = os.path.realpath(root)
    found: list[str] = []
    problems: list[Problem] = []
    nested: list[str] = []
    pending = [""]
    while pending:
        rel_folder = pending.pop()
        try:
            with os.scandir(root / rel_folder if rel_folder else root) as listing:
                entries = list(listing)
        except OSError as exc:
            if rel_folder:
                problems.append(
                    Problem(rel_folder, None, WARNING, f"cannot read folder: {exc.strerror or exc}")
                )
            continue
        if rel_folder and any(e.name == CONFIG_NAME and _is_file(e) for e in entries):
            nested.append(rel_folder)  # another vault: its notes are not ours
            continue
        for entry in entries:
            name = entry.name
            rel = _join(rel_folder, name)
            if name.startswith("."):
                if LEFTOVER_TEMP.match(name) and _is_file(entry, follow_symlinks=False):
                    problems.append(Problem(rel, None, WARNING, _LEFTOVER))
                continue
            try:
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    outside = not inside(target, real_root)
                    if entry.is_dir():
                        if outside and not skipped(rel):
                            problems.append(Problem(rel, None, WARNING, _OUTSIDE_FOLDER))
                        continue  # inside: its notes are read where they really are
                    if not name.lower().endswith(".md"):
                        continue
                    reason = _link_problem(real_root, target, config.follow_outside_links)
                    if reason is not None:
                        problems.append(Problem(rel, None, WARNING, reason))
                        continue
                elif entry.is_dir(follow_symlinks=False):
                    if not skipped(rel):
                        pending.append(rel)
                    continue
                elif not name.lower().endswith(".md"):
                    continue
                # Only regular files (or links to them): reading a named pipe would hang.
                if not entry.is_file():
                    continue
            except OSError:
                continue  # vanished while we looked, or unreadable: as if absent
            if is_conflict_copy(rel):
                problems.append(
                    Problem(
                        rel,
                        None,
                        WARNING,
                        f"conflict copy of {conflict_original(rel)} saved when two programs "
                        "wrote it at once; merge what you need into it and delete this file",
                    )
                )
                continue
            found.append(rel)
    return Scan(tuple(sorted(found)), tuple(problems), tuple(sorted(nested)))


_OUTSIDE_FILE = (
    "links to a file outside the vault; not read "
    "(set [vault] follow_outside_links = true to allow)"
)
_OUTSIDE_FOLDER = "links to a folder outside the vault; netvault does not follow folder links"


def link_problem(root: Path | str, rel: str, follow_outside_links: bool = False) -> str | None:
    """Why the note ``rel`` may not be read or written through a symlink; None if it may.

    A note that is no link (nor lies under one) is always fine.  A link is
    followed only to a file whose name ends in ``.md`` (any case) and that
    is not hidden: not in a dot-folder of the vault (``.git``, ``.obsidian``,
    ``.netvault``, ``.trash``...) nor a dot-file, which netvault never reads
    as notes either.  Otherwise a link could make ``netvault.toml`` or
    Obsidian's settings read as a contact, and an edit write into them.  A
    target outside the vault is refused too, unless ``follow_outside_links``.
    The loader and the writer both ask this.
    """
    real_root = os.path.realpath(root)
    lexical = os.path.normpath(os.path.join(real_root, rel))
    target = os.path.realpath(os.path.join(root, rel))
    if target == lexical:
        return None
    return _link_problem(real_root, target, follow_outside_links)


def _link_problem(real_root: str, target: str, follow_outside_links: bool) -> str | None:
    outside = not inside(target, real_root)
    if outside and not follow_outside_links:
        return _OUTSIDE_FILE
    shown = target if outside else os.path.relpath(target, real_root).replace(os.sep, "/")
    if not target.lower().endswith(".md"):
        return f"links to {shown}, which is not a Markdown note (.md); not read"
    if not outside:
        hidden = next((p for p in shown.split("/") if p.startswith(".")), None)
        if hidden is not None:
            where = "a hidden file" if hidden == shown.rsplit("/", 1)[-1] else f"the hidden folder {hidden}/"
            return (
                f"links to {shown}, in {where} that netvault never reads as notes; not read"
            )
    return None


def _is_file(entry: os.DirEntry, follow_symlinks: bool = True) -> bool:
    try:
        return entry.is_file(follow_symlinks=follow_symlinks)
    except OSError:
        return False


def iter_notes(root: Path, config: Config) -> list[str]:
    """Relative paths of the Markdown notes netvault reads, sorted (see :func:`scan_notes`)."""
    return list(scan_notes(root, config).notes)


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def in_contacts_folder(rel_path: str, config: Config) -> bool:
    """Whether the note lies under a contacts folder; ``People/`` is ``people/``."""
    folded = rel_path.casefold()
    return any(
        folder == "" or folded.startswith(folder.casefold().rstrip("/") + "/")
        for folder in config.contacts
    )


def load_vault(root: Path | str, today: date | None = None) -> Vault:
    """Read every note under ``root``.

    ``today`` is only used to warn about log entries dated in the future; the
    due computations take their own ``today``.
    """
    root = Path(root)
    config, problems = load_config(root)
    spelled = tuple(_on_disk_folder(root, folder) for folder in config.contacts)
    if spelled != config.contacts:
        # `contacts = ["people"]` with a People/ folder: new contacts go in People/.
        config = replace(config, contacts=spelled)
    contacts: list[Contact] = []
    scan = scan_notes(root, config)
    problems.extend(scan.problems)
    paths = scan.notes
    daily = _daily_notes_folder(root) if config.interactions_from_notes else None
    prefixes = (*config.interaction_folders, *([daily] if daily else []))
    dated_notes = []  # meeting and daily notes: contact with everyone they link to
    for rel in paths:
        contact, file_problems = load_contact_file(root, rel, config, today)
        problems.extend(file_problems)
        if contact is not None:
            contacts.append(contact)
        elif config.interactions_from_notes and prefixes and is_interaction_folder(rel, prefixes):
            note = _note_or_none(root, rel)
            if note is not None:
                dated_notes.append((rel, note))
    contacts.sort(key=lambda c: (c.name.casefold(), c.path))
    problems.extend(cross_check(contacts))
    found: dict = {}
    if dated_notes:
        found, note_problems = interactions(
            dated_notes,
            contacts,
            today or date.max,
            folders=config.interaction_folders,
            daily_folder=daily,
            date_keys=config.date_keys,
            known_notes=paths,
        )
        problems.extend(note_problems)
    return Vault(
        root, config, tuple(contacts), tuple(sort_problems(problems)), len(paths), found
    )


def _daily_notes_folder(root: Path) -> str | None:
    """Obsidian's daily-notes folder, whose dated notes count as contact."""
    try:
        return daily_notes_folder(read_vault_file(root, ".obsidian/daily-notes.json"))
    except (OSError, ValueError, UnreadableFile):
        return None


def _note_or_none(root: Path, rel: str):
    """A non-contact note, parsed; None when it cannot be read (it is not
    netvault's to report: only contacts are checked)."""
    try:
        return parse(decode((root / rel).read_bytes()))
    except (OSError, FrontmatterError):
        return None


def _on_disk_folder(root: Path, folder: str) -> str:
    """``folder`` as the disk spells it when only its case differs (one match
    per level); as written otherwise."""
    if not folder or os.path.isdir(os.path.join(root, folder)):
        return folder
    found = ""
    for part in folder.split("/"):
        try:
            with os.scandir(os.path.join(root, found) if found else root) as listing:
                matches = [
                    e.name
                    for e in listing
                    if e.name.casefold() == part.casefold() and e.is_dir(follow_symlinks=False)
                ]
        except OSError:
            return folder
        if len(matches) != 1:
            return folder
        found = _join(found, matches[0])
    return found


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
        _contact_hint(config.person_types, config.keys_for("circle")).search(
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
    contact, problems = _build_contact(rel, note, config, today)
    nul = raw.find(b"\x00")
    if nul >= 0:
        # In the frontmatter YAML refuses it (above); in the body it is read,
        # but a note holding NULs is more likely a binary file named .md.
        line = raw.count(b"\n", 0, nul) + 1
        problems.append(
            Problem(rel, line, WARNING, f"contains NUL bytes (line {line}); is it really a text note?")
        )
    return contact, problems


@dataclass(frozen=True)
class FieldValues:
    """A note's frontmatter read through [fields]: what each field holds.

    ``data`` and ``lines`` are the frontmatter with each of netvault's fields
    under netvault's own key (the user's key's value and line where that is
    what the file uses); ``keys`` names the key as written that holds each
    field present; ``clashes`` are ``(field, key, line)`` for a second key
    that gives a field a different value.
    """

    data: dict
    lines: dict
    keys: dict
    clashes: tuple = ()
    bad_dates: tuple = field(default=())  # (key, line): non-dates among last_contact's keys


def resolve_fields(data: dict, lines: dict, config: Config) -> FieldValues:
    """Which key gives each field (see PRODUCT.md, [fields]).

    The first non-empty key in file order counts, except for
    ``last_contact``, where the latest date does.  A file that has only
    empty keys for a field uses the first of them (an edit fills it in).
    """
    keys = {name: name for name in FIELDS if name in data}
    mapped = set(config.fields.values())
    if not mapped:
        return FieldValues(data, lines, keys)
    data, lines = dict(data), dict(lines)
    clashes = []
    bad_dates = []
    for name in mapped:
        present = sorted(
            (key for key in config.keys_for(name) if key in data),
            key=lambda k: lines.get(k, 0),
        )
        if not present:
            continue
        filled = [key for key in present if not _empty(data[key])]
        chosen = filled[0] if filled else present[0]
        if name == "last_contact" and len(filled) > 1:
            dated, undated = [], []
            for key in filled:
                try:
                    dated.append((parse_date(data[key].strip()), key))
                except (DateError, AttributeError):
                    undated.append(key)
            if dated:
                chosen = max(dated, key=lambda pair: pair[0])[1]
            # The key that counts is checked with the others; these would go unseen.
            bad_dates.extend((key, lines.get(key)) for key in undated if key != chosen)
        for key in filled[1:]:
            if _same_value(data[key], data[filled[0]]):
                continue
            clashes.append((name, key, filled[0], chosen, lines.get(key)))
        keys[name] = chosen
        data[name] = data[chosen]
        lines[name] = lines.get(chosen)
    return FieldValues(data, lines, keys, tuple(clashes), tuple(bad_dates))


def _empty(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _same_value(one, other) -> bool:
    if isinstance(one, str) and isinstance(other, str):
        return one.strip() == other.strip()
    return one == other


def _build_contact(rel, note, config: Config, today: date | None):
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
            return parse_date(raw)
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
    if today is not None and last_contact is not None and last_contact > today:
        problem(
            "last_contact",
            WARNING,
                f"{label('last_contact')} {last_contact.isoformat()} is in the future; the next "
            "touch-base is counted from it",
        )
    if today is not None:
        for entry in log:
            if entry.date > today and not entry.planned:
                problems.append(
                    Problem(
                        rel,
                        entry.line,
                        WARNING,
                        f"log entry dated {entry.date.isoformat()} is in the future; "
                        "it does not count as a contact until then",
                    )
                )

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


@lru_cache(maxsize=16)
def _contact_hint(types: tuple[str, ...], circle_keys: tuple[str, ...]) -> re.Pattern[bytes]:
    """Bytes that make a note look like a contact even when its YAML is broken
    (so the breakage is reported): a circle key, or a person type."""
    keys = b"|".join(re.escape(k.encode("utf-8")) for k in circle_keys)
    words = b"|".join(re.escape(t.encode("utf-8")) for t in types) or b"(?!)"
    return re.compile(
        rb"^(?:['\"]?(?:" + keys + rb")['\"]?\s*:|type\s*:\s*['\"]?(?:\[\[)?(?:[^\]\n|]*/)?(?i:"
        + words
        + rb")\b)",
        re.MULTILINE,
    )


def is_person(data: dict, body: str, config: Config, in_folder: bool) -> bool:
    """Whether a note with this frontmatter and body is one of the user's people.

    A circle always counts.  Otherwise a note typed or tagged as an
    organisation, place or event ([people] not_types / not_tags, or a vCard
    ``KIND: org``) never does, even in a contacts folder; and a note counts
    when it lies in a contacts folder, or its type, tags (in the frontmatter
    or inline in the body) or categories say it is a person.
    """
    if any(key in data for key in config.keys_for("circle")):
        return True
    types = _markers(data.get("type"), marker)
    tags = _markers([data.get(key) for key in config.keys_for("tags")], tag_marker)
    if (
        (config.not_types and not types.isdisjoint(config.not_types))
        or _has_tag(tags, config.not_tags)
        or _not_a_person_kind(data)
    ):
        return False
    person = (
        in_folder
        or not types.isdisjoint(config.person_types)
        or _has_tag(tags, config.person_tags)
        or (
            bool(config.person_categories)
            and not _markers(data.get("categories"), marker).isdisjoint(config.person_categories)
        )
    )
    inline: frozenset[str] | None = None
    if not person and config.person_tags:
        inline = inline_tags(body)
        person = _has_tag(inline, config.person_tags)
    if not person:
        return False
    if config.not_tags:
        inline = inline_tags(body) if inline is None else inline
        if _has_tag(inline, config.not_tags):
            return False
    return True


def _markers(value, compare) -> frozenset[str]:
    """Every text in a frontmatter value (lists flattened: an unquoted
    ``[[Person]]`` is a list inside a list in YAML), as ``compare`` sees it."""
    found: set[str] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            parts = [item] if compare is marker else re.split(r"[,\s]+", item)
            found.update(m for m in map(compare, parts) if m)
    return frozenset(found)


def _has_tag(tags: frozenset[str], wanted: tuple[str, ...]) -> bool:
    """Whether one of ``tags`` is a wanted tag or nested under one (person/friend)."""
    if not tags or not wanted:
        return False
    for tag in tags:
        if tag in wanted:
            return True
        if "/" in tag:
            parts = tag.split("/")
            if any("/".join(parts[:n]) in wanted for n in range(1, len(parts))):
                return True
    return False


def _not_a_person_kind(data: dict) -> bool:
    for key in ("KIND", "kind", "Kind"):
        value = data.get(key)
        if isinstance(value, str) and value.strip().casefold() in NOT_KINDS:
            return True
    return False


def inline_tags(body: str) -> frozenset[str]:
    """The ``#tags`` written in a note's body, case-folded, outside code
    (fenced blocks, inline spans) and comments (``%% %%``, ``<!-- -->``)."""
    if "#" not in body:
        return frozenset()
    text = body
    if "```" in text or "~~~" in text:
        kept = []
        fence = None
        for line in text.split("\n"):
            match = _FENCE.match(line)
            if fence is None:
                if match:
                    fence = match.group(1)
                    continue
                kept.append(line)
            elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        text = "\n".join(kept)
    if "%%" in text or "<!--" in text:
        text = _COMMENTS.sub(" ", text)
    if "`" in text:
        text = _INLINE_CODE.sub(" ", text)
    # Obsidian: a tag needs one character that is not a digit (#1984 is no tag).
    return frozenset(
        tag.casefold()
        for tag in set(_INLINE_TAG.findall(text))
        if not tag.isdigit() and tag.strip("/-_")
    )


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

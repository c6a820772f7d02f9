"""One note's bytes into a :class:`Contact` and its problems.

The per-file half of reading a vault (the loader walks the folder, keeps
the cache and runs the checks that need every contact).  Nothing here
depends on the day except :func:`dated_problems`, which the loader applies
after reading, so what a note gives can be cached across days.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..values.cadence import CadenceError, parse_cadence
from ..values.dates import DateError, parse_date, parse_day
from ..values.problems import ERROR, WARNING, Problem
from ..values.weburl import web_url
from ..values.wikilinks import Link, parse_link
from .frontmatter import FrontmatterError, decode, parse
from .logsection import parse_log
from .model import CHANNELS, Birthday, Contact, FollowUp
from .recognise import contact_hint, is_person, resolve_fields
from .settings import CIRCLES, Config
from .vaultfile import note_stem
from .walk import in_contacts_folder

TEXT_FIELDS = ("name", "email", "phone", "linkedin")
# Obsidian vaults often hold these as lists (`org: ["[[Acme]]"]`); shown joined.
JOINED_FIELDS = ("origin", "org", "role")
LIST_FIELDS = ("aliases", "channels", "goals", "tags")
_BIRTHDAY_NO_YEAR = re.compile(r"^(?:--)?(\d{2})-(\d{2})$")


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

    linkedin = values["linkedin"]
    if linkedin is not None and web_url(linkedin) is None:
        problem(
            "linkedin",
            WARNING,
            f"{label('linkedin')}: {' '.join(linkedin.split())[:80]!r} is not a web address "
            "(one line, starting https://); exports leave it out",
        )

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


def future_horizon(contact: Contact) -> date | None:
    """The last day for which :func:`dated_problems` can find anything: the
    latest of ``last_contact`` and the unplanned log entries (None: no day)."""
    days = [e.date for e in contact.log if not e.planned]
    if contact.last_contact is not None:
        days.append(contact.last_contact)
    return max(days, default=None)


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

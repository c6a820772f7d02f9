"""CSV in and out: Google Contacts and Outlook exports, any CSV through a
column map, and the vault written as one CSV row per contact.

Readers return :class:`Parsed`; a file that is not the format asked for
raises :class:`FormatError` with a one-line reason naming the file, while one
unusable row becomes a :class:`Skipped` and never an exception.  The file-reading
helpers come from :mod:`.linkedin`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from . import FormatError, Parsed, Person, Skipped
from .linkedin import TOO_LONG, at_most, blank, clean, find_header, load_text, normalise_profile, note

__all__ = ["EXPORT_COLUMNS", "export", "parse_map", "read_generic", "read_google", "read_outlook"]


def unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value and value.casefold() not in {v.casefold() for v in seen}:
            seen[value] = None
    return tuple(seen)


def iso_birthday(text: str) -> str | None:
    """``1980-05-02`` -> itself, ``--05-02`` or ``05-02`` -> ``05-02``; None if no date."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(?:--)?(\d{1,2})-(\d{1,2})", text)
    if not match:
        return None
    year, month, day = (match[1], match[2], match[3]) if match[1] else (None, match[4], match[5])
    try:
        date(int(year or 2000), int(month), int(day))  # 2000: a leap year, so 02-29 passes
    except ValueError:
        return None
    return f"{year}-{int(month):02d}-{int(day):02d}" if year else f"{int(month):02d}-{int(day):02d}"


def split_web(urls: Iterable[str]) -> tuple[str | None, tuple[str, ...]]:
    """(the first LinkedIn profile, the other web pages)."""
    linkedin, others = None, []
    for url in unique(urls):
        if linkedin is None and normalise_profile(url):
            linkedin = url
        else:
            others.append(url)
    return linkedin, tuple(others)


class _Row:
    """One record read by column name (keys compared case-folded)."""

    def __init__(self, record: list[str], columns: dict[str, int]):
        self.record, self.columns = record, columns

    def get(self, *keys: str) -> str:
        for key in keys:
            index = self.columns.get(key.casefold())
            if index is not None and index < len(self.record) and self.record[index].strip():
                return self.record[index].strip()
        return ""

    def numbered(self, pattern: str) -> list[str]:
        """Values of the columns matching ``pattern`` (with one ``(\\d+)``), by number."""
        found = []
        for key, index in self.columns.items():
            match = re.fullmatch(pattern, key)
            if match and index < len(self.record):
                found.append((int(match[1]), self.record[index]))
        return [value for _, value in sorted(found)]


def _person_or_skip(where: str, name: str, emails: tuple[str, ...], org: str, **fields) -> Person | Skipped:
    name = clean(name) or (emails[0] if emails else "")
    if not name:
        if org:
            return Skipped(where, f"no name (only an organisation: {clean(org)})")
        return Skipped(where, "no name")
    return Person(name=name, where=where, emails=emails, org=clean(org) or None, **fields)


def _read(path: Path, kind: str, expected: str, accept, convert) -> Parsed:
    path = Path(path)
    name = path.name or str(path)
    text = load_text(path)
    try:
        _, columns, records = find_header(text, name, accept)
    except LookupError:
        raise FormatError(f"{name}: no {kind} header ({expected}) found; is this a CSV export from {kind}?") from None
    people, skipped = [], []
    for line, record in records:
        if record is None:
            skipped.append(Skipped(f"{name}:{line}", TOO_LONG))
        elif not blank(record):
            result = convert(_Row(record, columns), f"{name}:{line}")
            (people if isinstance(result, Person) else skipped).append(result)
            at_most(people, name)
    return Parsed(tuple(people), tuple(skipped))


# --- Google Contacts ----------------------------------------------------------

_GOOGLE_SYSTEM = {"mycontacts", "my contacts", "starred"}


def _google_accept(keys: set[str]) -> bool:
    if {"given name", "family name"} <= keys or ({"name", "group membership"} <= keys):
        return True
    grouped = any(re.fullmatch(r"(e-mail|phone|website|address|organization) \d+ - .*", k) for k in keys)
    return {"first name", "last name"} <= keys and (grouped or "organization name" in keys or "labels" in keys)


def _multi(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(" ::: ") if part.strip()]


def _google_address(row: _Row) -> str | None:
    for formatted in row.numbered(r"address (\d+) - formatted") or [""]:
        if formatted.strip():
            return ", ".join(clean(part) for part in formatted.splitlines() if part.strip())
    for number in sorted({int(m[1]) for k in row.columns if (m := re.fullmatch(r"address (\d+) - .*", k))}):
        parts = [
            row.get(f"address {number} - {part}")
            for part in ("street", "extended address", "po box", "city", "region", "postal code", "country")
        ]
        if any(parts):
            return ", ".join(clean(p) for p in parts if p)
    return None


def _birthday(text: str, notes: list[str]) -> str | None:
    if not text:
        return None
    found = iso_birthday(text)
    if found is None:
        notes.append(f"Birthday: {text}")
    return found


def _google_row(row: _Row, where: str) -> Person | Skipped:
    name = " ".join(
        clean(row.get(*keys)) for keys in (("first name", "given name"), ("middle name", "additional name"),
                                          ("last name", "family name"))
    )
    name = clean(name) or row.get("name") or row.get("file as") or row.get("nickname")
    emails = unique(_multi(row.numbered(r"e-mail (\d+) - value")))
    notes = [note(row.get("notes"))] if row.get("notes") else []
    birthday = _birthday(row.get("birthday"), notes)
    labels = _multi([row.get("labels", "group membership")])
    tags = unique(label.removeprefix("* ").strip() for label in labels
                  if label.removeprefix("* ").strip().casefold() not in _GOOGLE_SYSTEM)
    linkedin, urls = split_web(_multi(row.numbered(r"website (\d+) - value")))
    org = (_multi([row.get("organization name", "organization 1 - name")]) or [""])[0]
    role = (_multi([row.get("organization title", "organization 1 - title")]) or [""])[0]
    return _person_or_skip(
        where, name, emails, org,
        phones=unique(_multi(row.numbered(r"phone (\d+) - value"))),
        urls=urls, linkedin=linkedin, role=clean(role) or None, birthday=birthday,
        notes=tuple(notes), aliases=unique(_multi([row.get("nickname")])), tags=tags,
        address=_google_address(row),
    )


def read_google(path: Path) -> Parsed:
    """A Google Contacts CSV export, current (``First Name,Middle Name,...``)
    or legacy (``Name,Given Name,...,Group Membership``) header."""
    return _read(path, "Google Contacts", "First Name, Last Name, E-mail 1 - Value, ... or Name, Given Name, "
                 "Family Name, ...", _google_accept, _google_row)


# --- Outlook ------------------------------------------------------------------

_OUTLOOK_PHONES = ("mobile phone", "business phone", "business phone 2", "home phone", "home phone 2",
                   "primary phone", "other phone", "car phone", "company main phone")
_OUTLOOK_ADDRESS = ("street", "street 2", "street 3", "city", "state", "postal code", "country/region", "country")


def _outlook_accept(keys: set[str]) -> bool:
    return {"first name", "last name"} <= keys and bool(
        keys & {"e-mail address", "job title", "business phone", "mobile phone"}
    )


def _us_date(text: str, today: date) -> str | None:
    """Outlook's ``5/2/1980`` (month/day) as ``1980-05-02``; ``0/0/00`` -> None.
    A two-digit year is the latest one not after ``today``'s year."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text.strip())
    if not match:
        return iso_birthday(text)
    month, day, year = int(match[1]), int(match[2]), int(match[3])
    if len(match[3]) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _outlook_row(row: _Row, where: str, today: date) -> Person | Skipped:
    name = clean(" ".join(row.get(k) for k in ("first name", "middle name", "last name")))
    name = name or row.get("display name", "full name", "name") or row.get("nickname")
    emails = unique(row.get(k) for k in ("e-mail address", "e-mail 2 address", "e-mail 3 address"))
    notes = [note(row.get("notes"))] if row.get("notes") else []
    birthday = None
    raw = row.get("birthday")
    if raw and not re.fullmatch(r"0?0/0?0/0{2,4}", raw):
        birthday = _us_date(raw, today)
        if birthday is None:
            notes.append(f"Birthday: {raw}")
    address = None
    for kind in ("home", "business", "other"):
        parts = [row.get(f"{kind} {part}") for part in _OUTLOOK_ADDRESS]
        if any(parts):
            address = ", ".join(clean(p) for p in parts if p)
            break
    linkedin, urls = split_web(row.get(k) for k in ("web page", "personal web page"))
    return _person_or_skip(
        where, name, emails, row.get("company"),
        phones=unique(row.get(k) for k in _OUTLOOK_PHONES), urls=urls, linkedin=linkedin,
        role=clean(row.get("job title")) or None, birthday=birthday, notes=tuple(notes),
        aliases=unique([row.get("nickname")]), tags=unique(row.get("categories").split(";")),
        address=address,
    )


def read_outlook(path: Path, today: date) -> Parsed:
    """An Outlook contacts CSV export (columns found by name, in any order);
    ``today`` dates two-digit birthday years."""
    return _read(path, "Outlook", "First Name, Last Name, E-mail Address, Job Title, ...",
                 _outlook_accept, lambda row, where: _outlook_row(row, where, today))


# --- any CSV through a column map --------------------------------------------

LIST_FIELDS = {"email": ("emails", r"[;,\s]+"), "phone": ("phones", r";"), "tags": ("tags", r"[;,]"),
               "aliases": ("aliases", r"[;,]"), "urls": ("urls", r"[;,\s]+"), "notes": ("notes", None)}
TEXT_FIELDS = {"name", "first_name", "last_name", "org", "role", "linkedin", "birthday", "address", "uid"}
_FIELD = re.compile(r"[A-Za-z_][\w\- ]*")


def parse_map(text: str) -> dict[str, str]:
    """``"Full name=name,Mail=email"`` -> ``{"Full name": "name", "Mail": "email"}``.

    Pairs are separated by commas; the field is after the last ``=``.  Raises
    ValueError naming the bad pair."""
    mapping: dict[str, str] = {}
    for pair in text.split(","):
        if not pair.strip():
            continue
        column, sep, name = pair.rpartition("=")
        column, name = column.strip(), name.strip()
        if not sep or not column or not name:
            raise ValueError(f"bad column mapping {pair.strip()!r}: write COLUMN=FIELD, e.g. 'Full name=name'")
        if not _FIELD.fullmatch(name):
            raise ValueError(f"bad field name {name!r} in {pair.strip()!r}: letters, digits, _ and - only")
        if column in mapping:
            raise ValueError(f"column {column!r} is mapped twice")
        mapping[column] = name
    if not mapping:
        raise ValueError("empty column mapping: write COLUMN=FIELD pairs separated by commas")
    return mapping


def read_generic(path: Path, mapping: dict[str, str]) -> Parsed:
    """Any CSV whose first non-blank record is the header; ``mapping`` maps its
    column names (compared stripped and case-insensitively) to netvault fields.

    ``email``/``urls`` cells may hold several values split on ``;``, ``,`` or
    spaces, ``phone`` on ``;``, ``tags``/``aliases`` on ``;`` or ``,``.  Fields
    netvault does not read here go to ``Person.extra``.  A mapped column the
    header lacks raises ValueError (its message does not name the file: the
    caller adds it)."""
    path = Path(path)
    name = path.name or str(path)
    text = load_text(path)
    try:
        header, columns, records = find_header(text, name, lambda keys: bool(keys - {""}))
    except LookupError:
        raise FormatError(f"{name}: no header row found") from None
    missing = [column for column in mapping if column.strip().casefold() not in columns]
    if missing:
        named = [c.strip() for c in header if c.strip()]
        known = ", ".join(repr(c[:40]) for c in named[:10])
        if len(named) > 10:
            known += f", ... ({len(named):,} columns in all)"
        raise ValueError(f"no column {missing[0][:80]!r} in the header (columns: {known})")
    plan = [(columns[column.strip().casefold()], field) for column, field in mapping.items()]
    people, skipped = [], []
    for line, record in records:
        if record is None:
            skipped.append(Skipped(f"{name}:{line}", TOO_LONG))
        elif not blank(record):
            result = _generic_row(record, plan, f"{name}:{line}")
            (people if isinstance(result, Person) else skipped).append(result)
            at_most(people, name)
    return Parsed(tuple(people), tuple(skipped))


def _generic_row(record: list[str], plan: list[tuple[int, str]], where: str) -> Person | Skipped:
    lists: dict[str, list[str]] = {}
    text: dict[str, str] = {}
    extra: dict[str, str] = {}
    for index, field in plan:
        value = record[index].strip() if index < len(record) else ""
        if not value:
            continue
        if field in LIST_FIELDS:
            target, separator = LIST_FIELDS[field]
            lists.setdefault(target, []).extend(re.split(separator, value) if separator else [value])
        elif field in TEXT_FIELDS:
            text.setdefault(field, value)
        else:
            extra.setdefault(field, value)
    notes = [note(text) for text in lists.get("notes", [])]
    birthday = _birthday(text.get("birthday", ""), notes)
    name = text.get("name") or " ".join(text.get(k, "") for k in ("first_name", "last_name"))
    return _person_or_skip(
        where, name, unique(lists.get("emails", [])), text.get("org", ""),
        phones=unique(lists.get("phones", [])), urls=unique(lists.get("urls", [])),
        linkedin=text.get("linkedin"), role=clean(text.get("role")) or None, birthday=birthday,
        notes=tuple(notes), aliases=unique(lists.get("aliases", [])), tags=unique(lists.get("tags", [])),
        address=clean(text.get("address")) or None, uid=text.get("uid"), extra=extra,
    )


# --- export -------------------------------------------------------------------

EXPORT_COLUMNS = ("name", "circle", "org", "role", "email", "phone", "linkedin", "tags", "aliases",
                  "last_contact", "next_due", "follow_up", "birthday", "path")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A value a spreadsheet shows as text: one starting with ``= + - @``, tab
    or CR gets a leading ``'`` (OWASP's advice against CSV injection)."""
    return "'" + value if value.startswith(_FORMULA) else value


def export(vault, today: date) -> str:
    """The vault's contacts as CSV text (``\\r\\n`` rows, header first), one row
    per contact sorted by name then path, columns :data:`EXPORT_COLUMNS`.

    Takes the loaded :class:`~netvault.read.model.Vault` (its config gives the
    circle cadences for ``next_due``).  ``last_contact`` is the effective one
    (the later of the field, the log and notes that mention the person);
    lists are joined with ``"; "``; every value is passed through
    :func:`safe_cell`, list items one by one."""
    from ..playbook.due import compute_due

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for contact in sorted(vault.contacts, key=lambda c: (c.name.casefold(), c.name, c.path)):
        info = compute_due(contact, vault.config, today, None, vault.interactions.get(contact.path, ()))
        birthday = contact.birthday
        values = {
            "name": contact.name, "circle": contact.circle, "org": contact.org, "role": contact.role,
            "email": contact.email, "phone": contact.phone, "linkedin": contact.linkedin,
            "tags": list(contact.tags), "aliases": list(contact.aliases),
            "last_contact": info.last_contact.isoformat() if info.last_contact else None,
            "next_due": info.next_due.isoformat() if info.next_due else None,
            "follow_up": (f"{contact.follow_up.date.isoformat()} {contact.follow_up.note}".strip()
                          if contact.follow_up else None),
            "birthday": (None if birthday is None else
                         (f"{birthday.year:04d}-" if birthday.year else "") + f"{birthday.month:02d}-{birthday.day:02d}"),
            "path": contact.path,
        }
        writer.writerow([_cell(values[column]) for column in EXPORT_COLUMNS])
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(safe_cell(str(item)) for item in value)
    return safe_cell(str(value))

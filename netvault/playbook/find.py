"""Finding people: filtered, sorted lists and full-text search.

Pure: the vault, ``today`` and (for search) the note bodies the caller read
with :mod:`netvault.read.bodies`.  Names are compared as Obsidian compares
them, and search also ignores accents ("jose" finds "José").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..read.bodies import Body
from ..read.model import Contact, Vault
from ..values.names import fold
from ..values.vocabulary import SORTS  # noqa: F401  (playbook.find names it too)
from .card import json_value
from .due import DUE, OVERDUE, compute_due

# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                          "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i"})
EXCERPT = 80  # characters of context shown around a search hit


@dataclass(frozen=True)
class Filters:
    """Each option keeps a person when any of its values matches (OR);
    the options together must all match (AND).  Empty: no filter."""

    circles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()  # a part of the org's name
    origins: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()  # channels they like to be reached on
    due: bool = False  # only those overdue or due today


@dataclass(frozen=True)
class Row:
    name: str
    path: str
    circle: str | None
    origin: str | None
    org: str | None
    role: str | None
    priority: int | None
    tags: tuple[str, ...]
    goals: tuple[str, ...]
    channels: tuple[str, ...]
    last_contact: date | None
    next_due: date | None
    status: str | None

    def as_dict(self) -> dict:
        return json_value(self)


def list_people(vault: Vault, today: date, filters: Filters | None = None, sort: str = "name") -> list[Row]:
    """The contacts that pass ``filters``, sorted by ``sort`` (ties by name, then path)."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    filters = filters or Filters()
    config = vault.config
    rows = []
    for contact in vault.contacts:
        if not matches(contact, filters):
            continue
        info = compute_due(contact, config, today, config.days, vault.interactions.get(contact.path, ()))
        if filters.due and info.status not in (OVERDUE, DUE):
            continue
        rows.append(
            Row(
                contact.name, contact.path, contact.circle, contact.origin, contact.org,
                contact.role, contact.priority, contact.tags, contact.goals, contact.channels,
                info.last_contact, info.next_due, info.status,
            )
        )
    return sorted(rows, key=_SORT_KEYS[sort])


def matches(contact: Contact, filters: Filters) -> bool:
    if filters.circles and contact.circle not in {c.lower() for c in filters.circles}:
        return False
    if filters.tags and not _folded(filters.tags, _tag) & {_tag(t) for t in contact.tags}:
        return False
    if filters.orgs:
        org = _loose(contact.org or "")
        if not org or not any(_loose(o) in org for o in filters.orgs if o.strip()):
            return False
    if filters.origins and fold(contact.origin or "") not in _folded(filters.origins, fold):
        return False
    if filters.goals:
        wanted = _folded(filters.goals, fold)
        if not any(_goal_name(goal) in wanted for goal in contact.goals):
            return False
    return not filters.channels or bool(
        _folded(filters.channels, fold) & {fold(c) for c in contact.channels}
    )


def _folded(values, how) -> set[str]:
    return {how(v) for v in values}


def _tag(value: str) -> str:
    return fold(value.strip().lstrip("#"))


_GOAL_PART = re.compile(r"[/:(]")


def _goal_name(goal: str) -> str:
    """``move-to-product/works-there`` or ``move-to-product (made-the-move)``
    -> ``move-to-product``: a goal, with or without the part the person plays."""
    return fold(_GOAL_PART.split(goal, 1)[0])


def _by_name(row: Row) -> tuple:
    return (fold(row.name), row.path)


_SORT_KEYS = {
    "name": _by_name,
    # Longest silence first; never contacted at all before everyone.
    "last-contact": lambda r: (r.last_contact is not None, r.last_contact or date.min, *_by_name(r)),
    # Your top ten first (1 = highest), then everyone without a priority.
    "priority": lambda r: (r.priority is None, r.priority or 0, *_by_name(r)),
}


# --- search ----------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    field: str  # name, aliases, org, role, tags, notes or log
    line: int | None  # line in the contact's file (None: the name comes from the file name)
    excerpt: str


@dataclass(frozen=True)
class Found:
    name: str
    path: str
    hits: tuple[Hit, ...]

    def as_dict(self) -> dict:
        return json_value(self)


def search(vault: Vault, text: str, bodies: Mapping[str, Body]) -> list[Found]:
    """Contacts whose name, aliases, org, role, tags, notes or log contain
    ``text``, ignoring case and accents; by name, each hit in file order."""
    needle = _loose(text)
    if not needle:
        return []
    found = []
    for contact in vault.contacts:
        hits = _hits(contact, needle, bodies.get(contact.path))
        if hits:
            found.append(Found(contact.name, contact.path, tuple(hits)))
    return sorted(found, key=lambda f: (fold(f.name), f.path))


def _hits(contact: Contact, needle: str, body: Body | None) -> list[Hit]:
    hits: list[Hit] = []

    def look(field_name: str, value: str | None, line: int | None) -> None:
        excerpt = _excerpt(value or "", needle)
        if excerpt is not None:
            hits.append(Hit(field_name, line, excerpt))

    lines = contact.lines
    look("name", contact.name, lines.get("name"))
    for alias in contact.aliases:
        look("aliases", alias, lines.get("aliases"))
    look("org", contact.org, lines.get("org"))
    look("role", contact.role, lines.get("role"))
    for tag in contact.tags:
        look("tags", tag, lines.get("tags"))
    if body is not None:
        logged = {entry.line for entry in contact.log}
        for index, line_text in enumerate(body.lines):
            number = body.first_line + index
            look("log" if number in logged else "notes", line_text, number)
    return hits


def _loose(text: str) -> str:
    """Case-folded, accents dropped, runs of white space as one space."""
    return " ".join(_fold_chars(text)[0].split())


def _fold_chars(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and for each folded character
    the index of the original one it came from (to cut the excerpt)."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            folded = char.lower()
        else:
            decomposed = unicodedata.normalize("NFKD", char.translate(_LETTERS))
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        if char.isspace():
            folded = " "
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _excerpt(text: str, needle: str) -> str | None:
    """The part of ``text`` around the first match, at most about EXCERPT
    characters, with "…" where it was cut; None when it does not match."""
    folded, origin = _fold_chars(text)
    # The needle has single spaces; let any run of white space in the text match one.
    pattern = r"\s+".join(re.escape(part) for part in needle.split(" "))
    match = re.search(pattern, folded)
    if match is None:
        return None
    start = origin[match.start()]
    end = origin[match.end() - 1] + 1
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    start, end = start - offset, end - offset
    if len(stripped) <= EXCERPT:
        return stripped
    room = max(0, EXCERPT - (end - start)) // 2
    left = max(0, start - room)
    right = min(len(stripped), max(end + room, left + EXCERPT))
    left = max(0, min(left, right - EXCERPT))
    shown = stripped[left:right].strip()
    return ("…" if left > 0 else "") + shown + ("…" if right < len(stripped) else "")


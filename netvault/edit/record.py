"""What the editing commands change: log entries and frontmatter values.

Each function here builds a text transform for one contact file and hands
it to :func:`netvault.edit.writer.edit_file`, which makes the minimal edit and
writes atomically.  Values are checked and typed here, per PRODUCT.md, so a
command never writes something ``check`` would then reject.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from ..playbook.due import latest_entry
from ..read.contact import contact_from_bytes, parse_birthday
from ..read.crosscheck import cross_check_one
from ..read.frontmatter import Note, parse
from ..read.goalsettings import goal_reference_problems
from ..read.loader import playbook_check
from ..read.logsection import ASKED, GAVE, parse_log
from ..read.model import Contact, Vault
from ..read.recognise import resolve_fields
from ..read.settings import CIRCLES, FIELDS, Config
from ..values.cadence import DAYS, CadenceError, parse_cadence
from ..values.dates import DateError, parse_date, parse_day
from ..values.problems import Problem
from ..values.vocabulary import LIST_KEYS
from .errors import ConflictError, EditError
from .writer import add_log_entry, edit_files, set_field, unified_diff, unset_field

DATE_KEYS = ("last_contact", "snooze_until")
LINK_KEYS = ("introduced_by", "knows")
# Single values typed_value checks beyond "not empty".
TYPED_KEYS = (*DATE_KEYS, "birthday", "follow_up", "cadence", "circle", "priority")
_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
PLANNED = "#planned"
KNOWN_KEYS = frozenset(
    "name aliases circle origin org role email phone linkedin channels cadence last_contact "
    "priority snooze_until follow_up introduced_by knows goals birthday tags type".split()
)


class ValueProblem(ValueError):
    """A value the user gave that does not fit the field."""


@dataclass(frozen=True)
class Edit:
    """One file's change: its bytes before and after, and any conflict copy."""

    rel: str
    old: bytes
    new: bytes
    conflict: str | None = None  # vault-relative path of a conflict copy
    conflict_kept: str | None = None  # whose version the copy holds: "theirs" or "ours"

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self) -> str:
        return unified_diff(self.old, self.new, self.rel)


def apply(vault: Vault, contact: Contact, transform: Callable[[str], str], dry_run: bool) -> Edit:
    """Run ``transform`` on the contact's file; write it unless ``dry_run``."""
    return apply_all(vault, [(contact, transform)], dry_run)[0]


def apply_all(
    vault: Vault, changes: Sequence[tuple[Contact, Callable[[str], str]]], dry_run: bool
) -> list[Edit]:
    """Edit several contacts all or nothing (see :func:`netvault.edit.writer.edit_files`)."""
    root = Path(vault.root)
    loaded = {root / contact.path: contact for contact, _ in changes}

    def same_contact(path: Path, raw: bytes) -> None:
        # Read again under the write lock: it must still be the person netvault
        # loaded, with every key it had.  A file an editor has just truncated
        # (and not yet written) is not edited, or its bytes would be lost.
        contact = loaded[path]
        now, _ = contact_from_bytes(contact.path, raw, vault.config)
        if now is None or now.name != contact.name or not set(contact.fields) <= set(now.fields):
            raise ConflictError(
                f"{contact.path} changed on disk since netvault read it and no longer looks "
                f"like {contact.name}'s contact (another program may be saving it); nothing "
                "was written"
            )

    saved = edit_files(
        [(root / contact.path, transform) for contact, transform in changes],
        root=root,
        dry_run=dry_run,
        # Links out of the vault may be read (follow_outside_links), never written.
        allow_outside=False,
        expect=same_contact,
    )
    edits = []
    for (contact, _), result in zip(changes, saved):
        conflict = None
        if result.conflict is not None:
            conflict = _relative(root, result.conflict, contact.path)
        edits.append(Edit(contact.path, result.old, result.new, conflict, result.conflict_kept))
    return edits


def _relative(root: Path, copy: Path, contact_rel: str) -> str:
    """The conflict copy's path as the user sees the contact's (beside it)."""
    folder = contact_rel.rsplit("/", 1)[0] + "/" if "/" in contact_rel else ""
    return folder + copy.name


def introduced_problems(vault: Vault, edit: Edit, today: date | None) -> list[Problem]:
    """What ``check`` would report about the edited file that it did not before.

    Both versions are read the way the loader reads them and checked
    against the rest of the vault (names, links), so an edit command never
    writes something ``check`` then rejects, and says when it writes
    something ``check`` warns about.
    """
    others = vault.names  # cross_check_one leaves the edited file out itself

    def problems_of(raw: bytes) -> list[Problem]:
        contact, found = contact_from_bytes(edit.rel, raw, vault.config, today)
        if contact is not None:
            found += cross_check_one(contact, others)
            found += goal_reference_problems([contact], vault.config)
            everyone = [c for c in vault.contacts if c.path != contact.path] + [contact]
            found += [p for p in playbook_check(everyone) if p.path == contact.path]
        return found

    before = Counter((p.severity, p.message) for p in problems_of(edit.old))
    introduced = []
    for problem in problems_of(edit.new):
        key = (problem.severity, problem.message)
        if before[key]:
            before[key] -= 1
        else:
            introduced.append(problem)
    return introduced


# --- log ------------------------------------------------------------------


def entry_line(
    when: date,
    text: str,
    channel: str | None = None,
    gave: bool = False,
    asked: bool = False,
    planned: bool = False,
) -> str:
    """``- 2026-11-22 email: text #gave`` (tags only added when not already there)."""
    text = " ".join(text.split())
    if not text:
        raise ValueProblem("the log text is empty")
    line = f"- {when.isoformat()} "
    if channel:
        line += f"{channel}: "
    line += text
    if gave and not GAVE.search(text):
        line += " #gave"
    if asked and not ASKED.search(text):
        line += " #asked"
    if planned and PLANNED not in text.lower():
        line += f" {PLANNED}"
    return line


def current_date(text: str, key: str) -> date | None:
    """The date ``key`` holds in this text, None if unset; refuses a non-date."""
    return _date_in(parse(text), key)


def _date_in(note: Note, key: str) -> date | None:
    value = note.data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_day(value)
    except (DateError, TypeError, AttributeError):
        raise EditError(
            f"{key} is {value!r}, not a date; fix it by hand first", note.key_lines.get(key)
        ) from None


# --- which key holds a field ------------------------------------------------
# An edit writes the key the file already uses for a field ("last contact:"
# when [fields] maps it to last_contact), never a second key beside it.


def field_keys(text: str, name: str, config: Config) -> list[str]:
    """The keys an edit of the field ``name`` writes in this text.

    The key that gives the field now (see :func:`netvault.read.recognise.resolve_fields`);
    for ``last_contact``, where the latest of several keys counts, every one
    of them that holds a date, so they stay in step.  A file with none of the
    field's keys gets the vault's key for it (:meth:`Config.write_key`).
    """
    note = parse(text)
    if name == "last_contact":
        filled = sorted(
            (k for k in config.keys_for(name) if _filled(note.data.get(k))),
            key=lambda k: note.key_lines.get(k, 0),
        )
        if filled:
            return filled
    key = resolve_fields(note.data, note.key_lines, config).keys.get(name)
    return [key or config.write_key(name)]


def _filled(value) -> bool:
    return value is not None and value != [] and not (isinstance(value, str) and not value.strip())


def set_value(text: str, name: str, value: str | list[str], config: Config) -> str:
    """Set the field ``name`` (netvault's name) under the key the file uses."""
    if name not in FIELDS:
        return set_field(text, name, value)
    for key in field_keys(text, name, config):
        text = set_field(text, key, value)
    return text


def unset_value(text: str, name: str, config: Config) -> str:
    """Remove the field ``name``: every key that gives it, so no other one
    takes its place."""
    if name not in FIELDS:
        return unset_field(text, name)
    for key in config.keys_for(name):
        text = unset_field(text, key)
    return text


def last_contact_in(text: str, config: Config) -> date | None:
    """The last contact the frontmatter records: the latest date among the
    field's keys; refuses a key holding a non-date."""
    note = parse(text)
    dates = [_date_in(note, key) for key in config.keys_for("last_contact") if key in note.data]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def log_transform(
    line: str, when: date, today: date, heading: str, config: Config | None = None
) -> Callable[[str], str]:
    """Add the entry; move ``last_contact`` forward to ``when`` (never backward,
    never into the future), under the key the file uses for it."""
    settings = config or Config()

    def transform(text: str) -> str:
        previous = last_contact_in(text, settings)
        newest = newest_logged(text, heading, today)
        if newest is not None and (previous is None or newest > previous):
            previous = newest
        text = add_log_entry(text, line, heading)
        if when <= today and (previous is None or when > previous):
            text = set_value(text, "last_contact", when.isoformat(), settings)
        return text

    return transform


def newest_logged(text: str, heading: str, today: date) -> date | None:
    """The newest interaction already in the log, dated on or before today."""
    note = parse(text)
    entries, _ = parse_log(note.body.splitlines(keepends=True), note.body_line, heading, "")
    entry = latest_entry(entries, today)
    return entry.date if entry else None


def move_line(old: str | None, new: str, when: date) -> str:
    return f"- {when.isoformat()} moved {old} → {new}" if old else f"- {when.isoformat()} moved to {new}"


# --- typed values for `set` -------------------------------------------------


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueProblem(
            f"{key!r} is not a key netvault writes; use letters, digits, '_', '-' or '.'"
        )
    return key


def typed_value(key: str, raw: str) -> str | list[str]:
    """Check ``raw`` for ``key`` and return what to write (a string or a list)."""
    value = raw.strip()
    if not value:
        raise ValueProblem(f"the value for {key} is empty; use `netvault unset` to remove a key")
    if key in DATE_KEYS:
        try:
            return parse_date(value).isoformat()
        except DateError as exc:
            raise ValueProblem(f"{key}: {exc}") from None
    if key == "birthday":
        if parse_birthday(value) is None:
            raise ValueProblem(f"birthday: expected YYYY-MM-DD (or MM-DD without the year), got {value!r}")
        return value
    if key == "follow_up":
        when, _, note = value.partition(" ")
        try:
            return f"{parse_date(when).isoformat()} {note.strip()}".strip()
        except DateError as exc:
            raise ValueProblem(f"follow_up must start with a date: {exc}") from None
    if key == "cadence":
        try:
            return parse_cadence(value).text
        except CadenceError as exc:
            raise ValueProblem(str(exc)) from None
    if key == "circle":
        if value.lower() not in CIRCLES:
            raise ValueProblem(f"unknown circle {value!r}; use one of: {', '.join(CIRCLES)}")
        return value.lower()
    if key == "priority":
        if not re.fullmatch(r"[0-9]{1,6}", value) or int(value) < 1:
            raise ValueProblem(f"priority must be a whole number, 1 = highest, not {value!r}")
        return str(int(value))
    if key in LIST_KEYS:
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items:
            raise ValueProblem(
                f"the value for {key} has no items; use `netvault unset` to remove a key"
            )
        if key in LINK_KEYS:
            items = [as_link(item) for item in items]
        if key == "channels":
            items = [item.lower() for item in items]
        return items
    if key in LINK_KEYS:
        return as_link(value)
    return value


def as_link(text: str) -> str:
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        return text
    return f"[[{text}]]"


def duration_from(today: date, text: str) -> date:
    """``30d``, ``2w``, ``3m``, ``1y`` after today (for ``snooze --for``).

    A length that would end after 9999-12-31 is refused, whatever its unit.
    """
    try:
        cadence = parse_cadence(text)
    except CadenceError:
        cadence = None
    if cadence is None or cadence.is_never:
        raise ValueProblem(f"--for takes a length like 30d, 2w, 3m or 1y, not {text!r}")
    if cadence.unit == DAYS:
        ordinal = today.toordinal() + cadence.amount
        fits = ordinal <= date.max.toordinal()
    else:
        fits = today.year + (today.month - 1 + cadence.amount) // 12 <= date.max.year
    if not fits:
        raise ValueProblem(
            f"--for {text} from {today.isoformat()} goes past the end of the calendar (9999-12-31)"
        )
    return cadence.after(today)

"""The agenda: who to get back in touch with, and why, on a given day."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable

from ..read.logsection import ASKED, GAVE
from ..read.logsection import JOB_CHANGE as JOB_CHANGE_TAGGED
from ..read.model import Contact, Vault
from ..read.vaultfile import note_stem
from ..values.dates import birthday_on
from ..values.problems import Problem
from .due import DUE, OVERDUE, STATUS_RANK, UPCOMING, compute_due, effective_cadence, status_for
from .funnel import FADING_INTERACTIONS, fading_for
from .talking import talking_points

TOUCH_BASE = "touch-base"
FOLLOW_UP = "follow-up"
BIRTHDAY = "birthday"
RECIPROCITY = "reciprocity"
FADING = "fading"
JOB_CHANGE = "job-change"  # an import saw them move: congratulate them
KINDS = (TOUCH_BASE, FOLLOW_UP, BIRTHDAY, JOB_CHANGE, RECIPROCITY, FADING)
CONGRATULATE_DAYS = 30  # a job change stays on the agenda this long


@dataclass(frozen=True)
class Item:
    """One line of the agenda.  The first ten fields are the JSON contract."""

    name: str
    path: str
    kind: str
    status: str
    due: date
    last_contact: date | None
    cadence_days: int | None
    overdue_days: int
    circle: str | None
    priority: int | None
    cadence: str | None = None
    org: str | None = None
    role: str | None = None
    channels: tuple[str, ...] = ()
    note: str | None = None  # follow-up note, or what was asked
    age: int | None = None  # birthdays: the age they turn
    since: date | None = None  # reciprocity: when you asked
    last_contact_source: str | None = None  # "last_contact", "log", or the note's path
    last_contact_channel: str | None = None  # when the last contact is imported evidence: email, im, ...
    talking_points: tuple[str, ...] = ()  # touch-bases: something worth saying
    asked_in_a_row: int | None = None  # reciprocity: asks since you last gave
    usual_gap_days: int | None = None  # fading: the median gap between contacts

    @property
    def stem(self) -> str:
        return note_stem(self.path)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "kind": self.kind,
            "status": self.status,
            "due": self.due.isoformat(),
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "cadence_days": self.cadence_days,
            "overdue_days": self.overdue_days,
            "circle": self.circle,
            "priority": self.priority,
            "cadence": self.cadence,
            "org": self.org,
            "role": self.role,
            "channels": list(self.channels),
            "note": self.note,
            "age": self.age,
            "since": self.since.isoformat() if self.since else None,
            "last_contact_source": self.last_contact_source,
            "last_contact_channel": self.last_contact_channel,
            "talking_points": list(self.talking_points),
            "asked_in_a_row": self.asked_in_a_row,
            "usual_gap_days": self.usual_gap_days,
        }


@dataclass(frozen=True)
class Agenda:
    today: date
    days: int
    items: tuple[Item, ...]
    problems: tuple[Problem, ...] = ()
    contacts: int = 0
    hidden: int = 0  # items cut by a limit
    paced: int = 0  # people never contacted left for later weeks ([agenda] new_per_week)

    def select(self, kind: str, status: str | None = None) -> list[Item]:
        return [i for i in self.items if i.kind == kind and (status is None or i.status == status)]

    @property
    def sections(self) -> list[tuple[str, str, list[Item]]]:
        """(key, title, items) in display order; empty sections included."""
        return [
            ("overdue", "Overdue", self.select(TOUCH_BASE, OVERDUE)),
            ("due", "Due today", self.select(TOUCH_BASE, DUE)),
            ("upcoming", "Coming up", self.select(TOUCH_BASE, UPCOMING)),
            ("follow-ups", "Follow-ups", self.select(FOLLOW_UP)),
            ("birthdays", "Birthdays", self.select(BIRTHDAY)),
            ("job-changes", "Congratulate them", self.select(JOB_CHANGE)),
            ("reciprocity", "Give before you ask", self.select(RECIPROCITY)),
            ("fading", "Fading", self.select(FADING)),
        ]

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "items": [item.as_dict() for item in self.items],
            "paced": self.paced,
            "problems": [p.as_dict() for p in self.problems],
        }


def build_agenda(
    vault: Vault,
    today: date,
    days: int | None = None,
    circles: Iterable[str] = (),
    limit: int | None = None,
    channels: Iterable[str] = (),
    pace: bool = True,
) -> Agenda:
    """``circles`` keeps only people in those circles; ``channels`` keeps only
    the touch-bases of people who list one of those channels (the rest of the
    agenda stays: a follow-up or a birthday is due whatever the channel).
    With ``pace``, people with a rhythm but never contacted enter at most
    ``[agenda] new_per_week`` at a time (the top ten, the closer circles and
    the best known first): after an import, not everyone is due today."""
    window = vault.config.days if days is None else days
    wanted = set(circles)
    by_channel = set(channels)
    items: list[Item] = []
    for contact in vault.contacts:
        if wanted and contact.circle not in wanted:
            continue
        found = contact_items(contact, vault, today, window)
        if by_channel and not by_channel.intersection(contact.channels):
            found = [i for i in found if i.kind != TOUCH_BASE]
        items.extend(found)
    items.sort(key=lambda i: _key(i, today))
    paced = 0
    if pace:
        items, paced = _paced(items, vault.config.new_per_week)
    hidden = 0
    if limit is not None and len(items) > limit:
        hidden = len(items) - limit
        items = items[:limit]
    items = _with_talking_points(items, vault, today)
    return Agenda(today, window, tuple(items), vault.problems, len(vault.contacts) + vault.idle, hidden, paced)


_CIRCLE_FIRST = {"buddy": 0, "strategic": 1, "lukewarm": 2, "cold": 3}


def _paced(items: list[Item], allowed: int) -> tuple[list[Item], int]:
    """At most ``allowed`` first touch-bases (never contacted) on the agenda:
    the top ten first, then the closer circles, then by name."""
    first = [i for i in items if i.kind == TOUCH_BASE and i.last_contact is None]
    if len(first) <= allowed:
        return items, 0
    chosen = sorted(
        first,
        key=lambda i: (i.priority is None, i.priority or 0, _CIRCLE_FIRST.get(i.circle or "", 4), i.name.casefold(), i.path),
    )[:allowed]
    keep = {id(i) for i in chosen}
    kept = [i for i in items if not (i.kind == TOUCH_BASE and i.last_contact is None) or id(i) in keep]
    return kept, len(first) - allowed


# Names never_on_agenda for the read cache's snapshot, which lists the
# contacts it holds idle: change it whenever the rule below changes.
IDLE_RULE = "agenda-1"


def never_on_agenda(contact: Contact, config, interactions) -> bool:
    """True when no day can give ``contact`` an agenda item (so an agenda
    need not build it; see ``load_vault(..., idle=...)``): no rhythm (none,
    or ``never``), no follow-up, no birthday, nothing asked and no job change
    in the log, and, without any rhythm, too few contacts ever to fade.
    ``interactions``: every meeting or daily note that mentions them."""
    cadence = effective_cadence(contact, config)
    if cadence is not None and not cadence.is_never:
        return False
    if contact.follow_up is not None or contact.birthday is not None:
        return False
    if any(entry.asked or not entry.interaction for entry in contact.log):
        return False
    if cadence is None:
        dates = len(contact.log) + (contact.last_contact is not None) + len(interactions)
        if dates >= FADING_INTERACTIONS:
            return False
    return True


def _with_talking_points(items: list[Item], vault: Vault, today: date) -> list[Item]:
    """Talking points for the touch-bases shown (not for those a limit cut)."""
    wanted = {item.path for item in items if item.kind == TOUCH_BASE}
    if not wanted:
        return items
    by_path = {contact.path: contact for contact in vault.contacts if contact.path in wanted}
    prompts = vault.config.prompts
    return [
        replace(item, talking_points=talking_points(by_path[item.path], today, prompts))
        if item.kind == TOUCH_BASE
        else item
        for item in items
    ]


def _key(item: Item, today: date):
    """Overdue, due, upcoming; then priority (set first); then how late:
    relative to the cadence for touch-bases (10 days late on a 2-month rhythm
    before 10 days late on a 6-month one), in days for the rest; upcoming
    items soonest first; then name."""
    offset = (today - item.due).days  # > 0 late, < 0 still ahead
    relative = item.kind == TOUCH_BASE and item.cadence_days and offset > 0
    late = offset / item.cadence_days if relative else float(offset)
    return (
        STATUS_RANK[item.status],
        item.priority is None,
        item.priority or 0,
        -late,
        item.name.casefold(),
        item.path,
        KINDS.index(item.kind),
    )


def contact_items(contact: Contact, vault: Vault, today: date, window: int) -> list[Item]:
    base = dict(
        name=contact.name,
        path=contact.path,
        circle=contact.circle,
        priority=contact.priority,
        org=contact.org,
        role=contact.role,
        channels=contact.channels,
    )
    items = []
    info = compute_due(contact, vault.config, today, window, vault.interactions.get(contact.path, ()))
    if info.status is not None:
        items.append(
            Item(
                kind=TOUCH_BASE,
                status=info.status,
                due=info.next_due,
                last_contact=info.last_contact,
                last_contact_source=info.last_contact_source,
                last_contact_channel=info.last_contact_channel,
                cadence_days=info.cadence_days,
                overdue_days=info.overdue_days,
                cadence=info.cadence.text if info.cadence else None,
                **base,
            )
        )
    common = dict(
        last_contact=info.last_contact,
        last_contact_source=info.last_contact_source,
        last_contact_channel=info.last_contact_channel,
        cadence_days=info.cadence_days,
        cadence=info.cadence.text if info.cadence else None,
    )
    if contact.follow_up is not None:
        status = status_for(contact.follow_up.date, today, window)
        if status is not None:
            items.append(
                Item(
                    kind=FOLLOW_UP,
                    status=status,
                    due=contact.follow_up.date,
                    overdue_days=max(0, (today - contact.follow_up.date).days),
                    note=contact.follow_up.note or None,
                    **common,
                    **base,
                )
            )
    next_birthday = _next_birthday(contact, today)
    if next_birthday is not None:
        status = status_for(next_birthday, today, window)
        if status is not None:
            birthday = contact.birthday
            items.append(
                Item(
                    kind=BIRTHDAY,
                    status=status,
                    due=next_birthday,
                    overdue_days=0,
                    age=_age(birthday, next_birthday),
                    **common,
                    **base,
                )
            )
    moved = recent_job_change(contact, today)
    if moved is not None:
        items.append(
            Item(
                kind=JOB_CHANGE,
                status=DUE,
                due=today,
                overdue_days=0,
                note=" ".join(JOB_CHANGE_TAGGED.sub("", moved.text).split()) or None,
                since=moved.date,
                **common,
                **base,
            )
        )
    asked = unreturned_ask(contact, today)
    # An ask is given time to be answered before the agenda says to give first.
    if asked is not None and (today - asked.date).days >= vault.config.give_after:
        items.append(
            Item(
                kind=RECIPROCITY,
                status=DUE,
                due=today,
                overdue_days=0,
                note=_without_tags(asked.text) or None,
                since=asked.date,
                asked_in_a_row=asked_in_a_row(contact, today),
                **common,
                **base,
            )
        )
    fade = fading_for(contact, vault, today)
    if fade is not None:
        items.append(
            Item(
                kind=FADING,
                status=DUE,
                due=today,
                overdue_days=0,
                usual_gap_days=fade.usual_gap_days,
                **common,
                **base,
            )
        )
    return items


def _age(birthday, on: date) -> int | None:
    if birthday.year is None or birthday.year >= on.year:
        return None
    return on.year - birthday.year


def _without_tags(text: str) -> str:
    return " ".join(GAVE.sub("", ASKED.sub("", text)).split())


def _next_birthday(contact: Contact, today: date) -> date | None:
    """On or after today; None without a birthday or when the next one is past 9999."""
    birthday = contact.birthday
    if birthday is None:
        return None
    anchor = date(2000, birthday.month, birthday.day)  # a leap year holds 29 February
    this_year = birthday_on(anchor, today.year)
    return this_year if this_year >= today else birthday_on(anchor, today.year + 1)


def recent_job_change(contact: Contact, today: date):
    """The newest ``#job-change`` entry (an import's record of a new company
    or position) of the last :data:`CONGRATULATE_DAYS` days, or None."""
    found = None
    for entry in contact.log:
        if (
            not entry.interaction
            and 0 <= (today - entry.date).days <= CONGRATULATE_DAYS
            and JOB_CHANGE_TAGGED.search(entry.text)
            and (found is None or (entry.date, entry.line) > (found.date, found.line))
        ):
            found = entry
    return found


def unreturned_ask(contact: Contact, today: date):
    """The latest ``#asked`` entry with no ``#gave`` on or after its date."""
    past = [e for e in contact.log if e.date <= today]
    asks = [e for e in past if e.asked and not e.gave]
    if not asks:
        return None
    last_ask = max(asks, key=lambda e: (e.date, -e.line))
    if any(e.gave and e.date >= last_ask.date for e in past):
        return None
    return last_ask


def asked_in_a_row(contact: Contact, today: date) -> int:
    """How many ``#asked`` entries came after the last ``#gave`` (one on the
    same day as an ask counts as given in return, as in :func:`unreturned_ask`)."""
    past = [e for e in contact.log if e.date <= today]
    last_gift = max((e.date for e in past if e.gave), default=None)
    return sum(1 for e in past if e.asked and not e.gave and (last_gift is None or e.date > last_gift))

"""The circles as a funnel, who is cooling or fading, and the top ten.

Pure functions of the vault and ``today``: counts per circle, moves between
circles read from the ``moved X → Y`` lines ``netvault move`` writes, who is
ready to move inward, who is cooling (overdue by more than twice their
rhythm), who is fading (no rhythm, but a silence far longer than usual),
whom you only ever asked, and the contacts with a priority.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from statistics import median

from ..read.logsection import MOVED
from ..read.model import Contact, Vault
from ..values.cadence import DAYS, MONTHS, NEVER, Cadence, add_months
from ..values.dates import days_before
from .due import compute_due, effective_cadence

FUNNEL = ("cold", "lukewarm", "strategic", "buddy")  # outside in: people move inward
NO_CIRCLE = "no circle"
COOLING_FACTOR = 2  # cooling: overdue by more than this many cadences
MOVES_DAYS = 90  # moves counted over this many days
READY_MONTHS = 6  # ready to move inward: interactions in this many months...
READY_INTERACTIONS = 3  # ...at least this many, one of them a #gave
FADING_FACTOR = 3  # fading: silent for more than this many usual gaps...
FADING_MIN_DAYS = 60  # ...and at least this many days
FADING_INTERACTIONS = 3  # only people you were in regular touch with
TOP_TEN = 10
_MOVE = MOVED  # "moved lukewarm → buddy" or "moved to buddy"


# ------------------------------------------------------------ what is in it


@dataclass(frozen=True)
class Move:
    name: str
    path: str
    date: date
    old: str | None  # None for "moved to buddy" (the old circle was not written)
    new: str

    @property
    def direction(self) -> str:
        """``inward`` (towards buddy), ``outward``, or ``unknown``."""
        if self.old is None or self.old == self.new:
            return "unknown"
        return "inward" if FUNNEL.index(self.new) > FUNNEL.index(self.old) else "outward"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "date": self.date.isoformat(),
            "from": self.old,
            "to": self.new,
            "direction": self.direction,
        }


@dataclass(frozen=True)
class Ready:
    """Someone to move one circle inward: recent interactions, one a gift."""

    name: str
    path: str
    circle: str | None
    suggested: str  # the next circle inward
    interactions: int  # in the last READY_MONTHS months
    gave: int  # of them, #gave entries
    last_contact: date

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "circle": self.circle,
            "suggested": self.suggested,
            "interactions": self.interactions,
            "gave": self.gave,
            "last_contact": self.last_contact.isoformat(),
        }


@dataclass(frozen=True)
class Cooling:
    """Overdue by more than COOLING_FACTOR cadences: reach out, or move them out honestly."""

    name: str
    path: str
    circle: str | None
    cadence: str | None
    last_contact: date
    next_due: date
    cadence_days: int
    overdue_days: int

    @property
    def cadences_late(self) -> float:
        return self.overdue_days / self.cadence_days

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "circle": self.circle,
            "cadence": self.cadence,
            "last_contact": self.last_contact.isoformat(),
            "next_due": self.next_due.isoformat(),
            "cadence_days": self.cadence_days,
            "overdue_days": self.overdue_days,
        }


@dataclass(frozen=True)
class Fading:
    """No rhythm, but once in regular touch: silent for far longer than usual."""

    name: str
    path: str
    circle: str | None
    interactions: int  # days with contact, ever
    usual_gap_days: int  # the median gap between them
    last_contact: date
    silent_days: int

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "circle": self.circle,
            "interactions": self.interactions,
            "usual_gap_days": self.usual_gap_days,
            "last_contact": self.last_contact.isoformat(),
            "silent_days": self.silent_days,
        }


@dataclass(frozen=True)
class OnlyAsked:
    name: str
    path: str
    circle: str | None
    asked: int
    last_asked: date

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "circle": self.circle,
            "asked": self.asked,
            "last_asked": self.last_asked.isoformat(),
        }


@dataclass(frozen=True)
class Funnel:
    today: date
    people: int
    circles: tuple[tuple[str, int], ...]  # cold, lukewarm, strategic, buddy, no circle
    moves: tuple[Move, ...]  # in the last MOVES_DAYS days, newest first
    ready: tuple[Ready, ...]
    cooling: tuple[Cooling, ...]
    fading: tuple[Fading, ...]
    only_asked: tuple[OnlyAsked, ...]

    def moved(self, direction: str) -> int:
        return sum(m.direction == direction for m in self.moves)

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "people": self.people,
            "circles": [{"circle": c, "count": n} for c, n in self.circles],
            "moves_days": MOVES_DAYS,
            "moved_inward": self.moved("inward"),
            "moved_outward": self.moved("outward"),
            "moves": [m.as_dict() for m in self.moves],
            "ready": [r.as_dict() for r in self.ready],
            "cooling": [c.as_dict() for c in self.cooling],
            "fading": [f.as_dict() for f in self.fading],
            "only_asked": [o.as_dict() for o in self.only_asked],
        }


# ------------------------------------------------------------ computations


def _order(contact: Contact) -> tuple[str, str]:
    return (contact.name.casefold(), contact.path)


def build_funnel(vault: Vault, today: date) -> Funnel:
    contacts = sorted(vault.contacts, key=_order)
    counts = {circle: 0 for circle in (*FUNNEL, NO_CIRCLE)}
    for contact in contacts:
        counts[contact.circle if contact.circle in FUNNEL else NO_CIRCLE] += 1
    return Funnel(
        today=today,
        people=len(contacts),
        circles=tuple(counts.items()),
        moves=moves(vault, today),
        ready=ready_to_move(vault, today),
        cooling=cooling(vault, today),
        fading=fading(vault, today),
        only_asked=only_asked(vault, today),
    )


def moves(vault: Vault, today: date, days: int = MOVES_DAYS) -> tuple[Move, ...]:
    """``moved X → Y`` log lines dated in the last ``days`` days, newest first."""
    start = days_before(today, days)
    found = []
    for contact in vault.contacts:
        for entry in contact.log:
            if entry.interaction or not start < entry.date <= today:
                continue
            move = parse_move(entry.text)
            if move is not None:
                found.append(Move(contact.name, contact.path, entry.date, *move))
    found.sort(key=lambda m: (-m.date.toordinal(), m.name.casefold(), m.path))
    return tuple(found)


def parse_move(text: str) -> tuple[str | None, str] | None:
    """``("lukewarm", "buddy")`` from "moved lukewarm → buddy"; ``(None, "buddy")``
    from "moved to buddy"; None for anything else."""
    text = text.strip()
    if not _MOVE.match(text):
        return None
    words = text.lower().split()
    if words[1] == "to":
        return None, words[2]
    return words[1], words[3]


def contact_dates(contact: Contact, vault: Vault, today: date) -> list[date]:
    """The days with contact up to today, oldest first: log entries (not funnel
    history), meeting and daily notes that mention them, and ``last_contact``."""
    days = {e.date for e in contact.log if e.interaction and e.date <= today}
    days.update(i.date for i in vault.interactions.get(contact.path, ()) if i.date <= today)
    if contact.last_contact is not None and contact.last_contact <= today:
        days.add(contact.last_contact)
    return sorted(days)


def ready_to_move(vault: Vault, today: date) -> tuple[Ready, ...]:
    """People with at least READY_INTERACTIONS days of contact in the last
    READY_MONTHS months, one of them a ``#gave``, not yet buddies."""
    start = add_months(today, -READY_MONTHS)
    found = []
    for contact in sorted(vault.contacts, key=_order):
        if contact.circle == "buddy":
            continue
        recent = [d for d in contact_dates(contact, vault, today) if d > start]
        gave = [e for e in contact.log if e.gave and e.interaction and start < e.date <= today]
        if len(recent) < READY_INTERACTIONS or not gave:
            continue
        circle = contact.circle if contact.circle in FUNNEL else None
        suggested = FUNNEL[FUNNEL.index(circle) + 1] if circle else "lukewarm"
        found.append(
            Ready(contact.name, contact.path, contact.circle, suggested, len(recent), len(gave), recent[-1])
        )
    return tuple(found)


def cooling(vault: Vault, today: date) -> tuple[Cooling, ...]:
    """Overdue by more than twice their cadence, most cadences late first.
    People never contacted are due, not cooling; people with no rhythm fade
    (see :func:`fading`) rather than cool."""
    found = []
    for contact in vault.contacts:
        info = compute_due(contact, vault.config, today, interactions=vault.interactions.get(contact.path, ()))
        if info.next_due is None or info.last_contact is None or not info.cadence_days:
            continue
        if info.overdue_days > COOLING_FACTOR * info.cadence_days:
            found.append(
                Cooling(
                    contact.name,
                    contact.path,
                    contact.circle,
                    info.cadence.text if info.cadence else None,
                    info.last_contact,
                    info.next_due,
                    info.cadence_days,
                    info.overdue_days,
                )
            )
    found.sort(key=lambda p: (-p.overdue_days / p.cadence_days, p.name.casefold(), p.path))
    return tuple(found)


def fading_for(contact: Contact, vault: Vault, today: date) -> Fading | None:
    """The contact as fading, or None.  Only people with no rhythm at all (no
    cadence of their own, no circle default, no ``[cadence] default``): those
    with one are due and cool instead.  Fading means at least
    FADING_INTERACTIONS days of contact and a silence now longer than
    FADING_FACTOR times the median gap between them, and FADING_MIN_DAYS."""
    if effective_cadence(contact, vault.config) is not None:
        return None
    days = contact_dates(contact, vault, today)
    if len(days) < FADING_INTERACTIONS:
        return None
    gaps = [(later - earlier).days for earlier, later in pairwise(days)]
    usual = median(gaps)
    silent = (today - days[-1]).days
    if silent < FADING_MIN_DAYS or silent <= FADING_FACTOR * usual:
        return None
    return Fading(contact.name, contact.path, contact.circle, len(days), round(usual), days[-1], silent)


def fading(vault: Vault, today: date) -> tuple[Fading, ...]:
    """Fading people, the longest silence relative to their habit first."""
    found = [f for c in vault.contacts if (f := fading_for(c, vault, today)) is not None]
    found.sort(key=lambda f: (-f.silent_days / max(f.usual_gap_days, 1), f.name.casefold(), f.path))
    return tuple(found)


def only_asked(vault: Vault, today: date) -> tuple[OnlyAsked, ...]:
    """People with ``#asked`` entries and never a ``#gave`` (give before you ask)."""
    found = []
    for contact in sorted(vault.contacts, key=_order):
        past = [e for e in contact.log if e.date <= today]
        asks = [e for e in past if e.asked]
        if asks and not any(e.gave for e in past):
            found.append(
                OnlyAsked(contact.name, contact.path, contact.circle, len(asks), max(e.date for e in asks))
            )
    return tuple(found)


# ------------------------------------------------------------ the top ten


@dataclass(frozen=True)
class TopEntry:
    name: str
    path: str
    priority: int
    circle: str | None
    cadence: str | None  # the rhythm in force
    per_year: float  # contacts a year that rhythm implies
    status: str  # overdue, due, upcoming, on track, snoozed, never contacted, no rhythm
    next_due: date | None
    days: int | None  # days late (overdue) or until due; None without a due date
    last_contact: date | None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "priority": self.priority,
            "circle": self.circle,
            "cadence": self.cadence,
            "per_year": self.per_year,
            "status": self.status,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "days_late": self.days if self.status == "overdue" else None,
            "days_until_due": self.days if self.status != "overdue" and self.days is not None else None,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
        }


@dataclass(frozen=True)
class Top:
    today: date
    entries: tuple[TopEntry, ...]  # by priority, then name

    @property
    def per_year(self) -> float:
        return round(sum(e.per_year for e in self.entries), 1)

    @property
    def extra(self) -> tuple[TopEntry, ...]:
        """Those beyond the tenth: a top ten holds ten."""
        return self.entries[TOP_TEN:]

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "count": len(self.entries),
            "limit": TOP_TEN,
            "per_year": self.per_year,
            "entries": [e.as_dict() for e in self.entries],
        }


def per_year(cadence: Cadence | None) -> float:
    """How many contacts a year a rhythm implies: 6/year -> 6, quarterly -> 4."""
    if cadence is None or cadence.unit == NEVER or cadence.amount <= 0:
        return 0.0
    if cadence.unit == DAYS:
        return round(365.25 / cadence.amount, 1)
    if cadence.unit == MONTHS:
        return round(12 / cadence.amount, 1)
    return 0.0


def prioritised(contacts) -> list[Contact]:
    """Contacts with a priority, 1 first, then by name."""
    return sorted(
        (c for c in contacts if c.priority is not None),
        key=lambda c: (c.priority, c.name.casefold(), c.path),
    )


def build_top(vault: Vault, today: date) -> Top:
    entries = []
    for contact in prioritised(vault.contacts):
        info = compute_due(contact, vault.config, today, interactions=vault.interactions.get(contact.path, ()))
        if info.next_due is None:
            status, days = "no rhythm", None
        else:
            days = abs((info.next_due - today).days)
            if contact.snooze_until is not None and info.next_due == contact.snooze_until > today:
                status = "snoozed"  # the one due date every view gives: the snooze's
            elif info.last_contact is None:
                status = "never contacted"
            else:
                status = info.status or "on track"
        entries.append(
            TopEntry(
                contact.name,
                contact.path,
                contact.priority,
                contact.circle,
                info.cadence.text if info.cadence else None,
                per_year(info.cadence),
                status,
                info.next_due,
                days,
                info.last_contact,
            )
        )
    return Top(today, tuple(entries))

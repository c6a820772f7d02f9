"""One person's card: everything netvault knows about a contact, in one value.

Pure: takes the vault and ``today``, reads no file and prints nothing.  The
CLI renders it as text or, through :meth:`Card.as_dict`, as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..read.vaultfile import note_stem
from ..read.model import Contact, LogEntry, Vault
from ..read.names import NameIndex
from ..values.cadence import describe
from ..values.dates import birthday_on, days_before
from .due import DueInfo, compute_due, effective_cadence
from .introductions import CONTACT, Target, introductions, knows_you

RECENT = 5  # interactions shown on the card
MIX_DAYS = 365  # the channel mix counts the log entries of the 365 days up to today


@dataclass(frozen=True)
class Rhythm:
    cadence: str | None  # as written ("quarterly"); None: no rhythm at all
    words: str | None  # "every 3 months"
    source: str | None  # "own", "circle", "default" (the vault's [cadence] default)


@dataclass(frozen=True)
class Due:
    last_contact: date | None
    last_contact_source: str | None  # "last_contact", "log" or a note's path
    next_due: date | None
    status: str | None  # overdue, due, upcoming, or None
    overdue_days: int
    why: str  # in words


@dataclass(frozen=True)
class Interaction:
    date: date
    kind: str  # "log" or "note"
    channel: str | None
    text: str  # the log entry's text, or the note's title
    source: str  # vault path of the file it was read from
    line: int | None
    gave: bool = False
    asked: bool = False


@dataclass(frozen=True)
class Gift:
    date: date
    text: str
    line: int


@dataclass(frozen=True)
class Ledger:
    gave: int  # log entries tagged #gave, up to today
    asked: int  # tagged #asked
    last_gift: Gift | None
    asks_since_gift: int  # #asked entries dated after the last gift (all, without one)
    asked_twice_in_a_row: bool  # two or more of them: give before you ask again


@dataclass(frozen=True)
class Person:
    name: str
    path: str | None  # None: a link to nobody in the vault


@dataclass(frozen=True)
class FollowUp:
    date: date
    note: str
    status: str  # overdue, due, upcoming (later than today)


@dataclass(frozen=True)
class Snooze:
    until: date
    active: bool  # still in the future


@dataclass(frozen=True)
class ChannelCount:
    channel: str | None  # None: entries that name no channel
    count: int


@dataclass(frozen=True)
class BirthdayInfo:
    month: int
    day: int
    year: int | None
    next: date | None  # on or after today
    turns: int | None  # age on ``next`` when the year is known


@dataclass(frozen=True)
class Card:
    today: date
    name: str
    path: str
    aliases: tuple[str, ...]
    circle: str | None
    origin: str | None
    org: str | None
    role: str | None
    email: str | None
    phone: str | None
    linkedin: str | None
    channels: tuple[str, ...]  # how they like to be reached
    priority: int | None
    tags: tuple[str, ...]
    goals: tuple[str, ...]
    rhythm: Rhythm
    due: Due
    recent: tuple[Interaction, ...]  # newest first, at most RECENT
    interactions: int  # how many there are in all, up to today
    ledger: Ledger
    introduced_by: tuple[Person, ...]
    introduced: tuple[Person, ...]  # whom they introduced to you
    knows: tuple[Person, ...]
    known_by: tuple[Person, ...]
    follow_up: FollowUp | None
    snooze: Snooze | None
    channel_mix: tuple[ChannelCount, ...]  # most used first
    birthday: BirthdayInfo | None
    # Warm introduction paths to someone who does not know you yet (cold or no
    # circle): the people along each path, the first one yours, best first.
    intro_paths: tuple[tuple[str, ...], ...] = ()

    def as_dict(self) -> dict:
        """Plain JSON values; dates as YYYY-MM-DD.  Keys are stable."""
        return json_value(self)


def person_card(vault: Vault, contact: Contact, today: date) -> Card:
    config = vault.config
    notes = vault.interactions.get(contact.path, ())
    info = compute_due(contact, config, today, config.days, notes)
    index = vault.names
    seen = interactions(vault, contact, today)
    return Card(
        today=today,
        name=contact.name,
        path=contact.path,
        aliases=contact.aliases,
        circle=contact.circle,
        origin=contact.origin,
        org=contact.org,
        role=contact.role,
        email=contact.email,
        phone=contact.phone,
        linkedin=contact.linkedin,
        channels=contact.channels,
        priority=contact.priority,
        tags=contact.tags,
        goals=contact.goals,
        rhythm=rhythm(vault, contact),
        due=_due(contact, info, today),
        recent=tuple(seen[:RECENT]),
        interactions=len(seen),
        ledger=ledger(contact.log, today),
        introduced_by=tuple(_person(index, link.target) for link in contact.introduced_by),
        introduced=_pointing(vault, index, contact, "introduced_by"),
        knows=tuple(_person(index, link.target) for link in contact.knows),
        known_by=_pointing(vault, index, contact, "knows"),
        follow_up=_follow_up(contact, today),
        snooze=Snooze(contact.snooze_until, contact.snooze_until > today)
        if contact.snooze_until is not None
        else None,
        channel_mix=channel_mix(contact.log, today, vault.interactions.get(contact.path, ())),
        intro_paths=_intro_paths(vault, contact, today),
        birthday=_birthday(contact, today),
    )


def rhythm(vault: Vault, contact: Contact) -> Rhythm:
    cadence = effective_cadence(contact, vault.config)
    if cadence is None:
        return Rhythm(None, None, None)
    if contact.cadence is not None:
        source = "own"
    elif contact.circle is not None:
        source = "circle"
    else:
        source = "default"
    return Rhythm(cadence.text, describe(cadence.text), source)


def _due(contact: Contact, info: DueInfo, today: date) -> Due:
    return Due(
        info.last_contact,
        info.last_contact_source,
        info.next_due,
        info.status,
        info.overdue_days,
        why(contact, info, today),
    )


def why(contact: Contact, info: DueInfo, today: date) -> str:
    """When the next touch-base is and what it is computed from, in words."""
    if info.cadence is None:
        return "no rhythm: no cadence and no circle with a default one"
    if info.cadence.is_never:
        whose = f"the {contact.circle} circle's" if contact.cadence is None and contact.circle else "its"
        return f"no rhythm: {whose} cadence is never"
    assert info.next_due is not None
    when = _when(info.next_due, today)
    if info.last_contact is None:
        base = "never contacted: get in touch to start the rhythm"
        if info.next_due != today:
            base = f"never contacted; snoozed until {info.next_due.isoformat()}"
        return base
    source = info.last_contact_source
    origin = (
        "the log" if source == "log"
        else "last_contact" if source == "last_contact"
        else source or "?"
    )
    computed = info.cadence.after(info.last_contact)
    text = (
        f"{when}: last contact {info.last_contact.isoformat()} (from {origin}) "
        f"+ {describe(info.cadence.text)}"
    )
    if computed is not None and info.next_due != computed:
        text += f" = {computed.isoformat()}, snoozed until {info.next_due.isoformat()}"
    return text


def _when(day: date, today: date) -> str:
    """How far the due date is from today (the date itself is said beside it)."""
    gap = (day - today).days
    if gap < 0:
        return f"overdue by {_days(-gap)}"
    if gap == 0:
        return "due today"
    return f"in {_days(gap)}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def interactions(vault: Vault, contact: Contact, today: date) -> list[Interaction]:
    """Log entries and dated notes that link to the contact, up to today, newest first."""
    found: list[tuple[tuple, Interaction]] = []
    newest_first = _newest_first(contact.log)
    for entry in contact.log:
        if entry.date > today or not entry.interaction:
            continue
        # Within one day the log's own order says which came later.
        order = -entry.line if newest_first else entry.line
        found.append(
            (
                (entry.date, 1, order),
                Interaction(
                    entry.date, "log", entry.channel, entry.text, contact.path, entry.line,
                    entry.gave, entry.asked,
                ),
            )
        )
    for note in vault.interactions.get(contact.path, ()):
        if note.date > today:
            continue
        found.append(
            (
                (note.date, 0, note.source),
                Interaction(
                    note.date,
                    "evidence" if note.channel else "note",
                    note.channel,
                    _evidence_text(note.source) if note.channel else note_stem(note.source),
                    note.source,
                    note.line,
                ),
            )
        )
    found.sort(key=lambda pair: _descending(pair[0]))
    return [item for _, item in found]


def _evidence_text(source: str) -> str:
    """What an imported evidence line was: ``interactions/mail/2026-11.md`` is mail."""
    parts = source.split("/")
    kind = parts[-2] if len(parts) >= 2 else "imported"
    return {"mail": "mail", "calendar": "calendar event", "linkedin": "LinkedIn message"}.get(kind, kind)


def _descending(key: tuple) -> tuple:
    when, rank, order = key
    # Newest first; on one day the log before notes, notes by path.
    if isinstance(order, int):
        return (-when.toordinal(), -rank, -order, "")
    return (-when.toordinal(), -rank, 0, order)


def _newest_first(log: tuple[LogEntry, ...]) -> bool:
    """Whether the log is written newest first (both orders are accepted)."""
    by_line = sorted(log, key=lambda e: e.line)
    return len(by_line) > 1 and by_line[0].date > by_line[-1].date


def ledger(log: tuple[LogEntry, ...], today: date) -> Ledger:
    """The give/ask ledger of the log up to today.  An entry tagged both
    #gave and #asked counts as giving; a gift on the day of an ask answers it."""
    past = [e for e in log if e.date <= today]
    gifts = [e for e in past if e.gave]
    newest_first = _newest_first(log)
    last = (
        max(gifts, key=lambda e: (e.date, -e.line if newest_first else e.line)) if gifts else None
    )
    asks = [e for e in past if e.asked and not e.gave and (last is None or e.date > last.date)]
    return Ledger(
        gave=len(gifts),
        asked=sum(e.asked for e in past),
        last_gift=Gift(last.date, last.text, last.line) if last else None,
        asks_since_gift=len(asks),
        asked_twice_in_a_row=len(asks) >= 2,
    )


def channel_mix(log: tuple[LogEntry, ...], today: date, evidence=()) -> tuple[ChannelCount, ...]:
    """Log entries (and imported evidence lines, which say their channel)
    per channel in the 365 days up to and including today, most used first,
    then by channel name (entries with no channel last)."""
    start = days_before(today, MIX_DAYS - 1)
    counts: dict[str | None, int] = {}
    for entry in log:
        if entry.interaction and start <= entry.date <= today:
            counts[entry.channel] = counts.get(entry.channel, 0) + 1
    for line in evidence:
        if line.channel and start <= line.date <= today:
            counts[line.channel] = counts.get(line.channel, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
    return tuple(ChannelCount(channel, count) for channel, count in ordered)


def _person(index: NameIndex, target: str) -> Person:
    found = index.lookup(target)
    if len(found) == 1:
        return Person(found[0].name, found[0].path)
    return Person(target.rsplit("/", 1)[-1], None)


def _pointing(vault: Vault, index: NameIndex, contact: Contact, key: str) -> tuple[Person, ...]:
    """Everyone whose ``key`` links resolve to ``contact``, by name."""
    pointing = vault.derived.get(("pointing", key))
    if pointing is None:
        # Once per vault: every card of an export needs it.
        pointing = {}
        for other in vault.contacts:
            targets = set()
            for link in getattr(other, key):
                found = index.lookup(link.target)
                if len(found) == 1 and found[0] is not other:
                    targets.add(found[0].path)
            for path in targets:
                pointing.setdefault(path, []).append(Person(other.name, other.path))
        vault.derived[("pointing", key)] = pointing
    people = pointing.get(contact.path, ())
    return tuple(sorted(people, key=lambda p: (p.name.casefold(), p.path or "")))


def _follow_up(contact: Contact, today: date) -> FollowUp | None:
    follow = contact.follow_up
    if follow is None:
        return None
    status = "overdue" if follow.date < today else "due" if follow.date == today else "upcoming"
    return FollowUp(follow.date, follow.note, status)


def _birthday(contact: Contact, today: date) -> BirthdayInfo | None:
    birthday = contact.birthday
    if birthday is None:
        return None
    anchor = date(2000, birthday.month, birthday.day)  # a leap year holds 29 February
    upcoming = birthday_on(anchor, today.year)
    if upcoming is not None and upcoming < today:
        upcoming = birthday_on(anchor, today.year + 1)
    turns = upcoming.year - birthday.year if upcoming and birthday.year else None
    return BirthdayInfo(birthday.month, birthday.day, birthday.year, upcoming, turns)


def _intro_paths(vault: Vault, contact: Contact, today: date) -> tuple[tuple[str, ...], ...]:
    if knows_you(contact):
        return ()
    found = introductions(vault, Target(CONTACT, contact.name, (contact,)), today, max_hops=3, limit=3)
    return tuple(tuple(hop.contact.name for hop in path.hops) for path in found.paths)


def json_value(value):
    """A frozen dataclass (and what it holds) as plain JSON values; dates as YYYY-MM-DD."""
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {name: json_value(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (tuple, list)):
        return [json_value(item) for item in value]
    return value

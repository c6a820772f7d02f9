"""How a note's reading is encoded in the cache: plain JSON values in, the
same frozen objects out, every value's type checked on the way back (a
cache is never trusted: anything unexpected raises, and the caller reads
the note instead).  The process pool of a first run sends notes back in
this encoding too."""

from __future__ import annotations

import functools
from datetime import date

from ..values.cadence import Cadence, parse_cadence
from ..values.problems import Problem
from ..values.wikilinks import Link
from .model import Birthday, Contact, FollowUp, LogEntry



def encode_result(result) -> list:
    contact, problems, dated = result
    return [
        _encode_contact(contact) if contact is not None else None,
        [[p.line, p.severity, p.message] for p in problems],
        [
            dated.data,
            dated.key_lines,
            [_link(link) for link in dated.links],
            [[line, when.toordinal(), channel] for line, when, channel in dated.dated_lines],
        ]
        if dated is not None
        else None,
    ]


def decode_result(rel: str, record: list):
    from .mentions import DatedNote  # the read side's digest of a dated note

    contact_record, problem_records, dated_record = record
    contact = _decode_contact(rel, contact_record) if contact_record is not None else None
    problems = [Problem(rel, _opt_int(line), _text(severity), _text(message)) for line, severity, message in problem_records]
    dated = None
    if dated_record is not None:
        data, key_lines, links, lines = dated_record
        if not isinstance(data, dict) or not isinstance(key_lines, dict):
            raise TypeError("dated note")
        dated = DatedNote(
            data,
            key_lines,
            tuple(_unlink(item) for item in links),
            tuple((_int(line), date.fromordinal(_int(day)), _opt_text(channel)) for line, day, channel in lines),
        )
    return contact, problems, dated


def _encode_contact(c: Contact) -> list:
    return [
        c.name,
        list(c.aliases),
        c.circle,
        c.origin,
        c.org,
        c.role,
        c.email,
        c.phone,
        c.linkedin,
        list(c.channels),
        [c.cadence.unit, c.cadence.amount, c.cadence.text] if c.cadence else None,
        _day(c.last_contact),
        c.priority,
        _day(c.snooze_until),
        [c.follow_up.date.toordinal(), c.follow_up.note] if c.follow_up else None,
        [_link(link) for link in c.introduced_by],
        [_link(link) for link in c.knows],
        list(c.goals),
        [c.birthday.month, c.birthday.day, c.birthday.year] if c.birthday else None,
        list(c.tags),
        _encode_log(c.log),
        c.fields,
        c.lines,
        c.keys,
    ]


def _decode_contact(rel: str, r: list) -> Contact:
    (
        name, aliases, circle, origin, org, role, email, phone, linkedin, channels, cadence,
        last_contact, priority, snooze, follow_up, introduced_by, knows, goals, birthday, tags,
        log, fields, lines, keys,
    ) = r
    if not (isinstance(fields, dict) and isinstance(lines, dict) and isinstance(keys, dict)):
        raise TypeError("contact")
    return Contact(
        path=rel,
        name=_text(name),
        aliases=_texts(aliases),
        circle=_opt_text(circle),
        origin=_opt_text(origin),
        org=_opt_text(org),
        role=_opt_text(role),
        email=_opt_text(email),
        phone=_opt_text(phone),
        linkedin=_opt_text(linkedin),
        channels=_texts(channels),
        cadence=_cadence(cadence) if cadence else None,
        last_contact=_undate(last_contact),
        priority=_opt_int(priority),
        snooze_until=_undate(snooze),
        follow_up=FollowUp(date.fromordinal(follow_up[0]), _text(follow_up[1])) if follow_up else None,
        introduced_by=tuple(_unlink(item) for item in introduced_by),
        knows=tuple(_unlink(item) for item in knows),
        goals=_texts(goals),
        birthday=_birthday(birthday) if birthday else None,
        tags=_texts(tags),
        log=_decode_log(log),
        fields=fields,
        lines=lines,
        keys=keys,
    )


def _cadence(value: list) -> Cadence:
    """A cached cadence is believed only when it is what its text parses to
    (an amount of 10**9 days, or a unit netvault has no word for, is a miss)."""
    unit, amount, text = value
    cadence = Cadence(_text(unit), _int(amount), _text(text))
    if parse_cadence(cadence.text) != cadence:
        raise ValueError("cadence")
    return cadence


def _birthday(value: list) -> Birthday:
    """A cached birthday must be a day of the calendar (29 February only
    without a year or in a leap year)."""
    month, day, year = value
    birthday = Birthday(_int(month), _int(day), _opt_int(year))
    date(birthday.year if birthday.year is not None else 2000, birthday.month, birthday.day)
    return birthday


def _int(value) -> int:
    if type(value) is not int:
        raise TypeError("int")
    return value


def _encode_log(log: tuple[LogEntry, ...]) -> list:
    """Column by column (dates as ordinals, the four flags as bits): decoding
    then runs in C loops rather than a Python call per entry."""
    return [
        [e.date.toordinal() for e in log],
        [e.channel for e in log],
        [e.text for e in log],
        [e.line for e in log],
        [e.gave | e.asked << 1 | e.interaction << 2 | e.planned << 3 for e in log],
    ]


_INT = {int}
_TEXT = {str}
_MAYBE_TEXT = {str, type(None)}
_new_entry = functools.partial(tuple.__new__, LogEntry)


def _decode_log(columns: list) -> tuple[LogEntry, ...]:
    days, channels, texts, lines, flags = columns
    count = len(days)
    if not (len(channels) == len(texts) == len(lines) == len(flags) == count):
        raise ValueError("log columns")
    if count == 0:
        return ()
    if not (
        set(map(type, days)) <= _INT
        and set(map(type, channels)) <= _MAYBE_TEXT
        and set(map(type, texts)) <= _TEXT
        and set(map(type, lines)) <= _INT
        and set(map(type, flags)) <= _INT
    ):
        raise TypeError("log entry")
    return tuple(
        map(
            _new_entry,
            zip(
                map(date.fromordinal, days),
                channels,
                texts,
                lines,
                [bool(f & 1) for f in flags],
                [bool(f & 2) for f in flags],
                [bool(f & 4) for f in flags],
                [bool(f & 8) for f in flags],
            ),
        )
    )


def _day(value: date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _undate(value) -> date | None:
    return date.fromordinal(value) if value is not None else None


def _link(link: Link) -> list:
    return [link.target, link.label, link.line]


def _unlink(item) -> Link:
    target, label, line = item
    return Link(_text(target), _opt_text(label), _opt_int(line))


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError("text")
    return value


def _opt_text(value) -> str | None:
    return None if value is None else _text(value)


def _opt_int(value) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise TypeError("int")
    return value


def _texts(values) -> tuple[str, ...]:
    return tuple(_text(v) for v in values)

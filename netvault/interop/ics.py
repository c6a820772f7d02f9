"""The vault as an iCalendar (RFC 5545) file: touch-bases, follow-ups, birthdays.

One all-day event per contact on its next due date, one per open follow-up
on its date, and one yearly birthday per contact that has one.  A touch-base
or follow-up already late is put on the export's day (``today``), with how
late it is first in its description: the people who most need a word are
where the user looks, not weeks back in the calendar.  Everything
comes from the vault and ``today``: the same vault exported twice on the same
``today`` gives the same bytes, and each event keeps its UID from one export
to the next (it is derived from the contact's path and the kind of event),
so a calendar that subscribes to the file moves events instead of
duplicating them.

The ``icalendar`` library writes the text: CRLF line ends, lines folded at
75 octets, commas, semicolons, backslashes and line breaks escaped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from .. import __version__
from ..playbook.due import compute_due
from ..playbook.talking import talking_points
from ..read.model import Contact, Vault
from ..values.cadence import describe
from ..values.problems import printable

TOUCH_BASE = "touch-base"
FOLLOW_UP = "follow-up"
BIRTHDAY = "birthday"
KINDS = (TOUCH_BASE, FOLLOW_UP, BIRTHDAY)

PRODID = f"-//netvault//netvault {__version__}//EN"
CALNAME = "netvault"
# Whose birthdays the calendar holds unless [calendar] all_birthdays: the
# people you keep up with, not every imported acquaintance.
KEPT_UP_WITH = ("buddy", "strategic", "lukewarm")
UNKNOWN_YEAR = 2000  # birthdays written without a year start here (a leap year: 29 February exists)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_ALARM = re.compile(r"^([+-]?)(?=\d)(?:(\d{1,5})w)?(?:(\d{1,6})d)?(?:(\d{1,7})h)?(?:(\d{1,9})m)?$")
ALARM_FORMS = "9h, 30m, 1d, -1d or -2h30m (w, d, h, m; a leading - is before the day starts)"


def parse_alarm(text: str) -> timedelta:
    """An alarm offset from the start of an all-day event: ``9h`` (9:00 that
    day), ``30m``, ``1d``, ``-1d`` (the day before), ``-2h30m``; units ``w``,
    ``d``, ``h``, ``m`` in that order.  Raises ValueError naming the forms."""
    cleaned = text.strip().lower().replace(" ", "") if isinstance(text, str) else ""
    match = _ALARM.match(cleaned)
    if not match or not any(match.groups()[1:]):
        raise ValueError(f"expected an alarm offset like {ALARM_FORMS}, got {text!r}")
    sign, weeks, days, hours, minutes = match.groups()
    offset = timedelta(
        weeks=int(weeks or 0), days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0)
    )
    return -offset if sign == "-" else offset


@dataclass(frozen=True)
class _Entry:
    """One event before it is written: what it sorts by and what it says."""

    start: date
    kind: str
    contact: Contact
    summary: str
    description: str
    categories: tuple[str, ...]
    rrule: dict | None = None

    def key(self) -> tuple:
        return (self.start, KINDS.index(self.kind), self.contact.name.casefold(), self.contact.name,
                self.contact.path)


def calendar(vault: Vault, today: date, alarm: timedelta | None = None) -> bytes:
    """The vault's touch-bases, follow-ups and birthdays as iCalendar bytes.

    ``alarm``, when given, adds a display reminder to every event, that long
    after the start of its day (negative: before).  Contacts with no rhythm
    (cadence ``never``, or none at all) get no touch-base event.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", CALNAME)
    stamp = datetime.combine(today, time(0, 0), tzinfo=timezone.utc)
    entries: list[_Entry] = []
    for contact in vault.contacts:
        entries.extend(contact_entries(vault, contact, today))
    for entry in sorted(entries, key=_Entry.key):
        cal.add_component(_event(entry, stamp, alarm))
    return cal.to_ical()


def contact_entries(vault: Vault, contact: Contact, today: date) -> list[_Entry]:
    """The events of one contact: touch-base, follow-up, birthday (each optional)."""
    name = _text(contact.name)
    circle = _text(contact.circle) if contact.circle else None
    found: list[_Entry] = []
    info = compute_due(contact, vault.config, today, None, vault.interactions.get(contact.path, ()))
    about = [circle or "no circle"]
    if info.cadence is not None:
        about.append(describe(info.cadence.text))
    about.append(f"last contact {_day(info.last_contact)}" if info.last_contact else "never contacted")
    context = [", ".join(about), *_job(contact)]
    categories = (circle,) if circle else ()
    if info.next_due is not None:
        points = talking_points(contact, today, vault.config.prompts)
        late = _late(info.next_due, today, "due")
        lines = [*late, *context, *(f"Talking point: {_text(point)}" for point in points), _text(contact.path)]
        found.append(
            _Entry(max(info.next_due, today), TOUCH_BASE, contact, f"Touch base with {name}", "\n".join(lines),
                   ("netvault", TOUCH_BASE, *categories))
        )
    follow = contact.follow_up
    if follow is not None:
        note = " ".join(_text(follow.note).split())
        summary = f"Follow up with {name}: {note}" if note else f"Follow up with {name}"
        lines = [*_late(follow.date, today, "promised for"), *context, _text(contact.path)]
        found.append(
            _Entry(max(follow.date, today), FOLLOW_UP, contact, summary, "\n".join(lines),
                   ("netvault", FOLLOW_UP, *categories))
        )
    start = birthday_start(contact) if vault.config.all_birthdays or contact.circle in KEPT_UP_WITH else None
    if start is not None:
        birthday = contact.birthday
        assert birthday is not None
        born = f"born {birthday.year}" if birthday.year else "year of birth unknown"
        lines = [born, *_job(contact), _text(contact.path)]
        found.append(
            _Entry(start, BIRTHDAY, contact, f"{name}'s birthday", "\n".join(lines),
                   ("netvault", BIRTHDAY), birthday_rule(start))
        )
    return found


def birthday_start(contact: Contact) -> date | None:
    """The first day of the yearly birthday event: the birthday in the birth
    year when it is known and a real date, else in 2000 (which holds 29
    February).  Never depends on ``today``."""
    birthday = contact.birthday
    if birthday is None:
        return None
    for year in (birthday.year, UNKNOWN_YEAR):
        if year is None:
            continue
        try:
            return date(year, birthday.month, birthday.day)
        except ValueError:
            continue
    return None


def birthday_rule(start: date) -> dict:
    """Every year; 29 February is the last day of February, so 28 February
    in the years that have no 29th."""
    if (start.month, start.day) == (2, 29):
        return {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
    return {"freq": "yearly"}


def uid(contact: Contact, kind: str) -> str:
    """The same for the same file and kind of event, on every export."""
    digest = hashlib.sha1(contact.path.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}-{digest}@netvault"


def _event(entry: _Entry, stamp: datetime, alarm: timedelta | None) -> Event:
    event = Event()
    event.add("uid", uid(entry.contact, entry.kind))
    event.add("dtstamp", stamp)
    event.add("summary", entry.summary)
    event.add("dtstart", entry.start)
    if entry.start < date.max:
        event.add("dtend", entry.start + timedelta(days=1))
    else:
        event.add("duration", timedelta(days=1))
    if entry.rrule is not None:
        event.add("rrule", entry.rrule)
    event.add("description", entry.description)
    event.add("categories", list(entry.categories))
    event.add("transp", "TRANSPARENT")
    if alarm is not None:
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", entry.summary)
        reminder.add("trigger", alarm, parameters={"RELATED": "START"})
        event.add_component(reminder)
    return event


def _late(when: date, today: date, what: str) -> list[str]:
    """``["12 days late (due 10 Nov 2026)"]`` for a date before ``today``."""
    days = (today - when).days
    if days <= 0:
        return []
    return [f"{days} day{'' if days == 1 else 's'} late ({what} {_day(when)})"]


def _job(contact: Contact) -> list[str]:
    job = " at ".join(_text(part) for part in (contact.role, contact.org) if part)
    return [job] if job else []


def _day(day: date) -> str:
    """``14 Sep 2026``: the same in every locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _text(value: object) -> str:
    """One line with no control character (RFC 5545 text allows none but tab)."""
    return printable(str(value))

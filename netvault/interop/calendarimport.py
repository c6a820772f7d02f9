"""``netvault import calendar``: meetings in an ``.ics`` export as evidence of contact.

Every event that started on or before ``today`` counts as contact, on its
day, with each attendee and the organiser who is a contact (matched by
every address they have, as mail is).  Recurring events are expanded with
``recurring-ical-events`` (their exceptions, moved and cancelled instances
included), from the calendar's first event up to ``today``, at most
:data:`MAX_OCCURRENCES` in all.  Never counted: a cancelled event, one you
declined (your address from ``[me] emails`` with ``PARTSTAT=DECLINED``), a
future one.  All-day, floating and timezone-aware times all count on the
day the event shows in its own time.

The channel is ``video`` for an event with a meeting link (Meet, Zoom,
Teams, Webex, ...), ``in-person`` for one with another location, else
``meeting``.  The key of an occurrence is its UID and day, so a re-import
adds nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from ..read.model import Vault
from .evidence import Exchange, Written, write_exchanges, write_to_logs
from .mailimport import addresses_of

MAX_OCCURRENCES = 100_000  # a rule without end, expanded over decades, stops here
MAX_BYTES = 200 * 1024 * 1024
_MEETING_LINK = re.compile(
    r"(meet\.google\.com|zoom\.us|teams\.microsoft\.com|teams\.live\.com|webex\.com|whereby\.com|"
    r"jit\.si|gotomeeting\.com|chime\.aws|facetime)",
    re.IGNORECASE,
)


class CalendarImportProblem(Exception):
    """The file is no calendar netvault can read: a one-line reason."""


@dataclass
class CalendarOutcome:
    events: int = 0  # occurrences up to today
    counted: int = 0  # occurrences with a contact
    cancelled: int = 0
    declined: int = 0
    future: int = 0
    capped: bool = False
    shared: dict[str, list[str]] = field(default_factory=dict)
    written: Written | None = None


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()  # in the event's own time zone, or floating as written
    if isinstance(value, date):
        return value
    return None


def _address(value) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().casefold()


def _channel(event) -> str:
    where = " ".join(
        str(event.get(key, "")) for key in ("LOCATION", "URL", "DESCRIPTION", "X-GOOGLE-CONFERENCE")
    )
    if _MEETING_LINK.search(where):
        return "video"
    if str(event.get("LOCATION", "")).strip():
        return "in-person"
    return "meeting"


def import_calendar(
    vault: Vault, path: Path, today: date, *, dry_run: bool = False, to_logs: bool = False
) -> CalendarOutcome:
    import icalendar
    import recurring_ical_events

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise CalendarImportProblem(f"{path} does not exist") from None
    except OSError as exc:
        raise CalendarImportProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise CalendarImportProblem(f"{path.name} is over {MAX_BYTES // (1024 * 1024)} MB; export a shorter range")
    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except (ValueError, IndexError, KeyError) as exc:
        raise CalendarImportProblem(f"{path.name} is no iCalendar file ({str(exc).splitlines()[0][:120]})") from None
    me = {address.strip().casefold() for address in vault.config.me_emails}
    index = addresses_of(vault)
    starts = [_day(event.get("DTSTART").dt) for event in calendar.walk("VEVENT") if event.get("DTSTART")]
    starts = [day for day in starts if day is not None]
    outcome = CalendarOutcome()
    exchanges: list[Exchange] = []
    if starts:
        first = min(starts)
        try:
            occurrences = recurring_ical_events.of(calendar).between(first, today + timedelta(days=1))
        except Exception as exc:  # noqa: BLE001 - a broken rule: say which file
            raise CalendarImportProblem(f"{path.name}: its recurring events cannot be expanded ({exc})") from None
        for number, event in enumerate(occurrences):
            if number >= MAX_OCCURRENCES:
                outcome.capped = True
                break
            exchange = _occurrence(event, today, me, index, outcome)
            if exchange is not None:
                exchanges.append(exchange)
    outcome.counted = len(exchanges)
    outcome.written = (write_to_logs if to_logs else write_exchanges)(vault, "calendar", exchanges, dry_run)
    return outcome


def _occurrence(event, today: date, me: set[str], index, outcome: CalendarOutcome):
    start = event.get("DTSTART")
    day = _day(start.dt) if start is not None else None
    if day is None:
        return None
    if day > today:
        outcome.future += 1
        return None
    outcome.events += 1
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        outcome.cancelled += 1
        return None
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    people = set()
    for attendee in attendees:
        address = _address(attendee)
        status = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper()
        if address in me:
            if status == "DECLINED":
                outcome.declined += 1
                return None
            continue
        if status == "DECLINED":
            continue  # they did not come
        people.update(_contacts(address, index, outcome))
    organizer = _address(event.get("ORGANIZER"))
    if organizer and organizer not in me:
        people.update(_contacts(organizer, index, outcome))
    if not people:
        return None
    uid = str(event.get("UID", "")) or str(event.get("SUMMARY", ""))
    return Exchange(day, _channel(event), tuple(sorted(people)), f"{uid}|{day.isoformat()}")


def _contacts(address: str, index, outcome: CalendarOutcome) -> list[str]:
    paths = index.get(address, [])
    if len(paths) > 1:
        outcome.shared[address] = sorted(paths)
        return []
    return list(paths)

"""Strict reading of the dates users write: ``YYYY-MM-DD`` and nothing else."""

from __future__ import annotations

import calendar
import re
from datetime import MAXYEAR, MINYEAR, date

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class DateError(ValueError):
    pass


def parse_date(text: str) -> date:
    """Parse ``YYYY-MM-DD``; raise DateError naming what is wrong."""
    if not isinstance(text, str):
        raise DateError(f"expected a date YYYY-MM-DD, got {text!r}")
    cleaned = text.strip()
    match = _ISO.match(cleaned)
    if not match:
        raise DateError(f"expected a date YYYY-MM-DD, got {cleaned!r}")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise DateError(f"{cleaned!r} is not a real date ({exc})") from None


def birthday_on(birthday: date, year: int) -> date | None:
    """The birthday in ``year``; 29 February falls on 28 February in other years.

    None when ``year`` is outside the calendar (before 1 or after 9999).
    """
    if not MINYEAR <= year <= MAXYEAR:
        return None
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)


_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_day(text: str) -> date:
    """A date field as users write it: ``YYYY-MM-DD``, or a date and time as
    Obsidian's "Date & time" properties store them (``2026-08-15T14:30``),
    which counts as its day (as written, no time-zone shift).  Raises
    DateError like :func:`parse_date`."""
    if isinstance(text, str):
        match = _DATETIME.match(text.strip())
        if match:
            return parse_date(match.group(1))
    return parse_date(text)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WHEN_FORMS = "YYYY-MM-DD, today, yesterday, last monday ... last sunday, 3d or 2w (days or weeks ago)"
_AGO = re.compile(r"^(\d{1,6})\s*([dw])$")
_LAST = re.compile(r"^last\s+([a-z]+)$")


def parse_when(text: str, today: date) -> date:
    """A past day as people say it, relative to ``today``.

    ``YYYY-MM-DD``; ``today``; ``yesterday``; ``last monday`` (the latest
    Monday before today, a week ago when today is a Monday; weekday names
    may be shortened to three letters: ``last tue``); ``3d`` or ``2w``
    (days or weeks ago).  Case and extra spaces do not matter.  Anything
    else raises DateError listing the accepted forms.
    """
    if not isinstance(text, str):
        raise DateError(f"expected a date ({WHEN_FORMS}), got {text!r}")
    cleaned = " ".join(text.split()).lower()
    if _ISO.match(cleaned) or re.match(r"^\d+-\d+-\d+$", cleaned):
        return parse_date(cleaned)
    if cleaned == "today":
        return today
    days = None
    if cleaned == "yesterday":
        days = 1
    elif match := _AGO.match(cleaned):
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
    elif (match := _LAST.match(cleaned)) and (weekday := _weekday(match.group(1))) is not None:
        days = (today.weekday() - weekday - 1) % 7 + 1
    if days is None:
        raise DateError(f"expected a date ({WHEN_FORMS}), got {text.strip()!r}")
    if today.toordinal() - days < date.min.toordinal():
        raise DateError(f"{text.strip()!r} before {today.isoformat()} is before the calendar starts")
    return date.fromordinal(today.toordinal() - days)


def _weekday(word: str) -> int | None:
    if len(word) < 3:
        return None
    for number, name in enumerate(WEEKDAYS):
        if name.startswith(word):
            return number
    return None


def days_before(day: date, days: int) -> date:
    """``day`` minus ``days`` days; 0001-01-01 when that would be earlier
    (a window reaching before the calendar starts simply starts with it)."""
    ordinal = day.toordinal() - days
    return date.fromordinal(max(1, ordinal))

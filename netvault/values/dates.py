"""The dates users write: ``YYYY-MM-DD`` in files (strictly), and the days
people type on the command line (``tomorrow``, ``next tue``, ``dec 15``, ``+2w``)."""

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
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
DAY_FORMS = (
    "YYYY-MM-DD, today, tomorrow, yesterday, friday, next tue, last fri, dec 15 or 15 dec, "
    "+2w or in 3 days, 3 days ago, 3d / 2w / 1m / 1y"
)
WHEN_FORMS = DAY_FORMS  # the name --date's help has used
_OFFSET = re.compile(r"^([+-])?\s*(\d{1,6})\s*(d|w|m|y|days?|weeks?|months?|years?)$")
_IN = re.compile(r"^in\s+(\d{1,6})\s*(d|w|m|y|days?|weeks?|months?|years?)$")
_AGO = re.compile(r"^(\d{1,6})\s*(d|w|m|y|days?|weeks?|months?|years?)\s+ago$")
_RELATIVE_DAY = re.compile(r"^(next|last|this)?\s*([a-z]+)$")
_MONTH_DAY = re.compile(r"^(?:([a-z]+)\.?\s+(\d{1,2})|(\d{1,2})\s+([a-z]+)\.?)(?:,?\s+(\d{4}))?$")


def parse_day_words(text: str, today: date, future: bool) -> date:
    """A day as people type it, relative to ``today``.

    ``YYYY-MM-DD``; ``today``, ``tomorrow``, ``yesterday``; a weekday
    (``friday``, ``fri``: the next one when ``future``, else the last one;
    ``next tue`` and ``last fri`` say which); a month and day (``dec 15``,
    ``15 december``, optionally with a year: the next one on or after today
    when ``future``, else the last one on or before it); an offset
    (``+2w``, ``in 3 days``, ``3 days ago``, ``-1m``; a bare ``3d``, ``2w``,
    ``1m`` or ``1y`` counts ahead when ``future``, back otherwise).  Case
    and spaces do not matter.  Anything else raises DateError listing the
    forms understood.
    """
    if not isinstance(text, str):
        raise DateError(f"expected a date ({DAY_FORMS}), got {text!r}")
    cleaned = " ".join(text.split()).lower()
    if re.match(r"^\d+-\d+-\d+$", cleaned):
        return parse_date(cleaned)
    words = {"today": 0, "tomorrow": 1, "yesterday": -1}
    try:
        if cleaned in words:
            return _shift(today, words[cleaned], "d")
        if match := _OFFSET.match(cleaned):
            sign = {"+": 1, "-": -1, None: 1 if future else -1}[match.group(1)]
            return _shift(today, sign * int(match.group(2)), match.group(3)[0])
        if match := _IN.match(cleaned):
            return _shift(today, int(match.group(1)), match.group(2)[0])
        if match := _AGO.match(cleaned):
            return _shift(today, -int(match.group(1)), match.group(2)[0])
        if (match := _RELATIVE_DAY.match(cleaned)) and (weekday := _weekday(match.group(2))) is not None:
            ahead = match.group(1) == "next" or (match.group(1) != "last" and future)
            if ahead:
                return _shift(today, (weekday - today.weekday() - 1) % 7 + 1, "d")
            return _shift(today, -((today.weekday() - weekday - 1) % 7 + 1), "d")
        if match := _MONTH_DAY.match(cleaned):
            return _month_day(match, today, future)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, DateError):
            raise
        raise DateError(f"{text.strip()!r} from {today.isoformat()} is outside the calendar") from None
    raise DateError(f"expected a date ({DAY_FORMS}), got {text.strip()!r}")


def parse_when(text: str, today: date) -> date:
    """A past day as people say it (``--date`` of ``log`` and ``done``): see
    :func:`parse_day_words`; a bare ``3d`` means three days ago."""
    return parse_day_words(text, today, future=False)


def _shift(day: date, amount: int, unit: str) -> date:
    if unit == "d":
        return date.fromordinal(day.toordinal() + amount)
    if unit == "w":
        return date.fromordinal(day.toordinal() + 7 * amount)
    months = amount * (12 if unit == "y" else 1)
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_day(match: re.Match, today: date, future: bool) -> date:
    name, number = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    month = next((i for i, m in enumerate(MONTH_NAMES, 1) if len(name) >= 3 and m.startswith(name)), None)
    if month is None:
        raise DateError(f"expected a date ({DAY_FORMS}), got {match.group(0)!r}")
    day = int(number)
    if not _exists(2000, month, day):  # 2000 holds every day a month can have
        raise DateError(f"{match.group(0)!r} is not a day of the calendar")
    if match.group(5):
        return date(int(match.group(5)), month, day)
    candidate = date(today.year, month, day) if _exists(today.year, month, day) else None
    if future:
        if candidate is not None and candidate >= today:
            return candidate
        return next(date(y, month, day) for y in range(today.year + 1, today.year + 9) if _exists(y, month, day))
    if candidate is not None and candidate <= today:
        return candidate
    return next(date(y, month, day) for y in range(today.year - 1, today.year - 9, -1) if _exists(y, month, day))


def _exists(year: int, month: int, day: int) -> bool:
    return 1 <= year <= 9999 and 1 <= day <= calendar.monthrange(year, month)[1]


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

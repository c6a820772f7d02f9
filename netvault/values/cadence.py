"""How often to get in touch: the cadence grammar and calendar arithmetic.

Grammar (case-insensitive, surrounding spaces ignored):

- ``Nd``, ``Nw``, ``Nm`` (calendar months), ``Ny`` (calendar years)
- ``N/year`` meaning N times a year, i.e. every round(365.25 / N) days
- the words ``weekly``, ``monthly``, ``quarterly``, ``twice-a-year``,
  ``yearly`` and ``never``
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

DAYS = "days"
MONTHS = "months"
NEVER = "never"

_WORDS = {
    "weekly": (DAYS, 7),
    "monthly": (MONTHS, 1),
    "quarterly": (MONTHS, 3),
    "twice-a-year": (MONTHS, 6),
    "yearly": (MONTHS, 12),
    "never": (NEVER, 0),
}
_UNIT = re.compile(r"^([0-9]{1,5})\s*([dwmy])$")
_PER_YEAR = re.compile(r"^([0-9]{1,4})\s*/\s*year$")


class CadenceError(ValueError):
    pass


@dataclass(frozen=True)
class Cadence:
    """A contact rhythm: a number of days or of calendar months, or never."""

    unit: str
    amount: int
    text: str

    @property
    def is_never(self) -> bool:
        return self.unit == NEVER

    def after(self, start: date) -> date | None:
        """The date one interval after ``start``; None for ``never``."""
        if self.unit == NEVER:
            return None
        if self.unit == DAYS:
            try:
                return start + timedelta(days=self.amount)
            except OverflowError:  # a last contact in year 9999 must not crash the agenda
                return date.max
        return add_months(start, self.amount)

    def __str__(self) -> str:
        return self.text


def describe(text: str) -> str:
    """Cadence text in words: '3m' -> 'every 3 months', '6/year' -> '6 times a year'."""
    cleaned = text.strip().lower()
    if cleaned in _WORDS:
        return cleaned.replace("-", " ")
    match = _UNIT.match(cleaned)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        word = {"d": "day", "w": "week", "m": "month", "y": "year"}[unit]
        return f"every {word}" if amount == 1 else f"every {amount} {word}s"
    match = _PER_YEAR.match(cleaned)
    if match:
        times = int(match.group(1))
        return "once a year" if times == 1 else f"{times} times a year"
    return text


def parse_cadence(text: str) -> Cadence:
    """Parse a cadence; raise CadenceError with a message a user can act on."""
    if not isinstance(text, str):
        raise CadenceError(f"cadence must be text like '3m' or 'quarterly', not {text!r}")
    cleaned = text.strip().lower()
    if cleaned in _WORDS:
        unit, amount = _WORDS[cleaned]
        return Cadence(unit, amount, cleaned)
    match = _UNIT.match(cleaned)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if amount == 0:
            raise CadenceError(f"cadence {text!r} must be at least 1")
        if unit == "d":
            return Cadence(DAYS, amount, cleaned)
        if unit == "w":
            return Cadence(DAYS, amount * 7, cleaned)
        if unit == "m":
            return Cadence(MONTHS, amount, cleaned)
        return Cadence(MONTHS, amount * 12, cleaned)
    match = _PER_YEAR.match(cleaned)
    if match:
        times = int(match.group(1))
        if times == 0:
            raise CadenceError(f"cadence {text!r}: use 'never' instead of 0/year")
        if times > 366:
            raise CadenceError(f"cadence {text!r}: at most 366/year")
        return Cadence(DAYS, round(365.25 / times), cleaned.replace(" ", ""))
    raise CadenceError(
        f"unknown cadence {text!r}; use Nd, Nw, Nm, Ny, N/year, weekly, monthly, "
        "quarterly, twice-a-year, yearly or never"
    )


def add_months(start: date, months: int) -> date:
    """Calendar-month addition with end-of-month clamping (Jan 31 + 1m = Feb 28/29)."""
    index = start.month - 1 + months
    year = start.year + index // 12
    month = index % 12 + 1
    if year > 9999:
        return date.max
    if year < 1:
        return date.min
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)

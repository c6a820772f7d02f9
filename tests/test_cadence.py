"""The cadence grammar and calendar-month arithmetic (PRODUCT.md, "When someone is due")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.values.cadence import (
    DAYS,
    MONTHS,
    NEVER,
    CadenceError,
    add_months,
    describe,
    parse_cadence,
)

# --- grammar: what is accepted and what it means ---------------------------

ACCEPTED = [
    # text, unit, amount (days or months)
    ("1d", DAYS, 1),
    ("10d", DAYS, 10),
    ("1w", DAYS, 7),
    ("3w", DAYS, 21),
    ("1m", MONTHS, 1),
    ("3m", MONTHS, 3),
    ("18m", MONTHS, 18),
    ("1y", MONTHS, 12),
    ("2y", MONTHS, 24),
    ("6/year", DAYS, 61),  # round(365.25 / 6) = round(60.875)
    ("4/year", DAYS, 91),  # round(91.3125)
    ("12/year", DAYS, 30),  # round(30.4375)
    ("2/year", DAYS, 183),  # round(182.625)
    ("1/year", DAYS, 365),  # round(365.25): N/year is days, not calendar years
    ("52/year", DAYS, 7),  # round(7.02)
    ("weekly", DAYS, 7),
    ("monthly", MONTHS, 1),
    ("quarterly", MONTHS, 3),
    ("twice-a-year", MONTHS, 6),
    ("yearly", MONTHS, 12),
]


@pytest.mark.parametrize(("text", "unit", "amount"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_grammar_accepts(text, unit, amount):
    cadence = parse_cadence(text)
    assert (cadence.unit, cadence.amount) == (unit, amount)
    assert not cadence.is_never


def test_never_is_a_cadence_with_no_next_date():
    cadence = parse_cadence("never")
    assert cadence.unit == NEVER
    assert cadence.is_never
    assert cadence.after(date(2026, 1, 1)) is None


SPELLINGS = [
    # user's spelling, canonical spelling it must mean the same as
    ("WEEKLY", "weekly"),
    ("  Quarterly  ", "quarterly"),
    ("Twice-A-Year", "twice-a-year"),
    ("Never", "never"),
    ("3M", "3m"),
    (" 3m\t", "3m"),
    ("3 m", "3m"),
    ("2 W", "2w"),
    ("6 / Year", "6/year"),
    ("6/YEAR", "6/year"),
    ("007d", "7d"),
]


@pytest.mark.parametrize(("text", "canonical"), SPELLINGS, ids=[repr(s[0]) for s in SPELLINGS])
def test_case_and_spaces_do_not_matter(text, canonical):
    got, want = parse_cadence(text), parse_cadence(canonical)
    assert (got.unit, got.amount) == (want.unit, want.amount)


def test_text_is_kept_lowercased_and_trimmed():
    assert parse_cadence("  Quarterly ").text == "quarterly"
    assert str(parse_cadence(" 3M ")) == "3m"
    assert parse_cadence("6 / Year").text == "6/year"


REJECTED = [
    "",
    "   ",
    "0d",
    "0w",
    "0m",
    "0y",
    "0/year",
    "-1d",
    "-3m",
    "-6/year",
    "3x",
    "3",
    "d",
    "m3",
    "3.5m",
    "1,5m",
    "every month",
    "every 3 months",
    "bi-weekly",
    "twice a year",
    "3 months",
    "6/month",
    "6 per year",
    "367/year",
]


@pytest.mark.parametrize("text", REJECTED, ids=[repr(t) for t in REJECTED])
def test_grammar_rejects(text):
    with pytest.raises(CadenceError):
        parse_cadence(text)


@pytest.mark.parametrize("value", [3, None, 3.0, ["3m"]], ids=["int", "None", "float", "list"])
def test_non_text_is_rejected(value):
    with pytest.raises(CadenceError):
        parse_cadence(value)


def test_cadence_error_is_a_value_error_with_a_helpful_message():
    with pytest.raises(ValueError) as info:
        parse_cadence("every month")
    message = str(info.value)
    assert "every month" in message
    for hint in ("Nd", "N/year", "quarterly", "never"):
        assert hint in message


def test_zero_per_year_suggests_never():
    with pytest.raises(CadenceError, match="never"):
        parse_cadence("0/year")


# --- Cadence.after -----------------------------------------------------------

AFTER = [
    ("6/year", date(2026, 1, 1), date(2026, 3, 3)),  # 61 days
    ("weekly", date(2026, 12, 28), date(2027, 1, 4)),
    ("10d", date(2028, 2, 25), date(2028, 3, 6)),  # through 29 Feb
    ("3m", date(2026, 1, 31), date(2026, 4, 30)),
    ("monthly", date(2026, 1, 31), date(2026, 2, 28)),
    ("monthly", date(2028, 1, 31), date(2028, 2, 29)),
    ("1y", date(2028, 2, 29), date(2029, 2, 28)),
    ("4y", date(2028, 2, 29), date(2032, 2, 29)),
    ("twice-a-year", date(2026, 8, 31), date(2027, 2, 28)),
    ("yearly", date(2026, 5, 2), date(2027, 5, 2)),
]


@pytest.mark.parametrize(
    ("text", "start", "expected"), AFTER, ids=[f"{a[0]} from {a[1]}" for a in AFTER]
)
def test_after(text, start, expected):
    assert parse_cadence(text).after(start) == expected


# --- add_months: calendar months, end of month clamped ---------------------

ADD_MONTHS = [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),  # non-leap
    (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap
    (date(2100, 1, 31), 1, date(2100, 2, 28)),  # century, not leap
    (date(2000, 1, 31), 1, date(2000, 2, 29)),  # 400-year, leap
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 12, 31), 2, date(2027, 2, 28)),
    (date(2027, 12, 31), 2, date(2028, 2, 29)),
    (date(2026, 11, 15), 1, date(2026, 12, 15)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),  # year rollover
    (date(2026, 12, 1), 13, date(2028, 1, 1)),
    (date(2026, 5, 31), 0, date(2026, 5, 31)),
    (date(2026, 1, 30), 1, date(2026, 2, 28)),
    (date(2026, 2, 28), 1, date(2026, 3, 28)),  # no "end of month sticks"
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2026, 10, 31), 24, date(2028, 10, 31)),
]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    ADD_MONTHS,
    ids=[f"{a[0]}+{a[1]}m" for a in ADD_MONTHS],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=0, max_value=600),
)
def test_add_months_property(start, months):
    result = add_months(start, months)
    # lands in exactly the right calendar month
    assert _month_index(result) == _month_index(start) + months
    # keeps the day, or is clamped to the last day of a shorter month
    assert result.day <= start.day
    if result.day < start.day:
        assert (result + timedelta(days=1)).day == 1
    assert result >= start


# --- N/year rounding ---------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(times=st.integers(min_value=1, max_value=366))
def test_per_year_is_nearest_whole_number_of_days(times):
    cadence = parse_cadence(f"{times}/year")
    assert cadence.unit == DAYS
    assert cadence.amount >= 1
    # the nearest whole number of days to 365.25 / N (there are no ties)
    assert abs(cadence.amount - 365.25 / times) <= 0.5
    # N visits of that length fit a year to within N/2 days
    assert abs(cadence.amount * times - 365.25) <= times / 2


# --- describe ----------------------------------------------------------------

DESCRIBE = [
    ("1d", "every day"),
    ("10d", "every 10 days"),
    ("1w", "every week"),
    ("2w", "every 2 weeks"),
    ("1m", "every month"),
    ("3m", "every 3 months"),
    ("1y", "every year"),
    ("2y", "every 2 years"),
    ("6/year", "6 times a year"),
    ("1/year", "once a year"),
    ("6 / Year", "6 times a year"),
    (" 3M ", "every 3 months"),
    ("weekly", "weekly"),
    ("Quarterly", "quarterly"),
    ("twice-a-year", "twice a year"),
    ("never", "never"),
    ("every month", "every month"),  # not a cadence: returned as written
    ("3x", "3x"),
]


@pytest.mark.parametrize(("text", "words"), DESCRIBE, ids=[repr(d[0]) for d in DESCRIBE])
def test_describe(text, words):
    assert describe(text) == words


@pytest.mark.parametrize("text", [a[0] for a in ACCEPTED] + ["never"])
def test_describe_works_for_every_accepted_form(text):
    words = describe(text)
    assert words and "-" not in words and not any(ch.isupper() for ch in words)



def test_add_months_reaches_the_last_and_first_years_exactly():
    from netvault.values.cadence import add_months

    assert add_months(date(9999, 1, 15), 11) == date(9999, 12, 15)  # still a real date
    assert add_months(date(9999, 12, 31), 1) == date.max  # past the calendar: its end
    assert add_months(date(2, 1, 15), -12) == date(1, 1, 15)
    assert add_months(date(1, 12, 31), -11) == date(1, 1, 31)
    assert add_months(date(1, 1, 1), -1) == date.min

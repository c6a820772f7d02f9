"""Quick capture: --date yesterday / last monday / 3d / 2w, and first names."""

from __future__ import annotations

import json
from datetime import date

import pytest

from netvault.read.model import Contact
from netvault.read.names import LookupFailed, NameIndex
from netvault.values.dates import DateError, parse_when

SUNDAY = date(2026, 11, 22)
WEDNESDAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    "text, today, expected",
    [
        ("2026-07-01", SUNDAY, date(2026, 7, 1)),
        ("today", SUNDAY, SUNDAY),
        ("yesterday", SUNDAY, date(2026, 11, 21)),
        ("Yesterday ", SUNDAY, date(2026, 11, 21)),
        ("yesterday", date(2026, 3, 1), date(2026, 2, 28)),
        ("3d", SUNDAY, date(2026, 11, 19)),
        ("0d", SUNDAY, SUNDAY),
        ("2w", SUNDAY, date(2026, 11, 8)),
        ("2 w", SUNDAY, date(2026, 11, 8)),
        ("last monday", WEDNESDAY, date(2026, 11, 16)),
        ("last tuesday", WEDNESDAY, date(2026, 11, 17)),
        ("last wednesday", WEDNESDAY, date(2026, 11, 11)),  # today is Wednesday: a week ago
        ("last thursday", WEDNESDAY, date(2026, 11, 12)),
        ("last friday", WEDNESDAY, date(2026, 11, 13)),
        ("last saturday", WEDNESDAY, date(2026, 11, 14)),
        ("last sunday", WEDNESDAY, date(2026, 11, 15)),
        ("last sunday", SUNDAY, date(2026, 11, 15)),
        ("Last  MONDAY", SUNDAY, date(2026, 11, 16)),
        ("last fri", SUNDAY, date(2026, 11, 20)),
        ("last thurs", SUNDAY, date(2026, 11, 19)),
    ],
)
def test_every_date_form(text, today, expected):
    assert parse_when(text, today) == expected


@pytest.mark.parametrize("text", ["soon", "last mo", "last week", "next", "3", "", "2026/11/01", "3 fortnights"])
def test_other_words_are_refused_with_the_forms_listed(text):
    with pytest.raises(DateError) as exc:
        parse_when(text, SUNDAY)
    message = str(exc.value)
    for form in ("YYYY-MM-DD", "tomorrow", "yesterday", "next tue", "last fri", "dec 15", "+2w", "in 3 days", "3d"):
        assert form in message


def test_not_a_real_date_and_before_the_calendar():
    with pytest.raises(DateError, match="not a real date"):
        parse_when("2026-02-30", SUNDAY)
    with pytest.raises(DateError, match="outside the calendar"):
        parse_when("3d", date(1, 1, 2))
    with pytest.raises(DateError):
        parse_when(None, SUNDAY)


JANE = "---\nname: Jane Doe\ncircle: strategic\nlast_contact: 2026-06-01\n---\nNotes.\n"


def test_log_date_yesterday_and_last_monday(make_vault, run):
    root = make_vault({"people/Jane Doe.md": JANE})
    result = run("log", "Jane", "call", "--date", "yesterday", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "Logged for Jane Doe (people/Jane Doe.md): 2026-11-21 call" in result.output
    result = run("log", "Jane", "coffee", "--date", "last monday", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    text = (root / "people" / "Jane Doe.md").read_text("utf-8")
    assert "- 2026-11-21 call\n" in text and "- 2026-11-16 coffee\n" in text
    assert "last_contact: 2026-11-21\n" in text


def test_log_date_ago_and_a_bad_date(make_vault, run):
    root = make_vault({"people/Jane Doe.md": JANE})
    result = run("log", "Jane", "call", "--date", "2w", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "2026-11-08 call" in result.output
    before = (root / "people" / "Jane Doe.md").read_bytes()
    result = run("log", "Jane", "call", "--date", "soon", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 2
    assert "Invalid value for '--date': expected a date (YYYY-MM-DD, today, tomorrow, yesterday" in result.output
    assert (root / "people" / "Jane Doe.md").read_bytes() == before


def test_done_date_takes_the_same_words(make_vault, run):
    root = make_vault(
        {"people/Jane Doe.md": JANE.replace("---\nNotes", "follow_up: 2026-11-20 send the deck\n---\nNotes")}
    )
    result = run("done", "jane", "--date", "3d", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "- 2026-11-19 done: send the deck\n" in (root / "people" / "Jane Doe.md").read_text("utf-8")


def contact(name, *aliases):
    return Contact(f"people/{name}.md", name, aliases=tuple(aliases))


INDEX = NameIndex(
    [
        contact("Hannah Lindqvist"),
        contact("Margaret Osei", "Maggie"),
        contact("Chris Lee"),
        contact("Christine Ober"),
        contact("Sam Park"),
        contact("Sam Reed"),
        contact("Zoë Hartmann"),
    ]
)


@pytest.mark.parametrize(
    "typed, name",
    [
        ("Hannah", "Hannah Lindqvist"),
        ("hannah", "Hannah Lindqvist"),
        ("Maggie", "Margaret Osei"),
        ("margaret", "Margaret Osei"),
        ("Christ", "Christine Ober"),
        ("zoe", "Zoë Hartmann"),
    ],
)
def test_first_names_and_nicknames(typed, name):
    assert INDEX.find(typed).name == name


def test_an_ambiguous_first_name_lists_the_candidates():
    with pytest.raises(LookupFailed) as exc:
        INDEX.find("sam")
    assert str(exc.value) == (
        "'sam' matches more than one contact; did you mean: "
        "Sam Park (people/Sam Park.md); Sam Reed (people/Sam Reed.md)"
    )


def test_a_first_name_that_starts_another_is_ambiguous():
    # "Chris" may be Christine's nickname: netvault asks rather than guess.
    with pytest.raises(LookupFailed) as exc:
        INDEX.find("Chris")
    assert [c.name for c in exc.value.candidates] == ["Chris Lee", "Christine Ober"]
    assert INDEX.find("Chris Lee").name == "Chris Lee"


def test_log_by_first_name_and_ambiguous_stays_an_error(make_vault, run):
    root = make_vault(
        {
            "people/Hannah Lindqvist.md": "---\nname: Hannah Lindqvist\ncircle: cold\n---\n",
            "people/Sam Park.md": "---\nname: Sam Park\ncircle: cold\n---\n",
            "people/Sam Reed.md": "---\nname: Sam Reed\naliases: [Sammy]\ncircle: cold\n---\n",
        }
    )
    result = run("log", "hannah", "call", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "Logged for Hannah Lindqvist" in result.output
    result = run("log", "sammy", "call", "--vault", root, "--today", "2026-11-22")
    assert "Logged for Sam Reed" in result.output
    result = run("log", "Sam", "call", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "'Sam' matches more than one contact; did you mean: Sam Park" in result.output


# The days people type, for every option that takes one (relative to --today,
# 2026-11-22, a Sunday).
TYPED = [
    ("tomorrow", True, date(2026, 11, 23)),
    ("next tue", True, date(2026, 11, 24)),
    ("friday", True, date(2026, 11, 27)),
    ("friday", False, date(2026, 11, 20)),
    ("1w", True, date(2026, 11, 29)),
    ("+2w", True, date(2026, 12, 6)),
    ("in 3 days", True, date(2026, 11, 25)),
    ("3 days ago", True, date(2026, 11, 19)),
    ("3d", False, date(2026, 11, 19)),
    ("1m", True, date(2026, 12, 22)),
    ("dec 15", True, date(2026, 12, 15)),
    ("15 December", True, date(2026, 12, 15)),
    ("nov 30", False, date(2025, 11, 30)),
    ("jan 5", True, date(2027, 1, 5)),
    ("feb 29", True, date(2028, 2, 29)),
    ("Dec 15, 2027", True, date(2027, 12, 15)),
]


@pytest.mark.parametrize(("text", "future", "expected"), TYPED, ids=[f"{t} {'ahead' if f else 'back'}" for t, f, _ in TYPED])
def test_days_people_type(text, future, expected):
    from netvault.values.dates import parse_day_words

    assert parse_day_words(text, SUNDAY, future) == expected


def test_31_february_is_no_day():
    from netvault.values.dates import parse_day_words

    with pytest.raises(DateError, match="'31 feb' is not a day of the calendar"):
        parse_day_words("31 feb", SUNDAY, True)


def test_follow_up_and_snooze_take_the_days_people_type(make_vault, run):
    root = make_vault({"people/Jane Doe.md": JANE})
    result = run("follow-up", "jane", "next", "tue", "send", "the", "deck", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "follow_up: 2026-11-24 send the deck" in (root / "people" / "Jane Doe.md").read_text()
    result = run("follow-up", "jane", "in", "3", "days", "call", "--vault", root, "--today", "2026-11-22")
    assert "follow_up: 2026-11-25 call" in (root / "people" / "Jane Doe.md").read_text(), result.output
    result = run("snooze", "jane", "--until", "dec 15", "--vault", root, "--today", "2026-11-22")
    assert "snooze_until: 2026-12-15" in (root / "people" / "Jane Doe.md").read_text(), result.output
    result = run("follow-up", "jane", "soonish", "x", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 2 and "Invalid value for 'DATE': expected a date (YYYY-MM-DD, today" in result.output


@pytest.mark.clock
def test_today_itself_may_be_a_day_people_type(make_vault, run, monkeypatch):
    from netvault.cli import options

    monkeypatch.setattr(options, "clock_today", lambda: date(2026, 11, 23))
    root = make_vault({"people/Jane Doe.md": JANE})
    result = run("agenda", "--vault", root, "--today", "yesterday", "--format", "json")
    assert json.loads(result.stdout)["today"] == "2026-11-22"

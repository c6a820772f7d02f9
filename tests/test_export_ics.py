"""iCalendar export: touch-bases, follow-ups, birthdays, alarms, stable bytes."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from netvault import __version__
from netvault.interop.ics import calendar, parse_alarm, uid
from netvault.playbook.due import compute_due
from netvault.read.loader import load_vault

from .conftest import REPO

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def example():
    return load_vault(REPO / "example_vault", TODAY)


@pytest.fixture(scope="module")
def example_bytes(example):
    return calendar(example, TODAY)


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def kind_of(event) -> str:
    return next(k for k in ("touch-base", "follow-up", "birthday") if str(event["UID"]).startswith(k + "-"))


def by_summary(data: bytes) -> dict:
    return {str(e["SUMMARY"]): e for e in events(data)}


def start(event) -> date:
    return event["DTSTART"].dt


def contact(name: str, circle: str | None = "strategic", **fields) -> str:
    lines = ["---", f"name: {name}"]
    if circle:
        lines.append(f"circle: {circle}")
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines + ["---", ""])


def load(make_vault, files: dict[str, str]):
    return load_vault(make_vault(files), TODAY)


# --- the calendar ---------------------------------------------------------------


def test_calendar_header(example_bytes):
    cal = Calendar.from_ical(example_bytes)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == f"-//netvault//netvault {__version__}//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "netvault"
    assert example_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert example_bytes.endswith(b"END:VCALENDAR\r\n")


def test_every_contact_with_a_next_due_date_has_one_touch_base_on_it(example, example_bytes):
    touch = [e for e in events(example_bytes) if str(e["UID"]).startswith("touch-base-")]
    by_uid = Counter(str(e["UID"]) for e in touch)
    expected = 0
    for person in example.contacts:
        info = compute_due(person, example.config, TODAY, None, example.interactions.get(person.path, ()))
        key = uid(person, "touch-base")
        if info.next_due is None:
            assert by_uid[key] == 0, person.name
            continue
        expected += 1
        assert by_uid[key] == 1, person.name
        (event,) = [e for e in touch if str(e["UID"]) == key]
        on = max(info.next_due, TODAY)  # a late one is on the export's day
        assert start(event) == on
        assert event["DTEND"].dt == on + timedelta(days=1)
        late = (TODAY - info.next_due).days
        description = str(event["DESCRIPTION"])
        if late > 0:
            assert description.startswith(f"{late} day{'' if late == 1 else 's'} late (due "), description
        else:
            assert " late (due " not in description
        assert not isinstance(start(event), datetime)  # all day
        assert str(event["SUMMARY"]) == f"Touch base with {person.name}"
        assert str(event["TRANSP"]) == "TRANSPARENT"
        categories = [str(c) for c in event["CATEGORIES"].cats]
        assert categories[:2] == ["netvault", "touch-base"]
        if person.circle:
            assert categories[2] == person.circle
        assert person.path in str(event["DESCRIPTION"])
    assert expected == len(touch) > 20


def test_cold_contacts_and_cadence_never_have_no_touch_base(make_vault):
    vault = load(make_vault, {
        "people/Cold Carl.md": contact("Cold Carl", "cold", last_contact="2026-01-01"),
        "people/Never Nina.md": contact("Never Nina", "buddy", cadence="never"),
        "people/No Circle.md": contact("No Circle", None),
        "people/Busy Bea.md": contact("Busy Bea", "buddy", last_contact="2026-11-01"),
    })
    summaries = set(by_summary(calendar(vault, TODAY)))
    assert summaries == {"Touch base with Busy Bea"}


def test_description_says_circle_cadence_last_contact_job_talking_point_and_path(make_vault):
    vault = load(make_vault, {
        "people/Jane Doe.md": contact(
            "Jane Doe", last_contact="2026-09-14", org="Acme", role="Head of Product",
            cadence="3m", interests="grid storage",
        ),
    })
    (event,) = events(calendar(vault, TODAY))
    assert start(event) == date(2026, 12, 14)
    lines = str(event["DESCRIPTION"]).split("\n")
    assert lines[0] == "strategic, every 3 months, last contact 14 Sep 2026"
    assert lines[1] == "Head of Product at Acme"
    assert lines[2].startswith("Talking point: ")
    assert lines[-1] == "people/Jane Doe.md"


def test_never_contacted_is_due_today(make_vault):
    vault = load(make_vault, {"people/New.md": contact("New Person", "buddy")})
    (event,) = events(calendar(vault, TODAY))
    assert start(event) == TODAY
    assert str(event["DESCRIPTION"]).startswith("buddy, 6 times a year, never contacted")


# --- follow-ups -------------------------------------------------------------------


def test_follow_ups_on_their_dates(example, example_bytes):
    follow = [e for e in events(example_bytes) if str(e["UID"]).startswith("follow-up-")]
    people = [p for p in example.contacts if p.follow_up is not None]
    assert len(follow) == len(people) == 4
    for person in people:
        (event,) = [e for e in follow if str(e["UID"]) == uid(person, "follow-up")]
        assert start(event) == max(person.follow_up.date, TODAY)
        late = (TODAY - person.follow_up.date).days
        assert (late > 0) == str(event["DESCRIPTION"]).startswith(f"{late} days late (promised for ")
        assert str(event["SUMMARY"]) == f"Follow up with {person.name}: {person.follow_up.note}"
        assert [str(c) for c in event["CATEGORIES"].cats][:2] == ["netvault", "follow-up"]


def test_follow_up_without_a_note(make_vault):
    vault = load(make_vault, {
        "people/Jane.md": contact("Jane Doe", "cold", follow_up="2026-12-01"),
    })
    (event,) = events(calendar(vault, TODAY))
    assert str(event["SUMMARY"]) == "Follow up with Jane Doe"
    assert start(event) == date(2026, 12, 1)


# --- birthdays ----------------------------------------------------------------------


def test_birthdays_recur_yearly_from_the_birth_year(example, example_bytes):
    found = [e for e in events(example_bytes) if str(e["UID"]).startswith("birthday-")]
    people = [p for p in example.contacts if p.birthday is not None and p.circle != "cold"]
    assert len(found) == len(people) == 5
    for person in people:
        (event,) = [e for e in found if str(e["UID"]) == uid(person, "birthday")]
        b = person.birthday
        assert start(event) == date(b.year, b.month, b.day)
        assert event["RRULE"].to_ical() == b"FREQ=YEARLY"
        assert str(event["SUMMARY"]) == f"{person.name}'s birthday"
        assert str(event["DESCRIPTION"]).startswith(f"born {b.year}")


def birthdays_vault(make_vault):
    return load(make_vault, {
        "people/Leap.md": contact("Leap Lee", "buddy", birthday="1988-02-29"),
        "people/Leap No Year.md": contact("Leap Noyear", "strategic", birthday="02-29"),
        "people/No Year.md": contact("No Year", "lukewarm", birthday="07-04"),
    })


def occurrences(event, years: range) -> list[date]:
    """Expand the event's yearly rule with dateutil (icalendar depends on it)."""
    rrule = pytest.importorskip("dateutil.rrule")
    first = start(event)
    rule = rrule.rrulestr(event["RRULE"].to_ical().decode(), dtstart=datetime.combine(first, datetime.min.time()))
    end = datetime(years.stop, 1, 1)
    return [d.date() for d in rule.between(datetime(years.start, 1, 1), end, inc=True)]


def test_29_february_is_the_last_day_of_february(make_vault):
    found = by_summary(calendar(birthdays_vault(make_vault), TODAY))
    leap = found["Leap Lee's birthday"]
    assert start(leap) == date(1988, 2, 29)
    rule = leap["RRULE"]
    assert rule["FREQ"] == ["YEARLY"] and rule["BYMONTH"] == [2] and rule["BYMONTHDAY"] == [-1]
    assert occurrences(leap, range(2026, 2029)) == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]
    # The first occurrence is the start date itself: DTSTART is on the rule.
    assert occurrences(leap, range(1988, 1989)) == [date(1988, 2, 29)]


def test_birthday_without_a_year_starts_in_2000(make_vault):
    found = by_summary(calendar(birthdays_vault(make_vault), TODAY))
    plain = found["No Year's birthday"]
    assert start(plain) == date(2000, 7, 4)
    assert plain["RRULE"].to_ical() == b"FREQ=YEARLY"
    assert str(plain["DESCRIPTION"]).startswith("year of birth unknown")
    leap = found["Leap Noyear's birthday"]
    assert start(leap) == date(2000, 2, 29)
    assert occurrences(leap, range(2027, 2029)) == [date(2027, 2, 28), date(2028, 2, 29)]


def test_birthday_start_does_not_depend_on_today(make_vault):
    vault = birthdays_vault(make_vault)
    one = {str(e["UID"]): start(e) for e in events(calendar(vault, TODAY)) if str(e["UID"]).startswith("birthday-")}
    other = {
        str(e["UID"]): start(e) for e in events(calendar(vault, date(2031, 3, 1))) if str(e["UID"]).startswith("birthday-")
    }
    assert one == other and len(one) == 3


# --- alarms ---------------------------------------------------------------------------


def test_no_alarm_by_default(example_bytes):
    assert b"BEGIN:VALARM" not in example_bytes


@pytest.mark.parametrize(
    "text, offset, written",
    [
        ("9h", timedelta(hours=9), b"TRIGGER;RELATED=START:PT9H"),
        ("-1d", timedelta(days=-1), b"TRIGGER;RELATED=START:-P1D"),
        ("-2h30m", -timedelta(hours=2, minutes=30), b"TRIGGER;RELATED=START:-PT2H30M"),
    ],
)
def test_alarm_on_every_event(example, text, offset, written):
    assert parse_alarm(text) == offset
    data = calendar(example, TODAY, parse_alarm(text))
    found = events(data)
    assert data.count(written) == len(found)
    for event in found:
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"]) == str(event["SUMMARY"])
        assert alarm["TRIGGER"].dt == offset
        assert alarm["TRIGGER"].params["RELATED"] == "START"


@pytest.mark.parametrize(
    "text, offset",
    [
        ("9h", timedelta(hours=9)),
        ("30m", timedelta(minutes=30)),
        ("1d", timedelta(days=1)),
        ("-1d", timedelta(days=-1)),
        ("-2h30m", -timedelta(hours=2, minutes=30)),
        ("+1w", timedelta(weeks=1)),
        (" 0h ", timedelta(0)),
        ("1D12H", timedelta(days=1, hours=12)),
    ],
)
def test_parse_alarm(text, offset):
    assert parse_alarm(text) == offset


@pytest.mark.parametrize("text", ["", "9", "h", "-", "9x", "1h1d", "9h-1m", "tomorrow", "1.5h", "99999999999h"])
def test_parse_alarm_rejects_with_a_clear_message(text):
    with pytest.raises(ValueError, match=r"expected an alarm offset like 9h, 30m, 1d, -1d or -2h30m"):
        parse_alarm(text)


# --- stable, valid bytes ----------------------------------------------------------------


def test_two_exports_are_byte_identical(example, example_bytes):
    assert calendar(example, TODAY) == example_bytes
    again = load_vault(REPO / "example_vault", TODAY)
    assert calendar(again, TODAY) == example_bytes


def test_uids_are_unique_and_stable_across_days(example, example_bytes):
    uids = [str(e["UID"]) for e in events(example_bytes)]
    assert len(uids) == len(set(uids))
    assert all(u.endswith("@netvault") for u in uids)
    later = {str(e["UID"]) for e in events(calendar(example, date(2027, 2, 1)))}
    # Touch-bases move, birthdays stay; what exists on both days keeps its UID.
    assert {u for u in uids if u.startswith(("touch-base", "birthday"))} <= later


def test_uid_depends_on_path_and_kind_only(make_vault):
    first = load(make_vault, {"people/Jane.md": contact("Jane Doe", last_contact="2026-01-01")})
    second = load(make_vault, {"people/Jane.md": contact("Jane Doe", last_contact="2026-11-01")})
    (one,) = events(calendar(first, TODAY))
    (two,) = events(calendar(second, TODAY))
    assert start(one) != start(two)
    assert one["UID"] == two["UID"]


def test_dtstamp_is_today_at_midnight_utc(example_bytes):
    stamps = {e["DTSTAMP"].to_ical() for e in events(example_bytes)}
    assert stamps == {b"20261122T000000Z"}


def test_events_are_sorted_by_date_then_kind_then_name(example_bytes):
    order = {"touch-base": 0, "follow-up": 1, "birthday": 2}
    keys = [(start(e), order[kind_of(e)]) for e in events(example_bytes)]
    assert keys == sorted(keys)


def test_crlf_and_folding_at_75_octets(make_vault):
    long_name = "Søren Kjeldsen-Ødegård " + "Å" * 60
    vault = load(make_vault, {
        "people/Long.md": contact(long_name, org="Ærø Ørsted Ålborg " * 6, follow_up="2026-12-01 " + "ü" * 80),
    })
    data = calendar(vault, TODAY)
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # never folded inside a character
    assert f"Touch base with {long_name}" in by_summary(data)


def test_commas_semicolons_backslashes_and_newlines_are_escaped(make_vault):
    vault = load(make_vault, {
        "people/Odd.md": "\n".join([
            "---",
            'name: "Doe, Jane; \\\\the second"',
            "circle: buddy",
            'follow_up: "2026-12-01 send the deck, the notes; and a\\\\b"',
            'org: "Acme, Inc."',
            'role: "VP; Sales"',
            "---",
            "",
        ]),
    })
    name = "Doe, Jane; \\the second"
    assert vault.contacts[0].name == name
    data = calendar(vault, TODAY)
    assert b"SUMMARY:Touch base with Doe\\, Jane\\; \\\\the second\r\n" in data
    found = by_summary(data)
    follow = found[f"Follow up with {name}: send the deck, the notes; and a\\b"]
    description = str(follow["DESCRIPTION"])
    assert description.split("\n")[1] == "VP; Sales at Acme, Inc."
    assert b"\\n" in data  # the description's line breaks, escaped


def test_line_breaks_and_control_characters_in_values_stay_out_of_the_structure(make_vault):
    vault = load(make_vault, {
        "people/Odd.md": "---\nname: \"Jane\\nBEGIN:VEVENT\\x1b[31m\"\ncircle: buddy\n---\n",
    })
    data = calendar(vault, TODAY)
    assert data.count(b"\r\nBEGIN:VEVENT\r\n") == 1
    assert b"\x1b" not in data
    (event,) = events(data)
    assert str(event["SUMMARY"]) == "Touch base with Jane BEGIN:VEVENT\\x1b[31m"


def test_empty_vault(make_vault):
    vault = load(make_vault, {})
    cal = Calendar.from_ical(calendar(vault, TODAY))
    assert cal.walk("VEVENT") == []
    assert str(cal["PRODID"]).startswith("-//netvault//")



def test_a_late_touch_base_moves_with_the_export_day_and_keeps_its_uid(make_vault):
    files = {"people/Victor Lang.md": "---\ncircle: strategic\nlast_contact: 2025-07-08\n---\n"}
    vault = load(make_vault, files)
    first = [e for e in events(calendar(vault, TODAY)) if str(e["UID"]).startswith("touch-base-")]
    later = [e for e in events(calendar(vault, date(2026, 11, 29))) if str(e["UID"]).startswith("touch-base-")]
    assert [start(e) for e in first] == [TODAY] and [start(e) for e in later] == [date(2026, 11, 29)]
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in later]
    assert str(first[0]["DESCRIPTION"]).startswith("410 days late (due 8 Oct 2025)")


def test_birthdays_of_people_you_do_not_keep_up_with_are_left_out_unless_asked(make_vault):
    files = {
        "people/Cold.md": contact("Cole Cold", "cold", birthday="1990-05-01"),
        "people/None.md": "---\nname: Nia None\ntype: contact\nbirthday: 1991-06-01\n---\n",
        "people/Warm.md": contact("Wyn Warm", "lukewarm", birthday="1992-07-01"),
    }
    vault = load(make_vault, files)
    assert sorted(s for s in by_summary(calendar(vault, TODAY)) if s.endswith("birthday")) == ["Wyn Warm's birthday"]
    root = make_vault(files, config="[calendar]\nall_birthdays = true\n")
    everyone = load_vault(root, TODAY)
    assert sorted(s for s in by_summary(calendar(everyone, TODAY)) if s.endswith("birthday")) == [
        "Cole Cold's birthday", "Nia None's birthday", "Wyn Warm's birthday",
    ]

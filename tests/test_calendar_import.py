"""netvault import calendar: an .ics export, built here, as evidence of contact."""

from __future__ import annotations

import json

import pytest

from .conftest import TODAY

ME = "sam@example.com"
CONFIG = f'[me]\nemails = ["{ME}"]\n'
CONTACTS = {
    "people/Jane Doe.md": "---\ncircle: buddy\nemail: jane@acme.example\n---\n",
    "people/Ravi Patel.md": "---\ncircle: strategic\nemail: ravi@old.example\nother_emails: [ravi@new.example]\n---\n",
    "people/Omar Haddad.md": "---\ncircle: lukewarm\nemail: omar@haddad.example\n---\n",
}


def event(uid, start, summary, attendees=(), organizer=None, extra=()):
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T000000Z", start, f"SUMMARY:{summary}"]
    if organizer:
        lines.append(f"ORGANIZER:mailto:{organizer}")
    for address, status in attendees:
        lines.append(f"ATTENDEE;PARTSTAT={status}:mailto:{address}")
    lines += list(extra)
    lines.append("END:VEVENT")
    return lines


ICS = "\r\n".join(
    ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//netvault//EN"]
    # a weekly 1:1 with Jane on Mondays at 09:00 London time, from 2 November
    + event(
        "one-to-one@x", "DTSTART;TZID=Europe/London:20261102T090000", "1:1",
        [(ME, "ACCEPTED"), ("jane@acme.example", "ACCEPTED")], ME,
        ["DTEND;TZID=Europe/London:20261102T093000", "RRULE:FREQ=WEEKLY;BYDAY=MO",
         "LOCATION:https://meet.google.com/abc-defg-hij"],
    )
    # ... moved from Monday 9 to Tuesday 10 November
    + event(
        "one-to-one@x", "DTSTART;TZID=Europe/London:20261110T090000", "1:1 (moved)",
        [(ME, "ACCEPTED"), ("jane@acme.example", "ACCEPTED")], ME,
        ["RECURRENCE-ID;TZID=Europe/London:20261109T090000", "LOCATION:https://meet.google.com/abc-defg-hij"],
    )
    # ... and cancelled on Monday 16 November
    + event(
        "one-to-one@x", "DTSTART;TZID=Europe/London:20261116T090000", "1:1",
        [(ME, "ACCEPTED"), ("jane@acme.example", "ACCEPTED")], ME,
        ["RECURRENCE-ID;TZID=Europe/London:20261116T090000", "STATUS:CANCELLED"],
    )
    # lunch with Ravi (his new address), at a place: in person
    + event("lunch@x", "DTSTART:20261104T123000Z", "Lunch", [("ravi@new.example", "ACCEPTED"), ("nobody@else.example", "ACCEPTED")],
            ME, ["LOCATION:Dishoom King's Cross"])
    # a floating time, organised by Omar, declined by me: never counted
    + event("declined@x", "DTSTART:20261105T180000", "Drinks", [(ME, "DECLINED")], "omar@haddad.example")
    # an all-day workshop Omar runs (no place): counted as a meeting
    + event("workshop@x", "DTSTART;VALUE=DATE:20261112", "Workshop", [(ME, "ACCEPTED")], "omar@haddad.example")
    # a future event
    + event("future@x", "DTSTART:20261201T100000Z", "Planning", [("jane@acme.example", "NEEDS-ACTION")], ME)
    + ["END:VCALENDAR", ""]
)


@pytest.fixture
def calendar_vault(make_vault, tmp_path):
    root = make_vault(CONTACTS, CONFIG)
    (tmp_path / "calendar.ics").write_bytes(ICS.encode("utf-8"))
    return root


def test_events_with_contacts_become_evidence_lines(calendar_vault, run, tmp_path):
    result = run("import", "calendar", tmp_path / "calendar.ics", "--vault", calendar_vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "calendar: 6 events up to 2026-11-22, 4 with contacts; 4 new, 0 recorded before; "
        "1 cancelled, 1 declined\n"
    )
    text = (calendar_vault / "interactions" / "calendar" / "2026-11.md").read_text(encoding="utf-8")
    lines = [line.rsplit(" %%", 1)[0] for line in text.splitlines() if line.startswith("- ")]
    assert "- 2026-11-02 video: [[Jane Doe]]" in lines
    assert "- 2026-11-04 in-person: [[Ravi Patel]]" in lines
    assert "- 2026-11-10 video: [[Jane Doe]]" in lines  # moved from the 9th
    assert not any(line.startswith("- 2026-11-09") for line in lines)
    assert not any(line.startswith("- 2026-11-16") for line in lines)  # cancelled
    assert "- 2026-11-12 meeting: [[Omar Haddad]]" in lines
    assert "- 2026-11-23 video: [[Jane Doe]]" not in lines and "2026-11-05" not in text
    assert lines == sorted(lines)


def test_a_second_import_adds_nothing_and_last_contact_moves(calendar_vault, run, tmp_path):
    assert run("import", "calendar", tmp_path / "calendar.ics", "--vault", calendar_vault, "--today", TODAY).exit_code == 0
    evidence = calendar_vault / "interactions" / "calendar" / "2026-11.md"
    before = evidence.read_bytes()
    again = run("import", "calendar", tmp_path / "calendar.ics", "--vault", calendar_vault, "--today", TODAY)
    assert " 0 new, 4 recorded before;" in again.stdout
    assert evidence.read_bytes() == before
    people = json.loads(run("list", "--format", "json", "--vault", calendar_vault, "--today", TODAY).stdout)["people"]
    last = {p["name"]: p["last_contact"] for p in people}
    assert last == {"Jane Doe": "2026-11-10", "Omar Haddad": "2026-11-12", "Ravi Patel": "2026-11-04"}


def test_a_later_today_brings_the_weeks_since(calendar_vault, run, tmp_path):
    assert run("import", "calendar", tmp_path / "calendar.ics", "--vault", calendar_vault, "--today", TODAY).exit_code == 0
    later = run("import", "calendar", tmp_path / "calendar.ics", "--vault", calendar_vault, "--today", "2026-12-08")
    assert later.exit_code == 0, later.output
    december = (calendar_vault / "interactions" / "calendar" / "2026-12.md").read_text(encoding="utf-8")
    assert "- 2026-12-01 meeting: [[Jane Doe]]" in december and "- 2026-12-07 video: [[Jane Doe]]" in december
    november = (calendar_vault / "interactions" / "calendar" / "2026-11.md").read_text(encoding="utf-8")
    assert "- 2026-11-23 video: [[Jane Doe]]" in november and "- 2026-11-30 video: [[Jane Doe]]" in november


@pytest.mark.parametrize(
    "content, reason",
    [(None, "does not exist"), (b"not a calendar at all\n", "is no iCalendar file")],
)
def test_what_is_no_calendar_is_refused_by_name(calendar_vault, run, tmp_path, content, reason):
    path = tmp_path / "broken.ics"
    if content is not None:
        path.write_bytes(content)
    result = run("import", "calendar", path, "--vault", calendar_vault, "--today", TODAY)
    assert result.exit_code == 1 and reason in result.output and "Traceback" not in result.output
    assert not (calendar_vault / "interactions").exists()

"""The agenda's edges, each pinned by a case that fails if the rule moves
by one: the channel filter, the lateness that orders touch-bases, the
window of a job change, which ask is the one still unreturned, how many
asks came in a row, and the talking points a vault sets."""

from __future__ import annotations

from datetime import date, timedelta

from netvault.read.model import LogEntry
from netvault.read.settings import Config

from .test_agenda import TODAY, agenda, kinds, person, vault
from netvault.playbook.agenda import build_agenda


def entry(when: date, text: str, line: int, channel: str | None = "email", **flags) -> LogEntry:
    return LogEntry(date=when, channel=channel, text=text, line=line, **flags)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# ---------------------------------------------------------------- channels


def test_a_channel_filter_keeps_only_touch_bases_of_people_on_that_channel():
    by_email = person("Ema Il", "monthly", channels=("email",), last_contact=ago(40))
    by_phone = person("Pho Ne", "monthly", channels=("phone",), last_contact=ago(40))
    phone_birthday = person("Bir Thday", "monthly", channels=("phone",), last_contact=ago(40))
    phone_birthday = phone_birthday.__class__(**{**phone_birthday.__dict__, "birthday": _birthday_in(3)})
    result = agenda(by_email, by_phone, phone_birthday, channels=["email"])
    assert [(i.name, i.kind) for i in result.items] == [("Ema Il", "touch-base"), ("Bir Thday", "birthday")]
    everyone = agenda(by_email, by_phone, phone_birthday)
    assert {i.name for i in kinds(everyone, "touch-base")} == {"Ema Il", "Pho Ne", "Bir Thday"}


def _birthday_in(days: int):
    from netvault.read.model import Birthday

    day = TODAY + timedelta(days=days)
    return Birthday(day.month, day.day, 1990)


# ---------------------------------------------------------------- order


def test_lateness_is_relative_to_the_rhythm_from_the_first_day_late():
    # one day late on a 2-day rhythm (half a rhythm) comes after 50 days
    # late on a 60-day one (five sixths of a rhythm)
    quick = person("Aa Quick", "2d", last_contact=ago(3))
    slow = person("Zz Slow", "60d", last_contact=ago(110))
    result = agenda(quick, slow)
    assert [(i.name, i.overdue_days) for i in kinds(result, "touch-base")] == [("Zz Slow", 50), ("Aa Quick", 1)]


def test_a_limit_as_large_as_the_agenda_hides_nothing():
    people = [person(f"P{n}", "monthly", last_contact=ago(40 + n)) for n in range(3)]
    result = agenda(*people, limit=3)
    assert len(result.items) == 3 and result.hidden == 0
    cut = agenda(*people, limit=2)
    assert len(cut.items) == 2 and cut.hidden == 1


# ---------------------------------------------------------------- job changes


def _moved(days_ago: int, text: str = "now Head of Data at Orbit #job-change", **flags) -> LogEntry:
    return entry(ago(days_ago), text, 30, channel=None, interaction=False, **flags)


def test_a_job_change_is_congratulated_from_its_day_to_thirty_days_on():
    for days_ago, shown in [(-1, False), (0, True), (1, True), (30, True), (31, False)]:
        contact = person("Job Mover").__class__(**{**person("Job Mover").__dict__, "log": (_moved(days_ago),)})
        found = kinds(agenda(contact), "job-change")
        assert bool(found) is shown, days_ago
        if shown:
            assert found[0].note == "now Head of Data at Orbit" and found[0].since == ago(days_ago)


def test_a_funnel_move_is_no_job_change():
    contact = person("Fun Nel").__class__(
        **{**person("Fun Nel").__dict__, "log": (_moved(2, "moved lukewarm → buddy"),)}
    )
    assert kinds(agenda(contact), "job-change") == []


# ---------------------------------------------------------------- give before you ask


def _with_log(name: str, *entries: LogEntry, **fields):
    base = person(name, **fields)
    return base.__class__(**{**base.__dict__, "log": tuple(entries)})


def test_a_gift_made_today_answers_an_older_ask():
    contact = _with_log(
        "Give Today",
        entry(ago(20), "asked for an intro #asked", 20, asked=True),
        entry(TODAY, "sent the report #gave", 21, gave=True),
    )
    assert kinds(agenda(contact), "reciprocity") == []


def test_of_two_asks_on_one_day_the_first_written_is_the_one_shown():
    contact = _with_log(
        "Two Asks",
        entry(ago(20), "zebra favour #asked", 20, channel=None, asked=True),
        entry(ago(20), "apple favour #asked", 21, channel="email", asked=True),
    )
    (item,) = kinds(agenda(contact), "reciprocity")
    assert item.note == "zebra favour"
    assert item.asked_in_a_row == 2


def test_asks_in_a_row_count_only_those_after_the_last_gift():
    contact = _with_log(
        "Many Asks",
        entry(ago(90), "first #asked", 20, asked=True),
        entry(ago(60), "gift #gave", 21, gave=True),
        entry(ago(60), "same day as the gift #asked", 22, asked=True),
        entry(ago(30), "second #asked", 23, asked=True),
        entry(ago(20), "third #asked", 24, asked=True),
    )
    (item,) = kinds(agenda(contact), "reciprocity")
    assert item.note == "third" and item.asked_in_a_row == 2


def test_with_no_wait_an_ask_made_today_counts_today():
    contact = _with_log(
        "Ask Today",
        entry(ago(10), "earlier #asked", 20, asked=True),
        entry(TODAY, "today #asked", 21, asked=True),
    )
    result = build_agenda(vault(contact, config=Config(give_after=0)), TODAY)
    (item,) = kinds(result, "reciprocity")
    assert item.since == TODAY and item.asked_in_a_row == 2


# ---------------------------------------------------------------- talking points


def test_the_vaults_own_talking_points_reach_the_agenda():
    contact = person("Plain Person", "monthly", last_contact=ago(40))
    config = Config(prompts=("Ask about the move to Lisbon",))
    result = build_agenda(vault(contact, config=config), TODAY)
    (item,) = kinds(result, "touch-base")
    assert "Ask about the move to Lisbon" in item.talking_points
    default = build_agenda(vault(contact), TODAY)
    assert "Ask about the move to Lisbon" not in kinds(default, "touch-base")[0].talking_points

"""When someone is due (PRODUCT.md, "When someone is due"; issue 2, "Rules that must hold exactly")."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.playbook.due import (
    DUE,
    OVERDUE,
    UPCOMING,
    compute_due,
    effective_last_contact,
    last_contact_and_source,
    latest_entry,
)
from netvault.read.loader import load_vault
from netvault.read.model import Contact, Interaction, LogEntry
from netvault.read.settings import DEFAULT_CADENCE_TEXT, Config, load_config
from netvault.values.cadence import parse_cadence

CONFIG = Config()


def person(name="Jane Doe", cadence=None, log=(), **fields) -> Contact:
    """A contact; ``cadence`` as text, ``log`` as dates or (date, gave, asked) tuples."""
    entries = []
    for number, item in enumerate(log, start=20):
        when, gave, asked = item if isinstance(item, tuple) else (item, False, False)
        entries.append(LogEntry(date=when, channel="email", text="talked", line=number, gave=gave, asked=asked))
    return Contact(
        path=f"people/{name}.md",
        name=name,
        cadence=parse_cadence(cadence) if cadence is not None else None,
        log=tuple(entries),
        **fields,
    )


def config_with(**overrides: str) -> Config:
    texts = {**DEFAULT_CADENCE_TEXT, **overrides}
    return Config(cadence=MappingProxyType({k: parse_cadence(v) for k, v in texts.items()}))


D = date  # short for the tables


# --- circle defaults, own cadence, [cadence] overrides -----------------------

RHYTHMS = [
    # id, contact fields, config overrides, last contact, expected next_due (None: no rhythm)
    ("buddy is 6/year = 61 days", dict(circle="buddy"), {}, D(2026, 1, 1), D(2026, 3, 3)),
    ("strategic is 3 calendar months", dict(circle="strategic"), {}, D(2026, 1, 31), D(2026, 4, 30)),
    ("strategic across the year end", dict(circle="strategic"), {}, D(2026, 11, 30), D(2027, 2, 28)),
    ("lukewarm is 6 calendar months", dict(circle="lukewarm"), {}, D(2026, 8, 31), D(2027, 2, 28)),
    ("cold is never", dict(circle="cold"), {}, D(2020, 1, 1), None),
    ("no circle, no cadence: no rhythm", dict(), {}, D(2020, 1, 1), None),
    ("unknown circle: no rhythm", dict(circle="friend"), {}, D(2020, 1, 1), None),
    ("own cadence beats buddy", dict(circle="buddy", cadence="yearly"), {}, D(2026, 1, 1), D(2027, 1, 1)),
    ("own cadence beats cold", dict(circle="cold", cadence="monthly"), {}, D(2026, 1, 31), D(2026, 2, 28)),
    ("own never beats buddy", dict(circle="buddy", cadence="never"), {}, D(2020, 1, 1), None),
    ("own cadence with no circle", dict(cadence="2w"), {}, D(2026, 1, 1), D(2026, 1, 15)),
    ("config changes buddy", dict(circle="buddy"), dict(buddy="weekly"), D(2026, 1, 1), D(2026, 1, 8)),
    ("config gives cold a rhythm", dict(circle="cold"), dict(cold="yearly"), D(2026, 1, 1), D(2027, 1, 1)),
    ("config never for strategic", dict(circle="strategic"), dict(strategic="never"), D(2020, 1, 1), None),
    ("config 4/year for lukewarm", dict(circle="lukewarm"), dict(lukewarm="4/year"), D(2026, 1, 1), D(2026, 4, 2)),
    ("own cadence beats config", dict(circle="buddy", cadence="3d"), dict(buddy="weekly"), D(2026, 1, 1), D(2026, 1, 4)),
]


@pytest.mark.parametrize(
    ("fields", "overrides", "last", "expected"),
    [r[1:] for r in RHYTHMS],
    ids=[r[0] for r in RHYTHMS],
)
def test_rhythm(fields, overrides, last, expected):
    contact = person(last_contact=last, **fields)
    info = compute_due(contact, config_with(**overrides), today=D(2026, 1, 2))
    assert info.next_due == expected
    assert info.last_contact == last
    if expected is None:
        assert (info.status, info.cadence_days, info.overdue_days) == (None, None, 0)
    else:
        assert info.cadence_days == (expected - last).days


@pytest.mark.parametrize("circle", ["cold", None], ids=["cold", "no-circle"])
def test_no_rhythm_is_never_due_even_when_never_contacted(circle):
    info = compute_due(person(circle=circle), CONFIG, today=D(2026, 5, 5))
    assert info.next_due is None and info.status is None


def test_cadence_overrides_from_netvault_toml_keep_the_other_defaults(tmp_path):
    (tmp_path / "netvault.toml").write_text('[cadence]\nbuddy = "2w"\ncold = "Yearly"\n', encoding="utf-8")
    config, problems = load_config(tmp_path)
    assert problems == []
    last, today = D(2026, 1, 31), D(2026, 2, 1)
    due = {c: compute_due(person(circle=c, last_contact=last), config, today).next_due for c in DEFAULT_CADENCE_TEXT}
    assert due == {
        "buddy": D(2026, 2, 14),
        "strategic": D(2026, 4, 30),
        "lukewarm": D(2026, 7, 31),
        "cold": D(2027, 1, 31),
    }


def test_cadence_days_is_the_length_of_this_calendar_interval():
    # the contract's own example: 3m from 2026-01-31 is 89 days
    info = compute_due(person(cadence="3m", last_contact=D(2026, 1, 31)), CONFIG, D(2026, 2, 1))
    assert (info.next_due, info.cadence_days) == (D(2026, 4, 30), 89)
    # the same cadence from another day has another length
    info = compute_due(person(cadence="3m", last_contact=D(2026, 4, 30)), CONFIG, D(2026, 5, 1))
    assert (info.next_due, info.cadence_days) == (D(2026, 7, 30), 91)


# --- effective last contact ---------------------------------------------------

TODAY = D(2026, 6, 15)

LAST_CONTACT = [
    # id, last_contact field, log dates, expected effective last contact
    ("field only", D(2026, 3, 1), [], D(2026, 3, 1)),
    ("log only", None, [D(2026, 2, 1), D(2026, 4, 1)], D(2026, 4, 1)),
    ("field later than log", D(2026, 5, 1), [D(2026, 4, 1)], D(2026, 5, 1)),
    ("log later than field", D(2026, 1, 1), [D(2026, 4, 1), D(2026, 2, 1)], D(2026, 4, 1)),
    ("log entry today counts", D(2026, 1, 1), [D(2026, 6, 15)], D(2026, 6, 15)),
    ("future log entry does not count", D(2026, 1, 1), [D(2026, 6, 16), D(2026, 3, 1)], D(2026, 3, 1)),
    ("only future log entries", None, [D(2026, 7, 1)], None),
    ("future log, older field", D(2026, 2, 2), [D(2027, 1, 1)], D(2026, 2, 2)),
    ("nothing at all", None, [], None),
]


@pytest.mark.parametrize(
    ("field", "log", "expected"), [r[1:] for r in LAST_CONTACT], ids=[r[0] for r in LAST_CONTACT]
)
def test_effective_last_contact(field, log, expected):
    contact = person(circle="buddy", last_contact=field, log=log)
    assert effective_last_contact(contact, TODAY) == expected
    assert compute_due(contact, CONFIG, TODAY).last_contact == expected


def test_log_order_does_not_matter():
    dates = [D(2026, 1, 10), D(2026, 5, 20), D(2026, 7, 1), D(2026, 3, 3)]  # one in the future
    results = set()
    for order in itertools.permutations(dates):
        contact = person(circle="buddy", log=order)
        info = compute_due(contact, CONFIG, TODAY)
        results.add((info.last_contact, info.next_due))
        assert latest_entry(contact.log, TODAY).date == D(2026, 5, 20)
    assert results == {(D(2026, 5, 20), D(2026, 7, 20))}


def test_latest_entry_ignores_planned_entries_and_may_be_none():
    contact = person(log=[D(2026, 6, 16)])
    assert latest_entry(contact.log, TODAY) is None
    assert latest_entry((), TODAY) is None


def test_future_log_entry_counts_once_its_day_comes():
    contact = person(circle="buddy", last_contact=D(2026, 1, 1), log=[D(2026, 3, 1)])
    assert compute_due(contact, CONFIG, D(2026, 2, 28)).next_due == D(2026, 3, 3)  # 1 Jan + 61
    assert compute_due(contact, CONFIG, D(2026, 3, 1)).next_due == D(2026, 5, 1)  # 1 Mar + 61


# --- never contacted -----------------------------------------------------------


@pytest.mark.parametrize("circle", ["buddy", "strategic", "lukewarm"])
def test_never_contacted_with_a_rhythm_is_due_today(circle):
    today = D(2026, 11, 22)
    info = compute_due(person(circle=circle), CONFIG, today)
    assert info.next_due == today
    assert info.status == DUE
    assert info.last_contact is None
    assert info.cadence_days is None
    assert info.overdue_days == 0


def test_never_contacted_stays_due_today_on_any_day():
    contact = person(cadence="weekly")
    for today in (D(2026, 1, 1), D(2027, 2, 28), D(2030, 12, 31)):
        assert compute_due(contact, CONFIG, today).next_due == today


# --- snooze -------------------------------------------------------------------

SNOOZE = [
    # id, last contact, snooze_until, today, expected next_due, status
    ("later snooze moves it", D(2026, 1, 1), D(2026, 3, 10), D(2026, 3, 5), D(2026, 3, 10), UPCOMING),
    ("earlier snooze does not", D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 5), D(2026, 3, 3), OVERDUE),
    ("snooze on the due day changes nothing", D(2026, 1, 1), D(2026, 3, 3), D(2026, 3, 3), D(2026, 3, 3), DUE),
    ("snooze past the window hides it", D(2026, 1, 1), D(2026, 5, 1), D(2026, 3, 5), D(2026, 5, 1), None),
    ("expired snooze: overdue from it", D(2026, 1, 1), D(2026, 3, 10), D(2026, 3, 20), D(2026, 3, 10), OVERDUE),
    ("snooze the never-contacted", None, D(2026, 3, 10), D(2026, 3, 5), D(2026, 3, 10), UPCOMING),
]


@pytest.mark.parametrize(
    ("last", "snooze", "today", "expected", "status"), [r[1:] for r in SNOOZE], ids=[r[0] for r in SNOOZE]
)
def test_snooze(last, snooze, today, expected, status):
    info = compute_due(person(circle="buddy", last_contact=last, snooze_until=snooze), CONFIG, today)
    assert (info.next_due, info.status) == (expected, status)
    assert info.overdue_days == max(0, (today - expected).days)
    assert info.last_contact == last  # snoozing is not a contact


def test_snooze_does_not_give_a_rhythm():
    for contact in (person(circle="cold", snooze_until=D(2026, 3, 1)), person(snooze_until=D(2026, 3, 1))):
        assert compute_due(contact, CONFIG, D(2026, 3, 1)).status is None


# --- status and the window -------------------------------------------------------

# buddy last contacted 2026-01-01: next due 2026-03-03
STATUS = [
    # id, today, window (None: config default 14), status, overdue_days
    ("30 days late", D(2026, 4, 2), None, OVERDUE, 30),
    ("1 day late", D(2026, 3, 4), None, OVERDUE, 1),
    ("on the day", D(2026, 3, 3), None, DUE, 0),
    ("1 day ahead", D(2026, 3, 2), None, UPCOMING, 0),
    ("exactly 14 days ahead", D(2026, 2, 17), None, UPCOMING, 0),
    ("15 days ahead", D(2026, 2, 16), None, None, 0),
    ("window 0, 1 day ahead", D(2026, 3, 2), 0, None, 0),
    ("window 0, on the day", D(2026, 3, 3), 0, DUE, 0),
    ("window 0, late", D(2026, 3, 5), 0, OVERDUE, 2),
    ("window 30, exactly 30 ahead", D(2026, 2, 1), 30, UPCOMING, 0),
    ("window 30, 31 ahead", D(2026, 1, 31), 30, None, 0),
    ("long after: still overdue", D(2027, 3, 3), None, OVERDUE, 365),
]


@pytest.mark.parametrize(
    ("today", "window", "status", "overdue_days"), [r[1:] for r in STATUS], ids=[r[0] for r in STATUS]
)
def test_status_and_window(today, window, status, overdue_days):
    info = compute_due(person(circle="buddy", last_contact=D(2026, 1, 1)), CONFIG, today, window)
    assert info.next_due == D(2026, 3, 3)
    assert (info.status, info.overdue_days) == (status, overdue_days)


def test_window_comes_from_config_when_not_given():
    contact = person(circle="buddy", last_contact=D(2026, 1, 1))  # due 2026-03-03
    today = D(2026, 2, 1)  # 30 days ahead
    assert compute_due(contact, Config(), today).status is None
    assert compute_due(contact, Config(days=30), today).status == UPCOMING
    assert compute_due(contact, Config(days=30), today, days=29).status is None


# --- properties ----------------------------------------------------------------

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
CADENCE_TEXT = st.one_of(
    st.builds(lambda n, u: f"{n}{u}", st.integers(1, 999), st.sampled_from("dwmy")),
    st.builds(lambda n: f"{n}/year", st.integers(1, 366)),
    st.sampled_from(["weekly", "monthly", "quarterly", "twice-a-year", "yearly"]),
)


@settings(max_examples=200, deadline=None)
@given(last=DATES, text=CADENCE_TEXT, today=DATES, window=st.integers(0, 400))
def test_due_date_property(last, text, today, window):
    info = compute_due(person(cadence=text, last_contact=last), CONFIG, today, window)
    assert info.last_contact == last
    assert info.next_due is not None
    assert info.next_due > last  # never before (nor on) the last contact
    assert info.cadence_days is not None and info.cadence_days >= 1
    assert info.next_due - last == timedelta(days=info.cadence_days)
    assert info.overdue_days == max(0, (today - info.next_due).days)
    ahead = (info.next_due - today).days
    expected = OVERDUE if ahead < 0 else DUE if ahead == 0 else UPCOMING if ahead <= window else None
    assert info.status == expected
    assert (info.overdue_days > 0) == (info.status == OVERDUE)


@settings(max_examples=200, deadline=None)
@given(
    field=st.none() | DATES,
    log=st.lists(DATES, max_size=6),
    snooze=st.none() | DATES,
    text=CADENCE_TEXT,
    today=DATES,
    data=st.data(),
)
def test_due_with_log_and_snooze_property(field, log, snooze, text, today, data):
    contact = person(cadence=text, last_contact=field, log=log, snooze_until=snooze)
    info = compute_due(contact, CONFIG, today)
    past = [d for d in log if d <= today] + ([field] if field else [])
    assert info.last_contact == (max(past) if past else None)
    if info.last_contact is None:
        assert info.next_due == max(today, snooze or today)
    else:
        assert info.next_due > info.last_contact
    if snooze is not None:
        assert info.next_due >= snooze
    # the log's order is irrelevant
    shuffled = person(cadence=text, last_contact=field, log=data.draw(st.permutations(log)), snooze_until=snooze)
    assert compute_due(shuffled, CONFIG, today) == info


# --- far-future dates ----------------------------------------------------------


def test_last_contact_near_the_end_of_the_calendar_does_not_crash():
    # `last_contact: 9999-12-30` is a valid date that the loader accepts (with a warning)
    info = compute_due(person(circle="buddy", last_contact=D(9999, 12, 30)), CONFIG, D(2026, 1, 1))
    assert info.next_due is not None and info.next_due >= D(9999, 12, 30)
    assert info.status is None


# --- rules pinned one by one --------------------------------------------------


def test_a_meeting_note_dated_today_is_contact_today_and_one_dated_tomorrow_is_not():
    jane = person(circle="buddy", last_contact=D(2026, 1, 1))
    today_note = Interaction(TODAY, "meetings/Today.md", 4)
    tomorrow_note = Interaction(TODAY + timedelta(days=1), "meetings/Tomorrow.md", 4)
    info = compute_due(jane, CONFIG, TODAY, interactions=[today_note, tomorrow_note])
    assert (info.last_contact, info.last_contact_source) == (TODAY, "meetings/Today.md")
    info = compute_due(jane, CONFIG, TODAY, interactions=[tomorrow_note])
    assert (info.last_contact, info.last_contact_source) == (D(2026, 1, 1), "last_contact")


@pytest.mark.parametrize(
    "fields, log, note, source",
    [
        ({}, [TODAY - timedelta(days=5)], TODAY - timedelta(days=5), "log"),
        ({"last_contact": TODAY - timedelta(days=5)}, [], TODAY - timedelta(days=5), "last_contact"),
        ({"last_contact": TODAY - timedelta(days=5)}, [TODAY - timedelta(days=5)], None, "log"),
        ({"last_contact": TODAY - timedelta(days=5)}, [TODAY - timedelta(days=5)], TODAY - timedelta(days=5), "log"),
    ],
    ids=["log beats a note", "last_contact beats a note", "the log beats last_contact", "all three: the log"],
)
def test_on_a_tie_the_contacts_own_file_wins(fields, log, note, source):
    jane = person(circle="buddy", log=log, **fields)
    notes = [Interaction(note, "meetings/Same day.md", 2)] if note else []
    assert last_contact_and_source(jane, TODAY, notes) == (TODAY - timedelta(days=5), source)


def test_an_unknown_circle_falls_back_to_the_default_rhythm(make_vault):
    root = make_vault(
        {"people/Ann.md": "---\ncircle: warm\nlast_contact: 2026-05-01\n---\n"},
        config='[cadence]\ndefault = "monthly"\n',
    )
    vault = load_vault(root, TODAY)
    (ann,) = vault.contacts
    assert ann.circle is None  # check reports the unknown circle as an error
    assert [p.message for p in vault.problems if p.severity == "error"][0].startswith("unknown circle 'warm'")
    assert compute_due(ann, vault.config, TODAY).next_due == D(2026, 6, 1)


def test_a_known_circle_keeps_its_rhythm_over_the_default(make_vault):
    root = make_vault(
        {"people/Ann.md": "---\ncircle: strategic\nlast_contact: 2026-05-01\n---\n"},
        config='[cadence]\ndefault = "monthly"\n',
    )
    vault = load_vault(root, TODAY)
    assert compute_due(vault.contacts[0], vault.config, TODAY).next_due == D(2026, 8, 1)


def test_of_two_entries_on_one_day_the_first_in_the_file_is_the_latest():
    first = LogEntry(date=D(2026, 6, 1), channel="email", text="a first", line=5)
    second = LogEntry(date=D(2026, 6, 1), channel="email", text="b second", line=6)
    assert latest_entry((second, first), TODAY) is first
    assert latest_entry((first, second), TODAY) is first


def test_effective_last_contact_counts_meeting_notes():
    jane = person(circle="buddy", log=[D(2026, 5, 1)])
    note = Interaction(D(2026, 6, 1), "meetings/June.md", 3)
    assert effective_last_contact(jane, TODAY, [note]) == D(2026, 6, 1)


def test_of_two_notes_on_one_day_the_first_given_is_the_source():
    notes = [Interaction(D(2026, 6, 1), "meetings/a.md", 3), Interaction(D(2026, 6, 1), "meetings/b.md", 3)]
    assert last_contact_and_source(person(circle="buddy"), TODAY, notes) == (D(2026, 6, 1), "meetings/a.md")

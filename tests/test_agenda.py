"""The agenda: touch-bases, follow-ups, birthdays, reciprocity, order, and the JSON contract."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path

import pytest

from netvault.playbook.agenda import build_agenda
from netvault.read.model import Birthday, Contact, FollowUp, LogEntry, Vault
from netvault.read.settings import Config
from netvault.values.cadence import parse_cadence
from netvault.values.problems import ERROR, WARNING, Problem

D = date
TODAY = D(2026, 11, 22)


def person(name="Jane Doe", cadence=None, log=(), **fields) -> Contact:
    """A contact; ``cadence`` as text; ``log`` as (date, text) or (date, text, gave, asked)."""
    entries = []
    for number, item in enumerate(log, start=20):
        when, text, *flags = item
        gave, asked = flags or ("#gave" in text, "#asked" in text)
        entries.append(LogEntry(date=when, channel="email", text=text, line=number, gave=gave, asked=asked))
    return Contact(
        path=f"people/{name}.md",
        name=name,
        cadence=parse_cadence(cadence) if cadence is not None else None,
        log=tuple(entries),
        **fields,
    )


def vault(*contacts: Contact, config: Config | None = None, problems=()) -> Vault:
    return Vault(root=Path("."), config=config or Config(), contacts=tuple(contacts), problems=tuple(problems))


def agenda(*contacts: Contact, today=TODAY, **kwargs):
    return build_agenda(vault(*contacts), today, **kwargs)


def kinds(result, kind):
    return [i for i in result.items if i.kind == kind]


def rows(result):
    return [(i.name, i.kind, i.status) for i in result.items]


# --- touch-base items ------------------------------------------------------------


def test_touch_base_item_carries_the_due_information():
    jane = person(
        circle="buddy",
        last_contact=D(2026, 9, 1),  # + 61 days = 2026-11-01, 21 days late
        priority=3,
        org="Acme",
        role="VP",
        channels=("email", "phone"),
    )
    (item,) = agenda(jane).items
    assert item.kind == "touch-base"
    assert (item.status, item.due, item.overdue_days) == ("overdue", D(2026, 11, 1), 21)
    assert (item.last_contact, item.cadence_days) == (D(2026, 9, 1), 61)
    assert (item.name, item.path, item.circle, item.priority) == ("Jane Doe", "people/Jane Doe.md", "buddy", 3)
    assert (item.org, item.role, item.channels) == ("Acme", "VP", ("email", "phone"))


def test_people_with_no_rhythm_or_not_yet_due_are_not_listed():
    result = agenda(
        person("Cold", circle="cold"),
        person("Nobody"),
        person("Fresh", circle="buddy", last_contact=D(2026, 11, 1)),  # due 2027-01-01
    )
    assert result.items == ()
    assert result.contacts == 3


def test_window_from_argument_and_from_config():
    jane = person(circle="buddy", last_contact=D(2026, 10, 1))  # due 2026-12-01, 9 days ahead
    assert rows(agenda(jane)) == [("Jane Doe", "touch-base", "upcoming")]
    assert agenda(jane, days=8).items == ()
    assert agenda(jane, days=9).days == 9 and len(agenda(jane, days=9).items) == 1
    result = build_agenda(vault(jane, config=Config(days=5)), TODAY)
    assert (result.days, result.items) == (5, ())


# --- follow-ups --------------------------------------------------------------------

FOLLOW_UPS = [
    # id, follow-up date, expected status (None: not listed), overdue_days
    ("3 days ago", D(2026, 11, 19), "overdue", 3),
    ("long ago", D(2025, 11, 22), "overdue", 365),
    ("today", D(2026, 11, 22), "due", 0),
    ("tomorrow", D(2026, 11, 23), "upcoming", 0),
    ("exactly 14 days ahead", D(2026, 12, 6), "upcoming", 0),
    ("15 days ahead", D(2026, 12, 7), None, 0),
]


@pytest.mark.parametrize(("when", "status", "overdue_days"), [f[1:] for f in FOLLOW_UPS], ids=[f[0] for f in FOLLOW_UPS])
def test_follow_up(when, status, overdue_days):
    # a cold contact: no touch-base ever, so only the follow-up can show
    result = agenda(person(circle="cold", follow_up=FollowUp(when, "send her the deck")))
    items = kinds(result, "follow-up")
    if status is None:
        assert result.items == ()
        return
    (item,) = items
    assert (item.status, item.due, item.overdue_days, item.note) == (status, when, overdue_days, "send her the deck")


def test_follow_up_without_note_has_note_none():
    (item,) = agenda(person(follow_up=FollowUp(TODAY, ""))).items
    assert (item.kind, item.note) == ("follow-up", None)


def test_follow_up_is_not_affected_by_snooze():
    jane = person(
        circle="buddy",
        last_contact=D(2026, 1, 1),  # long overdue, but snoozed
        snooze_until=D(2027, 6, 1),
        follow_up=FollowUp(D(2026, 11, 20), "intro to Bob"),
    )
    result = agenda(jane)
    assert rows(result) == [("Jane Doe", "follow-up", "overdue")]
    assert result.items[0].overdue_days == 2


def test_follow_up_and_touch_base_are_separate_items():
    jane = person(circle="buddy", follow_up=FollowUp(D(2026, 11, 25), "call"))  # never contacted: due today
    assert sorted((i.kind, i.status) for i in agenda(jane).items) == [("follow-up", "upcoming"), ("touch-base", "due")]


# --- birthdays ----------------------------------------------------------------------

BIRTHDAYS = [
    # id, today, birthday, window, expected date (None: not listed), status, age
    ("tomorrow", D(2026, 5, 1), Birthday(5, 2, 1980), 14, D(2026, 5, 2), "upcoming", 46),
    ("today", D(2026, 5, 2), Birthday(5, 2, 1980), 14, D(2026, 5, 2), "due", 46),
    ("yesterday: never overdue", D(2026, 5, 3), Birthday(5, 2, 1980), 14, None, None, None),
    ("exactly 14 days ahead", D(2026, 4, 18), Birthday(5, 2, 1980), 14, D(2026, 5, 2), "upcoming", 46),
    ("15 days ahead", D(2026, 4, 17), Birthday(5, 2, 1980), 14, None, None, None),
    ("next year's, year known", D(2026, 12, 30), Birthday(1, 3, 1990), 14, D(2027, 1, 3), "upcoming", 37),
    ("next year's, MM-DD", D(2026, 12, 30), Birthday(1, 3, None), 14, D(2027, 1, 3), "upcoming", None),
    ("29 Feb on 28 Feb in 2026", D(2026, 2, 20), Birthday(2, 29, 2000), 14, D(2026, 2, 28), "upcoming", 26),
    ("29 Feb due on 28 Feb", D(2026, 2, 28), Birthday(2, 29, None), 14, D(2026, 2, 28), "due", None),
    ("29 Feb in a leap year", D(2028, 2, 20), Birthday(2, 29, 2000), 14, D(2028, 2, 29), "upcoming", 28),
    ("29 Feb not on 28 Feb in a leap year", D(2028, 2, 28), Birthday(2, 29, 2000), 0, None, None, None),
    ("29 Feb from 1 March", D(2026, 3, 1), Birthday(2, 29, None), 365, D(2027, 2, 28), "upcoming", None),
    ("29 Feb across the year", D(2027, 12, 31), Birthday(2, 29, 1996), 60, D(2028, 2, 29), "upcoming", 32),
    ("window 0, today", D(2026, 5, 2), Birthday(5, 2, None), 0, D(2026, 5, 2), "due", None),
]


@pytest.mark.parametrize(
    ("today", "birthday", "window", "expected", "status", "age"), [b[1:] for b in BIRTHDAYS], ids=[b[0] for b in BIRTHDAYS]
)
def test_birthday(today, birthday, window, expected, status, age):
    result = agenda(person(circle="cold", birthday=birthday), today=today, days=window)
    items = kinds(result, "birthday")
    if expected is None:
        assert items == []
        return
    (item,) = items
    assert (item.due, item.status, item.age, item.overdue_days) == (expected, status, age, 0)


# --- reciprocity: give before you ask ---------------------------------------------------

RECIPROCITY = [
    # id, log, expected `since` of the one reciprocity item (None: no item)
    ("an ask with nothing after", [(D(2026, 6, 1), "asked for an intro #asked")], D(2026, 6, 1)),
    ("a later gave clears it", [(D(2026, 6, 1), "x #asked"), (D(2026, 7, 1), "y #gave")], None),
    ("a gave the same day clears it", [(D(2026, 6, 1), "x #asked"), (D(2026, 6, 1), "y #gave")], None),
    ("gave listed first, same day", [(D(2026, 6, 1), "y #gave"), (D(2026, 6, 1), "x #asked")], None),
    ("an earlier gave does not", [(D(2026, 5, 1), "y #gave"), (D(2026, 6, 1), "x #asked")], D(2026, 6, 1)),
    ("both tags in one entry: balanced", [(D(2026, 6, 1), "traded intros #asked #gave")], None),
    ("the latest ask counts", [(D(2026, 3, 1), "a #asked"), (D(2026, 4, 1), "b #gave"), (D(2026, 9, 1), "c #asked")], D(2026, 9, 1)),
    ("the latest ask, newest first", [(D(2026, 9, 1), "c #asked"), (D(2026, 4, 1), "b #gave"), (D(2026, 3, 1), "a #asked")], D(2026, 9, 1)),
    ("two asks, one item", [(D(2026, 3, 1), "a #asked"), (D(2026, 9, 1), "c #asked")], D(2026, 9, 1)),
    ("a future ask is ignored", [(D(2026, 12, 1), "planned #asked")], None),
    ("a future ask after a real one", [(D(2026, 6, 1), "x #asked"), (D(2026, 12, 1), "planned #asked")], D(2026, 6, 1)),
    ("a future gave does not clear it", [(D(2026, 6, 1), "x #asked"), (D(2026, 12, 1), "planned #gave")], D(2026, 6, 1)),
    ("an ask today waits for an answer", [(TODAY, "x #asked")], None),
    ("an ask 14 days ago counts", [(D(2026, 11, 8), "x #asked")], D(2026, 11, 8)),
    ("no tags at all", [(D(2026, 6, 1), "coffee")], None),
]


@pytest.mark.parametrize(("log", "since"), [r[1:] for r in RECIPROCITY], ids=[r[0] for r in RECIPROCITY])
def test_reciprocity(log, since):
    result = agenda(person(circle="cold", log=log))
    items = kinds(result, "reciprocity")
    if since is None:
        assert items == []
        return
    (item,) = items
    assert (item.since, item.status, item.due, item.overdue_days) == (since, "due", TODAY, 0)


def test_reciprocity_note_is_what_was_asked_without_the_tag():
    jane = person(circle="cold", log=[(D(2026, 6, 1), "asked for advice #asked on the move")])
    (item,) = kinds(agenda(jane), "reciprocity")
    assert item.note == "asked for advice on the move"


# --- order ----------------------------------------------------------------------------


def test_overdue_before_due_before_upcoming_whatever_the_priority():
    result = agenda(
        person("A Upcoming", circle="buddy", last_contact=D(2026, 9, 30), priority=1),  # due 11-30
        person("B Due", circle="buddy", last_contact=D(2026, 9, 22), priority=2),  # due 11-22
        person("C Overdue", circle="buddy", last_contact=D(2026, 9, 1)),  # due 11-01
    )
    assert rows(result) == [
        ("C Overdue", "touch-base", "overdue"),
        ("B Due", "touch-base", "due"),
        ("A Upcoming", "touch-base", "upcoming"),
    ]


def test_within_a_status_priority_set_first_and_lower_number_first():
    # all never contacted: due today, same lateness
    result = agenda(
        person("Alice", circle="buddy"),
        person("Bob", circle="buddy", priority=10),
        person("Carol", circle="buddy", priority=2),
        person("Dan", circle="buddy", priority=1),
    )
    assert [i.name for i in result.items] == ["Dan", "Carol", "Bob", "Alice"]


def test_priority_beats_lateness():
    result = agenda(
        person("Very Late", circle="buddy", last_contact=D(2025, 1, 1)),
        person("Bit Late", circle="buddy", last_contact=D(2026, 9, 20), priority=5),  # 2 days late
    )
    assert [i.name for i in result.items] == ["Bit Late", "Very Late"]


def test_lateness_is_relative_to_the_cadence():
    # both 30 days late: on a 61-day rhythm that is worse than on a 6-month one
    result = agenda(
        person("Alice Lukewarm", circle="lukewarm", last_contact=D(2026, 4, 23)),  # due 10-23
        person("Zed Buddy", circle="buddy", last_contact=D(2026, 8, 23)),  # due 10-23
    )
    assert [(i.name, i.overdue_days, i.cadence_days) for i in result.items] == [
        ("Zed Buddy", 30, 61),
        ("Alice Lukewarm", 30, 183),
    ]


def test_relative_lateness_beats_absolute_lateness():
    result = agenda(
        person("Alice", circle="lukewarm", last_contact=D(2026, 4, 13)),  # due 10-13: 40 of 183 days late
        person("Bob", circle="buddy", last_contact=D(2026, 9, 2)),  # due 11-02: 20 of 61 days late
    )
    assert [(i.name, i.overdue_days) for i in result.items] == [("Bob", 20), ("Alice", 40)]


def test_then_by_name_case_insensitively():
    names = ["carol", "Bob", "alice", "Dave"]
    result = agenda(*(person(n, circle="buddy") for n in names))
    assert [i.name for i in result.items] == ["alice", "Bob", "carol", "Dave"]


def test_order_does_not_depend_on_the_order_contacts_were_read():
    contacts = [
        person("Ann", circle="buddy", last_contact=D(2026, 9, 1), priority=2),
        person("ben", circle="strategic", last_contact=D(2026, 7, 1)),
        person("Cy", circle="lukewarm", last_contact=D(2026, 5, 1), follow_up=FollowUp(D(2026, 11, 24), "x")),
        person("Di", circle="buddy", birthday=Birthday(11, 30, None)),
        person("Ed", circle="cold", log=[(D(2026, 10, 1), "x #asked")]),
        person("Flo", circle="buddy", last_contact=D(2026, 9, 30)),
    ]
    expected = rows(agenda(*contacts))
    assert len(expected) == 8
    shuffled = contacts[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert rows(agenda(*shuffled)) == expected


# --- circle filter and limit ----------------------------------------------------------

CIRCLE_PEOPLE = [
    person("Bud", circle="buddy"),
    person("Stra", circle="strategic"),
    person("Luke", circle="lukewarm"),
    person("Colde", circle="cold", follow_up=FollowUp(TODAY, "call")),
    person("Loner", cadence="weekly"),
]

CIRCLE_FILTERS = [
    ("no filter", (), ["Bud", "Colde", "Loner", "Luke", "Stra"]),
    ("buddy", ["buddy"], ["Bud"]),
    ("buddy and cold", ["buddy", "cold"], ["Bud", "Colde"]),
    ("cold: follow-ups still shown", ["cold"], ["Colde"]),
    ("a circle nobody is in", ["acquaintance"], []),
]


@pytest.mark.parametrize(("circles", "names"), [c[1:] for c in CIRCLE_FILTERS], ids=[c[0] for c in CIRCLE_FILTERS])
def test_circle_filter(circles, names):
    result = agenda(*CIRCLE_PEOPLE, circles=circles)
    assert sorted(i.name for i in result.items) == names


def test_limit_keeps_the_most_urgent_and_counts_the_rest():
    contacts = [person(f"P{n}", circle="buddy", last_contact=D(2026, 9, n)) for n in range(1, 6)]  # P1 latest
    full = agenda(*contacts)
    assert [i.name for i in full.items] == ["P1", "P2", "P3", "P4", "P5"]
    assert full.hidden == 0
    cut = agenda(*contacts, limit=2)
    assert [i.name for i in cut.items] == ["P1", "P2"]
    assert cut.hidden == 3
    assert agenda(*contacts, limit=5).hidden == 0
    assert agenda(*contacts, limit=50).hidden == 0


# --- the JSON contract ------------------------------------------------------------------

CONTRACT_KEYS = {
    "name": str,
    "path": str,
    "kind": str,
    "status": str,
    "due": str,
    "last_contact": (str, type(None)),
    "cadence_days": (int, type(None)),
    "overdue_days": int,
    "circle": (str, type(None)),
    "priority": (int, type(None)),
}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _contract_vault():
    return vault(
        person("Jane Doe", circle="strategic", last_contact=D(2026, 7, 31), priority=1),  # due 10-31
        person("New Person", circle="buddy"),  # never contacted
        person("Bob", cadence="weekly", last_contact=D(2026, 11, 20), follow_up=FollowUp(D(2026, 11, 23), "deck")),
        person("Carol", circle="cold", birthday=Birthday(12, 1, None), log=[(D(2026, 10, 1), "job lead #asked")]),
        problems=[
            Problem("people/Broken.md", 3, ERROR, "bad date"),
            Problem("netvault.toml", None, WARNING, "something"),
        ],
    )


def test_as_dict_has_exactly_the_contract_keys_and_round_trips_through_json():
    data = build_agenda(_contract_vault(), TODAY).as_dict()
    assert set(data) == {"today", "items", "paced", "problems"}
    assert data["today"] == "2026-11-22"
    assert json.loads(json.dumps(data)) == data
    assert data["problems"] == [
        {"path": "people/Broken.md", "line": 3, "severity": "error", "message": "bad date"},
        {"path": "netvault.toml", "line": None, "severity": "warning", "message": "something"},
    ]


def test_every_item_has_the_contract_keys_with_json_types():
    data = build_agenda(_contract_vault(), TODAY).as_dict()
    assert {i["kind"] for i in data["items"]} == {"touch-base", "follow-up", "birthday", "reciprocity"}
    for item in data["items"]:
        for key, kind in CONTRACT_KEYS.items():
            assert key in item, key
            assert isinstance(item[key], kind), (key, item[key])
        assert not isinstance(item["overdue_days"], bool) and item["overdue_days"] >= 0
        assert item["kind"] in {"touch-base", "follow-up", "birthday", "reciprocity"}
        assert item["status"] in {"overdue", "due", "upcoming"}
        assert ISO.match(item["due"])
        assert item["last_contact"] is None or ISO.match(item["last_contact"])
        assert "\\" not in item["path"] and item["path"].endswith(".md")


def test_contract_values():
    items = {(i["name"], i["kind"]): i for i in build_agenda(_contract_vault(), TODAY).as_dict()["items"]}
    jane = items[("Jane Doe", "touch-base")]
    assert {k: jane[k] for k in CONTRACT_KEYS} == {
        "name": "Jane Doe",
        "path": "people/Jane Doe.md",
        "kind": "touch-base",
        "status": "overdue",
        "due": "2026-10-31",
        "last_contact": "2026-07-31",
        "cadence_days": 92,
        "overdue_days": 22,
        "circle": "strategic",
        "priority": 1,
    }
    new = items[("New Person", "touch-base")]
    assert (new["status"], new["due"], new["last_contact"], new["cadence_days"], new["priority"]) == (
        "due",
        "2026-11-22",
        None,
        None,
        None,
    )
    assert (items[("Bob", "follow-up")]["due"], items[("Bob", "follow-up")]["circle"]) == ("2026-11-23", None)
    assert items[("Carol", "birthday")]["due"] == "2026-12-01"
    assert items[("Carol", "reciprocity")]["due"] == "2026-11-22"
    # cold: no rhythm, so no interval length
    assert items[("Carol", "birthday")]["cadence_days"] is None
    # the JSON order is the agenda order: overdue, due, upcoming
    ranks = {"overdue": 0, "due": 1, "upcoming": 2}
    statuses = [i["status"] for i in build_agenda(_contract_vault(), TODAY).as_dict()["items"]]
    assert statuses == sorted(statuses, key=ranks.get)


def test_empty_agenda_is_still_the_full_object():
    assert build_agenda(vault(), TODAY).as_dict() == {"today": "2026-11-22", "items": [], "paced": 0, "problems": []}


# --- one odd contact never hides the others ----------------------------------------------


def test_a_far_future_last_contact_does_not_hide_everyone_else():
    result = agenda(
        person("Typo", circle="buddy", last_contact=D(9999, 12, 30)),
        person("Jane Doe", circle="buddy"),
    )
    assert rows(result) == [("Jane Doe", "touch-base", "due")]


def test_upcoming_is_soonest_first_within_a_priority():
    result = agenda(
        person("Lukewarm Later", circle="lukewarm", last_contact=D(2026, 6, 3)),  # due 12-03
        person("Buddy Sooner", circle="buddy", last_contact=D(2026, 9, 25)),  # due 11-25
        person("Strategic Middle", circle="strategic", last_contact=D(2026, 8, 28)),  # due 11-28
    )
    assert [i.name for i in result.items] == ["Buddy Sooner", "Strategic Middle", "Lukewarm Later"]


def test_ties_are_broken_by_lateness_relative_to_the_rhythm_then_name_then_path():
    last = TODAY.replace(month=8, day=22)  # three months and a bit ago
    on_two_months = person("Zed", cadence="2m", last_contact=last)  # due 2026-10-22: 31 days late of 61
    on_three = person("Amy", cadence="3m", last_contact=last)  # due 2026-11-22: due today
    same_a = person("bob", cadence="3m", last_contact=TODAY.replace(month=7, day=22))  # 31 days late of 92
    same_b = Contact(**{**same_a.__dict__, "name": "Bob", "path": "people/b/Bob.md"})
    same_c = Contact(**{**same_a.__dict__, "name": "Bob", "path": "people/a/Bob.md"})
    names = [(i.name, i.path) for i in agenda(same_b, on_three, same_a, on_two_months, same_c).items]
    assert names == [
        ("Zed", "people/Zed.md"),  # the same 31 days late, but half a rhythm: first
        ("Bob", "people/a/Bob.md"),  # equal lateness: by name, case-folded, then by path
        ("Bob", "people/b/Bob.md"),
        ("bob", "people/bob.md"),
        ("Amy", "people/Amy.md"),  # due today comes after every overdue one
    ]


def test_an_ask_is_given_time_to_be_answered_before_give_first_appears():
    def asked(days_ago: int, config: Config | None = None):
        ann = person("Ann", cadence="never", log=[(TODAY.replace(day=22 - days_ago), "asked for an intro #asked")])
        return kinds(build_agenda(vault(ann, config=config), TODAY), "reciprocity")

    assert asked(1) == [] and asked(13) == []
    (item,) = asked(14)
    assert item.since == TODAY.replace(day=8) and item.note == "asked for an intro"
    assert len(asked(1, Config(give_after=0))) == 1


def test_give_after_is_checked_like_every_setting(make_vault):
    from netvault.read.loader import load_vault

    root = make_vault({}, config="[agenda]\ngive_after = -1\n")
    (problem,) = load_vault(root, TODAY).problems
    assert (problem.line, problem.message) == (2, "[agenda] give_after must be a whole number of days from 0 to 3660")
    root = make_vault({}, config="[agenda]\ngive_after = 30\n")
    assert load_vault(root, TODAY).config.give_after == 30

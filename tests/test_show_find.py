"""show, list, search and open: the person card and finding people."""

from __future__ import annotations

import json
from datetime import date

from netvault.cli import people as people_cli
from netvault.playbook.card import ledger, person_card
from netvault.playbook.find import Filters, list_people, search
from netvault.read.bodies import read_bodies
from netvault.read.loader import load_vault
from netvault.read.model import LogEntry

from .conftest import TODAY


def contact(name: str, front: str = "", body: str = "", log: list[str] | None = None) -> str:
    text = f"---\nname: {name}\n{front}---\n{body}"
    if log is not None:
        text += "\n## Log\n" + "".join(f"- {line}\n" for line in log)
    return text


def entry(day: str, line: int, gave: bool = False, asked: bool = False, channel=None) -> LogEntry:
    return LogEntry(date.fromisoformat(day), channel, "x", line, gave=gave, asked=asked)


# --- the ledger ----------------------------------------------------------------


def test_ledger_counts_gifts_and_asks_up_to_today():
    log = (
        entry("2026-01-01", 10, gave=True),
        entry("2026-02-01", 11, asked=True),
        entry("2026-03-01", 12, gave=True),
        entry("2027-01-01", 13, gave=True),  # planned, in the future
    )
    result = ledger(log, TODAY)
    assert (result.gave, result.asked) == (2, 1)
    assert result.last_gift.date == date(2026, 3, 1) and result.last_gift.line == 12
    assert result.asks_since_gift == 0 and not result.asked_twice_in_a_row


def test_asked_twice_in_a_row_without_giving():
    log = (
        entry("2026-01-01", 10, gave=True),
        entry("2026-02-01", 11, asked=True),
        entry("2026-03-01", 12),  # a chat, neither
        entry("2026-04-01", 13, asked=True),
    )
    result = ledger(log, TODAY)
    assert result.asks_since_gift == 2 and result.asked_twice_in_a_row


def test_a_gift_on_the_day_of_an_ask_answers_it_and_gave_plus_asked_is_giving():
    same_day = (entry("2026-02-01", 10, asked=True), entry("2026-02-01", 11, gave=True),
                entry("2026-01-01", 12, asked=True))
    assert not ledger(same_day, TODAY).asked_twice_in_a_row
    both = (entry("2026-01-01", 10, asked=True), entry("2026-02-01", 11, asked=True, gave=True))
    result = ledger(both, TODAY)
    assert (result.gave, result.asked, result.asks_since_gift) == (1, 2, 0)


def test_only_asked_never_gave_is_asked_twice():
    result = ledger((entry("2026-01-01", 10, asked=True), entry("2026-02-01", 11, asked=True)), TODAY)
    assert result.last_gift is None and result.asked_twice_in_a_row


# --- the card ---------------------------------------------------------------------


CARD_VAULT = {
    "people/Ann Lee.md": contact(
        "Ann Lee",
        "circle: strategic\norg: Acme\nintroduced_by: \"[[Bob Stone]]\"\nknows: [\"[[Cy Dale]]\"]\n"
        "goals: [move-to-product]\nfollow_up: 2026-11-20 send the deck\nsnooze_until: 2026-12-01\n"
        "birthday: 1980-05-02\n",
        "Met at a conference.\n",
        [
            "2025-11-22 email: too old for the mix, one day before the window",
            "2025-11-23 email: first day of the window #asked",
            "2026-03-01 phone: call #gave sent the article",
            "2026-05-01 video: ask one #asked",
            "2026-06-01: no channel",
            "2026-07-01 video: ask two #asked",
            "2026-08-01 im: ping",
            "2027-01-01 in-person: planned #planned",
        ],
    ),
    "people/Bob Stone.md": contact("Bob Stone", "circle: buddy\nknows: [\"[[Ann Lee]]\"]\n"),
    "people/Cy Dale.md": contact("Cy Dale", "circle: cold\n"),
    "meetings/2026-09-10 Offsite.md": "---\ndate: 2026-09-10\n---\nWith [[Ann Lee]].\n",
    "meetings/2026-02-01 Kickoff.md": "---\ndate: 2026-02-01\n---\nWith [[Ann Lee]].\n",
}
CONFIG = '[interactions]\nfolders = ["meetings"]\n'


def test_card_of_a_person(make_vault):
    vault = load_vault(make_vault(CARD_VAULT, CONFIG), TODAY)
    ann = next(c for c in vault.contacts if c.name == "Ann Lee")
    card = person_card(vault, ann, TODAY)
    # Last five, newest first, from the log and the meeting notes together.
    assert [(i.date.isoformat(), i.kind, i.source) for i in card.recent] == [
        ("2026-09-10", "note", "meetings/2026-09-10 Offsite.md"),
        ("2026-08-01", "log", "people/Ann Lee.md"),
        ("2026-07-01", "log", "people/Ann Lee.md"),
        ("2026-06-01", "log", "people/Ann Lee.md"),
        ("2026-05-01", "log", "people/Ann Lee.md"),
    ]
    assert card.interactions == 9  # seven past log entries and two notes; the planned one is not
    assert card.recent[1].line == 21 and card.recent[1].channel == "im"
    assert (card.ledger.gave, card.ledger.asked, card.ledger.asks_since_gift) == (1, 3, 2)
    assert card.ledger.asked_twice_in_a_row
    assert card.ledger.last_gift.text == "call #gave sent the article"
    # The window is the 365 days up to today: 2025-11-23 in, 2025-11-22 out.
    assert [(c.channel, c.count) for c in card.channel_mix] == [
        ("video", 2), ("email", 1), ("im", 1), ("phone", 1), (None, 1)
    ]
    assert [p.name for p in card.introduced_by] == ["Bob Stone"]
    assert [p.name for p in card.known_by] == ["Bob Stone"]
    assert [(p.name, p.path) for p in card.knows] == [("Cy Dale", "people/Cy Dale.md")]
    assert card.follow_up.status == "overdue" and card.follow_up.note == "send the deck"
    assert card.snooze.active
    assert card.due.last_contact == date(2026, 9, 10)
    assert card.due.last_contact_source == "meetings/2026-09-10 Offsite.md"
    assert card.due.next_due == date(2026, 12, 10) and card.due.status is None  # 18 days: beyond the window
    assert "from meetings/2026-09-10 Offsite.md" in card.due.why
    assert card.birthday.next == date(2027, 5, 2) and card.birthday.turns == 47
    bob = next(c for c in vault.contacts if c.name == "Bob Stone")
    assert [p.name for p in person_card(vault, bob, TODAY).introduced] == ["Ann Lee"]


def test_log_entries_of_one_day_keep_the_logs_order(make_vault):
    newest_first = ["2026-05-02 email: later", "2026-05-01 email: second", "2026-05-01 email: first"]
    vault = load_vault(make_vault({"people/A.md": contact("A", "circle: buddy\n", "", newest_first)}), TODAY)
    card = person_card(vault, vault.contacts[0], TODAY)
    assert [i.text for i in card.recent] == ["later", "second", "first"]
    oldest_first = list(reversed(newest_first))
    vault = load_vault(make_vault({"people/A.md": contact("A", "circle: buddy\n", "", oldest_first)}), TODAY)
    card = person_card(vault, vault.contacts[0], TODAY)
    assert [i.text for i in card.recent] == ["later", "second", "first"]


def test_why_with_no_rhythm_never_contacted_and_snoozed(make_vault):
    root = make_vault(
        {
            "people/A.md": contact("A", "circle: cold\n"),
            "people/B.md": contact("B", "circle: buddy\n"),
            "people/C.md": contact("C", "circle: buddy\nlast_contact: 2026-11-01\nsnooze_until: 2027-02-01\n"),
            "people/D.md": contact("D", "type: contact\n"),
        }
    )
    vault = load_vault(root, TODAY)
    why = {c.name: person_card(vault, c, TODAY).due for c in vault.contacts}
    assert why["A"].why == "no rhythm: the cold circle's cadence is never"
    assert why["B"].why == "never contacted: get in touch to start the rhythm"
    assert why["B"].next_due == TODAY and why["B"].status == "due"
    assert why["C"].why == (
        "in 71 days: last contact 2026-11-01 (from last_contact) "
        "+ 6 times a year = 2027-01-01, snoozed until 2027-02-01"
    )
    assert why["D"].why == "no rhythm: no cadence and no circle with a default one"


CARD_KEYS = [
    "aliases", "birthday", "channel_mix", "channels", "circle", "due", "email", "follow_up",
    "goals", "interactions", "intro_paths", "introduced", "introduced_by", "known_by", "knows", "ledger",
    "linkedin", "name", "org", "origin", "path", "phone", "priority", "problems", "recent",
    "rhythm", "role", "snooze", "tags", "today",
]


def test_show_json_keys_are_stable(make_vault, run):
    root = make_vault(CARD_VAULT, CONFIG)
    result = run("show", "ann", "--vault", root, "--today", "2026-11-22", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(data) == CARD_KEYS and list(data) == CARD_KEYS  # sorted in the output too
    assert sorted(data["ledger"]) == [
        "asked", "asked_twice_in_a_row", "asks_since_gift", "gave", "last_gift"
    ]
    assert sorted(data["due"]) == [
        "last_contact", "last_contact_source", "next_due", "overdue_days", "status", "why"
    ]
    assert sorted(data["recent"][0]) == [
        "asked", "channel", "date", "gave", "kind", "line", "source", "text"
    ]
    assert data["channel_mix"][0] == {"channel": "video", "count": 2}
    assert data["follow_up"] == {"date": "2026-11-20", "note": "send the deck", "status": "overdue"}
    assert data["rhythm"] == {"cadence": "quarterly", "source": "circle", "words": "quarterly"}


def test_show_text(make_vault, run):
    root = make_vault(CARD_VAULT, CONFIG)
    result = run("show", "Ann Lee", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Ann Lee (people/Ann Lee.md)\n")
    assert "Give/ask: gave 1, asked 3; last gift 2026-03-01: call #gave sent the article\n" in out
    assert "  asked 2 times in a row without giving: give before you ask again\n" in out
    assert "Channels, last 365 days: video 2, email 1, im 1, phone 1, no channel 1\n" in out
    assert "Last 5 interactions (of 9):\n" in out
    assert "  2026-09-10 note   2026-09-10 Offsite  [meetings/2026-09-10 Offsite.md:4]\n" in out
    assert "Follow-up: 2026-11-20 send the deck (overdue)\n" in out
    assert "Introduced by: Bob Stone\n" in out and "Known by: Bob Stone\n" in out


def test_show_unknown_name_lists_candidates(make_vault, run):
    root = make_vault(CARD_VAULT, CONFIG)
    result = run("show", "Anne Le", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "Error: 'Anne Le' is not a contact in this vault; did you mean: Ann Lee (people/Ann Lee.md)" in result.output


def test_show_escapes_control_characters(make_vault, run):
    root = make_vault({"people/E.md": contact("E", "circle: buddy\norg: \"Evil\\e[31m Corp\"\n")})
    result = run("show", "E", "--vault", root, "--today", "2026-11-22")
    assert "\x1b" not in result.stdout and "Evil\\x1b[31m Corp" in result.stdout


# --- list ---------------------------------------------------------------------------


LIST_VAULT = {
    "people/Zed.md": contact(
        "Zed", "circle: buddy\norg: ACME Corp\ntags: [Mentor]\norigin: former-boss\n"
        "channels: [email]\ngoals: [move-to-product/works-there]\nlast_contact: 2026-01-01\n"
    ),
    "people/Amy.md": contact(
        "Amy", "circle: strategic\norg: Acme\ntags: [mentor, alumni]\norigin: classmate\n"
        "priority: 2\nlast_contact: 2026-11-01\n"
    ),
    "people/Bea.md": contact(
        "Bea", "circle: lukewarm\norg: Initech\ntags: [alumni]\norigin: Former-Boss\npriority: 2\n"
        "channels: [phone]\ngoals: [move-to-product]\nlast_contact: 2026-01-01\n"
    ),
    "people/Cal.md": contact("Cal", "circle: cold\npriority: 1\n"),
}


def names(vault, filters=None, sort="name"):
    return [row.name for row in list_people(vault, TODAY, filters, sort)]


def test_list_filters(make_vault):
    vault = load_vault(make_vault(LIST_VAULT), TODAY)
    assert names(vault) == ["Amy", "Bea", "Cal", "Zed"]
    assert names(vault, Filters(orgs=("acme",))) == ["Amy", "Zed"]  # a part, any case
    assert names(vault, Filters(orgs=("corp", "initech"))) == ["Bea", "Zed"]  # OR within
    assert names(vault, Filters(tags=("MENTOR",))) == ["Amy", "Zed"]
    assert names(vault, Filters(tags=("mentor",), orgs=("corp",))) == ["Zed"]  # AND across
    assert names(vault, Filters(origins=("former-boss",))) == ["Bea", "Zed"]
    assert names(vault, Filters(circles=("buddy", "cold"))) == ["Cal", "Zed"]
    assert names(vault, Filters(goals=("move-to-product",))) == ["Bea", "Zed"]
    assert names(vault, Filters(channels=("phone",))) == ["Bea"]
    # Zed (buddy, 2026-01-01) and Bea (lukewarm, 2026-01-01) are overdue; cold Cal has no rhythm.
    assert names(vault, Filters(due=True)) == ["Bea", "Zed"]
    assert names(vault, Filters(orgs=("nowhere",))) == []


def test_list_sorts_and_ties_by_name(make_vault):
    vault = load_vault(make_vault(LIST_VAULT), TODAY)
    assert names(vault, sort="priority") == ["Cal", "Amy", "Bea", "Zed"]
    assert names(vault, sort="last-contact") == ["Cal", "Bea", "Zed", "Amy"]


def test_list_cli_json_and_text(make_vault, run):
    root = make_vault(LIST_VAULT)
    result = run("list", "--vault", root, "--today", "2026-11-22", "--org", "acme",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(data) == ["people", "problems", "today"]
    assert [p["name"] for p in data["people"]] == ["Amy", "Zed"]
    assert sorted(data["people"][0]) == [
        "channels", "circle", "goals", "last_contact", "name", "next_due", "org", "origin",
        "path", "priority", "role", "status", "tags",
    ]
    assert data["people"][0]["next_due"] == "2027-02-01"
    result = run("list", "--vault", root, "--today", "2026-11-22", "--sort", "priority",
                 "--circle", "cold", "--circle", "strategic")
    assert result.stdout == (
        "Cal  cold       p1  -     never contacted  no rhythm\n"
        "Amy  strategic  p2  Acme  last 2026-11-01  due 2027-02-01\n"
    )
    assert result.stderr == "2 people\n"


# --- search ---------------------------------------------------------------------------


SEARCH_VAULT = {
    "people/José Núñez.md": contact(
        "José Núñez", "circle: buddy\naliases: [Pepe]\norg: Café Søren\nrole: Head of Data\n",
        "Likes  sailing and\nthe Økonomi podcast.\n",
        ["2026-01-01 email: talked about SAILING #gave"],
    ),
    "people/Ann.md": contact("Ann", "circle: buddy\ntags: [sailing-club]\n"),
    "people/Bo.md": contact("Bo", "circle: buddy\n", "Nothing here.\n"),
}


def test_search_hits_with_fields_and_lines(make_vault):
    root = make_vault(SEARCH_VAULT)
    vault = load_vault(root, TODAY)
    bodies = read_bodies(root, [c.path for c in vault.contacts])
    found = search(vault, "Sailing", bodies)
    assert [f.name for f in found] == ["Ann", "José Núñez"]
    assert [(h.field, h.line, h.excerpt) for h in found[0].hits] == [("tags", 4, "sailing-club")]
    assert [(h.field, h.line, h.excerpt) for h in found[1].hits] == [
        ("notes", 8, "Likes  sailing and"),
        ("log", 12, "- 2026-01-01 email: talked about SAILING #gave"),
    ]


def test_search_ignores_accents_case_and_spacing(make_vault):
    root = make_vault(SEARCH_VAULT)
    vault = load_vault(root, TODAY)
    bodies = read_bodies(root, [c.path for c in vault.contacts])
    for query in ("jose nunez", "JOSÉ", "cafe soren", "okonomi", "head of   data", "likes sailing", "pepe"):
        assert [f.name for f in search(vault, query, bodies)] == ["José Núñez"], query
    hits = search(vault, "cafe soren", bodies)[0].hits
    assert [(h.field, h.excerpt) for h in hits] == [("org", "Café Søren")]
    assert search(vault, "   ", bodies) == []


def test_search_excerpt_is_short():
    from netvault.playbook.find import _excerpt

    text = "a" * 200 + " needle " + "b" * 200
    shown = _excerpt(text, "needle")
    assert shown.startswith("…") and shown.endswith("…") and "needle" in shown
    assert len(shown) <= 82


def test_search_cli(make_vault, run):
    root = make_vault(SEARCH_VAULT)
    result = run("search", "økonomi", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "José Núñez (people/José Núñez.md)\n"
        "  people/José Núñez.md:9: notes: the Økonomi podcast.\n"
    )
    result = run("search", "sailing", "--vault", root, "--today", "2026-11-22", "--format", "json")
    data = json.loads(result.stdout)
    assert sorted(data) == ["people", "problems", "query"]
    assert sorted(data["people"][0]) == ["hits", "name", "path"]
    assert data["people"][0]["hits"] == [{"excerpt": "sailing-club", "field": "tags", "line": 4}]


# --- open ---------------------------------------------------------------------------


def test_open_prints_the_path_when_not_in_a_terminal(make_vault, run):
    root = make_vault(SEARCH_VAULT)
    result = run("open", "pepe", "--vault", root, "--today", TODAY, env={"EDITOR": "false"})
    assert result.exit_code == 0
    assert result.stdout == f"{root / 'people' / 'José Núñez.md'}\n"
    result = run("open", "pepe", "--vault", root, "--format", "json", "--today", TODAY)
    assert json.loads(result.stdout)["path"] == "people/José Núñez.md"


def test_open_runs_the_editor_with_the_path(make_vault, run, monkeypatch):
    root = make_vault(SEARCH_VAULT)
    calls = []
    monkeypatch.setattr(people_cli, "_in_terminal", lambda: True)
    monkeypatch.setattr(
        people_cli.subprocess, "run",
        lambda args, check: calls.append(args) or type("R", (), {"returncode": 0})(),
    )
    result = run("open", "Bo", "--vault", root, "--today", TODAY, env={"VISUAL": "code --wait", "EDITOR": "vi"})
    assert result.exit_code == 0, result.output
    assert calls == [["code", "--wait", str(root / "people" / "Bo.md")]]
    result = run("open", "Bo", "--vault", root, "--today", TODAY, "--print", env={"VISUAL": "code"})
    assert result.stdout == f"{root / 'people' / 'Bo.md'}\n" and len(calls) == 1


def test_open_reports_a_failing_editor(make_vault, run, monkeypatch):
    root = make_vault(SEARCH_VAULT)
    monkeypatch.setattr(people_cli, "_in_terminal", lambda: True)
    result = run("open", "Bo", "--vault", root, "--today", TODAY, env={"EDITOR": "no-such-editor-netvault"})
    assert result.exit_code == 1
    assert "Error: cannot start the editor 'no-such-editor-netvault'" in result.output


def test_every_command_has_an_example(run):
    for command in ("show", "list", "search", "open"):
        assert "Example:" in run(command, "--help").stdout


def test_the_card_of_someone_who_does_not_know_you_shows_introductions(make_vault, run):
    root = make_vault(
        {
            "people/Ann.md": '---\ncircle: buddy\nknows: ["[[Zed]]"]\n---\n',
            "people/Zed.md": "---\ncircle: cold\n---\n",
        }
    )
    import json

    card = json.loads(run("show", "Zed", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    assert card["intro_paths"] == [["Ann", "Zed"]]
    text = run("show", "Zed", "--vault", root, "--today", "2026-11-22").stdout
    assert "Introduction: you > Ann > Zed" in text
    ann = json.loads(run("show", "Ann", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    assert ann["intro_paths"] == []  # a buddy needs no introduction

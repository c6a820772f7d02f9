"""Hostile input: control characters never reach the terminal, and dates at
the edges of the calendar (0001-01-01, 9999-12-31) never raise."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.playbook.agenda import build_agenda
from netvault.read.model import Birthday, Contact, FollowUp, LogEntry, Vault
from netvault.read.settings import CIRCLES, Config
from netvault.values.cadence import parse_cadence
from netvault.values.dates import birthday_on
from netvault.values.problems import ERROR, Problem, printable
from netvault.views.agenda import FORMATS, render_agenda
from netvault.views.templates import _RESET, _STYLES

# C0 but tab and newline, DEL, C1, bidi overrides and isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OUR_COLOURS = re.compile("|".join(re.escape(code) for code in [*_STYLES.values(), _RESET]))

# YAML double-quoted escapes: \e is ESC, \a BEL, \x9b the one-byte CSI.
HOSTILE_YAML = r'"\e]0;pwned\a \x9b2J \x01\x08\x0b\x0c\x0e\x1f\x7f \u202eevil\u2066"'
HOSTILE_RAW = "\x1b]0;pwned\x07 \x9b2J \x01\x08\x0e\x1f\x7f \u202e"

HOSTILE_CONTACT = f"""---
name: {HOSTILE_YAML}
circle: buddy
org: {HOSTILE_YAML}
role: {HOSTILE_YAML}
channels: [{HOSTILE_YAML}, email]
follow_up: "2026-11-20 call back {HOSTILE_YAML[1:]}
---
## Log
- 2026-11-01 email: asked for a favour {HOSTILE_RAW} #asked
"""


def forbidden(text: str) -> list[str]:
    return FORBIDDEN.findall(text)


@pytest.fixture
def hostile_vault(make_vault):
    return make_vault(
        {
            "people/Hostile.md": HOSTILE_CONTACT,
            # a file name can hold control characters too; the name falls back to it
            "people/Bell \x07\x1b[2J.md": "---\ncircle: buddy\nfollow_up: 2026-11-22 x\n---\n",
            # a problem whose path and message carry them
            "people/Bad \x1b]0;x\x07.md": f"---\ncircle: {HOSTILE_YAML}\n---\n",
        }
    )


# --- control characters ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_control_characters_never_reach_the_agenda(run, hostile_vault, fmt):
    result = run("agenda", "--vault", hostile_vault, "--today", "2026-11-22", "--format", fmt)
    assert result.exit_code == 0
    assert forbidden(result.stdout) == []
    assert forbidden(result.stderr) == []
    # shown, escaped, so the user can see the file holds them
    assert "\\x1b]0;pwned\\x07" in result.stdout
    assert "\\x9b2J" in result.stdout
    assert "\\u202eevil" in result.stdout
    assert "Bell \\x07\\x1b" in result.stdout
    assert "people/Bad \\x1b]0;x\\x07.md:2: error:" in result.stderr


def test_check_output_carries_no_control_characters(run, hostile_vault):
    result = run("check", "--vault", hostile_vault, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert forbidden(result.stdout) == [] and forbidden(result.stderr) == []
    assert "people/Bad \\x1b]0;x\\x07.md:2: error: unknown circle" in result.stdout


def test_json_keeps_the_data_as_it_is(run, hostile_vault):
    result = run("agenda", "--vault", hostile_vault, "--today", "2026-11-22", "--format", "json")
    names = {item["name"] for item in json.loads(result.stdout)["items"]}
    assert "\x1b]0;pwned\x07 \x9b2J \x01\x08\x0b\x0c\x0e\x1f\x7f \u202eevil\u2066" in names
    assert "\x1b" not in result.stdout  # JSON writes C0 as \u001b


def test_colours_netvault_adds_survive_and_the_contacts_do_not(make_vault, hostile_vault):
    from netvault.read.loader import load_vault

    today = date(2026, 11, 22)
    agenda = build_agenda(load_vault(hostile_vault, today), today)
    text = render_agenda(agenda, "text", hostile_vault, color=True)
    assert "\x1b[1mnetvault agenda\x1b[0m" in text
    assert "\x1b[1;31m" in text  # overdue in red
    assert forbidden(OUR_COLOURS.sub("", text)) == []
    assert "\ue000" not in text  # no marker left behind
    plain = render_agenda(agenda, "text", hostile_vault, color=False)
    assert OUR_COLOURS.sub("", text) == plain


def test_a_vaults_own_template_is_protected_too(run, make_vault):
    root = make_vault(
        {
            "people/Hostile.md": HOSTILE_CONTACT,
            ".netvault/templates/agenda.txt.j2": (
                "{% for i in agenda.items %}{{ i.name }}|{{ i.note }}|{{ i.channels }}\n{% endfor %}"
                "{{ agenda.problems | map(attribute='message') | join(',') }}\n"
            ),
            ".netvault/templates/agenda.md.j2": "{{ agenda.items[0].org | mdtext }}\n",
            ".netvault/templates/agenda.html.j2": "<p>{{ agenda.items[0].role | safe }}</p>\n",
        }
    )
    for fmt in ("text", "markdown", "html"):
        result = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", fmt)
        assert result.exit_code == 0
        assert "\\x1b" in result.stdout and "pwned\\x07" in result.stdout
        assert forbidden(result.stdout) == []


def test_a_line_break_or_tab_in_a_field_becomes_a_space(run, make_vault):
    root = make_vault({"people/Ann.md": '---\ncircle: buddy\norg: "Acme\\nEvil\\tCorp\\r\\nLtd"\n---\n'})
    for fmt in ("text", "html"):  # the Markdown agenda does not show org
        out = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", fmt).stdout
        assert "Acme Evil Corp  Ltd" in out
    text = run("agenda", "--vault", root, "--today", "2026-11-22").stdout
    assert text.splitlines()[-2].split() == ["Acme", "Evil", "Corp", "Ltd"]  # then the talking point


def test_html_is_still_escaped_once(run, make_vault):
    root = make_vault({"people/x.md": '---\nname: "<b>A & B\\e</b>"\ncircle: buddy\n---\n'})
    html = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "html").stdout
    assert "&lt;b&gt;A &amp; B\\x1b&lt;/b&gt;" in html
    assert "&amp;amp;" not in html


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain é 中 — ·", "plain é 中 — ·"),
        ("a\tb\nc\rd\x0be\x0cf", "a b c d e f"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x00\x07\x7f", "\\x00\\x07\\x7f"),
        ("\x85\x9b\x9f\xa0", "\\x85\\x9b\\x9f\xa0"),  # C1 escaped; no-break space kept
        ("\u202aa\u202eb\u2066c\u2069", "\\u202aa\\u202eb\\u2066c\\u2069"),
        ("\u200f\u061c", "\u200f\u061c"),  # bidi marks only steer neutrals: harmless
        ("\ud800", "\\ud800"),  # a lone surrogate cannot even be written as UTF-8
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown
    assert printable(shown) == shown


def test_problem_format_escapes_path_and_message():
    problem = Problem("people/a\x1b]0;x\x07.md", 3, ERROR, "bad \x9b\nthing")
    assert problem.format() == "people/a\\x1b]0;x\\x07.md:3: error: bad \\x9b thing"
    assert problem.as_dict()["message"] == "bad \x9b\nthing"  # the data itself is unchanged


# --- the edges of the calendar ---------------------------------------------------

EDGE_CONTACTS = {
    "people/New Year.md": "---\ncircle: buddy\nbirthday: 01-01\n---\n",
    "people/Leap.md": "---\ncircle: buddy\nbirthday: 02-29\n---\n",
    "people/Old Year.md": "---\ncircle: buddy\nbirthday: 9999-12-31\nlast_contact: 9999-12-31\n---\n",
    "people/First.md": "---\ncircle: buddy\nbirthday: 0001-01-01\nlast_contact: 0001-01-01\ncadence: 99999y\n---\n",
    "people/Monthly.md": "---\ncircle: strategic\ncadence: monthly\nlast_contact: 9999-12-15\n---\n",
    "people/Daily.md": "---\ncircle: strategic\ncadence: 99999d\n---\n## Log\n- 9999-12-30 email: hi\n",
    "people/Snoozed.md": "---\ncircle: lukewarm\nsnooze_until: 9999-12-31\n---\n",
    "people/Follow.md": "---\ncircle: cold\nfollow_up: 9999-12-31 the last day\n---\n",
    "people/Early.md": "---\ncircle: cold\nfollow_up: 0001-01-01 the first day\n---\n"
    "## Log\n- 0001-01-01 email: asked for the moon #asked\n",
}


@pytest.mark.parametrize("today", ["0001-01-01", "0001-01-02", "2026-11-22", "9999-06-01", "9999-12-01", "9999-12-31"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_agenda_at_the_edges_of_the_calendar(run, make_vault, today, fmt):
    root = make_vault(EDGE_CONTACTS)
    for days in ("0", "14", "3660"):
        result = run("agenda", "--vault", root, "--today", today, "--days", days, "--format", fmt)
        assert result.exit_code == 0, result.output
    check = run("check", "--vault", root, "--today", today)
    assert check.exit_code == 0, check.output


def test_birthday_past_9999_is_not_on_the_agenda(run, make_vault):
    root = make_vault(EDGE_CONTACTS)
    result = run("agenda", "--vault", root, "--today", "9999-06-01", "--days", "3660", "--format", "json")
    birthdays = {(i["name"], i["due"], i["age"]) for i in json.loads(result.stdout)["items"] if i["kind"] == "birthday"}
    # New Year's and Leap's next birthdays would be in the year 10000
    assert birthdays == {("Old Year", "9999-12-31", None)}


def test_birthdays_in_the_first_year(run, make_vault):
    root = make_vault(EDGE_CONTACTS)
    result = run("agenda", "--vault", root, "--today", "0001-01-01", "--days", "60", "--format", "json")
    birthdays = {(i["name"], i["due"]) for i in json.loads(result.stdout)["items"] if i["kind"] == "birthday"}
    assert birthdays == {("New Year", "0001-01-01"), ("First", "0001-01-01"), ("Leap", "0001-02-28")}


def test_long_dates_keep_four_digit_years(run, make_vault):
    root = make_vault({})
    assert "for Monday 1 January 0001 ·" in run("agenda", "--vault", root, "--today", "0001-01-01").stdout
    assert "Friday 31 December 9999" in run("agenda", "--vault", root, "--today", "9999-12-31", "--format", "markdown").stdout


def test_a_rhythm_past_9999_stops_at_the_last_day():
    contact = Contact("people/a.md", "A", cadence=parse_cadence("monthly"), last_contact=date(9999, 12, 15))
    agenda = build_agenda(Vault(Path("."), Config(), (contact,), ()), date(9999, 12, 31))
    assert [(i.status, i.due, i.cadence_days) for i in agenda.items] == [("due", date.max, 16)]


@pytest.mark.parametrize(
    "birthday, year, expected",
    [
        (date(2000, 1, 1), 9999, date(9999, 1, 1)),
        (date(2000, 1, 1), 10000, None),
        (date(2000, 1, 1), 0, None),
        (date(2000, 2, 29), 9999, date(9999, 2, 28)),
        (date(2000, 2, 29), 9996, date(9996, 2, 29)),
        (date(2000, 2, 29), 1, date(1, 2, 28)),
    ],
)
def test_birthday_on(birthday, year, expected):
    assert birthday_on(birthday, year) == expected


# --- property: any dates, any day, never a traceback ------------------------------

EDGES = [date.min, date(1, 1, 2), date(1, 2, 28), date(4, 2, 29), date(9996, 2, 29), date(9999, 12, 1), date(9999, 12, 30), date.max]
any_date = st.one_of(st.sampled_from(EDGES), st.dates())
cadences = st.one_of(
    st.builds(lambda n, unit: f"{n}{unit}", st.integers(1, 99999), st.sampled_from("dwmy")),
    st.integers(1, 366).map(lambda n: f"{n}/year"),
    st.sampled_from(["weekly", "monthly", "quarterly", "twice-a-year", "yearly", "never"]),
).map(parse_cadence)
birthdays = st.one_of(
    any_date.map(lambda d: Birthday(d.month, d.day, d.year)),
    st.dates(date(2000, 1, 1), date(2000, 12, 31)).map(lambda d: Birthday(d.month, d.day, None)),
    st.just(Birthday(2, 29, None)),
)
log_entries = st.lists(
    st.builds(
        lambda when, line, gave, asked: LogEntry(when, "email", "met #asked" if asked else "met", line, gave, asked),
        any_date,
        st.integers(1, 99),
        st.booleans(),
        st.booleans(),
    ),
    max_size=4,
)


@st.composite
def contacts(draw, number: int) -> Contact:
    return Contact(
        path=f"people/p{number}.md",
        name=f"P{number}",
        circle=draw(st.sampled_from([*CIRCLES, None])),
        cadence=draw(st.none() | cadences),
        last_contact=draw(st.none() | any_date),
        priority=draw(st.none() | st.integers(1, 10)),
        snooze_until=draw(st.none() | any_date),
        follow_up=draw(st.none() | st.builds(FollowUp, any_date, st.sampled_from(["", "call"]))),
        birthday=draw(st.none() | birthdays),
        log=tuple(draw(log_entries)),
    )


people = st.integers(1, 4).flatmap(lambda n: st.tuples(*[contacts(i) for i in range(n)]))


def agenda_for(people, today, days, config_cadence):
    config = Config(cadence={circle: config_cadence for circle in CIRCLES})
    return build_agenda(Vault(Path("."), config, people, ()), today, days)


@settings(max_examples=200, deadline=None)
@given(people=people, today=any_date, days=st.integers(0, 3660), config_cadence=cadences)
def test_the_agenda_never_raises_on_any_dates(people, today, days, config_cadence):
    agenda = agenda_for(people, today, days, config_cadence)
    for item in agenda.items:
        assert item.overdue_days >= 0
        assert item.status in ("overdue", "due", "upcoming")
        assert item.status != "upcoming" or 0 < (item.due - today).days <= days


@settings(max_examples=40, deadline=None)  # each rendering compiles its templates: slow
@given(people=people, today=any_date, days=st.integers(0, 3660), config_cadence=cadences)
def test_rendering_never_raises_on_any_dates_and_shows_every_item(people, today, days, config_cadence):
    agenda = agenda_for(people, today, days, config_cadence)
    outputs = {fmt: render_agenda(agenda, fmt, color=fmt == "text") for fmt in FORMATS}
    data = json.loads(outputs["json"])
    assert data["today"] == today.isoformat()
    assert [(i["name"], i["kind"], i["due"]) for i in data["items"]] == [
        (i.name, i.kind, i.due.isoformat()) for i in agenda.items
    ]
    for fmt in ("text", "markdown", "html"):
        shown = outputs[fmt].count("P")  # every contact is named P<number>
        assert all(item.name in outputs[fmt] for item in agenda.items), fmt
        assert shown >= len({item.name for item in agenda.items}), fmt

"""Interactions from meeting and daily notes (netvault.read.mentions)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from netvault.read.frontmatter import decode, parse
from netvault.read.mentions import interactions, is_interaction_folder
from netvault.read.model import Contact, Interaction
from netvault.read.notedates import (
    daily_notes_folder,
    daily_notes_settings,
    date_from_format,
    note_date,
)
from netvault.read.notelinks import links_in
from netvault.values.problems import WARNING, Problem

from .conftest import CORPUS as CORPUS_ROOT
from .conftest import python_steps, require_corpus

TODAY = date(2026, 11, 22)
CORPUS = CORPUS_ROOT / "obsidian"

ADA = Contact(path="People/Ada Engineer.md", name="Ada Engineer", aliases=("Ada",))
BO = Contact(path="People/Bo Founder.md", name="Bo Founder", aliases=("Bo",))
OMAR = Contact(path="People/Omar.md", name="Omar")
PEOPLE = (ADA, BO, OMAR)


def note(text: str):
    return parse(text)


def run(files: dict[str, str], contacts=PEOPLE, today=TODAY, **settings):
    settings.setdefault("folders", ["Meetings"])
    return interactions(
        ((rel, note(text)) for rel, text in files.items()), contacts, today, **settings
    )


def who(files: dict[str, str], **settings) -> dict[str, list[tuple[str, str, int | None]]]:
    """{contact path: [(date, source, line), ...]} for compact assertions."""
    found, _ = run(files, **settings)
    return {
        path: [(i.date.isoformat(), i.source, i.line) for i in items]
        for path, items in found.items()
    }


def body_targets(body: str) -> list[str]:
    return [link.target for link in links_in(note(body))]


# ---------------------------------------------------------------- links


def test_frontmatter_list_of_links_counts_on_the_keys_line():
    text = '---\ndate: 2026-03-01\npeople:\n  - "[[Ada Engineer]]"\n  - "[[Bo Founder]]"\n---\nNotes.\n'
    assert who({"Meetings/Kickoff.md": text}) == {
        "People/Ada Engineer.md": [("2026-03-01", "Meetings/Kickoff.md", 3)],
        "People/Bo Founder.md": [("2026-03-01", "Meetings/Kickoff.md", 3)],
    }


def test_any_frontmatter_key_and_nested_values_count():
    text = (
        "---\n"
        "date: 2026-03-01\n"
        "attendees:\n"
        "  core: [\"[[Ada]]\"]\n"
        "  guests:\n"
        "    - [\"[[Bo]]\"]\n"
        "host: met with [[Omar]] and others\n"
        "---\n"
    )
    found = who({"Meetings/x.md": text})
    assert found["People/Ada Engineer.md"][0][2] == 3
    assert found["People/Bo Founder.md"][0][2] == 3
    assert found["People/Omar.md"][0][2] == 7


def test_unquoted_wikilink_in_frontmatter_is_read_as_yaml_makes_it():
    # `people: [[Ada]]` unquoted is a list inside a list in YAML
    text = "---\ndate: 2026-03-01\npeople: [[Ada]]\n---\n"
    assert who({"Meetings/x.md": text}) == {
        "People/Ada Engineer.md": [("2026-03-01", "Meetings/x.md", 3)]
    }


def test_body_links_carry_their_file_line():
    text = "---\ndate: 2026-03-01\n---\n# Sync\n\nTalked to [[Ada]].\n- then [[Bo Founder|Bo]]\n"
    assert who({"Meetings/x.md": text}) == {
        "People/Ada Engineer.md": [("2026-03-01", "Meetings/x.md", 6)],
        "People/Bo Founder.md": [("2026-03-01", "Meetings/x.md", 7)],
    }


def test_links_in_lists_frontmatter_then_body_in_file_order():
    text = '---\ntopics: "[[Emergence]]"\n---\nsee [[Ada]] and [[Bo]]\n'
    links = links_in(note(text))
    assert [(l.target, l.line) for l in links] == [("Emergence", 2), ("Ada", 4), ("Bo", 4)]


def test_a_note_without_frontmatter_numbers_body_lines_from_one():
    assert [(l.target, l.line) for l in links_in(note("x\n[[Ada]]\n"))] == [("Ada", 2)]


def test_fenced_code_does_not_count():
    body = "```\n[[Ada]]\n```\n~~~md\n[[Bo]]\n~~~\n[[Omar]]\n"
    assert body_targets(body) == ["Omar"]


def test_inline_code_does_not_count():
    assert body_targets("use `[[Ada]]` or ``[[Bo]] ` `` then [[Omar]]") == ["Omar"]


def test_an_unmatched_backtick_is_plain_text():
    assert body_targets("it`s [[Ada]]") == ["Ada"]
    assert body_targets("``[[Ada]]` and [[Bo]]") == ["Ada", "Bo"]


def test_html_comments_do_not_count():
    body = (
        "<!-- [[Ada]] -->\n"
        "<!--\n[[Bo]]\n-->\n"
        "met [[Omar]] <!-- not [[Ada]] --> and <!-- [[Bo]]\n"
        "still hidden [[Bo]] --> but [[Ada Engineer]]\n"
    )
    assert body_targets(body) == ["Omar", "Ada Engineer"]


def test_obsidian_comments_do_not_count():
    body = "%% [[Ada]] %%\n%%\n[[Bo]]\n%%\nmet [[Omar]] %%[[Ada]]%% and [[Bo Founder]]\n"
    assert body_targets(body) == ["Omar", "Bo Founder"]


def test_a_comment_opened_mid_line_hides_the_lines_until_it_closes():
    body = "met [[Ada]] %% private\n[[Bo]] still private\nend %% [[Omar]]\n"
    assert body_targets(body) == ["Ada", "Omar"]


def test_code_and_comment_markers_inside_each_other():
    assert body_targets("`<!--` [[Ada]] `-->`") == ["Ada"]
    assert body_targets("so <!-- `x --> [[Ada]] ` -->") == ["Ada"]


def test_block_quotes_do_not_count():
    body = "> [[Ada]] said hi\n   >> [[Bo]]\n> [!note] [[Omar]]\n[[Omar]]\n"
    assert [(l.target, l.line) for l in links_in(note(body))] == [("Omar", 4)]


def test_embeds_do_not_count_but_plain_links_beside_them_do():
    assert body_targets("![[Ada]] ![[Bo|200]] [[Omar]] ![Ada](Ada.md)") == ["Omar"]


def test_unchecked_tasks_are_plans_checked_tasks_count():
    body = (
        "- [ ] email [[Omar]]\n"
        "- [x] sent [[Ada]] the deck\n"
        "* [X] called [[Bo]]\n"
        "1. [ ] invite [[Ada Engineer]]\n"
        "  - [-] cancelled lunch with [[Bo Founder]]\n"
        "- [>] moved: [[Bo]]\n"
        "- [[Omar]] was there\n"
    )
    assert body_targets(body) == ["Ada", "Bo", "Omar"]


def test_unchecked_task_in_a_meeting_is_not_contact():
    text = "---\ndate: 2026-03-01\n---\n- [ ] email [[Omar]]\n- [x] thanked [[Ada]]\n"
    assert who({"Meetings/x.md": text}) == {
        "People/Ada Engineer.md": [("2026-03-01", "Meetings/x.md", 5)]
    }


def test_path_qualified_aliased_heading_and_md_links_resolve_like_obsidian():
    body = (
        "[[People/Ada Engineer|Ada]]\n"
        "[[Bo Founder#Background]]\n"
        "[[Omar.md]]\n"
        "[[people/ada engineer.md|again]]\n"
        "| who | [[Bo Founder\\|Bo]] |\n"
        "[[#Heading in this note]] [[^block]]\n"
    )
    links = links_in(note(body))
    assert [(l.target, l.label) for l in links] == [
        ("People/Ada Engineer", "Ada"),
        ("Bo Founder", None),
        ("Omar", None),
        ("people/ada engineer", "again"),
        ("Bo Founder", "Bo"),
    ]
    found = who({"Meetings/x.md": "---\ndate: 2026-03-01\n---\n" + body})
    assert sorted(found) == ["People/Ada Engineer.md", "People/Bo Founder.md", "People/Omar.md"]


def test_alias_links_resolve():
    found = who({"Meetings/x.md": "---\ndate: 2026-03-01\n---\n[[ada]] and [[BO]]\n"})
    assert sorted(found) == ["People/Ada Engineer.md", "People/Bo Founder.md"]


def test_markdown_links_to_notes_count():
    body = "[Ada](People/Ada%20Engineer.md) [Bo](<../People/Bo Founder.md#Work> \"t\") [web](https://x.md)"
    assert [(l.target, l.label) for l in links_in(note(body))] == [
        ("People/Ada Engineer", "Ada"),
        ("People/Bo Founder", "Bo"),
    ]


def test_a_contact_linked_twice_is_one_interaction_on_its_first_line():
    text = '---\ndate: 2026-03-01\npeople: ["[[Ada]]"]\n---\n[[Ada Engineer]] again, [[Ada]]\n'
    assert who({"Meetings/x.md": text}) == {
        "People/Ada Engineer.md": [("2026-03-01", "Meetings/x.md", 3)]
    }


# ---------------------------------------------------------------- which notes, which date


def test_date_from_frontmatter_key_beats_the_file_name():
    data = note("---\ndate: 2026-03-01\n---\n").data
    assert note_date("Meetings/2020-01-01 x.md", data, key_lines={"date": 2}) == (date(2026, 3, 1), 2)


def test_date_from_the_file_name_when_no_key():
    assert note_date("Daily/2026-03-01.md", {}) == (date(2026, 3, 1), None)
    assert note_date("Notes/2023-09-12 Meeting with Steph.md", {}) == (date(2023, 9, 12), None)
    assert note_date("x/2026-03-01-Tuesday.md", {}) == (date(2026, 3, 1), None)


def test_no_date_at_all():
    assert note_date("Meetings/Kickoff.md", {"title": "x"}) == (None, None)
    assert note_date("Meetings/Kickoff 2026-03-01.md", {}) == (None, None)  # not at the start
    assert note_date("Meetings/2026-03-011.md", {}) == (None, None)
    assert note_date("Meetings/2026-02-30 x.md", {}) == (None, None)


def test_datetime_with_a_time():
    for value in (
        "2026-01-10T14:30",
        "2026-01-10T14:30:05",
        "2026-01-10T14:30:05.123Z",
        "2026-01-10T23:30+02:00",
        "2026-01-10 14:30",
        "[[2026-01-10]]",
    ):
        assert note_date("x.md", {"datetime": value}) == (date(2026, 1, 10), None), value


def test_date_keys_are_configurable_and_match_case_insensitively():
    data = {"Date": "2026-01-10", "meeting_day": "2026-02-02"}
    assert note_date("x.md", data)[0] == date(2026, 1, 10)
    assert note_date("x.md", data, date_keys=["meeting_day"])[0] == date(2026, 2, 2)
    assert note_date("x.md", data, date_keys=["when"]) == (None, None)


def test_an_empty_date_key_falls_through_silently():
    files = {"Meetings/2026-03-01 x.md": "---\ndate:\n---\n[[Ada]]\n"}
    found, problems = run(files)
    assert found["People/Ada Engineer.md"] == (Interaction(date(2026, 3, 1), "Meetings/2026-03-01 x.md", 4),)
    assert problems == []


def test_an_unreadable_date_is_a_warning_with_its_line():
    found, problems = run(
        {
            "Meetings/Kickoff.md": "---\ndate: next tuesday\n---\n[[Ada]]\n",
            "Meetings/2026-03-01 sync.md": "---\ndate: 2026-13-01\n---\n[[Bo]]\n",
        }
    )
    assert found == {"People/Bo Founder.md": (Interaction(date(2026, 3, 1), "Meetings/2026-03-01 sync.md", 4),)}
    assert problems == [
        Problem(
            "Meetings/2026-03-01 sync.md",
            2,
            WARNING,
            "date: expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got '2026-13-01'; "
            "this note is dated 2026-03-01 instead",
        ),
        Problem(
            "Meetings/Kickoff.md",
            2,
            WARNING,
            "date: expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got 'next tuesday'; "
            "the people this note links to are not counted as contacted",
        ),
    ]


def test_undated_notes_and_notes_outside_the_folders_do_not_count():
    files = {
        "Meetings/Kickoff.md": "[[Ada]]\n",
        "Projects/2026-03-01 plan.md": "[[Bo]] [[Nobody]]\n",
        "MeetingsArchive/2026-03-01.md": "[[Omar]]\n",
    }
    assert run(files) == (
        {},
        [
            Problem(
                "Meetings",
                None,
                WARNING,
                "1 note in Meetings/ has no date (no date key, and its name does not start "
                "with YYYY-MM-DD); it does not count as contact",
            )
        ],
    )


def test_folders_match_case_insensitively_at_any_depth():
    assert is_interaction_folder("Meetings/2026/Q1/x.md", ["meetings"])
    assert is_interaction_folder("work/MEETINGS/x.md", ["Work/Meetings/"])
    assert is_interaction_folder("Journal/x.md", ["./Journal"])
    assert not is_interaction_folder("Meetings.md", ["Meetings"])
    assert not is_interaction_folder("MeetingsOld/x.md", ["Meetings"])
    assert not is_interaction_folder("Work/Meetings/x.md", ["Meetings"])  # folders are from the root
    assert not is_interaction_folder("x.md", [])
    # The root, as for [vault] contacts: every dated note in the vault.
    assert is_interaction_folder("x.md", [""])
    assert is_interaction_folder("Work/Meetings/x.md", ["."])


def test_the_daily_notes_folder_counts_too():
    files = {"Journal/Daily/2026-03-01.md": "Lunch with [[Ada]]\n"}
    assert who(files, folders=[]) == {}
    assert who(files, folders=[], daily_folder="journal/daily") == {
        "People/Ada Engineer.md": [("2026-03-01", "Journal/Daily/2026-03-01.md", 1)]
    }


def test_a_future_dated_note_counts_from_its_day():
    files = {"Meetings/2026-12-01.md": "[[Ada]] [[Nobody Here]]\n"}
    found, problems = run(files)
    assert found == {}
    assert problems == [Problem("Meetings/2026-12-01.md", 1, WARNING, "[[Nobody Here]] is not a contact in this vault")]
    found, _ = run(files, today=date(2026, 12, 1))
    assert found == {"People/Ada Engineer.md": (Interaction(date(2026, 12, 1), "Meetings/2026-12-01.md", 1),)}


def test_a_contacts_own_note_is_not_an_interaction_note():
    own = '---\ndate: 2026-03-01\nknows: ["[[Bo]]"]\n---\nI am [[Ada Engineer]], see [[Omar]]\n'
    ada = Contact(path="Meetings/Ada Engineer.md", name="Ada Engineer")
    found, problems = run({"Meetings/Ada Engineer.md": own}, contacts=(ada, BO, OMAR))
    assert (found, problems) == ({}, [])


def test_a_note_linking_to_itself_is_not_contact():
    # The note is a contact and so is never read as a meeting note, even
    # when the loader hands it over with the others.
    text = "---\ndate: 2026-03-01\n---\n[[Omar]]\n"
    assert who({"People/Omar.md": text}, folders=["People"]) == {}


# ---------------------------------------------------------------- what check hears


def test_links_to_nobody_that_look_like_names_are_one_warning_per_note():
    text = (
        '---\ndate: 2026-03-01\npeople: ["[[Nobody Here]]"]\n---\n[[Ada]]\n[[nobody here]] [[Someone Else|S]]\n'
        "[[Emergence]] [[Out of Control]] [[2026-10-03 Meetup]]\n"
    )
    found, problems = run({"Meetings/x.md": text})
    assert list(found) == ["People/Ada Engineer.md"]
    assert [p.format() for p in problems] == [
        "Meetings/x.md:3: warning: [[Nobody Here]], [[Someone Else]] are not contacts in this vault",
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [("Jane Doe", True), ("José Núñez", True), ("Mary-Ann O'Brien", True), ("Emergence", False),
     ("Out of Control", False), ("2026-10-03 Meetup", False), ("A B C D E", False)],
)
def test_what_looks_like_a_name(text, name):
    from netvault.read.mentions import looks_like_a_name

    assert looks_like_a_name(text) is name


def test_links_to_other_notes_and_attachments_are_not_warnings():
    text = "---\ndate: 2026-03-01\n---\n[[Emergence]] [[Topics/Out of Control]] [[slides.pdf]] [[Acme]]\n"
    found, problems = run(
        {"Meetings/x.md": text, "Companies/Acme.md": "# Acme\n"},
        known_notes=["Topics/Emergence.md", "Topics/Out of Control.md"],
    )
    assert (found, problems) == ({}, [])


def test_the_date_key_is_not_read_for_links():
    text = '---\ndate: "[[2026-03-01]]"\n---\n[[Ada]]\n'
    found, problems = run({"Meetings/x.md": text})
    assert list(found) == ["People/Ada Engineer.md"] and problems == []


def test_a_link_that_could_mean_two_contacts_counts_for_neither():
    one = Contact(path="A/Sam Lee.md", name="Sam Lee")
    two = Contact(path="B/Sam Lee.md", name="Sam Lee")
    text = "---\ndate: 2026-03-01\n---\n[[Sam Lee]]\n[[B/Sam Lee]]\n"
    found, problems = run({"Meetings/x.md": text}, contacts=(one, two))
    assert found == {"B/Sam Lee.md": (Interaction(date(2026, 3, 1), "Meetings/x.md", 5),)}
    assert [p.format() for p in problems] == [
        (
            "Meetings/x.md:4: warning: [[Sam Lee]] could mean A/Sam Lee.md, B/Sam Lee.md; "
            "it is counted as contact with none of them"
        )
    ]


def test_a_file_name_beats_someone_elses_alias():
    sam = Contact(path="People/Sam.md", name="Sam")
    samantha = Contact(path="People/Samantha.md", name="Samantha", aliases=("Sam",))
    found = who({"Meetings/2026-03-01.md": "[[Sam]]\n"}, contacts=(sam, samantha))
    assert list(found) == ["People/Sam.md"]


def test_interactions_are_sorted_oldest_first_and_keyed_by_contact_path():
    files = {
        "Meetings/2026-05-01.md": "[[Ada]]\n",
        "Daily/2026-01-01.md": "[[Ada]]\n",
        "Meetings/2026-01-01 b.md": "[[Ada]]\n",
    }
    found, _ = run(files, folders=["Meetings", "Daily"])
    assert [(i.date.isoformat(), i.source) for i in found["People/Ada Engineer.md"]] == [
        ("2026-01-01", "Daily/2026-01-01.md"),
        ("2026-01-01", "Meetings/2026-01-01 b.md"),
        ("2026-05-01", "Meetings/2026-05-01.md"),
    ]


# ---------------------------------------------------------------- Obsidian's settings


@pytest.mark.parametrize(
    "text, folder",
    [
        ('{"folder": "Daily", "template": "Templates/Daily"}', "Daily"),
        ('{"folder": "/Journal/Daily/ "}', "Journal/Daily"),
        ('\ufeff{"folder": "Daily"}', "Daily"),
        (b'{"folder": "Daily"}', "Daily"),
        ('{"folder": ""}', None),
        ('{"folder": "/"}', None),
        ('{"folder": "../elsewhere"}', None),
        ('{"folder": 3}', None),
        ('{"folder": ["Daily"]}', None),
        ('{"format": "YYYY-MM-DD"}', None),
        ('["Daily"]', None),
        ('"Daily"', None),
        ("", None),
        ("{not json", None),
        ("null", None),
        (b"\xff\xfe{", None),
        ("[" * 100_000, None),
    ],
)
def test_daily_notes_json(text, folder):
    assert daily_notes_folder(text) == folder


@pytest.mark.parametrize(
    "text, settings",
    [
        ('{"folder": "Daily", "format": "DD.MM.YYYY"}', ("Daily", "DD.MM.YYYY")),
        ('{"folder": "", "format": "YYYYMMDD", "template": "T"}', (None, "YYYYMMDD")),
        ('{"folder": "Journal", "format": ""}', ("Journal", None)),
        ('{"folder": "Journal", "format": "  "}', ("Journal", None)),
        ('{"folder": "Journal", "format": 3}', ("Journal", None)),
        ('{"format": "[Journal] YYYY-MM-DD"}', (None, "[Journal] YYYY-MM-DD")),
        ('{"folder": "Daily"}', ("Daily", None)),
        ("{not json", (None, None)),
        ('["Daily"]', (None, None)),
        (b"\xff", (None, None)),
    ],
)
def test_daily_notes_json_settings(text, settings):
    assert daily_notes_settings(text) == settings


# ---------------------------------------------------------------- daily-note names


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("2026-11-15", "YYYY-MM-DD"),
        ("15.11.2026", "DD.MM.YYYY"),
        ("15.11.2026.md", "DD.MM.YYYY"),
        ("20261115", "YYYYMMDD"),
        ("Sunday, November 15th 2026", "dddd, MMMM Do YYYY"),
        ("2026/11/2026-11-15", "YYYY/MM/YYYY-MM-DD"),
        ("2026/11/2026-11-15.md", "YYYY/MM/YYYY-MM-DD"),
        ("11-15-2026", "MM-DD-YYYY"),
        ("2026-11-15 Sun", "YYYY-MM-DD ddd"),
        ("Journal 2026-11-15", "[Journal] YYYY-MM-DD"),
        ("15 Nov 26", "D MMM YY"),
        ("15/Nov/2026", "DD/MMM/YYYY"),  # a folder per month name
        ("2026-W46 15.11", "YYYY-[W]46 DD.MM"),
        ("sunday, NOVEMBER 15TH 2026", "dddd, MMMM Do YYYY"),  # case does not matter
        ("Day Su 15.11.2026", "[Day] dd DD.MM.YYYY"),
        ("2026 Y 15.11", "YYYY \\Y DD.MM"),  # a backslash escapes a token
        ("Archive/2026/15.11.2026", "DD.MM.YYYY"),  # moved into subfolders: the name still counts
    ],
)
def test_date_from_format_reads_obsidian_formats(name, fmt):
    assert date_from_format(name, fmt) == date(2026, 11, 15)


def test_date_from_format_single_digits_ordinals_and_two_digit_years():
    assert date_from_format("5.3.2026", "D.M.YYYY") == date(2026, 3, 5)
    assert date_from_format("15.11.2026", "D.M.YYYY") == date(2026, 11, 15)
    assert date_from_format("May 1st, 2026", "MMMM Do, YYYY") == date(2026, 5, 1)
    assert date_from_format("May 2nd, 2026", "MMMM Do, YYYY") == date(2026, 5, 2)
    assert date_from_format("May 23rd, 2026", "MMMM Do, YYYY") == date(2026, 5, 23)
    assert date_from_format("May 11th, 2026", "MMMM Do, YYYY") == date(2026, 5, 11)
    assert date_from_format("01.02.68", "DD.MM.YY") == date(2068, 2, 1)  # as moment reads YY
    assert date_from_format("01.02.69", "DD.MM.YY") == date(1969, 2, 1)


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("2026-11-15", "DD.MM.YYYY"),
        ("15.11.2026 notes", "DD.MM.YYYY"),  # the whole name, not a prefix
        ("x 15.11.2026", "DD.MM.YYYY"),
        ("15.11.26", "DD.MM.YYYY"),
        ("5.11.2026", "DD.MM.YYYY"),  # DD is two digits
        ("150.11.2026", "D.MM.YYYY"),
        ("31.11.2026", "DD.MM.YYYY"),  # no such day
        ("15.13.2026", "DD.MM.YYYY"),
        ("15-11-2026", "DD.MM.YYYY"),  # a dot is a dot, not any character
        ("May 11st, 2026", "MMMM Do, YYYY"),
        ("May 2th, 2026", "MMMM Do, YYYY"),
        ("Sep 15 2026", "MMMM DD YYYY"),  # MMMM is the full name
        ("Nov. 15 2026", "MMM DD YYYY"),
        ("Funday 2026-11-15", "dddd YYYY-MM-DD"),
        ("2026-11-15", "[Journal] YYYY-MM-DD"),
        ("2026/10/2026-11-15", "YYYY/MM/YYYY-MM-DD"),  # the folder and the name disagree
        ("11/2026-11-15", "YYYY/MM/YYYY-MM-DD"),  # too few folders
        ("2026-11-15", "YYYY/MM/YYYY-MM-DD"),
        ("15.11.2026", "[DD.MM.YYYY"),  # an unclosed bracket is a literal `[`, as in moment
        ("", "DD.MM.YYYY"),
    ],
)
def test_date_from_format_is_strict(name, fmt):
    assert date_from_format(name, fmt) is None


@pytest.mark.parametrize(
    "fmt",
    [
        "YYYY-MM-DD HH:mm",  # times
        "gggg-[W]ww",  # weekly notes
        "YYYY-[Q]Q",
        "YYYY-DDDD",  # day of the year
        "L",  # a locale's format
        "MM-DD",  # no year
        "YYYY-MM",  # no day
        "dddd",
        "",
        "YYYY-MM-DD" * 30,  # too long to be a file name format
    ],
)
def test_date_from_format_formats_it_cannot_read_give_none(fmt):
    assert date_from_format("2026-11-15 10:30", fmt) is None
    assert date_from_format("2026-11-15", fmt) is None


def test_date_from_format_never_raises_and_costs_little_on_hostile_names():
    fmts = ["D" * 40, "DMDMDMDMDMDMDMDM YYYY", "dddd" * 10 + "YYYYMMDD", "Do" * 20 + "MMYYYY"]

    def every(size: int) -> None:
        names = ["1" * size, "1" * 41, "Sunday" * (size // 3) + "x", "1st" * (size // 2), "[" * size, "\x00/" * 100]
        for fmt in fmts:
            for name in names:
                assert date_from_format(name, fmt) is None

    every(50)  # patterns compiled and cached: what follows is the work itself
    _, small = python_steps(every, 500)
    _, large = python_steps(every, 5000)
    assert large <= small * 2 and large < 5_000  # refused by length, not read through
    assert date_from_format(None, "DD.MM.YYYY") is None
    assert date_from_format("15.11.2026", None) is None


def test_a_daily_note_is_dated_by_the_daily_notes_format():
    files = {
        "Daily/15.11.2026.md": "Lunch with [[Ada]]\n",
        "Daily/2026/01.11.2026.md": "[[Ada]]\n",  # archived by year
        "Daily/2026-10-01 recap.md": "[[Bo]]\n",  # the prefix rule still applies
        "Daily/16.11.2026.md": "---\ndate: 2026-11-20\n---\n[[Omar]]\n",  # a date key wins
        "Meetings/15.11.2026.md": "[[Bo]]\n",  # the format is for daily notes only
    }
    found, problems = run(files, daily_folder="daily", daily_format="DD.MM.YYYY")
    assert {p: [(i.date.isoformat(), i.source) for i in v] for p, v in found.items()} == {
        "People/Ada Engineer.md": [
            ("2026-11-01", "Daily/2026/01.11.2026.md"),
            ("2026-11-15", "Daily/15.11.2026.md"),
        ],
        "People/Bo Founder.md": [("2026-10-01", "Daily/2026-10-01 recap.md")],
        "People/Omar.md": [("2026-11-20", "Daily/16.11.2026.md")],
    }
    assert [p.format() for p in problems] == [
        ("Meetings: warning: 1 note in Meetings/ has no date (no date key, and its name "
        "does not start with YYYY-MM-DD); it does not count as contact")
    ]


def test_a_nested_daily_folder_and_a_format_with_folders():
    files = {"Journal/Daily/2026/11/2026-11-15.md": "[[Ada]]\n"}
    found = who(files, folders=[], daily_folder="Journal/Daily", daily_format="YYYY/MM/YYYY-MM-DD")
    assert found == {"People/Ada Engineer.md": [("2026-11-15", "Journal/Daily/2026/11/2026-11-15.md", 1)]}


def test_without_a_daily_folder_the_format_is_not_used():
    files = {"15.11.2026.md": "[[Ada]]\n"}
    assert who(files, folders=[], daily_folder=None, daily_format="DD.MM.YYYY") == {}
    assert who(files, folders=[], daily_folder="", daily_format="DD.MM.YYYY") == {}


def test_undated_notes_are_one_warning_per_folder():
    files = {
        "Daily/15.11.2026.md": "[[Ada]]\n",
        "Daily/Nov 16.md": "[[Ada]]\n",
        "Daily/sub/Nov 17.md": "[[Bo]]\n",
        "Daily/Ideas.md": "[[Emergence]] and no one\n",  # no contact: nothing lost, not counted
        "Daily/Bad.md": "---\ndate: soon\n---\n[[Ada]]\n",  # reported on its own
        "Meetings/Kickoff.md": "[[Omar]]\n",
        "Meetings/Retro.md": "---\ndate:\n---\n[[Omar]]\n",
        "Meetings/Team/Sync.md": "[[Omar]]\n",
    }
    _, problems = run(
        files,
        folders=["meetings", "Meetings/Team", "Daily"],
        daily_folder="Daily",
        daily_format="DD.MM.YYYY",
        known_notes=["Topics/Emergence.md"],
    )
    assert [p.format() for p in problems] == [
        ("Daily: warning: 2 notes in Daily/ have no date (no date key, and their names do not "
        "match the daily-notes format 'DD.MM.YYYY'); they do not count as contact"),
        ("Daily/Bad.md:2: warning: date: expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got 'soon'; "
        "the people this note links to are not counted as contacted"),
        ("Meetings: warning: 2 notes in Meetings/ have no date (no date key, and their names do not "
        "start with YYYY-MM-DD); they do not count as contact"),
        ("Meetings/Team: warning: 1 note in Meetings/Team/ has no date (no date key, and its name "
        "does not start with YYYY-MM-DD); it does not count as contact"),
    ]


def test_a_format_netvault_cannot_read_is_named_in_the_warning():
    _, problems = run(
        {"Daily/2026-W46.md": "[[Ada]]\n"}, folders=[], daily_folder="Daily", daily_format="gggg-[W]ww"
    )
    assert [p.message for p in problems] == [
        ("1 note in Daily/ has no date (no date key, and netvault cannot read the daily-notes "
        "format 'gggg-[W]ww'); it does not count as contact")
    ]


def test_the_vault_root_as_a_folder_does_not_warn_about_undated_notes():
    assert run({"Projects/Plan.md": "[[Ada]]\n"}, folders=["."]) == ({}, [])


def test_daily_notes_format_end_to_end(make_vault, run):
    root = make_vault(
        {
            ".obsidian/daily-notes.json": '{"folder": "Daily", "format": "DD.MM.YYYY"}',
            "people/Ann.md": "---\ncircle: buddy\ncadence: 1w\nlast_contact: 2026-09-01\n---\n",
            "Daily/15.11.2026.md": "Lunch with [[Ann]]\n",
            "Daily/Someday.md": "Call [[Ann]]?\n",
        }
    )
    result = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "json")
    (ann,) = json.loads(result.stdout)["items"]
    assert (ann["name"], ann["last_contact"], ann["due"]) == ("Ann", "2026-11-15", "2026-11-22")
    check = run("check", "--vault", root, "--today", "2026-11-22")
    assert check.stdout.splitlines() == [
        ("Daily: warning: 1 note in Daily/ has no date (no date key, and its name does not match "
        "the daily-notes format 'DD.MM.YYYY'); it does not count as contact"),
    ]


# ---------------------------------------------------------------- real notes


def _corpus(rel: str):
    path = require_corpus(CORPUS / rel)
    return parse(decode(path.read_bytes()))


def test_kepano_meeting_with_steph():
    rel = "Notes/2023-09-12 Meeting with Steph.md"
    meeting = _corpus(f"kepano-obsidian/{rel}")
    steph = Contact(path="References/Steph Ango.md", name="Steph Ango")
    assert note_date(rel, meeting.data, key_lines=meeting.key_lines) == (date(2023, 9, 12), 5)
    found, problems = interactions(
        [(rel, meeting)],
        [steph],
        TODAY,
        folders=["notes"],
        known_notes=[
            "Categories/Meetings.md",
            "References/Obsidian.md",
            "References/Steph Ango.md",
        ],
    )
    assert found == {"References/Steph Ango.md": (Interaction(date(2023, 9, 12), rel, 10),)}
    # Topics and books the vault has no note for yet ([[Emergence]], [[Out of
    # Control]]) are Obsidian's business, not netvault's: no warning.
    assert problems == []


def test_whodex_demo_meetup():
    rel = "Events/Demo Meetup.md"
    meetup = _corpus(f"whodex-people-network-min/{rel}")
    ada = Contact(path="People/Ada Engineer.md", name="Ada Engineer", aliases=("Ada",))
    bo = Contact(path="People/Bo Founder.md", name="Bo Founder", aliases=("Bo",))
    found, problems = interactions(
        [(rel, meetup)],
        [ada, bo],
        TODAY,
        folders=["events"],
        known_notes=["Locations/Berlin.md", "Organisations/Acme.md"],
    )
    assert found == {
        "People/Ada Engineer.md": (Interaction(date(2026, 1, 10), rel, 14),),
        "People/Bo Founder.md": (Interaction(date(2026, 1, 10), rel, 15),),
    }
    assert problems == []
    # Before the meetup, it is not contact yet.
    assert interactions([(rel, meetup)], [ada, bo], date(2026, 1, 9), folders=["Events"])[0] == {}


# ---------------------------------------------------------------- speed


def test_work_grows_linearly_with_notes_and_with_hostile_lines():
    contacts = [Contact(path=f"People/P{i}.md", name=f"P{i}") for i in range(500)]
    body = "\n".join(
        f"- met [[P{i}]] `code [[P{i + 1}]]` <!-- [[P{i + 2}]] --> %% x %% ![[P{i}]]" for i in range(20)
    )

    def notes(count: int, scale: int) -> list:
        hostile = ("`" * 500 + " " + "``` `" * 200 + "[[" * 300 + "<!--" * 200 + "](" * 200) * scale
        text = f"---\ndate: 2026-03-01\npeople: ['[[P1]]', '[[P2]]']\n---\n{body}\n{hostile}\n"
        parsed = note(text)
        return [(f"Meetings/{n}.md", parsed) for n in range(count)]

    interactions(notes(2, 1), contacts, TODAY, folders=["Meetings"])  # warm the caches
    (found, _), hundred = python_steps(interactions, notes(100, 1), contacts, TODAY, folders=["Meetings"])
    _, thousand = python_steps(interactions, notes(1000, 1), contacts, TODAY, folders=["Meetings"])
    _, longer = python_steps(interactions, notes(100, 10), contacts, TODAY, folders=["Meetings"])
    assert thousand <= 11 * hundred  # linear in the number of notes
    assert longer <= 11 * hundred  # and in the length of a hostile note, never quadratic
    assert len(found["People/P1.md"]) == 100
    assert "People/P2.md" in found and "People/P21.md" not in found

"""The playbook commands under hostile input (found by a hostile pass)."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO

EX = REPO / "example_vault"


# At the first day of the calendar every log entry lies in the future, so
# nobody has been contacted; at its last, everyone is millions of days late.
EDGES = {
    "0001-01-01": {
        ("show", "Priya"): "Next due: 0001-01-01, never contacted: get in touch to start the rhythm",
        ("funnel",): "Funnel on 0001-01-01 · 36 people",
        ("top",): "   1. Margaret Osei      strategic  quarterly          4/year  never contacted: due today",
        ("goal",): "northlight-energy: Director of Product at Northlight Energy",
        ("intro", "Samuel Okafor"): "1. 2 hops: Priya Raman > Samuel Okafor",
        ("list",): "Amara Nwosu          strategic       Lumen Bank                      never contacted  due 0001-01-01 (due)",
    },
    "0001-03-01": {
        ("show", "Priya"): "Next due: 0001-03-01, never contacted: get in touch to start the rhythm",
        ("funnel",): "Funnel on 0001-03-01 · 36 people",
        ("top",): "   2. Daniel Achterberg  buddy      6 times a year     6/year  never contacted: due today",
        ("goal",): "  9 people: 3 works-there, 2 creates-jobs, 2 made-the-move, 2 part not set; 8 not talked to in a while",
        ("intro", "Samuel Okafor"): "   Priya Raman (strategic, never in touch): you know them",
        ("list",): "Chen Wei             buddy           Parcelwise                      never contacted  due 0001-03-01 (due)",
    },
    "9999-12-31": {
        ("show", "Priya"): "Next due: 2027-01-03, overdue by 2912075 days: last contact 2026-10-03 (from the log) + quarterly",
        ("funnel",): "Funnel on 9999-12-31 · 36 people",
        ("top",): "   1. Margaret Osei      strategic  quarterly          4/year  2912129 days late",
        ("goal",): "  9 people: 3 works-there, 2 creates-jobs, 2 made-the-move, 2 part not set; 9 not talked to in a while",
        ("intro", "Samuel Okafor"): "1. 2 hops: Elena Popescu > Samuel Okafor",
        ("list",): "Chen Wei             buddy           Parcelwise                      last 2026-09-22  due 2026-11-22 (overdue)",
    },
}


@pytest.mark.parametrize(
    "today, command",
    [(today, command) for today, by_command in EDGES.items() for command in by_command],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_the_edges_of_the_calendar_give_the_right_answer(run, command, today):
    result = run(*command, "--vault", EX, "--today", today)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert EDGES[today][command] in result.stdout.splitlines() or EDGES[today][command] in result.stdout, result.stdout


def test_a_line_break_in_a_field_never_fakes_a_line_of_output(run, make_vault):
    root = make_vault(
        {"people/Nl.md": '---\ncircle: cold\norg: "Org\\nNext due: never (forged)"\naliases: ["Ali\\nFAKE: line"]\n---\n'}
    )
    for args in (["show", "Nl"], ["intro", "Nl"], ["search", "fake"], ["list"]):
        result = run(*args, "--vault", root, "--today", "2026-11-22")
        assert result.exit_code == 0, (args, result.output)
        lines = result.output.splitlines()
        assert not any(line.startswith(("Next due: never", "FAKE: line")) for line in lines), (args, result.output)
        assert "Nl" in result.stdout, args  # the person is still shown, the break as a space
    show = run("show", "Nl", "--vault", root, "--today", "2026-11-22").stdout
    assert "Org Next due: never (forged)" in show and "Ali FAKE: line" in show


def test_announce_never_overwrites_a_file_of_the_vault(run, tmp_path):
    import shutil

    root = tmp_path / "v"
    shutil.copytree(EX, root)
    settings = (root / "netvault.toml").read_bytes()
    for target in ("netvault.toml", "meetings/2026-10-03 ClimateTech London meetup.md", "people/New.md"):
        before = (root / target).read_bytes() if (root / target).exists() else None
        result = run(
            "announce", "--tag", "job-search-2025", "--news", "N", "--vault", root,
            "--today", "2026-11-22", "--out", root / target,
        )
        assert result.exit_code == 1, result.output
        after = (root / target).read_bytes() if (root / target).exists() else None
        assert after == before
    assert (root / "netvault.toml").read_bytes() == settings
    same = run(
        "announce", "--tag", "job-search-2025", "--news", "N", "--vault", root, "--today", "2026-11-22",
        "--out", tmp_path / "same.md", "--html", tmp_path / "same.md",
    )
    assert same.exit_code == 1 and "same file" in same.stderr
    ok = run(
        "announce", "--tag", "job-search-2025", "--news", "N", "--vault", root, "--today", "2026-11-22",
        "--out", tmp_path / "thanks.md",
    )
    assert ok.exit_code == 0 and (tmp_path / "thanks.md").read_text().startswith("# thank-you")


def test_search_needs_some_text(run):
    result = run("search", "  ", "--vault", EX, "--today", "2026-11-22")
    assert result.exit_code == 1 and "give some text" in result.stderr


def test_json_of_every_playbook_command_is_valid(run):
    for args in (["show", "Priya"], ["funnel"], ["top"], ["goal", "northlight-energy"], ["intro", "Samuel Okafor"], ["list"], ["search", "pricing"]):
        result = run(*args, "--vault", EX, "--today", "2026-11-22", "--format", "json")
        assert result.exit_code == 0, (args, result.output)
        data = json.loads(result.stdout)
        assert data, args  # and it holds something: the same people the text shows
        text = run(*args, "--vault", EX, "--today", "2026-11-22").stdout
        names = {value for value in _strings(data) if value in text and " " in value and value.istitle()}
        assert names, (args, "no name of the text output in the JSON")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)

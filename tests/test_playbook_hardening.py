"""The playbook commands under hostile input (found by a hostile pass)."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO

EX = REPO / "example_vault"


@pytest.mark.parametrize("command", [["show", "Priya"], ["funnel"], ["top"], ["goal"], ["intro", "Samuel Okafor"], ["list"]])
@pytest.mark.parametrize("today", ["0001-01-01", "0001-03-01", "9999-12-31"])
def test_the_edges_of_the_calendar_never_crash(run, command, today):
    result = run(*command, "--vault", EX, "--today", today)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output


def test_a_line_break_in_a_field_never_fakes_a_line_of_output(run, make_vault):
    root = make_vault(
        {"people/Nl.md": '---\ncircle: cold\norg: "Org\\nNext due: never (forged)"\naliases: ["Ali\\nFAKE: line"]\n---\n'}
    )
    for args in (["show", "Nl"], ["intro", "Nl"], ["search", "fake"], ["list"]):
        result = run(*args, "--vault", root, "--today", "2026-11-22")
        lines = result.output.splitlines()
        assert not any(line.startswith(("Next due: never", "FAKE: line")) for line in lines), (args, result.output)


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
        json.loads(result.stdout)

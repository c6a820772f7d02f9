"""Meeting and daily notes move a contact's last contact, end to end."""

from __future__ import annotations

import json

import pytest

TODAY = "2026-11-22"
ADA = "---\ncircle: buddy\nlast_contact: 2026-08-01\n---\n"  # 6/year: due 2026-10-01
SETTINGS = '[interactions]\nfolders = ["meetings"]\n'


def agenda_json(run, root) -> dict:
    result = run("agenda", "--vault", root, "--today", TODAY, "--format", "json", "--days", "60")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def item(data: dict, name: str) -> dict:
    return next(i for i in data["items"] if i["name"] == name and i["kind"] == "touch-base")


def test_a_meeting_note_moves_last_contact_and_says_so(run, make_vault):
    root = make_vault(
        {
            "people/Ada.md": ADA,
            "meetings/2026-11-10 Standup.md": "Talked to [[Ada]] about the roadmap.\n",
        },
        config=SETTINGS,
    )
    ada = item(agenda_json(run, root), "Ada")
    assert (ada["last_contact"], ada["last_contact_source"]) == ("2026-11-10", "meetings/2026-11-10 Standup.md")
    assert (ada["status"], ada["due"]) == ("upcoming", "2027-01-10")
    text = run("agenda", "--vault", root, "--today", TODAY, "--days", "60").stdout
    assert "last contact 2026-11-10 (12 days ago) · meetings/2026-11-10 Standup" in text
    markdown = run("agenda", "--vault", root, "--today", TODAY, "--days", "60", "--format", "markdown").stdout
    assert "last contact 2026-11-10 · [[meetings/2026-11-10 Standup]]" in markdown


def test_the_contacts_own_file_says_where_when_it_is_later(run, make_vault):
    root = make_vault(
        {
            "people/Ada.md": ADA + "## Log\n- 2026-11-15 call\n",
            "meetings/2026-11-10 Standup.md": "[[Ada]]\n",
        },
        config=SETTINGS,
    )
    ada = item(agenda_json(run, root), "Ada")
    assert (ada["last_contact"], ada["last_contact_source"]) == ("2026-11-15", "log")


@pytest.mark.parametrize(
    "settings, notes, counted",
    [
        (SETTINGS, {"meetings/2026-11-10 x.md": "[[Ada]]\n"}, True),
        ('[interactions]\nfolders = ["meetings"]\nfrom_notes = false\n', {"meetings/2026-11-10 x.md": "[[Ada]]\n"}, False),
        ("", {"meetings/2026-11-10 x.md": "[[Ada]]\n"}, False),  # not an interaction folder
        (SETTINGS, {"meetings/notes.md": "[[Ada]]\n"}, False),  # no date
        (SETTINGS, {"meetings/x.md": "---\ndate: 2026-11-10\n---\n[[Ada]]\n"}, True),
        (SETTINGS, {"meetings/2026-12-10 x.md": "[[Ada]]\n"}, False),  # in the future
        (SETTINGS, {"meetings/2026-11-10 x.md": "- [ ] email [[Ada]]\n"}, False),
        (SETTINGS, {"meetings/2026-11-10 x.md": "> [[Ada]] said\n"}, False),
        (SETTINGS, {"meetings/2026-11-10 x.md": "![[Ada]]\n"}, False),
        (SETTINGS, {"Meetings/2026-11-10 x.md": "---\npeople: [\"[[Ada]]\"]\n---\n"}, True),
        ("", {".obsidian/daily-notes.json": '{"folder": "Journal"}', "Journal/2026-11-10.md": "[[Ada]]\n"}, True),
    ],
)
def test_what_counts(run, make_vault, settings, notes, counted):
    root = make_vault({"people/Ada.md": ADA, **notes}, config=settings)
    ada = item(agenda_json(run, root), "Ada")
    assert (ada["last_contact"] == "2026-11-10") is counted


def test_check_warns_about_a_meeting_link_to_nobody(run, make_vault):
    root = make_vault(
        {"people/Ada.md": ADA, "meetings/2026-11-10 x.md": "With [[Ada]] and [[Nobody Known]].\n"},
        config=SETTINGS,
    )
    result = run("check", "--vault", root, "--today", TODAY)
    assert "meetings/2026-11-10 x.md:1: warning: [[Nobody Known]] is not a contact in this vault" in result.stdout


def test_the_example_vaults_daily_note_moves_james(run):
    from tests.conftest import REPO

    data = agenda_json(run, REPO / "example_vault")
    james = item(data, "James Whitfield")
    assert (james["last_contact"], james["last_contact_source"]) == ("2026-09-28", "daily/2026-09-28.md")
    # the open task and the quote in that note do not count
    for name in ("Oluwaseun Adeyemi", "Margaret Osei"):
        for i in data["items"]:
            if i["name"] == name:
                assert i["last_contact_source"] != "daily/2026-09-28.md"

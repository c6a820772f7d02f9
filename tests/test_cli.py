"""The command line: exact messages and exit codes, help, vault discovery."""

from __future__ import annotations

import json

import click
import pytest

from netvault import __version__
from netvault.cli import main

from .conftest import FIXTURES, TODAY

BROKEN = FIXTURES / "broken_vault"

BROKEN_CHECK = """\
netvault.toml:3: error: unknown key 'colour' in [vault]; known keys: contacts, follow_outside_links, log_heading, output
netvault.toml:6: error: [cadence] buddy: unknown cadence 'sometimes'; use Nd, Nw, Nm, Ny, N/year, weekly, monthly, quarterly, twice-a-year, yearly or never
netvault.toml:9: error: [agenda] days must be a whole number from 0 to 3660
people/Bad Fields.md:3: error: unknown circle 'warm'; use one of: buddy, strategic, lukewarm, cold
people/Bad Fields.md:4: error: unknown cadence 'every month'; use Nd, Nw, Nm, Ny, N/year, weekly, monthly, quarterly, twice-a-year, yearly or never
people/Bad Fields.md:5: error: last_contact: '2026-02-30' is not a real date (day is out of range for month)
people/Bad Fields.md:6: error: priority must be a whole number, 1 = highest, not 'high'
people/Bad Fields.md:7: warning: introduced_by: [[Nobody Here]] is not a contact in this vault
people/Bad Fields.md:8: error: birthday: expected YYYY-MM-DD (or MM-DD without the year), got 'May 2nd'
people/Bad Fields.md:11: warning: log entry dated 2027-01-05 is in the future; it does not count as a contact until then
people/Bad Fields.md:12: error: log entry: '2026-13-01' is not a real date (month must be in 1..12)
people/Bad Fields.md:13: warning: log entry does not start with a date (YYYY-MM-DD); it is not counted
people/Bad Yaml.md:5: error: frontmatter is not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 4)
people/Dup A.md: warning: the name 'dup a' is also the name of people/Dup B.md; [[links]] and NAMEs cannot tell them apart: give one a fuller name
people/Dup B.md:2: warning: the name 'dup a' is also the name of people/Dup A.md; [[links]] and NAMEs cannot tell them apart: give one a fuller name
people/Latin One.md:4: error: not UTF-8 text (byte 0xe9 at offset 42); save the file as UTF-8
"""


def test_check_lists_every_problem_and_exits_1(run):
    result = run("check", "--vault", BROKEN, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.stdout == BROKEN_CHECK
    assert result.stderr == "11 errors, 5 warnings in 7 notes (4 contacts)\n"


def test_check_clean_vault_exits_0(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\n---\n"})
    result = run("check", "--vault", root, "--today", "2026-11-22")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "no problems in 1 note (1 contact)\n",
    )


def test_check_strict_turns_warnings_into_errors(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\nknows: ['[[Ghost]]']\n---\n"})
    assert run("check", "--vault", root, "--today", "2026-11-22").exit_code == 0
    result = run("check", "--vault", root, "--today", "2026-11-22", "--strict")
    assert result.exit_code == 1
    assert result.stdout == "people/Ann.md:3: error: knows: [[Ghost]] is not a contact in this vault\n"


def test_agenda_shows_the_rest_when_files_are_broken(run):
    result = run("agenda", "--vault", BROKEN, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert "Good Person" in result.stdout
    assert "Traceback" not in result.output
    # errors are listed (a contact may be missing from the agenda); warnings only counted
    errors = "".join(line + "\n" for line in [x for x in BROKEN_CHECK.splitlines() if ": error: " in x][:5])
    assert result.stderr == (
        errors + "... and 6 more errors\n" + "11 errors, 5 warnings in the vault; run `netvault check` for details.\n"
    )


def test_agenda_json_carries_problems(run):
    result = run("agenda", "--vault", BROKEN, "--today", "2026-11-22", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data) == ["today", "items", "paced", "problems"]
    assert data["today"] == "2026-11-22"
    assert [i["name"] for i in data["items"]] == ["Good Person", "Dup A", "Dup A"]
    assert data["problems"][0] == {
        "path": "netvault.toml",
        "line": 3,
        "severity": "error",
        "message": "unknown key 'colour' in [vault]; known keys: contacts, follow_outside_links, log_heading, output",
    }
    assert len(data["problems"]) == 16


def test_agenda_json_item_contract(run, make_vault):
    root = make_vault(
        {
            "people/Jane Doe.md": "---\ncircle: strategic\ncadence: 3m\npriority: 2\n"
            "last_contact: 2026-01-31\n---\n"
        }
    )
    result = run("agenda", "--vault", root, "--today", "2026-05-03", "--format", "json")
    (item,) = json.loads(result.stdout)["items"]
    assert {k: item[k] for k in (
        "name", "path", "kind", "status", "due", "last_contact", "cadence_days",
        "overdue_days", "circle", "priority",
    )} == {
        "name": "Jane Doe",
        "path": "people/Jane Doe.md",
        "kind": "touch-base",
        "status": "overdue",
        "due": "2026-04-30",
        "last_contact": "2026-01-31",
        "cadence_days": 89,
        "overdue_days": 3,
        "circle": "strategic",
        "priority": 2,
    }


def test_agenda_text_sections_and_no_colour_when_piped(run, make_vault):
    root = make_vault(
        {
            "people/Late.md": "---\ncircle: buddy\nlast_contact: 2026-08-01\nchannels: [phone]\n---\n",
            "people/New.md": "---\ncircle: strategic\n---\n",
            "people/Soon.md": "---\ncircle: buddy\nlast_contact: 2026-09-25\n---\n",
        }
    )
    result = run("agenda", "--vault", root, "--today", "2026-11-22")
    assert "\x1b[" not in result.stdout
    assert result.stdout == (
        "netvault agenda for Sunday 22 November 2026 · 3 contacts · next 14 days\n"
        "\n"
        "Overdue (1)\n"
        "  Late                     buddy · 52 days late · last contact 2026-08-01 (113 days ago)"
        " · 6 times a year · via phone\n"
        "                           say: Ask their advice on a professional matter they know well\n"
        "\n"
        "Due today (1)\n"
        "  New                      strategic · due today · never contacted · quarterly\n"
        "                           say: Share a career update: a change of role or of responsibilities\n"
        "\n"
        "Coming up (1)\n"
        "  Soon                     buddy · due in 3 days, 2026-11-25 · last contact 2026-09-25"
        " (58 days ago) · 6 times a year\n"
        "                           say: Share a career update: a change of role or of responsibilities\n"
    )


def test_agenda_empty(run, make_vault):
    root = make_vault({"people/Cold.md": "---\ncircle: cold\n---\n"})
    result = run("agenda", "--vault", root, "--today", "2026-11-22")
    assert "Nobody is due in the next 14 days." in result.stdout


def test_agenda_filters(run, make_vault):
    root = make_vault(
        {
            "people/A.md": "---\ncircle: buddy\n---\n",
            "people/B.md": "---\ncircle: strategic\n---\n",
            "people/C.md": "---\ncircle: strategic\n---\n",
        }
    )
    data = json.loads(run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "json",
                          "--circle", "Strategic").stdout)
    assert [i["name"] for i in data["items"]] == ["B", "C"]
    text = run("agenda", "--vault", root, "--today", "2026-11-22", "--limit", "1").stdout
    assert "  A " in text and "  B " not in text
    assert "… and 2 more (`--limit N` or `--all` to see them)" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["agenda", "--today", "22/11/2026"], "Invalid value for '--today': expected a date (YYYY-MM-DD, today, tomorrow"),
        (["agenda", "--format", "pdf"], "Invalid value for '--format': 'pdf' is not one of 'text', 'markdown', 'html', 'json'."),
        (["agenda", "--days", "-1"], "Invalid value for '--days': -1 is not in the range 0<=x<=3660."),
        (["add", "X", "--cadence", "often"], "Invalid value for '--cadence': unknown cadence 'often'"),
    ],
)
def test_bad_options_exit_2_with_the_parsers_message(run, make_vault, args, message):
    root = make_vault({})
    result = run(*args, "--vault", root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_vault_folder(run, tmp_path):
    result = run("agenda", "--vault", tmp_path / "nope", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == f"Error: vault folder '{tmp_path / 'nope'}' does not exist\n"


def test_vault_from_environment_and_upward_search(run, make_vault, monkeypatch):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\n---\n"})
    result = run("agenda", "--today", "2026-11-22", "--format", "json",
                 env={"NETVAULT_VAULT": str(root)})
    assert [i["name"] for i in json.loads(result.stdout)["items"]] == ["Ann"]
    monkeypatch.chdir(root / "people")
    result = run("agenda", "--today", "2026-11-22", "--format", "json")
    assert [i["name"] for i in json.loads(result.stdout)["items"]] == ["Ann"]


def test_version(run):
    result = run("--version")
    assert result.stdout == f"netvault, version {__version__}\n"


@pytest.mark.parametrize("name", main.list_commands(click.Context(main)))
def test_every_command_has_help_with_an_example(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    if name not in ("init",):
        assert "--vault" in result.stdout


def test_colour_only_on_a_terminal_and_never_with_no_color(make_vault, monkeypatch):
    from netvault.cli import options as cli

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli.use_color(Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.use_color(Tty()) is False
    monkeypatch.delenv("NO_COLOR")

    class Pipe:
        def isatty(self):
            return False

    assert cli.use_color(Pipe()) is False


def test_broken_user_template_is_an_error_not_a_traceback(run, make_vault):
    root = make_vault(
        {
            "people/Ann.md": "---\ncircle: buddy\n---\n",
            ".netvault/templates/agenda.md.j2": "line one\n{% for x in %}\n",
            ".netvault/templates/contact.md": "{{ missing.attribute }}",
        }
    )
    result = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "markdown")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: template ")
    assert result.stderr.endswith("agenda.md.j2:2: Expected an expression, got 'end of statement block'\n")
    result = run("add", "Bob", "--vault", root)
    assert result.exit_code == 1
    assert result.stderr == "Error: template contact.md: 'missing' is undefined\n"
    assert not (root / "people" / "Bob.md").exists()


def test_vault_that_is_a_file(run, tmp_path):
    (tmp_path / "f").write_text("x")
    result = run("check", "--vault", tmp_path / "f", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == f"Error: '{tmp_path / 'f'}' is a file; --vault takes a folder\n"


def test_output_folder_may_not_hide_the_contacts(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\n---\n"}, config='[vault]\noutput = "people"\n')
    result = run("check", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stdout == (
        "netvault.toml:2: error: [vault] output 'people' would hide the contacts folder 'people'; "
        "generated pages must go in a folder of their own\n"
    )
    assert result.stderr == "1 error in 1 note (1 contact)\n"


def test_header_counts_one_contact(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\n---\n"})
    result = run("agenda", "--vault", root, "--today", "2026-11-22")
    assert result.stdout.splitlines()[0] == "netvault agenda for Sunday 22 November 2026 · 1 contact · next 14 days"

"""Golden files: the example vault's agenda in every format, byte for byte.

The tests only compare.  After an intended change to the templates or the
example vault, ``.venv/bin/python tests/update_golden.py`` shows the diff and
rewrites the changed files; commit them on their own, saying why.
"""

from __future__ import annotations

import pytest

from .conftest import REPO
from .golden_outputs import agenda_outputs

GOLDEN = REPO / "tests" / "golden"
EXAMPLE = REPO / "example_vault"
FORMATS = {"text": "agenda.txt", "markdown": "agenda.md", "html": "agenda.html", "json": "agenda.json"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_example_vault_agenda_matches_golden(run, fmt):
    result = run("agenda", "--vault", EXAMPLE, "--today", "2026-11-22", "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    golden = GOLDEN / FORMATS[fmt]
    assert result.stdout_bytes == golden.read_bytes(), (
        f"{golden.name} differs; if the change is intended: .venv/bin/python tests/update_golden.py"
    )


def test_the_golden_outputs_are_what_the_update_command_writes():
    """The update command and these tests render the same things."""
    outputs = agenda_outputs()
    assert sorted(outputs) == sorted(FORMATS.values())
    for name, data in outputs.items():
        assert data == (GOLDEN / name).read_bytes(), name


def test_example_vault_is_clean_and_every_section_has_someone(run):
    check = run("check", "--vault", EXAMPLE, "--today", "2026-11-22", "--strict")
    assert (check.exit_code, check.stdout) == (0, "")
    from datetime import date

    from netvault.playbook.agenda import build_agenda
    from netvault.read.loader import load_vault

    agenda = build_agenda(load_vault(EXAMPLE, date(2026, 11, 22)), date(2026, 11, 22))
    assert 25 <= agenda.contacts <= 40
    empty = [title for _, title, items in agenda.sections if not items]
    assert empty == []


def test_html_is_escaped_and_self_contained(run, make_vault):
    root = make_vault(
        {"people/x.md": "---\nname: <script>alert(1)</script>\ncircle: buddy\norg: A & B\n---\n"}
    )
    html = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "html").stdout
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B" in html
    assert "http" not in html and "<link" not in html  # nothing fetched from elsewhere


def test_markdown_links_and_escapes(run, make_vault):
    root = make_vault(
        {
            "people/Jane Doe.md": "---\ncircle: buddy\nfollow_up: 2026-11-22 send *the* [deck]\n---\n",
            "people/jd.md": "---\nname: John | Doe\ncircle: buddy\n---\n",
        }
    )
    md = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "markdown").stdout
    assert "- [ ] [[Jane Doe]] — buddy · **due today**" in md
    assert "[[jd|John / Doe]]" in md
    assert "send \\*the\\* \\[deck\\]" in md


def test_vault_templates_override_the_defaults(run, make_vault):
    root = make_vault(
        {
            "people/Ann.md": "---\ncircle: buddy\n---\n",
            ".netvault/templates/agenda.md.j2": "{% for i in agenda.items %}* {{ i.name }} ({{ i.status }})\n{% endfor %}",
        }
    )
    md = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "markdown").stdout
    assert md == "* Ann (due)\n"
    # the other formats still use the shipped templates
    assert "netvault agenda for" in run("agenda", "--vault", root, "--today", "2026-11-22").stdout


def test_a_name_never_becomes_markup_in_markdown(run, make_vault):
    root = make_vault(
        {"people/Xss Person.md": '---\nname: "<script>alert(1)</script> & co"\ncircle: buddy\n---\n'}
    )
    md = run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "markdown").stdout
    assert "[[Xss Person|\\<script\\>alert(1)\\</script\\> \\& co]]" in md
    assert "<script>" not in md

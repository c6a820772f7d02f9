"""`netvault build`: real builds of small vaults, and golden pages of the example vault.

After an intended change to the site templates or the example vault,
regenerate the golden pages with:

    .venv/bin/python tests/update_golden.py

and review the diff in git before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import REPO
from .golden_outputs import SITE_PAGES

GOLDEN = REPO / "tests" / "golden" / "site"
EXAMPLE = REPO / "example_vault"
TODAY = "2026-11-22"

ADA = """---
name: Ada Lovelace
circle: buddy
org: Analytical Engines
email: ada@example.com
phone: "+44 20 7946 0000"
channels: [email, phone]
last_contact: 2026-08-01
introduced_by: "[[Bob Stone]]"
knows: ["[[Nobody Here]]"]
---
Met at the [[Bob Stone|Royal Society]] dinner; see [[Missing Person]].

## Log
- 2026-08-01 email: sent the notes on engines #gave
"""
BOB = """---
circle: strategic
email: "javascript:alert(1)"
phone: "data:text/html,<b>x</b>"
linkedin: "javascript:alert(2)"
---
"""
MEETING = """---
date: 2026-11-02
---
Coffee with [[Ada Lovelace]].
"""


def build(run, root, *args):
    return run("build", "--vault", root, "--today", TODAY, *args)


def read(root: Path, rel: str) -> str:
    return (root / "_site" / rel).read_text(encoding="utf-8")


@pytest.fixture
def vault(make_vault):
    return make_vault(
        {
            "people/Ada Lovelace.md": ADA,
            "people/Bob Stone.md": BOB,
            "meetings/2026-11-02 Coffee.md": MEETING,
        },
        config='[interactions]\nfolders = ["meetings"]\n',
    )


def test_build_writes_every_page(run, vault):
    result = build(run, vault)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"Built .*_site/: \d+ pages \(\d+ written, 0 unchanged, 0 removed\) in \d+\.\d s\n", result.stdout
    )
    site = vault / "_site"
    for rel in ("index.html", "people.html", "agenda.md", "people/Ada Lovelace.html", "people/Bob Stone.html"):
        assert (site / rel).is_file(), rel
    index = read(vault, "index.html")
    # Bob was never contacted: due today, with why
    assert '<a href="people/Bob%20Stone.html">Bob Stone</a>' in index
    assert "never contacted" in index
    assert '<meta name="viewport"' in index and "prefers-color-scheme: dark" in index and "@media print" in index
    assert "<script" not in index and "<link" not in index
    md = read(vault, "agenda.md")
    assert "[[Bob Stone]]" in md


def test_agenda_shows_last_contact_source_and_channels(run, make_vault):
    root = make_vault(
        {
            "people/Ada.md": "---\ncircle: buddy\nemail: ada@example.com\nchannels: [email]\n---\n",
            "meetings/2026-09-01 Lunch.md": "---\ndate: 2026-09-01\n---\nLunch with [[Ada]].\n",
        },
        config='[interactions]\nfolders = ["meetings"]\n',
    )
    assert build(run, root).exit_code == 0
    index = read(root, "index.html")
    assert "Last contact 2026-09-01 (82 days ago), from meetings/2026-09-01 Lunch" in index
    assert "touch-base 21 days late (6 times a year)" in index
    assert "Prefers email" in index
    assert 'href="mailto:ada@example.com"' in index


def test_mailto_and_tel_only_for_real_addresses_and_numbers(run, vault):
    assert build(run, vault).exit_code == 0
    ada = read(vault, "people/Ada Lovelace.html")
    assert 'href="mailto:ada@example.com"' in ada
    assert 'href="tel:+442079460000"' in ada
    for page in ("index.html", "people/Bob Stone.html"):
        html = read(vault, page)
        assert 'href="javascript' not in html.lower()
        assert 'href="data:' not in html.lower()
        assert 'href="mailto:javascript' not in html.lower()
        assert 'href="tel:' not in html or page == "index.html"
    bob = read(vault, "people/Bob Stone.html")
    assert "javascript:alert(1)" in bob  # shown as text
    assert "data:text/html,&lt;b&gt;x&lt;/b&gt;" in bob


def test_hostile_name_org_and_notes_are_escaped(run, make_vault):
    root = make_vault(
        {
            "people/x.md": (
                "---\nname: <script>alert(1)</script>\ncircle: buddy\n"
                "org: '\"><svg onload=alert(1)>'\n---\n"
                "Hi <img src=x onerror=alert(1)> and <script>alert(2)</script>\n\n"
                "[click](javascript:alert(3)) [ok](https://example.com) "
                "[[<b>bold</b>]]\n"
            )
        }
    )
    assert build(run, root).exit_code == 0
    for rel in ("index.html", "people.html", "people/x.html"):
        html = read(root, rel)
        assert "<script>" not in html, rel
        assert "<svg" not in html and "<img" not in html and "<b>" not in html, rel
        assert "href=\"javascript" not in html, rel
    page = read(root, "people/x.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in page or "&quot;&gt;&lt;svg" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # raw HTML shown as text
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in page


def test_wikilinks_resolve_to_pages_or_stay_text(run, vault):
    assert build(run, vault).exit_code == 0
    ada = read(vault, "people/Ada Lovelace.html")
    assert '<a href="../people/Bob%20Stone.html" rel="noopener noreferrer nofollow">Royal Society</a>' in ada
    assert '<span class="unresolved">Missing Person</span>' in ada
    # introduced by Bob (linked), knows someone not in the vault (text)
    assert re.search(r"Introduced by</dt><dd><a href=\"../people/Bob%20Stone.html\">Bob Stone</a>", ada)
    assert '<span class="unresolved">Nobody Here</span>' in ada
    bob = read(vault, "people/Bob Stone.html")
    assert "Introduced you to</dt><dd><a href=\"../people/Ada%20Lovelace.html\">Ada Lovelace</a>" in bob


def test_timeline_has_log_and_meeting_notes_newest_first(run, vault):
    assert build(run, vault).exit_code == 0
    ada = read(vault, "people/Ada Lovelace.html")
    timeline = ada[ada.index('id="timeline"') :]
    assert "mentioned in <em>meetings/2026-11-02 Coffee</em>" in timeline
    assert "sent the notes on engines" in timeline and "gave" in timeline
    assert timeline.index("2026-11-02") < timeline.index("2026-08-01")
    # the log is in the timeline, not repeated in the notes
    notes = ada[ada.index('id="notes"') : ada.index('id="timeline"')]
    assert "sent the notes" not in notes


def test_second_build_is_identical_and_rewrites_nothing(run, vault):
    assert build(run, vault).exit_code == 0
    site = vault / "_site"
    files = sorted(p for p in site.rglob("*") if p.is_file())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    for path in files:  # make a rewrite visible even on coarse clocks
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    result = build(run, vault)
    assert re.search(r": (\d+) pages \(0 written, \1 unchanged, 0 removed\)", result.stdout)
    after = sorted(p for p in site.rglob("*") if p.is_file())
    assert after == files
    for path in files:
        assert path.read_bytes() == before[path][0]
        assert path.stat().st_mtime_ns == 1_000_000_000, path


def test_deleted_contact_page_removed_but_users_files_kept(run, vault):
    assert build(run, vault).exit_code == 0
    site = vault / "_site"
    (site / "CNAME").write_text("example.org\n")
    (site / "people" / "mine.html").write_text("mine\n")
    (vault / "people" / "Bob Stone.md").unlink()
    result = build(run, vault)
    assert result.exit_code == 0
    assert "1 removed" in result.stdout
    assert not (site / "people" / "Bob Stone.html").exists()
    assert (site / "CNAME").read_text() == "example.org\n"
    assert (site / "people" / "mine.html").read_text() == "mine\n"


def test_refuses_the_vault_itself_and_a_folder_of_notes(run, vault, tmp_path):
    result = build(run, vault, "--out", vault)
    assert result.exit_code == 1
    assert "it is the vault itself" in result.stderr
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "Todo.md").write_text("# my notes\n")
    result = build(run, vault, "--out", notes)
    assert result.exit_code == 1
    assert "holds notes netvault did not write (Todo.md)" in result.stderr
    assert sorted(os.listdir(notes)) == ["Todo.md"]
    result = build(run, vault, "--out", vault / "people" / "site")
    assert result.exit_code == 1 and "inside a contacts folder" in result.stderr
    # its own agenda.md is not a note of the user's: rebuilding is fine
    out = tmp_path / "site"
    assert build(run, vault, "--out", out).exit_code == 0
    assert build(run, vault, "--out", out).exit_code == 0


def test_never_writes_through_a_link_out_of_the_output_folder(run, vault, tmp_path):
    outside = tmp_path / "outside.html"
    outside.write_text("keep\n")
    site = vault / "_site"
    site.mkdir()
    (site / "index.html").symlink_to(outside)
    result = build(run, vault)
    assert result.exit_code == 1 and "index.html is not a page netvault wrote" in result.stderr
    assert outside.read_text() == "keep\n"
    assert (site / "index.html").is_symlink()  # the user's link, left as it was
    (site / "index.html").unlink()
    assert build(run, vault).exit_code == 0
    # a manifest that names files elsewhere removes nothing there
    (site / ".netvault-site.json").write_text('{"files": ["../outside.html", "/etc/passwd"]}')
    (vault / "keep.html").write_text("x")
    (site / ".netvault-site.json").write_text('{"files": ["../keep.html", "../people/Ada Lovelace.md"]}')
    assert build(run, vault).exit_code == 0
    assert (vault / "keep.html").exists() and (vault / "people" / "Ada Lovelace.md").exists()


def test_user_template_overrides_and_broken_template_names_file_and_line(run, vault):
    templates = vault / ".netvault" / "templates" / "site"
    templates.mkdir(parents=True)
    (templates / "people.html.j2").write_text("people: {{ people | length }}\n")
    assert build(run, vault).exit_code == 0
    assert read(vault, "people.html") == "people: 2\n"
    (templates / "person.html.j2").write_text("{% extends 'site/base.html.j2' %}\n\n{% block content %}{% if %}{% endblock %}\n")
    before = read(vault, "index.html")
    result = build(run, vault, "--today", "2026-11-23")
    assert result.exit_code == 1
    assert re.search(r"person\.html\.j2:3: ", result.stderr), result.stderr
    assert read(vault, "index.html") == before  # nothing written


def test_vault_errors_listed_on_stderr(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\ncadence: sometimes\n---\n", "people/Bo.md": "---\ncircle: buddy\nchannels: [pigeon]\n---\n"})
    result = build(run, root)
    assert result.exit_code == 0
    assert "people/Ann.md:3: error:" in result.stderr
    assert "1 error, 1 warning in the vault" in result.stderr


def test_example_vault_golden_pages(run, tmp_path):
    out = tmp_path / "site"
    result = run("build", "--vault", EXAMPLE, "--today", TODAY, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()) == sorted(SITE_PAGES)
    for rel in SITE_PAGES:
        assert (out / rel).read_bytes() == (GOLDEN / rel).read_bytes(), (
            f"{rel} differs; if the change is intended: .venv/bin/python tests/update_golden.py"
        )
    count = len(list(out.rglob("*.html"))) + 2  # and agenda.md, netvault.ics
    assert f"Built {out.as_posix()}/: {count} pages" in result.stdout


def test_the_calendar_is_built_beside_the_pages(run, tmp_path):
    out = tmp_path / "site"
    assert run("build", "--vault", EXAMPLE, "--today", TODAY, "--out", out).exit_code == 0
    exported = run("export", "ics", "--vault", EXAMPLE, "--today", TODAY)
    assert (out / "netvault.ics").read_bytes() == exported.stdout_bytes
    assert b"\r\nSUMMARY:Touch base with Priya Raman\r\n" in exported.stdout_bytes


def test_network_page_is_built_and_linked(run, vault):
    pytest.importorskip("netvault.site.network")
    assert build(run, vault).exit_code == 0
    assert (vault / "_site" / "network.html").is_file()
    assert '<a href="network.html"' in read(vault, "index.html")


def test_a_person_page_shows_no_template_placeholder_title_or_comment(run, make_vault):
    root = make_vault(
        {
            "people/Ann Old.md": "---\ncircle: buddy\n---\n# Ann Old\n\nHow you met, what they care about, what value you can offer them.\n\n## Log\n",
            "people/Bo New.md": "---\ncircle: buddy\n---\n# Bo New\n\n%% How you met, what they care about. %%\n\n## Log\n",
            "people/Cy Real.md": "---\ncircle: buddy\n---\n# Cy Real\n\nMet at PyCon. %% private: owes me a call %%\n\n## Log\n",
        }
    )
    assert run("add", "Di Added", "--circle", "cold", "--vault", root).exit_code == 0
    assert "%% How you met" in (root / "people" / "Di Added.md").read_text()  # Obsidian hides it
    assert build(run, root).exit_code == 0
    for name in ("Ann Old", "Bo New", "Di Added"):
        page = read(root, f"people/{name}.html")
        assert 'id="notes"' not in page and "How you met" not in page, name
    cy = read(root, "people/Cy Real.html")
    assert "Met at PyCon." in cy and "owes me" not in cy and "<h3>Cy Real</h3>" not in cy

"""`netvault build` again after an edit: only the pages whose inputs changed
are rendered and written, and the folder ends byte for byte as a fresh
build of the same vault on the same day would leave it."""

from __future__ import annotations

import json
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from netvault.read import cache
from netvault.site import build as site_build
from netvault.site import context as site_context
from netvault.site import notes as site_notes
from netvault.site import pages as site_pages
from netvault.site import person as site_person
from netvault.site import state as site_state
from netvault.site.build import build_site
from netvault.site.state import state_path

from .conftest import TODAY, write_files

ADA = """---
name: Ada Lovelace
circle: buddy
org: Analytical Engines
email: ada@example.com
knows: ["[[Bob Stone]]"]
introduced_by: "[[Cleo Park]]"
---
Met at the [[Bob Stone|Royal Society]] dinner; see [[Cleo Park]] and [[Missing Person]].

Plain words about engines and numbers.

- [ ] ask [[Bob Stone]] about the lecture

## Log
- 2026-08-01 email: sent the notes on engines #gave
- 2026-09-01 call: talked with [[Cleo Park]] about looms
"""
BOB = """---
circle: strategic
email: bob@example.com
---
Bob's notes.

## Log
- 2026-07-01 email: sent the notes on engines #gave
"""
CLEO = """---
name: Cleo Park
circle: lukewarm
---
Knows everyone at [[Ada Lovelace]]'s club.
"""
DAN = """---
name: Dan Quill
circle: cold
---
Nothing to do with anyone.
"""
MEETING = """---
date: 2026-11-02
---
Coffee with [[Ada Lovelace]].
"""
CONFIG = '[interactions]\nfolders = ["meetings"]\n'


@pytest.fixture(params=["as read", "by identity"])
def vault(request, tmp_path, monkeypatch):
    """A small vault.  "by identity": every file counts as older than the
    process, so unchanged contacts are known by their file's identity alone
    (the edits below replace files, as editors do, so identities change)."""
    if request.param == "by identity":
        monkeypatch.setattr(site_build, "_process_started", lambda: time.time() + 3600)
    root = tmp_path / "vault"
    root.mkdir()
    (root / "netvault.toml").write_text(CONFIG, encoding="utf-8")
    return write_files(
        root,
        {
            "people/Ada Lovelace.md": ADA,
            "people/Bob Stone.md": BOB,
            "people/Cleo Park.md": CLEO,
            "people/Dan Quill.md": DAN,
            "meetings/2026-11-02 Coffee.md": MEETING,
        },
    )


def edit(root: Path, rel: str, text: str | None) -> None:
    """Save as an editor does: a new file renamed over the old (None deletes)."""
    path = root / rel
    if text is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*.html")
    }


@pytest.fixture
def rendered(monkeypatch):
    """The contacts whose pages were rendered, in order, and
"(pages listing everyone)" when the index, people, network and agenda were."""
    seen: list[str] = []
    real = site_pages.person_view

    def person(contact, site, body):
        seen.append(contact.name)
        return real(contact, site, body)

    monkeypatch.setattr(site_pages, "person_view", person)
    real_listing = site_pages.SitePlan._global_texts

    def listing(self):
        seen.append("(pages listing everyone)")
        return real_listing(self)

    monkeypatch.setattr(site_pages.SitePlan, "_global_texts", listing)
    return seen


def same_as_fresh(root: Path, out: Path, tmp_path: Path, today: date = TODAY) -> None:
    fresh = tmp_path / "fresh"
    with cache.bypassed():
        build_site(root, fresh, today)
    assert tree(out) == tree(fresh)
    # and the site is not just self-consistent: a fresh build reads the same
    assert set(tree(out)) == set(tree(fresh))


def test_nothing_changed_renders_nothing(vault, tmp_path, rendered):
    out = tmp_path / "site"
    first = build_site(vault, out, TODAY)
    assert len(rendered) == 5 and first.written
    rendered.clear()
    before = stamps(out)
    again = build_site(vault, out, TODAY)
    assert rendered == [] and again.written == ()
    assert len(again.unchanged) == first.pages
    assert stamps(out) == before
    same_as_fresh(vault, out, tmp_path)


def test_changed_notes(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    before = stamps(out)
    rendered.clear()
    edit(vault, "people/Dan Quill.md", DAN + "\nA new line about *Dan*.\n")
    report = build_site(vault, out, TODAY)
    assert rendered == ["Dan Quill"]  # the pages listing everyone show no prose
    assert report.written == ("people/Dan Quill.html",)
    after = stamps(out)
    for rel in ("people/Ada Lovelace.html", "people/Bob Stone.html", "people/Cleo Park.html"):
        assert after[rel] == before[rel], rel
    same_as_fresh(vault, out, tmp_path)


def test_appended_log_entry(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    rendered.clear()
    edit(vault, "people/Bob Stone.md", BOB + "- 2026-11-20 call: caught up on [[Ada Lovelace]]\n")
    build_site(vault, out, TODAY)
    assert rendered == ["Bob Stone", "(pages listing everyone)"]
    same_as_fresh(vault, out, tmp_path)


def test_changed_name_renders_who_shows_it(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    rendered.clear()
    edit(vault, "people/Cleo Park.md", CLEO.replace("name: Cleo Park", "name: Cleo Parker\naliases: [Cleo Park]"))
    build_site(vault, out, TODAY)
    # Ada links to Cleo and was introduced by her; Dan and Bob never show her.
    assert sorted(rendered) == ["(pages listing everyone)", "Ada Lovelace", "Cleo Parker"]
    same_as_fresh(vault, out, tmp_path)
    assert "Cleo Parker" in (out / "people" / "Ada Lovelace.html").read_text(encoding="utf-8")


def test_new_link_between_two_people(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    rendered.clear()
    edit(vault, "people/Dan Quill.md", DAN.replace("circle: cold", 'circle: cold\nknows: ["[[Bob Stone]]"]'))
    build_site(vault, out, TODAY)
    assert sorted(rendered) == ["(pages listing everyone)", "Bob Stone", "Dan Quill"]  # Bob is known by Dan now
    same_as_fresh(vault, out, tmp_path)


def test_meeting_note_mentions_someone(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    rendered.clear()
    edit(vault, "meetings/2026-11-02 Coffee.md", MEETING + "And [[Dan Quill]] came along.\n")
    build_site(vault, out, TODAY)
    assert rendered == ["Dan Quill", "(pages listing everyone)"]
    same_as_fresh(vault, out, tmp_path)
    edit(vault, "meetings/2026-11-10 Lunch.md", MEETING.replace("11-02", "11-10").replace("Ada Lovelace", "Bob Stone"))
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)


def test_deleted_contact(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    rendered.clear()
    edit(vault, "people/Bob Stone.md", None)
    report = build_site(vault, out, TODAY)
    assert report.removed == ("people/Bob Stone.html",)
    assert sorted(rendered) == ["(pages listing everyone)", "Ada Lovelace"]  # her links to Bob no longer resolve
    same_as_fresh(vault, out, tmp_path)


def test_renamed_file(vault, tmp_path):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    os.replace(vault / "people" / "Bob Stone.md", vault / "people" / "Robert Stone.md")
    report = build_site(vault, out, TODAY)
    assert "people/Bob Stone.html" in report.removed
    same_as_fresh(vault, out, tmp_path)
    os.makedirs(vault / "people" / "old")
    os.replace(vault / "people" / "Dan Quill.md", vault / "people" / "old" / "Dan Quill.md")
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)


def test_added_contact_takes_a_name(vault, tmp_path):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    edit(vault, "people/Missing Person.md", "---\ncircle: buddy\n---\nFound.\n")
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)
    # a second file of Ada's name makes her links ambiguous
    edit(vault, "people/old/Ada Lovelace.md", "---\ncircle: cold\n---\n")
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)


def test_changed_vault_template(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    shipped = (Path(site_build.default_template_dir()) / "site" / "person.html.j2").read_text(encoding="utf-8")
    edit(vault, ".netvault/templates/site/person.html.j2", shipped.replace("<h1>", "<h1 class=x>"))
    rendered.clear()
    build_site(vault, out, TODAY)
    assert len(rendered) == 5
    assert "<h1 class=x>" in (out / "people" / "Dan Quill.html").read_text(encoding="utf-8")
    same_as_fresh(vault, out, tmp_path)
    edit(vault, ".netvault/templates/site/base.html.j2", "{% block content %}{% endblock %}\n")
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)
    edit(vault, ".netvault/templates/site/base.html.j2", None)
    edit(vault, ".netvault/templates/site/person.html.j2", None)
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)


def test_changed_settings(vault, tmp_path):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    edit(vault, "netvault.toml", CONFIG + "\n[cadence]\nbuddy = \"weekly\"\n")
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)


def test_another_day(vault, tmp_path):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    later = TODAY + timedelta(days=3)
    build_site(vault, out, later)
    same_as_fresh(vault, out, tmp_path, later)
    build_site(vault, out, TODAY)
    same_as_fresh(vault, out, tmp_path)


def test_page_edited_by_hand_is_rebuilt_and_the_edit_kept_aside(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    page = out / "people" / "Bob Stone.html"
    page.write_text("edited", encoding="utf-8")
    os.utime(page, (1_790_000_000, 1_790_000_000))  # 2026-09-21 14:13:20 UTC
    (out / "people" / "Dan Quill.html").unlink()
    rendered.clear()
    report = build_site(vault, out, TODAY)
    assert sorted(rendered) == ["Bob Stone", "Dan Quill"]
    assert sorted(report.written) == ["people/Bob Stone.html", "people/Dan Quill.html"]
    copy = "people/Bob Stone.conflict-2026-09-21T14-13-20.html"
    assert report.kept == (("people/Bob Stone.html", copy),)
    assert (out / copy).read_text(encoding="utf-8") == "edited"
    (out / copy).unlink()
    same_as_fresh(vault, out, tmp_path)


@pytest.mark.parametrize(
    "state",
    [
        b"",
        b"\xff\xfe not json",
        b"[]",
        b'{"generator": "netvault", "format": 1, "stamp": "x", "pages": {}}',
        b'{"generator": "netvault", "format": 99, "pages": {"index.html": ["a", [], "", "", "", [1, 2, 3, 4]]}}',
    ],
)
def test_damaged_or_foreign_state_is_ignored(vault, tmp_path, rendered, state):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    for shard in range(site_state.STATE_SHARDS):
        state_path(vault, os.path.realpath(out), shard).write_bytes(state)
    rendered.clear()
    build_site(vault, out, TODAY)
    assert len(rendered) == 5  # nothing taken from it
    same_as_fresh(vault, out, tmp_path)


def test_state_with_wrong_entries_is_not_trusted(vault, tmp_path, rendered):
    """Right stamp and file identities, but digests and look-ups of another
    vault, or malformed: those pages are rendered again."""
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    data = {}
    for shard in range(site_state.STATE_SHARDS):
        path = state_path(vault, os.path.realpath(out), shard)
        if path.exists():
            data[shard] = json.loads(path.read_text(encoding="utf-8"))
    pages = {rel: entry for part in data.values() for rel, entry in part["pages"].items()}
    pages["people/Ada Lovelace.html"][0] = "0" * 40
    pages["people/Bob Stone.html"][1] = "not a list"
    pages["people/Cleo Park.html"][2] = "0" * 40  # what its look-ups gave
    pages["people/Dan Quill.html"][5] = [0, 0, 0, 0]
    for shard, part in data.items():
        part["names"] = "0" * 40  # so look-ups are checked one by one
        part["pages"]["../outside.html"] = pages["index.html"]
        path = state_path(vault, os.path.realpath(out), shard)
        path.write_text(json.dumps(part), encoding="utf-8")
    edit(vault, "people/Dan Quill.md", DAN + "changed\n")
    rendered.clear()
    build_site(vault, out, TODAY)
    assert sorted(rendered) == ["Ada Lovelace", "Bob Stone", "Cleo Park", "Dan Quill"]
    same_as_fresh(vault, out, tmp_path)


def test_bypassed_cache_renders_everything(vault, tmp_path, rendered):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    rendered.clear()
    with cache.bypassed():
        build_site(vault, out, TODAY)
    assert len(rendered) == 5
    same_as_fresh(vault, out, tmp_path)


def test_broken_template_writes_nothing(vault, tmp_path):
    out = tmp_path / "site"
    build_site(vault, out, TODAY)
    before = tree(out)
    edit(vault, "people/Dan Quill.md", DAN + "changed\n")
    edit(vault, ".netvault/templates/site/index.html.j2", "{% if %}")
    from netvault.views.templates import RenderError

    with pytest.raises(RenderError):
        build_site(vault, out, TODAY)
    assert tree(out) == before
    assert not [p for p in out.rglob("*") if p.name.endswith(".netvault-tmp")]


def test_watch_memo_loads(vault, tmp_path):
    """`netvault watch` hands in vaults loaded through one memo."""
    from netvault.read.loader import load_vault

    memo: dict = {}
    out = tmp_path / "site"
    build_site(vault, out, TODAY, vault=load_vault(vault, TODAY, memo=memo))
    edit(vault, "people/Ada Lovelace.md", ADA.replace("looms", "looms and cards"))
    build_site(vault, out, TODAY, vault=load_vault(vault, TODAY, memo=memo))
    same_as_fresh(vault, out, tmp_path)


# -- the shortcuts for plain text give what markdown-it and the sanitiser give --------

PIECES = [
    "Plain words here.",
    "Second line, with (parens), colons: and dashes - fine!",
    "It's 2026/11/22; why?",
    "",
    "",
    "   ",
    "\t",
    "- a list item",
    "- [ ] ask [[Ada Lovelace]] about it",
    "1. first",
    "2) second",
    "  indented two",
    "    indented code",
    "> quoted",
    "## A heading",
    "Setext",
    "---",
    "===",
    "* * *",
    "```",
    "~~~",
    "[ref]: https://example.com",
    "see [ref] and [[Bob Stone|Bob]]",
    "| a | b |",
    "|---|---|",
    "<b>bold</b> & <script>x</script>",
    "ends with two spaces  ",
    "ends with one space ",
    "a *b* _c_ `d` ~~e~~",
    "Martínez and Ünal",
    "line\rwith a carriage return",
    "trailing backslash\\",
    "+ plus item",
    "10. ten",
]


def test_plain_shortcuts_match_the_parser(tmp_path, make_vault):
    root = make_vault(
        {"people/Ada Lovelace.md": "---\ncircle: buddy\n---\n", "people/Bob Stone.md": "---\ncircle: cold\n---\n"}
    )
    from netvault.read.loader import load_vault

    vault = load_vault(root, TODAY)
    site = site_context.Site(vault, TODAY, vault.names, site_context.page_names(vault.contacts))
    rng = random.Random(20261122)
    texts = ["\n".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    texts += [piece + "\n" for piece in PIECES] + ["Plain.\n\n- a\n\n- b\n\nPlain again.\n\n- c\n"]
    for text in texts:
        if text.strip():
            whole = site_notes._render_notes(text, site, "../")
        else:
            whole = ""
        assert str(site_notes.render_notes(text, site, "../")) == str(whole), repr(text)
        line = site_person._strip_tags(text)
        parsed = site_notes.sanitise(site_notes.parser(site, "../").renderInline(line))
        assert str(site_notes.render_inline(line, site, "../")) == str(parsed), repr(line)


def test_identity_vouches_only_for_files_older_than_the_process(tmp_path, make_vault, monkeypatch):
    from netvault.read.loader import load_vault

    root = make_vault({"people/Ada Lovelace.md": ADA})
    vault = load_vault(root, TODAY)
    identity = site_build.contact_identity(vault)
    assert identity(vault.contacts[0]) is None  # written just now: not vouched for
    monkeypatch.setattr(site_build, "_process_started", lambda: time.time() + 3600)
    identity = site_build.contact_identity(vault)
    first = identity(vault.contacts[0])
    assert first is not None and first.startswith("i:")
    # a rewrite that keeps size and mtime still changes the ctime
    path = root / "people" / "Ada Lovelace.md"
    info = path.stat()
    time.sleep(0.01)
    path.write_text(ADA.replace("Analytical", "Analyticab"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    assert identity(vault.contacts[0]) != first

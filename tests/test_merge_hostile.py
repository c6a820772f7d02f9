"""merge and rename attacked by a hostile user and a hostile file author.

Each test states a promise of ``netvault merge`` / ``netvault rename`` (and
of the journal that finishes a killed change): no traceback, a clear
``Error: ...`` naming the file; nothing of either file lost or mangled;
every other note byte-identical but for its link lines; line endings, BOM,
comments and quoting kept; YAML still valid whatever the names hold; code
left alone; nothing written through a link out of the vault; all files
changed together or none.

Each attack that once succeeded (a journal a cloned vault brought, an
editor's save of OTHER mid-merge, long fences, escaped pipes in tables,
Markdown links with titles or parentheses, ...) is kept here as the test
that now holds the fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netvault.cli import main
from netvault.edit import journal
from netvault.read.frontmatter import parse

from .conftest import write_files

TODAY = "2026-11-22"
NETVAULT = str(Path(sys.executable).with_name("netvault"))
CONFIG = '[vault]\ncontacts = ["people"]\n'
BOM = b"\xef\xbb\xbf"
# netvault's own runtime files, which any command may touch
RUNTIME = (".netvault/cache", ".netvault/written.json", ".netvault/write.lock")


# --- helpers -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("NETVAULT_VAULT", raising=False)
    monkeypatch.delenv("NETVAULT_TEST_HANDSHAKE", raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


def make(tmp_path: Path, files: dict[str, str | bytes], config: str = CONFIG, name: str = "vault") -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "netvault.toml").write_text(config, encoding="utf-8")
    return write_files(root, files)


def cli(*args):
    """The CLI in-process; an exception is caught so a test can say it was a traceback."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


def clean(result) -> None:
    """No traceback: the command ended through click (exit code), not an exception."""
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"traceback: {exc!r}\n{result.output}"
    assert "Traceback" not in result.output


def ok(result) -> None:
    clean(result)
    assert result.exit_code == 0, result.output


def refused(result, *words: str) -> None:
    """A clear refusal: exit 1, one ``Error:`` line holding ``words``."""
    clean(result)
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output, result.output
    for word in words:
        assert word in result.output, (word, result.output)


def merge(root, keep, other, *more):
    return cli("merge", keep, other, "--vault", root, "--today", TODAY, *more)


def rename(root, old, new, *more):
    return cli("rename", old, new, "--vault", root, "--today", TODAY, *more)


def check(root):
    return cli("check", "--vault", root, "--today", TODAY)


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file of the vault (a symlink as its target), but netvault's runtime files."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if rel.startswith(RUNTIME):
                continue
            found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes()
    return found


def changed(before: dict, after: dict) -> set[str]:
    return {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}


def text_of(root: Path, rel: str) -> str:
    return (root / rel).read_bytes().decode("utf-8-sig")


def data_of(root: Path, rel: str) -> dict:
    return parse(text_of(root, rel)).data


def no_errors(root: Path) -> None:
    result = check(root)
    clean(result)
    assert " error" not in result.output, result.output


BOB = "---\nname: Bob\ncircle: buddy\n---\n"
ROB = "---\nname: Rob\ncircle: buddy\n---\nRob's notes.\n"


# --- what merge keeps of the two files -----------------------------------------------

KEEP_CRLF = (
    BOM
    + (
        b"---\r\n"
        b"name: Bob Mensah\r\n"
        b"# how we met: the 2019 offsite\r\n"
        b"circle: buddy   # close\r\n"
        b'org: "Acme: Widgets #1"\r\n'
        b"email: 'bob@acme.example'\r\n"
        b'tags: [friend, "x, y"]\r\n'
        b"---\r\n"
        b"# Bob Mensah\r\n"
        b"\r\n"
        b"Bob's own notes.\r\n"
        b"\r\n"
        b"## Log\r\n"
        b"- 2026-03-01 email: hello\r\n"
    )
)
OTHER_LF = (
    "---\n"
    "name: Robert Mensah\n"
    "circle: strategic\n"
    'role: "CTO: platform"   # since 2025\n'
    'phone: "+44 20 7946 0000"\n'
    "email: robert@globex.example\n"
    "tags: [friend, golf]\n"
    "---\n"
    "# Robert Mensah\n"
    "\n"
    "Plays golf on Sundays.\n"
    "\n"
    "## Log\n"
    "- 2026-04-01 phone: called about golf\n"
    "- 2026-03-01 email: hello\n"
)


def test_merge_keeps_the_kept_files_bytes_bom_crlf_comments_and_quoting(tmp_path):
    root = make(tmp_path, {"people/Bob Mensah.md": KEEP_CRLF, "people/Robert Mensah.md": OTHER_LF})
    before = snapshot(root)
    dry = merge(root, "Bob Mensah", "Robert Mensah", "--dry-run")
    ok(dry)
    assert "+++ b/people/Bob Mensah.md" in dry.output
    assert "would move people/Robert Mensah.md to .trash/Robert Mensah.md" in dry.output
    assert snapshot(root) == before
    result = merge(root, "Bob Mensah", "Robert Mensah")
    ok(result)
    raw = (root / "people/Bob Mensah.md").read_bytes()
    assert raw.startswith(BOM) and not raw.startswith(BOM * 2)
    assert b"\n" not in raw.replace(b"\r\n", b""), "a line of KEEP lost its CRLF"
    lines = raw[3:].decode("utf-8").split("\r\n")
    for line in KEEP_CRLF[3:].decode("utf-8").split("\r\n"):
        if not line.startswith("tags:"):
            assert line in lines, line  # KEEP's own lines, comments and quoting as written
    # OTHER's fields as OTHER wrote them (quoting and comment kept)
    assert 'role: "CTO: platform"   # since 2025' in lines
    assert 'phone: "+44 20 7946 0000"' in lines
    data = parse(raw[3:].decode("utf-8")).data
    assert data["tags"] == ["friend", "x, y", "golf"]
    assert data["other_emails"] == ["robert@globex.example"]
    assert data["aliases"] == ["Robert Mensah"]
    assert (data["org"], data["circle"]) == ("Acme: Widgets #1", "buddy")
    # the log: the new entry once, the shared one not repeated; the notes; the difference
    assert lines.count("- 2026-04-01 phone: called about golf") == 1
    assert lines.count("- 2026-03-01 email: hello") == 1
    assert "Plays golf on Sundays." in lines
    assert "- circle: strategic" in lines
    # OTHER in the bin byte for byte; nothing else touched
    assert (root / ".trash/Robert Mensah.md").read_bytes() == OTHER_LF.encode("utf-8")
    assert changed(before, snapshot(root)) == {
        "people/Bob Mensah.md",
        "people/Robert Mensah.md",
        ".trash/Robert Mensah.md",
    }
    no_errors(root)


def test_a_comment_in_others_frontmatter_is_not_lost(tmp_path):
    other = "---\nname: Rob\n# met him at the 2019 offsite in Lisbon\ncircle: buddy\n---\nRob's notes.\n"
    root = make(tmp_path, {"people/Bob.md": BOB, "people/Rob.md": other})
    result = merge(root, "Bob", "Rob")
    ok(result)
    assert "met him at the 2019 offsite in Lisbon" in text_of(root, "people/Bob.md") + result.output


def test_others_notes_are_kept_as_written_code_blocks_and_tables_whole(tmp_path):
    keep = (
        "---\nname: Bob\ncircle: buddy\n---\nHis script:\n\n```\necho hi\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n## Log\n- 2026-01-01 email: hi\n"
    )
    other = (
        "---\nname: Rob\ncircle: buddy\n---\nSnippet he sent:\n\n```python\nprint('[[Rob]]')\n```\n\n"
        "| kid | age |\n|---|---|\n| Ann | 4 |\n"
    )
    root = make(tmp_path, {"people/Bob.md": keep, "people/Rob.md": other})
    ok(merge(root, "Bob", "Rob"))
    text = text_of(root, "people/Bob.md")
    assert "```python\nprint('[[Rob]]')\n```\n" in text
    assert "| kid | age |\n|---|---|\n| Ann | 4 |\n" in text


def test_keeps_own_aliases_survive_whatever_their_shape(tmp_path):
    keep = "---\nname: Bob\naliases: [[Bobby]]\ncircle: buddy\n---\n"
    root = make(tmp_path, {"people/Bob.md": keep, "people/Rob.md": ROB})
    result = merge(root, "Bob", "Rob")
    clean(result)
    assert "Bobby" in text_of(root, "people/Bob.md")


@pytest.mark.parametrize("field, value", [("email", "[a@x.example, b@y.example]"), ("phone", '["+44 1", "+44 2"]')])
def test_other_with_a_list_of_emails_or_phones_merges_or_is_refused_cleanly(tmp_path, field, value):
    keep = f"---\nname: Bob\ncircle: buddy\n{field}: {'bob@x.example' if field == 'email' else '+44 3'}\n---\n"
    other = f"---\nname: Rob\ncircle: buddy\n{field}: {value}\n---\n"
    root = make(tmp_path, {"people/Bob.md": keep, "people/Rob.md": other})
    before = snapshot(root)
    for extra in (("--dry-run",), ()):
        result = merge(root, "Bob", "Rob", *extra)
        clean(result)
    if result.exit_code == 0:
        text = text_of(root, "people/Bob.md")
        for item in ("a@x.example", "b@y.example") if field == "email" else ("+44 1", "+44 2"):
            assert item in text
    else:
        assert snapshot(root) == before


@pytest.mark.parametrize(
    "line, word",
    [("tags: [[golf-club]]", "golf-club"), ("other_emails: {work: rob@work.example}", "rob@work.example")],
)
def test_values_of_other_that_cannot_be_joined_are_reported(tmp_path, line, word):
    other = f"---\nname: Rob\ncircle: buddy\n{line}\n---\n"
    keep = "---\nname: Bob\ncircle: buddy\ntags: [friend]\nother_emails: [bob@home.example]\n---\n"
    root = make(tmp_path, {"people/Bob.md": keep, "people/Rob.md": other})
    result = merge(root, "Bob", "Rob")
    ok(result)
    assert word in text_of(root, "people/Bob.md") or word in result.output


def test_everything_in_others_log_section_is_kept(tmp_path):
    other = (
        "---\nname: Rob\ncircle: buddy\n---\nRob's notes.\n\n## Log\n"
        "We go back to university; he owes me a favour.\n\n"
        "- 2026-02-01 email: sent the deck\n\n  He replied with three pages of comments.\n\n"
        "### 2025\n- 2025-05-01 phone: first call\n"
    )
    root = make(tmp_path, {"people/Bob.md": BOB + "## Log\n- 2026-01-01 email: hi\n", "people/Rob.md": other})
    result = merge(root, "Bob", "Rob")
    ok(result)
    text = text_of(root, "people/Bob.md") + result.output
    for words in ("he owes me a favour", "three pages of comments", "2025-05-01 phone: first call"):
        assert words in text, words


@pytest.mark.parametrize("unclosed", ["<!-- private\n", "```\ncode never closed\n"])
def test_a_keep_with_an_unclosed_comment_or_code_block_is_refused(tmp_path, unclosed):
    keep = BOB + "Bob's notes.\n" + unclosed
    other = "---\nname: Rob\ncircle: cold\norg: Globex\n---\nRob's notes.\n"
    root = make(tmp_path, {"people/Bob.md": keep, "people/Rob.md": other})
    before = snapshot(root)
    refused(merge(root, "Bob", "Rob"), "people/Bob.md:6")
    assert snapshot(root) == before


def test_a_file_netvault_cannot_edit_refuses_the_whole_merge(tmp_path):
    root = make(
        tmp_path,
        {
            "people/Bob.md": BOB,
            "people/Rob.md": ROB + "## Log\n- 2026-01-01 email: x\n",
            "people/Broken.md": "---\nname: Broken\ncircle: [buddy\n---\n",
            "people/Code.md": "---\nname: Code\ncircle: buddy\n---\n```\nunclosed\n",
            "notes/a.md": "see [[Rob]]\n",
            "notes/read-only.md": "see [[Rob]]\n",
        },
    )
    os.chmod(root / "notes/read-only.md", 0o444)
    before = snapshot(root)
    refused(merge(root, "Bob", "Rob"), "notes/read-only.md", "read-only")
    refused(merge(root, "Code", "Rob"), "people/Code.md:5", "never closed")
    refused(merge(root, "Bob", "Broken"), "people/Broken.md:", "not valid YAML")
    assert snapshot(root) == before


def test_bare_names_in_knows_and_introduced_by_follow_a_name_with_a_quote(tmp_path):
    root = make(
        tmp_path,
        {
            "people/Seán O'Neil.md": "---\nname: Seán O'Neil\ncircle: buddy\n---\n",
            "people/Rob.md": ROB,
            "people/Kay.md": "---\nname: Kay\ncircle: buddy\nintroduced_by: Rob   # at golf\n"
            "knows:\n  # colleagues\n  - 'Rob'\n  - Ann\n---\n",
            "people/Ann.md": "---\nname: Ann\ncircle: buddy\nknows: [Rob, Kay]\n---\n",
        },
    )
    ok(merge(root, "Seán O'Neil", "Rob"))
    kay = text_of(root, "people/Kay.md")
    assert "   # at golf\n" in kay and "  # colleagues\n" in kay
    assert parse(kay).data["introduced_by"] == "Seán O'Neil"
    assert parse(kay).data["knows"] == ["Seán O'Neil", "Ann"]
    assert data_of(root, "people/Ann.md")["knows"] == ["Seán O'Neil", "Kay"]
    no_errors(root)


# --- every other note: only its link lines change ------------------------------------

NOTE_CRLF = BOM + (
    b"---\r\n"
    b'attendees: ["[[Robert Mensah]]", "[[Kay]]"]\r\n'
    b"---\r\n"
    b"Lunch with [[Robert Mensah|Rob]] and ![[Robert Mensah#Log]].\r\n"
    b"See [notes](../people/Robert%20Mensah.md) and [[people/Robert Mensah]].\r\n"
    b"\r\n"
    b"```\r\n"
    b"[[Robert Mensah]] in a fence\r\n"
    b"```\r\n"
    b"~~~ text\r\n"
    b"[[Robert Mensah]] in a tilde fence\r\n"
    b"~~~\r\n"
    b"Unrelated [[Robert Mensahs]] and [[Kay]].\r\n"
    b"Last line [[Robert Mensah]]"
)


def test_other_notes_change_only_on_their_link_lines(tmp_path):
    root = make(
        tmp_path,
        {
            "people/Bob Mensah.md": "---\nname: Bob Mensah\ncircle: buddy\n---\n",
            "people/Robert Mensah.md": "---\nname: Robert Mensah\ncircle: buddy\n---\n",
            "people/Kay.md": "---\nname: Kay\ncircle: buddy\nknows: '[[Robert Mensah]]'   # old colleague\n---\n",
            "meetings/2026-10-03 lunch.md": NOTE_CRLF,
            "notes/unrelated.md": "[[Robert Mensahs]] is someone else; `[[Kay]]`\n",
        },
    )
    before = snapshot(root)
    ok(merge(root, "Bob Mensah", "Robert Mensah"))
    after = snapshot(root)
    expected = BOM + (
        b"---\r\n"
        b'attendees: ["[[Bob Mensah]]", "[[Kay]]"]\r\n'
        b"---\r\n"
        b"Lunch with [[Bob Mensah|Rob]] and ![[Bob Mensah#Log]].\r\n"
        b"See [notes](../people/Bob%20Mensah.md) and [[people/Bob Mensah]].\r\n"
        b"\r\n"
        b"```\r\n"
        b"[[Robert Mensah]] in a fence\r\n"
        b"```\r\n"
        b"~~~ text\r\n"
        b"[[Robert Mensah]] in a tilde fence\r\n"
        b"~~~\r\n"
        b"Unrelated [[Robert Mensahs]] and [[Kay]].\r\n"
        b"Last line [[Bob Mensah]]"
    )
    assert after["meetings/2026-10-03 lunch.md"] == expected
    assert after["people/Kay.md"] == b"---\nname: Kay\ncircle: buddy\nknows: '[[Bob Mensah]]'   # old colleague\n---\n"
    assert changed(before, after) == {
        "people/Bob Mensah.md",
        "people/Robert Mensah.md",
        ".trash/Robert Mensah.md",
        "people/Kay.md",
        "meetings/2026-10-03 lunch.md",
    }


def test_links_inside_longer_fences_stay_as_written(tmp_path):
    howto = (
        "# How I write links\n\n"
        "````markdown\n```\n[[Rob]] inside a four-backtick block\n```\n[[Rob]] still inside\n````\n\n"
        "```\n```python\n[[Rob]] still code\n```\n\n"
        "Real link: [[Rob]]\n"
    )
    root = make(tmp_path, {"people/Bob.md": BOB, "people/Rob.md": ROB, "notes/howto.md": howto})
    ok(merge(root, "Bob", "Rob"))
    assert text_of(root, "notes/howto.md") == howto.replace("Real link: [[Rob]]", "Real link: [[Bob]]")


def test_links_in_tables_with_an_escaped_pipe_are_rewritten(tmp_path):
    table = "| who | note |\n|---|---|\n| [[Rob\\|Robbie]] | golf |\n"
    root = make(tmp_path, {"people/Bob.md": BOB, "people/Rob.md": ROB, "notes/t.md": table})
    ok(merge(root, "Bob", "Rob"))
    assert text_of(root, "notes/t.md") == table.replace("[[Rob\\|", "[[Bob\\|")


def test_every_markdown_link_form_is_rewritten(tmp_path):
    note = (
        'With a title: [j](../people/Jane%20Smith%20(Acme).md "Jane at Acme")\n'
        "Parentheses: [j](../people/Jane%20Smith%20(Acme).md)\n"
        "[ref]: ../people/Jane%20Smith%20%28Acme%29.md\n"
    )
    root = make(
        tmp_path,
        {
            "people/Jane Smith.md": "---\nname: Jane Smith\ncircle: buddy\n---\n",
            "people/Jane Smith (Acme).md": "---\nname: Jane Smith (Acme)\ncircle: buddy\n---\n",
            "notes/n.md": note,
        },
    )
    ok(merge(root, "Jane Smith", "Jane Smith (Acme)"))
    text = text_of(root, "notes/n.md")
    assert "Acme" not in text.replace("Jane at Acme", ""), text


# --- names that YAML, Markdown or the file system care about -----------------------------

LINKING_NOTE = (
    "---\n"
    "name: Kay\n"
    "circle: buddy\n"
    "knows: '[[Old Name]]'   # from the conference\n"
    "introduced_by: ['[[Old Name|the old one]]', \"[[Kay's Friend]]\"]\n"
    "---\n"
    "Met through [[Old Name]].\n"
)


@pytest.mark.parametrize("new_name", ["Siobhán O'Rourke", 'Ann "Nan" Lee', "Rob: the CTO", "Zoë #1 [UK]|x", "A/B"])
def test_rename_keeps_yaml_valid_whatever_the_new_name_holds(tmp_path, new_name):
    root = make(
        tmp_path,
        {
            "people/Old Name.md": "---\nname: Old Name\ncircle: buddy\n---\nnotes\n",
            "people/Kay.md": LINKING_NOTE,
            "people/Kay's Friend.md": "---\ncircle: cold\n---\n",
        },
    )
    result = rename(root, "Old Name", new_name)
    ok(result)
    moved = [p for p in (root / "people").iterdir() if p.name not in ("Kay.md", "Kay's Friend.md")]
    assert len(moved) == 1 and not (root / "people/Old Name.md").exists()
    stem = moved[0].name[:-3]
    assert not set(stem) & set('/\\:*?"<>|#^[]'), stem
    data = data_of(root, f"people/{stem}.md")
    assert data["name"] == new_name and data["aliases"] == ["Old Name"]
    kay = text_of(root, "people/Kay.md")
    assert "   # from the conference\n" in kay
    kay_data = parse(kay).data
    assert kay_data["knows"] == f"[[{stem}]]"
    assert kay_data["introduced_by"] == [f"[[{stem}|the old one]]", "[[Kay's Friend]]"]
    assert kay.endswith(f"Met through [[{stem}]].\n")
    no_errors(root)
    show = cli("show", new_name, "--vault", root, "--today", TODAY)
    ok(show)
    assert show.output.startswith(f"{new_name} (people/{stem}.md)")


def test_rename_rewrites_links_in_nested_mappings(tmp_path):
    note = "---\nname: Kay\ncircle: buddy\nmeta:\n  friend: \"[[Old Name]]\"\n  others: ['[[Old Name]]', x]\n---\n"
    root = make(tmp_path, {"people/Old Name.md": "---\nname: Old Name\ncircle: buddy\n---\n", "people/Kay.md": note})
    ok(rename(root, "Old Name", "New Name"))
    assert text_of(root, "people/Kay.md") == note.replace("Old Name", "New Name")


@pytest.mark.parametrize("meta", ['  friend: "[[Old Name]]"\n', "  others: ['[[Old Name]]', x]\n"])
def test_rename_with_a_quote_rewrites_links_in_nested_mappings(tmp_path, meta):
    note = f"---\nname: Kay\ncircle: buddy\nknows: '[[Old Name]]'\nmeta:\n{meta}---\n"
    root = make(tmp_path, {"people/Old Name.md": "---\nname: Old Name\ncircle: buddy\n---\n", "people/Kay.md": note})
    ok(rename(root, "Old Name", "Siobhán O'Rourke"))
    data = data_of(root, "people/Kay.md")
    assert data["knows"] == "[[Siobhán O'Rourke]]"
    assert "[[Siobhán O'Rourke]]" in (data["meta"].get("friend"), *data["meta"].get("others", []))


def test_rename_refuses_names_another_contact_goes_by_in_any_spelling(tmp_path):
    root = make(
        tmp_path,
        {"people/Rob.md": ROB, "people/Bob.md": BOB, "notes/n.md": "[[Rob]] and [[Bob]]\n"},
    )
    before = snapshot(root)
    refused(rename(root, "Rob", "BOB"), "already a name of Bob (people/Bob.md)")
    refused(rename(root, "Rob", "  bob  "), "already a name of Bob")
    refused(rename(root, "Rob", "Bo/b"), "people/Bob.md already exists")  # the same file name once made safe
    refused(rename(root, "Rob", ".."), "'..'")
    assert snapshot(root) == before


def test_rename_refuses_an_alias_of_another_contact(tmp_path):
    root = make(
        tmp_path,
        {
            "people/Margaret Osei.md": "---\nname: Margaret Osei\naliases: [Maggie]\ncircle: buddy\n---\n",
            "people/Rob.md": ROB,
            "notes/n.md": "lunch with [[Maggie]]\n",
        },
    )
    before = snapshot(root)
    refused(rename(root, "Rob", "Maggie"), "Margaret Osei")
    assert snapshot(root) == before


def test_rename_to_a_name_with_a_percent_keeps_markdown_links_working(tmp_path):
    root = make(tmp_path, {"people/Rob.md": ROB, "notes/n.md": "[r](../people/Rob.md)\n"})
    ok(rename(root, "Rob", "Ann%20B"))
    assert (root / "people/Ann%20B.md").is_file()
    assert text_of(root, "notes/n.md") == "[r](../people/Ann%2520B.md)\n"


# --- the two names ---------------------------------------------------------------------


def test_a_contact_is_never_merged_with_itself_whatever_the_spelling(tmp_path):
    root = make(tmp_path, {"people/Bob.md": "---\nname: Bob\naliases: [Bobby]\ncircle: buddy\n---\n"})
    before = snapshot(root)
    for other in ("bob", "Bobby", "people/Bob.md", "[[Bob]]", " Bob "):
        refused(merge(root, "Bob", other), "same contact")
    assert snapshot(root) == before


def test_ambiguous_names_are_refused_with_the_candidates(tmp_path):
    root = make(
        tmp_path,
        {
            "people/Jane Smith.md": "---\nname: Jane Smith\ncircle: buddy\n---\n",
            "people/work/Jane Smith.md": "---\nname: Jane Smith\ncircle: cold\n---\n",
            "people/Rob.md": ROB,
        },
    )
    before = snapshot(root)
    for result in (merge(root, "Rob", "Jane Smith"), merge(root, "Jane Smith", "Rob"), rename(root, "Jane Smith", "J S")):
        refused(result, "people/Jane Smith.md", "people/work/Jane Smith.md")
    assert snapshot(root) == before


# --- links, the bin and files that are not what they seem -------------------------------


def test_a_note_linked_from_outside_the_vault_is_never_written_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ext.md").write_text("meeting with [[Rob]]\n", encoding="utf-8")
    config = CONFIG + "follow_outside_links = true\n"
    root = make(tmp_path, {"people/Bob.md": BOB, "people/Rob.md": ROB}, config)
    (root / "notes").mkdir()
    (root / "notes/ext.md").symlink_to(outside / "ext.md")
    before = snapshot(root)
    for result in (merge(root, "Bob", "Rob"), rename(root, "Rob", "Robin")):
        refused(result, "notes/ext.md", "outside the vault")
    assert (outside / "ext.md").read_text(encoding="utf-8") == "meeting with [[Rob]]\n"
    assert snapshot(root) == before


def test_the_bin_as_a_link_out_of_the_vault_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = make(tmp_path, {"people/Bob.md": BOB, "people/Rob.md": ROB, "notes/n.md": "[[Rob]]\n"})
    (root / ".trash").symlink_to(outside)
    before = snapshot(root)
    refused(merge(root, "Bob", "Rob"), "outside the vault")
    assert list(outside.iterdir()) == []
    assert snapshot(root) == before


def test_names_taken_in_the_bin_are_never_overwritten(tmp_path):
    root = make(
        tmp_path,
        {
            "people/Bob.md": BOB,
            "people/Rob.md": ROB,
            ".trash/Rob.md": "Obsidian's older Rob\n",
            ".trash/Rob 2.md": "another\n",
        },
    )
    (root / ".trash/Rob 3.md").symlink_to(root / ".trash/gone.md")  # a dangling link takes a name too
    ok(merge(root, "Bob", "Rob"))
    assert (root / ".trash/Rob.md").read_text(encoding="utf-8") == "Obsidian's older Rob\n"
    assert (root / ".trash/Rob 2.md").read_text(encoding="utf-8") == "another\n"
    assert os.readlink(root / ".trash/Rob 3.md") == str(root / ".trash/gone.md")
    assert (root / ".trash/Rob 4.md").read_text(encoding="utf-8") == ROB
    assert "(now `.trash/Rob 4.md`)" in text_of(root, "people/Bob.md")


def test_a_bin_that_is_a_file_leaves_the_vault_as_it_was(tmp_path):
    root = make(
        tmp_path,
        {"people/Bob.md": BOB, "people/Rob.md": ROB, "notes/n.md": "see [[Rob]]\n", ".trash": "not a folder\n"},
    )
    before = snapshot(root)
    result = merge(root, "Bob", "Rob")
    refused(result, ".trash")
    assert snapshot(root) == before


@pytest.mark.parametrize("command", ["merge", "rename"])
def test_a_contact_that_is_a_link_inside_the_vault(tmp_path, command):
    root = make(
        tmp_path,
        {
            "people/Bob.md": BOB,
            "archive/rob-data.md": "---\nname: Rob\norg: Globex\n---\nRob's notes.\n",
            "notes/n.md": "see [[Rob]]\n",
        },
    )
    (root / "people/Rob.md").symlink_to("../archive/rob-data.md")
    no_errors(root)
    result = merge(root, "Bob", "Rob") if command == "merge" else rename(root, "Rob", "Robin")
    clean(result)
    assert "no longer there" not in result.output
    if result.exit_code:  # a refusal must say why: the file is a link
        assert "link" in result.output
        return
    assert text_of(root, "notes/n.md") == f"see [[{'Bob' if command == 'merge' else 'Robin'}]]\n"
    if command == "merge":  # the link goes to the bin; the note it leads to is not OTHER's to lose
        assert (root / "archive/rob-data.md").read_text(encoding="utf-8") == "---\nname: Rob\norg: Globex\n---\nRob's notes.\n"
        assert "Globex" in text_of(root, "people/Bob.md")


# --- netvault's own files, written by someone else ------------------------------------------------


@pytest.mark.parametrize("command", ["merge", "rename"])
def test_a_hostile_import_record_never_crashes_a_merge(tmp_path, command):
    record = {"format": 1, "people": {"x": {"path": ["people/Rob.md"]}, "y": {"path": "people/Rob.md"}}}
    root = make(
        tmp_path,
        {"people/Bob.md": BOB, "people/Rob.md": ROB, ".netvault/imports.json": json.dumps(record)},
    )
    result = merge(root, "Bob", "Rob") if command == "merge" else rename(root, "Rob", "Robin")
    clean(result)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


GIT_CONFIG = b"[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
EVIL_CONFIG = b"[core]\n\tfsmonitor = sh -c 'echo pwned'\n"


@pytest.mark.parametrize(
    "entries",
    [
        {"edits": [], "moves": [{"from": "notes/payload.md", "to": ".git/hooks/pre-commit"}]},
        {"edits": [], "moves": [{"from": "people", "to": "elsewhere/people"}]},
        {
            "edits": [
                {"path": ".git/config", "tmp": "notes/payload.md", "old": _digest(GIT_CONFIG), "new": _digest(EVIL_CONFIG)}
            ],
            "moves": [],
        },
    ],
    ids=["git-hook", "a-folder", "git-config"],
)
def test_a_journal_netvault_did_not_write_cannot_move_or_replace_files(tmp_path, entries):
    root = make(tmp_path, {"people/Bob.md": BOB, ".git/config": GIT_CONFIG, ".git/hooks/pre-commit.sample": "x\n"})
    payload = EVIL_CONFIG if entries["edits"] else b"#!/bin/sh\necho pwned\n"
    write_files(root, {"notes/payload.md": payload})
    (root / ".netvault").mkdir(exist_ok=True)
    (root / ".netvault/journal.json").write_text(json.dumps({"format": 1, **entries}), encoding="utf-8")
    before = {rel: data for rel, data in snapshot(root).items() if rel != ".netvault/journal.json"}
    clean(check(root))
    after = {rel: data for rel, data in snapshot(root).items() if rel != ".netvault/journal.json"}
    assert after == before


@pytest.mark.parametrize(
    "entries",
    [
        {"edits": [1], "moves": []},
        {"edits": "ab", "moves": []},
        {"edits": [], "moves": ["x"]},
        {"edits": [], "moves": [{"from": "people/Bob.md", "to": "people/Bob.md/x"}]},
    ],
)
def test_a_malformed_journal_never_crashes_and_never_blocks_the_vault(tmp_path, entries):
    root = make(tmp_path, {"people/Bob.md": BOB})
    (root / ".netvault").mkdir()
    (root / ".netvault/journal.json").write_text(json.dumps({"format": 1, **entries}), encoding="utf-8")
    clean(check(root))
    ok(check(root))
    assert (root / "people/Bob.md").read_text(encoding="utf-8") == BOB


# --- another program, and kill -9 ---------------------------------------------------------------


def _env(handshake: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NETVAULT_VAULT", "NETVAULT_TEST_HANDSHAKE")}
    env["LANG"] = "en_GB.UTF-8"
    if handshake is not None:
        env["NETVAULT_TEST_HANDSHAKE"] = str(handshake)
    return env


POINTS = ("prepared", "journal-renamed-one", "renamed")


def _start(args, handshake: Path, stop_at: str) -> subprocess.Popen:
    """netvault ``args``, stopping only at handshake point ``stop_at``."""
    for point in POINTS:
        if point != stop_at:
            (handshake / f"{point}.go").touch()
    return subprocess.Popen(
        [NETVAULT, *map(str, args)], env=_env(handshake), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _reach(handshake: Path, point: str, process: subprocess.Popen) -> None:
    """Block until ``process`` stands at ``point`` (waiting on the process, never a sleep)."""
    reached = handshake / f"{point}.reached"
    while not reached.exists():
        try:
            process.wait(timeout=0.005)
        except subprocess.TimeoutExpired:
            continue
        out, err = process.communicate()
        pytest.fail(f"netvault ended before {point}: {out!r} {err!r}")


def test_other_changed_by_an_editor_while_netvault_merges_is_not_lost(tmp_path):
    root = make(tmp_path, {"people/Bob.md": BOB, "people/Rob.md": ROB, "notes/n.md": "see [[Rob]]\n"})
    handshake = tmp_path / "handshake"
    handshake.mkdir()
    process = _start(["merge", "Bob", "Rob", "--vault", root, "--today", TODAY], handshake, "prepared")
    _reach(handshake, "prepared", process)
    saved = ROB.replace("circle: buddy\n", 'circle: buddy\nphone: "+44 20 7946 0999"\n') + "Added in the editor.\n"
    (root / "people/Rob.md").write_text(saved, encoding="utf-8")
    (handshake / "prepared.go").touch()
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err
    if process.returncode == 0:
        bob = text_of(root, "people/Bob.md")
        assert "Added in the editor." in bob and "+44 20 7946 0999" in bob
    else:
        assert b"Rob.md" in err
        assert (root / "people/Rob.md").read_text(encoding="utf-8") == saved
        assert (root / "people/Bob.md").read_text(encoding="utf-8") == BOB


KILL_VAULT = {
    "people/Bob Mensah.md": KEEP_CRLF,
    "people/Robert O'Mensah.md": "---\nname: Robert O'Mensah\ncircle: strategic\norg: Globex\n---\nGolf.\n",
    "people/Kay.md": "---\r\nname: Kay\r\ncircle: buddy\r\nknows: '[[Robert O''Mensah]]'   # golf\r\n---\r\n",
    "meetings/2026-10-03.md": "Lunch with [[Robert O'Mensah|Rob]]\r\nand [m](../people/Robert%20O'Mensah.md)\r\n",
    "daily/2026-10-04.md": "- [[Robert O'Mensah#Log]]\n",
}


def _without_runtime(root: Path) -> dict:
    return {rel: data for rel, data in snapshot(root).items() if not rel.endswith(".netvault-tmp")}


@pytest.mark.parametrize(
    "args",
    [
        ["merge", "Bob Mensah", "Robert O'Mensah"],
        ["rename", "Robert O'Mensah", "Siobhán O'Rourke"],
    ],
    ids=["merge", "rename"],
)
def test_a_change_killed_after_its_first_rename_is_finished_by_the_next_command(tmp_path, args):
    root = make(tmp_path, KILL_VAULT)
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    done = subprocess.run([NETVAULT, *args, "--vault", reference, "--today", TODAY], env=_env(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    new_files = _without_runtime(reference)
    assert len(changed(snapshot(root), new_files)) >= 4  # the change touches many files

    handshake = tmp_path / "handshake"
    handshake.mkdir()
    process = _start([*args, "--vault", root, "--today", TODAY], handshake, "journal-renamed-one")
    _reach(handshake, "journal-renamed-one", process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert journal.pending(root)
    assert _without_runtime(root) != new_files  # killed halfway: not all written yet

    after = subprocess.run([NETVAULT, "check", "--vault", root, "--today", TODAY], env=_env(), capture_output=True, check=False)
    assert b"Traceback" not in after.stderr
    assert "netvault finished a change an earlier command left halfway" in after.stderr.decode("utf-8")
    assert not journal.pending(root)
    assert not list(root.rglob("*.netvault-tmp"))
    assert _without_runtime(root) == new_files


def test_a_move_the_journal_cannot_finish_is_reported(tmp_path):
    root = make(tmp_path, {"people/Rob.md": ROB, "notes/a.md": "see [[Rob]]\n", "notes/b.md": "and [[Rob]]\n"})
    handshake = tmp_path / "handshake"
    handshake.mkdir()
    process = _start(["rename", "Rob", "Robin", "--vault", root, "--today", TODAY], handshake, "journal-renamed-one")
    _reach(handshake, "journal-renamed-one", process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    (root / "people/Robin.md").write_bytes(b"")  # Obsidian, on a click on [[Robin]]
    after = subprocess.run([NETVAULT, "check", "--vault", root, "--today", TODAY], env=_env(), capture_output=True, check=False)
    assert b"Traceback" not in after.stderr
    assert (root / "people/Robin.md").read_bytes() == b""  # never overwritten
    assert "people/Rob.md" in after.stderr.decode("utf-8").split("left halfway:", 1)[1]


def test_undo_in_review_never_overwrites_what_the_user_wrote_since(tmp_path):
    from datetime import date

    from netvault.cli.mergeops import bookkeeping, suggestions
    from netvault.cli.options import NetvaultError
    from netvault.cli.review import review_duplicates
    from netvault.read.loader import load_vault

    root = make(
        tmp_path,
        {
            "people/Bob Mensah.md": "---\nname: Bob Mensah\ncircle: buddy\nemail: bob@x.example\n---\n",
            "people/Robert Mensah.md": "---\nname: Robert Mensah\ncircle: buddy\nemail: bob@x.example\n---\nnotes\n",
        },
    )
    keep = root / "people/Bob Mensah.md"

    def keys():
        yield "m"
        with open(keep, "a", encoding="utf-8") as handle:
            handle.write("Written by the user after the merge.\n")
        yield "u"
        yield "q"

    today = date(2026, 11, 22)
    with pytest.raises(NetvaultError, match="changed since"):
        review_duplicates(load_vault(root, today), root, today, suggestions, bookkeeping(root), keys=keys())
    assert keep.read_text(encoding="utf-8").endswith("Written by the user after the merge.\n")
    assert not (root / "people/Robert Mensah.md").exists()


def test_names_holding_terminal_escapes_are_shown_harmless(tmp_path):
    root = make(
        tmp_path,
        {
            "people/Bob Mensah.md": '---\nname: "Bob \\e]0;owned\\a\\e[31mMensah"\ncircle: buddy\nemail: b@x.example\n---\n',
            "people/Robert Mensah.md": '---\nname: "Robert \\e[2JMensah"\ncircle: buddy\nemail: b@x.example\n---\n',
        },
    )
    shown = cli("merge", "--suggest", "--vault", root, "--today", TODAY)
    ok(shown)
    assert "Robert Mensah" in shown.output
    merged = merge(root, "Bob Mensah", "Robert Mensah")
    ok(merged)
    for output in (shown.output, merged.output):
        assert "\x1b" not in output and "\x07" not in output


def test_review_without_a_terminal_says_what_to_do_instead(tmp_path):
    root = make(tmp_path, {"people/Bob.md": BOB})
    result = cli("merge", "--review", "--vault", root, "--today", TODAY)
    refused(result, "needs a terminal", "merge --suggest")

"""The write path: minimal text edits and atomic writes that never harm a file.

Each test writes a real file, edits it through :mod:`netvault.edit.writer` and
compares the bytes on disk with exactly what the edit should have produced.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from netvault.edit import diskwrite
from netvault.edit.errors import ConflictError, EditError
from netvault.edit.files import atomic_write, create_file
from netvault.edit.writer import add_log_entry, edit_file, set_field, unified_diff, unset_field
from netvault.read.frontmatter import FrontmatterError, parse
from netvault.read.logsection import find_sections

BOM = b"\xef\xbb\xbf"

JANE = """\
---
name: Jane Doe
aliases: [Janie]
circle: strategic          # buddy | strategic | lukewarm | cold
origin: former-boss        # former-client, former-colleague, former-boss,
                           # supplier, partner, headhunter, classmate, ...
phone: "+44 20 7946 0000"
knows: ['[[Carol Lee]]']
last_contact: 2026-09-14   # optional; the log below also counts
---
Free notes, in any Markdown.

## Log
- 2026-09-14 in-person: coffee, her team is reorganising. #gave
- 2026-06-01 email: asked for advice #asked
"""


def write(tmp_path: Path, content: str | bytes, name: str = "Jane Doe.md") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def edit(path: Path, transform) -> bytes:
    """Edit through the writer; return the bytes now on disk."""
    edit_file(path, transform)
    return path.read_bytes()


def read_back(text: str):
    return parse(text.removeprefix("\ufeff")).data


# --- set_field: one line changes, everything else stays --------------------


def test_set_existing_key_changes_only_its_value(tmp_path):
    path = write(tmp_path, JANE)
    new = edit(path, lambda t: set_field(t, "circle", "buddy"))
    assert new.decode() == JANE.replace(
        "circle: strategic          # buddy", "circle: buddy          # buddy"
    )


def test_trailing_comment_on_the_edited_line_is_kept(tmp_path):
    path = write(tmp_path, JANE)
    new = edit(path, lambda t: set_field(t, "last_contact", "2026-11-22"))
    assert new.decode() == JANE.replace(
        "last_contact: 2026-09-14   # optional", "last_contact: 2026-11-22   # optional"
    )


def test_key_order_spacing_and_indentation_are_kept(tmp_path):
    text = "---\n  zeta:    1\n  alpha:\t2   \n  mid: 3\n---\nbody\n"
    path = write(tmp_path, text)
    new = edit(path, lambda t: set_field(t, "alpha", "two"))
    assert new.decode() == "---\n  zeta:    1\n  alpha:\ttwo   \n  mid: 3\n---\nbody\n"


def test_quoting_style_is_kept(tmp_path):
    path = write(tmp_path, JANE)
    new = edit(path, lambda t: set_field(t, "phone", "+1 555 0100")).decode()
    assert 'phone: "+1 555 0100"\n' in new
    text = "---\nname: 'Jane'\n---\n"
    assert set_field(text, "name", "Jo") == "---\nname: 'Jo'\n---\n"
    assert set_field(text, "name", "it's") == "---\nname: 'it''s'\n---\n"


@pytest.mark.parametrize(
    "value, written",
    [
        ("2026-11-22", "2026-11-22"),
        ("+447700900123", "+447700900123"),
        ("01234", "01234"),
        ("yes", "yes"),
        ("Jane Doe", "Jane Doe"),
        ("[[Bob Smith]]", '"[[Bob Smith]]"'),
        ("", '""'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        (" padded ", '" padded "'),
        ("#tag", '"#tag"'),
        ("&x", '"&x"'),
        ("*x", '"*x"'),
        ("!x", '"!x"'),
        ("|x", '"|x"'),
        (">x", '">x"'),
        ("%x", '"%x"'),
        ("@x", '"@x"'),
        ("`x", '"`x"'),
        ("{x}", '"{x}"'),
        ("- x", '"- x"'),
        ('say "hi"', 'say "hi"'),
        ('"quoted"', "'\"quoted\"'"),
        ("C:\\dir", "C:\\dir"),
        ("'x'", "\"'x'\""),
        ("bell\x07", '"bell\\x07"'),
        ("line\u2028sep", '"line\\u2028sep"'),
        ("Zoë 日本", "Zoë 日本"),
    ],
)
def test_values_are_quoted_only_when_needed(value, written):
    text = set_field("---\nk: old\n---\n", "k", value)
    assert text == f"---\nk: {written}\n---\n"
    assert parse(text).data == {"k": value}


def test_flow_list_is_written_in_place(tmp_path):
    path = write(tmp_path, JANE)
    new = edit(path, lambda t: set_field(t, "aliases", ["Janie", "J. D.", "a, b"])).decode()
    assert new == JANE.replace("aliases: [Janie]", 'aliases: [Janie, J. D., "a, b"]')
    assert read_back(new)["aliases"] == ["Janie", "J. D.", "a, b"]


def test_flow_list_keeps_the_items_quoting(tmp_path):
    path = write(tmp_path, JANE)
    new = edit(path, lambda t: set_field(t, "knows", ["[[Carol Lee]]", "[[Bob]]"])).decode()
    assert "knows: ['[[Carol Lee]]', '[[Bob]]']\n" in new


BLOCK = """\
---
name: Jane
tags:
  - mentor   # since 2020
  # people I learn from
  - friend
org: Acme
---
"""


def test_block_list_keeps_unchanged_items_and_comments():
    new = set_field(BLOCK, "tags", ["mentor", "friend", "new: one"])
    assert new == BLOCK.replace("  - friend\n", '  - friend\n  - "new: one"\n')
    new = set_field(BLOCK, "tags", ["first", "mentor", "friend"])
    assert new == BLOCK.replace("  - mentor", "  - first\n  - mentor")
    new = set_field(BLOCK, "tags", ["mentor"])
    assert new == BLOCK.replace("  - friend\n", "")


def test_block_list_to_empty_or_scalar():
    assert set_field(BLOCK, "tags", []) == (
        "---\nname: Jane\ntags: []\n  # since 2020\n  # people I learn from\norg: Acme\n---\n"
    )
    new = set_field(BLOCK, "tags", "solo")
    assert read_back(new)["tags"] == "solo"


def test_comments_on_block_list_items_are_never_dropped():
    text = "---\ntags:\n  - one  # t1\n  - two  # t2\n---\n"
    # an item that stays keeps its comment; a removed item's comment stays as a line
    assert set_field(text, "tags", ["one", "three"]) == (
        "---\ntags:\n  - one  # t1\n  - three\n  # t2\n---\n"
    )
    assert set_field(text, "tags", ["x", "y"]) == (
        "---\ntags:\n  - x\n  - y\n  # t1\n  # t2\n---\n"
    )
    assert set_field(text, "tags", ["two"]) == "---\ntags:\n  # t1\n  - two  # t2\n---\n"


def test_scalar_becomes_flow_list_and_back():
    text = "---\ntags: mentor  # c\n---\n"
    assert set_field(text, "tags", ["a", "b"]) == "---\ntags: [a, b]  # c\n---\n"
    assert set_field("---\ntags: [a, b]  # c\n---\n", "tags", "x") == "---\ntags: x  # c\n---\n"


def test_empty_value_gets_a_value_after_the_colon():
    assert set_field("---\nk:\nz: 1\n---\n", "k", "v") == "---\nk: v\nz: 1\n---\n"
    assert set_field("---\nk:    # c\n---\n", "k", "v") == "---\nk: v    # c\n---\n"


def test_value_on_the_line_after_its_key():
    assert set_field("---\nk:\n  old\n---\n", "k", "new") == "---\nk:\n  new\n---\n"


def test_missing_key_is_added_at_the_end_of_the_frontmatter(tmp_path):
    path = write(tmp_path, JANE)
    new = edit(path, lambda t: set_field(t, "follow_up", "2026-11-30 send the deck")).decode()
    assert new == JANE.replace(
        "---\nFree notes", "follow_up: 2026-11-30 send the deck\n---\nFree notes"
    )
    # after a trailing comment block, in the mapping's indentation
    text = "---\n  a: 1\n# end\n---\n"
    assert set_field(text, "b", ["x"]) == "---\n  a: 1\n# end\n  b: [x]\n---\n"
    assert set_field("---\n---\nbody", "b", "x") == "---\nb: x\n---\nbody"


def test_file_without_frontmatter_gets_one(tmp_path):
    path = write(tmp_path, "Just notes.\n\n## Log\n")
    new = edit(path, lambda t: set_field(t, "circle", "cold"))
    assert new == b"---\ncircle: cold\n---\nJust notes.\n\n## Log\n"
    assert set_field("", "k", "v") == "---\nk: v\n---\n"
    assert set_field("x\r\ny", "k", "v") == "---\r\nk: v\r\n---\r\nx\r\ny"


def test_crlf_bom_and_no_final_newline(tmp_path):
    text = JANE.replace("\n", "\r\n").rstrip("\r\n")
    path = write(tmp_path, BOM + text.encode())
    new = edit(path, lambda t: add_log_entry(set_field(t, "circle", "buddy"), "- 2026-11-22 x"))
    expected = (
        text.replace("circle: strategic ", "circle: buddy ").replace(
            "## Log\r\n", "## Log\r\n- 2026-11-22 x\r\n"
        )
    ).encode()
    assert new == BOM + expected
    new = edit(path, lambda t: set_field(t, "zz", "1"))
    assert new == BOM + expected.replace(b"\r\n---\r\nFree", b"\r\nzz: 1\r\n---\r\nFree")


def test_non_ascii_is_kept(tmp_path):
    text = "---\nname: Zoë Ñúñez  # 名前\norg: Café\n---\nNotes ✓ 🙂\n"
    path = write(tmp_path, text)
    new = edit(path, lambda t: set_field(t, "org", "Ünïcode GmbH")).decode()
    assert new == text.replace("Café", "Ünïcode GmbH")


def test_blank_lines_and_trailing_whitespace_are_kept():
    text = "---\n\na: 1   \n\n\nb: 2\t\n\n---\n\n  body  \n\n"
    assert set_field(text, "b", "3") == text.replace("b: 2", "b: 3")
    assert unset_field(text, "a") == "---\n\n\n\nb: 2\t\n\n---\n\n  body  \n\n"


def test_none_means_unset():
    assert set_field(JANE, "phone", None) == unset_field(JANE, "phone")


# --- unset_field -------------------------------------------------------------


def test_unset_removes_only_the_keys_lines():
    assert unset_field(JANE, "phone") == JANE.replace('phone: "+44 20 7946 0000"\n', "")
    # comments on the removed lines stay, as comment lines
    assert unset_field(BLOCK, "tags") == "---\nname: Jane\n# since 2020\n  # people I learn from\norg: Acme\n---\n"
    assert unset_field("---\na: 1   # why\nb: 2\n---\n", "a") == "---\n# why\nb: 2\n---\n"
    text = "---\na: |\n  one\n  two\n\nb: 2\n---\n"
    assert unset_field(text, "a") == "---\n\nb: 2\n---\n"
    assert unset_field(text, "missing") == text
    # the comment line after origin's value belongs to the file, not to origin
    assert "                           # supplier" in unset_field(JANE, "origin")


# --- refusing what cannot be edited safely ------------------------------------


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("---\nname: [unclosed\n---\n", "name", 3),
        ("---\nname: x\n", "name", 1),
        ("---\nnote: |\n  a\n  b\n---\n", "note", 2),
        ("---\nname: Jane\n  Doe\nb: 1\n---\n", "name", 2),
        ("---\nname: [a,\n  b]\n---\n", "name", 2),
        ("---\naddr:\n  city: X\n---\n", "addr", 2),
        ("---\nbase: &b x\nname: *b\n---\n", "name", 3),
        ("---\nbase: &b x\nname: *b\n---\n", "base", 2),
        ("---\nname: !!str x\n---\n", "name", 2),
        ("---\nname: a\nname: b\n---\n", "name", 3),
        ("---\ntags:\n  - a\n  - b: c\n---\n", "tags", 2),
        ("---\n{name: x}\n---\n", "name", 2),
        ("---\nname: a\u2028b\n---\n", "name", 2),
        ("---\nname: a\rb: 1\n---\n", "name", 2),
    ],
)
def test_unsafe_frontmatter_is_refused_with_its_line(text, key, line):
    with pytest.raises(EditError) as info:
        set_field(text, key, "new")
    assert info.value.line == line
    assert info.value.message


def test_values_with_line_breaks_are_refused():
    with pytest.raises(EditError, match="line break"):
        set_field(JANE, "name", "two\nlines")
    with pytest.raises(EditError, match="line break"):
        set_field(JANE, "tags", ["ok", "bad\r"])
    with pytest.raises(EditError):
        add_log_entry(JANE, "- 2026-11-22 a\nb")
    with pytest.raises(EditError):
        add_log_entry(JANE, "not a list item")


def test_broken_file_is_left_untouched(tmp_path):
    text = "---\nname: [unclosed\ncircle: buddy\n---\n"
    path = write(tmp_path, text)
    with pytest.raises(EditError) as info:
        edit_file(path, lambda t: set_field(t, "circle", "cold"))
    assert info.value.line == 3
    assert path.read_bytes() == text.encode()
    assert os.listdir(tmp_path) == ["Jane Doe.md"]


def test_non_utf8_is_refused_with_its_line(tmp_path):
    raw = b"---\nname: Jane\norg: Caf\xe9\n---\n"
    path = write(tmp_path, raw)
    with pytest.raises(EditError) as info:
        edit_file(path, lambda t: set_field(t, "circle", "cold"))
    assert info.value.line == 3
    assert "UTF-8" in info.value.message
    assert path.read_bytes() == raw


# --- add_log_entry -----------------------------------------------------------


def log_of(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[lines.index("## Log") + 1 :]


@pytest.mark.parametrize(
    "date, position",
    [("2026-11-22", 0), ("2026-09-14", 0), ("2026-07-01", 1), ("2026-06-01", 1), ("2020-01-01", 2)],
)
def test_newest_first_log_keeps_its_order(date, position):
    entry = f"- {date} email: new"
    lines = log_of(add_log_entry(JANE, entry))
    assert lines.index(entry) == position and len(lines) == 3


@pytest.mark.parametrize(
    "date, position",
    [("2026-11-22", 2), ("2026-09-14", 2), ("2026-07-01", 1), ("2026-06-01", 1), ("2020-01-01", 0)],
)
def test_newest_last_log_keeps_its_order(date, position):
    text = "## Log\n- 2026-06-01 a\n- 2026-09-14 b\n"
    entry = f"- {date} email: new"
    lines = log_of(add_log_entry(text, entry))
    assert lines.index(entry) == position and len(lines) == 3


def test_short_log_defaults_to_newest_last_after_continuation_lines():
    text = "## Log\n- 2026-09-14 met\n  details here\nlazy line\n\nAfterwords.\n"
    new = add_log_entry(text, "- 2026-11-22 x")
    assert new == text.replace("lazy line\n", "lazy line\n- 2026-11-22 x\n")
    # an older conversation still goes in date order (newest last)
    new = add_log_entry(text, "- 2026-01-01 x")
    assert new == "## Log\n- 2026-01-01 x\n" + text.removeprefix("## Log\n")


def test_log_heading_any_level_case_and_configured_name():
    text = "# Jane\n### interactions\n- 2026-01-01 a\n## Other\n- not a log\n"
    new = add_log_entry(text, "- 2026-02-01 b", heading="Interactions")
    assert new == text.replace("- 2026-01-01 a\n", "- 2026-01-01 a\n- 2026-02-01 b\n")


def test_empty_log_section_gets_the_entry_after_its_heading():
    text = "## Log\n\n## Next\n"
    assert add_log_entry(text, "- 2026-01-01 a") == "## Log\n- 2026-01-01 a\n\n## Next\n"


def test_missing_log_section_is_appended(tmp_path):
    path = write(tmp_path, "---\nname: A\n---\nNotes.")
    assert edit(path, lambda t: add_log_entry(t, "- 2026-01-01 a")) == (
        b"---\nname: A\n---\nNotes.\n\n## Log\n\n- 2026-01-01 a"  # still no final newline
    )
    crlf = "---\r\nname: A\r\n---\r\nNotes.\r\n\r\n"
    assert add_log_entry(crlf, "- 2026-01-01 a", "History") == (
        crlf + "## History\r\n\r\n- 2026-01-01 a\r\n"
    )


def test_log_at_end_of_file_without_final_newline():
    text = "## Log\n- 2026-01-01 a"
    assert add_log_entry(text, "- 2026-02-01 b") == "## Log\n- 2026-01-01 a\n- 2026-02-01 b"


def test_headings_inside_code_fences_are_not_the_log():
    text = "```\n## Log\n```\n"
    assert add_log_entry(text, "- 2026-01-01 a") == text + "\n## Log\n\n- 2026-01-01 a\n"
    with pytest.raises(EditError, match="never closed"):
        add_log_entry("```\n## Log\n", "- 2026-01-01 a")


def test_frontmatter_fence_is_never_mistaken_for_the_body():
    text = "---\ntitle: '## Log'\n---\nbody\n"
    assert add_log_entry(text, "- 2026-01-01 a") == text + "\n## Log\n\n- 2026-01-01 a\n"


# --- round trips of awkward values --------------------------------------------

awkward = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    max_size=20,
)


@given(value=awkward)
@settings(max_examples=300)
def test_any_one_line_value_reads_back_exactly(value):
    for base in ("---\nk: old  # c\n---\n", "---\nk: 'old'\n---\n", '---\nk: "old"\n---\n', ""):
        assert parse(set_field(base, "k", value)).data["k"] == value


@given(values=st.lists(awkward, max_size=4))
@settings(max_examples=200)
def test_any_list_reads_back_exactly(values):
    for base in ("---\nk: [a]\n---\n", "---\nk:\n  - a\n  - b\n---\n", "---\n---\n"):
        assert parse(set_field(base, "k", values)).data["k"] == values


@given(key=awkward.filter(lambda k: k.strip()))
@settings(max_examples=100)
def test_any_key_reads_back_exactly(key):
    assert parse(set_field("---\na: 1\n---\n", key, "v")).data == {"a": "1", key: "v"}


# --- the disk: atomic, permissions, symlinks, conflicts -----------------------


def test_permissions_are_kept(tmp_path):
    path = write(tmp_path, JANE)
    path.chmod(0o640)
    edit(path, lambda t: set_field(t, "circle", "buddy"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_stays_a_symlink(tmp_path):
    real = write(tmp_path, JANE, "real.md")
    (tmp_path / "people").mkdir()
    link = tmp_path / "people" / "Jane Doe.md"
    link.symlink_to("../real.md")
    edit_file(link, lambda t: set_field(t, "circle", "buddy"), root=tmp_path)
    assert link.is_symlink() and os.readlink(link) == "../real.md"
    assert "circle: buddy " in real.read_text()
    assert sorted(os.listdir(tmp_path / "people")) == ["Jane Doe.md"]


def test_editor_saving_between_read_and_write_is_refused(tmp_path):
    path = write(tmp_path, JANE)
    editors_text = JANE.replace("Free notes", "Typed in vim just now")

    def transform(text: str) -> str:
        # netvault has read the file; the user's editor saves it now
        path.write_text(editors_text)
        return add_log_entry(text, "- 2026-11-22 email: hi")

    with pytest.raises(ConflictError) as info:
        edit_file(path, transform)
    assert "changed on disk" in info.value.message
    assert path.read_text() == editors_text
    # no temporary file is left behind (.netvault/ holds the write lock)
    assert sorted(os.listdir(tmp_path)) == [".netvault", "Jane Doe.md"]


def test_atomic_write_conflict_and_deleted_file(tmp_path):
    path = write(tmp_path, "old")
    with pytest.raises(ConflictError):
        atomic_write(path, b"new", expected=b"something else")
    assert path.read_bytes() == b"old"
    atomic_write(path, b"new", expected=b"old")
    assert path.read_bytes() == b"new"
    path.unlink()
    with pytest.raises(ConflictError):
        atomic_write(path, b"newer", expected=b"new")
    assert not path.exists() and os.listdir(tmp_path) == []


def test_temp_file_is_removed_when_the_rename_fails(tmp_path, monkeypatch):
    path = write(tmp_path, "old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(diskwrite.os, "replace", broken_replace)
    with pytest.raises(EditError, match="No space left"):
        atomic_write(path, b"new", expected=b"old")
    assert os.listdir(tmp_path) == ["Jane Doe.md"]
    assert path.read_bytes() == b"old"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_read_only_file_is_refused(tmp_path):
    # refused by its mode bits too, so even root (in a container) leaves it alone
    path = write(tmp_path, JANE)
    path.chmod(0o444)
    with pytest.raises(EditError, match="read-only"):
        edit_file(path, lambda t: set_field(t, "circle", "buddy"))
    assert path.read_text() == JANE


def test_dry_run_writes_nothing_and_gives_a_diff(tmp_path):
    path = write(tmp_path, JANE.replace("\n", "\r\n"))
    saved = edit_file(path, lambda t: add_log_entry(t, "- 2026-11-22 email: hi"), dry_run=True)
    old, new = saved.old, saved.new
    assert path.read_bytes() == old
    assert unified_diff(old, new, "people/Jane Doe.md") == (
        "--- a/people/Jane Doe.md\n"
        "+++ b/people/Jane Doe.md\n"
        "@@ -11,5 +11,6 @@\n"
        " Free notes, in any Markdown.\n"
        " \n"
        " ## Log\n"
        "+- 2026-11-22 email: hi\n"
        " - 2026-09-14 in-person: coffee, her team is reorganising. #gave\n"
        " - 2026-06-01 email: asked for advice #asked\n"
    )
    assert unified_diff(old, old, "x") == ""


def test_unchanged_text_is_not_rewritten(tmp_path):
    path = write(tmp_path, JANE)
    before = path.stat().st_ino
    saved = edit_file(path, lambda t: unset_field(t, "missing"))
    old, new = saved.old, saved.new
    assert old == new and path.stat().st_ino == before


def test_create_file_never_overwrites(tmp_path):
    path = tmp_path / "New.md"
    create_file(path, b"hello")
    assert path.read_bytes() == b"hello"
    with pytest.raises(ConflictError, match="already exists"):
        create_file(path, b"other")
    assert path.read_bytes() == b"hello"
    assert os.listdir(tmp_path) == ["New.md"]


# --- properties: generated files, one line added or changed -------------------

KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
WORD = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=6)
PLAIN = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
PRINTABLE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\ufffe\uffff"
    ),
    max_size=12,
)
VALUE_SOURCE = st.one_of(
    PLAIN,
    PRINTABLE.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    PRINTABLE.map(lambda s: "'" + s.replace("'", "''") + "'"),
    st.lists(WORD, max_size=3).map(lambda ws: "[" + ", ".join(ws) + "]"),
    st.just(""),
)
COMMENT = PRINTABLE.map(lambda s: "# " + s)
BODY_LINE = st.one_of(
    PRINTABLE,
    st.sampled_from(["", "## Notes", "# Jane", "- a list item", "  indented", "---", "```"]),
    st.dates().map(lambda d: f"- {d.isoformat()} call: talked"),
)


@st.composite
def frontmatter_line(draw):
    key = draw(KEYS)
    value = draw(VALUE_SOURCE)
    gap = draw(st.sampled_from([" ", "  ", "\t", "    "])) if value else ""
    tail = draw(st.one_of(st.just(""), st.just("  "), COMMENT.map(lambda c: "   " + c)))
    return key, f"{key}:{gap}{value}{tail}"


@st.composite
def contact_file(draw, log=True):
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    entries = draw(st.lists(frontmatter_line(), max_size=6, unique_by=lambda e: e[0]))
    front: list[str] = []
    for _, line in entries:
        front.extend(draw(st.lists(st.one_of(COMMENT, st.just("")), max_size=1)))
        front.append(line)
    has_front = bool(entries) or draw(st.booleans())
    lines = ["---", *front, "---"] if has_front else []
    lines += draw(st.lists(BODY_LINE, max_size=5))
    if log:
        lines.append(draw(st.sampled_from(["## Log", "### log", "# LOG"])))
        lines += draw(st.lists(st.dates().map(lambda d: f"- {d.isoformat()} email: hi"), max_size=4))
        lines += draw(st.lists(BODY_LINE, max_size=3))
    # a body that starts with "---" would itself be read as frontmatter
    assume(has_front or not lines or lines[0].rstrip(" \t") != "---")
    text = nl.join(lines)
    if draw(st.booleans()):
        text += nl
    bom = draw(st.booleans())
    try:
        parse(text)
    except FrontmatterError:
        assume(False)
    return ("\ufeff" if bom else "") + text, [key for key, _ in entries]


def one_line_inserted(old: str, new: str, line: str) -> bool:
    nl = "\r\n" if "\r\n" in new else "\n"
    starts = [0] + [i + 1 for i, char in enumerate(old) if char == "\n"]
    if any(new == old[:p] + line + nl + old[p:] for p in starts):
        return True
    return not old.endswith("\n") and new == old + nl + line


SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def section_appended(old: str, new: str, line: str) -> bool:
    nl = "\r\n" if "\r\n" in new else "\n"
    final_newline = not old.removeprefix("\ufeff") or old.endswith("\n")
    base = old if final_newline else old + nl
    end = nl if final_newline else ""  # the final newline, or its absence, is kept
    return new.startswith(base) and new[len(base) :] in (
        f"## Log{nl}{nl}{line}{end}",
        f"{nl}## Log{nl}{nl}{line}{end}",
    )


def has_log(text: str) -> bool:
    body = parse(text.removeprefix("\ufeff")).body
    return bool(find_sections(body.splitlines(), "log"))


@given(data=st.one_of(contact_file(), contact_file(log=False)), day=st.dates())
@SETTINGS
def test_property_log_adds_exactly_one_line(data, day):
    text, _ = data
    entry = f"- {day.isoformat()} email: sent the deck #gave"
    try:
        new = add_log_entry(text, entry)
    except EditError as exc:
        # the only refusal: no log outside code, and a ``` block never closes
        assert "code block" in exc.message and not has_log(text)
        return
    if has_log(text):
        assert one_line_inserted(text, new, entry)
    else:
        assert section_appended(text, new, entry)
    assert has_log(new)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.md"
        path.write_bytes(text.encode("utf-8"))
        saved = edit_file(path, lambda t: add_log_entry(t, entry))
        old_bytes, new_bytes = saved.old, saved.new
        assert path.read_bytes() == new_bytes == new.encode("utf-8")
        assert new_bytes.startswith(BOM) == old_bytes.startswith(BOM)


@given(data=contact_file(), pick=st.integers(min_value=0), value=st.one_of(awkward, st.lists(awkward, max_size=3)))
@SETTINGS
def test_property_set_changes_exactly_one_line(data, pick, value):
    text, keys = data
    assume(keys)
    key = keys[pick % len(keys)]
    new = set_field(text, key, value)
    old_lines, new_lines = text.split("\n"), new.split("\n")
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    assert len(changed) <= 1
    if changed:
        before, after = old_lines[changed[0]], new_lines[changed[0]]
        assert after.startswith(key + ":")
        assert after.endswith("\r") == before.endswith("\r")
        if "   #" in before:
            assert after.endswith(before[before.rindex("   #") :])
    expected = dict(parse(text.removeprefix("\ufeff")).data, **{key: value})
    assert parse(new.removeprefix("\ufeff")).data == expected
    assert new.startswith("\ufeff") == text.startswith("\ufeff")


@given(data=contact_file(), pick=st.integers(min_value=0))
@SETTINGS
def test_property_unset_removes_exactly_one_line(data, pick):
    text, keys = data
    assume(keys)
    key = keys[pick % len(keys)]
    new = unset_field(text, key)
    old_lines, new_lines = text.split("\n"), new.split("\n")
    removed = next(i for i, line in enumerate(old_lines) if line.lstrip("\ufeff").startswith(key + ":"))
    if len(new_lines) == len(old_lines):
        # only the line's trailing comment is left, as a comment line
        kept = new_lines[removed].lstrip("\ufeff")
        assert kept.startswith("# ") and old_lines[removed].endswith(kept)
        new_lines[removed : removed + 1] = []
    assert new_lines == old_lines[:removed] + old_lines[removed + 1 :]


# --- the last check before anything is written ---------------------------------


def _faulty(monkeypatch, rendered: str) -> None:
    """Make the line editor write ``rendered`` for any value: the fault the
    check that reads every edit back exists to catch."""
    from netvault.edit import writer

    monkeypatch.setattr(writer, "render_value", lambda value, *args: rendered)


SAMPLE = "---\nname: Jane Doe\norg: Acme  # since 2020\nrole: CTO\n---\nNotes.\n"


def test_an_edit_that_would_write_another_value_is_refused(monkeypatch):
    _faulty(monkeypatch, '"Not what was asked"')
    with pytest.raises(EditError, match="netvault could not change 'org' without touching other values") as info:
        set_field(SAMPLE, "org", "Globex")
    assert info.value.line == 3


def test_an_edit_that_would_break_the_frontmatter_is_refused(monkeypatch):
    _faulty(monkeypatch, "[unclosed")
    with pytest.raises(EditError, match="changing 'title' would break the frontmatter"):
        set_field(SAMPLE, "title", "VP")


def test_a_removal_that_would_touch_another_key_is_refused(monkeypatch):
    from netvault.edit import writer

    # the lines that replace the removed key's: another key's value instead of nothing
    monkeypatch.setattr(writer, "_kept_comments", lambda front, lines, *rest: ["role: CFO\n"])
    with pytest.raises(EditError, match="netvault could not change 'org' without touching other values"):
        unset_field(SAMPLE, "org")


def test_the_command_line_reports_the_refusal_and_leaves_the_file(run, make_vault, monkeypatch):
    vault = make_vault({"people/Jane Doe.md": SAMPLE.replace("---\n", "---\ncircle: buddy\n", 1)})
    before = (vault / "people" / "Jane Doe.md").read_bytes()
    _faulty(monkeypatch, '"Not what was asked"')
    result = run("set", "Jane", "org", "Globex", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "could not change 'org' without touching other values; change it by hand" in result.stderr
    assert (vault / "people" / "Jane Doe.md").read_bytes() == before


# --- the fallbacks where the system lacks a call ------------------------------------


def test_without_an_atomic_exchange_a_plain_rename_puts_the_new_version_in_place(tmp_path, monkeypatch):
    from netvault.edit import swap

    monkeypatch.setattr(swap, "_exchange_works", False)
    path = tmp_path / "Jane Doe.md"
    path.write_text(SAMPLE)
    inode = path.stat().st_ino
    saved = edit_file(path, lambda t: set_field(t, "org", "Globex"), root=tmp_path)
    assert saved.changed and "org: Globex  # since 2020\n" in path.read_text()
    assert path.stat().st_ino != inode  # a new file renamed over the old one, never written in place
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".netvault-tmp")] == []


def test_a_file_system_without_an_exchange_falls_back_on_its_own(tmp_path, monkeypatch):
    import errno

    from netvault.edit import swap

    calls = []

    def no_exchange(*args):
        calls.append(args)
        ctypes_errno = errno.EINVAL  # what renameat2 says where the file system cannot
        monkeypatch.setattr(swap.ctypes, "get_errno", lambda: ctypes_errno)
        return -1

    monkeypatch.setattr(swap, "_renameat2", no_exchange)
    monkeypatch.setattr(swap, "_exchange_works", True)
    path = tmp_path / "Jane Doe.md"
    path.write_text(SAMPLE)
    edit_file(path, lambda t: set_field(t, "org", "Globex"), root=tmp_path)
    assert calls and "org: Globex" in path.read_text()


def _no_hard_links(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")  # FAT, some network shares

    monkeypatch.setattr(os, "link", refuse)


def test_without_hard_links_a_new_file_is_created_exclusively(tmp_path, monkeypatch):
    _no_hard_links(monkeypatch)
    path = tmp_path / "new.md"
    create_file(path, b"hello\n")
    assert path.read_bytes() == b"hello\n"
    with pytest.raises(ConflictError, match="already exists; nothing was written"):
        create_file(path, b"other\n")
    assert path.read_bytes() == b"hello\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.md"]


def test_without_hard_links_a_displaced_save_is_still_kept_as_a_copy(tmp_path, monkeypatch):
    from datetime import datetime

    from netvault.edit import latewrites

    _no_hard_links(monkeypatch)
    target = tmp_path / "Jane Doe.md"
    target.write_text("netvault's\n")
    pushed = tmp_path / ".pushed"
    pushed.write_text("the editor's save\n")
    copy = latewrites.move_aside(target, pushed, lambda: datetime(2026, 11, 22, 10, 0, 0))
    assert copy.name == "Jane Doe.conflict-2026-11-22T10-00-00.md"
    assert copy.read_text() == "the editor's save\n" and not pushed.exists()

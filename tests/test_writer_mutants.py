"""The frontmatter editor, case by case: the exact text each edit leaves, and
the exact message and line of each refusal (what the user reads)."""

from __future__ import annotations

import pytest

from netvault.edit import writer
from netvault.edit.errors import EditError
from netvault.edit.writer import set_field, unified_diff, unset_field

BLOCK_REFUSAL = (
    "'{}' is a block list netvault does not understand (nested, multi-line "
    "or several items on a line); change it by hand"
)


def refusal(call, *args) -> tuple[str, int | None]:
    with pytest.raises(EditError) as info:
        call(*args)
    return info.value.message, info.value.line


# --- set_field: refusals name the problem and the line --------------------------


@pytest.mark.parametrize(
    "text, key, message, line",
    [
        (
            "---\nk: 1\nname: a\nname: b\n---\n",
            "name",
            "'name' is set more than once (lines 3, 4); remove the extra ones first",
            4,
        ),
        ("---\nk: 1\n? name\n: x\n---\n", "name", "'name' is written in a YAML form netvault does not edit", 3),
        (
            "---\n# note\n{name: x}\n---\n",
            "name",
            "frontmatter written as a {...} mapping; netvault only edits 'key: value' lines",
            3,
        ),
        (
            "---\nk: 1\nname: Jane\n  Doe\n---\n",
            "name",
            "'name' is written over several lines; netvault only edits one-line values",
            3,
        ),
        ("---\nk: 1\naddr: {city: X}\n---\n", "addr", "'addr' holds a nested mapping; netvault does not change it", 3),
    ],
)
def test_unsafe_frontmatter_is_refused_with_its_message_and_line(text, key, message, line):
    assert refusal(set_field, text, key, "new") == (message, line)


@pytest.mark.parametrize(
    "items",
    [
        "  -\n  - a\n",
        "  - \n  - a\n",
        "  - # empty\n  - a\n",
        "  - a\n    b\n",
        "  - [a, b]\n",
        "  - {a: 1}\n",
        "  - &x a\n  - b\n",
        "  - !!str a\n  - b\n",
    ],
    ids=["empty", "empty-space", "empty-comment", "multi-line", "nested-list", "nested-map", "anchor", "tag"],
)
@pytest.mark.parametrize("value", ["x", ["a", "b", "c"]])
def test_block_lists_it_does_not_understand_are_refused(items, value):
    text = "---\nname: Jane\ntags:\n" + items + "---\n"
    assert refusal(set_field, text, "tags", value) == (BLOCK_REFUSAL.format("tags"), 3)


@pytest.mark.parametrize("key", ["", "  ", None])
def test_blank_or_missing_key_is_refused(key):
    assert refusal(set_field, "---\nk: v\n---\n", key, "x") == (f"invalid frontmatter key {key!r}", None)


def test_key_with_a_line_break_is_refused():
    assert refusal(set_field, "---\nk: v\n---\n", "a\nb", "x") == ("a frontmatter key cannot contain a line break", None)


@pytest.mark.parametrize(
    "text, value, line",
    [
        ("---\na: 1\nk: v\n---\n", "two\nlines", 3),
        ("---\na: 1\nk:\n  old\n---\n", "two\nlines", 3),
        ("---\na: 1\nk: v\n---\n", ["ok", "bad\r"], 3),
        ("---\na: 1\n---\n", "two\nlines", None),
        ("---\na: 1\nk: v\n---\n", "\ud800\n", 3),
    ],
)
def test_value_with_a_line_break_is_refused_naming_the_keys_line(text, value, line):
    assert refusal(set_field, text, "k", value) == ("the value of 'k' cannot contain a line break", line)


# --- set_field: flow lists and one-line values ------------------------------------


@pytest.mark.parametrize(
    "text, value, expected",
    [
        ('k: ["a", "b"]', ["c", "d"], 'k: ["c", "d"]'),
        ("k: ['a', 'b']", "x", "k: x"),
        ("k: [[a], b]", ["x"], "k: [x]"),
        ("k: [{a: 1}, b]", ["x"], "k: [x]"),
        ('k: ""', "x", 'k: "x"'),
        ("k: ''  # c", "x", "k: 'x'  # c"),
        ("k: []", "x", "k: x"),
        ("k: []  # c", ["a"], "k: [a]  # c"),
    ],
)
def test_one_line_value_is_replaced_in_place(text, value, expected):
    assert set_field(f"---\n{text}\nz: 1\n---\n", "k", value) == f"---\n{expected}\nz: 1\n---\n"


# --- set_field: block lists ---------------------------------------------------------


def test_block_list_with_one_item_gets_new_items_after_it():
    assert set_field("---\ntags:\n  - a\n---\n", "tags", ["a", "b"]) == "---\ntags:\n  - a\n  - b\n---\n"
    assert set_field("---\ntags:\n  - a\n---\n", "tags", ["b", "a"]) == "---\ntags:\n  - b\n  - a\n---\n"


def test_block_list_appends_after_its_last_item():
    text = "---\ntags:\n  - a\n  - b\n  - c\nz: 1\n---\n"
    assert set_field(text, "tags", ["a", "b", "c", "d"]) == "---\ntags:\n  - a\n  - b\n  - c\n  - d\nz: 1\n---\n"


def test_new_items_take_the_first_items_spacing():
    text = "---\ntags:\n  -  a\n  - bb\n---\n"
    assert set_field(text, "tags", ["new", "a", "bb"]) == "---\ntags:\n  -  new\n  -  a\n  - bb\n---\n"


@pytest.mark.parametrize("quote", ["'", '"'])
def test_new_items_take_the_lists_quoting(quote):
    text = f"---\ntags:\n  - {quote}a{quote}\n  - {quote}b{quote}\n---\n"
    b, c = f"  - {quote}b{quote}\n", f"  - {quote}c{quote}\n"
    assert set_field(text, "tags", ["a", "b", "c"]) == text.replace(b, b + c)


def test_empty_quoted_item_is_an_item_like_any_other():
    text = "---\nk:\n  - ''\n  - a\n---\n"
    assert set_field(text, "k", ["", "a", "b"]) == "---\nk:\n  - ''\n  - a\n  - b\n---\n"


@pytest.mark.parametrize("comment", ["# t1\u00a0", "# fiX", "# two  words"])
def test_removed_items_comment_is_kept_byte_for_byte(comment):
    text = f"---\ntags:\n  - one  {comment}\n  - two\n---\n"
    assert set_field(text, "tags", ["two"]) == f"---\ntags:\n  {comment}\n  - two\n---\n"


def test_block_list_becomes_a_value_after_the_colon_whatever_the_spacing():
    assert set_field("---\ntags :\n  - a\n---\n", "tags", "x") == "---\ntags : x\n---\n"
    assert set_field("---\ntags  :\t# c\n  - a\n---\n", "tags", []) == "---\ntags  : []\t# c\n---\n"


def test_long_list_keeps_the_lines_of_unchanged_items():
    text = "---\ntags:\n  - old\n  - a  # keep\n---\n"
    new = ["new"] + ["a"] * 4 + [f"t{i}" for i in range(195)]
    expected = (
        "---\ntags:\n  - new\n  - a  # keep\n"
        + "  - a\n" * 3
        + "".join(f"  - t{i}\n" for i in range(195))
        + "---\n"
    )
    assert set_field(text, "tags", new) == expected


# --- unset_field ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "[a,\n  b]",
        "[a,\n]",
        "a\n  \u00a0",
        "a\n  X",
        "'one\n  two'",
        "|\n  line\n  # not a comment",
        ">\n  line\n  # not a comment",
    ],
    ids=["flow", "flow-bracket", "nbsp", "plain", "quoted", "literal", "folded"],
)
def test_unset_removes_every_line_of_a_multi_line_value(value):
    assert unset_field(f"---\na: 1\nk: {value}\nz: 1\n---\n", "k") == "---\na: 1\nz: 1\n---\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("---\n  a: 1\n  k: 1  # why\n  b: 2\n---\n", "---\n  a: 1\n  # why\n  b: 2\n---\n"),
        ("---\nk: # note\n  value\nz: 1\n---\n", "---\n# note\nz: 1\n---\n"),
        ("---\nk:\t# note\n  value\nz: 1\n---\n", "---\n# note\nz: 1\n---\n"),
        ("---\nk: [a,\n  b,\n  c]  # end\nz: 1\n---\n", "---\n# end\nz: 1\n---\n"),
        ("---\nk:\n  - a  # one\n\n  - b  # two\nz: 1\n---\n", "---\n# one\n# two\nz: 1\n---\n"),
        (
            "---\nk:\n  - a   # since 2020\n  # people I learn from\n  - b  # f\nz: 1\n---\n",
            "---\n# since 2020\n  # people I learn from\n# f\nz: 1\n---\n",
        ),
    ],
    ids=["indented", "after-colon", "after-colon-tab", "flow-end", "blank-between", "comment-between"],
)
def test_unset_keeps_every_comment_of_the_removed_lines(text, expected):
    assert unset_field(text, "k") == expected


# --- the last check before anything is written ------------------------------------------

SAMPLE = "---\nname: Jane Doe\norg: Acme\nrole: CTO\n---\nNotes.\n"


def test_an_edit_that_would_break_the_frontmatter_names_the_broken_line(monkeypatch):
    monkeypatch.setattr(writer, "render_value", lambda value, *args: "[unclosed")
    message, line = refusal(set_field, SAMPLE, "title", "VP")
    assert message.startswith("changing 'title' would break the frontmatter (frontmatter is not valid YAML: ")
    assert message.endswith("); nothing was changed")
    assert line == 6


def test_an_edit_that_would_change_the_body_is_refused(monkeypatch):
    monkeypatch.setattr(writer, "render_value", lambda value, *args: "VP\n---\nInjected")
    assert refusal(set_field, SAMPLE, "title", "VP") == (
        "netvault could not change 'title' without touching other values; change it by hand",
        None,
    )


# --- unified_diff ------------------------------------------------------------------------


def test_diff_leaves_out_the_bom():
    bom = "\ufeff".encode()
    assert unified_diff(bom + b"a\n", bom + b"b\n", "x.md") == "--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n-a\n+b\n"


def test_diff_shows_invalid_utf8_as_replacement_characters():
    assert unified_diff(b"caf\xe9\n", b"cafe\n", "x.md") == (
        "--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n-caf\ufffd\n+cafe\n"
    )

"""Every change netvault makes to a contact file goes through this module.

The promise (PRODUCT.md, "What netvault promises about your files") is that
an edit changes only the lines it must and keeps every other byte: comments,
key order, quoting, indentation, blank lines, trailing whitespace, line
endings, a UTF-8 BOM, the final newline or its absence.  So nothing here
re-serialises YAML.  The text functions find the exact characters of one
value (using the YAML parser's marks) and splice new text in; then they read
the result back with :func:`netvault.read.frontmatter.parse` and refuse the edit
unless exactly the intended key changed.  A file the module does not fully
understand is refused with an :class:`EditError` naming the line, never
"fixed".

Layers:

* pure text functions take and return ``str`` and never touch the disk:
  ``set_field`` and ``unset_field`` here, ``add_log_entry`` in
  :mod:`netvault.edit.logedit`, both on the line model of :mod:`netvault.edit.lines`;
* :mod:`netvault.edit.diskwrite` puts bytes on disk: the vault's write lock,
  settled reads, atomic renames and conflict copies (``edit_files``,
  ``atomic_write``, ``create_file``).

This module re-exports all of it, so callers import the writer alone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import yaml

from ..read.frontmatter import BOM, FrontmatterError, parse
from .diskwrite import edit_file, edit_files
from .errors import ConflictError, EditError, PartialWrite
from .files import atomic_write, create_file
from .lines import (
    ITEM_PREFIX,
    ONLY_COMMENT,
    Doc,
    check_lines_value,
    normalise,
    odd_break_line,
    odd_break_message,
    open_doc,
    render_key,
    render_scalar,
    render_value,
    split_lines,
    strip_eol,
)
from .logedit import add_log_entry
from .plan import Saved

__all__ = [
    "ConflictError",
    "EditError",
    "PartialWrite",
    "Saved",
    "add_log_entry",
    "atomic_write",
    "create_file",
    "edit_file",
    "edit_files",
    "set_field",
    "unified_diff",
    "unset_field",
]

BOM_BYTES = BOM.encode("utf-8")

try:  # the same parser frontmatter.parse uses (libyaml when available)
    _Loader = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.BaseLoader

# ---------------------------------------------------------------------------
# Finding a key in the frontmatter


@dataclass
class _Front:
    doc: Doc
    data: dict
    mapping: yaml.MappingNode | None
    indent: int  # column of the top-level keys

    def file_line(self, mark_line: int) -> int:
        """1-based file line of a 0-based line inside the frontmatter."""
        return mark_line + 2

    def index(self, mark_line: int) -> int:
        """Index into ``doc.lines`` of a 0-based line inside the frontmatter."""
        return mark_line + 1


def _read_front(doc: Doc) -> _Front:
    if doc.close is None:
        return _Front(doc, {}, None, 0)
    line = odd_break_line(doc.lines[: doc.close], 1)
    if line is not None:
        raise EditError(odd_break_message(), line)
    text = "".join(doc.lines)
    try:
        note = parse(text)
    except FrontmatterError as exc:
        raise EditError(exc.message, exc.line) from None
    front = "".join(strip_eol(line) + "\n" for line in doc.lines[1 : doc.close])
    try:
        # The loader's own parser, so both agree on what the YAML means; its
        # marks' line and column count characters, as the line list does.
        node = yaml.compose(front, Loader=_Loader)
    except yaml.YAMLError as exc:  # pragma: no cover - parse() accepted it
        raise EditError(f"frontmatter is not valid YAML: {exc}", 2) from None
    if node is None:
        return _Front(doc, note.data, None, 0)
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise EditError(
            "frontmatter written as a {...} mapping; netvault only edits 'key: value' lines",
            2 + node.start_mark.line,
        )
    indent = node.value[0][0].start_mark.column if node.value else 0
    return _Front(doc, note.data, node, indent)


def _find(front: _Front, key: str):
    """The (key node, value node) pair for ``key``, or None."""
    if front.mapping is None:
        return None
    found = [
        (k, v)
        for k, v in front.mapping.value
        if isinstance(k, yaml.ScalarNode) and k.value == key
    ]
    if not found:
        return None
    key_node, value_node = found[-1]
    if len(found) > 1:
        lines = ", ".join(str(front.file_line(k.start_mark.line)) for k, _ in found)
        raise EditError(
            f"'{key}' is set more than once (lines {lines}); remove the extra ones first",
            front.file_line(key_node.start_mark.line),
        )
    line = front.doc.lines[front.index(key_node.start_mark.line)]
    if line[: key_node.start_mark.column].strip(" \t") or key_node.end_mark.line != (
        key_node.start_mark.line
    ):
        raise EditError(
            f"'{key}' is written in a YAML form netvault does not edit",
            front.file_line(key_node.start_mark.line),
        )
    start = value_node.start_mark
    source = strip_eol(front.doc.lines[front.index(start.line)])[start.column : start.column + 1]
    after_key = (start.line, start.column) >= (key_node.end_mark.line, key_node.end_mark.column)
    if not after_key or source in ("&", "*", "!"):
        raise EditError(
            f"'{key}' uses a YAML anchor, alias or tag; change it by hand",
            front.file_line(key_node.start_mark.line),
        )
    return key_node, value_node


def _colon_end(front: _Front, key_node: yaml.Node) -> int:
    """Column just after the ':' that follows the key on its line."""
    line = strip_eol(front.doc.lines[front.index(key_node.end_mark.line)])
    column = key_node.end_mark.column
    while column < len(line) and line[column] in " \t":
        column += 1
    if column >= len(line) or line[column] != ":":  # pragma: no cover - YAML guarantees it
        raise EditError("cannot find the ':' after the key", front.file_line(key_node.end_mark.line))
    return column + 1


def _single_line(node: yaml.Node) -> bool:
    return node.start_mark.line == node.end_mark.line


def _common_style(nodes) -> str | None:
    styles = {getattr(node, "style", None) for node in nodes}
    if len(styles) == 1 and next(iter(styles)) in ("'", '"'):
        return next(iter(styles))
    return None


# ---------------------------------------------------------------------------
# set_field / unset_field


def set_field(text: str, key: str, value: str | list[str] | None) -> str:
    """Set ``key`` in the frontmatter to ``value``, changing as little text as possible.

    * An existing key is changed in place: only the characters of its value
      are replaced, so its position, indentation, spacing after the colon and
      a trailing ``# comment`` stay.  The old quoting style is kept when it
      can hold the new value; otherwise values are quoted only when YAML would
      not read them back as the same string.
    * A list is written as a flow list ``[a, b]``; if the old value was a block
      list (``- a`` lines), those lines are kept where the item is unchanged
      and new items are inserted as lines in the same indentation.
    * A missing key is appended at the end of the frontmatter; a file without
      frontmatter gets one.
    * ``None`` removes the key (same as :func:`unset_field`).

    Raises EditError (with the file line) when the file or the value cannot
    be edited safely.
    """
    value = normalise(value)
    if value is None:
        return unset_field(text, key)
    if not isinstance(key, str) or not key.strip():
        raise EditError(f"invalid frontmatter key {key!r}")
    check_lines_value(key, "a frontmatter key")
    doc = open_doc(text)
    front = _read_front(doc)
    found = _find(front, key)
    items = [value] if isinstance(value, str) else value
    line_no = front.file_line(found[0].start_mark.line) if found else None
    for item in items:
        check_lines_value(item, f"the value of '{key}'", line_no)

    if doc.close is None:
        nl = doc.nl
        doc.lines[0:0] = ["---" + nl, f"{render_key(key)}: {render_value(value)}{nl}", "---" + nl]
    elif found is None:
        entry = " " * front.indent + f"{render_key(key)}: {render_value(value)}{doc.nl}"
        doc.lines.insert(doc.close, entry)
    else:
        _replace_value(front, key, *found, value)

    result = doc.text()
    _verify(text, result, key, value)
    return result


def _replace_value(front: _Front, key: str, key_node, value_node, value) -> None:
    lines = front.doc.lines
    key_line = front.file_line(key_node.start_mark.line)
    if isinstance(value_node, yaml.SequenceNode) and not value_node.flow_style:
        _replace_block_list(front, key, key_node, value_node, value)
        return
    if not _single_line(value_node) or (
        isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
    ):
        raise EditError(
            f"'{key}' is written over several lines; netvault only edits one-line values",
            key_line,
        )
    if isinstance(value_node, yaml.MappingNode):
        raise EditError(f"'{key}' holds a nested mapping; netvault does not change it", key_line)
    if isinstance(value_node, yaml.SequenceNode):
        style = _common_style(value_node.value) if isinstance(value, list) else None
    else:
        style = value_node.style if value_node.style in ("'", '"') else None
    start, end = value_node.start_mark, value_node.end_mark
    index = front.index(start.line)
    line = lines[index]
    rendered = render_value(value, style)
    if start.column == end.column and not value_node.value:
        rendered = " " + rendered  # `key:` with no value: the text goes after the colon
    lines[index] = line[: start.column] + rendered + line[end.column :]


def _replace_block_list(front: _Front, key, key_node, seq, value) -> None:
    lines = front.doc.lines
    key_line = front.file_line(key_node.start_mark.line)
    refuse = EditError(
        f"'{key}' is a block list netvault does not understand (nested, multi-line "
        "or several items on a line); change it by hand",
        key_line,
    )
    item_lines = []
    for item in seq.value:
        if (
            not isinstance(item, yaml.ScalarNode)
            or not _single_line(item)
            or item.style in ("|", ">")
            or (item.start_mark.column == item.end_mark.column and not item.value)
        ):
            raise refuse
        index = front.index(item.start_mark.line)
        text = strip_eol(lines[index])
        if text[item.start_mark.column : item.start_mark.column + 1] in ("&", "*", "!"):
            raise refuse
        if not ITEM_PREFIX.match(text[: item.start_mark.column]):
            raise refuse
        if not ONLY_COMMENT.match(text[item.end_mark.column :]):
            raise refuse
        item_lines.append(index)
    if len(set(item_lines)) != len(item_lines):
        raise refuse
    for index in range(item_lines[0], item_lines[-1] + 1):
        if index not in item_lines and not ONLY_COMMENT.match(strip_eol(lines[index])):
            raise refuse

    nl = front.doc.nl
    prefix = strip_eol(lines[item_lines[0]])[: seq.value[0].start_mark.column]
    new_items = [value] if isinstance(value, str) else value
    deletions: set[int] = set()
    insertions: dict[int, list[str]] = {}
    key_index = front.index(key_node.start_mark.line)
    key_text = None
    replaced: dict[int, str] = {}  # removed items whose comment line stays

    def delete(positions) -> None:
        # A removed item's comment stays, as a comment line where it was
        # (as `unset` keeps them): it may say something only the user knows.
        for position in positions:
            index = item_lines[position]
            rest = strip_eol(lines[index])[seq.value[position].end_mark.column :].strip(" \t")
            if rest.startswith("#"):
                indent = prefix[: len(prefix) - len(prefix.lstrip(" \t"))]
                replaced[index] = indent + rest + nl
            else:
                deletions.add(index)

    if isinstance(value, str) or not value:
        # The block list becomes `key: value` / `key: []` on the key's line.
        delete(range(len(item_lines)))
        colon = _colon_end(front, key_node)
        line = lines[key_index]
        key_text = line[:colon] + " " + render_value(value) + line[colon:]
    else:
        style = _common_style(seq.value)
        old_values = [item.value for item in seq.value]
        matcher = difflib.SequenceMatcher(a=old_values, b=new_items, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("delete", "replace"):
                delete(range(i1, i2))
            if tag in ("insert", "replace"):
                at = item_lines[i1] if i1 < len(item_lines) else item_lines[-1] + 1
                insertions.setdefault(at, []).extend(
                    prefix + render_scalar(item, "item", style) + nl for item in new_items[j1:j2]
                )
    rebuilt = []
    for index in range(len(lines) + 1):
        rebuilt.extend(insertions.get(index, []))
        if index < len(lines) and index not in deletions:
            if index == key_index and key_text is not None:
                rebuilt.append(key_text)
            else:
                rebuilt.append(replaced.get(index, lines[index]))
    lines[:] = rebuilt


def unset_field(text: str, key: str) -> str:
    """Remove ``key`` and its value's lines from the frontmatter; other lines stay.

    A key that is not there leaves the text unchanged.
    """
    doc = open_doc(text)
    front = _read_front(doc)
    found = _find(front, key)
    if found is None:
        return text
    key_node, value_node = found
    first = front.index(key_node.start_mark.line)
    end = value_node.end_mark
    # A block value's end mark sits at the start of the next key's line (at
    # its indentation, in indented frontmatter): that line is not ours.
    end_text = front.doc.lines[front.index(end.line)][: end.column] if end.line > key_node.start_mark.line else "x"
    ends_on_line = end.column > 0 and end_text.strip(" \t") != ""
    last = front.index(end.line if ends_on_line or end.line == key_node.start_mark.line else end.line - 1)
    block_scalar = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
    while last > first:
        content = strip_eol(doc.lines[last])
        if content.strip(" \t") and (block_scalar or not ONLY_COMMENT.match(content)):
            break
        last -= 1
    doc.lines[first : last + 1] = _kept_comments(
        front, doc.lines[first : last + 1], key_node, value_node, block_scalar
    )
    result = doc.text()
    _verify(text, result, key, None)
    return result


def _kept_comments(front: _Front, removed: list[str], key_node, value_node, block_scalar) -> list[str]:
    """What is left of the removed lines: the user's comments, as comment lines.

    ``snooze_until: 2026-12-04  # on leave until December`` leaves
    ``# on leave until December``; whole-line comments stay as they are.
    """
    if block_scalar:
        return []
    ends: dict[int, int] = {}
    nodes = [key_node]
    nodes.extend(value_node.value if isinstance(value_node, yaml.SequenceNode) and not value_node.flow_style else [value_node])
    for node in nodes:
        line, column = node.end_mark.line, node.end_mark.column
        ends[line] = max(ends.get(line, 0), column)
    first_mark = key_node.start_mark.line
    indent = " " * key_node.start_mark.column
    kept = []
    for offset, line in enumerate(removed):
        content = strip_eol(line)
        eol = line[len(content):]
        if offset and content.strip(" \t") and ONLY_COMMENT.match(content):
            kept.append(line)
            continue
        column = ends.get(first_mark + offset)
        if column is None:
            continue
        rest = content[column:].lstrip(" \t")
        if offset == 0:
            rest = rest.removeprefix(":").lstrip(" \t")
        if rest.startswith("#"):
            kept.append(indent + rest + eol)
    return kept


def _verify(before: str, after: str, key: str, value) -> None:
    """Refuse the edit unless exactly ``key`` changed, as intended."""
    old = parse(before.removeprefix(BOM))  # _read_front has read it already
    try:
        new = parse(after.removeprefix(BOM))
    except FrontmatterError as exc:
        raise EditError(
            f"changing '{key}' would break the frontmatter ({exc.message}); nothing was changed",
            exc.line,
        ) from None
    expected = dict(old.data)
    if value is None:
        expected.pop(key, None)
    else:
        expected[key] = value
    same_order = list(new.data) == list(expected)
    doubled = len(new.duplicate_keys) > len(old.duplicate_keys)  # a key written twice: one value hides
    if new.data != expected or not same_order or new.body != old.body or doubled:
        raise EditError(
            f"netvault could not change '{key}' without touching other values; change it by hand",
            old.key_lines.get(key),
        )


def unified_diff(old: bytes, new: bytes, name: str) -> str:
    """A unified diff of two versions of a file, for ``--dry-run`` ("" if equal).

    Lines are shown without their CR/LF, so a CRLF file diffs cleanly in a
    terminal.
    """
    def lines(raw: bytes) -> list[str]:
        text = raw.decode("utf-8", errors="replace").removeprefix(BOM)
        return [strip_eol(line) for line in split_lines(text)]

    diff = difflib.unified_diff(
        lines(old), lines(new), fromfile=f"a/{name}", tofile=f"b/{name}", lineterm=""
    )
    text = "\n".join(diff)
    return text + "\n" if text else ""

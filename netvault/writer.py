"""Every change netvault makes to a contact file goes through this module.

The promise (PRODUCT.md, "What netvault promises about your files") is that
an edit changes only the lines it must and keeps every other byte: comments,
key order, quoting, indentation, blank lines, trailing whitespace, line
endings, a UTF-8 BOM, the final newline or its absence.  So nothing here
re-serialises YAML.  The text functions find the exact characters of one
value (using the YAML parser's marks) and splice new text in; then they read
the result back with :func:`netvault.frontmatter.parse` and refuse the edit
unless exactly the intended key changed.  A file the module does not fully
understand is refused with an :class:`EditError` naming the line, never
"fixed".

Layers:

* pure text functions (``set_field``, ``unset_field``, ``add_log_entry``)
  take and return ``str`` and never touch the disk;
* :func:`atomic_write` / :func:`create_file` put bytes on disk (temporary
  file in the same folder, fsync, rename);
* :func:`edit_file` ties them together: read, decode, transform, write back
  only if nobody saved the file in the meantime.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import yaml

from .dates import DateError, parse_date
from .diskwrite import (
    ConflictError,
    EditError,
    PartialWrite,
    Saved,
    atomic_write,
    create_file,
    edit_file,
    edit_files,
)
from .frontmatter import BOM, FrontmatterError, parse, split
from .logsection import DATED, HEADING, ITEM, code_blocks, find_sections

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

# Characters Python's str.splitlines() or YAML treat as line breaks although
# git and editors do not (a lone CR, form feed, NEL, U+2028...).  Inside the
# frontmatter they would make the loader and the writer disagree about which
# line is which, so the writer refuses to edit such frontmatter.
_ODD_BREAK = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# What must be written as an escape inside a double-quoted YAML value: YAML's
# non-printable characters, plus the odd line breaks above.
_NEEDS_ESCAPE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
_ONLY_COMMENT = re.compile(r"^[ \t]*(?:#.*)?$")
_ITEM_PREFIX = re.compile(r"^[ \t]*-[ \t]+$")


# ---------------------------------------------------------------------------
# The file as lines


@dataclass
class _Doc:
    """A decoded note split on ``\\n`` only (each line keeps its ending)."""

    bom: str
    lines: list[str]
    nl: str  # newline style used for inserted lines
    close: int | None  # index of the closing fence line, None without frontmatter

    def text(self) -> str:
        return self.bom + "".join(self.lines)

    @property
    def body_start(self) -> int:
        return 0 if self.close is None else self.close + 1


def _split_lines(text: str) -> list[str]:
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _strip_eol(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith("\n"):
        return line[:-1]
    return line


def _newline_style(text: str) -> str:
    """CRLF or LF, from the first line ending; LF for a file without one."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


def _is_fence(line: str, closing: bool = False) -> bool:
    stripped = _strip_eol(line).rstrip(" \t")
    return stripped == "---" or (closing and stripped == "...")


def _open(text: str) -> _Doc:
    """Split ``text`` into lines and find its frontmatter, as the loader does."""
    bom = BOM if text.startswith(BOM) else ""
    text = text[len(bom) :]
    try:
        front, _body, _line = split(text)
    except FrontmatterError as exc:
        raise EditError(exc.message, exc.line) from None
    lines = _split_lines(text)
    close = None
    if lines and _is_fence(lines[0]):
        close = next((i for i in range(1, len(lines)) if _is_fence(lines[i], True)), None)
    mine = None if close is None else "".join(lines[1:close])
    if mine != front:
        # The loader (str.splitlines) saw the fences somewhere else than a
        # "\n"-based editor does: some odd line break is involved.
        raise EditError(_odd_break_message(), _odd_break_line(lines))
    return _Doc(bom, lines, _newline_style(text), close)


def _odd_break_line(lines: list[str], start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if _ODD_BREAK.search(_strip_eol(lines[index])):
            return index + 1
    return None


def _odd_break_message() -> str:
    return (
        "the frontmatter contains a line break netvault does not edit "
        "(a lone CR, form feed, U+0085, U+2028 or U+2029); remove it by hand first"
    )


def _check_lines_value(value: str, what: str, line: int | None = None) -> None:
    if "\n" in value or "\r" in value:
        raise EditError(f"{what} cannot contain a line break", line)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EditError(f"{what} is not valid Unicode text", line) from None


# ---------------------------------------------------------------------------
# Writing YAML scalars so that they read back as the same string


def _double_quoted(value: str) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif _NEEDS_ESCAPE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reads_back(snippet: str, expected) -> bool:
    """Does ``---\\n<snippet>\\n---`` read as ``{"k": expected}`` for the loader?"""
    try:
        note = parse(f"---\n{snippet}\n---\n")
    except FrontmatterError:
        return False
    return note.data == {"k": expected}


_CONTEXTS = {
    "value": ("k: {}", lambda v: v),
    "flow": ("k: [{}]", lambda v: [v]),
    "item": ("k:\n- {}", lambda v: [v]),
}


def _render_scalar(value: str, context: str, style: str | None = None) -> str:
    """``value`` as YAML source: plain when that reads back the same, else quoted.

    ``style`` is the quoting the old value used ("'" or '"'); it is kept when
    it can represent the new value.
    """
    template, wrap = _CONTEXTS[context]
    double, single = _double_quoted(value), _single_quoted(value)
    if _NEEDS_ESCAPE.search(value):
        candidates = [double]  # only double quotes can escape these
    else:
        candidates = {'"': [double], "'": [single]}.get(style, []) + [value]
        # Single quotes read better than backslash escapes.
        candidates += [single, double] if '"' in value or "\\" in value else [double, single]
    for candidate in candidates:
        if _reads_back(template.format(candidate), wrap(value)):
            return candidate
    raise EditError(f"cannot write {value!r} as a YAML value")  # pragma: no cover


def _render_key(key: str) -> str:
    for candidate in (key, _double_quoted(key)):
        try:
            note = parse(f"---\n{candidate}: x\n---\n")
        except FrontmatterError:
            continue
        if note.data == {key: "x"}:
            return candidate
    raise EditError(f"cannot write {key!r} as a frontmatter key")


def _render_value(value: str | list[str], style: str | None = None) -> str:
    if isinstance(value, str):
        return _render_scalar(value, "value", style)
    return "[" + ", ".join(_render_scalar(item, "flow", style) for item in value) + "]"


def _normalise(value) -> str | list[str] | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        return list(value)
    raise TypeError(f"a field value must be a string or a list of strings, not {value!r}")


# ---------------------------------------------------------------------------
# Finding a key in the frontmatter


@dataclass
class _Front:
    doc: _Doc
    data: dict
    mapping: yaml.MappingNode | None
    indent: int  # column of the top-level keys

    def file_line(self, mark_line: int) -> int:
        """1-based file line of a 0-based line inside the frontmatter."""
        return mark_line + 2

    def index(self, mark_line: int) -> int:
        """Index into ``doc.lines`` of a 0-based line inside the frontmatter."""
        return mark_line + 1


def _read_front(doc: _Doc) -> _Front:
    if doc.close is None:
        return _Front(doc, {}, None, 0)
    line = _odd_break_line(doc.lines[: doc.close], 1)
    if line is not None:
        raise EditError(_odd_break_message(), line)
    text = "".join(doc.lines)
    try:
        note = parse(text)
    except FrontmatterError as exc:
        raise EditError(exc.message, exc.line) from None
    front = "".join(_strip_eol(line) + "\n" for line in doc.lines[1 : doc.close])
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
    source = _strip_eol(front.doc.lines[front.index(start.line)])[start.column : start.column + 1]
    after_key = (start.line, start.column) >= (key_node.end_mark.line, key_node.end_mark.column)
    if not after_key or source in ("&", "*", "!"):
        raise EditError(
            f"'{key}' uses a YAML anchor, alias or tag; change it by hand",
            front.file_line(key_node.start_mark.line),
        )
    return key_node, value_node


def _colon_end(front: _Front, key_node: yaml.Node) -> int:
    """Column just after the ':' that follows the key on its line."""
    line = _strip_eol(front.doc.lines[front.index(key_node.end_mark.line)])
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
    value = _normalise(value)
    if value is None:
        return unset_field(text, key)
    if not isinstance(key, str) or not key.strip():
        raise EditError(f"invalid frontmatter key {key!r}")
    _check_lines_value(key, "a frontmatter key")
    doc = _open(text)
    front = _read_front(doc)
    found = _find(front, key)
    items = [value] if isinstance(value, str) else value
    line_no = front.file_line(found[0].start_mark.line) if found else None
    for item in items:
        _check_lines_value(item, f"the value of '{key}'", line_no)

    if doc.close is None:
        nl = doc.nl
        doc.lines[0:0] = ["---" + nl, f"{_render_key(key)}: {_render_value(value)}{nl}", "---" + nl]
    elif found is None:
        entry = " " * front.indent + f"{_render_key(key)}: {_render_value(value)}{doc.nl}"
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
    rendered = _render_value(value, style)
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
        text = _strip_eol(lines[index])
        if text[item.start_mark.column : item.start_mark.column + 1] in ("&", "*", "!"):
            raise refuse
        if not _ITEM_PREFIX.match(text[: item.start_mark.column]):
            raise refuse
        if not _ONLY_COMMENT.match(text[item.end_mark.column :]):
            raise refuse
        item_lines.append(index)
    if len(set(item_lines)) != len(item_lines):
        raise refuse
    for index in range(item_lines[0], item_lines[-1] + 1):
        if index not in item_lines and not _ONLY_COMMENT.match(_strip_eol(lines[index])):
            raise refuse

    nl = front.doc.nl
    prefix = _strip_eol(lines[item_lines[0]])[: seq.value[0].start_mark.column]
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
            rest = _strip_eol(lines[index])[seq.value[position].end_mark.column :].strip(" \t")
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
        key_text = line[:colon] + " " + _render_value(value) + line[colon:]
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
                    prefix + _render_scalar(item, "item", style) + nl for item in new_items[j1:j2]
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
    doc = _open(text)
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
        content = _strip_eol(doc.lines[last])
        if content.strip(" \t") and (block_scalar or not _ONLY_COMMENT.match(content)):
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
        content = _strip_eol(line)
        eol = line[len(content):]
        if offset and content.strip(" \t") and _ONLY_COMMENT.match(content):
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
    if new.data != expected or not same_order or new.body != old.body:
        raise EditError(
            f"netvault could not change '{key}' without touching other values; change it by hand",
            old.key_lines.get(key),
        )


# ---------------------------------------------------------------------------
# The log section


def _entry_date(item_text: str) -> date | None:
    match = DATED.match(item_text.strip())
    if not match:
        return None
    try:
        return parse_date(match.group(1))
    except DateError:
        return None


def _loader_item_count(body: str, heading: str) -> int:
    """How many log items the loader (which splits with str.splitlines) sees."""
    lines = body.splitlines(keepends=True)
    hidden, _ = code_blocks(lines)
    return sum(
        1
        for section in find_sections(lines, heading)
        for index in range(section.heading + 1, section.end)
        if not hidden[index] and ITEM.match(lines[index].rstrip("\r\n"))
    )


def add_log_entry(text: str, entry_line: str, heading: str = "Log") -> str:
    """Insert the list item ``entry_line`` into the log section; nothing else changes.

    The section is the first one whose heading text is ``heading`` (any
    level, case-insensitive).  The entry goes where the file's own order puts
    it: a log whose first dated entry is newer than its last is newest-first,
    and the entry goes just before the first entry dated on or before it;
    otherwise (newest-last, or fewer than two dated entries) it goes just
    before the first entry dated after it, or after the last item (and its
    continuation lines).  A section without items gets the entry after its
    last non-blank line.  With no such section, ``## <heading>`` and the
    entry are appended at the end of the file, after a blank line.
    """
    _check_lines_value(entry_line, "a log entry")
    _check_lines_value(heading, "the log heading")
    _check_heading(heading)
    if _ODD_BREAK.search(entry_line) or not ITEM.match(entry_line):
        raise EditError(f"a log entry must be one Markdown list item line, not {entry_line!r}")
    doc = _open(text)
    lines, nl = doc.lines, doc.nl
    body = lines[doc.body_start :]
    sections = find_sections(body, heading)
    new_line = entry_line + nl
    if not sections:
        had_final_newline = not lines or lines[-1].endswith("\n")
        if not had_final_newline:
            lines[-1] += nl
        block = [f"## {heading.strip()}{nl}", nl, new_line]
        if lines and _strip_eol(lines[-1]).strip(" \t"):
            block.insert(0, nl)  # a blank line before the heading, unless one is there
        if not had_final_newline:
            block[-1] = entry_line  # the file had no final newline: keep it that way
        lines.extend(block)
    else:
        section = sections[0]
        marker = _bullet(body, section.heading, section.end)
        if marker != entry_line[:1]:
            # Follow the log's own bullet, or Markdown splits it into two lists.
            entry_line = marker + entry_line[1:]
            new_line = entry_line + nl
        at = doc.body_start + _insert_index(body, section.heading, section.end, entry_line)
        if at == len(lines) and lines and not lines[-1].endswith("\n"):
            # The file ends inside the log without a final newline: keep it that way.
            lines[-1] += nl
            new_line = entry_line
        lines.insert(at, new_line)
    result = doc.text()
    old_body = "".join(body)
    new_body = "".join(lines[doc.body_start :])
    if _loader_item_count(new_body, heading) != _loader_item_count(old_body, heading) + 1:
        reason, line = _unreadable_reason(body)
        raise EditError(
            f"netvault cannot add the log entry where it would be read back: {reason}; "
            "add it by hand",
            None if line is None else doc.body_start + line + 1,
        )
    return result


def _check_heading(heading: str) -> None:
    """The log heading must read back as itself when written as ``## heading``."""
    match = HEADING.match(f"## {heading.strip()}")
    if not match or match.group(2).strip().casefold() != heading.strip().casefold():
        raise EditError(
            f"the log heading {heading!r} cannot be written as a Markdown heading; set "
            "log_heading in netvault.toml to the heading's text alone, without '#' marks"
        )


def _unreadable_reason(body: list[str]) -> tuple[str, int | None]:
    """Why a new entry would not be read back, and the body line to blame."""
    hidden, fence_open = code_blocks(body)
    if hidden and hidden[-1]:
        start = len(body) - 1
        while start > 0 and hidden[start - 1]:
            start -= 1
        opener = _strip_eol(body[start]).strip()
        if fence_open:
            return "the note has a ``` code block that is never closed", start
        if opener.startswith("<!--"):
            return "the note has an HTML comment '<!--' that is never closed with '-->'", start
        if opener.startswith("%%"):
            return "the note has an Obsidian comment '%%' that is never closed", start
    odd = _odd_break_line(body)
    if odd is not None:
        return "the note uses line breaks (form feed, U+2028...) netvault does not edit", odd - 1
    return "the log section is written in a way netvault does not follow", None


def _insert_index(body: list[str], heading: int, end: int, entry_line: str) -> int:
    """Index into ``body`` where the new entry line goes (never inside a code
    block or comment, never between an item and its follow-on lines)."""
    hidden, _ = code_blocks(body)
    items = []  # (index, date or None)
    for index in range(heading + 1, end):
        match = ITEM.match(body[index].rstrip("\r\n"))
        if match and not hidden[index]:
            items.append((index, _entry_date(match.group(1))))
    if not items:
        last = heading
        for index in range(heading + 1, end):
            if _strip_eol(body[index]).strip(" \t") and not hidden[index]:
                last = index
        return last + 1
    when = _entry_date(ITEM.match(entry_line).group(1))
    dated = [(index, day) for index, day in items if day is not None]
    newest_first = len(dated) >= 2 and dated[0][1] > dated[-1][1]
    if newest_first:
        for index, day in dated:
            if when is None or day <= when:
                return index
        return _after_item(body, dated[-1][0], end, hidden)
    if when is not None:
        for index, day in dated:
            if day > when:
                return index
    return _after_item(body, items[-1][0], end, hidden)


def _after_item(body: list[str], index: int, end: int, hidden: list[bool]) -> int:
    """One past the item at ``index`` and everything that belongs to it: its
    lazy continuation lines, and after blank lines, lines indented deeper than
    its marker (a follow-on paragraph, sub-bullets, an indented code block)."""
    marker_indent = _indent(body[index])
    last = index
    position = index + 1
    while position < end:
        content = _strip_eol(body[position])
        if not content.strip(" \t"):
            position += 1
            continue
        if _indent(content) > marker_indent or (hidden[position] and last == position - 1 and hidden[last]):
            last = position  # deeper, or still inside a code block that belongs to the item
        elif position == last + 1 and not (hidden[position] or ITEM.match(content) or HEADING.match(content)):
            last = position  # a lazy continuation line right after the item
        else:
            break
        position += 1
    return last + 1


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(4))


def _bullet(body: list[str], heading: int, end: int) -> str:
    """The list marker (-, * or +) the section's first item uses; '-' if none."""
    for index in range(heading + 1, end):
        content = body[index].rstrip("\r\n")
        if ITEM.match(content):
            return content.lstrip(" ")[0]
    return "-"


def unified_diff(old: bytes, new: bytes, name: str) -> str:
    """A unified diff of two versions of a file, for ``--dry-run`` ("" if equal).

    Lines are shown without their CR/LF, so a CRLF file diffs cleanly in a
    terminal.
    """
    def lines(raw: bytes) -> list[str]:
        text = raw.decode("utf-8", errors="replace").removeprefix(BOM)
        return [_strip_eol(line) for line in _split_lines(text)]

    diff = difflib.unified_diff(
        lines(old), lines(new), fromfile=f"a/{name}", tofile=f"b/{name}", lineterm=""
    )
    text = "\n".join(diff)
    return text + "\n" if text else ""

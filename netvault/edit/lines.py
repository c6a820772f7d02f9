"""A note's text as netvault edits it: lines split on ``\\n`` only, and YAML
scalars written so that they read back as exactly the same string.

Shared by the frontmatter edits in :mod:`netvault.edit.writer` and the log edits
in :mod:`netvault.edit.logedit`; nothing here touches the disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..read.frontmatter import BOM, FrontmatterError, parse, split
from .errors import EditError

# Characters Python's str.splitlines() or YAML treat as line breaks although
# git and editors do not (a lone CR, form feed, NEL, U+2028...).  Inside the
# frontmatter they would make the loader and the writer disagree about which
# line is which, so the writer refuses to edit such frontmatter.
ODD_BREAK = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# What must be written as an escape inside a double-quoted YAML value: YAML's
# non-printable characters, plus the odd line breaks above.
NEEDS_ESCAPE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
ONLY_COMMENT = re.compile(r"^[ \t]*(?:#.*)?$")
ITEM_PREFIX = re.compile(r"^[ \t]*-[ \t]+$")



# ---------------------------------------------------------------------------
# The file as lines


@dataclass
class Doc:
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


def split_lines(text: str) -> list[str]:
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def strip_eol(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith("\n"):
        return line[:-1]
    return line


def newline_style(text: str) -> str:
    """CRLF or LF, from the first line ending; LF for a file without one."""
    index = text.find("\n")
    return "\r\n" if index > 0 and text[index - 1] == "\r" else "\n"


def is_fence(line: str, closing: bool = False) -> bool:
    stripped = strip_eol(line).rstrip(" \t")
    return stripped == "---" or (closing and stripped == "...")


def open_doc(text: str) -> Doc:
    """Split ``text`` into lines and find its frontmatter, as the loader does."""
    bom = BOM if text.startswith(BOM) else ""
    text = text[len(bom) :]
    try:
        front, _body, _line = split(text)
    except FrontmatterError as exc:
        raise EditError(exc.message, exc.line) from None
    lines = split_lines(text)
    close = None
    if lines and is_fence(lines[0]):
        close = next((i for i in range(1, len(lines)) if is_fence(lines[i], True)), None)
    mine = None if close is None else "".join(lines[1:close])
    if mine != front:
        # The loader (str.splitlines) saw the fences somewhere else than a
        # "\n"-based editor does: some odd line break is involved.
        raise EditError(odd_break_message(), odd_break_line(lines))
    return Doc(bom, lines, newline_style(text), close)


def odd_break_line(lines: list[str], start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if ODD_BREAK.search(strip_eol(lines[index])):
            return index + 1
    return None


def odd_break_message() -> str:
    return (
        "the frontmatter contains a line break netvault does not edit "
        "(a lone CR, form feed, U+0085, U+2028 or U+2029); remove it by hand first"
    )


def check_lines_value(value: str, what: str, line: int | None = None) -> None:
    if "\n" in value or "\r" in value:
        raise EditError(f"{what} cannot contain a line break", line)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EditError(f"{what} is not valid Unicode text", line) from None


# ---------------------------------------------------------------------------
# Writing YAML scalars so that they read back as the same string


def double_quoted(value: str) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif NEEDS_ESCAPE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def reads_back(snippet: str, expected) -> bool:
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


# Values that read back as themselves written plain in any context: letters,
# digits and a few marks YAML gives no meaning inside a scalar, starting with
# a letter or digit and ending with no space; the block value context also
# allows URLs (":" not followed by a space) and commas.  Anything else is
# tried by parsing (see render_scalar); tests/test_notetext_plain.py checks
# that this shortcut never says plain where parsing would not.
_PLAIN_ANYWHERE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ._@/+&'()-]*[A-Za-z0-9._)])?")
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9](?:(?:[A-Za-z0-9 ._@/+&'(),=?%~-]|:(?! ))*[A-Za-z0-9._/)=])?")
_NULL_WORDS = frozenset({"null", "Null", "NULL"})


def obviously_plain(value: str, context: str) -> bool:
    """Whether ``value`` may be written plain in ``context`` without parsing to check."""
    if value in _NULL_WORDS:
        return False
    pattern = _PLAIN_VALUE if context == "value" else _PLAIN_ANYWHERE
    return pattern.fullmatch(value) is not None


def render_scalar(value: str, context: str, style: str | None = None) -> str:
    """``value`` as YAML source: plain when that reads back the same, else quoted.

    ``style`` is the quoting the old value used ("'" or '"'); it is kept when
    it can represent the new value.
    """
    if style is None and obviously_plain(value, context):
        return value
    template, wrap = _CONTEXTS[context]
    double, single = double_quoted(value), single_quoted(value)
    if NEEDS_ESCAPE.search(value):
        candidates = [double]  # only double quotes can escape these
    else:
        candidates = {'"': [double], "'": [single]}.get(style, []) + [value]
        # Single quotes read better than backslash escapes.
        candidates += [single, double] if '"' in value or "\\" in value else [double, single]
    for candidate in candidates:
        if reads_back(template.format(candidate), wrap(value)):
            return candidate
    raise EditError(f"cannot write {value!r} as a YAML value")  # pragma: no cover


def render_key(key: str) -> str:
    for candidate in (key, double_quoted(key)):
        try:
            note = parse(f"---\n{candidate}: x\n---\n")
        except FrontmatterError:
            continue
        if note.data == {key: "x"}:
            return candidate
    raise EditError(f"cannot write {key!r} as a frontmatter key")


def render_value(value: str | list[str], style: str | None = None) -> str:
    if isinstance(value, str):
        return render_scalar(value, "value", style)
    return "[" + ", ".join(render_scalar(item, "flow", style) for item in value) + "]"


def normalise(value) -> str | list[str] | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        return list(value)
    raise TypeError(f"a field value must be a string or a list of strings, not {value!r}")

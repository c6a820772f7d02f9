"""The plain frontmatter nearly every note uses, read by hand.

Almost every note's frontmatter is a column of ``key: value`` lines with
plain or simply quoted values, one-line flow lists and ``  - item`` block
lists.  :func:`read_plain` reads exactly those shapes and returns what
:mod:`netvault.read.frontmatter`'s YAML path would, or None as soon as
anything is outside them, in which case the YAML path runs as before.  It
only has to be right when it answers; tests compare the two paths on
generated hostile frontmatter.
"""

from __future__ import annotations

import re

# What YAML reads as null in a plain scalar.
NULLS = {"", "~", "null", "Null", "NULL"}

# Any character but newline and ordinary printable text declines: tabs,
# control characters, NEL / LS / PS (YAML line breaks), BOM, lone surrogates.
_FAST_BAD_CHAR = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# ``key:`` or ``key: value`` at column 0; the key is ASCII words separated by
# single spaces (so it never ends in a space), at most ~200 characters.
_FAST_KEY_LINE = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+){0,20}):(?: +(.*))?")
_FAST_ITEM = re.compile(r"( *)- +(.*)")
# The commonest line, read in one go: ``key: value`` with a plain value that
# starts with an ordinary character and has no ``#``, and no ``:`` before a
# space or the end.  (Anything else goes through _fast_scalar.)
_FAST_PLAIN_LINE = re.compile(
    r"([A-Za-z0-9_][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+){0,20}): +"
    r"([^ ?:,\[\]{}#&*!|>'\"%@`-][^:#]*(?::[^ :#][^:#]*)*)"
)
# Characters that give a plain scalar's first character a YAML meaning.
_FAST_BAD_START = frozenset("?:,[]{}#&*!|>'\"%@`")
# Characters refused anywhere in a plain item of a flow list (PyYAML's pure
# Python scanner, used for deeply nested text, also ends one at ``?``).
_FAST_BAD_FLOW = re.compile(r"[\[\]{}#:?]")
_FAST_FLOW_END = re.compile(r"[,\]]")
# The two commonest flow lists, read in one go: all items double-quoted
# without backslashes (wikilinks), or all plain and ordinary.
_FAST_FLOW_QUOTED = re.compile(r'\[ *"[^"\\]*"(?: *, *"[^"\\]*")* *\]')
_FAST_QUOTED_ITEM = re.compile(r'"([^"]*)"')
_FAST_FLOW_PLAIN = re.compile(
    r"\[ *([^ ?:,\[\]{}#&*!|>'\"%@`-][^:,\[\]{}#?]*"
    r"(?:, *[^ ?:,\[\]{}#&*!|>'\"%@`-][^:,\[\]{}#?]*)*)\]"
)
_FAST_MAX_KEY = 200
_DECLINE = object()


def _fast_tail_ok(tail: str) -> bool:
    """Whether what follows a quoted scalar or flow list is only spaces and
    perhaps a comment (``#`` after a space)."""
    return not tail or (tail[0] == " " and tail.lstrip(" ")[:1] in ("", "#"))


def _fast_scalar(text: str, flow_ok: bool):
    """The value of ``text`` (leading spaces already gone) in block context,
    or _DECLINE.  ``flow_ok``: a one-line flow list of scalars is accepted."""
    text = text.rstrip(" ")
    if not text:
        return None
    first = text[0]
    if first == '"' or first == "'":
        end = text.find(first, 1)
        if end < 0:
            return _DECLINE
        value = text[1:end]
        if first == '"' and "\\" in value:
            return _DECLINE
        if not _fast_tail_ok(text[end + 1 :]):  # also refuses '' (a quote)
            return _DECLINE
        return value
    if first == "[":
        return _fast_flow(text) if flow_ok else _DECLINE
    if first in _FAST_BAD_START or (first == "-" and (len(text) == 1 or text[1] == " ")):
        return _DECLINE
    cut = text.find(" #")
    if cut >= 0:  # a comment ends the scalar
        text = text[:cut].rstrip(" ")
    if ": " in text or text[-1] == ":":
        return _DECLINE
    return None if text in NULLS else text


def _fast_flow(text: str):
    """The items of a one-line flow list ``text`` (starting with ``[``, then
    only spaces or a comment after its ``]``), or _DECLINE."""
    if _FAST_FLOW_QUOTED.fullmatch(text) is not None:
        return _FAST_QUOTED_ITEM.findall(text)
    match = _FAST_FLOW_PLAIN.fullmatch(text)
    if match is not None:
        items = [item.strip(" ") for item in match.group(1).split(",")]
        return [None if item in NULLS else item for item in items]
    items: list = []
    n = len(text)
    i = 1
    while i < n and text[i] == " ":
        i += 1
    if i < n and text[i] == "]":
        i += 1
    else:
        while True:
            while i < n and text[i] == " ":
                i += 1
            if i >= n:
                return _DECLINE
            quote = text[i]
            if quote == '"' or quote == "'":
                end = text.find(quote, i + 1)
                if end < 0:
                    return _DECLINE
                item = text[i + 1 : end]
                if quote == '"' and "\\" in item:
                    return _DECLINE
                i = end + 1
                if quote == "'" and i < n and text[i] == "'":
                    return _DECLINE  # '' is an escaped quote
                items.append(item)
            else:
                end = _FAST_FLOW_END.search(text, i)
                if end is None:
                    return _DECLINE
                item = text[i : end.start()].rstrip(" ")
                if (
                    not item
                    or quote in _FAST_BAD_START
                    or quote == "-"
                    or _FAST_BAD_FLOW.search(item) is not None
                ):
                    return _DECLINE
                items.append(None if item in NULLS else item)
                i = end.start()
            while i < n and text[i] == " ":
                i += 1
            if i >= n:
                return _DECLINE
            if text[i] == "]":
                i += 1
                break
            if text[i] != ",":
                return _DECLINE
            i += 1
    if not _fast_tail_ok(text[i:]):
        return _DECLINE
    return items


def read_plain(yaml_text: str):
    """``(data, key_lines, duplicates)`` for plain frontmatter, else None.

    ``yaml_text`` has LF line endings; its first line is the file's line 2.
    Read here, at column 0: ``key: value`` with an ASCII key (words of
    letters, digits, ``_ . -``) and a value that is plain (no YAML indicator
    first, no ``: `` inside, nothing after a `` #`` comment), a one-line
    single- or double-quoted string without escapes, a one-line flow list of
    such items, an empty value (None) or one followed by ``- item`` lines at
    one indent, or a ``|`` / ``|-`` literal at one indent; blank lines and
    ``#`` comments.  Everything else, however valid, returns None.
    """
    if _FAST_BAD_CHAR.search(yaml_text) is not None:
        return None
    data: dict = {}
    key_lines: dict = {}
    duplicates: list = []
    items = None  # the block list being read, if any
    list_indent = -1
    pending = None  # key whose value is empty so far: None, or a block list
    literal = None  # lines of the literal block scalar being read, if any
    literal_key = ""
    literal_indent = 0
    literal_end = ""  # "\n" for "|" (clip), "" for "|-" (strip)
    lines = yaml_text.split("\n")
    last = len(lines) - 1
    for index, line in enumerate(lines):
        if literal is not None:
            if not literal_indent:
                literal_indent = len(line) - len(line.lstrip(" "))
                if not literal_indent or literal_indent == len(line):
                    return None  # empty literal, or leading blank lines
            if line[literal_indent : literal_indent + 1] not in ("", " ") and (
                line[:literal_indent].count(" ") == literal_indent
            ):
                literal.append(line[literal_indent:])
                continue
            # Only a line at column 0 or the end may end it, perhaps after
            # empty lines (dropped by both chompings); a line of spaces could
            # still belong to it.
            if line[:1] == " ":
                return None
            if line == "":
                ahead = index
                while ahead < last and lines[ahead] == "":
                    ahead += 1
                if lines[ahead][:1] == " ":
                    return None
            data[literal_key] = "\n".join(literal) + literal_end
            literal = None
        if items is not None or pending is not None:
            match = _FAST_ITEM.fullmatch(line)
            if match is not None and (items is None or len(match.group(1)) == list_indent):
                item = _fast_scalar(match.group(2), False)
                if item is _DECLINE or not match.group(2).strip(" "):
                    return None
                if items is None:
                    items = []
                    list_indent = len(match.group(1))
                    data[pending] = items
                items.append(item)
                continue
            items = None
            pending = None
        match = _FAST_PLAIN_LINE.fullmatch(line)
        if match is not None:
            key, value = match.groups()
            if len(key) > _FAST_MAX_KEY:
                return None
            if key in NULLS:
                key = ""
            value = value.rstrip(" ")
            if value in NULLS:
                value = None
            line_no = index + 2
            if key in data:
                duplicates.append((key, line_no))
            data[key] = value
            key_lines[key] = line_no
            continue
        first = line[:1]
        if first == "" or first == "#":
            continue  # blank line or comment
        if first == " ":
            if not line.strip(" "):
                continue  # blank line
            return None  # continuation of a scalar, nested block, ...
        match = _FAST_KEY_LINE.fullmatch(line)
        if match is None:
            return None
        key = match.group(1)
        if len(key) > _FAST_MAX_KEY:
            return None
        if key in NULLS:
            key = ""
        rest = match.group(2)
        if rest is not None and rest[:1] == "#":
            rest = None  # "key: # comment": an empty value
        if rest is not None and rest[:1] == "|":
            header = rest.rstrip(" ")
            if header != "|" and header != "|-":
                return None
            literal = []
            literal_key = key
            literal_indent = 0
            literal_end = "\n" if header == "|" else ""
            value = None  # until the literal is read
        else:
            value = None if rest is None else _fast_scalar(rest, True)
            if value is _DECLINE:
                return None
        line_no = index + 2
        if key in data:
            duplicates.append((key, line_no))
        data[key] = value
        key_lines[key] = line_no
        if value is None and not (rest or "").strip(" "):
            pending = key
    if literal is not None:
        return None  # no final line break
    return data, key_lines, duplicates

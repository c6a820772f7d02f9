"""vCard text below the level of fields: lines, unfolding, parameters,
decoding and escaping (vCard 2.1, RFC 2426 for 3.0, RFC 6350 for 4.0).

The reader works on the file's bytes held one byte per character (decoded
as latin-1), so that folding, quoted-printable soft line breaks and the
``;`` of structured values are found before any charset is guessed; each
value is then decoded on its own (see :func:`decode_value`).
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

_NAME = re.compile(r"^(?:[A-Za-z0-9_-]+\.)?([A-Za-z0-9_-]+)$")
# Bare 2.1 parameters (``TEL;CELL;VOICE``) that are not a TYPE.
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"}
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}


@dataclass
class Prop:
    """One unfolded property line: ``name`` upper-cased without its group;
    ``params`` upper-cased keys to lists of values; ``raw`` the value as
    bytes-in-a-str (latin-1), not yet decoded or unescaped."""

    name: str
    params: dict[str, list[str]] = field(default_factory=dict)
    raw: str = ""
    line: int = 0

    def param(self, key: str) -> list[str]:
        return self.params.get(key, [])

    def has_type(self, value: str) -> bool:
        return any(t.strip().lower() == value for t in self.param("TYPE"))

    @property
    def quoted_printable(self) -> bool:
        return any(e.upper() == "QUOTED-PRINTABLE" for e in self.param("ENCODING"))

    @property
    def charset(self) -> str | None:
        values = self.param("CHARSET")
        return values[0] if values else None


def physical_lines(data: bytes) -> list[str]:
    """The file's lines (CRLF, LF or CR), one character per byte; a UTF-16
    file (Windows writes some with a BOM) is turned into UTF-8 first."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    return data.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def stream_physical_lines(handle, max_bytes: int, too_long: list[int]) -> Iterator[str]:
    """:func:`physical_lines` of an open binary file, read 64 KB at a time:
    a file of any size is never held whole.  A line longer than ``max_bytes``
    is passed over (as an empty line) and its number added to ``too_long``."""
    head = b""
    while len(head) < 4:
        more = handle.read(4 - len(head))
        if not more:
            break
        head += more
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")

        def convert(chunk: bytes, final: bool = False) -> bytes:
            return decoder.decode(chunk, final).encode("utf-8")

    else:
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8):]

        def convert(chunk: bytes, final: bool = False) -> bytes:
            return chunk

    buffer = convert(head)
    number = 0
    skipping = False  # inside a line too long to keep
    while True:
        chunk = handle.read(1 << 16)
        eof = not chunk
        data = buffer + convert(chunk, eof)
        held = b""
        if not eof and data.endswith(b"\r"):
            data, held = data[:-1], b"\r"  # a CRLF may be split between two reads
        parts = _BREAK_BYTES.split(data)
        buffer = b"" if eof else parts.pop() + held
        for part in parts:
            number += 1
            if skipping:
                skipping = False
                too_long.append(number)
                yield ""
            else:
                yield part.decode("latin-1")
        if eof:
            return
        if len(buffer) > max_bytes:
            skipping, buffer = True, b""


_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Unfold: a line starting with a space or tab continues the one before
    (that one whitespace character removed); in a quoted-printable value a
    line ending in ``=`` is a soft line break and the next line is joined
    whole, even when it begins with a space.  Returns (line number, text)."""
    return list(iter_logical_lines(lines))


def iter_logical_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """:func:`logical_lines`, one at a time, from lines read as needed."""
    source = iter(lines)
    parts: list[str] = []
    start = 0
    number = 0
    held: str | None = None  # a line read ahead and not used yet

    def following() -> str | None:
        nonlocal held, number
        if held is not None:
            line, held = held, None
            return line
        line = next(source, None)
        if line is not None:
            number += 1
        return line

    while True:
        line = following()
        if line is None:
            break
        if parts and line[:1] in (" ", "\t"):
            parts.append(line[1:])
            continue
        if parts:
            yield start, "".join(parts)
        parts = [line]
        start = number
        head = line[: line.find(":")] if ":" in line else ""
        if "QUOTED-PRINTABLE" in head.upper():
            while parts[-1].endswith("="):
                nxt = following()
                if nxt is None:
                    break
                if nxt.upper().startswith(("END:VCARD", "BEGIN:VCARD")):
                    held = nxt
                    break
                parts[-1] = parts[-1][:-1]
                parts.append(nxt)
    if parts:
        yield start, "".join(parts)


def _split_quoted(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside double quotes."""
    if '"' not in text:
        return text.split(sep)
    out, cur, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def parse_property(text: str, line: int) -> Prop | None:
    """``group.NAME;P=a,b;BARE:value`` -> :class:`Prop`; None when the line
    is no property at all."""
    colon = text.find(":")
    if colon < 0:
        return None
    head = text[:colon]
    if head.count('"') % 2:  # a quoted parameter value holds the colon
        quoted = False
        for k, ch in enumerate(text):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                colon = k
                break
        else:
            return None
        head = text[:colon]
    pieces = _split_quoted(head, ";")
    match = _NAME.match(pieces[0].strip())
    if not match:
        return None
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        piece = piece.strip()
        if not piece:
            continue  # NOTE;CHARSET=windows-1251;:...
        if "=" in piece:
            key, _, value = piece.partition("=")
            key = key.strip().upper()
            values = [v.strip().strip('"') for v in _split_quoted(value, ",")]
        elif piece.upper() in _BARE_ENCODINGS:
            key, values = "ENCODING", [piece]
        else:
            key, values = "TYPE", [piece]
        params.setdefault(key, []).extend(v for v in values if v)
    return Prop(match.group(1).upper(), params, text[colon + 1:], line)


def split_unescaped(raw: str, sep: str) -> list[str]:
    """Split on ``sep`` not preceded by a backslash escape; escapes stay."""
    if "\\" not in raw:
        return raw.split(sep)
    out, cur, k, n = [], [], 0, len(raw)
    while k < n:
        ch = raw[k]
        if ch == "\\" and k + 1 < n:
            cur.append(raw[k: k + 2])
            k += 2
            continue
        if ch == sep:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        k += 1
    out.append("".join(cur))
    return out


def unescape(text: str) -> str:
    r"""``\n`` ``\N`` ``\,`` ``\;`` ``\:`` ``\\``; any other backslash stays."""
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _qp_decode(raw: str) -> bytes:
    data = raw.encode("latin-1")
    try:
        return binascii.a2b_qp(data)
    except (binascii.Error, ValueError):
        return data


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def decode_value(raw: str, prop: Prop) -> str:
    """Bytes of one value (or one component of it) to text, not unescaped:
    quoted-printable undone; then UTF-8 when the bytes are valid UTF-8
    (whatever CHARSET claims: mislabelled charsets are common), else the
    declared CHARSET, else cp1252."""
    data = _qp_decode(raw) if prop.quoted_printable else raw.encode("latin-1")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        codec = _codec(prop.charset) or "cp1252"
        text = data.decode(codec, errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_value(prop: Prop) -> str:
    return unescape(decode_value(prop.raw, prop)).strip()


def components(prop: Prop, sep: str = ";") -> list[str]:
    """A structured (``;``) or list (``,``) value, each part decoded,
    unescaped and stripped."""
    return [unescape(decode_value(part, prop)).strip() for part in split_unescaped(prop.raw, sep)]


# -- writing ---------------------------------------------------------------


# Every line break Unicode knows (str.splitlines' set): each would end the
# property (or fake a new one) in a program that splits on it.
_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters have no place in a card's text.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def escape(text: str) -> str:
    """A TEXT value as vCard writes it: backslash, comma and semicolon
    escaped, every line break as ``\\n``, other control characters dropped.
    The one function every property value of an exported card goes through."""
    text = _CONTROLS.sub("", text.replace("\\", "\\\\"))
    return _BREAKS.sub("\\\\n", text).replace(",", "\\,").replace(";", "\\;")


def fold(line: str, limit: int = 75) -> str:
    """Fold to lines of at most ``limit`` octets (UTF-8), never inside a
    character; continuation lines begin with one space.  CRLF ended."""
    if len(line.encode("utf-8")) <= limit:
        return line + "\r\n"
    out: list[str] = []
    cur: list[str] = []
    size, room = 0, limit
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > room:
            out.append("".join(cur))
            cur, size, room = [], 0, limit - 1
        cur.append(ch)
        size += width
    out.append("".join(cur))
    return "\r\n ".join(out) + "\r\n"

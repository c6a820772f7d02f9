"""Split a note into YAML frontmatter and body, and read the YAML as written.

Every scalar is read as the string the user typed (YAML 1.1's guessing of
ints, bools and dates is not applied): ``phone: +447700900123`` stays
``"+447700900123"`` and ``zip: 01234`` stays ``"01234"``.  Typing happens per
field in :mod:`netvault.read.contact`, where a wrong value becomes a problem with
its line.

The plain shapes nearly every note uses are read by a small hand-written
reader (:func:`netvault.read.plainyaml.read_plain`) that gives exactly what YAML would and hands
anything else to PyYAML.

YAML anchors and aliases (``&a`` / ``*a``) work, but their expansion is
capped: a few hundred bytes of nested aliases ("billion laughs") would
otherwise expand into billions of values.  Conversion counts the values it
produces and stops at :data:`MAX_VALUES` (plus a share for the document's own
size, so long alias-free frontmatter always fits), reporting the top-level
key being read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .plainyaml import NULLS, read_plain

try:  # libyaml is much faster; the pure-Python loader reads the same way
    _Loader = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.BaseLoader

BOM = "\ufeff"
_MAX_DEPTH = 50
# libyaml's composer recurses in C once per nesting level and crashes the
# process (SIGSEGV) somewhere past tens of thousands of levels, where Python
# cannot catch it.  YAML that might nest deeper than this goes to the
# pure-Python composer below instead, which stops at the depth the converter
# allows anyway.
_SAFE_C_DEPTH = 200
_BLOCK_INDICATORS = " \t-?:"
# Values a note's frontmatter may expand to beyond what its own text can hold.
MAX_VALUES = 10_000
# Whether parse() tries the plain-shapes reader (read_plain) before YAML.
FAST_PATH = True


class FrontmatterError(Exception):
    """The frontmatter cannot be read; ``line`` is 1-based in the whole file."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Note:
    """A decoded note: its frontmatter as plain values, and its body."""

    data: dict
    key_lines: dict  # top-level key -> 1-based line in the file
    body: str
    body_line: int  # 1-based line in the file where the body starts
    has_frontmatter: bool
    duplicate_keys: tuple = field(default=())  # (key, line) pairs


def decode(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM); raise FrontmatterError naming the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FrontmatterError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            line,
        ) from None
    if text.startswith(BOM):
        text = text[1:]
    if text.startswith(BOM):
        raise FrontmatterError(
            "the file starts with two byte-order marks (BOM), which hides its frontmatter; "
            "save it as UTF-8 with at most one",
            1,
        )
    return text


def _is_fence(line: str, closing: bool = False) -> bool:
    stripped = line.rstrip("\r\n").rstrip(" \t")
    return stripped == "---" or (closing and stripped == "...")


def split(text: str) -> tuple[str | None, str, int]:
    """Return ``(frontmatter_text, body, body_line)``.

    ``frontmatter_text`` is None when the note has no frontmatter.  Line
    endings are left as they are; the frontmatter's first line is line 2.
    """
    lines = text.splitlines(keepends=True)
    if not lines or not _is_fence(lines[0]):
        return None, text, 1
    for index in range(1, len(lines)):
        if _is_fence(lines[index], closing=True):
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return front, body, index + 2
    raise FrontmatterError("frontmatter starts with '---' but is never closed", 1)


def nesting_bound(yaml_text: str) -> int:
    """An upper bound on how deeply the nodes of ``yaml_text`` can nest.

    Cheap, and never too low (too high only costs the slower composer):

    * flow collections: every ``[`` and ``{`` counts, even inside quotes or
      comments.  Subtracting closing brackets would need a full YAML scanner
      to be safe: one that only looks like a closer (in a quoted string, a
      comment, a plain scalar) would make the bound too low.
    * block collections: one nested inside another starts in a later column
      (or, for a sequence under a mapping key, the same column once), and a
      collection starts either at a line's indentation or after a run of
      ``- `` / ``? `` / ``: `` indicators; so the widest such run of a line,
      doubled, bounds the block depth.
    """
    flow = yaml_text.count("[") + yaml_text.count("{")
    widest = 0
    for line in yaml_text.split("\n"):
        width = len(line) - len(line.lstrip(_BLOCK_INDICATORS))
        if width > widest:
            widest = width
    return flow + 2 * (widest + 1)


class _DeepLoader(yaml.BaseLoader):
    """The pure-Python composer, refusing nodes nested deeper than the
    converter would accept (so it never recurses far, and names the line)."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            # The document's mapping is level 1 and its values level 2, where
            # the converter counts 0: this refuses the very node it would.
            if self._depth > _MAX_DEPTH + 2:
                raise _TooDeep(self.peek_event().start_mark.line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _TooBig(Exception):
    """Raised inside conversion; :func:`parse` turns it into a FrontmatterError."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line  # 0-based in the YAML, for "depth": the node too deep


class _Converter:
    """Turns composed YAML nodes into plain values, within a budget of values.

    An alias is the very node its anchor names, so the node graph stays small
    while the values it stands for can grow exponentially; counting what we
    produce is what bounds time and memory.
    """

    __slots__ = ("left",)

    def __init__(self, budget: int) -> None:
        self.left = budget

    def convert(self, node: yaml.Node, depth: int = 0):
        self.left -= 1
        if self.left < 0:
            raise _TooBig("aliases")
        if depth > _MAX_DEPTH:
            raise _TooBig("depth", node.start_mark.line)
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.value in NULLS:  # plain style: C loader says ""
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node, depth + 1)
                result[_key_text(key)] = self.convert(value_node, depth + 1)
            return result
        raise FrontmatterError(f"unsupported YAML node {node.tag}", None)  # pragma: no cover


def _key_text(key) -> str:
    if key is None:
        return ""
    if isinstance(key, str):
        return key
    return str(key)


def parse(text: str, *, fast_path: bool | None = None) -> Note:
    """Parse a decoded note.  Raises FrontmatterError with a file line number.

    Plain frontmatter is read by :func:`~netvault.read.plainyaml.read_plain`; anything else, or every
    note when ``fast_path`` is False (default: :data:`FAST_PATH`), by YAML.
    """
    front, body, body_line = split(text)
    if front is None:
        return Note({}, {}, body, 1, False)
    offset = 2  # the YAML's first line is the file's second
    yaml_text = front.replace("\r\n", "\n").replace("\r", "\n")
    if FAST_PATH if fast_path is None else fast_path:
        fast = read_plain(yaml_text)
        if fast is not None:
            return Note(fast[0], fast[1], body, body_line, True, tuple(fast[2]))
    loader = _Loader if nesting_bound(yaml_text) <= _SAFE_C_DEPTH else _DeepLoader
    try:
        node = yaml.compose(yaml_text, Loader=loader)
    except _TooDeep as exc:
        raise FrontmatterError("frontmatter is nested too deeply", offset + exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + mark.line if mark is not None else offset
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            context = exc.context
            if exc.context_mark is not None and exc.context_mark.line != getattr(mark, "line", None):
                context += f" that starts on line {offset + exc.context_mark.line}"
            reason = f"{exc.problem} ({context})"
        raise FrontmatterError(f"frontmatter is not valid YAML: {reason}", line) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML refuses (NUL, other control characters): name its line.
        line = offset + yaml_text.count("\n", 0, max(exc.position, 0))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        raise FrontmatterError(
            f"frontmatter is not valid YAML: unacceptable character #x{code:04x}: {exc.reason}",
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise FrontmatterError(f"frontmatter is not valid YAML: {exc}", offset) from None
    except RecursionError:
        raise FrontmatterError("frontmatter is nested too deeply", offset) from None
    if node is None:
        return Note({}, {}, body, body_line, True)
    if not isinstance(node, yaml.MappingNode):
        raise FrontmatterError(
            "frontmatter must be a set of 'key: value' lines", offset + node.start_mark.line
        )
    data: dict = {}
    key_lines: dict = {}
    duplicates = []
    # Alias-free YAML spends at least a character on every value or two, so
    # the budget never refuses what the text itself spells out.
    converter = _Converter(MAX_VALUES + 2 * len(yaml_text))
    for key_node, value_node in node.value:
        line = offset + key_node.start_mark.line
        try:
            key = _key_text(converter.convert(key_node))
            value = converter.convert(value_node)
        except _TooBig as exc:
            if exc.reason == "depth":
                raise FrontmatterError("frontmatter is nested too deeply", offset + exc.line) from None
            raise FrontmatterError(
                "frontmatter expands YAML aliases too far (billion laughs?): this key "
                f"would make more than {MAX_VALUES:,} values; write the values out or use "
                "fewer *aliases",
                line,
            ) from None
        if key in data:
            duplicates.append((key, line))
        data[key] = value
        key_lines[key] = line
    return Note(data, key_lines, body, body_line, True, tuple(duplicates))

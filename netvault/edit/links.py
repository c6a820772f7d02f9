"""Pointing every link to one note at another, as a minimal edit of each line.

Used by ``merge`` (links to the merged-away file now go to the one kept)
and ``rename`` (links to the old name go to the new).  What is rewritten:

* wikilinks ``[[Old]]``, ``[[Old|label]]``, ``[[Old#Heading]]``,
  ``![[Old]]`` and ``[[people/Old]]``, whose target names the old file by
  its file name, its path or its ``name`` (links by an alias are left: the
  kept file inherits the alias, so they still lead to the person);
  the label and heading are kept, a path stays a path;
* Markdown links to the file, ``[label](people/Old%20Name.md)``, relative
  to the note or to the vault, written back in the same style;
* bare names in a contact's ``introduced_by`` and ``knows``.

Fenced code blocks are text, not links, and are left as they are.  The
frontmatter is edited as text first; if YAML would then read it otherwise
than intended (a name with a quote inside a quoted value, say), the
changed keys are written with :func:`netvault.edit.writer.set_field`
instead, which quotes what needs quoting.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from ..read.frontmatter import FrontmatterError, parse
from ..values.names import fold
from .errors import EditError
from .lines import open_doc
from .writer import set_field

_WIKILINK = re.compile(r"\[\[([^\[\]|#^\r\n]*)((?:[#^][^\[\]|\r\n]*)?)((?:\|[^\[\]\r\n]*)?)\]\]")
# CommonMark fences: an opening run of 3+ backticks or tildes (an info string
# after it), closed only by a run of the same character at least as long.
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
# A reference definition: `[label]: destination`.
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\r\n]+\]:[ \t]*)(<[^>\r\n]*>|\S+)")


@dataclass(frozen=True)
class Move:
    """Links to ``old_path`` (its ``old_name``) now lead to ``new_path``."""

    old_path: str  # vault-relative, "/" separated, with ".md"
    old_name: str
    new_path: str

    @property
    def old_keys(self) -> frozenset[str]:
        stem = posixpath.basename(self.old_path)[:-3]
        return frozenset({fold(stem), fold(self.old_name)})

    def new_target(self, old_target: str) -> str:
        """What replaces ``old_target``: the new file name, or its path when a
        path was written."""
        new = self.new_path[:-3]
        return new if "/" in old_target else posixpath.basename(new)

    def names_old(self, target: str, resolve) -> bool:
        """Does the link target ``target`` lead to the old file?  ``resolve``
        maps a target to the paths it leads to in the vault."""
        target = target.strip()
        if target.lower().endswith(".md"):
            target = target[:-3]
        if not target:
            return False
        last = fold(target.rsplit("/", 1)[-1])
        if "/" in target and fold(target) == fold(self.old_path[:-3]):
            return True
        return last in self.old_keys and resolve(target) == [self.old_path]


def rewrite_links(text: str, rel: str, move: Move, resolve, link_keys=()) -> str:
    """``text`` (the note at ``rel``) with its links to the old file pointed
    at the new one; ``link_keys`` are frontmatter keys that may hold bare
    names (a contact's ``introduced_by`` and ``knows`` as the file spells
    them).  Raises EditError when the frontmatter cannot be rewritten safely."""
    if not _may_link(text, move):
        return text
    doc = open_doc(text)
    start = doc.body_start
    lines = doc.lines
    fence = None
    for index in range(start, len(lines)):
        raw = lines[index].rstrip("\r\n")
        if fence is None:
            opening = _FENCE_OPEN.match(raw)
            if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
                fence = opening.group(1)
                continue
        else:
            closing = _FENCE_CLOSE.match(raw)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                fence = None
            continue
        if "[[" in raw or "](" in raw or "]:" in raw:
            lines[index] = _rewrite_line(lines[index], rel, move, resolve)
    if doc.close is None:
        return doc.text()
    front_old = "".join(lines[1 : doc.close])
    for index in range(1, doc.close):
        if "[[" in lines[index]:
            lines[index] = _rewrite_line(lines[index], rel, move, resolve, yaml=True)
    result = doc.text()
    if "".join(lines[1 : doc.close]) == front_old and not link_keys:
        return result
    return _checked_front(text, result, move, resolve, link_keys)


def _may_link(text: str, move: Move) -> bool:
    """A quick look: could the text name the old file at all?"""
    folded = fold(text) if not text.isascii() else text.casefold()
    stem = posixpath.basename(move.old_path)[:-3]
    needles = [n for n in {fold(stem), fold(move.old_name)} if n]
    if any(needle in folded for needle in needles):
        return True
    if "%" not in text:
        return False
    decoded = fold(unquote(text))
    return any(needle in decoded for needle in needles)


def _rewrite_line(line: str, rel: str, move: Move, resolve, yaml: bool = False) -> str:
    """One line with its links to the old file pointed at the new one.  In
    frontmatter (``yaml``) the new name is escaped for the quotes it lands in."""

    def wikilink(match: re.Match) -> str:
        target = match.group(1)
        escaped = target.endswith("\\")  # [[Old\|label]]: a pipe escaped in a table
        core = target[:-1] if escaped else target
        if not move.names_old(core, resolve):
            return match.group(0)
        new = move.new_target(core.strip())
        if yaml:
            new = _escaped_for(_quote_state(line, match.start()), new)
        pipe_escape = "\\" if escaped else ""
        return f"[[{new}{pipe_escape}{match.group(2)}{match.group(3)}]]"

    if "[[" in line:
        if yaml or "`" not in line:
            line = _WIKILINK.sub(wikilink, line)
        else:  # `[[Old]]` in inline code is text, not a link
            line = "".join(
                part if code else _WIKILINK.sub(wikilink, part) for part, code in _code_spans(line)
            )
    if yaml:
        return line
    spans = []
    reference = _REFERENCE.match(line)
    if reference:
        spans.append((reference.start(2), reference.end(2)))
    spans.extend(_destinations(line))
    for start, end in sorted(spans, reverse=True):
        new = _new_destination(line[start:end], rel, move)
        if new is not None:
            line = line[:start] + new + line[end:]
    return line


def _code_spans(line: str) -> list[tuple[str, bool]]:
    """``line`` cut into ``(text, is inline code)`` parts: a run of backticks
    opens a code span that the next run of the same length closes."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in re.finditer(r"`+", line):
        if match.start() < position:
            continue
        closing = re.compile(rf"(?<!`){re.escape(match.group())}(?!`)").search(line, match.end())
        if closing is None:
            continue
        parts.append((line[position : match.start()], False))
        parts.append((line[match.start() : closing.end()], True))
        position = closing.end()
    parts.append((line[position:], False))
    return parts


def _destinations(line: str) -> list[tuple[int, int]]:
    """Where the destination of each inline Markdown link ``[text](dest "title")``
    sits in ``line``: ``<...>``, or a run without spaces whose parentheses balance."""
    found = []
    position = line.find("](")
    while position != -1:
        start = index = position + 2
        if index < len(line) and line[index] == "<":
            close = line.find(">", index)
            if close != -1:
                found.append((start, close + 1))
            position = line.find("](", index)
            continue
        depth = 0
        while index < len(line) and not line[index].isspace():
            char = line[index]
            if char == "\\":
                index += 2
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        if index > start:
            found.append((start, index))
        position = line.find("](", index)
    return found


def _new_destination(destination: str, rel: str, move: Move) -> str | None:
    """The destination pointed at the new file, written the same way (angle
    brackets, percent-encoding, relative or from the vault); None when it does
    not lead to the old file."""
    angle = destination.startswith("<") and destination.endswith(">")
    raw = destination[1:-1] if angle else destination
    path, hash_, fragment = raw.partition("#")
    if not path.lower().endswith(".md"):
        return None
    decoded = unquote(path)
    folder = posixpath.dirname(rel)
    rooted = decoded.startswith("/")
    candidates = [decoded.lstrip("/")] if rooted else [
        posixpath.normpath(posixpath.join(folder, decoded)),
        posixpath.normpath(decoded),
    ]
    if not any(fold(c) == fold(move.old_path) for c in candidates):
        return None
    if not rooted and fold(candidates[0]) == fold(move.old_path):
        new = posixpath.relpath(move.new_path, folder or ".")
    else:
        new = ("/" if rooted else "") + move.new_path
    if angle:
        return f"<{new.replace('>', '%3E')}{hash_}{fragment}>"
    if path != decoded or any(char in new for char in " %<>()\\"):
        new = quote(new, safe="/'-_.~!$&*+,;=:@")
    return f"{new}{hash_}{fragment}"


def _quote_state(line: str, position: int) -> str | None:
    """Inside which YAML quotes ``position`` of a frontmatter line lies:
    ``"'"``, ``'"'`` or None."""
    state = None
    index = 0
    while index < position:
        char = line[index]
        if state is None:
            if char in "'\"":
                state = char
        elif state == "'":
            if char == "'":
                if index + 1 < position and line[index + 1] == "'":
                    index += 1  # '' is a quote inside single quotes
                else:
                    state = None
        elif char == "\\":
            index += 1
        elif char == '"':
            state = None
        index += 1
    return state


def _escaped_for(state: str | None, text: str) -> str:
    if state == "'":
        return text.replace("'", "''")
    if state == '"':
        return text.replace("\\", "\\\\").replace('"', '\\"')
    return text


def _expected(value, move: Move, resolve, bare: bool):
    """A frontmatter value as it should read after the rewrite."""
    if isinstance(value, str):
        if "[[" in value:
            return _WIKILINK.sub(
                lambda m: (
                    f"[[{move.new_target(m.group(1).strip())}{m.group(2)}{m.group(3)}]]"
                    if move.names_old(m.group(1), resolve)
                    else m.group(0)
                ),
                value,
            )
        if bare and move.names_old(value, resolve):
            return move.new_target(value.strip())
        return value
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str) and "[" not in item[0]:
                # `people: [[Ada]]` unquoted is a list inside a list in YAML
                out.append([move.new_target(item[0].strip())] if move.names_old(item[0], resolve) else item)
            else:
                out.append(_expected(item, move, resolve, bare))
        return out
    if isinstance(value, dict):
        return {k: _expected(v, move, resolve, False) for k, v in value.items()}
    return value


def _checked_front(before: str, after: str, move: Move, resolve, link_keys) -> str:
    """``after`` when its frontmatter reads as intended; otherwise each
    changed key written through the writer, or EditError."""
    try:
        old = parse(before.lstrip("\ufeff"))
    except FrontmatterError as exc:
        raise EditError(exc.message, exc.line) from None
    bare = {k.casefold() for k in link_keys}
    want = {k: _expected(v, move, resolve, k.casefold() in bare) for k, v in old.data.items()}
    try:
        now = parse(after.lstrip("\ufeff")).data
    except FrontmatterError:
        now = None
    if now == want:
        return after
    # Keep the body's rewrite; write the frontmatter's changes key by key.
    text = _with_front_of(after, before)
    for key, value in want.items():
        if value == old.data.get(key):
            continue
        if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            text = set_field(text, key, value)
            continue
        raise EditError(
            f"the link in '{key}' cannot be rewritten safely; change it by hand to [[{move.new_target('x')}]]",
            old.key_lines.get(key),
        )
    return text


def _with_front_of(body_from: str, front_from: str) -> str:
    """The frontmatter of ``front_from`` with the body of ``body_from``."""
    a, b = open_doc(body_from), open_doc(front_from)
    return b.bom + "".join(b.lines[: b.body_start] + a.lines[a.body_start :])

"""The links a note makes as a record of contact, with their lines.

Frontmatter values and the body's wikilinks and Markdown links to notes;
not links in code (fenced or inline), comments (``<!-- -->``, ``%% %%``),
block quotes, embeds (``![[...]]``) or open tasks (``- [ ] email [[Omar]]``
is a plan).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from ..values.wikilinks import Link, parse_link
from .frontmatter import Note
from .logsection import code_blocks

# A list item that is a task: `- [ ] ...`, `* [x] ...`, `1. [-] ...`.
_TASK = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[(.)\](?:[ \t]|$)")
_DONE = ("x", "X")


def links_in(note: Note, skip_keys: Iterable[str] = ()) -> list[Link]:
    """Every link the note makes as a record, in file order, with its line.

    Frontmatter: wikilinks in any value (nested lists and mappings too) on
    the top-level key's line; keys in ``skip_keys`` are not read.  Body:
    wikilinks and Markdown links to ``.md`` files on their own line, leaving
    out code, comments, block quotes, embeds and tasks not checked off.
    """
    links: list[Link] = []
    skip = {k.casefold() for k in skip_keys}
    for key, value in note.data.items():
        if key.casefold() in skip:
            continue
        _value_links(value, note.key_lines.get(key), links, 0)
    _body_links(note.body, note.body_line, links)
    return links


def _value_links(value, line: int | None, out: list[Link], depth: int) -> None:
    if isinstance(value, str):
        if "[[" in value:
            _wikilinks(value, line, out)
    elif isinstance(value, list):
        for item in value:
            # `people: [[Ada]]` unquoted is a list inside a list in YAML
            if (
                isinstance(item, list)
                and len(item) == 1
                and isinstance(item[0], str)
                and "[" not in item[0]
                and "]" not in item[0]
            ):
                _add_link(item[0], line, out)
            else:
                _value_links(item, line, out, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _value_links(item, line, out, depth + 1)


def _add_link(inner: str, line: int | None, out: list[Link]) -> None:
    # `[[Ada Engineer\|Ada]]` is how a link is written inside a table row.
    link = parse_link(f"[[{inner.replace(chr(92) + '|', '|')}]]", line)
    if link is None or link.target.startswith("[["):
        return  # `[[#Heading]]` (this note), or not a link after all
    out.append(link)


def _wikilinks(text: str, line: int | None, out: list[Link]) -> None:
    position = 0
    while True:
        start = text.find("[[", position)
        if start < 0:
            return
        end = text.find("]]", start + 2)
        if end < 0:
            return
        nearer = text.rfind("[[", start + 2, end)
        if nearer >= 0:
            start = nearer  # `[[not a link [[Ada]]`
        position = end + 2
        if start > 0 and text[start - 1] == "!":
            continue  # an embed shows the note; it is not contact with anyone
        _add_link(text[start + 2 : end], line, out)


def _markdown_links(text: str, line: int, out: list[Link]) -> None:
    """``[Ada](People/Ada%20Engineer.md)``, the form Obsidian writes when
    wikilinks are turned off; only links to ``.md`` files can be people."""
    position = 0
    while True:
        middle = text.find("](", position)
        if middle < 0:
            return
        position = middle + 2
        if text.startswith("<", position):
            close = text.find(">", position + 1)
            if close < 0:
                continue
            target = text[position + 1 : close]
        else:
            close = text.find(")", position)
            if close < 0:
                continue
            target = text[position:close].split(" ", 1)[0]  # drop a "title"
        position = close + 1
        opening = text.rfind("[", 0, middle)
        if opening > 0 and text[opening - 1] == "!":
            continue
        target = unquote(target.split("#", 1)[0]).strip()
        if "://" in target or not target.lower().endswith(".md"):
            continue
        while target.startswith(("./", "../")):
            target = target.split("/", 1)[1]
        target = target.lstrip("/")[:-3]
        if target:
            label = text[opening + 1 : middle].strip() if opening >= 0 else ""
            out.append(Link(target, label or None, line))


def _body_links(body: str, first_line: int, out: list[Link]) -> None:
    lines = body.split("\n")
    hidden, _ = code_blocks(lines)
    comment = None  # the closing marker of a comment opened mid-line
    for index, raw in enumerate(lines):
        if hidden[index]:
            continue
        line = raw
        if comment is not None:
            close = line.find(comment)
            if close < 0:
                continue
            line = line[close + len(comment) :]
            comment = None
        if "[" not in line and "<!--" not in line and "%%" not in line:
            continue  # most lines: nothing to find, nothing opened
        stripped = line.lstrip(" \t")
        if stripped.startswith(">"):
            continue  # quoted words are someone else's
        task = _TASK.match(line)
        if task and task.group(1) not in _DONE:
            continue  # `- [ ] email [[Omar]]` is a plan, not a contact
        segments, comment = _visible(line)
        number = first_line + index
        for segment in segments:
            if "[[" in segment:
                _wikilinks(segment, number, out)
            if "](" in segment:
                _markdown_links(segment, number, out)


def _visible(line: str) -> tuple[list[str], str | None]:
    """The parts of one line outside inline code and comments, and the closing
    marker of a comment left open at its end.

    Code spans follow CommonMark: a run of N backticks up to the next run of
    exactly N; a run with no partner is plain text.  Whichever of code or
    comment starts first wins.
    """
    segments: list[str] = []
    runs = _backtick_runs(line) if "`" in line else []
    partner = _partners(runs)
    run_index = 0
    html = line.find("<!--")
    percent = line.find("%%")
    start = position = 0
    size = len(line)
    while True:
        while run_index < len(runs) and runs[run_index][0] < position:
            run_index += 1
        if 0 <= html < position:
            html = line.find("<!--", position)
        if 0 <= percent < position:
            percent = line.find("%%", position)
        tick = runs[run_index][0] if run_index < len(runs) else -1
        candidates = [p for p in (tick, html, percent) if p >= 0]
        if not candidates:
            segments.append(line[start:])
            return segments, None
        at = min(candidates)
        if at == tick:
            other = partner[run_index]
            if other is None:
                position = tick + runs[run_index][1]  # literal backticks
                continue
            segments.append(line[start:tick])
            position = start = runs[other][0] + runs[other][1]
            continue
        marker, closer = ("<!--", "-->") if at == html else ("%%", "%%")
        segments.append(line[start:at])
        close = line.find(closer, at + len(marker))
        if close < 0:
            return segments, closer
        position = start = close + len(closer)
        if position >= size:
            return segments, None


def _backtick_runs(line: str) -> list[tuple[int, int]]:
    runs = []
    index, size = 0, len(line)
    while True:
        index = line.find("`", index)
        if index < 0:
            return runs
        end = index
        while end < size and line[end] == "`":
            end += 1
        runs.append((index, end - index))
        index = end


def _partners(runs: list[tuple[int, int]]) -> list[int | None]:
    """For each run, the next run of the same length (its closer), or None.

    A run used as a closer is never an opener: the scan jumps past it."""
    partner: list[int | None] = [None] * len(runs)
    nearest: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1]
        partner[index] = nearest.get(length)
        nearest[length] = index
    return partner

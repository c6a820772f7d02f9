"""The ``## Log`` section of a note: one list item per interaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..values.dates import DateError, parse_date
from ..values.problems import ERROR, WARNING, Problem
from .model import CHANNELS, LogEntry

HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ITEM = re.compile(r"^ {0,3}[-*+][ \t]+(.*)$")
DATED = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?=$|[\s:,.;])[ \t]*:?[ \t]*(.*)$")
CHANNEL_WORD = re.compile(r"^([A-Za-z][\w-]*)(:)?(?=\s|$)[ \t]*(.*)$")
GAVE = re.compile(r"(?<![\w#])#gave\b", re.IGNORECASE)
ASKED = re.compile(r"(?<![\w#])#asked\b", re.IGNORECASE)
PLANNED = re.compile(r"(?<![\w#])#planned\b", re.IGNORECASE)
# An import's record of a new company or position: history, not a conversation.
JOB_CHANGE_TAG = "#job-change"
JOB_CHANGE = re.compile(r"(?<![\w#])#job-change\b", re.IGNORECASE)
# `netvault move` writes "moved lukewarm → buddy": history, not a conversation.
_CIRCLE = r"(?:buddy|strategic|lukewarm|cold)"
MOVED = re.compile(rf"^moved (?:{_CIRCLE} → |to ){_CIRCLE}$", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    """Where a log section sits, as 0-based indexes into the body's lines."""

    heading: int  # the heading line
    end: int  # one past the section's last line
    level: int


_HIDING_MARKERS = ("```", "~~~", "<!--", "%%")


def code_blocks(lines: list[str]) -> tuple[list[bool], bool]:
    """Which lines are hidden from the reader: fenced code blocks (fences
    included), HTML comments ``<!-- -->`` and Obsidian comments ``%% %%``.
    Also whether a code block is still open after the last line."""
    text = "".join(lines)
    if not any(marker in text for marker in _HIDING_MARKERS):
        return [False] * len(lines), False  # most notes: nothing can be hidden
    hidden = []
    fence = None
    comment = None  # the closing marker we wait for
    for line in lines:
        raw = line.rstrip("\r\n")
        if comment is not None:
            hidden.append(True)
            if comment in raw:
                comment = None
            continue
        match = FENCE.match(raw)
        if match:
            marker = match.group(1)[0]
            if fence is None:
                fence = marker
            elif fence == marker:
                fence = None
            hidden.append(True)
            continue
        if fence is None:
            stripped = raw.strip()
            if stripped.startswith("<!--") and "-->" not in stripped[4:]:
                comment = "-->"
                hidden.append(True)
                continue
            if stripped.startswith("%%") and "%%" not in stripped[2:]:
                comment = "%%"
                hidden.append(True)
                continue
            if stripped.startswith("<!--") or (stripped.startswith("%%") and stripped.endswith("%%")):
                hidden.append(True)  # a one-line comment
                continue
        hidden.append(fence is not None)
    return hidden, fence is not None


def find_sections(
    lines: list[str], heading_text: str, hidden: list[bool] | None = None
) -> list[Section]:
    """Every section whose heading text equals ``heading_text`` (case-insensitive).

    A matching heading nested inside an earlier matching section belongs to
    that section and is not returned again, so no line is in two sections.
    ``hidden`` is :func:`code_blocks`' answer for ``lines`` when the caller
    already has it.
    """
    wanted = heading_text.strip().casefold()
    headings: list[tuple[int, int, str]] = []
    code = hidden if hidden is not None else code_blocks(lines)[0]
    for index, line in enumerate(lines):
        if code[index] or "#" not in line[:4]:
            continue  # a heading's `#` is within its first four characters
        match = HEADING.match(line.rstrip("\r\n"))
        if match:
            headings.append((index, len(match.group(1)), match.group(2).strip()))
    sections: list[Section] = []
    for position, (index, level, text) in enumerate(headings):
        if text.casefold() != wanted:
            continue
        if sections and index < sections[-1].end:
            continue  # `#### Log` under `## Log` is part of it, not a second log
        end = len(lines)
        for later_index, later_level, _ in headings[position + 1 :]:
            if later_level <= level:
                end = later_index
                break
        sections.append(Section(index, end, level))
    return sections


def parse_entry(text: str, line: int) -> LogEntry | None:
    """Parse the text of a list item; None when it does not start with a date."""
    match = DATED.match(text.strip())
    if not match:
        return None
    stamp = match.group(1)
    try:  # the usual YYYY-MM-DD, without parse_date's second regex
        when = date(int(stamp[:4]), int(stamp[5:7]), int(stamp[8:10])) if len(stamp) == 10 else None
    except ValueError:
        when = None
    if when is None:
        when = parse_date(stamp)  # or the DateError that says what is wrong with it
    rest = match.group(2)
    channel = None
    word = CHANNEL_WORD.match(rest)
    if word and (word.group(2) or word.group(1).lower() in CHANNELS):
        channel = word.group(1).lower()
        rest = word.group(3)
    text = rest.strip()
    tagged = "#" in rest
    return LogEntry(
        date=when,
        channel=channel,
        text=text,
        line=line,
        gave=tagged and bool(GAVE.search(rest)),
        asked=tagged and bool(ASKED.search(rest)),
        interaction=not (channel is None and MOVED.match(text)) and not (tagged and JOB_CHANGE.search(rest)),
        planned=tagged and bool(PLANNED.search(rest)),
    )


def parse_log(
    body_lines: list[str], first_line: int, heading_text: str, path: str
) -> tuple[list[LogEntry], list[Problem]]:
    """Read the log entries; ``first_line`` is the file line of ``body_lines[0]``."""
    entries: list[LogEntry] = []
    problems: list[Problem] = []
    hidden, _ = code_blocks(body_lines)
    for section in find_sections(body_lines, heading_text, hidden):
        for index in range(section.heading + 1, section.end):
            if hidden[index]:
                continue  # a list in a code block or comment is not the log
            match = ITEM.match(body_lines[index].rstrip("\r\n"))
            if not match:
                continue
            line = first_line + index
            try:
                entry = parse_entry(match.group(1), line)
            except DateError as exc:
                problems.append(Problem(path, line, ERROR, f"log entry: {exc}"))
                continue
            if entry is None:
                problems.append(
                    Problem(
                        path,
                        line,
                        WARNING,
                        "log entry does not start with a date (YYYY-MM-DD); it is not counted",
                    )
                )
                continue
            entries.append(entry)
    return entries, problems

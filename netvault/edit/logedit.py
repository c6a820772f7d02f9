"""Adding an entry to a note's log section, where the file's own order puts it.

The entry never lands inside a code block or comment, nor between an entry
and its follow-on lines; the result is read back the way the loader reads
it, and refused (with the reason and the line) unless exactly one entry was
added.
"""

from __future__ import annotations

from datetime import date

from ..read.logsection import DATED, HEADING, ITEM, code_blocks, find_sections
from ..values.dates import DateError, parse_date
from .errors import EditError
from .lines import ODD_BREAK, check_lines_value, odd_break_line, open_doc, strip_eol


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
    check_lines_value(entry_line, "a log entry")
    check_lines_value(heading, "the log heading")
    _check_heading(heading)
    if ODD_BREAK.search(entry_line) or not ITEM.match(entry_line):
        raise EditError(f"a log entry must be one Markdown list item line, not {entry_line!r}")
    doc = open_doc(text)
    lines, nl = doc.lines, doc.nl
    body = lines[doc.body_start :]
    sections = find_sections(body, heading)
    new_line = entry_line + nl
    if not sections:
        had_final_newline = not lines or lines[-1].endswith("\n")
        if not had_final_newline:
            lines[-1] += nl
        block = [f"## {heading.strip()}{nl}", nl, new_line]
        if lines and strip_eol(lines[-1]).strip(" \t"):
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
        opener = strip_eol(body[start]).strip()
        if fence_open:
            return "the note has a ``` code block that is never closed", start
        if opener.startswith("<!--"):
            return "the note has an HTML comment '<!--' that is never closed with '-->'", start
        if opener.startswith("%%"):
            return "the note has an Obsidian comment '%%' that is never closed", start
    odd = odd_break_line(body)
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
            if strip_eol(body[index]).strip(" \t") and not hidden[index]:
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
        content = strip_eol(body[position])
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

"""The text of contact notes below the frontmatter: read for full-text
search, and split into notes and log for person pages and exported cards.

The loader keeps only what it parses (fields and the log), so commands that
search the notes themselves read them here, the way the loader does: inside
the vault only, regular files of a bounded size.  (Not to be confused with
:mod:`netvault.edit.lines`, the edit side's view of a note's lines.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import FrontmatterError, decode, split
from .logsection import find_sections
from .vaultfile import NOTE_LIMIT, UnreadableFile, read_vault_file



@dataclass(frozen=True)
class Body:
    lines: tuple[str, ...]  # without line endings
    first_line: int  # the file line of lines[0], numbered as the loader numbers log lines


def read_body(root: Path | str, rel: str) -> Body | None:
    """The note's body, or None when it cannot be read now (the loader
    reports such files; search just finds nothing in them)."""
    try:
        text = decode(read_vault_file(root, rel, NOTE_LIMIT))
        _, body, first = split(text)
    except (OSError, UnreadableFile, FrontmatterError):
        return None
    # splitlines() as the loader splits the body, so lines match the log's.
    return Body(tuple(line.rstrip("\r\n") for line in body.splitlines()), first)


def read_bodies(root: Path | str, paths: Iterable[str]) -> dict[str, Body]:
    bodies = {}
    for rel in paths:
        body = read_body(root, rel)
        if body is not None:
            bodies[rel] = body
    return bodies


# -- what a person's note says, without the log ----------------------------

# What older versions of the contact template wrote for the user to replace.
_PLACEHOLDERS = {"How you met, what they care about, what value you can offer them."}
_OBSIDIAN_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
_TITLE = re.compile(r"^[ \t]*#[ \t]+(.+?)[ \t#]*$")


def shown_notes(notes: str, name: str, stem: str) -> str:
    """The notes as a person page (and an exported card) shows them: without
    Obsidian comments (``%% ... %%``, which Obsidian hides too), a first
    heading that only repeats the person's ``name`` or file ``stem``, and the
    template's untouched placeholder text.  Empty when nothing is left."""
    notes = _OBSIDIAN_COMMENT.sub("", notes)
    lines = notes.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        title = _TITLE.match(lines[first].rstrip("\r\n"))
        if title and title.group(1).strip().casefold() in {name.casefold(), stem.casefold()}:
            del lines[first]
    kept = [line for line in lines if line.strip() not in _PLACEHOLDERS]
    return "".join(kept) if any(line.strip() for line in kept) else ""


def without_log(body: str, heading: str) -> str:
    """The body without its log section(s) (headed ``heading``)."""
    lines = body.splitlines(keepends=True)
    for section in reversed(find_sections(lines, heading)):
        del lines[section.heading : section.end]
    return "".join(lines)


def log_text(body: str, heading: str) -> str:
    """The lines under the log heading(s), blank lines around them trimmed:
    what an exported card carries as the contact's log."""
    lines = body.splitlines()
    kept: list[str] = []
    for section in find_sections(lines, heading):
        kept.extend(lines[section.heading + 1 : section.end])
    return "\n".join(kept).strip("\n")

"""The text of contact notes below the frontmatter, read for full-text search.

The loader keeps only what it parses (fields and the log), so commands that
search the notes themselves read them here, the way the loader does: inside
the vault only, regular files of a bounded size.  (Not to be confused with
:mod:`netvault.edit.lines`, the edit side's view of a note's lines.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import FrontmatterError, decode, split
from .vaultfile import UnreadableFile, read_vault_file

NOTE_LIMIT = 16 << 20  # a bigger "note" is not one a person wrote


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

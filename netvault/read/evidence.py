"""Evidence of contact that netvault imported: mail, calendar events and
LinkedIn messages, kept as plain text in the vault.

``netvault import mail|calendar|messages`` writes one Markdown file per
source and month under the evidence folder (``[interactions] evidence``,
``interactions`` by default), one dated list line per exchange::

    - 2026-11-02 email: [[Jane Doe]], [[Ravi Patel]] %%mail 3f9a1c2e%%

Each such line counts like a log entry of every contact it links to: on
its date, over its channel.  A user may edit or delete the lines (git
versions them; Obsidian shows them in the backlinks); the ``%%...%%``
comment at the end is the key a re-import recognises the exchange by.

Pure functions over a parsed note: the loader reads the files.
"""

from __future__ import annotations

from datetime import date

from ..values.dates import DateError
from .frontmatter import Note
from .logsection import ITEM, code_blocks, parse_entry


def dated_lines(note: Note) -> tuple[tuple[int, date, str | None], ...]:
    """``(file line, date, channel)`` of every dated list item of the body."""
    lines = note.body.splitlines(keepends=True)
    hidden, _ = code_blocks(lines)
    found = []
    for index, raw in enumerate(lines):
        if hidden[index]:
            continue
        match = ITEM.match(raw.rstrip("\r\n"))
        if not match:
            continue
        try:
            entry = parse_entry(match.group(1), note.body_line + index)
        except DateError:
            continue
        if entry is not None:
            found.append((entry.line, entry.date, entry.channel))
    return tuple(found)


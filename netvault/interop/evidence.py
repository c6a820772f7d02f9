"""Writing imported evidence of contact into the vault: one Markdown file per
source and month, ``<evidence folder>/<source>/YYYY-MM.md``, one dated list
line per exchange (see :mod:`netvault.read.evidence` for how they are read)::

    # Mail, 2026-11

    - 2026-11-02 email: [[Jane Doe]], [[Ravi Patel]] · Re: the deck %%mail 3f9a1c2e0b7d%%

The ``%%source key%%`` comment (hidden in Obsidian's preview) is how a
re-import recognises an exchange it wrote before: it adds nothing twice,
and a line the user edited or deleted stays as the user left it.  New
lines go where the file's dates put them; every other byte of a file stays.
Existing files change all together or not at all (the writer's
all-or-nothing); new months are new files.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..edit.diskwrite import edit_files
from ..edit.files import create_file, sync_folders
from ..read.logsection import DATED, ITEM
from ..read.model import Vault
from ..read.walk import iter_notes
from ..values.dates import DateError, parse_date

_KEY = re.compile(r"%%(\w+) ([0-9a-f]{12})%%")
TITLES = {"mail": "Mail", "calendar": "Calendar", "linkedin": "LinkedIn messages"}


@dataclass(frozen=True)
class Exchange:
    """One exchange to record: when, how, with whom (contact paths)."""

    when: date
    channel: str
    people: tuple[str, ...]  # contact paths
    key: str  # the source's own key: a Message-ID, an event UID and date, ...
    text: str = ""  # a subject, with --subjects


@dataclass
class Written:
    new_files: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    lines: int = 0  # exchanges added
    known: int = 0  # exchanges an earlier import recorded already
    diffs: list[tuple[str, bytes, bytes]] = field(default_factory=list)


def short_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def known_keys(vault: Vault, source: str) -> set[str]:
    """The keys of every exchange of ``source`` already recorded: in the
    evidence folder, or (``--log``) in a contact's own log."""
    root = Path(vault.root)
    prefix = f"{vault.config.evidence_folder}/{source}/".casefold()
    contacts = {c.path for c in vault.contacts}
    found = set()
    for rel in iter_notes(root, vault.config):
        if not rel.casefold().startswith(prefix) and rel not in contacts:
            continue
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.update(key for kind, key in _KEY.findall(text) if kind == source)
    return found


def _line(exchange: Exchange, source: str, names: dict[str, str]) -> str:
    people = ", ".join(f"[[{names[path]}]]" for path in exchange.people)
    text = f" · {' '.join(exchange.text.split())}" if exchange.text else ""
    text = text.replace("%%", "% %").replace("[[", "[ [")
    return f"- {exchange.when.isoformat()} {exchange.channel}: {people}{text} %%{source} {short_key(exchange.key)}%%"


def _month_file(vault: Vault, source: str, when: date) -> str:
    return f"{vault.config.evidence_folder}/{source}/{when.year:04d}-{when.month:02d}.md"


def _insert(text: str, new_lines: list[tuple[date, str]]) -> str:
    """``text`` with ``new_lines`` (sorted) placed after the last dated list
    line dated on or before each; the file's line endings are kept."""
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += nl
    dated: list[tuple[int, date]] = []
    for index, line in enumerate(lines):
        item = ITEM.match(line.rstrip("\r\n"))
        if not item:
            continue
        match = DATED.match(item.group(1).strip())
        if not match:
            continue
        try:
            dated.append((index, parse_date(match.group(1))))
        except DateError:
            continue
    for when, line in sorted(new_lines, key=lambda pair: pair[0], reverse=True):
        after = [index for index, day in dated if day <= when]
        at = (after[-1] + 1) if after else (dated[0][0] if dated else len(lines))
        lines.insert(at, line + nl)
        dated = [(index + (index >= at), day) for index, day in dated]
    return "".join(lines)


def write_exchanges(
    vault: Vault, source: str, exchanges: Iterable[Exchange], dry_run: bool = False
) -> Written:
    """Add the exchanges no earlier import recorded; returns what was written."""
    root = Path(vault.root)
    stems: dict[str, int] = defaultdict(int)
    for contact in vault.contacts:
        stems[contact.stem.casefold()] += 1
    # A link by file name, or by path where two contacts share one.
    names = {c.path: c.stem if stems[c.stem.casefold()] == 1 else c.path[:-3] for c in vault.contacts}
    done = known_keys(vault, source)
    result = Written()
    by_month: dict[str, list[tuple[date, str]]] = defaultdict(list)
    seen: set[str] = set()
    for exchange in exchanges:
        key = short_key(exchange.key)
        if key in seen:
            continue  # the same exchange twice in one input (a conversation's messages of one day)
        seen.add(key)
        if key in done:
            result.known += 1
            continue
        by_month[_month_file(vault, source, exchange.when)].append((exchange.when, _line(exchange, source, names)))
    creates, edits = [], []
    for rel in sorted(by_month):
        lines = sorted(by_month[rel])
        result.lines += len(lines)
        path = root / rel
        if path.exists():
            edits.append((rel, lines))
            continue
        title = f"# {TITLES.get(source, source)}, {rel.rsplit('/', 1)[-1][:-3]}\n\n"
        data = (title + "".join(line + "\n" for _, line in lines)).encode("utf-8")
        creates.append((rel, data))
    if dry_run:
        result.diffs = [(rel, b"", data) for rel, data in creates]
    else:
        folders = set()
        for rel, data in creates:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            create_file(root / rel, data, sync_folder=False)
            folders.add((root / rel).parent)
            result.new_files.append(rel)
        sync_folders(folders)
    if edits:
        saved = edit_files(
            [(root / rel, lambda text, lines=lines: _insert(text, lines)) for rel, lines in edits],
            root=root,
            dry_run=dry_run,
        )
        for (rel, _), done_file in zip(edits, saved):
            if done_file.changed:
                result.changed_files.append(rel)
                result.diffs.append((rel, done_file.old, done_file.new))
    return result


WHAT = {"mail": "mail", "calendar": "calendar event", "linkedin": "LinkedIn message"}


def write_to_logs(vault: Vault, source: str, exchanges: Iterable[Exchange], dry_run: bool = False) -> Written:
    """``--log``: each exchange as an entry of the contacts' own ``## Log``
    instead (``- 2026-11-02 email: mail · subject %%mail key%%``), where the
    log's own order puts it; all the contacts' files change together."""
    from ..edit.logedit import add_log_entry

    root = Path(vault.root)
    done = known_keys(vault, source)
    result = Written()
    entries: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for exchange in exchanges:
        key = short_key(exchange.key)
        if key in seen:
            continue
        seen.add(key)
        if key in done:
            result.known += 1
            continue
        text = WHAT.get(source, source) + (f" · {' '.join(exchange.text.split())}" if exchange.text else "")
        text = text.replace("%%", "% %").replace("[[", "[ [")
        line = f"- {exchange.when.isoformat()} {exchange.channel}: {text} %%{source} {key}%%"
        for path in exchange.people:
            entries[path].append(line)
        result.lines += 1
    heading = vault.config.log_heading

    def transform(lines: list[str]):
        def add(text: str) -> str:
            for line in lines:
                text = add_log_entry(text, line, heading)
            return text

        return add

    jobs = [(root / path, transform(sorted(lines))) for path, lines in sorted(entries.items())]
    saved = edit_files(jobs, root=root, dry_run=dry_run) if jobs else []
    for (path, _), done_file in zip(sorted(entries.items()), saved):
        if done_file.changed:
            result.changed_files.append(path)
            result.diffs.append((path, done_file.old, done_file.new))
    return result

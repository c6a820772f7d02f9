"""Interactions read from the meeting and daily notes a user already writes.

A note is an *interaction note* when it lies in one of the interaction
folders (``[interactions] folders`` or Obsidian's daily-notes folder, matched
case-insensitively, at any depth below) and has a date: a frontmatter date key
(``date``/``datetime`` by default), else (in the daily-notes folder) a file
name written in Obsidian's daily-note format (``DD.MM.YYYY``,
``dddd, MMMM Do YYYY``, ...), else a ``YYYY-MM-DD`` starting its file name.
Every contact it links to, once per note, was in touch on that date.

Only what the user wrote as a record counts: links in code (fenced or
inline), comments (``<!-- -->``, ``%% %%``), block quotes, embeds
(``![[...]]``) and open tasks (``- [ ] email [[Omar]]`` is a plan) do not.

Pure functions over parsed notes: the loader reads the files and the
settings and calls :func:`interactions`.  A note's date comes from
:mod:`netvault.read.notedates`, its links from :mod:`netvault.read.notelinks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..values.names import fold
from ..values.problems import WARNING, Problem, sort_problems
from ..values.wikilinks import Link
from .evidence import dated_lines
from .frontmatter import Note
from .model import Contact, Interaction
from .names import NameIndex
from .notedates import DATE_KEYS, date_from_format, note_date_details, readable_format
from .notelinks import links_in

# Obsidian links to these as files, never as notes: `[[slides.pdf]]` is no one.
_ATTACHMENTS = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "heic", "tif", "tiff",
        "ico", "pdf", "mp3", "wav", "m4a", "ogg", "flac", "3gp", "webm", "mp4", "mov",
        "mkv", "ogv", "avi", "canvas", "base", "txt", "csv", "json", "xlsx", "docx",
        "pptx", "zip",
    }
)


@dataclass(frozen=True)
class DatedNote:
    """What :func:`interactions` needs of a meeting or daily note: its date
    keys (as written, with their lines) and every link it makes as a record."""

    data: dict
    key_lines: dict
    links: tuple[Link, ...]
    # An evidence file's dated lines, ``(file line, date, channel)``: each
    # dates the links on its line (see :mod:`netvault.read.evidence`).
    dated_lines: tuple = ()


def evidence_note(note: Note) -> DatedNote:
    """The part of an evidence file that says who was in touch when."""
    return DatedNote({}, {}, tuple(links_in(note)), dated_lines(note))


def dated_note(note: Note, date_keys: Iterable[str]) -> DatedNote:
    """The part of ``note`` that dates it and names who was there."""
    keys = tuple(k for k in date_keys if isinstance(k, str))
    wanted = {k.casefold() for k in keys}
    data = {k: v for k, v in note.data.items() if k.casefold() in wanted}
    lines = {k: note.key_lines[k] for k in data if k in note.key_lines}
    return DatedNote(data, lines, tuple(links_in(note, skip_keys=keys)))


_NAME_WORD = re.compile(r"^[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f'’.-]*$")


def looks_like_a_name(text: str) -> bool:
    """``Jane Doe``, ``José Núñez``, ``Mary-Ann O'Brien``: two to four words,
    each starting with a capital, no digits.  Not ``Emergence`` (one word),
    ``Out of Control`` (a word in lower case) or ``2026-10-03 Meetup``."""
    words = text.strip().split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(word) for word in words)


def _links_of(note: Note | DatedNote, keys: tuple[str, ...]) -> Iterable[Link]:
    return note.links if isinstance(note, DatedNote) else links_in(note, skip_keys=keys)


# ---------------------------------------------------------------- where


def _folder_prefix(folder: str) -> str:
    """``"Work/Meetings/"`` folded for matching; ``""`` (everything) for the root."""
    cleaned = folder.replace("\\", "/").strip().strip("/")
    while cleaned.startswith("./"):
        cleaned = cleaned[2:].lstrip("/")
    if cleaned in ("", "."):
        return ""
    return fold(cleaned) + "/"


def _prefixes(folders: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_folder_prefix(f) for f in folders if isinstance(f, str)))


def is_interaction_folder(rel: str, folders: Iterable[str]) -> bool:
    """Whether the note ``rel`` lies in (or anywhere below) one of ``folders``.

    Folders are vault-relative and compared case-insensitively
    (``meetings`` holds ``Meetings/2024/Standup.md``).  The root (``""`` or
    ``"."``) means the whole vault, as it does for ``[vault] contacts``.
    """
    return _in_prefixes(rel, _prefixes(folders))


def _in_prefixes(rel: str, prefixes: tuple[str, ...]) -> bool:
    if not prefixes:
        return False
    folded = fold(rel)
    return any(folded.startswith(prefix) for prefix in prefixes)


# ---------------------------------------------------------------- the vault


def _is_attachment(target: str) -> bool:
    base = target.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return dot > 0 and base[dot + 1 :].lower() in _ATTACHMENTS


def interactions(
    notes: Iterable[tuple[str, Note | DatedNote]],
    contacts: Iterable[Contact],
    today: date,
    *,
    folders: Iterable[str] = (),
    daily_folder: str | None = None,
    daily_format: str | None = None,
    date_keys: Iterable[str] = DATE_KEYS,
    known_notes: Iterable[str] = (),
    index: NameIndex | None = None,
    evidence_folder: str | None = None,
) -> tuple[dict[str, tuple[Interaction, ...]], list[Problem]]:
    """Who each interaction note was contact with, and what to tell ``check``.

    ``notes`` are ``(path, parsed note)`` pairs (vault-relative, ``/``
    separated); the ones outside ``folders`` and ``daily_folder``, the
    contacts themselves, and undated ones are passed over.  A note in
    ``daily_folder`` with no date key is dated by its name in
    ``daily_format`` (Obsidian's moment.js pattern, see
    :func:`date_from_format`) before the ``YYYY-MM-DD`` prefix rule.  A note
    dated after ``today`` is not (yet) an interaction, but its links are
    checked.

    Returns ``{contact path: interactions oldest first}`` (contacts with
    none are left out) and warnings, sorted: a link to no contact nor any
    note in the vault (``known_notes`` lists every note's path; the
    ``notes`` given count as known too), a link that could mean several
    contacts, a date key that holds no date, and, once per folder (as the
    path, no line), how many notes there link to a contact but have no date
    at all.  Undated notes in the vault root as a folder are not counted:
    that setting asks for dated notes anywhere, not every note to be dated.
    ``index`` is a :class:`NameIndex` of ``contacts`` the caller already built.
    Notes in ``evidence_folder`` are evidence files: each dated list line
    counts as contact, on its date and channel, with everyone it links to.
    """
    contact_list = tuple(contacts)
    index = index if index is not None else NameIndex(contact_list)
    contact_paths = {c.path for c in contact_list}
    evidence_prefix = _folder_prefix(evidence_folder) if evidence_folder else None
    if evidence_prefix == "":
        evidence_prefix = None  # the whole vault cannot be evidence
    prefixes = _prefixes([*folders, *([daily_folder] if daily_folder else [])])
    prefixes = (*prefixes, evidence_prefix) if evidence_prefix else prefixes
    daily_prefix = _folder_prefix(daily_folder) if isinstance(daily_folder, str) else None
    if daily_prefix == "" or not isinstance(daily_format, str) or not daily_format:
        daily_prefix = None  # the root is no daily-notes folder; no format, nothing to read
    name_date = None
    if daily_prefix is not None:
        depth = daily_prefix.count("/")

        def name_date(rel: str) -> date | None:
            if not _in_prefixes(rel, (daily_prefix,)):
                return None
            return date_from_format(rel.split("/", depth)[-1], daily_format)

    keys = tuple(k for k in date_keys if isinstance(k, str))
    undated: dict[str, list[str]] = {}  # folder prefix -> notes linking to a contact, with no date
    resolved: dict[str, tuple[str, ...]] = {}  # folded target -> contact paths
    found: dict[str, list[Interaction]] = {}
    problems: list[Problem] = []
    pending: list[tuple[str, Link]] = []  # links to no contact, checked once every note is known
    known: set[str] = set()
    for rel in known_notes:
        _remember(rel, known)
    for rel, note in notes:
        _remember(rel, known)
        if rel in contact_paths or not _in_prefixes(rel, prefixes):
            continue
        if evidence_prefix is not None and _in_prefixes(rel, (evidence_prefix,)):
            _evidence(rel, note, index, resolved, found, problems, today)
            continue
        when, _, unreadable = note_date_details(rel, note.data, keys, note.key_lines, name_date)
        for key, value, line in unreadable:
            problems.append(
                Problem(
                    rel,
                    line,
                    WARNING,
                    f"{key}: expected a date YYYY-MM-DD (or YYYY-MM-DDTHH:MM), got {value!r}; "
                    + (
                        f"this note is dated {when.isoformat()} instead"
                        if when
                        else "the people this note links to are not counted as contacted"
                    ),
                )
            )
        if when is None:
            if not unreadable:  # those are reported one by one, above
                _note_undated(rel, note, keys, prefixes, index, resolved, undated)
            continue
        counted: set[str] = set()
        reported: set[str] = set()
        for link in _links_of(note, keys):
            if _is_attachment(link.target):
                continue
            target = fold(link.target)
            paths = resolved.get(target)
            if paths is None:
                paths = resolved[target] = _resolve(index, link)
            if len(paths) == 1:
                path = paths[0]
                if path in counted or path == rel:
                    continue
                counted.add(path)
                if when <= today:
                    found.setdefault(path, []).append(Interaction(when, rel, link.line))
            elif target not in reported:
                reported.add(target)
                if paths:
                    problems.append(
                        Problem(
                            rel,
                            link.line,
                            WARNING,
                            f"[[{link.target}]] could mean {', '.join(paths)}; "
                            "it is counted as contact with none of them",
                        )
                    )
                else:
                    pending.append((rel, link))
    # A link to a note that does not exist is Obsidian's business (a topic, a
    # book, a note not written yet); one that looks like a person's name may
    # be a contact misspelt: worth one line per note.
    nobody: dict[str, list[Link]] = {}
    for rel, link in pending:
        if not _is_known(link.target, known) and looks_like_a_name(link.target):
            nobody.setdefault(rel, []).append(link)
    for rel, links in nobody.items():
        shown = ", ".join(f"[[{link.target}]]" for link in links[:3])
        if len(links) == 1:
            message = f"{shown} is not a contact in this vault"
        else:
            more = f" and {len(links) - 3} more" if len(links) > 3 else ""
            message = f"{shown}{more} are not contacts in this vault"
        problems.append(Problem(rel, links[0].line, WARNING, message))
    for prefix, rels in undated.items():
        problems.append(_undated_problem(prefix, rels, daily_prefix, daily_format))
    result = {
        path: tuple(sorted(items, key=lambda i: (i.date, i.source)))
        for path, items in sorted(found.items())
    }
    return result, sort_problems(problems)


def _evidence(rel: str, note, index: NameIndex, resolved: dict, found: dict, problems: list, today: date) -> None:
    """The contacts an evidence file's dated lines name, each on its line's
    date and channel; a link to nobody (or to several) is reported, since
    these lines are about people."""
    if not isinstance(note, DatedNote):
        note = evidence_note(note)
    dates = {line: (when, channel) for line, when, channel in note.dated_lines}
    counted: set[tuple[str, int | None]] = set()
    for link in note.links:
        if link.line not in dates or _is_attachment(link.target):
            continue
        when, channel = dates[link.line]
        target = fold(link.target)
        paths = resolved.get(target)
        if paths is None:
            paths = resolved[target] = _resolve(index, link)
        if len(paths) != 1:
            reason = f"could mean {', '.join(paths)}" if paths else "is not a contact in this vault"
            problems.append(Problem(rel, link.line, WARNING, f"[[{link.target}]] {reason}; this line counts for nobody"))
            continue
        if (paths[0], link.line) in counted or when > today:
            continue
        counted.add((paths[0], link.line))
        found.setdefault(paths[0], []).append(Interaction(when, rel, link.line, channel))


def _note_undated(
    rel: str,
    note: Note | DatedNote,
    keys: tuple[str, ...],
    prefixes: tuple[str, ...],
    index: NameIndex,
    resolved: dict[str, tuple[str, ...]],
    undated: dict[str, list[str]],
) -> None:
    """Remember an undated note under its (innermost) folder, if it links to
    a contact: only then is something lost.  The vault root is left out."""
    folded = fold(rel)
    prefix = max((p for p in prefixes if folded.startswith(p)), key=len, default="")
    if not prefix:
        return
    for link in _links_of(note, keys):
        if _is_attachment(link.target):
            continue
        target = fold(link.target)
        paths = resolved.get(target)
        if paths is None:
            paths = resolved[target] = _resolve(index, link)
        if paths and rel not in paths:
            undated.setdefault(prefix, []).append(rel)
            return


def _undated_problem(
    prefix: str, rels: list[str], daily_prefix: str | None, daily_format: str | None
) -> Problem:
    # The folder as the disk spells it, from the first note in it.
    folder = "/".join(min(rels).split("/")[: prefix.count("/")])
    count = len(rels)
    notes = "1 note" if count == 1 else f"{count} notes"
    has = "has" if count == 1 else "have"
    names, do = ("its name", "does") if count == 1 else ("their names", "do")
    if daily_prefix is not None and prefix.startswith(daily_prefix):
        if not readable_format(daily_format):
            why = f"netvault cannot read the daily-notes format {daily_format!r}"
        else:
            why = f"{names} {do} not match the daily-notes format {daily_format!r}"
    else:
        why = f"{names} {do} not start with YYYY-MM-DD"
    return Problem(
        folder,
        None,
        WARNING,
        f"{notes} in {folder}/ {has} no date (no date key, and {why}); "
        f"{'it does' if count == 1 else 'they do'} not count as contact",
    )


def _resolve(index: NameIndex, link: Link) -> tuple[str, ...]:
    """The contact paths ``link`` means; a file name beats someone's alias,
    as in Obsidian, where links resolve to files."""
    matches = index.resolve(link)
    if len(matches) > 1:
        name = fold(link.target.rsplit("/", 1)[-1])
        by_file = [c for c in matches if fold(c.stem) == name]
        if len(by_file) == 1:
            matches = by_file
    return tuple(sorted(c.path for c in matches))


def _remember(rel: str, known: set[str]) -> None:
    stem = rel[:-3] if rel.lower().endswith(".md") else rel
    known.add(fold(stem))
    known.add(fold(stem.rsplit("/", 1)[-1]))


def _is_known(target: str, known: set[str]) -> bool:
    """Whether a link that is no contact still leads to a note (a topic, a
    company, a book): Obsidian resolves it, so it is not a mistake."""
    key = fold(target)
    return key in known or key.rsplit("/", 1)[-1] in known

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
settings and calls :func:`interactions`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import lru_cache
from urllib.parse import unquote

from .frontmatter import Note
from .links import NameIndex, fold, parse_link
from .logsection import code_blocks
from .model import Contact, Interaction, Link
from .problems import WARNING, Problem, sort_problems

DATE_KEYS = ("date", "datetime")

# The whole value, so a stray word never passes as a date.  No nested
# quantifiers: matching is linear in the value's length.
_DATE_VALUE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:[.,]\d+)?)?"
    r"(?: ?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?)?"
)
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")
# A list item that is a task: `- [ ] ...`, `* [x] ...`, `1. [-] ...`.
_TASK = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[(.)\](?:[ \t]|$)")
_DONE = ("x", "X")
# Obsidian links to these as files, never as notes: `[[slides.pdf]]` is no one.
_ATTACHMENTS = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "heic", "tif", "tiff",
        "ico", "pdf", "mp3", "wav", "m4a", "ogg", "flac", "3gp", "webm", "mp4", "mov",
        "mkv", "ogv", "avi", "canvas", "base", "txt", "csv", "json", "xlsx", "docx",
        "pptx", "zip",
    }
)


# ---------------------------------------------------------------- where and when


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


def daily_notes_settings(json_text: str | bytes) -> tuple[str | None, str | None]:
    """``(folder, format)`` from Obsidian's ``.obsidian/daily-notes.json``.

    The file is Obsidian's, not ours: anything unreadable (not JSON, not an
    object, a value missing or not a string) is None without a word.  Daily
    notes kept in the vault root (``"folder": ""``, Obsidian's default) have
    folder None: the whole vault is not a daily-notes folder.  The format is
    the moment.js pattern Obsidian names the notes with, as written; None
    when not set (Obsidian then uses ``YYYY-MM-DD``).
    """
    try:
        if isinstance(json_text, bytes):
            json_text = json_text.decode("utf-8")
        data = json.loads(json_text.lstrip("\ufeff"))
    except (ValueError, RecursionError, TypeError, AttributeError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    folder = data.get("folder")
    if isinstance(folder, str):
        cleaned = folder.replace("\\", "/").strip().strip("/")
        while cleaned.startswith("./"):
            cleaned = cleaned[2:].lstrip("/")
        folder = None if cleaned in ("", ".") or ".." in cleaned.split("/") else cleaned
    else:
        folder = None
    fmt = data.get("format")
    if not isinstance(fmt, str) or not fmt.strip():
        fmt = None
    return folder, fmt


def daily_notes_folder(json_text: str | bytes) -> str | None:
    """The ``folder`` of Obsidian's ``.obsidian/daily-notes.json``, or None
    (see :func:`daily_notes_settings`)."""
    return daily_notes_settings(json_text)[0]


# ---------------------------------------------------------------- daily-note names

# moment.js's own tokenizer (moment/src/lib/format/format.js): a `[literal]`,
# a token (a backslash before one makes it literal), else one character.
_MOMENT_TOKENS = re.compile(
    r"\[[^\[]*\]"
    r"|\\?(?:LTS|LT|LL?L?L?|l{1,4}|[Hh]mm(?:ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?"
    r"|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(?:ggg?)?|GG(?:GGG?)?"
    r"|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|.)",
    re.DOTALL,
)
# Letters moment reads as (part of) a token; any other character is itself.
_TOKEN_LETTERS = frozenset("aAdDeEgGhHklLmMNQsSwWxXyYzZ")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
_MONTHS_SHORT = tuple(m[:3] for m in _MONTHS)
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _names(names: Iterable[str]) -> str:
    # Atomic: once a name matched, the engine never tries a shorter one.
    return "(?>" + "|".join(sorted(names, key=len, reverse=True)) + ")"


# token -> (what its digits or name mean, the pattern for it).  Every piece
# is atomic or fixed-width, so a name is matched in one pass, with no
# backtracking, whatever the format and the name.
_PIECES = {
    "YYYY": ("year", "([0-9]{4})"),
    "YY": ("year2", "([0-9]{2})"),
    "MMMM": ("month_name", "(" + _names(_MONTHS) + ")"),
    "MMM": ("month_short", "(" + _names(_MONTHS_SHORT) + ")"),
    "MM": ("month", "([0-9]{2})"),
    "M": ("month", "([0-9][0-9]?+)"),
    "DD": ("day", "([0-9]{2})"),
    "D": ("day", "([0-9][0-9]?+)"),
    "Do": ("day_ordinal", "([0-9][0-9]?+)(st|nd|rd|th)"),
    "dddd": (None, _names(_WEEKDAYS)),
    "ddd": (None, _names(d[:3] for d in _WEEKDAYS)),
    "dd": (None, _names(d[:2] for d in _WEEKDAYS)),
    "d": (None, "[0-6]"),
}
_MAX_FORMAT = 200


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


@lru_cache(maxsize=64)
def _format_pattern(fmt: str) -> tuple[re.Pattern, tuple[str, ...], int] | None:
    """The anchored pattern for a moment.js format, what each group means, and
    how many path parts it spans; None for a format netvault cannot read (a
    token it does not know, or no year, month and day)."""
    if len(fmt) > _MAX_FORMAT:
        return None
    regex: list[str] = []
    meanings: list[str] = []
    literal = ""
    for match in _MOMENT_TOKENS.finditer(unicodedata.normalize("NFC", fmt)):
        token = match.group()
        if len(token) >= 2 and token[0] == "[" and token[-1] == "]":
            literal += token[1:-1]
        elif len(token) >= 2 and token[0] == "\\":
            literal += token[1:]
        elif token in _PIECES:
            meaning, piece = _PIECES[token]
            regex.append(re.escape(literal) + piece)
            literal = ""
            if meaning == "day_ordinal":
                meanings += ("day", "ordinal")
            elif meaning is not None:
                meanings.append(meaning)
        elif len(token) == 1 and token not in _TOKEN_LETTERS:
            literal += token
        else:
            return None  # a time, a week, a quarter, a locale format...
    regex.append(re.escape(literal))
    kinds = {m.rstrip("2").split("_")[0] for m in meanings}
    if not {"year", "month", "day"} <= kinds:
        return None
    text = "".join(regex)
    parts = text.count("/") + 1  # re.escape leaves `/` alone; no piece holds one
    return re.compile(text, re.IGNORECASE), tuple(meanings), parts


def date_from_format(stem_or_relpath: str, fmt: str) -> date | None:
    """The date a daily note's name spells in the moment.js format ``fmt``.

    ``stem_or_relpath`` is the note's path below the daily-notes folder, with
    or without ``.md`` (``"15.11.2026"``, ``"2026/11/2026-11-15.md"``).  Its
    last path parts (as many as the format has: ``YYYY/MM/YYYY-MM-DD`` has
    three) must match the whole format, so notes moved into subfolders of
    their own are still read.  Tokens: ``YYYY YY MM M DD D Do MMMM MMM`` (the
    English month names), ``dddd ddd dd d`` (weekdays: matched, not checked),
    ``[literal]`` and ``\\x`` escapes; any other character stands for itself,
    and letter case does not matter.  A token repeated must agree with itself.
    A format with any other token (times, weeks, locale formats), or lacking
    a year, month or day, reads no date: None, never an exception.
    """
    if not isinstance(stem_or_relpath, str) or not isinstance(fmt, str):
        return None
    compiled = _format_pattern(fmt)
    if compiled is None:
        return None
    pattern, meanings, parts = compiled
    path = stem_or_relpath.replace("\\", "/")
    if path[-3:].lower() == ".md":
        path = path[:-3]
    pieces = path.split("/")
    if len(pieces) < parts:
        return None
    match = pattern.fullmatch(unicodedata.normalize("NFC", "/".join(pieces[-parts:])))
    if match is None:
        return None
    found: dict[str, set[int]] = {"year": set(), "month": set(), "day": set()}
    day_seen = None
    for meaning, value in zip(meanings, match.groups()):
        if meaning == "year":
            found["year"].add(int(value))
        elif meaning == "year2":  # as moment reads two digits: 69-99 is 19xx
            found["year"].add(int(value) + (1900 if int(value) > 68 else 2000))
        elif meaning == "month":
            found["month"].add(int(value))
        elif meaning in ("month_name", "month_short"):
            names = _MONTHS if meaning == "month_name" else _MONTHS_SHORT
            found["month"].add([n.casefold() for n in names].index(value.casefold()) + 1)
        elif meaning == "day":
            day_seen = int(value)
            found["day"].add(day_seen)
        elif meaning == "ordinal" and value.casefold() != _ordinal(day_seen or 0):
            return None  # `2th`, `11st`
    if any(len(values) != 1 for values in found.values()):
        return None  # `2026/11/2025-11-15`: the folder and the name disagree
    try:
        return date(found["year"].pop(), found["month"].pop(), found["day"].pop())
    except ValueError:
        return None


def _parse_date_value(value) -> date | None:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # `date: [2024-01-05]`
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith("[["):  # `date: "[[2024-01-05]]"`, a link to the daily note
        link = parse_link(text)
        text = link.target.rsplit("/", 1)[-1] if link else text
    match = _DATE_VALUE.fullmatch(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _date_key_names(data: Mapping, date_keys: Iterable[str]) -> list[str]:
    """The note's own keys for ``date_keys``, in ``date_keys`` order: the key
    as written if present, else one differing only in case (``Date:``)."""
    folded = None
    names = []
    for wanted in date_keys:
        if wanted in data:
            names.append(wanted)
            continue
        if folded is None:
            folded = {}
            for key in data:
                folded.setdefault(key.casefold(), key)
        key = folded.get(wanted.casefold())
        if key is not None:
            names.append(key)
    return list(dict.fromkeys(names))


def _file_name_date(rel: str) -> date | None:
    base = rel.rsplit("/", 1)[-1]
    match = _NAME_DATE.match(base)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _dated(
    rel: str,
    data: Mapping,
    date_keys: Iterable[str],
    key_lines: Mapping,
    name_date: Callable[[str], date | None] | None = None,
) -> tuple[date | None, int | None, list[tuple[str, object, int | None]]]:
    """The note's date and its line, plus the date keys it could not read.

    Without a date key, ``name_date`` (the daily-notes format) reads the
    file name first, then the ``YYYY-MM-DD`` prefix rule."""
    unreadable = []
    for key in _date_key_names(data, date_keys):
        value = data[key]
        if value is None or value == "" or value == []:
            continue  # an empty template field, not a mistake
        when = _parse_date_value(value)
        if when is not None:
            return when, key_lines.get(key), unreadable
        unreadable.append((key, value, key_lines.get(key)))
    when = name_date(rel) if name_date is not None else None
    return when or _file_name_date(rel), None, unreadable


def note_date(
    rel: str,
    data: Mapping,
    date_keys: Iterable[str] = DATE_KEYS,
    key_lines: Mapping | None = None,
) -> tuple[date | None, int | None]:
    """A note's date and the line it is written on.

    The first of ``date_keys`` (exact key, else the same key in another
    case) holding ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS][.fff][zone]``
    (also with a space for the ``T``, or as a link ``"[[2024-01-05]]"``) gives
    the date as written, without moving it across time zones.  Else a
    ``YYYY-MM-DD`` starting the file name (line None).  Else ``(None, None)``.
    """
    when, line, _ = _dated(rel, data, date_keys, key_lines or {})
    return when, line


# ---------------------------------------------------------------- links


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


# ---------------------------------------------------------------- the vault


def _is_attachment(target: str) -> bool:
    base = target.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return dot > 0 and base[dot + 1 :].lower() in _ATTACHMENTS


def interactions(
    notes: Iterable[tuple[str, Note]],
    contacts: Iterable[Contact],
    today: date,
    *,
    folders: Iterable[str] = (),
    daily_folder: str | None = None,
    daily_format: str | None = None,
    date_keys: Iterable[str] = DATE_KEYS,
    known_notes: Iterable[str] = (),
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
    """
    contact_list = tuple(contacts)
    index = NameIndex(contact_list)
    contact_paths = {c.path for c in contact_list}
    prefixes = _prefixes([*folders, *([daily_folder] if daily_folder else [])])
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
        when, _, unreadable = _dated(rel, note.data, keys, note.key_lines, name_date)
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
        for link in links_in(note, skip_keys=keys):
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
    for rel, link in pending:
        if not _is_known(link.target, known):
            problems.append(
                Problem(rel, link.line, WARNING, f"[[{link.target}]] is not a contact in this vault")
            )
    for prefix, rels in undated.items():
        problems.append(_undated_problem(prefix, rels, daily_prefix, daily_format))
    result = {
        path: tuple(sorted(items, key=lambda i: (i.date, i.source)))
        for path, items in sorted(found.items())
    }
    return result, sort_problems(problems)


def _note_undated(
    rel: str,
    note: Note,
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
    for link in links_in(note, skip_keys=keys):
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
        if _format_pattern(daily_format) is None:
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

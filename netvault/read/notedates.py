"""When a note was written: the date it gives itself.

A frontmatter date key (``date``/``datetime`` by default, in any case),
else (in Obsidian's daily-notes folder) the file name read in Obsidian's
daily-note format (``DD.MM.YYYY``, ``dddd, MMMM Do YYYY``, ``YYYY/MM/YYYY-MM-DD``
...), else a ``YYYY-MM-DD`` starting the file name.  Also reads the folder
and format from Obsidian's ``.obsidian/daily-notes.json``.

Pure functions: the loader reads the files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import lru_cache

from ..values.wikilinks import parse_link

DATE_KEYS = ("date", "datetime")

# The whole value, so a stray word never passes as a date.  No nested
# quantifiers: matching is linear in the value's length.
_DATE_VALUE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:[.,]\d+)?)?"
    r"(?: ?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?)?"
)
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")


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


def readable_format(fmt: str) -> bool:
    """Whether :func:`date_from_format` can read names in the moment.js format ``fmt``."""
    return _format_pattern(fmt) is not None


def _date_of(match: re.Match) -> date | None:
    """The date a ``(YYYY)-(MM)-(DD)`` match spells; None for one no calendar has."""
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
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
    return _date_of(match)


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
    return _date_of(match)


def note_date_details(
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
    when, line, _ = note_date_details(rel, data, date_keys, key_lines or {})
    return when, line

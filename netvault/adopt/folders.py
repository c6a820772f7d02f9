"""Folders of dated notes that link to people (meetings, calls, days), and
the heading people notes keep their log under."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..read.vaultfile import note_stem
from ..read.logsection import DATED, HEADING, ITEM, code_blocks
from ..read.settings import DEFAULT_DATE_KEYS
from ..values.dates import DateError, parse_date
from ..values.names import fold
from .findings import Interactions
from .notes import _WIKILINK, _Note, _under, _values
from .people import _spelling

DATE_KEYS = DEFAULT_DATE_KEYS
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _dated(note: _Note) -> bool:
    for key in DATE_KEYS:
        value = note.data.get(key)
        if isinstance(value, str) and _DATE_PREFIX.match(value.strip()):
            try:
                parse_date(value.strip()[:10])
                return True
            except DateError:
                pass
    return bool(_DATE_PREFIX.match(note.rel.rsplit("/", 1)[-1]))


def _people_index(people: list[_Note]) -> set[str]:
    keys = set()
    for note in people:
        keys.add(fold(note_stem(note.rel)))
        keys.add(fold(note.rel[:-3]))
        for key in ("name", "aliases"):
            for value in _values(note.data.get(key)):
                keys.add(fold(value))
    return keys


def _links_people(note: _Note, index: set[str]) -> bool:
    for match in _WIKILINK.finditer(note.raw_text):
        target = match.group(1).strip()
        if target.lower().endswith(".md"):
            target = target[:-3]
        if fold(target) in index or fold(target.rsplit("/", 1)[-1]) in index:
            return True
    return False


_CALENDAR_PART = re.compile(
    r"^(\d{4}(-\d{2})?|\d{1,2}(-\w+)?|q[1-4]|w\d{1,2}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|"
    r"jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)$",
    re.IGNORECASE,
)


_ONE_ON_ONES = frozenset(("1-1", "1-1s", "1:1", "1:1s"))  # no days of a month


def _undated_folder(folder: str) -> str:
    """``Meetings/2026/01`` -> ``Meetings``: notes filed by year or month belong
    to the folder above (and the folders of other years with them)."""
    parts = folder.split("/") if folder else []
    while parts and _CALENDAR_PART.match(parts[-1]) and fold(parts[-1]) not in _ONE_ON_ONES:
        parts.pop()
    return "/".join(parts)


def _outermost(folders) -> list[str]:
    keep = []
    for folder in sorted(set(folders), key=lambda f: (fold(f).count("/"), fold(f), f)):
        if not any(fold(folder) == fold(k) or _under(folder, k) for k in keep):
            keep.append(folder)
    return sorted(keep, key=lambda f: (fold(f), f))


# Words that say a folder or a note holds meetings, calls, events or days
# (in a folder's name, or a note's type, tag or category), any case.
_MEETING_WORDS = frozenset(
    """meeting meetings meet meets call calls event events daily dailies day days journal
    journals journaling diary diaries calendar calendars log logs logbook standup standups
    1:1 1:1s 1-1 1-1s 1on1 1on1s interview interviews appointment appointments""".split()
)
_MEETING_COMPACT = frozenset(
    "1:1 1:1s 11s 1on1 1on1s oneonone oneonones meetingnotes meetingnote dailynotes dailynote".split()
)


def _meeting_like(text: str) -> bool:
    """Whether a folder name or a marker says meetings, calls, events or days."""
    folded = fold(text)
    words = [w for w in re.split(r"[^\w:-]+", folded.replace("_", " ")) if w]
    compact = re.sub(r"[\s_.\-]+", "", folded)
    return compact in _MEETING_COMPACT or any(
        w in _MEETING_WORDS or w.strip("-:") in _MEETING_WORDS for w in words
    )


def _meeting_marker(note: _Note) -> str | None:
    """The type, tag or category by which a note says it is a meeting, or None."""
    for kind, values in (("type", note.types), ("tag", note.tags), ("category", note.categories)):
        for value in values:
            if _meeting_like(value.split("/", 1)[0] if kind == "tag" else value):
                return f"{kind} {value}"
    return None


# A list item netvault reads as a log entry: "- 2026-01-15 call ...".
def _log_headings(note: _Note) -> set[str]:
    """The headings (as written) under which the note keeps dated list items;
    a dated item under a calendar heading (### 2026, ### March) counts for
    the heading above it."""
    lines = note.body.splitlines()
    hidden, _ = code_blocks(lines)
    stack: list[tuple[int, str]] = []  # (level, text) of the headings above
    found = set()
    for index, line in enumerate(lines):
        if hidden[index]:
            continue
        heading = HEADING.match(line.rstrip("\r\n"))
        if heading:
            level = len(heading.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading.group(2).strip()))
            continue
        item = ITEM.match(line.rstrip("\r\n"))
        if not item or not DATED.match(item.group(1).strip()):
            continue
        for _, text in reversed(stack):
            if not _CALENDAR_PART.match(text):
                if text and "\n" not in text:
                    found.add(text)
                break
    return found


def _headings(note: _Note) -> set[str]:
    lines = note.body.splitlines()
    hidden, _ = code_blocks(lines)
    return {
        fold(m.group(2).strip())
        for index, line in enumerate(lines)
        if not hidden[index] and (m := HEADING.match(line.rstrip("\r\n")))
    }


def _log_heading(people_notes: list[_Note], current: str = "Log") -> tuple[str | None, int]:
    """The heading most people notes keep dated list items under, when it is
    not netvault's ``Log`` and no people note has a Log heading (its entries
    would be lost); with the number of notes that have it."""
    if not people_notes or any(fold(current) in _headings(n) for n in people_notes):
        return None, 0
    counts: Counter = Counter()
    spelled: Counter = Counter()
    for note in people_notes:
        headings = _log_headings(note)
        for text in headings:
            spelled[text] += 1
        for key in {fold(t) for t in headings}:
            counts[key] += 1
    if not counts:
        return None, 0
    key, count = min(counts.items(), key=lambda kc: (-kc[1], kc[0]))
    if count * 2 <= len(people_notes):
        return None, 0
    return _spelling(Counter({t: c for t, c in spelled.items() if fold(t) == key}))[key], count


def _meeting_folders(
    notes: list[_Note], people_notes: list[_Note], person_paths: set[str], daily: str | None
) -> tuple[list[Interactions], list[Interactions], int]:
    """Folders of dated notes that link to people: those of meetings, calls and
    days (and ``daily``, Obsidian's daily-notes folder, when it is one), those
    that do not look like meetings, and how many such notes lie at the top."""
    index = _people_index(people_notes)
    by_meeting_folder: dict[str, list[_Note]] = defaultdict(list)
    root_notes = 0
    for note in notes:
        if note.rel in person_paths or not _dated(note) or not _links_people(note, index):
            continue
        folder = _undated_folder(note.folder)
        if folder:
            by_meeting_folder[folder].append(note)
        else:
            root_notes += 1
    why_of: dict[str, str] = {}
    for folder, members in by_meeting_folder.items():
        if any(_meeting_like(part) for part in folder.split("/")):
            why_of[folder] = "dated notes that link to people"
            continue
        said = [m for m in (_meeting_marker(n) for n in members) if m]
        if len(said) * 2 > len(members):
            common = min(Counter(said).items(), key=lambda mc: (-mc[1], mc[0]))[0]
            why_of[folder] = f"dated notes that link to people, with {common}"
    accepted = _outermost(why_of)
    interactions = []
    for folder in accepted:
        inside = [f for f in by_meeting_folder if fold(f) == fold(folder) or _under(f, folder)]
        count = sum(len(by_meeting_folder[f]) for f in inside)
        interactions.append(Interactions(folder, count, why_of.get(folder, "dated notes that link to people")))
    not_interactions = []
    rejected = [
        f for f in by_meeting_folder
        if not any(fold(f) == fold(a) or _under(f, a) for a in accepted)
    ]
    for folder in _outermost(rejected):
        inside = [f for f in rejected if fold(f) == fold(folder) or _under(f, folder)]
        count = sum(len(by_meeting_folder[f]) for f in inside)
        not_interactions.append(Interactions(folder, count, "dated notes that link to people, but they do not look like meetings"))
    if daily and not any(
        fold(i.folder) == fold(daily) or _under(daily, i.folder) for i in interactions
    ):
        count = len(by_meeting_folder.get(daily, ()))
        interactions.append(Interactions(daily, count, "Obsidian's daily notes folder, from .obsidian/daily-notes.json"))
        not_interactions = [i for i in not_interactions if not (fold(i.folder) == fold(daily) or _under(i.folder, daily))]
    interactions.sort(key=lambda i: (fold(i.folder), i.folder))
    return interactions, not_interactions, root_notes

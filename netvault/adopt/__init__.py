"""Reading an existing vault (Obsidian's, usually) to write its ``netvault.toml``.

:func:`adopt_vault` looks at every note, read-only, and works out what
netvault needs to understand the vault as it is: which notes are people (a
people folder, a ``type``, a tag, a category), which of the user's keys mean
netvault's fields, which folders hold dated notes that mention people, and a
default rhythm for people who have none.  It returns an :class:`Adoption`:
the findings, the decisions and the TOML text.  It writes nothing and prints
nothing; the ``adopt`` command does that.

The rules are plain on purpose, so that the printed reasons can say why:

* a folder is a people folder by its name (People/, contacts/, Persons/...);
* a ``type``, tag or category means "person" when it is named so (person,
  people, contact...) or when every note of a people folder has it;
* a note that says it is something else (an organisation, an event, a place,
  vCard ``KIND: org``) is never a person, unless it has ``circle:``;
* a key maps to a field when its name, written loosely, is the field's name
  or a common synonym, and every value people notes give it fits the field.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from ..cadence import CadenceError, parse_cadence
from ..config import (
    CIRCLES,
    DEFAULT_DATE_KEYS,
    DEFAULT_NOT_TAGS,
    DEFAULT_NOT_TYPES,
    FIELDS,
    Config,
    UnreadableFile,
    read_vault_file,
)
from ..dates import DateError, parse_date, parse_day
from ..due import effective_last_contact
from ..frontmatter import FrontmatterError, Note, decode, parse
from ..links import fold
from ..loader import contact_from_bytes, note_stem, parse_birthday
from ..logsection import DATED, HEADING, ITEM, code_blocks
from ..mentions import interactions as note_interactions
from ..people import NOT_KINDS, is_person
from ..scan import in_contacts_folder, scan_notes

DEFAULT_RHYTHM = "twice-a-year"
# Far above any note a person typed (vCard photos make notes of tens of KB).
MAX_NOTE_BYTES = 8 << 20

PEOPLE_FOLDERS = frozenset(
    "people person persons personen contacts contact kontakte humans folks".split()
)
PERSON_WORDS = frozenset("person people persons contact contacts human humans".split())
# Types and tags that say a note is no person: the loader's own defaults.
NOT_TYPES = frozenset(DEFAULT_NOT_TYPES)
NOT_TAGS = frozenset(DEFAULT_NOT_TAGS)
TEMPLATE_FOLDERS = frozenset("templates template _templates".split())
DATE_KEYS = DEFAULT_DATE_KEYS

# Loosely written names (see _loose) meaning each field, besides the field's own.
SYNONYMS = {
    "name": ("fn", "full name", "fullname", "display name", "contact name"),
    "aliases": ("alias", "nickname", "nicknames", "nick", "aka", "also known as"),
    "origin": ("how we met", "how met", "met via", "met through"),
    "org": ("orgs", "organisation", "organisations", "organization", "organizations", "company",
            "companies", "employer", "works at", "workplace"),
    "role": ("title", "job title", "jobtitle", "position", "job", "occupation"),
    "email": ("emails", "e mail", "mail", "email address"),
    "phone": ("phones", "tel", "telephone", "mobile", "cell", "cellphone", "mobile phone",
              "cell phone", "phone number", "mobile number"),
    "linkedin": ("linked in", "linkedin url", "linkedin profile"),
    "channels": ("channel", "preferred channel", "preferred channels"),
    "cadence": ("frequency", "contact frequency", "rhythm"),
    "last_contact": ("last contacted", "last contact date", "last touch", "last interaction",
                     "last met", "last seen"),
    "snooze_until": ("snoozed until",),
    # Not "next contact": a date the user keeps as an Obsidian date property,
    # where netvault's "DATE note" follow-ups would break it.
    "follow_up": ("followup", "next step"),
    "introduced_by": ("introducer", "referred by"),
    "goals": ("goal",),
    "birthday": ("bday", "birth date", "birthdate", "date of birth", "dob"),
    "tags": ("tag",),
}
# Parts of a name: mapping one to `name` would call Anya Volkova "Volkova".
NAME_PARTS = frozenset(
    ("n fn", "n gn", "n mn", "n prefix", "n suffix", "first name", "firstname", "last name",
     "lastname", "given name", "family name", "surname")
)
# vCard keys whose label says what they are: SOCIALPROFILE[Linkedin], URL[linkedin].
_LABELLED = {"socialprofile": {"linkedin": "linkedin"}, "x socialprofile": {"linkedin": "linkedin"},
             "url": {"linkedin": "linkedin"}}
DATE_FIELDS = ("last_contact", "snooze_until")
MANY_FIELDS = ("aliases", "channels", "goals", "tags", "origin", "org", "role", "introduced_by", "knows")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Person:
    path: str
    reasons: tuple[str, ...]  # "folder People", "type Person", "tag Contact", "category People", "circle"


@dataclass(frozen=True)
class NotPerson:
    path: str
    reason: str  # "type Startup", "tag Organisation", "KIND org"
    in_people_folder: bool


@dataclass(frozen=True)
class Marker:
    value: str  # as written in the notes
    why: str  # "a word for a person" or "shared by every note in People/"


@dataclass(frozen=True)
class Mapping:
    key: str  # the user's key, as written
    field: str  # netvault's field
    why: str
    notes: int  # people notes that use the key


@dataclass(frozen=True)
class Unmapped:
    key: str
    field: str | None
    why: str
    rival: str | None = None  # the key chosen for the field, which this one contradicts
    example: str | None = None  # a note where they disagree (or where a value does not fit)


@dataclass(frozen=True)
class Interactions:
    folder: str
    notes: int  # dated notes in it that link to people
    why: str


@dataclass(frozen=True)
class NotPeopleHint:
    """A note in a people folder that looks like no person: an index, a map of content."""

    path: str
    tags: tuple[str, ...]  # its tags no person has: added to [people] not_tags


@dataclass(frozen=True)
class Broken:
    path: str
    line: int | None
    message: str


@dataclass(frozen=True)
class Adoption:
    """What :func:`adopt_vault` found in a vault and decided; ``toml`` is the file."""

    notes: int
    broken: tuple[Broken, ...]
    people: tuple[Person, ...]
    people_folders: tuple[str, ...]
    types: tuple[Marker, ...]
    tags: tuple[Marker, ...]
    categories: tuple[Marker, ...]
    not_people: tuple[NotPerson, ...]
    obsidian_templates: str | None  # from .obsidian/templates.json: never read
    templates: tuple[str, ...]  # more template folders, listed in [people] templates
    mappings: tuple[Mapping, ...]
    own_keys: tuple[str, ...]  # netvault's own names, used as they are
    unmapped: tuple[Unmapped, ...]  # keys that look like a field but are not mapped
    other_keys: tuple[str, ...]  # the rest: kept, not used
    interactions: tuple[Interactions, ...]
    not_interactions: tuple[Interactions, ...]  # dated notes linking people, not meeting-like
    undated_root_notes: int  # dated notes mentioning people at the top of the vault
    without_rhythm: tuple[str, ...]  # people with neither circle nor cadence
    default_cadence: str | None
    never_contacted: tuple[str, ...]  # of without_rhythm: no last contact at all, so due today
    probably_not_people: tuple[NotPeopleHint, ...]  # in a people folder, but like no person
    not_tags: tuple[str, ...]  # [people] not_tags to write (empty: netvault's default)
    log_heading: str | None  # the heading people notes keep their log under, when not Log
    log_heading_notes: int
    toml: str = ""


# ---------------------------------------------------------------- reading


@dataclass
class _Note:
    rel: str
    data: dict
    body: str
    raw_text: str
    raw: bytes = b""
    parsed: Note | None = None
    types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kind: str | None = None

    @property
    def folder(self) -> str:
        return self.rel.rpartition("/")[0]


_WIKILINK = re.compile(r"\[\[([^\]|#^\n]*)(?:[#^][^\]|\n]*)?(?:\|[^\]\n]*)?\]\]")
_INLINE_TAG = re.compile(r"(?:(?<=\s)|^)#([\w/-]+)", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_COMMENTS = re.compile(r"%%.*?%%|<!--.*?-->", re.DOTALL)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PLACEHOLDER = re.compile(r"\{\{[^}\n]*\}\}|<%.*?%>", re.DOTALL)


def _link_target(text: str) -> str:
    """``[[Types/Person|P]]`` -> ``Person``; plain text stays, a leading ``#`` goes."""
    text = text.strip()
    match = _WIKILINK.fullmatch(text)
    if match:
        text = match.group(1).strip()
        if text.lower().endswith(".md"):
            text = text[:-3]
        text = text.rsplit("/", 1)[-1]
    return text.lstrip("#").strip()


def _values(value) -> list[str]:
    """A frontmatter value as a list of strings (``[[X]]`` unquoted is a list in a list)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str):
            item = f"[[{item[0]}]]"
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
    return out


def inline_tags(body: str) -> list[str]:
    """``#tags`` in a note's text, as Obsidian sees them: not in code or comments,
    not all digits."""
    text = _COMMENTS.sub(" ", _INLINE_CODE.sub(" ", _FENCE.sub(" ", body)))
    tags = []
    for match in _INLINE_TAG.finditer(text):
        tag = match.group(1).strip("/")
        if tag and not tag.replace("/", "").isdigit():
            tags.append(tag)
    return tags


def _read_notes(root: Path) -> tuple[list[_Note], list[Broken], int]:
    notes, broken = [], []
    paths = scan_notes(root, Config()).notes
    for rel in paths:
        try:
            raw = read_vault_file(root, rel, MAX_NOTE_BYTES)
            text = decode(raw)
            note = parse(text)
        except FileNotFoundError:
            continue  # vanished while we looked
        except UnreadableFile as exc:
            broken.append(Broken(rel, None, exc.reason))
            continue
        except FrontmatterError as exc:
            broken.append(Broken(rel, exc.line, exc.message))
            continue
        data = note.data
        tags = [_link_target(t) for v in _values(data.get("tags")) for t in re.split(r"[,\s]+", v)]
        tags += inline_tags(note.body)
        kind = next((v for k, v in data.items() if k.lower() == "kind" and isinstance(v, str)), None)
        notes.append(
            _Note(
                rel=rel,
                data=data,
                body=note.body,
                raw_text=text,
                raw=raw,
                parsed=note,
                types=tuple(_link_target(t) for t in _values(data.get("type"))),
                tags=tuple(t for t in tags if t),
                categories=tuple(_link_target(c) for c in _values(data.get("categories"))),
                kind=kind.strip() if kind else None,
            )
        )
    return notes, broken, len(paths)


def _obsidian_setting(root: Path, rel: str, key: str) -> str | None:
    """A folder named in one of Obsidian's JSON settings; None when unset or unreadable
    (the file is Obsidian's, not ours: a bad one is ignored without a word)."""
    try:
        data = json.loads(read_vault_file(root, rel).decode("utf-8"))
    except (OSError, UnreadableFile, ValueError, RecursionError):
        return None
    folder = data.get(key) if isinstance(data, dict) else None
    if isinstance(folder, str) and folder.strip("/ "):
        return folder.strip("/ ")
    return None


def _under(rel: str, folder: str) -> bool:
    return fold(rel).startswith(fold(folder).rstrip("/") + "/")


# ---------------------------------------------------------------- people


def _top(tag: str) -> str:
    return fold(tag.split("/", 1)[0])


def _covered(tag: str, wanted) -> bool:
    """Whether ``tag`` is one of ``wanted`` or nested under one (person/friend under person)."""
    parts = fold(tag).split("/")
    return any("/".join(parts[:n]) in wanted for n in range(1, len(parts) + 1))


def _not_person(note: _Note, not_tags=NOT_TAGS) -> str | None:
    """Why a note says it is something else than a person, or None."""
    for value in note.types:
        if fold(value) in NOT_TYPES:
            return f"type {value}"
    for value in note.tags:
        if _covered(value, not_tags):
            return f"tag {value}"
    if note.kind and fold(note.kind) in NOT_KINDS:
        return f"KIND {note.kind}"
    return None


def _people_folder(rel: str) -> str | None:
    """The outermost folder above ``rel`` named for people, as written."""
    parts = rel.split("/")[:-1]
    for index, part in enumerate(parts):
        if fold(part) in PEOPLE_FOLDERS:
            return "/".join(parts[: index + 1])
    return None


def _spelling(counter: Counter) -> dict[str, str]:
    """folded value -> its most used spelling (ties: the first in sort order)."""
    best: dict[str, tuple[int, str]] = {}
    for value, count in counter.items():
        key = fold(value)
        if key not in best or (-count, value) < (-best[key][0], best[key][1]):
            best[key] = (count, value)
    return {key: value for key, (_, value) in best.items()}


def _markers(candidates, folder_notes, read, forbidden, named_match, nested=False):
    """The values of one kind (types, tags, categories) that mean a person.

    With ``nested`` (tags), a value under another one found (person/mentor
    under person) is left out: netvault matches nested tags by their parent."""
    counter = Counter(v for note in candidates for v in read(note))
    spelled = _spelling(counter)
    found: dict[str, str] = {}
    for key, value in spelled.items():
        if named_match(value) and key not in forbidden:
            found[key] = "a word for a person"
    for folder, members in sorted(folder_notes.items()):
        if len(members) < 2:
            continue  # one note shares everything with itself
        shared = set.intersection(*({fold(v) for v in read(n)} for n in members))
        for key in sorted(shared - forbidden):
            found.setdefault(key, f"shared by every note in {folder}/")
    if nested:
        found = {k: why for k, why in found.items() if not _covered(k.rpartition("/")[0], found)}
    return tuple(sorted((Marker(spelled[k], why) for k, why in found.items()), key=lambda m: fold(m.value)))


# ---------------------------------------------------------------- fields


def _loose(key: str) -> tuple[str, str]:
    """A key written loosely: ``(base, label)``.

    Case, spaces, ``-``, ``_``, ``.`` and camelCase do not matter; a vCard
    label in brackets (``EMAIL[HOME]``) or after ``;`` (``TEL;TYPE=cell``) is
    set aside as ``label``.
    """
    label = ""
    match = re.search(r"\[([^\]]*)\]", key)
    if match:
        label = match.group(1)
        key = key[: match.start()] + key[match.end():]
    if ";" in key:
        key, _, rest = key.partition(";")
        label = label or rest.rpartition("=")[2]
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)
    key = re.sub(r"[\s_.\-]+", " ", key).strip()
    return key.casefold(), label.strip().casefold()


def _field_for(key: str) -> tuple[str | None, str]:
    """netvault's field a user's key means, and why; (None, why) for a name part."""
    base, label = _loose(key)
    if base in NAME_PARTS:
        return None, "a part of a name; netvault's name is the whole name (else the file name)"
    if label and base in _LABELLED and label in _LABELLED[base]:
        name = _LABELLED[base][label]
        return name, f"a {base.upper()} labelled {label}"
    compact = base.replace(" ", "")
    for name in FIELDS:
        if compact == name.replace("_", ""):
            how = "netvault's name written differently"
            if label:
                how = f"{key.split('[')[0].split(';')[0]} with the label {label.upper()}"
            return name, how
    for name, words in SYNONYMS.items():
        if base in words or compact in {w.replace(" ", "") for w in words}:
            how = f"a common name for {name}"
            if label:
                how += f" (label {label.upper()})"
            return name, how
    return None, ""


def _fits(name: str, value) -> bool:
    """Whether netvault reads ``value`` as its field ``name`` without an error."""
    if name in MANY_FIELDS:
        items = value if isinstance(value, list) else [value]
        # `knows: [[Carol]]` unquoted is a list in a list: netvault reads it (and warns).
        return all(isinstance(v, (str, type(None))) or _values([v]) for v in items)
    if not isinstance(value, str):
        return False
    text = value.strip()
    if name in DATE_FIELDS:
        try:
            parse_day(text)
        except DateError:
            return False
        return True
    if name == "birthday":
        return parse_birthday(text) is not None
    if name == "circle":
        return text.lower() in CIRCLES
    if name == "cadence":
        try:
            parse_cadence(text)
        except CadenceError:
            return False
        return True
    if name == "priority":
        return bool(re.fullmatch(r"\d{1,6}", text)) and int(text) >= 1
    if name == "follow_up":
        try:
            parse_date(text.partition(" ")[0])
        except DateError:
            return False
        return True
    if name == "name":
        return "\n" not in text and "\r" not in text
    return True


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _same(a, b) -> bool:
    def norm(v):
        items = v if isinstance(v, list) else [v]
        return [str(i).strip().casefold() for i in items if not _empty(i)]

    return norm(a) == norm(b)


_BARE_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2})?)?")


def _map_fields(people: list[_Note], obsidian_dates: frozenset[str] = frozenset()):
    """Decide [fields]: which of the keys people notes use mean which field.

    When several keys mean one field, netvault reads the first non-empty one
    and ``check`` warns where they disagree; so a key is mapped only if it
    never disagrees, in one note, with a key already chosen for its field
    (netvault's own key first, then the most used).  The others are reported.
    """
    usage: Counter = Counter()
    first_seen: dict[str, int] = {}
    for note in people:
        for key, value in note.data.items():
            if not isinstance(key, str):
                continue
            first_seen.setdefault(key, len(first_seen))
            if not _empty(value):
                usage[key] += 1
    own = sorted((k for k in first_seen if k in FIELDS), key=fold)
    candidates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    unmapped: list[Unmapped] = []
    other: list[str] = []
    for key in first_seen:
        if key in FIELDS:
            continue
        name, why = _field_for(key)
        if name is None:
            if why:
                unmapped.append(Unmapped(key, None, why))
            else:
                other.append(key)
            continue
        if usage[key] == 0:
            unmapped.append(Unmapped(key, name, f"means {name}, but no people note gives it a value"))
            continue
        if name == "follow_up":
            # netvault writes "DATE note" into follow_up: a date property would break.
            values = [n.data[key] for n in people if not _empty(n.data.get(key))]
            if fold(key) in obsidian_dates:
                unmapped.append(Unmapped(key, name, "Obsidian types it as a date (.obsidian/types.json), "
                                         "but netvault writes \"DATE note\" into follow_up"))
                continue
            if _loose(key)[0].startswith("next ") and all(
                isinstance(v, str) and _BARE_DATE.fullmatch(v.strip()) for v in values
            ):
                unmapped.append(Unmapped(key, name, "holds only dates, but netvault writes "
                                         "\"DATE note\" into follow_up"))
                continue
        bad = [n for n in people if not _empty(n.data.get(key)) and not _fits(name, n.data[key])]
        if bad:
            example = bad[0]
            unmapped.append(
                Unmapped(
                    key,
                    name,
                    f"means {name}, but netvault cannot read {_show(example.data[key])} "
                    f"({example.rel}{' and ' + str(len(bad) - 1) + ' more' if len(bad) > 1 else ''}) "
                    f"as a {name}",
                )
            )
            continue
        candidates[name].append((key, why))
    mappings: list[Mapping] = []
    for name, keys in candidates.items():
        chosen = [name] if name in first_seen else []
        for key, why in sorted(keys, key=lambda kw: (-usage[kw[0]], first_seen[kw[0]])):
            rival = next(
                (
                    (other_key, note)
                    for note in people
                    for other_key in chosen
                    if not _empty(note.data.get(key))
                    and not _empty(note.data.get(other_key))
                    and not _same(note.data[key], note.data[other_key])
                ),
                None,
            )
            if rival is not None:
                other_key, note = rival
                unmapped.append(
                    Unmapped(
                        key,
                        name,
                        f"means {name} too, but {note.rel} gives it another value than "
                        f"{other_key}; netvault reads one {name}",
                        rival=other_key,
                        example=note.rel,
                    )
                )
                continue
            chosen.append(key)
            mappings.append(Mapping(key, name, why, usage[key]))
    mappings.sort(key=lambda m: (fold(m.key), m.key))
    unmapped.sort(key=lambda u: (fold(u.key), u.key))
    return tuple(mappings), tuple(own), tuple(unmapped), tuple(sorted(other, key=lambda k: (fold(k), k)))


def _show(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text if len(text) <= 40 else text[:37] + "...")


# ---------------------------------------------------------------- meetings


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


# Keys only a person has: a note with one of them is a person, whatever its markers.
_PERSON_FIELDS = frozenset(
    "circle origin org role email phone linkedin channels cadence last_contact priority "
    "snooze_until follow_up introduced_by knows birthday".split()
)


def _person_like_keys(note: _Note) -> bool:
    for key in note.data:
        if not isinstance(key, str):
            continue
        if key in _PERSON_FIELDS:
            return True
        name, why = _field_for(key)
        if name in _PERSON_FIELDS or (name is None and why):  # a part of a name
            return True
    return False


def _note_markers(note: _Note) -> set[str]:
    """A note's types, tags (with every parent of a nested tag) and categories."""
    found = {f"type {fold(v)}" for v in note.types} | {f"category {fold(v)}" for v in note.categories}
    for tag in note.tags:
        parts = fold(tag).split("/")
        found |= {"tag " + "/".join(parts[:n]) for n in range(1, len(parts) + 1)}
    return found


def _index_notes(in_folders: dict[str, list[_Note]]) -> list[_Note]:
    """Notes of a people folder that carry none of the markers most of its
    notes share, and no key only a person has: indexes, maps of content."""
    flagged = []
    for folder, members in sorted(in_folders.items()):
        if len(members) < 3:
            continue  # "most" of two notes is both of them
        counts = Counter(m for note in members for m in _note_markers(note))
        shared = {m for m, c in counts.items() if c * 2 > len(members)}
        if not shared:
            continue  # the folder's notes share no marker: nothing to stand out from
        for note in members:
            if not (_note_markers(note) & shared) and not _person_like_keys(note):
                flagged.append(note)
    return sorted(flagged, key=lambda n: (fold(n.rel), n.rel))


def _obsidian_date_keys(root: Path) -> frozenset[str]:
    """Keys Obsidian's property types (.obsidian/types.json) make dates, folded."""
    try:
        data = json.loads(read_vault_file(root, ".obsidian/types.json").decode("utf-8"))
    except (OSError, UnreadableFile, ValueError, RecursionError):
        return frozenset()
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict):
        return frozenset()
    return frozenset(
        fold(k) for k, v in types.items()
        if isinstance(k, str) and isinstance(v, str) and v.strip().lower() in ("date", "datetime")
    )


# ---------------------------------------------------------------- the whole


def adopt_vault(root: Path | str) -> Adoption:
    """Look at the vault under ``root`` (read-only) and decide its netvault.toml."""
    root = Path(root)
    notes, broken, total = _read_notes(root)
    obsidian_templates = _obsidian_setting(root, ".obsidian/templates.json", "folder") or _obsidian_setting(
        root, ".obsidian/core-plugins-templates.json", "folder"
    )
    templater = _obsidian_setting(root, ".obsidian/plugins/templater-obsidian/data.json", "templates_folder")
    daily = _obsidian_setting(root, ".obsidian/daily-notes.json", "folder")

    # Template folders: Templater's, and folders named Templates holding blanks.
    by_folder: dict[str, list[_Note]] = defaultdict(list)
    for note in notes:
        parts = note.rel.split("/")[:-1]
        for index in range(len(parts)):
            by_folder["/".join(parts[: index + 1])].append(note)
    templates = set()
    if templater and not (obsidian_templates and fold(templater) == fold(obsidian_templates)):
        templates.add(templater)
    for folder, members in by_folder.items():
        if fold(folder.rsplit("/", 1)[-1]) in TEMPLATE_FOLDERS and any(_blank(n) for n in members):
            templates.add(folder)
    templates = set(_outermost(templates))
    notes = [n for n in notes if not any(_under(n.rel, t) for t in templates)]

    # People.
    folder_of = {n.rel: _people_folder(n.rel) for n in notes}
    in_folders: dict[str, list[_Note]] = defaultdict(list)
    for note in notes:
        if folder_of[note.rel] and "circle" not in note.data and _not_person(note) is None:
            in_folders[folder_of[note.rel]].append(note)
    # Indexes in a people folder (no marker its people share, no person's key)
    # are no people: they do not count when finding what its people share.
    index_notes = _index_notes(in_folders)
    flagged = {n.rel for n in index_notes}
    sharing = {f: [n for n in members if n.rel not in flagged] for f, members in in_folders.items()}
    plain = [n for n in notes if "circle" in n.data or _not_person(n) is None]
    types = _markers(plain, sharing, lambda n: n.types, NOT_TYPES, lambda v: fold(v) in PERSON_WORDS)
    tags = _markers(
        plain, sharing, lambda n: n.tags, NOT_TAGS, lambda v: _top(v) in PERSON_WORDS, nested=True
    )
    categories = _markers(
        plain, sharing, lambda n: n.categories, NOT_TYPES, lambda v: fold(v) in PERSON_WORDS
    )
    type_keys = {fold(m.value) for m in types} | {"contact"}
    tag_keys = {fold(m.value) for m in tags}
    category_keys = {fold(m.value) for m in categories}

    # An index note's own tags that no likely person has go to [people] not_tags.
    def likely_person(n: _Note) -> bool:
        return n.rel not in flagged and (
            bool(folder_of[n.rel])
            or "circle" in n.data
            or any(fold(t) in type_keys for t in n.types)
            or any(_covered(t, tag_keys) for t in n.tags)
            or any(fold(c) in category_keys for c in n.categories)
        )

    person_tags = [fold(t) for n in plain if likely_person(n) for t in n.tags]
    hints = []
    extra_not_tags: dict[str, str] = {}
    for note in index_notes:
        own = []
        for tag in dict.fromkeys(note.tags):
            key = fold(tag)
            if (
                _covered(tag, tag_keys)
                or _top(tag) in PERSON_WORDS
                or any(p == key or p.startswith(key + "/") for p in person_tags)
            ):
                continue
            own.append(tag)
            extra_not_tags.setdefault(key, tag)
        hints.append(NotPeopleHint(note.rel, tuple(own)))
    # Leave out tags nested under another one added (netvault matches parents).
    extra_not_tags = {
        k: v for k, v in extra_not_tags.items() if not _covered(k.rpartition("/")[0], extra_not_tags)
    }
    not_tags = (
        tuple(dict.fromkeys([*DEFAULT_NOT_TAGS, *sorted(extra_not_tags.values(), key=lambda v: (fold(v), v))]))
        if extra_not_tags
        else ()
    )
    refused_tags = frozenset(NOT_TAGS | set(extra_not_tags))

    people_folders = tuple(sorted({f for f in folder_of.values() if f}, key=lambda f: (fold(f), f)))
    decided = Config(
        contacts=people_folders,
        person_types=tuple(sorted(type_keys)),
        person_tags=tuple(sorted(tag_keys)),
        person_categories=tuple(sorted(category_keys)),
        not_tags=tuple(sorted(refused_tags)),
        templates=tuple(sorted(templates)),
    )
    obsidian_dates = _obsidian_date_keys(root)
    # Who is a person is the loader's call, asked with the settings adopt is
    # about to write, so that netvault reads exactly the people adopt reports;
    # [fields] can map a key to `circle`, which makes a person, hence two rounds.
    mappings, own, unmapped, other = (), (), (), ()
    for _ in range(2):
        people, people_notes, not_people = _sort_people(
            notes, decided, folder_of, type_keys, tag_keys, category_keys, refused_tags
        )
        mappings, own, unmapped, other = _map_fields(people_notes, obsidian_dates)
        fields = MappingProxyType({m.key: m.field for m in mappings})
        if fields == decided.fields:
            break
        decided = replace(decided, fields=fields)
    person_paths = {p.path for p in people}
    hints = [h for h in hints if h.path in person_paths or h.tags]

    # The log section people notes already keep, under another heading than Log.
    log_heading, log_heading_notes = _log_heading(people_notes)
    if log_heading:
        decided = replace(decided, log_heading=log_heading)

    # Dated notes that link to people, in folders of meetings, calls, days.
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
    if daily and (root / daily).is_dir() and not any(
        fold(i.folder) == fold(daily) or _under(daily, i.folder) for i in interactions
    ):
        count = len(by_meeting_folder.get(daily, ()))
        interactions.append(Interactions(daily, count, "Obsidian's daily notes folder, from .obsidian/daily-notes.json"))
        not_interactions = [i for i in not_interactions if not (fold(i.folder) == fold(daily) or _under(i.folder, daily))]
    interactions.sort(key=lambda i: (fold(i.folder), i.folder))
    decided = replace(decided, interaction_folders=tuple(i.folder for i in interactions))

    # Rhythm.
    rhythm_keys = {"circle", "cadence"} | {m.key for m in mappings if m.field in ("circle", "cadence")}
    without = tuple(
        sorted(
            (n.rel for n in people_notes if all(_empty(n.data.get(k)) for k in rhythm_keys)),
            key=lambda r: (fold(r), r),
        )
    )
    default_cadence = DEFAULT_RHYTHM if without else None
    never = _never_contacted(
        [n for n in people_notes if n.rel in set(without)], notes, people_notes, decided,
        [i.folder for i in interactions], daily,
    )

    people_folders = tuple(f for f in people_folders if any(p.path.startswith(f + "/") for p in people))
    adoption = Adoption(
        notes=total,
        broken=tuple(broken),
        people=tuple(people),
        people_folders=people_folders,
        types=types,
        tags=tags,
        categories=categories,
        not_people=tuple(not_people),
        obsidian_templates=obsidian_templates,
        templates=tuple(sorted(templates, key=lambda f: (fold(f), f))),
        mappings=mappings,
        own_keys=own,
        unmapped=unmapped,
        other_keys=other,
        interactions=tuple(interactions),
        not_interactions=tuple(not_interactions),
        undated_root_notes=root_notes,
        without_rhythm=without,
        default_cadence=default_cadence,
        never_contacted=never,
        probably_not_people=tuple(hints),
        not_tags=not_tags,
        log_heading=log_heading,
        log_heading_notes=log_heading_notes,
    )
    return _with_toml(adoption)


def _never_contacted(candidates, notes, people_notes, config, folders, daily) -> tuple[str, ...]:
    """Of ``candidates``, the people netvault would find no last contact for:
    no last contact key, no log entry, no dated note in ``folders`` linking
    to them.  Asked of the loader, with the settings adopt writes."""
    if not candidates:
        return ()
    contacts = {}
    for note in people_notes:
        contact, _ = contact_from_bytes(note.rel, note.raw, config)
        if contact is not None:
            contacts[note.rel] = contact
    found: dict = {}
    prefixes = [*folders, *([daily] if daily else [])]
    if prefixes:
        dated = [
            (n.rel, n.parsed) for n in notes
            if n.parsed is not None and n.rel not in contacts
            and any(fold(n.rel).startswith(fold(f).rstrip("/") + "/") for f in prefixes)
        ]
        found, _ = note_interactions(
            dated, contacts.values(), date.max, folders=folders, daily_folder=daily,
            date_keys=config.date_keys, known_notes=[n.rel for n in notes],
        )
    return tuple(
        n.rel for n in candidates
        if n.rel in contacts and effective_last_contact(contacts[n.rel], date.max, found.get(n.rel, ())) is None
    )


def _sort_people(notes, config, folder_of, type_keys, tag_keys, category_keys, not_tags=NOT_TAGS):
    """People (with why), their notes, and the notes that say they are something else."""
    people: list[Person] = []
    people_notes: list[_Note] = []
    not_people: list[NotPerson] = []
    for note in notes:
        in_folder = in_contacts_folder(note.rel, config)
        if not is_person(note.data, note.body, config, in_folder):
            refusal = _not_person(note, not_tags)
            if refusal is not None:
                not_people.append(NotPerson(note.rel, refusal, folder_of[note.rel] is not None))
            continue
        reasons = []
        if any(key in note.data for key in config.keys_for("circle")):
            reasons.append("circle")
        if in_folder and folder_of[note.rel]:
            reasons.append(f"folder {folder_of[note.rel]}")
        reasons += [f"type {v}" for v in dict.fromkeys(note.types) if fold(v) in type_keys]
        reasons += [f"tag {v}" for v in dict.fromkeys(note.tags) if _covered(v, tag_keys)]
        reasons += [f"category {v}" for v in dict.fromkeys(note.categories) if fold(v) in category_keys]
        people.append(Person(note.rel, tuple(reasons)))
        people_notes.append(note)
    return people, people_notes, not_people


def _blank(note: _Note) -> bool:
    """A note that looks like a template: a ``{{placeholder}}``, or empty values."""
    if _PLACEHOLDER.search(note.raw_text):
        return True
    return bool(note.data) and any(_empty(v) for v in note.data.values())


# ---------------------------------------------------------------- TOML


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ch == "\x7f" or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04x}" if not 0xD800 <= ord(ch) <= 0xDFFF else "\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def _array(values) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def _comment(text: str) -> str:
    """User text inside a comment: one line, no control characters."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


def _with_toml(a: Adoption) -> Adoption:
    lines = [
        "# netvault settings, written by `netvault adopt` from the notes of this vault.",
        "# Every key is optional: delete a line to get netvault's default back.",
        "# `netvault adopt --dry-run` shows what adopt finds in the vault today.",
        "",
        "[vault]",
        "# Folders whose every note is a person (any case; any depth below them),",
        "# except notes that say they are something else (see [people]).",
        "# `netvault add` puts new people in the first one.",
    ]
    if a.people_folders:
        lines.append(f"contacts = {_array(a.people_folders)}")
    else:
        lines.append("# No folder here is named for people, so none holds only people:")
        lines.append("contacts = []")
    if a.log_heading:
        lines.append(
            f"# {a.log_heading_notes} people notes keep dated list items under this heading;"
        )
        lines.append("# netvault reads them as the log and `netvault log` adds to it.")
        lines.append(f"log_heading = {toml_string(a.log_heading)}")
    lines += [
        "",
        "[people]",
        "# Notes elsewhere are people when their frontmatter `type`, their `tags`",
        "# (or an inline #tag) or their `categories` hold one of these (any case).",
        "# Notes whose type or tag says organisation, company, event, meeting or",
        "# place, or whose vCard KIND is org, location or group, are never people",
        "# unless they have `circle:` (netvault's not_types and not_tags defaults).",
    ]
    types = list(a.types)
    if not any(fold(m.value) == "contact" for m in types):
        types.append(Marker("contact", "netvault's own `type: contact`"))
    for key, markers in (("types", types), ("tags", a.tags), ("categories", a.categories)):
        markers = sorted(markers, key=lambda m: (fold(m.value), m.value))
        values = [m.value for m in markers]
        reasons = "; ".join(f"{_comment(m.value)}: {m.why}" for m in markers)
        if reasons:
            lines.append(f"# {key}: {reasons}")
        lines.append(f"{key} = {_array(values)}")
    if a.not_tags:
        hinted = sorted({fold(t) for h in a.probably_not_people for t in h.tags})
        lines.append(
            "# not_tags: netvault's own, and the tags of notes in a people folder that look like no"
        )
        lines.append(f"# person (no marker its people share, no person's key): {_comment(', '.join(hinted))}")
        lines.append(f"not_tags = {_array(a.not_tags)}")
    lines.append("# Folders of blank notes for new notes (a Templates folder with empty")
    lines.append("# values or {{placeholders}}): never read as people.")
    if a.obsidian_templates:
        lines.append(
            f"# Obsidian's own template folder ({_comment(a.obsidian_templates)}) is always left out."
        )
    lines.append(f"templates = {_array(a.templates)}")
    lines += [
        "",
        "[fields]",
        "# Your key = netvault's field. netvault reads your key as its own field and,",
        "# when it edits a note, writes the key the note already uses.",
    ]
    if not a.mappings:
        lines.append("# (people notes already use netvault's names, or none that netvault knows)")
    for m in a.mappings:
        lines.append(f"# {_comment(m.why)}; in {m.notes} people note{'s' if m.notes != 1 else ''}")
        lines.append(f"{toml_key(m.key)} = {toml_string(m.field)}")
    lines += ["", "[cadence]"]
    if a.default_cadence:
        count = len(a.without_rhythm)
        lines += [
            f"# {count} {'person has' if count == 1 else 'people have'} neither a circle nor a cadence; "
            "without a default",
            "# netvault would never remind you of them. Change it to e.g. \"quarterly\",",
            "# \"yearly\" or \"never\"; a circle or a cadence on a note counts first.",
            f"default = {toml_string(a.default_cadence)}",
        ]
    else:
        lines.append("# Every person has a circle or a cadence, so no default rhythm is set.")
        lines.append(f"# default = {toml_string(DEFAULT_RHYTHM)}")
    lines += [
        "",
        "[interactions]",
        "# A dated note (a `date` or `datetime` key, or a YYYY-MM-DD file name) in",
        "# these folders that links to a person counts as contact with them that day.",
        "from_notes = true",
    ]
    for i in a.interactions:
        lines.append(f"# {_comment(i.folder)}: {i.why}" + (f", {i.notes} found" if i.notes else ""))
    lines.append(f"folders = {_array(i.folder for i in a.interactions)}")
    for i in a.not_interactions:
        lines.append(
            f"# Not counted: {_comment(i.folder)}: {i.why} ({i.notes}); add it to folders if they are."
        )
    text = "\n".join(lines) + "\n"
    return Adoption(**{**a.__dict__, "toml": text})

"""Who looks like a person: people folders, the types, tags and categories
that mean a person, notes that say they are something else, index notes in a
people folder, and folders of templates."""

from __future__ import annotations

import re
from collections import Counter

from ..read.recognise import NOT_KINDS, is_person
from ..read.settings import DEFAULT_NOT_TAGS, DEFAULT_NOT_TYPES
from ..read.walk import in_contacts_folder
from ..values.names import fold
from .fields import _empty, _field_for
from .findings import Marker, NotPerson, Person
from .notes import _Note

PEOPLE_FOLDERS = frozenset(
    "people person persons personen contacts contact kontakte humans folks".split()
)
PERSON_WORDS = frozenset("person people persons contact contacts human humans".split())
# Types and tags that say a note is no person: the loader's own defaults.
NOT_TYPES = frozenset(DEFAULT_NOT_TYPES)
NOT_TAGS = frozenset(DEFAULT_NOT_TAGS)
TEMPLATE_FOLDERS = frozenset("templates template _templates".split())

# A blank to fill in: {{title}} (Obsidian templates), <% tp.date.now() %> (Templater).
_PLACEHOLDER = re.compile(r"\{\{[^}\n]*\}\}|<%.*?%>", re.DOTALL)


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

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

The parts: :mod:`.notes` reads the vault, :mod:`.people` finds who is a
person, :mod:`.fields` maps keys to fields, :mod:`.folders` finds the folders
of dated notes and the log heading, :mod:`.settings` writes the TOML text and
:mod:`.findings` holds what is found; :func:`adopt_vault` puts them together.

Reads only; never imports click, the edit path, the site or the importers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from ..playbook.due import effective_last_contact
from ..read.contact import contact_from_bytes
from ..read.mentions import interactions as note_interactions
from ..read.settings import DEFAULT_NOT_TAGS, Config
from ..values.names import fold
from .fields import _empty, _map_fields
from .findings import (
    Adoption,
    Broken,
    Interactions,
    Mapping,
    Marker,
    NotPeopleHint,
    NotPerson,
    Person,
    Unmapped,
)
from .folders import _log_heading, _meeting_folders, _outermost
from .notes import (
    _Note,
    _obsidian_date_keys,
    _obsidian_setting,
    _read_notes,
    _under,
    inline_tags,
)
from .people import (
    NOT_TAGS,
    NOT_TYPES,
    PERSON_WORDS,
    TEMPLATE_FOLDERS,
    _blank,
    _covered,
    _index_notes,
    _markers,
    _not_person,
    _people_folder,
    _sort_people,
    _top,
)
from .settings import DEFAULT_RHYTHM, _with_toml, toml_key, toml_string

__all__ = [
    "Adoption",
    "Broken",
    "Interactions",
    "Mapping",
    "Marker",
    "NotPeopleHint",
    "NotPerson",
    "Person",
    "Unmapped",
    "adopt_vault",
    "inline_tags",
    "toml_key",
    "toml_string",
]


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
    interactions, not_interactions, root_notes = _meeting_folders(
        notes, people_notes, person_paths, daily if daily and (root / daily).is_dir() else None
    )
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

"""What ``netvault adopt`` found in a vault and decided: frozen values the
command prints, and :class:`Adoption`, which also carries the TOML text."""

from __future__ import annotations

from dataclasses import dataclass


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

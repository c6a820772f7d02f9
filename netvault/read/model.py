"""The vault as netvault understands it: frozen values, built by the loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Mapping, NamedTuple

from ..values.cadence import Cadence
from ..values.problems import Problem
from ..values.vocabulary import CHANNELS  # noqa: F401  (read.model names it too)
from ..values.wikilinks import Link
from .names import NameIndex
from .settings import Config
from .vaultfile import note_stem



class LogEntry(NamedTuple):
    """One dated item of a note's log.  A named tuple: a vault holds hundreds
    of thousands of them, and these are built several times faster than a
    frozen dataclass, with the same fields, order and equality of values."""

    date: date
    channel: str | None
    text: str
    line: int
    gave: bool = False
    asked: bool = False
    interaction: bool = True  # False for funnel history such as "moved lukewarm → buddy"
    planned: bool = False  # tagged #planned: a future meeting, not a mistake


@dataclass(frozen=True)
class FollowUp:
    date: date
    note: str


@dataclass(frozen=True)
class Birthday:
    month: int
    day: int
    year: int | None  # None when the user wrote only month and day


@dataclass(frozen=True)
class Contact:
    path: str  # relative to the vault, "/" separated
    name: str
    aliases: tuple[str, ...] = ()
    circle: str | None = None
    origin: str | None = None
    org: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    channels: tuple[str, ...] = ()
    cadence: Cadence | None = None  # the contact's own; None means the circle default
    last_contact: date | None = None
    priority: int | None = None
    snooze_until: date | None = None
    follow_up: FollowUp | None = None
    introduced_by: tuple[Link, ...] = ()
    knows: tuple[Link, ...] = ()
    goals: tuple[str, ...] = ()
    birthday: Birthday | None = None
    tags: tuple[str, ...] = ()
    log: tuple[LogEntry, ...] = ()
    fields: Mapping[str, object] = field(default_factory=dict)  # everything as written
    lines: Mapping[str, int] = field(default_factory=dict)  # key -> line in the file
    # netvault's field -> the key in the file that holds it, as written: "last contact"
    # when [fields] maps it to last_contact.  Only fields the file has.
    keys: Mapping[str, str] = field(default_factory=dict)

    def key_for(self, name: str, config: Config) -> str:
        """The key an edit of the field ``name`` writes: the one the file uses,
        else the vault's own key for it (see :meth:`Config.write_key`)."""
        return self.keys.get(name) or config.write_key(name)

    @property
    def stem(self) -> str:
        return note_stem(self.path)


@dataclass(frozen=True)
class Vault:
    root: Path
    config: Config
    contacts: tuple[Contact, ...]
    problems: tuple[Problem, ...]
    notes: int = 0  # Markdown files read, contacts or not
    # contact path -> contact read from dated meeting and daily notes, oldest first
    interactions: Mapping[str, tuple["Interaction", ...]] = field(default_factory=dict)
    # Indexes derived from the contacts (who links to whom, the introductions
    # graph), built once per vault by the computation that needs them.
    derived: dict = field(default_factory=dict, compare=False, repr=False)
    # Contacts left out of ``contacts`` because the caller said none of them
    # could matter to it (see ``load_vault(..., idle=...)``); counted here.
    idle: int = 0

    @cached_property
    def names(self) -> NameIndex:
        """The contacts by file name, name and alias, built once per vault."""
        return NameIndex(self.contacts)


@dataclass(frozen=True)
class Interaction:
    """Contact read from a dated meeting or daily note that links to the person."""

    date: date
    source: str  # the note's path, relative to the vault, "/" separated
    line: int | None  # where the note first links to the person
    channel: str | None = None  # how, when an evidence line says (email, video, im, ...)

"""Other programs' formats: contacts coming in (LinkedIn, vCard, Google,
Outlook, any CSV) and going out (vCard, iCalendar, CSV, JSON).

Readers turn an export file into :class:`Person` records and the rows they
passed over (:class:`Skipped`); they never touch the vault.  Matching those
people to contacts and writing files is :mod:`netvault.interop.importer`'s, through
the one writer.  Exporters turn the loaded vault into text.

Never imports click, the site or adopt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class FormatError(Exception):
    """The file cannot be read as the format asked for: a one-line reason
    that names the file (and the line where there is one)."""


@dataclass(frozen=True)
class Person:
    """One person as an export spells them, in netvault's terms.

    Values are stripped text; empty ones are left out (None or ``()``).
    ``where`` is ``file:line`` (or ``file``) for messages.  ``birthday`` is
    ``YYYY-MM-DD`` or ``MM-DD`` (no year), as a contact file writes it; a
    birthday that is no date (``circa 1800``) goes to ``notes``.
    """

    name: str
    where: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()  # web pages other than the LinkedIn profile
    linkedin: str | None = None  # the profile URL as given
    org: str | None = None
    role: str | None = None
    birthday: str | None = None
    notes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # vCard NICKNAME
    tags: tuple[str, ...] = ()  # vCard CATEGORIES, Google labels
    address: str | None = None  # one line: "street, city, postcode, country"
    connected_on: date | None = None  # LinkedIn "Connected On"
    uid: str | None = None  # vCard UID
    extra: dict = field(default_factory=dict)  # other fields by netvault field name (CSV map, X-NETVAULT-*)
    log: str | None = None  # a netvault card's log lines, as the contact's log section held them
    from_netvault: bool = False  # a card netvault exported: its fields are the contact's own


@dataclass(frozen=True)
class Skipped:
    """A row or card that is not imported, and why (``KIND:org``, no name...)."""

    where: str
    reason: str


@dataclass(frozen=True)
class Parsed:
    """What a reader found in a file."""

    people: tuple[Person, ...]
    skipped: tuple[Skipped, ...] = ()

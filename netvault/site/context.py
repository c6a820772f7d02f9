"""What every page of a build shares: who has a page under which file name,
how names resolve (recorded, so a page knows which look-ups it depends on),
and the digests the incremental build keys pages on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

import markupsafe

from ..read.model import Contact, Vault
from ..read.names import NameIndex
from ..values.wikilinks import Link


@dataclass(frozen=True)
class PersonLink:
    """A name shown on a page: linked to its page when it is a contact."""

    text: str
    href: str | None = None


@dataclass
class Site:
    """What every page shares: who has a page where, and how to render notes."""

    vault: Vault
    today: date
    index: NameIndex
    pages: dict[str, str] = field(default_factory=dict)  # contact path -> page file name
    _pointing: dict | None = field(default=None, repr=False)  # (field, path) -> who points here
    _markdown: dict = field(default_factory=dict, repr=False)  # root -> parser (see .notes)
    # (kind, root, text) -> (HTML, the name look-ups it made): a text is
    # rendered once per build however many pages or log entries repeat it.
    _rendered: dict = field(default_factory=dict, repr=False)
    # While a page is built: every name it looked up.
    _lookups: list | None = field(default=None, repr=False)
    _resolved: dict = field(default_factory=dict, repr=False)  # name -> contact or None

    def pointing_at(self, contact: Contact, key: str) -> list[Contact]:
        """Everyone whose ``key`` (introduced_by or knows) resolves to ``contact``;
        worked out once for the whole vault, so a page costs no scan of it."""
        if self._pointing is None:
            pointing: dict = {}
            for other in self.vault.contacts:
                for name in ("introduced_by", "knows"):
                    for link in getattr(other, name):
                        target = self.resolve(link.target)
                        if target is not None and target is not other:
                            found = pointing.setdefault((name, target.path), [])
                            if other not in found:
                                found.append(other)
            self._pointing = pointing
        return self._pointing.get((key, contact.path), [])

    def page_of(self, contact: Contact) -> str:
        return self.pages[contact.path]

    def href(self, contact: Contact, root: str) -> str:
        return root + "people/" + quote(self.pages[contact.path], safe="~")

    def resolve(self, target: str) -> Contact | None:
        try:
            contact = self._resolved[target]
        except KeyError:
            found = self.index.lookup(target)
            contact = self._resolved[target] = found[0] if len(found) == 1 else None
        if self._lookups is not None:
            self._lookups.append(target)
        return contact

    def lookups_digest(self, targets) -> str:
        """What a page can show of the names it looked up: each one's
        contact's name and page, or that it names no one (or several)."""
        shown = []
        for target in targets:
            contact = self.resolve(target)
            shown.append(None if contact is None else (contact.name, self.pages[contact.path]))
        return digest(repr(shown))

    def rendered(self, kind: str, root: str, text: str, render) -> markupsafe.Markup:
        key = (kind, root, text)
        hit = self._rendered.get(key)
        if hit is None:
            outer, self._lookups = self._lookups, []
            try:
                html = render()
                hit = (html, tuple(self._lookups))
            finally:
                self._lookups = outer
            self._rendered[key] = hit
        if self._lookups is not None:
            self._lookups.extend(hit[1])
        return hit[0]

    def person_link(self, link: Link, root: str) -> PersonLink:
        contact = self.resolve(link.target)
        if contact is None:
            return PersonLink(link.text)
        return PersonLink(link.label or contact.name, self.href(contact, root))


def page_names(contacts) -> dict[str, str]:
    """``people/<file stem>.html`` per contact.  Two contacts with one stem
    (in different folders, or differing only in case, which some file
    systems cannot tell apart) get ``stem~2.html`` and on, in path order."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for contact in sorted(contacts, key=lambda c: c.path):
        stem = contact.stem or "contact"
        name, number = f"{stem}.html", 1
        while name.casefold() in taken:
            number += 1
            name = f"{stem}~{number}.html"
        taken.add(name.casefold())
        names[contact.path] = name
    return names


def digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

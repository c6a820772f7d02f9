"""Finding contacts by name: file name, ``name`` or alias, case-insensitively
and as Obsidian resolves ``[[links]]``; a NAME typed on the command line may
also drop accents or be a unique prefix.

The index knows contacts only by what names them (:class:`Named`), so the
model can hold one without this module importing the model.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Iterable, Protocol

from ..values.names import fold, plain
from ..values.wikilinks import Link, parse_link


class Named(Protocol):
    """What the index reads of a contact."""

    path: str
    name: str
    aliases: tuple[str, ...]

    @property
    def stem(self) -> str: ...


class NameIndex:
    """Looks contacts up by file name, ``name`` or alias, case-insensitively."""

    def __init__(self, contacts: Iterable[Named]) -> None:
        self.contacts = tuple(contacts)
        self.by_key: dict[str, list[Named]] = defaultdict(list)
        self.by_path: dict[str, Named] = {}
        for contact in self.contacts:
            for key in self.keys(contact):
                owners = self.by_key[key]
                if not any(owner is contact for owner in owners):
                    owners.append(contact)
            self.by_path[fold(contact.path[:-3] if contact.path.lower().endswith(".md") else contact.path)] = contact

    @staticmethod
    def keys(contact: Named) -> list[str]:
        keys = [fold(contact.stem), fold(contact.name)]
        keys.extend(fold(alias) for alias in contact.aliases)
        return list(dict.fromkeys(k for k in keys if k))

    def lookup(self, name: str) -> list[Named]:
        """Every contact ``name`` could mean (empty, one, or ambiguous)."""
        key = fold(name)
        if "/" in key:
            if key in self.by_path:
                return [self.by_path[key]]
            if key in self.by_key:  # a name with a slash: "AC/DC Fan Club / Bob"
                return list(self.by_key[key])
            key = key.rsplit("/", 1)[-1]
        return list(self.by_key.get(key, []))

    def resolve(self, link: Link) -> list[Named]:
        return self.lookup(link.target)

    def exact(self, name: str) -> Named | None:
        """The contact whose file name, path, ``name`` or alias ``name`` is
        (any case; ``[[Name]]`` and ``Name.md`` too), a file name or ``name``
        beating someone else's alias; None when there is none; LookupFailed
        when several are."""
        cleaned = _cleaned(name)
        exact = self.lookup(cleaned)
        if len(exact) > 1:
            primary = [c for c in exact if fold(cleaned) in (fold(c.stem), fold(c.name))]
            if len(primary) == 1:
                return primary[0]
            raise LookupFailed(name, "matches more than one contact", exact)
        return exact[0] if exact else None

    def find(self, name: str) -> Named:
        """The one contact ``name`` means, for commands that take a NAME.

        In order: an exact file name, ``name`` or alias (a file name or
        ``name`` beats someone else's alias); the same ignoring accents; a
        unique prefix.  ``people/Jane Doe.md`` and ``[[Jane Doe]]`` work too.
        Raises LookupFailed with the candidates otherwise.
        """
        found = self.exact(name)
        if found is not None:
            return found
        key = fold(_cleaned(name)).rsplit("/", 1)[-1]
        if not key:
            raise LookupFailed(name, "is not a contact in this vault", [])
        for match in (_exact_plain, _prefix, _prefix_plain):
            found = [c for c in self.contacts if any(match(k, key) for k in self.keys(c))]
            if len(found) == 1:
                return found[0]
            if found:
                raise LookupFailed(name, "matches more than one contact", found)
        close = difflib.get_close_matches(key, list(self.by_key), n=5, cutoff=0.6)
        candidates = []
        for match in close:
            for contact in self.by_key[match]:
                if contact not in candidates:
                    candidates.append(contact)
        raise LookupFailed(name, "is not a contact in this vault", candidates)


def _cleaned(name: str) -> str:
    """A NAME as typed, without ``[[ ]]`` or ``.md``."""
    cleaned = name.strip()
    if cleaned.startswith("[[") and cleaned.endswith("]]"):
        link = parse_link(cleaned)
        cleaned = link.target if link else cleaned
    if cleaned.lower().endswith(".md"):
        cleaned = cleaned[:-3]
    return cleaned


def _exact_plain(candidate: str, key: str) -> bool:
    return plain(candidate) == plain(key)


def _prefix(candidate: str, key: str) -> bool:
    return candidate.startswith(key)


def _prefix_plain(candidate: str, key: str) -> bool:
    return plain(candidate).startswith(plain(key))


class LookupFailed(Exception):
    """A NAME that does not pick out exactly one contact."""

    def __init__(self, name: str, reason: str, candidates: list[Named]) -> None:
        self.name = name
        self.reason = reason
        self.candidates = sorted(candidates, key=lambda c: (c.name.casefold(), c.path))
        message = f"{name!r} {reason}"
        if self.candidates:
            listed = "; ".join(f"{c.name} ({c.path})" for c in self.candidates)
            message += f"; did you mean: {listed}"
        super().__init__(message)

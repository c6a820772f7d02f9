"""Wikilinks and names: resolving ``[[Jane Doe]]`` the way Obsidian does."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from typing import Iterable

from .model import Contact, Link
from ..values.problems import ERROR, WARNING, Problem

_WIKILINK = re.compile(r"^\[\[([^\]|#^]*)(?:[#^][^\]|]*)?(?:\|([^\]]*))?\]\]$")


def parse_link(text: str, line: int | None = None) -> Link | None:
    """``[[Target|label]]``, ``[[Target#Heading]]`` or a bare name."""
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _WIKILINK.match(cleaned)
    if match:
        target = match.group(1).strip()
        if target.lower().endswith(".md"):
            target = target[:-3]
        if not target:
            return None
        return Link(target, (match.group(2) or "").strip() or None, line)
    return Link(cleaned, None, line)


def fold(text: str) -> str:
    """Compare names as Obsidian does: case-insensitively, and treating the
    composed and decomposed forms of accented letters (macOS file names) alike."""
    if text.isascii():  # NFC leaves ASCII as it is
        return " ".join(text.split()).casefold()
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


class NameIndex:
    """Looks contacts up by file name, ``name`` or alias, case-insensitively."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.contacts = tuple(contacts)
        self.by_key: dict[str, list[Contact]] = defaultdict(list)
        self.by_path: dict[str, Contact] = {}
        for contact in self.contacts:
            for key in self.keys(contact):
                owners = self.by_key[key]
                if not any(owner is contact for owner in owners):
                    owners.append(contact)
            self.by_path[fold(contact.path[:-3] if contact.path.lower().endswith(".md") else contact.path)] = contact

    @staticmethod
    def keys(contact: Contact) -> list[str]:
        keys = [fold(contact.stem), fold(contact.name)]
        keys.extend(fold(alias) for alias in contact.aliases)
        return list(dict.fromkeys(k for k in keys if k))

    def lookup(self, name: str) -> list[Contact]:
        """Every contact ``name`` could mean (empty, one, or ambiguous)."""
        key = fold(name)
        if "/" in key:
            if key in self.by_path:
                return [self.by_path[key]]
            if key in self.by_key:  # a name with a slash: "AC/DC Fan Club / Bob"
                return list(self.by_key[key])
            key = key.rsplit("/", 1)[-1]
        return list(self.by_key.get(key, []))

    def resolve(self, link: Link) -> list[Contact]:
        return self.lookup(link.target)

    def find(self, name: str) -> Contact:
        """The one contact ``name`` means, for commands that take a NAME.

        In order: an exact file name, ``name`` or alias (a file name or
        ``name`` beats someone else's alias); the same ignoring accents; a
        unique prefix.  ``people/Jane Doe.md`` and ``[[Jane Doe]]`` work too.
        Raises LookupFailed with the candidates otherwise.
        """
        cleaned = name.strip()
        if cleaned.startswith("[[") and cleaned.endswith("]]"):
            link = parse_link(cleaned)
            cleaned = link.target if link else cleaned
        if cleaned.lower().endswith(".md"):
            cleaned = cleaned[:-3]
        exact = self.lookup(cleaned)
        if len(exact) > 1:
            primary = [c for c in exact if fold(cleaned) in (fold(c.stem), fold(c.name))]
            if len(primary) == 1:
                return primary[0]
            raise LookupFailed(name, "matches more than one contact", exact)
        if exact:
            return exact[0]
        key = fold(cleaned).rsplit("/", 1)[-1]
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


def plain(text: str) -> str:
    """Without accents: 'José Ñúñez' -> 'jose nunez' (for typing names quickly)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _exact_plain(candidate: str, key: str) -> bool:
    return plain(candidate) == plain(key)


def _prefix(candidate: str, key: str) -> bool:
    return candidate.startswith(key)


def _prefix_plain(candidate: str, key: str) -> bool:
    return plain(candidate).startswith(plain(key))


class LookupFailed(Exception):
    """A NAME that does not pick out exactly one contact."""

    def __init__(self, name: str, reason: str, candidates: list[Contact]) -> None:
        self.name = name
        self.reason = reason
        self.candidates = sorted(candidates, key=lambda c: (c.name.casefold(), c.path))
        message = f"{name!r} {reason}"
        if self.candidates:
            listed = "; ".join(f"{c.name} ({c.path})" for c in self.candidates)
            message += f"; did you mean: {listed}"
        super().__init__(message)


def cross_check(contacts: list[Contact], index: NameIndex | None = None) -> list[Problem]:
    """Problems that need the whole vault: shared names, links to nobody.
    ``index``: a :class:`NameIndex` of ``contacts`` the caller already built."""
    problems: list[Problem] = []
    index = index if index is not None else NameIndex(contacts)
    reported = set()
    for key, owners in sorted(index.by_key.items()):
        if len(owners) < 2:
            continue
        owners = sorted(owners, key=lambda c: c.path)
        for contact in owners:
            if (contact.path, key) in reported:
                continue
            reported.add((contact.path, key))
            problems.append(_shared_name(contact, key, [o.path for o in owners if o is not contact]))
    for contact in contacts:
        problems.extend(_links_to_nobody(contact, index.resolve))
    return problems


def cross_check_one(contact: Contact, others: NameIndex) -> list[Problem]:
    """:func:`cross_check`'s problems on ``contact`` alone, against an index
    of everyone else: an edit checks one file without indexing the vault twice."""
    problems: list[Problem] = []
    for key in NameIndex.keys(contact):
        owners = [o for o in others.by_key.get(key, ()) if o.path != contact.path]
        if owners:
            problems.append(_shared_name(contact, key, sorted(o.path for o in owners)))
    itself = NameIndex([contact])
    problems.extend(_links_to_nobody(contact, lambda link: others.resolve(link) or itself.resolve(link)))
    return problems


def _shared_name(contact: Contact, key: str, other_paths: list[str]) -> Problem:
    return Problem(
        contact.path,
        _line_for_key(contact, key),
        ERROR,
        f"the name {key!r} also belongs to {_some(other_paths)}; "
        "give one of them a different name or alias",
    )


def _links_to_nobody(contact: Contact, resolve) -> list[Problem]:
    return [
        Problem(contact.path, link.line, WARNING, f"{field_name}: [[{link.target}]] is not a contact in this vault")
        for field_name in ("introduced_by", "knows")
        for link in getattr(contact, field_name)
        if not resolve(link)
    ]


def _some(paths, shown: int = 3) -> str:
    """At most ``shown`` paths and how many more: a name fifty people share
    gives fifty short messages, not fifty lists of fifty (output stays
    linear in the number of problems)."""
    paths = list(paths)
    text = ", ".join(paths[:shown])
    if len(paths) > shown:
        text += f" and {len(paths) - shown} more"
    return text


def _line_for_key(contact: Contact, key: str) -> int | None:
    for alias in contact.aliases:
        if fold(alias) == key and fold(contact.name) != key and fold(contact.stem) != key:
            return contact.lines.get("aliases")
    if fold(contact.name) == key and "name" in contact.lines:
        return contact.lines["name"]
    return None

"""Introductions: the warmest chains of people from you to a contact or an
org, so someone closer to you can introduce you to someone colder.

Two contacts are linked when one ``knows`` the other, when one was
``introduced_by`` the other, when the same dated meeting or daily note
links to both (they met there), or when they work at the same ``org``.
Every contact in the vault is someone you know; a path starts with one of
them and ends at the target.  Paths are ranked by hops, then by the
warmth of the first hop (buddy, strategic, lukewarm, cold, no circle),
then by how recently you were in touch with the first hop, then by name;
each first hop gives one path, so the list names different introducers.

Pure functions of the vault and ``today``.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from ..read.model import Contact, Vault
from ..read.names import LookupFailed
from ..values.names import fold
from .due import effective_last_contact

WARMTH = {"buddy": 0, "strategic": 1, "lukewarm": 2, "cold": 3}
# Circles of people who know you: no introduction needed to them.
KNOWS_YOU = ("buddy", "strategic", "lukewarm")

YOU = "you"  # the first hop's link: you know them
KNOWS = "knows"
INTRODUCED = "introduced"
MET = "met"
SAME_ORG = "same-org"
# An introduction made is the strongest sign two people know each other.
_LINK_RANK = {INTRODUCED: 0, KNOWS: 1, MET: 2, SAME_ORG: 3}

CONTACT = "contact"
ORG = "org"


@dataclass(frozen=True)
class Target:
    kind: str  # CONTACT or ORG
    label: str  # the contact's name, or the org as a contact spells it
    contacts: tuple[Contact, ...]  # the contact, or everyone at the org


@dataclass(frozen=True)
class Hop:
    contact: Contact
    last_contact: date | None
    link: str  # how this hop is linked to the one before: YOU, KNOWS, INTRODUCED, MET, SAME_ORG
    # MET: the note's path; INTRODUCED: the path of who introduced whom;
    # SAME_ORG: the org; else None.
    detail: str | None = None


@dataclass(frozen=True)
class IntroPath:
    hops: tuple[Hop, ...]


@dataclass(frozen=True)
class Introductions:
    target: Target
    direct: tuple[Hop, ...]  # target contacts who know you already (no introduction needed)
    paths: tuple[IntroPath, ...]  # best first; one-hop paths are the direct ones
    max_hops: int


class TargetNotFound(Exception):
    """TARGET names no contact and no org; ``candidates`` are close ones."""

    def __init__(self, text: str, contacts: list[Contact], orgs: list[str]) -> None:
        self.contacts = contacts
        self.orgs = orgs
        message = f"{text!r} is not a contact or an org in this vault"
        shown = [f"{c.name} ({c.path})" for c in contacts] + [f"org {o}" for o in orgs]
        if shown:
            message += "; did you mean: " + "; ".join(shown)
        super().__init__(message)


def knows_you(contact: Contact) -> bool:
    return contact.circle in KNOWS_YOU


def find_target(vault: Vault, text: str) -> Target:
    """A contact (by file name, name or alias) or an org (as contacts' ``org``
    spells it, case-insensitively; a part of it when only one org has it)."""
    index = vault.names
    wanted = fold(text)
    orgs: dict[str, list[Contact]] = defaultdict(list)
    for contact in vault.contacts:
        if contact.org:
            orgs[fold(contact.org)].append(contact)
    exact = index.lookup(text.strip())
    if len(exact) == 1:
        return Target(CONTACT, exact[0].name, (exact[0],))
    if wanted in orgs:
        return _org_target(orgs[wanted])
    failure: LookupFailed | None = None
    try:
        contact = index.find(text)
        return Target(CONTACT, contact.name, (contact,))
    except LookupFailed as exc:
        failure = exc
    partial = sorted(key for key in orgs if wanted and wanted in key)
    if len(partial) == 1 and not failure.candidates:
        return _org_target(orgs[partial[0]])
    raise TargetNotFound(
        text, list(failure.candidates), sorted({_org_label(orgs[key]) for key in partial})
    )


def _org_label(people: list[Contact]) -> str:
    """The org as most of its people spell it (ties: the first in order)."""
    spellings: dict[str, int] = defaultdict(int)
    for contact in people:
        spellings[(contact.org or "").strip()] += 1
    return min(spellings, key=lambda s: (-spellings[s], s))


def _org_target(people: list[Contact]) -> Target:
    ordered = tuple(sorted(people, key=lambda c: (c.name.casefold(), c.path)))
    return Target(ORG, _org_label(people), ordered)


class _Graph:
    """The links between contacts; org and note groups stay groups, so a
    big org adds no edges and the search stays linear."""

    def __init__(self, vault: Vault) -> None:
        self.by_path = {c.path: c for c in vault.contacts}
        index = vault.names
        # path -> other path -> (kind, detail), the strongest link kept
        self.links: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
        for contact in vault.contacts:
            for field_name, kind in (("knows", KNOWS), ("introduced_by", INTRODUCED)):
                for link in getattr(contact, field_name):
                    found = index.resolve(link)
                    if len(found) != 1 or found[0].path == contact.path:
                        continue
                    other = found[0].path
                    detail = other if kind == INTRODUCED else None
                    self._add(contact.path, other, kind, detail)
                    self._add(other, contact.path, kind, detail)
        self.org_of: dict[str, str] = {}
        self.orgs: dict[str, list[str]] = defaultdict(list)
        for contact in vault.contacts:
            if contact.org and fold(contact.org):
                self.org_of[contact.path] = fold(contact.org)
                self.orgs[fold(contact.org)].append(contact.path)
        self.notes_of: dict[str, list[str]] = defaultdict(list)
        self.notes: dict[str, list[str]] = defaultdict(list)
        self.note_date: dict[str, date] = {}
        for path, items in sorted(vault.interactions.items()):
            if path not in self.by_path:
                continue
            for item in items:
                if path not in self.notes[item.source]:
                    self.notes[item.source].append(path)
                    self.notes_of[path].append(item.source)
                self.note_date[item.source] = item.date

    def _add(self, a: str, b: str, kind: str, detail: str | None) -> None:
        old = self.links[a].get(b)
        if old is None or _LINK_RANK[kind] < _LINK_RANK[old[0]]:
            self.links[a][b] = (kind, detail)

    def distances(self, targets: list[str], limit: int) -> dict[str, int]:
        """Hops from each contact to the nearest target (0 for targets), up
        to ``limit``; breadth-first, so cycles end where they are met."""
        distance = {path: 0 for path in targets}
        queue = deque(targets)
        done_orgs: set[str] = set()
        done_notes: set[str] = set()
        while queue:
            path = queue.popleft()
            step = distance[path] + 1
            if step > limit:
                continue
            neighbours = list(self.links.get(path, {}))
            org = self.org_of.get(path)
            if org is not None and org not in done_orgs:
                done_orgs.add(org)
                neighbours.extend(self.orgs[org])
            for note in self.notes_of.get(path, ()):
                if note not in done_notes:
                    done_notes.add(note)
                    neighbours.extend(self.notes[note])
            for other in neighbours:
                if other not in distance:
                    distance[other] = step
                    queue.append(other)
        return distance

    def link(self, a: str, b: str) -> tuple[str, str | None] | None:
        """The strongest link between two contacts: introduced, knows, the
        newest note both are in, the same org."""
        found = self.links.get(a, {}).get(b)
        if found is not None:  # introduced or knows
            return found
        shared = set(self.notes_of.get(a, ())) & set(self.notes_of.get(b, ()))
        if shared:
            note = max(shared, key=lambda n: (self.note_date[n], _reverse(n)))
            return (MET, note)
        org = self.org_of.get(a)
        if org is not None and org == self.org_of.get(b):
            return (SAME_ORG, self.by_path[a].org)
        return None

    def neighbours(self, path: str) -> set[str]:
        found = set(self.links.get(path, {}))
        org = self.org_of.get(path)
        if org is not None:
            found.update(self.orgs[org])
        for note in self.notes_of.get(path, ()):
            found.update(self.notes[note])
        found.discard(path)
        return found


def _reverse(text: str) -> tuple[int, ...]:
    """Sorts texts in reverse, for picking the first name among equal dates."""
    return tuple(-ord(ch) for ch in text)


def introductions(
    vault: Vault, target: Target, today: date, max_hops: int = 3, limit: int = 5
) -> Introductions:
    """Up to ``limit`` paths of at most ``max_hops`` people to ``target``.

    A target contact who knows you (buddy, strategic, lukewarm) is reached
    directly, in one hop; one who is cold or has no circle needs someone
    to introduce you.  For an org, a path ends at the first person there.
    """
    graph = vault.derived.get("introductions graph")
    if graph is None:
        graph = vault.derived["introductions graph"] = _Graph(vault)
    targets = [c.path for c in target.contacts]
    distance = graph.distances(targets, max(0, max_hops - 1))

    last_cache: dict[str, date | None] = {}

    def last(path: str) -> date | None:
        if path not in last_cache:
            contact = graph.by_path[path]
            last_cache[path] = effective_last_contact(
                contact, today, vault.interactions.get(path, ())
            )
        return last_cache[path]

    def rank(path: str) -> tuple:
        contact = graph.by_path[path]
        when = last(path)
        return (
            distance[path],
            WARMTH.get(contact.circle or "", len(WARMTH)),
            -(when.toordinal() if when else 0),
            contact.name.casefold(),
            path,
        )

    direct = tuple(
        Hop(c, last(c.path), YOU)
        for c in sorted(target.contacts, key=lambda c: rank(c.path))
        if knows_you(c)
    )
    if target.kind == CONTACT and direct:
        return Introductions(target, direct, (), max_hops)
    first_hops = [
        path
        for path, hops in distance.items()
        if hops > 0 or knows_you(graph.by_path[path])
    ]
    first_hops.sort(key=rank)
    paths = []
    for first in first_hops:
        if len(paths) == limit:
            break
        chain = [first]
        while distance[chain[-1]] > 0:
            here = chain[-1]
            closer = [n for n in graph.neighbours(here) if distance.get(n) == distance[here] - 1]
            chain.append(min(closer, key=lambda n: _step_key(graph, here, n)))
        if any(knows_you(graph.by_path[path]) for path in chain[1:]):
            continue  # through someone you know yourself: their own, shorter path says it
        hops = [Hop(graph.by_path[first], last(first), YOU)]
        for before, path in pairwise(chain):
            kind, detail = graph.link(before, path) or (SAME_ORG, None)
            hops.append(Hop(graph.by_path[path], last(path), kind, detail))
        paths.append(IntroPath(tuple(hops)))
    return Introductions(target, direct, tuple(paths), max_hops)


def _step_key(graph: _Graph, here: str, other: str) -> tuple:
    link = graph.link(here, other)
    contact = graph.by_path[other]
    return (_LINK_RANK[link[0]] if link else len(_LINK_RANK), contact.name.casefold(), other)

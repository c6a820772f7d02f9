"""Contacts that are probably one person, strongest first, with the evidence.

Two files are compared only when they share something that can be looked
up: an address, a phone number, a LinkedIn profile, a name once folded, a
surname with a nickname of the same given name, or an organisation with a
name close to theirs.  So the work grows with the vault, not with its
square: 30,000 contacts are compared in well under a second.

Names are folded before they are compared: case, accents and punctuation
go ("Siobhán O'Rourke" is "siobhan orourke"), hyphens become spaces.
Nicknames come from ``nicknames.txt`` beside this module, a small table
kept as data.  Phone numbers are compared once read by libphonenumber
(``phonenumbers``) in the user's region: ``07700 900488`` in GB is
``+447700900488``.  A number only has to be *possible* there, not one the
library calls valid, since fictional and new ranges are not.

Pairs the user has said are two people (``netvault merge --not``) are never
suggested, and neither are two files with different LinkedIn profiles
whose only likeness is their names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..read.model import Contact
from ..values.weburl import normalise_profile

# What each kind of evidence weighs; a pair's score is the sum of its kinds.
WEIGHTS = {
    "profile": 100,
    "email": 90,
    "phone": 80,
    "name": 60,
    "nickname": 45,
    "fuzzy": 35,
    "org": 10,  # the same organisation, beside a likeness of names
}
SIMILAR = 88  # rapidfuzz ratio (0-100) of two folded names at one organisation
BLOCK_LIMIT = 25  # more files sharing one address or number: a shared inbox, not a person
_CIRCLE_RANK = {"buddy": 4, "strategic": 3, "lukewarm": 2, "cold": 1}


@dataclass(frozen=True)
class Suggestion:
    """Two contacts that are probably one person: ``keep`` the richer file."""

    keep: Contact
    other: Contact
    score: int
    evidence: tuple[str, ...]


_ASCII_SPACE = re.compile(r"[-_/\s]+")
_ASCII_DROP = re.compile(r"[^a-z0-9 ]")


def fold_name(text: str) -> str:
    """``"Siobhán O'Rourke"`` -> ``"siobhan orourke"``: no case, accents or
    punctuation; hyphens and runs of spaces are one space."""
    if text.isascii():
        return " ".join(_ASCII_DROP.sub("", _ASCII_SPACE.sub(" ", text.lower())).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        if ch.isalnum():
            kept.append(ch)
        elif ch in "-‐‑–_/" or ch.isspace():
            kept.append(" ")
        # other punctuation ('’.,) is dropped: O'Rourke = ORourke, J. = J
    return " ".join("".join(kept).split())


@cache
def nickname_groups() -> dict[str, frozenset[int]]:
    """Given name (folded) -> the groups of ``nicknames.txt`` it belongs to."""
    groups: dict[str, set[int]] = defaultdict(set)
    text = resources.files(__package__).joinpath("nicknames.txt").read_text(encoding="utf-8")
    number = 0
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) < 2:
            continue
        number += 1
        for word in words:
            groups[fold_name(word)].add(number)
    return {name: frozenset(ids) for name, ids in groups.items()}


def region_from_locale(values: Iterable[str | None]) -> str | None:
    """The country of the first locale that names one: ``en_GB.UTF-8`` -> ``GB``."""
    for value in values:
        if not value:
            continue
        match = re.match(r"^[A-Za-z]{2,3}_([A-Za-z]{2})(?:[.@]|$)", value)
        if match:
            return match.group(1).upper()
    return None


def phone_key(text: str, region: str | None) -> str | None:
    """The number in E.164 (``+447700900488``) when libphonenumber finds it
    possible (in ``region`` for a national number), else None."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def emails_of(contact: Contact) -> list[str]:
    """Every address of the contact, folded: ``email`` then ``other_emails``."""
    found = [contact.email or "", *_strings(contact.fields.get("other_emails"))]
    return list(dict.fromkeys(e.strip().casefold() for e in found if "@" in e))


def phones_of(contact: Contact) -> list[str]:
    """Every number as written: ``phone`` then ``other_phones``."""
    found = [contact.phone or "", *_strings(contact.fields.get("other_phones"))]
    return list(dict.fromkeys(p.strip() for p in found if p.strip()))


class _Pairs:
    """Evidence gathered per pair of contact indexes."""

    def __init__(self, contacts: list[Contact]) -> None:
        self.contacts = contacts
        self.found: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)

    def add(self, members: list[int], kind: str, why: str) -> None:
        members = sorted(set(members))
        if len(members) < 2 or len(members) > BLOCK_LIMIT:
            return
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                self.found[(a, b)].setdefault(kind, why)


def suggest(
    contacts: Iterable[Contact],
    region: str | None = None,
    kept_apart: Iterable[frozenset[str]] = (),
) -> list[Suggestion]:
    """Pairs of contacts that are probably one person, strongest first.

    ``region`` (``"GB"``) reads national phone numbers; ``kept_apart`` holds
    pairs of contact paths the user said are different people.
    """
    people = sorted(contacts, key=lambda c: c.path)
    pairs = _Pairs(people)
    by_email: dict[str, list[int]] = defaultdict(list)
    by_phone: dict[str, list[int]] = defaultdict(list)
    by_profile: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    by_surname: dict[str, list[int]] = defaultdict(list)
    by_org_part: dict[tuple[str, str], list[int]] = defaultdict(list)
    names: list[list[str]] = []
    profiles: list[str | None] = []
    orgs: list[str] = []
    for index, contact in enumerate(people):
        for email in emails_of(contact):
            by_email[email].append(index)
        for phone in phones_of(contact):
            key = phone_key(phone, region)
            if key:
                by_phone[key].append(index)
        profile = normalise_profile(contact.linkedin) if contact.linkedin else None
        profiles.append(profile)
        if profile:
            by_profile[profile].append(index)
        folded = [f for f in dict.fromkeys(fold_name(n) for n in (contact.name, *contact.aliases)) if f]
        names.append(folded)
        for name in folded:
            by_name[name].append(index)
            words = name.split()
            if len(words) >= 2:
                by_surname[words[-1]].append(index)
        org = fold_name(contact.org or "")
        orgs.append(org)
        if org and folded:
            words = folded[0].split()
            by_org_part[(org, words[-1])].append(index)
            by_org_part[(org, "first " + words[0])].append(index)
    for email, members in by_email.items():
        pairs.add(members, "email", f"same email {email}")
    for phone, members in by_phone.items():
        pairs.add(members, "phone", f"same phone number {phone}")
    for profile, members in by_profile.items():
        pairs.add(members, "profile", f"same LinkedIn profile {profile}")
    for name, members in by_name.items():
        if len(set(members)) > 1:
            pairs.add(members, "name", f"same name once accents, case and punctuation are folded ({name})")
    _nicknames(people, names, by_surname, pairs)
    _fuzzy(people, names, by_org_part, pairs)
    apart = {frozenset(pair) for pair in kept_apart}
    suggestions = []
    for (a, b), evidence in pairs.found.items():
        first, second = people[a], people[b]
        if frozenset((first.path, second.path)) in apart:
            continue
        strong = {"email", "phone", "profile"} & evidence.keys()
        if not strong and profiles[a] and profiles[b] and profiles[a] != profiles[b]:
            continue  # two LinkedIn profiles: two people who share a name
        if not strong and orgs[a] and orgs[a] == orgs[b]:
            evidence.setdefault("org", f"both at {first.org}")
        score = sum(WEIGHTS[kind] for kind in evidence)
        keep, other = (first, second) if _richness(first) >= _richness(second) else (second, first)
        ordered = sorted(evidence, key=lambda kind: -WEIGHTS[kind])
        suggestions.append(Suggestion(keep, other, score, tuple(evidence[k] for k in ordered)))
    suggestions.sort(key=lambda s: (-s.score, s.keep.name.casefold(), s.keep.path, s.other.path))
    return suggestions


def _nicknames(people, names, by_surname, pairs: _Pairs) -> None:
    """Same surname, given names in one nickname group: Bob and Robert Mensah."""
    groups = nickname_groups()
    for surname, members in by_surname.items():
        if len(members) < 2:
            continue
        by_group: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for index in set(members):
            for name in names[index]:
                words = name.split()
                if len(words) >= 2 and words[-1] == surname:
                    for group in groups.get(words[0], ()):
                        by_group[group].append((index, words[0]))
        for group, found in by_group.items():
            for i, (a, first_a) in enumerate(found):
                for b, first_b in found[i + 1 :]:
                    if a != b and first_a != first_b:
                        low, high = sorted((first_a, first_b))
                        pairs.add(
                            [a, b], "nickname", f"{low.title()} and {high.title()} are one name ({surname.title()})"
                        )


def _fuzzy(people, names, by_org_part, pairs: _Pairs) -> None:
    """At one organisation, names a letter or two apart: Jon and John Smith."""
    from rapidfuzz import fuzz

    for (org, _), members in by_org_part.items():
        members = sorted(set(members))
        if len(members) < 2 or len(members) > 400:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                name_a, name_b = names[a][0], names[b][0]
                if name_a == name_b:
                    continue
                if fuzz.ratio(name_a, name_b, score_cutoff=SIMILAR):
                    pairs.add([a, b], "fuzzy", f"names alike ({people[a].name} / {people[b].name})")


def _richness(contact: Contact) -> tuple:
    """Which of two files to keep: the closer circle, a place in the top ten,
    the longer log, the more fields (a tie keeps the earlier path)."""
    return (
        _CIRCLE_RANK.get(contact.circle or "", 0),
        contact.priority is not None,
        len(contact.log),
        len(contact.fields),
    )

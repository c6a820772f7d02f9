"""The problems only the whole vault shows: two contacts that claim one
name, and ``introduced_by``/``knows`` links that resolve to nobody."""

from __future__ import annotations

from ..values.names import fold
from ..values.problems import ERROR, WARNING, Problem
from .model import Contact
from .names import NameIndex


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

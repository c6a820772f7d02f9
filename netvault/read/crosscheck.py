"""The problems only the whole vault shows: two contacts with one name, and
``introduced_by``/``knows`` links that resolve to nobody or to several.

A first name or an alias that several people share is normal (Obsidian
allows the same alias on many notes): it is no problem of the files, and
matters only where it is used, in a link (a warning at that link) or a
command's NAME (the list of candidates).  Two files whose ``name`` (or file
name) is the same is a warning: no link or NAME can tell them apart."""

from __future__ import annotations

from ..values.names import fold
from ..values.problems import WARNING, Problem
from .model import Contact
from .names import NameIndex


def cross_check(contacts: list[Contact], index: NameIndex | None = None) -> list[Problem]:
    """Problems that need the whole vault: one name for two files, links to
    nobody or to several.  ``index``: a :class:`NameIndex` of ``contacts`` the
    caller already built."""
    problems: list[Problem] = []
    index = index if index is not None else NameIndex(contacts)
    reported: set[tuple[str, tuple[str, ...]]] = set()  # a file and the files it shares a name with
    shared = sorted((key, owners) for key, owners in index.by_key.items() if len(owners) > 1)
    for key, owners in shared:  # a key one contact alone holds is no problem
        named = sorted((c for c in owners if key in _full_names(c)), key=lambda c: c.path)
        if len(named) < 2:
            continue
        for contact in named:
            others = tuple(o.path for o in named if o is not contact)
            if (contact.path, others) not in reported:  # its name and its file name: one warning
                reported.add((contact.path, others))
                problems.append(_shared_name(contact, key, list(others)))
    for contact in contacts:
        problems.extend(_links_in(contact, index.resolve))
    return problems


def cross_check_one(contact: Contact, others: NameIndex) -> list[Problem]:
    """:func:`cross_check`'s problems on ``contact`` alone, against an index
    of everyone else: an edit checks one file without indexing the vault twice."""
    problems: list[Problem] = []
    for key in _full_names(contact):
        owners = [o for o in others.by_key.get(key, ()) if o.path != contact.path and key in _full_names(o)]
        if owners:
            problems.append(_shared_name(contact, key, sorted(o.path for o in owners)))
    itself = NameIndex([contact])

    def resolve(link):
        found = [c for c in others.resolve(link) if c.path != contact.path]
        return found + [c for c in itself.resolve(link) if c not in found]

    problems.extend(_links_in(contact, resolve))
    return problems


def _full_names(contact: Contact) -> set[str]:
    """The keys that are the contact's own name, not an alias."""
    return {key for key in (fold(contact.stem), fold(contact.name)) if key}


def _shared_name(contact: Contact, key: str, other_paths: list[str]) -> Problem:
    return Problem(
        contact.path,
        contact.lines.get("name") if fold(contact.name) == key else None,
        WARNING,
        f"the name {key!r} is also the name of {_some(other_paths)}; [[links]] and NAMEs cannot "
        "tell them apart: give one a fuller name",
    )


def _links_in(contact: Contact, resolve) -> list[Problem]:
    problems = []
    for field_name in ("introduced_by", "knows"):
        for link in getattr(contact, field_name):
            found = resolve(link)
            if not found:
                message = f"{field_name}: [[{link.target}]] is not a contact in this vault"
            elif len(found) > 1:
                shown = _some(sorted(f"{c.name} ({c.path})" for c in found))
                message = (
                    f"{field_name}: [[{link.target}]] could be any of {shown}; "
                    "link the file name to say which"
                )
            else:
                continue
            problems.append(Problem(contact.path, link.line, WARNING, message))
    return problems


def _some(paths, shown: int = 3) -> str:
    """At most ``shown`` paths and how many more: a name fifty people share
    gives fifty short messages, not fifty lists of fifty (output stays
    linear in the number of problems)."""
    paths = list(paths)
    text = ", ".join(paths[:shown])
    if len(paths) > shown:
        text += f" and {len(paths) - shown} more"
    return text

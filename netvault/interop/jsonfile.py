"""The whole vault as one JSON document, for scripts and ``jq``.

``{"netvault": VERSION, "today": "YYYY-MM-DD", "contacts": [...], "problems": [...]}``

Each contact is what ``netvault show NAME --format json`` prints for it (the
card of :mod:`netvault.playbook.card` and the problems of its file), with two more
keys at its top for quick filtering: ``next_due`` (a date or null) and
``status`` (``overdue``, ``due``, ``upcoming`` or null), the same values as
the card's ``due`` holds.  Contacts are sorted by name, then path; keys are
sorted; the text ends with a line break.  Pure: the same vault and ``today``
give the same text.
"""

from __future__ import annotations

import json
from datetime import date

from .. import __version__
from ..playbook.card import person_card
from ..read.model import Contact, Vault
from ..values.problems import Problem, sort_problems


def export(vault: Vault, today: date) -> str:
    """The vault and what netvault computes from it on ``today``, as JSON text."""
    return json.dumps(document(vault, today), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def document(vault: Vault, today: date) -> dict:
    """:func:`export`'s value before it is written out."""
    problems = sort_problems(vault.problems)
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    people = sorted(vault.contacts, key=_order)
    return {
        "netvault": __version__,
        "today": today.isoformat(),
        "contacts": [contact_value(vault, person, today, by_path.get(person.path, ())) for person in people],
        "problems": [p.as_dict() for p in problems],
    }


def contact_value(vault: Vault, contact: Contact, today: date, problems=()) -> dict:
    """One contact as ``show --format json`` has it, plus ``next_due`` and ``status``."""
    card = person_card(vault, contact, today).as_dict()
    return {
        **card,
        "problems": [p.as_dict() for p in problems],
        "next_due": card["due"]["next_due"],
        "status": card["due"]["status"],
    }


def _order(contact: Contact) -> tuple:
    return (contact.name.casefold(), contact.name, contact.path)

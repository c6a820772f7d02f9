"""Whom to decide about first after a big import: the people nobody has
decided about, best candidates first, each with the reasons a user can read.

A contact is *undecided* when it has no circle, or when an import gave it
its circle (the file says ``source: ... import``) and nobody has touched
its rhythm since: no ``triaged:`` date (what a triage decision writes), no
cadence, no priority, no circle move in its log.  Given a circle or a
cadence by hand, or triaged once, a person leaves the queue for good.

The ranking follows the advice netvault is built on (think back through
your career; keep those you would welcome a working relationship with;
prioritise ten): people at an organisation one of your goals names; at one
of your own employers (``[me] employers``: likely a former colleague, boss
or subordinate); at or tagged with one of your schools (``[me] schools``:
a classmate?); head-hunters and recruiters; hiring managers and senior
people; people you were in touch with this year; people your inner
circles know or who introduced you; people you connected with recently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..read.model import Contact, Vault
from ..read.logsection import MOVED
from ..values.dates import DateError, parse_date
from ..values.names import fold
from .due import effective_last_contact

TRIAGED = "triaged"  # the frontmatter key a triage decision writes (the day)
RECENT_DAYS = 365
_RECRUITER = re.compile(r"\b(recruit\w*|talent|head[- ]?hunt\w*|executive search|search partner|sourc\w+)\b", re.I)
_SENIOR = re.compile(
    r"\b(chief|c[etfop]o|vp|vice president|director|head of|founder|co-founder|partner|managing|president|"
    r"general manager|svp|evp)\b",
    re.I,
)
_HIRING = re.compile(r"\b(hiring manager|engineering manager|product manager|manager|lead)\b", re.I)
INNER = ("buddy", "strategic")
WEIGHTS = {"goal": 50, "employer": 40, "school": 35, "recruiter": 30, "peer": 15, "senior": 20, "recent": 25, "inner": 20, "connected": 10}


@dataclass(frozen=True)
class Candidate:
    contact: Contact
    score: int
    reasons: tuple[str, ...]


def undecided(contact: Contact) -> bool:
    """Nobody has decided about this person yet (see the module's docstring)."""
    fields = contact.fields
    if fields.get(contact.keys.get(TRIAGED, TRIAGED)) not in (None, ""):
        return False
    if contact.cadence is not None or contact.priority is not None:
        return False
    if any(entry.channel is None and MOVED.match(entry.text) for entry in contact.log):
        return False
    if contact.circle is None:
        return True
    source = fields.get("source")
    return isinstance(source, str) and "import" in source


def _connected(contact: Contact) -> date | None:
    value = contact.fields.get("connected_on")
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value)
    except DateError:
        return None


def rank(vault: Vault, today: date) -> list[Candidate]:
    """Every undecided contact, best first, with its reasons."""
    config = vault.config
    goal_orgs = {fold(g.org): name for name, g in (config.goals or {}).items() if g.org}
    # "Acme Corp (2019-2023)": the years say when, the name is what matches
    employers = {fold(re.sub(r"\s*\([^)]*\d[^)]*\)\s*$", "", e)) for e in config.me_employers}
    my_role = fold(config.me_role or "")
    schools = {fold(e) for e in config.me_schools}
    known_by: dict[str, list[Contact]] = {}
    for other in vault.contacts:
        if other.circle not in INNER:
            continue
        for link in other.knows:
            for found in vault.names.resolve(link):
                known_by.setdefault(found.path, []).append(other)
    candidates = []
    for contact in vault.contacts:
        if not undecided(contact):
            continue
        kinds: dict[str, str] = {}
        org = fold(contact.org or "")
        role = contact.role or ""
        if org and org in goal_orgs:
            kinds["goal"] = f"works at {contact.org}, named in your goal {goal_orgs[org]}"
        if org and org in employers:
            kinds["employer"] = f"works at {contact.org}, one of your employers: a former colleague, boss or report?"
        school = next((t for t in (contact.org or "", *contact.tags) if fold(t) in schools), None)
        if school:
            kinds["school"] = f"{school}, where you studied: a classmate?"
        if my_role and fold(role) == my_role:
            kinds["peer"] = f"a peer: {role}, as you are"
        if _RECRUITER.search(role):
            kinds["recruiter"] = f"a recruiter or head-hunter ({role})"
        elif _SENIOR.search(role):
            kinds["senior"] = f"senior: {role}"
        elif _HIRING.search(role):
            kinds["senior"] = f"may hire: {role}"
        last = effective_last_contact(contact, today, vault.interactions.get(contact.path, ()))
        if last is not None and (today - last).days <= RECENT_DAYS:
            kinds["recent"] = f"in touch {last.isoformat()}"
        introducers = [
            c.name for link in contact.introduced_by for c in vault.names.resolve(link) if c.circle in INNER
        ]
        knowers = sorted({c.name for c in known_by.get(contact.path, ())})
        if introducers or knowers:
            names = list(dict.fromkeys([*introducers, *knowers]))
            kinds["inner"] = "known by " + ", ".join(names[:3]) + (" (your inner circles)" if len(names) else "")
        connected = _connected(contact)
        if connected is not None and 0 <= (today - connected).days <= RECENT_DAYS:
            kinds["connected"] = f"connected {connected.isoformat()}"
        score = sum(WEIGHTS[kind] for kind in kinds)
        ordered = sorted(kinds, key=lambda kind: -WEIGHTS[kind])
        candidates.append(Candidate(contact, score, tuple(kinds[k] for k in ordered)))
    candidates.sort(key=lambda c: (-c.score, c.contact.name.casefold(), c.contact.path))
    return candidates

"""What the network page shows: the funnel, origins, who is cooling, interactions per
month and who knows whom, drawn as inline SVG by netvault.

``network_model`` is pure and deterministic (sorted, no randomness), so a
rebuilt page diffs cleanly; :mod:`.charts` draws it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from ..playbook.funnel import FUNNEL, NO_CIRCLE, cooling
from ..read.model import Contact, Vault
from ..read.names import NameIndex
from .context import page_names

TEMPLATE = "site/network.html.j2"
NO_ORIGIN = "no origin"
MONTHS = 12
LABEL_CAP = 40  # the graph names at most this many people; the rest have tooltips
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Count:
    key: str  # circle or origin as grouped: "lukewarm", "former colleague", "no circle"
    label: str
    count: int


@dataclass(frozen=True)
class CoolingPerson:
    name: str
    path: str
    href: str  # its page, people/<stem>.html (see netvault.site.context.page_names), percent-encoded
    circle: str | None
    last_contact: date
    next_due: date
    cadence_days: int
    overdue_days: int

    @property
    def cadences_late(self) -> float:
        return self.overdue_days / self.cadence_days


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first day of the month
    label: str  # "Nov 2026"
    from_log: int  # interactions in contacts' logs
    from_notes: int  # dated meeting and daily notes that link to a contact

    @property
    def total(self) -> int:
        return self.from_log + self.from_notes


@dataclass(frozen=True)
class Node:
    path: str
    name: str
    href: str
    circle: str | None
    degree: int
    x: float
    y: float
    labelled: bool  # named on the drawing (the LABEL_CAP best connected)


@dataclass(frozen=True)
class Edge:
    source: str  # contact path; for "introduced", the introducer
    target: str  # contact path; for "introduced", the person introduced
    kind: str  # "knows" (undirected, source < target) or "introduced"


@dataclass(frozen=True)
class Ring:
    circle: str  # a circle, or NO_CIRCLE
    radius: float


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]  # sorted by name
    edges: tuple[Edge, ...]  # sorted
    rings: tuple[Ring, ...]  # innermost first
    size: float  # the drawing is size × size, centred on "you"


@dataclass(frozen=True)
class NetworkModel:
    today: date
    people: int
    circles: tuple[Count, ...]  # cold, lukewarm, strategic, buddy, no circle
    origins: tuple[Count, ...]  # most people first, then by name; "no origin" last
    cooling: tuple[CoolingPerson, ...]  # most cadences late first
    months: tuple[MonthCount, ...]  # oldest first, ending with today's month
    graph: Graph


# ---------------------------------------------------------------- the model


def network_model(vault: Vault, today: date) -> NetworkModel:
    contacts = sorted(vault.contacts, key=_order)
    pages = page_names(contacts)
    hrefs = {c.path: "people/" + quote(pages[c.path], safe="~") for c in contacts}
    return NetworkModel(
        today=today,
        people=len(contacts),
        circles=_circles(contacts),
        origins=_origins(contacts),
        cooling=_cooling(vault, contacts, today, hrefs),
        months=_months(vault, contacts, today),
        graph=_graph(contacts, hrefs),
    )


def _order(contact: Contact) -> tuple[str, str]:
    return (contact.name.casefold(), contact.path)


def _circles(contacts: list[Contact]) -> tuple[Count, ...]:
    counts = Counter(c.circle or NO_CIRCLE for c in contacts)
    return tuple(Count(circle, circle, counts.get(circle, 0)) for circle in (*FUNNEL, NO_CIRCLE))


def origin_key(origin: str | None) -> str:
    """``former-colleague``, ``Former colleague`` and ``former_colleague`` are one origin."""
    if origin is None or not origin.strip():
        return NO_ORIGIN
    return " ".join(origin.replace("-", " ").replace("_", " ").split()).casefold()


def _origins(contacts: list[Contact]) -> tuple[Count, ...]:
    counts = Counter(origin_key(c.origin) for c in contacts)
    named = sorted((k for k in counts if k != NO_ORIGIN), key=lambda k: (-counts[k], k))
    keys = named + ([NO_ORIGIN] if NO_ORIGIN in counts else [])
    return tuple(Count(k, k, counts[k]) for k in keys)


def _cooling(
    vault: Vault, contacts: list[Contact], today: date, hrefs: dict[str, str]
) -> tuple[CoolingPerson, ...]:
    """Who is cooling, as :func:`netvault.playbook.funnel.cooling` defines it, with page links."""
    return tuple(
        CoolingPerson(
            p.name,
            p.path,
            hrefs[p.path],
            p.circle,
            p.last_contact,
            p.next_due,
            p.cadence_days,
            p.overdue_days,
        )
        for p in cooling(vault, today)
    )


def month_starts(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the ``count`` calendar months ending with today's."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _months(vault: Vault, contacts: list[Contact], today: date) -> tuple[MonthCount, ...]:
    starts = month_starts(today)
    first = starts[0]
    logs: Counter[date] = Counter()
    notes: Counter[date] = Counter()
    for contact in contacts:
        for entry in contact.log:
            # funnel history ("moved lukewarm → buddy") is not a conversation
            if entry.interaction and first <= entry.date <= today:
                logs[entry.date.replace(day=1)] += 1
        for interaction in vault.interactions.get(contact.path, ()):
            if first <= interaction.date <= today:
                notes[interaction.date.replace(day=1)] += 1
    return tuple(
        MonthCount(m, f"{_MONTH_NAMES[m.month - 1]} {m.year:04d}", logs[m], notes[m]) for m in starts
    )


def _graph(contacts: list[Contact], hrefs: dict[str, str]) -> Graph:
    index = NameIndex(contacts)
    edges: set[Edge] = set()

    def one(link) -> Contact | None:
        found = index.resolve(link)
        return found[0] if len(found) == 1 else None  # unknown or ambiguous: no edge

    for contact in contacts:
        for link in contact.knows:
            other = one(link)
            if other is not None and other.path != contact.path:
                a, b = sorted((contact.path, other.path))
                edges.add(Edge(a, b, "knows"))
        for link in contact.introduced_by:
            other = one(link)
            if other is not None and other.path != contact.path:
                edges.add(Edge(other.path, contact.path, "introduced"))
    degree: Counter[str] = Counter()
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    linked = [c for c in contacts if degree[c.path]]  # already sorted by name
    by_ring: dict[str, list[Contact]] = defaultdict(list)
    for contact in linked:
        by_ring[contact.circle or NO_CIRCLE].append(contact)
    labelled = {
        c.path for c in sorted(linked, key=lambda c: (-degree[c.path], *_order(c)))[:LABEL_CAP]
    }
    rings: list[Ring] = []
    nodes: list[Node] = []
    radius = 0.0
    spacing = 16.0  # arc length between neighbours on a ring
    # innermost first: buddies closest to you
    for number, circle in enumerate((*reversed(FUNNEL), NO_CIRCLE)):
        members = by_ring.get(circle)
        if not members:
            continue
        radius = max(radius + 70.0, len(members) * spacing / (2 * math.pi))
        rings.append(Ring(circle, radius))
        # nobody straight above you, where the ring's name goes; a different
        # turn on alternate rings keeps neighbours on adjacent rings from lining up
        offset = (1.0 if number % 2 == 0 else 0.5) * math.pi / len(members)
        for i, contact in enumerate(members):
            angle = -math.pi / 2 + offset + 2 * math.pi * i / len(members)
            nodes.append(
                Node(
                    contact.path,
                    contact.name,
                    hrefs[contact.path],
                    contact.circle,
                    degree[contact.path],
                    round(radius * math.cos(angle), 1),
                    round(radius * math.sin(angle), 1),
                    contact.path in labelled,
                )
            )
    size = 2 * (radius + 150.0) if rings else 0.0  # room for labels outside the last ring
    nodes.sort(key=lambda n: (n.name.casefold(), n.path))
    ordered = tuple(sorted(edges, key=lambda e: (e.kind, e.source, e.target)))
    return Graph(tuple(nodes), ordered, tuple(rings), size)


# ---------------------------------------------------------------- drawing

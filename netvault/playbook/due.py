"""When someone is due: pure functions of a contact, the settings and today."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..read.model import Contact, Interaction, LogEntry
from ..read.settings import Config
from ..values.cadence import Cadence

OVERDUE = "overdue"
DUE = "due"
UPCOMING = "upcoming"
STATUS_RANK = {OVERDUE: 0, DUE: 1, UPCOMING: 2}


@dataclass(frozen=True)
class DueInfo:
    cadence: Cadence | None  # the rhythm in force (own, else the circle's, else [cadence] default)
    last_contact: date | None  # effective last contact
    next_due: date | None  # None: no rhythm (no cadence, or "never")
    cadence_days: int | None  # length of this interval in days
    status: str | None  # overdue, due, upcoming, or None (not listed)
    overdue_days: int  # days past next_due, 0 or more
    last_contact_source: str | None = None  # "last_contact", "log", or a note's path
    last_contact_channel: str | None = None  # how, when an imported evidence line says


def effective_cadence(contact: Contact, config: Config) -> Cadence | None:
    """The contact's own cadence, else its circle's, else the vault's
    ``[cadence] default`` (unset unless the user sets it)."""
    if contact.cadence is not None:
        return contact.cadence
    if contact.circle is not None:
        return config.cadence.get(contact.circle)
    return config.default_cadence


def latest_entry(log: tuple[LogEntry, ...] | list[LogEntry], today: date) -> LogEntry | None:
    """The newest interaction dated on or before today (future ones do not count)."""
    past = [entry for entry in log if entry.date <= today and entry.interaction]
    return max(past, key=lambda e: (e.date, -e.line)) if past else None


def effective_last_contact(
    contact: Contact, today: date, interactions: Iterable[Interaction] = ()
) -> date | None:
    """The later of ``last_contact``, the newest non-future log entry and the
    newest non-future meeting or daily note that links to the contact."""
    return last_contact_and_source(contact, today, interactions)[0]


def last_contact_and_source(
    contact: Contact, today: date, interactions: Iterable[Interaction] = ()
) -> tuple[date | None, str | None]:
    """The effective last contact and where it comes from: ``"last_contact"``
    (the frontmatter), ``"log"``, or the vault path of the note that
    mentions the contact.  On a tie the contact's own file wins."""
    best: tuple[date, int, str] | None = None

    def consider(when: date, rank: int, source: str) -> None:
        nonlocal best
        if best is None or (when, rank) > best[:2]:
            best = (when, rank, source)

    if contact.last_contact is not None:
        consider(contact.last_contact, 2, "last_contact")
    entry = latest_entry(contact.log, today)
    if entry is not None:
        consider(entry.date, 3, "log")
    for interaction in interactions:
        if interaction.date <= today:
            consider(interaction.date, 1, interaction.source)
    return (best[0], best[2]) if best else (None, None)


def status_for(when: date, today: date, days: int) -> str | None:
    if when < today:
        return OVERDUE
    if when == today:
        return DUE
    if (when - today).days <= days:
        return UPCOMING
    return None


def compute_due(
    contact: Contact,
    config: Config,
    today: date,
    days: int | None = None,
    interactions: Iterable[Interaction] = (),
) -> DueInfo:
    """Work out the next touch-base date and its status on ``today``.

    A contact with no rhythm (no cadence, or ``never``) is never due.  One
    with a rhythm but no contact yet is due today.  ``snooze_until`` later
    than the computed date moves it there.
    """
    window = config.days if days is None else days
    cadence = effective_cadence(contact, config)
    interactions = tuple(interactions)
    last, source = last_contact_and_source(contact, today, interactions)
    if source == "last_contact" and _only_connected(contact):
        last, source = None, None  # a connection is no conversation: never contacted, paced as such
    channel = _evidence_channel(interactions, last, source)
    if cadence is None or cadence.is_never:
        return DueInfo(cadence, last, None, None, None, 0, source, channel)
    if last is None:
        next_due, cadence_days = today, None
    else:
        next_due = cadence.after(last)
        cadence_days = (next_due - last).days
    if contact.snooze_until is not None and contact.snooze_until > next_due:
        next_due = contact.snooze_until
    status = status_for(next_due, today, window)
    overdue_days = max(0, (today - next_due).days)
    return DueInfo(cadence, last, next_due, cadence_days, status, overdue_days, source, channel)


def _only_connected(contact: Contact) -> bool:
    """``last_contact`` is only the day an import says you connected
    (``import linkedin --connected-as-last-contact``), and nothing since."""
    connected = contact.fields.get("connected_on")
    source = contact.fields.get("source")
    return (
        contact.last_contact is not None
        and isinstance(connected, str)
        and connected.strip() == contact.last_contact.isoformat()
        and isinstance(source, str)
        and "import" in source
        and not any(entry.interaction for entry in contact.log)
    )


def _evidence_channel(interactions: tuple[Interaction, ...], last: date | None, source: str | None) -> str | None:
    """The channel of the imported evidence line the last contact comes from."""
    for interaction in interactions:
        if interaction.source == source and interaction.date == last and interaction.channel:
            return interaction.channel
    return None

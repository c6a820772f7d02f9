"""What a person page shows, and the people page's groups: plain values for
the templates, with notes and log lines rendered by :mod:`.notes`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import markupsafe

from ..playbook.due import compute_due, effective_cadence
from ..read.bodies import shown_notes, without_log
from ..read.logsection import ASKED, GAVE, PLANNED
from ..read.model import Contact
from ..values.cadence import describe
from ..views.reach import reach
from ..views.templates import relative_days, source_note
from .context import PersonLink, Site
from .notes import render_inline, render_notes

# Frontmatter keys shown in the card's first part (or elsewhere on the page);
# the rest of what the user wrote is listed under "More".
_CARD_KEYS = {
    "name", "aliases", "circle", "origin", "org", "role", "email", "phone", "linkedin",
    "channels", "cadence", "last_contact", "priority", "snooze_until", "follow_up",
    "introduced_by", "knows", "goals", "birthday", "tags",
}


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    kind: str  # "log", "note" (a meeting or daily note) or "evidence" (imported mail, events, messages)
    channel: str | None
    text: markupsafe.Markup  # sanitised HTML
    source: str | None = None  # the meeting or daily note
    gave: bool = False
    asked: bool = False
    planned: bool = False


def last_contact_view(when: date | None, source: str | None, today: date) -> dict | None:
    if when is None:
        return None
    note = source_note(source)
    origin = (
        f"from {note}" if note
        else "from the log" if source == "log"
        else "from last_contact" if source == "last_contact"
        else ""
    )
    return {"date": when, "relative": relative_days(when, today), "source": origin}


def people_index(site: Site) -> list[dict]:
    """Everyone, grouped by circle (closest first), with the next due date."""
    order = ["buddy", "strategic", "lukewarm", "cold", None]
    groups: dict = {circle: [] for circle in order}
    config = site.vault.config
    for contact in site.vault.contacts:
        info = compute_due(
            contact, config, site.today, config.days, site.vault.interactions.get(contact.path, ())
        )
        groups.setdefault(contact.circle, []).append(
            {
                "contact": contact,
                "href": site.href(contact, ""),
                "next_due": info.next_due,
                "status": info.status,
            }
        )
    return [
        {"circle": circle, "title": (circle or "no circle").capitalize(), "people": people}
        for circle, people in groups.items()
        if people
    ]


def person_view(contact: Contact, site: Site, body: str) -> dict:
    vault = site.vault
    config = vault.config
    notes = vault.interactions.get(contact.path, ())
    info = compute_due(contact, config, site.today, config.days, notes)
    cadence = effective_cadence(contact, config)
    introduced = [
        PersonLink(other.name, site.href(other, "../"))
        for other in site.pointing_at(contact, "introduced_by")
    ]
    known_by = [
        PersonLink(other.name, site.href(other, "../"))
        for other in site.pointing_at(contact, "knows")
    ]
    return {
        "contact": contact,
        "reach": reach(contact),
        "due": info,
        "cadence": describe(cadence.text) if cadence is not None else None,
        "last": last_contact_view(info.last_contact, info.last_contact_source, site.today),
        "birthday": _birthday(contact),
        "introduced_by": [site.person_link(link, "../") for link in contact.introduced_by],
        "knows": [site.person_link(link, "../") for link in contact.knows],
        "introduced": introduced,
        "known_by": known_by,
        "notes": render_notes(shown_notes(without_log(body, config.log_heading), contact.name, contact.stem), site, "../"),
        "timeline": _timeline(contact, notes, site),
        "more": _more_fields(contact),
    }


def _birthday(contact: Contact) -> str | None:
    birthday = contact.birthday
    if birthday is None:
        return None
    day = date(2000, birthday.month, birthday.day)
    text = f"{day.day} {day:%B}"
    return f"{text} {birthday.year:04d}" if birthday.year is not None else text


def _more_fields(contact: Contact) -> list[tuple[str, str]]:
    """The frontmatter keys netvault does not use, as the user wrote them."""
    used = set(contact.keys.values()) | _CARD_KEYS
    return [
        (str(key), _plain_value(value))
        for key, value in sorted(contact.fields.items(), key=lambda kv: str(kv[0]))
        if key not in used and value not in (None, "", [], {})
    ]


def _plain_value(value) -> str:
    if isinstance(value, list):
        return ", ".join(_plain_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain_value(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _timeline(contact: Contact, notes, site: Site) -> list[TimelineEntry]:
    """Log entries and dated notes that mention the person, newest first."""
    entries = [
        TimelineEntry(
            entry.date,
            "log",
            entry.channel,
            render_inline(_strip_tags(entry.text), site, "../"),
            gave=entry.gave,
            asked=entry.asked,
            planned=entry.planned,
        )
        for entry in contact.log
    ]
    entries.extend(
        TimelineEntry(
            note.date,
            "evidence" if note.channel else "note",
            note.channel,
            markupsafe.Markup(""),
            source=source_note(note.source),
        )
        for note in notes
    )
    return sorted(entries, key=lambda e: (e.date, e.kind == "log", e.source or ""), reverse=True)


def _strip_tags(text: str) -> str:
    return " ".join(PLANNED.sub("", GAVE.sub("", ASKED.sub("", text))).split())

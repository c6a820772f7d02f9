"""vCard out: ``netvault export vcard``.

Writing (:func:`export`, :func:`card_files`) makes one card per contact,
CRLF ended, folded at 75 octets, and is a round trip: export, import into
an empty vault, export again gives the same bytes.  Decisions:

* N splits the name: the last word is the family name, the rest the given
  names; a one-word name is a given name only.
* UID is the contact's ``uid`` field (the UID of the card it was imported
  from, so a phone or CardDAV server knows its card again), else
  ``urn:uuid:`` + uuid5(:data:`UID_NAMESPACE`, the contact's path in the
  vault): stable across exports and machines.
* every e-mail and number (``email`` then ``other_emails``, the first PREF),
  ADR (the one-line ``address``, whole, in the street part), URL (LinkedIn
  profile, then ``websites``), NICKNAME, ORG, TITLE, BDAY.
* NOTE is the contact's notes as its page shows them (no log, no Obsidian
  comments, no title repeating the name, no template placeholder).
* every other field as ``X-NETVAULT-<FIELD>`` (circle, origin, cadence,
  follow_up, the user's own keys...), and the log's lines as
  ``X-NETVAULT-LOG``; :func:`read` takes them back.  A card with them is
  netvault's own: its CATEGORIES (circle, then tags, for the phone's groups)
  are not read as tags.
* REV is the newest date the contact shows (``last contact`` or its newest
  logged entry that is not #planned) as ``YYYYMMDDT000000Z``; no REV when
  there is none, so the output never depends on the clock.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping

from ..read.bodies import log_text, shown_notes, without_log
from ..values.vocabulary import LIST_KEYS
from ..values.weburl import web_url
from .vcardtext import escape, fold

VERSIONS = ("3.0", "4.0")
UID_NAMESPACE = uuid.UUID("6f1c2a4e-9b7d-5e3a-8c21-4d0b7e9a1f35")
X_NETVAULT = "X-NETVAULT-"
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
LIST_VALUED = frozenset(LIST_KEYS)
# Contact fields a standard property carries; every other field of the
# contact travels as X-NETVAULT-<FIELD>.
CARD_FIELDS = frozenset(
    "name aliases org role email other_emails phone other_phones linkedin websites "
    "birthday address uid log".split()
)


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """The values in order, each once; empty ones dropped."""
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def contact_uuid(contact) -> uuid.UUID:
    """The contact's stable UUID, which names its file in a vdir: uuid5 of
    :data:`UID_NAMESPACE` and its path; with a ``uid`` field (the UID of the
    card it came from), that UID's UUID when netvault made it, else uuid5 of
    the UID.  :func:`card_uid` is the UID itself."""
    uid = _uid_field(contact)
    if not uid:
        return uuid.uuid5(UID_NAMESPACE, contact.path)
    try:  # a card netvault exported (uuid5): its file keeps its name
        kept = uuid.UUID(uid.removeprefix("urn:uuid:"))
    except ValueError:
        kept = None
    return kept if kept is not None and kept.version == 5 else uuid.uuid5(UID_NAMESPACE, f"uid:{uid}")


def card_uid(contact) -> str:
    """The card's UID: the contact's ``uid`` field (kept from the card it was
    imported from, so a phone recognises its own card), else
    ``urn:uuid:`` + :func:`contact_uuid`."""
    return _uid_field(contact) or f"urn:uuid:{contact_uuid(contact)}"


def _field(contact, name: str):
    return contact.fields.get(contact.keys.get(name, name))


def _uid_field(contact) -> str | None:
    value = _field(contact, "uid")
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None  # one line, whatever the file holds


def _strings(value) -> list[str]:
    """A field's text values (a list's items, or the one value); empty ones dropped."""
    items = value if isinstance(value, list) else [value]
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def _rev(contact) -> str | None:
    dates = [e.date for e in contact.log if not getattr(e, "planned", False)]
    if contact.last_contact:
        dates.append(contact.last_contact)
    return max(dates).strftime("%Y%m%dT000000Z") if dates else None


def _bday(birthday, version: str) -> str:
    if birthday.year is None:
        return f"--{birthday.month:02d}{birthday.day:02d}"
    if version == "4.0":
        return f"{birthday.year:04d}{birthday.month:02d}{birthday.day:02d}"
    return f"{birthday.year:04d}-{birthday.month:02d}-{birthday.day:02d}"


def _several(name: str, values: list[str], version: str) -> list[str]:
    """EMAIL or TEL lines; with more than one, the first is the preferred one."""
    pref = ";PREF=1" if version == "4.0" else ";TYPE=PREF"
    return [f"{name}{pref if i == 0 and len(values) > 1 else ''}:{escape(v)}" for i, v in enumerate(values)]


def _netvault_lines(contact) -> list[str]:
    """Every field no standard property carries, as ``X-NETVAULT-<FIELD>``
    (netvault's name for it, so a vault that maps ``last contact`` to
    ``last_contact`` exports ``X-NETVAULT-LAST-CONTACT``), sorted.  Keys that
    are no plain lower-case name and nested mappings are left out."""
    names = {key: name for name, key in contact.keys.items()}
    lines = []
    for key, value in contact.fields.items():
        name = names.get(key, key) if isinstance(key, str) else ""
        if not FIELD_NAME.match(name) or name in CARD_FIELDS:
            continue
        items = _strings(value)
        if items:
            one = ";LIST=1" if isinstance(value, list) and len(items) == 1 and name not in LIST_VALUED else ""
            prop = X_NETVAULT + name.upper().replace("_", "-") + one
            lines.append((name, prop + ":" + ",".join(escape(i) for i in items)))
    return [line for _, line in sorted(lines)]


def card(contact, version: str = "3.0", body: str | None = None, log_heading: str = "Log", uid: str | None = None) -> str:
    """One contact as a vCard (CRLF, folded).  ``body`` is the note below
    its frontmatter: its notes become NOTE and its log X-NETVAULT-LOG."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r}: 3.0 or 4.0")
    words = contact.name.split()
    family, given = (words[-1], " ".join(words[:-1])) if len(words) > 1 else ("", contact.name.strip())
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"UID:{escape(uid or card_uid(contact))}",
        f"FN:{escape(contact.name)}",
        f"N:{escape(family)};{escape(given)};;;",
    ]
    if contact.aliases:
        lines.append("NICKNAME:" + ",".join(escape(a) for a in contact.aliases))
    if contact.org:
        lines.append(f"ORG:{escape(contact.org)}")
    if contact.role:
        lines.append(f"TITLE:{escape(contact.role)}")
    lines += _several("EMAIL", unique([contact.email or "", *_strings(_field(contact, "other_emails"))]), version)
    lines += _several("TEL", unique([contact.phone or "", *_strings(_field(contact, "other_phones"))]), version)
    address = _strings(_field(contact, "address"))
    if address:  # one line in the vault: all of it in the street part, as it is
        lines.append(f"ADR:;;{escape(address[0])};;;;")
    # Anything that is no web address is left out (check reports it): a URL is written as it is.
    urls = [web_url(contact.linkedin or ""), *(web_url(u) for u in _strings(_field(contact, "websites")))]
    lines += [f"URL:{url}" for url in unique(u or "" for u in urls)]
    if contact.birthday:
        lines.append(f"BDAY:{_bday(contact.birthday, version)}")
    categories = unique([contact.circle or "", *contact.tags])
    if categories:  # for the phone's groups; netvault reads circle and tags from X-NETVAULT-*
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in categories))
    if body is not None:
        notes = shown_notes(without_log(body, log_heading), contact.name, contact.stem).strip()
        if notes:
            lines.append(f"NOTE:{escape(notes)}")
    lines += _netvault_lines(contact)
    if body is not None:
        log = log_text(body, log_heading)
        if log:
            lines.append(f"X-NETVAULT-LOG:{escape(log)}")
    rev = _rev(contact)
    if rev:
        lines.append(f"REV:{rev}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def _cards(contacts: Iterable, version: str, bodies, log_heading: str) -> Iterable[tuple[uuid.UUID, str]]:
    """``(file uuid, card)`` per contact.  Two contacts with one ``uid``
    (a copied file): the first by path keeps it, the other gets its path's."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r}: 3.0 or 4.0")
    taken: set[str] = set()
    bodies = bodies or {}
    for contact in contacts:
        uid, name = card_uid(contact), contact_uuid(contact)
        if uid in taken:
            name = uuid.uuid5(UID_NAMESPACE, contact.path)
            uid = f"urn:uuid:{name}"
        taken.add(uid)
        yield name, card(contact, version, bodies.get(contact.path), log_heading, uid)


def export(contacts: Iterable, version: str = "3.0", bodies: Mapping[str, str] | None = None, log_heading: str = "Log") -> str:
    """The contacts, in the order given, as one vCard stream; ``bodies``
    maps a contact's path to its note below the frontmatter."""
    return "".join(text for _, text in _cards(contacts, version, bodies, log_heading))


def card_files(contacts: Iterable, version: str = "3.0", bodies: Mapping[str, str] | None = None, log_heading: str = "Log") -> dict[str, str]:
    """A vdir: file name (``<uuid>.vcf``, :func:`contact_uuid`) -> that card."""
    return {f"{name}.vcf": text for name, text in _cards(contacts, version, bodies, log_heading)}

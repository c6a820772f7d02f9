"""Which contact an incoming person is: the key an import remembers them
by, and the match, strongest first (earlier import, LinkedIn profile,
email, then an unambiguous name)."""

from __future__ import annotations

import re
import unicodedata

from ..read.model import Contact, Vault
from ..values.names import fold
from . import Person
from .linkedin import normalise_profile


def same(a: str | None, b: str | None) -> bool:
    return norm(a) == norm(b)


def norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


def phone_digits(text: str | None) -> str:
    return re.sub(r"[^\d+]", "", text or "")


def identity(source: str, person: Person) -> str:
    """The key an import remembers a person by (see :data:`STATE`)."""
    if person.linkedin:
        profile = normalise_profile(person.linkedin)
        if profile:
            return f"linkedin:{profile}"
    if person.uid:
        return f"{source}:uid:{person.uid}"
    if person.emails and source != "linkedin":
        return f"{source}:email:{person.emails[0].strip().casefold()}"
    return f"{source}:name:{fold(person.name)}"


class ContactIndex:
    """The vault's contacts by profile, email and path."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.by_path = {c.path: c for c in vault.contacts}
        self.by_profile: dict[str, list[Contact]] = {}
        self.by_email: dict[str, list[Contact]] = {}
        self.by_uid: dict[str, list[Contact]] = {}
        for contact in vault.contacts:
            uid = contact.fields.get(contact.keys.get("uid", "uid"))
            if isinstance(uid, str) and uid.strip():
                self.by_uid.setdefault(uid.strip(), []).append(contact)
            profile = normalise_profile(contact.linkedin) if contact.linkedin else None
            if profile:
                self.by_profile.setdefault(profile, []).append(contact)
            if contact.email:
                self.by_email.setdefault(contact.email.strip().casefold(), []).append(contact)


def find_match(person: Person, key: str, source: str, index: ContactIndex, state: dict, shared_name: bool):
    """``(contact, how)`` or ``(None, reason it is not a match)``."""
    known = state["people"].get(key)
    if isinstance(known, dict) and known.get("path") in index.by_path:
        return index.by_path[known["path"]], "earlier import"
    if person.uid and len(index.by_uid.get(person.uid, ())) == 1:
        return index.by_uid[person.uid][0], "uid"
    profile = normalise_profile(person.linkedin) if person.linkedin else None
    if profile and len(index.by_profile.get(profile, ())) == 1:
        return index.by_profile[profile][0], "profile"
    if source != "linkedin":
        for email in person.emails:
            found = index.by_email.get(email.strip().casefold(), ())
            if len(found) == 1:
                return found[0], "email"
    if shared_name:
        return None, None
    candidates = [c for c in index.vault.names.lookup(person.name) if c.path.lower().endswith(".md")]
    if len(candidates) != 1:
        return None, None
    contact = candidates[0]
    theirs = normalise_profile(contact.linkedin) if contact.linkedin else None
    if profile and theirs and profile != theirs:
        return None, "different-profile"
    return contact, "name"

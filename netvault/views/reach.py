"""The one-click ways to reach someone (``mailto:``, ``tel:``, the web), for
the pages and the messages: only for values that are what they claim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..read.model import Contact

_EMAIL = re.compile(r"^[A-Za-z0-9._+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{2,30}$")
_WEB = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


@dataclass(frozen=True)
class ContactLinks:
    """The one-click ways to reach someone: only values that are what they claim."""

    email: str | None = None
    phone: str | None = None
    web: str | None = None


def reach(contact: Contact) -> ContactLinks:
    """``mailto:``, ``tel:`` and web links, only for real addresses and numbers."""
    email = contact.email.strip() if contact.email else ""
    phone = contact.phone.strip() if contact.phone else ""
    web = contact.linkedin.strip() if contact.linkedin else ""
    return ContactLinks(
        email="mailto:" + email if _EMAIL.match(email) else None,
        phone="tel:" + re.sub(r"[^0-9+]", "", phone)
        if _PHONE.match(phone) and sum(ch.isdigit() for ch in phone) >= 3
        else None,
        web=web if _WEB.match(web) else None,
    )

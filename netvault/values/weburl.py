"""Web addresses in the fields that hold them (``linkedin``, websites): one
line, ``http://`` or ``https://``, a host, and nothing a vCard, a calendar or
a page could read as the start of something else; and the key a LinkedIn
profile address is matched by, however it was written."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# No whitespace, no control or format characters, no quotes or angle brackets.
_BAD = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\ufeff\"'<>\\\\`]")
MAX_LENGTH = 2048


def web_url(text: str | None) -> str | None:
    """``text`` (stripped) when it is a web address netvault will write into
    other programs' formats, else None."""
    if not isinstance(text, str):
        return None
    url = text.strip()
    if not url or len(url) > MAX_LENGTH or _BAD.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def normalise_profile(url: str) -> str | None:
    """A key for matching LinkedIn profile URLs: ``linkedin.com/in/NAME``,
    lower-case and percent-decoded, whatever the scheme, subdomain (``www``,
    ``uk``...), trailing slash, locale suffix (``/en``), query or fragment.
    None for anything that is not a LinkedIn profile URL."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url.lstrip("/")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or parts.username is not None:
        return None
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    segments = [unquote(s).strip() for s in parts.path.split("/") if s.strip()]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        return None
    if segments[0].lower() == "in":
        return f"linkedin.com/in/{segments[1].lower()}"
    # the old public form: /pub/jane-doe/12/345/678 (numbers only after the name)
    kept = [segments[1]] + [s for s in segments[2:5] if s.isalnum() and any(c.isdigit() for c in s)]
    return "linkedin.com/pub/" + "/".join(kept).lower()

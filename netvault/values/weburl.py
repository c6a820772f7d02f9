"""Web addresses in the fields that hold them (``linkedin``, websites): one
line, ``http://`` or ``https://``, a host, and nothing a vCard, a calendar or
a page could read as the start of something else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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

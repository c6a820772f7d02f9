"""Wikilinks as Obsidian writes them: ``[[Target]]``, ``[[Target|label]]``,
``[[Target#Heading]]``, or a bare name where a field holds one."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """A wikilink as written: ``[[target|label]]`` (or a bare name)."""

    target: str
    label: str | None = None
    line: int | None = None

    @property
    def text(self) -> str:
        return self.label or self.target.rsplit("/", 1)[-1]


_WIKILINK = re.compile(r"^\[\[([^\]|#^]*)(?:[#^][^\]|]*)?(?:\|([^\]]*))?\]\]$")


def parse_link(text: str, line: int | None = None) -> Link | None:
    """``[[Target|label]]``, ``[[Target#Heading]]`` or a bare name."""
    cleaned = text.strip()
    if not cleaned:
        return None
    match = _WIKILINK.match(cleaned)
    if match:
        target = match.group(1).strip()
        if target.lower().endswith(".md"):
            target = target[:-3]
        if not target:
            return None
        return Link(target, (match.group(2) or "").strip() or None, line)
    return Link(cleaned, None, line)

"""How names compare: as Obsidian compares them (case and Unicode form
folded), and without accents for typing a name quickly."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Compare names as Obsidian does: case-insensitively, and treating the
    composed and decomposed forms of accented letters (macOS file names) alike."""
    if text.isascii():  # NFC leaves ASCII as it is
        return " ".join(text.split()).casefold()
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def plain(text: str) -> str:
    """Without accents: 'José Ñúñez' -> 'jose nunez' (for typing names quickly)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

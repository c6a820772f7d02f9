"""Where a table or key sits in TOML text: ``tomllib`` gives values but no
line numbers, and every settings problem names its line."""

from __future__ import annotations

import re
import tomllib

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')\s*[.=]")


def locate(lines: list[str], table: str | None, key: str | None) -> int | None:
    """1-based line of ``[table]`` or of ``key`` inside it (best effort)."""
    current = None
    for number, line in enumerate(lines, 1):
        match = _TABLE.match(line)
        if match:
            current = match.group(1)
            if key is None and current == table:
                return number
            continue
        match = _KEY.match(line)
        if match and key is not None and current == table and unquote(match.group(1)) == key:
            return number
    return None


def unquote(text: str) -> str:
    if text[:1] == "'":
        return text[1:-1]
    if text[:1] == '"':
        try:
            return tomllib.loads(f"k = {text}")["k"]
        except tomllib.TOMLDecodeError:
            return text.strip('"')
    return text


_HEADER = re.compile(r"^\s*\[([^\[\]]+)\]\s*(?:#.*)?$")


def _header_path(text: str) -> tuple[str, ...] | None:
    """``goals.move-to-product`` (as in ``[goals.move-to-product]``) -> its keys."""
    try:
        node = tomllib.loads(f"[{text}]")
    except tomllib.TOMLDecodeError:
        return None
    path: list[str] = []
    while isinstance(node, dict) and len(node) == 1:
        key, node = next(iter(node.items()))
        path.append(key)
    return tuple(path)


_DOTTED_KEY = re.compile(
    r"^\s*([A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')\s*\.\s*"
    r"([A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')\s*="
)


def goal_lines(lines: list[str]) -> dict[tuple[str, str | None], int]:
    """(goal, None) -> line of ``[goals.NAME]``; (goal, key) -> line of a key
    in it.  Also ``NAME = {...}`` and ``NAME.key = ...`` under ``[goals]``.
    One pass, so a long settings file with many goals stays quick."""
    found: dict[tuple[str, str | None], int] = {}
    current: tuple[str, ...] | None = None
    for number, line in enumerate(lines, 1):
        match = _HEADER.match(line)
        if match and not line.lstrip().startswith("[["):
            current = _header_path(match.group(1)) if "goals" in match.group(1) else None
            if current and len(current) == 2 and current[0] == "goals":
                found.setdefault((current[1], None), number)
            continue
        if not current or current[0] != "goals":
            continue
        match = _KEY.match(line)
        if not match:
            continue
        first = unquote(match.group(1))
        if len(current) == 2:
            found.setdefault((current[1], first), number)
        elif len(current) == 1:
            found.setdefault((first, None), number)
            dotted = _DOTTED_KEY.match(line)
            if dotted:
                found.setdefault((first, unquote(dotted.group(2))), number)
    return found

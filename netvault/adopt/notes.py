"""A vault's notes as adopt reads them (every note, read-only, with its types,
tags and categories), and the Obsidian settings adopt takes folders and date
keys from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..read.frontmatter import FrontmatterError, Note, decode, parse
from ..read.settings import Config
from ..read.vaultfile import UnreadableFile, read_vault_file
from ..read.walk import scan_notes
from ..values.names import fold
from .findings import Broken

# Far above any note a person typed (vCard photos make notes of tens of KB).
MAX_NOTE_BYTES = 8 << 20


@dataclass
class _Note:
    rel: str
    data: dict
    body: str
    raw_text: str
    raw: bytes = b""
    parsed: Note | None = None
    types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kind: str | None = None

    @property
    def folder(self) -> str:
        return self.rel.rpartition("/")[0]


_WIKILINK = re.compile(r"\[\[([^\]|#^\n]*)(?:[#^][^\]|\n]*)?(?:\|[^\]\n]*)?\]\]")
_INLINE_TAG = re.compile(r"(?:(?<=\s)|^)#([\w/-]+)", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_COMMENTS = re.compile(r"%%.*?%%|<!--.*?-->", re.DOTALL)


def _link_target(text: str) -> str:
    """``[[Types/Person|P]]`` -> ``Person``; plain text stays, a leading ``#`` goes."""
    text = text.strip()
    match = _WIKILINK.fullmatch(text)
    if match:
        text = match.group(1).strip()
        if text.lower().endswith(".md"):
            text = text[:-3]
        text = text.rsplit("/", 1)[-1]
    return text.lstrip("#").strip()


def _values(value) -> list[str]:
    """A frontmatter value as a list of strings (``[[X]]`` unquoted is a list in a list)."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str):
            item = f"[[{item[0]}]]"
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
    return out


def inline_tags(body: str) -> list[str]:
    """``#tags`` in a note's text, as Obsidian sees them: not in code or comments,
    not all digits."""
    text = _COMMENTS.sub(" ", _INLINE_CODE.sub(" ", _FENCE.sub(" ", body)))
    tags = []
    for match in _INLINE_TAG.finditer(text):
        tag = match.group(1).strip("/")
        if tag and not tag.replace("/", "").isdigit():
            tags.append(tag)
    return tags


def _read_notes(root: Path) -> tuple[list[_Note], list[Broken], int]:
    notes, broken = [], []
    paths = scan_notes(root, Config()).notes
    for rel in paths:
        try:
            raw = read_vault_file(root, rel, MAX_NOTE_BYTES)
            text = decode(raw)
            note = parse(text)
        except FileNotFoundError:
            continue  # vanished while we looked
        except UnreadableFile as exc:
            broken.append(Broken(rel, None, exc.reason))
            continue
        except FrontmatterError as exc:
            broken.append(Broken(rel, exc.line, exc.message))
            continue
        data = note.data
        tags = [_link_target(t) for v in _values(data.get("tags")) for t in re.split(r"[,\s]+", v)]
        tags += inline_tags(note.body)
        kind = next((v for k, v in data.items() if k.lower() == "kind" and isinstance(v, str)), None)
        notes.append(
            _Note(
                rel=rel,
                data=data,
                body=note.body,
                raw_text=text,
                raw=raw,
                parsed=note,
                types=tuple(_link_target(t) for t in _values(data.get("type"))),
                tags=tuple(t for t in tags if t),
                categories=tuple(_link_target(c) for c in _values(data.get("categories"))),
                kind=kind.strip() if kind else None,
            )
        )
    return notes, broken, len(paths)


def _obsidian_setting(root: Path, rel: str, key: str) -> str | None:
    """A folder named in one of Obsidian's JSON settings; None when unset or unreadable
    (the file is Obsidian's, not ours: a bad one is ignored without a word)."""
    try:
        data = json.loads(read_vault_file(root, rel).decode("utf-8"))
    except (OSError, UnreadableFile, ValueError, RecursionError):
        return None
    folder = data.get(key) if isinstance(data, dict) else None
    if isinstance(folder, str) and folder.strip("/ "):
        return folder.strip("/ ")
    return None


def _under(rel: str, folder: str) -> bool:
    return fold(rel).startswith(fold(folder).rstrip("/") + "/")


def _obsidian_date_keys(root: Path) -> frozenset[str]:
    """Keys Obsidian's property types (.obsidian/types.json) make dates, folded."""
    try:
        data = json.loads(read_vault_file(root, ".obsidian/types.json").decode("utf-8"))
    except (OSError, UnreadableFile, ValueError, RecursionError):
        return frozenset()
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict):
        return frozenset()
    return frozenset(
        fold(k) for k, v in types.items()
        if isinstance(k, str) and isinstance(v, str) and v.strip().lower() in ("date", "datetime")
    )

"""The vault's own small files (``netvault.toml``, templates, Obsidian's
settings), read safely: regular files inside the vault, of bounded size."""

from __future__ import annotations

import os
import stat
from pathlib import Path

CONFIG_NAME = "netvault.toml"


# netvault's settings and templates, and the Obsidian settings it looks at,
# are small; a bigger file is someone else's or a trap.
MAX_SETTINGS_BYTES = 1 << 20


class UnreadableFile(Exception):
    """A settings or template file netvault does not read; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def inside(real_path: str, real_root: str) -> bool:
    """Whether ``real_path`` is ``real_root`` or lies under it (both real paths)."""
    return real_path == real_root or real_path.startswith(real_root.rstrip(os.sep) + os.sep)


NOTE_LIMIT = 16 << 20  # a bigger "note" is not one a person wrote


def read_vault_file(root: Path | str, rel: str, limit: int = MAX_SETTINGS_BYTES) -> bytes:
    """The bytes of a small settings file of the vault, or UnreadableFile.

    Read only if it is a regular file (a named pipe would block forever, a
    link to /dev/zero never ends) of at most ``limit`` bytes, whose real
    path lies inside the vault's real root: a cloned vault's symlink must not
    make netvault obey (or copy into new contacts) a file elsewhere.
    ``[vault] follow_outside_links`` is about notes and does not apply.
    Raises FileNotFoundError when there is no such file at all.
    """
    path = os.path.join(root, rel)
    if not os.path.lexists(path):
        raise FileNotFoundError(path)
    real = os.path.realpath(path)
    if not inside(real, os.path.realpath(root)):
        raise UnreadableFile("links to a file outside the vault")
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):
            raise UnreadableFile("not a regular file")
        # Non-blocking and no following links, in case the file was swapped
        # since it was looked at; what was opened is checked again.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(real, flags | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except UnreadableFile:
        raise
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        too_big = UnreadableFile(f"larger than {_size(limit)}")
        if info.st_size > limit:
            raise too_big
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise too_big
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _size(count: int) -> str:
    if count >= 1 << 20 and count % (1 << 20) == 0:
        return f"{count >> 20} MB"
    return f"{count:,} bytes"


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding netvault.toml, else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def note_stem(rel: str) -> str:
    """A note's name without its folder and ``.md``: ``people/Jane Doe.md`` -> ``Jane Doe``."""
    base = rel.rsplit("/", 1)[-1]
    return base[:-3] if base.lower().endswith(".md") else base

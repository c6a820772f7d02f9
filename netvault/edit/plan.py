"""One file's edit in flight (:class:`Plan`: the original kept open, its
bytes, the new bytes, the temporary file) and its outcome (:class:`Saved`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .lock import remove


@dataclass
class Saved:
    """The outcome for one file: its bytes before and after, and any conflict copy."""

    path: Path
    old: bytes
    new: bytes
    conflict: Path | None = None  # where the other version was kept
    conflict_kept: str | None = None  # "theirs" (another program's save) or "ours"

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class Plan:
    path: Path  # as given (may be a link)
    target: Path  # the real file
    transform: Callable[[str], str]
    fd: int | None = None  # the original, kept open
    info: os.stat_result | None = None  # the original when read
    old: bytes = b""
    new: bytes = b""
    tmp: str | None = None
    written: os.stat_result | None = None
    saved: Saved | None = field(default=None)
    displaced: Path | None = None  # another program's file our rename pushed aside

    def close(self) -> None:
        remove(self.tmp)
        self.tmp = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

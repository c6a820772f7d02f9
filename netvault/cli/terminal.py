"""What the one-key-at-a-time reviews share (``merge --review``, ``triage``):
the keyboard in cbreak mode, the refusal without a terminal, and the list
of what was skipped, kept in the read cache."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from .options import NetvaultError


def require_terminal(what: str, instead: str) -> None:
    """``what`` reads keys: without a terminal, say what to do ``instead``."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise NetvaultError(f"{what} needs a terminal (it reads one key per decision). Instead: {instead}")


@contextmanager
def keyboard():
    """One key at a time from the terminal, as typed: the terminal stays in
    cbreak mode for the whole session (no echo, no Enter needed, Ctrl-C still
    interrupts), so keys typed ahead are kept, not flushed."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)

    def keys():
        while True:
            data = os.read(fd, 32)
            if not data:
                return
            if data.startswith(b"\x1b"):
                yield ""  # an arrow or function key: no key of ours
                continue
            yield from data.decode("utf-8", "replace")  # keys typed ahead, in order

    try:
        yield keys()
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_skipped(root: Path, name: str) -> list:
    """What a review skipped, in the order it was skipped (a cache: lost or
    broken, it only forgets the skips)."""
    from ..read.ownfolder import OwnFolderError, own_file

    try:
        path = own_file(root, "cache", name)
        data = json.loads(path.read_text(encoding="utf-8")) if path else []
    except (OwnFolderError, OSError, ValueError):
        return []
    return [tuple(item) if isinstance(item, list) else item for item in data if isinstance(item, (list, str))]


def write_skipped(root: Path, name: str, items: list) -> None:
    from ..edit.errors import EditError
    from ..edit.files import atomic_write
    from ..read.ownfolder import OwnFolderError, own_folder

    unique = list(dict.fromkeys(items))
    try:
        atomic_write(own_folder(root, "cache") / name, (json.dumps(unique) + "\n").encode("utf-8"), None)
    except (EditError, OwnFolderError):
        pass  # the review goes on, and only forgets the skip

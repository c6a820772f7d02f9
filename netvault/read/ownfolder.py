"""``.netvault/`` in a vault: where netvault keeps what is its own (the write
lock and its record of its own writes, the read cache, the site's build
records, the import record).

Every writer of it asks :func:`own_folder` first, so none of them follows a
link: a cloned or shared vault whose ``.netvault`` (or ``.netvault/cache``)
is a link to somewhere else never makes netvault write there.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

STATE_DIR = ".netvault"


class OwnFolderError(Exception):
    """netvault's own folder cannot be used; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def own_folder(root: Path | str, *parts: str, create: bool = True) -> Path:
    """``<root>/.netvault/<parts...>``, each a real folder of its own (made
    when missing and ``create``).  Raises OwnFolderError for a link, a file
    in the way or a folder that cannot be made; FileNotFoundError when it is
    missing and not ``create``."""
    path = Path(root)
    shown = ""
    for name in (STATE_DIR, *parts):
        path = path / name
        shown = f"{shown}/{name}" if shown else name
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            if not create:
                raise
            try:
                os.mkdir(path)
            except FileExistsError:
                pass
            except OSError as exc:
                raise OwnFolderError(f"cannot create {shown}/: {exc.strerror or exc}") from None
            info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise OwnFolderError(
                f"{shown} in the vault is a link; netvault keeps its own files there and "
                "never follows a link (make it a plain folder)"
            )
        if not stat.S_ISDIR(info.st_mode):
            raise OwnFolderError(f"{shown} in the vault is not a folder; netvault keeps its own files there")
    return path


def own_file(root: Path | str, *parts: str) -> Path | None:
    """A file of netvault's own folder to read: None when it, or a folder on
    the way, is missing; OwnFolderError when any of them is a link or the
    folders are not folders."""
    *folders, name = parts
    try:
        folder = own_folder(root, *folders, create=False)
    except FileNotFoundError:
        return None
    path = folder / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise OwnFolderError(f"{STATE_DIR}/{'/'.join(parts)} is a link; netvault never follows one")
    return path

"""The swap that puts a file's new version in place: an atomic exchange
where the system has one, so netvault sees what it replaced, else a rename."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .errors import EditError
from .files import fsync_folder
from .latewrites import move_aside
from .lock import VaultLock, remove
from .plan import Plan


def put_in_place(plan: Plan, lock: VaultLock, now: Callable[[], datetime]) -> None:
    """Put the new version in place.

    Where the system can (Linux), the new file and the one at the path are
    exchanged atomically, so netvault sees what it replaced: if that is not
    the original it read (another program renamed a file into place after
    the last check), that file is kept as a conflict copy instead of being
    lost.  Elsewhere a plain rename, right after the last check.
    """
    lock.remember(plan.target, os.stat(plan.tmp))
    try:
        exchanged = _exchange(plan.tmp, plan.target)
        if not exchanged:
            os.replace(plan.tmp, plan.target)
    except OSError as exc:
        raise EditError(f"cannot write {plan.path}: {exc.strerror or exc}") from None
    if exchanged:
        try:
            pushed = os.lstat(plan.tmp)
        except FileNotFoundError:  # pragma: no cover - someone removed it already
            pushed = None
        if pushed is not None and (pushed.st_dev, pushed.st_ino) == (plan.info.st_dev, plan.info.st_ino):
            remove(plan.tmp)
        elif pushed is not None:
            plan.displaced = move_aside(plan.target, Path(plan.tmp), now)
    plan.tmp = None
    plan.written = os.stat(plan.target)
    fsync_folder(plan.target.parent)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None
_exchange_works = sys.platform.startswith("linux")


def _exchange(source: str, target: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False
    when the system or filesystem cannot, and nothing was done."""
    global _renameat2, _exchange_works
    if not _exchange_works:
        return False
    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            _renameat2 = libc.renameat2
        except (OSError, AttributeError):
            _exchange_works = False
            return False
        _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        _renameat2.restype = ctypes.c_int
    result = _renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # no exchange here: fall back to a plain rename
    raise OSError(code, os.strerror(code))

"""After the rename: another program that wrote into the replaced original
(an editor saving in place), or replaced netvault's new file, loses nothing:
its bytes, or netvault's, are kept in a conflict copy beside the file."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

from ..read.walk import conflict_copy_name
from . import timing
from .errors import ConflictError, EditError
from .files import create_file
from .lock import identity, read_all, remove, shorten, written_by_netvault
from .plan import Plan

_NAME_MAX = 255  # bytes in a file name on common filesystems


def conflict_copy_path(target: Path, when: datetime) -> Path:
    """``Jane Doe.conflict-2026-11-23T10-00-00.md`` beside ``Jane Doe.md``
    (named the way the loader recognises, and reports, conflict copies; a
    long name is shortened so that the copy's name still fits)."""
    name = target.name
    stem = name[:-3] if name.lower().endswith(".md") else name
    room = _NAME_MAX - len(".conflict-2026-11-23T10-00-00-999.md")
    name = shorten(stem, room).rstrip(" .") + ".md"
    number = 1
    while True:
        candidate = target.with_name(conflict_copy_name(name, when, number))
        if not os.path.lexists(candidate):
            return candidate
        number += 1


def _keep_copy(target: Path, data: bytes, now: Callable[[], datetime]) -> Path:
    """Save ``data`` as a new conflict copy beside ``target``."""
    for _ in range(20):
        copy = conflict_copy_path(target, now())
        try:
            create_file(copy, data)
            return copy
        except ConflictError:  # pragma: no cover - taken between the check and the link
            continue
    raise EditError(f"cannot save a conflict copy beside {target}")  # pragma: no cover


def move_aside(target: Path, pushed: Path, now: Callable[[], datetime]) -> Path:
    """Rename the file our exchange pushed aside into a conflict copy."""
    for _ in range(20):
        copy = conflict_copy_path(target, now())
        try:
            os.link(pushed, copy)  # never replaces an existing name
        except FileExistsError:  # pragma: no cover - taken between the check and the link
            continue
        except OSError:
            data = pushed.read_bytes()
            copy = _keep_copy(target, data, now)
        remove(str(pushed))
        return copy
    raise EditError(f"cannot save a conflict copy beside {target}")  # pragma: no cover


def watch(plans: list[Plan], root: Path, now: Callable[[], datetime]) -> None:
    """Watch the replaced originals (and the new files) for WATCH_SECONDS
    (NEW_FILE_WATCH_SECONDS when no other process holds an original open);
    keep any bytes another program wrote there in a conflict copy."""
    if not plans:
        return
    watched = [plan for plan in plans if not _alone(plan)]
    deadline = time.monotonic() + (timing.WATCH_SECONDS if watched else timing.NEW_FILE_WATCH_SECONDS)
    limit = time.monotonic() + max(timing.WATCH_SECONDS, timing.SETTLE_LIMIT)
    while True:
        busy = False
        for plan in watched:
            info = os.fstat(plan.fd)
            if identity(info) != identity(plan.info):
                # Another program is writing into the original: wait until it
                # is done (a truncated file is waited for until it has bytes).
                recent = time.time_ns() - info.st_mtime_ns < timing.QUIET_SECONDS * 1e9
                busy = busy or recent or info.st_size == 0
        now_mono = time.monotonic()
        if now_mono >= limit or (now_mono >= deadline and not busy):
            break
        time.sleep(timing.POLL * 2)
    for plan in plans:
        saved = plan.saved
        if plan.displaced is not None:
            saved.conflict, saved.conflict_kept = plan.displaced, "theirs"
            continue
        theirs = None
        if identity(os.fstat(plan.fd)) != identity(plan.info):
            theirs = read_all(plan.fd)
            if theirs in (plan.old, plan.new, b""):
                theirs = None  # rewritten with the same bytes, or only truncated
        if theirs is not None:
            saved.conflict = _keep_copy(plan.target, theirs, now)
            saved.conflict_kept = "theirs"
            continue
        try:
            current = os.stat(plan.target)
        except FileNotFoundError:
            current = None
        if current is not None and identity(current) == identity(plan.written):
            continue
        if current is not None and written_by_netvault(root, plan.target, current):
            continue  # a later netvault command, which read netvault's version
        try:
            now_bytes = plan.target.read_bytes()
        except OSError:
            now_bytes = None
        if now_bytes != plan.new and not _keeps_change(plan.old, plan.new, now_bytes):
            saved.conflict = _keep_copy(plan.target, plan.new, now)
            saved.conflict_kept = "ours"


def _alone(plan: Plan) -> bool:
    """Can nobody write into the replaced original any more?  True when it
    is unchanged, has no name left, and no other process holds it open:
    Linux grants a write lease only then.  Such an original needs no watch,
    which spares the wait in the common case.  False where that cannot be
    known (another system, or a file netvault may not lease)."""
    if fcntl is None or not hasattr(fcntl, "F_SETLEASE"):
        return False
    info = os.fstat(plan.fd)
    if info.st_nlink != 0 or identity(info) != identity(plan.info):
        return False
    try:
        fcntl.fcntl(plan.fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
    except OSError:
        return False
    fcntl.fcntl(plan.fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
    return True


def _keeps_change(old: bytes, new: bytes, now: bytes | None) -> bool:
    """Does ``now`` (another program's later version) still hold every line
    netvault added (``new`` less ``old``)?  Then nothing of netvault's is lost."""
    if now is None:
        return False
    added = Counter(new.splitlines()) - Counter(old.splitlines())
    return not (added - Counter(now.splitlines()))

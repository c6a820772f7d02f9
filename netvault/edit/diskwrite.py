"""Putting edited contacts on disk without ever losing anyone's bytes.

:mod:`netvault.edit.writer` decides *what* the new text of a file is; this module
decides *how* it reaches the disk, when netvault may be racing other
netvault commands, an editor, or a sync tool:

* **One netvault writer at a time.**  Writers of a vault take an advisory
  lock (``fcntl.flock``) on ``.netvault/write.lock`` and hold it from the
  moment they read a file until it is renamed into place.  A second writer
  waits for the lock, then reads the file *as the first one left it*, so
  twenty parallel ``netvault log`` commands add twenty entries.
* **Settled files only.**  A file modified a moment ago may be half-saved
  (editors truncate, pause, then write), so a file changed within the last
  :data:`~netvault.edit.timing.QUIET_SECONDS` is waited for until it is quiet.  netvault's own
  writes are remembered in ``.netvault/written.json`` and need no wait.
* **Atomic replace.**  New bytes go to a temporary file in the same folder,
  are fsynced and renamed over the target.  Just before the rename the file
  is read again; if another program changed it, netvault starts over from
  the new bytes (a few times), and only then gives up with ConflictError.
* **Conflict copies.**  The original stays open while netvault writes.  A
  program that wrote into it in place after netvault read it (its bytes
  would land in the replaced inode and vanish) is noticed for
  :data:`~netvault.edit.timing.WATCH_SECONDS` after the rename; its bytes are saved beside the
  file as ``Name.conflict-YYYY-MM-DDTHH-MM-SS.md``, the way sync tools do.
  If another program replaced netvault's new file in that time, netvault's
  version is the one saved as the conflict copy.  Either way the caller is
  told, so the user can merge.
* **Never outside the vault.**  A contact that is a symlink to a file
  outside the vault is never written through.

Several files are edited all or nothing: every one is read, transformed
and checked before any is renamed; if a rename still fails midway,
:class:`PartialWrite` says exactly which files were written.

This module plans and checks; the rest of the path has rooms of its own:
:mod:`.files` (temporary file, fsync, rename or link), :mod:`.swap` (the
exchange that puts a new version in place), :mod:`.latewrites` (the watch
after the rename and the conflict copies), :mod:`.lock` (the write lock and
netvault's own writes), :mod:`.timing` (how long it waits).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ..read.frontmatter import BOM, FrontmatterError, decode
from ..read.walk import link_problem
from . import journal, timing
from .errors import ConflictError, EditError, PartialWrite
from .files import check_writable, inside, write_temp
from .latewrites import watch
from .lock import LockError, VaultLock, identity, read_all, written_by_netvault
from .plan import Plan, Saved
from .swap import put_in_place

BOM_BYTES = BOM.encode("utf-8")


def _target(path: Path, root: Path | None, allow_outside: bool) -> Path:
    """The real file behind ``path``; a link the loader would not follow (out of
    the vault, to a file that is no visible ``.md`` note) is refused."""
    if root is not None:
        if not inside(root, path):
            if not allow_outside:
                raise EditError(
                    "the file is a link to a file outside the vault; netvault never writes "
                    "through such a link"
                )
        else:
            problem = link_problem(root, os.path.relpath(path, root))
            if problem is not None:
                raise EditError(f"{problem.removesuffix('; not read')}; netvault never writes through it")
    return Path(os.path.realpath(path))


def _transformed(raw: bytes, transform: Callable[[str], str]) -> bytes:
    """Decode, transform, encode; a UTF-8 BOM the file had is always put back."""
    try:
        text = decode(raw)
    except FrontmatterError as exc:
        raise EditError(exc.message, exc.line) from None
    new_text = transform(text).removeprefix(BOM)
    try:
        body = new_text.encode("utf-8")
    except UnicodeEncodeError:
        raise EditError("the new text is not valid Unicode; nothing was written") from None
    return (BOM_BYTES if raw.startswith(BOM_BYTES) else b"") + body


def _wait_until_settled(plan: Plan, root: Path) -> None:
    """Return once the file has not changed for QUIET_SECONDS (or was last
    written by netvault), or after SETTLE_LIMIT.  An empty file must have
    been quiet for EMPTY_QUIET_SECONDS (see :mod:`.timing`): editors that save in place truncate
    first, and may pause before they write."""
    deadline = time.monotonic() + timing.SETTLE_LIMIT
    while True:
        try:
            info = os.stat(plan.target)
        except FileNotFoundError:
            return  # reported when it is opened
        age = time.time_ns() - info.st_mtime_ns
        quiet = timing.EMPTY_QUIET_SECONDS if info.st_size == 0 else timing.QUIET_SECONDS
        if age >= quiet * 1e9 or age < -5e9 or time.monotonic() > deadline:
            return  # quiet (or a clock far off: waiting would not help)
        if written_by_netvault(root, plan.target, info):
            return
        time.sleep(min(timing.POLL * 5, timing.QUIET_SECONDS))


def _read(plan: Plan, root: Path, settle: bool) -> None:
    """Open and read the original, keeping it open."""
    if settle:
        _wait_until_settled(plan, root)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(plan.target, flags)
    except FileNotFoundError:
        raise ConflictError(f"{plan.path} was removed; nothing was written") from None
    except OSError as exc:
        raise EditError(f"cannot read {plan.path}: {exc.strerror or exc}") from None
    plan.fd = fd
    plan.info = os.fstat(fd)
    if not stat.S_ISREG(plan.info.st_mode):
        raise EditError(f"{plan.path} is not a regular file")
    plan.old = read_all(fd)


def _unchanged(plan: Plan) -> bool:
    """Is the file at the path still the original, with the bytes netvault read?"""
    try:
        info = os.stat(plan.target)
    except FileNotFoundError:
        return False
    if (info.st_dev, info.st_ino) != (plan.info.st_dev, plan.info.st_ino):
        return False
    if identity(os.fstat(plan.fd)) != identity(plan.info):
        return False
    return read_all(plan.fd) == plan.old


def _prepare(plan: Plan, root: Path, expect=None) -> None:
    """Read, transform, check and write the temporary file (no rename yet)."""
    _read(plan, root, True)
    if expect is not None:
        expect(plan.path, plan.old)
    plan.new = _transformed(plan.old, plan.transform)
    if plan.new == plan.old:
        return
    check_writable(plan.path, plan.target, plan.info)
    try:
        plan.tmp = write_temp(plan.target.parent, plan.target.name, plan.new, plan.info)
    except OSError as exc:
        raise EditError(f"cannot write {plan.path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------
# Public entry points


@contextmanager
def _locked(root: Path):
    """The vault's write lock; failing to take it is an EditError like any other.
    A change of several files that an earlier process left halfway is
    finished first (see :mod:`.journal`)."""
    try:
        lock = VaultLock(root).__enter__()
    except LockError as exc:
        raise EditError(exc.message) from None
    try:
        journal.finish(root)
        yield lock
    finally:
        lock.__exit__(None, None, None)


def _about(plan: Plan, func, *args):
    """Run ``func``; an EditError it raises is about ``plan``'s file."""
    try:
        return func(*args)
    except EditError as exc:
        if exc.path is None:
            exc.path = plan.path
        raise


def edit_files(
    jobs: Sequence[tuple[Path, Callable[[str], str]]],
    *,
    root: Path | None = None,
    dry_run: bool = False,
    allow_outside: bool = False,
    expect: Callable[[Path, bytes], None] | None = None,
    now: Callable[[], datetime] = datetime.now,
    moves: Sequence[tuple[Path, Path]] = (),
) -> list[Saved]:
    """Apply each ``(path, transform)`` and write the results, all or nothing.

    ``transform`` gets a file's decoded text (without its BOM) and returns
    the new text.  ``root`` is the vault (default: the first file's folder):
    its ``.netvault/write.lock`` serialises netvault's writers, and files
    whose real path is outside it are refused unless ``allow_outside``.
    With ``dry_run`` nothing is locked or written.  Raises EditError (or
    ConflictError) before writing anything; PartialWrite if a rename failed
    after others succeeded.  ``expect(path, raw)`` is called with every
    version of a file netvault reads and may refuse it by raising EditError
    (say, the file no longer looks like the contact the caller loaded: an
    editor truncated it and has not written it yet).  ``now`` names
    conflict copies.  ``moves`` are files moved, after the edits, to names
    that must be free (a merged contact to ``.trash/``, a renamed one to its
    new name); several changes together are written through a
    :mod:`.journal`, so a process killed halfway leaves a change the next
    command finishes.
    """
    if not jobs and not moves:
        return []
    plans = []
    for path, transform in jobs:
        plan = Plan(Path(path), Path(path), transform)
        plan.target = _about(plan, _target, plan.path, root, allow_outside)
        plans.append(plan)
    if root is None:  # a library caller without a vault: lock in the file's folder
        root = plans[0].target.parent
    # A first pass without the lock: a refusal (broken file, read-only,
    # a value that cannot be written) leaves no trace at all.
    try:
        for plan in plans:
            _about(plan, _read, plan, root, False)
            if expect is not None:
                _about(plan, expect, plan.path, plan.old)
            plan.new = _about(plan, _transformed, plan.old, plan.transform)
            if plan.new != plan.old and not dry_run:
                _about(plan, check_writable, plan.path, plan.target, plan.info)
    finally:
        for plan in plans:
            plan.close()
    moves = [(Path(a), Path(b)) for a, b in moves]
    _check_moves(moves, root, allow_outside, expect)
    if dry_run or (not moves and all(p.new == p.old for p in plans)):
        return [Saved(p.path, p.old, p.new) for p in plans]
    if len({p.target for p in plans}) != len(plans):
        raise EditError("the same file is named twice")
    written: list[Plan] = []
    try:
        with _locked(root) as lock:
            for attempt in range(timing.ATTEMPTS):
                for plan in plans:
                    _about(plan, _prepare, plan, root, expect)
                timing.handshake("prepared")
                changed = [p for p in plans if p.tmp is not None and not _unchanged(p)]
                if not changed:
                    break
                if attempt == timing.ATTEMPTS - 1:
                    raise ConflictError(
                        f"{changed[0].path} changed on disk while netvault was editing it "
                        "(another program keeps writing it); nothing was written, run the "
                        "command again"
                    )
                for plan in plans:  # another program saved meanwhile: start over
                    plan.close()
            _check_moves(moves, root, allow_outside, expect)
            prepared = [p for p in plans if p.tmp is not None]
            record = journal.begin(root, prepared, moves) if len(prepared) + len(moves) > 1 else None
            try:
                _put_all(plans, moves, lock, now, written, record is not None)
            except Exception:
                if record is not None:  # reported to the caller: nothing left to finish
                    journal.end(record)
                raise
            if record is not None:
                journal.end(record)
        for plan in plans:
            plan.saved = Saved(plan.path, plan.old, plan.new)
        timing.handshake("renamed")
        watch(written, root, now)
        return [plan.saved for plan in plans]
    finally:
        for plan in plans:
            plan.close()


def finish_pending(root: Path) -> list[str]:
    """Finish a change of several files an earlier process left halfway
    (see :mod:`.journal`), under the write lock; what was done, one line each."""
    try:
        lock = VaultLock(root).__enter__()
    except LockError as exc:
        raise EditError(exc.message) from None
    try:
        return journal.finish(root)
    finally:
        lock.__exit__(None, None, None)


def _put_all(plans, moves, lock, now, written: list, journaled: bool) -> None:
    """Rename every prepared file into place, then make the moves; a failure
    after the first is a PartialWrite naming what was written."""

    def partial(message: str, failed: Path) -> PartialWrite:
        return PartialWrite(
            f"{message}; already written: " + ", ".join(str(p.path) for p in written),
            [p.path for p in written],
            failed,
        )

    for plan in plans:
        if plan.tmp is None:
            continue
        try:
            if not _unchanged(plan):
                raise ConflictError(f"{plan.path} changed on disk just now; it was not written")
            _about(plan, put_in_place, plan, lock, now)
        except EditError as exc:
            exc.path = plan.path
            if not written:
                raise
            raise partial(exc.message, plan.path) from None
        written.append(plan)
        if journaled:
            timing.handshake("journal-renamed-one")
    for source, destination in moves:
        real = Path(os.path.realpath(source))
        try:
            journal.move_file(source, destination)
            for plan in written:
                if plan.target == real:  # watched for late writes at its new name
                    plan.target = Path(os.path.realpath(destination))
        except (OSError, EditError) as exc:
            message = exc.message if isinstance(exc, EditError) else f"cannot move {source}: {exc.strerror or exc}"
            if not written:
                raise EditError(message) from None
            raise partial(message, source) from None


def _check_moves(moves, root: Path, allow_outside: bool, expect=None) -> None:
    """Every move's file is a plain file still as the caller read it
    (``expect``), and its new name is free, in the vault, in folders that
    are real folders (or can be made)."""
    for source, destination in moves:
        try:
            info = os.lstat(source)
        except FileNotFoundError:
            raise ConflictError(f"{source} is no longer there; nothing was written") from None
        if stat.S_ISLNK(info.st_mode):
            raise EditError(f"{source} is a link; netvault does not move links (merge or rename the note it leads to)")
        if not stat.S_ISREG(info.st_mode):
            raise EditError(f"{source} is not a regular file")
        if expect is not None:
            with open(source, "rb") as handle:
                expect(source, handle.read())
        if os.path.lexists(destination):
            raise EditError(f"{destination} already exists; nothing was written")
        if not allow_outside and not inside(root, destination.parent if destination.parent.exists() else root):
            raise EditError(f"{destination} is outside the vault; nothing was written")
        if not journal.folders_inside(root, destination.parent):
            raise EditError(f"{destination.parent} is not a folder; nothing was written")


def edit_file(
    path: Path,
    transform: Callable[[str], str],
    *,
    dry_run: bool = False,
    root: Path | None = None,
    allow_outside: bool = False,
) -> Saved:
    """:func:`edit_files` for one file."""
    return edit_files(
        [(Path(path), transform)], root=root, dry_run=dry_run, allow_outside=allow_outside
    )[0]



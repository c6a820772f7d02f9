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
  :data:`QUIET_SECONDS` is waited for until it is quiet.  netvault's own
  writes are remembered in ``.netvault/written.json`` and need no wait.
* **Atomic replace.**  New bytes go to a temporary file in the same folder,
  are fsynced and renamed over the target.  Just before the rename the file
  is read again; if another program changed it, netvault starts over from
  the new bytes (a few times), and only then gives up with ConflictError.
* **Conflict copies.**  The original stays open while netvault writes.  A
  program that wrote into it in place after netvault read it (its bytes
  would land in the replaced inode and vanish) is noticed for
  :data:`WATCH_SECONDS` after the rename; its bytes are saved beside the
  file as ``Name.conflict-YYYY-MM-DDTHH-MM-SS.md``, the way sync tools do.
  If another program replaced netvault's new file in that time, netvault's
  version is the one saved as the conflict copy.  Either way the caller is
  told, so the user can merge.
* **Never outside the vault.**  A contact that is a symlink to a file
  outside the vault is never written through.

Several files are edited all or nothing: every one is read, transformed
and checked before any is renamed; if a rename still fails midway,
:class:`PartialWrite` says exactly which files were written.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

from ..read.frontmatter import BOM, FrontmatterError, decode
from ..read.walk import conflict_copy_name, link_problem
from .lock import (
    LockError,
    VaultLock,
    identity,
    read_all,
    remove,
    shorten,
    temp_path,
    written_by_netvault,
)

BOM_BYTES = BOM.encode("utf-8")

QUIET_SECONDS = 0.3  # a file changed more recently than this is not settled yet
EMPTY_QUIET_SECONDS = 2.0  # an emptied file may be an editor's save half done
SETTLE_LIMIT = 5.0  # wait at most this long for a busy file to settle
WATCH_SECONDS = 0.3  # watch a replaced original this long for late writes
NEW_FILE_WATCH_SECONDS = 0.1  # when nobody holds the original open: watch the new file
ATTEMPTS = 4  # re-reads when another program keeps changing the file
_POLL = 0.01
_NAME_MAX = 255  # bytes in a file name on common filesystems


class EditError(Exception):
    """The file cannot be edited safely; ``line`` is 1-based in the file, or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path: Path | None = None  # which file, when several are edited

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


class ConflictError(EditError):
    """The file changed on disk between netvault's read and its write."""


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


class PartialWrite(EditError):
    """Some files of a multi-file edit were written before one failed."""

    def __init__(self, message: str, written: list[Path], failed: Path) -> None:
        super().__init__(message)
        self.written = written
        self.failed = failed
        self.path = failed


# ---------------------------------------------------------------------------
# Small disk helpers


def _write_temp(folder: Path, name: str, data: bytes, mode: os.stat_result | None) -> str:
    fd, tmp = temp_path(folder, name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode.st_mode))
            if hasattr(os, "chown") and (mode.st_uid, mode.st_gid) != _owner(tmp):
                try:
                    os.chown(tmp, mode.st_uid, mode.st_gid)
                except OSError:
                    pass  # only root may give a file away; keep our ownership
    except BaseException:
        remove(tmp)
        raise
    return tmp


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); not possible on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse
        pass
    finally:
        os.close(fd)


def _check_writable(path: Path, target: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise EditError(f"{path} is not a regular file")
    # Mode bits too, because root may write anywhere: a file someone made
    # read-only is not netvault's to change.
    if not os.access(target, os.W_OK) or not info.st_mode & 0o222:
        raise EditError("the file is read-only (make it writable to let netvault change it)")
    if not os.access(target.parent, os.W_OK):
        raise EditError(f"the folder {target.parent.name or target.parent} is read-only")


def inside(root: Path, path: Path) -> bool:
    """Is the real (symlinks resolved) ``path`` inside the real ``root``?"""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


# ---------------------------------------------------------------------------
# One file's edit, step by step


@dataclass
class _Plan:
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


def _wait_until_settled(plan: _Plan, root: Path) -> None:
    """Return once the file has not changed for QUIET_SECONDS (or was last
    written by netvault), or after SETTLE_LIMIT.  An empty file must have
    been quiet for EMPTY_QUIET_SECONDS: editors that save in place truncate
    first, and may pause before they write."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while True:
        try:
            info = os.stat(plan.target)
        except FileNotFoundError:
            return  # reported when it is opened
        age = time.time_ns() - info.st_mtime_ns
        quiet = EMPTY_QUIET_SECONDS if info.st_size == 0 else QUIET_SECONDS
        if age >= quiet * 1e9 or age < -5e9 or time.monotonic() > deadline:
            return  # quiet (or a clock far off: waiting would not help)
        if written_by_netvault(root, plan.target, info):
            return
        time.sleep(min(_POLL * 5, QUIET_SECONDS))


def _read(plan: _Plan, root: Path, settle: bool) -> None:
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


def _unchanged(plan: _Plan) -> bool:
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


def _prepare(plan: _Plan, root: Path, expect=None) -> None:
    """Read, transform, check and write the temporary file (no rename yet)."""
    _read(plan, root, True)
    if expect is not None:
        expect(plan.path, plan.old)
    plan.new = _transformed(plan.old, plan.transform)
    if plan.new == plan.old:
        return
    _check_writable(plan.path, plan.target, plan.info)
    try:
        plan.tmp = _write_temp(plan.target.parent, plan.target.name, plan.new, plan.info)
    except OSError as exc:
        raise EditError(f"cannot write {plan.path}: {exc.strerror or exc}") from None


def _rename(plan: _Plan, lock: VaultLock, now: Callable[[], datetime]) -> None:
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
            plan.displaced = _move_aside(plan.target, Path(plan.tmp), now)
    plan.tmp = None
    plan.written = os.stat(plan.target)
    _fsync_folder(plan.target.parent)


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


# ---------------------------------------------------------------------------
# After the rename: late writers


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


def _move_aside(target: Path, pushed: Path, now: Callable[[], datetime]) -> Path:
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


def _watch(plans: list[_Plan], root: Path, now: Callable[[], datetime]) -> None:
    """Watch the replaced originals (and the new files) for WATCH_SECONDS
    (NEW_FILE_WATCH_SECONDS when no other process holds an original open);
    keep any bytes another program wrote there in a conflict copy."""
    if not plans:
        return
    watched = [plan for plan in plans if not _alone(plan)]
    deadline = time.monotonic() + (WATCH_SECONDS if watched else NEW_FILE_WATCH_SECONDS)
    limit = time.monotonic() + max(WATCH_SECONDS, SETTLE_LIMIT)
    while True:
        busy = False
        for plan in watched:
            info = os.fstat(plan.fd)
            if identity(info) != identity(plan.info):
                # Another program is writing into the original: wait until it
                # is done (a truncated file is waited for until it has bytes).
                recent = time.time_ns() - info.st_mtime_ns < QUIET_SECONDS * 1e9
                busy = busy or recent or info.st_size == 0
        now_mono = time.monotonic()
        if now_mono >= limit or (now_mono >= deadline and not busy):
            break
        time.sleep(_POLL * 2)
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


def _alone(plan: _Plan) -> bool:
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


# ---------------------------------------------------------------------------
# Public entry points


@contextmanager
def _locked(root: Path):
    """The vault's write lock; failing to take it is an EditError like any other."""
    try:
        lock = VaultLock(root).__enter__()
    except LockError as exc:
        raise EditError(exc.message) from None
    try:
        yield lock
    finally:
        lock.__exit__(None, None, None)


def _about(plan: _Plan, func, *args):
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
    conflict copies.
    """
    if not jobs:
        return []
    plans = []
    for path, transform in jobs:
        plan = _Plan(Path(path), Path(path), transform)
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
                _about(plan, _check_writable, plan.path, plan.target, plan.info)
    finally:
        for plan in plans:
            plan.close()
    if dry_run or all(p.new == p.old for p in plans):
        return [Saved(p.path, p.old, p.new) for p in plans]
    if len({p.target for p in plans}) != len(plans):
        raise EditError("the same file is named twice")
    written: list[_Plan] = []
    try:
        with _locked(root) as lock:
            for attempt in range(ATTEMPTS):
                for plan in plans:
                    _about(plan, _prepare, plan, root, expect)
                changed = [p for p in plans if p.tmp is not None and not _unchanged(p)]
                if not changed:
                    break
                if attempt == ATTEMPTS - 1:
                    raise ConflictError(
                        f"{changed[0].path} changed on disk while netvault was editing it "
                        "(another program keeps writing it); nothing was written, run the "
                        "command again"
                    )
                for plan in plans:  # another program saved meanwhile: start over
                    plan.close()
            for plan in plans:
                if plan.tmp is None:
                    continue
                try:
                    if not _unchanged(plan):
                        raise ConflictError(f"{plan.path} changed on disk just now; it was not written")
                    _about(plan, _rename, plan, lock, now)
                except EditError as exc:
                    exc.path = plan.path
                    if not written:
                        raise
                    raise PartialWrite(
                        f"{exc.message}; already written: "
                        + ", ".join(str(p.path) for p in written),
                        [p.path for p in written],
                        plan.path,
                    ) from None
                written.append(plan)
        for plan in plans:
            plan.saved = Saved(plan.path, plan.old, plan.new)
        _watch(written, root, now)
        return [plan.saved for plan in plans]
    finally:
        for plan in plans:
            plan.close()


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


def atomic_write(path: Path, data: bytes, expected: bytes | None) -> None:
    """Replace the file at ``path`` with ``data`` atomically.

    A symlink is written through (its final target is replaced); the
    target's permission bits and, when allowed, owner are kept.  When
    ``expected`` is not None and the file's current bytes differ from it,
    ConflictError is raised and nothing is written.  A read-only file is
    refused.  The temporary file never survives a failure.  (Contacts are
    edited through :func:`edit_files`, which adds locking and conflict
    copies on top of this.)
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise EditError(f"cannot write {path}: {exc.strerror or exc}") from None
    if info is None and expected is not None:
        raise ConflictError(f"{path} was removed since netvault read it; nothing was written")
    if info is not None:
        _check_writable(path, target, info)
    tmp = None
    try:
        tmp = _write_temp(target.parent, target.name, data, info)
        if expected is not None:
            try:
                current = target.read_bytes()
            except FileNotFoundError:
                current = None
            if current != expected:
                raise ConflictError(
                    f"{path} changed on disk since netvault read it; nothing was written "
                    "(run the command again)"
                )
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise EditError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        remove(tmp)
    _fsync_folder(target.parent)


def create_file(path: Path, data: bytes, sync_folder: bool = True) -> None:
    """Create a new file at ``path`` with ``data``; never replaces an existing one.

    Written like :func:`atomic_write` (temporary file, fsync), then linked into
    place, which fails if the name is taken; ConflictError says so.  A caller
    creating many files in one folder passes ``sync_folder=False`` and calls
    :func:`sync_folders` once before it reports success.
    """
    path = Path(path)
    if os.path.lexists(path):
        raise ConflictError(f"{path} already exists; nothing was written")
    tmp = None
    try:
        tmp = _write_temp(path.parent, path.name, data, None)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise ConflictError(f"{path} already exists; nothing was written") from None
        except OSError:
            # No hard links on this filesystem: exclusive create instead.
            with open(path, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    except FileExistsError:
        raise ConflictError(f"{path} already exists; nothing was written") from None
    except OSError as exc:
        raise EditError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        remove(tmp)
    if sync_folder:
        _fsync_folder(path.parent)


def sync_folders(folders) -> None:
    """Make the new names in ``folders`` durable (see :func:`create_file`)."""
    for folder in sorted(set(folders)):
        _fsync_folder(Path(folder))

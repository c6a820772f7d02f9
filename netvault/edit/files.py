"""One file at a time: write a temporary file beside the target, fsync it,
then rename it into place (:func:`atomic_write`) or link it to a new name
that must not exist yet (:func:`create_file`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import ConflictError, EditError
from .lock import remove, temp_path


def write_temp(folder: Path, name: str, data: bytes, mode: os.stat_result | None) -> str:
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


def fsync_folder(folder: Path) -> None:
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


def check_writable(path: Path, target: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise EditError(f"{path} is not a regular file")
    if _read_only_disk(target):
        raise EditError(f"cannot write {path}: Read-only file system")
    # Mode bits too, because root may write anywhere: a file someone made
    # read-only is not netvault's to change.
    if not os.access(target, os.W_OK) or not info.st_mode & 0o222:
        raise EditError("the file is read-only (make it writable to let netvault change it)")
    if not os.access(target.parent, os.W_OK):
        raise EditError(f"the folder {target.parent.name or target.parent} is read-only")


def _read_only_disk(path: Path) -> bool:
    """Whether the file system holding ``path`` is mounted read-only."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # pragma: no cover - no statvfs here
        return False


def inside(root: Path, path: Path) -> bool:
    """Is the real (symlinks resolved) ``path`` inside the real ``root``?"""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


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
        check_writable(path, target, info)
    tmp = None
    try:
        tmp = write_temp(target.parent, target.name, data, info)
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
    fsync_folder(target.parent)


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
        tmp = write_temp(path.parent, path.name, data, None)
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
        fsync_folder(path.parent)


def sync_folders(folders) -> None:
    """Make the new names in ``folders`` durable (see :func:`create_file`)."""
    for folder in sorted(set(folders)):
        fsync_folder(Path(folder))

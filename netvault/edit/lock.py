"""The vault's write lock, and netvault's record of its own writes.

Writers of a vault hold an advisory lock (``fcntl.flock``) on
``.netvault/write.lock`` from the moment they read a file until the new
version is in place, so netvault commands never interleave their edits
(git's ``index.lock`` does the same job).  ``.netvault/written.json``
remembers the last versions netvault itself wrote of each file (device,
inode, size, mtime), so a file netvault has just written counts as settled
and a later netvault write is never taken for another program's.
Nothing here trusts what it reads: a lock or record that is not a small
plain file of its own is refused or ignored.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks
    fcntl = None

from ..read.ownfolder import STATE_DIR, OwnFolderError, own_folder

LOCK_NAME = "write.lock"
RECORD_NAME = "written.json"
LOCK_TIMEOUT = 30.0  # wait at most this long for another netvault writer
_POLL = 0.01
_RECORD_KEEP = 256  # files
_VERSIONS_KEPT = 16  # versions of each file
_RECORD_MAX_BYTES = 1 << 20


class LockError(Exception):
    """The lock cannot be taken (or is not what it should be)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def read_all(fd: int) -> bytes:
    chunks = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def temp_path(folder: Path, name: str) -> tuple[int, str]:
    """Create a new hidden temporary file next to the target (umask applies)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    short = shorten(name, 100)  # long names must still leave room for the suffix
    for _ in range(100):
        tmp = folder / f".{short}.{secrets.token_hex(4)}.netvault-tmp"
        try:
            return os.open(tmp, flags, 0o666), str(tmp)
        except FileExistsError:  # pragma: no cover - 32 random bits
            continue
    raise LockError(f"cannot create a temporary file in {folder}")  # pragma: no cover


def shorten(name: str, max_bytes: int) -> str:
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= max_bytes:
        return name
    return encoded[:max_bytes].decode("utf-8", "ignore")


def remove(path: str | None) -> None:
    if path is None:
        return
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


# ---------------------------------------------------------------------------
# The vault's write lock, and the record of netvault's own writes


class VaultLock:
    """``.netvault/write.lock``, held with flock by one netvault writer at a time."""

    def __init__(self, root: Path, timeout: float | None = None) -> None:
        self.root = Path(root)
        self.folder = self.root / STATE_DIR
        self.timeout = LOCK_TIMEOUT if timeout is None else timeout
        self.fd: int | None = None
        self.record: dict[str, list[int]] = {}

    def __enter__(self) -> VaultLock:
        if fcntl is None:  # pragma: no cover - Windows
            return self
        try:
            own_folder(self.root)
        except OwnFolderError as exc:
            raise LockError(f"no write lock: {exc.reason}") from None
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            self.fd = os.open(self.folder / LOCK_NAME, flags, 0o666)
        except OSError as exc:
            raise LockError(
                f"cannot open the write lock {STATE_DIR}/{LOCK_NAME}: {exc.strerror or exc}"
            ) from None
        info = os.fstat(self.fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            self._close()
            raise LockError(
                f"{STATE_DIR}/{LOCK_NAME} is not a plain file of its own (a pipe, a device or "
                "a hard link to another file); remove it and netvault makes a new one"
            )
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    self._close()
                    raise LockError(f"cannot lock {STATE_DIR}/{LOCK_NAME}: {exc.strerror}") from None
                if time.monotonic() > deadline:
                    holder = self._holder()
                    self._close()
                    raise LockError(
                        "another netvault command"
                        + (f" (process {holder})" if holder else "")
                        + f" has been writing in this vault for {self.timeout:.0f} s; "
                        "nothing was written, try again"
                    ) from None
                time.sleep(_POLL)
        try:  # who holds the lock, for the message of a writer waiting too long
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # a full disk: the lock holds all the same; what is written next says why it fails
        self.record = _load_record(self.folder / RECORD_NAME)
        return self

    def _holder(self) -> str:
        try:
            return os.pread(self.fd, 32, 0).decode("ascii", "replace").strip()
        except OSError:  # pragma: no cover
            return ""

    def remember(self, target: Path, info: os.stat_result) -> None:
        """Note that netvault itself writes ``target`` with the file ``info``
        describes (so it is settled, and no conflict).  Called before the
        rename, which keeps the inode, size and mtime.  The last few versions
        of each file are kept: a slower netvault command may still be
        watching an earlier one."""
        key = str(target)
        versions = self.record.pop(key, [])
        versions = [*versions, list(identity(info))][-_VERSIONS_KEPT:]
        self.record[key] = versions
        while len(self.record) > _RECORD_KEEP:
            self.record.pop(next(iter(self.record)))
        _save_record(self.folder / RECORD_NAME, self.record)

    def _close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the flock
            self.fd = None

    def __exit__(self, *exc_info) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)  # no stale process number for the next message
            except OSError:  # pragma: no cover
                pass
        self._close()


def _load_record(path: Path) -> dict[str, list[list[int]]]:
    """netvault's recent writes; anything unreadable (or not a small plain
    file: a pipe would block, a device never end) is simply no record."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return {}
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _RECORD_MAX_BYTES:
            return {}
        data = json.loads(read_all(fd))
    except (OSError, ValueError, RecursionError):
        return {}
    finally:
        os.close(fd)
    if not isinstance(data, dict):
        return {}
    return {
        key: [v for v in value if _is_identity(v)]
        for key, value in data.items()
        if isinstance(key, str) and isinstance(value, list)
    }


def _is_identity(value) -> bool:
    return isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value)


def _save_record(path: Path, record: dict[str, list[list[int]]]) -> None:
    # Not fsynced: the record only saves a wait, and the rename that follows
    # it should come as soon as possible after the last check.
    tmp = None
    try:
        fd, tmp = temp_path(path.parent, path.name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps(record).encode())
        os.replace(tmp, path)
    except OSError:  # a full or read-only disk: the record only saves a wait
        remove(tmp)


def written_by_netvault(root: Path, target: Path, info: os.stat_result) -> bool:
    record = _load_record(Path(root) / STATE_DIR / RECORD_NAME)
    return list(identity(info)) in record.get(str(target), [])

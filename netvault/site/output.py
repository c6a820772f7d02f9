"""The output folder: which folder netvault may build into, the manifest of
the pages it wrote there, and writing only what changed (temporary files,
synced by a few threads while the next pages render, renamed at the end).

A file netvault did not write is never replaced.  A file of the user's
where a page goes (one the manifest does not list) stops the build with a
message naming it, before anything is written.  A page the user changed
since netvault wrote it (its bytes no longer match the manifest's digest)
is moved aside as ``name.conflict-<when it was changed>.html`` and the new
page written; the report lists it.  An
output folder reached through a link out of the vault is refused, as the
read side refuses linked notes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..read.model import Vault
from ..read.vaultfile import NOTE_LIMIT, UnreadableFile, inside, read_vault_file
from ..read.walk import in_contacts_folder
from ..values.problems import WARNING, Problem

# [digest of the page's inputs, the names it looked up, a digest of what they
# gave, for a person page its file's identity (or print) and its parsed
# contact's print], to which the builder adds the identity of the page's file.
Record = list

MANIFEST = ".netvault-site.json"


_MANIFEST_LIMIT = 4 << 20
_WRITERS = 8  # threads writing and syncing pages while the next ones render
# What netvault writes: a page at the top or in people/, never a dot-file.
PAGE_PATH = re.compile(r"^(?:people/)?[^/\\.][^/\\]*$")
# netvault's own temporary files (see _temporary); a killed build leaves them.
TEMPORARY = re.compile(r"^\..{1,64}\.[0-9a-f]{8}\.netvault-tmp$", re.DOTALL)
STALE_SECONDS = 60  # a temporary file older than this is no running build's


@dataclass(frozen=True)
class Manifest:
    """What the last build wrote: the pages, and each one's digest."""

    files: frozenset[str] = frozenset()
    digests: dict = field(default_factory=dict)  # rel -> sha256 hex of the bytes written

    def ours(self, rel: str, data: bytes | None) -> bool:
        """Whether the file at ``rel`` holding ``data`` is what netvault wrote
        there (a manifest from before digests were kept vouches by name)."""
        if rel not in self.files:
            return False
        digest = self.digests.get(rel)
        return digest is None or (data is not None and digest == _digest(data))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BuildError(Exception):
    """The site cannot be built there (a refusal, or the disk said no)."""


def check_output(root: Path, out: Path, vault: Vault) -> str:
    """The output folder's real path, or BuildError saying why not there."""
    real_root = os.path.realpath(root)
    real_out = os.path.realpath(out)
    shown = out.as_posix()
    suggestion = f"use --out with a folder of its own, such as {vault.config.output}/"
    link = link_out_of_the_vault(root, out)
    if link is not None:
        raise BuildError(
            f"refusing to build into {shown}: {link} is a link to {real_out}, outside the "
            "vault; netvault never writes through such a link (give --out that folder "
            "itself to build there)"
        )
    if real_out == real_root:
        raise BuildError(f"refusing to build into {shown}: it is the vault itself; {suggestion}")
    if inside(real_root, real_out):
        raise BuildError(f"refusing to build into {shown}: the vault is inside it; {suggestion}")
    if os.path.lexists(out) and not os.path.isdir(out):
        raise BuildError(f"refusing to build into {shown}: it is not a folder")
    if inside(real_out, real_root):
        rel = os.path.relpath(real_out, real_root).replace(os.sep, "/")
        if rel != vault.config.output and in_contacts_folder(rel + "/page.md", vault.config):
            raise BuildError(
                f"refusing to build into {shown}: it is inside a contacts folder, so "
                f"netvault would read its pages as contacts; {suggestion}"
            )
    if os.path.isdir(real_out):
        note = foreign_note(real_out, read_manifest(real_out).files)
        if note is not None:
            raise BuildError(
                f"refusing to build into {shown}: it holds notes netvault did not write "
                f"({note}); {suggestion}"
            )
    return real_out


def link_out_of_the_vault(root: Path | str, out: Path | str) -> str | None:
    """The link (as a path) through which ``out``, a folder named inside the
    vault, leads out of it; None when it does not.  A folder named outside
    the vault (``--out /elsewhere``) is the user's choice, links and all."""
    abs_root, abs_out = os.path.abspath(root), os.path.abspath(out)
    if not inside(abs_out, abs_root):
        return None
    real_root = os.path.realpath(abs_root)
    if inside(os.path.realpath(abs_out), real_root):
        return None
    parts = os.path.relpath(abs_out, abs_root).split(os.sep)
    for count in range(1, len(parts) + 1):
        step = os.path.join(abs_root, *parts[:count])
        if not inside(os.path.realpath(step), real_root):
            return os.path.relpath(step, abs_root).replace(os.sep, "/")
    return os.path.relpath(abs_out, abs_root).replace(os.sep, "/")  # pragma: no cover


def foreign_note(real_out: str, ours: set[str] | frozenset[str]) -> str | None:
    """The first Markdown file under the folder that netvault did not write."""
    for folder, dirs, files in os.walk(real_out):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(".md"):
                rel = os.path.relpath(os.path.join(folder, name), real_out).replace(os.sep, "/")
                if rel not in ours and not _our_agenda(real_out, rel):
                    return rel
    return None


def _our_agenda(real_out: str, rel: str) -> bool:
    """A top-level agenda.md that netvault's own template wrote (the manifest
    that listed it may have been lost); a user's note never starts so."""
    if rel != "agenda.md":
        return False
    try:
        head = read_vault_file(real_out, rel, NOTE_LIMIT)[:200]
    except (OSError, UnreadableFile):
        return False
    return re.match(rb"# Agenda for \d{4}-\d{2}-\d{2}\n\n_", head) is not None


def read_manifest(real_out: str) -> Manifest:
    """The pages netvault wrote last time; a missing or odd manifest is empty
    (and then nothing is removed or replaced)."""
    try:
        raw = read_vault_file(real_out, MANIFEST, _MANIFEST_LIMIT)
        data = json.loads(raw.decode("utf-8"))
        files, digests = data.get("files", []), data.get("sha256", {})
    except (OSError, UnreadableFile, ValueError, AttributeError, RecursionError):
        return Manifest()
    if not isinstance(files, list):
        return Manifest()
    if not isinstance(digests, dict):
        digests = {}
    kept = frozenset(f for f in files if isinstance(f, str) and PAGE_PATH.match(f) and ".." not in f.split("/"))
    return Manifest(
        kept,
        {rel: d for rel, d in digests.items() if rel in kept and isinstance(d, str) and len(d) == 64},
    )


def _manifest_bytes(files, digests: dict[str, str]) -> bytes:
    listed = sorted(files)
    manifest = {
        "generator": "netvault",
        "files": listed,
        "sha256": {rel: digests[rel] for rel in listed if rel in digests},
    }
    return (json.dumps(manifest, indent=1) + "\n").encode()


def _current_bytes(target: str) -> bytes | None:
    """A page file's bytes as they are (None: not a regular file we can read)."""
    try:
        if not stat.S_ISREG(os.lstat(target).st_mode):
            return None
        with open(target, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _not_ours(rel: str, shown_out: str) -> BuildError:
    return BuildError(
        f"refusing to build into {shown_out}: {rel} is not a page netvault wrote; move "
        "it away, or build elsewhere with --out (netvault never replaces your files)"
    )


def _move_aside(real_out: str, rel: str, target: str) -> str:
    """Move a page the user changed to a conflict copy named after when it
    was changed; its path relative to the output folder."""
    when = datetime.fromtimestamp(os.lstat(target).st_mtime, timezone.utc)
    folder, name = os.path.split(target)
    stem, dot, suffix = name.rpartition(".")
    stem = stem if dot else name
    for number in range(1, 1000):
        extra = "" if number == 1 else f"-{number}"
        copy = os.path.join(folder, f"{stem}.conflict-{when:%Y-%m-%dT%H-%M-%S}{extra}.{suffix or 'html'}")
        try:
            os.link(target, copy, follow_symlinks=False)  # never replaces a name
        except FileExistsError:
            continue
        except OSError as exc:
            raise BuildError(f"cannot keep your changed {rel} aside: {exc.strerror or exc}") from None
        return os.path.relpath(copy, real_out).replace(os.sep, "/")
    raise BuildError(f"cannot keep your changed {rel} aside: too many copies")  # pragma: no cover


def remove_stale_temporaries(real_out: str, now: float) -> list[str]:
    """netvault's own temporary files a killed build left in the output
    folder or its people/ (older than :data:`STALE_SECONDS`); their paths."""
    removed = []
    for folder in (real_out, os.path.join(real_out, "people")):
        for rel in stale_temporaries(folder, now):
            try:
                os.unlink(os.path.join(folder, rel))
            except OSError:
                continue
            removed.append(rel)
    return removed


def leftover_problems(root: Path | str, output: str, now: float) -> list[Problem]:
    """A warning for each temporary file an interrupted build left in the
    vault's output folder (the next build removes them)."""
    out = os.path.join(root, output)
    if link_out_of_the_vault(root, out) is not None:
        return []
    problems = []
    for sub in ("", "people"):
        for name in stale_temporaries(os.path.join(out, sub), now):
            rel = "/".join(part for part in (output, sub, name) if part)
            problems.append(
                Problem(rel, None, WARNING, "a temporary file of an interrupted build; the next build removes it")
            )
    return problems


def stale_temporaries(folder: str, now: float) -> list[str]:
    """The names of netvault's own temporary files in ``folder`` older than
    :data:`STALE_SECONDS` (regular files only)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    stale = []
    for name in sorted(names):
        if not TEMPORARY.match(name):
            continue
        try:
            info = os.lstat(os.path.join(folder, name))
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS:
            stale.append(name)
    return stale


def write_pages(
    real_out: str,
    names: Iterable[str],
    pages: Iterator[tuple[str, str | None, Record | None]] | dict[str, str],
    shown: str | None = None,
) -> tuple[list[str], list[str], list[str], dict[str, Record], list[tuple[str, str]]]:
    """Write what changed, remove what is gone; (written, unchanged, removed,
    records for the state file, pages the user changed and where their
    version was kept).  ``pages`` yields (path, text, record), text
    None for a page known to be unchanged; ``names`` lists them all first.

    Changed pages go to temporary files (written and synced by a few threads
    while the next pages render) and are renamed over the old ones only once
    every page rendered, so a broken template leaves the folder as it was.
    """
    if isinstance(pages, dict):
        pages = ((rel, text, None) for rel, text in pages.items())
    names = list(names)
    for rel in names:
        if not PAGE_PATH.match(rel) or rel == MANIFEST:
            raise BuildError(f"netvault does not write a page named {rel!r}")
    try:
        os.makedirs(real_out, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create {shown or real_out}: {exc.strerror or exc}") from None
    shown = shown or real_out
    remove_stale_temporaries(real_out, time.time())
    manifest = read_manifest(real_out)
    before = set(manifest.files)
    digests: dict[str, str] = {}
    changed: list[str] = []  # pages the user edited since netvault wrote them
    kept: list[tuple[str, str]] = []  # (page, where the user's version went)
    written, unchanged = [], []
    records: dict[str, Record] = {}
    pending: list[tuple[str, str, str, Future]] = []  # rel, temporary file, target, its write
    folders: set[str] = set()  # checked once per build: the output folder and people/
    with ThreadPoolExecutor(max_workers=_WRITERS) as writers:
        try:
            for rel, text, record in pages:
                if text is None:
                    unchanged.append(rel)
                    if record is not None:
                        records[rel] = record
                    digest = manifest.digests.get(rel)
                    if digest is None:  # a manifest from before digests were kept
                        current = _current_bytes(os.path.join(real_out, *rel.split("/")))
                        digest = None if current is None else _digest(current)
                    if digest is not None:
                        digests[rel] = digest
                    continue
                data = text.encode("utf-8")
                digests[rel] = _digest(data)
                target = _target(real_out, rel, folders)
                if _holds(target, rel, data):
                    unchanged.append(rel)
                else:
                    if os.path.lexists(target) and not manifest.ours(rel, _current_bytes(target)):
                        if rel not in manifest.files:
                            raise _not_ours(rel, shown)
                        changed.append(rel)
                    tmp = _temporary(target)
                    pending.append((rel, tmp, target, writers.submit(_write_temporary, tmp, data)))
                    written.append(rel)
                if record is not None:
                    records[rel] = record[:5]
            for rel, tmp, target, job in pending:
                try:
                    job.result()
                except OSError as exc:
                    raise BuildError(f"cannot write {rel}: {exc.strerror or exc}") from None
        except BaseException:
            for _rel, tmp, _target_path, job in pending:
                try:
                    job.result()
                except BaseException:
                    pass
                if os.path.lexists(tmp):
                    os.unlink(tmp)
            raise
    # List the new pages before writing them, so a build cut short leaves
    # nothing that a later build would take for the user's.
    _write_if_changed(real_out, MANIFEST, _manifest_bytes(before | set(names), {**manifest.digests, **digests}))
    for index, (rel, tmp, target, _job) in enumerate(pending):
        try:
            if rel in changed:
                kept.append((rel, _move_aside(real_out, rel, target)))
            # Replaces a symlink itself, so a link planted in _site/ is not written through.
            os.replace(tmp, target)
        except OSError as exc:
            for _rel, rest, _t, _j in pending[index:]:
                if os.path.lexists(rest):
                    os.unlink(rest)
            raise BuildError(f"cannot write {rel}: {exc.strerror or exc}") from None
    removed = []
    for rel in sorted(before - set(names)):
        target = os.path.join(real_out, *rel.split("/"))
        if not inside(os.path.realpath(os.path.dirname(target)), real_out):
            continue
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            continue
        if not manifest.ours(rel, _current_bytes(target)):
            continue  # changed by the user since: theirs now, left in place
        if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
            try:
                os.unlink(target)  # a link itself, never what it points to
            except OSError as exc:
                raise BuildError(f"cannot remove {rel}: {exc.strerror or exc}") from None
            removed.append(rel)
    _write_if_changed(real_out, MANIFEST, _manifest_bytes(names, digests))
    for rel, record in records.items():
        if len(record) == 5:
            try:
                info = os.lstat(os.path.join(real_out, *rel.split("/")))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                records[rel] = [*record, file_id(info)]
    records = {rel: record for rel, record in records.items() if len(record) == 6}
    return sorted(written), sorted(unchanged), removed, records, kept


def _target(real_out: str, rel: str, checked: set | None = None) -> str:
    """Where ``rel`` goes, making its folder; BuildError if that is not ours.
    A folder in ``checked`` passed these checks earlier in this build."""
    parts = rel.split("/")
    folder = os.path.join(real_out, *parts[:-1])
    if checked is not None and folder in checked:
        return os.path.join(folder, parts[-1])
    if parts[:-1]:
        if os.path.islink(folder) or (os.path.lexists(folder) and not os.path.isdir(folder)):
            raise BuildError(f"refusing to write {rel}: {'/'.join(parts[:-1])} is not a plain folder")
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise BuildError(f"cannot write {rel}: {exc.strerror or exc}") from None
    if not inside(os.path.realpath(folder), real_out):
        raise BuildError(f"refusing to write {rel}: it would land outside the output folder")
    if checked is not None:
        checked.add(folder)
    return os.path.join(folder, parts[-1])


def _holds(target: str, rel: str, data: bytes) -> bool:
    """Whether ``target`` already holds ``data``; BuildError if a folder is in the way."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return False
    if stat.S_ISREG(info.st_mode) and info.st_size == len(data):
        try:
            with open(target, "rb") as handle:
                if handle.read() == data:
                    return True
        except OSError:
            pass
    if stat.S_ISDIR(info.st_mode):
        raise BuildError(f"refusing to write {rel}: a folder of that name is in the way")
    return False


def _temporary(target: str) -> str:
    folder, name = os.path.split(target)
    return os.path.join(folder, f".{name[:64]}.{secrets.token_hex(4)}.netvault-tmp")


def _write_temporary(tmp: str, data: bytes) -> None:
    """A new file holding ``data``, on disk before it is renamed into place."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(tmp)
        raise


def _write_if_changed(real_out: str, rel: str, data: bytes) -> bool:
    """Replace ``rel`` atomically unless it already holds ``data``; True if written."""
    target = _target(real_out, rel)
    if _holds(target, rel, data):
        return False
    tmp = _temporary(target)
    try:
        _write_temporary(tmp, data)
        # Replaces a symlink itself, so a link planted in _site/ is not written through.
        os.replace(tmp, target)
    except OSError as exc:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise BuildError(f"cannot write {rel}: {exc.strerror or exc}") from None
    return True


def file_id(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


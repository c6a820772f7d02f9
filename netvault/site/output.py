"""The output folder: which folder netvault may build into, the manifest of
the pages it wrote there, and writing only what changed (temporary files,
synced by a few threads while the next pages render, renamed at the end)."""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..read.model import Vault
from ..read.vaultfile import UnreadableFile, inside, read_vault_file
from ..read.walk import in_contacts_folder
from .pages import Record

MANIFEST = ".netvault-site.json"
_NOTE_LIMIT = 16 << 20  # a bigger "note" in the output folder is not one a person wrote


_MANIFEST_LIMIT = 4 << 20
_WRITERS = 8  # threads writing and syncing pages while the next ones render
# What netvault writes: a page at the top or in people/, never a dot-file.
PAGE_PATH = re.compile(r"^(?:people/)?[^/\\.][^/\\]*$")


class BuildError(Exception):
    """The site cannot be built there (a refusal, or the disk said no)."""


def check_output(root: Path, out: Path, vault: Vault) -> str:
    """The output folder's real path, or BuildError saying why not there."""
    real_root = os.path.realpath(root)
    real_out = os.path.realpath(out)
    shown = out.as_posix()
    suggestion = f"use --out with a folder of its own, such as {vault.config.output}/"
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
        note = foreign_note(real_out, read_manifest(real_out))
        if note is not None:
            raise BuildError(
                f"refusing to build into {shown}: it holds notes netvault did not write "
                f"({note}); {suggestion}"
            )
    return real_out


def foreign_note(real_out: str, ours: set[str]) -> str | None:
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
        head = read_vault_file(real_out, rel, _NOTE_LIMIT)[:200]
    except (OSError, UnreadableFile):
        return False
    return re.match(rb"# Agenda for \d{4}-\d{2}-\d{2}\n\n_", head) is not None


def read_manifest(real_out: str) -> set[str]:
    """The pages netvault wrote last time; a missing or odd manifest is empty
    (and then nothing is removed)."""
    try:
        raw = read_vault_file(real_out, MANIFEST, _MANIFEST_LIMIT)
        files = json.loads(raw.decode("utf-8")).get("files", [])
    except (OSError, UnreadableFile, ValueError, AttributeError):
        return set()
    if not isinstance(files, list):
        return set()
    return {f for f in files if isinstance(f, str) and PAGE_PATH.match(f) and ".." not in f.split("/")}


def _manifest_bytes(files) -> bytes:
    return (json.dumps({"generator": "netvault", "files": sorted(files)}, indent=1) + "\n").encode()


def write_pages(
    real_out: str,
    names: Iterable[str],
    pages: Iterator[tuple[str, str | None, Record | None]] | dict[str, str],
) -> tuple[list[str], list[str], list[str], dict[str, Record]]:
    """Write what changed, remove what is gone; (written, unchanged, removed,
    records for the state file).  ``pages`` yields (path, text, record), text
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
    os.makedirs(real_out, exist_ok=True)
    before = read_manifest(real_out)
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
                    continue
                data = text.encode("utf-8")
                target = _target(real_out, rel, folders)
                if _holds(target, rel, data):
                    unchanged.append(rel)
                else:
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
    _write_if_changed(real_out, MANIFEST, _manifest_bytes(before | set(names)))
    for index, (rel, tmp, target, _job) in enumerate(pending):
        try:
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
        if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
            try:
                os.unlink(target)  # a link itself, never what it points to
            except OSError as exc:
                raise BuildError(f"cannot remove {rel}: {exc.strerror or exc}") from None
            removed.append(rel)
    _write_if_changed(real_out, MANIFEST, _manifest_bytes(names))
    for rel, record in records.items():
        if len(record) == 5:
            try:
                info = os.lstat(os.path.join(real_out, *rel.split("/")))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                records[rel] = [*record, file_id(info)]
    records = {rel: record for rel, record in records.items() if len(record) == 6}
    return sorted(written), sorted(unchanged), removed, records


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
        os.makedirs(folder, exist_ok=True)
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


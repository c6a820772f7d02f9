"""Write the site into its output folder: only what changed, nothing outside it.

The pages come from :func:`netvault.site.pages.site_pages`; this module is
the part that touches the disk.  So that a committed ``_site/`` diffs
cleanly, a page whose bytes did not change is not rewritten (its mtime
stays), and a page netvault wrote earlier but no longer produces (a deleted
contact) is removed.  netvault knows which files it wrote from the manifest
``.netvault-site.json`` in the output folder; a file not listed there is the
user's and is never touched.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import UnreadableFile, inside, read_vault_file
from ..frontmatter import FrontmatterError, decode, split
from ..loader import load_vault
from ..model import Vault
from ..problems import Problem
from ..scan import in_contacts_folder
from .pages import site_environment, site_pages

MANIFEST = ".netvault-site.json"
_MANIFEST_LIMIT = 4 << 20
_NOTE_LIMIT = 16 << 20
# What netvault writes: a page at the top or in people/, never a dot-file.
_PAGE_PATH = re.compile(r"^(?:people/)?[^/\\.][^/\\]*$")


class BuildError(Exception):
    """The site cannot be built there (a refusal, or the disk said no)."""


@dataclass(frozen=True)
class BuildReport:
    written: tuple[str, ...]  # relative paths ("/"), sorted
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]  # the vault's, as the loader found them
    seconds: float
    out: Path | None = None

    @property
    def pages(self) -> int:
        return len(self.written) + len(self.unchanged)


def default_output(root: Path, vault: Vault) -> Path:
    return Path(root) / vault.config.output


def build_site(
    root: Path | str,
    out: Path | str | None,
    today: date,
    *,
    vault: Vault | None = None,
) -> BuildReport:
    """Render every page and write the ones that changed into ``out``
    (default: the vault's ``[vault] output``, ``_site/``).

    Raises BuildError for an output folder netvault must not write to, and
    :class:`netvault.render.RenderError` for a broken template; in both
    cases nothing is written.
    """
    started = time.perf_counter()
    root = Path(root)
    if vault is None:
        vault = load_vault(root, today)
    out = Path(out) if out is not None else default_output(root, vault)
    real_out = check_output(root, out, vault)
    pages = site_pages(vault, today, site_environment(root), note_bodies(vault))
    written, unchanged, removed = write_pages(real_out, pages)
    return BuildReport(
        tuple(written),
        tuple(unchanged),
        tuple(removed),
        vault.problems,
        time.perf_counter() - started,
        out,
    )


def note_bodies(vault: Vault) -> dict[str, str]:
    """Each contact's text below the frontmatter (the notes and the log)."""
    bodies = {}
    for contact in vault.contacts:
        try:
            raw = read_vault_file(vault.root, contact.path, _NOTE_LIMIT)
            bodies[contact.path] = split(decode(raw).replace("\r\n", "\n"))[1]
        except (OSError, UnreadableFile, FrontmatterError):
            continue  # read by the loader a moment ago; the page shows no notes
    return bodies


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
    return {f for f in files if isinstance(f, str) and _PAGE_PATH.match(f) and ".." not in f.split("/")}


def _manifest_bytes(files) -> bytes:
    return (json.dumps({"generator": "netvault", "files": sorted(files)}, indent=1) + "\n").encode()


def write_pages(real_out: str, pages: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """Write what changed, remove what is gone; (written, unchanged, removed)."""
    for rel in pages:
        if not _PAGE_PATH.match(rel) or rel == MANIFEST:
            raise BuildError(f"netvault does not write a page named {rel!r}")
    os.makedirs(real_out, exist_ok=True)
    before = read_manifest(real_out)
    # List the new pages before writing them, so a build cut short leaves
    # nothing that a later build would take for the user's.
    _write_if_changed(real_out, MANIFEST, _manifest_bytes(before | set(pages)))
    written, unchanged = [], []
    for rel, text in pages.items():
        if _write_if_changed(real_out, rel, text.encode("utf-8")):
            written.append(rel)
        else:
            unchanged.append(rel)
    removed = []
    for rel in sorted(before - set(pages)):
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
    _write_if_changed(real_out, MANIFEST, _manifest_bytes(pages))
    return sorted(written), sorted(unchanged), removed


def _write_if_changed(real_out: str, rel: str, data: bytes) -> bool:
    """Replace ``rel`` atomically unless it already holds ``data``; True if written."""
    parts = rel.split("/")
    folder = os.path.join(real_out, *parts[:-1])
    if parts[:-1]:
        if os.path.islink(folder) or (os.path.lexists(folder) and not os.path.isdir(folder)):
            raise BuildError(f"refusing to write {rel}: {'/'.join(parts[:-1])} is not a plain folder")
        os.makedirs(folder, exist_ok=True)
    if not inside(os.path.realpath(folder), real_out):
        raise BuildError(f"refusing to write {rel}: it would land outside the output folder")
    target = os.path.join(folder, parts[-1])
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size == len(data):
        try:
            with open(target, "rb") as handle:
                if handle.read() == data:
                    return False
        except OSError:
            pass
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise BuildError(f"refusing to write {rel}: a folder of that name is in the way")
    tmp = os.path.join(folder, f".{parts[-1][:64]}.{secrets.token_hex(4)}.netvault-tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            os.unlink(tmp)
            raise
        # Replaces a symlink itself, so a link planted in _site/ is not written through.
        os.replace(tmp, target)
    except OSError as exc:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise BuildError(f"cannot write {rel}: {exc.strerror or exc}") from None
    return True

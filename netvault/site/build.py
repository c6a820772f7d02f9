"""Write the site into its output folder: only what changed, nothing outside it.

The pages come from :func:`netvault.site.pages.site_pages`; this module is
the part that touches the disk.  So that a committed ``_site/`` diffs
cleanly, a page whose bytes did not change is not rewritten (its mtime
stays), and a page netvault wrote earlier but no longer produces (a deleted
contact) is removed.  netvault knows which files it wrote from the manifest
``.netvault-site.json`` in the output folder; a file not listed there is the
user's and is never touched.

So that a build after one edit takes a moment, not minutes, what each page
was built from is kept in the vault's ``.netvault/cache/site-*.json`` (see
:mod:`netvault.site.state` and :class:`netvault.site.pages.SitePlan`): a page whose
inputs and file are as the last build left them is neither rendered nor
written.  Without that state (deleted, damaged, another netvault or other
settings, ``--no-cache``) every page is rendered, and the result is the same.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import os
import secrets
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..read import cache
from ..read.frontmatter import FrontmatterError, decode, split
from ..read.loader import load_vault
from ..read.model import Contact, Vault
from ..read.vaultfile import NOTE_LIMIT, UnreadableFile, read_vault_file
from ..values.problems import Problem
from ..views.templates import USER_TEMPLATES, default_template_dir
from .output import check_output, write_pages
from .pages import SitePlan, site_environment
from .state import STATE_FORMAT, State

# The settings the loader reads besides netvault.toml (see netvault.site.watch).
_OBSIDIAN_SETTINGS = ("daily-notes.json", "templates.json", "core-plugins-templates.json", "types.json")
# A contact file changed less than this before the process started is not
# vouched for by its identity: a coarse file system clock can hide a change.
_RACY_SECONDS = 2
_IMPORTED = time.time()
# The libraries whose output is in the pages: another version may render alike or not.
_RENDERERS = ("jinja2", "markupsafe", "markdown-it-py", "nh3")


@dataclass(frozen=True)
class BuildReport:
    written: tuple[str, ...]  # relative paths ("/"), sorted
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]  # the vault's, as the loader found them
    seconds: float
    out: Path | None = None
    # pages the user had changed, and the conflict copy their version went to
    kept: tuple[tuple[str, str], ...] = ()

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

    A page whose inputs are those recorded in the output folder's
    ``.netvault-pages.json`` by the last build, and whose file is still the
    one that build left, is neither rendered nor written (see
    :class:`netvault.site.pages.SitePlan`).

    Raises BuildError for an output folder netvault must not write to, and
    :class:`netvault.views.templates.RenderError` for a broken template; in both
    cases nothing is written.
    """
    started = time.perf_counter()
    root = Path(root)
    if vault is None:
        vault = load_vault(root, today)
    # The loaded vault is millions of long-lived objects: leave them out of
    # the collector's passes while the pages are built (a third of the time
    # of a build that renders little).
    gc.freeze()
    try:
        return _build(root, out, today, vault, started)
    finally:
        gc.unfreeze()


def _build(root: Path, out: Path | str | None, today: date, vault: Vault, started: float) -> BuildReport:
    out = Path(out) if out is not None else default_output(root, vault)
    real_out = check_output(root, out, vault)
    env = site_environment(root)
    stamp = site_stamp(root, vault, today)
    use_state = cache.enabled()
    state = State(root, real_out, stamp)
    previous = state.read() if use_state else {}
    plan = SitePlan(
        vault,
        today,
        env,
        lambda contact: note_body(vault, contact),
        stamp=stamp,
        identity=contact_identity(vault),
        previous=previous,
        previous_names=state.previous_names,
    )
    written, unchanged, removed, records, kept = write_pages(real_out, plan.names, plan.pages(), out.as_posix())
    if use_state:
        state.write(records, plan.names_print)
    return BuildReport(
        tuple(written),
        tuple(unchanged),
        tuple(removed),
        vault.problems,
        time.perf_counter() - started,
        out,
        tuple(kept),
    )


def note_bodies(vault: Vault) -> dict[str, str]:
    """Each contact's text below the frontmatter (the notes and the log)."""
    return {contact.path: note_body(vault, contact) for contact in vault.contacts}


def note_body(vault: Vault, contact: Contact) -> str:
    """A contact's text below the frontmatter; "" if it cannot be read now
    (it was read by the loader a moment ago; the page shows no notes)."""
    try:
        raw = read_vault_file(vault.root, contact.path, NOTE_LIMIT)
        return split(decode(raw).replace("\r\n", "\n"))[1]
    except (OSError, UnreadableFile, FrontmatterError):
        return ""


# -- what pages are built from ------------------------------------------------


def site_stamp(root: Path, vault: Vault, today: date) -> str:
    """A digest of what every page shares: netvault's build, Python's and the
    renderers' versions, netvault's templates and the vault's, the settings
    the notes were read with, and the day."""
    digest = hashlib.blake2b(digest_size=20)

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)

    add(STATE_FORMAT, cache.cache_key("site"), today.isoformat(), os.path.realpath(root))
    add(sys.version, *(_version(name) for name in _RENDERERS))
    add(repr(vault.config))
    for name in _OBSIDIAN_SETTINGS:
        add(name, _file_bytes(os.path.join(root, ".obsidian", name)))
    for folder in (default_template_dir(), Path(root) / USER_TEMPLATES):
        add("templates", str(folder))
        for path in _all_files(str(folder)):
            add(os.path.relpath(path, folder), _file_bytes(path))
    return digest.hexdigest()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _all_files(folder: str) -> list[str]:
    """Every file under ``folder``, through links (a template may be one), each folder once."""
    found: list[str] = []
    seen: set[str] = set()
    for here, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        found.extend(os.path.join(here, name) for name in sorted(files))
        if len(found) > 10_000:
            break
    return found


def _file_bytes(path: str) -> bytes:
    """The file's bytes; for what cannot be read, a marker that will not
    match the next time (so nothing is taken as unchanged)."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > 16 << 20:
                return b"\0unread" + secrets.token_bytes(16)
            return handle.read()
    except FileNotFoundError:
        return b"\0missing"
    except OSError:
        return b"\0unread" + secrets.token_bytes(16)


def contact_identity(vault: Vault) -> Callable[[Contact], str | None]:
    """A contact file's identity (device, inode, size, mtime, ctime), which
    vouches for the contact the loader read from it only when the file last
    changed before this process started: a file written later may have
    changed after the loader read it and before now."""
    before = int((_process_started() - _RACY_SECONDS) * 1e9)
    root = str(vault.root)

    def identity(contact: Contact) -> str | None:
        try:
            info = os.stat(os.path.join(root, contact.path))
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode) or max(info.st_mtime_ns, info.st_ctime_ns) >= before:
            return None
        return f"i:{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"

    return identity


def _process_started() -> float:
    """When this process started (Linux), else when this module was imported;
    the earlier of the two.  Either is before any vault it loads."""
    try:
        with open("/proc/self/stat", "rb") as handle:
            ticks = int(handle.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/stat", "rb") as handle:
            boot = next(int(line.split()[1]) for line in handle if line.startswith(b"btime"))
        return min(_IMPORTED, boot + ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED



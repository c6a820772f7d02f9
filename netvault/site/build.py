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
:class:`State` and :class:`netvault.site.pages.SitePlan`): a page whose
inputs and file are as the last build left them is neither rendered nor
written.  Without that state (deleted, damaged, another netvault or other
settings, ``--no-cache``) every page is rendered, and the result is the same.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import json
import os
import re
import secrets
import stat
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..read import cache
from ..read.vaultfile import UnreadableFile, inside, read_vault_file
from ..read.frontmatter import FrontmatterError, decode, split
from ..read.loader import load_vault
from ..read.model import Contact, Vault
from ..values.problems import Problem
from ..views.render import USER_TEMPLATES, default_template_dir
from ..read.walk import in_contacts_folder
from .pages import Record, SitePlan, site_environment

MANIFEST = ".netvault-site.json"
# What each page was built from (see pages.SitePlan), so that the next build
# renders and writes only the pages whose inputs changed: one file per output
# folder in the vault's read cache folder (kept out of the output folder, so
# a committed _site/ holds only pages).
STATE_PREFIX = "site-"
STATE_FORMAT = 2
STATE_SHARDS = 16
_STATE_LIMIT = 256 << 20
_MANIFEST_LIMIT = 4 << 20
# The settings the loader reads besides netvault.toml (see netvault.site.watch).
_OBSIDIAN_SETTINGS = ("daily-notes.json", "templates.json", "core-plugins-templates.json", "types.json")
# A contact file changed less than this before the process started is not
# vouched for by its identity: a coarse file system clock can hide a change.
_RACY_SECONDS = 2
_IMPORTED = time.time()
# The libraries whose output is in the pages: another version may render alike or not.
_RENDERERS = ("jinja2", "markupsafe", "markdown-it-py", "nh3")
_WRITERS = 8  # threads writing and syncing pages while the next ones render
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

    A page whose inputs are those recorded in the output folder's
    ``.netvault-pages.json`` by the last build, and whose file is still the
    one that build left, is neither rendered nor written (see
    :class:`netvault.site.pages.SitePlan`).

    Raises BuildError for an output folder netvault must not write to, and
    :class:`netvault.views.render.RenderError` for a broken template; in both
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
    written, unchanged, removed, records = write_pages(real_out, plan.names, plan.pages())
    if use_state:
        state.write(records, plan.names_print)
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
    return {contact.path: note_body(vault, contact) for contact in vault.contacts}


def note_body(vault: Vault, contact: Contact) -> str:
    """A contact's text below the frontmatter; "" if it cannot be read now
    (it was read by the loader a moment ago; the page shows no notes)."""
    try:
        raw = read_vault_file(vault.root, contact.path, _NOTE_LIMIT)
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


def state_path(root: Path, real_out: str, shard: int = 0) -> Path:
    """One of the state files for the output folder ``real_out``."""
    name = hashlib.blake2b(os.fsencode(real_out), digest_size=8).hexdigest()
    return Path(root) / cache.CACHE_FOLDER / f"{STATE_PREFIX}{name}-{shard:02d}.json"


def _state_shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % STATE_SHARDS


class State:
    """What the last build recorded, shard by shard; only shards whose
    records changed are written again."""

    def __init__(self, root: Path, real_out: str, stamp: str) -> None:
        self.root, self.real_out, self.stamp = Path(root), real_out, stamp
        self.shards: list[dict | None] = [None] * STATE_SHARDS  # as read, None when unusable
        self.names: list[str | None] = [None] * STATE_SHARDS  # each shard's print of the vault's names

    @property
    def previous_names(self) -> str | None:
        """The print of the names every record was checked against, when
        all shards agree on one."""
        return self.names[0] if len(set(self.names)) == 1 else None

    def read(self) -> dict[str, Record]:
        """The records whose pages are still as that build left them; anything
        missing, damaged, foreign or from other settings is left out."""
        people = os.path.join(self.real_out, "people")
        if os.path.islink(people) or (os.path.lexists(people) and not os.path.isdir(people)):
            return {}
        found: dict[str, Record] = {}
        for number in range(STATE_SHARDS):
            pages, self.names[number] = self._read_shard(number)
            self.shards[number] = pages
            for rel, entry in (pages or {}).items():
                if not (
                    isinstance(rel, str)
                    and _PAGE_PATH.match(rel)
                    and _state_shard(rel) == number
                    and _valid_entry(entry)
                ):
                    continue
                try:
                    info = os.lstat(os.path.join(self.real_out, *rel.split("/")))
                except (OSError, ValueError):
                    continue
                if stat.S_ISREG(info.st_mode) and _file_id(info) == entry[5]:
                    found[rel] = list(entry)
        return found

    def _read_shard(self, number: int) -> tuple[dict | None, str | None]:
        path = state_path(self.root, self.real_out, number)
        try:
            if path.is_symlink():
                return None, None
            with open(path, "rb") as handle:
                raw = handle.read(_STATE_LIMIT + 1)
            if len(raw) > _STATE_LIMIT:
                return None, None
            data = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None, None
        if (
            not isinstance(data, dict)
            or data.get("generator") != "netvault"
            or data.get("format") != STATE_FORMAT
            or data.get("stamp") != self.stamp
            or data.get("out") != self.real_out
            or not isinstance(data.get("pages"), dict)
            or not isinstance(data.get("names"), str)
        ):
            return None, None
        return data["pages"], data["names"]

    def write(self, records: dict[str, Record], names: str) -> None:
        """Record what each page was built from; a cache, so a failure to
        write it only costs the next build its shortcut."""
        shards: list[dict] = [{} for _ in range(STATE_SHARDS)]
        for rel, record in records.items():
            shards[_state_shard(rel)][rel] = record
        folder = self.root / cache.CACHE_FOLDER
        try:
            if folder.is_symlink() or folder.parent.is_symlink():
                return  # never write through a link, wherever it leads
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text(cache._IGNORE_ALL, encoding="utf-8")
        except OSError:
            return
        for number, pages in enumerate(shards):
            if pages == self.shards[number] and names == self.names[number]:
                continue
            data = {
                "generator": "netvault",
                "format": STATE_FORMAT,
                "stamp": self.stamp,
                "out": self.real_out,
                "names": names,
                "pages": pages,
            }
            path = state_path(self.root, self.real_out, number)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=folder)
            except OSError:
                return
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, separators=(",", ":"))
                os.replace(tmp, path)
            except (OSError, ValueError):
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _valid_entry(entry) -> bool:
    """[digest, [name looked up, ...], digest, identity or print, print,
    [size, mtime, ctime, inode]]."""
    if not (isinstance(entry, list) and len(entry) == 6):
        return False
    digest, targets, shown, own, parsed, ident = entry
    return (
        type(digest) is str
        and type(shown) is str
        and type(own) is str
        and type(parsed) is str
        and type(targets) is list
        and set(map(type, targets)) <= {str}
        and type(ident) is list
        and len(ident) == 4
        and set(map(type, ident)) == {int}
    )


def _file_id(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


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
        if not _PAGE_PATH.match(rel) or rel == MANIFEST:
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
                records[rel] = [*record, _file_id(info)]
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

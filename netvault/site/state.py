"""What each page was built from, kept between builds in the vault's read
cache folder (out of the output folder, so a committed ``_site/`` holds only
pages): the next build renders and writes only the pages whose inputs
changed.  A missing, damaged or foreign state file is a full build."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import zlib
from pathlib import Path

from ..read import cache
from ..read.ownfolder import OwnFolderError, own_folder
from .output import PAGE_PATH, Record, file_id

# What each page was built from (see pages.SitePlan), so that the next build
# renders and writes only the pages whose inputs changed: one file per output
# folder in the vault's read cache folder (kept out of the output folder, so
# a committed _site/ holds only pages).
STATE_PREFIX = "site-"
STATE_FORMAT = 2
STATE_SHARDS = 16
_STATE_LIMIT = 256 << 20


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
                    and PAGE_PATH.match(rel)
                    and _state_shard(rel) == number
                    and _valid_entry(entry)
                ):
                    continue
                try:
                    info = os.lstat(os.path.join(self.real_out, *rel.split("/")))
                except (OSError, ValueError):
                    continue
                if stat.S_ISREG(info.st_mode) and file_id(info) == entry[5]:
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
        try:
            folder = own_folder(self.root, "cache")
        except OwnFolderError:
            return  # never write through a link, wherever it leads
        try:
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

"""Benchmark: which store the read cache should keep, by measurement.

    python benchmark/generate.py /tmp/v2k 2000        # any vault will do; a generated one:
    python benchmark/stores.py /tmp/v2k               # ~1 min on 2 busy cores; 30,000 contacts: ~4 min
    python benchmark/stores.py /tmp/v2k --runs 3 --trials 1 --work /tmp --keep

Row (e) needs msgspec (``pip install msgspec``); without it, it is left out.

The read cache (``netvault/read/cache.py``) keeps, per note, the file's
identity and an encoded record, in 64 JSON shard files rewritten whole
through a temporary file and a rename.  This script copies the vault given
(the original is never written to), loads the copy once with the cache on so
that netvault itself writes the shards, and builds from them an SQLite
database holding the same JSON text per note::

    notes(rel TEXT PRIMARY KEY, dev, ino, size, mtime_ns, ctime_ns, record TEXT)
    meta(key TEXT PRIMARY KEY, value TEXT)   -- schema version and cache key

in WAL mode.  Then it measures, every figure a fresh Python process (so
imports and the page cache are as a real run finds them), the median of
``--runs`` rounds after one warm-up round, the rows of a round in a rotated
order so that drift on a shared machine hits them all alike:

Reading, warm (what a load does before it stats the notes; the stat of every
note is the same whatever the store, so it is left out; the garbage
collector is off, as in ``load_vault``):

  a. the 64 shards: ``json.loads`` of each (through ``cache._read``) and
     ``decode_result`` of every entry;
  b. the same without ``decode_result``: the parse alone;
  c. SQLite: every row, ``json.loads`` and ``decode_result`` of each record;
  d. SQLite: only the rows of 20 contacts (what showing 20 people needs),
     and, beside it, the shards those 20 notes fall in;
  e. msgspec: ``msgspec.json.decode`` of each shard, then ``decode_result``
     (when msgspec is installed).

Writing, after one note changed: (a) that note's shard rewritten as
``NoteCache.save`` does it (every note of the shard encoded, the file
written and renamed), also with ``names.json`` that ``save`` rewrites too;
(c) one UPSERT of the note's row in a transaction, the connection closed
(the last one checkpoints the WAL), with ``synchronous=NORMAL`` (enough for
a cache: a crash may lose the last commits, never the database) and FULL.

Concurrency: ``--writers`` processes started together each write
``--writes`` notes of their own, one write at a time: to SQLite (one
transaction per write, busy timeout 30 s), or to the shards as netvault
does (read the note's shard, change its entry, rewrite the shard).  Then
every process's rows are looked for: a shard rewritten from a copy read
before another process's rewrite loses that process's update (last writer
wins).  Two plans for the shards: the notes of the fewest shards (every
write contends) and notes drawn at random (the shards they fall in).  A
lost update costs a cache miss (that note is parsed again on the next
run), never a wrong answer: entries are checked against a fresh ``stat``.

"ms" is the timed part inside the process (imports and setup excluded);
"process ms" the whole process, spawn to exit (with, after a full read,
the freeing of every record at exit, as in a netvault process: about 0.6 s
at 30,000 contacts); peak MB its maximum resident set size (GNU
``/usr/bin/time``, else ``os.wait4``).  Output: Markdown tables on standard
output, progress on standard error.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.metadata
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # netvault itself, wherever this is run from

DB_NAME = "notes.sqlite"  # beside the shards, in .netvault/cache/
SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE notes (
    rel TEXT PRIMARY KEY,
    dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
    record TEXT
);
"""
COLUMNS = "rel, dev, ino, size, mtime_ns, ctime_ns, record"
UPSERT = (
    f"INSERT INTO notes ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(rel) DO UPDATE SET"
    " dev = excluded.dev, ino = excluded.ino, size = excluded.size, mtime_ns = excluded.mtime_ns,"
    " ctime_ns = excluded.ctime_ns, record = excluded.record"
)
BUSY_SECONDS = 30
SHOWN = 20  # notes a command showing 20 people reads
RECORD_JSON = {"separators": (",", ":")}  # as cache._write dumps a shard (ASCII, compact)

# A child's ru_maxrss starts at the high-water mark of the process that
# forked it, so a child spawned straight from this one would show at least
# this process's size; GNU time forks from a 2 MB process.
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


# ------------------------------------------------------------------ children
#
# Every measured thing is a "case": a function run in a fresh process that
# does its imports and setup, then returns the action to time.  The action
# returns how many notes it read or wrote.


def _cache_dir(root: str) -> Path:
    from netvault.read.cache import CACHE_FOLDER

    return Path(root) / CACHE_FOLDER


def _connect(root: str, synchronous: str = "NORMAL"):
    import sqlite3

    conn = sqlite3.connect(_cache_dir(root) / DB_NAME, timeout=BUSY_SECONDS, isolation_level=None)
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    return conn


def case_floor(root: str, key: str) -> Callable[[], int]:
    """The imports every row makes, and nothing else."""
    return lambda: 0


def case_shards(root: str, key: str, decode: bool = True) -> Callable[[], int]:
    """(a), (b): every shard as NoteCache reads it today."""
    from netvault.read import cache

    def read() -> int:
        results = {}
        for shard in range(cache.SHARDS):
            for rel, entry in cache._read(Path(root), key, cache._shard_name(shard)).items():
                results[rel] = (tuple(entry[:5]), cache.decode_result(rel, entry[5]) if decode else entry[5])
        _keep(results)
        return len(results)

    return read


def case_msgspec(root: str, key: str) -> Callable[[], int]:
    """(e): ``cache._read`` with msgspec's parser instead of ``json.loads``."""
    import msgspec

    from netvault.read import cache
    from netvault.read.ownfolder import OwnFolderError, own_file

    parse = msgspec.json.decode

    def read_shard(name: str) -> dict:
        try:
            path = own_file(root, "cache", name)
            if path is None:
                return {}
            with open(path, "rb") as handle:
                data = parse(handle.read())
        except (OwnFolderError, OSError, msgspec.DecodeError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("netvault") != key:
            return {}
        notes = data.get("notes")
        return notes if isinstance(notes, dict) else {}

    def read() -> int:
        results = {}
        for shard in range(cache.SHARDS):
            for rel, entry in read_shard(cache._shard_name(shard)).items():
                results[rel] = (tuple(entry[:5]), cache.decode_result(rel, entry[5]))
        _keep(results)
        return len(results)

    return read


def case_sqlite(root: str, key: str, only: list[str] | None = None) -> Callable[[], int]:
    """(c), (d): every row, or the rows of ``only``."""
    import sqlite3  # noqa: F401  (imported here: its cost is this row's alone)

    from netvault.read.cache import decode_result

    def read() -> int:
        conn = _connect(root)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            if meta.get("schema") != SCHEMA_VERSION or meta.get("netvault") != key:
                return 0
            if only is None:
                rows = conn.execute(f"SELECT {COLUMNS} FROM notes")
            else:
                marks = ", ".join("?" * len(only))
                rows = conn.execute(f"SELECT {COLUMNS} FROM notes WHERE rel IN ({marks})", only)
            loads = json.loads
            results = {
                rel: ((dev, ino, size, mtime, ctime), decode_result(rel, loads(record)))
                for rel, dev, ino, size, mtime, ctime, record in rows
            }
        finally:
            conn.close()
        _keep(results)
        return len(results)

    return read


def case_shards_of(root: str, key: str, only: list[str]) -> Callable[[], int]:
    """Beside (d): the shards the notes of ``only`` fall in, and those notes decoded."""
    from netvault.read import cache

    def read() -> int:
        results = {}
        for shard in sorted({cache._shard(rel) for rel in only}):
            entries = cache._read(Path(root), key, cache._shard_name(shard))
            for rel in only:
                entry = entries.get(rel)
                if entry is not None:
                    results[rel] = (tuple(entry[:5]), cache.decode_result(rel, entry[5]))
        _keep(results)
        return len(results)

    return read


_kept: list[dict] = []  # what the case read, held to the end as a load holds it
_extra: dict = {}  # more for the parent than the timing (failures, the prepared store)


def _keep(results: dict) -> None:
    """Hold what was read until the process ends, as a load does (peak RSS),
    and let ``--check`` see it."""
    _kept.append(results)


def _changed(fingerprint) -> tuple:
    """The identity of the note after an edit: its mtime one nanosecond on."""
    dev, ino, size, mtime, ctime = fingerprint
    return dev, ino, size, mtime + 1, ctime


def case_write_shard(root: str, key: str, rel: str, names: bool = False) -> Callable[[], int]:
    """(a) write: what ``NoteCache.save`` does when one note changed: its
    shard's notes encoded and the shard rewritten (and ``names.json``)."""
    from netvault.read import cache

    name = cache._shard_name(cache._shard(rel))
    results = {r: (tuple(e[:5]), cache.decode_result(r, e[5])) for r, e in cache._read(Path(root), key, name).items()}
    fingerprint, result = results[rel]
    results[rel] = (_changed(fingerprint), result)
    every_name = cache.read_names(Path(root), key) if names else None

    def write() -> int:
        notes = {r: [*results[r][0], cache.encode_result(results[r][1])] for r in sorted(results)}
        cache._write(Path(root), name, {"netvault": key, "notes": notes})
        if every_name is not None:
            every_name[rel] = [*results[rel][0], cache._names_entry(results[rel][1])]
            data = {"netvault": key, "complete": True, "notes": dict(sorted(every_name.items()))}
            cache._write(Path(root), cache.NAMES_FILE, data)
        return len(notes)

    return write


def case_write_sqlite(root: str, key: str, rel: str, synchronous: str = "NORMAL") -> Callable[[], int]:
    """(c) write: the note's record encoded, one UPSERT in a transaction, the connection closed."""
    from netvault.read.cache import decode_result, encode_result

    conn = _connect(root, synchronous)
    row = conn.execute(f"SELECT {COLUMNS} FROM notes WHERE rel = ?", (rel,)).fetchone()
    fingerprint = _changed(row[1:6])
    result = decode_result(rel, json.loads(row[6]))

    def write() -> int:
        record = json.dumps(encode_result(result), **RECORD_JSON)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(UPSERT, (rel, *fingerprint, record))
        conn.execute("COMMIT")
        conn.close()
        return 1

    return write


def _wait_until(start: float) -> None:
    while (left := start - time.time()) > 0:
        time.sleep(min(left, 0.05))


def case_race_shards(root: str, key: str, rels: list[str], marks: list[int], start: float) -> Callable[[], int]:
    """One of the racing writers on shards: for each note, its shard read,
    its entry's mtime set to the mark, the shard rewritten (cache._write)."""
    from netvault.read import cache

    def race() -> int:
        _wait_until(start)
        for rel, mark in zip(rels, marks):
            name = cache._shard_name(cache._shard(rel))
            notes = cache._read(Path(root), key, name)
            entry = notes[rel]
            notes[rel] = [*entry[:3], mark, *entry[4:]]
            cache._write(Path(root), name, {"netvault": key, "notes": notes})
        return len(rels)

    return race


def case_race_sqlite(root: str, key: str, rels: list[str], marks: list[int], start: float) -> Callable[[], int]:
    """One of the racing writers on SQLite: per note, one transaction
    upserting its whole row with the mark as mtime.  Failures (the busy
    timeout running out) are counted."""
    import sqlite3

    conn = _connect(root)
    rows = {row[0]: row for row in conn.execute(
        f"SELECT {COLUMNS} FROM notes WHERE rel IN ({', '.join('?' * len(rels))})", rels)}

    def race() -> int:
        _wait_until(start)
        failed = 0
        for rel, mark in zip(rels, marks):
            _, dev, ino, size, _mtime, ctime, record = rows[rel]
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(UPSERT, (rel, dev, ino, size, mark, ctime, record))
                conn.execute("COMMIT")
            except sqlite3.OperationalError:
                failed += 1
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        conn.close()
        _extra["failed"] = failed
        return len(rels) - failed

    return race


def case_race_check(root: str, key: str, store: str, rels: list[str], marks: list[int]) -> Callable[[], int]:
    """How many of ``rels`` hold their ``mark``, and how many shards (or
    databases) are damaged."""
    from netvault.read import cache

    def check() -> int:
        found: dict[str, int] = {}
        damaged = 0
        if store == "sqlite":
            conn = _connect(root)
            damaged = int(conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok")
            found = dict(conn.execute("SELECT rel, mtime_ns FROM notes"))
            conn.close()
        else:
            for shard in range(cache.SHARDS):
                notes = cache._read(Path(root), key, cache._shard_name(shard))
                damaged += not notes and (_cache_dir(root) / cache._shard_name(shard)).exists()
                found.update((rel, entry[3]) for rel, entry in notes.items())
        _extra["damaged"] = damaged
        return sum(found.get(rel) == mark for rel, mark in zip(rels, marks))

    return check


def case_prepare(root: str, writers: int, writes: int, seed: int) -> Callable[[], int]:
    """Load the vault with the cache on (again while notes are too recent
    to be stored), then build the SQLite store from the shards and plan the
    rows of the other cases."""
    from netvault.read import cache
    from netvault.read.loader import load_vault

    def prepare() -> int:
        folder = _cache_dir(root)
        for attempt in range(4):
            notes = load_vault(root, cache=True).notes
            key = json.loads(cache.own_file(root, "cache", cache.NAMES_FILE).read_bytes())["netvault"]
            entries = {}
            for shard in range(cache.SHARDS):
                entries.update(cache._read(Path(root), key, cache._shard_name(shard)))
            if len(entries) == notes or attempt == 3:
                break
            time.sleep(cache.RACY_SECONDS + 1)  # notes written just now are not stored: wait, read again
        database = folder / DB_NAME
        for leftover in (database, database.with_name(DB_NAME + "-wal"), database.with_name(DB_NAME + "-shm")):
            leftover.unlink(missing_ok=True)
        conn = _connect(root)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION), ("netvault", key)])
        conn.executemany(
            f"INSERT INTO notes ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((rel, *entry[:5], json.dumps(entry[5], **RECORD_JSON)) for rel, entry in sorted(entries.items())),
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

        contacts = sorted(rel for rel, entry in entries.items() if entry[5][0] is not None)
        step = max(1, len(contacts) // SHOWN)
        shown = contacts[step // 2::step][:SHOWN]
        by_shard: dict[int, list[str]] = {}
        for rel in sorted(entries):
            by_shard.setdefault(cache._shard(rel), []).append(rel)
        crowded = [rel for _, rels in sorted(by_shard.items(), key=lambda item: -len(item[1])) for rel in rels]
        wanted = writers * writes
        spread = random.Random(seed).sample(sorted(entries), min(wanted, len(entries)))
        plans = {}
        for plan, rels in (("contended", crowded[:wanted]), ("spread", spread)):
            # writer w takes every writers-th note: at its i-th write, the
            # others write the notes next to it (the same shard, if contended)
            plans[plan] = [rels[w::writers] for w in range(writers)]
        shard_bytes = sum((folder / cache._shard_name(n)).stat().st_size
                          for n in range(cache.SHARDS) if (folder / cache._shard_name(n)).exists())
        _extra.update({
            "key": key,
            "notes": notes,
            "stored": len(entries),
            "contacts": len(contacts),
            "shown": shown,
            "plans": plans,
            "shard_bytes": shard_bytes,
            "names_bytes": (folder / cache.NAMES_FILE).stat().st_size,
            "sqlite_bytes": database.stat().st_size,
        })
        return len(entries)

    return prepare


CASES: dict[str, Callable[..., Callable[[], int]]] = {
    name.removeprefix("case_").replace("_", "-"): function
    for name, function in globals().items()
    if name.startswith("case_")
}


def child_main(case: str, params: dict, check: bool) -> None:
    """Run one case in this fresh process; print ``{"ms", "count", ...}`` as JSON."""
    gc.disable()  # as load_vault does while reading
    action = CASES[case](**params)
    start = time.perf_counter()
    count = action()
    ms = (time.perf_counter() - start) * 1000
    report = {"ms": ms, "count": count, **_extra}
    if check:  # a digest of what was read, to compare the stores (never while timing)
        digest = hashlib.sha256()
        for results in _kept:
            for rel in sorted(results):
                digest.update(repr((rel, results[rel])).encode("utf-8", "surrogateescape"))
        report["digest"] = digest.hexdigest()
    print(json.dumps(report))


# -------------------------------------------------------------------- parent


@dataclass
class Row:
    """One measured case of the tables, with its figures over the rounds."""

    label: str
    case: str
    params: dict
    ms: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)  # ms, spawn to exit
    rss: list[int] = field(default_factory=list)  # KB
    count: int = 0


def spawn(case: str, params: dict, work: Path, check: bool = False) -> subprocess.Popen:
    argv = [sys.executable, __file__, "--child", case, json.dumps(params)] + (["--check"] if check else [])
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=work)


def finish(child: subprocess.Popen, case: str) -> dict:
    out, err = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"{case} failed:\n{err.decode(errors='replace')}")
    return json.loads(out)


def run(case: str, params: dict, work: Path, check: bool = False) -> dict:
    """Run one case in a fresh process and wait for its report (not timed)."""
    return finish(spawn(case, params, work, check), case)


def measure(row: Row, work: Path) -> None:
    """Run ``row`` once in a fresh process, timed, and record its figures."""
    argv = [sys.executable, __file__, "--child", row.case, json.dumps(row.params)]
    rss_file = work / "rss.txt"
    if GNU_TIME:
        argv = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *argv]
    with open(work / "out.json", "wb") as out, open(work / "err.txt", "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=work)
        _, status, usage = os.wait4(child.pid, 0)
        wall = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    if child.returncode != 0:
        raise SystemExit(f"{row.label} failed:\n{(work / 'err.txt').read_text(errors='replace')}")
    report = json.loads((work / "out.json").read_bytes())
    row.ms.append(report["ms"])
    row.wall.append(wall)
    row.rss.append(int(rss_file.read_text().split()[-1]) if GNU_TIME else usage.ru_maxrss)
    row.count = report["count"]


def rounds(rows: list[Row], work: Path, runs: int, what: str) -> None:
    """One warm-up round, then ``runs`` timed ones, each in a rotated order."""
    for number in range(runs + 1):
        shift = number % len(rows)
        for row in rows[shift:] + rows[:shift]:
            if number == 0:
                run(row.case, row.params, work)
            else:
                measure(row, work)
        progress(f"{what}: {'warm-up' if number == 0 else f'round {number}/{runs}'} done")


def race(store: str, plan: list[list[str]], trial: int, root: Path, key: str, work: Path) -> dict:
    """The writers of ``plan`` at once on ``store``, then what is left of their writes."""
    marks = [[trial * 1_000_000 + writer * 1_000 + i for i in range(len(rels))] for writer, rels in enumerate(plan)]
    start = time.time() + 2.0  # every writer imported and ready before any writes
    case = f"race-{store}"
    children = [
        spawn(case, {"root": str(root), "key": key, "rels": rels, "marks": writer_marks, "start": start}, work)
        for rels, writer_marks in zip(plan, marks)
    ]
    reports = [finish(child, case) for child in children]
    rels = [rel for writer in plan for rel in writer]
    check = run("race-check", {"root": str(root), "key": key, "store": store, "rels": rels,
                               "marks": [mark for writer in marks for mark in writer]}, work)
    return {
        "written": sum(report["count"] for report in reports),
        "failed": sum(report.get("failed", 0) for report in reports),
        "present": check["count"],
        "damaged": check["damaged"],
        "expected": len(rels),
    }


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def read_table(rows: list[Row], base: Row) -> list[str]:
    lines = [
        "| store | notes | ms | min–max | × (a) | process ms | × (a) | peak MB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        ms, wall = _median(row.ms), _median(row.wall)
        timed = row.case != "floor"
        lines.append(
            f"| {row.label} | {row.count:,} | {f'{ms:,.1f}' if timed else '–'}"
            f" | {f'{min(row.ms):,.1f}–{max(row.ms):,.1f}' if timed else '–'}"
            f" | {f'{ms / _median(base.ms):.2f}' if timed else '–'} | {wall:,.0f}"
            f" | {wall / _median(base.wall):.2f} | {max(row.rss) / 1024:.0f} |"
        )
    return lines


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2], json.loads(sys.argv[3]), "--check" in sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vault", type=Path, help="a vault folder (read only: a copy is measured)")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (median, min, max); default 5")
    parser.add_argument("--writers", type=int, default=4, help="processes writing at once; default 4")
    parser.add_argument("--writes", type=int, default=20, help="notes each of them writes; default 20")
    parser.add_argument("--trials", type=int, default=3, help="concurrency trials of each store; default 3")
    parser.add_argument("--seed", type=int, default=1, help="the draw of the spread plan's notes")
    parser.add_argument("--work", type=Path, help="where to put the copy (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="leave the copy and its stores in place")
    args = parser.parse_args()
    if not args.vault.is_dir():
        parser.error(f"{args.vault} is not a folder")
    import sqlite3  # here, not at the top: the children that read SQLite import it themselves
    try:  # (e) is measured when msgspec is installed; not imported here
        msgspec = importlib.metadata.version("msgspec")
    except importlib.metadata.PackageNotFoundError:
        msgspec = None

    began = time.perf_counter()
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="netvault-stores-", dir=args.work))
    try:
        root = work / "vault"
        progress(f"copying {args.vault} to {root}")
        shutil.copytree(args.vault, root, symlinks=True,
                        ignore=lambda folder, names: ["cache"] if Path(folder).name == ".netvault" else [])
        progress("loading it with the cache on (the notes are all parsed: a first run), building SQLite")
        facts = run("prepare", {"root": str(root), "writers": args.writers, "writes": args.writes,
                                "seed": args.seed}, work)
        key, shown = facts["key"], facts["shown"]
        if facts["stored"] != facts["notes"]:
            progress(f"warning: {facts['notes'] - facts['stored']} notes not in the cache")
        common = {"root": str(root), "key": key}

        base = Row("(a) 64 JSON shards: `json.loads` + `decode_result`", "shards", common)
        reads = [
            Row("imports only (in every row)", "floor", common),
            base,
            Row("(b) 64 JSON shards: `json.loads` only", "shards", {**common, "decode": False}),
            Row("(c) SQLite: every row, `json.loads` + `decode_result`", "sqlite", common),
            Row(f"(d) SQLite: the rows of {len(shown)} contacts", "sqlite", {**common, "only": shown}),
            Row(f"(d′) JSON shards: the shards of those {len(shown)}, and them decoded", "shards-of",
                {**common, "only": shown}),
        ]
        if msgspec is not None:
            reads.append(Row("(e) 64 JSON shards: `msgspec.json.decode` + `decode_result`", "msgspec", common))

        progress("checking that every store gives the same records")
        digests = {row.label: run(row.case, row.params, work, check=True)["digest"]
                   for row in reads if row.case != "floor" and row.params.get("decode", True)}
        everyone = {digests[row.label] for row in reads if row.label in digests and "only" not in row.params}
        some = {digests[row.label] for row in reads if row.label in digests and "only" in row.params}
        if len(everyone) != 1 or len(some) != 1:
            raise SystemExit(f"the stores disagree: {json.dumps(digests, indent=1)}")

        rounds(reads, work, args.runs, "reading")

        edited = shown[0]
        shard_write = Row("(a) one shard rewritten (its notes encoded)", "write-shard", {**common, "rel": edited})
        writes = [
            shard_write,
            Row("(a) one shard + `names.json`, as `NoteCache.save` writes", "write-shard",
                {**common, "rel": edited, "names": True}),
            Row("(c) SQLite: one UPSERT in a transaction, synchronous=NORMAL", "write-sqlite",
                {**common, "rel": edited}),
            Row("(c) SQLite: the same, synchronous=FULL", "write-sqlite",
                {**common, "rel": edited, "synchronous": "FULL"}),
        ]
        rounds(writes, work, args.runs, "writing")

        races = []
        plans = facts["plans"]
        for trial in range(1, args.trials + 1):
            for store, plan in (("shards", "contended"), ("shards", "spread"), ("sqlite", "spread")):
                races.append((store, plan, race(store, plans[plan], trial, root, key, work)))
            progress(f"concurrency: trial {trial}/{args.trials} done")
    finally:
        if args.keep:
            progress(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    out = [
        (
            f"**{facts['contacts']:,} contacts** ({facts['notes']:,} notes) from `{args.vault}`;"
            f" stores: 64 shards {facts['shard_bytes'] / 2**20:.1f} MB (+ `names.json`"
            f" {facts['names_bytes'] / 2**20:.1f} MB), SQLite {facts['sqlite_bytes'] / 2**20:.1f} MB."
            " Every store gave the same records."
        ),
        "",
        f"Reading, warm: median of {args.runs} fresh processes each.",
        "",
        *read_table(reads, base),
        "",
        f"Writing after one note changed (`{edited}`):",
        "",
        "| write | ms | min–max | × (a) | process ms | peak MB |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for row in writes:
        ms = _median(row.ms)
        out.append(
            f"| {row.label} | {ms:,.1f} | {min(row.ms):,.1f}–{max(row.ms):,.1f} | {ms / _median(shard_write.ms):.2f}"
            f" | {_median(row.wall):,.0f} | {max(row.rss) / 1024:.0f} |"
        )
    out += [
        "",
        (
            f"Concurrency: {args.writers} processes at once, each writing {args.writes} notes of its own,"
            f" one at a time; {args.trials} trials."
        ),
        "",
        "| store | notes | writes | lost (each trial) | lost | failed | damaged files |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    plan_names = {"contended": f"of the fewest shards ({len({n for w in plans['contended'] for n in w})} notes)",
                  "spread": "drawn at random"}
    for store, plan in dict.fromkeys((store, plan) for store, plan, _ in races):
        found = [result for s, p, result in races if (s, p) == (store, plan)]
        lost = [result["expected"] - result["present"] for result in found]
        out.append(
            f"| {'64 JSON shards' if store == 'shards' else 'SQLite (WAL)'} | {plan_names[plan]}"
            f" | {sum(result['written'] for result in found)} | {', '.join(map(str, lost))} | {sum(lost)}"
            f" | {sum(result['failed'] for result in found)} | {sum(result['damaged'] for result in found)} |"
        )
    out += [
        "",
        (
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
            f" msgspec {msgspec or 'absent'}, {os.cpu_count()} CPUs,"
            f" load average {load_before[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end;"
            f" benchmark took {time.perf_counter() - began:.0f} s."
        ),
        (
            "ms: the timed part inside the process (imports and setup excluded); process ms: the whole"
            " process, spawn to exit (freeing the records at exit included); peak MB: its maximum resident set."
        ),
        "The stat of every note, the same for every store, is not part of these figures.",
    ]
    print("\n".join(out))


if __name__ == "__main__":
    main()

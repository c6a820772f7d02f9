"""Benchmark: netvault's commands as whole processes, against the floor and the naive loop.

    python benchmark/bench.py                          # 1,000 and 10,000 contacts, 5 runs (~6 min on 2 cores)
    python benchmark/bench.py --sizes 1000 10000 30000 # the full table of the README (~21 min)
    python benchmark/bench.py --quick                  # smoke run: 200 contacts, 2 runs
    python benchmark/bench.py --sizes 30000 --shape imported   # 28,000 imported from LinkedIn + 2,000 rich
    python benchmark/bench.py --quick --no-build       # without the two build rows

``--shape imported`` times the vault a LinkedIn import leaves: of each size,
all but ``--rich`` contacts (default 2,000) are thin files exactly as
``netvault import linkedin`` writes them (see ``generate.py``); the rich ones,
and the meeting and daily notes, are those of a rich vault of that many.
Rows that name one contact (``show``, ``log``, ``intro``, the one edited
note) take a rich one, the same person in both shapes.  ``--no-build`` leaves
out the two ``build`` rows and the build they start from (at 30,000
contacts a build from nothing takes about 50 s a run).

For each size, ``benchmark/generate.py`` writes a realistic vault (seeded, so
the same files every time) into a temporary folder.  Every figure is a whole
``python -m netvault.cli ...`` process, as a user or a script runs it: Python
start-up, imports, reading, output.  Each run is a fresh child; its time is
the wall clock from spawn to exit, and its peak memory is the child's own
maximum resident set size as GNU ``/usr/bin/time`` reports it (``ru_maxrss``
from ``os.wait4`` where GNU time is missing: then small processes show at
least this script's own size).

Two baselines are measured in the same rounds, interleaved with netvault's
rows so that drift on a shared machine hits them all alike:

- the floor: a Python process that reads the bytes of every ``.md`` note
  (outside dot-folders) and does nothing else;
- the naive loop: a Python process that runs ``frontmatter.load`` of
  python-frontmatter, the library a user would reach for, on every such note.

The result is the ratios (netvault / floor, netvault / naive): absolute
times drift 1.5x within an hour on shared machines.  The files are in the
page cache (a warm-up round reads them first), which is the everyday case.
Output is a Markdown table per size, ready to paste into the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import RICH, SHAPES, TODAY, generate_connections, generate_vault  # a sibling script, not a package

# The same walk for both baselines: every .md note outside dot-folders, as
# netvault reads them (its output folder is outside the vault here).
_WALK = """
import os, sys
root = sys.argv[1]
paths = []
for folder, dirs, files in os.walk(root):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    paths.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".md"))
"""
FLOOR = _WALK + """
size = 0
for path in paths:
    with open(path, "rb") as handle:
        size += len(handle.read())
"""
NAIVE = _WALK + """
import frontmatter
for path in paths:
    try:
        frontmatter.load(path)
    except Exception:
        pass  # a broken note must not stop the loop, as it must not stop netvault
"""


@dataclass
class Row:
    """One measured command: ``argv`` after the interpreter, with what must
    happen before and after each run (outside the timed part)."""

    label: str
    argv: list[str]
    setup: Callable[[int], None] | None = None
    teardown: Callable[[], None] | None = None
    ok_codes: tuple[int, ...] = (0,)
    baseline: bool = False
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # kilobytes


# A child's ru_maxrss starts at the high-water mark of the process that
# forked it (the kernel carries it across exec), so a child spawned straight
# from this Python would show at least this process's size.  GNU time forks
# from a 2 MB process, so its figure is the command's own.
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


def run_child(argv: list[str], cwd: Path, err: Path) -> tuple[float, int, int]:
    """Spawn ``argv``; return (seconds, peak RSS in KB, exit code) of that child alone."""
    rss_file = err.with_suffix(".rss")
    if GNU_TIME:
        argv = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *argv]
    with open(os.devnull, "wb") as out, open(err, "wb") as errors:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=errors, stdin=subprocess.DEVNULL, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code  # reaped here; keep Popen from waiting again
    rss = usage.ru_maxrss
    if GNU_TIME:
        # GNU time writes "Command exited with non-zero status N" first when N != 0.
        rss = int(rss_file.read_text().split()[-1])
    return elapsed, rss, code


def netvault(*args: str, vault: Path | None = None) -> list[str]:
    argv = [sys.executable, "-m", "netvault.cli", *args]
    if vault is not None:
        argv += ["--vault", str(vault), "--today", TODAY.isoformat()]
    return argv


def completion(vault: Path, command: str, typed: str) -> list[str]:
    """What bash runs on a TAB after ``netvault COMMAND --vault VAULT TYPED``."""
    line = shlex.join(["netvault", command, "--vault", str(vault), typed])
    return ["env", "_NETVAULT_COMPLETE=bash_complete", f"COMP_WORDS={line}", "COMP_CWORD=4", *netvault()]


class Restore:
    """Keep a file's bytes so a run that edits it can be undone."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def rows_for(work: Path, vault: Path, info, size: int, build: bool = True) -> list[Row]:
    person = info.sample(0)  # (name, relative path) of an ordinary rich contact, in either shape
    other = info.sample(1)
    target = info.sample(2)
    logged = Restore(vault / person[1])
    edited = Restore(vault / other[1])
    build_out = work / "build-out"
    rebuild_out = work / "rebuild-out"

    def empty_build(_: int) -> None:
        shutil.rmtree(build_out, ignore_errors=True)

    def one_edit(round_: int) -> None:
        edited.path.write_bytes(edited.original + f"\nEdited in round {round_}.\n".encode())

    def no_cache(_: int) -> None:
        # What reading keeps (not the site's records, which the builds below use).
        for path in (vault / ".netvault" / "cache").glob("*"):
            if path.name in ("names.json", "vault.json") or path.name.startswith("notes-"):
                path.unlink()

    def settled(restore: Restore) -> Callable[[], None]:
        """Put the file back as it was, dated a day ago as files are between
        two sessions, and let one untimed command read it, so that the next
        row finds the cache a previous command left (warm), not a change."""

        def teardown() -> None:
            restore.restore()
            then = time.time() - 86_400
            os.utime(restore.path, (then, then))
            run_child(netvault("agenda", "--format", "json", vault=vault), work, work / "settle.err")

        return teardown

    # LinkedIn: as many connections as the vault has contacts, imported into
    # an empty vault (made afresh before each run), then the same file again.
    connections = work / "Connections.csv"
    generate_connections(connections, size)
    imported = work / "imported"

    def empty_vault(_: int) -> None:
        shutil.rmtree(imported, ignore_errors=True)
        imported.mkdir()
        (imported / "netvault.toml").write_text("")

    # Exports of any size are read as a stream: a 200 MB file (over the
    # per-file limit of people) and a row with a 150 MB cell, each as a dry run.
    huge = work / "Connections-200MB.csv"
    long_cell = work / "Connections-long-cell.csv"
    _write_huge_exports(huge, long_cell)

    def imported_once(_: int) -> None:
        if not (imported / ".netvault" / "imports.json").exists():
            empty_vault(0)
            run_child(netvault("import", "linkedin", str(connections), vault=imported), work, work / "import.err")

    return [
        Row("floor: read every note's bytes", [sys.executable, "-c", FLOOR, str(vault)], baseline=True),
        Row("naive: `frontmatter.load` every note", [sys.executable, "-c", NAIVE, str(vault)], baseline=True),
        # First run: no .netvault/cache/ yet (this run reads every note and writes it).
        Row("`agenda --format json` (first run)", netvault("agenda", "--format", "json", vault=vault),
            setup=no_cache),
        Row("`agenda --format json` (warm)", netvault("agenda", "--format", "json", vault=vault)),
        Row("`agenda --format json` (warm, one note changed)",
            netvault("agenda", "--format", "json", vault=vault), setup=one_edit, teardown=settled(edited)),
        Row("`agenda` (text, warm)", netvault("agenda", vault=vault)),
        Row("`agenda --limit 20` (text, warm)", netvault("agenda", "--limit", "20", vault=vault)),
        # The generated vault's intended shared names are warnings: check exits 0.
        Row("`check` (first run)", netvault("check", vault=vault), setup=no_cache),
        Row("`check` (warm)", netvault("check", vault=vault)),
        Row(
            "`log NAME TEXT` (one contact)",
            netvault("log", person[0], "coffee, benchmark", "--channel", "in-person", vault=vault),
            teardown=settled(logged),
        ),
        *(
            [
                Row("`build` (into an empty folder)", netvault("build", "--out", str(build_out), vault=vault),
                    setup=empty_build),
                Row("`build` after one edit", netvault("build", "--out", str(rebuild_out), vault=vault),
                    setup=one_edit, teardown=settled(edited)),
            ]
            if build
            else []
        ),
        Row("`show NAME` (a rich contact)", netvault("show", person[0], vault=vault)),
        Row("`list --org acme`", netvault("list", "--org", "acme", vault=vault)),
        Row("`intro NAME`", netvault("intro", target[0], vault=vault)),
        Row("`merge --suggest --format json` (warm)", netvault("merge", "--suggest", "--format", "json", vault=vault)),
        Row("`triage --list --format json` (warm)", netvault("triage", "--list", "--format", "json", vault=vault)),
        Row(f"`import linkedin` ({size:,} rows, empty vault)",
            netvault("import", "linkedin", str(connections), vault=imported), setup=empty_vault),
        Row("`import linkedin` again (same file)",
            netvault("import", "linkedin", str(connections), vault=imported), setup=imported_once),
        Row("`import linkedin --dry-run` (a 200 MB export, refused: over 50,000 people)",
            netvault("import", "linkedin", str(huge), "--dry-run", vault=imported), ok_codes=(1,),
            setup=imported_once),
        Row("`import linkedin --dry-run` (one 150 MB cell, that row skipped)",
            netvault("import", "linkedin", str(long_cell), "--dry-run", vault=imported), setup=imported_once),
        # A TAB after `netvault show Fir`: the names come from the cache.
        Row("completion of a NAME (bash, warm)", completion(vault, "show", person[0][:3])),
        Row("`--help`", netvault("--help")),
        Row("`--version`", netvault("--version")),
    ]


def _write_huge_exports(huge: Path, long_cell: Path) -> None:
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    if not huge.exists():
        with open(huge, "w", encoding="utf-8") as handle:
            handle.write(header)
            index = 0
            while handle.tell() < 200_000_000:
                handle.write(
                    "".join(
                        f"First{i},Last{i},https://www.linkedin.com/in/p-{i},,Company {i % 5000},Role,05 May 2025\n"
                        for i in range(index, index + 10_000)
                    )
                )
                index += 10_000
    if not long_cell.exists():
        with open(long_cell, "w", encoding="utf-8") as handle:
            handle.write(header + "Ann,One,,,Acme,")
            for _ in range(150):
                handle.write("x" * 1_000_000)
            handle.write(",05 May 2025\nBob,Two,,,Acme,CTO,05 May 2025\n")


def measure(
    size: int, runs: int, seed: int, tmp: Path, shape: str = "rich", rich: int = RICH, build: bool = True
) -> tuple[list[Row], dict]:
    work = tmp / f"size-{size}"
    vault = work / "vault"
    info = generate_vault(vault, size, seed, shape=shape, rich=rich)
    notes = [p for p in vault.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(vault).parts)]
    facts = {
        "files": len(notes),
        "megabytes": sum(p.stat().st_size for p in notes) / 1e6,
        "shape": shape,
        "thin": len(info.thin),
    }
    rows = rows_for(work, vault, info, size, build)
    err = work / "stderr.txt"
    if build:
        # Prepared outside the timed runs: the site the one-edit rebuild updates.
        run_child(netvault("build", "--out", str(work / "rebuild-out"), vault=vault), work, err)
    # Warm-up round, untimed: files into the page cache, bytecode compiled.
    for row in rows[:3]:
        if row.setup:
            row.setup(0)
        run_child(row.argv, work, err)
        if row.teardown:
            row.teardown()
    for round_ in range(runs):
        for row in rows:
            if row.setup:
                row.setup(round_)
            elapsed, rss, code = run_child(row.argv, work, err)
            if row.teardown:
                row.teardown()
            if code not in row.ok_codes:
                tail = err.read_text(errors="replace")[-2000:]
                raise SystemExit(f"{row.label} exited {code} at {size} contacts:\n{tail}")
            row.times.append(elapsed)
            row.rss.append(rss)
        print(f"  {size:,} contacts: round {round_ + 1}/{runs} done", file=sys.stderr, flush=True)
    return rows, facts


def table(size: int, rows: list[Row], facts: dict, runs: int) -> str:
    floor = statistics.median(rows[0].times)
    naive = statistics.median(rows[1].times)
    shape = ""
    if facts["shape"] == "imported":
        thin = facts["thin"]
        shape = f", imported shape: {thin:,} thin as `import linkedin` writes them + {size - thin:,} rich"
    lines = [
        (
            f"**{size:,} contacts**{shape} ({facts['files']:,} notes, {facts['megabytes']:.1f} MB of Markdown),"
            f" {runs} runs each, whole processes:"
        ),
        "",
        "| command | median | min–max | peak RSS | × floor | × naive |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        median = statistics.median(row.times)
        spread = f"{min(row.times):.2f}–{max(row.times):.2f} s"
        rss = f"{max(row.rss) / 1024:.0f} MB"
        lines.append(
            f"| {row.label} | {median:.2f} s | {spread} | {rss} | {median / floor:.1f} | {median / naive:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="contacts per vault")
    parser.add_argument("--runs", type=int, default=5, help="runs of every row (median, min, max)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 200 contacts, 2 runs (with --shape imported: 50 of them rich unless --rich)")
    parser.add_argument("--shape", choices=SHAPES, default="rich",
                        help="rich: every contact rich (default); imported: all but --rich of them thin,"
                        " as `netvault import linkedin` writes them")
    parser.add_argument("--rich", type=int, default=None, metavar="N",
                        help=f"--shape imported: rich contacts per vault (default {RICH:,}, or all if fewer)")
    parser.add_argument("--no-build", dest="build", action="store_false",
                        help="leave out the build rows (a build of 30,000 contacts takes ~50 s a run)")
    args = parser.parse_args()
    if args.rich is not None and args.rich < 0:
        parser.error("--rich must be 0 or more")
    if args.quick:
        args.sizes, args.runs = [200], 2
        if args.rich is None and args.shape == "imported":
            args.rich = 50  # else 200 contacts would all be rich
    if args.rich is None:
        args.rich = RICH
    try:
        import frontmatter  # noqa: F401
    except ImportError:
        raise SystemExit("the naive baseline needs python-frontmatter: pip install -e '.[test]'")
    version = subprocess.run(
        netvault("--version"), capture_output=True, text=True, check=True
    ).stdout.strip()
    began = time.perf_counter()
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="netvault-bench-") as tmp:
        for size in args.sizes:
            rows, facts = measure(size, args.runs, args.seed, Path(tmp), args.shape, args.rich, args.build)
            out += [table(size, rows, facts, args.runs), ""]
    cpus = os.cpu_count()
    out += [
        (
            f"{version}, Python {platform.python_version()}, {platform.system()} on {cpus} CPUs;"
            f" seed {args.seed}, today {TODAY}, shape {args.shape}"
            + (f" ({args.rich:,} rich)" if args.shape == "imported" else "")
            + ("" if args.build else ", no build rows")
            + f"; benchmark took {time.perf_counter() - began:.0f} s."
        ),
        "Median, min–max: wall-clock seconds of the whole process; peak RSS: the largest of the runs.",
        (
            "× floor and × naive: netvault's median over the median of the floor and the naive loop"
            " measured in the same rounds. Notes in the page cache."
        ),
        "",
        (
            "- first run: no `.netvault/cache/` (the run reads every note and writes the cache);"
            " warm: the cache a previous command left, the notes unchanged (or one changed just before the run); after a row that changed a note, the note is put back and one untimed command reads it, as the next command of a day would."
        ),
        "- `import linkedin`: a generated `Connections.csv` with as many rows as the vault has contacts,"
        " into an empty vault (the first run of the cache included), then the same file again.",
        "- `log` runs on the same contact every round; its file is restored between runs.",
        "- `show`, `log`, `intro` and the one changed note: a rich contact (2–3 KB, with a log), the same person"
        " in both shapes.",
    ]
    if args.build:
        out.append("- `build` after one edit: one contact changed since the last build (a line of notes appended).")
    if args.shape == "imported":
        out.append(
            "- imported shape: the thin contacts are the files `netvault import linkedin` writes (about 630 bytes:"
            " name, `circle: cold`, org, role, profile URL, `connected_on`, `source`, an empty log), in `people/`."
        )
    print("\n".join(out))


if __name__ == "__main__":
    main()

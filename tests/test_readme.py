"""Every ``$ netvault ...`` example in the README runs, and prints what the
README shows, so the README cannot drift from the program.

The examples run in order in a sandbox holding copies of ``example_vault/``,
``examples/`` and ``tests/fixtures/broken_vault/``; ``/tmp/my-network`` is a
copy of the example vault made where the README makes it.  An example given
without ``--vault`` runs in a copy of the example vault (the README's
examples are typed inside a vault); one given without ``--today`` gets
``--today 2026-11-22``, the day every example shows.  A shown line ``…`` or
``...`` stands for lines left out; without one, the output is shown whole.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from .conftest import REPO

README = REPO / "README.md"
DAY = "2026-11-22"
SKIPPED = {
    "watch": "runs until Ctrl-C",
    "adopt": "shows a vault of the reader's own (MyVault)",
}
NO_DATE = ("init", "add", "adopt", "--help", "--version")
# Examples that change the vault run in a copy of their own, so the
# examples that read it see the example vault as it is.
WRITES = ("log", "follow-up", "done", "snooze", "set", "unset", "move", "announce")
ELISION = {"…", "..."}


def examples() -> list[tuple[int, list[str], list[str]]]:
    """(README line, argv after 'netvault', the lines shown) per example."""
    text = README.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M):
        start = text.count("\n", 0, match.start(1)) + 1
        lines = match.group(1).splitlines()
        indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
        lines = [line[indent:] for line in lines]
        current = None
        for offset, line in enumerate(lines):
            if line.startswith("$ netvault"):
                current = (start + offset, shlex.split(line[len("$ netvault"):]), [])
                found.append(current)
            elif line.startswith("$ "):
                current = None
            elif current is not None:
                current[2].append(line)
    return found


def _normal(line: str) -> str:
    return re.sub(r"\d+\.\d+ s\b", "N s", line.rstrip())


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "example_vault", root / "example_vault")
    shutil.copytree(REPO / "examples", root / "examples")
    shutil.copytree(REPO / "tests" / "fixtures" / "broken_vault", root / "tests" / "fixtures" / "broken_vault")
    shutil.copytree(REPO / "example_vault", root / "inside")  # where examples without --vault run
    shutil.copytree(REPO / "example_vault", root / "edited")  # ... and those that change it
    return root


def _prepare(args: list[str], root: Path) -> list[str]:
    args = [str(root / "my-network") + a[len("/tmp/my-network"):] if a.startswith("/tmp/my-network") else a for a in args]
    if args[0] in ("init", "add"):
        return args  # typed in a new folder (see the test)
    if "--vault" not in args:
        args = [*args, "--vault", str(root / ("edited" if args[0] in WRITES else "inside"))]
    if args[0] not in NO_DATE and "--today" not in args:
        args = [*args, "--today", DAY]
    return args


def test_every_example_in_the_readme_prints_what_the_readme_shows(sandbox, run, monkeypatch):
    monkeypatch.chdir(sandbox)
    (sandbox / "new").mkdir()
    ran = 0
    problems = []
    for line, args, shown in examples():
        if args[0] in SKIPPED:
            continue
        if "/tmp/my-network" in " ".join(args) and not (sandbox / "my-network").exists():
            shutil.copytree(sandbox / "example_vault", sandbox / "my-network")
        monkeypatch.chdir(sandbox / "new" / ("my-network" if args[0] == "add" else "") if args[0] in ("init", "add") else sandbox)
        result = run(*_prepare(args, sandbox))
        ran += 1
        out = [_normal(x) for x in result.stdout.splitlines()]
        err = [_normal(x) for x in result.stderr.splitlines()]
        expected = [_normal(x) for x in shown if x.strip() and x.strip() not in ELISION]
        whole = not any(x.strip() in ELISION for x in shown)
        missing = [x for x in expected if x not in out and x not in err and x.strip() not in (o.strip() for o in out + err)]
        if missing:
            problems.append(f"README.md:{line}: netvault {' '.join(args)}: not printed: {missing[:3]}")
            continue
        if whole:
            extra = [x for x in out if x.strip() and x not in expected and x.strip() not in (e.strip() for e in expected)]
            if extra:
                problems.append(f"README.md:{line}: netvault {' '.join(args)}: printed but not shown: {extra[:3]}")
    assert ran >= 25
    assert problems == [], "\n".join(problems)

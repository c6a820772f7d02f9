"""Shared fixtures: vaults written from dicts, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from netvault.cli import main, options
from netvault.edit import timing

# Hypothesis's 200 ms deadline measures the machine, not the code: off.
settings.register_profile("netvault", deadline=None)
settings.load_profile("netvault")

TODAY = date(2026, 11, 22)
REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real public files (Obsidian vaults, LinkedIn, Google and vCard exports, with
# their sources in SOURCES.md): beside the repository, or where NETVAULT_CORPUS says.
CORPUS = Path(os.environ.get("NETVAULT_CORPUS") or REPO.parent / "shared" / "corpus")


def require_corpus(path: Path = CORPUS) -> Path:
    """``path`` in the corpus; a test without it is skipped, saying how to
    get it, except in CI (``CI=true``), where it fails: CI lays the corpus."""
    if not path.exists():
        message = (
            f"the public test corpus is not at {path}: put a copy of shared/corpus beside the "
            "repository (../shared/corpus) or set NETVAULT_CORPUS to one"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def corpus_files(folder: str, pattern: str) -> list[Path]:
    """The corpus files to parametrize a test over; when the corpus is not
    here, one stand-in, so the test runs and says so (never zero cases)."""
    found = sorted((CORPUS / folder).glob(pattern))
    return found or [CORPUS / folder / "(the corpus is not here)"]


def pytest_runtest_setup(item):
    if item.get_closest_marker("corpus"):
        require_corpus()


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


@pytest.fixture(autouse=True)
def quick_writes(request, monkeypatch):
    """In-process tests need not wait for files to settle or watch for late
    writers; tests marked ``real_timing`` (and every subprocess) keep the
    real delays."""
    if "real_timing" not in request.keywords:
        monkeypatch.setattr(timing, "QUIET_SECONDS", 0.0)
        monkeypatch.setattr(timing, "EMPTY_QUIET_SECONDS", 0.0)
        monkeypatch.setattr(timing, "WATCH_SECONDS", 0.0)
        monkeypatch.setattr(timing, "NEW_FILE_WATCH_SECONDS", 0.0)


@pytest.fixture(autouse=True)
def no_clock(request, monkeypatch):
    """Tests never read the clock: a command run without --today fails the
    test, unless it is marked ``clock`` (a test of what the default is)."""
    if "clock" in request.keywords:
        return

    def refuse():
        pytest.fail("the test reached the clock: give the command --today", pytrace=False)

    monkeypatch.setattr(options, "clock_today", refuse)


@pytest.fixture
def make_vault(tmp_path):
    """``make_vault({"people/Jane.md": "..."})`` -> the vault folder."""

    def make(files: dict[str, str | bytes], config: str | None = "") -> Path:
        root = tmp_path / "vault"
        root.mkdir(exist_ok=True)
        if config is not None:
            (root / "netvault.toml").write_text(config, encoding="utf-8")
        return write_files(root, files)

    return make


@pytest.fixture
def run(monkeypatch):
    """Invoke the CLI; returns click's Result (stdout, stderr, exit_code)."""
    monkeypatch.delenv("NETVAULT_VAULT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args: str, env: dict | None = None):
        runner = CliRunner()
        return runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)

    return invoke


class Disk:
    """A small file system of its own (tmpfs) mounted at ``path``: it fills
    up for real, and can be made read-only for real (even for root, whom
    file modes do not stop)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read_only(self, on: bool = True) -> None:
        subprocess.run(
            ["mount", "-o", f"remount,{'ro' if on else 'rw'}", str(self.path)], check=True, capture_output=True
        )

    def fill(self) -> None:
        """Use every free byte (the file ``.filler`` holds them)."""
        fd = os.open(self.path / ".filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 16, 1 << 10, 1):
                try:
                    while os.write(fd, b"\0" * size):
                        pass
                except OSError:
                    continue
        finally:
            os.close(fd)


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs at ``tmp_path / "disk"``; skipped where mounting is not
    allowed (not root, or no mount namespace rights)."""
    path = tmp_path / "disk"
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full or read-only disk needs root to mount a tmpfs")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield Disk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def python_steps(func, *args, **kwargs):
    """``(func's result, how many Python lines it ran)``: a count of work
    that is the same on a loaded machine and an idle one, for tests that
    bound how much work an input may cost (never the wall clock)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = func(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return result, count

"""What the golden files hold: the example vault's agenda in every format
and a chosen set of its built pages, rendered the way the tests compare
them.  Shared by the golden tests and by ``tests/update_golden.py``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner

from netvault.cli import main

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
EXAMPLE = REPO / "example_vault"
TODAY = "2026-11-22"
AGENDA_FORMATS = {"text": "agenda.txt", "markdown": "agenda.md", "html": "agenda.html", "json": "agenda.json"}
SITE_PAGES = [
    "index.html",
    "agenda.md",
    "netvault.ics",
    "network.html",
    "people.html",
    "people/Amara Nwosu.html",
    "people/Margaret Osei.html",
    "people/Tomás Ferreira.html",
]


def _run(*args: str):
    result = CliRunner().invoke(main, [*args, "--vault", str(EXAMPLE), "--today", TODAY], catch_exceptions=False)
    if result.exit_code != 0 or result.stderr:
        raise RuntimeError(f"netvault {' '.join(args)} failed: {result.output}")
    return result


def agenda_outputs() -> dict[str, bytes]:
    """golden-relative path -> bytes, for the agenda in every format."""
    return {name: _run("agenda", "--format", fmt).stdout_bytes for fmt, name in AGENDA_FORMATS.items()}


def site_outputs() -> dict[str, bytes]:
    """golden-relative path (``site/...``) -> bytes, for the chosen pages."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        _run("build", "--out", str(out))
        return {f"site/{rel}": (out / rel).read_bytes() for rel in SITE_PAGES}


def all_outputs() -> dict[str, bytes]:
    return {**agenda_outputs(), **site_outputs()}

"""The layout holds: one package per stage of the pipeline, the layers
checked by import-linter, no module lying flat in netvault/, no module over
500 lines without a reason, and library code that neither prints nor reads
the clock (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "netvault"
STAGES = ("values", "read", "playbook", "views", "edit", "interop", "site", "adopt", "cli")
LONG_MODULE = 500


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _lint_imports() -> str:
    beside = Path(sys.executable).with_name("lint-imports")
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    return found


def test_the_import_contracts_hold():
    result = subprocess.run(
        [_lint_imports(), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_lies_flat_in_the_package():
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert flat == [], f"put these in the package of their stage ({', '.join(STAGES)}): {flat}"


def test_the_packages_are_the_stages_and_each_says_what_it_never_imports():
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert packages == sorted(STAGES)
    for name in STAGES:
        docstring = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8")))
        assert docstring and "never" in docstring.casefold(), f"netvault/{name}/__init__.py"


def test_a_long_module_says_why_it_is_long():
    """Over 500 lines is allowed only with a reason in the docstring,
    a line starting "Long because"."""
    unexplained = []
    for path in _modules():
        text = path.read_text("utf-8")
        if text.count("\n") <= LONG_MODULE:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if not any(line.startswith("Long because") for line in docstring.splitlines()):
            unexplained.append(f"{path.relative_to(REPO)} ({text.count(chr(10))} lines)")
    assert unexplained == []


def _clock_and_print_calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "print":
            found.append((node.lineno, "print()"))
        elif isinstance(func, ast.Attribute) and func.attr in ("today", "now", "utcnow") and not node.args:
            found.append((node.lineno, f".{func.attr}()"))
    return sorted(found)


def test_library_code_never_prints_or_reads_the_date():
    """Only the command line prints and decides what day it is; the library
    takes ``today`` (or a ``now`` callable) as a parameter."""
    offenders = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("cli/"):
            continue
        for line, what in _clock_and_print_calls(ast.parse(path.read_text("utf-8"))):
            offenders.append(f"netvault/{rel}:{line}: {what}")
    assert offenders == []


def test_the_clock_check_sees_what_it_forbids():
    source = "from datetime import date\nprint(date.today())\nwhen = datetime.now()\nf = datetime.now\n"
    assert _clock_and_print_calls(ast.parse(source)) == [(2, ".today()"), (2, "print()"), (3, ".now()")]


def test_no_two_modules_differ_only_by_underscores():
    seen: dict[str, str] = {}
    for path in _modules():
        key = path.stem.replace("_", "")
        other = seen.setdefault(key, os.fspath(path.relative_to(REPO)))
        assert other == os.fspath(path.relative_to(REPO)) or path.stem == Path(other).stem, (other, path)

"""A disk that is full or read-only for real (a small tmpfs): every command
that writes ends with one line naming what could not be written, exit 1,
and every file as it was."""

from __future__ import annotations

import pytest

from .conftest import TODAY, write_files

JANE = "---\nname: Jane Doe\ncircle: buddy\nlast_contact: 2026-01-05\n---\n\n## Log\n- 2026-01-05 coffee\n"
BOB = "---\nname: Bob Roe\ncircle: strategic\ntags: [helped]\n---\n\n## Log\n- 2026-02-01 call #asked\n"

COMMANDS = [
    ("log", "Jane", "lunch"),
    ("log", "Jane", "Bob", "lunch"),
    ("set", "Jane", "org", "Acme"),
    ("unset", "Jane", "circle"),
    ("snooze", "Jane", "--until", "2026-12-20"),
    ("follow-up", "Jane", "2026-12-20", "send the deck"),
    ("move", "Jane", "--circle", "strategic"),
    ("announce", "--tag", "helped", "--news", "I joined Acme", "--log"),
]


@pytest.fixture
def full(run, small_disk):
    root = write_files(small_disk.path / "vault", {"netvault.toml": "", "people/Jane Doe.md": JANE, "people/Bob Roe.md": BOB})
    # netvault's own folder exists already, as in any vault used before
    assert run("log", "Bob", "hello", "--vault", root, "--today", TODAY).exit_code == 0
    before = {p: p.read_bytes() for p in (root / "people").iterdir()}
    small_disk.fill()
    return root, before


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_a_full_disk_is_one_line_and_no_file_changes(run, full, command):
    root, before = full
    result = run(*command, "--vault", root, "--today", TODAY)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "No space left on device" in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in (root / "people").iterdir()} == before
    assert not [p for p in root.rglob("*.netvault-tmp")]


def test_add_on_a_full_disk_is_one_line_and_creates_nothing(run, full):
    root, before = full
    result = run("add", "Carol Lee", "--circle", "cold", "--vault", root)
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (root / "people").iterdir()} == before


def test_a_read_only_vault_is_one_line_for_every_writing_command(run, small_disk):
    root = write_files(small_disk.path / "vault", {"netvault.toml": "", "people/Jane Doe.md": JANE, "people/Bob Roe.md": BOB})
    assert run("log", "Bob", "hello", "--vault", root, "--today", TODAY).exit_code == 0
    small_disk.read_only()
    try:
        for command in [*COMMANDS, ("build",), ("add", "Carol Lee")]:
            today = () if command[0] == "add" else ("--today", TODAY)
            result = run(*command, "--vault", root, *today)
            assert result.exit_code == 1, (command, result.output)
            assert "Traceback" not in result.output
            assert "Read-only file system" in result.stderr, (command, result.stderr)
    finally:
        small_disk.read_only(False)

"""The vault snapshot (``.netvault/cache/vault.json``): when every note is
as the last load left it, the problems across files and the contact read
from meeting and daily notes come from the snapshot instead of being worked
out again.  Whatever changes, a load with it equals a load without any
cache, contact for contact, problem for problem, interaction for
interaction."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from netvault.read import loader, pool
from netvault.read.loader import load_vault

from .conftest import REPO, TODAY
from .test_cache import age

SNAPSHOT = Path(".netvault") / "cache" / "vault.json"


def _generate(root: Path, count: int, **kwargs) -> None:
    spec = importlib.util.spec_from_file_location("benchmark_generate", REPO / "benchmark" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_generate"] = generate
    spec.loader.exec_module(generate)
    generate.generate_vault(root, count, **kwargs)


@pytest.fixture
def worked_out(monkeypatch):
    """How many loads worked the whole vault out (rather than taking the snapshot)."""
    calls = []
    real = loader._whole_vault

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(loader, "_whole_vault", counting)
    return calls


@pytest.fixture
def vault(tmp_path):
    root = tmp_path / "generated"
    _generate(root, 120)
    (root / "people" / "Broken.md").write_text("---\ncircle: [unclosed\n---\n", encoding="utf-8")
    age(root)
    return root


def assert_snapshot_equals_full_read(root: Path, worked_out: list, today: date = TODAY) -> None:
    load_vault(root, today, cache=True)  # reads what changed, writes the snapshot
    worked_out.clear()
    warm = load_vault(root, today, cache=True)
    assert worked_out == [], "the snapshot was not used"
    cold = load_vault(root, today, cache=False)
    assert warm.contacts == cold.contacts
    assert warm.problems == cold.problems
    assert warm.interactions == cold.interactions
    assert warm.names.by_key == cold.names.by_key


def test_an_unchanged_vault_is_answered_from_the_snapshot(vault, worked_out):
    assert_snapshot_equals_full_read(vault, worked_out)
    data = json.loads((vault / SNAPSHOT).read_text())
    assert data["problems"] and data["interactions"]  # the generated vault has both


@pytest.mark.parametrize("days", [-400, -30, 0, 1, 365])
def test_meeting_notes_count_up_to_the_day_asked(vault, worked_out, days):
    """One snapshot serves every day: a meeting note dated after the day
    asked is not contact yet."""
    load_vault(vault, TODAY, cache=True)
    day = TODAY + timedelta(days=days)
    assert_snapshot_equals_full_read(vault, worked_out, day)
    found = load_vault(vault, day, cache=True).interactions
    assert all(event.date <= day for events in found.values() for event in events)
    assert all(events for events in found.values())


def _contacts(root: Path) -> list[Path]:
    return sorted((root / "people").rglob("*.md"))


def _meeting_notes(root: Path) -> list[Path]:
    notes = [p for p in root.rglob("*.md") if "meetings" in p.parts[len(root.parts):][:1]]
    assert notes, "the generated vault has meeting notes"
    return sorted(notes)


CHANGES = {
    "a contact renamed in its frontmatter to another's name": lambda root: _rename_to_other(root),
    "a contact deleted": lambda root: _contacts(root)[3].unlink(),
    "a contact's file renamed": lambda root: _contacts(root)[4].rename(_contacts(root)[4].with_name("Renamed Person.md")),
    "a meeting note added": lambda root: (_meeting_notes(root)[0].parent / "2026-11-20 New.md").write_text(
        "---\ndate: 2026-11-20\n---\nWith [[" + _contacts(root)[5].stem + "]] and [[Nobody Known Here]].\n"
    ),
    "a meeting note removed": lambda root: _meeting_notes(root)[0].unlink(),
    "a meeting note redated": lambda root: _redate(_meeting_notes(root)[1]),
    "the settings changed": lambda root: (root / "netvault.toml").write_text(
        (root / "netvault.toml").read_text() + "\n[agenda]\ndays = 30\n"
    ),
    "the daily notes' format changed": lambda root: _daily_format(root),
    "a contact's priority beyond the top ten": lambda root: _contacts(root)[6].write_text(
        _contacts(root)[6].read_text().replace("---\n", "---\npriority: 11\n", 1)
    ),
}


SETTINGS_ONLY = {"the settings changed", "the daily notes' format changed"}  # no note touched


def _rename_to_other(root: Path) -> None:
    first, second = _contacts(root)[:2]
    text = second.read_text()
    lines = [line for line in text.splitlines() if line.startswith("name:")]
    replacement = f"name: {first.stem}"
    second.write_text(text.replace(lines[0], replacement, 1) if lines else text.replace("---\n", f"---\n{replacement}\n", 1))


def _redate(note: Path) -> None:
    note.write_text(re.sub(r"(?m)^date: .*$", "date: 2019-01-01", note.read_text(), count=1))


def _daily_format(root: Path) -> None:
    settings = root / ".obsidian" / "daily-notes.json"
    data = json.loads(settings.read_text()) if settings.exists() else {}
    data["format"] = "YYYY/YYYY-DD-MM"  # 2026-01-05.md: 1 May, not 5 January
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(json.dumps(data))


@pytest.mark.parametrize("change", list(CHANGES))
def test_after_any_change_the_snapshot_path_equals_a_full_read(vault, worked_out, change):
    assert_snapshot_equals_full_read(vault, worked_out)
    before = load_vault(vault, TODAY, cache=False)
    CHANGES[change](vault)
    if change not in SETTINGS_ONLY:
        age(vault)  # as notes are between two runs (every note's identity moves)
    after = load_vault(vault, TODAY, cache=False)
    assert (before.contacts, before.problems, before.interactions) != (
        after.contacts,
        after.problems,
        after.interactions,
    ), "a change that matters"
    load_vault(vault, TODAY, cache=True)
    assert worked_out, "a changed vault must be worked out again"
    assert_snapshot_equals_full_read(vault, worked_out)


@pytest.mark.parametrize(
    "damage",
    [
        b"not json",
        b"[]",
        b'{"netvault": 1}',
        "swap",  # the right key and notes, values of the wrong types
        "empty",  # a contact with an empty list of interactions
    ],
)
def test_a_damaged_snapshot_is_worked_out_again(vault, worked_out, damage):
    load_vault(vault, TODAY, cache=True)
    path = vault / SNAPSHOT
    data = json.loads(path.read_text())
    if damage == "swap":
        data["problems"] = [[1, "x", None, 2]]
    elif damage == "empty":
        data["interactions"][next(iter(data["interactions"]))] = []
    path.write_bytes(damage if isinstance(damage, bytes) else json.dumps(data).encode())
    worked_out.clear()
    warm = load_vault(vault, TODAY, cache=True)
    assert worked_out == [1]
    assert warm.problems == load_vault(vault, TODAY, cache=False).problems
    assert_snapshot_equals_full_read(vault, worked_out)


def test_no_snapshot_while_a_note_was_changed_just_now(vault, worked_out):
    _contacts(vault)[0].write_text(_contacts(vault)[0].read_text() + "\nmore\n")  # mtime: now
    load_vault(vault, TODAY, cache=True)
    assert not (vault / SNAPSHOT).exists()
    worked_out.clear()
    load_vault(vault, TODAY, cache=True)
    assert worked_out == [1]


# ---------------------------------------------------------------------------
# Many notes to read: a pool of processes, the same vault


class RecordingPool(pool.ProcessPoolExecutor):
    started: list[int] = []

    def __init__(self, workers, **kwargs):
        RecordingPool.started.append(workers)
        super().__init__(workers, **kwargs)


class NoProcesses:
    def __init__(self, *args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")


@pytest.mark.skipif(pool.cores() < 2, reason="one core")
def test_many_notes_are_read_by_a_pool_with_the_same_result(vault, monkeypatch):
    serial = load_vault(vault, TODAY, cache=False)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 10)
    monkeypatch.setattr(loader, "CHUNK", 7)
    monkeypatch.setattr(pool, "ProcessPoolExecutor", RecordingPool)
    RecordingPool.started.clear()
    pooled = load_vault(vault, TODAY, cache=True)
    assert RecordingPool.started and RecordingPool.started[0] >= 2
    assert (pooled.contacts, pooled.problems, pooled.interactions) == (
        serial.contacts,
        serial.problems,
        serial.interactions,
    )
    warm = load_vault(vault, TODAY, cache=True)  # what the pool read was cached
    assert warm.contacts == serial.contacts


def test_where_no_process_can_start_the_notes_are_read_here(vault, monkeypatch):
    serial = load_vault(vault, TODAY, cache=False)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 10)
    monkeypatch.setattr(pool, "cores", lambda: 2)
    monkeypatch.setattr(pool, "ProcessPoolExecutor", NoProcesses)
    assert load_vault(vault, TODAY, cache=False).contacts == serial.contacts


def test_few_items_or_other_threads_are_worked_on_in_this_process(monkeypatch):
    monkeypatch.setattr(pool, "cores", lambda: 4)
    assert pool.workers(999, 1000) == 1
    assert pool.workers(1000, 1000) == 2
    assert pool.workers(10_000, 1000) == 4
    monkeypatch.setattr(pool.threading, "active_count", lambda: 2)
    assert pool.workers(10_000, 1000) == 1
    assert pool.fork_map(str, list(range(10_000)), 1000, 100) is None


def test_a_pool_gives_results_in_order_and_raises_where_a_worker_failed(monkeypatch):
    monkeypatch.setattr(pool, "cores", lambda: 2)
    squares = pool.fork_map(lambda n: n * n, list(range(50)), 10, 3)
    assert list(squares) == [n * n for n in range(50)]

    def fails_at_7(n):
        if n == 7:
            raise ValueError("seven")
        return n

    found = pool.fork_map(fails_at_7, list(range(20)), 10, 3)
    with pytest.raises(ValueError, match="seven"):
        list(found)

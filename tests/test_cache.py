"""The read cache in .netvault/cache/: used when notes are unchanged, never
trusted over them.  Every test compares netvault's output with the cache to
its output without it (``--no-cache``) on the same files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netvault.read import cache as note_cache
from netvault.read import loader
from netvault.read.loader import load_vault

from .conftest import REPO, TODAY

FOLDER = Path(".netvault") / "cache"
NAMES = FOLDER / "names.json"
DAY = 86_400


def cached(root: Path) -> set[str]:
    """The notes the cache holds."""
    shards = sorted((root / FOLDER).glob("notes-*.json"))
    held = set()
    for shard in shards:
        held.update(json.loads(shard.read_text())["notes"])
    names = json.loads((root / NAMES).read_text())["notes"]
    # names.json also lists notes changed just now, marked for completion only
    assert held == {rel for rel, entry in names.items() if len(entry) == 6}
    assert all(entry[6:] == ["unsettled"] for entry in names.values() if len(entry) != 6)
    return held


def age(root: Path, seconds: int = DAY) -> None:
    """Date every note back, as notes are between two runs on a real vault
    (notes changed in the last seconds are never cached)."""
    then = time.time() - seconds
    for path in root.rglob("*.md"):
        if not path.is_symlink():
            os.utime(path, (then, then))


@pytest.fixture
def vault(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example_vault", root)
    shutil.rmtree(root / ".netvault" / "cache", ignore_errors=True)
    age(root)
    return root


def agenda(run, root: Path, *extra: str) -> str:
    result = run("agenda", "--vault", root, "--today", TODAY.isoformat(), "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return result.output


def assert_same(run, root: Path) -> None:
    """The agenda and check with the cache equal both without it."""
    cached = agenda(run, root)
    assert cached == agenda(run, root, "--no-cache")
    assert run("check", "--vault", root, "--today", TODAY.isoformat()).output == run(
        "check", "--vault", root, "--today", TODAY.isoformat(), "--no-cache"
    ).output


@pytest.fixture
def parsed(monkeypatch):
    """The notes the loader actually read in the last loads."""
    seen: list[str] = []
    real = loader._read_note

    def counting(root, rel, *args):
        seen.append(rel)
        return real(root, rel, *args)

    monkeypatch.setattr(loader, "_read_note", counting)
    return seen


def test_a_second_run_reads_no_unchanged_note(vault, run, parsed):
    first = agenda(run, vault)
    assert len(cached(vault)) > 30
    read_first = len(parsed)
    assert read_first > 30
    parsed.clear()
    assert agenda(run, vault) == first
    assert parsed == []
    assert agenda(run, vault, "--no-cache") == first
    assert len(parsed) == read_first


def test_the_cache_keeps_itself_out_of_git(vault, run):
    agenda(run, vault)
    assert (vault / ".netvault" / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(vault)], check=True)
        status = subprocess.run(
            ["git", "-C", str(vault), "status", "--porcelain", "--untracked-files=all"],
            capture_output=True, text=True, check=True,
        ).stdout
        assert ".netvault/cache" not in status


def test_no_cache_neither_reads_nor_writes_it(vault, run, parsed):
    agenda(run, vault, "--no-cache")
    assert not (vault / FOLDER).exists()
    result = run("agenda", "--vault", vault, "--today", TODAY.isoformat(), env={"NETVAULT_NO_CACHE": "1"})
    assert result.exit_code == 0
    assert not (vault / FOLDER).exists()
    assert "--no-cache" in run("agenda", "--help").output


def test_an_edited_note_is_read_again(vault, run, parsed):
    agenda(run, vault)
    jane = vault / "people" / "Priya Raman.md"
    text = jane.read_text(encoding="utf-8")
    jane.write_text(text.replace("circle: strategic", "circle: buddy"), encoding="utf-8")
    age(vault)
    parsed.clear()
    assert_same(run, vault)
    assert "people/Priya Raman.md" in parsed


def test_deleted_and_renamed_notes(vault, run):
    agenda(run, vault)
    (vault / "people" / "Ben Hollis.md").unlink()
    (vault / "people" / "Priya Raman.md").rename(vault / "people" / "Priya R.md")
    assert_same(run, vault)
    assert "people/Ben Hollis.md" not in cached(vault)
    assert "people/Priya R.md" in cached(vault)


def test_touch_without_change(vault, run, parsed):
    before = agenda(run, vault)
    os.utime(vault / "people" / "Priya Raman.md")
    parsed.clear()
    assert agenda(run, vault) == before
    assert parsed == ["people/Priya Raman.md"]


def test_same_size_and_mtime_but_other_bytes(vault, run):
    """A coarse-mtime filesystem: the content changes, the size and mtime do
    not.  The ctime (which no program can set back) still tells."""
    agenda(run, vault)
    jane = vault / "people" / "Priya Raman.md"
    info = jane.stat()
    text = jane.read_text(encoding="utf-8")
    assert "circle: strategic" in text
    jane.write_text(text.replace("circle: strategic", "circle: buddy    "), encoding="utf-8")
    os.utime(jane, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert jane.stat().st_size == info.st_size and jane.stat().st_mtime_ns == info.st_mtime_ns
    assert_same(run, vault)
    priya = next(c for c in load_vault(vault, TODAY, cache=True).contacts if c.name == "Priya Raman")
    assert priya.circle == "buddy"


def test_notes_changed_just_now_or_in_the_future_are_not_stored(vault, run):
    jane = vault / "people" / "Priya Raman.md"
    omar = vault / "people" / "Ben Hollis.md"
    future = time.time() + 10 * DAY
    os.utime(jane, (future, future))
    omar.write_bytes(omar.read_bytes())  # mtime: now
    agenda(run, vault)
    notes = cached(vault)
    assert "people/Priya Raman.md" not in notes
    assert "people/Ben Hollis.md" not in notes
    assert "people/Chen Wei.md" in notes
    # same size, future mtime kept: still read from the file
    text = jane.read_text(encoding="utf-8").replace("circle: strategic", "circle: lukewarm")
    jane.write_text(text, encoding="utf-8")
    os.utime(jane, (future, future))
    assert_same(run, vault)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated: a write cut off
        lambda data: b"\x00\xff garbage \x81" * 50,
        lambda data: b"",
        lambda data: b"[1, 2, 3]",
        lambda data: b'{"netvault": "another version", "notes": {}}',
        lambda data: b"[" * 100_000,  # nested past what the JSON reader recurses
    ],
    ids=["truncated", "garbage", "empty", "not-a-mapping", "other-version", "deep"],
)
def test_a_damaged_cache_is_rebuilt_silently(vault, run, parsed, damage):
    before = agenda(run, vault)
    files = [*(vault / FOLDER).glob("notes-*.json"), vault / NAMES]
    for path in files:
        path.write_bytes(damage(path.read_bytes()))
    result = run("agenda", "--vault", vault, "--today", TODAY.isoformat(), "--format", "json")
    assert result.exit_code == 0 and result.output == before and result.stderr == ""
    assert len(cached(vault)) > 30  # rewritten whole
    parsed.clear()
    assert agenda(run, vault) == before and parsed == []


def test_entries_that_do_not_decode_are_misses(vault, run):
    """A cache whose identities match but whose values are nonsense (a
    hostile or buggy writer) is never believed over the notes."""
    before = agenda(run, vault)
    for path in (vault / FOLDER).glob("notes-*.json"):
        data = json.loads(path.read_text())
        for entry in data["notes"].values():
            record = entry[5]
            if record[0] is not None:
                record[0][0] = ["not", "a", "name"]  # the name
                record[0][20] = [[1], [None], ["x"], ["y"], [1]]  # a log entry with a line "y"
            record[1] = [[None, "error", 3]]
        path.write_text(json.dumps(data))
    names = json.loads((vault / NAMES).read_text())
    for entry in names["notes"].values():
        entry[5] = [{"a": 1}, "aliases", None]
    (vault / NAMES).write_text(json.dumps(names))
    assert agenda(run, vault) == before
    assert run("log", "Priya Raman", "coffee", "--vault", vault, "--today", TODAY.isoformat()).exit_code == 0


def test_a_cache_for_other_settings_is_not_used(vault, run, parsed):
    agenda(run, vault)
    with open(vault / "netvault.toml", "a", encoding="utf-8") as config:
        config.write('\n[fields]\n"company" = "org"\n')
    parsed.clear()
    assert_same(run, vault)
    assert len(parsed) > 30


def test_a_cache_from_another_netvault_build_is_not_used(vault, run, parsed, monkeypatch):
    before = agenda(run, vault)
    monkeypatch.setattr(note_cache, "FORMAT", note_cache.FORMAT + 1)
    parsed.clear()
    assert agenda(run, vault) == before
    assert len(parsed) > 30


def test_a_note_replaced_by_a_symlink(vault, run):
    agenda(run, vault)
    jane = vault / "people" / "Priya Raman.md"
    other = vault / "notes" / "elsewhere.md"
    other.parent.mkdir(exist_ok=True)
    other.write_text("---\ncircle: buddy\nname: Priya Raman\n---\n", encoding="utf-8")
    jane.unlink()
    jane.symlink_to(other)
    age(vault)
    assert_same(run, vault)
    assert "buddy" in agenda(run, vault)


def test_a_cache_folder_that_cannot_be_written(vault, run):
    """A vault netvault cannot write to is read without a cache."""
    (vault / ".netvault").mkdir(exist_ok=True)
    (vault / ".netvault" / "cache").write_text("a file where the folder should be")
    assert_same(run, vault)
    assert (vault / ".netvault" / "cache").read_text() == "a file where the folder should be"


def test_a_cache_folder_that_is_a_link_is_never_written_through(vault, run, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault / ".netvault").mkdir(exist_ok=True)
    (vault / ".netvault" / "cache").symlink_to(outside, target_is_directory=True)
    assert_same(run, vault)
    assert list(outside.iterdir()) == []


def test_cached_load_equals_uncached_load_in_full(tmp_path):
    """Contact for contact, problem for problem, interaction for interaction,
    on a generated vault with every field and log shape, meeting and daily
    notes, duplicate names and broken notes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark_generate", REPO / "benchmark" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_generate"] = generate
    spec.loader.exec_module(generate)
    root = tmp_path / "generated"
    generate.generate_vault(root, 150)
    (root / "people" / "Broken.md").write_text("---\ncircle: [unclosed\n---\n", encoding="utf-8")
    age(root)
    cold = load_vault(root, TODAY, cache=False)
    load_vault(root, TODAY, cache=True)
    warm = load_vault(root, TODAY, cache=True)
    assert warm.contacts == cold.contacts
    assert warm.problems == cold.problems
    assert warm.interactions == cold.interactions
    assert len(cached(root)) == cold.notes
    # the day-dependent warnings follow the day asked, not the day cached
    later = load_vault(root, TODAY.replace(year=TODAY.year - 3), cache=True)
    assert later.problems == load_vault(root, TODAY.replace(year=TODAY.year - 3), cache=False).problems


_WRITER = """
import sys
from datetime import date
from netvault.read.loader import load_vault
for _ in range(int(sys.argv[2])):
    load_vault(sys.argv[1], date(2026, 11, 22), cache=True)
"""


def test_processes_writing_the_cache_at_once_leave_it_whole(vault):
    """Real processes, each loading (and so rewriting) the cache repeatedly
    while notes change under them: the file is always whole JSON."""
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(vault), "6"], cwd=REPO)
        for _ in range(4)
    ]
    notes = sorted((vault / "people").glob("*.md"))
    while any(p.poll() is None for p in procs):
        for path in notes[:5]:
            path.write_bytes(path.read_bytes())
            os.utime(path, (time.time() - DAY, time.time() - DAY))
        for path in (vault / FOLDER).glob("*.json"):
            json.loads(path.read_text())  # never half-written
        time.sleep(0.01)
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert not [p for p in (vault / FOLDER).iterdir() if p.name.endswith(".tmp")]
    assert load_vault(vault, TODAY, cache=True).contacts == load_vault(vault, TODAY, cache=False).contacts


def test_one_edit_rewrites_one_shard(vault, run):
    agenda(run, vault)
    shards = {p.name: p.stat().st_mtime_ns for p in (vault / FOLDER).glob("notes-*.json")}
    assert len(shards) > 10
    time.sleep(0.01)
    priya = vault / "people" / "Priya Raman.md"
    priya.write_text(priya.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    os.utime(priya, (time.time() - DAY, time.time() - DAY))
    agenda(run, vault)
    changed = [name for name, ns in shards.items() if (vault / FOLDER / name).stat().st_mtime_ns != ns]
    assert len(changed) == 1


def test_log_reads_only_the_contact_it_edits(vault, run, parsed, monkeypatch):
    agenda(run, vault)
    read: list[str] = []
    real = loader.load_contact_file
    monkeypatch.setattr(loader, "load_contact_file", lambda root, rel, *a: read.append(rel) or real(root, rel, *a))
    parsed.clear()
    result = run("log", "Priya Raman", "coffee", "--vault", vault, "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert parsed == [] and read == ["people/Priya Raman.md"]
    assert "- 2026-11-22 coffee" in (vault / "people" / "Priya Raman.md").read_text(encoding="utf-8")


def test_log_sees_names_changed_since_the_cache(vault, run):
    """A renamed person, and a new note taking a name: the names of changed
    and new notes are read from the notes, not the cache."""
    agenda(run, vault)
    ben = vault / "people" / "Ben Hollis.md"
    text = ben.read_text(encoding="utf-8")
    assert "name: Ben Hollis" in text
    ben.write_text(text.replace("name: Ben Hollis", "name: Benjamin Hollis"), encoding="utf-8")
    result = run("log", "Benjamin Hollis", "call", "--vault", vault, "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert "Ben Hollis.md" in result.output
    agenda(run, vault)
    (vault / "people" / "B H.md").write_text("---\ncircle: cold\nname: Benjamin Hollis\n---\n", encoding="utf-8")
    result = run("log", "Benjamin Hollis", "call", "--vault", vault, "--today", TODAY.isoformat())
    assert result.exit_code != 0
    assert "B H.md" in result.output and "Ben Hollis.md" in result.output


def test_an_edit_is_checked_against_the_others_as_check_would(tmp_path):
    """The one-contact check an edit runs finds exactly what the whole-vault
    check finds on that contact, on a vault with shared names and links."""
    import importlib.util

    from netvault.read.crosscheck import cross_check, cross_check_one
    from netvault.read.names import NameIndex

    spec = importlib.util.spec_from_file_location("benchmark_generate", REPO / "benchmark" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_generate"] = generate
    spec.loader.exec_module(generate)
    root = tmp_path / "generated"
    generate.generate_vault(root, 300)
    contacts = list(load_vault(root, TODAY, cache=False).contacts)
    whole = cross_check(contacts)
    assert any("is also the name of" in p.message for p in whole)
    for contact in contacts:
        others = NameIndex(c for c in contacts if c is not contact)
        assert sorted(cross_check_one(contact, others)) == sorted(p for p in whole if p.path == contact.path)

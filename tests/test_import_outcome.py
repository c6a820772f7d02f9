"""An import's summary counts only what is on disk."""

from __future__ import annotations

from .conftest import TODAY, write_files

ROWS = "".join(
    f"{first},Tester,https://www.linkedin.com/in/{first.lower()}-tester,,Acme,Engineer,05 May 2025\n"
    for first in ("Ann", "Ben", "Cat", "Dan", "Eve")
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _export(tmp_path, rows: str = ROWS):
    export = tmp_path / "Connections.csv"
    export.write_text(HEADER + rows, encoding="utf-8")
    return export


def test_a_read_only_vault_imports_nothing_and_says_so(run, small_disk, tmp_path):
    root = write_files(small_disk.path / "vault", {"netvault.toml": "", "people/Old Friend.md": "---\ncircle: cold\n---\n"})
    export = _export(tmp_path)
    small_disk.read_only()
    try:
        # a vault never written to has no .netvault/ for the record: refused up front
        first = run("import", "linkedin", export, "--vault", root, "--today", TODAY)
        assert first.exit_code == 1
        assert "cannot create .netvault/: Read-only file system" in first.stderr and first.stdout == ""
        small_disk.read_only(False)
        (root / ".netvault").mkdir()
        small_disk.read_only()
        result = run("import", "linkedin", export, "--vault", root, "--today", TODAY)
    finally:
        small_disk.read_only(False)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("linkedin: imported 0 new, 0 updated")
    assert "  new:" not in result.stdout
    assert result.stderr.count("error: ") == 5 and "Read-only file system" in result.stderr
    assert "the contacts are" not in result.stderr and "written are on disk" not in result.stderr
    assert sorted(p.name for p in (root / "people").iterdir()) == ["Old Friend.md"]


def test_a_dangling_link_in_the_way_is_not_counted_as_new(run, make_vault, tmp_path):
    vault = make_vault({})
    (vault / "people").mkdir()
    (vault / "people" / "Ann Tester.md").symlink_to(tmp_path / "nowhere.md")
    result = run("import", "linkedin", _export(tmp_path), "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert "imported 4 new" in result.stdout
    assert "new: people/Ann Tester.md" not in result.stdout
    assert "people/Ann Tester.md" in result.stderr
    assert not (tmp_path / "nowhere.md").exists()
    assert "(the 4 contacts written are on disk" not in result.stderr  # the record was written
    again = run("import", "linkedin", _export(tmp_path), "--vault", vault, "--today", TODAY)
    assert "0 new" in again.stdout and "4 unchanged" in again.stdout or "unchanged" in again.stdout

"""``.netvault/`` is netvault's own folder: when it (or its cache folder) is a
link, no command writes through it, and nothing read through it is trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netvault.read.ownfolder import OwnFolderError, own_folder

from .conftest import TODAY

JANE = "---\nname: Jane Doe\ncircle: buddy\nlast_contact: 2026-01-05\n---\n\n## Log\n"


@pytest.fixture
def linked(make_vault, tmp_path) -> tuple[Path, Path]:
    vault = make_vault({"people/Jane Doe.md": JANE})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (vault / ".netvault").symlink_to(elsewhere)
    return vault, elsewhere


def _connections(tmp_path: Path) -> Path:
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ola,Nordmann,https://www.linkedin.com/in/ola,,Acme,CTO,05 May 2025\n",
        encoding="utf-8",
    )
    return export


def test_import_refuses_before_writing_anything(run, linked, tmp_path):
    vault, elsewhere = linked
    result = run("import", "linkedin", _connections(tmp_path), "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert ".netvault in the vault is a link; netvault keeps its own files there" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in (vault / "people").iterdir()) == ["Jane Doe.md"]


def test_log_refuses_and_writes_nothing(run, linked):
    vault, elsewhere = linked
    result = run("log", "Jane", "coffee", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1 and "is a link" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert (vault / "people" / "Jane Doe.md").read_text() == JANE


def test_reading_commands_neither_write_a_cache_there_nor_read_one_planted_there(run, linked):
    vault, elsewhere = linked
    (elsewhere / "cache").mkdir()
    planted = {"netvault": "x", "notes": {"people/Jane Doe.md": "anything"}}
    (elsewhere / "cache" / "notes-00.json").write_text(json.dumps(planted))
    before = sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*"))
    assert run("agenda", "--vault", vault, "--today", TODAY).exit_code == 0
    assert run("build", "--vault", vault, "--today", TODAY).exit_code == 0
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == before


def test_a_linked_cache_folder_inside_a_real_one_is_not_written(run, make_vault, tmp_path):
    vault = make_vault({"people/Jane Doe.md": JANE})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (vault / ".netvault").mkdir()
    (vault / ".netvault" / "cache").symlink_to(elsewhere)
    assert run("agenda", "--vault", vault, "--today", TODAY).exit_code == 0
    assert run("build", "--vault", vault, "--today", TODAY).exit_code == 0
    assert list(elsewhere.iterdir()) == []


def test_own_folder_makes_plain_folders_and_refuses_anything_else(tmp_path):
    assert own_folder(tmp_path, "cache") == tmp_path / ".netvault" / "cache"
    assert (tmp_path / ".netvault" / "cache").is_dir()
    other = tmp_path / "other"
    other.mkdir()
    (other / ".netvault").write_text("a file")
    with pytest.raises(OwnFolderError, match="is not a folder"):
        own_folder(other)
    with pytest.raises(FileNotFoundError):
        own_folder(tmp_path / "missing", create=False)

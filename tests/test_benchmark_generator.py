"""The benchmark's vault generator: deterministic, realistic, and loadable."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

from netvault.read.loader import load_vault
from netvault.values.problems import ERROR, WARNING

_SCRIPT = Path(__file__).resolve().parent.parent / "benchmark" / "generate.py"


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("benchmark_generate", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_seed_gives_a_byte_identical_vault(generate, tmp_path):
    generate.generate_vault(tmp_path / "a", 300, seed=7)
    generate.generate_vault(tmp_path / "b", 300, seed=7)
    generate.generate_vault(tmp_path / "c", 300, seed=8)
    first = _digest(tmp_path / "a")
    assert first == _digest(tmp_path / "b")
    assert first != _digest(tmp_path / "c")


def test_the_vault_loads_with_only_the_intended_duplicate_names(generate, tmp_path):
    info = generate.generate_vault(tmp_path, 300, seed=1)
    vault = load_vault(tmp_path, generate.TODAY)
    warnings = [p for p in vault.problems if p.severity == WARNING]
    # Two twins (the minimum), each reported from both of its files.
    assert len(warnings) == 4
    assert all("is also the name of" in p.message for p in warnings), warnings
    assert not [p for p in vault.problems if p.severity == ERROR]
    assert len(vault.contacts) == 302  # 300 people plus the two twins
    assert vault.interactions  # meeting and daily notes count as contact
    by_path = {c.path: c for c in vault.contacts}
    name, path = info.sample(0)
    assert by_path[path].name == name


def test_contacts_are_1_to_4_kb_with_every_field(generate, tmp_path):
    generate.generate_vault(tmp_path, 300, seed=1)
    vault = load_vault(tmp_path, generate.TODAY)
    sizes = [(tmp_path / c.path).stat().st_size for c in vault.contacts]
    assert 1024 <= min(sizes) and max(sizes) <= 4096
    text = "".join((tmp_path / c.path).read_text(encoding="utf-8") for c in vault.contacts)
    for key in (
        "name:", "aliases:", "circle:", "origin:", "org:", "role:", "email:", "phone:", "linkedin:",
        "channels:", "cadence:", "last_contact:", "priority:", "snooze_until:", "follow_up:",
        "introduced_by:", "knows:", "goals:", "birthday:", "tags:", "address:", "zip:", "status:",
    ):
        assert f"\n{key}" in text, key
    for shape in ("#gave", "#asked", "#planned", " moved ", "\n* ", "\n### Log", "\n```"):
        assert shape in text, shape
    # Contacts by folder (nested), by `circle:` alone and by `type: contact`.
    folders = {c.path.rsplit("/", 1)[0] for c in vault.contacts}
    assert {"clients", "crm/contacts", "people/duplicates"} <= folders
    assert any(f.count("/") >= 2 and f.startswith("people/") for f in folders)


def test_dot_folders_and_other_notes_are_not_contacts(generate, tmp_path):
    generate.generate_vault(tmp_path, 300, seed=1)
    vault = load_vault(tmp_path, generate.TODAY)
    assert (tmp_path / ".trash").is_dir() and (tmp_path / ".obsidian" / "daily-notes.json").is_file()
    assert not [c for c in vault.contacts if c.path.startswith((".", "templates/", "projects/"))]
    # Daily notes from .obsidian/daily-notes.json and meeting notes both link people.
    sources = {i.source.split("/", 1)[0] for found in vault.interactions.values() for i in found}
    assert sources == {"meetings", "journal"}

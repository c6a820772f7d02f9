"""A cache planted in a shared or cloned vault can neither redirect an edit
nor crash a command: an edit confirms from the file itself that it is the
person named, and decoded values are checked like the notes' own."""

from __future__ import annotations

import json

import pytest

from .test_cache import FOLDER, NAMES, TODAY, agenda, vault  # noqa: F401 (fixtures)


def _plant_name(root, path: str, name: str) -> None:
    names = json.loads((root / NAMES).read_text())
    names["notes"][path][5][0] = name
    (root / NAMES).write_text(json.dumps(names))


def test_a_planted_name_cannot_redirect_a_log_into_another_file(vault, run):
    agenda(run, vault)
    olivia = vault / "people" / "Priya Raman.md"
    before = olivia.read_bytes()
    _plant_name(vault, "people/Priya Raman.md", "Zed Unique")
    result = run("log", "Zed Unique", "coffee", "--vault", vault, "--today", TODAY.isoformat())
    assert result.exit_code == 1
    assert "'Zed Unique' is not a contact in this vault" in result.stderr
    assert olivia.read_bytes() == before
    # the person herself is still found, and logged for
    assert run("log", "Priya Raman", "coffee", "--vault", vault, "--today", TODAY.isoformat()).exit_code == 0
    assert "- 2026-11-22 coffee" in olivia.read_text(encoding="utf-8")


def test_a_planted_alias_is_not_believed_either(vault, run):
    agenda(run, vault)
    names = json.loads((vault / NAMES).read_text())
    names["notes"]["people/Priya Raman.md"][5][1] = ["Boss"]
    (vault / NAMES).write_text(json.dumps(names))
    before = (vault / "people" / "Priya Raman.md").read_bytes()
    result = run("log", "Boss", "coffee", "--vault", vault, "--today", TODAY.isoformat())
    assert result.exit_code == 1
    assert (vault / "people" / "Priya Raman.md").read_bytes() == before


@pytest.mark.parametrize(
    "birthday",
    [[13, 45, None], [2, 30, 2026], [2, 29, 2025], [0, 1, None], [1, 1, 0], [1, 1, 10_000], [1, 32, None]],
)
def test_a_cached_birthday_out_of_range_is_a_miss(vault, run, birthday):
    before = agenda(run, vault)
    show = run("show", "Priya Raman", "--vault", vault, "--today", TODAY.isoformat()).output
    for shard in (vault / FOLDER).glob("notes-*.json"):
        data = json.loads(shard.read_text())
        for entry in data["notes"].values():
            if entry[5][0] is not None:
                entry[5][0][18] = birthday
        shard.write_text(json.dumps(data))
    assert agenda(run, vault) == before
    assert run("show", "Priya Raman", "--vault", vault, "--today", TODAY.isoformat()).output == show
    for command in (("export", "json"), ("build",)):
        result = run(*command, "--vault", vault, "--today", TODAY.isoformat())
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("cadence", [["days", 10**9, "x"], ["days", 0, "0d"], ["months", -1, "-1m"], ["weeks", 1, "1w"]])
def test_a_cached_cadence_that_is_not_its_text_is_a_miss(vault, run, cadence):
    before = agenda(run, vault)
    for shard in (vault / FOLDER).glob("notes-*.json"):
        data = json.loads(shard.read_text())
        for entry in data["notes"].values():
            if entry[5][0] is not None:
                entry[5][0][10] = cadence
        shard.write_text(json.dumps(data))
    assert agenda(run, vault) == before

"""JSON export: the whole vault for scripts, as `show --format json` has each contact."""

from __future__ import annotations

import json
from datetime import date

import pytest

from netvault import __version__
from netvault.interop.jsonfile import export
from netvault.playbook.agenda import TOUCH_BASE, build_agenda
from netvault.playbook.card import person_card
from netvault.playbook.due import compute_due
from netvault.read.loader import load_vault

from .conftest import REPO

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def example():
    return load_vault(REPO / "example_vault", TODAY)


@pytest.fixture(scope="module")
def text(example):
    return export(example, TODAY)


@pytest.fixture(scope="module")
def data(text):
    return json.loads(text)


def test_valid_json_with_the_top_level_keys(text, data):
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert list(data) == ["contacts", "netvault", "problems", "today"]
    assert data["netvault"] == __version__
    assert data["today"] == "2026-11-22"


def test_every_contact_once_sorted_by_name_then_path(example, data):
    paths = [c["path"] for c in data["contacts"]]
    assert sorted(paths) == sorted(c.path for c in example.contacts)
    assert len(paths) == len(set(paths)) == len(example.contacts)
    names = [(c["name"].casefold(), c["path"]) for c in data["contacts"]]
    assert names == sorted(names)


def test_keys_are_sorted_at_every_level(text):
    def check(value):
        if isinstance(value, dict):
            assert list(value) == sorted(value)
            for item in value.values():
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)

    check(json.loads(text))
    assert text.startswith('{\n  "contacts": [\n    {\n      "aliases"')  # indent=2


def test_every_contact_has_the_same_keys(data):
    keys = {tuple(c) for c in data["contacts"]}
    assert len(keys) == 1
    assert {"next_due", "status", "due", "problems", "name", "path", "rhythm"} <= set(next(iter(keys)))


def test_each_contact_is_what_show_prints_plus_next_due_and_status(example, data):
    for value in data["contacts"]:
        contact = next(c for c in example.contacts if c.path == value["path"])
        card = person_card(example, contact, TODAY).as_dict()
        problems = [p.as_dict() for p in example.problems if p.path == contact.path]
        shown = json.loads(json.dumps({**card, "problems": problems}))
        extra = {k: v for k, v in value.items() if k not in shown}
        assert {k: v for k, v in value.items() if k in shown} == shown
        assert extra == {"next_due": card["due"]["next_due"], "status": card["due"]["status"]}


def test_next_due_equals_the_agendas(example, data):
    by_path = {c["path"]: c for c in data["contacts"]}
    agenda = build_agenda(example, TODAY, days=10_000)
    touch = agenda.select(TOUCH_BASE)
    assert len(touch) > 10
    for item in touch:
        assert by_path[item.path]["next_due"] == item.due.isoformat()
    # The status is the one on the agenda of the vault's own window (14 days).
    listed = {i.path: i.status for i in build_agenda(example, TODAY).select(TOUCH_BASE)}
    assert len(listed) >= 3
    for path, value in by_path.items():
        assert value["status"] == listed.get(path), path
    for contact in example.contacts:
        info = compute_due(contact, example.config, TODAY, None, example.interactions.get(contact.path, ()))
        expected = info.next_due.isoformat() if info.next_due else None
        assert by_path[contact.path]["next_due"] == expected, contact.name
        assert by_path[contact.path]["status"] == info.status


def test_a_few_contacts_by_hand(data):
    by_name = {c["name"]: c for c in data["contacts"]}
    cold = [c for c in data["contacts"] if c["circle"] == "cold"]
    assert cold and all(c["next_due"] is None and c["status"] is None for c in cold)
    aisha = by_name["Aisha Karim"]
    assert aisha["next_due"] == "2026-12-28"  # 2026-10-28 + 6/year (61 days)
    assert aisha["status"] is None  # beyond the 14-day window
    assert aisha["birthday"] == {"day": 3, "month": 12, "next": "2026-12-03", "turns": 33, "year": 1993}


def test_no_ascii_escapes(data, text):
    assert any(not c["name"].isascii() for c in data["contacts"])
    assert "Søren Kjeldsen" in text
    assert "\\u00f8" not in text


def test_problems_are_included(make_vault):
    root = make_vault({
        "people/Jane.md": "---\nname: Jane Doe\ncircle: buddy\nlast_contact: 2026-13-01\n---\n",
        "people/Bob.md": "---\nname: Bob\ncircle: nonsense\n---\n",
        "people/Ok.md": "---\nname: Ok Person\ncircle: strategic\n---\n",
    })
    vault = load_vault(root, TODAY)
    assert vault.problems
    data = json.loads(export(vault, TODAY))
    assert data["problems"] == [p.as_dict() for p in vault.problems]
    by_path = {c["path"]: c for c in data["contacts"]}
    for path, value in by_path.items():
        assert value["problems"] == [p.as_dict() for p in vault.problems if p.path == path]
    assert by_path["people/Jane.md"]["problems"]
    assert by_path["people/Ok.md"]["problems"] == []
    assert by_path["people/Ok.md"]["next_due"] == "2026-11-22"  # never contacted: due today
    assert by_path["people/Ok.md"]["status"] == "due"


def test_same_names_sorted_by_path(make_vault):
    root = make_vault({
        "people/b/Jane.md": "---\nname: Jane Doe\n---\n",
        "people/a/Jane.md": "---\nname: Jane Doe\n---\n",
        "people/Adam.md": "---\nname: adam\n---\n",
    })
    data = json.loads(export(load_vault(root, TODAY), TODAY))
    assert [c["path"] for c in data["contacts"]] == ["people/Adam.md", "people/a/Jane.md", "people/b/Jane.md"]


def test_deterministic(example, text):
    assert export(example, TODAY) == text
    assert export(load_vault(REPO / "example_vault", TODAY), TODAY) == text


def test_empty_vault(make_vault):
    data = json.loads(export(load_vault(make_vault({}), TODAY), TODAY))
    assert data == {"contacts": [], "netvault": __version__, "problems": [], "today": "2026-11-22"}

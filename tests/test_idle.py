"""Contacts the agenda can do without: after an import, most people have no
rhythm, no follow-up and nothing in their log, and no day can put them on
the agenda.  With an unchanged vault the agenda does not build them at all
(the snapshot lists them); what it prints is byte for byte what a full
read prints, on any day, in every format, with every problem."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from netvault.playbook.agenda import IDLE_RULE, contact_items, never_on_agenda
from netvault.read.loader import load_vault

from .conftest import TODAY
from .test_cache import age
from .test_snapshot import _generate

RULE = (IDLE_RULE, never_on_agenda)


@pytest.fixture
def imported(tmp_path):
    root = tmp_path / "imported"
    _generate(root, 140, shape="imported", rich=30)
    thin = sorted((root / "people").glob("*.md"), key=lambda p: p.stat().st_size)[:3]
    # an idle contact with a problem of its own, and one with a date ahead
    thin[0].write_text(thin[0].read_text().replace("---\n", "---\nbirthday: someday\n", 1))
    thin[1].write_text(thin[1].read_text().replace("---\n", "---\nlast_contact: 2027-03-01\n", 1))
    age(root)
    return root


def _thin(root: Path) -> list[Path]:
    return sorted(p for p in (root / "people").glob("*.md") if "source: linkedin" in p.read_text())


def _agenda(run, root: Path, day, fmt: str, *extra: str) -> str:
    result = run("agenda", "--vault", root, "--today", day.isoformat(), "--format", fmt, *extra)
    assert result.exit_code == 0, result.output
    return result.output


def test_most_imported_people_are_never_built(imported):
    load_vault(imported, TODAY, idle=RULE)  # writes the snapshot and its idle list
    warm = load_vault(imported, TODAY, idle=RULE)
    full = load_vault(imported, TODAY, cache=False)
    assert warm.idle >= 100
    assert len(warm.contacts) + warm.idle == len(full.contacts)
    assert warm.problems == full.problems
    assert {c.path for c in warm.contacts} <= {c.path for c in full.contacts}


@pytest.mark.parametrize("days", [-400, -1, 0, 30, 99, 100, 400])
@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
def test_the_agenda_without_idle_people_is_the_full_agenda(run, imported, days, fmt):
    day = TODAY + timedelta(days=days)
    _agenda(run, imported, day, fmt)
    fast = _agenda(run, imported, day, fmt)
    assert fast == _agenda(run, imported, day, fmt, "--no-cache")


CHANGES = {
    "a follow-up": lambda text: text.replace("---\n", "---\nfollow_up: 2026-11-25 send the deck\n", 1),
    "a rhythm": lambda text: text.replace("circle: cold", "circle: buddy"),
    "an ask": lambda text: text.rstrip("\n") + "\n\n## Log\n- 2026-10-01 email: asked for a referral #asked\n",
    "a birthday": lambda text: text.replace("---\n", "---\nbirthday: 1990-11-30\n", 1),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_idle_person_given_a_reason_reaches_the_agenda(run, imported, change):
    _agenda(run, imported, TODAY, "json")
    _agenda(run, imported, TODAY, "json")
    person = _thin(imported)[10]
    person.write_text(CHANGES[change](person.read_text()))
    age(imported)
    shown = _agenda(run, imported, TODAY, "json")
    assert shown == _agenda(run, imported, TODAY, "json", "--no-cache")
    assert f'"path": "{person.relative_to(imported).as_posix()}"' in shown
    assert _agenda(run, imported, TODAY, "json") == shown  # and from the new snapshot


def test_skipping_idle_people_keeps_the_cache_whole(run, imported):
    _agenda(run, imported, TODAY, "json")
    folder = imported / ".netvault" / "cache"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    _agenda(run, imported, TODAY, "json")  # skips them
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing read, nothing written
    cached = json.loads((imported / ".netvault" / "cache" / "names.json").read_text())["notes"]
    for person in _thin(imported)[:5]:
        assert person.relative_to(imported).as_posix() in cached
    assert run("check", "--vault", imported, "--today", TODAY.isoformat()).output == run(
        "check", "--vault", imported, "--today", TODAY.isoformat(), "--no-cache"
    ).output
    name = _thin(imported)[20].stem
    logged = run("log", name, "called about the reunion", "--vault", imported, "--today", TODAY.isoformat())
    assert logged.exit_code == 0, logged.output


def test_the_rule_holds_on_every_day_for_every_contact(tmp_path):
    """``never_on_agenda`` says a contact can never be on the agenda: check
    it against the agenda itself, contact by contact, on days from long
    before to long after their log, in both shapes of vault."""
    for shape in ("rich", "imported"):
        root = tmp_path / shape
        _generate(root, 120, shape=shape, rich=40)
        vault = load_vault(root, TODAY, cache=False)
        idle = [
            c for c in vault.contacts if never_on_agenda(c, vault.config, vault.interactions.get(c.path, ()))
        ]
        assert idle or shape == "rich"
        for contact in idle:
            for offset in range(-3000, 3001, 97):
                day = TODAY + timedelta(days=offset)
                assert contact_items(contact, vault, day, 30) == [], (contact.path, day)


def test_someone_without_a_rhythm_but_in_regular_touch_can_fade(tmp_path):
    from netvault.read.model import Vault
    from netvault.read.settings import Config

    from .test_agenda import person

    three = person("Reg Ular", log=[(TODAY - timedelta(days=d), "coffee") for d in (400, 370, 340)])
    two = person("Once Twice", log=[(TODAY - timedelta(days=d), "coffee") for d in (400, 370)])
    vault = Vault(root=tmp_path, config=Config(), contacts=(three, two), problems=())
    assert not never_on_agenda(three, vault.config, ())
    assert [i.kind for i in contact_items(three, vault, TODAY, 14)] == ["fading"]
    assert never_on_agenda(two, vault.config, ())
    # a meeting note is a contact too
    from netvault.read.model import Interaction

    met = (Interaction(TODAY - timedelta(days=300), "meetings/a.md", 3),)
    assert not never_on_agenda(two, vault.config, met)

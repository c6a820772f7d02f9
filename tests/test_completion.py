"""Shell completion: contact names wherever a NAME is taken, in a real bash
with click's own completion script, and in what zsh and fish are sent."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from netvault.cli import main

PEOPLE = {
    "people/Aisha Karim.md": "---\ncircle: buddy\naliases: [Ash]\n---\n",
    "people/Seán O'Brien.md": "---\ncircle: lukewarm\n---\n",
    "people/Ben Hollis.md": "---\ncircle: cold\n---\n",
    "people/jdoe.md": "---\nname: Jane Doe\ncircle: cold\n---\n",
    "notes/Emergence.md": "A topic, not a person.\n",
}
CONFIG = '[goals.northwind]\norg = "Northwind"\n'


def complete(shell: str, words: list[str], cwd: Path | None = None, env: dict | None = None) -> list[str]:
    """What netvault answers ``shell`` for the last of ``words`` (click's protocol)."""
    line = shlex.join(["netvault", *words])
    if shell == "fish" and words[-1] == "":  # fish sends the line up to the cursor
        line = shlex.join(["netvault", *words[:-1]]) + " "
    runner = CliRunner()
    old = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = runner.invoke(
            main, [], prog_name="netvault",
            # fish sends the token being typed, bash and zsh its index
            env={"_NETVAULT_COMPLETE": f"{shell}_complete", "COMP_WORDS": line,
                 "COMP_CWORD": (shlex.quote(words[-1]) if words[-1] else "") if shell == "fish" else str(len(words)),
                 "NETVAULT_VAULT": None, **(env or {})},
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()


def values(shell: str, words: list[str], **kwargs) -> list[str]:
    lines = [line for line in complete(shell, words, **kwargs) if line]
    if shell == "zsh":  # type, value, help: three lines per item
        return [lines[i + 1] for i in range(0, len(lines), 3)]
    return [line.split(",", 1)[1].split("\t")[0] for line in lines if line]


@pytest.fixture
def vault(make_vault):
    return make_vault(PEOPLE, config=CONFIG)


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_names_by_name_alias_file_name_and_later_word(vault, shell):
    def names(typed, command="show"):
        return values(shell, [command, "--vault", str(vault), typed])

    assert names("") == ["Aisha Karim", "Ben Hollis", "Jane Doe", "Seán O'Brien"]
    assert names("ai") == ["Aisha Karim"]
    assert names("ash") == ["Aisha Karim"]  # an alias: the name is offered
    assert names("jdo") == ["Jane Doe"]  # the file name
    assert names("o'b") == ["Seán O'Brien"]  # a later word of the name
    assert names("Emer") == []  # a note that is no contact
    for command in ("log", "snooze", "follow-up", "done", "move", "set", "unset", "open", "intro", "announce"):
        assert names("be", command) == ["Ben Hollis"], command


def test_every_name_of_log_and_announce_completes(vault):
    assert values("fish", ["log", "--vault", str(vault), "Aisha Karim", "be"]) == ["Ben Hollis"]
    assert values("fish", ["announce", "--vault", str(vault), "Ben Hollis", "ai"]) == ["Aisha Karim"]


def test_goals_fields_commands_and_choices(vault):
    assert values("fish", ["goal", "--vault", str(vault), "n"]) == ["northwind"]
    assert values("fish", ["set", "--vault", str(vault), "Ben Hollis", "ca"]) == ["cadence"]
    assert "follow-up" in values("fish", ["fo"])
    assert values("fish", ["move", "--vault", str(vault), "Ben Hollis", "--circle", "s"]) == ["strategic"]


def test_vault_from_the_folder_or_the_environment(vault, tmp_path):
    assert values("fish", ["show", "ai"], cwd=vault / "people") == ["Aisha Karim"]
    assert values("fish", ["show", "ai"], env={"NETVAULT_VAULT": str(vault)}) == ["Aisha Karim"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert values("fish", ["show", "ai"], cwd=elsewhere) == []  # outside a vault: nothing, quietly
    assert values("fish", ["show", "--vault", str(tmp_path / "missing"), "ai"]) == []


def settled(vault: Path) -> None:
    """Date every note an hour back: the cache keeps only notes that are not
    changing right now."""
    past = time.time() - 3600
    for path in vault.rglob("*.md"):
        os.utime(path, (past, past))


def test_names_come_from_the_cache_without_reading_the_vault(vault, run, monkeypatch):
    settled(vault)
    assert run("check", "--vault", vault, "--today", "2026-11-22").exit_code == 0  # writes the cache
    from netvault.read import loader

    monkeypatch.setattr(loader, "load_names", lambda *a, **k: pytest.fail("read the vault"))
    assert values("fish", ["show", "--vault", str(vault), "s"]) == ["Seán O'Brien"]
    # a note changed since: that note alone is read again
    (vault / "people/Ben Hollis.md").write_text("---\nname: Benjamin Hollis\ncircle: cold\n---\n")
    assert values("fish", ["show", "--vault", str(vault), "b"]) == ["Benjamin Hollis"]


def test_a_note_changed_just_before_a_load_is_offered_but_never_trusted_by_commands(vault, run, monkeypatch):
    settled(vault)
    (vault / "people/Ben Hollis.md").write_text("---\nname: Ben Hollis\ncircle: buddy\n---\n")  # now
    assert run("check", "--vault", vault, "--today", "2026-11-22").exit_code == 0
    entry = json.loads((vault / ".netvault/cache/names.json").read_text())["notes"]["people/Ben Hollis.md"]
    assert entry[6:] == ["unsettled"]
    from netvault.read import cache, loader

    assert cache.stub("people/Ben Hollis.md", entry, tuple(entry[:5])) is None  # commands read the file
    monkeypatch.setattr(loader, "load_names", lambda *a, **k: pytest.fail("read the vault"))
    assert values("fish", ["show", "--vault", str(vault), "b"]) == ["Ben Hollis"]


def test_names_follow_the_files_not_a_stale_cache(vault, run):
    settled(vault)
    assert run("check", "--vault", vault, "--today", "2026-11-22").exit_code == 0  # writes the cache
    assert (vault / ".netvault/cache/names.json").is_file()
    assert values("fish", ["show", "--vault", str(vault), "ben"]) == ["Ben Hollis"]
    note = vault / "people/Ben Hollis.md"
    note.write_text("---\nname: Benjamin Hollis\ncircle: cold\n---\n", encoding="utf-8")
    assert values("fish", ["show", "--vault", str(vault), "ben"]) == ["Benjamin Hollis"]
    note.unlink()
    assert values("fish", ["show", "--vault", str(vault), "ben"]) == []


def test_a_planted_or_broken_cache_answers_nothing_wrong(vault, run):
    settled(vault)
    assert run("check", "--vault", vault, "--today", "2026-11-22").exit_code == 0
    names = vault / ".netvault/cache/names.json"
    names.write_text('{"notes": {"people/Ben Hollis.md": [1, 2, 3, 4, 5, ["Mallory", [], []]]}}')
    assert values("fish", ["show", "--vault", str(vault), ""]) == [
        "Aisha Karim", "Ben Hollis", "Jane Doe", "Seán O'Brien"
    ]
    names.write_text("not json")
    assert values("fish", ["show", "--vault", str(vault), "ai"]) == ["Aisha Karim"]


BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_real_bash_inserts_names_as_one_word(vault):
    """click's bash script, sourced in a real bash: what lands on the
    command line reads back as the whole name, spaces and quotes included."""
    script = """
eval "$(_NETVAULT_COMPLETE=bash_source netvault)"
COMP_WORDS=(netvault show --vault "$VAULT" "$TYPED"); COMP_CWORD=4; COMPREPLY=()
_netvault_completion netvault
for reply in "${COMPREPLY[@]}"; do
  eval "set -- $reply"        # the shell reading the completed command line
  printf '%s|%s\\n' "$#" "$1"
done
"""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "VAULT": str(vault)}
    env.pop("NETVAULT_VAULT", None)

    def bash(typed: str) -> list[str]:
        done = subprocess.run([BASH, "--norc", "-c", script], env={**env, "TYPED": typed},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    assert bash("ai") == ["1|Aisha Karim"]
    assert bash("o\\'b") == ["1|Seán O'Brien"]  # as typed: o\'b
    assert bash("") == ["1|Aisha Karim", "1|Ben Hollis", "1|Jane Doe", "1|Seán O'Brien"]


def test_a_completion_loads_no_reader(vault):
    """What keeps a TAB quick without timing it: completing a NAME imports
    neither the reader nor YAML, only the command's module and the cache's
    names (checked in a fresh interpreter)."""
    settled(vault)
    env = {**os.environ, "_NETVAULT_COMPLETE": "bash_complete", "COMP_CWORD": "4"}
    env.pop("NETVAULT_VAULT", None)
    subprocess.run([sys.executable, "-m", "netvault.cli", "check", "--vault", str(vault), "--today", "2026-11-22"],
                   check=True, capture_output=True, env={k: v for k, v in env.items() if k != "_NETVAULT_COMPLETE"})
    probe = (
        "import sys\n"
        "from netvault.cli import main\n"
        "try:\n    main(prog_name='netvault')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m == 'yaml' or m.startswith(('netvault.read.loader', "
        "'netvault.read.settings', 'netvault.playbook', 'netvault.edit', 'netvault.views')))\n"
        "print('HEAVY', heavy)\n"
    )
    for command in ("show", "log", "set", "intro", "announce", "open"):  # (goal reads netvault.toml)
        line = shlex.join(["netvault", command, "--vault", str(vault), "a"])
        done = subprocess.run([sys.executable, "-c", probe], env={**env, "COMP_WORDS": line},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == "HEAVY []", (command, done.stdout)
    assert "plain,Aisha\\\\ Karim" in done.stdout.splitlines()  # the answer came from the cache

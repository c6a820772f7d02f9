"""Hostile input on the read side: every bad file becomes a Problem with its
path and line, never a traceback or a hang, and never hides the other files."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from netvault.config import Config, load_config
from netvault.frontmatter import MAX_VALUES, FrontmatterError, parse
from netvault.loader import load_vault
from netvault.logsection import find_sections, parse_log
from netvault.problems import ERROR

from .conftest import FIXTURES, TODAY

NETVAULT = Path(sys.executable).with_name("netvault")
CONTACT = "---\ncircle: buddy\n---\n"
JANE = "---\nname: Jane Doe\ncircle: strategic\nlast_contact: 2026-06-01\n---\n"


def problems_of(vault):
    return [(p.path, p.line, p.severity, p.message) for p in vault.problems]


# --- 1. YAML aliases that expand without end ("billion laughs") -----------


def test_billion_laughs_is_an_error_on_the_key_that_explodes():
    text = (FIXTURES / "hostile" / "people" / "Billion Laughs.md").read_text("utf-8")
    assert len(text.encode()) < 600
    started = time.perf_counter()
    with pytest.raises(FrontmatterError) as info:
        parse(text)
    assert time.perf_counter() - started < 1
    assert info.value.line == 7  # a4: the first key past the budget
    assert info.value.message.startswith(
        "frontmatter expands YAML aliases too far (billion laughs?)"
    )


def test_small_anchors_and_aliases_still_work():
    note = parse("---\nbase: &b {channel: email, tags: [a, b]}\nother: *b\nboth: [*b, *b]\n---\n")
    assert note.data["other"] == {"channel": "email", "tags": ["a", "b"]}
    assert note.data["both"] == [note.data["base"], note.data["base"]]


def test_long_frontmatter_without_aliases_is_never_refused():
    items = ", ".join(f"t{i}" for i in range(MAX_VALUES * 2))
    note = parse(f"---\ntags: [{items}]\nmap: {{{items}}}\n---\n")
    assert len(note.data["tags"]) == MAX_VALUES * 2


def test_an_alias_inside_itself_is_nested_too_deeply():
    with pytest.raises(FrontmatterError) as info:
        parse("---\nname: X\nloop: &a [*a, *a]\n---\n")
    assert (info.value.line, info.value.message) == (3, "frontmatter is nested too deeply")


def test_billion_laughs_in_a_vault_hides_no_one(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(FIXTURES / "hostile", root)
    vault = load_vault(root, TODAY)
    assert [c.name for c in vault.contacts] == ["Jane Doe"]
    assert vault.contacts[0].fields["preferred"] == {"channel": "email"}
    assert [(p.path, p.line, p.severity) for p in vault.problems] == [
        ("people/Billion Laughs.md", 7, ERROR)
    ]


def _limit_memory():  # a regression must fail the test, not swap the machine
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


# Every command but init, with arguments that work on the normal contact.
# Edits run in this order on one vault, so `done` has a follow-up to clear.
COMMANDS = [
    ["agenda", "--format", "text"],
    ["agenda", "--format", "markdown"],
    ["agenda", "--format", "html"],
    ["agenda", "--format", "json"],
    ["check"],
    ["add", "Sam Lee", "--circle", "cold"],
    ["log", "Jane Doe", "coffee"],
    ["snooze", "Jane Doe", "--for", "2w"],
    ["follow-up", "Jane Doe", "2026-12-01", "send the deck"],
    ["done", "Jane Doe"],
    ["move", "Jane Doe", "--circle", "buddy"],
    ["set", "Jane Doe", "org", "Initech"],
    ["unset", "Jane Doe", "org"],
]


def test_every_command_is_covered_below():
    help_text = subprocess.run(
        [NETVAULT, "--help"], capture_output=True, text=True, timeout=20, check=True
    ).stdout
    listed = set(re.findall(r"^  ([a-z][a-z-]*)  ", help_text.split("Commands:")[1], re.M))
    assert listed - {"init"} == {args[0] for args in COMMANDS}, "add the new command to COMMANDS"


def test_every_command_finishes_on_a_billion_laughs_vault(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(FIXTURES / "hostile", root)
    env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
    for args in COMMANDS:
        started = time.perf_counter()
        today = [] if args[0] == "add" else ["--today", "2026-11-22"]
        result = subprocess.run(
            [NETVAULT, *args, "--vault", root, *today],
            capture_output=True,
            text=True,
            timeout=20,
            env=env,
            cwd=tmp_path,
            preexec_fn=_limit_memory,
        )
        output = result.stdout + result.stderr
        assert "Traceback" not in output, (args, output)
        assert time.perf_counter() - started < 20
        if args[0] == "check":
            assert result.returncode == 1
            assert "people/Billion Laughs.md:7: error: frontmatter expands YAML aliases" in output
        else:
            assert result.returncode == 0, (args, output)
    text = (root / "people" / "Jane Doe.md").read_text("utf-8")
    assert "- 2026-11-22 coffee\n" in text and "circle: buddy\n" in text
    assert (root / "people" / "Sam Lee.md").is_file()


# --- 2. JSON and TOML nested past Python's recursion limit ----------------


def test_deep_obsidian_templates_json_is_ignored(make_vault):
    root = make_vault(
        {".obsidian/templates.json": "[" * 100_000, "people/Ann.md": CONTACT}
    )
    vault = load_vault(root, TODAY)
    assert [c.name for c in vault.contacts] == ["Ann"]
    assert vault.problems == ()


def test_deep_netvault_toml_is_a_problem(make_vault, run):
    root = make_vault({"people/Ann.md": CONTACT}, config="a = " + "[" * 5000 + "]" * 5000 + "\n")
    config, problems = load_config(root)
    assert config == Config()
    assert [(p.path, p.line, p.severity) for p in problems] == [("netvault.toml", None, ERROR)]
    result = run("check", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.stdout.startswith("netvault.toml: error: nested too deeply")
    result = run("agenda", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert "Ann" in result.stdout


# --- 5. a log heading nested under another -----------------------------------

NESTED_LOG = (
    "## Log ##\n"
    "- 2026-09-01 email: hello\n"
    "#### LOG\n"
    "- 2026-10-01 phone: call\n"
    "## Other\n"
    "## log\n"
    "- 2026-11-01 im: ping\n"
)


def test_a_nested_log_heading_is_counted_once():
    lines = NESTED_LOG.splitlines(keepends=True)
    assert [(s.heading, s.end) for s in find_sections(lines, "Log")] == [(0, 4), (5, 7)]
    entries, problems = parse_log(lines, 10, "Log", "people/Ann.md")
    assert problems == []
    assert [e.line for e in entries] == [11, 13, 16]


def test_a_nested_log_heading_in_agenda_and_check(make_vault, run):
    root = make_vault(
        {"people/Ann.md": "---\ncircle: buddy\nfollow_up: 2026-11-20\n---\n" + NESTED_LOG}
    )
    (contact,) = load_vault(root, TODAY).contacts
    assert len(contact.log) == 3
    data = json.loads(run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    assert {i["last_contact"] for i in data["items"]} == {"2026-11-01"}
    assert run("check", "--vault", root, "--today", "2026-11-22").stdout == ""

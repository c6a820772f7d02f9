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
from netvault.loader import (
    CONFLICT_COPY,
    conflict_copy_name,
    conflict_original,
    contact_from_bytes,
    is_conflict_copy,
    load_vault,
    scan_notes,
)
from netvault.logsection import find_sections, parse_log
from netvault.problems import ERROR, WARNING

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


# --- 3. symlinks out of the vault -----------------------------------------


@pytest.fixture
def linked_vault(make_vault, tmp_path):
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(CONTACT + "secret\n")
    (outside / "folder" / "Hidden.md").write_text(CONTACT)
    root = make_vault({"people/Ann.md": CONTACT, "notes/Real Bob.md": CONTACT})
    (root / "people" / "X.md").symlink_to("../../outside/secret.md")
    (root / "people" / "Bob.md").symlink_to("../notes/Real Bob.md")
    (root / "people" / "Away").symlink_to(outside / "folder", target_is_directory=True)
    (root / "people" / "Here").symlink_to(root / "notes", target_is_directory=True)
    return root


def test_links_out_of_the_vault_are_not_read(linked_vault):
    vault = load_vault(linked_vault, TODAY)
    # Bob's link stays inside; the linked folders are never walked.
    assert [c.path for c in vault.contacts] == ["people/Ann.md", "people/Bob.md", "notes/Real Bob.md"]
    assert problems_of(vault)[-2:] == [
        ("people/Away", None, WARNING, "links to a folder outside the vault; netvault does not follow folder links"),
        (
            "people/X.md",
            None,
            WARNING,
            "links to a file outside the vault; not read (set [vault] follow_outside_links = true to allow)",
        ),
    ]


def test_a_link_into_git_is_not_read_but_other_hidden_folders_are(make_vault):
    root = make_vault({".archive/Ann.md": CONTACT, ".git/config": CONTACT})
    (root / "people").mkdir()
    (root / "people" / "Git.md").symlink_to("../.git/config")
    (root / "people" / "Ann.md").symlink_to("../.archive/Ann.md")
    vault = load_vault(root, TODAY)
    assert [c.path for c in vault.contacts] == ["people/Ann.md"]
    assert problems_of(vault) == [
        ("people/Git.md", None, WARNING, "links to a file in .git/, git's own folder; not read")
    ]


def test_follow_outside_links_allows_them(linked_vault):
    (linked_vault / "netvault.toml").write_text("[vault]\nfollow_outside_links = true\n")
    vault = load_vault(linked_vault, TODAY)
    assert "people/X.md" in [c.path for c in vault.contacts]
    assert "people/Away/Hidden.md" not in [c.path for c in vault.contacts]


def test_follow_outside_links_must_be_a_bool(make_vault):
    root = make_vault({}, config='[vault]\nfollow_outside_links = "yes"\n')
    _, problems = load_config(root)
    assert [(p.line, p.message) for p in problems] == [
        (2, "[vault] follow_outside_links must be true or false")
    ]


def test_a_vault_reached_through_a_link_reads_as_usual(linked_vault, tmp_path):
    alias = tmp_path / "alias"
    alias.symlink_to(linked_vault, target_is_directory=True)
    assert [c.path for c in load_vault(alias, TODAY).contacts] == [
        c.path for c in load_vault(linked_vault, TODAY).contacts
    ]


def test_check_names_the_link(linked_vault, run):
    result = run("check", "--vault", linked_vault, "--today", "2026-11-22")
    assert "people/X.md: warning: links to a file outside the vault" in result.stdout
    assert "secret" not in result.stdout


# --- 4. NUL bytes -----------------------------------------------------------


def test_nul_in_the_body_is_a_warning_with_its_line():
    raw = (CONTACT + "notes\nbinary\x00junk\x00\n").encode()
    contact, problems = contact_from_bytes("people/Ann.md", raw, Config(), TODAY)
    assert contact is not None
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (5, WARNING, "contains NUL bytes (line 5); is it really a text note?")
    ]


def test_nul_in_the_frontmatter_is_a_yaml_error_with_its_line(make_vault, run):
    root = make_vault(
        {"people/Ann.md": b"---\ncircle: buddy\norg: Ac\x00me\n---\n", "people/Bob.md": CONTACT}
    )
    result = run("check", "--vault", root, "--today", "2026-11-22")
    assert result.stdout == (
        "people/Ann.md:3: error: frontmatter is not valid YAML: unacceptable character #x0000: "
        "control characters are not allowed\n"
    )
    assert "(1 contact)" in result.stderr


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


# --- 6. conflict copies ---------------------------------------------------------


@pytest.mark.parametrize(
    "rel, original",
    [
        ("people/Jane Doe.conflict-2026-11-23T10-00-00.md", "people/Jane Doe.md"),
        ("people/Jane Doe.conflict-2026-11-23T10-00-00-2.md", "people/Jane Doe.md"),
        ("Jane.Doe.conflict-2026-11-23T10-00-00-12.md", "Jane.Doe.md"),
        ("people/Jane Doe.md", None),
        ("people/Jane Doe.conflict.md", None),
        ("people/Jane Doe.conflict-2026-11-23.md", None),
        ("people/Jane Doe.conflict-2026-11-23T10-00-00-1.md", None),
    ],
)
def test_conflict_copy_names(rel, original):
    assert is_conflict_copy(rel) is (original is not None)
    assert conflict_original(rel) == original


def test_conflict_copy_name_round_trips():
    when = datetime(2026, 11, 23, 10, 0, 0)
    first = conflict_copy_name("people/Jane Doe.md", when)
    assert first == "people/Jane Doe.conflict-2026-11-23T10-00-00.md"
    assert conflict_copy_name("people/Jane Doe.md", when, 2).endswith("T10-00-00-2.md")
    assert CONFLICT_COPY.match(first.rsplit("/", 1)[1]).group("stem") == "Jane Doe"


def test_the_writers_conflict_copies_are_recognised(tmp_path):
    from netvault.diskwrite import conflict_copy_path

    target = tmp_path / "Jane Doe.md"
    when = datetime(2026, 11, 23, 10, 0, 0)
    first = conflict_copy_path(target, when)
    first.write_text("taken")
    second = conflict_copy_path(target, when)
    for copy in (first, second):
        assert conflict_original(f"people/{copy.name}") == "people/Jane Doe.md"
    assert first.name == conflict_copy_name("Jane Doe.md", when)
    assert second.name == conflict_copy_name("Jane Doe.md", when, 2)


def test_a_conflict_copy_is_reported_not_read(make_vault, run):
    copy = "people/Jane Doe.conflict-2026-11-23T10-00-00.md"
    root = make_vault({"people/Jane Doe.md": JANE, copy: JANE})
    vault = load_vault(root, TODAY)
    assert [c.path for c in vault.contacts] == ["people/Jane Doe.md"]
    assert problems_of(vault) == [
        (
            copy,
            None,
            WARNING,
            "conflict copy of people/Jane Doe.md saved when two programs wrote it at once; "
            "merge what you need into it and delete this file",
        )
    ]
    result = run("check", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{copy}: warning: conflict copy of people/Jane Doe.md")


# --- 7. vaults inside the vault -------------------------------------------------


def test_a_folder_with_its_own_netvault_toml_is_another_vault(make_vault):
    root = make_vault(
        {
            "people/Ann.md": CONTACT,
            "archive/old/netvault.toml": "",
            "archive/old/people/Ann.md": CONTACT,
        }
    )
    scan = scan_notes(root, Config())
    assert scan.notes == ("people/Ann.md",)
    assert scan.nested_vaults == ("archive/old",)
    assert load_vault(root, TODAY).problems == ()


def test_a_folder_of_vaults_explains_the_empty_agenda(tmp_path, run, monkeypatch):
    for name in ("work", "home"):
        (tmp_path / name / "people").mkdir(parents=True)
        (tmp_path / name / "netvault.toml").write_text("")
        (tmp_path / name / "people" / "Ann.md").write_text(CONTACT)
    (tmp_path / "todo.md").write_text("a note\n")
    monkeypatch.chdir(tmp_path)
    result = run("agenda", "--today", "2026-11-22")
    assert result.exit_code == 0
    assert "0 contacts" in result.stdout
    assert result.stderr == (
        f"No contacts in {tmp_path.resolve()} (1 note read).\n"
        "A note is a contact when its frontmatter has `circle:` or `type: contact`, or when it "
        "lies in a contacts folder (people/; set [vault] contacts in netvault.toml).\n"
        "Not read: home/, work/ (each holds its own netvault.toml, so it is another vault); "
        "pick one with --vault DIR.\n"
        "Wrong folder? Use --vault DIR. A new vault: `netvault init`.\n"
    )
    json_result = run("agenda", "--today", "2026-11-22", "--format", "json")
    assert json_result.stderr == ""
    assert json.loads(json_result.stdout)["items"] == []


# --- speed ----------------------------------------------------------------------


def test_scanning_resolves_only_symlinks(make_vault, monkeypatch):
    root = make_vault({f"people/P{i}.md": CONTACT for i in range(50)})
    calls = []
    real = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda p, *a, **k: calls.append(p) or real(p, *a, **k))
    assert len(scan_notes(root, Config()).notes) == 50
    assert len(calls) == 1  # the root

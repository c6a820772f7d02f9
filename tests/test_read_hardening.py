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
from datetime import datetime
from pathlib import Path

import pytest

from netvault.read import frontmatter
from netvault.read.frontmatter import MAX_VALUES, FrontmatterError, nesting_bound, parse
from netvault.read.loader import contact_from_bytes, load_vault
from netvault.read.logsection import find_sections, parse_log
from netvault.read.settings import Config, load_config
from netvault.read.walk import (
    CONFLICT_COPY,
    LEFTOVER_TEMP,
    conflict_copy_name,
    conflict_original,
    is_conflict_copy,
    link_problem,
    scan_notes,
)
from netvault.values.problems import ERROR, WARNING

from .conftest import python_steps, FIXTURES, TODAY

NETVAULT = Path(sys.executable).with_name("netvault")
CONTACT = "---\ncircle: buddy\n---\n"
JANE = "---\nname: Jane Doe\ncircle: strategic\nlast_contact: 2026-06-01\n---\n"


def problems_of(vault):
    return [(p.path, p.line, p.severity, p.message) for p in vault.problems]


# --- 1. YAML aliases that expand without end ("billion laughs") -----------


def test_billion_laughs_is_an_error_on_the_key_that_explodes():
    text = (FIXTURES / "hostile" / "people" / "Billion Laughs.md").read_text("utf-8")
    assert len(text.encode()) < 600
    converted = []
    real = frontmatter._Converter.convert

    def counting(self, node, depth=0):
        converted.append(node)
        return real(self, node, depth)

    frontmatter._Converter.convert = counting
    try:
        with pytest.raises(FrontmatterError) as info:
            parse(text)
    finally:
        frontmatter._Converter.convert = real
    # the budget, not the billions the aliases spell, bounds the work
    assert len(converted) <= frontmatter.MAX_VALUES + 2 * len(text) + 10
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
    ["adopt", "--dry-run"],
    ["goal", "--format", "json"],
    ["intro", "Jane Doe"],
    ["build"],
    ["show", "Jane Doe"],
    ["list", "--sort", "last-contact"],
    ["search", "jane"],
    ["open", "Jane Doe"],
    ["announce", "Jane Doe", "--news", "new job", "--log"],
    ["funnel", "--format", "json"],
    ["top"],
    ["export", "json"],
    ["export", "ics"],
    ["export", "vcard"],
    ["export", "csv"],
    ["import", "vcard", "vault/people"],
    ["merge", "--suggest"],
    ["merge", "Jane Doe", "Sam Lee", "--dry-run"],
    ["rename", "Sam Lee", "Samuel Lee"],
    ["triage", "--list"],
]


def test_every_command_is_covered_below():
    help_text = subprocess.run(
        [NETVAULT, "--help"], capture_output=True, text=True, timeout=20, check=True
    ).stdout
    listed = set(re.findall(r"^  ([a-z][a-z-]*)  ", help_text.split("Commands:")[1], re.M))
    # watch runs until Ctrl-C: tests/test_site_watch.py runs it on the hostile vault.
    assert listed - {"init", "watch"} == {args[0] for args in COMMANDS}, "add the new command to COMMANDS"


def test_every_command_finishes_on_a_billion_laughs_vault(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(FIXTURES / "hostile", root)
    env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
    for args in COMMANDS:
        today = [] if args[0] in ("add", "adopt") else ["--today", "2026-11-22"]
        result = subprocess.run(  # the timeout guards against a hang; it measures nothing
            [NETVAULT, *args, "--vault", root, *today],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
            preexec_fn=_limit_memory,
        )
        output = result.stdout + result.stderr
        assert "Traceback" not in output, (args, output)
        if args[0] == "check":
            assert result.returncode == 1
            assert "people/Billion Laughs.md:7: error: frontmatter expands YAML aliases" in output
        else:
            assert result.returncode == 0, (args, output)
    text = (root / "people" / "Jane Doe.md").read_text("utf-8")
    assert "- 2026-11-22 coffee\n" in text and "circle: buddy\n" in text
    assert (root / "people" / "Samuel Lee.md").is_file()  # added, then renamed
    assert not (root / "people" / "Sam Lee.md").exists()


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


def test_links_into_hidden_folders_or_to_non_notes_are_not_read(make_vault, run):
    root = make_vault(
        {
            ".archive/Ann.md": CONTACT,
            ".git/config": CONTACT,
            ".obsidian/app.json": '{"circle": "buddy"}\n',
            ".obsidian/Tpl.md": CONTACT,
            "notes/.secret.md": CONTACT,
            "notes/Real Bob.md": CONTACT,
        },
        config="[agenda]\ndays = 7\n",
    )
    config_before = (root / "netvault.toml").read_bytes()
    people = root / "people"
    people.mkdir()
    for name, target in [
        ("Ann.md", "../.archive/Ann.md"),
        ("Git.md", "../.git/config"),
        ("Config.md", "../netvault.toml"),
        ("App.md", "../.obsidian/app.json"),
        ("Tpl.md", "../.obsidian/Tpl.md"),
        ("Secret.md", "../notes/.secret.md"),
        ("Bob.md", "../notes/Real Bob.md"),
    ]:
        (people / name).symlink_to(target)
    vault = load_vault(root, TODAY)
    assert [c.path for c in vault.contacts] == ["people/Bob.md", "notes/Real Bob.md"]
    hidden = "that netvault never reads as notes; not read"
    assert problems_of(vault) == [
        ("people/Ann.md", None, WARNING, f"links to .archive/Ann.md, in the hidden folder .archive/ {hidden}"),
        ("people/App.md", None, WARNING, "links to .obsidian/app.json, which is not a Markdown note (.md); not read"),
        ("people/Config.md", None, WARNING, "links to netvault.toml, which is not a Markdown note (.md); not read"),
        ("people/Git.md", None, WARNING, "links to .git/config, which is not a Markdown note (.md); not read"),
        ("people/Secret.md", None, WARNING, f"links to notes/.secret.md, in a hidden file {hidden}"),
        ("people/Tpl.md", None, WARNING, f"links to .obsidian/Tpl.md, in the hidden folder .obsidian/ {hidden}"),
    ]
    for name in ("Config", "App", "Ann", "Tpl"):
        result = run("log", name, "call", "--vault", root, "--today", "2026-11-22")
        assert result.exit_code == 1, name
    assert (root / "netvault.toml").read_bytes() == config_before
    assert (root / ".obsidian" / "app.json").read_text() == '{"circle": "buddy"}\n'
    assert (root / ".archive" / "Ann.md").read_text() == CONTACT


def test_link_problem_is_the_one_rule_for_readers_and_writers(make_vault, tmp_path):
    root = make_vault({"people/Ann.md": CONTACT, "notes/Bob.md": CONTACT, ".obsidian/x.md": CONTACT})
    (tmp_path / "out.md").write_text(CONTACT)
    (root / "people" / "Bob.md").symlink_to("../notes/Bob.md")
    (root / "people" / "BOB2.MD").symlink_to("../notes/Bob.md")
    (root / "people" / "X.md").symlink_to("../.obsidian/x.md")
    (root / "people" / "Out.md").symlink_to(tmp_path / "out.md")
    (root / "people" / "Toml.md").symlink_to("../netvault.toml")
    assert link_problem(root, "people/Ann.md") is None
    assert link_problem(root, "people/Bob.md") is None
    assert link_problem(root, "people/BOB2.MD") is None
    assert "hidden folder .obsidian/" in link_problem(root, "people/X.md")
    assert "outside the vault" in link_problem(root, "people/Out.md")
    assert link_problem(root, "people/Out.md", follow_outside_links=True) is None
    assert "not a Markdown note" in link_problem(root, "people/Toml.md")
    alias = tmp_path / "alias"
    alias.symlink_to(root, target_is_directory=True)
    assert link_problem(alias, "people/Ann.md") is None
    assert link_problem(alias, "people/Bob.md") is None


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
    from netvault.edit.latewrites import conflict_copy_path

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


# --- 8. frontmatter nested deep enough to crash libyaml ---------------------------

DEEP_FLOW = "---\nname: Deep\nx: " + "[" * 50_000 + "]" * 50_000 + "\n---\n"
DEEP_BLOCK = "---\nname: Deep\nx:\n" + "- " * 50_000 + "a\n---\n"


def _netvault(args, cwd, timeout=60):
    env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
    result = subprocess.run(
        [NETVAULT, *map(str, args)], capture_output=True, text=True, timeout=timeout,
        env=env, cwd=cwd, preexec_fn=_limit_memory,
    )
    assert result.returncode >= 0, f"killed by signal {-result.returncode}: {args}"
    assert "Traceback" not in result.stdout + result.stderr, args
    return result


def test_deep_frontmatter_is_nested_too_deeply_not_a_crash(make_vault, tmp_path):
    root = make_vault(
        {
            "people/Jane Doe.md": JANE,
            "notes/flow.md": DEEP_FLOW,  # not contacts: never reported, still parsed
            "notes/block.md": DEEP_BLOCK,
            "people/Deep.md": DEEP_FLOW.replace("name: Deep", "name: Deep\ncircle: buddy"),
            "people/Deeper.md": DEEP_BLOCK.replace("name: Deep", "name: Deeper\ncircle: buddy"),
        }
    )
    today = ["--vault", root, "--today", "2026-11-22"]
    result = _netvault(["check", *today], tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "people/Deep.md:4: error: frontmatter is nested too deeply\n"
        "people/Deeper.md:5: error: frontmatter is nested too deeply\n"
    )
    assert _netvault(["agenda", *today], tmp_path).returncode == 0
    assert _netvault(["log", "Jane Doe", "coffee", *today], tmp_path).returncode == 0
    assert "- 2026-11-22 coffee\n" in (root / "people" / "Jane Doe.md").read_text()
    for name in ("Deep", "Deeper"):
        before = (root / "people" / f"{name}.md").read_bytes()
        result = _netvault(["set", name, "org", "Initech", *today], tmp_path)
        assert result.returncode == 1 and result.stderr.startswith("Error: "), result.stderr
        assert (root / "people" / f"{name}.md").read_bytes() == before


def test_the_writer_refuses_deep_frontmatter_cleanly(tmp_path):
    # In a child process: a regression would kill it with SIGSEGV, not pytest.
    script = (
        "import sys\n"
        "from netvault.edit.writer import EditError, set_field, unset_field, add_log_entry\n"
        "from tests.test_read_hardening import DEEP_FLOW, DEEP_BLOCK\n"
        "for text in (DEEP_FLOW, DEEP_BLOCK):\n"
        "    for edit in (lambda t: set_field(t, 'org', 'X'), lambda t: unset_field(t, 'x'),\n"
        "                 lambda t: add_log_entry(t, '- 2026-11-22 call')):\n"
        "        try:\n"
        "            edit(text)\n"
        "            print('edited')\n"
        "        except EditError as exc:\n"
        "            print(exc.message)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr
    # a log entry goes in the body, whose frontmatter the writer does not compose
    assert result.stdout == ("frontmatter is nested too deeply\n" * 2 + "edited\n") * 2


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nx: " + "[" * 51 + "]" * 51,
        "a: 1\nx: " + "[" * 52 + "]" * 52,
        "a: 1\nx: " + "{a: " * 60 + "b" + "}" * 60,
        "a: 1\nx:\n" + "".join(" " * i + "-\n" for i in range(40)),
        "a: 1\nx:\n" + "".join(" " * i + "-\n" for i in range(60)),
        "loop: &a [*a, *a]",
        "tags: [a, b]\nname: '[[[['\n",
    ],
)
def test_both_composers_read_the_same(text, monkeypatch):
    def outcome():
        try:
            return parse(f"---\n{text}\n---\n").data
        except FrontmatterError as exc:
            return exc.line, exc.message

    fast = outcome()
    monkeypatch.setattr(frontmatter, "_SAFE_C_DEPTH", -1)  # always the pure-Python one
    assert outcome() == fast


def test_ordinary_notes_keep_the_fast_composer():
    for path in (FIXTURES / "hostile" / "people").glob("*.md"):
        assert nesting_bound(path.read_text("utf-8")) <= frontmatter._SAFE_C_DEPTH
    assert nesting_bound(JANE + "tags: [a, b, c]\nknows: [\"[[A]]\", \"[[B]]\"]\n") < 30
    assert nesting_bound("x:\n" + "- " * 150 + "a") > frontmatter._SAFE_C_DEPTH
    assert nesting_bound("x: " + "[" * 201) > frontmatter._SAFE_C_DEPTH


def test_deep_frontmatter_is_refused_with_work_bounded_by_the_limit():
    def refused(text: str) -> None:
        with pytest.raises(FrontmatterError, match="nested too deeply"):
            parse(text)

    def texts(levels: int) -> list[str]:
        return [
            "---\nname: Deep\nx: " + "[" * levels + "]" * levels + "\n---\n",
            "---\nname: Deep\nx:\n" + "- " * levels + "a\n---\n",
            "---\nx: " + "{" * (10 * levels) + "\n---\n",
        ]

    refused(texts(300)[0])  # warm
    for small, large in zip(texts(1000), texts(10_000)):
        _, few = python_steps(refused, small)
        _, many = python_steps(refused, large)
        # ten times the levels, at most ten times the work: linear, never worse
        assert many <= 11 * few, (few, many)
    for text in (DEEP_FLOW, DEEP_BLOCK):  # the sizes that once crashed the process
        refused(text)


# --- 9. settings files that are not small regular files in the vault -------------


def _fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "huge"])
def test_obsidian_templates_json_is_read_only_when_harmless(make_vault, tmp_path, kind):
    root = make_vault({"people/Ann.md": CONTACT, "Templates/Blank.md": "---\ntype: contact\n---\n"})
    settings = root / ".obsidian" / "templates.json"
    settings.parent.mkdir()
    outside = tmp_path / "templates.json"
    outside.write_text('{"folder": "Templates"}')
    if kind == "fifo":
        _fifo(settings)
    elif kind == "dev-zero":
        settings.symlink_to("/dev/zero")
    elif kind == "outside":
        settings.symlink_to(outside)
    else:
        settings.write_text('{"folder": "Templates", "pad": "' + "x" * (1 << 20) + '"}')
    result = _netvault(["check", "--vault", root, "--today", "2026-11-22"], tmp_path, timeout=20)
    assert result.returncode == 0
    # ignored, so Obsidian's template folder is read like any other
    assert result.stderr == "no problems in 2 notes (2 contacts)\n"


def test_obsidian_templates_json_inside_the_vault_still_counts(make_vault):
    root = make_vault(
        {"people/Ann.md": CONTACT, "Templates/Blank.md": "---\ntype: contact\n---\n",
         "shared/templates.json": '{"folder": "Templates"}'}
    )
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "templates.json").symlink_to("../shared/templates.json")
    assert [c.path for c in load_vault(root, TODAY).contacts] == ["people/Ann.md"]


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("fifo", "not a regular file"),
        ("dev-zero", "links to a file outside the vault"),  # checked first
        ("outside", "links to a file outside the vault"),
        ("huge", "larger than 1 MB"),
        ("folder", "not a regular file"),
    ],
)
def test_netvault_toml_is_read_only_when_harmless(make_vault, tmp_path, kind, reason):
    root = make_vault({"people/Jane Doe.md": JANE}, config=None)
    settings = root / "netvault.toml"
    outside = tmp_path / "elsewhere.toml"
    outside.write_text('[vault]\nlog_heading = "Hijacked"\n')
    if kind == "fifo":
        _fifo(settings)
    elif kind == "dev-zero":
        settings.symlink_to("/dev/zero")
    elif kind == "outside":
        settings.symlink_to(outside)
    elif kind == "folder":
        settings.mkdir()
    else:
        settings.write_text("# padding\n" * 120_000)
    today = ["--vault", root, "--today", "2026-11-22"]
    result = _netvault(["check", *today], tmp_path, timeout=20)
    assert (result.returncode, result.stdout) == (
        1, f"netvault.toml: error: {reason}; the settings were not read, so defaults apply\n"
    )
    assert _netvault(["agenda", *today], tmp_path, timeout=20).returncode == 0
    before = (root / "people" / "Jane Doe.md").read_bytes()
    result = _netvault(["log", "Jane Doe", "call", *today], tmp_path, timeout=20)
    assert result.returncode == 1
    assert "netvault.toml has errors, so netvault changes no file" in result.stderr
    assert (root / "people" / "Jane Doe.md").read_bytes() == before
    assert outside.read_text() == '[vault]\nlog_heading = "Hijacked"\n'


def test_netvault_toml_linked_inside_the_vault_is_read(make_vault):
    root = make_vault({"settings/main.toml": "[agenda]\ndays = 3\n"}, config=None)
    (root / "netvault.toml").symlink_to("settings/main.toml")
    config, problems = load_config(root)
    assert (config.days, problems) == (3, [])


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "outside-folder", "huge"])
def test_user_templates_are_read_only_when_harmless(make_vault, tmp_path, kind):
    root = make_vault({"people/Jane Doe.md": JANE})
    templates = root / ".netvault" / "templates"
    secret = tmp_path / "secret"
    secret.mkdir()
    for name in ("contact.md", "agenda.txt.j2"):
        (secret / name).write_text("SECRET {{ name }}\n")
    if kind == "outside-folder":
        templates.parent.mkdir()
        templates.symlink_to(secret, target_is_directory=True)
    else:
        templates.mkdir(parents=True)
        for name in ("contact.md", "agenda.txt.j2"):
            if kind == "fifo":
                _fifo(templates / name)
            elif kind == "dev-zero":
                (templates / name).symlink_to("/dev/zero")
            elif kind == "outside":
                (templates / name).symlink_to(secret / name)
            else:
                (templates / name).write_text("SECRET {{ name }}\n" + "#" * (1 << 20))
    today = ["--vault", root, "--today", "2026-11-22"]
    result = _netvault(["agenda", *today], tmp_path, timeout=20)
    assert result.returncode == 0
    assert "SECRET" not in result.stdout and "Jane Doe" in result.stdout
    assert _netvault(["add", "Sam Lee", "--vault", root], tmp_path, timeout=20).returncode == 0
    text = (root / "people" / "Sam Lee.md").read_text()
    assert "SECRET" not in text and text.startswith("---\nname: Sam Lee\n")


def test_a_user_template_linked_inside_the_vault_is_used(make_vault, run):
    root = make_vault({"shared/contact.md": "---\nname: {{ name }}\ntype: contact\nshared: yes\n---\n"})
    (root / ".netvault" / "templates").mkdir(parents=True)
    (root / ".netvault" / "templates" / "contact.md").symlink_to("../../shared/contact.md")
    assert run("add", "Ann", "--vault", root).exit_code == 0
    assert "shared: yes\n" in (root / "people" / "Ann.md").read_text()


# --- 10. temporary files left by a killed write ---------------------------------------


def test_a_leftover_temporary_file_is_reported(make_vault, run):
    from netvault.edit.lock import temp_path

    root = make_vault({"people/Jane Doe.md": JANE, "people/.hidden.md": "x", "people/.x.netvault-tmp": "x"})
    fd, made = temp_path(root / "people", "Jane Doe.md")  # what the writer names them
    os.close(fd)
    name = Path(made).name
    assert LEFTOVER_TEMP.match(name)
    result = run("check", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.stdout == (
        f"people/{name}: warning: left by an interrupted netvault write; "
        "delete it once you have checked the contact\n"
    )
    assert [c.path for c in load_vault(root, TODAY).contacts] == ["people/Jane Doe.md"]


def test_a_write_killed_midway_leaves_a_file_check_reports(make_vault, tmp_path):
    root = make_vault({"people/Jane Doe.md": JANE})
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from netvault.edit import diskwrite\n"
        "real = os.replace\n"
        "def die(src, dst, *a, **k):\n"
        "    os.kill(os.getpid(), 9)\n"
        "diskwrite.os.replace = die\n"
        "diskwrite.os.rename = die\n"
        "from netvault.cli import main\n"
        "main(['log', 'Jane Doe', 'call', '--vault', sys.argv[1], '--today', '2026-11-22'])\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, root], capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
        # the patched os.replace would also fire on the read cache's own rename
        env={**os.environ, "NETVAULT_NO_CACHE": "1"},
    )
    assert killed.returncode == -9, killed.stderr
    leftovers = [p.name for p in (root / "people").iterdir() if p.name.endswith(".netvault-tmp")]
    assert len(leftovers) == 1
    result = _netvault(["check", "--vault", root, "--today", "2026-11-22"], tmp_path)
    assert f"people/{leftovers[0]}: warning: left by an interrupted netvault write" in result.stdout

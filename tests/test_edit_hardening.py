"""Edit commands under hostile arguments, broken settings and odd notes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from netvault.edit import diskwrite
from netvault.edit.errors import EditError
from netvault.edit.record import Edit, introduced_problems
from netvault.edit.writer import add_log_entry
from netvault.read.loader import load_vault

TODAY = "2026-11-22"
JANE = "---\nname: Jane Doe\ncircle: lukewarm\nlast_contact: 2026-09-14\n---\nNotes.\n\n## Log\n- 2026-09-14 coffee\n"
BOB = "---\ncircle: buddy\n---\n"


@pytest.fixture
def vault(make_vault):
    return make_vault({"people/Jane Doe.md": JANE, "people/Bob.md": BOB})


def read(root: Path, name: str) -> str:
    return (root / "people" / f"{name}.md").read_text()


# --- arguments that are not text ---------------------------------------------

BAD = "x\udcff"  # what Python makes of the byte 0xff in an argument


@pytest.mark.parametrize(
    "args",
    [
        ["add", "\udcff\udcfe bad"],
        *[["add", "Some One", f"--{option}", BAD] for option in (
            "org", "role", "email", "phone", "linkedin", "origin", "alias", "tag", "introduced-by"
        )],
        ["log", "Jane", BAD],
        ["log", BAD, "hi"],
        ["set", "Jane", "org", BAD],
        ["set", "Jane", BAD, "x"],
        ["unset", "Jane", BAD],
        ["follow-up", "Jane", "2026-12-01", BAD],
        ["snooze", BAD, "--for", "3m"],
        ["move", BAD, "--circle", "buddy"],
        ["done", BAD],
        ["agenda", "--format", BAD],
    ],
)
def test_arguments_that_are_not_utf8_are_refused_cleanly(run, vault, args):
    before = sorted(p.name for p in (vault / "people").iterdir())
    result = run(*args, "--vault", vault, "--today", TODAY)
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.stderr
    assert "\\xff" in result.stderr
    assert sorted(p.name for p in (vault / "people").iterdir()) == before
    assert read(vault, "Jane Doe") == JANE


def test_a_real_process_with_a_non_utf8_argument(vault):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    result = subprocess.run(
        [sys.executable, "-m", "netvault.cli", "add", b"\xff\xfe bad", "--vault", str(vault)],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert b"is not UTF-8 text" in result.stderr


# --- names with slashes ------------------------------------------------------


def test_the_name_add_wrote_finds_the_person(run, make_vault):
    root = make_vault({"people/Jane Doe.md": JANE})
    assert run("add", "AC/DC Fan Club / Bob", "--circle", "buddy", "--vault", root).stdout == (
        "Created people/ACDC Fan Club Bob.md\n"
    )
    result = run("log", "AC/DC Fan Club / Bob", "gig", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "- 2026-11-22 gig\n" in read(root, "ACDC Fan Club Bob")
    assert run("set", "Jane", "knows", "AC/DC Fan Club / Bob", "--vault", root, "--today", TODAY).exit_code == 0
    check = run("check", "--vault", root, "--today", TODAY)
    assert "is not a contact" not in check.output, check.output


# --- settings that cannot be read --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["log", "Jane", "lunch"],
        ["set", "Jane", "org", "Acme"],
        ["snooze", "Jane", "--for", "9m"],
        ["move", "Jane", "--circle", "buddy"],
        ["add", "New Person"],
    ],
)
def test_broken_settings_stop_every_command_that_writes(run, make_vault, args):
    config = '[vault]\nlog_heading = "Interactions"\n\n[agenda\ndays = 7\n'
    root = make_vault({"people/Jane Doe.md": JANE.replace("## Log", "## Interactions")}, config=config)
    dated = [] if args[0] == "add" else ["--today", TODAY]
    result = run(*args, "--vault", root, *dated)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: netvault.toml has errors, so netvault changes no file until they are fixed:\n"
        "netvault.toml:4: error: not valid TOML"
    )
    assert read(root, "Jane Doe") == JANE.replace("## Log", "## Interactions")
    assert sorted(os.listdir(root / "people")) == ["Jane Doe.md"]


# --- set checks values the way check does ------------------------------------


@pytest.mark.parametrize(
    "key, value, warning",
    [
        ("channels", "email, pigeon", "people/Jane Doe.md:5: warning: unknown channel 'pigeon'"),
        ("last_contact", "2030-01-01", "people/Jane Doe.md:4: warning: last_contact 2030-01-01 is in the future"),
        ("knows", "Nobody", "people/Jane Doe.md:5: warning: knows: [[Nobody]] is not a contact in this vault"),
    ],
)
def test_set_warns_about_what_check_warns_about(run, vault, key, value, warning):
    result = run("set", "Jane", key, value, "--vault", vault, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stderr.startswith(warning), result.stderr
    check = run("check", "--vault", vault, "--today", TODAY)
    assert warning in check.stdout


def test_set_warns_only_about_what_it_introduced(run, vault):
    run("set", "Jane", "knows", "Nobody", "--vault", vault, "--today", TODAY)
    result = run("set", "Jane", "org", "Acme", "--vault", vault, "--today", TODAY)
    assert (result.exit_code, result.stderr) == (0, "")


def test_an_edit_that_check_would_reject_is_refused(vault):
    loaded = load_vault(vault)
    broken = JANE.replace("circle: lukewarm", "circle: warm").encode()
    edit = Edit("people/Jane Doe.md", JANE.encode(), broken)
    problems = introduced_problems(loaded, edit, None)
    assert [(p.line, p.severity) for p in problems] == [(3, "error")]
    assert "unknown circle 'warm'" in problems[0].message


@pytest.mark.parametrize("value", ["", " ", ",,,", " , ,"])
def test_an_empty_list_is_refused_like_an_empty_value(run, vault, value):
    result = run("set", "Jane", "tags", value, "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert "use `netvault unset` to remove a key" in result.stderr
    assert read(vault, "Jane Doe") == JANE


# --- several files: all or nothing -------------------------------------------


def test_log_to_several_people_writes_none_when_one_is_read_only(run, vault):
    (vault / "people" / "Bob.md").chmod(0o444)
    result = run("log", "Jane", "Bob", "lunch", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot edit people/Bob.md: the file is read-only (make it writable to let netvault "
        "change it); no file was changed\n"
    )
    assert read(vault, "Jane Doe") == JANE
    assert read(vault, "Bob") == BOB


def test_log_to_several_people_writes_none_when_one_cannot_be_edited(run, vault):
    (vault / "people" / "Bob.md").write_text("---\ncircle: buddy\n---\n```\nunclosed code\n")
    result = run("log", "Jane", "Bob", "lunch", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert "people/Bob.md:4: " in result.stderr and "never closed" in result.stderr
    assert read(vault, "Jane Doe") == JANE


def test_a_write_failing_midway_names_the_files_already_written(run, vault, monkeypatch):
    real_rename = diskwrite.put_in_place

    def rename(plan, lock, now):
        if plan.path.name == "Jane Doe.md":
            raise EditError(f"cannot write {plan.path}: No space left on device")
        real_rename(plan, lock, now)

    monkeypatch.setattr(diskwrite, "put_in_place", rename)
    result = run("log", "Bob", "Jane", "lunch", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert "Already written: people/Bob.md; people/Jane Doe.md and the rest were left as they were" in result.stderr
    assert "- 2026-11-22 lunch" in read(vault, "Bob")
    assert read(vault, "Jane Doe") == JANE
    assert not [n for n in os.listdir(vault / "people") if n.endswith(".netvault-tmp")]


# --- refusals give the real reason -------------------------------------------


@pytest.mark.parametrize(
    "body, line, reason",
    [
        ("Notes\n<!-- draft\n\n## Log\n- 2026-01-01 x\n", 5, "an HTML comment '<!--' that is never closed"),
        ("Notes\n%% hidden\n## Log\n- 2026-01-01 x\n", 5, "an Obsidian comment '%%' that is never closed"),
        ("```\ncode\n## Log\n- 2026-01-01 x\n", 4, "a ``` code block that is never closed"),
    ],
)
def test_refusals_name_the_real_reason_and_line(run, make_vault, body, line, reason):
    text = "---\ncircle: buddy\n---\n" + body
    root = make_vault({"people/Ann.md": text})
    result = run("log", "Ann", "hi", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1
    assert f"cannot edit people/Ann.md:{line}: " in result.stderr
    assert reason in result.stderr
    assert "line breaks" not in result.stderr
    assert read(root, "Ann") == text


def test_a_log_heading_with_its_own_hash_marks_is_refused_with_the_reason(run, make_vault):
    root = make_vault({"people/Ann.md": BOB}, config='[vault]\nlog_heading = "## Log #"\n')
    result = run("log", "Ann", "hi", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1
    assert "log heading '## Log #' cannot be written as a Markdown heading" in result.stderr
    assert read(root, "Ann") == BOB
    with pytest.raises(EditError, match="without '#' marks"):
        add_log_entry(BOB, "- 2026-11-22 hi", "## Log #")


def test_a_nested_log_heading_gets_one_entry_counted_once(run, make_vault):
    text = "---\ncircle: buddy\n---\n## Log ##\n- 2026-01-01 a\n#### LOG\n- 2026-01-02 b\n"
    root = make_vault({"people/Ann.md": text})
    result = run("log", "Ann", "hi", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert read(root, "Ann").count("- 2026-11-22 hi") == 1


# --- nothing reaches the terminal raw ------------------------------------------


def test_edit_messages_never_carry_control_characters(run, make_vault):
    root = make_vault({"people/Ann.md": '---\nname: "Ann \\e]0;pwned\\a"\ncircle: buddy\n---\n'})
    result = run("log", "ann", "hi", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Ann \\x1b]0;pwned\\x07" in result.stdout
    result = run("log", "ann", "hi", "--vault", root, "--today", TODAY, "--dry-run")
    assert "\x1b" not in result.output


@pytest.mark.parametrize("target", ["netvault.toml", ".obsidian/app.json", ".obsidian/Note.md"])
def test_the_writer_never_writes_through_a_link_to_a_non_note(make_vault, target):
    root = make_vault({".obsidian/app.json": '{"theme": "dark"}\n', ".obsidian/Note.md": BOB})
    (root / "people").mkdir()
    link = root / "people" / "Obs.md"
    link.symlink_to(os.path.relpath(root / target, link.parent))
    before = (root / target).read_bytes()
    from netvault.edit.writer import edit_file, set_field

    with pytest.raises(EditError, match="never writes through it"):
        edit_file(link, lambda t: set_field(t, "circle", "cold"), root=root)
    assert (root / target).read_bytes() == before


def test_follow_outside_links_reads_but_never_writes(run, make_vault, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(JANE)
    root = make_vault({}, config="[vault]\nfollow_outside_links = true\n")
    (root / "people").mkdir()
    (root / "people" / "Jane Doe.md").symlink_to(outside)
    assert "(1 contact)" in run("check", "--vault", root, "--today", TODAY).stderr
    result = run("log", "Jane", "call", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1
    assert "outside the vault" in result.stderr
    assert outside.read_text() == JANE

"""log, snooze, follow-up, done, move, set, unset: what they change, byte for byte."""

from __future__ import annotations

import difflib
import os
from datetime import date

import pytest

from netvault.edit import writer
from netvault.read.loader import load_vault

from .conftest import TODAY

JANE = """\
---
name: Jane Doe
aliases: [Janie]
circle: lukewarm   # met at a conference
last_contact: 2026-09-14
follow_up: 2026-11-30 send her the deck
---
Notes.

## Log
- 2026-09-14 in-person: coffee #gave
- 2026-06-01 email: asked for advice #asked
"""


@pytest.fixture
def vault(make_vault):
    return make_vault(
        {
            "people/Jane Doe.md": JANE,
            "people/Bob Smith.md": "---\ncircle: buddy\n---\nNo log yet.",
            "people/Bobby Tables.md": "---\ncircle: cold\n---\n",
        }
    )


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
        if line[:1] in "+-"
    ]


def read(root, name):
    return (root / "people" / f"{name}.md").read_bytes().decode("utf-8")


def test_log_adds_an_entry_and_moves_last_contact(run, vault):
    result = run("log", "janie", "lunch, she is hiring", "--vault", vault, "--today", "2026-11-22",
                 "--channel", "in-person", "--gave")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Logged for Jane Doe (people/Jane Doe.md): 2026-11-22 in-person: lunch, she is hiring #gave\n"
    )
    after = read(vault, "Jane Doe")
    assert changed_lines(JANE, after) == [
        "- last_contact: 2026-09-14\n",
        "+ last_contact: 2026-11-22\n",
        "+ - 2026-11-22 in-person: lunch, she is hiring #gave\n",
    ]
    assert after.index("2026-11-22 in-person") < after.index("2026-09-14 in-person")  # newest first kept


def test_logging_an_old_conversation_never_moves_last_contact_back(run, vault):
    result = run("log", "Jane Doe", "old call", "--date", "2026-07-01", "--vault", vault,
                 "--today", "2026-11-22", "--channel", "phone")
    assert result.exit_code == 0
    after = read(vault, "Jane Doe")
    assert changed_lines(JANE, after) == ["+ - 2026-07-01 phone: old call\n"]
    lines = after.splitlines()
    assert lines.index("- 2026-07-01 phone: old call") == lines.index("- 2026-06-01 email: asked for advice #asked") - 1


def test_log_several_people_and_create_the_section(run, vault):
    result = run("log", "Jane", "Bob Smith", "team dinner", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert read(vault, "Bob Smith") == (
        "---\ncircle: buddy\nlast_contact: 2026-11-22\n---\nNo log yet.\n\n## Log\n\n- 2026-11-22 team dinner"
    )
    assert "- 2026-11-22 team dinner\n" in read(vault, "Jane Doe")
    contacts = {c.name: c for c in load_vault(vault, TODAY).contacts}
    assert contacts["Bob Smith"].log[0].date == TODAY


def test_log_refuses_the_future_unless_planned(run, vault):
    result = run("log", "Jane", "lunch", "--date", "2026-12-01", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.stderr == "Error: 2026-12-01 is in the future; use --planned to log a planned meeting\n"
    assert read(vault, "Jane Doe") == JANE
    result = run("log", "Jane", "lunch", "--date", "2026-12-01", "--planned", "--vault", vault,
                 "--today", "2026-11-22")
    assert result.exit_code == 0
    assert changed_lines(JANE, read(vault, "Jane Doe")) == ["+ - 2026-12-01 lunch #planned\n"]
    assert load_vault(vault, TODAY).problems == ()  # a planned entry is not a mistake


def test_dry_run_prints_a_diff_and_writes_nothing(run, vault):
    result = run("log", "Jane", "call", "--vault", vault, "--today", "2026-11-22", "--dry-run")
    assert result.exit_code == 0
    assert read(vault, "Jane Doe") == JANE
    assert result.stdout == (
        "--- a/people/Jane Doe.md\n"
        "+++ b/people/Jane Doe.md\n"
        "@@ -2,11 +2,12 @@\n"
        " name: Jane Doe\n"
        " aliases: [Janie]\n"
        " circle: lukewarm   # met at a conference\n"
        "-last_contact: 2026-09-14\n"
        "+last_contact: 2026-11-22\n"
        " follow_up: 2026-11-30 send her the deck\n"
        " ---\n"
        " Notes.\n"
        " \n"
        " ## Log\n"
        "+- 2026-11-22 call\n"
        " - 2026-09-14 in-person: coffee #gave\n"
        " - 2026-06-01 email: asked for advice #asked\n"
    )
    assert result.stderr == "dry run: people/Jane Doe.md not written\n"


@pytest.mark.parametrize(
    "name, message",
    [
        ("Nobody", "Error: 'Nobody' is not a contact in this vault\n"),
        ("bob", "Error: 'bob' matches more than one contact; did you mean: "
                "Bob Smith (people/Bob Smith.md); Bobby Tables (people/Bobby Tables.md)\n"),
        ("Jane Do", None),  # a unique prefix is fine
        ("Jnae Doe", "Error: 'Jnae Doe' is not a contact in this vault; did you mean: "
                     "Jane Doe (people/Jane Doe.md)\n"),
    ],
)
def test_names_resolve_or_list_candidates(run, vault, name, message):
    result = run("log", name, "hi", "--vault", vault, "--today", "2026-11-22")
    if message is None:
        assert result.exit_code == 0
    else:
        assert (result.exit_code, result.stderr) == (1, message)
        assert "Traceback" not in result.output


def test_one_unknown_name_writes_nothing(run, vault):
    result = run("log", "Jane", "Nobody", "dinner", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert read(vault, "Jane Doe") == JANE


def test_snooze(run, vault):
    # lukewarm, last contact 2026-09-14: due 2027-03-14
    result = run("snooze", "Jane", "--for", "4m", "--vault", vault, "--today", "2026-11-30")
    assert result.stdout == "Snoozed Jane Doe until 2027-03-30 (people/Jane Doe.md)\n"
    assert changed_lines(JANE, read(vault, "Jane Doe")) == ["+ snooze_until: 2027-03-30\n"]
    result = run("snooze", "Jane", "--until", "2027-04-24", "--vault", vault, "--today", "2026-11-22")
    assert "snooze_until: 2027-04-24\n" in read(vault, "Jane Doe")
    for args, message in [
        ([], "Error: give exactly one of --until DATE or --for LENGTH"),
        (["--for", "soon"], "Error: --for takes a length like 30d, 2w, 3m or 1y, not 'soon'"),
        (["--until", "2026-11-01"], "Error: 2026-11-01 is not after today (2026-11-22); nothing to snooze"),
    ]:
        result = run("snooze", "Jane", *args, "--vault", vault, "--today", "2026-11-22")
        assert result.exit_code in (1, 2)
        assert message in result.stderr


def test_follow_up_and_done(run, vault):
    result = run("follow-up", "Jane", "2026-12-05", "send", "the", "deck", "--vault", vault, "--today", TODAY)
    assert result.stdout == "Follow-up for Jane Doe on 2026-12-05 send the deck (people/Jane Doe.md)\n"
    assert changed_lines(JANE, read(vault, "Jane Doe")) == [
        "- follow_up: 2026-11-30 send her the deck\n",
        "+ follow_up: 2026-12-05 send the deck\n",
    ]
    before = read(vault, "Jane Doe")
    result = run("done", "Jane", "--channel", "email", "--gave", "--vault", vault, "--today", "2026-12-05")
    assert result.exit_code == 0
    assert changed_lines(before, read(vault, "Jane Doe")) == [
        "- last_contact: 2026-09-14\n",
        "+ last_contact: 2026-12-05\n",
        "- follow_up: 2026-12-05 send the deck\n",
        "+ - 2026-12-05 email: done: send the deck #gave\n",
    ]
    result = run("done", "Jane", "--vault", vault, "--today", "2026-12-05")
    assert (result.exit_code, result.stderr) == (
        1, "Error: Jane Doe has no follow_up to mark done (people/Jane Doe.md)\n")


def test_move_logs_history_that_is_not_a_contact(run, vault):
    result = run("move", "Jane", "--circle", "strategic", "--vault", vault, "--today", "2026-11-22")
    assert result.stdout == "Moved Jane Doe from lukewarm to strategic (people/Jane Doe.md)\n"
    assert changed_lines(JANE, read(vault, "Jane Doe")) == [
        "- circle: lukewarm   # met at a conference\n",
        "+ circle: strategic   # met at a conference\n",
        "+ - 2026-11-22 moved lukewarm → strategic\n",
    ]
    (jane,) = [c for c in load_vault(vault, TODAY).contacts if c.name == "Jane Doe"]
    from netvault.playbook.due import effective_last_contact

    assert effective_last_contact(jane, TODAY) == date(2026, 9, 14)
    result = run("move", "Jane", "--circle", "strategic", "--vault", vault, "--today", "2026-11-22")
    assert (result.exit_code, result.stderr) == (1, "Error: Jane Doe is already in the strategic circle\n")


@pytest.mark.parametrize(
    "key, value, line",
    [
        ("tags", "mentor, product", "tags: [mentor, product]"),
        ("knows", "Bob Smith, [[Bobby Tables]]", 'knows: ["[[Bob Smith]]", "[[Bobby Tables]]"]'),
        ("introduced_by", "Bob Smith", 'introduced_by: "[[Bob Smith]]"'),
        ("priority", "03", "priority: 3"),
        ("cadence", " 6/Year ", "cadence: 6/year"),
        ("phone", "+44 20 7946 0000", "phone: +44 20 7946 0000"),
        ("zip", "01234", "zip: 01234"),
        ("note", "yes: really # not a comment", 'note: "yes: really # not a comment"'),
        ("birthday", "05-02", "birthday: 05-02"),
    ],
)
def test_set_writes_typed_values(run, vault, key, value, line):
    result = run("set", "Jane", key, value, "--vault", vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert changed_lines(JANE, read(vault, "Jane Doe")) == [f"+ {line}\n"]
    assert load_vault(vault, TODAY).problems == ()


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("last_contact", "yesterday", "Error: last_contact: expected a date YYYY-MM-DD, got 'yesterday'"),
        ("circle", "warm", "Error: unknown circle 'warm'; use one of: buddy, strategic, lukewarm, cold"),
        ("priority", "high", "Error: priority must be a whole number, 1 = highest, not 'high'"),
        ("cadence", "often", "Error: unknown cadence 'often'"),
        ("follow_up", "soon call", "Error: follow_up must start with a date"),
        ("bad key", "x", "Error: 'bad key' is not a key netvault writes"),
        ("org", "  ", "Error: the value for org is empty; use `netvault unset` to remove a key"),
    ],
)
def test_set_refuses_bad_values(run, vault, key, value, message):
    result = run("set", "Jane", key, value, "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert read(vault, "Jane Doe") == JANE


def test_set_changes_in_place_and_unset_removes_the_line(run, vault):
    assert run("set", "Jane", "circle", "Buddy", "--vault", vault, "--today", TODAY).exit_code == 0
    assert changed_lines(JANE, read(vault, "Jane Doe")) == [
        "- circle: lukewarm   # met at a conference\n",
        "+ circle: buddy   # met at a conference\n",
    ]
    assert run("unset", "Jane", "follow_up", "--vault", vault, "--today", TODAY).exit_code == 0
    assert "follow_up" not in read(vault, "Jane Doe")
    result = run("unset", "Jane", "follow_up", "--vault", vault, "--today", TODAY)
    assert (result.exit_code, result.stderr) == (1, "Error: Jane Doe has no follow_up (people/Jane Doe.md)\n")


def test_crlf_bom_and_no_final_newline_survive(run, make_vault):
    original = ("\ufeff" + JANE.replace("\n", "\r\n")).rstrip("\r\n")
    root = make_vault({"people/Jane Doe.md": original.encode("utf-8")})
    assert run("log", "Jane", "call", "--vault", root, "--today", "2026-11-22", "--channel", "phone").exit_code == 0
    after = (root / "people" / "Jane Doe.md").read_bytes()
    assert after.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert not after.endswith(b"\n")
    assert after.decode("utf-8").replace("\r\n", "\n") == (
        "\ufeff" + JANE.rstrip("\n")
    ).replace("last_contact: 2026-09-14", "last_contact: 2026-11-22").replace(
        "## Log\n", "## Log\n- 2026-11-22 phone: call\n"
    )


def test_unsafe_files_are_left_untouched(run, make_vault):
    broken = "---\ncircle: buddy\nname: Jane\norg: [Acme\n---\n"
    root = make_vault({"people/Jane.md": broken, "people/Ann.md": b"---\ncircle: buddy\norg: Caf\xe9\n---\n"})
    result = run("log", "Jane", "call", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'Jane' is not a contact in this vault\n"
        "people/Jane.md:5: error: frontmatter is not valid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts on line 4)\n"
        "(that file may be this contact, but netvault cannot read it until it is fixed)\n"
    )
    assert (root / "people" / "Jane.md").read_text() == broken


def test_a_block_value_netvault_cannot_edit_is_refused_with_its_line(run, make_vault):
    text = "---\ncircle: buddy\nfollow_up: >\n  2026-12-01 folded\n  note\n---\n"
    root = make_vault({"people/Jane.md": text})
    result = run("follow-up", "Jane", "2026-12-05", "x", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot edit people/Jane.md:3: ")
    assert result.stderr.endswith("; the file was left as it was\n")
    assert (root / "people" / "Jane.md").read_text() == text


def test_an_editor_saving_mid_edit_is_kept_and_netvault_starts_over(run, vault, monkeypatch):
    path = vault / "people" / "Jane Doe.md"
    editor_text = JANE + "- 2026-01-01 typed in the editor\n"
    real_edit_files = writer.edit_files
    calls = []

    def editor_saves_once(jobs, **options):
        def racing(transform):
            def run_it(text):
                result = transform(text)
                calls.append(text)
                if len(calls) == 2:  # netvault holds the lock and has read the file
                    path.write_text(editor_text)  # the user saves in Obsidian right now
                return result

            return run_it

        return real_edit_files([(p, racing(t)) for p, t in jobs], **options)

    monkeypatch.setattr("netvault.edit.record.edit_files", editor_saves_once)
    result = run("log", "Jane", "call", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert len(calls) == 3  # first look, the read the editor overtook, the read after it
    text = path.read_text()
    assert "- 2026-01-01 typed in the editor\n" in text
    assert "- 2026-11-22 call\n" in text


def test_a_file_that_keeps_changing_is_refused_and_left_as_the_editor_saved_it(run, vault, monkeypatch):
    path = vault / "people" / "Jane Doe.md"
    real_edit_files = writer.edit_files
    saves = []

    def editor_keeps_saving(jobs, **options):
        def racing(transform):
            def run_it(text):
                saves.append(1)
                path.write_text(JANE + f"- 2026-01-0{len(saves)} save {len(saves)}\n")
                return transform(text)

            return run_it

        return real_edit_files([(p, racing(t)) for p, t in jobs], **options)

    monkeypatch.setattr("netvault.edit.record.edit_files", editor_keeps_saving)
    result = run("log", "Jane", "call", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: people/Jane Doe.md changed on disk while netvault was editing it; "
        "nothing was written. Run the command again.\n"
    )
    assert path.read_text() == JANE + f"- 2026-01-0{len(saves)} save {len(saves)}\n"


def test_a_contact_linked_inside_the_vault_is_edited_through_the_link(run, make_vault):
    # Not a contact where it lies (no circle, not in people/): only through the link.
    root = make_vault({"archive/Jane Doe.md": JANE.replace("circle: lukewarm   # met at a conference\n", "")})
    target = root / "archive" / "Jane Doe.md"
    (root / "people").mkdir()
    link = root / "people" / "Jane Doe.md"
    link.symlink_to("../archive/Jane Doe.md")
    os.chmod(target, 0o600)
    assert run("log", "Jane", "call", "--vault", root, "--today", "2026-11-22").exit_code == 0
    assert link.is_symlink()
    assert "- 2026-11-22 call\n" in target.read_text()
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_a_contact_linked_outside_the_vault_is_never_written(run, make_vault, tmp_path):
    target = tmp_path / "elsewhere" / "Jane Doe.md"
    target.parent.mkdir()
    target.write_text(JANE)
    root = make_vault({})
    (root / "people").mkdir()
    (root / "people" / "Jane Doe.md").symlink_to(target)
    result = run("log", "Jane", "call", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert target.read_text() == JANE


def test_the_writer_refuses_a_link_out_of_the_vault_even_when_asked_directly(make_vault, tmp_path):
    target = tmp_path / "outside.md"
    target.write_text(JANE)
    root = make_vault({})
    (root / "people").mkdir()
    link = root / "people" / "Jane Doe.md"
    link.symlink_to(target)
    with pytest.raises(writer.EditError, match="outside the vault"):
        writer.edit_file(link, lambda t: writer.set_field(t, "circle", "cold"), root=root)
    assert target.read_text() == JANE


@pytest.mark.parametrize("command", ["log", "snooze", "follow-up", "done", "move", "set", "unset"])
def test_every_editing_command_has_dry_run(run, command):
    assert "--dry-run" in run(command, "--help").stdout


@pytest.mark.parametrize("name", ["people/Jane Doe.md", "people/Jane Doe", "[[Jane Doe]]", "JANE", "janie"])
def test_name_forms_that_resolve(run, vault, name):
    result = run("log", name, "hi", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "Logged for Jane Doe" in result.stdout


def test_accents_are_optional_when_typing_a_name(run, make_vault):
    root = make_vault({"people/José Ñúñez.md": "---\ncircle: buddy\n---\n"})
    assert run("log", "jose nunez", "hi", "--vault", root, "--today", "2026-11-22").exit_code == 0
    assert run("log", "jose", "hi", "--vault", root, "--today", "2026-11-22").exit_code == 0


def test_a_file_name_beats_someone_elses_alias(run, make_vault):
    root = make_vault(
        {
            "people/Ada.md": "---\ncircle: buddy\n---\n",
            "people/Alias Test.md": "---\ncircle: buddy\naliases: [Ada]\n---\n",
        }
    )
    result = run("log", "Ada", "hi", "--vault", root, "--today", "2026-11-22")
    assert result.stdout.startswith("Logged for Ada (people/Ada.md)")


def test_names_stay_unique_but_aliases_may_be_shared(run, vault):
    result = run("add", "Someone New", "--alias", "jane doe", "--vault", vault)
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: 'jane doe' is already the name of Jane Doe (people/Jane Doe.md); "
        "pick a name only this person has\n",
    )
    assert not (vault / "people" / "Someone New.md").exists()
    result = run("set", "Bob Smith", "aliases", "Robert, Jane Doe", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 1
    assert "'Jane Doe' is already the name of Jane Doe" in result.stderr
    # a first name several people share is normal
    assert run("set", "Bob Smith", "aliases", "Robert, Janie", "--vault", vault, "--today", TODAY).exit_code == 0
    assert run("add", "Jane Other", "--alias", "janie", "--vault", vault).exit_code == 0
    # your own names are fine
    assert run("set", "Jane Doe", "aliases", "Janie, JD", "--vault", vault, "--today", TODAY).exit_code == 0


def test_log_refuses_a_forgotten_text(run, vault):
    result = run("log", "Jane", "Bob Smith", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 2
    assert "the last argument is the TEXT to log, but 'Bob Smith' is a contact's name" in result.stderr
    assert read(vault, "Jane Doe") == JANE


def test_set_notes_keys_netvault_does_not_use(run, vault):
    result = run("set", "Jane", "colour", "blue", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stderr == "note: netvault does not use 'colour'; it is kept in the file as written\n"
    assert run("set", "Jane", "org", "Acme", "--vault", vault, "--today", TODAY).stderr == ""


def test_log_follows_the_bullet_the_log_uses(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\n---\n## Log\n* 2026-01-01 email: hi\n"})
    assert run("log", "Ann", "call", "--vault", root, "--today", "2026-11-22").exit_code == 0
    assert (root / "people" / "Ann.md").read_text().endswith("* 2026-01-01 email: hi\n* 2026-11-22 call\n")


def test_unset_keeps_the_comment_on_the_removed_line(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\nsnooze_until: 2026-12-04   # on leave\n---\n"})
    assert run("unset", "Ann", "snooze_until", "--vault", root, "--today", TODAY).exit_code == 0
    assert (root / "people" / "Ann.md").read_text() == "---\ncircle: buddy\n# on leave\n---\n"


# --- regressions found by trying hard to break the promise ----------------------


def logged(run, root, *args):
    result = run("log", "X", "coffee", "--channel", "email", "--vault", root, "--today", "2026-11-22", *args)
    return result, (root / "people" / "X.md").read_text()


def test_log_never_writes_into_a_code_block(run, make_vault):
    text = (
        "---\ncircle: strategic\n---\n## Log\n- 2026-01-01 email: sent him the checklist\n\n"
        "```\n- step one\n- step two\n\nend of checklist\n```\n"
    )
    root = make_vault({"people/X.md": text})
    result, after = logged(run, root)
    assert result.exit_code == 0
    assert after == text.replace(
        "- 2026-01-01 email: sent him the checklist\n",
        "- 2026-01-01 email: sent him the checklist\n- 2026-11-22 email: coffee\n",
    ).replace("circle: strategic\n", "circle: strategic\nlast_contact: 2026-11-22\n")
    # and the list inside the code block is not read as log entries
    (contact,) = load_vault(root, TODAY).contacts
    assert [e.text for e in contact.log] == ["sent him the checklist", "coffee"]


def test_log_never_splits_an_entry_from_its_follow_on_paragraph(run, make_vault):
    text = (
        "---\ncircle: strategic\n---\n## Log\n\n- 2026-01-01 email: intro call\n\n"
        "- 2026-02-01 in-person: lunch\n\n  She is moving to Berlin in March.\n\n    - wants intros\n\n## Notes\nx\n"
    )
    root = make_vault({"people/X.md": text})
    result, after = logged(run, root)
    assert result.exit_code == 0
    assert "    - wants intros\n- 2026-11-22 email: coffee\n\n## Notes" in after


def test_log_section_in_a_comment_is_not_the_log(run, make_vault):
    text = (
        "---\ncircle: strategic\n---\n<!--\n## Log\n- 2026-01-01 commented out\n-->\n\n"
        "%%\n- 2026-01-02 hidden\n%%\n## Log\n- 2026-02-01 real\n"
    )
    root = make_vault({"people/X.md": text})
    (contact,) = load_vault(root, TODAY).contacts
    assert [e.text for e in contact.log] == ["real"]
    result, after = logged(run, root)
    assert after.endswith("## Log\n- 2026-02-01 real\n- 2026-11-22 email: coffee\n")


def test_unset_in_indented_frontmatter_removes_only_that_key(run, make_vault):
    text = "---\n  name: X\n  circle: strategic\n  tags:\n    - a\n    - b\n  org: Acme   # moved on\n---\n"
    root = make_vault({"people/X.md": text})
    assert run("unset", "X", "tags", "--vault", root, "--today", TODAY).exit_code == 0
    assert (root / "people" / "X.md").read_text() == (
        "---\n  name: X\n  circle: strategic\n  org: Acme   # moved on\n---\n"
    )


def test_a_doubled_bom_is_reported_and_never_edited(run, make_vault):
    raw = b"\xef\xbb\xbf\xef\xbb\xbf---\nname: X\ncircle: strategic\n---\n"
    root = make_vault({"people/X.md": raw})
    problems = load_vault(root, TODAY).problems
    assert [(p.line, p.severity) for p in problems] == [(1, "error")]
    assert "two byte-order marks" in problems[0].message
    assert run("set", "people/X.md", "org", "B", "--vault", root, "--today", TODAY).exit_code == 1
    assert (root / "people" / "X.md").read_bytes() == raw


def test_logging_an_old_conversation_adds_no_stale_last_contact(run, make_vault):
    text = "---\ncircle: strategic\n---\n## Log\n- 2026-03-01 email: b\n"
    root = make_vault({"people/X.md": text})
    result, after = logged(run, root, "--date", "2025-06-01")
    assert result.exit_code == 0
    assert after == text.replace("## Log\n", "## Log\n- 2025-06-01 email: coffee\n")


@pytest.mark.parametrize(
    "length, today",
    [("1d", "9999-12-31"), ("1m", "9999-12-31"), ("7999y", "2026-11-22"), ("99999d", "9800-01-01")],
)
def test_snooze_past_the_end_of_the_calendar_is_one_rule(run, vault, length, today):
    result = run("snooze", "Jane", "--for", length, "--vault", vault, "--today", today)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: --for {length} from {today} goes past the end of the calendar (9999-12-31)\n",
    )
    assert read(vault, "Jane Doe") == JANE


def test_a_snooze_before_the_due_date_says_it_changes_nothing(run, vault):
    # lukewarm, last contact 2026-09-14: not due until 2027-03-14
    result = run("snooze", "Jane", "--for", "30d", "--vault", vault, "--today", "2026-11-22")
    assert (result.exit_code, result.stdout) == (
        0,
        "Jane Doe is not due until 2027-03-14 anyway; snoozing until 2026-12-22 changes "
        "nothing (people/Jane Doe.md not written)\n",
    )
    assert read(vault, "Jane Doe") == JANE
    result = run("snooze", "Bob Smith", "--for", "30d", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 0 and "Snoozed Bob Smith until 2026-12-22" in result.stdout
    result = run("snooze", "Bobby", "--for", "30d", "--vault", vault, "--today", "2026-11-22")
    assert "has no rhythm" in result.stdout and "changes nothing" in result.stdout


def test_read_only_files_are_refused_even_for_root(run, vault):
    path = vault / "people" / "Jane Doe.md"
    os.chmod(path, 0o444)
    result = run("log", "Jane", "call", "--vault", vault, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot edit people/Jane Doe.md: the file is read-only (make it writable to let "
        "netvault change it); the file was left as it was\n"
    )
    assert path.read_text() == JANE


def test_a_named_pipe_is_skipped_not_read(run, make_vault):
    root = make_vault({"people/Ann.md": "---\ncircle: buddy\n---\n"})
    os.mkfifo(root / "people" / "Pipe.md")
    assert [c.name for c in load_vault(root, TODAY).contacts] == ["Ann"]


def test_set_warns_about_what_check_would_warn_about(run, make_vault):
    root = make_vault(
        {"people/Ravi Shah.md": "---\ncircle: buddy\n---\n"},
        config='[goals.northwind]\norg = "Northwind"\n',
    )
    result = run("set", "Ravi", "goals", "northwind/hiring", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0
    assert "goals: 'northwind/hiring': the part after '/' must be one of works-there, creates-jobs, made-the-move" in result.stderr
    check = run("check", "--vault", root, "--today", TODAY)
    assert "the part after '/' must be one of" in check.stdout
    result = run("set", "Ravi", "channels", "post", "--vault", root, "--today", TODAY)
    assert "post" in result.stderr and "address" in result.stderr

"""init and add: new vaults and new contact files, never overwriting, never escaping."""

from __future__ import annotations

import pytest

from netvault.edit.scaffold import ScaffoldError, safe_filename, yaml_field, yaml_scalar
from netvault.read.frontmatter import parse
from netvault.read.loader import load_vault

from .conftest import TODAY


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Jane Doe", "Jane Doe"),
        ("../../etc/passwd", "etcpasswd"),
        ("a/b\\c", "abc"),
        ("C:\\Windows", "CWindows"),
        ('Who? "Me" <x> | *', "Who Me x"),
        ("  .hidden  ", "hidden"),
        ("tab\tand\nnewline\x1b[31m", "tabandnewline31m"),
        ("C# Guy [Work] ^1", "C Guy Work 1"),
        ("Zoë  Ångström", "Zoë Ångström"),
        ("CON", "CON (contact)"),
        ("trailing dot.", "trailing dot"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["..", "/", "...", "\x00\x01", "  ", ":*?"])
def test_names_with_nothing_left_are_refused(name):
    with pytest.raises(ScaffoldError):
        safe_filename(name)


def test_long_names_are_cut_on_a_character_boundary():
    name = "é" * 300
    assert len(safe_filename(name).encode("utf-8")) <= 200
    assert safe_filename(name) == "é" * 100


@pytest.mark.parametrize(
    "value",
    ["plain", "+447700900123", "01234", "yes", "a: b", "#hash", "[x]", "{y}", "'q'", '"d"',
     "- dash", "trailing ", "", "~", "null", "x #not comment", "@at", "`tick`", "[[Bob Smith]]",
     "multi\nline", "back\\slash", "tab\there", "ünïcödé", "*star", "&anchor", "!tag", "% pct", "| pipe"],
)
def test_yaml_scalar_reads_back_exactly(value):
    note = parse(f"---\nk: {yaml_scalar(value)}\n---\n")
    assert note.data["k"] == value or (value in ("",) and note.data["k"] == "")


def test_yaml_field_lists_read_back():
    line = yaml_field("tags", ["a", "b, c", "[x]", "d: e"])
    assert parse(f"---\n{line}\n---\n").data["tags"] == ["a", "b, c", "[x]", "d: e"]
    assert yaml_field("org", None) == "org:"


def test_init_creates_a_working_vault(run, tmp_path):
    target = tmp_path / "my-network"
    result = run("init", target)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:5] == [
        "  netvault.toml",
        "  .netvault/templates/contact.md",
        "  .gitignore",
        "  people/Ada Example.md",
    ]
    config = (target / "netvault.toml").read_text()
    # every setting is present but commented out, so the defaults apply
    for key in ("contacts", "log_heading", "output", "buddy", "strategic", "lukewarm", "cold", "days"):
        assert f"# {key} = " in config
    vault = load_vault(target, TODAY)
    assert vault.problems == ()
    assert [c.name for c in vault.contacts] == ["Ada Example"]
    check = run("check", "--vault", target, "--today", "2026-11-22")
    assert check.exit_code == 0


def test_init_refuses_an_existing_vault(run, tmp_path):
    assert run("init", tmp_path).exit_code == 0
    before = (tmp_path / "netvault.toml").read_bytes()
    result = run("init", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'netvault.toml'} already exists; this is a vault already\n"
    assert (tmp_path / "netvault.toml").read_bytes() == before


def test_add_creates_a_contact_from_the_template(run, make_vault):
    root = make_vault({"people/Bob Smith.md": "---\ncircle: buddy\n---\n"})
    result = run(
        "add", "Jane Doe", "--vault", root, "--circle", "strategic", "--org", "Acme: Labs",
        "--email", "jane@acme.com", "--phone", "+44 20 7946 0000", "--channel", "email",
        "--channel", "in-person", "--cadence", "2m", "--priority", "3",
        "--introduced-by", "Bob Smith", "--alias", "Janie", "--tag", "mentor",
    )
    assert (result.exit_code, result.stdout) == (0, "Created people/Jane Doe.md\n")
    vault = load_vault(root, TODAY)
    assert vault.problems == ()
    jane = next(c for c in vault.contacts if c.name == "Jane Doe")
    assert (jane.circle, jane.org, jane.email, jane.phone) == (
        "strategic", "Acme: Labs", "jane@acme.com", "+44 20 7946 0000")
    assert jane.channels == ("email", "in-person")
    assert (jane.cadence.text, jane.priority, jane.aliases, jane.tags) == ("2m", 3, ("Janie",), ("mentor",))
    assert [l.target for l in jane.introduced_by] == ["Bob Smith"]
    assert "## Log" in (root / "people" / "Jane Doe.md").read_text()


def test_add_never_overwrites(run, make_vault):
    original = "---\ncircle: buddy\n---\nprecious notes\n"
    root = make_vault({"people/Jane Doe.md": original})
    result = run("add", "JANE DOE", "--vault", root)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'JANE DOE' is already a contact: people/Jane Doe.md "
        "(use an alias or a fuller name for a different person)\n"
    )
    assert (root / "people" / "Jane Doe.md").read_text() == original


def test_add_refuses_an_existing_file_that_is_not_a_contact(run, make_vault):
    root = make_vault({"people/Jane Doe.md": "---\ncircle: [broken\n---\n"})
    result = run("add", "Jane Doe", "--vault", root)
    assert result.exit_code == 1
    assert result.stderr == "Error: people/Jane Doe.md already exists; netvault never overwrites a contact\n"


def test_add_cannot_escape_the_vault(run, make_vault, tmp_path):
    root = make_vault({})
    result = run("add", "../../../evil", "--vault", root)
    assert result.exit_code == 0
    assert result.stdout == "Created people/evil.md\n"
    assert not (tmp_path / "evil.md").exists()
    result = run("add", "/..", "--vault", root)
    assert result.exit_code == 1
    assert "has nothing left to name a file after" in result.stderr


def test_add_uses_the_folder_and_template_of_the_vault(run, make_vault):
    root = make_vault(
        {".netvault/templates/contact.md": "---\nname: {{ name }}\ntype: contact\nmine: yes\n---\n"},
        config='[vault]\ncontacts = ["crm/people"]\n',
    )
    assert run("add", "Ann", "--vault", root).exit_code == 0
    assert (root / "crm" / "people" / "Ann.md").read_text() == "---\nname: Ann\ntype: contact\nmine: yes\n---\n"


def test_add_keeps_options_a_custom_template_leaves_out(run, make_vault):
    root = make_vault({".netvault/templates/contact.md": "---\nname: {{ name }}\ncircle: {{ circle }}\n---\n"})
    result = run("add", "Zed", "--circle", "buddy", "--email", "z@x.com", "--priority", "1",
                 "--tag", "a", "--vault", root)
    assert result.exit_code == 0
    assert (root / "people" / "Zed.md").read_text() == (
        "---\nname: Zed\ncircle: buddy\nemail: z@x.com\npriority: 1\ntags: [a]\n---\n"
    )


def test_add_outside_a_vault_says_where_it_writes(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("add", "Ann")
    assert result.exit_code == 0
    assert result.stdout == "Created people/Ann.md\n"
    assert result.stderr.startswith("note: no netvault.toml here or above; using ")
    assert (tmp_path / "people" / "Ann.md").is_file()


def test_add_makes_a_name_one_line(run, make_vault):
    root = make_vault({})
    result = run("add", "Two\n Lines\t", "--vault", root)
    assert result.stdout == "Created people/Two Lines.md\n"
    assert "name: Two Lines\n" in (root / "people" / "Two Lines.md").read_text()


@pytest.mark.parametrize(
    "args, field, expected",
    [
        (["\x1b[31mRed"], "name", "\x1b[31mRed"),
        (["Bob\x07X"], "name", "Bob\x07X"),
        (["Ann", "--org", "Acme\x7f"], "org", "Acme\x7f"),
        (["Eve\ufffe"], "name", "Eve\ufffe"),
        (["Ann", "--tag", "a\x1bb", "--alias", "Annie\x85"], "tags", ["a\x1bb"]),
    ],
)
def test_add_writes_control_characters_as_escapes(run, make_vault, args, field, expected):
    root = make_vault({})
    result = run("add", *args, "--vault", root)
    assert result.exit_code == 0, result.output
    (path,) = (root / "people").iterdir()
    text = path.read_text("utf-8")
    assert "\x1b" not in text and "\x07" not in text  # escaped, or dropped from the heading
    note = parse(text)
    assert note.data[field] == expected
    vault = load_vault(root, TODAY)
    assert [p for p in vault.problems if p.severity == "error"] == []


def test_add_reports_a_template_that_makes_unreadable_frontmatter(run, make_vault):
    root = make_vault({".netvault/templates/contact.md": "---\nname: {{ name }}\nbad: [\n---\n"})
    result = run("add", "Ann", "--vault", root)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the new contact would not be readable (line 4): ")
    assert not (root / "people" / "Ann.md").exists()


@pytest.mark.parametrize("value", ["\x1b[31m", "a\x07b", "x\x7f", "\ufffe", "\x85", "\u2028", "\x00"])
def test_yaml_scalar_escapes_every_non_printable_character(value):
    assert parse(f"---\nk: {yaml_scalar(value)}\n---\n").data["k"] == value
    assert parse(f"---\n{yaml_field('k', [value, 'x'])}\n---\n").data["k"] == [value, "x"]


def test_init_refuses_a_folder_inside_a_vault(run, tmp_path, monkeypatch):
    assert run("init", tmp_path / "outer").exit_code == 0
    monkeypatch.chdir(tmp_path / "outer")
    for target in ("people", "deeper/still"):
        result = run("init", target)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {target} is inside the vault of {tmp_path / 'outer' / 'netvault.toml'}; "
            "a vault inside a vault hides its notes from the outer one. Add contacts to that "
            "vault, or choose a folder outside it\n"
        )
    assert not (tmp_path / "outer" / "deeper").exists()
    assert not (tmp_path / "outer" / "people" / "netvault.toml").exists()
    assert [c.name for c in load_vault(tmp_path / "outer", TODAY).contacts] == ["Ada Example"]


def test_init_refuses_an_empty_folder_name(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("", " "):
        result = run("init", name)
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: the folder name is empty; to make the current folder a vault, "
            "use `netvault init .`\n"
        )
    assert list(tmp_path.iterdir()) == []
    assert run("init", ".").exit_code == 0
    assert (tmp_path / "netvault.toml").is_file()


def test_init_beside_existing_notes_adds_no_example(run, tmp_path):
    (tmp_path / "Notes").mkdir()
    (tmp_path / "Notes" / "Idea.md").write_text("an idea\n")
    (tmp_path / ".obsidian").mkdir()
    result = run("init", tmp_path)
    assert result.exit_code == 0
    assert result.stdout == (
        f"Created a vault in {tmp_path}:\n  netvault.toml\n  .netvault/templates/contact.md\n"
        f"  .gitignore\n{tmp_path} already holds 1 note, so no example contact was added. To make "
        "netvault understand them (who is a person, your own key names, meeting notes), run: "
        f"netvault adopt --force {tmp_path}\n"
    )
    assert not (tmp_path / "people").exists()
    assert (tmp_path / "Notes" / "Idea.md").read_text() == "an idea\n"


def test_init_lists_every_setting_and_each_one_uncommented_is_valid(tmp_path):
    import re

    from netvault.edit.scaffold import init_vault
    from netvault.read.settings import load_config

    init_vault(tmp_path / "v")
    text = (tmp_path / "v" / "netvault.toml").read_text()
    listed = set(re.findall(r"^# ([a-z_]+) = ", text, re.M))
    assert listed >= {
        "contacts", "log_heading", "output", "follow_outside_links", "buddy", "strategic", "lukewarm", "cold",
        "default", "days", "give_after", "prompts", "all_birthdays", "types", "tags", "categories", "not_types",
        "not_tags", "templates", "from_notes", "folders", "date_keys", "org", "role", "note",
        "name", "emails", "employers",
    }
    uncommented = re.sub(r"^# (?=[a-z_]+ = |\[goals)", "", text, flags=re.M)
    (tmp_path / "v" / "netvault.toml").write_text(uncommented)
    config, problems = load_config(tmp_path / "v")
    assert problems == []
    assert config.give_after == 14 and config.all_birthdays is False and "move-to-product" in config.goals
    assert config.me_name == "Sam Rivera" and config.me_emails == ("sam@example.com",)

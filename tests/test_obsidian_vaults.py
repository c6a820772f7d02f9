"""Existing Obsidian vaults: who is a person ([people]), the user's own keys
([fields]), a default rhythm ([cadence] default), and edits that keep the
user's keys.  Small hand-made vaults for each rule, then three real vaults
(copied to a temporary folder; the corpus itself is never touched)."""

from __future__ import annotations

import difflib
import shutil
from datetime import date
from pathlib import Path

import pytest

from netvault.playbook.due import compute_due
from netvault.read.loader import load_vault
from netvault.read.recognise import inline_tags
from netvault.read.settings import Config, load_config
from netvault.values.problems import ERROR, WARNING

from .conftest import CORPUS as CORPUS_ROOT
from .conftest import require_corpus, TODAY

CORPUS = CORPUS_ROOT / "obsidian"


def people(root: Path) -> list[str]:
    return [c.path for c in load_vault(root, TODAY).contacts]


def settings(root: Path) -> list[str]:
    return [p.format() for p in load_config(root)[1]]


# --- [people]: tags in the frontmatter and inline ---------------------------


def test_tags_in_frontmatter_and_inline(make_vault):
    root = make_vault(
        {
            "notes/List.md": "---\ntags: [Person]\n---\n",
            "notes/String.md": "---\ntags: \"#person, friend\"\n---\n",
            "notes/Nested.md": "---\ntags: [person/friend]\n---\n",
            "notes/Inline.md": "Met at the fair.\n\n#Person #berlin\n",
            "notes/Inline nested.md": "text #person/work more\n",
            "notes/Other tag.md": "#personal #people\n",
            "notes/Heading.md": "# Person\n",
            "notes/Fenced.md": "```\n#person\n```\n~~~md\n#person\n~~~\n",
            "notes/Code span.md": "use `#person` to tag people\n",
            "notes/Comments.md": "%% #person %%\n<!-- #person\n-->\n",
            "notes/In a word.md": "mail me at a#person.org\n",
            "notes/Number.md": "issue #2024\n",
        },
        '[people]\ntags = ["person"]\n',
    )
    assert people(root) == [
        "notes/Inline.md",
        "notes/Inline nested.md",
        "notes/List.md",
        "notes/Nested.md",
        "notes/String.md",
    ]


def test_inline_tags_outside_code_and_comments():
    body = "#a `#b` %%#c%% <!-- #d --> #e/f\n```\n#g\n```\n#h\n# heading #i\n#12 #x1\n"
    assert inline_tags(body) == {"a", "e/f", "h", "i", "x1"}


# --- contacts folders, types, categories ------------------------------------


def test_contacts_folders_match_in_any_case(make_vault):
    root = make_vault(
        {
            "People/Ada.md": "---\nrole: engineer\n---\n",
            "PEOPLE/sub/Bo.md": "",
            "Peoples/Cy.md": "",
            "notes/Di.md": "",
        },
        '[vault]\ncontacts = ["people"]\n',
    )
    assert people(root) == ["People/Ada.md", "PEOPLE/sub/Bo.md"]


def test_type_as_text_list_or_link(make_vault):
    root = make_vault(
        {
            "a/Plain.md": "---\ntype: Person\n---\n",
            "a/Link.md": '---\ntype: "[[Person]]"\n---\n',
            "a/Path link.md": '---\ntype: "[[Types/Person|P]]"\n---\n',
            "a/Unquoted link.md": "---\ntype: [[Person]]\n---\n",
            "a/In a list.md": '---\ntype:\n  - "[[Authors]]"\n  - person\n---\n',
            "a/Contact.md": "---\ntype: Contact\n---\n",
            "a/Personal.md": "---\ntype: Personal\n---\n",
            "a/Meeting.md": "---\ntype: meeting\n---\n",
        },
        '[people]\ntypes = ["contact", "person"]\n',
    )
    assert people(root) == [
        "a/Contact.md",
        "a/In a list.md",
        "a/Link.md",
        "a/Path link.md",
        "a/Plain.md",
        "a/Unquoted link.md",
    ]


def test_without_settings_type_contact_still_counts(make_vault):
    root = make_vault({"a/Jane.md": "---\ntype: contact\n---\n", "a/Ada.md": "---\ntype: Person\n---\n"})
    assert people(root) == ["a/Jane.md"]


def test_categories_by_link_or_text(make_vault):
    root = make_vault(
        {
            "References/Steph.md": '---\ncategories:\n  - "[[People]]"\n---\n',
            "References/Kevin.md": "---\ncategories: People\n---\n",
            "References/Acme.md": '---\ncategories:\n  - "[[Companies]]"\n---\n',
            "References/Tagged.md": "---\ntags: [People]\n---\n",
        },
        '[people]\ncategories = ["[[People]]"]\n',
    )
    assert people(root) == ["References/Kevin.md", "References/Steph.md"]


# --- what is never a person -------------------------------------------------


def test_not_types_and_not_tags_inside_a_contacts_folder(make_vault):
    root = make_vault(
        {
            "people/Ada.md": "---\ntype: Person\n---\n",
            "people/Acme.md": "---\ntype: Company\n---\n",
            "people/OpenNet.md": "---\ntype: NGO\n---\n",
            "people/Berlin.md": '---\ntype: "[[City]]"\n---\n',
            "people/Meetup.md": "---\ntags: [Event]\n---\n",
            "people/Offsite.md": "Planning notes #meeting\n",
            "people/Tagged org.md": "---\ntags: [organisation/partner]\n---\n",
            "people/Boss.md": "---\ncircle: strategic\ntype: company\ntags: [event]\n---\n",
        },
    )
    # A circle is an explicit netvault contact: it always counts.
    assert people(root) == ["people/Ada.md", "people/Boss.md"]


def test_not_lists_can_be_changed(make_vault):
    root = make_vault(
        {"people/Acme.md": "---\ntype: company\n---\n", "people/Hq.md": "---\ntype: place\n---\n"},
        '[people]\nnot_types = ["place"]\nnot_tags = []\n',
    )
    assert people(root) == ["people/Acme.md"]


@pytest.mark.parametrize("kind", ["org", "ORG", "location", "group", "Organization"])
def test_vcard_kind_is_not_a_person(make_vault, kind):
    root = make_vault(
        {
            "Snip.md": f"---\nKIND: {kind}\nFN: Snip & Sip AB\n---\n#Contact\n",
            "Anya.md": "---\nKIND: individual\nFN: Anya\n---\n#Contact #Art # Robotics\n",
        },
        '[people]\ntags = ["contact"]\n',
    )
    assert people(root) == ["Anya.md"]


def test_template_folders_are_never_read(make_vault):
    root = make_vault(
        {
            "Blueprints/People Template.md": "---\ncircle: buddy\ncategories: ['[[People]]']\n---\n",
            "blueprints/deeper/Person.md": "---\ncircle: buddy\n---\n",
            "Obsidian templates/Contact.md": "---\ncircle: buddy\n---\n",
            ".obsidian/templates.json": '{"folder": "Obsidian templates"}',
            "people/Ada.md": "---\ncircle: buddy\n---\n",
        },
        '[people]\ntemplates = ["blueprints"]\n',
    )
    assert people(root) == ["people/Ada.md"]


# --- [fields]: the user's keys ------------------------------------------------

MAPPED = """\
---
FN: Anya Volkova
"EMAIL[HOME]": anya@example.ru
"EMAIL[WORK]": anya@work.example
ORG: FrostTech
BDAY: 1991-01-05
last contact: 2026-01-15
"TEL [CELL]": "+74951234567"
---
#Contact
"""

MAPPING = """\
[people]
tags = ["contact"]

[fields]
FN = "name"
"EMAIL[HOME]" = "email"
ORG = "org"
BDAY = "birthday"
"last contact" = "last_contact"
'TEL [CELL]' = "phone"
"""


def test_mapped_keys_are_read_as_netvault_fields(make_vault):
    root = make_vault({"Anya Volkova.md": MAPPED}, MAPPING)
    vault = load_vault(root, TODAY)
    assert vault.problems == ()
    (anya,) = vault.contacts
    assert (anya.name, anya.email, anya.org, anya.phone) == (
        "Anya Volkova",
        "anya@example.ru",
        "FrostTech",
        "+74951234567",
    )
    assert (anya.birthday.year, anya.birthday.month, anya.birthday.day) == (1991, 1, 5)
    assert anya.last_contact == date(2026, 1, 15)
    assert dict(anya.keys) == {
        "name": "FN",
        "email": "EMAIL[HOME]",
        "org": "ORG",
        "birthday": "BDAY",
        "last_contact": "last contact",
        "phone": "TEL [CELL]",
    }
    assert anya.lines["last_contact"] == anya.lines["last contact"] == 7
    assert "last_contact" not in anya.fields  # the file as written


def test_mapped_key_problems_name_the_users_key(make_vault):
    root = make_vault({"people/Ada.md": "---\nlast contact: soon\n---\n"}, MAPPING)
    assert [p.format() for p in load_vault(root, TODAY).problems] == [
        "people/Ada.md:2: error: last contact: expected a date YYYY-MM-DD, got 'soon'"
    ]


def test_two_keys_for_one_field_first_counts_and_a_difference_warns(make_vault):
    root = make_vault(
        {
            "people/Anya.md": "---\n\"EMAIL[HOME]\": a@home\nemail: a@work\n---\n",
            "people/Same.md": "---\nemail: s@x\n\"EMAIL[HOME]\": s@x\n---\n",
            "people/Empty first.md": "---\n\"EMAIL[HOME]\":\nemail: e@x\n---\n",
        },
        '[fields]\n"EMAIL[HOME]" = "email"\n',
    )
    vault = load_vault(root, TODAY)
    assert {c.name: (c.email, c.keys["email"]) for c in vault.contacts} == {
        "Anya": ("a@home", "EMAIL[HOME]"),
        "Same": ("s@x", "email"),
        "Empty first": ("e@x", "email"),
    }
    assert [p.format() for p in vault.problems] == [
        "people/Anya.md:3: warning: 'email' and 'EMAIL[HOME]' both give email, with different "
        "values; netvault uses the first, 'EMAIL[HOME]'"
    ]


def test_for_last_contact_the_latest_date_counts(make_vault):
    root = make_vault(
        {"people/Ada.md": "---\nlast contact: 2026-01-15\nlast_contact: 2026-03-01\n---\n"},
        '[fields]\n"last contact" = "last_contact"\n',
    )
    vault = load_vault(root, TODAY)
    assert vault.contacts[0].last_contact == date(2026, 3, 1)
    assert vault.contacts[0].keys["last_contact"] == "last_contact"
    assert [(p.line, p.severity) for p in vault.problems] == [(3, WARNING)]
    assert "netvault uses the later date, 'last_contact'" in vault.problems[0].message


def test_settings_are_checked_with_their_lines(make_vault):
    root = make_vault(
        {},
        "[people]\n"
        'types = ["person", 3]\n'
        "colour = 1\n"
        'templates = ["../elsewhere"]\n'
        "[fields]\n"
        'ORG = "organisation"\n'
        'N.FN = "name"\n'
        'org = "role"\n'
        '"last contact" = "last_contact"\n'
        "[cadence]\n"
        'default = "sometimes"\n'
        "[interactions]\n"
        'from_notes = "yes"\n'
        'folders = "/abs"\n'
        "date_keys = []\n"
        "when = 1\n",
    )
    assert settings(root) == [
        'netvault.toml:2: error: [people] types must be a list of words, e.g. ["person"]',
        "netvault.toml:3: error: unknown key 'colour' in [people]; known keys: categories, "
        "not_tags, not_types, tags, templates, types",
        'netvault.toml:4: error: [people] templates must be a list of folders inside the vault, '
        'e.g. ["Templates"]',
        "netvault.toml:6: error: [fields] 'ORG': 'organisation' is not one of netvault's fields; "
        "use one of: name, aliases, circle, origin, org, role, email, phone, linkedin, channels, "
        "cadence, last_contact, priority, snooze_until, follow_up, introduced_by, knows, goals, "
        "birthday, tags",
        'netvault.toml:7: error: [fields] N.FN: quote a key that holds dots, e.g. "N.FN" = "name"',
        "netvault.toml:8: error: [fields] 'org' is netvault's own key for org; it cannot stand "
        "for role",
        "netvault.toml:11: error: [cadence] default: unknown cadence 'sometimes'; use Nd, Nw, Nm, "
        "Ny, N/year, weekly, monthly, quarterly, twice-a-year, yearly or never",
        "netvault.toml:13: error: [interactions] from_notes must be true or false",
        'netvault.toml:14: error: [interactions] folders must be a list of folders inside the '
        'vault, e.g. ["Meetings", "Daily"]',
        "netvault.toml:16: error: unknown key 'when' in [interactions]; known keys: date_keys, "
        "evidence, folders, from_notes",
    ]


def test_settings_become_config_fields(make_vault):
    root = make_vault(
        {},
        "[people]\n"
        'types = ["Person", "[[Types/Human|H]]"]\n'
        'tags = ["#Contact"]\n'
        'categories = ["[[People]]"]\n'
        'templates = ["Templates"]\n'
        "[fields]\n"
        '"last contact" = "last_contact"\n'
        '"EMAIL[HOME]" = "email"\n'
        '"EMAIL[WORK]" = "email"\n'
        "[cadence]\n"
        'default = "twice-a-year"\n'
        "[interactions]\n"
        "from_notes = false\n"
        'folders = ["Meetings", "Daily/"]\n'
        'date_keys = ["date"]\n',
    )
    config, problems = load_config(root)
    assert problems == []
    assert config.person_types == ("person", "human")
    assert config.person_tags == ("contact",)
    assert config.person_categories == ("people",)
    assert config.templates == ("Templates",)
    assert dict(config.fields) == {
        "last contact": "last_contact",
        "EMAIL[HOME]": "email",
        "EMAIL[WORK]": "email",
    }
    assert config.default_cadence.text == "twice-a-year"
    assert (config.interactions_from_notes, config.interaction_folders, config.date_keys) == (
        False,
        ("Meetings", "Daily"),
        ("date",),
    )
    assert config.keys_for("email") == ("email", "EMAIL[HOME]", "EMAIL[WORK]")
    assert (config.write_key("last_contact"), config.write_key("email"), config.write_key("org")) == (
        "last contact",
        "email",
        "org",
    )
    defaults = Config()
    assert (defaults.default_cadence, defaults.interactions_from_notes, defaults.date_keys) == (
        None,
        True,
        ("date", "datetime"),
    )


# --- [cadence] default ------------------------------------------------------------


def test_default_cadence_for_people_without_circle_or_cadence(make_vault):
    files = {
        "people/No rhythm.md": "---\nlast_contact: 2026-01-01\n---\n",
        "people/Own.md": "---\ncadence: monthly\nlast_contact: 2026-01-01\n---\n",
        "people/Cold.md": "---\ncircle: cold\nlast_contact: 2026-01-01\n---\n",
    }
    root = make_vault(files, '[cadence]\ndefault = "twice-a-year"\n')
    vault = load_vault(root, TODAY)
    due = {c.name: compute_due(c, vault.config, TODAY) for c in vault.contacts}
    assert due["No rhythm"].next_due == date(2026, 7, 1)
    assert due["No rhythm"].status == "overdue"
    assert due["Own"].next_due == date(2026, 2, 1)
    assert due["Cold"].next_due is None  # the circle's rhythm, not the default
    unset = load_vault(make_vault(files, ""), TODAY)
    assert [compute_due(c, unset.config, TODAY).next_due for c in unset.contacts] == [
        None,
        None,
        date(2026, 2, 1),
    ]


def test_default_cadence_puts_people_on_the_agenda(make_vault, run):
    root = make_vault({"People/Bo.md": "---\ntype: Person\n---\n"}, '[cadence]\ndefault = "yearly"\n')
    result = run("agenda", "--vault", root, "--today", TODAY.isoformat(), "--format", "json")
    assert result.exit_code == 0
    assert '"name": "Bo"' in result.stdout and '"status": "due"' in result.stdout


# --- edits write the user's key ----------------------------------------------------

ADA = """\
---
type: Person
aliases:
  - Ada
last contact: 2026-01-15   # from the conference
ORG: Acme
---

## Notes
- met at Demo Meetup
"""

ADA_SETTINGS = '[vault]\ncontacts = ["People"]\n[fields]\n"last contact" = "last_contact"\nORG = "org"\n'


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.fixture
def ada(make_vault):
    root = make_vault({"People/Ada Engineer.md": ADA}, ADA_SETTINGS)
    return root, root / "People/Ada Engineer.md"


def test_log_moves_the_users_last_contact(ada, run):
    root, path = ada
    result = run("log", "--vault", root, "--today", "2026-02-01", "Ada", "coffee", "--channel", "im")
    assert result.exit_code == 0, result.output
    assert changed_lines(ADA, path.read_text()) == [
        "-last contact: 2026-01-15   # from the conference",
        "+last contact: 2026-02-01   # from the conference",
        "+",
        "+## Log",
        "+",
        "+- 2026-02-01 im: coffee",
    ]


def test_log_moves_every_last_contact_key_forward(make_vault, run):
    text = "---\nlast contact: 2026-01-15\nlast_contact: 2026-01-20\n---\n"
    root = make_vault({"people/Ada.md": text}, '[fields]\n"last contact" = "last_contact"\n')
    run("log", "--vault", root, "--today", "2026-02-01", "Ada", "call")
    after = (root / "people/Ada.md").read_text()
    assert after.startswith("---\nlast contact: 2026-02-01\nlast_contact: 2026-02-01\n---\n")
    assert load_vault(root, TODAY).problems == ()


def test_set_and_unset_use_the_files_key(ada, run):
    root, path = ada
    result = run("set", "--vault", root, "Ada", "last_contact", "2026-01-20", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Set last contact: 2026-01-20 for Ada Engineer (People/Ada Engineer.md)\n"
    assert changed_lines(ADA, path.read_text()) == [
        "-last contact: 2026-01-15   # from the conference",
        "+last contact: 2026-01-20   # from the conference",
    ]
    # The user's own key names the field too, spaces and all.
    run("set", "--vault", root, "Ada", "last contact", "2026-01-21", "--today", TODAY)
    run("set", "--vault", root, "Ada", "org", "Acme Corp", "--today", TODAY)
    assert changed_lines(ADA, path.read_text()) == [
        "-last contact: 2026-01-15   # from the conference",
        "-ORG: Acme",
        "+last contact: 2026-01-21   # from the conference",
        "+ORG: Acme Corp",
    ]
    result = run("unset", "--vault", root, "Ada", "org", "--today", TODAY)
    assert result.stdout == "Removed ORG from Ada Engineer (People/Ada Engineer.md)\n"
    assert "ORG" not in path.read_text()


def test_a_missing_field_gets_the_vaults_key_when_there_is_one(ada, run):
    root, path = ada
    path.write_text("---\ntype: Person\ncadence: monthly\n---\n")
    run("log", "--vault", root, "--today", "2026-02-01", "Ada", "call")
    run("set", "--vault", root, "Ada", "org", "Acme", "--today", TODAY)
    run("snooze", "--vault", root, "--today", "2026-02-01", "Ada", "--until", "2026-04-01")
    text = path.read_text()
    assert "last contact: 2026-02-01\n" in text and "last_contact" not in text
    assert "ORG: Acme\n" in text and "\norg:" not in text
    assert "snooze_until: 2026-04-01\n" in text


def test_follow_up_done_and_move_use_the_files_keys(make_vault, run):
    text = "---\nKreis: lukewarm\nnext step: 2026-01-10 send the deck\n---\n"
    root = make_vault(
        {"people/Ada.md": text},
        '[fields]\nKreis = "circle"\n"next step" = "follow_up"\n',
    )
    path = root / "people/Ada.md"
    assert run("follow-up", "--vault", root, "Ada", "2026-01-12", "send", "the", "deck", "--today", TODAY).exit_code == 0
    assert "next step: 2026-01-12 send the deck\n" in path.read_text()
    assert run("done", "--vault", root, "--today", "2026-01-13", "Ada").exit_code == 0
    assert run("move", "--vault", root, "--today", "2026-01-13", "Ada", "--circle", "buddy").exit_code == 0
    after = path.read_text()
    assert after.startswith("---\nKreis: buddy\nlast_contact: 2026-01-13\n---\n")
    assert "circle:" not in after and "follow_up" not in after and "next step" not in after


# --- three real vaults ------------------------------------------------------------

KEPANO_SETTINGS = """\
# People are the notes in the People category; Templates/ holds blanks.
[people]
categories = ["[[People]]"]
templates = ["Templates"]
"""

WHODEX_SETTINGS = """\
[vault]
contacts = ["People"]

[people]
types = ["Person"]
tags = ["Person"]

[fields]
"last contact" = "last_contact"
"""

VCF_SETTINGS = """\
[people]
tags = ["Contact"]

[fields]
FN = "name"
ORG = "org"
ROLE = "role"
BDAY = "birthday"
"EMAIL[HOME]" = "email"
"TEL[CELL]" = "phone"
"""

VCF_PEOPLE = [
    "Anya Volkova.md",
    "Bao Nguyen.md",
    "Bruce Wayne.md",
    "Elin Lindström.md",
    "Elísabet Jónsdóttir.md",
    "Ethan Hunt.md",
    "Hana Yamada.md",
    "Liam O’Reilly.md",
    "Mira Goldstein.md",
    "Rajiv Patel.md",
    "Thiago Santos.md",
    "Tony Stark.md",
    "Zahra Ali.md",
    "Zhihao Tang.md",
    "伟 李.md",
]


def corpus_copy(tmp_path: Path, name: str, toml: str) -> Path:
    source = require_corpus(CORPUS / name)
    root = tmp_path / name
    shutil.copytree(source, root)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (root / "netvault.toml").write_text(toml, encoding="utf-8")
    return root


def check_output(run, root: Path) -> str:
    result = run("check", "--vault", root, "--today", "2026-02-01")
    assert result.exit_code == 0, result.output
    return result.output


def test_kepano_vault(tmp_path, run):
    root = corpus_copy(tmp_path, "kepano-obsidian", KEPANO_SETTINGS)
    vault = load_vault(root, TODAY)
    assert [(c.path, c.name) for c in vault.contacts] == [
        ("References/Kevin Kelly.md", "Kevin Kelly"),
        ("References/Paul Chambers.md", "Paul Chambers"),
        ("References/Steph Ango.md", "Steph Ango"),
    ]
    steph = vault.contacts[2]
    assert steph.org == "Obsidian"
    assert not any(p.severity == ERROR for p in vault.problems)
    check_output(run, root)


def test_whodex_vault(tmp_path, run):
    root = corpus_copy(tmp_path, "whodex-people-network-min", WHODEX_SETTINGS)
    vault = load_vault(root, TODAY)
    assert [c.path for c in vault.contacts] == ["People/Ada Engineer.md", "People/Bo Founder.md"]
    ada, bo = vault.contacts
    assert ada.last_contact == date(2026, 1, 15)
    assert ada.keys["last_contact"] == "last contact"
    assert bo.last_contact is None
    assert not any(p.severity == ERROR for p in vault.problems)
    check_output(run, root)

    path = root / "People/Ada Engineer.md"
    before = path.read_text(encoding="utf-8")
    result = run("log", "--vault", root, "--today", "2026-02-01", "Ada", "demo day recap", "--channel", "email")
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-last contact: 2026-01-15",
        "+last contact: 2026-02-01",
        "+",
        "+## Log",
        "+",
        "+- 2026-02-01 email: demo day recap",
    ]
    assert "last_contact" not in after
    assert load_vault(root, TODAY).contacts[0].last_contact == date(2026, 2, 1)
    check_output(run, root)


def test_whodex_vault_with_a_default_rhythm(tmp_path, run):
    root = corpus_copy(
        tmp_path, "whodex-people-network-min", WHODEX_SETTINGS + '\n[cadence]\ndefault = "quarterly"\n'
    )
    result = run("agenda", "--vault", root, "--today", "2026-05-01", "--format", "json")
    assert result.exit_code == 0
    assert '"name": "Ada Engineer"' in result.stdout and '"name": "Bo Founder"' in result.stdout


def test_vcf_contacts_vault(tmp_path, run):
    root = corpus_copy(tmp_path, "obsidian-vcf-contacts-demo", VCF_SETTINGS)
    vault = load_vault(root, TODAY)
    assert sorted(c.path for c in vault.contacts) == sorted(VCF_PEOPLE)
    by_path = {c.path: c for c in vault.contacts}
    anya = by_path["Anya Volkova.md"]
    assert (anya.email, anya.org, anya.birthday.year) == ("anya.ice@frostmail.ru", "FrostTech Artisans", 1991)
    assert by_path["伟 李.md"].name == "李伟"
    for not_a_person in ("Snip & Sip AB.md", "India Gate (1931).md", "kite surf spot zandmotor.md"):
        assert not_a_person not in by_path
    assert not any(p.severity == ERROR for p in vault.problems)
    check_output(run, root)


def test_add_puts_new_people_in_the_folder_as_the_disk_spells_it(make_vault, run):
    root = make_vault({"People/Ada.md": "---\ntype: Person\n---\n"}, '[people]\ntypes = ["Person"]\n')
    assert load_vault(root, TODAY).config.contacts == ("People",)
    result = run("add", "--vault", root, "Bo Founder", "--circle", "buddy")
    assert result.exit_code == 0, result.output
    assert (root / "People/Bo Founder.md").is_file()
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == ["People", "netvault.toml"]


def test_a_broken_note_of_a_person_type_is_reported(make_vault):
    root = make_vault(
        {"notes/Ada.md": "---\ntype: Person\nrole: [unclosed\n---\n", "notes/Meeting.md": "---\nx: [\n---\n"},
        '[people]\ntypes = ["Person"]\n',
    )
    assert [(p.path, p.severity) for p in load_vault(root, TODAY).problems] == [("notes/Ada.md", ERROR)]


def test_set_keeps_a_list_valued_key_a_list(run, make_vault):
    text = '---\ntype: Person\norganisations:\n  - "[[Organisations/Acme|Acme]]"\n---\n'
    root = make_vault(
        {"People/Ada.md": text},
        config='[vault]\ncontacts = ["People"]\n\n[fields]\norganisations = "org"\n',
    )
    result = run("set", "Ada", "org", "Acme, OpenNet", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert (root / "People" / "Ada.md").read_text() == (
        '---\ntype: Person\norganisations:\n  - "Acme"\n  - "OpenNet"\n---\n'  # quoted as before
    )


def test_an_obsidian_date_and_time_counts_as_its_day(run, make_vault):
    root = make_vault(
        {"People/Omar.md": "---\ncircle: buddy\nlastContact: 2026-08-15T14:30\n---\n"},
        config='[vault]\ncontacts = ["People"]\n\n[fields]\nlastContact = "last_contact"\n',
    )
    check = run("check", "--vault", root, "--today", "2026-11-22")
    assert check.exit_code == 0, check.output
    import json

    data = json.loads(run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    assert data["items"][0]["last_contact"] == "2026-08-15"
    assert run("log", "Omar", "call", "--vault", root, "--today", "2026-11-22").exit_code == 0
    text = (root / "People" / "Omar.md").read_text()
    assert "lastContact: 2026-11-22\n" in text and "last_contact" not in text


def test_a_snooze_counts_meeting_notes_too(run, make_vault):
    root = make_vault(
        {
            "people/Marc.md": "---\ncircle: lukewarm\n---\n",
            "meetings/2026-09-20 Coffee.md": "With [[Marc]].\n",
        },
        config='[interactions]\nfolders = ["meetings"]\n',
    )
    result = run("snooze", "Marc", "--for", "1m", "--vault", root, "--today", "2026-11-22")
    assert "not due until 2027-03-20 anyway" in result.stdout
    assert (root / "people" / "Marc.md").read_text() == "---\ncircle: lukewarm\n---\n"


def test_an_index_note_in_a_people_folder_is_not_a_person(make_vault):
    from netvault.read.loader import load_vault

    root = make_vault(
        {
            "People/Ada.md": "---\ntype: Person\n---\n",
            "People/People MOC.md": "---\ntags: [moc]\n---\n- [[Ada]]\n",
        },
        config='[vault]\ncontacts = ["People"]\n',
    )
    assert [c.name for c in load_vault(root).contacts] == ["Ada"]

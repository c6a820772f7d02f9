"""Reading a vault: which notes are contacts, values as written, problems with lines."""

from __future__ import annotations

from datetime import date

import pytest

from netvault.read.frontmatter import FrontmatterError, parse
from netvault.read.loader import contact_from_bytes, load_vault
from netvault.read.settings import Config
from netvault.read.vaultfile import find_root
from netvault.values.problems import ERROR, WARNING

from .conftest import FIXTURES, TODAY


def load_one(text: str | bytes, rel: str = "people/Jane Doe.md", config: Config | None = None):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return contact_from_bytes(rel, raw, config or Config(), TODAY)


# --- values keep what the user wrote -------------------------------------


def test_scalars_are_read_as_written():
    note = parse(
        "---\nphone: +447700900123\nzip: 01234\nstatus: yes\nwhen: 2026-01-01\n"
        "ratio: 1.50\nempty:\nnull_word: ~\nquoted: \"\"\n---\nbody\n"
    )
    assert note.data == {
        "phone": "+447700900123",
        "zip": "01234",
        "status": "yes",
        "when": "2026-01-01",
        "ratio": "1.50",
        "empty": None,
        "null_word": None,
        "quoted": "",
    }
    assert note.key_lines["phone"] == 2
    assert note.body == "body\n"
    assert note.body_line == 11


def test_unknown_keys_are_kept():
    contact, problems = load_one("---\ncircle: buddy\nfavourite_tea: oolong\nnested: {a: [1, 2]}\n---\n")
    assert problems == []
    assert contact.fields["favourite_tea"] == "oolong"
    assert contact.fields["nested"] == {"a": ["1", "2"]}


def test_contact_fields_are_typed():
    contact, problems = load_one(
        "---\nname: Jane Doe\naliases: [Janie, JD]\ncircle: Strategic\nphone: +442079460000\n"
        "channels: [email, In-Person]\ncadence: 2m\nlast_contact: 2026-09-14\npriority: 3\n"
        "snooze_until: 2026-12-01\nfollow_up: 2026-11-30 send her the deck\n"
        'introduced_by: "[[Bob Smith|Bob]]"\nknows: ["[[Carol Lee]]", "[[People/Dan Wu#Work]]"]\n'
        "birthday: 1980-05-02\ntags: mentor\n---\n"
    )
    assert [p.message for p in problems] == []
    assert contact.name == "Jane Doe"
    assert contact.aliases == ("Janie", "JD")
    assert contact.circle == "strategic"
    assert contact.phone == "+442079460000"
    assert contact.channels == ("email", "in-person")
    assert contact.cadence.text == "2m"
    assert contact.last_contact == date(2026, 9, 14)
    assert contact.priority == 3
    assert contact.snooze_until == date(2026, 12, 1)
    assert (contact.follow_up.date, contact.follow_up.note) == (date(2026, 11, 30), "send her the deck")
    assert [(l.target, l.label) for l in contact.introduced_by] == [("Bob Smith", "Bob")]
    assert [l.target for l in contact.knows] == ["Carol Lee", "People/Dan Wu"]
    assert (contact.birthday.month, contact.birthday.day, contact.birthday.year) == (5, 2, 1980)
    assert contact.tags == ("mentor",)


def test_name_falls_back_to_file_name():
    contact, _ = load_one("---\ncircle: buddy\n---\n", rel="people/sub/Zoë Adams.md")
    assert contact.name == "Zoë Adams"
    contact, _ = load_one("---\ncircle: buddy\nname: '  '\n---\n", rel="x/Bob.md")
    assert contact.name == "Bob"


def test_birthday_without_year():
    contact, problems = load_one("---\ncircle: buddy\nbirthday: --02-29\n---\n")
    assert problems == []
    assert (contact.birthday.month, contact.birthday.day, contact.birthday.year) == (2, 29, None)


@pytest.mark.parametrize(
    "line, message",
    [
        ("circle: warm", "unknown circle 'warm'; use one of: buddy, strategic, lukewarm, cold"),
        ("cadence: fortnightly", "unknown cadence 'fortnightly'"),
        ("last_contact: 2026-02-30", "last_contact: '2026-02-30' is not a real date"),
        ("last_contact: 14/09/2026", "last_contact: expected a date YYYY-MM-DD, got '14/09/2026'"),
        ("snooze_until: soon", "snooze_until: expected a date YYYY-MM-DD, got 'soon'"),
        ("priority: high", "priority must be a whole number, 1 = highest, not 'high'"),
        ("priority: 0", "priority must be a whole number, 1 = highest, not '0'"),
        ("priority: [1]", "priority must be a single value, not a list"),
        ("name: [a, b]", "name must be a single value, not a list"),
        ("tags: {a: b}", "tags must be a list of values like [a, b]"),
        ("follow_up: next week call", "follow_up must start with a date"),
        ("birthday: May 2nd", "birthday: expected YYYY-MM-DD (or MM-DD without the year), got 'May 2nd'"),
        ("knows: [{a: b}]", "knows must be a wikilink"),
    ],
)
def test_wrong_values_are_errors_on_their_line(line, message):
    contact, problems = load_one(f"---\ntype: contact\n{line}\nnote: kept\n---\n")
    assert contact is not None  # the rest of the contact still counts
    assert [(p.line, p.severity) for p in problems] == [(3, ERROR)]
    assert message in problems[0].message


def test_unknown_channel_is_a_warning():
    _, problems = load_one("---\ncircle: buddy\nchannels: [email, pigeon]\n---\n")
    assert [(p.line, p.severity) for p in problems] == [(3, WARNING)]
    assert "unknown channel 'pigeon'" in problems[0].message


def test_unquoted_wikilink_is_understood_with_a_warning():
    contact, problems = load_one("---\ncircle: buddy\nintroduced_by: [[Bob Smith]]\n---\n")
    assert [l.target for l in contact.introduced_by] == ["Bob Smith"]
    assert [(p.line, p.severity) for p in problems] == [(3, WARNING)]
    assert 'quote wikilinks' in problems[0].message


def test_duplicate_key_is_a_warning_and_last_wins():
    contact, problems = load_one("---\ncircle: buddy\norg: A\norg: B\n---\n")
    assert contact.org == "B"
    assert [(p.line, p.severity) for p in problems] == [(4, WARNING)]


# --- which notes are contacts ---------------------------------------------


def test_which_notes_are_contacts(make_vault):
    root = make_vault(
        {
            "people/In Folder.md": "No frontmatter at all, but in the contacts folder.\n",
            "people/deep/er/Nested.md": "---\norg: X\n---\n",
            "notes/Has Circle.md": "---\ncircle: cold\n---\n",
            "notes/Typed.md": "---\ntype: Contact\n---\n",
            "notes/Meeting.md": "---\ndate: 2026-01-01\nattendees: ['[[Has Circle]]']\n---\n",
            "notes/Plain.md": "Just a note.\n",
            "notes/Not markdown.txt": "circle: buddy\n",
            ".trash/Deleted.md": "---\ncircle: buddy\n---\n",
            ".obsidian/x/Hidden.md": "---\ncircle: buddy\n---\n",
            "people/.Dotfile.md": "---\ncircle: buddy\n---\n",
            "_site/Generated.md": "---\ncircle: buddy\n---\n",
        }
    )
    vault = load_vault(root, TODAY)
    assert sorted(c.path for c in vault.contacts) == [
        "notes/Has Circle.md",
        "notes/Typed.md",
        "people/In Folder.md",
        "people/deep/er/Nested.md",
    ]
    assert vault.problems == ()


def test_contacts_folders_and_output_come_from_config(make_vault):
    root = make_vault(
        {
            "crm/Ann.md": "plain\n",
            "people/Bob.md": "plain\n",
            "public/Generated.md": "---\ncircle: buddy\n---\n",
        },
        config='[vault]\ncontacts = ["crm"]\noutput = "public"\n',
    )
    vault = load_vault(root, TODAY)
    assert [c.path for c in vault.contacts] == ["crm/Ann.md"]


def test_obsidian_template_folder_is_skipped(make_vault):
    root = make_vault(
        {
            ".obsidian/templates.json": '{"folder": "Templates"}',
            "Templates/Person.md": "---\ncircle:\nname: \"{{title}}\"\n---\n",
            "people/Ann.md": "---\ncircle: buddy\n---\n",
        }
    )
    assert [c.name for c in load_vault(root, TODAY).contacts] == ["Ann"]


def test_broken_non_contact_note_is_not_reported(make_vault):
    root = make_vault({"notes/Meeting.md": "---\ntitle: [broken\n---\n"})
    assert load_vault(root, TODAY).problems == ()


# --- encodings and line endings -------------------------------------------


def test_bom_and_crlf_read_the_same_as_plain():
    plain = "---\nname: Jane\ncircle: buddy\nlast_contact: 2026-01-02\n---\n## Log\n- 2026-03-04 email: hi #gave\n"
    variants = [
        plain,
        plain.replace("\n", "\r\n"),
        "\ufeff" + plain,
        "\ufeff" + plain.replace("\n", "\r\n"),
    ]
    results = []
    for text in variants:
        contact, problems = load_one(text)
        assert problems == []
        results.append((contact.name, contact.circle, contact.last_contact, contact.log, dict(contact.lines)))
    assert all(r == results[0] for r in results)
    assert results[0][3][0].line == 7


def test_yaml_error_reports_the_line_in_the_file():
    _, problems = load_one("---\nname: X\ncircle: buddy\norg: [Acme\nrole: CTO\n---\n")
    assert [(p.line, p.severity) for p in problems] == [(5, ERROR)]
    assert "starts on line 4" in problems[0].message


def test_yaml_error_line_counts_bom_and_crlf():
    _, problems = load_one("\ufeff---\r\ncircle: buddy\r\nbad: : :\r\n---\r\n")
    assert [p.line for p in problems] == [3]


def test_not_utf8_reports_the_line():
    _, problems = load_one(b"---\ncircle: buddy\norg: Caf\xe9\n---\n")
    assert [(p.line, p.severity) for p in problems] == [(3, ERROR)]
    assert problems[0].message.startswith("not UTF-8 text")


def test_unclosed_frontmatter():
    _, problems = load_one("---\ncircle: buddy\nno closing fence\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "frontmatter starts with '---' but is never closed")
    ]


def test_frontmatter_that_is_not_a_mapping():
    with pytest.raises(FrontmatterError) as info:
        parse("---\n- a\n- b\n---\n")
    assert info.value.line == 2


# --- the log --------------------------------------------------------------


def test_log_entries_channels_and_tags():
    contact, problems = load_one(
        "---\ncircle: buddy\n---\nNotes.\n\n### log\n"
        "- 2026-09-14 in-person: coffee, her team is reorganising. #gave sent the Gartner piece\n"
        "  continuation line\n"
        "- 2026-06-01 email asked for advice #asked\n"
        "* 2026-05-01 lunch: talked shop\n"
        "- 2026-04-01 a chat without a channel\n"
        "\n## Other section\n- 2020-01-01 email: not in the log\n"
    )
    assert problems == []
    assert [(e.date.isoformat(), e.channel, e.gave, e.asked, e.line) for e in contact.log] == [
        ("2026-09-14", "in-person", True, False, 7),
        ("2026-06-01", "email", False, True, 9),
        ("2026-05-01", "lunch", False, False, 10),
        ("2026-04-01", None, False, False, 11),
    ]
    assert contact.log[3].text == "a chat without a channel"


def test_log_heading_is_configurable_and_fences_are_skipped(make_vault):
    root = make_vault(
        {
            "people/Ann.md": "---\ncircle: buddy\n---\n```\n# Interactions\n- 2020-01-01 x\n```\n"
            "# Interactions\n- 2026-01-01 email: hello\n"
        },
        config='[vault]\nlog_heading = "Interactions"\n',
    )
    (contact,) = load_vault(root, TODAY).contacts
    assert [e.line for e in contact.log] == [9]


def test_future_log_entries_warn():
    _, problems = load_one("---\ncircle: buddy\n---\n## Log\n- 2026-12-24 post: card\n")
    assert [(p.line, p.severity) for p in problems] == [(5, WARNING)]


# --- whole vault ----------------------------------------------------------


def test_a_shared_alias_is_no_problem_but_two_files_with_one_name_are_a_warning(make_vault):
    root = make_vault(
        {
            "people/Sam Lee.md": "---\ncircle: buddy\naliases: [Sam]\n---\n",
            "notes/Sam Other.md": "---\ncircle: buddy\naliases: [Sam, sam lee]\n---\n",
            "people/Twin.md": "---\nname: Jo Twin\ncircle: buddy\n---\n",
            "more/Twin.md": "---\nname: Jo Twin\ncircle: cold\n---\n",
        }
    )
    problems = load_vault(root, TODAY).problems
    assert [(p.path, p.line, p.severity) for p in problems] == [
        ("more/Twin.md", 2, WARNING),
        ("people/Twin.md", 2, WARNING),
    ]
    assert problems[0].message == (
        "the name 'jo twin' is also the name of people/Twin.md; [[links]] and NAMEs cannot tell them "
        "apart: give one a fuller name"
    )


def test_a_link_several_people_answer_to_is_a_warning_at_the_link(make_vault):
    root = make_vault(
        {
            "people/Aaron Lee.md": "---\ncircle: buddy\naliases: [Aaron]\n---\n",
            "people/Aaron Cole.md": "---\ncircle: buddy\naliases: [Aaron]\n---\n",
            "people/Ann.md": "---\ncircle: buddy\nknows: ['[[Aaron]]', '[[Aaron Lee]]']\n---\n",
        }
    )
    (problem,) = load_vault(root, TODAY).problems
    assert (problem.path, problem.line, problem.severity) == ("people/Ann.md", 3, WARNING)
    assert problem.message == (
        "knows: [[Aaron]] could be any of Aaron Cole (people/Aaron Cole.md), Aaron Lee (people/Aaron Lee.md); "
        "link the file name to say which"
    )


def test_links_resolve_by_file_name_name_or_alias(make_vault):
    root = make_vault(
        {
            "people/Robert Smith.md": "---\ncircle: buddy\naliases: [Bob]\n---\n",
            "people/c.md": "---\nname: Carol Lee\ncircle: buddy\n---\n",
            "people/Ann.md": '---\ncircle: buddy\nintroduced_by: "[[bob]]"\n'
            'knows: ["[[ROBERT SMITH]]", "[[carol lee|Carol]]", "[[people/c]]", "[[Nobody]]"]\n---\n',
        }
    )
    problems = load_vault(root, TODAY).problems
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("people/Ann.md", 4, "knows: [[Nobody]] is not a contact in this vault")
    ]


def test_one_broken_file_never_hides_the_others():
    vault = load_vault(FIXTURES / "broken_vault", TODAY)
    assert sorted(c.name for c in vault.contacts) == ["Bad Fields", "Dup A", "Dup A", "Good Person"]
    assert {p.path for p in vault.problems} == {
        "netvault.toml",
        "people/Bad Fields.md",
        "people/Bad Yaml.md",
        "people/Dup A.md",
        "people/Dup B.md",
        "people/Latin One.md",
    }


def test_find_root_walks_upward(tmp_path):
    (tmp_path / "netvault.toml").write_text("")
    deep = tmp_path / "people" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()
    lone = tmp_path.parent / (tmp_path.name + "-lone")
    lone.mkdir()
    assert find_root(lone) == lone.resolve()


def test_future_last_contact_warns():
    _, problems = load_one("---\ncircle: buddy\nlast_contact: 2027-01-01\n---\n")
    assert [(p.line, p.severity) for p in problems] == [(3, WARNING)]
    assert "is in the future" in problems[0].message


def test_composed_and_decomposed_accents_are_the_same_name(make_vault):
    composed, decomposed = "Zo\u00eb Hartmann", "Zoe\u0308 Hartmann"
    root = make_vault(
        {
            f"people/{decomposed}.md": "---\ncircle: buddy\n---\n",
            "people/Ann.md": f'---\ncircle: buddy\nknows: ["[[{composed}]]"]\n---\n',
        }
    )
    assert load_vault(root, TODAY).problems == ()


def test_a_name_on_several_lines_is_an_error():
    contact, problems = load_one('---\ncircle: buddy\nname: "Evil\\nNewline"\n---\n')
    assert contact.name == "Evil Newline"
    assert [(p.line, p.message) for p in problems] == [(3, "name must be on one line")]


def test_obsidian_style_lists_for_type_and_org():
    contact, problems = load_one(
        '---\ntype:\n  - "[[Authors]]"\n  - contact\norg:\n  - "[[Obsidian]]"\n  - "[[Acme Corp|Acme]]"\n---\n',
        rel="References/Steph Ango.md",
    )
    assert problems == []
    assert contact.org == "Obsidian, Acme"


def test_a_memo_reparses_only_changed_files_and_gives_the_same_vault(make_vault, monkeypatch):
    import os

    from netvault.read import loader

    root = make_vault(
        {
            "people/Ann.md": "---\ncircle: buddy\nknows: [\"[[Bob]]\"]\n---\n",
            "people/Bob.md": "---\ncircle: strategic\n---\n## Log\n- 2026-10-01 call\n",
            "meetings/2026-11-01 x.md": "With [[Ann]].\n",
        },
        config='[interactions]\nfolders = ["meetings"]\n',
    )
    parsed = []
    real = loader.contact_from_bytes
    monkeypatch.setattr(loader, "contact_from_bytes", lambda rel, *a, **k: (parsed.append(rel), real(rel, *a, **k))[1])
    memo: dict = {}
    first = load_vault(root, TODAY, memo=memo)
    assert sorted(parsed) == ["meetings/2026-11-01 x.md", "people/Ann.md", "people/Bob.md"]
    parsed.clear()
    assert load_vault(root, TODAY, memo=memo) == first
    assert parsed == []
    bob = root / "people" / "Bob.md"
    bob.write_text("---\ncircle: buddy\n---\n")
    os.utime(bob, ns=(1, 1))  # a different mtime for sure
    (root / "people" / "Ann.md").unlink()
    again = load_vault(root, TODAY, memo=memo)
    assert parsed == ["people/Bob.md"]
    assert again == load_vault(root, TODAY)  # the same as reading everything
    assert [c.circle for c in again.contacts] == ["buddy"]


def test_a_name_many_people_share_gives_short_messages(make_vault):
    files = {f"people/Sam {i:02d}.md": "---\nname: Sam Lee\ncircle: cold\n---\n" for i in range(50)}
    vault = load_vault(make_vault(files), TODAY)
    messages = [p.message for p in vault.problems if "is also the name of" in p.message]
    assert len(messages) == 50
    assert messages[0] == (
        "the name 'sam lee' is also the name of people/Sam 01.md, people/Sam 02.md, "
        "people/Sam 03.md and 46 more; [[links]] and NAMEs cannot tell them apart: give one a fuller name"
    )
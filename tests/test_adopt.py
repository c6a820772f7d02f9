"""adopt: reading an existing vault and writing the netvault.toml that makes sense of it."""

from __future__ import annotations

import shutil
import stat
import tomllib
from pathlib import Path

import pytest

from netvault.adopt import adopt_vault, inline_tags, toml_key, toml_string
from netvault.read.loader import load_vault

from .conftest import CORPUS as CORPUS_ROOT
from .conftest import TODAY, require_corpus, write_files

CORPUS = CORPUS_ROOT / "obsidian"


def corpus(tmp_path: Path, name: str) -> Path:
    """A writable copy of a real Obsidian vault (the originals are never touched)."""
    source = require_corpus(CORPUS / name)
    target = tmp_path / name
    shutil.copytree(source, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return target


def settings(root: Path) -> dict:
    return tomllib.loads((root / "netvault.toml").read_text("utf-8"))


def vault(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "v"
    root.mkdir(parents=True)
    return write_files(root, files)


def people(root: Path) -> list[str]:
    return [p.path for p in adopt_vault(root).people]


def netvault_reads_the_same(root: Path, run=None):
    """Write the adopted settings, load the vault as every command does: its
    contacts are exactly adopt's people, and `check` finds no error."""
    adoption = adopt_vault(root)
    target = root / "netvault.toml"
    if not target.exists():
        target.write_text(adoption.toml, "utf-8")
    assert target.read_text("utf-8") == adoption.toml
    vault = load_vault(root, TODAY)
    assert sorted(c.path for c in vault.contacts) == sorted(p.path for p in adoption.people)
    errors = [p.format() for p in vault.problems if p.severity == "error"]
    assert errors == []
    if run is not None:
        result = run("check", "--vault", root, "--today", TODAY.isoformat())
        assert result.exit_code == 0, result.output
    return vault


# ---------------------------------------------------------------- the corpus


def test_kepano_people_by_category_templates_and_daily_notes(run, tmp_path):
    root = corpus(tmp_path, "kepano-obsidian")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = run("adopt", root)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"Read 14 notes in {root} (all readable)." in out
    assert "People: 3 notes look like people.\n  3 with category People (a word for a person)\n" in out
    assert "Templates: Templates/ holds blank notes" in out
    assert "  Daily/ (Obsidian's daily notes folder, from .obsidian/daily-notes.json)\n" in out
    # Notes/ is no meetings folder by its name, but its dated note says it is a meeting.
    assert "  Notes/ (dated notes that link to people, with category Meetings, 1 note)\n" in out
    assert "Rhythm: 3 people have no circle and no cadence" in out
    # Steph has her meeting; the other two have no last contact at all.
    assert (
        "  2 of them have no last contact yet, so they are all due today: log or snooze the ones "
        'you do not want to see now (netvault snooze "Kevin Kelly" --for 3m)\n'
    ) in out
    assert 'Decided: [cadence] default = "twice-a-year"' in out
    assert 'netvault set "Kevin Kelly" cadence quarterly' in out
    toml = settings(root)
    assert toml["people"]["categories"] == ["People"]
    assert toml["people"]["types"] == ["contact"]
    assert toml["people"]["tags"] == []
    assert toml["people"]["templates"] == ["Templates"]
    assert toml["vault"]["contacts"] == []
    assert toml["interactions"] == {"from_notes": True, "folders": ["Daily", "Notes"]}
    assert toml["cadence"] == {"default": "twice-a-year"}
    assert toml["fields"] == {}
    assert people(root) == [
        "References/Kevin Kelly.md", "References/Paul Chambers.md", "References/Steph Ango.md"
    ]
    loaded = netvault_reads_the_same(root, run)
    # The meeting note links two topics whose notes the sample vault leaves
    # out: Obsidian's business, so no warning.
    assert loaded.problems == ()
    steph = next(c for c in loaded.contacts if c.name == "Steph Ango")
    assert steph.org == "Obsidian"
    # ... and the meeting with Steph on 2023-09-12 is contact with her.
    assert [(i.date.isoformat(), i.source) for i in loaded.interactions[steph.path]] == [
        ("2023-09-12", "Notes/2023-09-12 Meeting with Steph.md")
    ]
    assert loaded.config.default_cadence is not None
    # only netvault.toml (and a .gitignore for netvault's lock files) is new; no note
    # changed (netvault's read cache, in .netvault/cache/, ignores itself)
    cache = root / ".netvault" / "cache"
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and cache not in p.parents}
    assert set(after) - set(before) == {root / "netvault.toml", root / ".gitignore"}
    assert all(after[p] == before[p] for p in before)


def test_whodex_people_folder_types_tags_and_field_names(run, tmp_path):
    root = corpus(tmp_path, "whodex-people-network-min")
    result = run("adopt", root)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "People: 2 notes look like people.\n" in out
    assert "  2 in People/ (a folder named for people)\n" in out
    assert "  2 with type Person (a word for a person)\n" in out
    assert "  2 with tag #Person (a word for a person)\n" in out
    assert (
        "  Not people: 5 notes say they are something else: type City (2), type Event (1), "
        "type NGO (1), type Startup (1)\n"
    ) in out
    assert "  last contact  -> last_contact  (netvault's name written differently; 1 note)\n" in out
    assert "  organisations -> org  (a common name for org; 2 notes)\n" in out
    # `next contact` holds a date (an Obsidian date property): netvault's
    # "DATE note" follow-ups would break it, so it is no follow_up.
    assert "next contact  ->" not in out
    assert "  Already netvault's names: aliases, tags\n" in out
    assert "Kept as they are (netvault has no such field): city, country, next contact, source, type\n" in out
    assert "  Events/ (dated notes that link to people, 1 note)\n" in out
    toml = settings(root)
    assert toml["vault"]["contacts"] == ["People"]
    assert toml["people"]["types"] == ["contact", "Person"]
    assert toml["people"]["tags"] == ["Person"]
    assert toml["fields"] == {"last contact": "last_contact", "organisations": "org"}
    assert toml["interactions"]["folders"] == ["Events"]
    assert people(root) == ["People/Ada Engineer.md", "People/Bo Founder.md"]
    loaded = netvault_reads_the_same(root, run)
    assert loaded.problems == ()
    ada = next(c for c in loaded.contacts if c.name == "Ada Engineer")
    assert (ada.org, ada.last_contact.isoformat(), ada.follow_up) == ("Acme", "2026-01-15", None)
    # The Demo Meetup event lists both as participants: contact on 2026-01-10.
    assert {
        path: [(i.date.isoformat(), i.source) for i in items]
        for path, items in loaded.interactions.items()
    } == {
        "People/Ada Engineer.md": [("2026-01-10", "Events/Demo Meetup.md")],
        "People/Bo Founder.md": [("2026-01-10", "Events/Demo Meetup.md")],
    }
    # log on Ada then changes only her own `last contact:` key, and adds the entry.
    before = (root / "People" / "Ada Engineer.md").read_text()
    assert run("log", "ada", "call", "--vault", root, "--today", "2026-11-22").exit_code == 0
    after = (root / "People" / "Ada Engineer.md").read_text()
    assert after == before.replace("last contact: 2026-01-15", "last contact: 2026-11-22") + (
        "\n## Log\n\n- 2026-11-22 call\n"
    )
    not_people = {n.path: n.reason for n in adopt_vault(root).not_people}
    assert not_people == {
        "Events/Demo Meetup.md": "type Event",
        "Locations/Berlin.md": "type City",
        "Locations/Hamburg.md": "type City",
        "Organisations/Acme.md": "type Startup",
        "Organisations/OpenNet.md": "type NGO",
    }


def test_vcf_demo_inline_tag_vcard_keys_and_kind(run, tmp_path):
    root = corpus(tmp_path, "obsidian-vcf-contacts-demo")
    result = run("adopt", root)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "People: 15 notes look like people.\n  15 with tag #Contact (a word for a person)\n" in out
    assert (
        "  Not people: 3 notes say they are something else: KIND location (1), KIND ORG (1), "
        "KIND org (1)\n"
    ) in out
    assert "  EMAIL[HOME]             -> email  (EMAIL with the label HOME; 15 notes)\n" in out
    assert "Not mapped: N.FN: a part of a name" in out
    assert "Not mapped: EMAIL[WORK], EMAIL[WORKSHOP]: also email, but they differ from EMAIL[HOME]" in out
    toml = settings(root)
    assert toml["people"]["tags"] == ["Contact"]
    fields = toml["fields"]
    assert fields["ORG"] == "org"
    assert fields["BDAY"] == "birthday"
    assert fields["EMAIL[HOME]"] == "email"
    assert fields["TEL[CELL]"] == "phone"
    assert fields["FN"] == "name"
    assert fields["ROLE"] == "role"
    assert "N.FN" not in fields and "EMAIL[WORK]" not in fields
    assert '"EMAIL[HOME]" = "email"' in (root / "netvault.toml").read_text()
    found = people(root)
    assert len(found) == 15
    assert "Snip & Sip AB.md" not in found
    assert "India Gate (1931).md" not in found
    assert "kite surf spot zandmotor.md" not in found
    loaded = netvault_reads_the_same(root, run)
    assert loaded.problems == ()
    anya = next(c for c in loaded.contacts if c.path == "Anya Volkova.md")
    assert (anya.name, anya.org, anya.email, anya.phone) == (
        "Anya Volkova", "FrostTech Artisans", "anya.ice@frostmail.ru", "+74951234567"
    )
    assert (anya.birthday.year, anya.birthday.month, anya.birthday.day) == (1991, 1, 5)
    assert next(c for c in loaded.contacts if c.path == "伟 李.md").name == "李伟"


@pytest.mark.parametrize(
    "name", ["kepano-obsidian", "whodex-people-network-min", "obsidian-vcf-contacts-demo"]
)
def test_the_file_is_deterministic_and_commented(tmp_path, name):
    root = corpus(tmp_path, name)
    first = adopt_vault(root).toml
    assert adopt_vault(root).toml == first
    data = tomllib.loads(first)
    assert set(data) <= {"vault", "people", "fields", "cadence", "interactions", "me"}
    assert data.get("me", {}) == {}  # [me] is written to fill in, every key commented
    # every setting line is explained by a comment somewhere above it in its section
    assert first.startswith("# netvault settings, written by `netvault adopt`")
    assert list(data["fields"]) == sorted(data["fields"], key=lambda k: (k.casefold(), k))


# ---------------------------------------------------------------- people


def test_people_folders_match_in_any_case(tmp_path):
    root = vault(tmp_path, {
        "Contacts/Ann.md": "---\norg: A\n---\n",
        "persons/Bob.md": "plain\n",
        "work/People/Cy.md": "---\nrole: x\n---\n",
        "Notes/Idea.md": "---\ntopic: y\n---\n",
    })
    a = adopt_vault(root)
    assert a.people_folders == ("Contacts", "persons", "work/People")
    assert [p.path for p in a.people] == ["Contacts/Ann.md", "persons/Bob.md", "work/People/Cy.md"]
    assert tomllib.loads(a.toml)["vault"]["contacts"] == ["Contacts", "persons", "work/People"]
    netvault_reads_the_same(root)


def test_a_type_shared_by_a_people_folder_finds_people_elsewhere(tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "---\ntype: \"[[Types/Friend|F]]\"\ntags: [crm/warm]\n---\n",
        "People/Bob.md": "---\ntype: [\"[[Friend]]\"]\ntags: [crm/warm, x]\n---\n",
        "Journal/Cy.md": "---\ntype: friend\n---\n",
        "Journal/Dee.md": "---\ntags: [crm/warm]\n---\n",
        "Journal/Note.md": "---\ntype: idea\n---\n",
    })
    a = adopt_vault(root)
    assert [(m.value, m.why) for m in a.types] == [("Friend", "shared by every note in People/")]
    assert [m.value for m in a.tags] == ["crm/warm"]
    assert [p.path for p in a.people] == [
        "Journal/Cy.md", "Journal/Dee.md", "People/Ann.md", "People/Bob.md"
    ]
    netvault_reads_the_same(root)


def test_named_types_tags_and_categories(tmp_path):
    root = vault(tmp_path, {
        "a/Ann.md": "---\ntype: Person\n---\n",
        "a/Bob.md": "---\ntags: [\"#people/family\"]\n---\n",
        "a/Cy.md": "---\ncategories: [\"[[Contacts]]\"]\n---\n",
        "a/Dee.md": "Met at the fair. #contact\n",
        "a/Eve.md": "```\n#contact in code\n```\n`#contact` and %% #contact %% <!-- #contact -->\n",
        "a/Fay.md": "---\ncircle: buddy\n---\n",
        "a/Gus.md": "---\ntype: contact\n---\n",
    })
    a = adopt_vault(root)
    reasons = {p.path: p.reasons for p in a.people}
    assert reasons == {
        "a/Ann.md": ("type Person",),
        "a/Bob.md": ("tag people/family",),
        "a/Cy.md": ("category Contacts",),
        "a/Dee.md": ("tag contact",),
        "a/Fay.md": ("circle",),
        "a/Gus.md": ("type contact",),
    }
    toml = tomllib.loads(a.toml)["people"]
    assert toml["types"] == ["contact", "Person"]
    assert toml["categories"] == ["Contacts"]
    netvault_reads_the_same(root)


def test_inline_tags_as_obsidian_sees_them():
    assert inline_tags("#Contact #Art # Robotics #### Notes #123 #a/b x#no (#yes)") == [
        "Contact", "Art", "a/b"
    ]
    assert inline_tags("#自然 and `#code` and\n```\n#fenced\n```\n%% #hidden %%") == ["自然"]


def test_notes_that_say_they_are_something_else_are_not_people(run, tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "---\ntype: person\n---\n",
        "People/Acme.md": "---\ntype: Organisation\n---\n",
        "People/Globex.md": "---\ntags: [company]\n---\n",
        "People/Meetup.md": "---\ntype: \"[[Event]]\"\n---\n",
        "People/Paris.md": "---\ntype: City\n---\n",
        "People/Club.md": "---\nKIND: group\n---\n",
        "People/Boss.md": "---\ntype: company\ncircle: strategic\n---\n",
        "Acme.md": "---\nKIND: org\n---\n#contact\n",
    })
    a = adopt_vault(root)
    assert [p.path for p in a.people] == ["People/Ann.md", "People/Boss.md"]
    assert {n.path: (n.reason, n.in_people_folder) for n in a.not_people} == {
        "Acme.md": ("KIND org", False),
        "People/Acme.md": ("type Organisation", True),
        "People/Club.md": ("KIND group", True),
        "People/Globex.md": ("tag company", True),
        "People/Meetup.md": ("type Event", True),
        "People/Paris.md": ("type City", True),
    }
    out = run("adopt", root, "--dry-run").stderr
    assert "    People/Acme.md is in a people folder but has type Organisation\n" in out
    netvault_reads_the_same(root)


def test_template_folders_are_never_people(tmp_path):
    root = vault(tmp_path, {
        "Templates/Person.md": "---\ncategories: [\"[[People]]\"]\nbirthday:\n---\n",
        "templates/Meeting.md": "---\ndate: {{date}}\n---\n",
        "People/Ann.md": "---\ncategories: [\"[[People]]\"]\n---\n",
        "People/Templates/Nope.md": "---\norg:\n---\n",
        "Stuff/Templates/Real.md": "---\ntype: person\n---\nno blanks here\n",
    })
    a = adopt_vault(root)
    # Templates/ and templates/ are one folder to netvault, which matches names in any case
    assert a.templates == ("People/Templates", "Templates")
    assert [p.path for p in a.people] == ["People/Ann.md", "Stuff/Templates/Real.md"]
    assert tomllib.loads(a.toml)["people"]["templates"] == ["People/Templates", "Templates"]
    netvault_reads_the_same(root)


def test_obsidian_template_setting_is_left_out_and_not_listed(tmp_path):
    root = vault(tmp_path, {
        ".obsidian/templates.json": '{"folder": "Meta/Blanks"}',
        "Meta/Blanks/Person.md": "---\ntype: person\n---\n",
        "People/Ann.md": "hi\n",
    })
    a = adopt_vault(root)
    assert a.obsidian_templates == "Meta/Blanks"
    assert a.templates == ()
    assert [p.path for p in a.people] == ["People/Ann.md"]
    assert "Obsidian's own template folder (Meta/Blanks) is always left out." in a.toml
    netvault_reads_the_same(root)


# ---------------------------------------------------------------- fields


@pytest.mark.parametrize(
    "key, field",
    [
        ("last contact", "last_contact"), ("lastContact", "last_contact"),
        ("Last-Contact", "last_contact"), ("company", "org"), ("organisation", "org"),
        ("organizations", "org"), ("title", "role"), ("position", "role"), ("job title", "role"),
        ("bday", "birthday"), ("BDAY", "birthday"), ("Birthday", "birthday"), ("ORG", "org"),
        ("EMAIL[HOME]", "email"), ("TEL[CELL]", "phone"), ("FN", "name"), ("full name", "name"),
        ("nickname", "aliases"), ("mobile", "phone"), ("linkedin url", "linkedin"),
        ("LinkedIn_URL", "linkedin"), ("E-Mail", "email"), ("TEL;TYPE=cell", "phone"),
    ],
)
def test_field_names_match_loosely(tmp_path, key, field):
    values = {"last_contact": "2026-01-15", "birthday": "1990-05-02"}
    root = vault(tmp_path, {"People/Ann.md": f"---\n{toml_string(key)}: {values.get(field, 'x')}\n---\n"})
    a = adopt_vault(root)
    assert [(m.key, m.field) for m in a.mappings] == [(key, field)]
    assert tomllib.loads(a.toml)["fields"] == {key: field}
    netvault_reads_the_same(root)


def test_netvault_names_need_no_mapping_and_unknown_keys_are_kept(tmp_path):
    root = vault(tmp_path, {"People/Ann.md": "---\norg: A\nlast_contact: 2026-01-01\nhobby: x\n---\n"})
    a = adopt_vault(root)
    assert a.mappings == ()
    assert a.own_keys == ("last_contact", "org")
    assert a.other_keys == ("hobby",)
    assert tomllib.loads(a.toml)["fields"] == {}


def test_only_keys_people_notes_use_are_mapped(tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "---\ncompany: A\n---\n",
        "Notes/Meeting.md": "---\ntitle: Weekly\nbday: 2020-01-01\n---\n",
    })
    assert [m.key for m in adopt_vault(root).mappings] == ["company"]


def test_values_that_do_not_fit_the_field_are_not_mapped(tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "---\nbirthday: 1990-05-02\nbday: fifth of May\nlast contact: last week\n---\n",
    })
    a = adopt_vault(root)
    assert a.mappings == ()
    assert {u.key: u.why for u in a.unmapped} == {
        "bday": "means birthday, but netvault cannot read 'fifth of May' (People/Ann.md) as a birthday",
        "last contact": "means last_contact, but netvault cannot read 'last week' (People/Ann.md) as a last_contact",
    }


def test_keys_that_contradict_each_other_map_only_the_most_used(tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": '---\n"EMAIL[HOME]": a@home\n"EMAIL[WORK]": a@work\n---\n',
        "People/Bob.md": '---\n"EMAIL[HOME]": b@home\n---\n',
        "People/Cy.md": '---\n"EMAIL[OTHER]": c@other\n---\n',
        "People/Dee.md": '---\nemail: d@x\ne-mail: d@y\n---\n',
    })
    a = adopt_vault(root)
    assert [(m.key, m.field) for m in a.mappings] == [("EMAIL[HOME]", "email"), ("EMAIL[OTHER]", "email")]
    assert {u.key: (u.rival, u.example) for u in a.unmapped} == {
        "e-mail": ("email", "People/Dee.md"),
        "EMAIL[WORK]": ("EMAIL[HOME]", "People/Ann.md"),
    }


def test_toml_keys_and_strings_round_trip():
    for text in ["plain", "last contact", "EMAIL[HOME]", 'a "q" \\ b', "tab\there", "\x00\x1f\x7f", "ü ✓"]:
        assert tomllib.loads(f"{toml_key(text)} = {toml_string(text)}\n") == {text: text}
    assert toml_key("ORG") == "ORG"
    assert toml_key("N.FN") == '"N.FN"'


# ---------------------------------------------------------------- meetings and rhythm


def test_dated_notes_that_link_to_people_make_interaction_folders(tmp_path):
    root = vault(tmp_path, {
        "People/Ann Lee.md": "---\naliases: [Annie]\n---\n",
        "Meetings/2026/01/2026-01-02 Lunch.md": "Lunch with [[Ann Lee]]\n",
        "Meetings/2025/Kickoff.md": "---\ndate: 2025-03-01\n---\n[[People/Ann Lee|Ann]]\n",
        "Log/Call.md": "---\ndatetime: 2026-02-03T10:00\n---\n[[annie]]\n",
        "Ideas/2026-01-05 Thought.md": "about [[Someone Else]]\n",
        "Drafts/Undated.md": "[[Ann Lee]]\n",
        "2026-01-09 Top.md": "[[Ann Lee]]\n",
        ".obsidian/daily-notes.json": '{"folder": "Journal/"}',
        "Journal/.keep.md": "",
    })
    a = adopt_vault(root)
    assert [(i.folder, i.notes) for i in a.interactions] == [("Journal", 0), ("Log", 1), ("Meetings", 2)]
    assert a.undated_root_notes == 1
    assert tomllib.loads(a.toml)["interactions"]["folders"] == ["Journal", "Log", "Meetings"]
    netvault_reads_the_same(root)


def test_rhythm_default_only_when_someone_has_none(run, tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "---\ncircle: buddy\n---\n",
        "People/Bob.md": "---\nfrequency: 3m\n---\n",
    })
    a = adopt_vault(root)
    assert a.without_rhythm == () and a.default_cadence is None
    assert "cadence" not in tomllib.loads(a.toml) or tomllib.loads(a.toml)["cadence"] == {}
    write_files(root, {"People/Cy.md": "---\norg: X\n---\n"})
    a = adopt_vault(root)
    assert a.without_rhythm == ("People/Cy.md",)
    assert tomllib.loads(a.toml)["cadence"] == {"default": "twice-a-year"}
    out = run("adopt", root).stdout
    assert "Rhythm: 1 person has no circle and no cadence" in out
    assert 'netvault set "Cy" cadence quarterly' in out


# ---------------------------------------------------------------- robustness


def test_broken_notes_are_counted_and_the_rest_read(run, tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "---\nname: [\n---\n",
        "People/Bob.md": b"---\norg: \xff\n---\n",
        "People/Cy.md": "---\norg: C\n---\n",
        "People/Dee.md": "---\nkey: value\n",
    })
    (root / "People" / "pipe.md").unlink(missing_ok=True)
    import os

    os.mkfifo(root / "People" / "Pipe.md")
    a = adopt_vault(root)
    assert [p.path for p in a.people] == ["People/Cy.md"]
    assert [b.path for b in a.broken] == ["People/Ann.md", "People/Bob.md", "People/Dee.md"]
    out = run("adopt", root).stdout
    assert "(3 notes could not be read)" in out
    assert "  People/Bob.md:2: not UTF-8 text" in out


def test_links_and_dot_folders_are_not_read(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntype: person\n---\n")
    root = vault(tmp_path, {
        ".trash/Old.md": "---\ntype: person\n---\n",
        ".hidden.md": "---\ntype: person\n---\n",
        "People/Ann.md": "",
    })
    (root / "People" / "Link.md").symlink_to(outside)
    assert people(root) == ["People/Ann.md"]


# ---------------------------------------------------------------- the command


def test_dry_run_writes_nothing(run, tmp_path):
    root = corpus(tmp_path, "whodex-people-network-min")
    result = run("adopt", root, "--dry-run")
    assert result.exit_code == 0
    assert not (root / "netvault.toml").exists()
    assert tomllib.loads(result.stdout)["vault"]["contacts"] == ["People"]
    assert result.stdout == adopt_vault(root).toml
    assert "People: 2 notes look like people." in result.stderr
    assert result.stderr.endswith(f"dry run: {root / 'netvault.toml'} not written\n")


def test_refuses_to_overwrite_unless_forced(run, tmp_path):
    root = corpus(tmp_path, "whodex-people-network-min")
    (root / "netvault.toml").write_text("# mine\n")
    result = run("adopt", root)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {root / 'netvault.toml'} already exists; adopt replaces it only with --force "
        "(see what it would write with --dry-run)\n"
    )
    assert (root / "netvault.toml").read_text() == "# mine\n"
    assert run("adopt", root, "--dry-run").exit_code == 0
    assert (root / "netvault.toml").read_text() == "# mine\n"
    result = run("adopt", root, "--force")
    assert result.exit_code == 0
    assert settings(root)["vault"]["contacts"] == ["People"]


def test_the_current_folder_or_vault_option(run, tmp_path, monkeypatch):
    root = vault(tmp_path, {"People/Ann.md": ""})
    monkeypatch.chdir(root)
    assert run("adopt", "--dry-run").exit_code == 0
    assert run("adopt", "--vault", root, "--dry-run").exit_code == 0
    result = run("adopt", root, "--vault", tmp_path)
    assert result.exit_code == 1
    assert "give the vault folder once" in result.stderr
    result = run("adopt", tmp_path / "nope")
    assert (result.exit_code, result.stderr) == (1, f"Error: folder {str(tmp_path / 'nope')!r} does not exist\n")


def test_refuses_a_folder_inside_a_vault(run, tmp_path):
    (tmp_path / "netvault.toml").write_text("")
    root = vault(tmp_path, {"People/Ann.md": ""})
    result = run("adopt", root)
    assert result.exit_code == 1
    assert "is inside the vault of" in result.stderr
    assert not (root / "netvault.toml").exists()


# ---------------------------------------------------------------- init beside notes


def test_init_in_a_folder_with_notes_adds_no_example_and_points_to_adopt(run, tmp_path):
    root = corpus(tmp_path, "whodex-people-network-min")
    result = run("init", root)
    assert result.exit_code == 0
    assert "Ada Example" not in result.stdout
    assert not (root / "people" / "Ada Example.md").exists()
    assert result.stdout.endswith(
        f"{root} already holds 7 notes, so no example contact was added. To make netvault "
        "understand them (who is a person, your own key names, meeting notes), run: "
        f"netvault adopt --force {root}\n"
    )
    assert run("adopt", "--force", root).exit_code == 0


def test_a_billion_laughs_note_is_counted_not_expanded(run, tmp_path):
    from .conftest import FIXTURES

    root = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "hostile", root)
    (root / "netvault.toml").unlink()
    result = run("adopt", root)
    assert result.exit_code == 0, result.output
    assert "(1 note could not be read)" in result.stdout
    assert "  people/Billion Laughs.md:7: frontmatter expands YAML aliases too far" in result.stdout
    assert [p.path for p in adopt_vault(root).people] == ["people/Jane Doe.md"]


def test_adopt_keeps_netvaults_bookkeeping_out_of_git(run, tmp_path):
    root = corpus(tmp_path, "whodex-people-network-min")
    (root / ".gitignore").write_text("*.tmp")  # the user's own, without a final newline
    assert run("adopt", root).exit_code == 0
    assert (root / ".gitignore").read_text() == (
        "*.tmp\n# netvault's own bookkeeping\n.netvault/write.lock\n.netvault/written.json\n.netvault/journal.json\n.netvault/cache/\n*.netvault-tmp\n"
    )
    (root / "netvault.toml").unlink()
    result = run("adopt", root)
    assert "Added to .gitignore" not in result.stdout  # already there: nothing added twice
    assert (root / ".gitignore").read_text().count(".netvault/write.lock") == 1


# ---------------------------------------------------------------- what the user trial found


def test_only_folders_of_meetings_and_days_count_as_contact(run, tmp_path):
    root = vault(tmp_path, {
        "People/Jennifer.md": "---\norg: A\n---\n",
        # a project note is dated and names its team: no meeting
        "Projects/Launch.md": '---\ndate: 2026-02-01\nteam: ["[[Jennifer]]"]\n---\n',
        "Projects/Site.md": '---\ndate: 2026-03-01\nteam: ["[[Jennifer]]"]\n---\n',
        # named for meetings, calls, one-on-ones, journals, in any case and form
        "Meeting Notes/Standup.md": "---\ndate: 2026-01-02\n---\n[[Jennifer]]\n",
        "work/1-1s/2026-01-03.md": "[[Jennifer]]\n",
        "One-on-Ones/2026-01-04.md": "[[Jennifer]]\n",
        "JOURNAL/2026/2026-01-05.md": "[[Jennifer]]\n",
        "Calls/Kickoff.md": "---\ndatetime: 2026-01-06T10:00\n---\n[[Jennifer]]\n",
        "Calendar/2026-01-07.md": "[[Jennifer]]\n",
        # most of its dated notes say they are meetings (type, tag, category)
        "Notes/2026-01-08 Sync.md": '---\ntype: "[[Meeting]]"\n---\n[[Jennifer]]\n',
        "Notes/2026-01-09 Call.md": "---\ntags: [call/weekly]\n---\n[[Jennifer]]\n",
        "Notes/2026-01-10 Idea.md": "[[Jennifer]]\n",
        "Stuff/2026-01-11 a.md": '---\ncategories: ["[[Books]]"]\n---\n[[Jennifer]]\n',
        "Stuff/2026-01-12 b.md": "---\ncategories: [\"[[1:1]]\"]\n---\n[[Jennifer]]\n",
    })
    a = adopt_vault(root)
    assert [(i.folder, i.notes) for i in a.interactions] == [
        ("Calendar", 1), ("Calls", 1), ("JOURNAL", 1), ("Meeting Notes", 1), ("Notes", 3),
        ("One-on-Ones", 1), ("work/1-1s", 1),
    ]
    assert next(i.why for i in a.interactions if i.folder == "Notes") == (
        "dated notes that link to people, with tag call/weekly"
    )
    assert [(i.folder, i.notes) for i in a.not_interactions] == [("Projects", 2), ("Stuff", 2)]
    toml = tomllib.loads(a.toml)["interactions"]["folders"]
    assert "Projects" not in toml and "Stuff" not in toml
    out = run("adopt", root).stdout
    assert (
        "  not counted: Projects/ (dated notes that link to people, but they do not look like "
        "meetings; add it to [interactions] folders if they are)\n"
    ) in out
    assert "  Notes/ (dated notes that link to people, with tag call/weekly, 3 notes)\n" in out
    loaded = netvault_reads_the_same(root, run)
    sources = [i.source for i in loaded.interactions["People/Jennifer.md"]]
    assert not any(s.startswith(("Projects/", "Stuff/")) for s in sources)
    assert len(sources) == 9


def test_a_project_folder_alone_is_reported_not_counted(run, tmp_path):
    root = vault(tmp_path, {
        "People/Jennifer.md": "",
        "Projects/Launch.md": '---\ndate: 2026-02-01\nteam: ["[[Jennifer]]"]\n---\n',
    })
    a = adopt_vault(root)
    assert a.interactions == ()
    assert tomllib.loads(a.toml)["interactions"]["folders"] == []
    assert "# Not counted: Projects: dated notes that link to people" in a.toml
    out = run("adopt", root, "--dry-run").stderr
    assert "Meetings and daily notes: no folder of meetings or daily notes found.\n  not counted: Projects/" in out


def test_date_properties_never_become_follow_ups(tmp_path):
    root = vault(tmp_path, {
        ".obsidian/types.json": '{"types": {"Follow-Up": "datetime", "next step": "text", "met": "date"}}',
        "People/Ann.md": "---\nFollow-Up: 2026-04-01\nnext contact: 2026-05-01\n---\n",
        "People/Bob.md": "---\nFollow-Up: 2026-04-02\nnext contact: 2026-05-02\n---\n",
    })
    a = adopt_vault(root)
    assert a.mappings == ()
    assert "next contact" in a.other_keys
    assert {u.key: u.why for u in a.unmapped} == {
        "Follow-Up": 'Obsidian types it as a date (.obsidian/types.json), but netvault writes "DATE note" '
        "into follow_up",
    }
    # a "next ..." key holding bare dates is a date property too
    root = vault(tmp_path / "2", {"People/Ann.md": "---\nnext step: 2026-04-01\n---\n"})
    assert adopt_vault(root).mappings == ()
    root = vault(tmp_path / "3", {"People/Ann.md": "---\nnext step: 2026-04-01 send the deck\n---\n"})
    assert [(m.key, m.field) for m in adopt_vault(root).mappings] == [("next step", "follow_up")]
    # types.json is read only as a small regular file inside the vault
    root = vault(tmp_path / "4", {"People/Ann.md": "---\nfollowup: 2026-04-01\n---\n"})
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "types.json").symlink_to(tmp_path / "outside.json")
    (tmp_path / "outside.json").write_text('{"types": {"followup": "date"}}')
    assert [m.key for m in adopt_vault(root).mappings] == ["followup"]


def test_people_never_contacted_are_said_to_be_due_today(run, tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "---\nlast contact: 2026-01-01\n---\n",
        "People/Bob.md": "## Log\n\n- 2026-01-02 lunch\n",
        "People/Cy.md": "",
        "People/Dee.md": "",
        "People/Eve.md": "---\ncircle: buddy\n---\n",
        "Meetings/2026-01-03.md": "[[Dee]]\n",
    })
    a = adopt_vault(root)
    assert a.never_contacted == ("People/Cy.md",)
    out = run("adopt", root).stdout
    assert (
        '  1 of them has no last contact yet, so they are due today: log or snooze them if you do not '
        'want to see them now (netvault snooze "Cy" --for 3m)\n'
    ) in out
    write_files(root, {"People/Fay.md": ""})
    (root / "netvault.toml").unlink()
    out = run("adopt", root).stdout
    assert (
        "  2 of them have no last contact yet, so they are all due today: log or snooze the ones you "
        'do not want to see now (netvault snooze "Cy" --for 3m)\n'
    ) in out
    assert run("snooze", "Cy", "--for", "3m", "--vault", root, "--today", TODAY).exit_code == 0


@pytest.mark.parametrize("heading", ["## Interactions", "### Meetings log"])
def test_a_log_section_people_already_keep_becomes_the_log_heading(run, tmp_path, heading):
    text = heading.lstrip("# ")
    root = vault(tmp_path, {
        "People/Ann.md": f"# Ann\n\n{heading}\n\n- 2026-01-02 lunch\n- 2026-02-03 call: about X\n",
        "People/Bob.md": f"{heading}\n\n#### 2025\n\n* 2025-12-01 met at the fair\n\n## Notes\n\n- likes tea\n",
        "People/Cy.md": "## Notes\n\n- 2026-01-01 is when we should talk\n",
    })
    a = adopt_vault(root)
    assert (a.log_heading, a.log_heading_notes) == (text, 2)
    assert tomllib.loads(a.toml)["vault"]["log_heading"] == text
    out = run("adopt", root).stdout
    assert f'  Decided: [vault] log_heading = "{text}": netvault reads those items as the log' in out
    loaded = netvault_reads_the_same(root, run)
    ann = next(c for c in loaded.contacts if c.name == "Ann")
    assert [e.date.isoformat() for e in ann.log] == ["2026-01-02", "2026-02-03"]
    # Rhythm: Ann and Bob were met (their log says so); Cy was not
    assert adopt_vault(root).never_contacted == ("People/Cy.md",)


def test_no_log_heading_when_people_keep_a_log_or_few_have_one(tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "## Interactions\n\n- 2026-01-02 lunch\n",
        "People/Bob.md": "## Interactions\n\n- 2026-01-02 lunch\n",
        "People/Cy.md": "## log\n\n- 2026-01-03 call\n",
    })
    a = adopt_vault(root)
    assert a.log_heading is None
    assert "log_heading" not in tomllib.loads(a.toml)["vault"]
    root = vault(tmp_path / "2", {
        "People/Ann.md": "## Interactions\n\n- 2026-01-02 lunch\n",
        "People/Bob.md": "",
        "People/Cy.md": "```\n## Interactions\n- 2026-01-02 in code\n```\n",
    })
    assert adopt_vault(root).log_heading is None


def test_index_notes_in_a_people_folder_are_probably_not_people(run, tmp_path):
    person = "---\ntype: person\ntags: [friend]\n---\n"
    root = vault(tmp_path, {
        "People/Ann.md": person,
        "People/Bob.md": person,
        "People/Cy.md": "---\ntype: person\n---\n",
        "People/Eve.md": "---\ntype: person\n---\n",
        "People/Dee.md": "---\nemail: d@x\n---\n",  # no marker, but a person's key
        "People/Friends hub.md": "---\ntags: [hub, friend]\n---\n- [[Ann]]\n- [[Bob]]\n",
        "People/Overview.md": "- [[Ann]]\n- [[Cy]]\n",
        "People/People MOC.md": "---\ntags: [moc]\n---\n- [[Ann]]\n",
        "Elsewhere/Gus.md": "---\ntype: person\n---\n",
    })
    a = adopt_vault(root)
    assert [(h.path, h.tags) for h in a.probably_not_people] == [
        ("People/Friends hub.md", ("hub",)),
        ("People/Overview.md", ()),
    ]
    # hub goes to not_tags, with netvault's own; friend is a tag people have
    not_tags = tomllib.loads(a.toml)["people"]["not_tags"]
    assert not_tags[-1] == "hub" and "company" in not_tags and "friend" not in not_tags
    paths = [p.path for p in a.people]
    assert "People/Friends hub.md" not in paths and "People/People MOC.md" not in paths
    assert "People/Overview.md" in paths  # no tag to tell it apart: the user decides
    assert "People/Dee.md" in paths and "Elsewhere/Gus.md" in paths
    out = run("adopt", root).stdout
    assert (
        "  probably not people: People/Friends hub.md, People/Overview.md (no person markers); "
        "add a type or tag in not_types/not_tags, or move it\n"
    ) in out
    assert "    Decided: [people] not_tags gets #hub (a tag of those notes that no person has)\n" in out
    netvault_reads_the_same(root, run)


def test_a_people_folder_without_shared_markers_flags_nothing(tmp_path):
    root = vault(tmp_path, {
        "People/Ann.md": "",
        "People/Bob.md": "hi\n",
        "People/Index.md": "- [[Ann]]\n",
    })
    a = adopt_vault(root)
    assert a.probably_not_people == ()
    assert "not_tags" not in tomllib.loads(a.toml)["people"]


def test_nested_tags_under_a_broader_one_are_not_written(run, tmp_path):
    root = vault(tmp_path, {
        "a/Ann.md": "---\ntags: [person]\n---\n",
        "a/Bob.md": "---\ntags: [person/mentor]\n---\n",
        "a/Cy.md": "---\ntags: [people/family, crm/warm]\n---\n",
        "a/Dee.md": "Met at the fair #person/friend/old\n",
    })
    a = adopt_vault(root)
    assert [m.value for m in a.tags] == ["people/family", "person"]
    assert tomllib.loads(a.toml)["people"]["tags"] == ["people/family", "person"]
    assert [p.path for p in a.people] == ["a/Ann.md", "a/Bob.md", "a/Cy.md", "a/Dee.md"]
    out = run("adopt", root, "--dry-run").stderr
    assert "  1 with tag #person/mentor (under #person: a word for a person)\n" in out
    netvault_reads_the_same(root, run)

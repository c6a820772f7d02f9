"""netvault import: merge, never duplicate; re-import changes nothing; job changes."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from netvault.interop import Parsed, Person, importer
from netvault.interop.importrecord import read_state
from netvault.playbook.agenda import JOB_CHANGE, build_agenda
from netvault.read.loader import load_vault

from .conftest import TODAY, corpus_files


LINKEDIN_1 = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Jane,Doe,https://www.linkedin.com/in/jane-doe,,Acme,PM,15 Mar 2024
Omar,Haddad,https://www.linkedin.com/in/omarh/,,Brightline,Engineer,02 Jan 2023
Priya,Raman,http://linkedin.com/in/priya-raman,priya@example.com,Northwind,CTO,10 Oct 2022
Li,Wei,https://www.linkedin.com/in/li-wei-1,,Acme,Designer,01 Feb 2021
Li,Wei,https://www.linkedin.com/in/li-wei-2,,Globex,Analyst,01 Feb 2021
,,,,,,
,,https://www.linkedin.com/in/nobody,,Initech,PM,01 Jan 2020
"""

LINKEDIN_2 = LINKEDIN_1.replace("Acme,PM,15 Mar 2024", "Brightline,Head of Product,15 Mar 2024").replace(
    "Northwind,CTO", "Northwind,CEO"
)


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".netvault/cache" not in str(p.relative_to(root))
    }


@pytest.fixture
def vault(make_vault):
    return make_vault(
        {
            "people/Omar Haddad.md": (
                "---\nname: Omar Haddad\ncircle: buddy\norg: Brightline Ltd  # mine\n---\nFriend.\n\n## Log\n"
                "- 2026-10-01 coffee\n"
            ),
            "people/Priya R.md": "---\nname: Priya Raman\naliases: [PR]\ncircle: strategic\n---\n",
        }
    )


def linkedin_file(tmp_path: Path, text: str, name: str = "Connections.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_(run, root, *args):
    result = run("import", *args, "--vault", root, "--today", TODAY.isoformat())
    return result


def test_linkedin_into_a_vault_merges_and_creates(vault, run, tmp_path):
    export = linkedin_file(tmp_path, LINKEDIN_1)
    dry = import_(run, vault, "linkedin", export, "--dry-run", "--tag", "linkedin")
    assert dry.exit_code == 0, dry.output
    assert "would import 3 new, 2 updated, 0 unchanged, 1 skipped, 0 job changes" in dry.output
    assert not (vault / "people" / "Jane Doe.md").exists()
    result = import_(run, vault, "linkedin", export, "--tag", "linkedin")
    assert result.exit_code == 0, result.output
    assert "imported 3 new, 2 updated, 0 unchanged, 1 skipped" in result.output
    jane = (vault / "people" / "Jane Doe.md").read_text(encoding="utf-8")
    assert "circle: cold" in jane and "org: Acme" in jane and "role: PM" in jane
    assert "linkedin: https://www.linkedin.com/in/jane-doe" in jane
    assert "connected_on: 2024-03-15" in jane and "last_contact" not in jane
    assert "tags: [linkedin]" in jane and "source: linkedin import (Connections.csv)" in jane
    # Omar: matched by name; his org was his own and stays, with the difference reported
    omar = (vault / "people" / "Omar Haddad.md").read_text(encoding="utf-8")
    assert "org: Brightline Ltd  # mine" in omar and "role: Engineer" in omar
    assert 'Omar Haddad: org is \'Brightline Ltd\' in the vault, \'Brightline\' in the import — kept yours' in result.output
    # Priya: matched by name (file "Priya R.md"); her email is filled
    priya = (vault / "people" / "Priya R.md").read_text(encoding="utf-8")
    assert "email: priya@example.com" in priya and "org: Northwind" in priya
    # two Li Weis: two files and a warning, never a merge
    assert (vault / "people" / "Li Wei.md").exists() and (vault / "people" / "Li Wei (Globex).md").exists()
    assert "2 people named Li Wei" in result.output
    state = json.loads((vault / ".netvault" / "imports.json").read_text())
    assert state["people"]["linkedin:linkedin.com/in/jane-doe"]["path"] == "people/Jane Doe.md"


def test_importing_the_same_file_twice_changes_nothing(vault, run, tmp_path):
    export = linkedin_file(tmp_path, LINKEDIN_1)
    assert import_(run, vault, "linkedin", export).exit_code == 0
    before = files_of(vault)
    again = import_(run, vault, "linkedin", export)
    assert again.exit_code == 0, again.output
    assert "imported 0 new, 0 updated, 5 unchanged, 1 skipped, 0 job changes" in again.output
    assert files_of(vault) == before


def test_a_newer_export_logs_exactly_the_job_changes(vault, run, tmp_path):
    assert import_(run, vault, "linkedin", linkedin_file(tmp_path, LINKEDIN_1)).exit_code == 0
    # the user edits Priya's role by hand: theirs is kept when she moves on
    priya_path = vault / "people" / "Priya R.md"
    priya_path.write_text(priya_path.read_text(encoding="utf-8").replace("role: CTO", "role: Chief Technology Officer"))
    result = import_(run, vault, "linkedin", linkedin_file(tmp_path, LINKEDIN_2, "Connections2.csv"))
    assert result.exit_code == 0, result.output
    assert "2 job changes" in result.output
    jane = (vault / "people" / "Jane Doe.md").read_text(encoding="utf-8")
    assert "- 2026-11-22 moved from Acme (PM) to Brightline (Head of Product) #job-change" in jane
    assert "org: Brightline" in jane and "role: Head of Product" in jane  # still what the import wrote
    priya = priya_path.read_text(encoding="utf-8")
    assert "moved from Northwind (CTO) to Northwind (CEO) #job-change" in priya
    assert "role: Chief Technology Officer" in priya
    assert "Priya Raman: role is 'Chief Technology Officer' in the vault, 'CEO' in the import — kept yours" in result.output
    logged = [
        line for p in (vault / "people").glob("*.md") for line in p.read_text(encoding="utf-8").splitlines()
        if "#job-change" in line
    ]
    assert len(logged) == 2
    loaded = load_vault(vault, TODAY)
    jane_contact = next(c for c in loaded.contacts if c.name == "Jane Doe")
    assert jane_contact.last_contact is None and all(not e.interaction for e in jane_contact.log)
    for day, expected in ((TODAY, 2), (date(2026, 12, 22), 2), (date(2026, 12, 23), 0)):
        items = [i for i in build_agenda(loaded, day).items if i.kind == JOB_CHANGE]
        assert len(items) == expected, day
    items = {i.name: i for i in build_agenda(loaded, TODAY).items if i.kind == JOB_CHANGE}
    assert items["Jane Doe"].note == "moved from Acme (PM) to Brightline (Head of Product)"
    assert items["Jane Doe"].since == TODAY
    agenda = run("agenda", "--vault", vault, "--today", TODAY.isoformat())
    assert "Congratulate them (2)" in agenda.output
    # and a third run of the same newer export changes nothing more
    before = files_of(vault)
    assert "0 job changes" in import_(run, vault, "linkedin", tmp_path / "Connections2.csv").output
    assert files_of(vault) == before


def test_an_interrupted_import_finishes_without_duplicates(vault, run, tmp_path, monkeypatch):
    export = linkedin_file(tmp_path, LINKEDIN_1)
    real = importer.write_new
    calls = []

    def dies_after_two(path, text, **options):
        calls.append(path)
        if len(calls) > 2:
            raise KeyboardInterrupt
        real(path, text, **options)

    monkeypatch.setattr(importer, "write_new", dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        loaded = load_vault(vault, TODAY)
        plan = importer.plan(loaded, _linkedin(export), "linkedin", read_state(vault), TODAY)
        importer.apply(loaded, plan)
    monkeypatch.setattr(importer, "write_new", real)
    assert not (vault / ".netvault" / "imports.json").exists()
    result = import_(run, vault, "linkedin", export)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (vault / "people").glob("*.md"))
    assert names == ["Jane Doe.md", "Li Wei (Globex).md", "Li Wei.md", "Omar Haddad.md", "Priya R.md"]


def _linkedin(path: Path) -> Parsed:
    from netvault.interop import linkedin

    return linkedin.read(path)


def test_same_name_with_another_profile_is_a_new_person(make_vault, run, tmp_path):
    root = make_vault(
        {"people/Jane Doe.md": "---\ncircle: buddy\nlinkedin: https://linkedin.com/in/the-other-jane\n---\n"}
    )
    result = import_(run, root, "linkedin", linkedin_file(tmp_path, LINKEDIN_1))
    assert result.exit_code == 0, result.output
    assert "another LinkedIn profile" in result.output
    assert (root / "people" / "Jane Doe (Acme).md").exists()
    assert "the-other-jane" in (root / "people" / "Jane Doe.md").read_text()


def test_plan_matches_by_profile_email_and_alias(make_vault):
    root = make_vault(
        {
            "people/A.md": "---\nname: Ann Lee\ncircle: buddy\nlinkedin: https://uk.linkedin.com/in/Ann-Lee/?trk=x\n---\n",
            "people/B.md": "---\nname: Bob Stone\ncircle: buddy\nemail: Bob@Example.com\n---\n",
            "people/C.md": "---\nname: Carol Diaz\naliases: [Caz]\ncircle: buddy\n---\n",
        }
    )
    vault = load_vault(root, TODAY)
    parsed = Parsed(
        (
            Person("Annie L.", "f:1", linkedin="https://www.linkedin.com/in/ann-lee", org="Acme"),
            Person("Robert Stone", "f:2", emails=("bob@example.com",), phones=("+44 1",)),
            Person("Caz", "f:3", role="Chef"),
            Person("Dan New", "f:4", notes=("Met at PyCon.", "birthday: circa 1980")),
        )
    )
    plan = importer.plan(vault, parsed, "vcard", {"people": {}}, TODAY)
    filled = {u.contact.path: u.fill for u in plan.updated}
    assert filled == {"people/A.md": {"org": "Acme"}, "people/B.md": {"phone": "+44 1"}, "people/C.md": {"role": "Chef"}}
    assert [n.rel for n in plan.new] == ["people/Dan New.md"]
    importer.apply(vault, plan)
    dan = (root / "people" / "Dan New.md").read_text(encoding="utf-8")
    assert "Met at PyCon.\n\nbirthday: circa 1980\n" in dan
    assert dan.index("Met at PyCon.") < dan.index("## Log")
    assert load_vault(root, TODAY).problems == ()


def test_a_broken_state_file_stops_the_import_with_its_name(vault, run, tmp_path):
    (vault / ".netvault").mkdir(exist_ok=True)
    (vault / ".netvault" / "imports.json").write_text("{not json")
    result = import_(run, vault, "linkedin", linkedin_file(tmp_path, LINKEDIN_1))
    assert result.exit_code == 1
    assert ".netvault/imports.json is not valid JSON" in result.output
    assert not (vault / "people" / "Jane Doe.md").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (("linkedin", "missing.csv"), "missing.csv"),
        (("linkedin", "contacts.vcf"), "contacts.vcf"),
        (("vcard", "Connections.csv"), "Connections.csv"),
        (("linkedin", "empty.csv"), "empty.csv"),
        (("csv", "Connections.csv"), "--map"),
    ],
)
def test_bad_input_is_one_line_naming_the_file_and_writes_nothing(vault, run, tmp_path, args, message):
    linkedin_file(tmp_path, LINKEDIN_1)
    (tmp_path / "contacts.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n")
    (tmp_path / "empty.csv").write_text("")
    before = files_of(vault)
    source, name = args
    result = import_(run, vault, source, tmp_path / name)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert files_of(vault) == before


def test_vcard_round_trip_into_an_empty_vault(run, tmp_path, make_vault):
    example = tmp_path / "example"
    shutil.copytree(Path(__file__).resolve().parent.parent / "example_vault", example)
    out = tmp_path / "cards.vcf"
    result = run("export", "vcard", "--vault", example, "--today", TODAY.isoformat(), "--out", out)
    assert result.exit_code == 0, result.output
    empty = make_vault({})
    result = import_(run, empty, "vcard", out)
    assert result.exit_code == 0, result.output
    before = {c.name: c for c in load_vault(example, TODAY).contacts}
    after = {c.name: c for c in load_vault(empty, TODAY).contacts}
    assert set(after) == set(before)
    for name, old in before.items():
        new = after[name]
        assert (new.email, new.phone, new.org, new.role, new.linkedin, new.birthday) == (
            old.email, old.phone, old.org, old.role, old.linkedin, old.birthday
        ), name
        assert set(new.aliases) == set(old.aliases), name
    # and importing it a second time changes nothing
    again = import_(run, empty, "vcard", out)
    assert f"0 new, 0 updated, {len(before)} unchanged" in again.output


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files("linkedin", "*.csv"), ids=lambda p: p.name)
def test_corpus_linkedin_exports_import_once(tmp_path, run, path):
    root = tmp_path / "vault"
    root.mkdir()
    (root / "netvault.toml").write_text("")
    first = import_(run, root, "linkedin", path)
    assert first.exit_code == 0, first.output
    created = len(list((root / "people").glob("*.md")))
    assert created > 0 and f"imported {created} new" in first.output
    assert load_vault(root, TODAY).problems == () or all(
        p.severity == "warning" and "is also the name of" in p.message for p in load_vault(root, TODAY).problems
    )
    again = import_(run, root, "linkedin", path)
    assert " 0 new, 0 updated," in again.output, again.output


def test_a_state_file_that_cannot_be_read_stops_the_import_before_anything_is_written(vault, run, tmp_path):
    (vault / ".netvault").mkdir(exist_ok=True)
    (vault / ".netvault" / "imports.json").mkdir()  # a folder where the file goes
    result = import_(run, vault, "linkedin", linkedin_file(tmp_path, LINKEDIN_1))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Error: .netvault/imports.json: cannot read: Is a directory" in result.stderr
    assert not (vault / "people" / "Jane Doe.md").exists()


def test_a_state_file_that_cannot_be_written_is_an_error_after_the_contacts(vault, run, tmp_path, monkeypatch):
    from netvault.interop import importrecord

    def full(path, data, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importrecord, "create_file", full)  # the record's own write fails
    result = import_(run, vault, "linkedin", linkedin_file(tmp_path, LINKEDIN_1))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (vault / "people" / "Jane Doe.md").exists()  # the contacts are written
    written = result.stdout.count("  new: ") + result.stdout.count("  updated: ")
    assert (
        f"error: .netvault/imports.json: not written: No space left on device (the {written} contacts "
        "written are on disk; import again to record them)" in result.stderr
    )
    assert not (vault / ".netvault" / "imports.json").exists()


def test_a_merge_keeps_every_other_address_and_number(run, make_vault, tmp_path):
    root = make_vault(
        {
            "people/Bob Mensah.md": (
                "---\nname: Bob Mensah\ncircle: strategic\nemail: bob@work.example\n"
                'phone: "+44 7700 900488"\n---\n'
            )
        }
    )
    cards = tmp_path / "phone.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Mensah\r\nEMAIL:Bob@Work.example\r\nEMAIL:bob@home.example\r\n"
        "TEL:+447700900488\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = import_(run, root, "vcard", cards)
    assert result.exit_code == 0, result.output
    assert "  updated: people/Bob Mensah.md (other_emails, other_phones)" in result.stdout
    assert "kept yours" not in result.stdout
    text = (root / "people" / "Bob Mensah.md").read_text()
    assert "email: bob@work.example\n" in text and "other_emails: [bob@home.example]\n" in text
    assert "other_phones: [+44 20 7946 0000]\n" in text
    again = import_(run, root, "vcard", cards)
    assert "0 updated, 1 unchanged" in again.stdout

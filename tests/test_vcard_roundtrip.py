"""The vCard export is a round trip: export, import into an empty vault,
export again gives the same bytes, and the contact's netvault fields (circle,
origin, cadence, follow-up, log, ...) come back as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netvault.interop.vcard import read
from netvault.read.loader import load_vault

from .conftest import REPO, TODAY, corpus_files, write_files

DAY = TODAY.isoformat()

PHONE_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "UID:4F1E7C2A-91B3-4C8D-A5E6-0B9D8C7F6E5D\r\n"
    "FN:Sofia Almeida\r\n"
    "N:Almeida;Sofia;;;\r\n"
    "NICKNAME:Sofi\r\n"
    "ORG:Verdant Grid;Product\r\n"
    "TITLE:Head of Product\r\n"
    "EMAIL;TYPE=WORK:sofia@verdant.example\r\n"
    "EMAIL;TYPE=HOME:sofia.almeida@mail.example\r\n"
    "TEL;TYPE=CELL:+351 912 345 678\r\n"
    "TEL;TYPE=WORK:+351 213 000 111\r\n"
    "ADR;TYPE=HOME:;;Rua Augusta 12;Lisboa;;1100-053;Portugal\r\n"
    "URL:https://sofia.example/blog\r\n"
    "URL:https://www.linkedin.com/in/sofia-almeida-example\r\n"
    "BDAY:1988-04-17\r\n"
    "NOTE:Met at the Lisbon product meetup\\, 2025.\\nLoves trail running.\r\n"
    "CATEGORIES:friends\r\n"
    "END:VCARD\r\n"
)


def export(run, vault: Path, *extra: str) -> bytes:
    result = run("export", "vcard", "--vault", vault, "--today", DAY, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def import_into(run, vault: Path, card: Path) -> None:
    vault.mkdir(exist_ok=True)
    result = run("import", "vcard", card, "--vault", vault, "--today", DAY)
    assert result.exit_code == 0, result.output


def by_name(vault: Path):
    return {c.name: c for c in load_vault(vault, TODAY).contacts}


def netvault_view(contact) -> dict:
    """What netvault makes of a contact, its path and the file's layout aside."""
    return dict(
        circle=contact.circle, origin=contact.origin, org=contact.org, role=contact.role,
        email=contact.email, phone=contact.phone, linkedin=contact.linkedin,
        channels=contact.channels, cadence=contact.cadence, last_contact=contact.last_contact,
        priority=contact.priority, snooze_until=contact.snooze_until, follow_up=contact.follow_up,
        introduced_by=[link.target for link in contact.introduced_by],
        knows=[link.target for link in contact.knows], goals=contact.goals,
        birthday=contact.birthday, tags=contact.tags, aliases=contact.aliases,
        log=[(e.date, e.channel, e.text, e.planned) for e in contact.log],
        other=sorted((k, v) for k, v in contact.fields.items() if k not in ("name", "uid") and v not in (None, "", [])),
    )


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_example_vault_round_trip_is_byte_identical(run, tmp_path, version):
    first = export(run, REPO / "example_vault", "--version", version)
    (tmp_path / "first.vcf").write_bytes(first)
    import_into(run, tmp_path / "copy", tmp_path / "first.vcf")
    again = export(run, tmp_path / "copy", "--version", version)
    assert again == first
    # and what netvault makes of every contact is what it made before
    # (interaction notes are other files: not in the cards, so left out here)
    original, copy = by_name(REPO / "example_vault"), by_name(tmp_path / "copy")
    assert sorted(copy) == sorted(original)
    for name, contact in original.items():
        assert netvault_view(copy[name]) == netvault_view(contact), name


def test_vdir_round_trip_keeps_file_names_and_bytes(run, tmp_path):
    out = tmp_path / "cards"
    out.mkdir()
    assert run("export", "vcard", "--vault", REPO / "example_vault", "--today", DAY, "--out", out).exit_code == 0
    import_into(run, tmp_path / "copy", out)
    again = tmp_path / "again"
    again.mkdir()
    assert run("export", "vcard", "--vault", tmp_path / "copy", "--today", DAY, "--out", again).exit_code == 0
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(files) == len(load_vault(REPO / "example_vault", TODAY).contacts)
    assert {p.name: p.read_bytes() for p in again.iterdir()} == files


def test_phone_card_keeps_its_uid_and_every_field(run, tmp_path):
    card = tmp_path / "phone.vcf"
    card.write_bytes(PHONE_CARD.encode())
    import_into(run, tmp_path / "vault", card)
    text = export(run, tmp_path / "vault").decode().replace("\r\n ", "")
    lines = text.split("\r\n")
    assert "UID:4F1E7C2A-91B3-4C8D-A5E6-0B9D8C7F6E5D" in lines  # the phone knows its card again
    assert "EMAIL;TYPE=PREF:sofia@verdant.example" in lines
    assert "EMAIL:sofia.almeida@mail.example" in lines
    assert "TEL;TYPE=PREF:+351 912 345 678" in lines
    assert "TEL:+351 213 000 111" in lines
    assert "ADR:;;Rua Augusta 12\\, Lisboa\\, 1100-053\\, Portugal;;;;" in lines
    assert "URL:https://www.linkedin.com/in/sofia-almeida-example" in lines
    assert "URL:https://sofia.example/blog" in lines
    assert "NICKNAME:Sofi" in lines
    assert "ORG:Verdant Grid (Product)" in lines
    assert "TITLE:Head of Product" in lines
    assert "BDAY:1988-04-17" in lines
    assert "NOTE:Met at the Lisbon product meetup\\, 2025.\\nLoves trail running." in lines
    assert "CATEGORIES:cold,friends" in lines  # the import's circle, and the phone's group as a tag
    # and from here on the round trip is exact
    (tmp_path / "first.vcf").write_text(text, encoding="utf-8")
    first = export(run, tmp_path / "vault")
    (tmp_path / "first.vcf").write_bytes(first)
    import_into(run, tmp_path / "copy", tmp_path / "first.vcf")
    assert export(run, tmp_path / "copy") == first


def test_merge_takes_the_phone_uid(run, make_vault, tmp_path):
    vault = make_vault({"people/Sofia Almeida.md": "---\ncircle: strategic\nemail: sofia@verdant.example\n---\n"})
    card = tmp_path / "phone.vcf"
    card.write_bytes(PHONE_CARD.encode())
    import_into(run, vault, card)
    text = (vault / "people/Sofia Almeida.md").read_text()
    assert "uid: 4F1E7C2A-91B3-4C8D-A5E6-0B9D8C7F6E5D" in text
    assert "circle: strategic" in text
    assert b"\r\nUID:4F1E7C2A-91B3-4C8D-A5E6-0B9D8C7F6E5D\r\n" in export(run, vault)
    # the contact is then found by its uid, whatever its e-mail has become
    (vault / "people/Sofia Almeida.md").write_text(text.replace("sofia@verdant.example", "s@new.example"))
    (vault / ".netvault").exists() and shutil.rmtree(vault / ".netvault")
    import_into(run, vault, card)
    assert sorted(p.name for p in (vault / "people").iterdir()) == ["Sofia Almeida.md"]


def test_mapped_keys_and_own_fields_travel_under_netvault_names(run, make_vault, tmp_path):
    vault = make_vault(
        {
            "people/Ravi Shah.md": (
                "---\n"
                "circle: lukewarm\n"
                "last contact: 2026-10-01   # coffee\n"
                "cadence: 2m\n"
                "follow_up: 2026-12-01 send the deck, the short one\n"
                "goals: [northwind/works-there]\n"
                "met_at: Product Camp, Leeds\n"
                "Favourite Book: Out of Control\n"
                "nested: {a: 1}\n"
                "---\n# Ravi Shah\n\nPlays chess.\n\n## Log\n- 2026-09-01 email: sent the intro #gave\n"
            )
        },
        config='[fields]\n"last contact" = "last_contact"\n',
    )
    first = export(run, vault)
    text = first.decode().replace("\r\n ", "")
    assert "X-NETVAULT-LAST-CONTACT:2026-10-01" in text
    assert "X-NETVAULT-FOLLOW-UP:2026-12-01 send the deck\\, the short one" in text
    assert "X-NETVAULT-MET-AT:Product Camp\\, Leeds" in text
    assert "Favourite" not in text and "NESTED" not in text  # keys that are no plain name, and mappings
    (tmp_path / "cards.vcf").write_bytes(first)
    import_into(run, tmp_path / "copy", tmp_path / "cards.vcf")
    (copy,) = load_vault(tmp_path / "copy", TODAY).contacts
    (original,) = load_vault(vault, TODAY).contacts
    assert copy.last_contact == original.last_contact
    assert copy.follow_up == original.follow_up
    assert copy.cadence == original.cadence
    assert copy.fields["met_at"] == "Product Camp, Leeds"
    assert [(e.date, e.text) for e in copy.log] == [(e.date, e.text) for e in original.log]
    assert export(run, tmp_path / "copy") == first


def test_two_files_with_one_uid_still_give_two_cards(run, make_vault):
    note = "---\ncircle: cold\nuid: same-uid\n---\n"
    vault = make_vault({"people/A One.md": note, "people/B Two.md": note})
    out = export(run, vault).decode()
    uids = [line for line in out.split("\r\n") if line.startswith("UID:")]
    assert uids[0] == "UID:same-uid" and len(set(uids)) == 2


def test_hostile_netvault_properties_stay_values(run, tmp_path):
    card = tmp_path / "evil.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Hostile\r\n"
        "X-NETVAULT-CIRCLE:buddy\\n---\\nevil: 1\r\n"
        "X-NETVAULT-EMAIL:hijack@evil.example\r\n"
        "X-NETVAULT-NAME:Someone Else\r\n"
        "X-NETVAULT-9LIVES:x\r\n"
        "X-NETVAULT-LOG:- 2026-11-01 email: hello\\n---\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    import_into(run, tmp_path / "vault", card)
    (contact,) = load_vault(tmp_path / "vault", TODAY).contacts
    assert contact.name == "Eve Hostile"
    assert contact.email is None
    assert "evil" not in contact.fields and "9lives" not in contact.fields
    assert contact.circle is None  # no circle: left out with a warning, as set would refuse it
    assert [e.text for e in contact.log] == ["hello"]


@pytest.mark.corpus
def test_real_address_books_round_trip(run, tmp_path):
    """Every corpus address book: imported, exported, imported into an empty
    vault and exported again gives the same bytes."""
    books = corpus_files("vcard", "**/*.vcf")
    assert books
    tried = 0
    for number, book in enumerate(books):
        source = tmp_path / f"book{number}.vcf"
        shutil.copyfile(book, source)
        if not read(source).people:
            continue
        first_vault, second_vault = tmp_path / f"a{number}", tmp_path / f"b{number}"
        import_into(run, first_vault, source)
        first = export(run, first_vault)
        (tmp_path / f"first{number}.vcf").write_bytes(first)
        import_into(run, second_vault, tmp_path / f"first{number}.vcf")
        assert export(run, second_vault) == first, book.name
        tried += 1
    assert tried >= 3


def test_import_of_a_netvault_card_adds_no_source(run, make_vault, tmp_path):
    vault = make_vault({"people/Jo Bloggs.md": "---\ncircle: buddy\n---\n"})
    (tmp_path / "c.vcf").write_bytes(export(run, vault))
    import_into(run, tmp_path / "copy", tmp_path / "c.vcf")
    text = (tmp_path / "copy/people/Jo Bloggs.md").read_text()
    assert "source" not in text and "circle: buddy" in text
    write_files(tmp_path, {"plain.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Al Plain\r\nEND:VCARD\r\n"})
    import_into(run, tmp_path / "copy", tmp_path / "plain.vcf")
    assert "source: vcard import (plain.vcf)" in (tmp_path / "copy/people/Al Plain.md").read_text()


def test_carried_values_are_checked_as_set_checks_them(run, tmp_path):
    card = tmp_path / "odd.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve One\r\n"
        "X-NETVAULT-CIRCLE:buddy\r\nX-NETVAULT-CADENCE:sometimes\r\n"
        "X-NETVAULT-LAST-CONTACT:not a date\r\nX-NETVAULT-PRIORITY:3\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    (tmp_path / "vault").mkdir()
    result = run("import", "vcard", card, "--vault", tmp_path / "vault", "--today", DAY)
    assert result.exit_code == 0
    assert "odd.vcf:1: unknown cadence 'sometimes'" in result.output
    assert "odd.vcf:1: last_contact: expected a date YYYY-MM-DD, got 'not a date'; left out" in result.output
    (contact,) = load_vault(tmp_path / "vault", TODAY).contacts
    assert contact.cadence is None and contact.last_contact is None
    assert contact.priority == 3 and contact.circle == "buddy"
    assert run("check", "--vault", tmp_path / "vault", "--today", DAY).exit_code == 0

"""Exports are read a line at a time: a row too long to be anyone's is
skipped, not the whole file; a file with more people than one import takes
is refused before memory grows with it; messages stay short."""

from __future__ import annotations

import pytest

from netvault.interop import FormatError, csvfile, linkedin, vcard

from .conftest import TODAY

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def test_an_over_long_cell_skips_its_row_only(tmp_path):
    export = tmp_path / "Connections.csv"
    export.write_text(
        HEADER + "Ann,One,,,Acme," + "x" * (2 << 20) + ",05 May 2025\n" + "Bob,Two,,,Acme,CTO,05 May 2025\n",
        encoding="utf-8",
    )
    parsed = linkedin.read(export)
    assert [p.name for p in parsed.people] == ["Bob Two"]
    assert [(s.where, s.reason) for s in parsed.skipped] == [("Connections.csv:2", "a cell longer than 1 MB; row not read")]
    assert parsed.people[0].where == "Connections.csv:3"


def test_an_over_long_quoted_cell_spanning_lines_skips_its_row_only(tmp_path):
    export = tmp_path / "contacts.csv"
    export.write_text(
        "Name,Org\n" + '"Ann One","' + ("y" * 1000 + "\n") * 1200 + '"\n' + "Bob Two,Acme\n", encoding="utf-8"
    )
    parsed = csvfile.read_generic(export, {"Name": "name", "Org": "org"})
    assert [p.name for p in parsed.people] == ["Bob Two"]
    assert parsed.skipped[0].reason == "a cell longer than 1 MB; row not read"


def test_a_file_with_more_people_than_one_import_takes_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(linkedin, "MAX_PEOPLE", 3)
    export = tmp_path / "Connections.csv"
    export.write_text(HEADER + "".join(f"P{i},Q,,,Acme,CTO,05 May 2025\n" for i in range(5)), encoding="utf-8")
    with pytest.raises(FormatError, match=r"^Connections\.csv: more than 3 people in one file; .* split the file"):
        linkedin.read(export)
    cards = tmp_path / "cards.vcf"
    cards.write_text("".join(f"BEGIN:VCARD\r\nFN:P{i}\r\nEND:VCARD\r\n" for i in range(5)), encoding="utf-8")
    with pytest.raises(FormatError, match=r"^cards\.vcf: more than 3 people"):
        vcard.read(cards)


def test_a_map_on_a_header_of_a_million_columns_says_so_briefly(run, make_vault, tmp_path):
    export = tmp_path / "wide.csv"
    export.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "x\n", encoding="utf-8")
    result = run("import", "csv", export, "--map", "Full name=name", "--vault", make_vault({}), "--today", TODAY)
    assert result.exit_code == 1
    assert "no column 'Full name' in the header (columns: 'c0', 'c1'" in result.stderr
    assert "(1,000,000 columns in all)" in result.stderr
    assert len(result.stderr) < 1000


def test_an_over_long_property_is_left_out_of_its_card(tmp_path, monkeypatch):
    monkeypatch.setattr(vcard, "MAX_CARD_LINE", 1 << 20)
    cards = tmp_path / "cards.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nFN:Ann One\r\nNOTE:" + "z" * (2 << 20) + "\r\nORG:Acme\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nFN:Bob Two\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    ann, bob = vcard.read(cards).people
    assert (ann.name, ann.org, ann.notes, bob.name) == ("Ann One", "Acme", (), "Bob Two")


def test_a_bad_byte_far_into_a_file_is_found_with_its_line_and_offset(tmp_path):
    export = tmp_path / "Connections.csv"
    good = "".join(f"P{i},Q,,,Acme,CTO,05 May 2025\n" for i in range(3000))
    export.write_bytes((HEADER + good).encode() + b"Caf\xe9,Q,,,Acme,CTO,05 May 2025\n")
    offset = len((HEADER + good).encode()) + 3
    with pytest.raises(FormatError, match=rf"^Connections\.csv:3002: not UTF-8 text \(byte 0xE9 at offset {offset}\)"):
        linkedin.read(export)

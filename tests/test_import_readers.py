"""Readers of other programs' contact exports: LinkedIn, Google, Outlook and
any CSV; the profile-URL key; and the vault written out as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from netvault.interop import FormatError, Parsed, Person, Skipped, csvfile, linkedin
from netvault.interop.linkedin import normalise_profile, parse_connected_on
from netvault.read.model import Birthday, Contact, FollowUp, LogEntry, Vault
from netvault.read.settings import Config
from netvault.values.cadence import parse_cadence

from .conftest import CORPUS

HERE = Path(__file__).resolve().parent / "fixtures" / "import"
TODAY = date(2026, 11, 22)

needs_corpus = pytest.mark.corpus


def by_name(parsed: Parsed) -> dict[str, Person]:
    return {person.name: person for person in parsed.people}


# --- LinkedIn: own fixtures ---------------------------------------------------


def test_linkedin_quirks_fixture_counts_and_skips():
    parsed = linkedin.read(HERE / "linkedin-quirks.csv")
    assert [p.name for p in parsed.people] == ["Jane Doe", "Zoë van der Berg", "Li", "Marc Dubois", "Ann Lee"]
    assert parsed.skipped == (Skipped("linkedin-quirks.csv:11", "no name"),)


def test_linkedin_quoted_fields_bom_crlf_and_line_numbers():
    people = by_name(linkedin.read(HERE / "linkedin-quirks.csv"))
    jane = people["Jane Doe"]
    # BOM, CRLF, a two-line quoted preamble and two blank lines before the header (line 6)
    assert jane.where == "linkedin-quirks.csv:7"
    assert jane.org == "Acme, Inc."
    assert jane.role == 'Head of "Growth"'
    assert jane.emails == ("jane@example.com",)
    assert jane.linkedin == "https://www.linkedin.com/in/jane-doe/"  # stripped, otherwise as given
    assert jane.connected_on == date(2024, 3, 15)
    zoe = people["Zoë van der Berg"]  # spaces around and inside the name collapsed
    assert zoe.where == "linkedin-quirks.csv:9"  # a row of only commas (line 8) passed over
    assert zoe.role == "Engineer, Platform team"  # a quoted newline inside Position
    assert zoe.emails == ()
    assert zoe.connected_on == date(2024, 3, 15)  # ISO form
    assert people["Li"].where == "linkedin-quirks.csv:12"  # the row after the two-line one
    assert people["Li"].org is None and people["Li"].role is None
    assert people["Li"].connected_on == date(2024, 1, 15)  # 15-Jan-24
    assert people["Marc Dubois"].connected_on is None  # "yesterday": kept, no date
    assert people["Marc Dubois"].org == "Société Générale"
    assert people["Ann Lee"].where == "linkedin-quirks.csv:15"
    assert people["Ann Lee"].connected_on == date(2023, 5, 14)  # 05/14/23


def test_linkedin_older_export_without_url_column():
    parsed = linkedin.read(HERE / "linkedin-old.csv")
    assert len(parsed.people) == 2 and parsed.skipped == ()
    oscar, paula = parsed.people
    assert (oscar.name, oscar.where, oscar.linkedin) == ("Oscar Old", "linkedin-old.csv:6", None)
    assert oscar.connected_on == date(2025, 5, 5)
    assert (paula.org, paula.role, paula.connected_on) == ("PastCo", "Director", date(2019, 12, 31))


def test_linkedin_header_found_case_insensitively_with_spaces(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "Notes:\nsomething\n\n first name , LAST NAME ,Url,Email Address,Company,Position,connected on\n"
        "A,B,https://linkedin.com/in/ab,,C,D,1 Feb 2022\n",
        encoding="utf-8",
    )
    (person,) = linkedin.read(path).people
    assert (person.name, person.linkedin, person.org, person.role) == ("A B", "https://linkedin.com/in/ab", "C", "D")
    assert person.where == "Connections.csv:5"
    assert person.connected_on == date(2022, 2, 1)


def test_linkedin_header_only_gives_no_people(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n", encoding="utf-8")
    assert linkedin.read(path) == Parsed((), ())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("15 Mar 2024", date(2024, 3, 15)),
        ("02 Feb 2025", date(2025, 2, 2)),
        ("15 March 2024", date(2024, 3, 15)),
        ("15-Jan-24", date(2024, 1, 15)),
        ("5-May-25", date(2025, 5, 5)),
        ("05/14/23", date(2023, 5, 14)),
        ("5/4/2023", date(2023, 5, 4)),
        ("2024-03-15", date(2024, 3, 15)),
        ("Mar 15, 2024", date(2024, 3, 15)),
        ("", None),
        ("yesterday", None),
        ("31 Feb 2024", None),
        ("15 Foo 2024", None),
        ("14/05/23", None),  # day first: not the US form, not guessed
    ],
)
def test_connected_on_forms(text, expected):
    assert parse_connected_on(text) == expected


# --- LinkedIn: public sample files --------------------------------------------


@needs_corpus
def test_corpus_flashesofbrilliance():
    parsed = linkedin.read(CORPUS / "linkedin/flashesofbrilliance-sample_connections.csv")
    assert len(parsed.people) == 7 and parsed.skipped == ()
    people = by_name(parsed)
    ada = people["Ada Lovelace"]
    assert ada.where == "flashesofbrilliance-sample_connections.csv:6"  # two blank lines before the header
    assert (ada.org, ada.role, ada.emails) == ("Analytical Engines", "Founder & CEO", ())
    assert ada.linkedin == "https://www.linkedin.com/in/ada"
    assert ada.connected_on == date(2026, 5, 14)
    tim = people["Tim Berners-Lee"]
    assert tim.connected_on is None  # empty Connected On
    assert tim.where == "flashesofbrilliance-sample_connections.csv:12"
    assert all(not p.emails for p in parsed.people)


@needs_corpus
def test_corpus_labeldekho_url_last_and_unquoted_preamble():
    parsed = linkedin.read(CORPUS / "linkedin/labeldekho-Connections.csv")
    assert len(parsed.people) == 10 and parsed.skipped == ()
    people = by_name(parsed)
    alice = people["Alice Johnson"]
    assert alice.where == "labeldekho-Connections.csv:6"
    assert alice.linkedin == "https://linkedin.com/in/alicejohnson"
    assert alice.emails == ("alice.johnson@techcorp.com",)
    assert (alice.org, alice.role, alice.connected_on) == ("TechCorp", "CTO", date(2023, 1, 15))
    carol = people["Carol Davis"]
    assert carol.emails == () and carol.linkedin == "https://linkedin.com/in/caroldavis"
    assert people["Jack Anderson"].connected_on == date(2024, 3, 25)
    assert sum(1 for p in parsed.people if not p.emails) == 3


@needs_corpus
def test_corpus_mba_mcp_nameless_row_and_us_date():
    parsed = linkedin.read(CORPUS / "linkedin/mba-mcp-connections.csv")
    assert len(parsed.people) == 4
    assert parsed.skipped == (Skipped("mba-mcp-connections.csv:9", "no name"),)
    people = by_name(parsed)
    assert people["Priya Raman"].org == "Bain & Company"
    assert people["Priya Raman"].emails == ("priya.raman@example.com",)
    assert people["Priya Raman"].where == "mba-mcp-connections.csv:5"
    dana = people["Dana Whitfield"]
    assert (dana.org, dana.role) == ("McKinsey & Company, Inc.", "Campus Recruiting Lead")
    assert dana.connected_on == date(2024, 11, 11)
    alex = people["Alex Nkemdirim"]
    assert alex.connected_on == date(2023, 5, 14)
    assert normalise_profile(alex.linkedin) == "linkedin.com/in/anke"


@needs_corpus
def test_corpus_rolomind_no_preamble_short_dates():
    parsed = linkedin.read(CORPUS / "linkedin/rolomind-linkedin.csv")
    assert len(parsed.people) == 5 and parsed.skipped == ()
    john, *_, charlie = parsed.people
    assert (john.name, john.where, john.connected_on) == ("John Doe", "rolomind-linkedin.csv:2", date(2024, 1, 15))
    assert john.linkedin == "https://linkedin.com/in/johndoe" and john.emails == ("john@example.com",)
    # last row, no trailing newline
    assert (charlie.name, charlie.where, charlie.org) == ("Charlie Davis", "rolomind-linkedin.csv:6", "Stealth")
    assert charlie.connected_on == date(2025, 5, 5)
    assert by_name(parsed)["Bob Wilson"].emails == ()


# --- LinkedIn: wrong input ----------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(FormatError, match=r"Connections\.csv: no such file"):
        linkedin.read(tmp_path / "Connections.csv")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "Connections.csv"
    path.write_bytes(content)
    with pytest.raises(FormatError, match=r"^Connections\.csv: empty file$"):
        linkedin.read(path)


def test_vcard_given_to_linkedin(tmp_path):
    path = tmp_path / "people.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\nEND:VCARD\r\n", encoding="utf-8")
    with pytest.raises(FormatError) as raised:
        linkedin.read(path)
    message = str(raised.value)
    assert message.startswith("people.vcf: no LinkedIn header (First Name, Last Name, ..., Connected On) found")
    assert "Connections.csv?" in message and "\n" not in message


@needs_corpus
@pytest.mark.parametrize(
    "other", ["google-csv/helix-crm-google-contacts.csv", "google-csv/rolomind-google.csv", "vcard/khard/joe.vcf"]
)
def test_other_exports_given_to_linkedin(other):
    with pytest.raises(FormatError, match="no LinkedIn header"):
        linkedin.read(CORPUS / other)


def test_outlook_export_given_to_linkedin():
    # First Name, Last Name and Company are there, but so are Outlook's own columns
    with pytest.raises(FormatError, match="no LinkedIn header"):
        linkedin.read(HERE / "outlook-export.csv")


def test_latin1_bytes(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Zoë,Müller,,,Café,,1 Jan 2020\n".encode("latin-1")
    )
    with pytest.raises(FormatError) as raised:
        linkedin.read(path)
    assert str(raised.value) == (
        "Connections.csv:2: not UTF-8 text (byte 0xEB at offset 71); save the file as UTF-8 and try again"
    )


@needs_corpus
def test_windows_1251_vcard_given_to_linkedin_names_the_offset():
    with pytest.raises(FormatError, match=r"encoding-win1251\.vcf:\d+: not UTF-8 text \(byte 0x[0-9A-F]{2} at offset 48\)"):
        linkedin.read(CORPUS / "vcard/obsidian-vcf-contacts/encoding-win1251.vcf")


def test_a_folder_is_no_file(tmp_path):
    with pytest.raises(FormatError, match="is a folder"):
        linkedin.read(tmp_path)


# --- normalise_profile --------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/jane-doe",
        "https://www.linkedin.com/in/jane-doe/",
        "http://www.linkedin.com/in/jane-doe",
        "https://linkedin.com/in/jane-doe",
        "linkedin.com/in/jane-doe",
        "www.linkedin.com/in/jane-doe/",
        "  https://www.linkedin.com/in/jane-doe  ",
        "HTTPS://WWW.LINKEDIN.COM/IN/Jane-Doe",
        "https://uk.linkedin.com/in/jane-doe",
        "https://de.linkedin.com/in/jane-doe/de",
        "https://www.linkedin.com/in/jane-doe/en",
        "https://www.linkedin.com/in/jane-doe/fr/",
        "https://www.linkedin.com/in/jane-doe?originalSubdomain=uk",
        "https://www.linkedin.com/in/jane-doe/?trk=public_profile#experience",
        "https://www.linkedin.com/in/jane%2Ddoe",
        "https://m.linkedin.com/in/jane-doe",
        "https://www.linkedin.com:443/in/jane-doe",
        "//www.linkedin.com/in/jane-doe",
        "https://www.linkedin.com//in//jane-doe//",
    ],
)
def test_normalise_profile_shapes(url):
    assert normalise_profile(url) == "linkedin.com/in/jane-doe"


def test_normalise_profile_decodes_non_ascii():
    assert normalise_profile("https://www.linkedin.com/in/zo%C3%AB-m%C3%BCller/") == "linkedin.com/in/zoë-müller"
    assert normalise_profile("https://www.linkedin.com/in/Zoë-Müller") == "linkedin.com/in/zoë-müller"


def test_normalise_profile_old_public_form():
    assert normalise_profile("http://www.linkedin.com/pub/jane-doe/12/345/678") == "linkedin.com/pub/jane-doe/12/345/678"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        None,
        42,
        "jane@example.com",
        "https://example.com/in/jane-doe",
        "https://linkedin.com.evil.example/in/jane-doe",
        "https://notlinkedin.com/in/jane-doe",
        "https://www.linkedin.com/company/acme",
        "https://www.linkedin.com/in/",
        "https://www.linkedin.com/",
        "https://www.linkedin.com/feed/",
        "ftp://www.linkedin.com/in/jane-doe",
        "mailto:jane@linkedin.com",
        "mailto:jane@linkedin.com/in/jane-doe",
        "https://evil.example@www.linkedin.com/in/jane-doe",
        "http://[::1/in/x",
    ],
)
def test_normalise_profile_rejects(url):
    assert normalise_profile(url) is None


# --- Google Contacts ----------------------------------------------------------


def test_google_current_fixture():
    parsed = csvfile.read_google(HERE / "google-current.csv")
    assert [p.name for p in parsed.people] == ["Jane Q Doe", "Bob Smith", "mail.only@example.com", "Cara Lane"]
    assert parsed.skipped == (Skipped("google-current.csv:8", "no name (only an organisation: Lonely Org Ltd)"),)
    jane = parsed.people[0]
    assert jane.where == "google-current.csv:2"
    assert jane.emails == ("jane@acme.example", "jane@home.example", "jane.doe@old.example")
    assert jane.phones == ("+44 7700 900123", "+44 20 7946 0000")
    assert (jane.org, jane.role) == ("Acme", "CTO")
    assert jane.birthday == "1980-05-02"
    assert jane.notes == ("Met at PyCon.\nLikes climbing, tea.",)  # CRLF inside the quotes made \n
    assert jane.aliases == ("JD", "Janie")
    assert jane.tags == ("Friends", "Work")  # * myContacts and * starred dropped
    assert jane.linkedin == "https://www.linkedin.com/in/jane-doe"
    assert jane.urls == ("https://jane.example",)
    assert jane.address == "1 High St, London, N1 1AA, UK"


def test_google_current_fixture_other_rows():
    people = by_name(csvfile.read_google(HERE / "google-current.csv"))
    bob = people["Bob Smith"]
    assert bob.where == "google-current.csv:7"  # Jane's quoted notes and address span lines 2-6
    assert bob.birthday == "05-02"  # --05-02: no year
    assert bob.tags == ()
    assert bob.address == "2 Low Rd, Leeds, LS1, UK"  # built from the parts when Formatted is empty
    assert people["mail.only@example.com"].emails == ("mail.only@example.com",)
    cara = people["Cara Lane"]
    assert cara.birthday is None and cara.notes == ("Birthday: circa 1800",)
    assert cara.tags == ("Family",)  # "* Family" loses its star
    assert cara.urls == ("https://cara.example",) and cara.linkedin is None


def test_google_legacy_fixture():
    parsed = csvfile.read_google(HERE / "google-legacy.csv")
    assert len(parsed.people) == 2 and parsed.skipped == ()
    old, given = parsed.people
    assert old.name == "Old Timer" and old.where == "google-legacy.csv:2"
    assert (old.org, old.role) == ("Legacy Corp", "Chief Archivist")
    assert old.emails == ("old@legacy.example",) and old.phones == ("555-0100",)
    assert old.tags == ("Coworkers",) and old.aliases == ("Oldie",)
    assert old.birthday == "1975-11-30" and old.notes == ("Legacy notes",)
    assert old.linkedin == "http://linkedin.com/in/old-timer" and old.urls == ()
    assert given.name == "Given Only" and given.tags == ()


@needs_corpus
def test_corpus_helix_google():
    parsed = csvfile.read_google(CORPUS / "google-csv/helix-crm-google-contacts.csv")
    assert len(parsed.people) == 44 and parsed.skipped == ()
    people = by_name(parsed)
    sarah = people["Sarah Mitchell"]
    assert sarah.where == "helix-crm-google-contacts.csv:2"
    assert sarah.emails == ("sarah.mitchell83@gmail.example",)
    assert sarah.phones == ("801.555.0142",)
    assert sarah.tags == ("Suppliers",)
    assert sarah.org == "Sandy Landscape Co" and sarah.role is None
    assert sarah.address == "2084 W 900 East, St. George, UT"
    edward = people["Edward Ward"]
    assert edward.notes == ('Called twice, no answer. "Ask for Dave" at the shop.',)
    assert edward.org == "Kaysville Air Systems Services" and edward.role == "Office Manager"
    renee = people["Renée Whitaker"]
    assert renee.phones == ("801-555-7546 ext 3", "385.555.3749")
    assert renee.address == "426 W Foothill Dr, Cedar City, UT, 84380, United States"  # no Formatted
    assert renee.tags == ()
    assert "Thomas Nguyen" in people and "Stephanie Price" in people  # spaces around names dropped
    assert people["Rachel Johnson"].where == "helix-crm-google-contacts.csv:45"  # last line, no newline


@needs_corpus
def test_corpus_rolomind_google_reduced_header():
    parsed = csvfile.read_google(CORPUS / "google-csv/rolomind-google.csv")
    assert len(parsed.people) == 4 and parsed.skipped == ()
    john, jane, bob, alice = parsed.people
    assert (john.name, john.org, john.role) == ("John Doe", "Acme Corp", "CEO")
    assert john.phones == ("+1-555-0123",) and john.emails == ("john@example.com",)
    assert john.urls == ("https://acme.com",) and john.linkedin is None
    assert john.address == "123 Main St, San Francisco, CA"
    assert jane.urls == () and bob.phones == () and bob.address is None
    assert (alice.where, alice.address) == ("rolomind-google.csv:5", "789 AI Way, Palo Alto, CA")


@needs_corpus
def test_linkedin_file_given_to_google():
    with pytest.raises(FormatError, match=r"^labeldekho-Connections\.csv: no Google Contacts header"):
        csvfile.read_google(CORPUS / "linkedin/labeldekho-Connections.csv")


# --- Outlook ------------------------------------------------------------------


def test_outlook_fixture():
    parsed = csvfile.read_outlook(HERE / "outlook-export.csv", date(2026, 11, 22))
    assert [p.name for p in parsed.people] == ["Olivia Out", "Pete Plain", "Nicky"]
    assert parsed.skipped == (Skipped("outlook-export.csv:5", "no name (only an organisation: Fabrikam)"),)
    olivia, pete, nicky = parsed.people
    assert olivia.where == "outlook-export.csv:2"
    assert olivia.emails == ("olivia@contoso.example", "o.out@home.example")
    assert olivia.phones == ("+1 425 555 0199", "+1 425 555 0100")  # mobile first, fax left out
    assert (olivia.org, olivia.role) == ("Contoso", "Program Manager")
    assert olivia.birthday == "1980-05-02"  # 5/2/1980: month first
    assert olivia.tags == ("Clients", "VIP")
    assert olivia.aliases == ("Liv",)
    assert olivia.linkedin == "https://www.linkedin.com/in/olivia-out"
    assert olivia.urls == ("https://olivia.example",)
    assert olivia.notes == ("Prefers email.\nAsk about the move.",)
    assert olivia.address == "1 Microsoft Way, Redmond, WA, 98052, United States"
    assert pete.where == "outlook-export.csv:4" and pete.birthday is None and pete.notes == ()  # 0/0/00
    assert nicky.notes == ("Birthday: 13/45/1990",) and nicky.address == "9 Elm St, Springfield"


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 22), "1930-05-02"), (date(2030, 1, 1), "2030-05-02"), (date(2025, 11, 22), "1926-05-02")],
)
def test_outlook_two_digit_years_are_dated_from_today_not_the_clock(tmp_path, today, expected):
    year = expected[2:4]
    export = tmp_path / "outlook.csv"
    export.write_text(f"First Name,Last Name,E-mail Address,Birthday\nOla,Two,ola@example.com,5/2/{year}\n")
    (person,) = csvfile.read_outlook(export, today).people
    assert person.birthday == expected


def test_google_file_given_to_outlook():
    with pytest.raises(FormatError, match=r"^google-current\.csv: no Outlook header"):
        csvfile.read_outlook(HERE / "google-current.csv", date(2026, 11, 22))


def test_outlook_file_given_to_google():
    with pytest.raises(FormatError, match=r"^outlook-export\.csv: no Google Contacts header .* found; is this a CSV export"):
        csvfile.read_google(HERE / "outlook-export.csv")


# --- generic CSV --------------------------------------------------------------

MAP = (
    "Full name=name,Mail=email,Work phone=phone,Employer=org,Title=role,Profile=linkedin,"
    "Born=birthday,Groups=tags,Circle=circle,Comment=notes"
)


def test_parse_map():
    assert csvfile.parse_map("Full name=name, Mail = email,") == {"Full name": "name", "Mail": "email"}
    assert csvfile.parse_map("a=b=c=org") == {"a=b=c": "org"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty column mapping"),
        ("Full name", "bad column mapping 'Full name'"),
        ("=name", "bad column mapping"),
        ("Full name=", "bad column mapping"),
        ("A=name,A=email", "mapped twice"),
        ("A=na$me", "bad field name 'na$me'"),
    ],
)
def test_parse_map_errors(text, message):
    with pytest.raises(ValueError, match=message.replace("$", r"\$")):
        csvfile.parse_map(text)


def test_generic_fixture():
    parsed = csvfile.read_generic(HERE / "generic-people.csv", csvfile.parse_map(MAP))
    assert [p.name for p in parsed.people] == ["Gina Generic", "nobody@example.com", "Hal Generic"]
    assert parsed.skipped == (Skipped("generic-people.csv:5", "no name (only an organisation: Nameless Inc)"),)
    gina = parsed.people[0]
    assert gina.where == "generic-people.csv:2"
    assert gina.emails == ("gina@example.com", "g@example.org")
    assert gina.phones == ("+1 555 0101",)
    assert (gina.org, gina.role, gina.linkedin) == ("Globex", "Analyst", "https://www.linkedin.com/in/gina")
    assert gina.birthday == "1990-07-04"
    assert gina.tags == ("alumni", "climbing")
    assert gina.notes == ("Met at\nthe meetup",)
    assert gina.extra == {"circle": "buddy"}
    assert parsed.people[1].where == "generic-people.csv:4"
    assert parsed.people[2].notes == ("Birthday: July 4th",)


def test_generic_first_and_last_names_and_case_insensitive_columns(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("\n\nGiven,Family,Nick,Where\nAda,Lovelace,Countess; Ada L,London\n,,,\n,,,Paris\n", encoding="utf-8")
    mapping = {"given": "first_name", "FAMILY": "last_name", "Nick": "aliases", "Where": "address"}
    parsed = csvfile.read_generic(path, mapping)
    (ada,) = parsed.people
    assert (ada.name, ada.where, ada.aliases, ada.address) == ("Ada Lovelace", "people.csv:4", ("Countess", "Ada L"), "London")
    assert parsed.skipped == (Skipped("people.csv:6", "no name"),)


def test_generic_unknown_column(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Mail\nA,a@example.com\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^no column 'Email' in the header \(columns: 'Name', 'Mail'\)"):
        csvfile.read_generic(path, {"Name": "name", "Email": "email"})


def test_generic_short_rows_do_not_fail(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,Org,Role\nA\nB,Borg\n", encoding="utf-8")
    parsed = csvfile.read_generic(path, {"Name": "name", "Org": "org", "Role": "role"})
    assert [(p.name, p.org, p.role) for p in parsed.people] == [("A", None, None), ("B", "Borg", None)]


@pytest.mark.parametrize("reader", [csvfile.read_google, lambda p: csvfile.read_outlook(p, date(2026, 11, 22)), lambda p: csvfile.read_generic(p, {"a": "name"})])
def test_csv_readers_wrong_input(tmp_path, reader):
    with pytest.raises(FormatError, match="no such file"):
        reader(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FormatError, match=r"^empty\.csv: empty file$"):
        reader(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b\nCafé,x\n".encode("latin-1"))
    with pytest.raises(FormatError, match=r"^latin\.csv:2: not UTF-8 text \(byte 0xE9 at offset 7\)"):
        reader(latin)


# --- export -------------------------------------------------------------------


def contact(name, **fields) -> Contact:
    return Contact(path=f"people/{name}.md", name=name, **fields)


def export_rows(*contacts: Contact, config: Config | None = None) -> list[dict[str, str]]:
    vault = Vault(root=Path("."), config=config or Config(), contacts=contacts, problems=())
    text = csvfile.export(vault, TODAY)
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_columns_order_and_values():
    jane = contact(
        "Jane Doe",
        circle="buddy",
        org="Acme",
        role="CTO",
        email="jane@example.com",
        phone="555 0100",
        linkedin="https://www.linkedin.com/in/jane-doe",
        tags=("climbing", "pycon"),
        aliases=("JD",),
        cadence=parse_cadence("1m"),
        last_contact=date(2026, 10, 1),
        log=(LogEntry(date=date(2026, 10, 20), channel="email", text="wrote", line=9),),
        follow_up=FollowUp(date(2026, 12, 1), "send the paper"),
        birthday=Birthday(5, 2, 1980),
    )
    adam = contact("adam", birthday=Birthday(12, 24, None))
    alpha2 = Contact(path="b/Adam.md", name="Adam")
    vault = Vault(root=Path("."), config=Config(), contacts=(jane, adam, alpha2), problems=())
    text = csvfile.export(vault, TODAY)
    lines = text.split("\r\n")
    assert lines[0] == ",".join(csvfile.EXPORT_COLUMNS)
    assert lines[0] == (
        "name,circle,org,role,email,phone,linkedin,tags,aliases,last_contact,next_due,follow_up,birthday,path"
    )
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["name"], r["path"]) for r in rows] == [
        ("Adam", "b/Adam.md"), ("adam", "people/adam.md"), ("Jane Doe", "people/Jane Doe.md")
    ]
    row = rows[2]
    assert row["tags"] == "climbing; pycon" and row["aliases"] == "JD"
    assert row["last_contact"] == "2026-10-20"  # the log is newer than the field
    assert row["next_due"] == "2026-11-20"
    assert row["follow_up"] == "2026-12-01 send the paper"
    assert row["birthday"] == "1980-05-02"
    assert rows[1]["birthday"] == "12-24"
    assert rows[1]["next_due"] == "" and rows[1]["circle"] == ""


def test_export_circle_cadence_from_the_config():
    config = Config(cadence={"buddy": parse_cadence("3m")})
    (row,) = export_rows(contact("Jo", circle="buddy", last_contact=date(2026, 1, 10)), config=config)
    assert row["next_due"] == "2026-04-10"


@pytest.mark.parametrize("dangerous", ["=1+1", "+1 555 0100", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_export_neutralises_formulas(dangerous):
    (row,) = export_rows(contact("Eve", org=dangerous, tags=("fine", dangerous), aliases=(dangerous,)))
    assert row["org"] == "'" + dangerous
    assert row["tags"] == "fine; '" + dangerous
    assert row["aliases"] == "'" + dangerous


def test_export_neutralises_names_and_leaves_plain_text():
    (evil,) = export_rows(contact("=cmd|' /C calc'!A0"))
    assert evil["name"] == "'=cmd|' /C calc'!A0"
    (plain,) = export_rows(contact("Ann", org="A=B", role="x-y", email="a@b.example"))
    assert (plain["name"], plain["org"], plain["role"], plain["email"]) == ("Ann", "A=B", "x-y", "a@b.example")


def test_export_of_an_empty_vault_is_the_header():
    vault = Vault(root=Path("."), config=Config(), contacts=(), problems=())
    assert csvfile.export(vault, TODAY) == ",".join(csvfile.EXPORT_COLUMNS) + "\r\n"


def test_exported_csv_reads_back_through_the_generic_reader(tmp_path):
    vault = Vault(
        root=Path("."),
        config=Config(),
        contacts=(contact("Jane Doe", org="Acme", email="jane@example.com", tags=("a", "b")),),
        problems=(),
    )
    path = tmp_path / "out.csv"
    path.write_text(csvfile.export(vault, TODAY), encoding="utf-8", newline="")
    mapping = csvfile.parse_map("name=name,org=org,email=email,tags=tags,circle=circle")
    (jane,) = csvfile.read_generic(path, mapping).people
    assert (jane.name, jane.org, jane.emails, jane.tags) == ("Jane Doe", "Acme", ("jane@example.com",), ("a", "b"))

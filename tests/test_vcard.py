"""vCard import and export: netvault.interop.vcard."""

from __future__ import annotations

from datetime import date

import pytest

from netvault.interop import FormatError, Parsed, Person
from netvault.interop.vcard import card_files, export, parse_birthday, read
from netvault.interop.vcardtext import fold
from netvault.read.loader import load_vault
from netvault.read.model import Birthday, Contact, LogEntry

from .conftest import CORPUS as CORPUS_ROOT
from .conftest import FIXTURES, REPO, TODAY, python_steps

IMPORT = FIXTURES / "import"
CORPUS = CORPUS_ROOT / "vcard"
needs_corpus = pytest.mark.corpus


def by_name(parsed: Parsed) -> dict[str, Person]:
    return {p.name: p for p in parsed.people}


def counts(parsed: Parsed) -> tuple[int, int]:
    return len(parsed.people), len(parsed.skipped)


# -- own fixtures: vCard 3.0 / 4.0 quirks ------------------------------------


@pytest.fixture(scope="module")
def quirks() -> Parsed:
    return read(IMPORT / "vcard-quirks.vcf")


def test_quirks_counts(quirks):
    assert counts(quirks) == (6, 5)
    assert [p.name for p in quirks.people] == [
        "Ada Lovelace", "Grace Brewster Murray Hopper", "Nicky", "Apple No Year",
        "After Truncated", "Odd Birthday",
    ]


def test_groups_params_escapes_and_lists(quirks):
    ada = by_name(quirks)["Ada Lovelace"]
    assert ada.where == "vcard-quirks.vcf:1"
    # item1.EMAIL is an EMAIL; item1.X-ABLabel is ignored; TYPE=home,work
    assert ada.emails == ("ada@example.org", "ada@home.example")
    # stripped; VALUE=uri tel: prefix removed
    assert ada.phones == ("+44 20 7946 0000", "+44-7700-900000")
    assert ada.linkedin == "https://www.linkedin.com/in/ada-lovelace-example"
    # other URLs, a second LinkedIn profile too, go to urls
    assert ada.urls == ("https://example.org/ada", "https://uk.linkedin.com/in/second-profile")
    # ORG units appended in brackets; escaped comma inside a unit kept
    assert ada.org == "Analytical Engines Ltd (Research, Poetry, Science)"
    # escaped comma in TITLE does not cut it; TITLE wins over ROLE
    assert ada.role == "Analyst, Programmer"
    # NOTE: \, \; \n \\ and a folded line continued with a tab
    assert ada.notes == (
        'Met at the Society, London; said: "hello"\nSecond line with a backslash \\ and a semicolon ; end',
    )
    # CATEGORIES and NICKNAME split on commas, escaped commas kept
    assert ada.tags == ("mentor", "math,science", "history")
    assert ada.aliases == ("Ada", "The Countess, of Lovelace")
    assert ada.birthday == "12-10"  # --1210
    assert ada.uid == "ada-uid-1"
    assert ada.address == "Flat 2, 12 St James's Square, London, SW1Y 4JH, UK"


def test_lowercase_card_n_only_role_and_socialprofile(quirks):
    grace = by_name(quirks)["Grace Brewster Murray Hopper"]  # N: Given Additional Family
    assert grace.role == "Computer scientist"  # ROLE when there is no TITLE
    assert grace.birthday == "1906-12-09"  # 19061209, VERSION last
    assert grace.linkedin == "https://www.linkedin.com/in/grace-hopper-example"  # x-user
    assert grace.uid is None


def test_nickname_as_name_and_birthday_forms(quirks):
    people = by_name(quirks)
    assert people["Nicky"].aliases == ("Nicky",)
    assert people["Nicky"].birthday == "1980-05-02"  # VALUE=date-time ...T00:00:00Z
    assert people["Apple No Year"].birthday == "05-02"  # Apple's 1604
    assert people["After Truncated"].birthday == "05-02"  # --05-02
    assert people["Odd Birthday"].birthday is None
    assert people["Odd Birthday"].notes == ("birthday: 2001-02-30",)


def test_skipped_cards_name_their_line(quirks):
    assert [(s.where, s.reason) for s in quirks.skipped] == [
        ("vcard-quirks.vcf:43", "KIND:group card (not a person)"),
        ("vcard-quirks.vcf:49", "KIND:group card (not a person)"),  # X-ADDRESSBOOKSERVER-KIND
        ("vcard-quirks.vcf:54", "no name (no FN, N or NICKNAME)"),  # ORG alone is no person
        ("vcard-quirks.vcf:59", "line 62 is not a vCard property: 'this line is garbage'"),
        ("vcard-quirks.vcf:65", "no END:VCARD before the next BEGIN:VCARD on line 69"),
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1980-05-02", "1980-05-02"),
        ("19800502", "1980-05-02"),
        ("--0502", "05-02"),
        ("--05-02", "05-02"),
        ("1980-05-02T00:00:00Z", "1980-05-02"),
        ("19890612T143000Z", "1989-06-12"),
        ("1604-05-02", "05-02"),
        ("--0229", "02-29"),
        ("circa 1800", None),
        ("1980-13-01", None),
        ("---02", None),
        ("", None),
    ],
)
def test_parse_birthday(value, expected):
    assert parse_birthday(value) == expected


# -- own fixtures: vCard 2.1 and charsets ------------------------------------


def test_21_quoted_printable_bare_params_and_charsets():
    parsed = read(IMPORT / "vcard-21-qp.vcf")
    assert counts(parsed) == (1, 0)
    (p,) = parsed.people
    # QP with soft line breaks, the next line starting with a space; the
    # CHARSET says windows-1251 but the bytes are UTF-8
    assert p.name == "Jürgen Müller"
    assert p.phones == ("+49 170 0000000", "+49 30 0000000")  # TEL;CELL;VOICE
    assert p.emails == ("juergen@example.de",)  # EMAIL;PREF;INTERNET
    # bare QUOTED-PRINTABLE, no charset, not UTF-8: cp1252; =0D=0A a newline
    assert p.notes == ("Café owner\nsecond line, with comma",)
    assert p.role == "Инженер"  # QP bytes really windows-1251
    assert p.org == "Bäckerei (Vertrieb)"  # soft break right before the ;


def test_file_not_utf8_decodes_each_line_by_its_charset():
    (p,) = read(IMPORT / "vcard-8bit.vcf").people
    assert p.name == "Пётр Чайковский"  # CHARSET=windows-1251
    assert p.notes == ("Café crème – cp1252",)  # no CHARSET: cp1252
    assert p.org == "Консерватория"  # CHARSET=KOI8-R


# -- files, folders and wrong input ------------------------------------------


def test_vdir_sorted_by_name_other_files_ignored():
    parsed = read(IMPORT / "vcard-vdir")
    assert [(p.name, p.where) for p in parsed.people] == [
        ("First Person", "a.vcf:1"), ("Second Person", "b.vcf:1"), ("Third Person", "c.VCF:1"),
    ]
    assert [(s.where, s.reason) for s in parsed.skipped] == [("a.vcf:5", "KIND:org card (not a person)")]


def test_vdir_with_an_empty_card_file_skips_it(tmp_path):
    (tmp_path / "a.vcf").write_bytes(b"BEGIN:VCARD\r\nFN:Only One\r\nEND:VCARD\r\n")
    (tmp_path / "b.vcf").write_bytes(b"")
    parsed = read(tmp_path)
    assert [p.name for p in parsed.people] == ["Only One"]
    assert [s.where for s in parsed.skipped] == ["b.vcf"]
    assert "empty" in parsed.skipped[0].reason


@pytest.mark.parametrize(
    "name, message",
    [
        ("vcard-missing.vcf", "no such file"),
        ("vcard-empty.vcf", "empty file"),
        ("vcard-not-a-vcard.csv", "vcard-not-a-vcard.csv:1: no BEGIN:VCARD"),
    ],
)
def test_wrong_input_raises_format_error_naming_the_file(name, message):
    with pytest.raises(FormatError) as err:
        read(IMPORT / name)
    assert name in str(err.value)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_folder_without_vcf_files_is_an_empty_address_book(tmp_path):
    (tmp_path / "notes.md").write_text("hi")
    assert read(tmp_path) == Parsed((), ())


def test_huge_photo_line_is_skipped_fast(tmp_path):
    photo = "A" * 40_000
    body = "".join(
        f"BEGIN:VCARD\nVERSION:4.0\nFN:Person {i}\nPHOTO:data:image/jpeg;base64,{photo}\nEMAIL:p{i}@example.org\nEND:VCARD\n"
        for i in range(25)
    )
    path = tmp_path / "photos.vcf"
    path.write_text(body, encoding="utf-8")
    read(path)  # warm
    parsed, steps = python_steps(read, path)
    assert counts(parsed) == (25, 0)
    assert parsed.people[24].emails == ("p24@example.org",)
    # a photo's 40,000 characters cost no Python work per character
    assert steps < 25 * 2_000, steps


def test_folded_base64_photo_and_qp_soft_break_before_end(tmp_path):
    path = tmp_path / "x.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\nVERSION:2.1\nFN:Q P\nNOTE;ENCODING=QUOTED-PRINTABLE:ends with =\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nFN:Next\nEND:VCARD\n"
    )
    parsed = read(path)
    assert [p.name for p in parsed.people] == ["Q P", "Next"]
    assert parsed.people[0].notes == ("ends with",)


def test_utf16_file_with_bom(tmp_path):
    path = tmp_path / "windows.vcf"
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nEND:VCARD\r\n"
    path.write_bytes(text.encode("utf-16"))
    assert [p.name for p in read(path).people] == ["Zoë Ångström"]


def test_apple_company_card_is_skipped(tmp_path):
    path = tmp_path / "apple.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Acme Ltd\r\nORG:Acme Ltd;\r\n"
        b"X-ABShowAs:COMPANY\r\nEND:VCARD\r\n"
    )
    parsed = read(path)
    assert parsed.people == ()
    assert parsed.skipped[0].reason == "X-ABShowAs:COMPANY card (not a person)"


# -- the public corpus -------------------------------------------------------

CORPUS_COUNTS = {
    "khard/altid.vcf": (1, 0),
    "khard/category.vcf": (1, 0),
    "khard/contact1.vcf": (1, 0),
    "khard/contact2.vcf": (1, 0),
    "khard/individual.vcf": (1, 0),
    "khard/issue249.vcf": (1, 0),
    "khard/joe.vcf": (1, 0),
    "khard/korean-c.vcf": (1, 0),
    "khard/korean-j.vcf": (1, 0),
    "khard/labels.vcf": (1, 0),
    "khard/minimal.vcf": (1, 0),
    "khard/nickname.vcf": (1, 0),
    "khard/no-nickname.vcf": (1, 0),
    "khard/org.vcf": (0, 1),
    "khard/photov3.vcf": (1, 0),
    "khard/photov4.vcf": (1, 0),
    "khard/post.vcf": (1, 0),
    "khard/tel-value-uri.vcf": (1, 0),
    "khard/text-bday.vcf": (1, 0),
    "khard/unparsable.vcf": (0, 1),
    "obsidian-vcf-contacts/demo-contacts.vcf": (14, 4),
    "obsidian-vcf-contacts/encoding-utf8.vcf": (1, 0),
    "obsidian-vcf-contacts/encoding-win1251.vcf": (1, 0),
    "obsidian-vcf-contacts/hasDifferentDates.vcf": (1, 0),
    "obsidian-vcf-contacts/hasDuplicateParameters.vcf": (1, 0),
    "obsidian-vcf-contacts/hasFoldeLines.vcf": (1, 0),
    "obsidian-vcf-contacts/hasMultipleCards.vcf": (2, 1),
    "obsidian-vcf-contacts/hasNonSpecParameters.vcf": (1, 0),
    "obsidian-vcf-contacts/noFirstName.vcf": (1, 0),
    "obsidian-vcf-contacts/organization.vcf": (0, 1),
    "obsidian-vcf-contacts/organizationNoFN.vcf": (0, 1),
    "obsidian-vcf-contacts/sync-fake.vcf": (1, 0),
    "obsidian-vcf-contacts/v3SpecificParameters.vcf": (1, 0),
    "vcard2to3/examples.vcf": (10, 0),
    "vcard2to3/quopri-encoding-test.vcf": (1, 0),
    "vobject/radicale-1587.vcf": (1, 0),
}


@needs_corpus
def test_corpus_counts_cover_every_file():
    assert sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.vcf")) == sorted(CORPUS_COUNTS)


@needs_corpus
@pytest.mark.parametrize("rel", sorted(CORPUS_COUNTS))
def test_corpus_counts(rel):
    assert counts(read(CORPUS / rel)) == CORPUS_COUNTS[rel]


def corpus(rel: str) -> Parsed:
    return read(CORPUS / rel)


@needs_corpus
def test_corpus_khard_fields():
    (p,) = corpus("khard/contact1.vcf").people
    assert (p.name, p.uid, p.birthday, p.emails, p.phones) == (
        "second contact", "testuid1", "2018-01-20", ("user@example.com",), ("0123456789",),
    )
    (p,) = corpus("khard/individual.vcf").people
    assert (p.name, p.org) == ("Wile E. Coyote", "ACME Inc.")  # trailing empty unit dropped
    (p,) = corpus("khard/labels.vcf").people
    assert p.org == "Test Inc"  # item1.ORG, item1.X-ABLabel ignored
    (p,) = corpus("khard/joe.vcf").people
    assert (p.aliases, p.emails) == (("horrible_human_being",), ("jcitizen@foo.com",))
    (p,) = corpus("khard/nickname.vcf").people
    assert (p.name, p.aliases) == ("Michael Smith", ("Mike",))  # no FN: from N
    assert corpus("khard/korean-c.vcf").people[0].name == "최유림"  # LF endings
    assert corpus("khard/korean-j.vcf").people[0].name == "전도훈"
    (p,) = corpus("khard/altid.vcf").people
    assert p.notes == (
        "RFC6350 requires N to have cardinality <=1 but allows alternative representations "
        "to be included if they are linked by the ALTID parameter.",
    )
    (p,) = corpus("khard/photov3.vcf").people
    assert p.notes[0].startswith('From the RFC: ENCODING must be "b" (which enforces base64 encoded')
    assert "data), TYPE may be present, but if it is present" in p.notes[0]  # \, kept, not split
    (p,) = corpus("khard/post.vcf").people
    assert p.address == "PostBox, Ext, Main Street 1, The City, SomeState, 00000, HomeCountry"
    (p,) = corpus("khard/tel-value-uri.vcf").people
    assert p.phones == ("67545678",)  # VALUE=URI that is no URI: as written
    (p,) = corpus("khard/text-bday.vcf").people
    assert (p.birthday, p.notes) == (None, ("birthday: circa 1800",))


@needs_corpus
def test_corpus_skipped_cards():
    assert corpus("khard/unparsable.vcf").skipped[0].where == "unparsable.vcf:1"
    assert "no END:VCARD" in corpus("khard/unparsable.vcf").skipped[0].reason
    assert corpus("khard/org.vcf").skipped[0].reason == "KIND:org card (not a person)"
    assert corpus("obsidian-vcf-contacts/organizationNoFN.vcf").skipped[0].reason == "KIND:org card (not a person)"
    demo = corpus("obsidian-vcf-contacts/demo-contacts.vcf")
    assert [(s.where, s.reason) for s in demo.skipped] == [
        ("demo-contacts.vcf:255", "no END:VCARD before the next BEGIN:VCARD on line 275"),
        ("demo-contacts.vcf:275", "KIND:org card (not a person)"),  # KIND:ORG
        ("demo-contacts.vcf:287", "KIND:org card (not a person)"),
        ("demo-contacts.vcf:302", "KIND:location card (not a person)"),
    ]
    multi = corpus("obsidian-vcf-contacts/hasMultipleCards.vcf")
    assert multi.skipped[0].where == "hasMultipleCards.vcf:1"
    assert multi.skipped[0].reason.startswith("no name")
    assert [p.name for p in multi.people] == ["Zinkie Namiton", "Lansdorf van Mindie"]


@needs_corpus
def test_corpus_demo_contacts_fields():
    people = by_name(corpus("obsidian-vcf-contacts/demo-contacts.vcf"))
    assert "Anya Volkova" not in people
    li = people["李伟"]
    assert li.org == "竹语科技有限公司"
    assert li.tags == ("自然", "编程", "茶")
    elin = people["Elin Lindström"]  # after a 37 KB PHOTO line
    assert elin.emails == ("elin.lindstrom@skogkisel.se", "elin@designskog.se")
    assert elin.role == "Designstrateg & Naturkodare"
    assert elin.address == "Björkstigen 12, Umeå, 90342, Sverige"
    assert people["Liam O’Reilly"].birthday == "1986-03-17"
    assert people["Elísabet Jónsdóttir"].uid == "urn:uuid:019730a76c188-4c65-b2ba-27bb58d7144d"


@needs_corpus
@pytest.mark.parametrize("rel", ["encoding-utf8.vcf", "encoding-win1251.vcf"])
def test_corpus_cyrillic_both_encodings(rel):
    (p,) = corpus(f"obsidian-vcf-contacts/{rel}").people
    assert p.name == "Иванов Иван Иванович"
    assert p.role == "Работник"
    assert p.org == "Организация"
    assert p.address == "Улица 1, Город"
    assert p.notes == ("Encoded in windows-1251 charset",)  # NOTE;CHARSET=...;:
    assert p.emails == ("example@email.domain",)
    assert p.urls == ("https://example.domain",)


@needs_corpus
def test_corpus_obsidian_small_files():
    (p,) = corpus("obsidian-vcf-contacts/hasDifferentDates.vcf").people
    assert (p.name, p.birthday) == ("Huntelaar Jan", "1980-08-17")  # first BDAY; VERSION last
    (p,) = corpus("obsidian-vcf-contacts/hasDuplicateParameters.vcf").people
    assert p.phones == ("06123456789", "06987654321", "06546392811", "55544487554")
    assert p.emails == ("jan@klaas.nl", "Min@nieuw.jj", "Min@nieuw.dd", "Min@nieuw.ww")
    assert p.address == "123 Maple Street, Springfield, IL, 62704, MOON"
    (p,) = corpus("obsidian-vcf-contacts/hasFoldeLines.vcf").people
    # RFC unfolding: CRLF/LF and the one space after it removed
    assert p.notes == ("This is a long note thatcontinues on the next line,and still keeps going.",)
    (p,) = corpus("obsidian-vcf-contacts/hasNonSpecParameters.vcf").people
    assert (p.name, p.emails) == ("Name My", ("my.name@example.com",))  # no VERSION
    (p,) = corpus("obsidian-vcf-contacts/noFirstName.vcf").people
    assert p.name == "Zahra Ali"
    assert p.role == "Lead Vision Architect"  # ROLE, no TITLE
    assert p.tags == ("Architecture", "Stars")
    assert p.urls == ("https://zahra.ae", "https://dreambuild.ae/zahra")
    (p,) = corpus("obsidian-vcf-contacts/v3SpecificParameters.vcf").people
    assert p.name == "Huntelaar Jan"


@needs_corpus
def test_corpus_vcard21_examples():
    people = corpus("vcard2to3/examples.vcf").people
    assert people[0].name == "Mäx Mustermann"
    assert people[0].where == "examples.vcf:2"  # the file starts with a blank line
    assert people[0].phones == ("+49123456789",)
    assert people[0].emails == ("max@mustermann.de",)
    assert people[0].aliases == ("Mäx",)  # X-ANDROID-CUSTOM nickname
    # QP with soft line breaks, one continuation beginning with a space
    assert people[3].name == "гор ЗаорсЁкі xyz і"
    assert people[4].notes == ("XXXXXXXXXX € ##,##\nXXXXXXXXXX € ##,##",)  # =E2=82=\r\n=AC
    assert people[5].urls == ("http://www.example.com",)
    assert [p.name for p in people[6:]] == ["N Only", "Only FN", "The Dollar$", "Hola Test"]
    assert people[9].aliases == ("HÖLA",)


@needs_corpus
def test_corpus_quopri_cp1252_apostrophe():
    (p,) = corpus("vcard2to3/quopri-encoding-test.vcf").people
    assert p.notes == ("1 St. Albans Brook apt 5 \n\n\nReid’s place :\n364 3rd St. in Jersey City",)
    assert p.phones == ("+15554441234",)
    assert p.address == "50 R Ave, Bergen, New Jersey, 07621, United States"


@needs_corpus
def test_corpus_radicale_full_n():
    (p,) = corpus("vobject/radicale-1587.vcf").people
    assert p.name == "Given Family"


# -- export ------------------------------------------------------------------


def make_contacts() -> list[Contact]:
    return [
        Contact(
            path="people/Ada Lovelace.md",
            name="Ada Lovelace",
            aliases=("Countess, of Lovelace", "Ada; A.L."),
            circle="strategic",
            org="Analytical Engines; Ltd",
            role="Analyst, Programmer \\ poet",
            email="ada@example.org",
            phone="+44 20 7946 0000",
            linkedin="https://www.linkedin.com/in/ada-lovelace-example",
            birthday=Birthday(12, 10, 1815),
            tags=("mentor", "math"),
            last_contact=date(2026, 3, 1),
            log=(
                LogEntry(date(2026, 5, 2), "email", "sent paper", 10),
                LogEntry(date(2026, 12, 24), None, "dinner", 11, planned=True),
            ),
        ),
        Contact(path="people/Cher.md", name="Cher", birthday=Birthday(5, 20, None)),
        Contact(
            path="people/Søren Kjeldsen.md",
            name="Søren Kjeldsen",
            role="Ærø " + "ø" * 60 + " long title in UTF-8 that needs folding",
            tags=("nørd",),
        ),
    ]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_card_lines(version):
    text = export(make_contacts(), version)
    assert text.endswith("END:VCARD\r\n")
    assert text.count("BEGIN:VCARD\r\n") == 3
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert f"VERSION:{version}" in lines
    assert "FN:Ada Lovelace" in lines
    assert "N:Lovelace;Ada;;;" in lines
    assert "N:;Cher;;;" in lines  # one word: a given name
    assert "NICKNAME:Countess\\, of Lovelace,Ada\\; A.L." in lines
    assert "ORG:Analytical Engines\\; Ltd" in lines
    assert "TITLE:Analyst\\, Programmer \\\\ poet" in lines
    assert "CATEGORIES:strategic,mentor,math" in lines
    assert "REV:20260502T000000Z" in lines  # newest non-planned log entry
    assert sum(1 for line in lines if line.startswith("REV:")) == 1  # none for Cher or Søren
    assert ("BDAY:1815-12-10" if version == "3.0" else "BDAY:18151210") in lines
    assert "BDAY:--0520" in lines
    assert "NOTE" not in text


def test_export_is_deterministic_and_uid_stable():
    a, b = export(make_contacts()), export(make_contacts())
    assert a == b
    uid = next(line for line in a.split("\r\n") if line.startswith("UID:"))
    assert uid.startswith("UID:urn:uuid:")
    again = Contact(path="people/Ada Lovelace.md", name="Someone Else")
    assert f"\r\n{uid}\r\n" in export([again])  # the path decides the UID


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_lines_at_most_75_octets_crlf(version):
    data = export(make_contacts(), version).encode("utf-8")
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)  # something was folded
    for line in physical:
        line.decode("utf-8")  # never cut inside a character


def test_fold_never_splits_a_character():
    line = "NOTE:" + "€" * 100
    folded = fold(line)
    parts = folded.encode("utf-8").split(b"\r\n")[:-1]
    assert all(len(p) <= 75 for p in parts)
    assert "".join(p.decode("utf-8")[1 if i else 0:] for i, p in enumerate(parts)) == line


def test_export_rejects_other_versions():
    with pytest.raises(ValueError):
        export(make_contacts(), "2.1")


def test_card_files_vdir(tmp_path):
    files = card_files(make_contacts(), "4.0")
    assert len(files) == 3
    assert files == card_files(make_contacts(), "4.0")
    for name, text in files.items():
        assert name.endswith(".vcf")
        assert f"UID:urn:uuid:{name[:-4]}\r\n" in text
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    parsed = read(tmp_path)
    assert sorted(p.name for p in parsed.people) == ["Ada Lovelace", "Cher", "Søren Kjeldsen"]


def expected_fields(contact: Contact) -> dict:
    bday = contact.birthday
    birthday = None
    if bday:
        birthday = f"{bday.month:02d}-{bday.day:02d}"
        if bday.year:
            birthday = f"{bday.year:04d}-{birthday}"
    return dict(
        name=contact.name,
        emails=(contact.email,) if contact.email else (),
        phones=(contact.phone,) if contact.phone else (),
        org=contact.org,
        role=contact.role,
        linkedin=contact.linkedin,
        birthday=birthday,
        tags=tuple(dict.fromkeys(t for t in (contact.circle, *contact.tags) if t)),
        aliases=contact.aliases,
    )


def got_fields(person: Person) -> dict:
    # netvault's own cards carry circle and tags as X-NETVAULT-CIRCLE / -TAGS
    # (read from the contact's fields; built contacts have none: CATEGORIES)
    tags = person.extra.get("tags", [])
    carried = (person.extra.get("circle"), *([tags] if isinstance(tags, str) else tags))
    if not person.from_netvault:
        carried = person.tags
    return dict(
        name=person.name, emails=person.emails, phones=person.phones, org=person.org,
        role=person.role, linkedin=person.linkedin, birthday=person.birthday,
        tags=tuple(dict.fromkeys(t for t in carried if t)), aliases=person.aliases,
    )


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_round_trip_built_contacts(tmp_path, version):
    contacts = make_contacts()
    path = tmp_path / "out.vcf"
    path.write_bytes(export(contacts, version).encode("utf-8"))
    parsed = read(path)
    assert parsed.skipped == ()
    assert [got_fields(p) for p in parsed.people] == [expected_fields(c) for c in contacts]
    assert parsed.people[0].uid.startswith("urn:uuid:")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_round_trip_example_vault(tmp_path, version):
    vault = load_vault(REPO / "example_vault", TODAY)
    assert len(vault.contacts) > 20
    path = tmp_path / "vault.vcf"
    path.write_bytes(export(vault.contacts, version).encode("utf-8"))
    parsed = read(path)
    assert len(parsed.people) == len(vault.contacts)
    assert parsed.skipped == ()
    for contact, person in zip(vault.contacts, parsed.people):
        assert got_fields(person) == expected_fields(contact), contact.path

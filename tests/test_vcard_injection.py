"""No value of a contact, wherever it came from, can end a vCard property
or start a card of its own: every text goes through one escaping function,
and web addresses are checked on import, by check and on export."""

from __future__ import annotations

from netvault.interop import vcard
from netvault.interop.vcardtext import escape, logical_lines

from .conftest import TODAY

INJECTION = "https://www.linkedin.com/in/ok\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Attacker\r\nEMAIL:attacker@evil.example"


def _connections(tmp_path, url: str):
    export = tmp_path / "Connections.csv"
    quoted = '"' + url.replace('"', '""') + '"'
    export.write_text(
        "Notes:\nx\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Vic,Tim,{quoted},,Acme,Engineer,05 May 2025\n",
        encoding="utf-8",
        newline="",
    )
    return export


def test_a_linkedin_cell_cannot_smuggle_a_second_card(run, make_vault, tmp_path):
    vault = make_vault({})
    result = run("import", "linkedin", _connections(tmp_path, INJECTION), "--vault", vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "is not a web address; left out" in result.output
    text = (vault / "people" / "Vic Tim.md").read_text()
    assert "attacker" not in text and "linkedin:\n" in text  # left empty
    exported = run("export", "vcard", "--vault", vault, "--today", TODAY).stdout_bytes.decode("utf-8")
    assert exported.count("BEGIN:VCARD") == 1 and "attacker" not in exported
    # and the round trip brings in nobody new
    cards = tmp_path / "out.vcf"
    cards.write_text(exported, encoding="utf-8", newline="")
    again = make_vault({})
    assert run("import", "vcard", cards, "--vault", again, "--today", TODAY).exit_code == 0
    assert sorted(p.name for p in (again / "people").iterdir()) == ["Vic Tim.md"]


def test_a_profile_without_its_scheme_is_kept_with_https(run, make_vault, tmp_path):
    vault = make_vault({})
    export = _connections(tmp_path, "www.linkedin.com/in/vic-tim")
    assert run("import", "linkedin", export, "--vault", vault, "--today", TODAY).exit_code == 0
    assert "linkedin: https://www.linkedin.com/in/vic-tim\n" in (vault / "people" / "Vic Tim.md").read_text()


def test_check_warns_and_export_leaves_out_a_linkedin_that_is_not_a_web_address(run, make_vault):
    vault = make_vault(
        {"people/Eve.md": '---\nname: Eve\ncircle: cold\nlinkedin: "https://x.example/a\\rTEL:+1999"\n---\n'}
    )
    result = run("check", "--vault", vault, "--today", TODAY)
    assert "people/Eve.md:4: warning: linkedin: " in result.stdout and "is not a web address" in result.stdout
    result = run("export", "vcard", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 0
    assert "people/Eve.md: linkedin is not a web address; left out of the card" in result.stderr
    assert "URL" not in result.stdout and "TEL" not in result.stdout


def test_every_line_break_unicode_knows_is_escaped_in_every_property(run, make_vault, tmp_path):
    breaks = ["\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
    name = "Ann" + "".join(f"{b}X{i}" for i, b in enumerate(breaks))
    vault = make_vault(
        {
            "people/Ann.md": "---\n"
            f"name: {_yaml(name)}\ncircle: cold\norg: {_yaml('Org' + chr(13) + 'TEL:+1999')}\n"
            f"role: {_yaml('Boss' + chr(0x2028) + 'EMAIL:x@evil.example')}\n"
            f"aliases: [{_yaml('Al' + chr(0x85) + 'NOTE:x')}]\ntags: [{_yaml('t' + chr(11) + 'URL:x')}]\n---\n"
        }
    )
    out = run("export", "vcard", "--vault", vault, "--today", TODAY).stdout_bytes.decode("utf-8")
    physical = out.split("\r\n")
    assert physical[-1] == ""
    for line in physical[:-1]:
        assert not any(b in line for b in breaks), repr(line)  # CRLF is the only break
    names = [prop.split(":", 1)[0].split(";")[0] for _, prop in logical_lines(physical[:-1])]
    assert names.count("TEL") == 0 and names.count("EMAIL") == 0 and names.count("NOTE") == 0
    assert names.count("BEGIN") == 1 and names.count("END") == 1
    # it reads back as the same texts, breaks as line breaks
    cards = tmp_path / "ann.vcf"
    cards.write_text(out, encoding="utf-8", newline="")
    (person,) = vcard.read(cards).people
    assert person.org == "Org\nTEL:+1999" and person.role == "Boss\nEMAIL:x@evil.example"


def test_escape_drops_control_characters_and_escapes_the_rest():
    assert escape("a,b;c\\d") == "a\\,b\\;c\\\\d"
    assert escape("x\x00y\x1bz\x7f\x9f") == "xyz"
    assert escape("tab\tkept") == "tab\tkept"
    assert escape("one\u2028two\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour"


def _yaml(text: str) -> str:
    """A double-quoted YAML scalar holding ``text`` exactly."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'

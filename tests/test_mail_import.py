"""netvault import mail: an mbox and a Maildir, built here, as evidence of contact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netvault.interop.mail import Mail, Skipped, read_mailbox

from .conftest import TODAY

ME = "sam@example.com"
CONFIG = f'[me]\nemails = ["{ME}", "Sam.Rivera@Work.example"]\n'
CONTACTS = {
    "people/Jane Doe.md": "---\ncircle: buddy\nemail: jane@acme.example\n---\n",
    "people/Ravi Patel.md": "---\ncircle: strategic\nemail: ravi@old.example\nother_emails: [Ravi.Patel@Home.example]\n---\n",
    "people/Omar Haddad.md": "---\ncircle: lukewarm\nemail: omar@haddad.example\nlast_contact: 2026-10-30\n---\n",
    "people/Twin A.md": "---\ncircle: cold\nemail: team@shared.example\n---\n",
    "people/Twin B.md": "---\ncircle: cold\nemail: team@shared.example\n---\n",
}


def message(sender, to, date, message_id, subject="hello", cc=None, extra=""):
    lines = [f"From: {sender}", f"To: {to}"]
    if cc:
        lines.append(f"Cc: {cc}")
    lines += [f"Subject: {subject}", f"Date: {date}", f"Message-ID: <{message_id}>"]
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n\nThe body, never read.\nFrom here on it is text.\n"


MBOX_MESSAGES = [
    # mine to Jane, Cc Ravi at his other address
    message(f"Sam Rivera <{ME}>", "Jane Doe <Jane@ACME.example>", "Mon, 02 Nov 2026 10:00:00 +0000", "a1@x",
            subject="The deck", cc="ravi.patel@home.example"),
    # Omar to me (an encoded name)
    message("=?utf-8?q?Omar_Hadd=C3=A1d?= <omar@haddad.example>", ME, "Tue, 10 Nov 2026 09:00:00 +0100", "a2@x"),
    # a mailing list, a newsletter, an auto-reply, a no-reply sender: never contact
    message("Jane Doe <jane@acme.example>", "list@lists.example", "Wed, 11 Nov 2026 09:00:00 +0000", "a3@x",
            extra="List-Id: <team.lists.example>"),
    message("news@acme.example", ME, "Wed, 11 Nov 2026 09:00:00 +0000", "a4@x", extra="Precedence: bulk"),
    message("jane@acme.example", ME, "Thu, 12 Nov 2026 09:00:00 +0000", "a5@x", extra="Auto-Submitted: auto-replied"),
    message("no-reply@acme.example", ME, "Thu, 12 Nov 2026 09:00:00 +0000", "a6@x"),
    # a Date nobody can read
    message("jane@acme.example", ME, "the day after tomorrow", "a7@x"),
    # to the shared address: counted for neither twin
    message(ME, "team@shared.example", "Fri, 13 Nov 2026 09:00:00 +0000", "a8@x"),
    # someone not in the vault
    message("Lena Vogel <lena@vogel.example>", ME, "Sat, 14 Nov 2026 09:00:00 +0000", "a9@x"),
    # in the future of --today
    message(ME, "jane@acme.example", "Mon, 30 Nov 2026 09:00:00 +0000", "a10@x"),
]
MAILDIR_MESSAGES = {
    # the same message as in the mbox (one Message-ID): recorded once
    "cur/1.host:2,S": MBOX_MESSAGES[0],
    # Ravi writes from his work address in October (another month's file)
    "new/2.host": message("ravi@old.example", "sam.rivera@work.example", "Thu, 15 Oct 2026 08:00:00 -0700", "b1@x"),
}


def mbox_text(messages) -> str:
    return "".join(f"From MAILER-DAEMON Mon Nov  2 10:00:00 2026\n{text}\n" for text in messages)


@pytest.fixture
def mail_vault(make_vault, tmp_path):
    root = make_vault(CONTACTS, CONFIG)
    (tmp_path / "All mail.mbox").write_text(mbox_text(MBOX_MESSAGES), encoding="utf-8")
    maildir = tmp_path / "Maildir"
    for rel, text in MAILDIR_MESSAGES.items():
        (maildir / rel).parent.mkdir(parents=True, exist_ok=True)
        (maildir / rel).write_text(text, encoding="utf-8")
    (maildir / "tmp").mkdir()
    return root


def last_contacts(run, root) -> dict[str, tuple[str | None, str | None]]:
    result = run("list", "--format", "json", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    people = json.loads(result.stdout)
    people = people["people"]
    return {p["name"]: p.get("last_contact") for p in people}


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".netvault" not in p.parts
    }



def test_mbox_messages_become_headers_only(tmp_path):
    path = tmp_path / "m.mbox"
    path.write_text(mbox_text(MBOX_MESSAGES[:3]), encoding="utf-8")
    found = list(read_mailbox(path))
    assert [type(m) for m in found] == [Mail, Mail, Mail]
    first, second, third = found
    assert (first.sender, first.recipients, first.subject) == (ME, ("jane@acme.example", "ravi.patel@home.example"), "The deck")
    assert second.names["omar@haddad.example"] == "Omar Haddád"  # RFC 2047, decoded
    assert third.automatic == "a mailing list"
    assert first.where == "m.mbox, message 1" and first.key == "a1@x"


def test_import_mail_counts_exchanges_with_contacts_only(mail_vault, run, tmp_path):
    before = last_contacts(run, mail_vault)
    result = run("import", "mail", tmp_path / "All mail.mbox", "--vault", mail_vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "mail: 10 messages read, 2 with contacts; 2 new, 0 recorded before; 4 automatic or mailing lists, 1 skipped" in result.stdout
    assert "skipped: All mail.mbox, message 7: no readable Date (the day after tomorrow)" in result.stderr
    assert "team@shared.example is an address of people/Twin A.md, people/Twin B.md" in result.stderr
    assert "Lena Vogel <lena@vogel.example>: 1 (2026-11-14 to 2026-11-14)" in result.stdout
    text = (mail_vault / "interactions" / "mail" / "2026-11.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert [line.rsplit(" %%", 1)[0] for line in lines] == [
        "- 2026-11-02 email: [[Jane Doe]], [[Ravi Patel]]",
        "- 2026-11-10 email: [[Omar Haddad]]",
    ]
    after = last_contacts(run, mail_vault)
    assert after["Jane Doe"] == "2026-11-02" and after["Ravi Patel"] == "2026-11-02"
    assert after["Omar Haddad"] == "2026-11-10" and before["Omar Haddad"] == "2026-10-30"
    assert after["Twin A"] == before["Twin A"] is None


def test_a_second_mailbox_and_a_rerun_add_each_exchange_once(mail_vault, run, tmp_path):
    assert run("import", "mail", tmp_path / "All mail.mbox", "--vault", mail_vault, "--today", TODAY).exit_code == 0
    result = run("import", "mail", tmp_path / "Maildir", "--vault", mail_vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "2 messages read, 2 with contacts; 1 new, 1 recorded before" in result.stdout
    october = (mail_vault / "interactions" / "mail" / "2026-10.md").read_text(encoding="utf-8")
    assert "- 2026-10-15 email: [[Ravi Patel]] %%mail " in october
    before = files_of(mail_vault)
    for source in ("All mail.mbox", "Maildir"):
        again = run("import", "mail", tmp_path / source, "--vault", mail_vault, "--today", TODAY)
        assert " 0 new," in again.stdout
    assert files_of(mail_vault) == before


def test_the_users_edits_to_the_evidence_are_kept(mail_vault, run, tmp_path):
    assert run("import", "mail", tmp_path / "Maildir", "--vault", mail_vault, "--today", TODAY).exit_code == 0
    november = mail_vault / "interactions" / "mail" / "2026-11.md"
    edited = november.read_text(encoding="utf-8").replace("# Mail, 2026-11", "# Mail, November\n\nMy own note.")
    edited = edited.replace("\n", "\r\n")
    november.write_bytes(edited.encode("utf-8"))
    result = run("import", "mail", tmp_path / "All mail.mbox", "--subjects", "--vault", mail_vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    text = november.read_bytes().decode("utf-8")
    assert text.startswith("# Mail, November\r\n\r\nMy own note.\r\n")
    assert "- 2026-11-10 email: [[Omar Haddad]] · hello %%mail " in text  # --subjects
    assert text.count("2026-11-02 email:") == 1
    assert "\n" not in text.replace("\r\n", "")


def test_evidence_lines_count_like_log_entries_and_check_names_strays(mail_vault, run, tmp_path):
    assert run("import", "mail", tmp_path / "All mail.mbox", "--vault", mail_vault, "--today", TODAY).exit_code == 0
    november = mail_vault / "interactions" / "mail" / "2026-11.md"
    november.write_text(november.read_text(encoding="utf-8") + "- 2026-11-20 email: [[Nobody Here]]\n", encoding="utf-8")
    show = run("show", "Omar Haddad", "--vault", mail_vault, "--today", TODAY)
    assert "2026-11-10 email  mail  [interactions/mail/2026-11.md:4]" in show.output
    assert "Channels, last 365 days: email 1" in show.output
    check = run("check", "--vault", mail_vault, "--today", TODAY)
    assert "interactions/mail/2026-11.md:5: warning: [[Nobody Here]] is not a contact in this vault" in check.output


def test_without_me_the_command_says_what_to_set(make_vault, run, tmp_path):
    root = make_vault(CONTACTS, "")
    (tmp_path / "m.mbox").write_text(mbox_text(MBOX_MESSAGES[:1]), encoding="utf-8")
    result = run("import", "mail", tmp_path / "m.mbox", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1
    assert '[me] emails = ["you@example.com"' in result.output
    assert not (root / "interactions").exists()


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("missing.mbox", None, "does not exist"),
        ("notes.txt", "just some text\n", "is no mbox file"),
        ("folder", "dir", "no Maildir"),
    ],
)
def test_what_is_no_mailbox_is_refused_by_name(make_vault, run, tmp_path, name, content, reason):
    root = make_vault(CONTACTS, CONFIG)
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("import", "mail", path, "--vault", root, "--today", TODAY)
    assert result.exit_code == 1 and reason in result.output and "Traceback" not in result.output


def test_a_dry_run_writes_nothing(mail_vault, run, tmp_path):
    before = files_of(mail_vault)
    result = run("import", "mail", tmp_path / "All mail.mbox", "--dry-run", "--vault", mail_vault, "--today", TODAY)
    assert result.exit_code == 0
    assert "+- 2026-11-02 email: [[Jane Doe]], [[Ravi Patel]]" in result.stdout
    assert files_of(mail_vault) == before


def test_a_huge_header_or_body_does_not_take_memory(tmp_path):
    """Bodies are skipped line by line; a header block is cut at 256 KB."""
    path = tmp_path / "big.mbox"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("From x Mon Nov  2 10:00:00 2026\n" + message(ME, "jane@acme.example", "Mon, 02 Nov 2026 10:00:00 +0000", "big@x"))
        handle.write(("a body line that goes on and on " * 4 + "\n") * 40_000)
        handle.write("\nFrom x Mon Nov  2 10:00:00 2026\n" + message(ME, "ravi@old.example", "Mon, 02 Nov 2026 11:00:00 +0000", "big2@x"))
    found = [m for m in read_mailbox(path) if isinstance(m, Mail)]
    assert [m.key for m in found] == ["big@x", "big2@x"]
    assert not [m for m in read_mailbox(path) if isinstance(m, Skipped)]


def test_the_agenda_says_the_last_contact_was_mail(mail_vault, run, tmp_path):
    assert run("import", "mail", tmp_path / "All mail.mbox", "--vault", mail_vault, "--today", TODAY).exit_code == 0
    text = run("agenda", "--vault", mail_vault, "--today", "2027-01-05")
    assert "last contact 2026-11-02 (64 days ago) · email" in text.output
    document = json.loads(run("agenda", "--format", "json", "--vault", mail_vault, "--today", "2027-01-05").stdout)
    jane = next(item for item in document["items"] if item["name"] == "Jane Doe")
    assert (jane["last_contact_source"], jane["last_contact_channel"]) == ("interactions/mail/2026-11.md", "email")


def test_log_writes_into_the_contacts_own_logs_once(mail_vault, run, tmp_path):
    result = run("import", "mail", tmp_path / "All mail.mbox", "--log", "--subjects", "--vault", mail_vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert not (mail_vault / "interactions").exists()
    jane = (mail_vault / "people" / "Jane Doe.md").read_text(encoding="utf-8")
    assert jane.startswith(CONTACTS["people/Jane Doe.md"])  # the rest of the file as it was
    assert "## Log\n\n- 2026-11-02 email: mail · The deck %%mail " in jane
    ravi = (mail_vault / "people" / "Ravi Patel.md").read_text(encoding="utf-8")
    assert "- 2026-11-02 email: mail · The deck %%mail " in ravi
    before = files_of(mail_vault)
    again = run("import", "mail", tmp_path / "All mail.mbox", "--log", "--vault", mail_vault, "--today", TODAY)
    assert " 0 new, 2 recorded before" in again.stdout
    also = run("import", "mail", tmp_path / "All mail.mbox", "--vault", mail_vault, "--today", TODAY)
    assert " 0 new, 2 recorded before" in also.stdout  # nor into interactions/ after --log
    assert files_of(mail_vault) == before
    assert run("list", "--format", "json", "--vault", mail_vault, "--today", TODAY).exit_code == 0
    people = json.loads(run("list", "--format", "json", "--vault", mail_vault, "--today", TODAY).stdout)["people"]
    assert {p["name"]: p["last_contact"] for p in people}["Jane Doe"] == "2026-11-02"


def test_suggest_lists_everyone_mailed_who_is_no_contact(mail_vault, run, tmp_path):
    before = files_of(mail_vault)
    result = run("import", "mail", tmp_path / "All mail.mbox", "--suggest", "--format", "json", "--vault", mail_vault, "--today", TODAY)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["correspondents"][0] == {
        "address": "lena@vogel.example", "name": "Lena Vogel", "messages": 1, "first": "2026-11-14", "last": "2026-11-14",
    }
    assert [c["address"] for c in document["correspondents"]] == ["lena@vogel.example"]
    assert files_of(mail_vault) == before


def test_the_person_page_shows_imported_mail_in_the_timeline(mail_vault, run, tmp_path):
    assert run("import", "mail", tmp_path / "All mail.mbox", "--vault", mail_vault, "--today", TODAY).exit_code == 0
    out = tmp_path / "site"
    assert run("build", "--out", out, "--vault", mail_vault, "--today", TODAY).exit_code == 0
    page = (out / "people" / "Omar Haddad.html").read_text(encoding="utf-8")
    assert "2026-11-10</time>\n · email · imported, in <em>interactions/mail/2026-11</em>" in page

"""netvault import messages: LinkedIn's messages.csv as evidence of contact."""

from __future__ import annotations

import json

from .conftest import TODAY

CONTACTS = {
    "people/Jane Doe.md": "---\ncircle: buddy\nlinkedin: https://www.linkedin.com/in/jane-doe-example/\n---\n",
    "people/Ravi Patel.md": "---\ncircle: strategic\naliases: [Ravi]\n---\n",
    "people/Omar Haddad.md": "---\ncircle: lukewarm\n---\n",
}
# The current export's columns; CONTENT quoted over several lines; a row
# with no readable date; a stranger; a message dated after --today.
MESSAGES = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
    '2-abc,,Sam Rivera,https://www.linkedin.com/in/sam-rivera,Jane D.,https://uk.linkedin.com/in/Jane-Doe-Example,'
    '2026-11-02 09:15:00 UTC,,"Hi Jane,\nthe deck is attached.\n\nSam",INBOX\n'
    "2-abc,,Jane D.,https://www.linkedin.com/in/jane-doe-example,Sam Rivera,https://www.linkedin.com/in/sam-rivera,"
    '2026-11-02 10:00:00 UTC,,"Thanks, Sam!",INBOX\n'
    "2-def,,Ravi Patel,https://www.linkedin.com/in/someone-else,Sam Rivera,https://www.linkedin.com/in/sam-rivera,"
    "2026-11-05 18:00:00 UTC,,see you at the meetup,INBOX\n"
    "2-ghi,,A Recruiter,https://www.linkedin.com/in/recruiter,Sam Rivera,https://www.linkedin.com/in/sam-rivera,"
    "2026-11-06 08:00:00 UTC,An opportunity,hello,INBOX\n"
    "2-jkl,,Omar Haddad,,Sam Rivera,,yesterday,,hi,INBOX\n"
    "2-mno,,Sam Rivera,,Omar Haddad,,2026-12-01 09:00:00 UTC,,later,SENT\n"
)


def test_conversations_with_contacts_become_evidence(make_vault, run, tmp_path):
    root = make_vault(CONTACTS, "")
    (tmp_path / "messages.csv").write_text(MESSAGES, encoding="utf-8")
    result = run("import", "messages", tmp_path / "messages.csv", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("messages: 6 LinkedIn messages read, 3 with contacts; 2 new, 0 recorded before; 1 skipped")
    assert "messages.csv:9: no readable DATE ('yesterday')" in result.stderr
    text = (root / "interactions" / "linkedin" / "2026-11.md").read_text(encoding="utf-8")
    lines = [line.rsplit(" %%", 1)[0] for line in text.splitlines() if line.startswith("- ")]
    # one line per conversation and day; by profile first (Jane), then by name (Ravi)
    assert lines == ["- 2026-11-02 im: [[Jane Doe]]", "- 2026-11-05 im: [[Ravi Patel]]"]
    assert "deck" not in text and "Thanks" not in text and "meetup" not in text  # never the content
    people = json.loads(run("list", "--format", "json", "--vault", root, "--today", TODAY).stdout)["people"]
    assert {p["name"]: p["last_contact"] for p in people} == {
        "Jane Doe": "2026-11-02", "Omar Haddad": None, "Ravi Patel": "2026-11-05",
    }
    again = run("import", "messages", tmp_path / "messages.csv", "--vault", root, "--today", TODAY)
    assert " 0 new, 2 recorded before;" in again.stdout


def test_a_file_that_is_no_messages_export_is_refused(make_vault, run, tmp_path):
    root = make_vault(CONTACTS, "")
    (tmp_path / "Connections.csv").write_text("First Name,Last Name,URL\nJane,Doe,x\n", encoding="utf-8")
    result = run("import", "messages", tmp_path / "Connections.csv", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1 and "is no LinkedIn messages.csv" in result.output
    assert not (root / "interactions").exists()

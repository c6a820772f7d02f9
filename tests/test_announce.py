"""netvault announce: thank-you and news messages to the people who helped (after landing a job)."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import unquote

from netvault.read.model import Contact, LogEntry
from netvault.views.messages import mailto_link, what_they_helped_with

TODAY = "2026-11-22"
NEWS = "I start at Northlight as Director of Product on 5 January"

ANN = """---
name: Ann Archer
circle: strategic
email: ann@example.com
tags: [job-search]
---
## Log
- 2026-03-01 email: #gave sent her the benchmark
- 2026-02-01 phone: asked her to be a reference #asked
- 2026-01-10 in-person: coffee
"""
BOB = """---
name: Bob Baker
circle: lukewarm
email: bob at example
tags: [Job-Search, other]
---
## Log
- 2026-05-01 video: great advice on negotiating the level
- 2026-06-01 video: chat about football
"""
CAL = """---
name: Cal Cole
circle: cold
email: cal@example.com
---
Not tagged.
"""


def vault(make_vault, **extra):
    return make_vault({"people/Ann Archer.md": ANN, "people/Bob Baker.md": BOB, "people/Cal Cole.md": CAL, **extra})


def announce(run, root, *args):
    return run("announce", "--vault", root, "--today", TODAY, *args)


def test_only_tagged_people_in_name_order(make_vault, run):
    root = vault(make_vault)
    result = announce(run, root, "--tag", "job-search", "--news", NEWS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert sorted(data) == ["date", "html", "logged", "messages", "news", "out", "tags", "template"]
    assert [m["name"] for m in data["messages"]] == ["Ann Archer", "Bob Baker"]
    assert sorted(data["messages"][0]) == ["body", "email", "helped", "mailto", "name", "path", "subject"]
    ann = data["messages"][0]
    assert ann["subject"] == "My news, and thank you"
    assert ann["body"].startswith("Dear Ann,\n\nI'm excited to share some news: " + NEWS + ".\n")
    assert "especially for our call in February 2026" in ann["body"]
    assert "Please let me know if I can help you in the future" in ann["body"]
    assert ann["helped"] == {
        "asked": True, "channel": "phone", "date": "2026-02-01", "line": 9,
        "occasion": "our call in February 2026", "text": "asked her to be a reference",
    }


def test_markdown_to_stdout(make_vault, run):
    root = vault(make_vault)
    result = announce(run, root, "--tag", "job-search", "--news", NEWS)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("# thank-you messages: job-search\n\n2 messages, 2026-11-22.\n\n## Ann Archer\n")
    assert "To: ann@example.com  \nFrom your log, 2026-02-01 phone: asked her to be a reference  \n" in out
    assert "To: bob at example (not an address netvault links to)" in out
    assert "Cal Cole" not in out
    assert out.count("\n---\n") == 1


def test_what_they_helped_with():
    def entry(day, text, line, **flags):
        return LogEntry(date.fromisoformat(day), "email", text, line, **flags)

    person = Contact(
        "p.md", "P",
        log=(
            entry("2026-01-01", "asked for an intro #asked", 1, asked=True),
            entry("2026-02-01", "asked again #asked", 2, asked=True),
            entry("2026-03-01", "#gave sent her help", 3, gave=True),
            entry("2026-12-01", "asked later #asked", 4, asked=True, planned=True),
            entry("2026-04-01", "moved cold → lukewarm", 5, interaction=False),
        ),
    )
    today = date(2026, 11, 22)
    # the newest #asked, not the later #gave (what you gave), planned or future one
    assert what_they_helped_with(person, today).text == "asked again"
    helpful = Contact("p.md", "P", log=(
        entry("2026-01-01", "lunch", 1),
        entry("2026-02-01", "her feedback on my CV", 2),
        entry("2026-03-01", "chat", 3),
    ))
    assert what_they_helped_with(helpful, today).text == "her feedback on my CV"
    assert what_they_helped_with(Contact("p.md", "P", log=(entry("2026-01-01", "lunch", 1),)), today) is None


def test_no_helped_entry_and_no_news(make_vault, run):
    root = make_vault({"people/Dee.md": "---\nname: Dee\ncircle: cold\ntags: [t]\n---\n"})
    result = announce(run, root, "--tag", "t")
    assert result.exit_code == 0, result.output
    assert "[your news]" in result.output
    assert "I want to thank you for the time you gave me along the way." in result.output


def test_names_as_well_as_tags(make_vault, run):
    root = vault(make_vault)
    result = announce(run, root, "cal", "--template", "update", "--news", NEWS, "--format", "json")
    data = json.loads(result.output)
    assert [m["name"] for m in data["messages"]] == ["Cal Cole"]
    assert data["messages"][0]["subject"] == "Some news"


def test_nobody_tagged_and_no_one_given(make_vault, run):
    root = vault(make_vault)
    result = announce(run, root, "--tag", "nope")
    assert result.exit_code == 1
    assert "nobody in the vault is tagged nope; tags in use: Job-Search, job-search, other" in result.output
    assert announce(run, root).exit_code == 2


def test_unknown_template_lists_the_available_ones(make_vault, run):
    root = vault(make_vault, **{".netvault/templates/messages/coffee.md.j2": "Subject: hi\n\nHi {{ person.first_name }}\n"})
    result = announce(run, root, "--tag", "job-search", "--template", "nope")
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown template 'nope'; available: coffee, thank-you, update "
        "(add your own as .netvault/templates/messages/NAME.md.j2)\n"
    )
    result = announce(run, root, "--tag", "job-search", "--template", "../../netvault")
    assert result.exit_code == 1 and "unknown template" in result.output


def test_user_template_overrides_and_adds(make_vault, run):
    root = vault(
        make_vault,
        **{
            ".netvault/templates/messages/thank-you.md.j2": "Subject: Cheers\n\nCheers {{ person.first_name }}: {{ news }}\n",
            ".netvault/templates/messages/coffee.md.j2": "Coffee, {{ person.name }}?\n",
        },
    )
    data = json.loads(announce(run, root, "--tag", "job-search", "--news", NEWS, "--format", "json").output)
    assert data["messages"][0]["subject"] == "Cheers"
    assert data["messages"][0]["body"] == f"Cheers Ann: {NEWS}"
    data = json.loads(announce(run, root, "--tag", "job-search", "--template", "coffee", "--format", "json").output)
    assert data["messages"][0]["body"] == "Coffee, Ann Archer?"
    assert data["messages"][0]["subject"] == ""


def test_a_broken_user_template_is_an_error_with_its_line(make_vault, run):
    root = vault(make_vault, **{".netvault/templates/messages/thank-you.md.j2": "Hi {{ person.name \n"})
    result = announce(run, root, "--tag", "job-search")
    assert result.exit_code == 1
    assert "thank-you.md.j2:1" in result.output


def test_mailto_encoding():
    link = mailto_link("mailto:a@example.com", "News & thanks?", "Dear A,\n\n100% #1 <b>")
    assert link == (
        "mailto:a@example.com?subject=News%20%26%20thanks%3F"
        "&body=Dear%20A%2C%0D%0A%0D%0A100%25%20%231%20%3Cb%3E"
    )
    assert mailto_link(None, "s", "b") is None


HOSTILE = """---
name: "Eve <script>alert(1)</script> & \\u001b[31mRed"
circle: cold
email: "eve@example.com?cc=boss@example.com"
tags: [t]
---
## Log
- 2026-01-01 email: asked about <img src=x onerror=alert(1)> #asked
"""


def test_hostile_values_are_escaped_and_not_linked(make_vault, run, tmp_path):
    root = make_vault(
        {
            "people/Eve.md": HOSTILE,
            "people/Fay.md": '---\nname: "Fay & <Co>"\ncircle: cold\nemail: fay@example.com\ntags: [t]\n---\n',
        }
    )
    page = tmp_path / "out.html"
    result = announce(run, root, "--tag", "t", "--news", "a&b <i>", "--html", page)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    html = page.read_text("utf-8")
    assert "<script>" not in html and "<img" not in html and "\x1b" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
    assert 'href="mailto:eve' not in html  # not a plain address: no link
    hrefs = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    assert len(hrefs) == 1 and hrefs[0].startswith("mailto:fay@example.com?subject=")
    body = unquote(hrefs[0].replace("&amp;", "&").split("&body=")[1])
    assert body.startswith("Dear Fay,\r\n\r\nI'm excited to share some news: a&b <i>.")


def test_out_and_html_files(make_vault, run, tmp_path):
    root = vault(make_vault)
    out, page = tmp_path / "thanks.md", tmp_path / "thanks.html"
    result = announce(run, root, "--tag", "job-search", "--news", NEWS, "--out", out, "--html", page)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 2 messages to {out}\nWrote 2 messages to {page}\n"
    assert out.read_text("utf-8").startswith("# thank-you messages")
    assert 'href="mailto:ann@example.com?subject=My%20news%2C%20and%20thank%20you&amp;body=Dear%20Ann' in page.read_text("utf-8")
    again = announce(run, root, "--tag", "job-search", "--news", NEWS, "--out", tmp_path / "b.md")
    assert again.exit_code == 0
    assert (tmp_path / "b.md").read_bytes() == out.read_bytes()  # deterministic


def test_out_never_overwrites_a_contact(make_vault, run):
    root = vault(make_vault)
    before = (root / "people" / "Ann Archer.md").read_bytes()
    result = announce(run, root, "--tag", "job-search", "--out", root / "people" / "Ann Archer.md")
    assert result.exit_code == 1
    assert "is Ann Archer's contact file" in result.output
    assert (root / "people" / "Ann Archer.md").read_bytes() == before


def test_log_records_a_gave_entry_for_everyone(make_vault, run):
    root = vault(make_vault)
    result = announce(run, root, "--tag", "job-search", "--news", NEWS, "--out", root / "thanks.md", "--log")
    assert result.exit_code == 0, result.output
    line = f"2026-11-22 sent news: {NEWS} #gave"
    assert f"Logged for Ann Archer (people/Ann Archer.md): {line}" in result.output
    assert f"Logged for Bob Baker (people/Bob Baker.md): {line}" in result.output
    for name in ("Ann Archer", "Bob Baker"):
        text = (root / "people" / f"{name}.md").read_text("utf-8")
        assert f"- {line}\n" in text
    assert "sent news" not in (root / "people" / "Cal Cole.md").read_text("utf-8")


def test_log_needs_the_news(make_vault, run):
    root = vault(make_vault)
    result = announce(run, root, "--tag", "job-search", "--log")
    assert result.exit_code == 2
    assert "--log records the news you sent; give it with --news TEXT" in result.output


def test_log_dry_run_writes_nothing(make_vault, run, tmp_path):
    root = vault(make_vault)
    before = {p: p.read_bytes() for p in (root / "people").iterdir()}
    result = announce(run, root, "--tag", "job-search", "--news", NEWS, "--log", "--dry-run", "--out", tmp_path / "x.md")
    assert result.exit_code == 0, result.output
    assert f"+- 2026-11-22 sent news: {NEWS} #gave" in result.output
    assert {p: p.read_bytes() for p in (root / "people").iterdir()} == before
    assert not (tmp_path / "x.md").exists()


def test_log_is_all_or_nothing_with_a_read_only_file(make_vault, run):
    root = vault(make_vault)
    bob = root / "people" / "Bob Baker.md"
    before = {p: p.read_bytes() for p in (root / "people").iterdir()}
    bob.chmod(0o444)
    try:
        result = announce(run, root, "--tag", "job-search", "--news", NEWS, "--out", root / "x.md", "--log")
    finally:
        bob.chmod(0o644)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot edit people/Bob Baker.md: the file is read-only (make it writable to let "
        "netvault change it); no file was changed\n"
    )
    assert {p: p.read_bytes() for p in (root / "people").iterdir()} == before
    # The messages were written first: running again after the fix is safe.
    assert (root / "x.md").read_text("utf-8").startswith("# thank-you messages")


def test_example_vault_campaign(run):
    from tests.conftest import REPO

    result = run(
        "announce", "--vault", REPO / "example_vault", "--today", TODAY,
        "--tag", "job-search-2025", "--news", NEWS, "--format", "json",
    )
    data = json.loads(result.output)
    assert [m["name"] for m in data["messages"]] == [
        "Amara Nwosu", "Ben Hollis", "Grace O'Connell", "Margaret Osei",
        "Niamh Gallagher", "Sophie Clarke", "Yasmin Haddad",
    ]
    margaret = data["messages"][3]
    assert margaret["helped"]["text"] == "asked her to be a reference for Brightwell"
    assert all(m["mailto"] for m in data["messages"])


def test_messages_are_signed_with_your_name_and_thank_their_help_not_your_email(run, make_vault):
    root = make_vault(
        {
            "people/Amara Nwosu.md": (
                "---\ncircle: strategic\ntags: [helped]\nemail: amara@example.com\n---\n\n## Log\n"
                "- 2026-08-28 email: asked her to review my case study #asked\n"
            )
        },
        config='[me]\nname = "Sam Rivera"\n',
    )
    out = run("announce", "--tag", "helped", "--news", "I start at Northlight", "--vault", root, "--today", "2026-11-22").stdout
    assert "especially for your help in August 2026." in out
    assert "your emails" not in out
    assert out.rstrip().endswith("Best wishes,\nSam Rivera")


def test_a_bad_me_table_is_reported_with_its_line(make_vault):
    from netvault.read.loader import load_vault

    root = make_vault({}, config='[me]\nname = ""\nemails = ["not an address"]\n')
    messages = [(p.line, p.message) for p in load_vault(root, TODAY).problems]
    assert messages == [
        (2, '[me] name must be your name on one line, e.g. "Sam Rivera"'),
        (3, '[me] emails must be e-mail addresses, e.g. ["you@example.com"]'),
    ]

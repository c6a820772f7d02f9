"""One person, one file: merge --suggest, merge, merge --not, rename.

The vault is built the way a user builds one: ``netvault import`` of the same
people from LinkedIn, a phone's vCard and Google Contacts
(tests/fixtures/merge/), plus notes that link to them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from netvault.edit import journal
from netvault.playbook.duplicates import fold_name, nickname_groups, phone_key, region_from_locale, suggest
from netvault.read.frontmatter import parse
from netvault.read.loader import load_vault

from .conftest import FIXTURES, TODAY

MERGE = FIXTURES / "merge"
NETVAULT = str(Path(sys.executable).with_name("netvault"))
SOURCES = [
    ("linkedin", "linkedin-connections.csv"),
    ("vcard", "phone.vcf"),
    ("google", "google-contacts.csv"),
]
MEETING = """---
date: 2026-10-03
attendees: ["[[Robert Mensah]]", "[[Kofi Boateng]]"]
---
# Sales offsite

- [[Robert Mensah|Rob]] showed the new pipeline; [[Robert Mensah#Log]] has the rest.
- Minutes: [the notes](../people/Robert%20Mensah.md), and `[[Robert Mensah]]` in code stays.

```
[[Robert Mensah]] in a fenced block is text
```
"""


@pytest.fixture
def imported(tmp_path, run, monkeypatch):
    """A vault after three imports of the same people, with a meeting note
    and a contact linking to Robert Mensah."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    root = tmp_path / "vault"
    assert run("init", root).exit_code == 0
    for source, name in SOURCES:
        result = run("import", source, MERGE / name, "--vault", root, "--today", TODAY)
        assert result.exit_code == 0, result.output
    (root / "meetings").mkdir()
    (root / "meetings" / "2026-10-03 Sales offsite.md").write_text(MEETING, encoding="utf-8")
    kofi = root / "people" / "Kofi Boateng.md"
    text = kofi.read_text(encoding="utf-8")
    text = text.replace("introduced_by:\n", 'introduced_by: "[[Robert Mensah]]"\n')
    text += "- 2026-09-01 email: asked about the Globex role, cc [[Robert Mensah]]\n"
    kofi.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))  # a Windows editor's file
    return root


def files_of(root: Path) -> dict[str, bytes]:
    found = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith((".netvault/cache", ".netvault/written", ".netvault/write.lock")):
            found[rel] = path.read_bytes()
    return found


def suggested(run, root, *more):
    result = run("merge", "--suggest", "--format", "json", "--vault", root, "--today", TODAY, *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def pairs_of(document) -> list[tuple[str, str]]:
    return [(s["keep"]["name"], s["other"]["name"]) for s in document["suggestions"]]


# --- the grammar of names and numbers --------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Siobhán O'Rourke", "Siobhan ORourke"),
        ("Mary-Jane  Smith", "mary jane smith"),
        ("José Ñúñez", "JOSE NUNEZ"),
        ("Zoë Hartmann", "Zoe\u0308 Hartmann"),  # composed and decomposed
    ],
)
def test_names_fold_to_one(a, b):
    assert fold_name(a) == fold_name(b)


def test_different_names_stay_different():
    assert fold_name("Jane Smith") != fold_name("Jane Smyth")
    assert fold_name("Ann Lee") != fold_name("Anne Lee")


def test_nickname_table_groups_formal_names_and_nicknames():
    groups = nickname_groups()
    assert groups["bob"] & groups["robert"]
    assert groups["liz"] & groups["elizabeth"]
    assert not groups["bob"] & groups["william"]
    assert groups["alex"] & groups["alexander"] and groups["alex"] & groups["alexandra"]


def test_phone_numbers_are_compared_once_read_in_the_region():
    assert phone_key("07700 900488", "GB") == phone_key("+44 7700 900488", None) == "+447700900488"
    assert phone_key("07700 900488", None) is None  # a national number needs a region
    assert phone_key("+44 7700 900489", "GB") != phone_key("+44 7700 900488", "GB")
    assert phone_key("not a number", "GB") is None


def test_the_region_comes_from_the_locale():
    assert region_from_locale([None, "en_GB.UTF-8"]) == "GB"
    assert region_from_locale(["de_AT@euro"]) == "AT"
    assert region_from_locale(["C.UTF-8", "POSIX", ""]) is None


# --- suggestions ---------------------------------------------------------------


def test_suggestions_from_three_imports_strongest_first(imported, run):
    document = suggested(run, imported)
    assert pairs_of(document) == [
        ("Bob Mensah", "Robert Mensah"),
        ("Siobhán O'Rourke", "Siobhan ORourke"),
        ("Jane Smith", "Jane Smyth"),
    ]
    bob, siobhan, jane = document["suggestions"]
    assert bob["evidence"] == ["same phone number +447700900488", "Bob and Robert are one name (Mensah)"]
    assert siobhan["evidence"] == ["same name once accents, case and punctuation are folded (siobhan orourke)"]
    assert jane["evidence"] == ["names alike (Jane Smith / Jane Smyth)", "both at Initech"]
    assert bob["score"] > siobhan["score"] > jane["score"]


def test_the_region_setting_beats_the_locale(imported, run, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "same phone number +447700900488" not in suggested(run, imported)["suggestions"][0]["evidence"]
    config = imported / "netvault.toml"
    text = config.read_text(encoding="utf-8")
    assert '# region = "GB"' in text  # netvault init's settings name it
    config.write_text(text.replace('# region = "GB"', 'region = "GB"'), encoding="utf-8")
    assert suggested(run, imported)["suggestions"][0]["evidence"][0] == "same phone number +447700900488"


def test_a_pair_kept_apart_is_never_suggested_again(imported, run):
    result = run("merge", "--not", "Jane Smith", "Jane Smyth", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "never suggested again" in result.output
    assert ("Jane Smith", "Jane Smyth") not in pairs_of(suggested(run, imported))
    record = (imported / ".netvault" / "not-duplicates.json").read_text(encoding="utf-8")
    assert json.loads(record)["pairs"] == [["people/Jane Smith.md", "people/Jane Smyth.md"]]
    # in the vault, not the cache: a clone keeps it
    assert ".netvault/not-duplicates.json" not in (imported / ".gitignore").read_text(encoding="utf-8")


def test_two_linkedin_profiles_sharing_a_name_are_two_people(make_vault):
    root = make_vault(
        {
            "people/Jane Smith.md": "---\nlinkedin: https://www.linkedin.com/in/jane-a\n---\n",
            "people/Jane Smith (Acme).md": "---\nname: Jane Smith\nlinkedin: https://www.linkedin.com/in/jane-b\n---\n",
            "people/Ann Lee.md": "---\nemail: ann@x.example\nlinkedin: https://www.linkedin.com/in/ann-a\n---\n",
            "people/Ann Lee 2.md": "---\nname: Ann Lee\nemail: ANN@x.example\nlinkedin: https://linkedin.com/in/ann-b/\n---\n",
        }
    )
    found = suggest(load_vault(root, date(2026, 11, 22)).contacts)
    # the names alone never outweigh two profiles; a shared address does
    assert [(s.keep.path, s.other.path) for s in found] == [("people/Ann Lee 2.md", "people/Ann Lee.md")] or [
        (s.other.path, s.keep.path) for s in found
    ] == [("people/Ann Lee 2.md", "people/Ann Lee.md")]
    assert found[0].evidence[0] == "same email ann@x.example"


def test_suggestions_never_compare_all_pairs(make_vault):
    """Thousands of people with nothing in common: no pair is looked at."""
    files = {f"people/Person {i}.md": f"---\nname: P{i} Q{i}\norg: Org {i % 7}\n---\n" for i in range(3000)}
    root = make_vault(files)
    contacts = load_vault(root, date(2026, 11, 22)).contacts
    assert suggest(contacts) == []


# --- merge ------------------------------------------------------------------------


def test_merge_joins_the_files_and_rewrites_every_link(imported, run):
    before = files_of(imported)
    bob_before = before["people/Bob Mensah.md"].decode("utf-8")
    robert_before = before["people/Robert Mensah.md"].decode("utf-8")
    result = run("merge", "Bob Mensah", "Robert Mensah", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "Merged Robert Mensah (people/Robert Mensah.md) into Bob Mensah (people/Bob Mensah.md)." in result.output
    assert "moved people/Robert Mensah.md to .trash/Robert Mensah.md" in result.output
    after = files_of(imported)

    # OTHER is in Obsidian's bin, byte for byte
    assert "people/Robert Mensah.md" not in after
    assert after[".trash/Robert Mensah.md"] == before["people/Robert Mensah.md"]

    # every line of both files is in KEEP (or was reported as differing)
    bob = after["people/Bob Mensah.md"].decode("utf-8")
    kept = set(bob.splitlines())
    for line in bob_before.splitlines():
        assert line in kept or line.split(":")[0] in ("aliases", "org", "role", "linkedin"), line
    data = parse(bob).data
    assert data["name"] == "Bob Mensah"
    assert data["aliases"] == ["Robert Mensah"]
    assert (data["org"], data["role"]) == ("Acme Ltd", "Head of Sales")
    assert data["linkedin"] == "https://www.linkedin.com/in/robert-mensah-example"
    assert data["other_emails"] == ["robert.mensah@acme.example"]
    assert "other_phones" not in data  # +44 7700 900488 is Bob's 07700 900488, in GB
    assert data["connected_on"] == "2021-02-12"
    robert = parse(robert_before).data
    for key, value in robert.items():
        if key in ("name", "aliases", "phone") or value in (None, ""):
            continue  # the phone is the same number as Bob's
        shown = value if isinstance(value, str) else ", ".join(value)
        assert shown in bob, key  # copied, joined or written down under the note
    assert "## Merged from Robert Mensah" in bob
    assert bob.count("%% How you met") == 1  # the template's prompt is not copied again
    assert "None" not in bob  # OTHER's empty fields are not differences
    assert "- source: linkedin import (linkedin-connections.csv)" in bob
    assert "differs, kept under \"Merged from Robert Mensah\": source: linkedin import" in result.output

    # links: rewritten where they are links, the label and heading kept
    meeting = after["meetings/2026-10-03 Sales offsite.md"].decode("utf-8")
    assert meeting == (
        MEETING.replace('"[[Robert Mensah]]", "[[Kofi', '"[[Bob Mensah]]", "[[Kofi')
        .replace("[[Robert Mensah|Rob]]", "[[Bob Mensah|Rob]]")
        .replace("[[Robert Mensah#Log]]", "[[Bob Mensah#Log]]")
        .replace("(../people/Robert%20Mensah.md)", "(../people/Bob%20Mensah.md)")
    )
    assert "`[[Robert Mensah]]` in code stays" in meeting  # inline code is text
    assert "```\n[[Robert Mensah]] in a fenced block is text\n```" in meeting
    kofi_before = before["people/Kofi Boateng.md"]
    kofi = after["people/Kofi Boateng.md"]
    assert kofi == kofi_before.replace(b"[[Robert Mensah]]", b"[[Bob Mensah]]")  # CRLF kept, nothing else
    assert b"\r\n" in kofi and b"\n" not in kofi.replace(b"\r\n", b"")

    # nothing else changed
    changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
    assert changed == {
        "people/Bob Mensah.md",
        "people/Robert Mensah.md",
        ".trash/Robert Mensah.md",
        "people/Kofi Boateng.md",
        "meetings/2026-10-03 Sales offsite.md",
        ".netvault/imports.json",
    }


def test_after_a_merge_the_vault_reads_one_person(imported, run):
    assert run("merge", "Bob Mensah", "Robert Mensah", "--vault", imported, "--today", TODAY).exit_code == 0
    vault = load_vault(imported, date(2026, 11, 22))
    assert [c.name for c in vault.contacts if "Mensah" in c.name] == ["Bob Mensah"]
    show = run("show", "Robert Mensah", "--vault", imported, "--today", TODAY)
    assert show.exit_code == 0 and show.output.startswith("Bob Mensah (people/Bob Mensah.md)")
    kofi = next(c for c in vault.contacts if c.name == "Kofi Boateng")
    assert [link.target for link in kofi.introduced_by] == ["Bob Mensah"]
    check = run("check", "--vault", imported, "--today", TODAY)
    assert "Robert Mensah" not in check.output
    assert ("Bob Mensah", "Robert Mensah") not in pairs_of(suggested(run, imported))


def test_a_reimport_of_every_source_creates_nobody(imported, run):
    assert run("merge", "Bob Mensah", "Robert Mensah", "--vault", imported, "--today", TODAY).exit_code == 0
    assert run("merge", "Siobhán O'Rourke", "Siobhan ORourke", "--vault", imported, "--today", TODAY).exit_code == 0
    before = files_of(imported)
    for source, name in SOURCES:
        result = run("import", source, MERGE / name, "--vault", imported, "--today", TODAY)
        assert result.exit_code == 0, result.output
        assert " 0 new," in result.output, result.output
    after = files_of(imported)
    assert sorted(p for p in after if p.startswith("people/")) == sorted(p for p in before if p.startswith("people/"))


def test_logs_merge_in_date_order_without_repeats(make_vault, run):
    root = make_vault(
        {
            "people/Ada.md": "---\ncircle: buddy\n---\nAda's notes.\n\n## Log\n"
            "* 2026-11-01 email: sent the deck\n* 2026-06-01 call: catch-up\n",
            "people/Ada Lovelace.md": "---\ncircle: cold\norg: Engines\n---\nMet at the Society.\n\n## Log\n"
            "- 2026-09-15 in-person: lunch\n- 2026-11-01 email: sent the deck\n"
            "- 2026-01-02 video: first call\n  with a second line\n- someday: tea\n",
        }
    )
    result = run("merge", "Ada", "Ada Lovelace", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "log: 1 entry added" in result.output
    text = (root / "people" / "Ada.md").read_text(encoding="utf-8")
    log = text.split("## Log\n", 1)[1].split("\n## ", 1)[0]
    # KEEP is newest first with `*` bullets: the new entry follows that
    assert log.splitlines()[:3] == [
        "* 2026-11-01 email: sent the deck",
        "* 2026-09-15 in-person: lunch",
        "* 2026-06-01 call: catch-up",
    ]
    note = text.split("## Merged from Ada Lovelace\n", 1)[1]
    assert "- circle: cold" in note
    assert "- 2026-01-02 video: first call\n  with a second line\n- someday: tea\n" in note
    assert note.endswith("\nMet at the Society.\n")
    assert parse(text).data["org"] == "Engines"


def test_dry_run_shows_every_diff_and_writes_nothing(imported, run):
    before = files_of(imported)
    result = run("merge", "Bob Mensah", "Robert Mensah", "--dry-run", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 0, result.output
    for rel in ("people/Bob Mensah.md", "people/Kofi Boateng.md", "meetings/2026-10-03 Sales offsite.md", ".netvault/imports.json"):
        assert f"+++ b/{rel}" in result.stdout
    assert "would move people/Robert Mensah.md to .trash/Robert Mensah.md" in result.stdout
    assert files_of(imported) == before


def test_merge_refusals_change_nothing(imported, run):
    before = files_of(imported)
    same = run("merge", "Bob Mensah", "bob mensah", "--vault", imported, "--today", TODAY)
    assert same.exit_code != 0 and "are the same contact" in same.output
    nobody = run("merge", "Bob Mensah", "Nobody Here", "--vault", imported, "--today", TODAY)
    assert nobody.exit_code != 0 and "'Nobody Here' is not a contact" in nobody.output
    usage = run("merge", "Bob Mensah", "--vault", imported, "--today", TODAY)
    assert usage.exit_code == 2 and "give two names" in usage.output
    assert files_of(imported) == before


def test_a_trash_name_already_taken_gets_a_number(imported, run):
    (imported / ".trash").mkdir()
    (imported / ".trash" / "Robert Mensah.md").write_text("an older file of Obsidian's bin\n", encoding="utf-8")
    result = run("merge", "Bob Mensah", "Robert Mensah", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert (imported / ".trash" / "Robert Mensah.md").read_text(encoding="utf-8") == "an older file of Obsidian's bin\n"
    assert (imported / ".trash" / "Robert Mensah 2.md").is_file()


def test_the_kept_apart_record_follows_a_merge(imported, run):
    assert run("merge", "--not", "Jane Smyth", "Robert Mensah", "--vault", imported, "--today", TODAY).exit_code == 0
    assert run("merge", "Bob Mensah", "Robert Mensah", "--vault", imported, "--today", TODAY).exit_code == 0
    record = json.loads((imported / ".netvault" / "not-duplicates.json").read_text(encoding="utf-8"))
    assert record["pairs"] == [["people/Bob Mensah.md", "people/Jane Smyth.md"]]


# --- killed halfway ---------------------------------------------------------------


def _handshake_env(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
    env["NETVAULT_TEST_HANDSHAKE"] = str(folder)
    env["LANG"] = "en_GB.UTF-8"
    return env


def _wait_for(path: Path, process: subprocess.Popen) -> None:
    """Until ``path`` exists (the process reached the point), or it ended."""
    while not path.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"netvault ended before the handshake: {out!r} {err!r}")
        os.sched_yield()


@pytest.mark.parametrize("point, finished", [("prepared", False), ("journal-renamed-one", True)])
def test_a_killed_merge_leaves_the_old_files_or_the_new_ones(imported, run, tmp_path, point, finished):
    """SIGKILL before any file is renamed: the old files stay.  After the
    first rename: the next netvault command finishes the change."""
    reference = tmp_path / "reference"
    shutil.copytree(imported, reference)
    assert run("merge", "Bob Mensah", "Robert Mensah", "--vault", reference, "--today", TODAY).exit_code == 0
    new_files = files_of(reference)
    old_files = files_of(imported)
    handshake = tmp_path / "handshake"
    handshake.mkdir()
    if point != "prepared":
        (handshake / "prepared.go").touch()  # pass the earlier point at once
    process = subprocess.Popen(
        [NETVAULT, "merge", "Bob Mensah", "Robert Mensah", "--vault", str(imported), "--today", str(TODAY)],
        env=_handshake_env(handshake),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _wait_for(handshake / f"{point}.reached", process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert journal.pending(imported) == finished
    result = run("check", "--vault", imported, "--today", TODAY)
    assert "Traceback" not in result.output
    after = {rel: data for rel, data in files_of(imported).items() if not rel.endswith(".netvault-tmp")}
    if finished:
        assert "netvault finished a change an earlier command left halfway" in result.stderr
        assert after == new_files
    else:
        assert after == old_files
    assert not journal.pending(imported)
    assert not [p for p in imported.rglob("*.netvault-tmp") if finished]


# --- rename ---------------------------------------------------------------------


def test_rename_moves_the_file_and_every_link(imported, run):
    before = files_of(imported)
    result = run("rename", "Robert Mensah", "Robert Mensah-Owusu", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Renamed Robert Mensah to Robert Mensah-Owusu (people/Robert Mensah-Owusu.md).")
    after = files_of(imported)
    assert "people/Robert Mensah.md" not in after
    text = after["people/Robert Mensah-Owusu.md"].decode("utf-8")
    data = parse(text).data
    assert data["name"] == "Robert Mensah-Owusu" and data["aliases"] == ["Robert Mensah"]
    assert text.replace("name: Robert Mensah-Owusu", "name: Robert Mensah").replace(
        "aliases: [Robert Mensah]", "aliases:"
    ).replace("# Robert Mensah-Owusu\n", "# Robert Mensah\n") == before["people/Robert Mensah.md"].decode("utf-8")
    assert "\n# Robert Mensah-Owusu\n" in text  # the title follows the name
    assert after["meetings/2026-10-03 Sales offsite.md"].decode("utf-8").count("[[Robert Mensah-Owusu") == 3
    assert "(../people/Robert%20Mensah-Owusu.md)" in after["meetings/2026-10-03 Sales offsite.md"].decode("utf-8")
    record = json.loads(after[".netvault/imports.json"])
    assert "people/Robert Mensah.md" not in {p["path"] for p in record["people"].values()}
    changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
    assert changed == {
        "people/Robert Mensah.md",
        "people/Robert Mensah-Owusu.md",
        "people/Kofi Boateng.md",
        "meetings/2026-10-03 Sales offsite.md",
        ".netvault/imports.json",
    }
    again = run("import", "linkedin", MERGE / "linkedin-connections.csv", "--vault", imported, "--today", TODAY)
    assert " 0 new," in again.output


def test_rename_refuses_a_name_another_contact_has(imported, run):
    before = files_of(imported)
    result = run("rename", "Robert Mensah", "Bob Mensah", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 1
    assert "'Bob Mensah' is already a name of Bob Mensah (people/Bob Mensah.md)" in result.output
    assert "netvault merge" in result.output
    assert files_of(imported) == before


# --- review on a real terminal ------------------------------------------------------


def _on_a_terminal(args: list[str], keys: bytes, env: dict, when: bytes = b"[q] quit") -> tuple[int, str]:
    """Run netvault with a pseudo-terminal as its stdin and stdout; type
    ``keys`` (all at once, as a fast typist would) once ``when`` (the first
    question) is on the screen; return the exit code and everything shown."""
    import pty
    import select

    master, slave = pty.openpty()
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    typed = False
    import time

    deadline = time.monotonic() + 60  # a guard against a hang, not a measure
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the other end closed: netvault ended
                    break
                if not chunk:
                    break
                shown += chunk
            elif process.poll() is not None:
                break
            if not typed and when in shown:
                os.write(master, keys)
                typed = True
        return process.wait(timeout=60), shown.decode("utf-8").replace("\r\n", "\n")
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()


def test_review_on_a_terminal_merges_skips_keeps_apart_undoes_and_resumes(imported):
    env = _handshake_env(imported.parent)  # LANG=en_GB for the phone numbers
    del env["NETVAULT_TEST_HANDSHAKE"]
    env["NO_COLOR"] = "1"
    args = [NETVAULT, "merge", "--review", "--vault", str(imported), "--today", str(TODAY)]
    code, shown = _on_a_terminal(args, b"xmsnuq", env)
    assert code == 0, shown
    assert "Traceback" not in shown
    assert "'x' is not a key here; m, o, n, s, u or q" in shown
    assert "Merged Robert Mensah (people/Robert Mensah.md) into Bob Mensah (people/Bob\n  Mensah.md)." in shown
    assert "Skipped: it comes last, here and next time." in shown
    assert "never suggested again" in shown
    assert "Every pair left was skipped" in shown
    assert "Undone: the two may be suggested again." in shown
    assert [line for line in shown.splitlines() if len(line) > 80] == [], "fits an 80-column terminal"
    assert "\x1b[" not in shown  # NO_COLOR
    assert not (imported / "people" / "Robert Mensah.md").exists()
    assert (imported / ".trash" / "Robert Mensah.md").is_file()
    record = json.loads((imported / ".netvault" / "not-duplicates.json").read_text(encoding="utf-8"))
    assert record["pairs"] == []
    # The next review starts where this one stopped: Jane first, the skipped pair last.
    code, shown = _on_a_terminal(args, b"sq", env)
    assert code == 0, shown
    first, second = [block for block in shown.split("Possibly one person")[1:3]]
    assert "Jane Smith" in first and "Siobh" in second


def test_review_without_a_terminal_says_what_to_do_instead(imported, run):
    result = run("merge", "--review", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 1
    assert "merge --review needs a terminal" in result.output
    assert "netvault merge --suggest" in result.output and "netvault merge KEEP OTHER" in result.output


# --- the real exports of the corpus -------------------------------------------------


@pytest.mark.corpus
def test_every_suggestion_in_the_corpus_merges_and_loses_nothing(tmp_path, run, monkeypatch):
    """Every LinkedIn, Google and vCard export of the corpus imported into one
    vault; then every suggestion merged, one at a time, as a user clearing
    the list would: no merge fails, every line of OTHER's body and every
    value is in KEEP afterwards, `check` finds no new error, and a re-import
    of every file creates nobody."""
    from .conftest import CORPUS, require_corpus

    require_corpus()
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    root = tmp_path / "vault"
    assert run("init", root).exit_code == 0
    sources = [("linkedin", p) for p in sorted((CORPUS / "linkedin").glob("*.csv"))]
    sources += [("google", p) for p in sorted((CORPUS / "google-csv").glob("*.csv"))]
    sources += [("vcard", p) for p in sorted((CORPUS / "vcard").glob("*/*.vcf"))]
    for source, path in sources:
        assert "Traceback" not in run("import", source, path, "--vault", root, "--today", TODAY).output
    errors_before = run("check", "--vault", root, "--today", TODAY).output.count(": error:")
    merged = 0
    while True:
        found = suggested(run, root)["suggestions"]
        if not found:
            break
        keep, other = found[0]["keep"]["path"], found[0]["other"]["path"]
        keep_before = (root / keep).read_text(encoding="utf-8")
        other_text = (root / other).read_text(encoding="utf-8")
        result = run("merge", keep, other, "--vault", root, "--today", TODAY)
        assert result.exit_code == 0, result.output
        merged += 1
        after = (root / keep).read_text(encoding="utf-8")
        assert not (root / other).exists()
        other_data = parse(other_text).data
        for line in parse(other_text).body.splitlines():
            if line.strip() and not line.startswith("# ") and "%%" not in line:
                assert line.strip() in after, (other, line)
        for key, value in other_data.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.strip() and key not in ("name", "phone", "other_phones"):
                    assert item in after or item.casefold() in after.casefold(), (other, key, item)
        assert set(keep_before.split("---", 2)[2].splitlines()) <= set(after.splitlines())
    assert merged >= 5
    assert run("check", "--vault", root, "--today", TODAY).output.count(": error:") <= errors_before
    people = sorted(p.name for p in (root / "people").glob("*.md"))
    for source, path in sources:
        result = run("import", source, path, "--vault", root, "--today", TODAY)
        assert " 0 new," in result.output or "imported" not in result.output, (path, result.output)
    assert sorted(p.name for p in (root / "people").glob("*.md")) == people


def test_links_between_the_two_are_dropped_and_a_value_keeps_its_form(make_vault, run):
    root = make_vault(
        {
            "people/Al.md": '---\ncircle: buddy\nknows: ["[[Bo]]", "[[Cy]]"]\n---\n',
            "people/Bo.md": '---\ncircle: cold\nknows: ["[[Al]]"]\nintroduced_by: Cy   # at the offsite\n---\n',
            "people/Cy.md": "---\ncircle: cold\n---\n",
        }
    )
    result = run("merge", "Al", "Bo", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    text = (root / "people" / "Al.md").read_text(encoding="utf-8")
    assert text.startswith(
        '---\ncircle: buddy\nknows: ["[[Cy]]"]\naliases: [Bo]\nintroduced_by: Cy   # at the offsite\n---\n'
    )


def test_merge_and_rename_take_exact_names_only(imported, run):
    """A prefix or a name without its accents finds a contact for `show`,
    never for a change that moves files."""
    before = files_of(imported)
    prefix = run("merge", "Bob Mensah", "Robert", "--vault", imported, "--today", TODAY)
    assert prefix.exit_code == 1
    assert "'Robert' is not exactly the name of a contact; did you mean Robert Mensah" in prefix.output
    accents = run("rename", "Siobhan O'Rourke", "Siobhán Kelly", "--vault", imported, "--today", TODAY)
    assert accents.exit_code == 1 and "did you mean Siobh" in accents.output
    assert files_of(imported) == before
    by_path = run("merge", "people/Bob Mensah.md", "[[Robert Mensah]]", "--dry-run", "--vault", imported, "--today", TODAY)
    assert by_path.exit_code == 0, by_path.output


def test_merging_a_pair_kept_apart_says_so(imported, run):
    assert run("merge", "--not", "Jane Smith", "Jane Smyth", "--vault", imported, "--today", TODAY).exit_code == 0
    result = run("merge", "Jane Smith", "Jane Smyth", "--vault", imported, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "note: you said Jane Smith and Jane Smyth are two people" in result.stderr
    record = json.loads((imported / ".netvault" / "not-duplicates.json").read_text(encoding="utf-8"))
    assert record["pairs"] == []  # one person now: nothing left to keep apart


def test_what_a_new_user_ran_into(make_vault, run):
    """The closer circle wins; one address in two cases is one; a sub-item
    stays with its entry; a name others share is no alias after a rename;
    a suggestion names files by path where names repeat."""
    root = make_vault(
        {
            "people/Elizabeth Taylor.md": "---\ncircle: cold\nemail: liz@mail.example\n---\n",
            "people/Liz Taylor.md": "---\ncircle: lukewarm\nemail: LIZ@mail.example\n"
            "other_emails: [Liz@Mail.Example, liz@work.example]\n---\n## Log\n"
            "- 2026-10-01 email: the book\n  - she mentioned moving to Bristol\n",
            "people/James Brown.md": "---\ncircle: cold\n---\n",
            "people/James Brown 2.md": "---\nname: James Brown\ncircle: cold\n---\n# James Brown\n",
        }
    )
    result = run("merge", "Elizabeth Taylor", "Liz Taylor", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    data = parse((root / "people" / "Elizabeth Taylor.md").read_text(encoding="utf-8")).data
    assert data["circle"] == "lukewarm" and "the closer, lukewarm, is kept" in result.output
    assert data["other_emails"] == ["liz@work.example"]
    text = (root / "people" / "Elizabeth Taylor.md").read_text(encoding="utf-8")
    assert "- 2026-10-01 email: the book\n  - she mentioned moving to Bristol\n" in text
    suggestion = run("merge", "--suggest", "--vault", root, "--today", TODAY)
    command = next(line for line in suggestion.output.splitlines() if "netvault merge " in line)
    assert "'people/James Brown.md'" in command  # "James Brown" alone would name two people
    import shlex

    tried = run(*shlex.split(command.strip())[1:], "--dry-run", "--vault", root, "--today", TODAY)
    assert tried.exit_code == 0, tried.output
    renamed = run("rename", "people/James Brown 2.md", "James Brown (neighbour)", "--vault", root, "--today", TODAY)
    assert renamed.exit_code == 0, renamed.output
    neighbour = (root / "people" / "James Brown (neighbour).md").read_text(encoding="utf-8")
    assert parse(neighbour).data.get("aliases") == ["James Brown 2"]  # not "James Brown": that is the other one
    assert "\n# James Brown (neighbour)\n" in neighbour


def test_a_contact_gone_since_the_vault_was_read_is_a_clear_refusal(make_vault):
    from netvault.edit.errors import ConflictError
    from netvault.edit.people import merge_contacts

    root = make_vault({"people/Ann.md": "---\ncircle: buddy\n---\n", "people/Anne.md": "---\ncircle: cold\n---\n"})
    vault = load_vault(root, date(2026, 11, 22))
    ann, anne = sorted(vault.contacts, key=lambda c: c.path)
    (root / "people" / "Anne.md").unlink()  # another netvault command merged it a moment ago
    with pytest.raises(ConflictError, match="people/Anne.md is no longer there"):
        merge_contacts(vault, ann, anne, date(2026, 11, 22))


def test_suggest_says_to_set_the_region_when_national_numbers_cannot_be_read(make_vault, run, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    root = make_vault({"people/Bo.md": "---\nphone: 07700 900555\n---\n", "people/Al.md": "---\nphone: +44 7700 900555\n---\n"})
    result = run("merge", "--suggest", "--vault", root, "--today", TODAY)
    assert 'note: 1 phone number without a country code could not be compared' in result.stderr
    (root / "netvault.toml").write_text('[me]\nregion = "GB"\n', encoding="utf-8")
    result = run("merge", "--suggest", "--vault", root, "--today", TODAY)
    assert "same phone number +447700900555" in result.output and "note:" not in result.stderr

"""netvault triage: the people nobody decided about, ranked with reasons,
decided one key at a time on a real terminal."""

from __future__ import annotations

import json
import os

from netvault.read.frontmatter import parse

from .conftest import TODAY
from .test_merge import NETVAULT, _on_a_terminal

CONFIG = (
    '[me]\nemails = ["sam@example.com"]\nemployers = ["Corvid Logistics"]\nschools = ["Thames Business School"]\n\n'
    '[goals.northlight]\norg = "Northlight Energy"\n'
)
CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Stone,https://www.linkedin.com/in/ada-stone,,Northlight Energy,Engineer,01 Mar 2019\n"
    "Ben,Cole,https://www.linkedin.com/in/ben-cole,,Corvid Logistics,Analyst,01 Mar 2018\n"
    "Cara,Diaz,https://www.linkedin.com/in/cara-diaz,,Ardent Search,Talent Partner,01 Mar 2017\n"
    "Dan,Eve,https://www.linkedin.com/in/dan-eve,,Elsewhere,Associate,15 Oct 2026\n"
    "Eli,Fox,https://www.linkedin.com/in/eli-fox,,Elsewhere,Associate,01 Jan 2015\n"
)
HAND = {
    "people/Gail Hart.md": "---\ncircle: buddy\nknows: [\"[[Eli Fox]]\"]\n---\n",  # decided, and knows Eli
    "people/Hugo Ives.md": "---\ncircle: lukewarm\n---\n",  # decided by hand: not a candidate
}


def imported(make_vault, run, tmp_path):
    root = make_vault(HAND, CONFIG)
    (tmp_path / "Connections.csv").write_text(CONNECTIONS, encoding="utf-8")
    assert run("import", "linkedin", tmp_path / "Connections.csv", "--vault", root, "--today", TODAY).exit_code == 0
    return root


def test_the_list_ranks_with_reasons(make_vault, run, tmp_path):
    root = imported(make_vault, run, tmp_path)
    result = run("triage", "--list", "--format", "json", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [(c["name"], c["reasons"]) for c in document["candidates"]] == [
        ("Ada Stone", ["works at Northlight Energy, named in your goal northlight"]),
        ("Ben Cole", ["works at Corvid Logistics, one of your employers: a former colleague, boss or report?"]),
        ("Cara Diaz", ["a recruiter or head-hunter (Talent Partner)"]),
        ("Eli Fox", ["known by Gail Hart (your inner circles)"]),
        ("Dan Eve", ["connected 2026-10-15"]),
    ]
    text = run("triage", "--list", "--limit", "2", "--vault", root, "--today", TODAY)
    assert text.output.startswith("2 of 5 people to decide about, best first:\n  Ada Stone (Engineer, Northlight Energy)\n")


def test_triage_on_a_terminal_decides_undoes_skips_and_resumes(make_vault, run, tmp_path):
    root = imported(make_vault, run, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
    env["NO_COLOR"] = "1"
    args = [NETVAULT, "triage", "--vault", str(root), "--today", str(TODAY)]
    # Ada: lukewarm; Ben: skip; Cara: top ten, undone, then rhythm 2 (quarterly); Eli: origin 3, then never.
    code, shown = _on_a_terminal(args, b"lktur2o3xq", env)
    assert code == 0, shown
    assert "Traceback" not in shown
    assert [line for line in shown.splitlines() if len(line) > 80] == []
    data = {name: parse((root / "people" / f"{name}.md").read_text(encoding="utf-8")).data for name in ("Ada Stone", "Ben Cole", "Cara Diaz", "Eli Fox", "Dan Eve")}
    assert (data["Ada Stone"]["circle"], data["Ada Stone"]["triaged"]) == ("lukewarm", "2026-11-22")
    assert "triaged" not in data["Ben Cole"]
    assert data["Cara Diaz"].get("priority") in (None, "") and data["Cara Diaz"]["cadence"] == "quarterly"
    assert (data["Eli Fox"]["origin"], data["Eli Fox"]["cadence"]) == ("former-colleague", "never")
    assert "triaged" not in data["Dan Eve"]
    # The next triage resumes: Dan first (never shown), Ben (skipped) last.
    result = run("triage", "--list", "--format", "json", "--vault", root, "--today", TODAY)
    assert [c["name"] for c in json.loads(result.stdout)["candidates"]] == ["Ben Cole", "Dan Eve"]
    code, shown = _on_a_terminal(args, b"q", env)
    assert shown.split("to decide)")[0].strip().endswith("Dan Eve  (2")


def test_triage_without_a_terminal_says_what_to_do_instead(make_vault, run, tmp_path):
    root = imported(make_vault, run, tmp_path)
    result = run("triage", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1
    assert "triage needs a terminal" in result.output and "netvault triage --list" in result.output


def test_people_never_contacted_enter_the_agenda_a_few_at_a_time(make_vault, run, tmp_path):
    """A 40-row import into lukewarm: not 40 people due today."""
    root = make_vault({"people/Top.md": "---\ncircle: lukewarm\npriority: 1\n---\n"}, "")
    rows = "".join(f"Person,Number{n:02d},https://www.linkedin.com/in/p{n},,Org{n},Analyst,01 Mar 2020\n" for n in range(40))
    (tmp_path / "c.csv").write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + rows, encoding="utf-8")
    assert run("import", "linkedin", tmp_path / "c.csv", "--circle", "lukewarm", "--vault", root, "--today", TODAY).exit_code == 0
    document = json.loads(run("agenda", "--format", "json", "--vault", root, "--today", TODAY).stdout)
    firsts = [i for i in document["items"] if i["kind"] == "touch-base" and i["last_contact"] is None]
    assert len(firsts) == 5 and document["paced"] == 36
    assert firsts[0]["name"] == "Top"  # the top ten first
    text = run("agenda", "--vault", root, "--today", TODAY).output
    assert "36 more people are waiting for a first touch; `netvault triage` or `netvault agenda --all`" in text
    (root / "netvault.toml").write_text("[agenda]\nnew_per_week = 2\n", encoding="utf-8")
    assert json.loads(run("agenda", "--format", "json", "--vault", root, "--today", TODAY).stdout)["paced"] == 39
    every = json.loads(run("agenda", "--all", "--format", "json", "--vault", root, "--today", TODAY).stdout)
    assert every["paced"] == 0 and len(every["items"]) == 41


def test_a_short_name_several_people_answer_to_is_a_choice_on_a_terminal(make_vault, run):
    root = make_vault(
        {
            "people/Jane Smith.md": "---\ncircle: cold\nsource: linkedin import\n---\n",
            "people/Jane Doe.md": "---\ncircle: buddy\nlast_contact: 2026-11-01\n---\n",
        },
        "",
    )
    env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
    args = [NETVAULT, "show", "jane", "--vault", str(root), "--today", str(TODAY)]
    code, shown = _on_a_terminal(args, b"2\n", env, when=b"Which one?")
    assert code == 0, shown
    assert "'jane' matches 2 contacts:\n  1 Jane Doe (people/Jane Doe.md), buddy, last contact 2026-11-01\n" in shown
    assert "Jane Smith (people/Jane Smith.md)\nCircle: cold" in shown
    # without a terminal (a script): the clear error, as before
    result = run("show", "jane", "--vault", root, "--today", TODAY)
    assert result.exit_code == 1 and "matches more than one contact" in result.output



def test_move_and_snooze_change_many_people_at_once(make_vault, run, tmp_path):
    root = imported(make_vault, run, tmp_path)
    before = {p.name: p.read_bytes() for p in (root / "people").glob("*.md")}
    # without a terminal and without --yes: who would change, and nothing changed
    asked = run("move", "--imported-from", "linkedin", "--org", "elsewhere", "--circle", "lukewarm", "--vault", root, "--today", TODAY)
    assert asked.exit_code == 1
    assert asked.output.startswith("Move to lukewarm: 2 people:\n  Dan Eve (people/Dan Eve.md)\n  Eli Fox (people/Eli Fox.md)\n")
    assert "add --yes" in asked.output
    assert {p.name: p.read_bytes() for p in (root / "people").glob("*.md")} == before
    done = run("move", "--imported-from", "linkedin", "--org", "elsewhere", "--circle", "lukewarm", "--yes", "--vault", root, "--today", TODAY)
    assert done.exit_code == 0, done.output
    assert "Moved Dan Eve from cold to lukewarm (people/Dan Eve.md)" in done.output
    for name in ("Dan Eve", "Eli Fox"):
        text = (root / "people" / f"{name}.md").read_text(encoding="utf-8")
        assert parse(text).data["circle"] == "lukewarm" and "moved cold → lukewarm" in text
    assert parse((root / "people" / "Ada Stone.md").read_text(encoding="utf-8")).data["circle"] == "cold"
    snoozed = run("snooze", "--in-circle", "lukewarm", "--connected-after", "2026-01-01", "--for", "3m", "--yes",
                  "--vault", root, "--today", TODAY)
    assert snoozed.exit_code == 0, snoozed.output
    assert "Snoozed Dan Eve until 2027-02-22" in snoozed.output and "Eli Fox" not in snoozed.output
    both = run("move", "Ada Stone", "--org", "x", "--circle", "buddy", "--vault", root, "--today", TODAY)
    assert both.exit_code == 2 and "a NAME or filters" in both.output
    nobody = run("move", "--org", "no such org", "--circle", "buddy", "--yes", "--vault", root, "--today", TODAY)
    assert nobody.exit_code == 1 and "nobody matches" in nobody.output


def test_a_connection_date_is_no_conversation(make_vault, run, tmp_path):
    """--connected-as-last-contact: a decade-old connection is not '4000 days late'."""
    root = make_vault({}, "")
    (tmp_path / "c.csv").write_text(CONNECTIONS, encoding="utf-8")
    result = run("import", "linkedin", tmp_path / "c.csv", "--circle", "lukewarm", "--connected-as-last-contact",
                 "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "last_contact: 2015-01-01" in (root / "people" / "Eli Fox.md").read_text(encoding="utf-8")
    text = run("agenda", "--all", "--vault", root, "--today", TODAY).output
    assert "days late" not in text and text.count("never contacted") == 5


def test_set_and_unset_change_many_people_at_once(make_vault, run, tmp_path):
    root = imported(make_vault, run, tmp_path)
    result = run("set", "origin", "former-colleague", "--org", "corvid", "--yes", "--vault", root, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Set origin to former-colleague: 1 person:\n  Ben Cole (people/Ben Cole.md)\n")
    assert parse((root / "people" / "Ben Cole.md").read_text(encoding="utf-8")).data["origin"] == "former-colleague"
    tagged = run("set", "tags", "linkedin-2026", "--imported-from", "linkedin", "--yes", "--vault", root, "--today", TODAY)
    assert tagged.exit_code == 0 and tagged.output.count("Set tags: [linkedin-2026]") == 5
    removed = run("unset", "tags", "--imported-from", "linkedin", "--org", "elsewhere", "--yes", "--vault", root, "--today", TODAY)
    assert removed.exit_code == 0, removed.output
    assert "tags" not in parse((root / "people" / "Dan Eve.md").read_text(encoding="utf-8")).data
    assert parse((root / "people" / "Ada Stone.md").read_text(encoding="utf-8")).data["tags"] == ["linkedin-2026"]
    one = run("set", "Ada Stone", "role", "Staff Engineer", "--vault", root, "--today", TODAY)  # the one-person form stays
    assert one.exit_code == 0 and "Set role: Staff Engineer for Ada Stone" in one.output
    names = run("set", "aliases", "X", "--org", "corvid", "--yes", "--vault", root, "--today", TODAY)
    assert names.exit_code == 1 and "set it with a NAME" in names.output


def test_the_text_agenda_stays_one_screen_unless_asked(make_vault, run):
    files = {f"people/P{n:02d}.md": f"---\ncircle: buddy\nlast_contact: 2026-0{1 + n % 8}-01\n---\n" for n in range(40)}
    root = make_vault(files, "")
    text = run("agenda", "--vault", root, "--today", TODAY).output
    assert "… and 15 more (`--limit N` or `--all` to see them)" in text
    assert "more (" not in run("agenda", "--all", "--vault", root, "--today", TODAY).output
    assert len(json.loads(run("agenda", "--format", "json", "--vault", root, "--today", TODAY).stdout)["items"]) == 40


def test_people_at_your_school_may_be_classmates(make_vault, run):
    root = make_vault(
        {
            "people/Fay Gold.md": "---\ncircle: cold\nsource: linkedin import\norg: Thames Business School\n---\n",
            "people/Gil Hay.md": "---\ntags: [thames business school]\n---\n",
            "people/Ian Jay.md": "---\norg: Elsewhere\n---\n",
        },
        CONFIG,
    )
    document = json.loads(run("triage", "--list", "--format", "json", "--vault", root, "--today", TODAY).stdout)
    assert [(c["name"], c["reasons"]) for c in document["candidates"]] == [
        ("Fay Gold", ["Thames Business School, where you studied: a classmate?"]),
        ("Gil Hay", ["thames business school, where you studied: a classmate?"]),
        ("Ian Jay", []),
    ]


def test_employers_with_years_and_peers_in_your_role(make_vault, run):
    root = make_vault(
        {
            "people/Kim Lee.md": "---\norg: Acme Corp\nrole: Analyst\n---\n",
            "people/Lou May.md": "---\norg: Other\nrole: head of product\n---\n",
        },
        '[me]\nemployers = ["Acme Corp (2019-2023)"]\nrole = "Head of Product"\n',
    )
    document = json.loads(run("triage", "--list", "--format", "json", "--vault", root, "--today", TODAY).stdout)
    reasons = {c["name"]: c["reasons"] for c in document["candidates"]}
    assert reasons["Kim Lee"][0].startswith("works at Acme Corp, one of your employers")
    assert "a peer: head of product, as you are" in reasons["Lou May"]
    bad = make_vault({}, '[me]\nrole = ["x"]\n')
    assert "[me] role must be your role on one line" in run("check", "--vault", bad, "--today", TODAY).output


def test_a_killed_triage_keeps_every_decision_written_before(make_vault, run, tmp_path):
    """Each decision is on disk when its line is shown: kill -9 right after
    loses nothing decided, and changes nothing else."""
    import pty
    import select
    import signal
    import subprocess
    import time

    root = imported(make_vault, run, tmp_path)
    before = {p.name: p.read_bytes() for p in (root / "people").glob("*.md")}
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NETVAULT_VAULT"}
    env["NO_COLOR"] = "1"
    process = subprocess.Popen([NETVAULT, "triage", "--vault", str(root), "--today", str(TODAY)],
                               stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    shown, typed = b"", False
    deadline = time.monotonic() + 60  # a guard against a hang, not a measure
    try:
        while time.monotonic() < deadline and b"Ada Stone: lukewarm" not in shown:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                shown += os.read(master, 4096)
            if not typed and b"[q] quit" in shown:
                os.write(master, b"l")
                typed = True
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        os.close(master)
    assert b"Ada Stone: lukewarm" in shown
    after = {p.name: p.read_bytes() for p in (root / "people").glob("*.md")}
    assert parse(after["Ada Stone.md"].decode("utf-8")).data["circle"] == "lukewarm"
    assert {k: v for k, v in after.items() if k != "Ada Stone.md"} == {k: v for k, v in before.items() if k != "Ada Stone.md"}


def test_a_500_row_import_gives_an_agenda_one_can_act_on(make_vault, run, tmp_path):
    """The issue's own scenario: 500 connections imported into lukewarm."""
    root = make_vault({}, CONFIG)
    rows = []
    for n in range(500):
        org = "Northlight Energy" if n == 250 else "Corvid Logistics" if n == 251 else f"Company {n}"
        rows.append(f"Person,Number{n:03d},https://www.linkedin.com/in/p{n},,{org},Analyst,01 Mar 2016\n")
    (tmp_path / "c.csv").write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "".join(rows), encoding="utf-8")
    assert run("import", "linkedin", tmp_path / "c.csv", "--circle", "lukewarm", "--vault", root, "--today", TODAY).exit_code == 0
    text = run("agenda", "--vault", root, "--today", TODAY).output
    assert len(text.splitlines()) < 40  # one screen, not 1,510 lines
    assert "495 more people are waiting for a first touch; `netvault triage` or `netvault agenda --all`" in text
    document = json.loads(run("agenda", "--format", "json", "--vault", root, "--today", TODAY).stdout)
    assert len(document["items"]) == 5 and document["paced"] == 495
    ranked = json.loads(run("triage", "--list", "--format", "json", "--limit", "2", "--vault", root, "--today", TODAY).stdout)
    assert [(c["name"], c["reasons"][0]) for c in ranked["candidates"]] == [
        ("Person Number250", "works at Northlight Energy, named in your goal northlight"),
        ("Person Number251", "works at Corvid Logistics, one of your employers: a former colleague, boss or report?"),
    ]
    assert ranked["total"] == 500

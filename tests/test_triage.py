"""netvault triage: the people nobody decided about, ranked with reasons,
decided one key at a time on a real terminal."""

from __future__ import annotations

import json
import os

from netvault.read.frontmatter import parse

from .conftest import TODAY
from .test_merge import NETVAULT, _on_a_terminal

CONFIG = (
    '[me]\nemails = ["sam@example.com"]\nemployers = ["Corvid Logistics"]\n\n'
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


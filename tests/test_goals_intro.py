"""Goals and introduction paths on small vaults."""

from __future__ import annotations

import json

from netvault.playbook.goals import goal_names, goal_view
from netvault.playbook.introductions import (
    CONTACT,
    INTRODUCED,
    MET,
    ORG,
    SAME_ORG,
    YOU,
    find_target,
    introductions,
)
from netvault.read.goalsettings import parse_goal_ref
from netvault.read.loader import load_vault
from netvault.read.settings import load_config

from .conftest import TODAY


def person(name: str, fields: str = "", log: str = "") -> str:
    text = f"---\nname: {name}\n{fields}---\n"
    if log:
        text += "\n## Log\n" + log
    return text


GOALS = """
[goals.move-to-product]
org = "Acme"
role = "Director of Product"
note = "Product at Acme."
"""


# --- [goals] in netvault.toml ------------------------------------------------


def test_goals_table_is_read_and_checked_with_lines(tmp_path):
    (tmp_path / "netvault.toml").write_text(
        '[agenda]\ndays = 7\n\n'
        '[goals.move-to-product]\norg = "Acme"\nrole = 3\ncolour = "red"\n\n'
        '[goals."Move Up"]\nnote = "x"\n\n'
        '[goals.plain]\n',
        encoding="utf-8",
    )
    config, problems = load_config(tmp_path)
    assert sorted(config.goals) == ["move-to-product", "plain"]
    assert config.goals["move-to-product"].org == "Acme"
    assert config.goals["move-to-product"].role is None
    assert config.days == 7
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (6, "error", "[goals.move-to-product] role must be a non-empty one-line text"),
        (7, "error", "unknown key 'colour' in [goals.move-to-product]; known keys: note, org, role"),
        (
            9,
            "error",
            (
                "[goals] 'Move Up': a goal's name is written with lower-case letters, digits and "
                "hyphens, e.g. [goals.move-to-product]"
            ),
        ),
    ]


def test_no_goals_section_means_goals_are_free_tags(tmp_path):
    config, problems = load_config(tmp_path)
    assert config.goals is None and problems == []


def test_goal_references():
    assert parse_goal_ref("move-to-product") == ("move-to-product", None)
    assert parse_goal_ref(" Move-To-Product/Works-There ") == ("move-to-product", "works-there")
    assert parse_goal_ref("career/2026") == ("career/2026", None)


def test_undefined_goal_is_a_warning_only_when_goals_are_defined(make_vault, run):
    files = {
        "people/Ann.md": person("Ann", "circle: buddy\ngoals: [move-to-product, side-project]\n"),
        "people/Bob.md": person("Bob", "circle: buddy\ngoals: [move-to-product/friend]\n"),
    }
    root = make_vault(files, GOALS)
    result = run("check", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        (
            "people/Ann.md:4: warning: goals: 'side-project' is not a goal in netvault.toml "
            "(defined: move-to-product); add [goals.side-project] there or fix the name"
        ),
        (
            "people/Bob.md:4: warning: goals: 'move-to-product/friend': the part after '/' must "
            "be one of works-there, creates-jobs, made-the-move"
        ),
    ]
    root = make_vault(files, "")
    result = run("check", "--strict", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0 and result.stdout == ""


# --- goal ---------------------------------------------------------------------

GOAL_VAULT = {
    "people/Ann Lee.md": person(
        "Ann Lee", "circle: buddy\norg: ACME\ngoals: [move-to-product]\n", "- 2026-11-01 coffee\n"
    ),
    "people/Bo Chan.md": person("Bo Chan", "circle: cold\norg: Acme\n"),
    "people/Cy Diaz.md": person(
        "Cy Diaz",
        "circle: strategic\norg: Acme\ngoals: [move-to-product/creates-jobs]\n",
        "- 2026-06-01 lunch\n",
    ),
    "people/Di Ek.md": person(
        "Di Ek", "circle: lukewarm\norg: Other\ngoals: [move-to-product]\n", "- 2026-11-10 call\n"
    ),
    "people/Ed Fox.md": person("Ed Fox", "circle: buddy\norg: Other\n"),
}


def test_goal_parts_inferred_from_org_and_an_empty_part(make_vault):
    vault = load_vault(make_vault(GOAL_VAULT, GOALS), TODAY)
    view = goal_view(vault, "move-to-product", TODAY)
    works = [(m.contact.name, m.part_from, m.listed) for m in view.parts["works-there"]]
    # Warmest first; Bo is at Acme without listing the goal, Ann lists it plainly.
    assert works == [("Ann Lee", "org", True), ("Bo Chan", "org", False)]
    assert [m.contact.name for m in view.parts["creates-jobs"]] == ["Cy Diaz"]
    assert view.parts["made-the-move"] == ()
    assert view.empty_parts == ("made-the-move",)
    assert [m.contact.name for m in view.unsorted] == ["Di Ek"]
    # Never in touch first, then the longest silence (Cy: 174 days).
    assert [(m.contact.name, m.days_since) for m in view.stale] == [("Bo Chan", None), ("Cy Diaz", 174)]
    assert view.people == 4


def test_goal_text(make_vault, run):
    root = make_vault(GOAL_VAULT, GOALS)
    result = run("goal", "Move-To-Product", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.stdout == (
        "Goal move-to-product: Director of Product at Acme\n"
        "  Product at Acme.\n"
        "\n"
        "Works there (2)\n"
        "  Ann Lee (from org): buddy, last contact 2026-11-01, next due 2027-01-01 - ACME\n"
        "  Bo Chan (from org): cold, never in touch - Acme\n"
        "\n"
        "Creates the jobs (1)\n"
        "  Cy Diaz: strategic, last contact 2026-06-01, overdue since 2026-09-01 - Acme\n"
        "\n"
        "Made the move: nobody who made the move yet\n"
        "\n"
        "Part not set (1): write goals: [move-to-product/PART]\n"
        "  Di Ek: lukewarm, last contact 2026-11-10, next due 2027-05-10 - Other\n"
        "\n"
        "Not talked to in a while (2)\n"
        "  Bo Chan (cold): never in touch\n"
        "  Cy Diaz (strategic): 174 days since 2026-06-01, overdue since 2026-09-01\n"
        "\n"
        "Nobody yet: nobody who made the move.\n"
    )


def test_goal_json_keys(make_vault, run):
    root = make_vault(GOAL_VAULT, GOALS)
    result = run("goal", "move-to-product", "--vault", root, "--today", "2026-11-22", "--format", "json")
    data = json.loads(result.stdout)
    assert sorted(data) == ["empty_parts", "goal", "part_not_set", "parts", "stale", "today"]
    assert data["goal"] == {
        "name": "move-to-product",
        "defined": True,
        "org": "Acme",
        "role": "Director of Product",
        "note": "Product at Acme.",
    }
    assert sorted(data["parts"]) == ["creates-jobs", "made-the-move", "works-there"]
    assert data["empty_parts"] == ["made-the-move"]
    assert data["parts"]["creates-jobs"] == [
        {
            "name": "Cy Diaz",
            "path": "people/Cy Diaz.md",
            "circle": "strategic",
            "org": "Acme",
            "role": None,
            "part": "creates-jobs",
            "part_from": "goals",
            "listed": True,
            "last_contact": "2026-06-01",
            "days_since": 174,
            "next_due": "2026-09-01",
            "status": "overdue",
            "stale": True,
        }
    ]
    listing = run("goal", "--vault", root, "--today", "2026-11-22", "--format", "json")
    goals = json.loads(listing.stdout)["goals"]
    assert [g["name"] for g in goals] == ["move-to-product"]
    assert sorted(goals[0]) == [
        "counts", "defined", "empty_parts", "name", "note", "org", "part_not_set", "people", "role", "stale",
    ]
    assert goals[0]["counts"] == {"works-there": 2, "creates-jobs": 1, "made-the-move": 0}


def test_goal_list_includes_free_tag_goals_and_unknown_goal_is_an_error(make_vault, run):
    files = {"people/Ann.md": person("Ann", "circle: buddy\ngoals: [climate, climate/made-the-move]\n")}
    root = make_vault(files, "")
    vault = load_vault(root, TODAY)
    assert goal_names(vault) == ["climate"]
    result = run("goal", "--vault", root, "--today", "2026-11-22")
    assert result.stdout.startswith("climate (not defined in netvault.toml)\n  1 person: ")
    result = run("goal", "nope", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "'nope' is not a goal in this vault; goals: climate" in result.stderr


# --- intro --------------------------------------------------------------------


def test_cycles_in_knows_end(make_vault):
    files = {
        "people/A.md": person("A", "circle: buddy\nknows: ['[[B]]']\n"),
        "people/B.md": person("B", "circle: cold\nknows: ['[[C]]']\n"),
        "people/C.md": person("C", "circle: cold\nknows: ['[[A]]', '[[T]]']\n"),
        "people/T.md": person("T", "circle: cold\nknows: ['[[C]]']\n"),
    }
    vault = load_vault(make_vault(files), TODAY)
    result = introductions(vault, find_target(vault, "T"), TODAY)
    chains = [[h.contact.name for h in p.hops] for p in result.paths]
    # A knows B knows C knows A: each person once, fewest hops first, then
    # the buddy before the cold contact.
    assert chains == [["C", "T"], ["A", "C", "T"], ["B", "C", "T"]]


def test_paths_rank_hops_then_warmth_then_recency_then_name(make_vault):
    files = {
        "people/Target.md": person("Target", "circle: cold\n"),
        "people/Zed Buddy.md": person("Zed Buddy", "circle: buddy\nknows: ['[[Target]]']\n"),
        "people/Amy Buddy.md": person("Amy Buddy", "circle: buddy\nknows: ['[[Target]]']\n"),
        "people/Old Buddy.md": person(
            "Old Buddy", "circle: buddy\nlast_contact: 2026-01-01\nknows: ['[[Target]]']\n"
        ),
        "people/New Buddy.md": person(
            "New Buddy", "circle: buddy\nlast_contact: 2026-11-01\nknows: ['[[Target]]']\n"
        ),
        "people/Lu Warm.md": person("Lu Warm", "circle: lukewarm\nknows: ['[[Target]]']\n"),
        "people/Far.md": person("Far", "circle: buddy\nknows: ['[[Lu Warm]]']\n"),
    }
    vault = load_vault(make_vault(files), TODAY)
    result = introductions(vault, find_target(vault, "target"), TODAY)
    firsts = [p.hops[0].contact.name for p in result.paths]
    # Two hops before three; buddies before lukewarm; recent before old before
    # never; equal ones by name.
    assert firsts == ["New Buddy", "Old Buddy", "Amy Buddy", "Zed Buddy", "Lu Warm"]
    more = introductions(vault, find_target(vault, "target"), TODAY, limit=10)
    # Far > Lu Warm > Target goes through someone you know yourself: Lu Warm's
    # own path is shorter, so it is not offered.
    assert [len(p.hops) for p in more.paths] == [2, 2, 2, 2, 2]
    short = introductions(vault, find_target(vault, "target"), TODAY, max_hops=2, limit=10)
    assert len(short.paths) == 5


def test_unreachable_target_is_no_path_and_exit_0(make_vault, run):
    files = {
        "people/A.md": person("A", "circle: buddy\norg: X\n"),
        "people/Lone.md": person("Lone", "circle: cold\norg: Y\n"),
    }
    root = make_vault(files)
    result = run("intro", "Lone", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.stdout == (
        "Introductions to Lone (cold; Y)\n"
        "no path within 3 hops: nobody in the vault is linked to Lone by knows, "
        "introduced_by, a meeting note or the same org\n"
    )
    data = json.loads(run("intro", "Lone", "--vault", root, "--format", "json", "--today", TODAY).stdout)
    assert data["paths"] == [] and data["introduction_needed"] is True


def test_someone_you_know_needs_no_introduction(make_vault, run):
    files = {"people/Ann.md": person("Ann", "circle: lukewarm\nlast_contact: 2026-10-01\n")}
    root = make_vault(files)
    result = run("intro", "ann", "--vault", root, "--today", "2026-11-22")
    assert result.stdout == (
        "You know Ann (lukewarm, last contact 2026-10-01) directly: no introduction needed.\n"
    )


def test_org_target_meeting_note_and_introduced_links(make_vault, run):
    files = {
        "people/Ann.md": person("Ann", "circle: buddy\norg: Home\n", "- 2026-11-01 coffee\n"),
        "people/Bob.md": person("Bob", "circle: strategic\norg: Elsewhere\n"),
        "people/Cat.md": person("Cat", "circle: cold\norg: Northlight Energy\n"),
        "people/Dan.md": person("Dan", "circle: cold\norg: northlight energy\nintroduced_by: '[[Bob]]'\n"),
        "meetings/2026-10-03 Meetup.md": "---\ndate: 2026-10-03\n---\nMet [[Ann]] and [[Cat]].\n",
    }
    root = make_vault(files, '[interactions]\nfolders = ["meetings"]\n')
    vault = load_vault(root, TODAY)
    target = find_target(vault, "NORTHLIGHT energy")
    assert (target.kind, target.label, [c.name for c in target.contacts]) == (
        ORG, "Northlight Energy", ["Cat", "Dan"],
    )
    assert find_target(vault, "northlight").kind == ORG  # a unique part of an org
    assert find_target(vault, "Cat").kind == CONTACT
    result = introductions(vault, target, TODAY)
    assert [[(h.contact.name, h.link, h.detail) for h in p.hops] for p in result.paths] == [
        [("Ann", YOU, None), ("Cat", MET, "meetings/2026-10-03 Meetup.md")],
        [("Bob", YOU, None), ("Dan", INTRODUCED, "people/Bob.md")],
    ]
    text = run("intro", "Northlight Energy", "--vault", root, "--today", "2026-11-22").stdout
    assert text == (
        "Introductions to Northlight Energy (2 people there)\n"
        "\n"
        "1. 2 hops: Ann > Cat\n"
        "   Ann (buddy, last contact 2026-11-01): you know them\n"
        "   Cat (cold, last contact 2026-10-03): met Ann at 2026-10-03 Meetup\n"
        "\n"
        "2. 2 hops: Bob > Dan\n"
        "   Bob (strategic, never in touch): you know them\n"
        "   Dan (cold, never in touch): introduced to you by Bob\n"
    )


def test_same_org_link_and_direct_people_at_an_org(make_vault):
    files = {
        "people/Ann.md": person("Ann", "circle: buddy\norg: Acme\n"),
        "people/Bob.md": person("Bob", "circle: lukewarm\norg: Beta\nknows: ['[[Ann]]']\n"),
        "people/Cat.md": person("Cat", "circle: cold\norg: Acme\n"),
    }
    vault = load_vault(make_vault(files), TODAY)
    result = introductions(vault, find_target(vault, "Cat"), TODAY)
    # Bob > Ann > Cat is not offered: you know Ann yourself
    assert [[(h.contact.name, h.link) for h in p.hops] for p in result.paths] == [
        [("Ann", YOU), ("Cat", SAME_ORG)],
    ]
    org = introductions(vault, find_target(vault, "acme"), TODAY)
    assert [h.contact.name for h in org.direct] == ["Ann"]
    assert [[h.contact.name for h in p.hops] for p in org.paths] == [["Ann"]]


def test_intro_json_keys(make_vault, run):
    files = {
        "people/Ann.md": person("Ann", "circle: buddy\nknows: ['[[Cat]]']\n", "- 2026-11-01 coffee\n"),
        "people/Cat.md": person("Cat", "circle: cold\norg: Acme\n"),
    }
    root = make_vault(files)
    result = run("intro", "Cat", "--vault", root, "--today", "2026-11-22", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "today": "2026-11-22",
        "target": {"kind": "contact", "name": "Cat", "paths": ["people/Cat.md"]},
        "max_hops": 3,
        "direct": [],
        "introduction_needed": True,
        "paths": [
            {
                "hops": 2,
                "people": [
                    {
                        "name": "Ann",
                        "path": "people/Ann.md",
                        "circle": "buddy",
                        "org": None,
                        "last_contact": "2026-11-01",
                        "link": {"kind": "you", "detail": None},
                    },
                    {
                        "name": "Cat",
                        "path": "people/Cat.md",
                        "circle": "cold",
                        "org": "Acme",
                        "last_contact": None,
                        "link": {"kind": "knows", "detail": None},
                    },
                ],
            }
        ],
    }
    assert list(json.loads(result.stdout)) == sorted(json.loads(result.stdout))


def test_intro_unknown_target_lists_candidates(make_vault, run):
    root = make_vault({"people/Ann Lee.md": person("Ann Lee", "circle: buddy\n")})
    result = run("intro", "Anne Le", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 1
    assert "'Anne Le' is not a contact or an org in this vault; did you mean: Ann Lee (people/Ann Lee.md)" in result.stderr


def test_example_vault_goal_and_intro(run):
    from .conftest import REPO

    root = REPO / "example_vault"
    goal = json.loads(run("goal", "northlight-energy", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    assert {p: [m["name"] for m in goal["parts"][p]] for p in goal["parts"]} == {
        "works-there": ["Rafael Mendes", "Tomás Ferreira", "Isabel Moreau"],
        "creates-jobs": ["Hannah Lindqvist", "Kwame Asante"],
        "made-the-move": ["Priya Raman", "Tunde Bakare"],
    }
    intro = run("intro", "Isabel Moreau", "--vault", root, "--today", "2026-11-22").stdout
    assert "1. 2 hops: Rafael Mendes > Isabel Moreau\n" in intro


def test_a_path_through_someone_you_know_directly_is_not_offered(make_vault):
    files = {
        "people/Lena Cold.md": person("Lena Cold", "circle: cold\n"),
        "people/Tom Baker.md": person("Tom Baker", "circle: strategic\nknows: ['[[Lena Cold]]']\n"),
        "people/Ravi Shah.md": person("Ravi Shah", "circle: buddy\nknows: ['[[Tom Baker]]']\n"),
        "people/Cleo Far.md": person("Cleo Far", "circle: cold\nknows: ['[[Lena Cold]]']\n"),
        "people/Ann Buddy.md": person("Ann Buddy", "circle: buddy\nknows: ['[[Cleo Far]]']\n"),
    }
    vault = load_vault(make_vault(files), TODAY)
    result = introductions(vault, find_target(vault, "Lena Cold"), TODAY, limit=10)
    chains = [[h.contact.name for h in p.hops] for p in result.paths]
    # Ravi > Tom > Lena is dominated by Tom > Lena; Ann > Cleo > Lena is not
    # (you do not know Cleo yourself: she is cold)
    assert chains == [["Tom Baker", "Lena Cold"], ["Cleo Far", "Lena Cold"], ["Ann Buddy", "Cleo Far", "Lena Cold"]]

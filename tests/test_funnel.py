"""The playbook: funnel, moves, ready to move, cooling, fading, only asked,
the top ten, talking points, reciprocity in a row, channels, and their checks."""

from __future__ import annotations

import json

from netvault.playbook.agenda import build_agenda
from netvault.playbook.funnel import build_funnel, build_top, fading, per_year
from netvault.playbook.talking import DEFAULT_PROMPTS, fallback, talking_points
from netvault.read.loader import load_vault
from netvault.read.settings import load_config
from netvault.values.cadence import parse_cadence

from .conftest import TODAY


def person(name: str, *lines: str, log: tuple[str, ...] = ()) -> str:
    body = "\n".join(lines)
    entries = "".join(f"- {e}\n" for e in log)
    return f"---\nname: {name}\n{body}\n---\nNotes.\n\n## Log\n{entries}"


def load(make_vault, files, config=""):
    return load_vault(make_vault(files, config), TODAY)


# ---------------------------------------------------------------- the funnel


def test_counts_moves_and_directions(make_vault):
    vault = load(
        make_vault,
        {
            "people/A.md": person("A", "circle: buddy", log=("2026-10-01 moved strategic → buddy",)),
            "people/B.md": person("B", "circle: cold", log=("2026-11-01 moved lukewarm → cold",)),
            "people/C.md": person("C", "circle: lukewarm", log=("2026-10-15 moved to lukewarm",)),
            # 91 days ago: outside the window
            "people/D.md": person("D", "circle: strategic", log=("2026-08-23 moved lukewarm → strategic",)),
            "people/E.md": person("E"),
        },
    )
    result = build_funnel(vault, TODAY)
    data = result.as_dict()
    assert data["circles"] == [
        {"circle": "cold", "count": 1},
        {"circle": "lukewarm", "count": 1},
        {"circle": "strategic", "count": 1},
        {"circle": "buddy", "count": 1},
        {"circle": "no circle", "count": 1},
    ]
    assert (data["moved_inward"], data["moved_outward"]) == (1, 1)
    assert [(m["name"], m["from"], m["to"], m["direction"]) for m in data["moves"]] == [
        ("B", "lukewarm", "cold", "outward"),
        ("C", None, "lukewarm", "unknown"),
        ("A", "strategic", "buddy", "inward"),
    ]
    assert sorted(data) == [
        "circles", "cooling", "fading", "moved_inward", "moved_outward", "moves", "moves_days",
        "only_asked", "people", "ready", "today",
    ]


def test_ready_to_move_needs_three_contacts_and_a_gift_in_six_months(make_vault):
    recent = ("2026-11-01 coffee #gave sent the deck", "2026-09-01 email", "2026-07-01 call")
    vault = load(
        make_vault,
        {
            "people/Ready.md": person("Ready", "circle: lukewarm", log=recent),
            "people/Buddy.md": person("Buddy", "circle: buddy", log=recent),
            "people/NoGift.md": person(
                "NoGift", "circle: lukewarm", log=("2026-11-01 coffee", "2026-09-01 email", "2026-07-01 call")
            ),
            # the third contact is more than six months ago (before 2026-05-22)
            "people/Old.md": person(
                "Old", "circle: cold", log=("2026-11-01 x #gave", "2026-09-01 y", "2026-05-21 z")
            ),
            "people/Loose.md": person("Loose", log=recent),
        },
    )
    ready = build_funnel(vault, TODAY).ready
    assert [(r.name, r.circle, r.suggested, r.interactions, r.gave) for r in ready] == [
        ("Loose", None, "lukewarm", 3, 1),
        ("Ready", "lukewarm", "strategic", 3, 1),
    ]


def test_cooling_is_shared_with_the_network_page(make_vault):
    from netvault.site.network import network_model

    vault = load(
        make_vault,
        {
            # quarterly from 2026-02-21: due 2026-05-21, 185 days late > 2 × 89
            "people/Cold.md": person("Cold", "circle: strategic", "last_contact: 2026-02-21"),
            "people/Warm.md": person("Warm", "circle: strategic", "last_contact: 2026-08-21"),
        },
    )
    cooling = build_funnel(vault, TODAY).cooling
    assert [(c.name, c.overdue_days, c.cadence_days) for c in cooling] == [("Cold", 185, 89)]
    assert [p.name for p in network_model(vault, TODAY).cooling] == ["Cold"]


def test_fading_needs_no_rhythm_three_contacts_and_a_long_silence(make_vault):
    monthly = ("2026-03-01 a", "2026-04-01 b", "2026-05-01 c")  # gaps 31, 30: median 30.5
    vault = load(
        make_vault,
        {
            "people/Fading.md": person("Fading", log=monthly),  # silent 205 > 3 × 30.5
            "people/Rhythm.md": person("Rhythm", "cadence: yearly", log=monthly),
            "people/Circle.md": person("Circle", "circle: cold", log=monthly),  # cold: "never" is a default
            "people/Two.md": person("Two", log=monthly[:2]),
            # weekly, then silent 63 days: > 3 × 7 and ≥ 60
            "people/Weekly.md": person("Weekly", log=("2026-09-06 a", "2026-09-13 b", "2026-09-20 c")),
            # weekly, silent 59 days: under the 60-day floor
            "people/Recent.md": person("Recent", log=("2026-09-10 a", "2026-09-17 b", "2026-09-24 c")),
            # every 100 days, silent 250: not more than 3 × 100
            "people/Sparse.md": person("Sparse", log=("2025-09-16 a", "2025-12-25 b", "2026-03-17 c")),
        },
    )
    found = fading(vault, TODAY)
    assert [(f.name, f.usual_gap_days, f.silent_days, f.interactions) for f in found] == [
        ("Weekly", 7, 63, 3),
        ("Fading", 30, 205, 3),
    ]
    # and [cadence] default gives everyone a rhythm: nobody fades
    vault = load(make_vault, {}, config='[cadence]\ndefault = "yearly"\n')
    assert fading(vault, TODAY) == ()


def test_fading_on_the_agenda_with_its_own_kind(make_vault, run):
    root = make_vault({"people/F.md": person("F", log=("2026-03-01 a", "2026-04-01 b", "2026-05-01 c"))})
    data = json.loads(run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    [item] = data["items"]
    assert (item["kind"], item["status"], item["usual_gap_days"], item["last_contact"]) == (
        "fading", "due", 30, "2026-05-01"
    )
    text = run("agenda", "--vault", root, "--today", "2026-11-22").stdout
    assert "Fading (1)" in text and "silent 205 days · usually every 30 days" in text


def test_only_asked(make_vault):
    vault = load(
        make_vault,
        {
            "people/Taker.md": person("Taker", log=("2026-10-01 coffee #asked", "2026-06-01 call #asked")),
            "people/Fair.md": person("Fair", log=("2026-10-01 coffee #asked", "2026-06-01 x #gave")),
        },
    )
    [only] = build_funnel(vault, TODAY).only_asked
    assert only.as_dict() == {
        "name": "Taker", "path": "people/Taker.md", "circle": None, "asked": 2, "last_asked": "2026-10-01"
    }


def test_funnel_cli_text_and_json(make_vault, run):
    root = make_vault({"people/A.md": person("A", "circle: buddy", log=("2026-10-01 moved strategic → buddy",))})
    result = run("funnel", "--vault", root, "--today", "2026-11-22")
    assert result.exit_code == 0
    assert "Moves in the last 90 days: 1 inward, 0 outward" in result.stdout
    assert "  2026-10-01  A: strategic → buddy" in result.stdout
    data = json.loads(run("funnel", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    assert data["people"] == 1 and data["moved_inward"] == 1


# ---------------------------------------------------------------- the top ten


def test_per_year_of_each_rhythm():
    assert [per_year(parse_cadence(t)) for t in ("6/year", "quarterly", "2m", "yearly", "never", "30d")] == [
        6.0, 4.0, 6.0, 1.0, 0.0, 12.2,
    ]
    assert per_year(None) == 0.0


def test_top_lists_priorities_with_rhythm_status_and_per_year(make_vault, run):
    root = make_vault(
        {
            "people/One.md": person("One", "circle: buddy", "priority: 1", "last_contact: 2026-08-01"),
            "people/Two.md": person("Two", "circle: strategic", "priority: 2", "last_contact: 2026-11-01"),
            "people/None.md": person("None", "priority: 3"),
            "people/Other.md": person("Other", "circle: buddy"),
        }
    )
    vault = load_vault(root, TODAY)
    top = build_top(vault, TODAY)
    assert [(e.name, e.status, e.days, e.per_year) for e in top.entries] == [
        ("One", "overdue", 52, 6.0),  # 6/year from 2026-08-01: due 2026-10-01
        ("Two", "on track", 71, 4.0),  # due 2027-02-01
        ("None", "no rhythm", None, 0.0),
    ]
    data = json.loads(run("top", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    assert data["per_year"] == 10.0 and data["count"] == 3 and data["limit"] == 10
    assert data["entries"][0]["days_late"] == 52 and data["entries"][0]["days_until_due"] is None
    assert data["entries"][1]["days_until_due"] == 71
    text = run("top", "--vault", root, "--today", "2026-11-22").stdout
    assert "   1. One   buddy      6 times a year     6/year  52 days late" in text
    assert "  10/year in all" in text


def test_ten_priorities_are_fine_eleven_warn_on_the_eleventh(make_vault, run):
    files = {f"people/P{n:02}.md": person(f"P{n:02}", f"priority: {n}") for n in range(1, 11)}
    root = make_vault(files)
    assert "top ten" not in run("check", "--vault", root, "--today", TODAY).stdout
    files["people/P11.md"] = person("P11", "priority: 11")
    root = make_vault(files)
    out = run("check", "--vault", root, "--today", TODAY).stdout
    assert out.count("a top ten holds 10") == 1
    assert "people/P11.md:3: warning: 11 contacts have a priority; a top ten holds 10" in out


# ---------------------------------------------------------------- reciprocity


def test_asked_twice_in_a_row(make_vault):
    vault = load(
        make_vault,
        {
            "people/A.md": person(
                "A", log=("2026-10-01 intro please #asked", "2026-09-01 advice #asked", "2026-08-15 chat",
                          "2026-08-01 sent a paper #gave", "2026-07-01 old ask #asked")
            ),
            "people/B.md": person("B", log=("2026-10-01 intro please #asked",)),
        },
    )
    items = {i.name: i for i in build_agenda(vault, TODAY).select("reciprocity")}
    assert items["A"].asked_in_a_row == 2 and items["B"].asked_in_a_row == 1
    assert items["A"].as_dict()["asked_in_a_row"] == 2


# ---------------------------------------------------------------- talking points


def test_talking_points_in_order_from_the_file(make_vault):
    vault = load(
        make_vault,
        {
            "people/Full.md": person(
                "Full", "circle: buddy", "follow_up: 2026-11-30 send the deck", "goals: [move-to-product]",
                "interests: [climate tech]",
                log=("2026-09-01 call: she asked for my view on pricing #gave",),
            ),
            "people/Goal.md": person(
                "Goal", "circle: buddy", "goals: [move-to-product]", "needs: speakers", "last_contact: 2026-01-01"
            ),
            "people/Topic.md": person(
                "Topic", "circle: buddy", "tags: [supplier, topic/payments]", "last_contact: 2026-01-01",
                log=("2026-10-01 email: she joined Acme as VP",),
            ),
        },
    )
    points = {i.name: i.talking_points for i in build_agenda(vault, TODAY).select("touch-base")}
    assert points["Full"] == (
        "Follow up as promised (2026-11-30): send the deck",
        "Ask whether your help worked out (2026-09-01): she asked for my view on pricing",
    )
    assert points["Goal"] == (
        "Ask their view on your goal: move-to-product",
        "Offer help with what they need: speakers",
    )
    assert points["Topic"] == (
        "Share an article on payments",
        "Congratulate them on the change (2026-10-01): she joined Acme as VP",
    )


def test_talking_points_fall_back_to_a_stable_prompt(make_vault):
    vault = load(make_vault, {"people/Bare.md": person("Bare", "circle: buddy")})
    [item] = build_agenda(vault, TODAY).items
    assert item.talking_points == (fallback("Bare"),)
    assert fallback("Bare").casefold() in [p.casefold() for p in DEFAULT_PROMPTS]
    contact = vault.contacts[0]
    assert talking_points(contact, TODAY, ("only this",)) == ("Only this",)
    assert build_agenda(vault, TODAY).as_dict()["items"][0]["talking_points"] == [fallback("Bare")]


def test_prompts_setting_is_checked(tmp_path):
    (tmp_path / "netvault.toml").write_text('[agenda]\nprompts = ["ask about the kids", "send a podcast"]\n')
    config, problems = load_config(tmp_path)
    assert problems == [] and config.prompts == ("ask about the kids", "send a podcast")
    (tmp_path / "netvault.toml").write_text("[agenda]\nprompts = [1]\n")
    config, problems = load_config(tmp_path)
    assert [p.line for p in problems] == [2] and "prompts must be a list" in problems[0].message
    assert config.prompts == ()


# ---------------------------------------------------------------- channels


def test_agenda_channel_filters_touch_bases_only(make_vault, run):
    root = make_vault(
        {
            "people/Mail.md": person("Mail", "circle: buddy", "channels: [email]"),
            "people/Phone.md": person("Phone", "circle: buddy", "channels: [phone]", "follow_up: 2026-11-22 call"),
        }
    )
    data = json.loads(
        run("agenda", "--vault", root, "--today", "2026-11-22", "--format", "json", "--channel", "email").stdout
    )
    assert [(i["name"], i["kind"]) for i in data["items"]] == [("Mail", "touch-base"), ("Phone", "follow-up")]


def test_post_without_address_is_a_warning(make_vault, run):
    root = make_vault(
        {
            "people/Card.md": person("Card", "channels: [post, email]"),
            "people/Home.md": person("Home", "channels: [post]", "address: 1 High Street"),
        }
    )
    out = run("check", "--vault", root, "--today", TODAY).stdout
    assert "people/Card.md:3: warning: channels include post but there is no address" in out
    assert "Home.md" not in out


def test_top_shows_a_snooze_as_show_and_json_do(run, make_vault):
    root = make_vault(
        {
            "people/Ada Example.md": "---\ncircle: buddy\npriority: 1\n---\n",
            "people/Bo Example.md": "---\ncircle: buddy\npriority: 2\nlast_contact: 2026-11-01\n---\n",
        }
    )
    assert run("snooze", "Ada Example", "--for", "30d", "--vault", root, "--today", "2026-11-22").exit_code == 0
    assert run("snooze", "Bo Example", "--until", "2027-02-01", "--vault", root, "--today", "2026-11-22").exit_code == 0
    text = run("top", "--vault", root, "--today", "2026-11-22").stdout
    assert "Ada Example  buddy      6 times a year     6/year  snoozed until 2026-12-22 (in 30 days)" in text
    assert "Bo Example   buddy      6 times a year     6/year  snoozed until 2027-02-01 (in 71 days)" in text
    assert "due today" not in text
    data = json.loads(run("top", "--vault", root, "--today", "2026-11-22", "--format", "json").stdout)
    show = run("show", "Ada Example", "--vault", root, "--today", "2026-11-22").stdout
    assert [e["next_due"] for e in data["entries"]][:1] == ["2026-12-22"] and "2026-12-22" in show

"""The playbook toward a goal: ``goal`` (who you know for it) and ``intro``
(warm introduction paths to a person or an org)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import complete
from .options import (
    NetvaultError,
    echo_json,
    format_option,
    plural,
    report_vault_problems,
    say,
    today_option,
    vault_options,
)

# The reader and the playbook are imported where they are used: a shell
# completion loads this module to learn its commands' parameters, no more.
if TYPE_CHECKING:
    from ..playbook.goals import GoalMember, GoalView
    from ..playbook.introductions import Hop, Introductions

PART_TITLES = {
    "works-there": "Works there",
    "creates-jobs": "Creates the jobs",
    "made-the-move": "Made the move",
}
EMPTY_PARTS = {
    "works-there": "nobody who works there",
    "creates-jobs": "nobody who creates the jobs",
    "made-the-move": "nobody who made the move",
}






def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- goal --------------------------------------------------------------------


@click.command()
@click.argument("name", required=False, shell_complete=complete.goal_names)
@vault_options
@today_option
@format_option
def goal(name: str | None, root: Path, today: date, fmt: str) -> None:
    """Who you know for a goal, by the part they can play: who works there,
    who creates the jobs, who made the move; whom you have not
    talked to in a while (overdue, never, or over 90 days); and which part
    has nobody yet.

    Goals are [goals.NAME] tables in netvault.toml (org, role, note); a
    contact joins one with `goals: [NAME/PART]` (PART: works-there,
    creates-jobs, made-the-move), or `goals: [NAME]`, which means
    works-there when their org is the goal's org. Anyone at the goal's org
    counts as working there. Without NAME: every goal, with counts.

    Example:

    \b
        netvault goal move-to-product --today 2026-11-22
    """
    from ..playbook.goals import all_goals, find_goal, goal_names, goal_view
    from ..read.loader import load_vault

    vault = load_vault(root, today)
    if name is None:
        views = all_goals(vault, today)
        if fmt == "json":
            echo_json({"today": today.isoformat(), "goals": [_summary_dict(v) for v in views]})
        else:
            _print_summaries(views)
    else:
        found = find_goal(vault, name)
        if found is None:
            known = goal_names(vault)
            raise NetvaultError(
                f"{name!r} is not a goal in this vault; "
                + (f"goals: {', '.join(known)}" if known else "define one as [goals.NAME] in netvault.toml")
            )
        view = goal_view(vault, found, today)
        if fmt == "json":
            echo_json({"today": today.isoformat(), **_view_dict(view)})
        else:
            _print_view(view)
    if fmt != "json":
        report_vault_problems(vault)


def _goal_dict(view: GoalView) -> dict:
    goal = view.goal
    return {
        "name": view.name,
        "defined": goal is not None,
        "org": goal.org if goal else None,
        "role": goal.role if goal else None,
        "note": goal.note if goal else None,
    }


def _summary_dict(view: GoalView) -> dict:
    from ..read.goalsettings import GOAL_PARTS

    return {
        **_goal_dict(view),
        "counts": {part: len(view.parts[part]) for part in GOAL_PARTS},
        "part_not_set": len(view.unsorted),
        "people": view.people,
        "stale": len(view.stale),
        "empty_parts": list(view.empty_parts),
    }


def _member_dict(member: GoalMember) -> dict:
    contact, due = member.contact, member.due
    return {
        "name": contact.name,
        "path": contact.path,
        "circle": contact.circle,
        "org": contact.org,
        "role": contact.role,
        "part": member.part,
        "part_from": member.part_from,
        "listed": member.listed,
        "last_contact": _day(due.last_contact),
        "days_since": member.days_since,
        "next_due": _day(due.next_due),
        "status": due.status,
        "stale": member.stale,
    }


def _view_dict(view: GoalView) -> dict:
    from ..read.goalsettings import GOAL_PARTS

    return {
        "goal": _goal_dict(view),
        "parts": {part: [_member_dict(m) for m in view.parts[part]] for part in GOAL_PARTS},
        "part_not_set": [_member_dict(m) for m in view.unsorted],
        "stale": [_member_dict(m) for m in view.stale],
        "empty_parts": list(view.empty_parts),
    }


def _headline(view: GoalView) -> str:
    goal = view.goal
    if goal is None:
        return f"{view.name} (not defined in netvault.toml)"
    what = " at ".join(x for x in (goal.role, goal.org) if x)
    return f"{view.name}: {what}" if what else view.name


def _print_summaries(views: list[GoalView]) -> None:
    from ..read.goalsettings import GOAL_PARTS

    if not views:
        say("No goals yet: add [goals.NAME] to netvault.toml and `goals: [NAME]` to contacts.")
        return
    for view in views:
        say(_headline(view))
        counts = ", ".join(f"{len(view.parts[p])} {p}" for p in GOAL_PARTS)
        extra = f", {len(view.unsorted)} part not set" if view.unsorted else ""
        say(f"  {_people(view.people)}: {counts}{extra}; {len(view.stale)} not talked to in a while")


def _member_line(member: GoalMember) -> str:
    contact, due = member.contact, member.due
    bits = [contact.circle or "no circle"]
    bits.append(f"last contact {_day(due.last_contact)}" if due.last_contact else "never in touch")
    if due.next_due:
        bits.append(("overdue since " if due.status == "overdue" else "next due ") + _day(due.next_due))
    where = ", ".join(x for x in (contact.role, contact.org) if x)
    inferred = " (from org)" if member.part_from == "org" else ""
    return f"  {contact.name}{inferred}: " + ", ".join(bits) + (f" - {where}" if where else "")


def _print_view(view: GoalView) -> None:
    from ..read.goalsettings import GOAL_PARTS

    say(f"Goal {_headline(view)}")
    if view.goal and view.goal.note:
        for line in view.goal.note.splitlines():
            say(f"  {line}")
    for part in GOAL_PARTS:
        members = view.parts[part]
        say()
        if not members:
            say(f"{PART_TITLES[part]}: {EMPTY_PARTS[part]} yet")
            continue
        say(f"{PART_TITLES[part]} ({len(members)})")
        for member in members:
            say(_member_line(member))
    if view.unsorted:
        say()
        say(f"Part not set ({len(view.unsorted)}): write goals: [{view.name}/PART]")
        for member in view.unsorted:
            say(_member_line(member))
    say()
    if view.stale:
        say(f"Not talked to in a while ({len(view.stale)})")
        for member in view.stale:
            contact = member.contact
            if member.days_since is None:
                when = "never in touch"
            else:
                when = f"{member.days_since} days since {_day(member.due.last_contact)}"
            if member.due.status == "overdue":
                when += f", overdue since {_day(member.due.next_due)}"
            say(f"  {contact.name} ({contact.circle or 'no circle'}): {when}")
    else:
        say("Everyone here was in touch in the last 90 days.")
    if view.empty_parts:
        say()
        say("Nobody yet: " + "; ".join(EMPTY_PARTS[p] for p in view.empty_parts) + ".")


# --- intro -------------------------------------------------------------------


@click.command()
@click.argument("target", shell_complete=complete.contact_names)
@vault_options
@today_option
@format_option
@click.option(
    "--max-hops",
    type=click.IntRange(1, 6),
    default=3,
    show_default=True,
    help="Longest chain of people, counting the first and the target.",
)
def intro(target: str, root: Path, today: date, fmt: str, max_hops: int) -> None:
    """Warm introduction paths to a contact or an org: who, closer to you, can
    introduce you to someone colder.

    TARGET is a contact (file name, name or alias) or an org as contacts'
    `org` spells it (case-insensitive). People are linked by `knows` and
    `introduced_by` (either way), by a dated meeting or daily note that
    links to both, and by working at the same org. Paths are ranked by
    hops, then the warmth of the first person (buddy, strategic, lukewarm,
    cold, no circle), then how recently you were in touch with them, then
    name; up to five, each through a different first person. No path
    is not an error (exit 0).

    Example:

    \b
        netvault intro "Isabel Moreau" --today 2026-11-22
    """
    from ..playbook.introductions import TargetNotFound, find_target, introductions
    from ..read.loader import load_vault

    vault = load_vault(root, today)
    try:
        found = find_target(vault, target)
    except TargetNotFound as exc:
        raise NetvaultError(str(exc)) from None
    result = introductions(vault, found, today, max_hops)
    if fmt == "json":
        echo_json(_intro_dict(result, today))
    else:
        _print_intro(result)
        report_vault_problems(vault)


def _hop_dict(hop: Hop) -> dict:
    return {
        "name": hop.contact.name,
        "path": hop.contact.path,
        "circle": hop.contact.circle,
        "org": hop.contact.org,
        "last_contact": _day(hop.last_contact),
        "link": {"kind": hop.link, "detail": hop.detail},
    }


def _intro_dict(result: Introductions, today: date) -> dict:
    from ..playbook.introductions import CONTACT

    target = result.target
    return {
        "today": today.isoformat(),
        "target": {
            "kind": target.kind,
            "name": target.label,
            "paths": [c.path for c in target.contacts],
        },
        "max_hops": result.max_hops,
        "direct": [_hop_dict(h) for h in result.direct],
        "introduction_needed": not (target.kind == CONTACT and result.direct),
        "paths": [
            {"hops": len(p.hops), "people": [_hop_dict(h) for h in p.hops]} for p in result.paths
        ],
    }


def _link_text(hop: Hop, before: Hop) -> str:
    from ..playbook.introductions import INTRODUCED, KNOWS, MET, SAME_ORG

    if hop.link == KNOWS:
        return f"knows {before.contact.name}"
    if hop.link == INTRODUCED:
        if hop.detail == before.contact.path:
            return f"introduced to you by {before.contact.name}"
        return f"introduced you to {before.contact.name}"
    if hop.link == MET:
        note = (hop.detail or "").rsplit("/", 1)[-1]
        return f"met {before.contact.name} at {note.removesuffix('.md')}"
    if hop.link == SAME_ORG:
        return f"same org as {before.contact.name} ({hop.detail})"
    return _first_text(hop)


def _first_text(hop: Hop) -> str:
    from ..playbook.introductions import knows_you

    if knows_you(hop.contact):
        return "you know them"
    if hop.contact.circle == "cold":
        return "they may not know you yet"
    return "in your vault, no circle"


def _who(hop: Hop) -> str:
    circle = hop.contact.circle or "no circle"
    when = f"last contact {_day(hop.last_contact)}" if hop.last_contact else "never in touch"
    return f"{hop.contact.name} ({circle}, {when})"


def _print_intro(result: Introductions) -> None:
    from ..playbook.introductions import CONTACT

    target = result.target
    if target.kind == CONTACT:
        person = target.contacts[0]
        if result.direct:
            say(f"You know {_who(result.direct[0])} directly: no introduction needed.")
            return
        where = ", ".join(x for x in (person.role, person.org) if x)
        circle = person.circle or "no circle"
        say(f"Introductions to {person.name} ({circle}" + (f"; {where})" if where else ")"))
    else:
        known = f"; you know {len(result.direct)} directly" if result.direct else ""
        say(f"Introductions to {target.label} ({_people(len(target.contacts))} there{known})")
    if not result.paths:
        say(
            f"no path within {result.max_hops} hops: nobody in the vault is linked to "
            f"{target.label} by knows, introduced_by, a meeting note or the same org"
        )
        return
    for number, path in enumerate(result.paths, 1):
        say()
        first = path.hops[0]
        if len(path.hops) == 1:
            say(f"{number}. {_who(first)}: {_first_text(first)}, no introduction needed")
            continue
        say(f"{number}. {plural(len(path.hops), 'hop')}: " + " > ".join(h.contact.name for h in path.hops))
        say(f"   {_who(first)}: {_first_text(first)}")
        for before, hop in pairwise(path.hops):
            say(f"   {_who(hop)}: {_link_text(hop, before)}")

"""The playbook's views of the whole network: ``funnel`` and ``top``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..playbook.funnel import MOVES_DAYS, TOP_TEN, Funnel, Top, build_funnel, build_top
from ..read.loader import load_vault
from ..values.cadence import describe
from .options import (
    echo_json,
    format_option,
    report_vault_problems,
    say,
    today_option,
    vault_options,
)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


@click.command()
@vault_options
@today_option
@format_option
def funnel(root: Path, today: date, fmt: str) -> None:
    """Your circles as a funnel (cold → lukewarm → strategic → buddy).

    How many people sit in each circle; how many moved inward or outward in
    the last 90 days (the "moved X → Y" lines `netvault move` writes); who is
    ready to move inward (3 or more days of contact in the last six months,
    one of them a #gave, not yet a buddy); who is cooling (overdue by more
    than twice their rhythm: reach out, or move them out honestly); who is
    fading (no rhythm, but silent for more than 3 times their usual gap and
    at least 60 days); and the people you only ever asked.

    Example:

    \b
        netvault funnel --today 2026-11-22 --format json
    """
    vault = load_vault(root, today)
    result = build_funnel(vault, today)
    if fmt == "json":
        echo_json(result.as_dict())
    else:
        for line in funnel_lines(result):
            say(line)
    if fmt != "json":
        report_vault_problems(vault)


def funnel_lines(result: Funnel) -> list[str]:
    people = "1 person" if result.people == 1 else f"{result.people} people"
    lines = [f"Funnel on {result.today.isoformat()} · {people}", ""]
    width = max(len(c) for c, _ in result.circles)
    for circle, count in result.circles:
        lines.append(f"  {circle:<{width}}  {count:>4}  {'█' * min(count, 40)}")
    lines.append("")
    lines.append(
        f"Moves in the last {MOVES_DAYS} days: {result.moved('inward')} inward, "
        f"{result.moved('outward')} outward"
        + (f", {result.moved('unknown')} to a circle" if result.moved("unknown") else "")
    )
    for move in result.moves:
        lines.append(f"  {move.date.isoformat()}  {move.name}: {move.old or '?'} → {move.new}")
    sections = [
        (
            "Ready to move inward",
            [
                f"  {r.name}: {r.circle or 'no circle'} → {r.suggested} "
                f"({r.interactions} contacts in six months, {r.gave} gave; last {r.last_contact.isoformat()})"
                for r in result.ready
            ],
        ),
        (
            "Cooling: reach out, or move them out honestly",
            [
                f"  {c.name}: {c.circle or 'no circle'}, {_days(c.overdue_days)} late on "
                f"{describe(c.cadence) if c.cadence else 'its rhythm'} (last contact {c.last_contact.isoformat()})"
                for c in result.cooling
            ],
        ),
        (
            "Fading: no rhythm, silent far longer than usual",
            [
                f"  {f.name}: silent {_days(f.silent_days)}, usually every {_days(f.usual_gap_days)} "
                f"({f.interactions} contacts; last {f.last_contact.isoformat()})"
                for f in result.fading
            ],
        ),
        (
            "Only ever asked: give before you ask again",
            [
                f"  {o.name}: asked {o.asked}×, never gave (last ask {o.last_asked.isoformat()})"
                for o in result.only_asked
            ],
        ),
    ]
    for title, rows in sections:
        lines.append("")
        lines.append(f"{title} ({len(rows)})")
        lines.extend(rows or ["  nobody"])
    return lines


@click.command()
@vault_options
@today_option
@format_option
def top(root: Path, today: date, fmt: str) -> None:
    """Your top ten: the contacts with a priority, 1 first.

    Each with their rhythm, how it is going (overdue and how late, or days
    until due) and the contacts a year the rhythm implies (6 for 6/year, 4
    for quarterly), with the total. More than ten is a warning in `check`:
    a top ten holds ten.

    Example:

    \b
        netvault top --today 2026-11-22
    """
    vault = load_vault(root, today)
    result = build_top(vault, today)
    if fmt == "json":
        echo_json(result.as_dict())
    else:
        for line in top_lines(result):
            say(line)
        report_vault_problems(vault)


def top_lines(result: Top) -> list[str]:
    if not result.entries:
        return ["Nobody has a priority yet. Pick your top ten: `netvault set NAME priority 1`."]
    lines = [f"Top ten on {result.today.isoformat()} · {len(result.entries)} with a priority", ""]
    width = max(len(e.name) for e in result.entries)
    for entry in result.entries:
        rhythm = describe(entry.cadence) if entry.cadence else "no rhythm"
        if entry.status == "overdue":
            going = f"{_days(entry.days or 0)} late"
        elif entry.status == "snoozed":
            going = f"snoozed until {entry.next_due.isoformat()} (in {_days(entry.days or 0)})"
        elif entry.status in ("due", "never contacted"):
            going = "due today" if entry.status == "due" else "never contacted: due today"
        elif entry.days is not None:
            going = f"due in {_days(entry.days)}"
        else:
            going = "no rhythm"
        lines.append(
            f"  {entry.priority:>2}. {entry.name:<{width}}  {entry.circle or 'no circle':<9}  "
            f"{rhythm:<16} {_per_year(entry.per_year):>8}  {going}"
        )
    lines.append("")
    lines.append(f"  {_per_year(result.per_year)} in all, about {result.per_year / 52:.1f} a week")
    if result.extra:
        lines.append(
            f"  {len(result.entries)} have a priority; a top ten holds {TOP_TEN} "
            f"(beyond it: {', '.join(e.name for e in result.extra)})"
        )
    return lines


def _per_year(value: float) -> str:
    shown = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{shown}/year"

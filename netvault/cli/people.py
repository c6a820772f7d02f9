"""Commands about people: ``show`` (one person's card), ``list``, ``search`` and ``open``."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..values.problems import printable
from ..values.vocabulary import CHANNELS, CIRCLES, SORTS
from .complete import contact_names
from .options import (
    NetvaultError,
    echo_json,
    echo_problems,
    find_contact,
    format_option,
    report_vault_problems,
    say,
    today_option,
    vault_options,
)

# The reader and the playbook are imported where they are used: a shell
# completion loads this module to learn its commands' parameters, no more.
if TYPE_CHECKING:
    from ..playbook.card import Card

# --- show --------------------------------------------------------------------


@click.command()
@click.argument("name", shell_complete=contact_names)
@vault_options
@today_option
@format_option
def show(name: str, root: Path, today: date, fmt: str) -> None:
    """One person's card: rhythm, next due and why, the last five
    interactions, the give/ask ledger, goals, introductions, whom they know,
    follow-up, snooze, the channels used over the last year and birthday.

    NAME is a file name, name or alias (case-insensitive; a unique first
    name or prefix is enough).

    Example:

    \b
        netvault show "Priya Raman" --today 2026-11-22
    """
    from ..playbook.card import person_card
    from ..read.loader import load_vault

    vault = load_vault(root, today)
    contact = find_contact(vault, name)
    card = person_card(vault, contact, today)
    problems = [p for p in vault.problems if p.path == contact.path]
    if fmt == "json":
        echo_json({**card.as_dict(), "problems": [p.as_dict() for p in problems]})
        return
    for line in card_lines(card):
        say(line)
    echo_problems(problems)


def card_lines(card: Card) -> list[str]:
    lines = [f"{card.name} ({card.path})"]
    job = " at ".join(part for part in (card.role, card.org) if part)
    about = ", ".join(part for part in (job, card.origin and f"origin: {card.origin}") if part)
    if about:
        lines.append(about)
    if card.aliases:
        lines.append("Also known as: " + ", ".join(card.aliases))
    circle = card.circle or "no circle"
    if card.priority is not None:
        circle += f", priority {card.priority}"
    lines.append(f"Circle: {circle}")
    rhythm = card.rhythm
    if rhythm.cadence is None:
        lines.append("Rhythm: none")
    else:
        whose = {"own": "their own", "circle": f"the {card.circle} circle's", "default": "the vault default"}
        lines.append(f"Rhythm: {rhythm.words} ({whose.get(rhythm.source or '', '')})")
    due = card.due
    if due.next_due is not None:
        lines.append(f"Next due: {due.next_due.isoformat()}, {due.why}")
    else:
        lines.append(f"Next due: -, {due.why}")
    if due.last_contact is not None:
        lines.append(f"Last contact: {due.last_contact.isoformat()}")
    if card.follow_up is not None:
        note = f" {card.follow_up.note}" if card.follow_up.note else ""
        lines.append(f"Follow-up: {card.follow_up.date.isoformat()}{note} ({card.follow_up.status})")
    if card.snooze is not None:
        state = "" if card.snooze.active else " (over)"
        lines.append(f"Snoozed until: {card.snooze.until.isoformat()}{state}")
    if card.goals:
        lines.append("Goals: " + ", ".join(card.goals))
    for label, people in (
        ("Introduced by", card.introduced_by),
        ("Introduced you to", card.introduced),
        ("Knows", card.knows),
        ("Known by", card.known_by),
    ):
        if people:
            lines.append(f"{label}: " + ", ".join(p.name if p.path else f"{p.name} (not in the vault)" for p in people))
    for path in card.intro_paths:
        lines.append("Introduction: you > " + " > ".join(path))
    reach = [f"{key} {value}" for key, value in (
        ("email", card.email), ("phone", card.phone), ("linkedin", card.linkedin)
    ) if value]
    if card.channels:
        reach.append("prefers " + ", ".join(card.channels))
    if reach:
        lines.append("Reach: " + "; ".join(reach))
    if card.birthday is not None:
        b = card.birthday
        day = f"{b.year:04d}-{b.month:02d}-{b.day:02d}" if b.year else f"{b.month:02d}-{b.day:02d}"
        more = ""
        if b.next is not None:
            more = f" (next {b.next.isoformat()}" + (f", turns {b.turns}" if b.turns else "") + ")"
        lines.append(f"Birthday: {day}{more}")
    if card.tags:
        lines.append("Tags: " + ", ".join(card.tags))

    ledger = card.ledger
    lines.append("")
    gift = (
        f"; last gift {ledger.last_gift.date.isoformat()}: {ledger.last_gift.text}"
        if ledger.last_gift
        else "; nothing given yet"
    )
    lines.append(f"Give/ask: gave {ledger.gave}, asked {ledger.asked}{gift}")
    if ledger.asked_twice_in_a_row:
        lines.append(
            f"  asked {ledger.asks_since_gift} times in a row without giving: give before you ask again"
        )
    mix = ", ".join(f"{c.channel or 'no channel'} {c.count}" for c in card.channel_mix)
    lines.append(f"Channels, last 365 days: {mix or 'none'}")

    lines.append("")
    if not card.recent:
        lines.append("Interactions: none yet")
    else:
        shown = f"Last {len(card.recent)} interactions" if len(card.recent) > 1 else "Last interaction"
        lines.append(f"{shown} (of {card.interactions}):")
        width = max(len(i.channel or i.kind) for i in card.recent)
        for item in card.recent:
            where = item.source if item.line is None else f"{item.source}:{item.line}"
            lines.append(
                f"  {item.date.isoformat()} {(item.channel or item.kind).ljust(width)}  {item.text}  [{where}]"
            )
    return lines


# --- list --------------------------------------------------------------------


@click.command("list")
@vault_options
@today_option
@format_option
@click.option("--circle", "circles", multiple=True, type=click.Choice(CIRCLES, case_sensitive=False),
              help="In this circle (repeatable: any of them).")
@click.option("--tag", "tags", multiple=True, help="With this tag, any case (repeatable).")
@click.option("--org", "orgs", multiple=True, help="Whose org contains this text, any case (repeatable).")
@click.option("--origin", "origins", multiple=True, help="With this origin, e.g. former-boss (repeatable).")
@click.option("--goal", "goals", multiple=True, help="Related to this goal (repeatable).")
@click.option("--channel", "channels", multiple=True, type=click.Choice(CHANNELS, case_sensitive=False),
              help="Who likes to be reached this way (repeatable).")
@click.option("--due", is_flag=True, help="Only people overdue or due today.")
@click.option("--sort", type=click.Choice(SORTS), default="name", show_default=True,
              help="name; last-contact (longest silence first, never contacted before all); "
              "priority (1 first, then people without one). Ties by name.")
def list_command(root: Path, today: date, fmt: str, circles, tags, orgs, origins, goals,
                 channels, due: bool, sort: str) -> None:
    """List people, filtered and sorted.

    Different options must all match; one option given twice matches
    either value. --org matches a part of the organisation's name.

    Example:

    \b
        netvault list --org acme                  # who do I know at Acme?
        netvault list --circle buddy --circle strategic --sort last-contact
    """
    from ..playbook.find import Filters, list_people
    from ..read.loader import load_vault

    vault = load_vault(root, today)
    filters = Filters(
        tuple(c.lower() for c in circles), tags, orgs, origins, goals,
        tuple(c.lower() for c in channels), due,
    )
    rows = list_people(vault, today, filters, sort)
    if fmt == "json":
        echo_json(
            {
                "today": today.isoformat(),
                "people": [row.as_dict() for row in rows],
                "problems": [p.as_dict() for p in vault.problems],
            }
        )
        return
    table = [
        [
            row.name,
            row.circle or "-",
            f"p{row.priority}" if row.priority is not None else "",
            row.org or "-",
            f"last {row.last_contact.isoformat()}" if row.last_contact else "never contacted",
            _next(row.next_due, row.status),
        ]
        for row in rows
    ]
    if not any(row.priority is not None for row in rows):
        table = [row[:2] + row[3:] for row in table]
    for line in _columns(table):
        say(line)
    say(_people(len(rows)), err=True)
    report_vault_problems(vault)


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _next(next_due: date | None, status: str | None) -> str:
    if next_due is None:
        return "no rhythm"
    return f"due {next_due.isoformat()}" + (f" ({status})" if status else "")


def _columns(table: list[list[str]]) -> list[str]:
    if not table:
        return []
    cells = [[printable(cell) for cell in row] for row in table]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]) - 1)]
    return [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[-1]]).rstrip()
        for row in cells
    ]


# --- search ------------------------------------------------------------------


@click.command("search")
@click.argument("text")
@vault_options
@today_option
@format_option
def search_command(text: str, root: Path, today: date, fmt: str) -> None:
    """Find people by name, alias, org, role, tag, notes or log.

    Ignores case and accents ("jose" finds "José"). Each hit is shown as
    path:line, where it matched, and an excerpt.

    Example:

    \b
        netvault search "pricing"
    """
    from ..playbook.find import search
    from ..read.bodies import read_bodies
    from ..read.loader import load_vault

    if not text.strip():
        raise NetvaultError("give some text to search for, e.g. netvault search acme")
    vault = load_vault(root, today)
    bodies = read_bodies(root, [c.path for c in vault.contacts])
    found = search(vault, text, bodies)
    if fmt == "json":
        echo_json(
            {
                "query": text,
                "people": [item.as_dict() for item in found],
                "problems": [p.as_dict() for p in vault.problems],
            }
        )
        return
    for item in found:
        say(f"{item.name} ({item.path})")
        for hit in item.hits:
            where = item.path if hit.line is None else f"{item.path}:{hit.line}"
            say(f"  {where}: {hit.field}: {hit.excerpt}")
    say(_people(len(found)), err=True)
    report_vault_problems(vault)


def _in_terminal() -> bool:
    """An editor needs the terminal; in a pipe or a script the path is what is wanted."""
    return sys.stdin.isatty() and sys.stdout.isatty()


# --- open --------------------------------------------------------------------


@click.command("open")
@click.argument("name", shell_complete=contact_names)
@vault_options
@today_option
@format_option
@click.option("--print", "print_only", is_flag=True, help="Print the file's path; open nothing.")
def open_command(name: str, root: Path, today: date, fmt: str, print_only: bool) -> None:
    """Open a person's file in $VISUAL or $EDITOR.

    Prints the file's path instead when neither is set, when not run in a
    terminal, with --print, or with --format json.

    Example:

    \b
        netvault open "Priya Raman"
        cd "$(dirname "$(netvault open Priya --print)")"
    """
    from ..read.loader import load_vault

    vault = load_vault(root, today)
    contact = find_contact(vault, name)
    path = Path(root) / contact.path
    if fmt == "json":
        echo_json({"name": contact.name, "path": contact.path, "file": str(path)})
        return
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if print_only or not editor or not _in_terminal():
        say(str(path))
        return
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise NetvaultError(f"cannot read the editor command {editor!r}: {exc}") from None
    if not command:
        say(str(path))
        return
    try:
        result = subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        raise NetvaultError(f"cannot start the editor {command[0]!r}: {exc.strerror or exc}") from None
    if result.returncode != 0:
        raise NetvaultError(f"the editor {command[0]!r} exited with status {result.returncode}")

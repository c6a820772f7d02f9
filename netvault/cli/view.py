"""Commands that read the vault and report: ``agenda`` and ``check``."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import click

from ..playbook.agenda import IDLE_RULE, build_agenda, never_on_agenda
from ..read.loader import load_vault
from ..read.model import CHANNELS, Vault
from ..read.settings import CIRCLES
from ..read.vaultfile import CONFIG_NAME
from ..read.walk import scan_notes
from ..values.problems import ERROR, WARNING, Problem, has_errors, sort_problems
from ..views.agenda import FORMATS, render_agenda
from ..views.errors import RenderError
from .options import (
    NetvaultError,
    count_problems,
    plural,
    report_vault_problems,
    today_option,
    use_color,
    vault_options,
)


TEXT_LIMIT = 25  # items the text agenda shows by default: about one screen


@click.command()
@vault_options
@today_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for the terminal, markdown (with [[wikilinks]]), html (one page) or json.",
)
@click.option("--days", type=click.IntRange(0, 3660), help="Look-ahead window in days (default: 14, or [agenda] days).")
@click.option(
    "--circle",
    "circles",
    multiple=True,
    type=click.Choice(CIRCLES, case_sensitive=False),
    help="Only this circle (repeatable).",
)
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(CHANNELS, case_sensitive=False),
    help="Only touch-bases with people who list this channel (repeatable); "
    "follow-ups, birthdays and the rest stay.",
)
@click.option(
    "--limit",
    type=click.IntRange(1),
    help="Show at most N items, most urgent first (text: 25 by default, a screen; --all for every one).",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Every item: no screen limit for text, and everyone never contacted, not only "
    "[agenda] new_per_week of them (default 5) at a time.",
)
def agenda(root: Path, today: date, fmt: str, days, circles, channels, limit, show_all) -> None:
    """Who is due for a touch-base, and why.

    Sections: overdue, due today, coming up, follow-ups, birthdays, people
    you asked a favour of without giving anything since, and people without
    a rhythm who are fading. Each touch-base carries one or two talking
    points from the contact's file. Errors in
    the vault go to stderr, warnings are counted there (all of them are in
    "problems" in JSON, and in `netvault check`); the rest of the agenda is
    still shown. With no contacts at all, stderr says which folder
    was read and how contacts are recognised.

    Example:

    \b
        netvault agenda --today 2026-11-22 --format markdown > Agenda.md
    """
    vault = load_vault(root, today, idle=(IDLE_RULE, never_on_agenda))
    if limit is None and fmt == "text" and not show_all:
        limit = TEXT_LIMIT  # one screen of a terminal; --limit or --all for more
    result = build_agenda(
        vault,
        today,
        days,
        [c.lower() for c in circles],
        limit,
        channels=[c.lower() for c in channels],
        pace=not show_all,
    )
    color = fmt == "text" and use_color(sys.stdout)
    try:
        output = render_agenda(result, fmt, root, color=color)
    except RenderError as exc:
        raise NetvaultError(str(exc)) from None
    click.echo(output, nl=False, color=color)
    if fmt != "json":
        report_vault_problems(vault)
    if fmt != "json" and not vault.contacts and not vault.idle:
        click.echo(no_contacts_hint(vault), err=True)


def no_contacts_hint(vault: Vault) -> str:
    """Why an agenda is empty when the vault has no contacts at all: usually
    netvault is reading the wrong folder, or the notes are not marked."""
    folders = ", ".join(f"{f}/" if f else "the whole vault" for f in vault.config.contacts)
    lines = [
        f"No contacts in {vault.root.resolve()} ({plural(vault.notes, 'note')} read).",
        "A note is a contact when its frontmatter has `circle:` or `type: contact`, or when "
        f"it lies in a contacts folder ({folders or 'none'}; set [vault] contacts in "
        f"{CONFIG_NAME}).",
    ]
    nested = scan_notes(vault.root, vault.config).nested_vaults
    if nested:
        shown = ", ".join(f"{n}/" for n in nested[:5]) + (", ..." if len(nested) > 5 else "")
        lines.append(
            f"Not read: {shown} (each holds its own {CONFIG_NAME}, so it is another vault); "
            "pick one with --vault DIR."
        )
    lines.append("Wrong folder? Use --vault DIR. A new vault: `netvault init`.")
    return "\n".join(lines)



@click.command()
@vault_options
@today_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any problem).")
def check(root: Path, today: date, strict: bool) -> None:
    """Validate the vault: every problem as path:line: severity: message.

    Exits 1 when there are errors (or any problem with --strict), else 0.

    Example:

    \b
        netvault check --strict
    """
    from ..site.output import leftover_problems  # not the pages' renderers: check stays quick

    vault = load_vault(root, today)
    problems = sort_problems([*vault.problems, *leftover_problems(root, vault.config.output, time.time())])
    for problem in problems:
        if strict and problem.severity == WARNING:
            problem = Problem(problem.path, problem.line, ERROR, problem.message)
        click.echo(problem.format())
    click.echo(
        f"{count_problems(problems)} in {plural(vault.notes, 'note')} "
        f"({plural(len(vault.contacts), 'contact')})",
        err=True,
    )
    if has_errors(problems, strict):
        sys.exit(1)


"""``netvault build``: the static pages (agenda, people, network)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from ..read.loader import load_vault
from ..site.build import build_site, default_output
from ..site.output import BuildError
from ..views.errors import RenderError
from .options import (
    NetvaultError,
    plural,
    report_vault_problems,
    say,
    today_option,
    vault_options,
)


@click.command()
@vault_options
@today_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: [vault] output in netvault.toml, _site/ in the vault).",
)
def build(root: Path, today: date, out: Path | None) -> None:
    """Write the static pages: the agenda (index.html, agenda.md), one page per
    person (people/), everyone by circle (people.html) and the network.

    Only files whose content changed are rewritten, and pages of deleted
    contacts are removed, so a committed output folder diffs cleanly. Files
    netvault did not write are never touched. Templates can be overridden in
    .netvault/templates/site/. Vault errors go to stderr, warnings are counted.

    Example:

    \b
        netvault build --today 2026-11-22 --out _site
    """
    vault = load_vault(root, today)
    target = out if out is not None else default_output(root, vault)
    try:
        report = build_site(root, target, today, vault=vault)
    except (BuildError, RenderError) as exc:
        raise NetvaultError(str(exc)) from None
    say(
        f"Built {_shown(target)}/: {plural(report.pages, 'page')} "
        f"({len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed) in {report.seconds:.1f} s"
    )
    for page, copy in report.kept:
        say(f"{page} was changed since netvault wrote it: your version is kept as {copy}", err=True)
    report_vault_problems(vault)


def _shown(path: Path) -> str:
    """The folder as the user would type it: relative to here when inside."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return Path(rel).as_posix() if not rel.startswith("..") else Path(os.path.abspath(path)).as_posix()

"""The ``netvault`` command: a thin click layer over the library.

Only this module talks to the terminal, reads the clock or the environment.
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date
from pathlib import Path

import click

from . import __version__
from .agenda import build_agenda
from .cadence import CadenceError, parse_cadence
from .config import CIRCLES
from .dates import DateError, parse_date
from .links import NameIndex
from .loader import find_root, load_vault
from .model import CHANNELS, Vault
from .problems import ERROR, WARNING, Problem, has_errors
from .render import FORMATS, RenderError, render_agenda
from .scaffold import ScaffoldError, contact_path, init_vault, render_contact, write_new


class NetvaultError(click.ClickException):
    """A user-facing failure: printed as ``Error: message``, exit code 1."""

    exit_code = 1


def _today(ctx, param, value):
    if value is None:
        return date.today()
    try:
        return parse_date(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None


def vault_options(func):
    """``--vault DIR`` (or NETVAULT_VAULT, or the nearest netvault.toml upward)."""

    @click.option(
        "--vault",
        "vault_dir",
        type=click.Path(path_type=Path),
        envvar="NETVAULT_VAULT",
        show_envvar=True,
        help="The vault folder (default: the nearest folder upward holding netvault.toml, "
        "else the current folder).",
    )
    @functools.wraps(func)
    def wrapper(*args, vault_dir, **kwargs):
        if vault_dir is None:
            root = find_root(Path.cwd())
        else:
            if not vault_dir.exists():
                raise NetvaultError(f"vault folder {str(vault_dir)!r} does not exist")
            if not vault_dir.is_dir():
                raise NetvaultError(f"{str(vault_dir)!r} is a file; --vault takes a folder")
            root = vault_dir
        return func(*args, root=root, **kwargs)

    return wrapper


def today_option(func):
    return click.option(
        "--today",
        callback=_today,
        metavar="YYYY-MM-DD",
        help="Pretend today is this date (for reproducible output). Default: the real date.",
    )(func)


def _use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _echo_problems(problems) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="netvault")
def main() -> None:
    """netvault: a personal CRM for career networking that lives in plain text.

    Each person is a Markdown file with YAML frontmatter in a folder (the
    vault). netvault reads it and tells you who to get back in touch with.

    Example:

        netvault agenda --vault example_vault
    """


@main.command()
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
@click.option("--limit", type=click.IntRange(1), help="Show at most N items, most urgent first.")
def agenda(root: Path, today: date, fmt: str, days, circles, limit) -> None:
    """Who is due for a touch-base, and why.

    Sections: overdue, due today, coming up, follow-ups, birthdays, and
    people you asked a favour of without giving anything since. Problems in
    the vault go to stderr (or into "problems" in JSON); the rest of the
    agenda is still shown.

    Example:

        netvault agenda --today 2026-11-22 --format markdown > Agenda.md
    """
    vault = load_vault(root, today)
    result = build_agenda(vault, today, days, [c.lower() for c in circles], limit)
    color = fmt == "text" and _use_color(sys.stdout)
    try:
        output = render_agenda(result, fmt, root, color=color)
    except RenderError as exc:
        raise NetvaultError(str(exc)) from None
    click.echo(output, nl=False, color=color)
    if fmt != "json" and vault.problems:
        _echo_problems(vault.problems)
        click.echo(
            f"{_count(vault.problems)} in the vault; run `netvault check` for details.",
            err=True,
        )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _count(problems) -> str:
    errors = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    parts = []
    if errors:
        parts.append(_plural(errors, "error"))
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return ", ".join(parts) or "no problems"


@main.command()
@vault_options
@today_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any problem).")
def check(root: Path, today: date, strict: bool) -> None:
    """Validate the vault: every problem as path:line: severity: message.

    Exits 1 when there are errors (or any problem with --strict), else 0.

    Example:

        netvault check --strict
    """
    vault = load_vault(root, today)
    for problem in vault.problems:
        if strict and problem.severity == WARNING:
            problem = Problem(problem.path, problem.line, ERROR, problem.message)
        click.echo(problem.format())
    click.echo(
        f"{_count(vault.problems)} in {_plural(vault.notes, 'note')} "
        f"({_plural(len(vault.contacts), 'contact')})",
        err=True,
    )
    if has_errors(vault.problems, strict):
        sys.exit(1)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new vault: netvault.toml, a contact template, one example contact.

    Example:

        netvault init my-network
    """
    try:
        made = init_vault(directory)
    except ScaffoldError as exc:
        raise NetvaultError(str(exc)) from None
    except OSError as exc:
        raise NetvaultError(f"cannot create the vault in {directory}: {exc.strerror}") from None
    click.echo(f"Created a vault in {directory}:")
    for rel in made:
        click.echo(f"  {rel}")
    click.echo("Next: netvault add \"Jane Doe\" --circle strategic, then netvault agenda")


def _cadence(ctx, param, value):
    if value is None:
        return None
    try:
        parse_cadence(value)
    except CadenceError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _date_text(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_date(value).isoformat()
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@vault_options
@click.argument("name")
@click.option("--circle", type=click.Choice(CIRCLES, case_sensitive=False), help="buddy, strategic, lukewarm or cold.")
@click.option("--origin", help="How you know them: former-boss, former-client, classmate, ...")
@click.option("--org", help="Organisation.")
@click.option("--role", help="Their role.")
@click.option("--email")
@click.option("--phone")
@click.option("--linkedin", help="Profile URL.")
@click.option("--channel", "channels", multiple=True, type=click.Choice(CHANNELS), help="Preferred channel (repeatable).")
@click.option("--cadence", callback=_cadence, help="Own rhythm, e.g. 2m, 6w, 4/year, quarterly.")
@click.option("--priority", type=click.IntRange(1), help="Your top ten: 1 = highest.")
@click.option("--introduced-by", help="Who introduced you (a contact's name).")
@click.option("--alias", "aliases", multiple=True, help="Another name they go by (repeatable).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
def add(root: Path, name: str, **options) -> None:
    """Create a contact file from the template; never overwrites.

    The file goes in the first contacts folder (people/ by default) and is
    named after the person, so Obsidian's [[Jane Doe]] links resolve.

    Example:

        netvault add "Jane Doe" --circle strategic --org Acme --email jane@acme.com
    """
    vault = load_vault(root)
    if not name.strip():
        raise NetvaultError("the name is empty")
    existing = NameIndex(vault.contacts).lookup(name)
    if existing:
        raise NetvaultError(
            f"{name!r} is already a contact: "
            + ", ".join(c.path for c in existing)
            + " (use an alias or a fuller name for a different person)"
        )
    values = {k: v for k, v in options.items() if v not in (None, ())}
    if "circle" in values:
        values["circle"] = values["circle"].lower()
    for key in ("channels", "aliases", "tags"):
        if key in values:
            values[key] = list(values[key])
    if "introduced_by" in values:
        values["introduced_by"] = f"[[{values['introduced_by'].strip('[]')}]]"
    try:
        path, rel = contact_path(root, vault.config, name)
    except ScaffoldError as exc:
        raise NetvaultError(str(exc)) from None
    if path.exists():
        raise NetvaultError(f"{rel} already exists; netvault never overwrites a contact")
    try:
        text = render_contact(root, name.strip(), values, vault.config)
    except RenderError as exc:
        raise NetvaultError(str(exc)) from None
    try:
        write_new(path, text)
    except FileExistsError:
        raise NetvaultError(f"{rel} already exists; netvault never overwrites a contact") from None
    except OSError as exc:
        raise NetvaultError(f"cannot write {rel}: {exc.strerror}") from None
    click.echo(f"Created {rel}")


if __name__ == "__main__":  # pragma: no cover
    main()

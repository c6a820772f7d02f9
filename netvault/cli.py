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
from .config import CIRCLES, CONFIG_NAME
from .dates import DateError, parse_date
from .links import LookupFailed, NameIndex, fold
from .loader import find_root, load_vault, note_stem
from .model import CHANNELS, Contact, Vault
from .record import (
    KNOWN_KEYS,
    Edit,
    ValueProblem,
    apply,
    check_key,
    duration_from,
    entry_line,
    log_transform,
    move_line,
    typed_value,
)
from .problems import ERROR, WARNING, Problem, has_errors
from .render import FORMATS, RenderError, render_agenda
from .scaffold import ScaffoldError, contact_path, init_vault, render_contact, write_new
from .writer import ConflictError, EditError, add_log_entry, set_field, unset_field


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

    \b
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

    \b
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

    \b
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

    \b
        netvault init my-network
    """
    try:
        made = init_vault(directory)
    except ScaffoldError as exc:
        raise NetvaultError(str(exc)) from None
    except OSError as exc:
        raise NetvaultError(f"cannot create the vault in {directory}: {exc.strerror or exc}") from None
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

    \b
        netvault add "Jane Doe" --circle strategic --org Acme --email jane@acme.com
    """
    vault = load_vault(root)
    name = " ".join(name.split())  # a name is one line: tabs and newlines become spaces
    if not name:
        raise NetvaultError("the name is empty")
    if not (root / CONFIG_NAME).is_file():
        click.echo(
            f"note: no {CONFIG_NAME} here or above; using {root} as the vault "
            "(netvault init makes one)",
            err=True,
        )
    existing = NameIndex(vault.contacts).lookup(name)
    if existing:
        raise NetvaultError(
            f"{name!r} is already a contact: "
            + ", ".join(c.path for c in existing)
            + " (use an alias or a fuller name for a different person)"
        )
    _refuse_taken_names(vault, options.get("aliases") or ())
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
        text = render_contact(root, name, values, vault.config)
    except (RenderError, EditError) as exc:
        raise NetvaultError(str(exc)) from None
    try:
        write_new(path, text)
    except FileExistsError:
        raise NetvaultError(f"{rel} already exists; netvault never overwrites a contact") from None
    except OSError as exc:
        raise NetvaultError(f"cannot write {rel}: {exc.strerror or exc}") from None
    click.echo(f"Created {rel}")


# --- editing commands ---------------------------------------------------------


def dry_run_option(func):
    return click.option(
        "--dry-run", is_flag=True, help="Print a diff of what would change; write nothing."
    )(func)


def _find(vault: Vault, name: str) -> Contact:
    try:
        return NameIndex(vault.contacts).find(name)
    except LookupFailed as exc:
        message = str(exc)
        wanted = fold(name).removesuffix(".md").rsplit("/", 1)[-1]
        readable = {c.path for c in vault.contacts}
        for problem in vault.problems:
            if (
                problem.severity == ERROR
                and problem.path not in readable
                and fold(note_stem(problem.path)) == wanted
            ):
                message += (
                    f"\n{problem.format()}\n(that file may be this contact, but netvault "
                    "cannot read it until it is fixed)"
                )
        raise NetvaultError(message) from None


def _refuse_taken_names(vault: Vault, names, owner: Contact | None = None) -> None:
    """A name or alias that already means someone else would make NAMEs ambiguous."""
    index = NameIndex(vault.contacts)
    for name in names:
        others = [c for c in index.lookup(name) if c is not owner and c.path != getattr(owner, "path", None)]
        if others:
            raise NetvaultError(
                f"{name!r} is already the name or alias of "
                + ", ".join(f"{c.name} ({c.path})" for c in others)
                + "; pick a name only this person has"
            )


def _apply(vault: Vault, contact: Contact, transform, dry_run: bool) -> Edit:
    try:
        return apply(vault, contact, transform, dry_run)
    except ConflictError:
        raise NetvaultError(
            f"{contact.path} changed on disk while netvault was editing it; nothing was "
            "written. Run the command again."
        ) from None
    except EditError as exc:
        where = contact.path if exc.line is None else f"{contact.path}:{exc.line}"
        raise NetvaultError(f"cannot edit {where}: {exc.message}; the file was left as it was") from None


def _report(edit: Edit, dry_run: bool, message: str) -> None:
    if dry_run:
        click.echo(edit.diff(), nl=False)
        click.echo(f"dry run: {edit.rel} not written", err=True)
    elif not edit.changed:
        click.echo(f"{edit.rel}: nothing to change")
    else:
        click.echo(message)


def _checked(func, *args):
    try:
        return func(*args)
    except ValueProblem as exc:
        raise NetvaultError(str(exc)) from None


CHANNEL_OPTION = click.option(
    "--channel", type=click.Choice(CHANNELS, case_sensitive=False), help="How you were in touch."
)


@main.command()
@vault_options
@today_option
@click.argument("names_and_text", nargs=-1, required=True, metavar="NAME... TEXT")
@click.option("--date", "when", callback=_date_text, metavar="YYYY-MM-DD", help="When it happened (default: today).")
@CHANNEL_OPTION
@click.option("--gave", is_flag=True, help="You gave something of value (adds #gave).")
@click.option("--asked", is_flag=True, help="You asked a favour (adds #asked).")
@click.option("--planned", is_flag=True, help="Allow a future date: a planned meeting (adds #planned).")
@dry_run_option
def log(root, today, names_and_text, when, channel, gave, asked, planned, dry_run):
    """Record an interaction in each contact's log; moves last_contact forward.

    Several names log one meeting with several people. The entry goes into
    the log section in the order the file already uses (newest first or
    last); the section is created when there is none. last_contact never
    moves backward, so logging an old conversation is safe.

    Example:

    \b
        netvault log "Jane Doe" "coffee, she is hiring in Q1" --channel in-person --gave
    """
    if len(names_and_text) < 2:
        raise click.UsageError("give at least one NAME and the TEXT to log")
    *names, text = names_and_text
    vault = load_vault(root, today)
    if NameIndex(vault.contacts).lookup(text):
        raise click.UsageError(
            f"the last argument is the TEXT to log, but {text!r} is a contact's name; "
            "add the text, e.g. netvault log NAME \"coffee, talked about X\""
        )
    day = date.fromisoformat(when) if when else today
    if day > today and not planned:
        raise NetvaultError(
            f"{day.isoformat()} is in the future; use --planned to log a planned meeting"
        )
    contacts = []
    for name in names:
        contact = _find(vault, name)
        if contact not in contacts:
            contacts.append(contact)
    line = _checked(entry_line, day, text, channel and channel.lower(), gave, asked, day > today)
    transform = log_transform(line, day, today, vault.config.log_heading)
    # Check every file before writing any, so a refusal leaves all untouched.
    for contact in contacts:
        _apply(vault, contact, transform, dry_run=True)
    for contact in contacts:
        edit = _apply(vault, contact, transform, dry_run)
        _report(edit, dry_run, f"Logged for {contact.name} ({contact.path}): {line[2:]}")


@main.command()
@vault_options
@today_option
@click.argument("name")
@click.option("--until", "until", callback=_date_text, metavar="YYYY-MM-DD", help="Snooze until this date.")
@click.option("--for", "length", metavar="LENGTH", help="Snooze for 30d, 2w, 3m, 1y ...")
@dry_run_option
def snooze(root, today, name, until, length, dry_run):
    """Hold off a touch-base until a date (sets snooze_until).

    Example:

    \b
        netvault snooze "Jane Doe" --for 30d
    """
    if (until is None) == (length is None):
        raise click.UsageError("give exactly one of --until DATE or --for LENGTH")
    day = date.fromisoformat(until) if until else _checked(duration_from, today, length)
    if day <= today:
        raise NetvaultError(f"{day.isoformat()} is not after today ({today.isoformat()}); nothing to snooze")
    vault = load_vault(root, today)
    contact = _find(vault, name)
    edit = _apply(vault, contact, lambda text: set_field(text, "snooze_until", day.isoformat()), dry_run)
    _report(edit, dry_run, f"Snoozed {contact.name} until {day.isoformat()} ({contact.path})")


@main.command("follow-up")
@vault_options
@today_option
@click.argument("name")
@click.argument("when", metavar="DATE", callback=_date_text)
@click.argument("note", nargs=-1)
@dry_run_option
def follow_up(root, today, name, when, note, dry_run):
    """Promise a next step on a date (sets follow_up: DATE NOTE).

    Example:

    \b
        netvault follow-up "Jane Doe" 2026-11-30 send her the deck
    """
    value = f"{when} {' '.join(' '.join(note).split())}".strip()
    vault = load_vault(root, today)
    contact = _find(vault, name)
    edit = _apply(vault, contact, lambda text: set_field(text, "follow_up", value), dry_run)
    _report(edit, dry_run, f"Follow-up for {contact.name} on {value} ({contact.path})")


@main.command()
@vault_options
@today_option
@click.argument("name")
@click.option("--date", "when", callback=_date_text, metavar="YYYY-MM-DD", help="When you did it (default: today).")
@CHANNEL_OPTION
@click.option("--gave", is_flag=True, help="It gave them something of value (adds #gave).")
@dry_run_option
def done(root, today, name, when, channel, gave, dry_run):
    """Mark the follow-up done: clears follow_up and logs it.

    Example:

    \b
        netvault done "Jane Doe" --channel email --gave
    """
    day = date.fromisoformat(when) if when else today
    if day > today:
        raise NetvaultError(f"{day.isoformat()} is in the future; a follow-up is done when it is done")
    vault = load_vault(root, today)
    contact = _find(vault, name)
    if contact.follow_up is None:
        raise NetvaultError(f"{contact.name} has no follow_up to mark done ({contact.path})")
    what = contact.follow_up.note or f"follow-up of {contact.follow_up.date.isoformat()}"
    line = _checked(entry_line, day, f"done: {what}", channel and channel.lower(), gave)
    log_it = log_transform(line, day, today, vault.config.log_heading)
    edit = _apply(vault, contact, lambda text: unset_field(log_it(text), "follow_up"), dry_run)
    _report(edit, dry_run, f"Done for {contact.name} ({contact.path}): {line[2:]}")


@main.command()
@vault_options
@today_option
@click.argument("name")
@click.option("--circle", required=True, type=click.Choice(CIRCLES, case_sensitive=False), help="The new circle.")
@dry_run_option
def move(root, today, name, circle, dry_run):
    """Move someone to another circle and log the move (funnel history).

    The log line ("moved lukewarm → buddy") is history, not a conversation:
    it does not count as a contact.

    Example:

    \b
        netvault move "Jane Doe" --circle buddy
    """
    circle = circle.lower()
    vault = load_vault(root, today)
    contact = _find(vault, name)
    if contact.circle == circle:
        raise NetvaultError(f"{contact.name} is already in the {circle} circle")
    line = move_line(contact.circle, circle, today)

    def transform(text: str) -> str:
        return set_field(add_log_entry(text, line, vault.config.log_heading), "circle", circle)

    edit = _apply(vault, contact, transform, dry_run)
    _report(
        edit,
        dry_run,
        f"Moved {contact.name} from {contact.circle or 'no circle'} to {circle} ({contact.path})",
    )


@main.command("set")
@vault_options
@today_option
@click.argument("name")
@click.argument("key")
@click.argument("value")
@dry_run_option
def set_command(root, today, name, key, value, dry_run):
    """Set one frontmatter field, checked and typed like the file format.

    Dates must be YYYY-MM-DD; circle, cadence and priority are checked;
    aliases, channels, goals, tags and knows take a comma-separated list and
    are written as YAML lists; introduced_by and knows become [[wikilinks]].
    The line changes in place; its comment and the other lines stay.

    Example:

    \b
        netvault set "Jane Doe" tags "mentor, product"
    """
    key = _checked(check_key, key)
    typed = _checked(typed_value, key, value)
    vault = load_vault(root, today)
    contact = _find(vault, name)
    if key in ("name", "aliases"):
        _refuse_taken_names(vault, [typed] if isinstance(typed, str) else typed, contact)
    if key not in KNOWN_KEYS and key not in contact.fields:
        click.echo(
            f"note: netvault does not use '{key}'; it is kept in the file as written",
            err=True,
        )
    edit = _apply(vault, contact, lambda text: set_field(text, key, typed), dry_run)
    shown = "[" + ", ".join(typed) + "]" if isinstance(typed, list) else typed
    _report(edit, dry_run, f"Set {key}: {shown} for {contact.name} ({contact.path})")


@main.command()
@vault_options
@today_option
@click.argument("name")
@click.argument("key")
@dry_run_option
def unset(root, today, name, key, dry_run):
    """Remove one frontmatter field (its line, or lines for a block list).

    Example:

    \b
        netvault unset "Jane Doe" snooze_until
    """
    key = _checked(check_key, key)
    vault = load_vault(root, today)
    contact = _find(vault, name)
    if key not in contact.fields:
        raise NetvaultError(f"{contact.name} has no {key} ({contact.path})")
    edit = _apply(vault, contact, lambda text: unset_field(text, key), dry_run)
    _report(edit, dry_run, f"Removed {key} from {contact.name} ({contact.path})")


if __name__ == "__main__":  # pragma: no cover
    main()

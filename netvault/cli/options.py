"""What every command shares: options, error handling, messages.

Only the ``netvault.cli`` package imports click; the library never prints.
"""

from __future__ import annotations

import re
import functools
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..read.vaultfile import CONFIG_NAME
from ..read.vaultfile import find_root
from ..values.cadence import CadenceError, parse_cadence
from ..values.dates import DateError, parse_date, parse_day_words
from ..values.names import fold
from ..values.problems import ERROR, WARNING, printable
from ..values.vocabulary import CHANNELS

# The reader, the record, loader and writer modules (and YAML with them) are
# imported where they are used, so that every command module can import this
# one cheaply, and a shell completion loads no more than the command's options.
if TYPE_CHECKING:
    from ..edit.record import Edit
    from ..read.model import Contact, Vault


class NetvaultError(click.ClickException):
    """A user-facing failure: printed as ``Error: message``, exit code 1."""

    exit_code = 1

    def format_message(self) -> str:
        return safe(self.message)


def safe(text: str) -> str:
    """Text from the user's files, fit for a terminal: line by line, without
    control characters (a name could hold a terminal escape sequence)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def format_option(func):
    """``--format text|json`` for the commands that print a report."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(("text", "json")),
        default="text",
        show_default=True,
        help="text for the terminal, or json (stable, sorted keys).",
    )(func)


def echo_json(value) -> None:
    from ..views.jsondoc import document_json

    click.echo(document_json(value, sort_keys=True), nl=False)


SHOWN_ERRORS = 5  # errors a command other than check prints before the count


def report_vault_problems(vault: Vault) -> None:
    """Errors matter now (a contact may be missing): the first few are shown,
    the rest counted; warnings can wait for check.  Hundreds of errors never
    flood the terminal before the agenda."""
    if vault.problems:
        errors = [p for p in vault.problems if p.severity == ERROR]
        echo_problems(errors[:SHOWN_ERRORS])
        if len(errors) > SHOWN_ERRORS:
            click.echo(f"... and {len(errors) - SHOWN_ERRORS} more errors", err=True)
        click.echo(
            f"{count_problems(vault.problems)} in the vault; run `netvault check` for details.",
            err=True,
        )


def say(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """One line for the terminal: a line break inside a value from the vault
    becomes a space, so a field can never fake a line of output."""
    click.echo(printable(text), err=err, nl=nl)


def say_lines(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Several lines that netvault itself put together (a diff, a report)."""
    click.echo(safe(text), err=err, nl=nl)


def clock_today() -> date:
    """The one place netvault reads the date from the clock (tests forbid it)."""
    return date.today()


def _today_callback(ctx, param, value):
    if ctx.resilient_parsing:
        return None  # shell completion: nothing is dated, and a half-typed date is no error
    if value is None:
        return clock_today()
    try:
        if re.match(r"^\s*\d+-\d+-\d+\s*$", value):
            return parse_date(value)
        parse_day_words(value, date(2000, 1, 1), future=True)  # the words are checked before the clock is read
        return parse_day_words(value, clock_today(), future=True)  # "yesterday", "next mon"...
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None


def future_day(text: str, today: date, hint: str) -> date:
    """A date option that looks ahead (``snooze --until``, ``follow-up DATE``),
    as people type it, read against --today."""
    try:
        return parse_day_words(text, today, future=True)
    except DateError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None


def vault_dir_option(help_text: str):
    """``--vault DIR`` (or NETVAULT_VAULT), given to the command as ``vault_dir``,
    unchecked; ``help_text`` says what the command does without it."""
    return click.option(
        "--vault",
        "vault_dir",
        type=click.Path(path_type=Path),
        envvar="NETVAULT_VAULT",
        show_envvar=True,
        help=help_text,
    )


def vault_options(func):
    """``--vault DIR`` (or NETVAULT_VAULT, or the nearest netvault.toml upward)."""

    @vault_dir_option(
        "The vault folder (default: the nearest folder upward holding netvault.toml, "
        "else the current folder)."
    )
    @click.option(
        "--no-cache",
        is_flag=True,
        envvar="NETVAULT_NO_CACHE",
        show_envvar=True,
        help="Read every note, ignoring what .netvault/cache/ remembers (it is never "
        "trusted over the files anyway).",
    )
    @functools.wraps(func)
    def wrapper(*args, vault_dir, no_cache, **kwargs):
        if no_cache:
            from ..read.cache import bypassed

            with bypassed():
                return wrapper(*args, vault_dir=vault_dir, no_cache=False, **kwargs)
        if vault_dir is None:
            root = find_root(Path.cwd())
        else:
            if not vault_dir.exists():
                raise NetvaultError(f"vault folder {str(vault_dir)!r} does not exist")
            if not vault_dir.is_dir():
                raise NetvaultError(f"{str(vault_dir)!r} is a file; --vault takes a folder")
            root = vault_dir
        finish_interrupted(root)
        return func(*args, root=root, **kwargs)

    return wrapper


def finish_interrupted(root: Path) -> None:
    """A change of several files that a killed netvault left halfway (a
    merge, a rename) is finished before anything reads the vault."""
    if not os.path.lexists(os.path.join(root, ".netvault", "journal.json")):
        return
    from ..edit.diskwrite import finish_pending
    from ..edit.errors import EditError

    try:
        done = finish_pending(root)
    except EditError as exc:
        raise NetvaultError(f"cannot finish the change an earlier netvault command left halfway: {exc}") from None
    if done:
        say("netvault finished a change an earlier command left halfway:", err=True)
        for line in done:
            say(f"  {line}", err=True)


def today_option(func):
    return click.option(
        "--today",
        callback=_today_callback,
        metavar="YYYY-MM-DD",
        help="Pretend today is this date (for reproducible output). Default: the real date.",
    )(func)


def use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def echo_problems(problems) -> None:
    for problem in problems:
        click.echo(problem.format(), err=True)




def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def count_problems(problems) -> str:
    errors = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    parts = []
    if errors:
        parts.append(plural(errors, "error"))
    if warnings:
        parts.append(plural(warnings, "warning"))
    return ", ".join(parts) or "no problems"



def cadence_callback(ctx, param, value):
    if value is None:
        return None
    try:
        parse_cadence(value)
    except CadenceError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def date_callback(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_date(value).isoformat()
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None



def dry_run_option(func):
    return click.option(
        "--dry-run", is_flag=True, help="Print a diff of what would change; write nothing."
    )(func)


def find_contact(vault: Vault, name: str) -> Contact:
    from ..read.vaultfile import note_stem
    from ..read.names import LookupFailed

    try:
        return vault.names.find(name)
    except LookupFailed as exc:
        if exc.reason == "matches more than one contact" and sys.stdin.isatty() and sys.stdout.isatty():
            return _choose_contact(name, exc.candidates)
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


_CIRCLE_ORDER = {"buddy": 0, "strategic": 1, "lukewarm": 2, "cold": 3}


def _choose_contact(name: str, candidates) -> Contact:
    """On a terminal, a NAME that several contacts answer to is a numbered
    choice: the inner circles first, then the most recently in touch."""
    from ..playbook.due import latest_entry

    def last(contact) -> str:
        entry = latest_entry(contact.log, date.max)
        dates = [d for d in (contact.last_contact, entry.date if entry else None) if d is not None]
        return max(dates).isoformat() if dates else ""

    ordered = sorted(candidates, key=lambda c: (c.name.casefold(), c.path))
    ordered.sort(key=last, reverse=True)  # the most recently in touch first ...
    ordered.sort(key=lambda c: _CIRCLE_ORDER.get(c.circle or "", 4))  # ... within the closer circles first
    say(f"{name!r} matches {len(ordered)} contacts:")
    for number, contact in enumerate(ordered, 1):
        bits = [contact.circle or "no circle"] + ([f"last contact {last(contact)}"] if last(contact) else [])
        say(f"  {number} {contact.name} ({contact.path}), {', '.join(bits)}")
    answer = click.prompt(f"Which one? [1-{len(ordered)}, Enter to cancel]", default="", show_default=False)
    if answer.strip().isdigit() and 1 <= int(answer) <= len(ordered):
        return ordered[int(answer) - 1]
    raise NetvaultError(f"{name!r} matches more than one contact; nothing chosen")


def read_in_full(vault: Vault, contact: Contact) -> Contact:
    """``contact`` as its file holds it now, when ``vault`` came from
    :func:`netvault.read.loader.load_names` (which keeps only names of unchanged
    files)."""
    from ..read.loader import load_contact_file

    full, problems = load_contact_file(Path(vault.root), contact.path, vault.config)
    if full is None:
        reason = "; ".join(p.format() for p in problems if p.severity == ERROR)
        raise NetvaultError(
            f"{contact.path} changed on disk and is no longer a contact netvault can read"
            + (f": {reason}" if reason else "")
        )
    return full


class StaleNames(Exception):
    """What the cache said of a file's names is not what the file holds."""


def find_in_full(vault: Vault, name: str) -> Contact:
    """The contact ``name`` means, as its file holds it now, when ``vault``
    came from :func:`netvault.read.loader.load_names`.  The file itself must
    answer to the names the cache gave it; StaleNames otherwise (a cache
    planted or damaged behind netvault's back never picks the file written)."""
    from ..read.names import NameIndex

    stub = find_contact(vault, name)
    full = read_in_full(vault, stub)
    if NameIndex.keys(full) != NameIndex.keys(stub):
        raise StaleNames(stub.path)
    return full


def refuse_taken_names(vault: Vault, names, owner: Contact | None = None) -> None:
    """A name or alias that is already someone else's own name (or file name)
    would leave two people no [[link]] or NAME can tell apart.  An alias
    others share too (a first name) is normal, and allowed."""
    index = vault.names
    for name in names:
        key = fold(name)
        others = [
            c for c in index.lookup(name)
            if c is not owner and c.path != getattr(owner, "path", None) and key in (fold(c.name), fold(c.stem))
        ]
        if others:
            raise NetvaultError(
                f"{name!r} is already the name of "
                + ", ".join(f"{c.name} ({c.path})" for c in others)
                + "; pick a name only this person has"
            )


def refuse_broken_settings(vault: Vault) -> None:
    """Commands that write refuse while netvault.toml has errors: the log
    heading or the contacts folder they would use may be wrong."""
    broken = [p for p in vault.problems if p.path == CONFIG_NAME and p.severity == ERROR]
    if broken:
        raise NetvaultError(
            f"{CONFIG_NAME} has errors, so netvault changes no file until they are fixed:\n"
            + "\n".join(p.format() for p in broken)
        )


def apply_edit(vault: Vault, contact: Contact, transform, dry_run: bool, today: date | None) -> Edit:
    return apply_edits(vault, [(contact, transform)], dry_run, today)[0]


def apply_edits(vault: Vault, changes, dry_run: bool, today: date | None) -> list[Edit]:
    """Edit every contact or none; a refusal names the file (and line).

    The edit is first made in memory and checked like ``netvault check``
    would: a new error refuses it, a new warning is printed.
    """
    from ..edit.record import introduced_problems

    refuse_broken_settings(vault)
    previews = _apply_all(vault, changes, True)
    for edit in previews:
        for problem in introduced_problems(vault, edit, today):
            if problem.severity == ERROR:
                raise NetvaultError(
                    f"not written: {edit.rel} would then fail `netvault check`:\n{problem.format()}"
                )
            say(problem.format(), err=True)
    if dry_run:
        return previews
    return _apply_all(vault, changes, False)


def _apply_all(vault: Vault, changes, dry_run: bool) -> list[Edit]:
    from ..edit.errors import ConflictError, EditError, PartialWrite
    from ..edit.record import apply_all

    root = Path(vault.root)

    def rel(path) -> str:
        for contact, _ in changes:
            if path is not None and Path(path) == root / contact.path:
                return contact.path
        return changes[0][0].path if path is None else str(path)

    try:
        return apply_all(vault, changes, dry_run)
    except PartialWrite as exc:
        written = ", ".join(rel(p) for p in exc.written)
        raise NetvaultError(
            f"cannot write {rel(exc.failed)}: {exc.message.split('; already written')[0]}. "
            f"Already written: {written}; {rel(exc.failed)} and the rest were left as they were"
        ) from None
    except ConflictError as exc:
        raise NetvaultError(
            f"{rel(exc.path)} changed on disk while netvault was editing it; nothing was "
            "written. Run the command again."
        ) from None
    except EditError as exc:
        path = rel(exc.path)
        where = path if exc.line is None else f"{path}:{exc.line}"
        left = "the file was left as it was" if len(changes) == 1 else "no file was changed"
        raise NetvaultError(f"cannot edit {where}: {exc.message}; {left}") from None


def report_edit(edit: Edit, dry_run: bool, message: str) -> None:
    report_edits([(edit, message)], dry_run)


def report_edits(done, dry_run: bool) -> None:
    """Print what happened to each ``(edit, success message)``; conflict copies
    are announced on stderr and make the command exit 1."""
    conflicts = []
    for edit, message in done:
        if dry_run:
            say_lines(edit.diff(), nl=False)
            say(f"dry run: {printable(edit.rel)} not written", err=True)
        elif not edit.changed:
            say(f"{printable(edit.rel)}: nothing to change")
        else:
            say(printable(message))
        if edit.conflict:
            conflicts.append(edit)
    for edit in conflicts:
        if edit.conflict_kept == "theirs":
            say(
                f"Conflict: another program wrote {edit.rel} while netvault saved it. "
                f"netvault's change is in {edit.rel}; the other program's version is kept "
                f"in {edit.conflict}. Merge what you need and delete the copy.",
                err=True,
            )
        else:
            say(
                f"Conflict: another program replaced {edit.rel} right after netvault saved "
                f"it. Its version is in {edit.rel}; netvault's version is kept in "
                f"{edit.conflict}. Merge what you need and delete the copy.",
                err=True,
            )
    if conflicts:
        raise SystemExit(1)


def checked(func, *args):
    from ..edit.record import ValueProblem

    try:
        return func(*args)
    except ValueProblem as exc:
        raise NetvaultError(str(exc)) from None


CHANNEL_OPTION = click.option(
    "--channel", type=click.Choice(CHANNELS, case_sensitive=False), help="How you were in touch."
)



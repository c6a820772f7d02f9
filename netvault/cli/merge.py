"""One person, one file: ``merge`` (suggest, merge, keep apart, review) and ``rename``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .complete import contact_names
from .mergeops import (
    bookkeeping,
    find_exactly,
    guarded,
    kept_apart,
    record_apart,
    report_dry_run,
    report_merge,
    run_merge,
    suggestions,
)
from .options import (
    NetvaultError,
    echo_json,
    plural,
    refuse_broken_settings,
    say,
    today_option,
    vault_options,
)

# The reader, the playbook and the writer are imported where they are used:
# a shell completion loads this module to learn its commands' parameters, no more.


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)


@click.command()
@click.argument("names", nargs=-1, metavar="[KEEP OTHER]", shell_complete=contact_names)
@vault_options
@today_option
@click.option("--suggest", is_flag=True, help="List contacts that are probably one person, strongest first.")
@click.option("--not", "keep_apart", is_flag=True, help="Record that KEEP and OTHER are two people: never suggested again.")
@click.option("--review", is_flag=True, help="Walk the suggestions one by one on a terminal.")
@click.option("--dry-run", is_flag=True, help="Show each file's change; write nothing.")
@click.option("--limit", type=click.IntRange(min=1), help="With --suggest: at most this many.")
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
    help="With --suggest: text for the terminal, or json.",
)
def merge(names, root: Path, today: date, suggest, keep_apart, review, dry_run, limit, fmt) -> None:
    """Merge two contact files of one person into KEEP; or find such pairs.

    KEEP's values stay, OTHER's fill what KEEP lacks, lists are joined, logs
    merged in date order; values that differ are kept in KEEP under a
    "Merged from OTHER" note. Every [[link]] to OTHER in the vault is
    rewritten to KEEP, the import record follows, and OTHER's file goes to
    the vault's .trash/ folder. All files change together or none.

    Example:

    \b
        netvault merge --suggest
        netvault merge "Bob Mensah" "Robert Mensah" --dry-run
        netvault merge "Bob Mensah" "Robert Mensah"
        netvault merge --not "Jane Smith" "Jane Smith (Acme)"
        netvault merge --review
    """
    from ..read.loader import load_vault

    modes = sum(map(bool, (suggest, keep_apart, review)))
    if modes > 1:
        raise click.UsageError("use one of --suggest, --not and --review")
    if suggest or review:
        if names:
            raise click.UsageError("--suggest and --review take no names")
    elif len(names) != 2:
        raise click.UsageError("give two names: KEEP OTHER (or --suggest to find them)")
    if (limit or fmt != "text") and not suggest:
        raise click.UsageError("--limit and --format go with --suggest")
    if dry_run and (suggest or review):
        raise click.UsageError("--dry-run goes with KEEP OTHER or --not")
    vault = load_vault(root, today)
    if suggest:
        found = suggestions(vault, root)
        _print_suggestions(found[:limit] if limit else found, len(found), fmt, vault)
        _hint_region(vault)
        return
    if review:
        from .review import review_duplicates

        review_duplicates(vault, root, today, suggestions, bookkeeping(root))
        return
    keep, other = (find_exactly(vault, n) for n in names)
    if keep.path == other.path:
        raise NetvaultError(f"{names[0]!r} and {names[1]!r} are the same contact ({keep.path})")
    if keep_apart:
        record_apart(root, keep, other, dry_run)
        return
    refuse_broken_settings(vault)
    if {tuple(sorted(p)) for p in kept_apart(root)} & {tuple(sorted((keep.path, other.path)))}:
        say(
            f"note: you said {keep.name} and {other.name} are two people (.netvault/not-duplicates.json); "
            "merging them as asked",
            err=True,
        )
    change = run_merge(vault, keep, other, today, dry_run, bookkeeping(root))
    report_merge(change, keep, other, dry_run)


def _hint_region(vault) -> None:
    """Numbers without a country code are compared only in a known region."""
    from ..playbook.duplicates import phones_of
    from .mergeops import region

    if region(vault) is not None:
        return
    national = sum(
        1 for c in vault.contacts for number in phones_of(c) if not number.lstrip().startswith(("+", "00"))
    )
    if national:
        say(
            f"note: {plural(national, 'phone number')} without a country code could not be compared; "
            'say where they are from in netvault.toml: [me] region = "GB"',
            err=True,
        )


def _typed(vault, contact) -> str:
    """How to name ``contact`` on the command line: its file name, or its
    path when the file name also names someone else."""
    return contact.stem if len(vault.names.lookup(contact.stem)) == 1 else contact.path


def _print_suggestions(found, total: int, fmt: str, vault) -> None:
    if fmt == "json":
        echo_json(
            {
                "suggestions": [
                    {
                        "keep": {"name": s.keep.name, "path": s.keep.path},
                        "other": {"name": s.other.name, "path": s.other.path},
                        "score": s.score,
                        "evidence": list(s.evidence),
                    }
                    for s in found
                ],
                "total": total,
            }
        )
        return
    if not found:
        say("No likely duplicates.")
        return
    shown = f"{len(found)} of {total}" if len(found) < total else str(total)
    say(f"{shown} possible {'duplicate' if total == 1 else 'duplicates'}, strongest first:")
    for s in found:
        say("")
        say(f"{s.keep.name} ({s.keep.path})")
        say(f"  and {s.other.name} ({s.other.path})")
        for reason in s.evidence:
            say(f"  - {reason}")
        say(f"  netvault merge {_quoted(_typed(vault, s.keep))} {_quoted(_typed(vault, s.other))}")


@click.command()
@click.argument("old", shell_complete=contact_names)
@click.argument("new_name", metavar="NEW_NAME")
@vault_options
@today_option
@click.option("--dry-run", is_flag=True, help="Show each file's change; write nothing.")
def rename(old: str, new_name: str, root: Path, today: date, dry_run: bool) -> None:
    """Give a contact a new name: the file is renamed, `name:` set, the old
    name kept as an alias, and every [[link]] to it rewritten.

    Refuses a name another contact already goes by.

    Example:

    \b
        netvault rename "Ines Duarte" "Ines Duarte-Costa"
    """
    from ..edit.people import rename_contact
    from ..read.loader import load_vault

    if not new_name.strip():
        raise click.UsageError("NEW_NAME is empty")
    vault = load_vault(root, today)
    contact = find_exactly(vault, old)
    refuse_broken_settings(vault)
    change = guarded(
        lambda: rename_contact(vault, contact, new_name, dry_run=dry_run, bookkeeping=bookkeeping(root)),
        root,
    )
    if dry_run:
        report_dry_run(change)
        return
    moved = change.moved[0][1] if change.moved else contact.path
    say(f"Renamed {contact.name} to {' '.join(new_name.split())} ({moved}).")
    relinked = change.relinked
    if relinked:
        say(f"  links rewritten in {plural(len(relinked), 'note')}: {', '.join(relinked)}")

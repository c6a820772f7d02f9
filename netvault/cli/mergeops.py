"""What ``merge`` and ``merge --review`` share: running a merge, reporting
it, recording two people as kept apart, and the suggestions themselves."""

from __future__ import annotations

import os
from pathlib import Path

from .options import NetvaultError, plural, say, say_lines


def _sayer(width: int | None):
    """``say``, or with ``width`` (a review's screen) each message wrapped to
    that width, its continuation lines indented."""
    if width is None:
        return say
    import textwrap

    def wrapped(text: str = "", err: bool = False) -> None:
        indent = " " * (len(text) - len(text.lstrip(" ")) + 2)
        for line in textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False) or [""]:
            say(line, err=err)

    return wrapped


def find_exactly(vault, name: str):
    """The contact ``name`` names exactly (file name, path, ``name`` or alias,
    in any case; ``[[Name]]`` too): a merge or rename never acts on a prefix
    or a name typed without its accents."""
    from ..read.names import LookupFailed
    from .options import find_contact

    try:
        found = vault.names.exact(name)
    except LookupFailed:
        return find_contact(vault, name)  # says which contacts it matches (or asks, on a terminal)
    if found is not None:
        return found
    try:
        near = vault.names.find(name)
    except LookupFailed:
        return find_contact(vault, name)  # says it is no contact, and what is close
    raise NetvaultError(
        f"{name!r} is not exactly the name of a contact; did you mean {near.name} ({near.path})? "
        "merge and rename take a contact's exact name, file name or alias"
    )


def kept_apart(root: Path) -> list[tuple[str, str]]:
    from ..read.keptapart import KeptApartError, read_kept_apart

    try:
        pairs, _ = read_kept_apart(root)
    except KeptApartError as exc:
        raise NetvaultError(str(exc)) from None
    return pairs


def region(vault) -> str | None:
    """Where national phone numbers are read: ``[me] region``, else the locale."""
    from ..playbook.duplicates import region_from_locale

    return vault.config.me_region or region_from_locale(
        [os.environ.get("LC_ALL"), os.environ.get("LC_CTYPE"), os.environ.get("LANG")]
    )


def suggestions(vault, root: Path):
    from ..playbook.duplicates import suggest

    return suggest(vault.contacts, region(vault), [frozenset(p) for p in kept_apart(root)])


def bookkeeping(root: Path):
    """The import record follows the files a merge or rename moves."""
    from ..interop.importrecord import follow_renames

    return lambda renames: follow_renames(root, renames)


def run_merge(vault, keep, other, today, dry_run, bookkeeping):
    from ..edit.people import merge_contacts

    return guarded(
        lambda: merge_contacts(
            vault, keep, other, today, dry_run=dry_run, bookkeeping=bookkeeping, region=region(vault)
        ),
        Path(vault.root),
    )


def guarded(func, root: Path):
    """Run a merge, rename or undo; its refusal becomes one message with
    paths as the vault names them."""
    from ..edit.errors import ConflictError, EditError, PartialWrite

    prefixes = sorted({f"{root}{os.sep}", f"{os.path.realpath(root)}{os.sep}"}, key=len, reverse=True)

    def vault_relative(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix, "")
        return text

    try:
        return func()
    except PartialWrite as exc:
        raise NetvaultError(
            vault_relative(f"{exc.message}. The rest was left as it was; run `netvault check` and compare")
        ) from None
    except ConflictError as exc:
        raise NetvaultError(vault_relative(exc.message)) from None
    except EditError as exc:
        where = "" if exc.path is None else f"{exc.path}" + ("" if exc.line is None else f":{exc.line}") + ": "
        raise NetvaultError(vault_relative(f"{where}{exc.message}; no file was changed")) from None


def report_dry_run(change) -> None:
    """Each file's diff, the moves, and that nothing was written."""
    say_lines(change.diffs(), nl=False)
    for source, destination in change.moved:
        say(f"would move {source} to {destination}")
    say("dry run: nothing was written", err=True)


def report_merge(change, keep, other, dry_run: bool, width: int | None = None) -> None:
    say = _sayer(width)
    if dry_run:
        report_dry_run(change)
        return
    notes = change.notes
    say(f"Merged {other.name} ({other.path}) into {keep.name} ({keep.path}).")
    if notes is not None:
        if notes.filled:
            say(f"  filled from {other.name}: {', '.join(notes.filled)}")
        if notes.joined:
            say(f"  joined: {', '.join(notes.joined)}")
        if notes.log_added:
            say(f"  log: {notes.log_added} {'entry' if notes.log_added == 1 else 'entries'} added")
        for item in notes.differing:
            say(f"  differs, kept under \"Merged from {other.name}\": {item}")
    relinked = change.relinked
    if relinked:
        say(f"  links rewritten in {plural(len(relinked), 'note')}: {', '.join(relinked)}")
    for source, destination in change.moved:
        say(f"  moved {source} to {destination}")


def record_apart(root: Path, first, second, dry_run: bool, width: int | None = None) -> None:
    say = _sayer(width)
    from ..edit.files import atomic_write, create_file
    from ..edit.errors import EditError
    from ..read.keptapart import NAME, SHOWN, kept_apart_text, read_kept_apart
    from ..read.ownfolder import OwnFolderError, own_folder

    pairs = kept_apart(root)
    pair = tuple(sorted((first.path, second.path)))
    if first.name.casefold() == second.name.casefold():  # say which two
        first_shown, second_shown = f"{first.name} ({first.path})", f"{second.name} ({second.path})"
    else:
        first_shown, second_shown = first.name, second.name
    if pair in {tuple(sorted(p)) for p in pairs}:
        say(f"{first_shown} and {second_shown} are already kept apart.")
        return
    data = kept_apart_text([*pairs, pair])
    if dry_run:
        say(f"would record in {SHOWN}: {first_shown} and {second_shown} are two people")
        return
    try:
        folder = own_folder(root)
        _, old = read_kept_apart(root)
        if old is None:
            create_file(folder / NAME, data)
        else:
            atomic_write(folder / NAME, data, old)
    except (EditError, OwnFolderError) as exc:
        raise NetvaultError(f"cannot write {SHOWN}: {getattr(exc, 'message', None) or exc}") from None
    say(f"{first_shown} and {second_shown} are two people: never suggested again (recorded in {SHOWN}).")


def forget_apart(root: Path, pair: tuple[str, str]) -> None:
    from ..edit.files import atomic_write
    from ..read.keptapart import NAME, kept_apart_text, read_kept_apart
    from ..read.ownfolder import own_folder

    pairs, old = read_kept_apart(root)
    left = [p for p in pairs if tuple(sorted(p)) != pair]
    if old is not None:
        atomic_write(own_folder(root) / NAME, kept_apart_text(left), old)

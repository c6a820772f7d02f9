"""``netvault import`` and ``netvault export``: other programs' formats."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from ..read.loader import load_vault
from ..read.settings import CIRCLES
from .options import (
    NetvaultError,
    dry_run_option,
    echo_json,
    refuse_broken_settings,
    say,
    say_lines,
    today_option,
    vault_options,
)

SOURCES = ("linkedin", "vcard", "google", "outlook", "csv", "mail", "calendar", "messages")
FORMATS = ("vcard", "ics", "csv", "json")
PROGRESS_FROM = 200  # rows: a progress bar on a terminal from this many


def _read(source: str, path: Path, mapping: str | None, today: date):
    from ..interop import FormatError

    try:
        if source == "linkedin":
            from ..interop import linkedin

            return linkedin.read(path)
        if source == "vcard":
            from ..interop import vcard

            return vcard.read(path)
        from ..interop import csvfile

        if source == "google":
            return csvfile.read_google(path)
        if source == "outlook":
            return csvfile.read_outlook(path, today)
        if not mapping:
            raise NetvaultError(
                'import csv needs --map saying which column is what, e.g. --map "Full name=name,Mail=email"'
            )
        try:
            fields = csvfile.parse_map(mapping)
        except ValueError as exc:
            raise NetvaultError(f"--map: {exc}") from None
        return csvfile.read_generic(path, fields)
    except FormatError as exc:
        raise NetvaultError(str(exc)) from None
    except ValueError as exc:  # a --map column the file does not have
        raise NetvaultError(f"{path.name}: {exc}") from None


@click.command("import")
@vault_options
@today_option
@click.argument("source", type=click.Choice(SOURCES, case_sensitive=False))
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--circle",
    type=click.Choice(CIRCLES, case_sensitive=False),
    default="cold",
    show_default=True,
    help="Circle of the new contacts (matched ones keep theirs).",
)
@click.option("--tag", "tags", multiple=True, help="Tag the new contacts (repeatable).")
@click.option("--map", "mapping", metavar="MAP", help='csv only: "Column=field,..." e.g. "Full name=name,Mail=email".')
@click.option(
    "--connected-as-last-contact",
    is_flag=True,
    help="LinkedIn: also write the connection date as last_contact (a connection is no conversation, "
    "so by default it is kept only as connected_on).",
)
@click.option("--subjects", is_flag=True, help="mail only: write each message's subject beside the date (never bodies).")
@click.option(
    "--suggest",
    "suggest_people",
    is_flag=True,
    help="mail only: list everyone you exchanged mail with who is not a contact (most first); writes nothing.",
)
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
    help="With --suggest: text, or json.",
)
@click.option(
    "--log",
    "to_logs",
    is_flag=True,
    help="mail, calendar, messages: write each exchange into the contacts' own ## Log instead of interactions/.",
)
@dry_run_option
def import_command(
    root, today, source, file, circle, tags, mapping, connected_as_last_contact, subjects, suggest_people, fmt,
    to_logs, dry_run
):
    """Create or update contacts from another program's export.

    SOURCE is linkedin (Connections.csv of LinkedIn's data export), vcard (a
    .vcf file or a folder of them: phones, Apple/Google Contacts), google
    (Google Contacts CSV), outlook (Outlook CSV) or csv (any CSV, with
    --map); or mail (an mbox file or a Maildir folder), calendar (an .ics
    export) and messages (LinkedIn's messages.csv), which bring in contact,
    not people: see below. People already in the vault are matched (LinkedIn profile,
    email, then exact name or alias) and only what their file lacks is
    filled in; what you wrote is never replaced. Importing the same file
    again changes nothing. A newer LinkedIn export that shows a new company
    or position logs the move and puts "congratulate them" on the agenda
    for 30 days.

    import mail reads only the headers of each message and writes one line
    per exchange with a contact into interactions/mail/YYYY-MM.md; those
    lines count as contact. Mailing lists, bulk and automatic mail never
    count. Your side is [me] emails in netvault.toml. import calendar does
    the same for past events with contacts among the attendees
    (interactions/calendar/), recurring ones expanded; cancelled and
    declined events never count. import messages counts LinkedIn
    conversations (interactions/linkedin/), never copying what was written.

    Example:

    \b
        netvault import linkedin ~/Downloads/Connections.csv --tag linkedin --dry-run
        netvault import vcard contacts.vcf --circle lukewarm
        netvault import mail "Takeout/Mail/All mail Including Spam and Trash.mbox"
    """
    from ..interop import importer
    from ..interop.importrecord import ImportProblem, read_state

    source = source.lower()
    if (suggest_people or fmt != "text") and source != "mail":
        raise click.UsageError("--suggest and --format are for import mail only")
    if fmt != "text" and not suggest_people:
        raise click.UsageError("--format goes with --suggest")
    if source == "mail" and suggest_people:
        return _mail_strangers(root, today, file, fmt)
    if source == "mail":
        return _import_mail(root, today, file, subjects, dry_run, to_logs)
    if source in ("calendar", "messages"):
        if subjects:
            raise click.UsageError("--subjects is for import mail only")
        if source == "messages":
            return _import_messages(root, today, file, dry_run, to_logs)
        return _import_calendar(root, today, file, dry_run, to_logs)
    if subjects or to_logs:
        raise click.UsageError("--subjects and --log are for import mail, calendar and messages")
    if mapping and source != "csv":
        raise click.UsageError("--map is for import csv only")
    parsed = _read(source, file, mapping, today)
    vault = load_vault(root, today)
    refuse_broken_settings(vault)
    try:
        state = read_state(root)
    except ImportProblem as exc:
        raise NetvaultError(str(exc)) from None
    plan = importer.plan(
        vault,
        parsed,
        source,
        state,
        today,
        circle=circle.lower(),
        tags=tuple(t.strip().lstrip("#") for t in tags if t.strip()),
        file_name=file.name,
        connected_as_last_contact=connected_as_last_contact,
    )
    if dry_run:
        say_lines("\n".join(plan.summary(dry_run=True)) + "\n", nl=False)
        say("dry run: nothing written", err=True)
        return
    work = len(plan.new) + len(plan.updated)
    if work >= PROGRESS_FROM and sys.stderr.isatty():
        with click.progressbar(length=work, label="Importing", file=sys.stderr) as bar:
            outcome = importer.apply(vault, plan, bar.update)
    else:
        outcome = importer.apply(vault, plan)
    say_lines("\n".join(plan.summary(dry_run=False, outcome=outcome)) + "\n", nl=False)
    for failure in outcome.failures:
        say(f"error: {failure}", err=True)
    if outcome.failures:
        raise SystemExit(1)


@click.command()
@vault_options
@today_option
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS, case_sensitive=False))
@click.option(
    "--out",
    type=click.Path(),  # text: a trailing "/" (a folder) must survive
    help="Write to this file (default: standard output). vcard: an existing folder, or a path "
    "ending in /, gets one .vcf per contact (a vdir, for vdirsyncer and CardDAV).",
)
@click.option(
    "--version", "vcard_version", type=click.Choice(("3.0", "4.0")), default="3.0", show_default=True,
    help="vcard: the vCard version.",
)
@click.option("--alarm", metavar="TIME", help="ics: a reminder relative to each day's start, e.g. 9h or -1d.")
def export(root, today, fmt, out, vcard_version, alarm):
    """Write the vault in a standard format, for calendars, phones and scripts.

    ics: one all-day event per contact on its next due date, one per open
    follow-up, and yearly birthdays, with UIDs that stay the same from one
    export to the next. vcard: one card per contact with every field
    (netvault's own as X-NETVAULT-*, the log too), keeping the UID of the
    card it was imported from; importing it into an empty vault gives the
    contacts back. csv: one row per contact, safe to open in a spreadsheet.
    json: every contact with its next due date, and the problems.

    Example:

    \b
        netvault export ics --alarm 9h --out ~/netvault.ics
        netvault export vcard --out contacts/
        netvault export csv > contacts.csv
    """
    fmt = fmt.lower()
    if alarm and fmt != "ics":
        raise click.UsageError("--alarm is for export ics only")
    vault = load_vault(root, today)
    contacts = list(vault.contacts)
    if fmt == "vcard":
        from ..interop import vcard
        from ..values.weburl import web_url

        for contact in contacts:
            if contact.linkedin and web_url(contact.linkedin) is None:
                say(f"{contact.path}: linkedin is not a web address; left out of the card", err=True)
        from ..read.bodies import read_bodies

        bodies = {rel: "\n".join(body.lines) for rel, body in read_bodies(vault.root, [c.path for c in contacts]).items()}
        heading = vault.config.log_heading
        if out is not None and (Path(out).is_dir() or out.endswith(("/", os.sep))):
            _write_vdir(Path(out), vcard.card_files(contacts, vcard_version, bodies, heading))
            return
        data = vcard.export(contacts, vcard_version, bodies, heading).encode("utf-8")
    elif fmt == "ics":
        from ..interop import ics

        delta = None
        if alarm:
            try:
                delta = ics.parse_alarm(alarm)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="'--alarm'") from None
        data = ics.calendar(vault, today, delta)
    elif fmt == "csv":
        from ..interop import csvfile

        data = csvfile.export(vault, today).encode("utf-8")
    else:
        from ..interop import jsonfile

        data = jsonfile.export(vault, today).encode("utf-8")
    if out is None:
        click.echo(data, nl=False)  # bytes go out as they are
        return
    _write_file(Path(out), data)
    say(f"Wrote {out} ({len(contacts)} contacts)")


def _write_file(path: Path, data: bytes) -> None:
    from ..edit.errors import EditError
    from ..edit.files import atomic_write

    if path.is_dir():
        raise NetvaultError(f"{path} is a folder; give a file name (vcard alone takes a folder)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, None)
    except EditError as exc:
        raise NetvaultError(exc.message) from None
    except OSError as exc:
        raise NetvaultError(f"cannot write {path}: {exc.strerror or exc}") from None


def _netvault_card(name: str) -> bool:
    """Whether a vdir file name is one netvault gives its cards (``<uuid5>.vcf``);
    other programs' cards (random version-4 UUIDs, other names) are left alone."""
    import uuid

    try:
        return uuid.UUID(name.removesuffix(".vcf")).version == 5 and name.endswith(".vcf")
    except ValueError:
        return False


def _write_vdir(folder: Path, cards: dict[str, str]) -> None:
    """One file per card; a card whose bytes are unchanged is not rewritten,
    and cards netvault wrote for contacts that are gone are removed."""
    from ..edit.errors import EditError
    from ..edit.files import atomic_write

    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = removed = 0
        for name, text in sorted(cards.items()):
            path = folder / name
            data = text.encode("utf-8")
            if path.is_file() and path.read_bytes() == data:
                continue
            atomic_write(path, data, None)
            written += 1
        for old in sorted(folder.glob("*.vcf")):
            if old.name not in cards and _netvault_card(old.name):
                old.unlink()  # a contact that is gone (or renamed): its old card goes too
                removed += 1
    except EditError as exc:
        raise NetvaultError(exc.message) from None
    except OSError as exc:
        raise NetvaultError(f"cannot write {folder}: {exc.strerror or exc}") from None
    say(f"Wrote {folder}: {len(cards)} cards ({written} changed, {removed} removed)")


STRANGERS_SHOWN = 10


def _import_mail(root: Path, today, path: Path, subjects: bool, dry_run: bool, to_logs: bool) -> None:
    from ..edit.errors import EditError
    from ..interop.mailimport import MailImportProblem, import_mail

    vault = load_vault(root, today)
    refuse_broken_settings(vault)
    def show_progress(count: int) -> None:
        click.echo(f"\rReading mail: {count:,} messages", err=True, nl=False)

    progress = show_progress if sys.stderr.isatty() else None

    try:
        outcome = import_mail(vault, path, today, subjects=subjects, dry_run=dry_run, progress=progress, to_logs=to_logs)
    except MailImportProblem as exc:
        raise NetvaultError(str(exc)) from None
    except EditError as exc:
        raise NetvaultError(f"cannot write the evidence: {exc}") from None
    finally:
        if progress is not None:
            click.echo("\r" + " " * 40 + "\r", err=True, nl=False)
    written = outcome.written
    say(
        f"mail: {outcome.messages:,} messages read, {outcome.counted:,} with contacts; "
        f"{written.lines:,} new, {written.known:,} recorded before; "
        f"{outcome.automatic:,} automatic or mailing lists, {len(outcome.skipped):,} skipped"
    )
    _report_files(written)
    for address, paths in sorted(outcome.shared.items()):
        say(f"  {address} is an address of {', '.join(paths)}: its mail counts for none of them", err=True)
    for item in outcome.skipped[:STRANGERS_SHOWN]:
        say(f"  skipped: {item.where}: {item.reason}", err=True)
    if len(outcome.skipped) > STRANGERS_SHOWN:
        say(f"  ... and {len(outcome.skipped) - STRANGERS_SHOWN} more skipped", err=True)
    strangers = outcome.top_strangers(STRANGERS_SHOWN)
    if strangers:
        say("People you exchanged mail with who are not contacts (most first):")
        for person in strangers:
            shown = f"{person.name} <{person.address}>" if person.name else person.address
            say(f"  {shown}: {person.count} ({person.first.isoformat()} to {person.last.isoformat()})")
        say('Add one with: netvault add "NAME" --email ADDRESS')
    _report_diffs(written, dry_run)


def _report_files(written) -> None:
    for rel in written.new_files:
        say(f"  new: {rel}")
    for rel in written.changed_files:
        say(f"  updated: {rel}")


def _report_diffs(written, dry_run: bool) -> None:
    if dry_run:
        from ..edit.writer import unified_diff

        for rel, old, new in written.diffs:
            say_lines(unified_diff(old, new, rel), nl=False)
        say("dry run: nothing written", err=True)


def _evidence_import(root: Path, today, run, problem):
    """Load the vault and run an evidence import; its refusals are one message."""
    from ..edit.errors import EditError

    vault = load_vault(root, today)
    refuse_broken_settings(vault)
    try:
        return run(vault)
    except problem as exc:
        raise NetvaultError(str(exc)) from None
    except EditError as exc:
        raise NetvaultError(f"cannot write the evidence: {exc}") from None


def _import_calendar(root: Path, today, path: Path, dry_run: bool, to_logs: bool) -> None:
    from ..interop.calendarimport import CalendarImportProblem, import_calendar

    outcome = _evidence_import(
        root, today, lambda vault: import_calendar(vault, path, today, dry_run=dry_run, to_logs=to_logs),
        CalendarImportProblem,
    )
    written = outcome.written
    say(
        f"calendar: {outcome.events:,} events up to {today.isoformat()}, {outcome.counted:,} with contacts; "
        f"{written.lines:,} new, {written.known:,} recorded before; "
        f"{outcome.cancelled:,} cancelled, {outcome.declined:,} declined"
    )
    if outcome.capped:
        say("  stopped after 100,000 occurrences: export a shorter range for the rest", err=True)
    _report_files(written)
    for address, paths in sorted(outcome.shared.items()):
        say(f"  {address} is an address of {', '.join(paths)}: its events count for none of them", err=True)
    _report_diffs(written, dry_run)


def _import_messages(root: Path, today, path: Path, dry_run: bool, to_logs: bool) -> None:
    from ..interop.messagesimport import MessagesImportProblem, import_messages

    outcome = _evidence_import(
        root, today, lambda vault: import_messages(vault, path, today, dry_run=dry_run, to_logs=to_logs),
        MessagesImportProblem,
    )
    written = outcome.written
    say(
        f"messages: {outcome.messages:,} LinkedIn messages read, {outcome.counted:,} with contacts; "
        f"{written.lines:,} new, {written.known:,} recorded before; {len(outcome.skipped):,} skipped"
    )
    _report_files(written)
    for line in outcome.skipped[:STRANGERS_SHOWN]:
        say(f"  skipped: {line}", err=True)
    _report_diffs(written, dry_run)


def _mail_strangers(root: Path, today, path: Path, fmt: str) -> None:
    """``import mail --suggest``: everyone you exchanged mail with who is no
    contact, most first (nothing is written)."""
    from ..interop.mailimport import MailImportProblem, import_mail

    vault = load_vault(root, today)
    try:
        outcome = import_mail(vault, path, today, dry_run=True)
    except MailImportProblem as exc:
        raise NetvaultError(str(exc)) from None
    people = outcome.top_strangers()
    if fmt == "json":
        echo_json(
            {
                "correspondents": [
                    {
                        "address": p.address,
                        "name": p.name or None,
                        "messages": p.count,
                        "first": p.first.isoformat(),
                        "last": p.last.isoformat(),
                    }
                    for p in people
                ]
            }
        )
        return
    if not people:
        say("Everyone you exchanged mail with is a contact.")
        return
    count = len(people)
    say(f"{count} {'person' if count == 1 else 'people'} you exchanged mail with who are not contacts (most first):")
    for person in people:
        shown = f"{person.name} <{person.address}>" if person.name else person.address
        say(f"  {shown}: {person.count} ({person.first.isoformat()} to {person.last.isoformat()})")
    say('Add one with: netvault add "NAME" --email ADDRESS')

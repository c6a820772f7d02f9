"""Commands that record what happened and edit contacts.

Every change goes through :mod:`netvault.edit.writer` via :func:`netvault.edit.record.apply`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import click

from ..values.dates import WHEN_FORMS, DateError, parse_day_words, parse_when
from ..values.vocabulary import CIRCLES, FIELDS
from .bulk import bulk_options, select
from .complete import contact_names, field_names
from .options import (
    CHANNEL_OPTION,
    NetvaultError,
    apply_edit,
    apply_edits,
    checked,
    dry_run_option,
    StaleNames,
    find_contact,
    find_in_full,
    future_day,
    refuse_taken_names,
    report_edit,
    report_edits,
    say,
    today_option,
    vault_options,
)

WHEN_HELP = f"Accepts {WHEN_FORMS}."

# The reader, the writer and the playbook are imported where they are used:
# a shell completion loads this module to learn its commands' parameters, no more.


def past_date(when: str | None, today: date) -> date:
    """``--date`` as typed (``yesterday``, ``last monday``, ``3d``, ISO), read against --today."""
    if when is None:
        return today
    try:
        return parse_when(when, today)
    except DateError as exc:
        raise click.BadParameter(str(exc), param_hint="'--date'") from None


@click.command()
@vault_options
@today_option
@click.argument("names_and_text", nargs=-1, required=True, metavar="NAME... TEXT", shell_complete=contact_names)
@click.option("--date", "when", metavar="DATE", help="When it happened (default: today). " + WHEN_HELP)
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
        netvault log jane "call about the deck" --date yesterday
    """
    from ..edit.record import entry_line, log_transform
    from ..read import cache as note_cache
    from ..read.loader import load_names

    if len(names_and_text) < 2:
        raise click.UsageError("give at least one NAME and the TEXT to log")
    *names, text = names_and_text
    # Only the contacts logged for are read in full; the others' names come
    # from the cache where their files are unchanged (see load_names).
    vault = load_names(root, today)
    if vault.names.lookup(text):
        raise click.UsageError(
            f"the last argument is the TEXT to log, but {text!r} is a contact's name; "
            "add the text, e.g. netvault log NAME \"coffee, talked about X\""
        )
    day = past_date(when, today)
    if day > today and not planned:
        raise NetvaultError(
            f"{day.isoformat()} is in the future; use --planned to log a planned meeting"
        )
    try:
        found = [find_in_full(vault, name) for name in names]
    except StaleNames:  # the cache's names are not the files': read them all
        with note_cache.bypassed():
            vault = load_names(root, today)
        found = [find_in_full(vault, name) for name in names]
    contacts = []
    for contact in found:
        if contact not in contacts:
            contacts.append(contact)
    line = checked(entry_line, day, text, channel and channel.lower(), gave, asked, day > today)
    transform = log_transform(line, day, today, vault.config.log_heading, vault.config)
    # Every file is read, changed and checked before any is written.
    edits = apply_edits(vault, [(contact, transform) for contact in contacts], dry_run, today)
    report_edits(
        [(edit, f"Logged for {c.name} ({c.path}): {line[2:]}") for edit, c in zip(edits, contacts)],
        dry_run,
    )


@click.command()
@vault_options
@today_option
@click.argument("name", required=False, shell_complete=contact_names)
@click.option("--until", "until", metavar="DATE", help="Snooze until this date: 2026-12-15, dec 15, next mon, +3w ...")
@click.option("--for", "length", metavar="LENGTH", help="Snooze for 30d, 2w, 3m, 1y ...")
@bulk_options
@dry_run_option
def snooze(root, today, name, until, length, selection, dry_run):
    """Hold off a touch-base until a date (sets snooze_until).

    Without a NAME, the filters (--org, --tag, --in-circle, --imported-from,
    ...) choose many people at once.

    Example:

    \b
        netvault snooze "Jane Doe" --for 30d
        netvault snooze --imported-from linkedin --for 3m --yes
    """
    from ..edit.record import duration_from, set_value
    from ..playbook.due import compute_due
    from ..read.loader import load_vault

    if (until is None) == (length is None):
        raise click.UsageError("give exactly one of --until DATE or --for LENGTH")
    day = future_day(until, today, "'--until'") if until else checked(duration_from, today, length)
    if day <= today:
        raise NetvaultError(f"{day.isoformat()} is not after today ({today.isoformat()}); nothing to snooze")
    vault = load_vault(root, today)

    def changes(contact) -> bool:
        met = vault.interactions.get(contact.path, ())
        before = compute_due(contact, vault.config, today, None, met).next_due
        return before != compute_due(replace(contact, snooze_until=day), vault.config, today, None, met).next_due

    people = select(vault, name, selection, f"Snooze until {day.isoformat()}:", keep=changes)
    if name is not None and not changes(people[0]):
        contact = people[0]
        before = compute_due(contact, vault.config, today, None, vault.interactions.get(contact.path, ())).next_due
        why = (
            f"{contact.name} has no rhythm (no circle default or cadence), so is never due"
            if before is None
            else f"{contact.name} is not due until {before.isoformat()} anyway"
        )
        say(f"{why}; snoozing until {day.isoformat()} changes nothing ({contact.path} not written)")
        return
    edits = apply_edits(
        vault,
        [(c, lambda text: set_value(text, "snooze_until", day.isoformat(), vault.config)) for c in people],
        dry_run,
        today,
    )
    report_edits(
        [(edit, f"Snoozed {c.name} until {day.isoformat()} ({c.path})") for c, edit in zip(people, edits)], dry_run
    )


@click.command("follow-up")
@vault_options
@today_option
@click.argument("name", shell_complete=contact_names)
@click.argument("when", metavar="DATE")
@click.argument("note", nargs=-1)
@dry_run_option
def follow_up(root, today, name, when, note, dry_run):
    """Promise a next step on a date (sets follow_up: DATE NOTE).

    Example:

    \b
        netvault follow-up "Jane Doe" 2026-11-30 send her the deck
    """
    from ..edit.record import set_value
    from ..read.loader import load_vault

    words = list(note)
    # "next tue" or "in 3 days" typed without quotes: the date takes the words it needs
    for taken in (2, 1):
        if len(words) >= taken and when.lower() in ("next", "last", "this", "in"):
            try:
                day = parse_day_words(" ".join([when, *words[:taken]]), today, future=True)
            except DateError:
                continue
            when, words = day.isoformat(), words[taken:]
            break
    day = future_day(when, today, "'DATE'")
    value = f"{day.isoformat()} {' '.join(' '.join(words).split())}".strip()
    vault = load_vault(root, today)
    contact = find_contact(vault, name)
    edit = apply_edit(
        vault, contact, lambda text: set_value(text, "follow_up", value, vault.config), dry_run, today
    )
    report_edit(edit, dry_run, f"Follow-up for {contact.name} on {value} ({contact.path})")


@click.command()
@vault_options
@today_option
@click.argument("name", shell_complete=contact_names)
@click.option("--date", "when", metavar="DATE", help="When you did it (default: today). " + WHEN_HELP)
@CHANNEL_OPTION
@click.option("--gave", is_flag=True, help="It gave them something of value (adds #gave).")
@dry_run_option
def done(root, today, name, when, channel, gave, dry_run):
    """Mark the follow-up done: clears follow_up and logs it.

    Example:

    \b
        netvault done "Jane Doe" --channel email --gave
    """
    from ..edit.record import entry_line, log_transform, unset_value
    from ..read.loader import load_vault

    day = past_date(when, today)
    if day > today:
        raise NetvaultError(f"{day.isoformat()} is in the future; a follow-up is done when it is done")
    vault = load_vault(root, today)
    contact = find_contact(vault, name)
    if contact.follow_up is None:
        raise NetvaultError(f"{contact.name} has no follow_up to mark done ({contact.path})")
    what = contact.follow_up.note or f"follow-up of {contact.follow_up.date.isoformat()}"
    line = checked(entry_line, day, f"done: {what}", channel and channel.lower(), gave)
    log_it = log_transform(line, day, today, vault.config.log_heading, vault.config)
    edit = apply_edit(
        vault,
        contact,
        lambda text: unset_value(log_it(text), "follow_up", vault.config),
        dry_run,
        today,
    )
    report_edit(edit, dry_run, f"Done for {contact.name} ({contact.path}): {line[2:]}")


@click.command()
@vault_options
@today_option
@click.argument("name", required=False, shell_complete=contact_names)
@click.option("--circle", required=True, type=click.Choice(CIRCLES, case_sensitive=False), help="The new circle.")
@bulk_options
@dry_run_option
def move(root, today, name, circle, selection, dry_run):
    """Move someone to another circle and log the move (funnel history).

    The log line ("moved lukewarm → buddy") is history, not a conversation:
    it does not count as a contact. Without a NAME, the filters (--org,
    --tag, --origin, --in-circle, --no-circle, --imported-from,
    --connected-before/after) choose many people at once.

    Example:

    \b
        netvault move "Jane Doe" --circle buddy
        netvault move --imported-from linkedin --org acme --circle lukewarm --yes
    """
    from ..edit.record import move_line, set_value
    from ..edit.writer import add_log_entry
    from ..read.loader import load_vault

    circle = circle.lower()
    vault = load_vault(root, today)
    people = select(vault, name, selection, f"Move to {circle}:", keep=lambda c: c.circle != circle)
    if name is not None and people[0].circle == circle:
        raise NetvaultError(f"{people[0].name} is already in the {circle} circle")
    people = [c for c in people if c.circle != circle]
    if not people:
        raise NetvaultError(f"they are all in the {circle} circle already; nothing to move")

    def transform_for(contact):
        line = move_line(contact.circle, circle, today)

        def transform(text: str) -> str:
            text = add_log_entry(text, line, vault.config.log_heading)
            return set_value(text, "circle", circle, vault.config)

        return transform

    edits = apply_edits(vault, [(c, transform_for(c)) for c in people], dry_run, today)
    report_edits(
        [
            (edit, f"Moved {c.name} from {c.circle or 'no circle'} to {circle} ({c.path})")
            for c, edit in zip(people, edits)
        ],
        dry_run,
    )


def _name_then_field(ctx, param, incomplete):
    """NAME completes as a contact, KEY as a field (in either form of the command)."""
    typed = ctx.params.get(param.name) or ()
    if len(typed) == 0:
        return contact_names(ctx, param, incomplete)
    if len(typed) == 1:
        return field_names(ctx, param, incomplete)
    return []


@click.command("set")
@vault_options
@today_option
@click.argument("arguments", nargs=-1, required=True, metavar="[NAME] KEY VALUE", shell_complete=_name_then_field)
@bulk_options
@dry_run_option
def set_command(root, today, arguments, selection, dry_run):
    """Set one frontmatter field, checked and typed like the file format.

    Dates must be YYYY-MM-DD; circle, cadence and priority are checked;
    aliases, channels, goals, tags and knows take a comma-separated list and
    are written as YAML lists; introduced_by and knows become [[wikilinks]].
    The line changes in place; its comment and the other lines stay. Without
    a NAME (KEY VALUE alone), the filters (--org, --tag, --in-circle,
    --imported-from, ...) choose many people at once.

    Example:

    \b
        netvault set "Jane Doe" tags "mentor, product"
        netvault set --imported-from linkedin --org acme origin former-colleague --yes
    """
    from ..edit.record import KNOWN_KEYS, check_key, set_value, typed_value
    from ..read.loader import load_vault

    if len(arguments) not in (2, 3):
        raise click.UsageError("give NAME KEY VALUE, or KEY VALUE with filters (--org, --tag, ...)")
    name, key, value = (None, *arguments) if len(arguments) == 2 else arguments
    vault = load_vault(root, today)
    # A key the vault's [fields] names (even "last contact") means its field.
    field = vault.config.fields.get(key) or checked(check_key, key)
    typed = checked(typed_value, field, value)
    if name is None and field in ("name", "aliases"):
        raise NetvaultError(f"{key} is one person's own; set it with a NAME")
    people = select(vault, name, selection, f"Set {key} to {value}:")
    if name is not None:
        contact = people[0]
        if field in ("name", "aliases"):
            refuse_taken_names(vault, [typed] if isinstance(typed, str) else typed, contact)
        if field not in KNOWN_KEYS and key not in contact.fields:
            say(
                f"note: netvault does not use '{key}'; it is kept in the file as written",
                err=True,
            )
    done = []
    changes = []
    for contact in people:
        written = contact.key_for(field, vault.config) if field in FIELDS else key
        value_for = typed
        if isinstance(typed, str) and isinstance(contact.fields.get(written), list):
            # `organisations:` kept as a list (of links, often): it stays a list.
            value_for = [item.strip() for item in typed.split(",") if item.strip()]
        changes.append((contact, lambda text, v=value_for: set_value(text, field, v, vault.config)))
        shown = "[" + ", ".join(value_for) + "]" if isinstance(value_for, list) else value_for
        done.append(f"Set {written}: {shown} for {contact.name} ({contact.path})")
    edits = apply_edits(vault, changes, dry_run, today)
    report_edits(list(zip(edits, done)), dry_run)


@click.command()
@vault_options
@today_option
@click.argument("arguments", nargs=-1, required=True, metavar="[NAME] KEY", shell_complete=_name_then_field)
@bulk_options
@dry_run_option
def unset(root, today, arguments, selection, dry_run):
    """Remove one frontmatter field (its line, or lines for a block list).

    Without a NAME (KEY alone), the filters (--org, --tag, --in-circle,
    --imported-from, ...) choose many people at once.

    Example:

    \b
        netvault unset "Jane Doe" snooze_until
        netvault unset --in-circle cold snooze_until --yes
    """
    from ..edit.record import check_key, unset_value
    from ..read.loader import load_vault

    if len(arguments) not in (1, 2):
        raise click.UsageError("give NAME KEY, or KEY with filters (--org, --tag, ...)")
    name, key = (None, *arguments) if len(arguments) == 1 else arguments
    vault = load_vault(root, today)
    field = vault.config.fields.get(key) or checked(check_key, key)

    def present(contact) -> list[str]:
        if field not in FIELDS:
            return [key] if key in contact.fields else []
        return [k for k in vault.config.keys_for(field) if k in contact.fields]

    people = select(vault, name, selection, f"Remove {key} from", keep=lambda c: bool(present(c)))
    if name is not None and not present(people[0]):
        raise NetvaultError(f"{people[0].name} has no {key} ({people[0].path})")
    edits = apply_edits(
        vault, [(c, lambda text: unset_value(text, field, vault.config)) for c in people], dry_run, today
    )
    report_edits(
        [(edit, f"Removed {', '.join(present(c))} from {c.name} ({c.path})") for c, edit in zip(people, edits)],
        dry_run,
    )

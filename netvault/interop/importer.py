"""Bring people from other programs' exports into the vault, never twice.

:func:`plan` matches each incoming :class:`~netvault.interop.Person` to a
contact and decides what to write; :func:`apply` writes it, one file at a
time (each atomically, through the one writer), so an interrupted import
leaves whole files and running it again finishes the job.

Matching, strongest first: the person an earlier import of the same source
wrote (``.netvault/imports.json``), the LinkedIn profile URL (normalised),
an email address (not for LinkedIn rows: LinkedIn hides most emails, and an
email alone says little there), then the exact name or an alias, unless the
two sides carry different LinkedIn profiles or the file holds two people of
that name (they get a file each and a warning, never a merge).

A match only fills what the contact lacks.  A value the user wrote is never
replaced: the difference is reported and theirs kept, with one exception:
when a newer LinkedIn export shows a new company or position, the change is
logged (``moved from Acme (PM) to Brightline (Head of Product)
#job-change``, which is no conversation) and ``org``/``role`` follow it if
they still hold what the previous import wrote.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..edit.errors import EditError
from ..edit.files import sync_folders
from ..edit.logedit import add_log_entry
from ..edit.record import apply as apply_edit
from ..edit.record import set_value
from ..edit.scaffold import ScaffoldError, contact_environment, render_contact, safe_filename, write_new
from ..read.contact import parse_birthday
from ..read.logsection import JOB_CHANGE_TAG
from ..read.model import Contact, Vault
from ..values.names import fold
from . import Parsed, Person, Skipped
from .admit import admitted
from .importrecord import STATE, STATE_FORMAT, write_state
from .linkedin import normalise_profile
from .matching import ContactIndex, find_match, identity, phone_digits, same

SOURCES = ("linkedin", "vcard", "google", "outlook", "csv")
LISTED_NEW = 20  # new files named one by one in the summary; the rest are counted


@dataclass
class Update:
    """What an import changes in one existing contact."""

    contact: Contact
    person: Person
    fill: dict = field(default_factory=dict)  # field -> value
    log_line: str | None = None  # a job change
    changed_by_job: dict = field(default_factory=dict)  # org/role the job change moves on


@dataclass
class New:
    person: Person
    rel: str
    values: dict


@dataclass
class Outcome:
    """What an import really wrote, and what it could not."""

    new: list[New] = field(default_factory=list)
    updated: list[Update] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass
class Plan:
    source: str
    new: list[New] = field(default_factory=list)
    updated: list[Update] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    state: dict = field(default_factory=dict)

    @property
    def job_changes(self) -> list[Update]:
        return [u for u in self.updated if u.log_line]

    def summary(self, dry_run: bool, outcome: Outcome | None = None) -> list[str]:
        """The lines a dry run prints (what would be written), and a real
        one given its ``outcome`` (only what is on disk)."""
        lead = "would import" if dry_run else "imported"
        new = outcome.new if outcome is not None else self.new
        updated = outcome.updated if outcome is not None else self.updated
        job_changes = [u for u in updated if u.log_line]
        lines = [
            f"{self.source}: {lead} {len(new)} new, {len(updated)} updated, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped, "
            f"{len(job_changes)} job change{'' if len(job_changes) == 1 else 's'}"
        ]
        for item in new[:LISTED_NEW]:
            lines.append(f"  new: {item.rel}")
        if len(new) > LISTED_NEW:
            lines.append(f"  new: … and {len(new) - LISTED_NEW} more")
        for update in updated:
            what = ", ".join(sorted(update.fill))
            if update.log_line:
                what = ", ".join(filter(None, [what, f"logged: {update.log_line}"]))
            lines.append(f"  updated: {update.contact.path} ({what})")
        for skipped in self.skipped:
            lines.append(f"  skipped: {skipped.where}: {skipped.reason}")
        lines += [f"  {message}" for message in self.conflicts]
        lines += [f"  warning: {message}" for message in self.warnings]
        return lines


# ---------------------------------------------------------------- planning


def plan(
    vault: Vault,
    parsed: Parsed,
    source: str,
    state: dict,
    today: date,
    circle: str = "cold",
    tags: tuple[str, ...] = (),
    file_name: str = "",
    connected_as_last_contact: bool = False,
) -> Plan:
    """Decide, without writing, what importing ``parsed`` does to ``vault``."""
    result = Plan(source, skipped=list(parsed.skipped))
    people_state = {k: dict(v) for k, v in state.get("people", {}).items() if isinstance(v, dict)}
    new_state = {"format": STATE_FORMAT, "people": people_state}
    result.state = new_state
    index = ContactIndex(vault)
    names = Counter(fold(p.name) for p in parsed.people)
    seen_keys: Counter = Counter()
    taken_files = {c.path.casefold() for c in vault.contacts}
    planned: dict[str, Update] = {}
    reported_shared: set[str] = set()
    for person in parsed.people:
        person, left_out = admitted(person)
        result.warnings.extend(left_out)
        key = identity(source, person)
        seen_keys[key] += 1
        if seen_keys[key] > 1:
            key = f"{key}#{seen_keys[key]}"  # two rows, no profile, one name: still two people
        shared = names[fold(person.name)] > 1
        contact, how = find_match(person, key, source, index, {"people": people_state}, shared)
        if contact is None:
            if shared and fold(person.name) not in reported_shared:
                reported_shared.add(fold(person.name))
                result.warnings.append(
                    f"{names[fold(person.name)]} people named {person.name} in {file_name or 'the file'}: "
                    "each gets a file of their own; give them aliases so links can tell them apart"
                )
            elif how == "different-profile":
                result.warnings.append(
                    f"{person.where}: {person.name} has another LinkedIn profile than the contact "
                    "of that name: imported as a new contact"
                )
            new = _new_contact(vault, person, source, circle, tags, file_name, taken_files, connected_as_last_contact)
            if new is None:
                result.skipped.append(Skipped(person.where, "no usable file name"))
                continue
            result.new.append(new)
            people_state[key] = _remember(new.rel, person)
            continue
        update = planned.get(contact.path)
        if update is None:
            update = planned[contact.path] = Update(contact, person)
        previous = people_state.get(key) if how == "earlier import" else None
        _merge(update, person, previous, source, today, result, connected_as_last_contact)
        people_state[key] = _remember(contact.path, person)
    for update in planned.values():
        if update.fill or update.log_line:
            result.updated.append(update)
        else:
            result.unchanged += 1
    result.updated.sort(key=lambda u: u.contact.path)
    result.new.sort(key=lambda n: n.rel)
    return result


def _remember(rel: str, person: Person) -> dict:
    """What the import saw of a person: where they live and what it wrote."""
    entry = {"path": rel}
    for name in ("org", "role"):
        value = getattr(person, name)
        if value:
            entry[name] = value
    if person.emails:
        entry["email"] = person.emails[0]
    if person.phones:
        entry["phone"] = person.phones[0]
    return entry


def _incoming(person: Person, source: str, connected_as_last_contact: bool) -> dict:
    """The person's values under netvault's field names (first email, phone)."""
    values = {
        "org": person.org,
        "role": person.role,
        "email": person.emails[0] if person.emails else None,
        "phone": person.phones[0] if person.phones else None,
        "linkedin": person.linkedin,
        "birthday": person.birthday,
        "aliases": list(person.aliases) or None,
        "address": person.address,
        "connected_on": person.connected_on.isoformat() if person.connected_on else None,
        "uid": person.uid,  # an exported card keeps it, so a phone syncs it back without a copy
    }
    if connected_as_last_contact and person.connected_on:
        values["last_contact"] = person.connected_on.isoformat()
    for name, value in person.extra.items():
        if values.get(name) in (None, "", [], ()):
            values[name] = value
    return {k: v for k, v in values.items() if v not in (None, "", [], ())}


def _current(contact: Contact, name: str):
    typed = {
        "org": contact.org,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone,
        "linkedin": contact.linkedin,
        "birthday": contact.birthday,
        "aliases": list(contact.aliases) or None,
        "last_contact": contact.last_contact,
    }
    if name in typed:
        return typed[name]
    key = contact.keys.get(name, name)
    value = contact.fields.get(key)
    return value if value not in ("", [], None) else None


def _agrees(name: str, mine, theirs) -> bool:
    if name == "birthday":
        parsed = parse_birthday(str(theirs))
        return parsed is not None and (mine.month, mine.day) == (parsed.month, parsed.day)
    if name == "linkedin":
        return normalise_profile(str(mine)) == normalise_profile(str(theirs)) or same(str(mine), str(theirs))
    if name == "phone":
        return phone_digits(str(mine)) == phone_digits(str(theirs))
    if name == "aliases":
        return {fold(a) for a in mine} >= {fold(a) for a in theirs}
    if name == "last_contact":
        return True  # a connection date never moves a real last contact
    return same(str(mine), str(theirs))


def _merge(update: Update, person, previous, source, today, result: Plan, connected_as_last_contact) -> None:
    contact = update.contact
    incoming = _incoming(person, source, connected_as_last_contact)
    job = None
    if source == "linkedin" and previous is not None:
        before = (previous.get("org"), previous.get("role"))
        after = (person.org, person.role)
        if (before[0] or before[1]) and (after[0] or after[1]) and not (
            same(before[0], after[0]) and same(before[1], after[1])
        ):
            job = before, after
            update.log_line = (
                f"- {today.isoformat()} moved from {_job(*before)} to {_job(*after)} {JOB_CHANGE_TAG}"
            )
    for name, value in incoming.items():
        if name in update.fill:
            continue
        mine = _current(contact, name)
        if mine is None:
            update.fill[name] = value
            continue
        if _agrees(name, mine, value):
            continue
        if job is not None and name in ("org", "role"):
            wrote = previous.get(name)
            if wrote is not None and same(str(mine), wrote):
                update.fill[name] = value
                update.changed_by_job[name] = value
                continue
        if previous is not None and name in ("email", "phone") and same(str(mine), previous.get(name)):
            update.fill[name] = value  # what the last import wrote, now changed at the source
            continue
        if name in ("email", "phone"):
            continue  # another address or number: kept beside yours, below
        shown = mine if not isinstance(mine, list) else ", ".join(mine)
        if name == "birthday":
            shown = f"{mine.month:02d}-{mine.day:02d}" if mine.year is None else f"{mine.year:04d}-{mine.month:02d}-{mine.day:02d}"
        result.conflicts.append(
            f"{contact.name}: {name} is {str(shown)!r} in the vault, "
            f"{(value if not isinstance(value, list) else ', '.join(value))!r} in the import — kept yours"
        )
    _more_addresses(update, person)


def _more_addresses(update: Update, person: Person) -> None:
    """Every email and phone number of the person that the contact does not
    hold yet goes to ``other_emails`` / ``other_phones`` (numbers compared by
    their digits), as a new contact's import does: a merge drops none."""
    contact = update.contact
    for field_name, primary, values, key in (
        ("other_emails", "email", person.emails, lambda v: v.strip().casefold()),
        ("other_phones", "phone", person.phones, phone_digits),
    ):
        existing = _current(contact, field_name) or []
        existing = existing if isinstance(existing, list) else [existing]
        mine = update.fill.get(primary) or _current(contact, primary)
        held = {key(str(v)) for v in [*existing, *([mine] if mine else [])]}
        more = []
        for value in values:
            if key(value) and key(value) not in held:
                held.add(key(value))
                more.append(value)
        if more:
            update.fill[field_name] = [str(v) for v in existing] + more


def _job(org: str | None, role: str | None) -> str:
    if org and role:
        return f"{org} ({role})"
    return org or f"({role})"


def _new_contact(vault, person, source, circle, tags, file_name, taken, connected_as_last_contact) -> New | None:
    values = {} if person.from_netvault else {"circle": circle}  # a netvault card says its own circle, or none
    values.update(_incoming(person, source, connected_as_last_contact))
    all_tags = list(dict.fromkeys([*person.tags, *tags]))
    if all_tags:
        values["tags"] = all_tags
    if not person.from_netvault:  # a card netvault exported carries the contact's own source, if any
        values["source"] = f"{source} import" + (f" ({file_name})" if file_name else "")
    for extra in ("emails", "phones"):
        more = getattr(person, extra)[1:]
        if more:
            values[f"other_{extra}"] = list(more)
    if person.urls:
        values["websites"] = list(person.urls)
    try:
        stem = safe_filename(person.name)
    except ScaffoldError:
        return None
    folder = vault.config.new_contact_folder
    candidates = [stem]
    if person.org:
        try:
            candidates.append(safe_filename(f"{person.name} ({person.org})"))
        except ScaffoldError:
            pass
    candidates += [f"{stem} {n}" for n in range(2, 1000)]
    for candidate in candidates:
        rel = f"{folder}/{candidate}.md" if folder else f"{candidate}.md"
        if rel.casefold() not in taken and not (Path(vault.root) / rel).exists():
            taken.add(rel.casefold())
            return New(person, rel, values)
    return None


# ---------------------------------------------------------------- writing


def new_contact_text(vault: Vault, new: New, env=None) -> str:
    """The file a new contact gets: the vault's contact template, with the
    person's notes in its body."""
    text = render_contact(Path(vault.root), new.person.name, dict(new.values), vault.config, env)
    heading = re.compile(rf"^#{{1,6}}[ \t]+{re.escape(vault.config.log_heading)}[ \t]*#*[ \t]*$", re.M | re.I)
    log = (new.person.log or "").strip("\n")
    if log:
        match = heading.search(text)
        if match:
            end = text.find("\n", match.end())
            end = len(text) if end < 0 else end + 1
            text = text[:end] + ("" if text[:end].endswith("\n") else "\n") + log + "\n" + text[end:]
        else:
            text = text.rstrip("\n") + f"\n\n## {vault.config.log_heading}\n{log}\n"
    notes = [n.strip() for n in new.person.notes if n and n.strip()]
    if not notes:
        return text
    block = "\n\n".join(notes) + "\n"
    match = heading.search(text)
    if match:
        return text[: match.start()] + block + "\n" + text[match.start() :]
    return text.rstrip("\n") + "\n\n" + block


def update_transform(update: Update, vault: Vault, heading: str) -> Callable[[str], str]:
    config = vault.config

    def transform(text: str) -> str:
        for name, value in update.fill.items():
            text = set_value(text, name, value if not isinstance(value, list) else [str(v) for v in value], config)
        if update.log_line:
            text = add_log_entry(text, update.log_line, heading)
        return text

    return transform


def apply(vault: Vault, result: Plan, progress: Callable[[int], None] | None = None) -> Outcome:
    """Write the plan: new files, then updates, then the import record.

    Each file is written atomically on its own; one that cannot be written
    is reported and the others are written all the same.  The outcome holds
    only what is on disk, and the record only the people written.
    """
    outcome = Outcome()
    failures = outcome.failures
    root = Path(vault.root)
    old_state = None
    try:
        old_state = (root / STATE).read_bytes()
    except OSError:
        pass
    env = contact_environment(root) if result.new else None
    folders = set()
    for new in result.new:
        try:
            # Each file is whole and synced; the folders once, before success is reported.
            write_new(root / new.rel, new_contact_text(vault, new, env), sync_folder=False)
            folders.add((root / new.rel).parent)
            outcome.new.append(new)
        except FileExistsError:
            failures.append(f"{new.rel} appeared meanwhile; not overwritten (import again to match it)")
        except (OSError, ScaffoldError, ValueError) as exc:
            failures.append(f"{new.rel}: cannot write: {exc}")
        if progress:
            progress(1)
    sync_folders(folders)
    for update in result.updated:
        try:
            edit = apply_edit(vault, update.contact, update_transform(update, vault, vault.config.log_heading), False)
            if edit.conflict is not None:
                whose = "netvault's version" if edit.conflict_kept == "ours" else "the other program's version"
                failures.append(
                    f"{update.contact.path}: another program wrote it while netvault saved it; "
                    f"{whose} is kept in {edit.conflict}"
                )
            outcome.updated.append(update)
        except EditError as exc:  # changed meanwhile, a conflict: report it, write the rest
            failures.append(f"{update.contact.path}: not updated: {exc.message}")
        except OSError as exc:
            failures.append(f"{update.contact.path}: not updated: {exc.strerror or exc}")
        if progress:
            progress(1)
    unwritten = {new.rel for new in result.new} - {new.rel for new in outcome.new}
    state = dict(result.state)
    state["people"] = {
        key: entry for key, entry in result.state.get("people", {}).items() if entry.get("path") not in unwritten
    }
    if not outcome.new and not outcome.updated and unwritten:
        return outcome  # nothing was written: nothing to record
    written = len(outcome.new) + len(outcome.updated)
    again = f"(the {written} contact{'' if written == 1 else 's'} written are on disk; import again to record them)"
    try:
        write_state(root, state, old_state)
    except EditError as exc:
        failures.append(f"{STATE}: not written: {exc.message} {again}")
    except OSError as exc:
        failures.append(f"{STATE}: not written: {exc.strerror or exc} {again}")
    return outcome

"""``netvault import mail``: which contacts each message was an exchange with.

A message counts as contact with every vault contact on the other side of
it: mail you sent (From is one of ``[me] emails``) counts for each contact
in To and Cc; mail someone sent you counts for its sender.  Mailing lists,
bulk and automatic mail never count (see :mod:`.mail`).  Contacts are
matched by every address they have (``email``, ``other_emails``),
case-insensitively; an address two contacts share is reported, never
guessed.  The people you exchanged mail with who are not contacts are
counted, so the command can say whom you may want to add.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..read.model import Vault
from .evidence import Exchange, Written, write_exchanges, write_to_logs
from .mail import Mail, MailError, Skipped, read_mailbox


class MailImportProblem(Exception):
    """The import cannot start: a one-line reason."""


@dataclass
class Correspondent:
    """Someone you exchanged mail with who is no contact."""

    address: str
    name: str = ""
    count: int = 0
    first: date | None = None
    last: date | None = None


@dataclass
class MailOutcome:
    messages: int = 0
    counted: int = 0  # messages that were an exchange with a contact
    automatic: int = 0
    future: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    shared: dict[str, list[str]] = field(default_factory=dict)  # address -> contact paths
    strangers: dict[str, Correspondent] = field(default_factory=dict)
    written: Written | None = None

    def top_strangers(self, limit: int | None = None) -> list[Correspondent]:
        ranked = sorted(self.strangers.values(), key=lambda c: (-c.count, c.address))
        return ranked[:limit] if limit else ranked


def addresses_of(vault: Vault) -> dict[str, list[str]]:
    """Every address a contact has (folded) -> the contacts' paths."""
    found: dict[str, list[str]] = defaultdict(list)
    for contact in vault.contacts:
        values = [contact.email or ""]
        more = contact.fields.get("other_emails")
        values += [more] if isinstance(more, str) else [v for v in more or [] if isinstance(v, str)]
        for value in values:
            address = value.strip().casefold()
            if "@" in address and contact.path not in found[address]:
                found[address].append(contact.path)
    return found


def import_mail(
    vault: Vault,
    path: Path,
    today: date,
    *,
    subjects: bool = False,
    dry_run: bool = False,
    to_logs: bool = False,
    progress: Callable[[int], None] | None = None,
) -> MailOutcome:
    me = {address.strip().casefold() for address in vault.config.me_emails}
    if not me:
        raise MailImportProblem(
            'netvault needs to know which side of a message is you: add your addresses to '
            'netvault.toml, e.g. [me] emails = ["you@example.com", "you@work.example"]'
        )
    index = addresses_of(vault)
    outcome = MailOutcome()
    exchanges: list[Exchange] = []
    try:
        for number, item in enumerate(read_mailbox(path), 1):
            if progress is not None and number % 500 == 0:
                progress(number)
            outcome.messages += 1
            if isinstance(item, Skipped):
                outcome.skipped.append(item)
                continue
            exchange = _exchange(item, me, index, today, outcome, subjects)
            if exchange is not None:
                exchanges.append(exchange)
    except MailError as exc:
        raise MailImportProblem(str(exc)) from None
    except OSError as exc:
        raise MailImportProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    outcome.counted = len(exchanges)
    outcome.written = (write_to_logs if to_logs else write_exchanges)(vault, "mail", exchanges, dry_run)
    return outcome


def _exchange(mail: Mail, me: set[str], index, today: date, outcome: MailOutcome, subjects: bool):
    if mail.when > today:
        outcome.future += 1
        return None
    if mail.automatic:
        outcome.automatic += 1
        return None
    if mail.sender in me:
        others = [address for address in mail.recipients if address not in me]
    else:
        others = [mail.sender]
    people = []
    for address in others:
        paths = index.get(address, [])
        if len(paths) == 1:
            people.append(paths[0])
        elif paths:
            outcome.shared[address] = sorted(paths)
        else:
            stranger = outcome.strangers.get(address)
            if stranger is None:
                stranger = outcome.strangers[address] = Correspondent(address, mail.names.get(address, ""))
            stranger.count += 1
            stranger.first = mail.when if stranger.first is None else min(stranger.first, mail.when)
            stranger.last = mail.when if stranger.last is None else max(stranger.last, mail.when)
            if not stranger.name and mail.names.get(address):
                stranger.name = mail.names[address]
    if not people:
        return None
    return Exchange(mail.when, "email", tuple(sorted(set(people))), mail.key, mail.subject if subjects else "")

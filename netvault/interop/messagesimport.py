"""``netvault import messages``: LinkedIn's ``messages.csv`` as evidence of contact.

LinkedIn's data export holds every conversation in ``messages.csv``
(``CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL, TO,
RECIPIENT PROFILE URLS, DATE, SUBJECT, CONTENT, FOLDER``, older exports
fewer).  Every message is yours or to you, so a contact who sent it or
received it was in touch with you that day, over ``im``.  People are
matched by LinkedIn profile first, then by their exact name or alias.
What anyone wrote (``CONTENT``, ``SUBJECT``) is never copied.  The file is
read record by record; the key of an exchange is the conversation and the
day, so a conversation of twenty messages in one day is one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..read.model import Vault
from ..values.weburl import normalise_profile
from . import FormatError
from .evidence import Exchange, Written, write_exchanges, write_to_logs
from .linkedin import find_header, load_text

REQUIRED = {"conversation id", "from", "date"}


class MessagesImportProblem(Exception):
    """The file is no LinkedIn messages.csv: a one-line reason."""


@dataclass
class MessagesOutcome:
    messages: int = 0
    counted: int = 0  # messages with a contact on the other side
    future: int = 0
    skipped: list[str] = field(default_factory=list)  # "messages.csv:12: no readable DATE"
    written: Written | None = None


def _day(text: str) -> date | None:
    text = text.strip().removesuffix(" UTC").strip()
    for form in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def import_messages(
    vault: Vault, path: Path, today: date, *, dry_run: bool = False, to_logs: bool = False
) -> MessagesOutcome:
    try:
        lines = load_text(path)
        header, columns, records = find_header(lines, path.name, lambda keys: REQUIRED <= keys)
    except FormatError as exc:
        raise MessagesImportProblem(str(exc)) from None
    except LookupError:
        raise MessagesImportProblem(
            f"{path.name} is no LinkedIn messages.csv (it needs the columns CONVERSATION ID, FROM and DATE)"
        ) from None
    by_profile: dict[str, list[str]] = {}
    for contact in vault.contacts:
        profile = normalise_profile(contact.linkedin) if contact.linkedin else None
        if profile:
            by_profile.setdefault(profile, []).append(contact.path)
    outcome = MessagesOutcome()
    exchanges: list[Exchange] = []

    def cell(record: list[str], key: str) -> str:
        index = columns.get(key)
        return record[index] if index is not None and index < len(record) else ""

    def people(names: list[str], urls: list[str]) -> set[str]:
        found: set[str] = set()
        for url in urls:
            paths = by_profile.get(normalise_profile(url) or "", [])
            if len(paths) == 1:
                found.add(paths[0])
        if not found:
            for name in names:
                matches = vault.names.lookup(name.strip()) if name.strip() else []
                if len(matches) == 1:
                    found.add(matches[0].path)
        return found

    for number, record in records:
        if record is None:
            outcome.skipped.append(f"{path.name}:{number}: a record too long to read")
            continue
        if not any(cell.strip() for cell in record):
            continue
        outcome.messages += 1
        when = _day(cell(record, "date"))
        if when is None:
            outcome.skipped.append(f"{path.name}:{number}: no readable DATE ({cell(record, 'date')[:40]!r})")
            continue
        if when > today:
            outcome.future += 1
            continue
        sender = people([cell(record, "from")], [cell(record, "sender profile url")])
        recipients = people(
            [n for n in cell(record, "to").split(",")],
            [u for u in cell(record, "recipient profile urls").replace(" ", ",").split(",") if u.strip()],
        )
        found = sender | recipients
        if not found:
            continue
        conversation = cell(record, "conversation id").strip() or cell(record, "conversation title").strip()
        exchanges.append(Exchange(when, "im", tuple(sorted(found)), f"{conversation}|{when.isoformat()}"))
    outcome.counted = len(exchanges)
    outcome.written = (write_to_logs if to_logs else write_exchanges)(vault, "linkedin", exchanges, dry_run)
    return outcome

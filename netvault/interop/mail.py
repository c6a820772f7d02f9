"""Mail as evidence of contact: the headers of an mbox file or a Maildir.

Read as a stream: an mbox (Thunderbird, a Google Takeout) is read line by
line, a Maildir (mutt, mbsync, offlineimap) file by file, and of each
message only the headers are kept (the body is skipped unread in a
Maildir and passed over in an mbox), so a mailbox of several gigabytes
takes the memory of one message's headers.

Each message becomes a :class:`Mail`: when, who sent it, to whom (To and
Cc), its Message-ID, its subject, and whether it is automatic (mailing
lists, bulk mail, auto-replies, ``noreply`` senders), which never counts as
contact.  A message whose headers cannot be read is a :class:`Skipped`
naming the file and message number; the rest goes on.
"""

from __future__ import annotations

import email.policy
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

MAX_HEADER_BYTES = 256 * 1024  # a message's headers longer than this are not mail
_AUTOMATIC_SENDER = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|notifications?|bounces?)([+-].*)?$",
    re.IGNORECASE,
)
_PARSER = BytesHeaderParser(policy=email.policy.compat32)


class MailError(Exception):
    """The path is no mailbox netvault can read: a one-line reason."""


@dataclass(frozen=True)
class Mail:
    where: str  # "Takeout.mbox, message 12" or "cur/1700000000.M1P2.host:2,S"
    key: str  # the Message-ID, or a digest of the headers when there is none
    when: date
    sender: str  # the address, folded
    recipients: tuple[str, ...]  # To and Cc, folded
    names: dict  # address -> the name written beside it, for people not in the vault
    subject: str
    automatic: str | None  # why it is no contact (a mailing list, bulk, an auto-reply), or None


@dataclass(frozen=True)
class Skipped:
    where: str
    reason: str


def read_mailbox(path: Path) -> Iterator[Mail | Skipped]:
    """Every message of the mbox file or Maildir folder at ``path``."""
    path = Path(path)
    if path.is_dir():
        folders = [path / "cur", path / "new"]
        if not any(folder.is_dir() for folder in folders):
            raise MailError(f"{path} is a folder but no Maildir (it has neither cur/ nor new/)")
        yield from _maildir(path, folders)
        return
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise MailError(f"{path} does not exist") from None
    except OSError as exc:
        raise MailError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        first = handle.readline()
        if first and not first.startswith(b"From "):
            raise MailError(f"{path.name} is no mbox file (an mbox starts with a 'From ' line)")
        handle.seek(0)
        yield from _mbox(path.name, handle)


def _maildir(root: Path, folders: list[Path]) -> Iterator[Mail | Skipped]:
    for folder in folders:
        if not folder.is_dir():
            continue
        for name in sorted(os.listdir(folder)):
            if name.startswith("."):
                continue
            file = folder / name
            where = f"{folder.name}/{name}"
            try:
                with open(file, "rb") as handle:
                    header = _header_block(handle)
            except OSError as exc:
                yield Skipped(where, f"cannot read: {exc.strerror or exc}")
                continue
            yield _message(where, header)


def _header_block(handle) -> bytes:
    """The header lines of a message file, up to the blank line."""
    lines = []
    size = 0
    for line in handle:
        if line in (b"\n", b"\r\n"):
            break
        size += len(line)
        if size > MAX_HEADER_BYTES:
            break
        lines.append(line)
    return b"".join(lines)


def _mbox(name: str, handle) -> Iterator[Mail | Skipped]:
    number = 0
    header: list[bytes] | None = None  # collecting a message's headers
    size = 0
    previous_blank = True
    for line in handle:
        if line.startswith(b"From ") and previous_blank:
            if header is not None:
                yield _message(f"{name}, message {number}", b"".join(header))
            number += 1
            header, size = [], 0
            previous_blank = False
            continue
        blank = line in (b"\n", b"\r\n")
        if header is not None and size is not None:
            if blank:
                yield _message(f"{name}, message {number}", b"".join(header))
                header, size = None, None
            elif size <= MAX_HEADER_BYTES:
                header.append(line)
                size += len(line)
        previous_blank = blank
    if header is not None:
        yield _message(f"{name}, message {number}", b"".join(header))


def _message(where: str, raw: bytes) -> Mail | Skipped:
    if not raw.strip():
        return Skipped(where, "no headers")
    try:
        headers = _PARSER.parsebytes(raw)
    except Exception as exc:  # noqa: BLE001 - the email package raises many kinds
        return Skipped(where, f"headers cannot be read ({exc})")
    when = _date(headers.get("Date"))
    if when is None:
        return Skipped(where, f"no readable Date ({_text(headers.get('Date')) or 'none'})")
    senders = _addresses(headers.get_all("From", []))
    recipients = _addresses(headers.get_all("To", []) + headers.get_all("Cc", []))
    if not senders:
        return Skipped(where, "no From address")
    message_id = _text(headers.get("Message-ID")).strip()
    key = message_id.strip("<>").casefold() or hashlib.sha256(raw).hexdigest()
    sender = senders[0][1]
    names = {address: name for name, address in senders + recipients if name}
    return Mail(
        where,
        key,
        when,
        sender,
        tuple(dict.fromkeys(address for _, address in recipients)),
        names,
        " ".join(_decoded(headers.get("Subject")).split()),
        _automatic(headers, sender),
    )


def _automatic(headers, sender: str) -> str | None:
    if headers.get("List-Id") or headers.get("List-Unsubscribe"):
        return "a mailing list"
    precedence = _text(headers.get("Precedence")).strip().casefold()
    if precedence in ("bulk", "list", "junk"):
        return f"Precedence: {precedence}"
    auto = _text(headers.get("Auto-Submitted")).strip().casefold()
    if auto and auto != "no":
        return "an automatic message"
    if _AUTOMATIC_SENDER.match(sender.split("@", 1)[0]):
        return "sent by a no-reply address"
    return None


def _addresses(values) -> list[tuple[str, str]]:
    found = []
    for name, address in getaddresses([_decoded(v) for v in values]):
        address = address.strip().casefold()
        if "@" in address:
            found.append((" ".join(name.split()), address))
    return found


def _date(value) -> date | None:
    text = _text(value).strip()
    if not text:
        return None
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not isinstance(stamp, datetime):
        return None
    return stamp.date()


def _text(value) -> str:
    return "" if value is None else str(value)


def _decoded(value) -> str:
    """A header with its RFC 2047 words (``=?utf-8?q?Ren=C3=A9e?=``) decoded."""
    if value is None:
        return ""
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(str(value))))
    except (ValueError, LookupError, UnicodeError):
        return str(value)

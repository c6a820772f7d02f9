"""LinkedIn's data export: ``Connections.csv``, and a key for profile URLs.

The file starts with a ``Notes:`` preamble whose wording (quoted or not, one
or several lines) changes between export versions, then blank lines, then
the header ``First Name,Last Name,URL,Email Address,Company,Position,Connected
On``.  Older exports lack ``URL``; tools that rewrite the file reorder the
columns or drop the preamble.  So the header is looked for, not counted to,
and columns are found by name.

The CSV plumbing every reader here uses (:func:`load_text`, :func:`rows`,
:func:`find_header`) lives in this module too; :mod:`.csvfile` imports it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ..values.weburl import normalise_profile
from . import FormatError, Parsed, Person, Skipped

__all__ = ["MAX_PEOPLE", "at_most", "find_header", "load_text", "normalise_profile", "parse_connected_on", "read", "rows"]

_SPACE = re.compile(r"\s+")

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


_OTHER_EXPORTS = {"e-mail address", "job title", "e-mail 1 - value", "organization name"}


# --- CSV reading, shared with .csvfile ------------------------------------------


MAX_LINE_BYTES = 16 << 20  # a physical line longer than this is no export's row
FIELD_LIMIT = 1 << 20  # nor a cell longer than this


def load_text(path: Path) -> Lines:
    """The file's lines, read as they are needed (UTF-8, BOM dropped);
    FormatError when it is missing, empty or not UTF-8 (naming the byte
    offset and line of the first bad byte, found when it is reached)."""
    return Lines(Path(path))


class Lines:
    """A CSV file read one physical line at a time, so a file of any size
    is never held whole.  A line longer than :data:`MAX_LINE_BYTES` is
    passed over (its number kept in ``too_long``), and after a record too
    long to read, :meth:`skip_rest_of_record` passes over the lines of the
    quoted cell it was in (followed by counting quotes, as CSV quotes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name or str(path)
        self.too_long: list[int] = []
        self.number = 0  # physical lines read
        self.offset = 0  # bytes read
        self.odd = False  # inside a quoted cell after the lines read so far
        try:
            self.handle = open(path, "rb")
        except FileNotFoundError:
            raise FormatError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise FormatError(f"{path}: is a folder, not a file") from None
        except OSError as error:
            raise FormatError(f"{path}: cannot be read ({error.strerror or error})") from None
        head = self.handle.read(1 << 16)
        if not head.strip(b"\xef\xbb\xbf \t\r\n"):
            self.handle.close()
            raise FormatError(f"{self.name}: empty file")
        self.handle.seek(0)

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        raw = self.handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            self.handle.close()
            raise StopIteration
        self.number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            quotes, size = raw.count(b'"'), len(raw)
            while raw and not raw.endswith(b"\n"):  # the rest of the line, unkept
                raw = self.handle.readline(MAX_LINE_BYTES)
                quotes, size = quotes + raw.count(b'"'), size + len(raw)
            self.too_long.append(self.number)
            self.offset += size
            self.odd ^= bool(quotes % 2)
            return '"\n' if quotes % 2 else "\n"  # a stand-in that leaves the quoting as it was
        if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw, self.offset = raw[3:], 3
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FormatError(
                f"{self.name}:{self.number}: not UTF-8 text (byte 0x{raw[error.start]:02X} at offset "
                f"{self.offset + error.start}); save the file as UTF-8 and try again"
            ) from None
        self.offset += len(raw)
        self.odd ^= bool(text.count('"') % 2)
        return text

    def skip_rest_of_record(self) -> None:
        """Pass over lines until the quoted cell the last line left open closes."""
        while self.odd:
            try:
                next(self)
            except StopIteration:
                return


def rows(lines: Lines, name: str) -> Iterator[tuple[int, list[str] | None]]:
    """Each CSV record with the physical line it starts on (1-based); None
    for a record too long to be anyone's (a cell over :data:`FIELD_LIMIT`,
    or a line over :data:`MAX_LINE_BYTES`)."""
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(lines)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                lines.skip_rest_of_record()
                yield start, None
                start = lines.number + 1
                continue
            raise FormatError(f"{name}:{start}: not readable as CSV ({error})") from None
        if lines.too_long and lines.too_long[-1] >= start:
            record = None
        yield start, record
        start = lines.number + 1


MAX_PEOPLE = 50_000  # people in one file: LinkedIn allows 30,000 connections, Google Contacts 25,000
TOO_LONG = "a cell longer than 1 MB; row not read"


def at_most(people: list, name: str) -> None:
    """FormatError once a file holds more people than one import takes, so
    that reading stops before memory grows with the file."""
    if len(people) > MAX_PEOPLE:
        raise FormatError(
            f"{name}: more than {MAX_PEOPLE:,} people in one file; netvault imports at most "
            f"{MAX_PEOPLE:,} at a time (LinkedIn allows 30,000 connections): split the file"
        )


def clean(value: str | None) -> str:
    """Stripped, whitespace runs collapsed (for names and one-line values)."""
    return _SPACE.sub(" ", value or "").strip()


def note(text: str) -> str:
    """A multi-line value with its line endings made ``\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


def find_header(text: Lines, name: str, accept) -> tuple[list[str], dict[str, int], Iterator]:
    """The first record ``accept(keys)`` likes, keys being its cells stripped and
    case-folded: returns (the record, {key: column}, the records after it);
    LookupError when there is none."""
    records = rows(text, name)
    for _, record in records:
        if record is None:
            continue
        keys = [cell.strip().casefold() for cell in record]
        if accept(set(keys)):
            columns: dict[str, int] = {}
            for index, key in enumerate(keys):
                columns.setdefault(key, index)
            return record, columns, records
    raise LookupError



# --- LinkedIn -------------------------------------------------------------------


def _accept(keys: set[str]) -> bool:
    # "Company" alone would also take an Outlook export: not when its columns are there.
    if not {"first name", "last name"} <= keys:
        return False
    return "connected on" in keys or ("company" in keys and not keys & _OTHER_EXPORTS)


def read(path: Path) -> Parsed:
    """The people of a LinkedIn ``Connections.csv``.

    ``where`` is ``FILE:LINE``, the physical line the row starts on, counting
    the preamble.  A row with neither first nor last name is skipped ("no
    name"); rows of only commas are passed over; a ``Connected On`` that is no
    date leaves ``connected_on`` None."""
    path = Path(path)
    name = path.name or str(path)
    text = load_text(path)
    try:
        _, columns, records = find_header(text, name, _accept)
    except LookupError:
        raise FormatError(
            f"{name}: no LinkedIn header (First Name, Last Name, ..., Connected On) found;"
            " is this LinkedIn's Connections.csv?"
        ) from None

    def cell(record: list[str], key: str) -> str:
        index = columns.get(key)
        return record[index].strip() if index is not None and index < len(record) else ""

    people, skipped = [], []
    for line, record in records:
        where = f"{name}:{line}"
        if record is None:
            skipped.append(Skipped(where, TOO_LONG))
            continue
        if blank(record):
            continue
        full = clean(f"{cell(record, 'first name')} {cell(record, 'last name')}")
        if not full:
            skipped.append(Skipped(where, "no name"))
            continue
        email = cell(record, "email address")
        people.append(
            Person(
                name=full,
                where=where,
                emails=(email,) if email else (),
                linkedin=cell(record, "url") or cell(record, "profile url") or None,
                org=clean(cell(record, "company")) or None,
                role=clean(cell(record, "position")) or None,
                connected_on=parse_connected_on(cell(record, "connected on")),
            )
        )
        at_most(people, name)
    return Parsed(tuple(people), tuple(skipped))


def parse_connected_on(text: str) -> date | None:
    """LinkedIn's ``15 Mar 2024`` and the forms tools rewrite it to:
    ``15-Jan-24``, ``5-May-25``, ``05/14/23`` (US month/day), ``2024-03-15``.
    English month names whatever the locale; None when it is no date."""
    text = text.strip()
    try:
        if match := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?,?[ -](\d{2}|\d{4})", text):
            month = _MONTHS.get(match[2][:3].lower())
            return date(_year(match[3]), month, int(match[1])) if month else None
        if match := re.fullmatch(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})", text):
            month = _MONTHS.get(match[1][:3].lower())
            return date(int(match[3]), month, int(match[2])) if month else None
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text):
            return date(_year(match[3]), int(match[1]), int(match[2]))
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def _year(text: str) -> int:
    # LinkedIn began in 2003: a two-digit year is this century's.
    return 2000 + int(text) if len(text) == 2 else int(text)

"""vCard in and out: ``netvault import vcard`` and ``netvault export vcard``.

Reading (:func:`read`) takes a ``.vcf`` file holding one or many cards, or a
folder of ``.vcf`` files (a vdir), in vCard 2.1, 3.0 or 4.0, and returns the
people in netvault's terms (:class:`~netvault.interop.Person`) with the cards
passed over (:class:`~netvault.interop.Skipped`).  Decisions:

* name: FN, else N as "Given Additional Family", else the first NICKNAME;
  a card with none of them is skipped ("no name").
* ORG ``org;unit;unit`` -> ``"org (unit, unit)"``; empty units are dropped,
  so ``ACME Inc.;`` is ``ACME Inc.``.
* ADR: the first one, its seven parts joined with ", ", empty parts skipped.
* URL: the first LinkedIn profile (``linkedin.com/in/...``) -> ``linkedin``,
  every other URL -> ``urls``; with no such URL, a LinkedIn
  ``X-SOCIALPROFILE`` / ``SOCIALPROFILE`` (a profile URL, or its ``x-user``).
* BDAY -> ``YYYY-MM-DD``, or ``MM-DD`` when there is no year (``--0502``, or
  Apple's year 1604); anything else (``circa 1800``) -> note "birthday: ...".
* KIND org/group/location (and X-ADDRESSBOOKSERVER-KIND, and Apple's
  X-ABShowAs:COMPANY) -> skipped.
* a card with no END:VCARD, or a line that is no property, is skipped with
  ``file:line`` of its BEGIN; the other cards still come in.

Writing is :mod:`netvault.interop.vcardexport`'s; :func:`export` and
:func:`card_files` are found here too.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from . import FormatError, Parsed, Person, Skipped
from .linkedin import at_most
from .vcardexport import (
    FIELD_NAME,
    LIST_VALUED,
    X_NETVAULT,
    CARD_FIELDS,
    UID_NAMESPACE,
    VERSIONS,
    card_files,
    card_uid,
    contact_uuid,
    export,
    unique,
)
from .vcardtext import (
    Prop,
    components,
    iter_logical_lines,
    parse_property,
    stream_physical_lines,
    text_value,
)

__all__ = ["UID_NAMESPACE", "VERSIONS", "card_files", "card_uid", "contact_uuid", "export", "parse_birthday", "read"]

_IGNORED = {"PHOTO", "LOGO", "SOUND", "KEY"}
_NOT_PEOPLE = {"org", "organization", "group", "location"}
_LINKEDIN = re.compile(r"^(?:https?://)?(?:[\w-]+\.)*linkedin\.com/in/", re.I)
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_NO_YEAR_YEARS = {1604, 0}  # Apple writes 1604 for "no year"; some write 0000


# -- reading ---------------------------------------------------------------


def read(path: Path) -> Parsed:
    """The people in a ``.vcf`` file or a folder of them (a vdir: sorted by
    name, other files ignored; a folder with none is an empty address book,
    and a card file in it that cannot be read is skipped).  Raises
    :class:`FormatError` for a missing path, an empty file, or a file with
    no BEGIN:VCARD."""
    path = Path(path)
    if path.is_dir():
        files = sorted(
            (p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".vcf"),
            key=lambda p: p.name,
        )
        people: list[Person] = []
        skipped: list[Skipped] = []
        for file in files:
            try:
                parsed = _read_file(file)
            except FormatError as err:
                skipped.append(Skipped(file.name, str(err)))
                continue
            people.extend(parsed.people)
            skipped.extend(parsed.skipped)
        return Parsed(tuple(people), tuple(skipped))
    if not path.exists():
        raise FormatError(f"{path}: no such file or folder")
    return _read_file(path)


MAX_CARD_LINE = 16 << 20  # a property longer than this (a huge photo, say) is left out of its card


def _read_file(path: Path) -> Parsed:
    """One ``.vcf`` file, read a line at a time (a file of any size is never
    held whole; reading stops at :data:`~.linkedin.MAX_PEOPLE` people)."""
    try:
        handle = open(path, "rb")
    except OSError as err:
        raise FormatError(f"{path}: cannot be read ({err.strerror or err})") from None
    with handle:
        return _read_cards(handle, path)


def _read_cards(handle, path: Path) -> Parsed:
    name = path.name
    too_long: list[int] = []
    people: list[Person] = []
    skipped: list[Skipped] = []
    card: list[Prop] | None = None
    begin = 0
    problem: str | None = None
    first_text = None  # the first line with text, for a file with no card at all
    any_card = False
    for number, text in iter_logical_lines(stream_physical_lines(handle, MAX_CARD_LINE, too_long)):
        if first_text is None and text.strip():
            first_text = number
        if _is_begin(text):
            any_card = True
            if card is not None:
                skipped.append(Skipped(f"{name}:{begin}", f"no END:VCARD before the next BEGIN:VCARD on line {number}"))
            card, begin, problem = [], number, None
            continue
        if card is None:
            continue  # blank lines and stray text between cards
        if _is_marker(text, "END:VCARD"):
            where = f"{name}:{begin}"
            if problem:
                skipped.append(Skipped(where, problem))
            else:
                result = _person(card, where)
                (people if isinstance(result, Person) else skipped).append(result)
                at_most(people, name)
            card = None
            continue
        if not text.strip():
            continue
        prop = parse_property(text, number)
        if prop is None:
            if problem is None:
                shown = text.strip()[:40]
                problem = f"line {number} is not a vCard property: {shown!r}"
            continue
        card.append(prop)
    if first_text is None:
        raise FormatError(f"{path}: empty file")
    if not any_card:
        raise FormatError(f"{path}:{first_text}: no BEGIN:VCARD, not a vCard file")
    if card is not None:
        skipped.append(Skipped(f"{name}:{begin}", "no END:VCARD before the end of the file"))
    return Parsed(tuple(people), tuple(skipped))


def _is_begin(text: str) -> bool:
    return _is_marker(text, "BEGIN:VCARD")


def _is_marker(text: str, marker: str) -> bool:
    """``BEGIN:VCARD`` / ``END:VCARD`` in any case, spaces allowed (a
    short test first: PHOTO lines can be tens of kilobytes)."""
    return len(text) < 40 and text.strip().upper().replace(" ", "") == marker


def _person(card: list[Prop], where: str) -> Person | Skipped:
    by: dict[str, list[Prop]] = {}
    for prop in card:
        if prop.name not in _IGNORED:
            by.setdefault(prop.name, []).append(prop)

    def first(name: str) -> str | None:
        for prop in by.get(name, ()):
            value = text_value(prop)
            if value:
                return value
        return None

    kind = (first("KIND") or first("X-ADDRESSBOOKSERVER-KIND") or "").lower()
    if kind in _NOT_PEOPLE:
        return Skipped(where, f"KIND:{kind} card (not a person)")
    if (first("X-ABSHOWAS") or "").upper() == "COMPANY":  # Apple's company cards
        return Skipped(where, "X-ABShowAs:COMPANY card (not a person)")

    aliases = _aliases(by)
    name = first("FN")
    if not name:
        for prop in by.get("N", ()):
            parts = components(prop) + [""] * 5
            name = " ".join(p for p in (parts[1], parts[2], parts[0]) if p)
            if name:
                break
    name = " ".join((name or next((a for a in aliases if a), "")).split())
    if not name:
        return Skipped(where, "no name (no FN, N or NICKNAME)")

    linkedin, urls = _web_pages(by)

    org = None
    for prop in by.get("ORG", ()):
        parts = [p for p in components(prop) if p]
        if parts:
            org = parts[0] + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")
            break

    address = None
    for prop in by.get("ADR", ()):
        address = ", ".join(p for p in components(prop) if p) or None
        if address:
            break

    notes = [text_value(p) for p in by.get("NOTE", ())]
    birthday = None
    for prop in by.get("BDAY", ()):
        value = text_value(prop)
        if not value:
            continue
        birthday = parse_birthday(value)
        if birthday is None:
            notes.append(f"birthday: {value}")
        break

    extra, log = _netvault_fields(card)
    from_netvault = bool(extra) or log is not None
    tags: list[str] = []
    if not from_netvault:  # netvault's own cards carry circle and tags exactly, below
        for prop in by.get("CATEGORIES", ()):
            tags.extend(components(prop, ","))

    return Person(
        name=name,
        where=where,
        emails=unique(text_value(p) for p in by.get("EMAIL", ())),
        phones=unique(_phone(text_value(p)) for p in by.get("TEL", ())),
        urls=unique(urls),
        linkedin=linkedin,
        org=org,
        role=first("TITLE") or first("ROLE"),
        birthday=birthday,
        notes=unique(notes),
        aliases=unique(aliases),
        tags=unique(tags),
        address=address,
        uid=first("UID"),
        extra=extra,
        log=log,
        from_netvault=from_netvault,
    )


def _aliases(by: dict[str, list[Prop]]) -> list[str]:
    """NICKNAME's names, and Android's custom nickname fields."""
    aliases: list[str] = []
    for prop in by.get("NICKNAME", ()):
        aliases.extend(components(prop, ","))
    for prop in by.get("X-ANDROID-CUSTOM", ()):
        parts = components(prop)
        if len(parts) > 1 and parts[0].endswith("/nickname"):
            aliases.append(parts[1])
    return aliases


def _phone(value: str) -> str:
    return value[4:].strip() if value[:4].lower() == "tel:" else value


def _web_pages(by: dict[str, list[Prop]]) -> tuple[str | None, list[str]]:
    """The LinkedIn profile (the first linkedin.com/in/ URL, else a LinkedIn
    social profile) and every other URL."""
    linkedin: str | None = None
    urls: list[str] = []
    for prop in by.get("URL", ()):
        url = text_value(prop)
        if linkedin is None and _LINKEDIN.match(url):
            linkedin = url
        else:
            urls.append(url)
    for prop in by.get("X-SOCIALPROFILE", []) + by.get("SOCIALPROFILE", []):
        if prop.has_type("linkedin") and linkedin is None:
            value, user = text_value(prop), prop.param("X-USER")
            if _LINKEDIN.match(value):
                linkedin = value
            elif user:  # Apple: X-SOCIALPROFILE;type=linkedin;x-user=jdoe:x-apple:jdoe
                linkedin = f"https://www.linkedin.com/in/{user[0]}"
    return linkedin, urls


def _netvault_fields(card: list[Prop]) -> tuple[dict, str | None]:
    """The fields a card netvault exported carries as ``X-NETVAULT-*``
    (``X-NETVAULT-LAST-CONTACT`` -> ``last_contact``), and its log lines.
    A value with several comma-separated items is a list, as is any value
    of a field netvault keeps as a list (``goals``, ``knows``, ...) or with
    ``LIST=1`` (``interests: [chess]``, a list of one of the user's own).  Fields a standard
    property carries (:data:`CARD_FIELDS`) are not taken from here."""
    fields: dict = {}
    log = None
    for prop in card:
        if not prop.name.startswith(X_NETVAULT):
            continue
        name = prop.name[len(X_NETVAULT) :].lower().replace("-", "_")
        if name == "log":
            log = text_value(prop)
            continue
        if not FIELD_NAME.match(name) or name in CARD_FIELDS or name in fields:
            continue
        items = [item for item in components(prop, ",") if item]
        if items:
            fields[name] = items if len(items) > 1 or name in LIST_VALUED or prop.param("LIST") else items[0]
    return fields, log


def parse_birthday(value: str) -> str | None:
    """``1980-05-02``, ``19800502``, ``1980-05-02T00:00:00Z``, ``--0502``,
    ``--05-02`` -> ``YYYY-MM-DD`` or ``MM-DD``; None for anything else."""
    text = value.strip().split("T", 1)[0]
    match = _DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if year in _NO_YEAR_YEARS:
            return _month_day(month, day)
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    match = _NO_YEAR.match(text)
    if match:
        return _month_day(int(match.group(1)), int(match.group(2)))
    return None


def _month_day(month: int, day: int) -> str | None:
    try:
        date(2000, month, day)  # a leap year: 02-29 is a birthday
    except ValueError:
        return None
    return f"{month:02d}-{day:02d}"

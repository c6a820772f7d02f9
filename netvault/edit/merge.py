"""Two contact files of one person made one: the text of the file kept.

:func:`merged_text` takes the kept file (KEEP) and the other (OTHER) and
returns KEEP's new text, losing nothing of either:

* **Fields.**  KEEP's values stay.  A field KEEP lacks is copied from
  OTHER, its lines as OTHER wrote them.  Lists (aliases, tags, channels,
  goals, knows, introduced_by, other e-mails and numbers, websites) become
  the union, KEEP's items first.  OTHER's ``email`` and ``phone``, when
  KEEP has others, join ``other_emails`` / ``other_phones``.  The later
  ``last_contact`` wins (it is a fact, not a preference), and so does the
  closer circle (a merge never drops someone from the agenda).  Any other value
  that differs (two orgs, two birthdays) stays KEEP's and is written down
  in the note below, and reported.
* **Names.**  OTHER's name (and file name, when it differs) and aliases
  become KEEP's aliases, so ``netvault show "Robert Mensah"`` still finds
  the person.
* **Log.**  OTHER's dated one-line entries join KEEP's log where KEEP's own
  order puts them, with KEEP's bullet; an entry KEEP already has (same
  date, channel and words) is not repeated.  Entries that are not one dated
  line are kept in the note below, as written.
* **The note.**  At the end of KEEP's body, ``## Merged from OTHER``: when,
  from which file, the values that differed, then OTHER's free notes (its
  body without its log), as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..playbook.duplicates import phone_key
from ..read.frontmatter import FrontmatterError, parse
from ..read.logsection import ITEM, code_blocks, find_sections, parse_entry
from ..read.model import Contact
from ..read.settings import Config
from ..values.dates import DateError, parse_date
from ..values.names import fold
from ..values.vocabulary import LIST_KEYS
from ..values.wikilinks import parse_link
from .errors import EditError
from .lines import open_doc, strip_eol
from .logedit import add_log_entry
from .writer import set_field, unset_field

# Keys holding several values besides netvault's list fields.
MORE_LISTS = ("introduced_by", "other_emails", "other_phones", "websites")
_CLOSER = {"cold": 1, "lukewarm": 2, "strategic": 3, "buddy": 4}
_TOP_KEY = re.compile(r"^[^\s#-][^:]*:")


@dataclass
class MergeNotes:
    """What the merge did beyond the obvious, for the command to report."""

    filled: list[str] = field(default_factory=list)  # keys copied from OTHER
    joined: list[str] = field(default_factory=list)  # list keys that gained items
    differing: list[str] = field(default_factory=list)  # "org: Initech (kept Acme)"
    log_added: int = 0
    unmerged: list[str] = field(default_factory=list)  # OTHER's log items kept as text


def _phone_digits(text: str) -> str:
    return re.sub(r"[^\d+]", "", text)


def _item_key(name: str, item: str, region: str | None = None) -> str:
    if name in ("email", "other_emails"):
        return item.strip().casefold()
    if name in ("phone", "other_phones"):
        return phone_key(item, region) or _phone_digits(item)
    if name in ("knows", "introduced_by"):
        link = parse_link(item)
        return fold(link.target) if link else fold(item)
    return fold(item)


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    return " ".join(str(value).split())


def _raw_lines(text: str, key: str) -> list[str] | None:
    """The lines of top-level ``key`` in the frontmatter of ``text``, as written."""
    doc = open_doc(text)
    if doc.close is None:
        return None
    lines = doc.lines[1 : doc.close]
    for index, line in enumerate(lines):
        if line.startswith((f"{key}:", f'"{key}":', f"'{key}':")):
            end = index + 1
            while end < len(lines) and not _TOP_KEY.match(lines[end]):
                end += 1
            while end > index + 1 and not lines[end - 1].strip():
                end -= 1
            return lines[index:end]
    return None


def _copy_field(text: str, other_text: str, other_key: str, key: str, value) -> str:
    """``text`` with OTHER's lines of ``other_key`` added as ``key``, as OTHER
    wrote them; through the writer when they would not read back the same."""
    raw = _raw_lines(other_text, other_key)
    if raw is not None:
        first = raw[0]
        colon = first.index(":", len(other_key))
        raw = [key + first[colon:], *raw[1:]] if key != other_key else raw
        doc = open_doc(text)
        if doc.close is not None and not fold(key) in {fold(k) for k in parse(text.lstrip("\ufeff")).data}:
            nl = doc.nl
            raw = [line if line.endswith("\n") else line + nl for line in raw]
            if nl == "\r\n":
                raw = [line if line.endswith("\r\n") else line[:-1] + "\r\n" for line in raw]
            else:
                raw = [line[:-2] + "\n" if line.endswith("\r\n") else line for line in raw]
            candidate = doc.bom + "".join(doc.lines[: doc.close] + raw + doc.lines[doc.close :])
            try:
                if parse(candidate.lstrip("\ufeff")).data.get(key) == value:
                    return candidate
            except FrontmatterError:
                pass
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return set_field(text, key, value)
    raise EditError(f"'{other_key}' of the other file cannot be copied; copy it by hand")


@dataclass(frozen=True)
class _Item:
    start: int  # body line indexes of the item, its follow-on lines included
    end: int
    whole: str
    line: str | None  # the item's text when it is one dated line


def _log_items(text: str, heading: str) -> tuple[list[_Item], list[tuple[int, int]]]:
    """A note's log: its items, and each log section as ``(heading, end)``
    body line indexes."""
    doc = open_doc(text)
    body = doc.lines[doc.body_start :]
    hidden, _ = code_blocks(body)
    items: list[_Item] = []
    sections = []
    for section in find_sections(body, heading, hidden):
        sections.append((section.heading, section.end))
        index = section.heading + 1
        while index < section.end:
            match = None if hidden[index] else ITEM.match(strip_eol(body[index]))
            if not match:
                index += 1
                continue
            end = index + 1
            indent = len(body[index]) - len(body[index].lstrip(" \t"))
            while end < section.end and body[end].strip() and not (
                not hidden[end]
                and ITEM.match(strip_eol(body[end]))
                and len(body[end]) - len(body[end].lstrip(" \t")) <= indent
            ):
                end += 1  # follow-on lines and sub-items deeper than the item belong to it
            try:
                entry = parse_entry(match.group(1), 0)
            except DateError:
                entry = None
            single = end == index + 1 and entry is not None
            items.append(_Item(index, end, "".join(body[index:end]), match.group(1) if single else None))
            index = end
    return items, sections


def _entry_key(item: str) -> tuple | None:
    try:
        entry = parse_entry(item, 0)
    except DateError:
        return None
    if entry is None:
        return None
    return (entry.date, entry.channel, " ".join(entry.text.split()).casefold())


def merged_text(
    keep_text: str,
    other_text: str,
    keep: Contact,
    other: Contact,
    config: Config,
    today: date,
    trash_path: str,
    resolve,
    region: str | None = None,
    template_lines: frozenset[str] = frozenset(),
) -> tuple[str, MergeNotes]:
    """KEEP's new text, and what was done (see the module's docstring).
    ``resolve(target)`` gives the paths a link target leads to; links to
    either of the two are left out of KEEP's ``knows`` and ``introduced_by``.
    ``region`` reads national phone numbers, so one number written two ways
    is kept once; ``template_lines`` are the lines a new contact's template
    writes (its prompts), not repeated from OTHER's notes."""
    _refuse_open_end(keep_text)
    merger = _Merger(keep_text, other_text, keep, other, config, resolve, region)
    merger.names()
    field_of = {key: name for name, key in other.keys.items()}
    for other_key, value in other.fields.items():
        merger.field(field_of.get(other_key), other_key, value)
    merger.drop_links_between_the_two()
    merger.join_more_addresses()
    notes = merger.notes
    text, consumed = _merge_log(merger.text, other_text, config.log_heading, notes)
    note = _append_note(text, other_text, other, today, trash_path, config.log_heading, notes, template_lines, consumed)
    return note, notes


class _Merger:
    """KEEP's text as the merge goes, field by field, and what it did."""

    def __init__(self, keep_text, other_text, keep, other, config, resolve, region) -> None:
        self.text = keep_text
        self.other_text = other_text
        self.keep, self.other = keep, other
        self.config, self.resolve, self.region = config, resolve, region
        self.both = {keep.path, other.path}
        self.notes = MergeNotes()
        self.later_fills: dict[str, list] = {}  # other_emails / other_phones to join at the end

    def names(self) -> None:
        """OTHER's name, file name and aliases are KEEP's aliases now."""
        keep, other = self.keep, self.other
        taken = {fold(keep.name), fold(keep.stem)}
        written = _as_list(keep.fields.get(keep.keys.get("aliases", "")))
        aliases = [a for a in written if isinstance(a, str) and a]
        seen = taken | {fold(a) for a in aliases}
        more = []
        for name in (other.name, other.stem, *other.aliases):
            if name and fold(name) not in seen:
                seen.add(fold(name))
                more.append(name)
        if more and len(aliases) == len([a for a in written if a not in (None, "")]):
            self.text = set_field(self.text, keep.key_for("aliases", self.config), aliases + more)
            self.notes.joined.append("aliases")
        elif more:  # KEEP's aliases hold something else than names: left as written
            self.notes.differing.append(f"aliases: {', '.join(more)}")

    def field(self, name: str | None, other_key: str, value) -> None:
        """One of OTHER's fields (``name``: netvault's field, if it is one)."""
        if name in ("name", "aliases") or value in (None, "", []):
            return  # an empty field of OTHER says nothing
        key = self.keep.key_for(name, self.config) if name else other_key
        mine = self.keep.fields.get(key)
        if name in ("email", "phone") and isinstance(mine, str) and mine.strip():
            for item in _as_list(value):
                if not isinstance(item, str):
                    self.notes.differing.append(f"{key}: {_shown(item)}")
                elif item.strip() and _item_key(name, mine, self.region) != _item_key(name, item, self.region):
                    self.later_fills.setdefault(f"other_{name}s", []).append(item)
            return
        listy = name in LIST_KEYS or (name or other_key) in MORE_LISTS
        if listy or isinstance(value, list) or isinstance(mine, list):
            self._list_field(name or other_key, other_key, key, mine, value)
        else:
            self._single_field(name, other_key, key, mine, value)

    def _list_field(self, name: str, other_key: str, key: str, mine, value) -> None:
        """Lists are joined, KEEP's items first; what is no text is written down."""
        region, notes = self.region, self.notes
        items = [i for i in _as_list(mine) if i not in (None, "")]
        keys = {_item_key(name, str(i), region) for i in items}
        if name in ("other_emails", "other_phones"):  # KEEP's own address counts too
            primary = self.keep.fields.get(self.keep.key_for(name[6:-1], self.config))
            if isinstance(primary, str) and primary.strip():
                keys.add(_item_key(name, primary, region))
        added, odd = [], []
        for item in _as_list(value):
            if item in (None, ""):
                continue
            if not isinstance(item, str):
                odd.append(item)  # a list in a list, a mapping: not joined, written down
                continue
            if name in ("knows", "introduced_by") and self._between_the_two(item):
                continue  # a link between the two is a link to oneself now
            k = _item_key(name, item, region)
            if k not in keys:
                keys.add(k)
                added.append(item)
        if odd and mine in (None, ""):
            self._fill(other_key, key, value)
            return
        if odd:
            notes.differing.append(f"{key}: {_shown(odd)}")
        if not added:
            return
        if not all(isinstance(i, str) for i in items):
            notes.differing.append(f"{key}: {_shown(value)}")
        elif mine in (None, "") and added == _as_list(value):
            self._fill(other_key, key, value)
        elif mine in (None, ""):
            self.text = set_field(self.text, key, added)
            notes.filled.append(key)
        else:
            self.text = set_field(self.text, key, items + added)
            notes.joined.append(key)

    def _single_field(self, name: str | None, other_key: str, key: str, mine, value) -> None:
        """KEEP's value stays, but for the closer circle and the later last
        contact; what KEEP lacks is filled; a difference is written down."""
        if mine in (None, ""):
            self._fill(other_key, key, value)
            return
        if fold(_shown(mine)) == fold(_shown(value)):
            return
        if name == "circle" and _CLOSER.get(str(value).casefold(), 0) > _CLOSER.get(str(mine).casefold(), 0):
            # The closer circle wins: merging never drops someone from the agenda.
            self.text = set_field(self.text, key, str(value))
            self.notes.differing.append(f"{key}: {_shown(mine)} (the closer, {_shown(value)}, is kept)")
            return
        if name == "last_contact":
            try:
                if parse_date(str(value)) > parse_date(str(mine)):
                    self.text = set_field(self.text, key, str(value))
                    self.notes.differing.append(f"{key}: {_shown(mine)} (the later, {_shown(value)}, is kept)")
                    return
            except DateError:
                pass
        self.notes.differing.append(f"{key}: {_shown(value)}")

    def _fill(self, other_key: str, key: str, value) -> None:
        self.text = _copy_field(self.text, self.other_text, other_key, key, value)
        self.notes.filled.append(key)

    def _between_the_two(self, item: str) -> bool:
        link = parse_link(item)
        return bool(link and set(self.resolve(link.target)) & self.both)

    def _data(self) -> dict:
        return parse(self.text.lstrip("\ufeff")).data

    def drop_links_between_the_two(self) -> None:
        """KEEP's own knows/introduced_by links to either file point at itself now."""
        for name in ("knows", "introduced_by"):
            key = self.keep.key_for(name, self.config)
            current = self._data().get(key)
            if not isinstance(current, list) or not all(isinstance(i, str) for i in current):
                continue
            kept = [i for i in current if not self._between_the_two(i)]
            if kept != current:
                self.text = set_field(self.text, key, kept) if kept else unset_field(self.text, key)

    def join_more_addresses(self) -> None:
        """OTHER's email and phone, when KEEP has others, join other_emails / other_phones."""
        region = self.region
        for key, values in self.later_fills.items():
            current = _as_list(self._data().get(key))
            keys = {_item_key(key, str(i), region) for i in current}
            keys.add(_item_key(key, str(self.keep.fields.get(self.keep.key_for(key[6:-1], self.config)) or ""), region))
            added = [v for v in values if _item_key(key, str(v), region) not in keys]
            if added and all(isinstance(i, str) for i in current):
                self.text = set_field(self.text, key, [*current, *added])
                self.notes.joined.append(key)


def _merge_log(text: str, other_text: str, heading: str, notes: MergeNotes) -> tuple[str, set[int]]:
    """KEEP's text with OTHER's dated one-line entries added; and the body
    line indexes of OTHER's entries now in KEEP's log (added, or already there)."""
    mine_items, _ = _log_items(text, heading)
    have = {_entry_key(item.line) for item in mine_items if item.line is not None}
    items, _ = _log_items(other_text, heading)
    consumed: set[int] = set()
    for item in items:
        key = _entry_key(item.line) if item.line is not None else None
        if key is None:
            continue
        consumed.add(item.start)
        if key in have:
            continue
        have.add(key)
        text = add_log_entry(text, "- " + item.line.strip(), heading)
        notes.log_added += 1
    return text, consumed


def _refuse_open_end(text: str) -> None:
    """KEEP must not end inside a code block or comment: the note appended
    there would be hidden (``log`` refuses such a file too)."""
    doc = open_doc(text)
    body = doc.lines[doc.body_start :]
    hidden, open_block = code_blocks(body)
    if open_block or (hidden and hidden[-1]):
        start = len(hidden) - 1
        while start > 0 and hidden[start - 1]:
            start -= 1
        raise EditError(
            "the file ends inside a code block or comment opened here and never closed; close it, then merge",
            doc.body_start + start + 1,
        )


def _trimmed(lines: list[str]) -> list[str]:
    """Without blank lines at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _append_note(
    text: str,
    other_text: str,
    other: Contact,
    today: date,
    trash_path: str,
    heading: str,
    notes: MergeNotes,
    template_lines: frozenset[str],
    consumed: set[int],
) -> str:
    doc = open_doc(text)
    nl = doc.nl
    other_doc = open_doc(other_text)
    body = other_doc.lines[other_doc.body_start :]
    _, sections = _log_items(other_text, heading)
    in_log = {i for start, end in sections for i in range(start, end)}
    # OTHER's log, but the heading and the entries now in KEEP's log: text
    # between the entries, sub-headings, entries of several lines.
    log_left = [
        body[i] for start, end in sections for i in range(start + 1, end) if i not in consumed
    ]
    # OTHER's title (its name, now an alias) and its template's prompts are
    # not repeated; every other line of its notes is, as written.
    titles = {f"# {other.name}".casefold(), f"# {other.stem}".casefold()}
    free = [
        line
        for index, line in enumerate(body)
        if index not in in_log
        and not (line.strip() and (strip_eol(line).strip() in template_lines or strip_eol(line).strip().casefold() in titles))
    ]
    comments = []
    if other_doc.close is not None:
        comments = [strip_eol(line) for line in other_doc.lines[1 : other_doc.close] if line.lstrip().startswith("#")]
    block = [f"## Merged from {other.name}", "", f"Merged here on {today.isoformat()} from `{other.path}` (now `{trash_path}`)."]
    if notes.differing:
        block += ["", "Its values that differ from this file's:", ""]
        block += [f"- {item}" for item in notes.differing]
    if comments:
        block += ["", "Comments in its frontmatter:", ""] + comments
    log_left = _trimmed(log_left)
    if log_left:
        block += ["", "From its log, as written (not one dated line each):", ""]
        block += [strip_eol(line) for line in log_left]
        notes.unmerged = ["".join(log_left)]
    free = _trimmed(free)
    lines = [line + nl for line in block]
    if free:
        lines.append(nl)
        lines.extend(strip_eol(line) + nl for line in free)
    out = doc.lines
    if out and not out[-1].endswith("\n"):
        out[-1] += nl
    if out and strip_eol(out[-1]).strip():
        out.append(nl)
    out.extend(lines)
    return doc.bom + "".join(out)

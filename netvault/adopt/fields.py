"""Which of the user's keys mean netvault's fields: key names written loosely,
their common synonyms and vCard labels, and whether every value people notes
give a key fits the field."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from ..read.contact import parse_birthday
from ..read.settings import CIRCLES, FIELDS
from ..values.cadence import CadenceError, parse_cadence
from ..values.dates import DateError, parse_date, parse_day
from ..values.names import fold
from .findings import Mapping, Unmapped
from .notes import _Note, _values

# Loosely written names (see _loose) meaning each field, besides the field's own.
SYNONYMS = {
    "name": ("fn", "full name", "fullname", "display name", "contact name"),
    "aliases": ("alias", "nickname", "nicknames", "nick", "aka", "also known as"),
    "origin": ("how we met", "how met", "met via", "met through"),
    "org": ("orgs", "organisation", "organisations", "organization", "organizations", "company",
            "companies", "employer", "works at", "workplace"),
    "role": ("title", "job title", "jobtitle", "position", "job", "occupation"),
    "email": ("emails", "e mail", "mail", "email address"),
    "phone": ("phones", "tel", "telephone", "mobile", "cell", "cellphone", "mobile phone",
              "cell phone", "phone number", "mobile number"),
    "linkedin": ("linked in", "linkedin url", "linkedin profile"),
    "channels": ("channel", "preferred channel", "preferred channels"),
    "cadence": ("frequency", "contact frequency", "rhythm"),
    "last_contact": ("last contacted", "last contact date", "last touch", "last interaction",
                     "last met", "last seen"),
    "snooze_until": ("snoozed until",),
    # Not "next contact": a date the user keeps as an Obsidian date property,
    # where netvault's "DATE note" follow-ups would break it.
    "follow_up": ("followup", "next step"),
    "introduced_by": ("introducer", "referred by"),
    "goals": ("goal",),
    "birthday": ("bday", "birth date", "birthdate", "date of birth", "dob"),
    "tags": ("tag",),
}
# Parts of a name: mapping one to `name` would call Anya Volkova "Volkova".
NAME_PARTS = frozenset(
    ("n fn", "n gn", "n mn", "n prefix", "n suffix", "first name", "firstname", "last name",
     "lastname", "given name", "family name", "surname")
)
# vCard keys whose label says what they are: SOCIALPROFILE[Linkedin], URL[linkedin].
_LABELLED = {"socialprofile": {"linkedin": "linkedin"}, "x socialprofile": {"linkedin": "linkedin"},
             "url": {"linkedin": "linkedin"}}
DATE_FIELDS = ("last_contact", "snooze_until")
MANY_FIELDS = ("aliases", "channels", "goals", "tags", "origin", "org", "role", "introduced_by", "knows")


def _loose(key: str) -> tuple[str, str]:
    """A key written loosely: ``(base, label)``.

    Case, spaces, ``-``, ``_``, ``.`` and camelCase do not matter; a vCard
    label in brackets (``EMAIL[HOME]``) or after ``;`` (``TEL;TYPE=cell``) is
    set aside as ``label``.
    """
    label = ""
    match = re.search(r"\[([^\]]*)\]", key)
    if match:
        label = match.group(1)
        key = key[: match.start()] + key[match.end():]
    if ";" in key:
        key, _, rest = key.partition(";")
        label = label or rest.rpartition("=")[2]
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)
    key = re.sub(r"[\s_.\-]+", " ", key).strip()
    return key.casefold(), label.strip().casefold()


def _field_for(key: str) -> tuple[str | None, str]:
    """netvault's field a user's key means, and why; (None, why) for a name part."""
    base, label = _loose(key)
    if base in NAME_PARTS:
        return None, "a part of a name; netvault's name is the whole name (else the file name)"
    if label and base in _LABELLED and label in _LABELLED[base]:
        name = _LABELLED[base][label]
        return name, f"a {base.upper()} labelled {label}"
    compact = base.replace(" ", "")
    for name in FIELDS:
        if compact == name.replace("_", ""):
            how = "netvault's name written differently"
            if label:
                how = f"{key.split('[')[0].split(';')[0]} with the label {label.upper()}"
            return name, how
    for name, words in SYNONYMS.items():
        if base in words or compact in {w.replace(" ", "") for w in words}:
            how = f"a common name for {name}"
            if label:
                how += f" (label {label.upper()})"
            return name, how
    return None, ""


def _fits(name: str, value) -> bool:
    """Whether netvault reads ``value`` as its field ``name`` without an error."""
    if name in MANY_FIELDS:
        items = value if isinstance(value, list) else [value]
        # `knows: [[Carol]]` unquoted is a list in a list: netvault reads it (and warns).
        return all(isinstance(v, (str, type(None))) or _values([v]) for v in items)
    if not isinstance(value, str):
        return False
    text = value.strip()
    if name in DATE_FIELDS:
        try:
            parse_day(text)
        except DateError:
            return False
        return True
    if name == "birthday":
        return parse_birthday(text) is not None
    if name == "circle":
        return text.lower() in CIRCLES
    if name == "cadence":
        try:
            parse_cadence(text)
        except CadenceError:
            return False
        return True
    if name == "priority":
        return bool(re.fullmatch(r"\d{1,6}", text)) and int(text) >= 1
    if name == "follow_up":
        try:
            parse_date(text.partition(" ")[0])
        except DateError:
            return False
        return True
    if name == "name":
        return "\n" not in text and "\r" not in text
    return True


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _same(a, b) -> bool:
    def norm(v):
        items = v if isinstance(v, list) else [v]
        return [str(i).strip().casefold() for i in items if not _empty(i)]

    return norm(a) == norm(b)


_BARE_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2})?)?")


def _map_fields(people: list[_Note], obsidian_dates: frozenset[str] = frozenset()):
    """Decide [fields]: which of the keys people notes use mean which field.

    When several keys mean one field, netvault reads the first non-empty one
    and ``check`` warns where they disagree; so a key is mapped only if it
    never disagrees, in one note, with a key already chosen for its field
    (netvault's own key first, then the most used).  The others are reported.
    """
    usage: Counter = Counter()
    first_seen: dict[str, int] = {}
    for note in people:
        for key, value in note.data.items():
            if not isinstance(key, str):
                continue
            first_seen.setdefault(key, len(first_seen))
            if not _empty(value):
                usage[key] += 1
    own = sorted((k for k in first_seen if k in FIELDS), key=fold)
    candidates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    unmapped: list[Unmapped] = []
    other: list[str] = []
    for key in first_seen:
        if key in FIELDS:
            continue
        name, why = _field_for(key)
        if name is None:
            if why:
                unmapped.append(Unmapped(key, None, why))
            else:
                other.append(key)
            continue
        if usage[key] == 0:
            unmapped.append(Unmapped(key, name, f"means {name}, but no people note gives it a value"))
            continue
        if name == "follow_up":
            # netvault writes "DATE note" into follow_up: a date property would break.
            values = [n.data[key] for n in people if not _empty(n.data.get(key))]
            if fold(key) in obsidian_dates:
                unmapped.append(Unmapped(key, name, "Obsidian types it as a date (.obsidian/types.json), "
                                         "but netvault writes \"DATE note\" into follow_up"))
                continue
            if _loose(key)[0].startswith("next ") and all(
                isinstance(v, str) and _BARE_DATE.fullmatch(v.strip()) for v in values
            ):
                unmapped.append(Unmapped(key, name, "holds only dates, but netvault writes "
                                         "\"DATE note\" into follow_up"))
                continue
        bad = [n for n in people if not _empty(n.data.get(key)) and not _fits(name, n.data[key])]
        if bad:
            example = bad[0]
            unmapped.append(
                Unmapped(
                    key,
                    name,
                    f"means {name}, but netvault cannot read {_show(example.data[key])} "
                    f"({example.rel}{' and ' + str(len(bad) - 1) + ' more' if len(bad) > 1 else ''}) "
                    f"as a {name}",
                )
            )
            continue
        candidates[name].append((key, why))
    mappings: list[Mapping] = []
    for name, keys in candidates.items():
        chosen = [name] if name in first_seen else []
        for key, why in sorted(keys, key=lambda kw: (-usage[kw[0]], first_seen[kw[0]])):
            rival = next(
                (
                    (other_key, note)
                    for note in people
                    for other_key in chosen
                    if not _empty(note.data.get(key))
                    and not _empty(note.data.get(other_key))
                    and not _same(note.data[key], note.data[other_key])
                ),
                None,
            )
            if rival is not None:
                other_key, note = rival
                unmapped.append(
                    Unmapped(
                        key,
                        name,
                        f"means {name} too, but {note.rel} gives it another value than "
                        f"{other_key}; netvault reads one {name}",
                        rival=other_key,
                        example=note.rel,
                    )
                )
                continue
            chosen.append(key)
            mappings.append(Mapping(key, name, why, usage[key]))
    mappings.sort(key=lambda m: (fold(m.key), m.key))
    unmapped.sort(key=lambda u: (fold(u.key), u.key))
    return tuple(mappings), tuple(own), tuple(unmapped), tuple(sorted(other, key=lambda k: (fold(k), k)))


def _show(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text if len(text) <= 40 else text[:37] + "...")

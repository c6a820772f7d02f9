"""Who is a person: netvault's rules for recognising people in a vault, and
for reading the user's own key names as netvault's fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..values.dates import DateError, parse_day
from .settings import (
    FIELDS,
    Config,
    marker,
    tag_marker,
)

# vCard-style notes (KIND: org) describe these, never a person.
NOT_KINDS = frozenset({"org", "organization", "organisation", "location", "group"})
# An inline tag: '#' at the start or after a space, then letters, digits, _ - /.
_INLINE_TAG = re.compile(r"(?<!\S)#([\w/-]+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+).*?\1", re.DOTALL)
_COMMENTS = re.compile(r"%%.*?(?:%%|\Z)|<!--.*?(?:-->|\Z)", re.DOTALL)
@dataclass(frozen=True)
class FieldValues:
    """A note's frontmatter read through [fields]: what each field holds.

    ``data`` and ``lines`` are the frontmatter with each of netvault's fields
    under netvault's own key (the user's key's value and line where that is
    what the file uses); ``keys`` names the key as written that holds each
    field present; ``clashes`` are ``(field, key, line)`` for a second key
    that gives a field a different value.
    """

    data: dict
    lines: dict
    keys: dict
    clashes: tuple = ()
    bad_dates: tuple = field(default=())  # (key, line): non-dates among last_contact's keys


def resolve_fields(data: dict, lines: dict, config: Config) -> FieldValues:
    """Which key gives each field (see PRODUCT.md, [fields]).

    The first non-empty key in file order counts, except for
    ``last_contact``, where the latest date does.  A file that has only
    empty keys for a field uses the first of them (an edit fills it in).
    """
    keys = {name: name for name in FIELDS if name in data}
    mapped = set(config.fields.values())
    if not mapped:
        return FieldValues(data, lines, keys)
    data, lines = dict(data), dict(lines)
    clashes = []
    bad_dates = []
    for name in mapped:
        present = sorted(
            (key for key in config.keys_for(name) if key in data),
            key=lambda k: lines.get(k, 0),
        )
        if not present:
            continue
        filled = [key for key in present if not _empty(data[key])]
        chosen = filled[0] if filled else present[0]
        if name == "last_contact" and len(filled) > 1:
            dated, undated = [], []
            for key in filled:
                try:
                    dated.append((parse_day(data[key].strip()), key))
                except (DateError, AttributeError):
                    undated.append(key)
            if dated:
                chosen = max(dated, key=lambda pair: pair[0])[1]
            # The key that counts is checked with the others; these would go unseen.
            bad_dates.extend((key, lines.get(key)) for key in undated if key != chosen)
        for key in filled[1:]:
            if _same_value(data[key], data[filled[0]]):
                continue
            clashes.append((name, key, filled[0], chosen, lines.get(key)))
        keys[name] = chosen
        data[name] = data[chosen]
        lines[name] = lines.get(chosen)
    return FieldValues(data, lines, keys, tuple(clashes), tuple(bad_dates))


def _empty(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _same_value(one, other) -> bool:
    if isinstance(one, str) and isinstance(other, str):
        return one.strip() == other.strip()
    return one == other


@lru_cache(maxsize=16)
def contact_hint(types: tuple[str, ...], circle_keys: tuple[str, ...]) -> re.Pattern[bytes]:
    """Bytes that make a note look like a contact even when its YAML is broken
    (so the breakage is reported): a circle key, or a person type."""
    keys = b"|".join(re.escape(k.encode("utf-8")) for k in circle_keys)
    words = b"|".join(re.escape(t.encode("utf-8")) for t in types) or b"(?!)"
    return re.compile(
        rb"^(?:['\"]?(?:" + keys + rb")['\"]?\s*:|type\s*:\s*['\"]?(?:\[\[)?(?:[^\]\n|]*/)?(?i:"
        + words
        + rb")\b)",
        re.MULTILINE,
    )


def is_person(data: dict, body: str, config: Config, in_folder: bool) -> bool:
    """Whether a note with this frontmatter and body is one of the user's people.

    A circle always counts.  Otherwise a note typed or tagged as an
    organisation, place or event ([people] not_types / not_tags, or a vCard
    ``KIND: org``) never does, even in a contacts folder; and a note counts
    when it lies in a contacts folder, or its type, tags (in the frontmatter
    or inline in the body) or categories say it is a person.
    """
    if any(key in data for key in config.keys_for("circle")):
        return True
    types = _markers(data.get("type"), marker)
    tags = _markers([data.get(key) for key in config.keys_for("tags")], tag_marker)
    if (
        (config.not_types and not types.isdisjoint(config.not_types))
        or _has_tag(tags, config.not_tags)
        or _not_a_person_kind(data)
    ):
        return False
    person = (
        in_folder
        or not types.isdisjoint(config.person_types)
        or _has_tag(tags, config.person_tags)
        or (
            bool(config.person_categories)
            and not _markers(data.get("categories"), marker).isdisjoint(config.person_categories)
        )
    )
    inline: frozenset[str] | None = None
    if not person and config.person_tags:
        inline = inline_tags(body)
        person = _has_tag(inline, config.person_tags)
    if not person:
        return False
    if config.not_tags:
        inline = inline_tags(body) if inline is None else inline
        if _has_tag(inline, config.not_tags):
            return False
    return True


def _markers(value, compare) -> frozenset[str]:
    """Every text in a frontmatter value (lists flattened: an unquoted
    ``[[Person]]`` is a list inside a list in YAML), as ``compare`` sees it."""
    found: set[str] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            parts = [item] if compare is marker else re.split(r"[,\s]+", item)
            found.update(m for m in map(compare, parts) if m)
    return frozenset(found)


def _has_tag(tags: frozenset[str], wanted: tuple[str, ...]) -> bool:
    """Whether one of ``tags`` is a wanted tag or nested under one (person/friend)."""
    if not tags or not wanted:
        return False
    for tag in tags:
        if tag in wanted:
            return True
        if "/" in tag:
            parts = tag.split("/")
            if any("/".join(parts[:n]) in wanted for n in range(1, len(parts))):
                return True
    return False


def _not_a_person_kind(data: dict) -> bool:
    for key in ("KIND", "kind", "Kind"):
        value = data.get(key)
        if isinstance(value, str) and value.strip().casefold() in NOT_KINDS:
            return True
    return False


def inline_tags(body: str) -> frozenset[str]:
    """The ``#tags`` written in a note's body, case-folded, outside code
    (fenced blocks, inline spans) and comments (``%% %%``, ``<!-- -->``)."""
    if "#" not in body:
        return frozenset()
    text = body
    if "```" in text or "~~~" in text:
        kept = []
        fence = None
        for line in text.split("\n"):
            match = _FENCE.match(line)
            if fence is None:
                if match:
                    fence = match.group(1)
                    continue
                kept.append(line)
            elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        text = "\n".join(kept)
    if "%%" in text or "<!--" in text:
        text = _COMMENTS.sub(" ", text)
    if "`" in text:
        text = _INLINE_CODE.sub(" ", text)
    # Obsidian: a tag needs one character that is not a digit (#1984 is no tag).
    return frozenset(
        tag.casefold()
        for tag in set(_INLINE_TAG.findall(text))
        if not tag.isdigit() and tag.strip("/-_")
    )

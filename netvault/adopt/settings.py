"""The text of ``netvault.toml`` that adopt writes: every setting with a
comment saying why."""

from __future__ import annotations

import re

from ..values.names import fold
from .findings import Adoption, Marker

DEFAULT_RHYTHM = "twice-a-year"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ch == "\x7f" or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04x}" if not 0xD800 <= ord(ch) <= 0xDFFF else "\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def _array(values) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def _comment(text: str) -> str:
    """User text inside a comment: one line, no control characters."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


def _with_toml(a: Adoption) -> Adoption:
    lines = [
        "# netvault settings, written by `netvault adopt` from the notes of this vault.",
        "# Every key is optional: delete a line to get netvault's default back.",
        "# `netvault adopt --dry-run` shows what adopt finds in the vault today.",
        "",
        "[vault]",
        "# Folders whose every note is a person (any case; any depth below them),",
        "# except notes that say they are something else (see [people]).",
        "# `netvault add` puts new people in the first one.",
    ]
    if a.people_folders:
        lines.append(f"contacts = {_array(a.people_folders)}")
    else:
        lines.append("# No folder here is named for people, so none holds only people:")
        lines.append("contacts = []")
    if a.log_heading:
        lines.append(
            f"# {a.log_heading_notes} people notes keep dated list items under this heading;"
        )
        lines.append("# netvault reads them as the log and `netvault log` adds to it.")
        lines.append(f"log_heading = {toml_string(a.log_heading)}")
    lines += [
        "",
        "[people]",
        "# Notes elsewhere are people when their frontmatter `type`, their `tags`",
        "# (or an inline #tag) or their `categories` hold one of these (any case).",
        "# Notes whose type or tag says organisation, company, event, meeting or",
        "# place, or whose vCard KIND is org, location or group, are never people",
        "# unless they have `circle:` (netvault's not_types and not_tags defaults).",
    ]
    types = list(a.types)
    if not any(fold(m.value) == "contact" for m in types):
        types.append(Marker("contact", "netvault's own `type: contact`"))
    for key, markers in (("types", types), ("tags", a.tags), ("categories", a.categories)):
        markers = sorted(markers, key=lambda m: (fold(m.value), m.value))
        values = [m.value for m in markers]
        reasons = "; ".join(f"{_comment(m.value)}: {m.why}" for m in markers)
        if reasons:
            lines.append(f"# {key}: {reasons}")
        lines.append(f"{key} = {_array(values)}")
    if a.not_tags:
        hinted = sorted({fold(t) for h in a.probably_not_people for t in h.tags})
        lines.append(
            "# not_tags: netvault's own, and the tags of notes in a people folder that look like no"
        )
        lines.append(f"# person (no marker its people share, no person's key): {_comment(', '.join(hinted))}")
        lines.append(f"not_tags = {_array(a.not_tags)}")
    lines.append("# Folders of blank notes for new notes (a Templates folder with empty")
    lines.append("# values or {{placeholders}}): never read as people.")
    if a.obsidian_templates:
        lines.append(
            f"# Obsidian's own template folder ({_comment(a.obsidian_templates)}) is always left out."
        )
    lines.append(f"templates = {_array(a.templates)}")
    lines += [
        "",
        "[fields]",
        "# Your key = netvault's field. netvault reads your key as its own field and,",
        "# when it edits a note, writes the key the note already uses.",
    ]
    if not a.mappings:
        lines.append("# (people notes already use netvault's names, or none that netvault knows)")
    for m in a.mappings:
        lines.append(f"# {_comment(m.why)}; in {m.notes} people note{'s' if m.notes != 1 else ''}")
        lines.append(f"{toml_key(m.key)} = {toml_string(m.field)}")
    lines += ["", "[cadence]"]
    if a.default_cadence:
        count = len(a.without_rhythm)
        lines += [
            f"# {count} {'person has' if count == 1 else 'people have'} neither a circle nor a cadence; "
            "without a default",
            "# netvault would never remind you of them. Change it to e.g. \"quarterly\",",
            "# \"yearly\" or \"never\"; a circle or a cadence on a note counts first.",
            f"default = {toml_string(a.default_cadence)}",
        ]
    else:
        lines.append("# Every person has a circle or a cadence, so no default rhythm is set.")
        lines.append(f"# default = {toml_string(DEFAULT_RHYTHM)}")
    lines += [
        "",
        "[interactions]",
        "# A dated note (a `date` or `datetime` key, or a YYYY-MM-DD file name) in",
        "# these folders that links to a person counts as contact with them that day.",
        "from_notes = true",
    ]
    for i in a.interactions:
        lines.append(f"# {_comment(i.folder)}: {i.why}" + (f", {i.notes} found" if i.notes else ""))
    lines.append(f"folders = {_array(i.folder for i in a.interactions)}")
    for i in a.not_interactions:
        lines.append(
            f"# Not counted: {_comment(i.folder)}: {i.why} ({i.notes}); add it to folders if they are."
        )
    lines += [
        "",
        "[me]",
        "# Who you are: `announce` signs with your name, `import mail` tells your side",
        "# by your addresses, `triage` asks about people at your employers and schools.",
        '# name = "Sam Rivera"',
        '# emails = ["sam@example.com"]',
        '# employers = ["Quarry Labs", "Acme Corp"]',
        '# schools = ["Thames Business School"]',
        '# role = "Head of Product"',
        '# region = "GB"',
    ]
    text = "\n".join(lines) + "\n"
    return Adoption(**{**a.__dict__, "toml": text})

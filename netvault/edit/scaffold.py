"""Creating things: a new vault (``init``) and a new contact file (``add``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..read.frontmatter import FrontmatterError, parse
from ..read.settings import Config
from ..read.vaultfile import CONFIG_NAME
from ..read.walk import scan_notes
from ..views.templates import USER_TEMPLATES, default_template_dir, environment, render_template
from .errors import ConflictError, EditError
from .files import atomic_write, create_file
from .lines import double_quoted, render_scalar
from .writer import set_field

# Unsafe in file names on some system, or in an Obsidian [[wikilink]] (# ^ [ ] |).
_UNSAFE = re.compile(r'[/\\:*?"<>|#^\[\]\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
CONTACT_TEMPLATE = "contact.md"
MAX_NAME_BYTES = 200


class ScaffoldError(Exception):
    pass


def safe_filename(name: str) -> str:
    """A file name (without ``.md``) for a person, safe on every platform.

    Characters unsafe in file names are removed, as are leading dots and
    spaces; the result can never contain a path separator, so it can never
    place a file outside its folder.
    """
    cleaned = unicodedata.normalize("NFC", name)
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    cleaned = _UNSAFE.sub("", cleaned)
    cleaned = " ".join(cleaned.split())
    cleaned = cleaned.lstrip(". ").rstrip(". ")
    if _WINDOWS_RESERVED.match(cleaned):
        cleaned = f"{cleaned} (contact)"
    encoded = cleaned.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        cleaned = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(". ")
    if not cleaned:
        raise ScaffoldError(f"{name!r} has nothing left to name a file after; use letters or digits")
    return cleaned


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back as exactly the same string.

    The writer's quoting (plain when that reads back the same, else quoted,
    with escapes for every character YAML does not allow as it is), plus
    escaped line breaks, which the writer refuses but a new file may hold.
    """
    return _scalar(value, "value")


def yaml_field(key: str, value) -> str:
    if value is None or value == "" or value == [] or value == ():
        return f"{key}:"
    if isinstance(value, (list, tuple)):
        return f"{key}: [" + ", ".join(_scalar(str(v), "flow") for v in value) + "]"
    return f"{key}: {yaml_scalar(str(value))}"


def _scalar(value: str, context: str) -> str:
    if "\n" in value or "\r" in value:
        return double_quoted(value).replace("\n", "\\n").replace("\r", "\\r")
    return render_scalar(value, context)


def _without_controls(value):
    """Jinja's hook on every ``{{ value }}`` of a new contact file.

    ``field()`` already writes control characters as YAML escapes; elsewhere
    (``# {{ name }}`` in the body) they are dropped, as in the file name, so
    that showing the file cannot drive a terminal.  Tabs stay: a plain YAML
    value may hold one.
    """
    text = "" if value is None else str(value)
    return "".join(ch for ch in text if ch == "\t" or unicodedata.category(ch) != "Cc")


class _Pinned:
    """An environment whose templates are compiled once for its lifetime
    (a vault's own templates are otherwise compiled again on every use, so
    that ``watch`` sees edits): an import making thousands of files."""

    def __init__(self, env) -> None:
        self.env = env
        self.templates: dict = {}

    def get_template(self, name: str):
        if name not in self.templates:
            self.templates[name] = self.env.get_template(name)
        return self.templates[name]


def contact_environment(vault_root: Path | None):
    """The environment new contact files are rendered in, for one command."""
    return _Pinned(environment(vault_root, finalize=_without_controls))


def render_contact(vault_root: Path | None, name: str, values: dict, config: Config, env=None) -> str:
    env = env if env is not None else contact_environment(vault_root)
    context = {
        key: None
        for key in (
            "aliases circle origin org role email phone linkedin channels cadence "
            "priority introduced_by tags"
        ).split()
    }
    context.update(values)
    context.update(name=name, log_heading=config.log_heading, field=yaml_field)
    text = render_template(env, CONTACT_TEMPLATE, **context)
    # A vault's own template may leave out fields the user asked for: add
    # them rather than dropping what was typed on the command line.
    written = parse(text).data
    missing = {
        key: [str(v) for v in value] if isinstance(value, list) else str(value)
        for key, value in values.items()
        if written.get(key) in (None, "", [])
    }
    if not missing:
        return text
    added = _append_fields(text, {k: v for k, v in missing.items() if k not in written})
    if added is not None:
        return added
    for key, value in missing.items():
        text = set_field(text, key, value)
    return text


def _append_fields(text: str, fields: dict) -> str | None:
    """``text`` with ``key: value`` lines for keys it does not have, added
    at the end of its frontmatter in one go (an import adds the same few to
    thousands of files); None when that does not read back exactly, and the
    caller then sets them one by one."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") in ("---", "...")), None)
    if close is None:
        return None
    nl = "\r\n" if lines[0].endswith("\r\n") else "\n"
    if not lines[close - 1].endswith(("\n", "\r")):
        return None
    block = "".join(yaml_field(key, value) + nl for key, value in fields.items())
    result = "".join(lines[:close]) + block + "".join(lines[close:])
    try:
        data = parse(result).data
    except FrontmatterError:
        return None
    before = parse(text).data
    if any(data.get(key) != value for key, value in fields.items()) or any(
        data.get(key) != value for key, value in before.items()
    ):
        return None
    return result


@dataclass(frozen=True)
class Created:
    path: Path
    relative: str


def contact_path(root: Path, config: Config, name: str) -> tuple[Path, str]:
    folder = config.new_contact_folder
    filename = safe_filename(name) + ".md"
    rel = f"{folder}/{filename}" if folder else filename
    path = root / rel
    # Belt and braces: the file must land inside the vault whatever the name.
    resolved_root = root.resolve()
    if resolved_root not in (path.parent.resolve(), *path.parent.resolve().parents):
        raise ScaffoldError(f"{rel} would be outside the vault")
    return path, rel


def write_new(path: Path, text: str, sync_folder: bool = True) -> None:
    """Create ``path`` with ``text`` atomically; never replace an existing file
    (``sync_folder``: see :func:`netvault.edit.files.create_file`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_file(path, text.encode("utf-8"), sync_folder)
    except ConflictError:
        raise FileExistsError(str(path)) from None
    except EditError as exc:
        raise OSError(exc.message) from None


# Generated pages, and netvault's write lock and bookkeeping (not its templates).
GITIGNORE = "_site/\n.netvault/write.lock\n.netvault/written.json\n.netvault/journal.json\n.netvault/cache/\n*.netvault-tmp\n"
BOOKKEEPING = (".netvault/write.lock", ".netvault/written.json", ".netvault/journal.json", ".netvault/cache/", "*.netvault-tmp")


def ignore_bookkeeping(root: Path) -> list[str]:
    """Add netvault's own bookkeeping files to the vault's .gitignore (made if
    missing); return the lines added.  Other lines are kept as they are."""
    path = root / ".gitignore"
    try:
        old = path.read_bytes() if path.is_file() else None
    except OSError:
        old = None
    text = (old or b"").decode("utf-8", "replace")
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in BOOKKEEPING if line not in present and "/" + line not in present]
    if not missing:
        return []
    nl = "\r\n" if "\r\n" in text else "\n"
    addition = ("" if not text or text.endswith(("\n", "\r")) else nl) + "# netvault's own bookkeeping" + nl
    addition += nl.join(missing) + nl
    data = (old or b"") + addition.encode("utf-8")
    if old is None:
        create_file(path, data)
    else:
        atomic_write(path, data, old)
    return missing

CONFIG_TEMPLATE = """\
# netvault settings. Every key is optional; each one below is shown with its
# default, commented out. This file also marks the root of your vault.

[vault]
# Folders whose every note is a contact (other notes count when their
# frontmatter has `circle:` or `type: contact`).
# contacts = ["people"]
# Heading of the interaction log section in each contact note.
# log_heading = "Log"
# A folder for generated pages; it is never read as notes.
# output = "_site"
# Read notes that are links to files outside the vault (never written).
# follow_outside_links = false

[cadence]
# How often to get in touch, by circle: Nd, Nw, Nm, Ny, N/year, weekly,
# monthly, quarterly, twice-a-year, yearly or never.
# buddy = "6/year"
# strategic = "quarterly"
# lukewarm = "twice-a-year"
# cold = "never"
# The rhythm of people with neither a circle nor a cadence (none by default).
# default = "twice-a-year"

[agenda]
# How many days ahead the agenda looks.
# days = 14
# Days an #asked entry gets to be answered before "give before you ask again".
# give_after = 14
# Talking points for people whose file suggests none (netvault's own by default).
# prompts = ["Share an article in their field"]
# People never contacted who are on the agenda at a time (after an import,
# not everyone is due today; `netvault agenda --all` shows them all).
# new_per_week = 5

[calendar]
# export ics: birthdays of every contact, not only buddy, strategic, lukewarm.
# all_birthdays = false

[me]
# Who you are: messages are signed with your name; your addresses and past
# employers tell your side of mail and imports apart.
# name = "Sam Rivera"
# emails = ["sam@example.com"]
# employers = ["Quarry Labs", "Acme Corp"]
# Where you studied: triage asks whether people there (or tagged so) are classmates.
# schools = ["Thames Business School"]
# What you do: triage points out peers in the same role.
# role = "Head of Product"
# Where phone numbers without a country code ("07700 900488") are from, for
# `netvault merge --suggest`; default: your LC_ALL or LANG (en_GB -> GB).
# region = "GB"

[people]
# Besides `circle:` and the contacts folders, notes are people when their
# `type`, tags or categories say so.
# types = ["contact"]
# tags = []
# categories = []
# Notes of these types or tags are never people (organisations, events...).
# not_types = ["organisation", "organization", "company", "startup", "ngo", "event", "meeting", "city", "location", "place", "country", "org", "moc", "index"]
# not_tags = ["organisation", "organization", "company", "event", "location", "place", "meeting", "moc", "index"]
# Template folders never read, besides Obsidian's own.
# templates = []

[fields]
# Your own key names for netvault's fields, e.g. company = "org".

[interactions]
# A dated meeting or daily note that links to a contact counts as contact.
# from_notes = true
# folders = []
# date_keys = ["date", "datetime"]

# [goals.move-to-product]  # one table per goal (see `netvault goal`)
# org = "Acme Corp"
# role = "Head of Product"
# note = "notes/Goal - Acme.md"
"""

EXAMPLE_CONTACT = {
    "name": "Ada Example",
    "values": {
        "circle": "strategic",
        "origin": "former-boss",
        "org": "Example Ltd",
        "role": "Head of Engineering",
        "email": "ada@example.com",
        "channels": ["email", "in-person"],
        "priority": "1",
        "tags": ["example"],
    },
}


def enclosing_vault(target: Path) -> Path | None:
    """The nearest folder above ``target`` holding netvault.toml, if any."""
    for folder in target.resolve().parents:
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def existing_notes(target: Path) -> int:
    """How many Markdown notes ``target`` already holds (as netvault would read them)."""
    if not target.is_dir():
        return 0
    return len(scan_notes(target, Config()).notes)


def init_vault(target: Path) -> list[str]:
    """Create a new vault in ``target``; return the files made, relative to it.

    A folder that already holds notes (an Obsidian vault, say) gets no
    example contact: it would be the one stranger among the user's people;
    ``netvault adopt`` is the way to make netvault understand those notes.
    """
    if (target / CONFIG_NAME).exists():
        raise ScaffoldError(f"{target / CONFIG_NAME} already exists; this is a vault already")
    outer = enclosing_vault(target)
    if outer is not None:
        # That vault would skip this one (a folder with its own netvault.toml
        # is another vault), hiding whatever is or will be in it.
        raise ScaffoldError(
            f"{target} is inside the vault of {outer / CONFIG_NAME}; a vault inside a vault "
            "hides its notes from the outer one. Add contacts to that vault, or choose a "
            "folder outside it"
        )
    had_notes = existing_notes(target) > 0
    target.mkdir(parents=True, exist_ok=True)
    made = []
    write_new(target / CONFIG_NAME, CONFIG_TEMPLATE)
    made.append(CONFIG_NAME)
    template_target = target / USER_TEMPLATES / CONTACT_TEMPLATE
    if not template_target.exists():
        write_new(template_target, (default_template_dir() / CONTACT_TEMPLATE).read_text("utf-8"))
        made.append((USER_TEMPLATES / CONTACT_TEMPLATE).as_posix())
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        write_new(gitignore, GITIGNORE)
        made.append(".gitignore")
    if had_notes:
        return made
    config = Config()
    path, rel = contact_path(target, config, EXAMPLE_CONTACT["name"])
    if not path.exists():
        text = render_contact(target, EXAMPLE_CONTACT["name"], EXAMPLE_CONTACT["values"], config)
        write_new(path, text)
        made.append(rel)
    return made

"""``netvault.toml``: optional settings, every key checked and located by line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Mapping

from ..values.cadence import Cadence, CadenceError, parse_cadence
from ..values.problems import ERROR, Problem
from ..values.vocabulary import CIRCLES, FIELDS  # noqa: F401  (read.settings names them too)
from .goalsettings import Goal, goal_entry
from .tomllines import goal_lines, locate
from .vaultfile import CONFIG_NAME, UnreadableFile, read_vault_file

DEFAULT_CADENCE_TEXT = {
    "buddy": "6/year",
    "strategic": "quarterly",
    "lukewarm": "twice-a-year",
    "cold": "never",
}


# Notes of these types or tags are organisations, places and events, never
# people, even in a contacts folder (unless they have `circle:`).
# Index notes ("maps of content") in a people folder are not people either.
DEFAULT_NOT_TYPES = (
    "organisation", "organization", "company", "startup", "ngo", "event", "meeting",
    "city", "location", "place", "country", "org", "moc", "index",
)
DEFAULT_NOT_TAGS = (
    "organisation", "organization", "company", "event", "location", "place", "meeting",
    "moc", "index",
)
DEFAULT_DATE_KEYS = ("date", "datetime")

_LINK = re.compile(r"^\[\[([^\]|#^]*)(?:[#^][^\]|]*)?(?:\|[^\]]*)?\]\]$")


def marker(value: str) -> str:
    """A ``type`` or ``categories`` value as netvault compares it: case-folded,
    and a link ``[[Types/Person|P]]`` by its target's last part (``person``)."""
    text = value.strip()
    match = _LINK.match(text)
    if match:
        text = match.group(1).strip()
        if text.lower().endswith(".md"):
            text = text[:-3]
        text = text.rsplit("/", 1)[-1]
    return text.strip().casefold()


def tag_marker(value: str) -> str:
    """A tag as netvault compares it: case-folded, without its leading ``#``."""
    return value.strip().lstrip("#").strip().casefold()


def _default_cadence() -> Mapping[str, Cadence]:
    return MappingProxyType({c: parse_cadence(t) for c, t in DEFAULT_CADENCE_TEXT.items()})


def _no_fields() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    contacts: tuple[str, ...] = ("people",)
    log_heading: str = "Log"
    output: str = "_site"
    cadence: Mapping[str, Cadence] = field(default_factory=_default_cadence)
    days: int = 14
    # [agenda] give_after: days an ask is given to be answered before the
    # agenda says "give before you ask again"
    give_after: int = 14
    # [agenda] new_per_week: people never contacted who enter the agenda at a time
    # (after a big import, not all "due today"); `agenda --all` shows them all
    new_per_week: int = 5
    # [calendar] all_birthdays: the calendar export holds the birthdays of
    # every contact, not only of those you keep up with (buddy, strategic, lukewarm)
    all_birthdays: bool = False
    # [me]: who you are (messages are signed with your name; your addresses
    # and employers tell your side of mail and imports apart)
    me_name: str | None = None
    me_emails: tuple[str, ...] = ()
    me_employers: tuple[str, ...] = ()
    me_schools: tuple[str, ...] = ()  # [me] schools: where you studied (triage: classmates?)
    me_role: str | None = None  # [me] role: what you do (triage: peers in the same role)
    # [me] region: where national phone numbers ("07700 900488") are read ("GB")
    me_region: str | None = None
    # [agenda] prompts: talking points for people whose file suggests none
    # (empty: netvault's own; see netvault.playbook.talking).
    prompts: tuple[str, ...] = ()
    # Read notes that are symlinks to files outside the vault (off: a cloned
    # vault must not make netvault read files elsewhere on the machine).
    follow_outside_links: bool = False
    # [people]: how notes are recognised as people besides `circle:` and the
    # contacts folders.  Stored as compared: case-folded, tags without '#',
    # links by their target's last part.
    person_types: tuple[str, ...] = ("contact",)
    person_tags: tuple[str, ...] = ()
    person_categories: tuple[str, ...] = ()
    not_types: tuple[str, ...] = DEFAULT_NOT_TYPES
    not_tags: tuple[str, ...] = DEFAULT_NOT_TAGS
    templates: tuple[str, ...] = ()  # extra folders never read, besides Obsidian's
    # [fields]: the user's key (exactly as written in notes) -> netvault's field.
    fields: Mapping[str, str] = field(default_factory=_no_fields)
    # [cadence] default: the rhythm of contacts with neither circle nor cadence.
    default_cadence: Cadence | None = None
    # [interactions]
    interactions_from_notes: bool = True
    interaction_folders: tuple[str, ...] = ()
    date_keys: tuple[str, ...] = DEFAULT_DATE_KEYS
    # [interactions] evidence: where `import mail|calendar|messages` keep what
    # they found, one file per source and month, read like log entries
    evidence_folder: str = "interactions"
    # [goals]: name -> Goal; None when the vault has no [goals] section (goals
    # on contacts are then free tags, and none is reported as undefined).
    goals: Mapping[str, Goal] | None = None

    @property
    def new_contact_folder(self) -> str:
        """Where ``add`` puts new contacts: the first contacts folder."""
        return self.contacts[0] if self.contacts else ""

    def keys_for(self, name: str) -> tuple[str, ...]:
        """Every key that gives the field ``name``: netvault's own, then the
        user's keys [fields] maps to it, in the order of the settings."""
        return (name, *(key for key, target in self.fields.items() if target == name and key != name))

    def write_key(self, name: str) -> str:
        """The key an edit writes for ``name`` in a file that has none of its keys:
        the vault's own key when [fields] maps exactly one to it, else netvault's."""
        mapped = [key for key, target in self.fields.items() if target == name and key != name]
        return mapped[0] if len(mapped) == 1 else name


def _relative_folder(value: str) -> str | None:
    """A vault-relative folder in ``/`` form, or None if it would leave the vault."""
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", value):
        return None
    text = str(path)
    return "" if text == "." else text


def load_config(root: Path) -> tuple[Config, list[Problem]]:
    """Read ``netvault.toml`` under ``root``; a missing file means all defaults.

    One that cannot be read (see :func:`read_vault_file`) is an error
    problem, and the defaults apply.
    """
    problems: list[Problem] = []

    def problem(message: str, line: int | None) -> None:
        problems.append(Problem(CONFIG_NAME, line, ERROR, message))

    try:
        text = read_vault_file(root, CONFIG_NAME).decode("utf-8-sig")
    except FileNotFoundError:
        return Config(), []
    except UnreadableFile as exc:
        # An error, not a warning: commands that write refuse until it is fixed.
        problem(f"{exc.reason}; the settings were not read, so defaults apply", None)
        return Config(), problems
    except UnicodeDecodeError:
        problem("not UTF-8 text; save it as UTF-8", None)
        return Config(), problems
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib recurses once per nested array or inline table.
        problem(
            "nested too deeply (arrays or inline tables inside each other); the settings "
            "were not read, so defaults apply",
            None,
        )
        return Config(), problems
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        problem(f"not valid TOML: {message}", int(match.group(1)) if match else None)
        return Config(), problems

    lines = text.splitlines()
    values: dict = {}
    cadence = dict(_default_cadence())
    known = {
        "vault": {"contacts", "log_heading", "output", "follow_outside_links"},
        "cadence": {*CIRCLES, "default"},
        "agenda": {"days", "prompts", "give_after", "new_per_week"},
        "calendar": {"all_birthdays"},
        "me": {"name", "emails", "employers", "schools", "region", "role"},
        "people": {"types", "tags", "categories", "not_types", "not_tags", "templates"},
        "fields": None,  # any key: the user's own
        "interactions": {"from_notes", "folders", "date_keys", "evidence"},
        "goals": None,  # any name: the user's goals, checked by goal_entry
    }
    fields: dict[str, str] = {}
    goals: dict[str, Goal] = {}
    goal_where: dict[tuple[str, str | None], int] | None = None  # read when needed
    for table, content in data.items():
        if table not in known:
            problem(
                f"unknown section [{table}]; known sections: "
                + ", ".join(f"[{t}]" for t in known),
                locate(lines, table, None) or locate(lines, None, table),
            )
            continue
        if not isinstance(content, dict):
            problem(f"'{table}' must be a section [{table}]", locate(lines, None, table))
            continue
        for key, value in content.items():
            if table == "goals":
                if goal_where is None:
                    goal_where = goal_lines(lines)
                goal_entry(key, value, goal_where, goals, problem)
                continue
            line = locate(lines, table, key)
            if table == "fields":
                _field_entry(key, value, line, fields, problem)
                continue
            if key not in known[table]:
                problem(
                    f"unknown key '{key}' in [{table}]; known keys: "
                    + ", ".join(sorted(known[table])),
                    line,
                )
                continue
            if table == "cadence":
                try:
                    parsed = parse_cadence(value)
                except CadenceError as exc:
                    problem(f"[cadence] {key}: {exc}", line)
                    continue
                if key == "default":
                    values["default_cadence"] = parsed
                else:
                    cadence[key] = parsed
            elif table == "people":
                if key == "templates":
                    folders = _folders(value)
                    if folders is None:
                        problem(
                            "[people] templates must be a list of folders inside the vault, "
                            'e.g. ["Templates"]',
                            line,
                        )
                        continue
                    values["templates"] = folders
                    continue
                words = _words(value)
                if words is None:
                    problem(f'[people] {key} must be a list of words, e.g. ["person"]', line)
                    continue
                compare = tag_marker if key.endswith("tags") else marker
                cleaned = tuple(dict.fromkeys(w for w in map(compare, words) if w))
                name = {"types": "person_types", "tags": "person_tags", "categories": "person_categories"}
                values[name.get(key, key)] = cleaned
            elif table == "me":
                if key == "name":
                    if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
                        problem("[me] name must be your name on one line, e.g. \"Sam Rivera\"", line)
                        continue
                    values["me_name"] = " ".join(value.split())
                elif key == "role":
                    if not isinstance(value, str) or not value.strip() or "\n" in value or "\r" in value:
                        problem('[me] role must be your role on one line, e.g. "Head of Product"', line)
                        continue
                    values["me_role"] = " ".join(value.split())
                elif key == "region":
                    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value.strip()):
                        problem('[me] region must be a two-letter country code, e.g. "GB"', line)
                        continue
                    values["me_region"] = value.strip().upper()
                else:
                    words = _words(value)
                    if words is None or isinstance(value, str):
                        problem(f'[me] {key} must be a list of texts, e.g. ["you@example.com"]', line)
                        continue
                    if key == "emails" and any("@" not in w for w in words):
                        problem("[me] emails must be e-mail addresses, e.g. [\"you@example.com\"]", line)
                        continue
                    values[f"me_{key}"] = tuple(dict.fromkeys(words))
            elif table == "calendar":
                if not isinstance(value, bool):
                    problem("[calendar] all_birthdays must be true or false", line)
                    continue
                values["all_birthdays"] = value
            elif table == "interactions":
                if key == "from_notes":
                    if not isinstance(value, bool):
                        problem("[interactions] from_notes must be true or false", line)
                        continue
                    values["interactions_from_notes"] = value
                elif key == "folders":
                    folders = _folders(value)
                    if folders is None:
                        problem(
                            "[interactions] folders must be a list of folders inside the vault, "
                            'e.g. ["Meetings", "Daily"]',
                            line,
                        )
                        continue
                    values["interaction_folders"] = folders
                elif key == "evidence":
                    folder = _relative_folder(value) if isinstance(value, str) and value.strip() else None
                    if folder is None or folder in ("", ".") or folder.startswith("."):
                        problem(
                            '[interactions] evidence must be a folder inside the vault, e.g. "interactions"',
                            line,
                        )
                        continue
                    values["evidence_folder"] = folder
                else:
                    words = _words(value)
                    if words is None or any("\n" in w or "\r" in w for w in words):
                        problem(
                            '[interactions] date_keys must be a list of frontmatter keys, '
                            'e.g. ["date", "datetime"]',
                            line,
                        )
                        continue
                    values["date_keys"] = tuple(dict.fromkeys(words))
            elif key == "contacts":
                folders = [value] if isinstance(value, str) else value
                if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
                    problem("[vault] contacts must be a list of folder names", line)
                    continue
                cleaned = [_relative_folder(f) for f in folders]
                if any(c is None for c in cleaned):
                    problem("[vault] contacts folders must be relative paths inside the vault", line)
                    continue
                values["contacts"] = tuple(cleaned)
            elif key == "log_heading":
                if not isinstance(value, str) or not value.strip() or "\n" in value:
                    problem("[vault] log_heading must be a non-empty one-line text", line)
                    continue
                values["log_heading"] = value.strip()
            elif key == "output":
                folder = _relative_folder(value) if isinstance(value, str) else None
                if not folder:
                    problem("[vault] output must be a folder inside the vault, e.g. \"_site\"", line)
                    continue
                values["output"] = folder
            elif key == "follow_outside_links":
                if not isinstance(value, bool):
                    problem("[vault] follow_outside_links must be true or false", line)
                    continue
                values["follow_outside_links"] = value
            elif key == "days":
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3660:
                    problem("[agenda] days must be a whole number from 0 to 3660", line)
                    continue
                values["days"] = value
            elif key == "new_per_week":
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10000:
                    problem("[agenda] new_per_week must be a whole number of people from 0 to 10000", line)
                    continue
                values["new_per_week"] = value
            elif key == "give_after":
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3660:
                    problem("[agenda] give_after must be a whole number of days from 0 to 3660", line)
                    continue
                values["give_after"] = value
            elif key == "prompts":
                words = _words(value)
                if words is None or isinstance(value, str) or any("\n" in w or "\r" in w for w in words):
                    problem(
                        '[agenda] prompts must be a list of one-line texts, e.g. '
                        '["send a podcast episode", "ask their advice"]',
                        line,
                    )
                    continue
                values["prompts"] = tuple(dict.fromkeys(words))
    if fields:
        values["fields"] = MappingProxyType(fields)
    if isinstance(data.get("goals"), dict):
        values["goals"] = MappingProxyType(dict(sorted(goals.items())))
    output = values.get("output", Config.output)
    for folder in values.get("contacts", Config.contacts):
        # Output is never read, so it must not be (or hold) a contacts folder.
        if folder and (output == folder or folder.startswith(output + "/")):
            problem(
                f"[vault] output {output!r} would hide the contacts folder {folder!r}; "
                "generated pages must go in a folder of their own",
                locate(lines, "vault", "output") or locate(lines, "vault", "contacts"),
            )
            values.pop("output", None)
            break
    return Config(cadence=MappingProxyType(cadence), **values), problems


def _words(value) -> list[str] | None:
    """A list of non-empty texts (one text alone counts as a list of one)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        return None
    return [i.strip() for i in items]


def _folders(value) -> tuple[str, ...] | None:
    """Vault-relative folders in ``/`` form; None if one is not text or leaves the vault."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return None
    cleaned = [_relative_folder(i) for i in items]
    if any(c is None for c in cleaned):
        return None
    return tuple(dict.fromkeys(cleaned))


def _field_entry(key: str, value, line: int | None, fields: dict[str, str], problem) -> None:
    """One ``"the user's key" = "netvault_field"`` line of [fields]."""
    if isinstance(value, dict):
        # TOML reads `N.FN = "name"` as a table N holding FN.
        inner = next(iter(value), "")
        problem(
            f'[fields] {key}.{inner}: quote a key that holds dots, e.g. "{key}.{inner}" = "name"',
            line,
        )
        return
    if not key.strip() or "\n" in key or "\r" in key:
        problem("[fields] keys must be a note's frontmatter key, on one line and not empty", line)
        return
    if not isinstance(value, str) or value.strip() not in FIELDS:
        shown = repr(value) if isinstance(value, str) else "not a text"
        problem(
            f"[fields] {key!r}: {shown} is not one of netvault's fields; use one of: "
            + ", ".join(FIELDS),
            line,
        )
        return
    target = value.strip()
    if key in FIELDS and key != target:
        problem(
            f"[fields] {key!r} is netvault's own key for {key}; it cannot stand for {target}",
            line,
        )
        return
    fields[key] = target

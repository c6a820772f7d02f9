"""The template environment every view shares: the agenda, the pages, the
messages and new contact files.

The default Jinja2 templates ship with netvault; a vault overrides any of
them by putting a file of the same name in ``.netvault/templates/``.  Every ``{{ value }}`` in those templates,
shipped or overriding, is made printable (one line, no control characters)
before it is written, so a contact file cannot drive the user's terminal.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jinja2
import markupsafe

from ..read.vaultfile import UnreadableFile, read_vault_file
from ..values.cadence import describe
from ..values.problems import printable
from .errors import RenderError  # noqa: F401  (raised here; callers import it from either)

USER_TEMPLATES = Path(".netvault") / "templates"

_STYLES = {
    "overdue": "\x1b[1;31m",
    "due": "\x1b[1;33m",
    "upcoming": "\x1b[36m",
    "heading": "\x1b[1m",
    "dim": "\x1b[2m",
    "name": "\x1b[1m",
}
_RESET = "\x1b[0m"

Finalize = Callable[[object], object]  # Jinja's hook on every {{ value }}
Style = Callable[[object, str], str]  # the ``style(text, kind)`` filter


class VaultTemplateLoader(jinja2.BaseLoader):
    """The vault's own templates in ``.netvault/templates/``, read with care.

    A template is used only if it is a regular file of at most 1 MB whose
    real path lies inside the vault (see :func:`netvault.read.vaultfile.read_vault_file`):
    a named pipe or a link to /dev/zero must not hang netvault, and a link
    out of a cloned vault must not copy some other file into new contacts.
    Any other is passed over, so the shipped template of that name is used.
    """

    def __init__(self, vault_root: Path) -> None:
        self.vault_root = vault_root

    def get_source(self, environment, template):
        rel = "/".join((USER_TEMPLATES.as_posix(), *jinja2.loaders.split_template_path(template)))
        try:
            raw = read_vault_file(self.vault_root, rel)
        except (OSError, UnreadableFile):
            raise jinja2.TemplateNotFound(template) from None
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise jinja2.TemplateError(f"{rel} is not UTF-8 text; save it as UTF-8") from None
        path = os.path.join(self.vault_root, rel)
        return source, path, lambda: False


def default_template_dir() -> Path:
    """Inside the installed package; in a source checkout, the repo's templates/."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


def environment(
    vault_root: Path | None = None, finalize: Finalize | None = None
) -> jinja2.Environment:
    """Templates from the vault's ``.netvault/templates/``, else the defaults.

    Output for a terminal or a page passes ``finalize`` from
    ``printable_output``; a new contact file (``contact.md``) passes a
    gentler one (see :mod:`netvault.edit.scaffold`): it must hold what the user
    typed, and the ``field`` helper quotes it as YAML.
    """
    loaders: list[jinja2.BaseLoader] = []
    if vault_root is not None and (Path(vault_root) / USER_TEMPLATES).is_dir():
        loaders.append(VaultTemplateLoader(Path(vault_root)))
    default = jinja2.FileSystemLoader(str(default_template_dir()))
    loaders.append(default)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [*loaders, jinja2.PrefixLoader({"default": default})]
        ),
        autoescape=lambda name: bool(name) and (name.endswith(".html.j2") or name.endswith(".html")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.filters["days"] = human_days
    env.filters["cadence"] = describe
    env.filters["count"] = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")
    env.filters["relative"] = relative_days
    env.filters["wikilink"] = wikilink
    env.filters["source_note"] = source_note
    env.filters["mdtext"] = markdown_text
    # the year by hand: strftime's %Y gives "1", not "0001", on some platforms
    env.filters["longdate"] = lambda d: f"{d:%A} {d.day} {d:%B} {d.year:04d}"
    return env


def human_days(count: int) -> str:
    return "1 day" if abs(count) == 1 else f"{abs(count)} days"


def relative_days(when: date, today: date) -> str:
    """'today', 'tomorrow', 'in 5 days', 'yesterday', '12 days ago'."""
    delta = (when - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def wikilink(item) -> str:
    """``[[File name]]``, or ``[[File name|Name]]`` when the name differs."""
    stem = item.stem
    label = _link_label(item.name)
    if stem == item.name == label:
        return f"[[{stem}]]"
    return f"[[{stem}|{label}]]"


def source_note(source: str | None) -> str:
    """The note a last contact came from, as Obsidian names it
    (``Journal/2026-11-02``); "" when it came from the contact's own file."""
    if not source or source in ("log", "last_contact"):
        return ""
    return source[:-3] if source.lower().endswith(".md") else source


def _link_label(text: str) -> str:
    """A name as a link's label: it cannot end the link, and HTML-significant
    characters are backslash-escaped as CommonMark allows, so a name never
    becomes markup in a note that renders HTML."""
    text = text.replace("\\", "\\\\").replace("&", "\\&").replace("<", "\\<").replace(">", "\\>")
    return text.replace("|", "/").replace("]]", "] ]").replace("[[", "[ [")


def markdown_text(text) -> str:
    """Neutralise Markdown that would change the page's structure."""
    if text is None:
        return ""
    out = str(text).replace("\\", "\\\\")
    for char in ("*", "_", "`", "<", ">", "[", "]", "|"):
        out = out.replace(char, "\\" + char)
    return out


def printable_output(color: bool = False) -> tuple[Finalize, Style]:
    """The ``finalize`` hook and ``style`` filter for one rendering.

    The hook passes every ``{{ value }}`` through ``printable``.  The colours
    netvault adds must survive that, so ``style`` does not write escape codes
    but markers holding a number drawn for this rendering, which a contact
    file cannot guess; the hook turns them into escape codes after cleaning.
    """
    nonce = secrets.randbelow(10**18)
    kinds = [*_STYLES, "reset"]
    markers = {kind: f"\ue000{nonce}.{number}\ue001" for number, kind in enumerate(kinds)}
    codes = {markers[kind]: code for kind, code in [*_STYLES.items(), ("reset", _RESET)]}

    def style(text, kind: str) -> str:
        text = str(text)
        if not color or kind not in _STYLES:
            return text
        return f"{markers[kind]}{text}{markers['reset']}"

    def finalize(value):
        if hasattr(value, "__html__"):  # already escaped for HTML: keep it marked safe
            return markupsafe.Markup(printable(value.__html__()))
        text = printable(str(value))
        if color and "\ue000" in text:
            for marker, code in codes.items():
                text = text.replace(marker, code)
        return text

    return finalize, style


def render_template(env: jinja2.Environment, template_name: str, /, **context) -> str:
    """Render a template; a broken one becomes a RenderError naming file and line."""
    try:
        return env.get_template(template_name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or template_name
        raise RenderError(printable(f"template {where}:{exc.lineno}: {exc.message}")) from None
    except jinja2.TemplateError as exc:
        raise RenderError(printable(f"template {template_name}: {exc}")) from None

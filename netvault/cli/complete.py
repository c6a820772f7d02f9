"""Shell completion: contact names wherever a command takes a NAME, goal
names for ``goal``, field names for ``set`` and ``unset``.

Commands, options and choices complete through click itself; the shell
scripts are click's (``_NETVAULT_COMPLETE=bash_source netvault``, likewise
``zsh_source`` and ``fish_source``).  Names come from the
cache's ``names.json`` (:mod:`netvault.read.quicknames`), checked against
the notes; only notes changed since are read, and the whole vault only when
there is no cache yet.  The benchmark measures a completion at every size.

A completion never fails loudly: outside a vault, or on any error, it offers
nothing, so a keystroke never prints a traceback into the command line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from ..read.quicknames import cached_names
from ..read.vaultfile import CONFIG_NAME, find_root, note_stem
from ..values.names import fold, plain

COMPLETE_VAR = "_NETVAULT_COMPLETE"
# What bash would take as more than one word, or as syntax.
_BASH_SPECIAL = re.compile(r"""([\s"'\\$`&|;<>()*?\[\]{}!#~=,^])""")


def _root(ctx: click.Context) -> Path | None:
    """The vault the command line names (--vault or NETVAULT_VAULT), else
    the nearest one upward; None outside any vault (never walk a home folder)."""
    given = None
    for context in (ctx, *_parents(ctx)):
        given = given or context.params.get("vault_dir")
    given = given or os.environ.get("NETVAULT_VAULT")
    root = Path(given).expanduser() if given else find_root(Path.cwd())
    return root if (root / CONFIG_NAME).is_file() or (given and root.is_dir()) else None


def _parents(ctx: click.Context):
    while ctx.parent is not None:
        ctx = ctx.parent
        yield ctx


def _for_shell(value: str) -> str:
    """bash's script puts a value into the command line as it is (after a
    ``read`` that eats one level of backslashes): escape it for both.  zsh and
    fish quote what they insert themselves."""
    if not os.environ.get(COMPLETE_VAR, "").startswith("bash"):
        return value
    return _BASH_SPECIAL.sub(r"\\\1", value).replace("\\", "\\\\")


def _words_start(text: str, typed: str) -> bool:
    """``Karim``, ``aisha k`` and ``sean`` lead to "Aisha Karim" and "Seán"."""
    text = plain(fold(text))
    return text.startswith(typed) or any(word.startswith(typed) for word in text.split()[1:])


def contact_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Contacts whose name, alias or file name starts with what is typed
    (or has a word that does), as their names, sorted."""
    try:
        root = _root(ctx)
        if root is None:
            return []
        cached = cached_names(root)
        if cached is None:  # no cache yet: read the vault (which writes one)
            from ..read.loader import load_names

            people = [(c.path, c.name, c.aliases) for c in load_names(root).contacts]
        else:
            people, changed = cached
            people += _read_changed(root, changed)
        typed = plain(fold(incomplete))
        names = sorted(
            {
                name
                for rel, name, aliases in people
                if any(_words_start(text, typed) for text in (name, *aliases, note_stem(rel)))
            },
            key=lambda name: (fold(name), name),
        )
        return [CompletionItem(_for_shell(name)) for name in names]
    except Exception:  # noqa: BLE001 - a completion offers nothing rather than fail
        return []


def _read_changed(root: Path, changed: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Who the notes changed since the cache was written are now, read as
    the loader reads a note (inside the vault only, bounded)."""
    if not changed:
        return []
    from ..read.contact import contact_from_bytes
    from ..read.settings import load_config
    from ..read.vaultfile import NOTE_LIMIT, UnreadableFile, read_vault_file

    config = load_config(root)[0]
    people = []
    for rel in changed:
        try:
            contact = contact_from_bytes(rel, read_vault_file(root, rel, NOTE_LIMIT), config)[0]
        except (OSError, UnreadableFile):
            continue
        if contact is not None:
            people.append((rel, contact.name, contact.aliases))
    return people


def goal_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The [goals.NAME] tables of netvault.toml that start with what is typed."""
    try:
        root = _root(ctx)
        if root is None:
            return []
        from ..read.settings import load_config

        goals = load_config(root)[0].goals or {}
        return [CompletionItem(_for_shell(name)) for name in sorted(goals) if name.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - as above
        return []


def field_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """netvault's fields that start with what is typed."""
    from ..read.settings import FIELDS

    return [CompletionItem(name) for name in sorted(FIELDS) if name.startswith(incomplete)]

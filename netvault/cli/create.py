"""Commands that create files: ``init`` and ``add``."""

from __future__ import annotations

from pathlib import Path

import click

from ..edit.errors import EditError
from ..edit.scaffold import (
    ScaffoldError,
    contact_path,
    existing_notes,
    init_vault,
    render_contact,
    write_new,
)
from ..read.frontmatter import FrontmatterError
from ..read.loader import load_vault
from ..read.model import CHANNELS
from ..read.settings import CIRCLES
from ..read.vaultfile import CONFIG_NAME
from ..views.errors import RenderError
from .options import (
    NetvaultError,
    cadence_callback,
    plural,
    refuse_broken_settings,
    refuse_taken_names,
    say,
    vault_options,
)


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Create a new vault: netvault.toml, a contact template, one example contact.

    Example:

    \b
        netvault init my-network
    """
    if not directory.strip():
        # Path("") is the current folder: an empty name is a mistake, not "here".
        raise NetvaultError("the folder name is empty; to make the current folder a vault, use `netvault init .`")
    directory = Path(directory)
    notes = existing_notes(directory)
    try:
        made = init_vault(directory)
    except ScaffoldError as exc:
        raise NetvaultError(str(exc)) from None
    except OSError as exc:
        raise NetvaultError(f"cannot create the vault in {directory}: {exc.strerror or exc}") from None
    say(f"Created a vault in {directory}:")
    for rel in made:
        say(f"  {rel}")
    if notes:
        say(
            f"{directory} already holds {plural(notes, 'note')}, so no example contact was added. "
            "To make netvault understand them (who is a person, your own key names, meeting "
            f"notes), run: netvault adopt --force {directory}"
        )
        return
    say("Next: netvault add \"Jane Doe\" --circle strategic, then netvault agenda")



@click.command()
@vault_options
@click.argument("name")
@click.option("--circle", type=click.Choice(CIRCLES, case_sensitive=False), help="buddy, strategic, lukewarm or cold.")
@click.option("--origin", help="How you know them: former-boss, former-client, classmate, ...")
@click.option("--org", help="Organisation.")
@click.option("--role", help="Their role.")
@click.option("--email")
@click.option("--phone")
@click.option("--linkedin", help="Profile URL.")
@click.option("--channel", "channels", multiple=True, type=click.Choice(CHANNELS), help="Preferred channel (repeatable).")
@click.option("--cadence", callback=cadence_callback, help="Own rhythm, e.g. 2m, 6w, 4/year, quarterly.")
@click.option("--priority", type=click.IntRange(1), help="Your top ten: 1 = highest.")
@click.option("--introduced-by", help="Who introduced you (a contact's name).")
@click.option("--alias", "aliases", multiple=True, help="Another name they go by (repeatable).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
def add(root: Path, name: str, **options) -> None:
    """Create a contact file from the template; never overwrites.

    The file goes in the first contacts folder (people/ by default) and is
    named after the person, so Obsidian's [[Jane Doe]] links resolve.

    Example:

    \b
        netvault add "Jane Doe" --circle strategic --org Acme --email jane@acme.com
    """
    vault = load_vault(root)
    refuse_broken_settings(vault)
    name = " ".join(name.split())  # a name is one line: tabs and newlines become spaces
    if not name:
        raise NetvaultError("the name is empty")
    if not (root / CONFIG_NAME).is_file():
        say(
            f"note: no {CONFIG_NAME} here or above; using {root} as the vault "
            "(netvault init makes one)",
            err=True,
        )
    existing = vault.names.lookup(name)
    if existing:
        raise NetvaultError(
            f"{name!r} is already a contact: "
            + ", ".join(c.path for c in existing)
            + " (use an alias or a fuller name for a different person)"
        )
    refuse_taken_names(vault, options.get("aliases") or ())
    values = {k: v for k, v in options.items() if v not in (None, ())}
    if "circle" in values:
        values["circle"] = values["circle"].lower()
    for key in ("channels", "aliases", "tags"):
        if key in values:
            values[key] = list(values[key])
    if "introduced_by" in values:
        values["introduced_by"] = f"[[{values['introduced_by'].strip('[]')}]]"
    try:
        path, rel = contact_path(root, vault.config, name)
    except ScaffoldError as exc:
        raise NetvaultError(str(exc)) from None
    if path.exists():
        raise NetvaultError(f"{rel} already exists; netvault never overwrites a contact")
    try:
        text = render_contact(root, name, values, vault.config)
    except (RenderError, EditError, ScaffoldError) as exc:
        raise NetvaultError(str(exc)) from None
    except FrontmatterError as exc:
        # The vault's own template made frontmatter that cannot be read.
        where = f" (line {exc.line})" if exc.line else ""
        raise NetvaultError(f"the new contact would not be readable{where}: {exc.message}") from None
    try:
        write_new(path, text)
    except FileExistsError:
        raise NetvaultError(f"{rel} already exists; netvault never overwrites a contact") from None
    except OSError as exc:
        raise NetvaultError(f"cannot write {rel}: {exc.strerror or exc}") from None
    say(f"Created {rel}")


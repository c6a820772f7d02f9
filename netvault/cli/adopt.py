"""``adopt``: make an existing (Obsidian) vault a netvault vault by writing its settings."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import click

from ..adopt import Adoption, adopt_vault
from ..edit.errors import ConflictError, EditError
from ..edit.files import atomic_write, create_file
from ..edit.scaffold import enclosing_vault, ignore_bookkeeping
from ..read.vaultfile import CONFIG_NAME
from .options import NetvaultError, plural, say, vault_dir_option

_SHOWN = 8  # paths listed before "and N more"


@click.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path))
# Not vault_options: adopt makes a vault, so it never looks upward for one.
@vault_dir_option("The vault folder, as DIR (default: the current folder).")
@click.option("--dry-run", is_flag=True, help="Print the settings file instead of writing it.")
@click.option("--force", is_flag=True, help=f"Replace an existing {CONFIG_NAME}.")
def adopt(directory: Path | None, vault_dir: Path | None, dry_run: bool, force: bool) -> None:
    """Make an existing vault (an Obsidian vault, say) a netvault vault.

    Reads every note, changes none, and writes netvault.toml: which notes are
    people (a people folder, a type, a tag or a category), which of your keys
    mean netvault's fields ("last contact", ORG, "EMAIL[HOME]"...), which
    folders hold dated notes that mention people, and a default rhythm for
    people who have none. It prints what it found and why. An existing
    netvault.toml is kept unless --force (then it is replaced, not merged).
    With --dry-run the findings go to stderr and the file to stdout.

    Example:

    \b
        netvault adopt ~/Obsidian/MyVault --dry-run
        netvault adopt ~/Obsidian/MyVault
    """
    if directory is not None and vault_dir is not None and directory != vault_dir:
        raise NetvaultError("give the vault folder once: as DIR or as --vault, not both")
    root = directory or vault_dir or Path(".")
    if not str(root).strip():
        raise NetvaultError("the folder name is empty; to adopt the current folder, use `netvault adopt .`")
    if not root.exists():
        raise NetvaultError(f"folder {str(root)!r} does not exist")
    if not root.is_dir():
        raise NetvaultError(f"{str(root)!r} is a file; adopt takes the vault's folder")
    target = root / CONFIG_NAME
    if os_lexists(target) and not force and not dry_run:
        raise NetvaultError(
            f"{target} already exists; adopt replaces it only with --force "
            "(see what it would write with --dry-run)"
        )
    outer = enclosing_vault(root)
    if outer is not None and not dry_run:
        raise NetvaultError(
            f"{root} is inside the vault of {outer / CONFIG_NAME}; a vault inside a vault hides "
            "its notes from the outer one. Adopt the outer folder instead"
        )

    adoption = adopt_vault(root)
    for line in findings(adoption, root):
        say(line, err=dry_run)
    if dry_run:
        click.echo(adoption.toml, nl=False)
        say(f"dry run: {target} not written", err=True)
        return
    data = adoption.toml.encode("utf-8")
    try:
        if force and os_lexists(target):
            atomic_write(target, data, None)
        else:
            create_file(target, data)
    except ConflictError:
        raise NetvaultError(f"{target} appeared while adopt was reading; nothing was written") from None
    except EditError as exc:
        raise NetvaultError(exc.message) from None
    try:
        ignored = ignore_bookkeeping(root)
    except EditError as exc:
        say(f"note: could not add netvault's lock files to .gitignore: {exc.message}", err=True)
        ignored = []
    say("")
    if ignored:
        say(f"Added to .gitignore: {', '.join(ignored)} (netvault's own bookkeeping).")
    say(f"Wrote {target}. Next: `netvault check`, then `netvault agenda`.")


def os_lexists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def findings(a: Adoption, root: Path) -> list[str]:
    """What adopt found and decided, line by line, for the terminal."""
    out: list[str] = []
    unread = f"{plural(len(a.broken), 'note')} could not be read" if a.broken else "all readable"
    out.append(f"Read {plural(a.notes, 'note')} in {root} ({unread}).")
    for broken in a.broken[:_SHOWN]:
        where = f"{broken.path}:{broken.line}" if broken.line else broken.path
        out.append(f"  {where}: {broken.message}")
    if len(a.broken) > _SHOWN:
        out.append(f"  and {len(a.broken) - _SHOWN} more")

    out.append("")
    out.append(f"People: {plural(len(a.people), 'note')} look{'s' if len(a.people) == 1 else ''} like people.")
    reasons = Counter(r for p in a.people for r in p.reasons)
    why = {}
    for m in a.types:
        why[f"type {m.value}"] = m.why
    for m in a.tags:
        why[f"tag {m.value}"] = m.why
    for m in a.categories:
        why[f"category {m.value}"] = m.why
    for reason, count in sorted(reasons.items(), key=lambda rc: (_reason_order(rc[0]), rc[0])):
        kind, _, value = reason.partition(" ")
        if kind == "folder":
            out.append(f"  {count} in {value}/ (a folder named for people)")
        elif kind == "circle":
            out.append(f"  {count} with circle: (netvault's own contacts)")
        else:
            shown = f"#{value}" if kind == "tag" else value
            because = why.get(reason) or _parent_why(kind, value, a.tags) or ("netvault's own `type: contact`" if kind == "type" else "")
            out.append(f"  {count} with {kind} {shown}" + (f" ({because})" if because else ""))
    if not a.people:
        out.append(
            "  None found: no folder is named People/Contacts, and no note has a type, tag "
            "or category person/people/contact."
        )
    if a.not_people:
        groups = Counter(n.reason for n in a.not_people)
        listed = ", ".join(f"{r} ({c})" for r, c in sorted(groups.items(), key=lambda rc: (rc[0].casefold(), rc[0])))
        out.append(f"  Not people: {plural(len(a.not_people), 'note')} say{'s' if len(a.not_people) == 1 else ''} they are something else: {listed}")
        inside = [n for n in a.not_people if n.in_people_folder]
        for n in inside[:_SHOWN]:
            out.append(f"    {n.path} is in a people folder but has {n.reason}")
        if len(inside) > _SHOWN:
            out.append(f"    and {len(inside) - _SHOWN} more in people folders")
    if a.probably_not_people:
        paths = [h.path for h in a.probably_not_people]
        shown = ", ".join(paths[:_SHOWN]) + (f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else "")
        out.append(
            f"  probably not people: {shown} (no person markers); add a type or tag in "
            "not_types/not_tags, or move it"
        )
        added = sorted({t for h in a.probably_not_people for t in h.tags}, key=lambda t: (t.casefold(), t))
        if added:
            out.append(
                f"    Decided: [people] not_tags gets {', '.join('#' + t for t in added)} "
                f"(a tag of {'that note' if len(paths) == 1 else 'those notes'} that no person has)"
            )
    if a.obsidian_templates:
        out.append(f"  Templates: {a.obsidian_templates}/ is Obsidian's template folder; never read as people.")
    for folder in a.templates:
        out.append(
            f"  Templates: {folder}/ holds blank notes (empty values or {{{{placeholders}}}}); "
            "listed under [people] templates, never read as people."
        )

    out.append("")
    if a.mappings:
        out.append("Fields: netvault reads these keys of your people notes as its own fields:")
        width = max(len(m.key) for m in a.mappings)
        for m in a.mappings:
            out.append(f"  {m.key.ljust(width)} -> {m.field}  ({m.why}; {plural(m.notes, 'note')})")
    else:
        out.append("Fields: no key of your people notes needs mapping.")
    if a.own_keys:
        out.append(f"  Already netvault's names: {', '.join(a.own_keys)}")
    rivals = defaultdict(list)
    for u in a.unmapped:
        if u.rival is not None:
            rivals[(u.field, u.rival)].append(u)
        else:
            out.append(f"  Not mapped: {u.key}: {u.why}")
    for (field, rival), group in sorted(rivals.items()):
        keys = ", ".join(u.key for u in group)
        out.append(
            f"  Not mapped: {keys}: also {field}, but they differ from {rival} in the same "
            f"notes (e.g. {group[0].example}); netvault reads one {field}"
        )
    if a.other_keys:
        shown = ", ".join(a.other_keys[:12]) + (f" and {len(a.other_keys) - 12} more" if len(a.other_keys) > 12 else "")
        out.append(f"  Kept as they are (netvault has no such field): {shown}")

    if a.log_heading:
        out.append("")
        out.append(
            f"Log: {a.log_heading_notes} of {plural(len(a.people), 'people note')} keep dated list items "
            f"(- YYYY-MM-DD ...) under a heading {a.log_heading!r} and none has a Log heading."
        )
        out.append(
            f'  Decided: [vault] log_heading = "{a.log_heading}": netvault reads those items as the '
            "log, and `netvault log` adds to them."
        )

    out.append("")
    if a.interactions:
        out.append("Meetings and daily notes: a dated note in these folders that links to a person counts as contact that day:")
        for i in a.interactions:
            found = f", {plural(i.notes, 'note')}" if i.notes else ""
            out.append(f"  {i.folder}/ ({i.why}{found})")
    elif a.not_interactions:
        out.append("Meetings and daily notes: no folder of meetings or daily notes found.")
    else:
        out.append("Meetings and daily notes: no folder holds dated notes that link to people.")
    for i in a.not_interactions:
        out.append(
            f"  not counted: {i.folder}/ (dated notes that link to people, but they do not look like "
            "meetings; add it to [interactions] folders if they are)"
        )
    if a.undated_root_notes:
        out.append(
            f"  {plural(a.undated_root_notes, 'dated note')} at the top of the vault link to people; "
            "not counted (netvault counts notes in [interactions] folders)."
        )

    out.append("")
    if a.default_cadence:
        count = len(a.without_rhythm)
        example = Path(a.without_rhythm[0]).stem
        out.append(
            f"Rhythm: {plural(count, 'person')} ha{'s' if count == 1 else 've'} no circle and no "
            "cadence, so netvault would never remind you of them."
            if count == 1
            else f"Rhythm: {count} people have no circle and no cadence, so netvault would never "
            "remind you of them."
        )
        out.append(f'  Decided: [cadence] default = "{a.default_cadence}" (a touch-base every six months).')
        out.append(
            f"  To change it, edit `default` under [cadence] in {CONFIG_NAME} (\"quarterly\", "
            "\"yearly\", \"never\"...),"
        )
        out.append(f'  or give someone a rhythm of their own: netvault set "{example}" cadence quarterly')
        never = a.never_contacted
        if never:
            first = Path(never[0]).stem
            if len(never) == 1:
                out.append(
                    "  1 of them has no last contact yet, so they are due today: log or snooze them "
                    f'if you do not want to see them now (netvault snooze "{first}" --for 3m)'
                )
            else:
                out.append(
                    f"  {len(never)} of them have no last contact yet, so they are all due today: log or "
                    f'snooze the ones you do not want to see now (netvault snooze "{first}" --for 3m)'
                )
    elif a.people:
        out.append("Rhythm: every person has a circle or a cadence; no default rhythm set.")
    return out


def _parent_why(kind: str, value: str, markers) -> str:
    """Why a nested tag (person/mentor) counts: the reason of the tag above it."""
    if kind != "tag":
        return ""
    folded = value.casefold()
    for m in markers:
        if folded.startswith(m.value.casefold() + "/"):
            return f"under #{m.value}: {m.why}"
    return ""


def _reason_order(reason: str) -> int:
    return ["circle", "folder", "type", "tag", "category"].index(reason.partition(" ")[0])

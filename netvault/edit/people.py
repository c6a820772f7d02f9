"""Changes to who a file is: merging two contacts, renaming one.

Both are one change of many files, all or nothing (see
:func:`netvault.edit.diskwrite.edit_files` and :mod:`.journal`): the
contact's own file, every note whose links lead to the old file
(:mod:`.links`), netvault's bookkeeping (the import record, the pairs kept
apart), and the move of a file: the merged-away contact into the vault's
``.trash/`` (Obsidian's own bin), or the renamed contact to its new name.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..read.frontmatter import FrontmatterError, decode
from ..read.keptapart import NAME as KEPT_APART
from ..read.keptapart import KeptApartError, kept_apart_text, read_kept_apart
from ..read.model import Contact, Vault
from ..read.ownfolder import STATE_DIR
from ..read.walk import iter_notes
from ..values.names import fold
from .diskwrite import edit_files
from .errors import ConflictError, EditError
from .links import Move, rewrite_links
from .merge import MergeNotes, merged_text
from .lines import open_doc, strip_eol
from .scaffold import ScaffoldError, render_contact, safe_filename
from .writer import set_field, unified_diff

TRASH = ".trash"
Job = tuple[Path, Callable[[str], str]]


@dataclass
class Change:
    """What a merge or rename did (or, in a dry run, would do)."""

    files: list[tuple[str, bytes, bytes]] = field(default_factory=list)  # (rel, old, new) that change
    moved: list[tuple[str, str]] = field(default_factory=list)  # (from, to), vault-relative
    notes: MergeNotes | None = None
    subject: str = ""  # the contact's file afterwards

    def diffs(self) -> str:
        return "".join(unified_diff(old, new, rel) for rel, old, new in self.files)

    @property
    def relinked(self) -> list[str]:
        """The other notes whose links were rewritten."""
        moved = {a for a, _ in self.moved} | {b for _, b in self.moved} | {self.subject}
        return [rel for rel, _, _ in self.files if rel not in moved and not rel.startswith(STATE_DIR + "/")]


def _resolver(vault: Vault):
    def resolve(target: str) -> list[str]:
        return [c.path for c in vault.names.lookup(target)]

    return resolve


def _link_jobs(vault: Vault, move: Move, skip: set[str], resolve) -> list[tuple[str, Callable[[str], str]]]:
    """Every note (but ``skip``) whose links lead to the old file, with its rewrite."""
    root = Path(vault.root)
    contacts = {c.path: c for c in vault.contacts}
    config = vault.config
    jobs = []
    for rel in iter_notes(root, config):
        if rel in skip:
            continue
        try:
            raw = (root / rel).read_bytes()
        except OSError:
            continue
        try:
            text = decode(raw)
        except ValueError:
            continue
        contact = contacts.get(rel)
        keys = (contact.key_for("knows", config), contact.key_for("introduced_by", config)) if contact else ()

        def rewrite(current: str, rel=rel, keys=keys) -> str:
            return rewrite_links(current, rel, move, resolve, keys)

        try:
            if rewrite(text) != text:
                jobs.append((rel, rewrite))
        except EditError as exc:
            exc.path = root / rel
            raise
    return jobs


def _kept_apart_job(root: Path, renames: dict[str, str]) -> list[Job]:
    """``.netvault/not-duplicates.json`` with the paths that moved; pairs of
    one file with itself (after a merge) are dropped."""
    try:
        pairs, raw = read_kept_apart(root)
    except KeptApartError:
        return []  # a broken file is reported by merge --suggest; nothing to follow here
    if raw is None or not any(a in renames or b in renames for a, b in pairs):
        return []

    def transform(_text: str) -> str:
        current, _ = read_kept_apart(root)
        moved = [(renames.get(a, a), renames.get(b, b)) for a, b in current]
        return kept_apart_text(moved).decode("utf-8")

    return [(root / STATE_DIR / KEPT_APART, transform)]


def _retitled(text: str, contact: Contact, new_name: str) -> str:
    """The body's first heading, when it is the old name (``# Emma Wilson``),
    says the new one."""
    doc = open_doc(text)
    for index in range(doc.body_start, len(doc.lines)):
        line = doc.lines[index]
        if not line.strip():
            continue
        stripped = strip_eol(line)
        if stripped.startswith("# ") and stripped[2:].strip() in (contact.name, contact.stem):
            doc.lines[index] = "# " + new_name + line[len(stripped):]
        break
    return doc.text()


def _read(root: Path, rel: str) -> bytes:
    """A contact's bytes as this command starts; gone (another command
    merged or renamed it a moment ago) or unreadable is a clear refusal."""
    try:
        return (root / rel).read_bytes()
    except FileNotFoundError:
        raise ConflictError(f"{rel} is no longer there (another command may have merged or renamed it); nothing was written") from None
    except OSError as exc:
        raise EditError(f"cannot read {rel}: {exc.strerror or exc}") from None


def _trash_path(root: Path, rel: str) -> str:
    name = posixpath.basename(rel)
    stem = name[:-3]
    candidate = f"{TRASH}/{name}"
    number = 2
    while os.path.lexists(root / candidate):
        candidate = f"{TRASH}/{stem} {number}.md"
        number += 1
    return candidate


def _template_lines(vault: Vault, other: Contact) -> frozenset[str]:
    """The body lines the vault's contact template writes for a new file
    (its prompts), so a merge does not copy them as OTHER's notes."""
    try:
        text = render_contact(Path(vault.root), other.name, {}, vault.config)
        doc = open_doc(text)
    except (ScaffoldError, EditError, OSError):
        return frozenset()
    return frozenset(
        strip_eol(line).strip() for line in doc.lines[doc.body_start :] if line.strip() and not line.startswith("#")
    )


def _same_bytes(expected: dict[Path, bytes]):
    def expect(path: Path, raw: bytes) -> None:
        want = expected.get(Path(path))
        if want is not None and raw != want:
            raise ConflictError(
                f"{path.name} changed on disk since netvault read it; nothing was written, run the command again"
            )

    return expect


def _run(vault: Vault, jobs: list[tuple[str, Callable]], bookkeeping: Sequence[Job], expected, moves, dry_run, now):
    root = Path(vault.root)
    all_jobs = [(root / rel, transform) for rel, transform in jobs] + list(bookkeeping)
    saved = edit_files(
        all_jobs,
        root=root,
        dry_run=dry_run,
        expect=_same_bytes({root / rel: data for rel, data in expected.items()}),
        now=now,
        moves=[(root / a, root / b) for a, b in moves],
    )
    change = Change(moved=list(moves))
    for result in saved:
        rel = os.path.relpath(result.path, root).replace(os.sep, "/")
        if result.changed:
            change.files.append((rel, result.old, result.new))
    return change


def merge_contacts(
    vault: Vault,
    keep: Contact,
    other: Contact,
    today: date,
    *,
    dry_run: bool = False,
    bookkeeping: Callable[[dict[str, str]], Sequence[Job]] = lambda renames: (),
    now: Callable[[], datetime] = datetime.now,
    region: str | None = None,
) -> Change:
    """Merge ``other`` into ``keep`` (see :mod:`.merge`), point every link to
    ``other`` at ``keep``, and move ``other``'s file to ``.trash/``.
    ``bookkeeping(renames)`` gives more files to change with them (the import
    record, which ``edit`` does not know), ``renames`` mapping old paths to new."""
    if keep.path == other.path:
        raise EditError("a contact cannot be merged with itself")
    root = Path(vault.root)
    keep_raw, other_raw = _read(root, keep.path), _read(root, other.path)
    try:
        other_text = decode(other_raw)
    except FrontmatterError as exc:
        raise EditError(f"{other.path}: {exc.message}", exc.line) from None
    trash = _trash_path(root, other.path)
    resolve = _resolver(vault)
    move = Move(other.path, other.name, keep.path)
    notes_box: list[MergeNotes] = []
    template = _template_lines(vault, other)

    def keep_transform(text: str) -> str:
        merged, notes = merged_text(
            text, other_text, keep, other, vault.config, today, trash, resolve, region, template
        )
        notes_box[:] = [notes]
        keys = (keep.key_for("knows", vault.config), keep.key_for("introduced_by", vault.config))
        return rewrite_links(merged, keep.path, move, resolve, keys)

    jobs = [(keep.path, keep_transform)]
    jobs += _link_jobs(vault, move, {keep.path, other.path}, resolve)
    renames = {other.path: keep.path}
    extra = [*bookkeeping(renames), *_kept_apart_job(root, renames)]
    change = _run(
        vault, jobs, extra, {keep.path: keep_raw, other.path: other_raw}, [(other.path, trash)], dry_run, now
    )
    change.notes = notes_box[0] if notes_box else None
    change.subject = keep.path
    return change


def rename_contact(
    vault: Vault,
    contact: Contact,
    new_name: str,
    *,
    dry_run: bool = False,
    bookkeeping: Callable[[dict[str, str]], Sequence[Job]] = lambda renames: (),
    now: Callable[[], datetime] = datetime.now,
) -> Change:
    """Give ``contact`` a new name: its file is renamed (in its folder), its
    ``name:`` set, the old name kept as an alias, every link to it rewritten.
    Refuses a name another contact already goes by."""
    new_name = " ".join(new_name.split())
    try:
        stem = safe_filename(new_name)
    except ScaffoldError as exc:
        raise EditError(str(exc)) from None
    # Another contact's name, file name or alias: [[links]] and NAMEs that
    # lead to them now would lead to two people.
    others = [c for c in vault.names.lookup(new_name) if c.path != contact.path]
    if others:
        raise EditError(
            f"{new_name!r} is already a name of {others[0].name} ({others[0].path}); "
            "choose another, or merge the two with `netvault merge`"
        )
    if new_name.lower().endswith(".md"):
        raise EditError(f"{new_name!r} ends in .md; give the name only, netvault names the file")
    folder = posixpath.dirname(contact.path)
    new_path = f"{folder}/{stem}.md" if folder else f"{stem}.md"
    if new_path == contact.path and contact.name == new_name:
        raise EditError(f"{contact.name} is already called {new_name!r}")
    root = Path(vault.root)
    moving = new_path != contact.path
    if moving and os.path.lexists(root / new_path) and fold(new_path) != fold(contact.path):
        raise EditError(f"{new_path} already exists; netvault never overwrites a file")
    raw = _read(root, contact.path)
    resolve = _resolver(vault)
    move = Move(contact.path, contact.name, new_path)
    config = vault.config

    def transform(text: str) -> str:
        name_key = contact.keys.get("name")
        if name_key is not None:
            text = set_field(text, name_key, new_name)
        aliases = [a for a in contact.aliases if fold(a) != fold(new_name)]  # the name is no alias now
        keep = {fold(new_name), fold(stem)} | {fold(a) for a in aliases}
        for old in (contact.name, contact.stem):
            if fold(old) not in keep and not shared(old):  # a name others share never named them alone
                keep.add(fold(old))
                aliases.append(old)
        if aliases != list(contact.aliases):
            text = set_field(text, contact.key_for("aliases", config), aliases)
        text = _retitled(text, contact, new_name)
        keys = (contact.key_for("knows", config), contact.key_for("introduced_by", config))
        return rewrite_links(text, new_path, move, resolve, keys)

    def shared(name: str) -> bool:
        return any(c.path != contact.path for c in vault.names.lookup(name))

    jobs = [(contact.path, transform)] + _link_jobs(vault, move, {contact.path}, resolve)
    renames = {contact.path: new_path} if moving else {}
    extra = [*bookkeeping(renames), *_kept_apart_job(root, renames)] if renames else []
    moves = [(contact.path, new_path)] if moving else []
    change = _run(vault, jobs, extra, {contact.path: raw}, moves, dry_run, now)
    # The contact's own edit is reported under its new name.
    change.files = [(new_path if rel == contact.path else rel, old, new) for rel, old, new in change.files]
    change.subject = new_path
    return change



def undo(root: Path, change: Change, now: Callable[[], datetime] = datetime.now) -> None:
    """Put the files of ``change`` back as they were, all or nothing; a file
    changed since by anyone else is not overwritten (ConflictError)."""
    root = Path(root)
    expected = {}
    jobs = []
    for rel, old, new in change.files:
        expected[root / rel] = new
        jobs.append((root / rel, lambda _text, old=old: decode(old)))

    def expect(path: Path, raw: bytes) -> None:
        if raw != expected.get(Path(path), raw):
            raise ConflictError(f"{path.name} changed since; it was not put back")

    edit_files(jobs, root=root, expect=expect, now=now, moves=[(root / b, root / a) for a, b in reversed(change.moved)])

"""Walking a vault: which files are notes netvault reads, and which it reports.

Notes are Markdown files outside dot-folders, the output folder, template
folders and nested vaults; links are followed only to visible ``.md`` notes
inside the vault; conflict copies and temporary files left by a killed write
are reported, never read.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..values.problems import WARNING, Problem
from .settings import Config
from .vaultfile import CONFIG_NAME, UnreadableFile, inside, read_vault_file


def _obsidian_template_folder(root: Path) -> str | None:
    """Obsidian's template folder, whose notes are blanks rather than people.

    The file is Obsidian's, not ours: if it cannot be read (missing, not JSON,
    nested deeper than Python's parser goes, not a regular file, over 1 MB,
    a link out of the vault) it is ignored without a word.
    """
    for name in ("templates.json", "core-plugins-templates.json"):
        try:
            data = json.loads(read_vault_file(root, f".obsidian/{name}").decode("utf-8"))
        except (OSError, UnreadableFile, ValueError, RecursionError):
            continue
        folder = data.get("folder") if isinstance(data, dict) else None
        if isinstance(folder, str) and folder.strip("/ "):
            return folder.strip("/ ")
    return None


# A competing editor's bytes, saved by the writer beside the contact it lost
# to: ``people/Jane Doe.conflict-2026-11-23T10-00-00.md``, then ``...-2.md``,
# ``...-3.md`` if that name is taken.  One pattern for the writer and the loader.
CONFLICT_COPY = re.compile(
    r"^(?P<stem>.+)\.conflict-(?P<stamp>\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})"
    r"(?:-(?P<number>[2-9]|[1-9]\d+))?\.md$",
    re.IGNORECASE,
)


def is_conflict_copy(rel: str) -> bool:
    """Whether the file name of ``rel`` is a conflict copy's."""
    return CONFLICT_COPY.match(rel.rsplit("/", 1)[-1]) is not None


def conflict_original(rel: str) -> str | None:
    """``people/Jane Doe.conflict-…md`` -> ``people/Jane Doe.md``; None if not a copy."""
    folder, _, name = rel.rpartition("/")
    match = CONFLICT_COPY.match(name)
    if match is None:
        return None
    return _join(folder, match.group("stem") + ".md")


def conflict_copy_name(rel: str, when: datetime, number: int = 1) -> str:
    """The name of the ``number``-th conflict copy of ``rel`` saved at ``when``.

    ``people/Jane Doe.md`` at 2026-11-23 10:00 -> ``people/Jane Doe.conflict-
    2026-11-23T10-00-00.md``; number 2 adds ``-2`` before ``.md``.
    """
    folder, _, name = rel.rpartition("/")
    stem = name[:-3] if name.lower().endswith(".md") else name
    suffix = "" if number <= 1 else f"-{number}"
    return _join(folder, f"{stem}.conflict-{when.strftime('%Y-%m-%dT%H-%M-%S')}{suffix}.md")


# The writer's temporary file beside a contact, ``.Jane Doe.md.1a2b3c4d.netvault-tmp``
# (the name may be shortened); renamed over the contact when the write
# completes, so one that stays was left by a write that was killed.
LEFTOVER_TEMP = re.compile(r"^\..+\.[0-9a-f]{8}\.netvault-tmp$")
_LEFTOVER = "left by an interrupted netvault write; delete it once you have checked the contact"


@dataclass(frozen=True)
class Scan:
    """What a walk of the vault found.

    ``notes``: relative paths of the Markdown notes to read, sorted.
    ``problems``: files seen but not read (links leading out of the vault,
    conflict copies).  ``nested_vaults``: subfolders holding their own
    netvault.toml, which belong to another vault and are not walked.
    """

    notes: tuple[str, ...]
    problems: tuple[Problem, ...]
    nested_vaults: tuple[str, ...]


def scan_notes(root: Path, config: Config) -> Scan:
    """Walk ``root`` for the notes netvault reads.

    Skipped: dot-folders and dot-files, the output folder, Obsidian's template
    folder, subfolders holding their own netvault.toml (another vault), and
    every folder symlink (never walked; one leading out of the vault is
    reported).  A note that is a symlink is read only if :func:`link_problem`
    allows it: a ``.md`` file inside the vault and not hidden, or outside it
    when ``[vault] follow_outside_links`` says so; git keeps symlinks, and a
    cloned vault must not make netvault read (and later rewrite) files
    elsewhere.  Conflict copies are reported, never read, and so are the
    temporary files an interrupted write left behind.

    Only symlinks are resolved: folders are never entered through a link, so
    every other entry's real path lies under the vault's real root already.
    """
    output = config.output
    # Template folders hold blanks, not people; their names match in any case.
    templates = {t.casefold() for t in (_obsidian_template_folder(root), *config.templates) if t}

    def skipped(rel: str) -> bool:
        return rel == output or rel.casefold() in templates

    real_root = os.path.realpath(root)
    found: list[str] = []
    problems: list[Problem] = []
    nested: list[str] = []
    pending = [""]
    while pending:
        rel_folder = pending.pop()
        try:
            with os.scandir(root / rel_folder if rel_folder else root) as listing:
                entries = list(listing)
        except OSError as exc:
            if rel_folder:
                problems.append(
                    Problem(rel_folder, None, WARNING, f"cannot read folder: {exc.strerror or exc}")
                )
            continue
        if rel_folder and any(e.name == CONFIG_NAME and _is_file(e) for e in entries):
            nested.append(rel_folder)  # another vault: its notes are not ours
            continue
        for entry in entries:
            name = entry.name
            rel = _join(rel_folder, name)
            if name.startswith("."):
                if LEFTOVER_TEMP.match(name) and _is_file(entry, follow_symlinks=False):
                    problems.append(Problem(rel, None, WARNING, _LEFTOVER))
                continue
            try:
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    outside = not inside(target, real_root)
                    if entry.is_dir():
                        if outside and not skipped(rel):
                            problems.append(Problem(rel, None, WARNING, _OUTSIDE_FOLDER))
                        continue  # inside: its notes are read where they really are
                    if not name.lower().endswith(".md"):
                        continue
                    reason = _link_problem(real_root, target, config.follow_outside_links)
                    if reason is not None:
                        problems.append(Problem(rel, None, WARNING, reason))
                        continue
                elif entry.is_dir(follow_symlinks=False):
                    if not skipped(rel):
                        pending.append(rel)
                    continue
                elif not name.lower().endswith(".md"):
                    continue
                # Only regular files (or links to them): reading a named pipe would hang.
                if not entry.is_file():
                    continue
            except OSError:
                continue  # vanished while we looked, or unreadable: as if absent
            if is_conflict_copy(rel):
                problems.append(
                    Problem(
                        rel,
                        None,
                        WARNING,
                        f"conflict copy of {conflict_original(rel)} saved when two programs "
                        "wrote it at once; merge what you need into it and delete this file",
                    )
                )
                continue
            found.append(rel)
    return Scan(tuple(sorted(found)), tuple(problems), tuple(sorted(nested)))


_OUTSIDE_FILE = (
    "links to a file outside the vault; not read "
    "(set [vault] follow_outside_links = true to allow)"
)
_OUTSIDE_FOLDER = "links to a folder outside the vault; netvault does not follow folder links"


def link_problem(root: Path | str, rel: str, follow_outside_links: bool = False) -> str | None:
    """Why the note ``rel`` may not be read or written through a symlink; None if it may.

    A note that is no link (nor lies under one) is always fine.  A link is
    followed only to a file whose name ends in ``.md`` (any case) and that
    is not hidden: not in a dot-folder of the vault (``.git``, ``.obsidian``,
    ``.netvault``, ``.trash``...) nor a dot-file, which netvault never reads
    as notes either.  Otherwise a link could make ``netvault.toml`` or
    Obsidian's settings read as a contact, and an edit write into them.  A
    target outside the vault is refused too, unless ``follow_outside_links``.
    The loader and the writer both ask this.
    """
    real_root = os.path.realpath(root)
    lexical = os.path.normpath(os.path.join(real_root, rel))
    target = os.path.realpath(os.path.join(root, rel))
    if target == lexical:
        return None
    return _link_problem(real_root, target, follow_outside_links)


def _link_problem(real_root: str, target: str, follow_outside_links: bool) -> str | None:
    outside = not inside(target, real_root)
    if outside and not follow_outside_links:
        return _OUTSIDE_FILE
    shown = target if outside else os.path.relpath(target, real_root).replace(os.sep, "/")
    if not target.lower().endswith(".md"):
        return f"links to {shown}, which is not a Markdown note (.md); not read"
    if not outside:
        hidden = next((p for p in shown.split("/") if p.startswith(".")), None)
        if hidden is not None:
            where = "a hidden file" if hidden == shown.rsplit("/", 1)[-1] else f"the hidden folder {hidden}/"
            return (
                f"links to {shown}, in {where} that netvault never reads as notes; not read"
            )
    return None


def _is_file(entry: os.DirEntry, follow_symlinks: bool = True) -> bool:
    try:
        return entry.is_file(follow_symlinks=follow_symlinks)
    except OSError:
        return False


def iter_notes(root: Path, config: Config) -> list[str]:
    """Relative paths of the Markdown notes netvault reads, sorted (see :func:`scan_notes`)."""
    return list(scan_notes(root, config).notes)


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def in_contacts_folder(rel_path: str, config: Config) -> bool:
    """Whether the note lies under a contacts folder; ``People/`` is ``people/``."""
    folded = rel_path.casefold()
    return any(
        folder == "" or folded.startswith(folder.casefold().rstrip("/") + "/")
        for folder in config.contacts
    )


def on_disk_folder(root: Path, folder: str) -> str:
    """``folder`` as the disk spells it when only its case differs (one match
    per level); as written otherwise."""
    if not folder or os.path.isdir(os.path.join(root, folder)):
        return folder
    found = ""
    for part in folder.split("/"):
        try:
            with os.scandir(os.path.join(root, found) if found else root) as listing:
                matches = [
                    e.name
                    for e in listing
                    if e.name.casefold() == part.casefold() and e.is_dir(follow_symlinks=False)
                ]
        except OSError:
            return folder
        if len(matches) != 1:
            return folder
        found = _join(found, matches[0])
    return found

"""``.netvault/imports.json``: whom each earlier import wrote, by the key it
knows them by, so a re-import updates those files instead of adding people."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..edit.errors import EditError
from ..edit.files import atomic_write, create_file
from ..read.ownfolder import STATE_DIR, OwnFolderError, own_file, own_folder

RECORD_NAME = "imports.json"
STATE = f"{STATE_DIR}/{RECORD_NAME}"
STATE_FORMAT = 1


class ImportProblem(Exception):
    """An import that cannot go ahead (a broken state file): a one-line reason."""


def read_state(root: Path) -> dict:
    """What earlier imports wrote: ``{"format": 1, "people": {key: {...}}}``.

    Raises ImportProblem when the record cannot be used, and so the import
    must not start: a broken record, or a ``.netvault`` that is a link (the
    record would be written through it)."""
    try:
        own_folder(root)  # the record is written there after the contacts
        path = own_file(root, RECORD_NAME)
    except OwnFolderError as exc:
        raise ImportProblem(f"cannot keep the import record: {exc.reason}") from None
    if path is None:
        return {"format": STATE_FORMAT, "people": {}}
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {"format": STATE_FORMAT, "people": {}}
    except OSError as exc:
        raise ImportProblem(f"{STATE}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ImportProblem(
            f"{STATE} is not valid JSON ({exc}); fix it or delete it (imports then match "
            "people by profile, email and name only)"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("people"), dict):
        raise ImportProblem(f"{STATE} is not netvault's import record; fix it or delete it")
    return data


def state_text(state: dict) -> bytes:
    return (json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_state(root: Path, state: dict, old: bytes | None) -> None:
    data = state_text(state)
    if old == data:
        return
    try:
        path = own_folder(root) / RECORD_NAME
    except OwnFolderError as exc:
        raise EditError(exc.reason) from None
    if os.path.islink(path):
        raise EditError(f"{STATE} is a link; netvault never writes through one")
    if old is None and not path.exists():
        create_file(path, data)
    else:
        atomic_write(path, data, None)


def follow_renames(root: Path, renames: dict[str, str]) -> list:
    """The record with the files ``renames`` moved (old path -> new), as a
    ``(path, transform)`` job for the edit that moves them; so a re-import
    of anyone who was in the old file updates the new one."""
    try:
        state = read_state(root)
    except ImportProblem:
        return []  # a broken record is reported by the next import
    people = state.get("people", {})

    def moved(record) -> bool:
        return isinstance(record, dict) and isinstance(record.get("path"), str) and record["path"] in renames

    if not any(moved(r) for r in people.values()):
        return []

    def transform(text: str) -> str:
        data = json.loads(text)
        for record in (data.get("people") or {}).values():
            if moved(record):
                record["path"] = renames[record["path"]]
        return state_text(data).decode("utf-8")

    return [(Path(root) / STATE, transform)]

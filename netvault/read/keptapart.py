"""``.netvault/not-duplicates.json``: pairs of contacts the user said are two
people (``netvault merge --not A B``), so ``merge --suggest`` never offers
them again.  It lives in the vault and is versioned with it (unlike the
read cache), so the answer survives a clone.

The file holds paths, sorted, one pair per line::

    {"format": 1, "pairs": [
     ["people/Jane Smith (Acme).md", "people/Jane Smith.md"]
    ]}
"""

from __future__ import annotations

import json

from .ownfolder import STATE_DIR, OwnFolderError, own_file

NAME = "not-duplicates.json"
SHOWN = f"{STATE_DIR}/{NAME}"
FORMAT = 1


class KeptApartError(Exception):
    """The file cannot be used: a one-line reason naming it."""


def read_kept_apart(root) -> tuple[list[tuple[str, str]], bytes | None]:
    """The pairs, and the file's bytes (None when there is no file)."""
    try:
        path = own_file(root, NAME)
    except OwnFolderError as exc:
        raise KeptApartError(exc.reason) from None
    if path is None:
        return [], None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeptApartError(f"{SHOWN}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise KeptApartError(f"{SHOWN} is not valid JSON ({exc}); fix it or delete it") from None
    pairs = data.get("pairs") if isinstance(data, dict) else None
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs
    ):
        raise KeptApartError(f'{SHOWN} must hold {{"pairs": [["a.md", "b.md"], ...]}}; fix it or delete it')
    return [(a, b) for a, b in pairs], raw


def kept_apart_text(pairs) -> bytes:
    """The file's bytes for ``pairs``: each pair sorted, the pairs sorted, no repeats."""
    unique = sorted({tuple(sorted(pair)) for pair in pairs if pair[0] != pair[1]})
    lines = ",\n".join(" " + json.dumps(list(pair), ensure_ascii=False) for pair in unique)
    body = f"[\n{lines}\n]" if unique else "[]"
    return f'{{"format": {FORMAT}, "pairs": {body}}}\n'.encode("utf-8")

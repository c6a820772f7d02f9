"""JSON documents for scripts: one record per line.

``{"today": ..., "items": [...], "problems": [...]}`` is written with each
top-level key on a line of its own and each element of a top-level list on
a line of its own, every line encoded by the standard library's C encoder
(``indent`` would switch it to the pure-Python one, ten times slower: a
second at 30,000 contacts).  The output stays deterministic and diffs
cleanly: a changed item is one changed line.
"""

from __future__ import annotations

import json


def document_json(document, sort_keys: bool = False) -> str:
    """``document`` as JSON text ending in a newline (see the module doc); a
    list at the top is written one element per line too."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, separators=(", ", ": ")).encode
    if isinstance(document, (list, tuple)):
        return "[\n  " + ",\n  ".join(map(encode, document)) + "\n]\n" if document else "[]\n"
    if not isinstance(document, dict):
        return encode(document) + "\n"
    keys = sorted(document) if sort_keys else list(document)
    if not keys:
        return "{}\n"
    parts = ["{\n"]
    for number, key in enumerate(keys):
        value = document[key]
        parts.append(f"  {encode(str(key))}: ")
        if isinstance(value, (list, tuple)) and value:
            parts.append("[\n    ")
            parts.append(",\n    ".join(map(encode, value)))
            parts.append("\n  ]")
        else:
            parts.append(encode(value))
        parts.append(",\n" if number < len(keys) - 1 else "\n")
    parts.append("}\n")
    return "".join(parts)

"""Rewrite the golden files after an intended change, and show what changed.

    .venv/bin/python tests/update_golden.py          # show the diff, write the changed files
    .venv/bin/python tests/update_golden.py --check  # show the diff, write nothing (exit 1 if any)

Only files whose bytes differ are written; nothing is deleted (a golden
file no longer produced is named, for you to remove by hand).  Never run in
CI: the golden tests only compare.  Commit golden changes on their own, with
a message that says why they changed.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.golden_outputs import GOLDEN, all_outputs  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="show the differences; write nothing")
    args = parser.parse_args()
    changed = 0
    outputs = all_outputs()
    for rel, new in sorted(outputs.items()):
        path = GOLDEN / rel
        old = path.read_bytes() if path.exists() else b""
        if old == new:
            continue
        changed += 1
        diff = difflib.unified_diff(
            old.decode("utf-8", "replace").splitlines(keepends=True),
            new.decode("utf-8", "replace").splitlines(keepends=True),
            f"a/tests/golden/{rel}",
            f"b/tests/golden/{rel}",
        )
        sys.stdout.writelines(diff)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(new)
    produced = {GOLDEN / rel for rel in outputs}
    for path in sorted(p for p in GOLDEN.rglob("*") if p.is_file() and p not in produced):
        print(f"not produced any more (remove it by hand if that is intended): {path.relative_to(GOLDEN)}")
    verb = "differ" if args.check else "rewritten"
    print(f"{changed} golden file{'' if changed == 1 else 's'} {verb}", file=sys.stderr)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

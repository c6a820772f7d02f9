"""``netvault merge --review``: the suggested duplicates one pair at a time,
one key per decision, on any terminal (80x24, over SSH, with ``NO_COLOR``).

Keys: ``m`` merge into the first (KEEP), ``o`` merge the other way, ``n``
not the same person (recorded like ``merge --not``), ``s`` skip for now,
``u`` undo the last decision, ``q`` quit.  Every decision is written at
once, so nothing is lost when the terminal dies; pairs skipped are
remembered in ``.netvault/cache/merge-review.json`` and come last next
time, so a new ``--review`` starts where the last one stopped.
"""

from __future__ import annotations

import textwrap
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from .mergeops import forget_apart, guarded, record_apart, report_merge, run_merge
from .options import NetvaultError, plural, say, use_color
from .terminal import keyboard, read_skipped, require_terminal, write_skipped

SKIPPED = "merge-review.json"
WIDTH = 78  # an 80-column terminal, with room
KEYS = "[m] merge into KEEP  [o] merge the other way  [n] not the same person\n[s] skip  [u] undo  [q] quit"
KEYS_SHORT = "m, o, n, s, u or q"
VALID = ("m", "o", "n", "s", "u", "q", "Q", "\x03", "\x04")


@dataclass
class _Decision:
    kind: str  # "merge", "apart", "skip"
    pair: tuple[str, str]
    change: object = None  # the merge's Change, to undo it


def _pair(suggestion) -> tuple[str, str]:
    return tuple(sorted((suggestion.keep.path, suggestion.other.path)))


def _read_skipped(root: Path) -> list[tuple[str, str]]:
    return [p for p in read_skipped(root, SKIPPED) if isinstance(p, tuple) and len(p) == 2]


def _write_skipped(root: Path, pairs: list[tuple[str, str]]) -> None:
    write_skipped(root, SKIPPED, pairs)


def _line(contact) -> str:
    bits = []
    if contact.role or contact.org:
        bits.append(" at ".join(x for x in (contact.role, contact.org) if x))
    bits.append(contact.circle or "no circle")
    bits.append(f"{len(contact.log)} log entries")
    if contact.email:
        bits.append(contact.email)
    if contact.phone:
        bits.append(contact.phone)
    return " · ".join(bits)


def _clip(text: str, width: int = 78) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _show(suggestion, left: int, color: bool) -> None:
    say("")
    heading = f"Possibly one person ({left} pair{'s' if left != 1 else ''} left)"
    rest = f", score {suggestion.score}"
    if color:  # styled after the text is made safe: say() would print the escape codes as text
        click.echo(click.style(heading, bold=True) + rest)
    else:
        say(heading + rest)
    for label, contact in (("KEEP ", suggestion.keep), ("OTHER", suggestion.other)):
        say(_clip(f"  {label} {contact.name}  ({contact.path})"))
        say(_clip(f"        {_line(contact)}"))
    for reason in suggestion.evidence:
        say(_clip(f"  - {reason}"))
    for line in KEYS.split("\n"):
        say(line)


def review_duplicates(
    vault,
    root: Path,
    today,
    suggestions: Callable,
    bookkeeping,
    keys: Iterator[str] | None = None,
    load=None,
) -> None:
    """Walk the suggestions; ``keys`` (tests) replaces the keyboard."""
    if keys is None:
        require_terminal(
            "merge --review",
            "`netvault merge --suggest` lists the pairs, `netvault merge KEEP OTHER` merges one, "
            "`netvault merge --not A B` keeps two apart",
        )
        with keyboard() as typed:
            return review_duplicates(vault, root, today, suggestions, bookkeeping, typed, load)
    if load is None:
        from ..read.loader import load_vault

        def load():
            return load_vault(root, today)

    from ..edit.people import undo

    color = use_color(sys.stdout)
    skipped = _read_skipped(root)
    skipped_now: set[tuple[str, str]] = set()
    history: list[_Decision] = []
    decided = 0
    while True:
        found = suggestions(vault, root)
        order = {pair: n for n, pair in enumerate(skipped)}
        queue = [s for s in found if _pair(s) not in order]
        queue += sorted((s for s in found if _pair(s) in order), key=lambda s: order[_pair(s)])
        done = None
        if not queue:
            done = "No more likely duplicates."
        elif all(_pair(s) in skipped_now for s in queue):
            done = "Every pair left was skipped; run `netvault merge --review` again to see them."
        if done is not None:
            say("")
            for line in textwrap.wrap(done, WIDTH):
                say(line)
            if not history:
                break
            say("[u] undo the last decision, any other key to finish")
            key = next(keys, "q")
        else:
            current = queue[0]
            _show(current, len(queue), color)
            key = next(keys, "q")
            while key not in VALID:
                if key:
                    say(f"{key!r} is not a key here; {KEYS_SHORT}"[:WIDTH])
                key = next(keys, "q")
        if done is not None and key != "u":
            break
        if key in ("q", "Q", "\x03", "\x04"):
            break
        if key == "u":
            if not history:
                say("Nothing to undo.")
                continue
            last = history.pop()
            if last.kind == "merge":
                guarded(lambda: undo(root, last.change), root)
                say("Undone: the merge; both files are back.")
            elif last.kind == "apart":
                forget_apart(root, last.pair)
                say("Undone: the two may be suggested again.")
            else:
                skipped = [p for p in skipped if p != last.pair]
                skipped_now.discard(last.pair)
                _write_skipped(root, skipped)
                say("Undone: the skip.")
            decided -= 1
            vault = load()
            continue
        if key in ("m", "o"):
            keep, other = (current.keep, current.other) if key == "m" else (current.other, current.keep)
            try:
                change = run_merge(vault, keep, other, today, False, bookkeeping)
            except NetvaultError as exc:  # changed by another program meanwhile: read again, go on
                for line in textwrap.wrap(f"Not merged: {exc.message}", WIDTH, subsequent_indent="  "):
                    say(line)
                vault = load()
                continue
            report_merge(change, keep, other, False, WIDTH)
            history.append(_Decision("merge", _pair(current), change))
            vault = load()
        elif key == "n":
            record_apart(root, current.keep, current.other, False, WIDTH)
            history.append(_Decision("apart", _pair(current)))
        elif key == "s":
            skipped = [p for p in skipped if p != _pair(current)] + [_pair(current)]
            skipped_now.add(_pair(current))
            _write_skipped(root, skipped)
            history.append(_Decision("skip", _pair(current)))
            say("Skipped: it comes last, here and next time.")
        decided += 1
    say(
        f"{plural(decided, 'decision')} written. Run `netvault merge --review` again to go on."
        if decided
        else "Nothing decided."
    )

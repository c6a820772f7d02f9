"""``netvault triage``: the people nobody has decided about, one at a time.

``--list`` prints the ranking (text or JSON) without the interface.  On a
terminal, one key per decision, each written at once as an ordinary edit
of that person's file (with ``triaged: DATE``, so they leave the queue):
``b``/``s``/``l``/``c`` put them in a circle, ``t`` makes them one of the
top ten, ``r`` sets a rhythm, ``o`` says how you know them, ``x`` "not
someone I keep up with" (cadence never: off the agenda and out of the
queue), ``k`` skips for now (they come last, here and next time), ``u``
undoes the last decision, ``q`` quits; the next ``triage`` resumes there.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import click

from .options import echo_json, say, today_option, vault_options
from .terminal import keyboard, read_skipped, require_terminal, write_skipped

WIDTH = 78
SKIPPED = "triage.json"
ORIGINS = ("former-client", "former-boss", "former-colleague", "subordinate", "supplier", "partner",
           "headhunter", "classmate")
RHYTHMS = ("6/year", "quarterly", "twice-a-year", "yearly")
CIRCLE_KEYS = {"b": "buddy", "s": "strategic", "l": "lukewarm", "c": "cold"}
KEYS = (
    "[b] buddy  [s] strategic  [l] lukewarm  [c] cold  [t] top ten\n"
    "[r] rhythm  [o] how you know them  [x] not someone I keep up with\n"
    "[k] skip  [u] undo  [q] quit"
)


@click.command()
@vault_options
@today_option
@click.option("--list", "as_list", is_flag=True, help="Print the ranking instead of asking, best first.")
@click.option("--limit", type=click.IntRange(min=1), help="With --list: at most this many.")
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
    help="With --list: text, or json.",
)
def triage(root: Path, today: date, as_list: bool, limit: int | None, fmt: str) -> None:
    """Decide, one person at a time, whom you keep up with after an import.

    Everyone without a circle, or still in the circle an import gave them,
    and never triaged, best candidates first with the reasons: at a goal's
    organisation, at one of your employers ([me] employers), a recruiter,
    senior, in touch this year, known by your inner circles, connected
    recently.

    Example:

    \b
        netvault triage --list --limit 10
        netvault triage
    """
    from ..playbook.triage import rank
    from ..read.loader import load_vault

    if (limit or fmt != "text") and not as_list:
        raise click.UsageError("--limit and --format go with --list")
    vault = load_vault(root, today)
    candidates = rank(vault, today)
    if as_list:
        _print_list(candidates[:limit] if limit else candidates, len(candidates), fmt)
        return
    require_terminal(
        "triage",
        "`netvault triage --list` ranks the people, and `netvault move NAME --circle lukewarm`, "
        "`netvault set NAME priority 3` or `netvault set NAME cadence never` decide about one",
    )
    with keyboard() as keys:
        _session(root, today, keys)


def _print_list(candidates, total: int, fmt: str) -> None:
    if fmt == "json":
        echo_json(
            {
                "candidates": [
                    {"name": c.contact.name, "path": c.contact.path, "score": c.score, "reasons": list(c.reasons)}
                    for c in candidates
                ],
                "total": total,
            }
        )
        return
    if not candidates:
        say("Nobody is waiting for a decision.")
        return
    shown = f"{len(candidates)} of {total}" if len(candidates) < total else str(total)
    say(f"{shown} {'person' if total == 1 else 'people'} to decide about, best first:")
    for c in candidates:
        where = ", ".join(x for x in (c.contact.role, c.contact.org) if x)
        say(f"  {c.contact.name}" + (f" ({where})" if where else ""))
        for reason in c.reasons:
            say(f"    - {reason}")


def _skipped(root: Path) -> list[str]:
    return [p for p in read_skipped(root, SKIPPED) if isinstance(p, str)]


def _save_skipped(root: Path, paths: list[str]) -> None:
    write_skipped(root, SKIPPED, paths)


def _show(candidate, left: int) -> None:
    contact = candidate.contact
    say("")
    say(f"{contact.name}  ({left} to decide)"[:WIDTH])
    details = [x for x in (contact.role, contact.org) if x]
    if details:
        say(("  " + ", ".join(details))[:WIDTH])
    say(f"  {contact.path}  circle: {contact.circle or 'none'}"[:WIDTH])
    for reason in candidate.reasons or ("nothing in the vault says more about them yet",):
        for line in textwrap.wrap(f"- {reason}", WIDTH - 2, subsequent_indent="    "):
            say("  " + line)
    for line in KEYS.split("\n"):
        say(line)


def _choose(keys, title: str, options) -> str | None:
    say(title)
    for number, option in enumerate(options, 1):
        say(f"  {number} {option}")
    key = next(keys, "q")
    if key.isdigit() and 1 <= int(key) <= len(options):
        return options[int(key) - 1]
    say("Nothing chosen.")
    return None


def _decision(key: str, contact, vault, keys) -> tuple[dict[str, str], str] | None:
    """What key ``key`` changes in ``contact``'s file, and what to say; None
    when nothing is to change (a choice left empty, a full top ten, no key)."""
    name = contact.name
    if key in CIRCLE_KEYS:
        return {"circle": CIRCLE_KEYS[key]}, f"{name}: {CIRCLE_KEYS[key]}"
    if key == "t":
        taken = {c.priority for c in vault.contacts if c.priority is not None}
        free = next((n for n in range(1, 11) if n not in taken), None)
        if free is None:
            say("Your top ten is full: `netvault top` shows it.")
            return None
        changes = {"priority": str(free)}
        if contact.circle in (None, "cold"):
            changes["circle"] = "strategic"
        return changes, f"{name}: top ten, priority {free}"
    if key == "r":
        rhythm = _choose(keys, "Rhythm:", RHYTHMS)
        return None if rhythm is None else ({"cadence": rhythm}, f"{name}: {rhythm}")
    if key == "o":
        origin = _choose(keys, "How do you know them?", ORIGINS)
        return None if origin is None else ({"origin": origin}, f"{name}: {origin}")
    if key == "x":
        return {"cadence": "never"}, f"{name}: not someone you keep up with (never on the agenda)"
    say(f"{key!r} is not a key here")
    return None


def _session(root: Path, today: date, keys) -> None:
    from ..edit.people import undo as put_back
    from ..edit.record import set_value
    from ..edit.writer import set_field
    from ..playbook.triage import TRIAGED, rank
    from ..read.loader import load_vault
    from .mergeops import guarded
    from .options import apply_edit

    skipped = _skipped(root)
    skipped_now: set[str] = set()
    history: list[tuple[str, object]] = []
    decided = 0
    while True:
        vault = load_vault(root, today)
        found = rank(vault, today)
        order = {path: n for n, path in enumerate(skipped)}
        queue = [c for c in found if c.contact.path not in order]
        queue += sorted((c for c in found if c.contact.path in order), key=lambda c: order[c.contact.path])
        queue = [c for c in queue if c.contact.path not in skipped_now] + [
            c for c in queue if c.contact.path in skipped_now
        ]
        if not queue or all(c.contact.path in skipped_now for c in queue):
            say("")
            say("Nobody left to decide about." if not queue else "Everyone left was skipped for now.")
            if not history:
                break
            say("[u] undo the last decision, any other key to finish")
            if next(keys, "q") != "u":
                break
            key = "u"
        else:
            current = queue[0]
            _show(current, len(queue))
            key = next(keys, "q")
        if key in ("q", "Q", "\x03", "\x04"):
            break
        if key == "u":
            if not history:
                say("Nothing to undo.")
                continue
            kind, value = history.pop()
            if kind == "edit":
                guarded(lambda: put_back(root, value), root)
                say("Undone.")
            else:
                skipped = [p for p in skipped if p != value]
                skipped_now.discard(value)
                _save_skipped(root, skipped)
                say("Undone: the skip.")
            decided -= 1
            continue
        contact = current.contact
        if key == "k":
            skipped = [p for p in skipped if p != contact.path] + [contact.path]
            skipped_now.add(contact.path)
            _save_skipped(root, skipped)
            history.append(("skip", contact.path))
            decided += 1
            say("Skipped for now: they come last, here and next time.")
            continue
        decision = _decision(key, contact, vault, keys)
        if decision is None:
            continue
        changes, said = decision
        final = key != "o"  # how you know them is a fact; the person stays to be decided

        def transform(text: str, changes=changes, final=final) -> str:
            for name, value in changes.items():
                text = set_value(text, name, value, vault.config)
            if final:
                text = set_field(text, TRIAGED, today.isoformat())
            return text

        edit = apply_edit(vault, contact, transform, False, today)
        from ..edit.people import Change

        history.append(("edit", Change(files=[(edit.rel, edit.old, edit.new)])))
        decided += 1
        say(said[:WIDTH])
    say(f"{decided} decision{'s' if decided != 1 else ''} written." if decided else "Nothing decided.")

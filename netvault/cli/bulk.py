"""Changing many people at once after an import: ``move``, ``set``,
``unset`` and ``snooze`` take filters instead of a NAME.

The filters are those of ``list`` (``--in-circle`` stands for list's
``--circle``, which ``move`` uses for the new circle), plus what an import
leaves: ``--no-circle``, ``--imported-from SOURCE`` (the ``source:`` an
import wrote), ``--connected-before/--connected-after DATE``.  The command
shows how many people and who (the first ten) would change, and asks
(``--yes`` answers for scripts); all files change together or none.
"""

from __future__ import annotations

import functools
import sys
from datetime import date

import click

from ..values.dates import DateError, parse_date
from ..values.vocabulary import CIRCLES
from .options import NetvaultError, find_contact, say

SHOWN = 10


def bulk_options(func):
    """The filters, and ``--yes``; the command gets ``selection`` (a dict)."""

    @click.option("--org", "orgs", multiple=True, help="Many people: whose org contains this text (repeatable).")
    @click.option("--tag", "tags", multiple=True, help="Many people: with this tag (repeatable).")
    @click.option("--origin", "origins", multiple=True, help="Many people: with this origin (repeatable).")
    @click.option(
        "--in-circle", "in_circles", multiple=True, type=click.Choice(CIRCLES, case_sensitive=False),
        help="Many people: in this circle (repeatable).",
    )
    @click.option("--no-circle", is_flag=True, help="Many people: with no circle.")
    @click.option("--imported-from", "imported_from", help="Many people: brought in by this import (linkedin, vcard, ...).")
    @click.option("--connected-before", metavar="DATE", help="Many people: connected on LinkedIn before this date.")
    @click.option("--connected-after", metavar="DATE", help="Many people: connected on LinkedIn after this date.")
    @click.option("--yes", is_flag=True, help="Many people: do not ask before changing them.")
    @functools.wraps(func)
    def wrapper(*args, orgs, tags, origins, in_circles, no_circle, imported_from, connected_before, connected_after, yes, **kwargs):
        selection = {
            "orgs": orgs, "tags": tags, "origins": origins, "circles": tuple(c.lower() for c in in_circles),
            "no_circle": no_circle, "imported_from": imported_from,
            "before": _day(connected_before, "--connected-before"), "after": _day(connected_after, "--connected-after"),
            "yes": yes,
        }
        return func(*args, selection=selection, **kwargs)

    return wrapper


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None


def _filtered(selection: dict) -> bool:
    return any(selection[k] for k in ("orgs", "tags", "origins", "circles", "no_circle", "imported_from", "before", "after"))


def _matches(contact, selection: dict) -> bool:
    fields = contact.fields
    if selection["orgs"] and not any(o.casefold() in (contact.org or "").casefold() for o in selection["orgs"]):
        return False
    if selection["tags"]:
        mine = {t.casefold().lstrip("#") for t in contact.tags}
        if not any(t.casefold().lstrip("#") in mine for t in selection["tags"]):
            return False
    if selection["origins"] and (contact.origin or "").casefold() not in {o.casefold() for o in selection["origins"]}:
        return False
    if selection["circles"] and contact.circle not in selection["circles"]:
        return False
    if selection["no_circle"] and contact.circle is not None:
        return False
    source = fields.get("source")
    if selection["imported_from"] and not (
        isinstance(source, str) and source.casefold().startswith(f"{selection['imported_from'].casefold()} import")
    ):
        return False
    if selection["before"] or selection["after"]:
        try:
            connected = parse_date(str(fields.get("connected_on") or ""))
        except DateError:
            return False
        if selection["before"] and not connected < selection["before"]:
            return False
        if selection["after"] and not connected > selection["after"]:
            return False
    return True


def select(vault, name: str | None, selection: dict, what: str, keep=lambda contact: True) -> list:
    """The one contact NAME means, or everyone the filters keep (and
    ``keep`` too: those the change would change), confirmed."""
    if name is not None:
        if _filtered(selection):
            raise click.UsageError("give a NAME or filters (--org, --tag, ...), not both")
        return [find_contact(vault, name)]
    if not _filtered(selection):
        raise click.UsageError("give a NAME, or filters for many people (--org, --tag, --in-circle, --imported-from, ...)")
    people = sorted(
        (c for c in vault.contacts if _matches(c, selection) and keep(c)), key=lambda c: (c.name.casefold(), c.path)
    )
    if not people:
        raise NetvaultError("nobody matches those filters; nothing to change")
    say(f"{what} {len(people)} {'person' if len(people) == 1 else 'people'}:")
    for contact in people[:SHOWN]:
        say(f"  {contact.name} ({contact.path})")
    if len(people) > SHOWN:
        say(f"  ... and {len(people) - SHOWN} more")
    if selection["yes"]:
        return people
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise NetvaultError("nothing changed: add --yes to change them without a question")
    if not click.confirm("Change them all?", default=False):
        raise NetvaultError("nothing changed")
    return people

"""Every page of the static site, as text: pure, no disk.

``site_pages`` turns a vault into ``{relative path: text}``; writing them is
:mod:`netvault.site.build`'s job.  Everything from the vault reaches the
pages escaped: template values by Jinja's autoescape, notes through
markdown-it-py with raw HTML off and then the nh3 allow-list sanitiser.
Links are only ``http(s)``, ``mailto:``/``tel:`` for values that really are
an address or a number, and links between the site's own pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date

import jinja2
import markupsafe

from ..interop.ics import calendar
from ..playbook.agenda import Item, build_agenda
from ..read import pool
from ..read.model import Contact, Vault
from ..values.cadence import describe
from ..views.agenda import render_agenda
from ..views.reach import ContactLinks, reach
from ..views.templates import environment, relative_days, render_template
from .charts import funnel_svg, graph_svg, months_svg, origins_svg
from .context import Site, page_names
from .context import digest as _digest
from .network import TEMPLATE as NETWORK_TEMPLATE
from .network import network_model
from .output import Record
from .person import last_contact_view, people_index, person_view

PARALLEL_FROM = 500  # person pages to render before a pool of processes pays for itself
CHUNK = 50  # pages per task of the pool

PAGE_TEMPLATES = {
    "index": "site/index.html.j2",
    "person": "site/person.html.j2",
    "people": "site/people.html.j2",
}


def site_environment(vault_root=None) -> jinja2.Environment:
    """The templates for the site: the vault's ``.netvault/templates/site/``
    overrides, else the shipped ones; HTML autoescaped."""
    env = environment(vault_root)
    env.filters.setdefault("cadence", describe)
    return env


def site_pages(
    vault: Vault,
    today: date,
    env: jinja2.Environment,
    bodies: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every output file: relative path (``/``) -> text.

    ``bodies`` holds each contact's note text below the frontmatter (contact
    path -> body); the loader keeps only what it parsed, so the builder reads
    them.  Without it, person pages show no notes.
    """
    bodies = bodies or {}
    plan = SitePlan(vault, today, env, lambda contact: bodies.get(contact.path, ""))
    return {rel: text for rel, text, _ in plan.pages() if text is not None}




class SitePlan:
    """The site's pages, rendered one at a time, and with ``previous`` only
    those whose inputs changed since the build that recorded it.

    A person page's inputs are: ``stamp`` (everything every page shares:
    netvault's build, the templates, the settings, the day), the contact
    (its file's identity when ``identity`` vouches for it, else the parsed
    contact and the note's text themselves), what the meeting notes say of
    it, who points at it, and every name it looked up with what that gave
    (re-checked against this build's names unless no contact's path, name
    or aliases changed).  The pages that list everyone
    (index, people, network, agenda) depend on the whole vault: any change
    to any contact as parsed (not its prose), meeting note or problem
    renders them again.
    """

    def __init__(
        self,
        vault: Vault,
        today: date,
        env: jinja2.Environment,
        body: Callable[[Contact], str],
        *,
        stamp: str | None = None,
        identity: Callable[[Contact], str | None] | None = None,
        previous: Mapping[str, Record] | None = None,
        previous_names: str | None = None,
    ) -> None:
        self.vault = vault
        self.today = today
        self.env = env
        self.body = body
        self.stamp = stamp
        self.identity = identity
        self.previous = previous
        self.site = Site(vault, today, vault.names, page_names(vault.contacts))
        self.common = dict(today=today, has_network=True, site_title="netvault")
        # netvault.ics: the calendar (netvault export ics), for calendars that
        # subscribe to `netvault watch --serve` or to the built folder.
        names = ["index.html", "people.html", "agenda.md", "netvault.ics", "network.html"]
        names += ["people/" + self.site.page_of(c) for c in vault.contacts]
        self.names = sorted(names)
        # Everything a name's look-up depends on; while it is what the
        # previous records were checked against, their look-ups give what
        # they gave then and need no checking one by one.
        self.names_print = _digest(repr([(c.path, c.name, c.aliases) for c in vault.contacts]))
        self.same_names = previous_names == self.names_print

    def pages(self) -> Iterator[tuple[str, str | None, Record | None]]:
        """(path, text, record) per page, in ``names`` order; text is None
        for a page ``previous`` shows unchanged.  Records are None unless
        ``stamp`` was given."""
        site, vault = self.site, self.vault
        if vault.contacts:
            site.pointing_at(vault.contacts[0], "knows")  # worked out before any page records look-ups
        recording = self.stamp is not None
        prints: list[str] = []
        person: dict[str, Contact] = {"people/" + site.page_of(c): c for c in vault.contacts}
        people = [rel for rel in self.names if rel in person]

        def page(rel: str):
            own_prints: list[str] = []
            return (*self._person_page(rel, person[rel], recording, own_prints), own_prints)

        # Many pages to render (a first build): spread over the cores.  A
        # build after an edit renders few and stays in this process.
        fresh = len(people) - len(set(people) & set(self.previous or ()))
        rendered = pool.fork_map(page, people, PARALLEL_FROM, CHUNK) if fresh >= PARALLEL_FROM else None
        for rel in people:
            if rendered is None:
                yield self._person_page(rel, person[rel], recording, prints)
                continue
            done, text, record, own_prints = next(rendered)
            prints.extend(own_prints)
            yield done, text, record
        # The pages listing everyone come last, when every contact's print is
        # known.  They show no notes' prose, so they depend on the contacts as
        # parsed, not on their files.
        digest = None
        if recording:
            digest = _digest(
                self.stamp or "",
                "everyone",
                *prints,
                repr(sorted(vault.interactions.items())),
                repr(vault.problems),
                repr(vault.notes),
            )
        listing = [rel for rel in self.names if rel not in person]
        previous = self.previous or {}
        kept = {rel for rel in listing if digest is not None and previous.get(rel, [None])[0] == digest}
        texts = {} if len(kept) == len(listing) else self._global_texts()
        for rel in listing:
            record = [digest, [], "", "", ""] if recording else None
            yield rel, (None if rel in kept else texts[rel]), record

    def _person_page(self, rel: str, contact: Contact, recording: bool, prints: list):
        """A person page's record is [digest, look-ups, the file's identity or
        print, the parsed contact's print]."""
        site = self.site
        body = None
        digest = None
        if recording:
            before = (self.previous or {}).get(rel)
            own = self.identity(contact) if self.identity is not None else None
            if own is not None and before is not None and before[3] == own:
                parsed = before[4]  # the same file, read with the same settings
            else:
                parsed = _digest(repr(contact))
            if own is None:
                body = self.body(contact)
                own = "r:" + _digest(parsed, body)
            prints.append(rel + "\0" + parsed)
            digest = _digest(
                self.stamp or "",
                rel,
                own,
                repr(self.vault.interactions.get(contact.path, ())),
                repr(_pairs(site, site.pointing_at(contact, "introduced_by"))),
                repr(_pairs(site, site.pointing_at(contact, "knows"))),
            )
            if (
                before is not None
                and before[0] == digest
                and (self.same_names or site.lookups_digest(before[1]) == before[2])
            ):
                return rel, None, before
        if body is None:
            body = self.body(contact)
        site._lookups = [] if recording else None
        try:
            text = render_template(
                self.env,
                PAGE_TEMPLATES["person"],
                root="../",
                person=person_view(contact, site, body),
                **self.common,
            )
            lookups = site._lookups
        finally:
            site._lookups = None
        if not recording:
            return rel, text, None
        targets = list(dict.fromkeys(lookups))
        return rel, text, [digest, targets, site.lookups_digest(targets), own, parsed]

    def _global_texts(self) -> dict[str, str]:
        vault, site, env, today = self.vault, self.site, self.env, self.today
        agenda = build_agenda(vault, today)
        by_path = {c.path: c for c in vault.contacts}
        out = {
            "index.html": render_template(
                env,
                PAGE_TEMPLATES["index"],
                root="",
                agenda=agenda,
                sections=[
                    (key, title, [_agenda_entry(item, by_path.get(item.path), site) for item in items])
                    for key, title, items in agenda.sections
                ],
                problems=_problem_counts(vault),
                **self.common,
            ),
            "people.html": render_template(
                env, PAGE_TEMPLATES["people"], root="", people=people_index(site), **self.common
            ),
            "agenda.md": render_agenda(agenda, "markdown", vault.root),
            "netvault.ics": calendar(vault, today).decode("utf-8"),
            "network.html": network_page(vault, today, env),
        }
        return out


def _pairs(site: Site, contacts) -> list[tuple[str, str]]:
    return [(other.name, site.page_of(other)) for other in contacts]


def _problem_counts(vault: Vault) -> dict:
    errors = sum(p.severity == "error" for p in vault.problems)
    return {"errors": errors, "warnings": len(vault.problems) - errors}


def _agenda_entry(item: Item, contact: Contact | None, site: Site) -> dict:
    links = reach(contact) if contact is not None else ContactLinks()
    return {
        "item": item,
        "href": site.href(contact, "") if contact is not None else None,
        "why": _why(item, site.today),
        "last": last_contact_view(item.last_contact, item.last_contact_source, site.today),
        "reach": links,
        "email": contact.email if contact is not None else None,
        "phone": contact.phone if contact is not None else None,
    }


def _why(item: Item, today: date) -> str:
    """Why this person is on the agenda, in words."""
    if item.kind == "touch-base":
        rhythm = f" ({describe(item.cadence)})" if item.cadence else ""
        if item.last_contact is None:
            return "never contacted: get in touch to start the rhythm"
        if item.status == "overdue":
            return f"touch-base {_days(item.overdue_days)} late{rhythm}"
        if item.status == "due":
            return f"touch-base due today{rhythm}"
        return f"touch-base due {relative_days(item.due, today)}, {item.due.isoformat()}{rhythm}"
    if item.kind == "follow-up":
        when = (
            f"{_days(item.overdue_days)} late" if item.status == "overdue"
            else relative_days(item.due, today)
        )
        return f"follow-up {when} ({item.due.isoformat()})" + (f": {item.note}" if item.note else "")
    if item.kind == "birthday":
        turns = f", turns {item.age}" if item.age else ""
        return f"birthday {relative_days(item.due, today)} ({item.due.isoformat()}){turns}"
    if item.kind == "job-change":
        when = (
            f"changed jobs {relative_days(item.since, today)} ({item.since.isoformat()})"
            if item.since else "changed jobs"
        )
        return when + (f": {item.note}" if item.note else "")
    if item.kind == "fading":
        silent = (today - item.last_contact).days if item.last_contact else 0
        return f"fading: silent {_days(silent)}, usually every {_days(item.usual_gap_days or 0)}"
    since = item.since.isoformat() if item.since else "?"
    asked = f": {item.note}" if item.note else ""
    in_a_row = (
        f" (asked {item.asked_in_a_row} times in a row without giving)"
        if item.asked_in_a_row and item.asked_in_a_row > 1
        else ""
    )
    return f"you asked a favour on {since}{asked}{in_a_row}; give something before you ask again"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def network_page(vault: Vault, today: date, env: jinja2.Environment) -> str:
    model = network_model(vault, today)
    names = {n.path: n for n in model.graph.nodes}
    return render_template(
        env,
        NETWORK_TEMPLATE,
        model=model,
        today=today,
        current="network",
        root="",
        nodes=names,
        funnel_svg=markupsafe.Markup(funnel_svg(model)),
        origins_svg=markupsafe.Markup(origins_svg(model)),
        months_svg=markupsafe.Markup(months_svg(model)),
        graph_svg=markupsafe.Markup(graph_svg(model)),
    )

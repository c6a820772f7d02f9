"""Every page of the static site, as text: pure, no disk.

``site_pages`` turns a vault into ``{relative path: text}``; writing them is
:mod:`netvault.site.build`'s job.  Everything from the vault reaches the
pages escaped: template values by Jinja's autoescape, notes through
markdown-it-py with raw HTML off and then the nh3 allow-list sanitiser.
Links are only ``http(s)``, ``mailto:``/``tel:`` for values that really are
an address or a number, and links between the site's own pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

import jinja2
import markupsafe
import nh3
from markdown_it import MarkdownIt

from ..playbook.agenda import Item, build_agenda
from ..values.cadence import describe
from ..playbook.due import compute_due, effective_cadence
from ..read.links import NameIndex, parse_link
from ..interop.ics import calendar
from ..read.logsection import ASKED, GAVE, PLANNED, find_sections
from ..read.model import Contact, Link, Vault
from ..views.render import (
    environment,
    relative_days,
    render_agenda,
    render_template,
    source_note,
)

PAGE_TEMPLATES = {
    "index": "site/index.html.j2",
    "person": "site/person.html.j2",
    "people": "site/people.html.j2",
}
_EMAIL = re.compile(r"^[A-Za-z0-9._+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{2,30}$")
_WEB = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "span", "del", "s", "table", "thead", "tbody",
    "tr", "th", "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "ol": {"start"}}
# Frontmatter keys shown in the card's first part (or elsewhere on the page);
# the rest of what the user wrote is listed under "More".
_CARD_KEYS = {
    "name", "aliases", "circle", "origin", "org", "role", "email", "phone", "linkedin",
    "channels", "cadence", "last_contact", "priority", "snooze_until", "follow_up",
    "introduced_by", "knows", "goals", "birthday", "tags",
}


def site_environment(vault_root=None) -> jinja2.Environment:
    """The templates for the site: the vault's ``.netvault/templates/site/``
    overrides, else the shipped ones; HTML autoescaped."""
    env = environment(vault_root)
    env.filters.setdefault("cadence", describe)
    return env


@dataclass(frozen=True)
class PersonLink:
    """A name shown on a page: linked to its page when it is a contact."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    kind: str  # "log" or "note"
    channel: str | None
    text: markupsafe.Markup  # sanitised HTML
    source: str | None = None  # the meeting or daily note
    gave: bool = False
    asked: bool = False
    planned: bool = False


@dataclass(frozen=True)
class ContactLinks:
    """The one-click ways to reach someone: only values that are what they claim."""

    email: str | None = None
    phone: str | None = None
    web: str | None = None


@dataclass
class Site:
    """What every page shares: who has a page where, and how to render notes."""

    vault: Vault
    today: date
    index: NameIndex
    pages: dict[str, str] = field(default_factory=dict)  # contact path -> page file name
    _pointing: dict | None = field(default=None, repr=False)  # (field, path) -> who points here
    _markdown: dict = field(default_factory=dict, repr=False)  # root -> parser
    # (kind, root, text) -> (HTML, the name look-ups it made): a text is
    # rendered once per build however many pages or log entries repeat it.
    _rendered: dict = field(default_factory=dict, repr=False)
    # While a page is built: every name it looked up.
    _lookups: list | None = field(default=None, repr=False)
    _resolved: dict = field(default_factory=dict, repr=False)  # name -> contact or None

    def pointing_at(self, contact: Contact, key: str) -> list[Contact]:
        """Everyone whose ``key`` (introduced_by or knows) resolves to ``contact``;
        worked out once for the whole vault, so a page costs no scan of it."""
        if self._pointing is None:
            pointing: dict = {}
            for other in self.vault.contacts:
                for name in ("introduced_by", "knows"):
                    for link in getattr(other, name):
                        target = self.resolve(link.target)
                        if target is not None and target is not other:
                            found = pointing.setdefault((name, target.path), [])
                            if other not in found:
                                found.append(other)
            self._pointing = pointing
        return self._pointing.get((key, contact.path), [])

    def markdown(self, root: str) -> MarkdownIt:
        if root not in self._markdown:
            self._markdown[root] = _markdown(self, root)
        return self._markdown[root]

    def page_of(self, contact: Contact) -> str:
        return self.pages[contact.path]

    def href(self, contact: Contact, root: str) -> str:
        return root + "people/" + quote(self.pages[contact.path], safe="~")

    def resolve(self, target: str) -> Contact | None:
        try:
            contact = self._resolved[target]
        except KeyError:
            found = self.index.lookup(target)
            contact = self._resolved[target] = found[0] if len(found) == 1 else None
        if self._lookups is not None:
            self._lookups.append(target)
        return contact

    def lookups_digest(self, targets) -> str:
        """What a page can show of the names it looked up: each one's
        contact's name and page, or that it names no one (or several)."""
        shown = []
        for target in targets:
            contact = self.resolve(target)
            shown.append(None if contact is None else (contact.name, self.pages[contact.path]))
        return _digest(repr(shown))

    def rendered(self, kind: str, root: str, text: str, render) -> markupsafe.Markup:
        key = (kind, root, text)
        hit = self._rendered.get(key)
        if hit is None:
            outer, self._lookups = self._lookups, []
            try:
                html = render()
                hit = (html, tuple(self._lookups))
            finally:
                self._lookups = outer
            self._rendered[key] = hit
        if self._lookups is not None:
            self._lookups.extend(hit[1])
        return hit[0]

    def person_link(self, link: Link, root: str) -> PersonLink:
        contact = self.resolve(link.target)
        if contact is None:
            return PersonLink(link.text)
        return PersonLink(link.label or contact.name, self.href(contact, root))


def page_names(contacts) -> dict[str, str]:
    """``people/<file stem>.html`` per contact.  Two contacts with one stem
    (in different folders, or differing only in case, which some file
    systems cannot tell apart) get ``stem~2.html`` and on, in path order."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for contact in sorted(contacts, key=lambda c: c.path):
        stem = contact.stem or "contact"
        name, number = f"{stem}.html", 1
        while name.casefold() in taken:
            number += 1
            name = f"{stem}~{number}.html"
        taken.add(name.casefold())
        names[contact.path] = name
    return names


def reach(contact: Contact) -> ContactLinks:
    """``mailto:``, ``tel:`` and web links, only for real addresses and numbers."""
    email = contact.email.strip() if contact.email else ""
    phone = contact.phone.strip() if contact.phone else ""
    web = contact.linkedin.strip() if contact.linkedin else ""
    return ContactLinks(
        email="mailto:" + email if _EMAIL.match(email) else None,
        phone="tel:" + re.sub(r"[^0-9+]", "", phone)
        if _PHONE.match(phone) and sum(ch.isdigit() for ch in phone) >= 3
        else None,
        web=web if _WEB.match(web) else None,
    )


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


# [digest of the page's inputs, the names it looked up, a digest of what they
# gave, for a person page its file's identity (or print) and its parsed
# contact's print], to which the builder adds the identity of the page's file.
Record = list


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
        self.has_network = _network_module() is not None
        self.common = dict(today=today, has_network=self.has_network, site_title="netvault")
        # netvault.ics: the calendar (netvault export ics), for calendars that
        # subscribe to `netvault watch --serve` or to the built folder.
        names = ["index.html", "people.html", "agenda.md", "netvault.ics"]
        names += ["people/" + self.site.page_of(c) for c in vault.contacts]
        if self.has_network:
            names.append("network.html")
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
        for rel in self.names:
            contact = person.get(rel)
            if contact is None:
                continue
            yield self._person_page(rel, contact, recording, prints)
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
                person=_person(contact, site, body),
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
                env, PAGE_TEMPLATES["people"], root="", people=_people_index(site), **self.common
            ),
            "agenda.md": render_agenda(agenda, "markdown", vault.root),
            "netvault.ics": calendar(vault, today).decode("utf-8"),
        }
        if self.has_network:
            out["network.html"] = _network(vault, today, env)
        return out


def _pairs(site: Site, contacts) -> list[tuple[str, str]]:
    return [(other.name, site.page_of(other)) for other in contacts]


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _network_module():
    try:
        from . import network
    except ModuleNotFoundError as exc:
        if exc.name != "netvault.site.network":
            raise
        return None
    return network


def _network(vault: Vault, today: date, env: jinja2.Environment) -> str | None:
    """``network.html`` from :mod:`netvault.site.network`; None while that
    module is not there (it is written separately)."""
    try:
        from .network import network_page
    except ModuleNotFoundError as exc:
        if exc.name != "netvault.site.network":
            raise
        return None
    return network_page(vault, today, env)


def _problem_counts(vault: Vault) -> dict:
    errors = sum(p.severity == "error" for p in vault.problems)
    return {"errors": errors, "warnings": len(vault.problems) - errors}


def _agenda_entry(item: Item, contact: Contact | None, site: Site) -> dict:
    links = reach(contact) if contact is not None else ContactLinks()
    return {
        "item": item,
        "href": site.href(contact, "") if contact is not None else None,
        "why": _why(item, site.today),
        "last": _last_contact(item.last_contact, item.last_contact_source, site.today),
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


def _last_contact(when: date | None, source: str | None, today: date) -> dict | None:
    if when is None:
        return None
    note = source_note(source)
    origin = (
        f"from {note}" if note
        else "from the log" if source == "log"
        else "from last_contact" if source == "last_contact"
        else ""
    )
    return {"date": when, "relative": relative_days(when, today), "source": origin}


def _people_index(site: Site) -> list[dict]:
    """Everyone, grouped by circle (closest first), with the next due date."""
    order = ["buddy", "strategic", "lukewarm", "cold", None]
    groups: dict = {circle: [] for circle in order}
    config = site.vault.config
    for contact in site.vault.contacts:
        info = compute_due(
            contact, config, site.today, config.days, site.vault.interactions.get(contact.path, ())
        )
        groups.setdefault(contact.circle, []).append(
            {
                "contact": contact,
                "href": site.href(contact, ""),
                "next_due": info.next_due,
                "status": info.status,
            }
        )
    return [
        {"circle": circle, "title": (circle or "no circle").capitalize(), "people": people}
        for circle, people in groups.items()
        if people
    ]


def _person(contact: Contact, site: Site, body: str) -> dict:
    vault = site.vault
    config = vault.config
    notes = vault.interactions.get(contact.path, ())
    info = compute_due(contact, config, site.today, config.days, notes)
    cadence = effective_cadence(contact, config)
    introduced = [
        PersonLink(other.name, site.href(other, "../"))
        for other in site.pointing_at(contact, "introduced_by")
    ]
    known_by = [
        PersonLink(other.name, site.href(other, "../"))
        for other in site.pointing_at(contact, "knows")
    ]
    return {
        "contact": contact,
        "reach": reach(contact),
        "due": info,
        "cadence": describe(cadence.text) if cadence is not None else None,
        "last": _last_contact(info.last_contact, info.last_contact_source, site.today),
        "birthday": _birthday(contact),
        "introduced_by": [site.person_link(link, "../") for link in contact.introduced_by],
        "knows": [site.person_link(link, "../") for link in contact.knows],
        "introduced": introduced,
        "known_by": known_by,
        "notes": render_notes(_without_log(body, config.log_heading), site, "../"),
        "timeline": _timeline(contact, notes, site),
        "more": _more_fields(contact),
    }


def _birthday(contact: Contact) -> str | None:
    birthday = contact.birthday
    if birthday is None:
        return None
    day = date(2000, birthday.month, birthday.day)
    text = f"{day.day} {day:%B}"
    return f"{text} {birthday.year:04d}" if birthday.year is not None else text


def _more_fields(contact: Contact) -> list[tuple[str, str]]:
    """The frontmatter keys netvault does not use, as the user wrote them."""
    used = set(contact.keys.values()) | _CARD_KEYS
    return [
        (str(key), _plain_value(value))
        for key, value in sorted(contact.fields.items(), key=lambda kv: str(kv[0]))
        if key not in used and value not in (None, "", [], {})
    ]


def _plain_value(value) -> str:
    if isinstance(value, list):
        return ", ".join(_plain_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain_value(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _without_log(body: str, heading: str) -> str:
    """The notes without the log section: the timeline shows it."""
    lines = body.splitlines(keepends=True)
    for section in reversed(find_sections(lines, heading)):
        del lines[section.heading : section.end]
    return "".join(lines)


def _timeline(contact: Contact, notes, site: Site) -> list[TimelineEntry]:
    """Log entries and dated notes that mention the person, newest first."""
    entries = [
        TimelineEntry(
            entry.date,
            "log",
            entry.channel,
            render_inline(_strip_tags(entry.text), site, "../"),
            gave=entry.gave,
            asked=entry.asked,
            planned=entry.planned,
        )
        for entry in contact.log
    ]
    entries.extend(
        TimelineEntry(note.date, "note", None, markupsafe.Markup(""), source=source_note(note.source))
        for note in notes
    )
    return sorted(entries, key=lambda e: (e.date, e.kind == "log", e.source or ""), reverse=True)


def _strip_tags(text: str) -> str:
    return " ".join(PLANNED.sub("", GAVE.sub("", ASKED.sub("", text))).split())


# -- notes: Markdown with [[wikilinks]], sanitised --------------------------------


def _wikilink_rule(state, silent: bool) -> bool:
    """``[[Target]]`` / ``[[Target|label]]`` as one token, before link parsing."""
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if not inner.strip() or "\n" in inner or "[" in inner:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = inner
    state.pos = end + 2
    return True


def _markdown(site: Site, root: str) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)

    def render_wikilink(renderer, tokens, index, options, env) -> str:
        link = parse_link("[[" + tokens[index].content + "]]")
        if link is None:
            return markupsafe.escape("[[" + tokens[index].content + "]]")
        shown = PersonLink(link.text)
        contact = site.resolve(link.target)
        if contact is not None:
            shown = PersonLink(link.label or contact.name, site.href(contact, root))
        text = markupsafe.escape(shown.text)
        if shown.href is None:
            return f'<span class="unresolved">{text}</span>'
        return f'<a href="{markupsafe.escape(shown.href)}">{text}</a>'

    md.add_render_rule("wikilink", render_wikilink)
    return md


def sanitise(html: str) -> markupsafe.Markup:
    """Only an allow-list of tags and attributes; links only to the web,
    e-mail, phone, or relative (the site's own pages)."""
    return markupsafe.Markup(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


# Text that Markdown leaves as it is: lines of words and plain punctuation,
# each starting with a letter (so never a list, heading, quote, code block or
# table), ending without a space (so never a hard break), with no character
# that starts emphasis, code, a link, an entity or HTML.  For these markdown-it
# and the sanitiser give ``<p>lines</p>`` per paragraph and the text itself
# inline; tests/test_site_incremental.py checks that against them.
_PLAIN_LINE = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ,.;:!?'()/-]*[A-Za-z0-9,.;:!?'()/-])?")
_PLAIN_INLINE = re.compile(r"[A-Za-z0-9 ,.;:!?'()/-]*")
_BLANK_LINE = re.compile(r"[ \t]*")


def notes_chunks(text: str) -> list[tuple[bool, str]] | None:
    """``text`` cut where Markdown cannot carry anything across: (plain, part)
    pairs, a plain part being one paragraph of plain lines (``_PLAIN_LINE``)
    between blank lines, the rest runs of other blocks.  A paragraph starting
    with a letter after a blank line ends any list, quote or indented code
    before it.  None for text where one part can change another: a fence
    (open until closed, blank lines or not), a link definition (``]:``), a
    carriage return (another line break to the parser)."""
    if "```" in text or "~~~" in text or "]:" in text or "\r" in text:
        return None
    blocks: list[tuple[bool, list[str]]] = []  # runs of lines between blank lines
    current: list[str] | None = None
    for line in text.split("\n"):
        if _BLANK_LINE.fullmatch(line):
            current = None
            continue
        if current is None:
            current = []
            blocks.append((True, current))
        current.append(line)
    chunks: list[tuple[bool, str]] = []
    other: list[str] = []
    for _, lines in blocks:
        if all(_PLAIN_LINE.fullmatch(line) for line in lines):
            if other:
                chunks.append((False, "\n\n".join(other) + "\n"))
                other = []
            chunks.append((True, "\n".join(lines)))
        else:
            other.append("\n".join(lines))
    if other:
        chunks.append((False, "\n\n".join(other) + "\n"))
    return chunks


def render_notes(text: str, site: Site, root: str) -> markupsafe.Markup:
    """A contact's notes as HTML.  Their headings start at <h3>, below the
    page's own <h1> and <h2>, so the outline stays in order.

    Plain paragraphs are written without the parser; the other parts are
    rendered once per build however many notes hold them."""
    if not text.strip():
        return markupsafe.Markup("")
    chunks = notes_chunks(text)
    if chunks is None:
        return site.rendered("notes", root, text, lambda: _render_notes(text, site, root))
    html = []
    for plain, part in chunks:
        if plain:
            html.append("<p>" + part + "</p>\n")
        else:
            html.append(site.rendered("notes", root, part, lambda: _render_notes(part, site, root)))
    return markupsafe.Markup("".join(html))


def _render_notes(text: str, site: Site, root: str) -> markupsafe.Markup:
    md = site.markdown(root)
    env: dict = {}
    tokens = md.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return sanitise(md.renderer.render(tokens, md.options, env))


def render_inline(text: str, site: Site, root: str) -> markupsafe.Markup:
    return site.rendered("inline", root, text, lambda: _render_inline(text, site, root))


def _render_inline(text: str, site: Site, root: str) -> markupsafe.Markup:
    if _PLAIN_INLINE.fullmatch(text) and text == text.strip():
        return markupsafe.Markup(text)
    return sanitise(site.markdown(root).renderInline(text))

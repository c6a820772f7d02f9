"""A realistic, deterministic netvault vault of any size, for the benchmark.

The same ``count`` and ``seed`` always give the same files, byte for byte:
one random generator seeded once, names drawn in a fixed order, no clock, no
dict-order or hash-seed dependence, and fixed mtimes are not needed because
nothing here reads them.

What a real network's vault holds, at the sizes a LinkedIn import brings
(up to 30,000 contacts), so the figures mean something:

- contact files of 1–4 KB, every frontmatter field of PRODUCT.md in the
  spellings people use (flow and block lists, quoted and bare phone numbers,
  comments after values, unknown keys such as ``zip: 01234``), every
  cadence grammar, and logs of every shape (with and without channel or
  colon, ``*``/``+`` bullets, ``#gave``/``#asked``/``#planned``, ``moved``
  lines, newest first or last, any heading level), notes before and after
  the log, a fenced code block and an HTML comment that hide list items;
- aliases, a top ten, and a few duplicate names (two files named after the
  same person in different folders: the ``check`` errors real networks have);
- nested contact folders, contacts outside them recognised by ``circle:`` or
  ``type: contact``;
- meeting notes (``[interactions] folders``) and Obsidian daily notes
  (``.obsidian/daily-notes.json``) that link contacts;
- non-contact notes (projects, reading notes, an Obsidian templates folder)
  and dot-folders netvault must skip (``.obsidian``, ``.trash``, ``.git``).

Two shapes:

- ``rich`` (the default): every contact as above;
- ``imported``: the vault a LinkedIn import leaves.  Of ``count`` contacts,
  ``rich`` (default 2,000, or all of them when ``count`` is smaller) are the
  rich contacts above, with their meeting and daily notes: the very files
  of a ``rich`` vault of that many contacts, byte for byte.  The rest are
  THIN contacts, each exactly the file ``netvault import linkedin`` writes
  for a new person with the default contact template (name, ``circle:
  cold``, org, role, an email for one in ten as LinkedIn hides the rest,
  the profile URL, ``connected_on``, ``source: linkedin import
  (Connections.csv)``, an empty ``## Log``: about 630 bytes), all in
  ``people/``, plus the ``.netvault/imports.json`` that import keeps.  They
  come from a second generator seeded from ``seed``, after the rich files.

    python benchmark/generate.py /tmp/vault 1000 --seed 1
    python benchmark/generate.py /tmp/vault 30000 --shape imported   # 28,000 thin + 2,000 rich
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 11, 22)
SHAPES = ("rich", "imported")
RICH = 2000  # rich contacts of an imported vault, by default


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Aaron Abigail Adaeze Adrian Aisha Akira Alejandro Alice Amara Amelia Ana Andrei Anika Antoine "
    "Arjun Astrid Beatriz Ben Bianca Björn Bruno Camille Carlos Carol Chen Chiara Chloé Chidi Clara "
    "Daniel Dara David Diego Dmitri Elena Elif Emeka Emma Erik Esther Fatima Felix Fernando Finn "
    "Francesca Gabriel Grace Hana Hannah Hassan Helena Hiroshi Ibrahim Ines Ingrid Isabel Ivan Jack "
    "Jana Javier Jin Joana João Jonas Jose José Julia Kai Karim Kate Kenji Kofi Lars Laura Leila "
    "Leo Lina Luca Lucía Maja Malik Marco Maria Mateo Mei Mia Miguel Mira Nadia Naomi Nikolai Noah "
    "Nora Oliver Olga Omar Pablo Paolo Pedro Priya Rafael Rahul Ravi Rosa Ruth Sam Sara Sebastian "
    "Sofia Soren Sun Tariq Thomas Tomás Uma Valentina Victor Wei Yara Yuki Zainab Zoë"
)
LAST = _words(
    "Abara Adeyemi Ahmed Alvarez Andersen Anderson Baker Banerjee Becker Bianchi Brown Campbell "
    "Carter Castillo Chen Clarke Costa Cruz Dubois Duarte Dufour Eriksen Evans Fernández Fischer "
    "Fontaine Fraser Fujita García Gonzalez Gupta Haddad Hansen Harris Hoffmann Horvat Huang Ibrahim "
    "Ito Ivanova Jansen Jensen Johnson Kaur Keller Khan Kim Kowalski Kruger Kumar Lambert Larsen Lee "
    "Lefebvre Lindqvist Lopez Martin Martínez Meyer Moreau Müller Murphy Nakamura Nguyen Nielsen "
    "Novak Nowak Okafor Okonkwo Oliveira O'Brien Olsen Patel Pereira Petrov Popescu Raman Reyes "
    "Ricci Rivera Robinson Rodríguez Romano Rossi Sato Schmidt Schneider Silva Singh Smith Sokolov "
    "Suzuki Svensson Tanaka Taylor Thompson Tran Van Dijk Vasquez Wagner Walker Wang Weber Williams "
    "Wilson Wójcik Wright Yamamoto Yilmaz Young Zhang Zimmermann"
)
ORGS = (
    "Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Industries", "Wayne Enterprises",
    "Hooli", "Pied Piper", "Soylent", "Tyrell", "Cyberdyne", "Aperture Labs", "Black Mesa",
    "Vandelay Industries", "Wonka Foods", "Gringotts Bank", "Oceanic Air", "Monarch Studios",
    "Nakatomi Trading", "Massive Dynamic", "Blue Sun", "Weyland-Yutani", "Dunder Mifflin",
    "Prestige Worldwide", "Sterling Cooper", "Bluth Company", "Los Pollos", "Virtucon",
    "Octan Energy", "Krusty Media",
)
ROLES = (
    "VP Engineering", "CTO", "Product Manager", "Head of Talent", "Recruiter", "Staff Engineer",
    "Designer", "Data Scientist", "Sales Director", "Founder", "Partner", "Analyst",
    "Engineering Manager", "Professor", "Consultant", "CFO", "Head of Product",
)
ORIGINS = (
    "former-client", "former-colleague", "former-boss", "subordinate", "supplier", "partner",
    "headhunter", "classmate", "conference", "neighbour",
)
CIRCLES = ("buddy", "strategic", "lukewarm", "cold")
CIRCLE_WEIGHTS = (5, 15, 35, 45)
CHANNELS = ("email", "phone", "post", "video", "im", "in-person")
CADENCES = (
    "45d", "30d", "6w", "2w", "2m", "4m", "1y", "2y", "4/year", "6/year", "12/year",
    "weekly", "monthly", "quarterly", "twice-a-year", "yearly", "never",
)
GOALS = ("move-to-product", "join-acme", "board-seat", "learn-rust")
TAGS = ("mentor", "london", "berlin", "remote", "investor", "speaker", "alumni", "hiring", "ai")
TOPICS = (
    "the reorganisation", "her move to product", "his new team", "the Q1 hiring plan",
    "pricing for the pilot", "the conference talk", "a board seat", "the Rust rewrite",
    "their fundraising", "the merger", "a reference check", "the offsite", "remote work",
    "the book she recommended", "kids and schools", "the marathon",
)
VERBS = (
    "caught up about", "coffee, talked about", "call about", "lunch; we discussed",
    "quick chat on", "sent an article on", "asked for advice on", "intro call about",
    "dinner, mostly", "long walk, talked through",
)
WORDS = _words(
    "team product hiring strategy roadmap budget customers platform quarter market launch "
    "feedback design research culture growth partners investors engineering sales support "
    "interview offer timeline process promotion reorg contract pilot demo workshop mentoring"
)

SETTINGS = """\
# Generated by benchmark/generate.py: a realistic vault for the benchmark.
[vault]
contacts = ["people"]
log_heading = "Log"

[cadence]
buddy = "6/year"
strategic = "quarterly"
lukewarm = "twice-a-year"
cold = "never"

[agenda]
days = 14

[interactions]
folders = ["meetings"]

[people]
templates = ["templates"]

[goals.move-to-product]
note = "Move from engineering into product management"
role = "Product Manager"

[goals.join-acme]
org = "Acme Corp"

[goals.board-seat]
note = "A non-executive board seat"

[goals.learn-rust]
note = "Find people who ship Rust"
"""


def fold(text: str) -> str:
    """How netvault compares names (case and Unicode form ignored)."""
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


class _Generator:
    def __init__(self, count: int, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.count = count
        self.today = today
        self.taken: set[str] = set()  # folded names, stems and aliases in use
        self.names: list[str] = [self._unique_name() for _ in range(count)]
        # A few duplicate names, as in real networks: the last contacts get a
        # twin file (another folder, another stem, the same `name`).  Nobody
        # links to them, so the only problems are the duplicate-name warnings.
        self.duplicates = max(2, count // 2000) if count >= 20 else 0
        self.linkable = self.names[: count - self.duplicates]
        self.paths: list[str] = []  # of the contacts in self.names, in order

    def _unique_name(self, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if fold(name) in self.taken:
                name = f"{name.split()[0]} {rng.choice('ABCDEFGHJKLMNPRSTVW')}. {' '.join(name.split()[1:])}"
            if fold(name) not in self.taken:
                self.taken.add(fold(name))
                return name

    def _alias(self, name: str) -> str | None:
        """A nickname nobody else uses (shared aliases are normal; unique ones keep the
        generated vault's only problems the intended duplicate names)."""
        rng = self.rng
        first, *_, last = name.split()
        for candidate in (
            f"{first[:3]}{rng.choice(('ie', 'o', 'sy', 'a'))} {last[0]}.",
            f"{first[0]}. {last}",
            f"{first} {last[0]}.",
            f"{first}{rng.randrange(10, 99)}",
        ):
            if fold(candidate) not in self.taken:
                self.taken.add(fold(candidate))
                return candidate
        return None

    def _link(self, exclude: str) -> str:
        while True:
            other = self.rng.choice(self.linkable)
            if other != exclude:
                return other

    def _day(self, back: int, ahead: int = 0) -> date:
        return self.today + timedelta(days=self.rng.randrange(-back, ahead + 1))

    def _sentence(self, words: int) -> str:
        rng = self.rng
        text = " ".join(rng.choice(WORDS) for _ in range(words))
        return text[0].upper() + text[1:] + "."

    # ---------------------------------------------------------------- contacts

    def contact(self, index: int, name: str, stem: str, where: str, twin: bool = False) -> tuple[str, str]:
        """``(relative path, text)`` of one contact file; a ``twin`` always
        spells out its ``name`` (its file name is another)."""
        rng = self.rng
        circle = rng.choices(CIRCLES, CIRCLE_WEIGHTS)[0]
        org = rng.choice(ORGS)
        fm: list[str] = []
        add = fm.append
        if rng.random() < 0.93 or twin:
            add(f"name: {_quoted(name) if rng.random() < 0.1 else name}")
        if rng.random() < 0.3:
            alias = self._alias(name)
            if alias is not None:
                if rng.random() < 0.5:
                    add(f"aliases: [{alias}]")
                else:
                    add(f"aliases:\n  - {alias}")
        if where == "type":
            add("type: contact")
        if where != "type" or rng.random() < 0.5:
            comment = "          # buddy | strategic | lukewarm | cold" if rng.random() < 0.05 else ""
            add(f"circle: {circle}{comment}")
        add(f"origin: {rng.choice(ORIGINS)}")
        if rng.random() < 0.05:
            add(f'org: ["[[{org}]]"]')
        else:
            add(f"org: {org}")
        add(f"role: {rng.choice(ROLES)}")
        local = slug(name).replace("-", ".")
        add(f"email: {local}@{slug(org)}.example.com")
        if rng.random() < 0.6:
            digits = f"{rng.randrange(10, 99)} {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}"
            add(f'phone: "+44 {digits}"' if rng.random() < 0.7 else f"phone: +44{digits.replace(' ', '')}")
        if rng.random() < 0.8:
            add(f"linkedin: https://www.linkedin.com/in/{slug(name)}-{rng.randrange(1000, 99999)}")
        channels = rng.sample(CHANNELS, rng.randrange(1, 4))
        if rng.random() < 0.8:
            add(f"channels: [{', '.join(channels)}]")
        else:
            add("channels:\n" + "\n".join(f"  - {c}" for c in channels))
        if "post" in channels:
            street = f"{rng.randrange(1, 200)} {rng.choice(LAST)} Street"
            if rng.random() < 0.7:
                add(f'address: "{street}, London"')
            else:
                add(f"address: |\n  {street}\n  London")
        if rng.random() < 0.2:
            add(f"cadence: {rng.choice(CADENCES)}")
        if rng.random() < 0.3:
            add(f"last_contact: {self._day(500)}")
        if index < 10:
            add(f"priority: {index + 1}")
        if rng.random() < 0.05:
            add(f"snooze_until: {self._day(10, 60)}")
        if rng.random() < 0.15:
            note = rng.choice(("", " send her the deck", " intro to the hiring manager", " share the report"))
            add(f"follow_up: {self._day(30, 40)}{note}")
        if rng.random() < 0.25:
            add(f'introduced_by: "[[{self._link(name)}]]"')
        if rng.random() < 0.5:
            known = [self._link(name) for _ in range(rng.randrange(1, 5))]
            if rng.random() < 0.7:
                add("knows: [" + ", ".join(f'"[[{k}]]"' for k in known) + "]")
            else:
                add("knows:\n" + "\n".join(f'  - "[[{k}]]"' for k in known))
        if rng.random() < 0.15:
            add(f"goals: [{', '.join(rng.sample(GOALS, rng.randrange(1, 3)))}]")
        if rng.random() < 0.35:
            if rng.random() < 0.85:
                add(f"birthday: {rng.randrange(1950, 2002)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}")
            else:
                add(f"birthday: --{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}")
        if rng.random() < 0.5:
            add(f"tags: [{', '.join(rng.sample(TAGS, rng.randrange(1, 4)))}]")
        # Keys netvault does not know are kept as written.
        if rng.random() < 0.1:
            add(f"zip: 0{rng.randrange(1000, 9999)}")
        if rng.random() < 0.1:
            add(f"status: {rng.choice(('yes', 'no', 'on', 'off'))}")
        if rng.random() < 0.2:
            add(f"created: {self._day(1500)}T{rng.randrange(24):02d}:{rng.randrange(60):02d}")
        if rng.random() < 0.05:
            add("# imported from LinkedIn")
        lines = ["---", *fm, "---", ""]
        lines += [self._sentence(rng.randrange(8, 20)), ""]
        if rng.random() < 0.1:
            # A list in a code block is not the log, even under the heading.
            lines += ["```", "- 2020-01-01 email: not a log entry", "```", ""]
        if rng.random() < 0.05:
            lines += ["<!--", "- 2020-01-01 email: commented out", "-->", ""]
        level = rng.choices(("##", "###", "#"), (85, 12, 3))[0]
        lines += [f"{level} Log"]
        lines += self._log(circle)
        lines.append("")
        # Pad with free notes to a realistic size of 1 to 4 KB.
        target = int(rng.triangular(1024, 4000, 1700))
        lines += [f"{level} Notes", ""]
        text = "\n".join(lines) + "\n"
        size = len(text.encode("utf-8"))
        while size < target:
            para = self._sentence(rng.randrange(10, 30))
            if rng.random() < 0.15:
                para = f"- [ ] ask [[{self._link(name)}]] about {rng.choice(TOPICS)}"
            lines += [para, ""]
            size += len(para.encode("utf-8")) + 2
        text = "\n".join(lines).rstrip("\n") + "\n"
        return f"{stem}.md", text

    def _log(self, circle: str) -> list[str]:
        rng = self.rng
        entries: list[str] = []
        day = self._day(120)
        for _ in range(rng.choices((0, 2, 6, 13, 25), (5, 15, 30, 35, 15))[0] + rng.randrange(3)):
            bullet = rng.choices(("-", "*", "+"), (90, 7, 3))[0]
            channel = rng.choice(CHANNELS)
            what = f"{rng.choice(VERBS)} {rng.choice(TOPICS)}"
            tag = rng.choices(("", " #gave", " #asked", " #gave sent the article"), (70, 15, 10, 5))[0]
            shape = rng.random()
            if shape < 0.6:
                text = f"{day} {channel}: {what}{tag}"
            elif shape < 0.75:
                text = f"{day} {channel} {what}{tag}"
            elif shape < 0.85:
                text = f"{day}: {what}{tag}"
            elif shape < 0.95:
                text = f"{day} {what}{tag}"
            else:
                before = rng.choice([c for c in CIRCLES if c != circle])
                text = f"{day} moved {before} → {circle}"
            entries.append(f"{bullet} {text}")
            day -= timedelta(days=rng.randrange(5, 120))
        if rng.random() < 0.03:
            entries.insert(0, f"- {self._day(0, 30)} video: catch-up booked #planned")
        if rng.random() < 0.3:
            entries.reverse()  # oldest first: accepted as well
        return entries

    # ---------------------------------------------------------------- notes

    def meeting(self, number: int) -> tuple[str, str]:
        rng = self.rng
        day = self._day(700)
        title = rng.choice(("Sync", "Standup", "Offsite", "Interview loop", "Coffee", "Dinner", "Workshop"))
        people = rng.sample(self.linkable, min(len(self.linkable), rng.randrange(1, 6)))
        folder = f"meetings/{day.year}" if rng.random() < 0.8 else "meetings"
        fm = [f"date: {day}"]
        if rng.random() < 0.7:
            fm.append("attendees: [" + ", ".join(f'"[[{p}]]"' for p in people) + "]")
        body = [f"# {title} {number}", ""]
        body.append(f"With [[{people[0]}]] about {rng.choice(TOPICS)}.")
        for person in people[1:]:
            body.append(f"- [[{person}|{person.split()[0]}]]: {self._sentence(rng.randrange(6, 14))}")
        body.append(f"- [ ] follow up with [[{people[-1]}]]")
        body += ["", self._sentence(rng.randrange(20, 60))]
        text = "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body) + "\n"
        return f"{folder}/{day} {title} {number:05d}.md", text

    def daily(self, day: date) -> tuple[str, str]:
        rng = self.rng
        lines = [f"# {day:%A %d %B %Y}", ""]
        for _ in range(rng.randrange(1, 4)):
            lines.append(f"- Spoke to [[{rng.choice(self.linkable)}]] about {rng.choice(TOPICS)}")
        lines += ["", "## Tasks", f"- [ ] {self._sentence(5)}", "", self._sentence(rng.randrange(10, 40))]
        return f"journal/daily/{day.year}/{day}.md", "\n".join(lines) + "\n"

    def other_notes(self) -> list[tuple[str, str]]:
        rng = self.rng
        files = [
            ("README.md", "# My network\n\nContacts live in people/, meetings in meetings/.\n"),
            (
                "templates/Contact.md",
                "---\nname: \ncircle: \norg: \nchannels: []\n---\n\n## Log\n- {{date}} email: \n",
            ),
            ("templates/Meeting.md", "---\ndate: {{date}}\nattendees: []\n---\n# {{title}}\n"),
            (".obsidian/daily-notes.json", '{"folder": "journal/daily", "format": "YYYY/YYYY-MM-DD"}\n'),
            (".obsidian/templates.json", '{"folder": "templates"}\n'),
            (".obsidian/app.json", '{"alwaysUpdateLinks": true}\n'),
            (".obsidian/workspace.md", "# not a note: inside a dot-folder\n"),
            (".git/HEAD", "ref: refs/heads/main\n"),
            (".git/description.md", "---\ncircle: buddy\n---\nnot a contact: dot-folder\n"),
        ]
        for number in range(max(3, self.count // 100)):
            topic = rng.choice(TOPICS)
            kind = rng.choice(("projects", "reading", "ideas/2026", "areas/career"))
            fm = f"---\ntags: [{rng.choice(TAGS)}]\nstatus: {rng.choice(('draft', 'done'))}\n---\n"
            body = f"# {topic.capitalize()}\n\n{self._sentence(rng.randrange(30, 120))}\n"
            if rng.random() < 0.3:
                body += f"\nSee [[{rng.choice(self.linkable)}]].\n"
            files.append((f"{kind}/{slug(topic)}-{number:04d}.md", fm + body))
        for number in range(max(1, self.count // 1000)):
            # Deleted contacts Obsidian keeps in .trash: never read.
            files.append((f".trash/Old contact {number}.md", "---\ncircle: cold\nbirthday: not a date\n---\n"))
        return files

    def files(self) -> list[tuple[str, str]]:
        rng = self.rng
        out: list[tuple[str, str]] = [("netvault.toml", SETTINGS)]
        for index, name in enumerate(self.names):
            where = rng.choices(("people", "circle", "type"), (94, 4, 2))[0]
            rel, text = self.contact(index, name, name, where)
            if where == "people":
                folder = rng.choice(("people", "people/work", "people/school", "people/recruiters",
                                     f"people/work/{slug(rng.choice(ORGS))}", "people/family-and-friends"))
            elif where == "circle":
                folder = "clients"  # a contact by its `circle:` alone
            else:
                folder = "crm/contacts"  # a contact by `type: contact`
            out.append((f"{folder}/{rel}", text))
            self.paths.append(f"{folder}/{rel}")
        for number, name in enumerate(self.names[self.count - self.duplicates:]):
            org = ORGS[number % len(ORGS)]
            rel, text = self.contact(self.count + number, name, f"{name} ({org})", "people", twin=True)
            out.append((f"people/duplicates/{rel}", text))
        for number in range(self.count // 5):
            out.append(self.meeting(number))
        days = sorted({self.today - timedelta(days=rng.randrange(1, 800)) for _ in range(self.count // 10)})
        out += [self.daily(day) for day in days]
        out += self.other_notes()
        return out


    # ---------------------------------------------------------------- imported

    def thin_people(self, count: int, seed: int) -> list[ThinPerson]:
        """``count`` people of a LinkedIn export, named unlike every rich
        contact and alias (call after :meth:`files`); their own generator,
        so the rich files do not depend on how many of them there are."""
        rng = random.Random(f"netvault-imported-{seed}")
        people = []
        for _ in range(count):
            name = self._unique_name(rng)
            # Profile URLs: a vanity name, or the name with LinkedIn's suffix.
            suffix = "" if rng.random() < 0.2 else f"-{rng.getrandbits(32):08x}"
            url = f"https://www.linkedin.com/in/{slug(name)}{suffix}"
            # A few rows have no company or position (students, people between jobs).
            org = rng.choice(ORGS) if rng.random() < 0.97 else ""
            role = rng.choice(ROLES) if rng.random() < 0.97 else ""
            email = f"{slug(name).replace('--', '-')}@mail.example" if rng.random() < 0.1 else ""
            connected = TODAY - timedelta(days=rng.randrange(30, 5000))
            people.append(ThinPerson(name, url, email, org, role, connected))
        return people


@dataclass(frozen=True)
class ThinPerson:
    """One row of a LinkedIn ``Connections.csv``, as the import reads it."""

    name: str
    url: str
    email: str
    org: str
    role: str
    connected: date

    @property
    def rel(self) -> str:
        return f"{IMPORT_FOLDER}/{self.name}.md"  # names here need no cleaning for a file name

    def text(self) -> str:
        """The file ``netvault import linkedin Connections.csv`` writes for
        this person into a vault without its own contact template."""
        return THIN_CONTACT.format(
            name=self.name,
            org=_field("org", self.org),
            role=_field("role", self.role),
            email=_field("email", self.email),
            linkedin=_field("linkedin", self.url),
            connected=self.connected.isoformat(),
        )

    def record(self) -> tuple[str, dict[str, str]]:
        """This person's key and entry in ``.netvault/imports.json``."""
        entry = {"path": self.rel}
        for key, value in (("org", self.org), ("role", self.role), ("email", self.email)):
            if value:
                entry[key] = value
        return f"linkedin:{self.url.split('://www.', 1)[1].lower()}", entry


IMPORT_FOLDER = "people"  # the first contacts folder of SETTINGS, where an import puts new people
IMPORT_FILE = "Connections.csv"
THIN_CONTACT = f"""\
---
name: {{name}}
aliases:
circle: cold  # buddy | strategic | lukewarm | cold
origin:  # former-client, former-colleague, former-boss, supplier, headhunter, classmate, ...
{{org}}
{{role}}
{{email}}
phone:
{{linkedin}}
channels:  # email, phone, post, video, im, in-person
cadence:  # empty: the circle's default (e.g. 6/year, quarterly, 2m, 6w)
priority:  # 1-10 for your top ten
introduced_by:
tags:
connected_on: {{connected}}
source: linkedin import ({IMPORT_FILE})
---
# {{name}}

%% How you met, what they care about, what value you can offer them. %%

## Log
"""


def _field(key: str, value: str) -> str:
    return f"{key}: {value}" if value else f"{key}:"  # every value here is plain YAML


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class GeneratedVault:
    files: int  # written, notes and others
    contacts: tuple[tuple[str, str], ...]  # (name, vault-relative path), rich, unambiguous names only
    thin: tuple[tuple[str, str], ...] = ()  # (name, vault-relative path) of the imported contacts
    shape: str = "rich"

    def sample(self, number: int) -> tuple[str, str]:
        """An ordinary contact (not in the top ten, not a duplicate), the
        same one for the same number, a different one for another number."""
        return self.contacts[(10 + number * 97) % len(self.contacts)]


def generate_vault(
    root: Path | str, count: int, seed: int = 1, today: date = TODAY, shape: str = "rich", rich: int = RICH
) -> GeneratedVault:
    """Write a vault of ``count`` contacts (plus notes) into ``root``.
    ``root`` must not exist or be empty.  ``shape`` is ``rich`` (every
    contact rich) or ``imported`` (``count - rich`` thin contacts as a
    LinkedIn import writes them, and ``min(rich, count)`` rich ones)."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    if rich < 0:
        raise ValueError("rich must be 0 or more")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    rich_count = count if shape == "rich" else min(rich, count)
    generator = _Generator(rich_count, seed, today)
    files = generator.files()
    thin = generator.thin_people(count - rich_count, seed) if count > rich_count else []
    if thin:
        files += [(person.rel, person.text()) for person in thin]
        people = dict(person.record() for person in thin)
        if len(people) != len(thin):
            raise AssertionError("two thin people with one profile")  # a generator bug, not data
        record = {"format": 1, "people": people}
        record_text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        files.append((".netvault/imports.json", record_text))  # as import writes it
    seen: set[str] = set()
    for rel, text in files:
        if rel.casefold() in seen:
            raise AssertionError(f"generated twice: {rel}")  # a generator bug, not data
        seen.add(rel.casefold())
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    unique = len(generator.linkable)
    return GeneratedVault(
        len(files),
        tuple(zip(generator.names[:unique], generator.paths[:unique])),
        tuple((person.name, person.rel) for person in thin),
        shape,
    )


_LINKEDIN_NOTES = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their connections "
    'to see or download their email address using this setting."\r\n\r\n'
)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def generate_connections(path: Path | str, count: int, seed: int = 1, moved: int = 0) -> None:
    """Write a LinkedIn ``Connections.csv`` of ``count`` people, as the data
    export spells it (preamble, CRLF, most emails empty, ``15 Mar 2024``).
    ``moved`` people further down have another company and position: a
    later export of the same network, with job changes."""
    rng = random.Random(seed)
    generator = _Generator(count, seed, TODAY)
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for index, name in enumerate(generator.names):
        first, *rest = name.split()
        org, role = rng.choice(ORGS), rng.choice(ROLES)
        if index >= count - moved:
            org, role = f"{org} Next", f"Senior {role}"
        email = f"{slug(name)}@mail.example" if rng.random() < 0.1 else ""
        day = TODAY - timedelta(days=rng.randrange(30, 5000))
        cells = [first, " ".join(rest), f"https://www.linkedin.com/in/{slug(name)}-{index}", email, org, role,
                 f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"]
        lines.append(",".join(f'"{c}"' if "," in c or '"' in c else c for c in cells))
    Path(path).write_bytes((_LINKEDIN_NOTES + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=SHAPES, default="rich",
                        help="rich: every contact rich; imported: all but --rich of them"
                        " as a LinkedIn import writes them")
    parser.add_argument("--rich", type=int, default=RICH, metavar="N",
                        help=f"--shape imported: how many contacts are rich (default {RICH:,}, or all if fewer)")
    args = parser.parse_args()
    if args.count < 0 or args.rich < 0:
        parser.error("COUNT and --rich must be 0 or more")
    vault = generate_vault(args.root, args.count, args.seed, shape=args.shape, rich=args.rich)
    thin = len(vault.thin)
    print(f"{vault.files} files written to {args.root}: {args.count:,} contacts"
          + (f" ({thin:,} imported from LinkedIn, {args.count - thin:,} rich)" if args.shape == "imported" else ""))


if __name__ == "__main__":
    main()

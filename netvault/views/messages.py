"""Announcements and thank-yous: one message per person who helped.

After landing a job, everyone who helped gets a note with the news, thanks
for what they did and an offer to help back.  This module picks the people
(by tag or name), finds in each log what they helped with, and renders the
messages through the templates in ``templates/messages/`` (a vault's own in
``.netvault/templates/messages/`` take their place).  It reads no clock and
prints nothing; the CLI writes the files and the log entries.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from ..read.model import Contact, LogEntry, Vault
from ..values.names import fold
from ..values.problems import printable
from .reach import reach
from .templates import (
    USER_TEMPLATES,
    RenderError,
    default_template_dir,
    environment,
    markdown_text,
    printable_output,
    render_template,
)

FOLDER = "messages"
SUFFIX = ".md.j2"
PAGE = f"{FOLDER}/_page.html.j2"
_TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Words that say someone did something for you: the log entry to thank them for
# when none is tagged #asked.
HELP_WORDS = re.compile(
    r"\b(help\w*|advi[cs]\w*|feedback|reference|referr\w*|refer|introduc\w*|intro|"
    r"recommend\w*|review\w*|mentor\w*|coach\w*|thank\w*|interview\w*)\b",
    re.IGNORECASE,
)
_TAG = re.compile(r"(?<![\w#])#(?:gave|asked|planned)\b", re.IGNORECASE)
# How a message refers to what someone did for you.  A call, a video call
# or a meeting you had together; for e-mail, messages and letters the log
# entry is as often yours as theirs, so it is their help that is thanked.
OCCASION = {
    "email": "your help",
    "phone": "our call",
    "video": "our video call",
    "im": "your help",
    "post": "your help",
    "in-person": "our meeting",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


class AnnounceError(ValueError):
    """An unknown template or nobody to write to."""


@dataclass(frozen=True)
class Helped:
    """The log entry a message thanks someone for."""

    date: date
    channel: str | None
    text: str  # the entry without its #asked/#gave tags
    line: int
    asked: bool  # tagged #asked (else: it mentions help)

    @property
    def occasion(self) -> str:
        """'our call in January 2026': how the message refers to it."""
        what = OCCASION.get(self.channel or "", "your help")
        return f"{what} in {MONTHS[self.date.month - 1]} {self.date.year}"

    def as_dict(self) -> dict:
        return {
            "asked": self.asked,
            "channel": self.channel,
            "date": self.date.isoformat(),
            "line": self.line,
            "occasion": self.occasion,
            "text": self.text,
        }


@dataclass(frozen=True)
class Message:
    contact: Contact
    helped: Helped | None
    subject: str
    body: str
    mailto: str | None  # only for a real address

    @property
    def first_name(self) -> str:
        return first_name(self.contact)

    def as_dict(self) -> dict:
        return {
            "body": self.body,
            "email": self.contact.email,
            "helped": self.helped.as_dict() if self.helped else None,
            "mailto": self.mailto,
            "name": self.contact.name,
            "path": self.contact.path,
            "subject": self.subject,
        }


def first_name(contact: Contact) -> str:
    words = contact.name.split()
    return words[0] if words else contact.stem


def tagged(vault: Vault, tags) -> list[Contact]:
    """Contacts carrying any of ``tags`` (case-insensitive, a leading # ignored)."""
    wanted = {fold(t.lstrip("#")) for t in tags}
    return [c for c in vault.contacts if wanted & {fold(t.lstrip("#")) for t in c.tags}]


def by_name(contacts) -> list[Contact]:
    unique = {c.path: c for c in contacts}
    return sorted(unique.values(), key=lambda c: (fold(c.name), c.path))


def what_they_helped_with(contact: Contact, today: date) -> Helped | None:
    """The newest favour you asked of them (#asked), else the newest entry
    that mentions help (advice, a reference, an introduction, thanks ...).

    Entries tagged #gave record what you gave, not what they did, and are
    passed over, as are planned and future entries and funnel history.
    """
    entries = [
        e for e in contact.log
        if e.interaction and not e.planned and e.date <= today and not e.gave
    ]
    for wanted in (lambda e: e.asked, lambda e: bool(HELP_WORDS.search(e.text))):
        found = [e for e in entries if wanted(e)]
        if found:
            entry = max(found, key=lambda e: (e.date, e.line))
            return _helped(entry)
    return None


def _helped(entry: LogEntry) -> Helped:
    text = " ".join(_TAG.sub(" ", entry.text).split()).strip(" ;,")
    return Helped(entry.date, entry.channel, text, entry.line, entry.asked)


def available_templates(vault_root: Path | None) -> list[str]:
    """Message template names: the shipped ones and the vault's own."""
    names = set(_names_in(default_template_dir() / FOLDER))
    if vault_root is not None:
        folder = Path(vault_root) / USER_TEMPLATES / FOLDER
        root = os.path.realpath(vault_root)
        real = os.path.realpath(folder)
        if real.startswith(root + os.sep) and os.path.isdir(real):
            names.update(_names_in(Path(real)))
    return sorted(names)


def _names_in(folder: Path) -> list[str]:
    try:
        files = os.listdir(folder)
    except OSError:
        return []
    return [
        f[: -len(SUFFIX)] for f in files
        if f.endswith(SUFFIX) and _TEMPLATE_NAME.match(f[: -len(SUFFIX)])
    ]


def check_template(name: str, vault_root: Path | None) -> str:
    available = available_templates(vault_root)
    if name not in available:
        hint = f"{USER_TEMPLATES.as_posix()}/{FOLDER}/NAME{SUFFIX}"
        raise AnnounceError(
            f"unknown template {name!r}; available: {', '.join(available)} "
            f"(add your own as {hint})"
        )
    return f"{FOLDER}/{name}{SUFFIX}"


def sentence(text) -> str:
    """News as a sentence: a full stop added when it has no end mark."""
    text = str(text or "").strip()
    if text and text[-1] not in ".!?…":
        text += "."
    return text


def build_messages(
    vault: Vault, people, today: date, template: str, news: str | None
) -> list[Message]:
    """One message per person, in name order; raises AnnounceError or RenderError."""
    name = check_template(template, vault.root)
    finalize, _ = printable_output(False)
    env = environment(vault.root, finalize)
    env.filters["sentence"] = sentence
    messages = []
    for contact in by_name(people):
        helped = what_they_helped_with(contact, today)
        text = render_template(
            env,
            name,
            person={
                "name": contact.name,
                "first_name": first_name(contact),
                "org": contact.org,
                "role": contact.role,
                "email": contact.email,
                "circle": contact.circle,
            },
            helped=helped,
            news=(news or "").strip() or None,
            me={"name": vault.config.me_name},
            today=today,
            template=template,
        )
        subject, body = split_subject(text)
        links = reach(contact)
        messages.append(Message(contact, helped, subject, body, mailto_link(links.email, subject, body)))
    return messages


def split_subject(text: str) -> tuple[str, str]:
    """A first line ``Subject: …`` is the subject; the rest is the body."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    subject = ""
    if lines and lines[0].lower().startswith("subject:"):
        subject = lines.pop(0)[len("subject:"):].strip()
    body = "\n".join(line.rstrip() for line in lines).strip("\n")
    return subject, re.sub(r"\n{3,}", "\n\n", body)


def mailto_link(address: str | None, subject: str, body: str) -> str | None:
    """``mailto:addr?subject=…&body=…``, everything after the address
    percent-encoded (line breaks as %0D%0A, RFC 6068); None without a real
    address (``address`` is already ``mailto:…`` from :func:`netvault.views.reach.reach`)."""
    if not address:
        return None
    query = []
    if subject:
        query.append("subject=" + quote(subject, safe=""))
    if body:
        query.append("body=" + quote(body.replace("\n", "\r\n"), safe=""))
    return address + ("?" + "&".join(query) if query else "")


def log_text(news: str) -> str:
    """The #gave entry --log writes for each person."""
    return f"sent news: {' '.join(news.split())}"


def title(tags, template: str) -> str:
    return f"{template} messages" + (f": {', '.join(tags)}" if tags else "")


def render_markdown(messages: list[Message], tags, template: str, today: date) -> str:
    """All messages in one Markdown file: a section per person."""
    out = [
        f"# {markdown_text(printable(title(tags, template)))}",
        "",
        f"{len(messages)} {'message' if len(messages) == 1 else 'messages'}, {today.isoformat()}.",
        "",
    ]
    for message in messages:
        contact = message.contact
        out += [f"## {markdown_text(printable(contact.name))}", ""]
        if contact.email:
            note = "" if message.mailto else " (not an address netvault links to)"
            out.append(f"To: {markdown_text(printable(contact.email))}{note}  ")
        if message.helped:
            h = message.helped
            channel = f" {h.channel}" if h.channel else ""
            out.append(
                f"From your log, {h.date.isoformat()}{channel}: {markdown_text(printable(h.text))}  "
            )
        if message.subject:
            out.append(f"Subject: {printable(message.subject)}")
        out += ["", *(printable(line) for line in message.body.split("\n")), "", "---", ""]
    if messages:
        del out[-2:]  # no rule after the last message
    return "\n".join(out).rstrip("\n") + "\n"


def render_html(
    messages: list[Message], tags, template: str, today: date, vault_root: Path | None
) -> str:
    """The page with a ``mailto:`` link per person (autoescaped template)."""
    finalize, _ = printable_output(False)
    env = environment(vault_root, finalize)
    items = []
    for message in messages:
        paragraphs = [p.split("\n") for p in message.body.split("\n\n") if p.strip()]
        items.append(
            {
                "name": message.contact.name,
                "first_name": message.first_name,
                "email": message.contact.email,
                "mailto": message.mailto,
                "subject": message.subject,
                "paragraphs": paragraphs,
                "helped": message.helped,
            }
        )
    return render_template(
        env, PAGE, title=title(tags, template), messages=items, today=today
    )


__all__ = [
    "AnnounceError",
    "Helped",
    "Message",
    "RenderError",
    "available_templates",
    "build_messages",
    "log_text",
    "mailto_link",
    "render_html",
    "render_markdown",
    "tagged",
    "what_they_helped_with",
]

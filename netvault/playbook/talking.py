"""Something worth saying: a touch-base with a purpose, of some value to them.

One or two talking points for a touch-base, from the contact's own file, in
this order: a follow-up you promised; what they asked you last or what you
asked them last; a goal they relate to; their ``needs``, ``interests`` or
topic tags (``interest/…``, ``topic/…``); a recent job change in the log.  When the file suggests nothing, one
of netvault's prompts (or the vault's ``[agenda] prompts``), picked by a
stable hash of the name so the same person gets the same prompt every day.
"""

from __future__ import annotations

import re
import zlib
from datetime import date

from ..read.logsection import ASKED, GAVE, PLANNED
from ..read.logsection import JOB_CHANGE as JOB_CHANGE_TAGGED
from ..read.model import Contact, LogEntry

MAX_POINTS = 2
RECENT_DAYS = 365  # a job change older than this is old news

# Ways to make yourself worth hearing from: news, a career update, an article,
# a request for advice, an opportunity.
DEFAULT_PROMPTS = (
    "share a piece of local business news they would find relevant",
    "share a career update: a change of role or of responsibilities",
    "send an article in their field",
    "ask their advice on a professional matter they know well",
    "refer them to an opportunity you heard of",
)

# "She asked for my view on direct-debit failure rates": they asked you.
_THEY_ASKED = re.compile(r"\b(?:he|she|they)\s+asked\b", re.IGNORECASE)
# A job change of theirs, as people write it: "she joined Verdant Grid",
# "he was promoted to VP", "new role: head of data" (not "I started at ...").
_JOB_CHANGE = re.compile(
    r"\b(?:he|she|they)\s+(?:has\s+|have\s+|just\s+)?(?:joined|started\s+(?:at|as)|moved\s+to"
    r"|was\s+promoted|were\s+promoted|got\s+promoted|is\s+now|are\s+now|took\s+a\s+new)\b"
    r"|^(?:joined|promoted|new\s+(?:job|role|position)|job\s+change|changed\s+jobs?)\b",
    re.IGNORECASE,
)
_FIELD_NEEDS = ("needs", "need")
_FIELD_INTERESTS = ("interests", "interest")
_TOPIC_TAGS = ("interest", "interests", "topic", "topics")


def talking_points(
    contact: Contact, today: date, prompts: tuple[str, ...] = (), limit: int = MAX_POINTS
) -> tuple[str, ...]:
    """Up to ``limit`` suggestions, most specific first; never empty."""
    found: list[str] = []
    for point in _from_file(contact, today):
        if point and point not in found:
            found.append(point)
        if len(found) >= limit:
            break
    if not found:
        found.append(fallback(contact.name, prompts))
    return tuple(found)


def fallback(name: str, prompts: tuple[str, ...] = ()) -> str:
    """One prompt from the list, the same one for the same name on every run."""
    choices = prompts or DEFAULT_PROMPTS
    text = choices[zlib.crc32(name.casefold().encode("utf-8")) % len(choices)]
    return text[:1].upper() + text[1:]


def _from_file(contact: Contact, today: date):
    if contact.follow_up is not None:
        note = contact.follow_up.note
        when = contact.follow_up.date.isoformat()
        yield f"Follow up as promised ({when}): {note}" if note else f"Follow up as promised ({when})"
    exchange = _last_exchange(contact, today)
    if exchange is not None:
        yield exchange
    goals = list(dict.fromkeys(g.split("/", 1)[0].strip() for g in contact.goals if g.strip()))
    if goals:
        # "northlight-energy/made-the-move": the goal, without their part in it
        yield f"Ask their view on your goal: {', '.join(goals[:2])}"
    need = _first_value(contact, _FIELD_NEEDS)
    if need:
        yield f"Offer help with what they need: {need}"
    interest = _first_value(contact, _FIELD_INTERESTS) or _first_tag(contact)
    if interest:
        yield f"Share an article on {interest}"
    change = _job_change(contact, today)
    if change is not None:
        yield f"Congratulate them on the change ({change.date.isoformat()}): {_clean(change.text)}"


def _past(contact: Contact, today: date) -> list[LogEntry]:
    entries = [e for e in contact.log if e.date <= today and e.interaction]
    return sorted(entries, key=lambda e: (e.date, -e.line))


def _last_exchange(contact: Contact, today: date) -> str | None:
    """The newest favour either way: what you asked (#asked), or what they asked of you."""
    for entry in reversed(_past(contact, today)):
        text = _clean(entry.text)
        if entry.asked and not entry.gave:
            return f"Update them on what you asked ({entry.date.isoformat()}): {text}"
        if _THEY_ASKED.search(entry.text):
            return f"Ask whether your help worked out ({entry.date.isoformat()}): {text}"
    return None


def _first_value(contact: Contact, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = contact.fields.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _first_tag(contact: Contact) -> str | None:
    """A tag that names a topic: ``interest/climate-tech`` or ``topic/payments``.
    Plain tags mostly say where you know someone from (``supplier``,
    ``tessellate``), which is no topic to share an article on."""
    for tag in contact.tags:
        word = tag.strip().lstrip("#")
        head, _, topic = word.partition("/")
        if head.casefold() in _TOPIC_TAGS and topic.strip():
            return topic.strip().replace("-", " ")
    return None


def _job_change(contact: Contact, today: date) -> LogEntry | None:
    for entry in reversed([e for e in contact.log if e.date <= today]):
        if (today - entry.date).days > RECENT_DAYS:
            return None
        if entry.interaction and _JOB_CHANGE.search(entry.text.strip()):
            return entry
        if not entry.interaction and JOB_CHANGE_TAGGED.search(entry.text):
            return entry  # an import saw them move (see netvault.interop.importer)
    return None


def _clean(text: str) -> str:
    """Log text without netvault's tags, shortened to a line."""
    words = " ".join(JOB_CHANGE_TAGGED.sub("", PLANNED.sub("", GAVE.sub("", ASKED.sub("", text)))).split())
    return words if len(words) <= 80 else words[:79].rstrip() + "…"

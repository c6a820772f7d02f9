"""What an import takes of a person as an export gives them: web addresses
that are one line of http or https, and the values it carries for typed
fields (``X-NETVAULT-CADENCE``, a CSV column mapped to ``last_contact``)
only where ``netvault set`` would take them, checked by the same code.  A
cell of an export can hold anything; what is left out is said, never
written."""

from __future__ import annotations

from dataclasses import replace

from ..edit.record import TYPED_KEYS, ValueProblem, typed_value
from ..values.weburl import web_url
from . import Person


def admitted(person: Person) -> tuple[Person, list[str]]:
    """The person with only what an import may write, and a warning line
    (``file:line: ...; left out``) for each value left out."""
    person, dropped = _web_addresses(person)
    warnings = [f"{person.where}: {' '.join(value.split())[:80]!r} is not a web address; left out" for value in dropped]
    person, refused = _checked_extra(person)
    warnings += [f"{person.where}: {reason}; left out" for reason in refused]
    return person, warnings


def _web_address(text: str) -> str | None:
    """A web address as netvault keeps it; ``linkedin.com/in/x`` gets its https://."""
    url = web_url(text)
    if url is None and "://" not in text and not text.strip().lower().startswith(("javascript:", "data:")):
        url = web_url("https://" + text.strip())
    return url


def _web_addresses(person: Person) -> tuple[Person, list[str]]:
    """The person with only real web addresses (one line, http or https), and
    the values left out: a cell of an export can hold anything."""
    dropped = []
    linkedin = None
    if person.linkedin:
        linkedin = _web_address(person.linkedin)
        if linkedin is None:
            dropped.append(person.linkedin)
    urls = []
    for url in person.urls:
        kept = _web_address(url)
        if kept is None:
            dropped.append(url)
        else:
            urls.append(kept)
    if linkedin == person.linkedin and tuple(urls) == person.urls:
        return person, dropped
    return replace(person, linkedin=linkedin, urls=tuple(urls)), dropped


def _checked_extra(person: Person) -> tuple[Person, list[str]]:
    """The person without the carried values (``X-NETVAULT-CADENCE``, a
    CSV column mapped to ``last_contact``...) that ``netvault set`` would
    refuse, checked by the same code, and the reasons; the values kept are
    written as they came."""
    kept, refused = {}, []
    for name, value in person.extra.items():
        if isinstance(value, str) and name in TYPED_KEYS:
            try:
                typed_value(name, value)
            except ValueProblem as exc:
                refused.append(str(exc))
                continue
        kept[name] = value
    return (person if not refused else replace(person, extra=kept)), refused

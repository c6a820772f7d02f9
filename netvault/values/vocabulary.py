"""The words of the file format and the command line: circles, channels,
netvault's field names, the sort orders of ``list``.

Plain tuples with no imports, so a command's options can name their choices
without loading the reader (a shell completion loads the command's module
and nothing more)."""

from __future__ import annotations

CIRCLES = ("buddy", "strategic", "lukewarm", "cold")
CHANNELS = ("email", "phone", "post", "video", "im", "in-person")
# netvault's fields: what a [fields] entry may name, and the keys it reads by default.
FIELDS = (
    "name", "aliases", "circle", "origin", "org", "role", "email", "phone", "linkedin",
    "channels", "cadence", "last_contact", "priority", "snooze_until", "follow_up",
    "introduced_by", "knows", "goals", "birthday", "tags",
)
SORTS = ("name", "last-contact", "priority")  # netvault list --sort
# Fields whose value is a list ([a, b]; one value is read as a list of one).
LIST_KEYS = ("aliases", "channels", "goals", "tags", "knows")

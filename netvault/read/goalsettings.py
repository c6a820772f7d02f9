"""``[goals.NAME]`` in ``netvault.toml``: where the user wants to go, and the
contacts' ``goals:`` references to it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..values.problems import WARNING, Problem
from .vaultfile import CONFIG_NAME

# What a person can do for a goal: work where you want to be, create the
# jobs there (or know when one is created), or have made the same move.
GOAL_PARTS = ("works-there", "creates-jobs", "made-the-move")
GOAL_KEYS = ("note", "org", "role")
_GOAL_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Goal:
    """``[goals.NAME]``: where you want to go; every field optional."""

    name: str
    org: str | None = None  # a contact whose org is this works there
    role: str | None = None
    note: str | None = None
    line: int | None = None


def parse_goal_ref(text: str) -> tuple[str, str | None]:
    """A contact's ``goals:`` item: ``move-to-product`` or
    ``move-to-product/works-there`` -> (goal name, part or None).

    A suffix that is not a part stays in the name (``career/2026`` is a
    free tag), so ``check`` can say that no such goal is defined."""
    cleaned = text.strip()
    head, slash, tail = cleaned.rpartition("/")
    if slash and tail.strip().casefold() in GOAL_PARTS:
        return head.strip().casefold(), tail.strip().casefold()
    return cleaned.casefold(), None


def goal_reference_problems(contacts, config) -> list[Problem]:
    """Warnings for contacts' goals that [goals] does not define.

    Only when the vault has a [goals] section: without one, goals are free
    tags.  ``contacts`` are :class:`netvault.read.model.Contact` values."""
    if config.goals is None:
        return []
    defined = sorted(config.goals)
    listed = ", ".join(defined[:10]) + (", ..." if len(defined) > 10 else "") or "none"
    problems = []
    for contact in contacts:
        label = contact.keys.get("goals", "goals")
        for ref in contact.goals:
            name, _ = parse_goal_ref(ref)
            if name in config.goals:
                continue
            head = name.rpartition("/")[0]
            if head in config.goals:
                message = (
                    f"{label}: {ref!r}: the part after '/' must be one of "
                    + ", ".join(GOAL_PARTS)
                )
            else:
                message = (
                    f"{label}: {ref!r} is not a goal in {CONFIG_NAME} (defined: {listed}); "
                    f"add [goals.{name}] there or fix the name"
                )
            problems.append(Problem(contact.path, contact.lines.get("goals"), WARNING, message))
    return problems


def goal_entry(
    name: str, value, lines: dict[tuple[str, str | None], int], goals: dict[str, Goal], problem
) -> None:
    """One ``[goals.NAME]`` table: org, role and note, each a text."""
    line = lines.get((name, None))
    if not _GOAL_NAME.match(name):
        problem(
            f"[goals] {name!r}: a goal's name is written with lower-case letters, digits "
            "and hyphens, e.g. [goals.move-to-product]",
            line,
        )
        return
    if not isinstance(value, dict):
        problem(f"goals.{name} must be a section [goals.{name}] with org, role or note", line)
        return
    found: dict[str, str] = {}
    for key, item in value.items():
        where = lines.get((name, key), line)
        if key not in GOAL_KEYS:
            problem(
                f"unknown key '{key}' in [goals.{name}]; known keys: " + ", ".join(GOAL_KEYS),
                where,
            )
            continue
        one_line = key != "note"
        if (
            not isinstance(item, str)
            or not item.strip()
            or (one_line and ("\n" in item or "\r" in item))
        ):
            kind = "a non-empty one-line text" if one_line else "a non-empty text"
            problem(f"[goals.{name}] {key} must be {kind}", where)
            continue
        found[key] = item.strip()
    goals[name] = Goal(name, found.get("org"), found.get("role"), found.get("note"), line)

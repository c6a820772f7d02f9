"""Goals: who you know for a goal, by what they can do for it.

A goal is a ``[goals.NAME]`` table in ``netvault.toml`` (org, role, note)
or, in a vault without ``[goals]``, just a name that contacts carry.  A
contact's ``goals:`` item is ``NAME`` or ``NAME/PART``, the part being what
the person can do for you: work there (``works-there``), create the jobs
(``creates-jobs``) or have made the same move (``made-the-move``).  Anyone
whose ``org`` is the goal's org works there, listed or not, unless their
file says which part they play.

Pure functions of the vault and ``today``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..read.goalsettings import GOAL_PARTS, Goal, parse_goal_ref
from ..read.model import Contact, Vault
from ..values.names import fold
from .due import OVERDUE, DueInfo, compute_due

# Not talked to "in a while": overdue, never, or longer ago than this.
STALE_DAYS = 90
WARMTH = {"buddy": 0, "strategic": 1, "lukewarm": 2, "cold": 3}

FROM_GOALS = "goals"  # the part is written on the contact
FROM_ORG = "org"  # inferred: the contact's org is the goal's


@dataclass(frozen=True)
class GoalMember:
    contact: Contact
    part: str | None  # one of GOAL_PARTS; None: listed for the goal, part not known
    part_from: str  # FROM_GOALS or FROM_ORG
    listed: bool  # the goal is in the contact's goals:
    due: DueInfo
    stale: bool
    days_since: int | None  # days since the last contact; None: never


@dataclass(frozen=True)
class GoalView:
    name: str
    goal: Goal | None  # None: not defined in netvault.toml (a free tag)
    parts: dict[str, tuple[GoalMember, ...]]  # every part of GOAL_PARTS, maybe empty
    unsorted: tuple[GoalMember, ...]  # listed for the goal, part not known
    stale: tuple[GoalMember, ...]  # one per person, longest silence first

    @property
    def empty_parts(self) -> tuple[str, ...]:
        return tuple(part for part in GOAL_PARTS if not self.parts[part])

    @property
    def people(self) -> int:
        members = [m for ms in self.parts.values() for m in ms] + list(self.unsorted)
        return len({m.contact.path for m in members})


def goal_names(vault: Vault) -> list[str]:
    """Every goal: those [goals] defines and those contacts carry, sorted."""
    names = set(vault.config.goals or ())
    for contact in vault.contacts:
        names.update(parse_goal_ref(ref)[0] for ref in contact.goals)
    names.discard("")
    return sorted(names)


def find_goal(vault: Vault, name: str) -> str | None:
    """The goal ``name`` means (case-insensitively), or None."""
    wanted = name.strip().casefold()
    return wanted if wanted in goal_names(vault) else None


def goal_view(vault: Vault, name: str, today: date) -> GoalView:
    goal = (vault.config.goals or {}).get(name)
    org = fold(goal.org) if goal and goal.org else None
    parts: dict[str, list[GoalMember]] = {part: [] for part in GOAL_PARTS}
    unsorted: list[GoalMember] = []
    for contact in vault.contacts:
        refs = [parse_goal_ref(ref) for ref in contact.goals]
        listed = any(goal_name == name for goal_name, _ in refs)
        written = sorted(
            {part for goal_name, part in refs if goal_name == name and part},
            key=GOAL_PARTS.index,
        )
        at_org = org is not None and contact.org is not None and fold(contact.org) == org
        if not (listed or at_org):
            continue
        due = compute_due(
            contact, vault.config, today, interactions=vault.interactions.get(contact.path, ())
        )
        since = (today - due.last_contact).days if due.last_contact else None
        stale = due.status == OVERDUE or since is None or since > STALE_DAYS

        facts = (listed, due, stale, since)
        if written:
            for part in written:
                parts[part].append(GoalMember(contact, part, FROM_GOALS, *facts))
        elif at_org:
            parts["works-there"].append(GoalMember(contact, "works-there", FROM_ORG, *facts))
        else:
            unsorted.append(GoalMember(contact, None, FROM_GOALS, *facts))
    everyone = {m.contact.path: m for ms in [*parts.values(), unsorted] for m in ms}
    stale = sorted(
        (m for m in everyone.values() if m.stale),
        key=lambda m: (m.due.last_contact or date.min, _name_key(m)),
    )
    return GoalView(
        name,
        goal,
        {part: tuple(sorted(ms, key=_warmest)) for part, ms in parts.items()},
        tuple(sorted(unsorted, key=_warmest)),
        tuple(stale),
    )


def all_goals(vault: Vault, today: date) -> list[GoalView]:
    return [goal_view(vault, name, today) for name in goal_names(vault)]


def _name_key(member: GoalMember) -> tuple[str, str]:
    return (member.contact.name.casefold(), member.contact.path)


def _warmest(member: GoalMember) -> tuple:
    return (WARMTH.get(member.contact.circle or "", len(WARMTH)), *_name_key(member))

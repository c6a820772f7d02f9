"""Problems are values: every stage returns them, one formatter prints them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in the vault, tied to a file and, where known, a line.

    ``path`` is relative to the vault root and ``/`` separated.
    """

    path: str
    line: int | None
    severity: str
    message: str

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
        }


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Stable, diff-friendly order: by path, then line (file-level first)."""
    return sorted(
        set(problems),
        key=lambda p: (p.path, p.line or 0, p.severity, p.message),
    )


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    return any(p.severity == ERROR or strict for p in problems)

"""Problems are values: every stage returns them, one formatter prints them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"

# What a terminal obeys rather than shows (C0, DEL, C1: colours, titles,
# cursor moves), the bidi overrides and isolates that reorder the rest of a
# line on screen, and lone surrogates, which cannot be written as UTF-8 at all.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BREAKS = "\t\n\v\f\r"


def printable(text: str) -> str:
    """``text`` on one line with nothing a terminal or browser would act on.

    Line breaks and tabs become spaces; every other control, bidi override or
    lone surrogate is shown as a Python-style escape (``\\x1b``, ``\\u202e``), so
    the user can see that the file holds one and find it.
    """
    if text.isprintable():  # the common case, and fast: nothing to escape
        return text
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _BREAKS:
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
        """``path:line: severity: message``, one line, safe to print."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return printable(f"{where}: {self.severity}: {self.message}")

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

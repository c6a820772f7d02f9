"""Why an edit was refused: every write path raises these, and the command
line turns them into one clear message and a non-zero exit."""

from __future__ import annotations

from pathlib import Path


class EditError(Exception):
    """The file cannot be edited safely; ``line`` is 1-based in the file, or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path: Path | None = None  # which file, when several are edited

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


class ConflictError(EditError):
    """The file changed on disk between netvault's read and its write."""


class PartialWrite(EditError):
    """Some files of a multi-file edit were written before one failed."""

    def __init__(self, message: str, written: list[Path], failed: Path) -> None:
        super().__init__(message)
        self.written = written
        self.failed = failed
        self.path = failed

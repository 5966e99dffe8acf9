"""Errors raised while loading a problem from disk."""

from __future__ import annotations

from pathlib import Path


class ProblemFormatError(ValueError):
    """A problem directory is missing or malformed. Carries the offending path so a user
    sees which file to fix, not just what is wrong."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

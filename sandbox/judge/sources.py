"""Reading checker and interactor source files that a problem directory refers to."""

from __future__ import annotations

from pathlib import Path

from sandbox.judge.errors import ProblemFormatError


def resolve_inside(root: Path, relative: str, what: str) -> Path:
    """`root/relative`, refusing paths that escape the problem directory."""
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise ProblemFormatError(root / relative, f"{what} path escapes the problem directory")
    return candidate


def read_source(root: Path, relative: str, what: str) -> str:
    """The text of a checker/interactor source, with a clear error when it is absent."""
    path = resolve_inside(root, relative, what)
    if not path.is_file():
        raise ProblemFormatError(root / relative, f"{what} source file not found")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return path.read_text(encoding="latin-1")

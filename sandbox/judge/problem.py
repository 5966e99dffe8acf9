"""Problems: the pydantic model and `load_problem`, which recognises a directory's format.

Formats: cpforge's own (`problem.json` + `tests/NAME.in|out`, see `cpforge_format`) and
Codeforces Polygon packages (`problem.xml`, see `polygon`)."""

from __future__ import annotations

from pathlib import Path

from sandbox.judge.formats.cpforge import PROBLEM_FILE, ProblemConfig, load_cpforge_problem, natural_key
from sandbox.judge.errors import ProblemFormatError
from sandbox.judge.model import FileIO, InputMode, InteractorSpec, JudgeProblem, TestCase
from sandbox.judge.formats.polygon import PROBLEM_XML, load_polygon_problem


def load_problem(path: Path | str) -> JudgeProblem:
    """Load a problem from a directory (or its problem.json / problem.xml file). Test data
    stays on disk and is read per test. Raises ProblemFormatError with the offending path."""
    root = Path(path)
    if root.is_file() and root.name in (PROBLEM_FILE, PROBLEM_XML):
        root = root.parent
    if not root.exists():
        raise ProblemFormatError(root, "no such problem directory")
    if not root.is_dir():
        raise ProblemFormatError(root, f"not a directory (expected one holding {PROBLEM_FILE} "
                                       f"or {PROBLEM_XML})")
    if (root / PROBLEM_FILE).is_file():
        return load_cpforge_problem(root)
    if (root / PROBLEM_XML).is_file():
        return load_polygon_problem(root)
    raise ProblemFormatError(root, f"not a problem directory: neither {PROBLEM_FILE} "
                                   f"(cpforge) nor {PROBLEM_XML} (Polygon) found")


__all__ = ["FileIO", "InputMode", "InteractorSpec", "JudgeProblem", "ProblemConfig",
           "ProblemFormatError", "TestCase", "load_problem", "natural_key"]

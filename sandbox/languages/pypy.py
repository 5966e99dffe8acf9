"""PyPy 3, run like CPython (`python.py`) in a clean interpreter."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.languages.base import PromptHint
from sandbox.languages.python import PythonLanguage, python_language


@dataclass(frozen=True)
class PyPyLanguage(PythonLanguage):
    def version_line(self, output: str) -> str:
        """PyPy's own version is on the second line ("Python 3.9.16 (7.3.11...)" then
        "[PyPy 7.3.11 with GCC 12.2.0]"): both lines, joined."""
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        return " ".join(lines[:2]) if lines else self.name


PYPY3 = python_language(
    PyPyLanguage, "pypy3", ("-S", "-E", "-s", "-B"), "pypy",
    id="pypy3",
    name="PyPy 3",
    extensions=(),
    aliases=("pypy", "pypy3.9"),
    packages=("pypy3",),
    prompt=PromptHint("pypy3", "Python 3 (run with PyPy)", "python", "input() or sys.stdin", "print() or sys.stdout"),
)

PROVIDES = (PYPY3,)

"""PyPy 3, run like CPython (`python.py`) in a clean interpreter."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.languages.base import PromptHint
from sandbox.languages.python import SOURCE, PythonLanguage, self_test, syntax_check


@dataclass(frozen=True)
class PyPyLanguage(PythonLanguage):
    def version_line(self, output: str) -> str:
        """PyPy's own version is on the second line ("Python 3.9.16 (7.3.11...)" then
        "[PyPy 7.3.11 with GCC 12.2.0]"): both lines, joined."""
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        return " ".join(lines[:2]) if lines else self.name


PYPY3 = PyPyLanguage(
    id="pypy3",
    name="PyPy 3",
    source_name=SOURCE,
    extensions=(),
    compile_argv=syntax_check("pypy3", "-S", "-E", "-s", "-B"),
    artifacts=(),
    version_argv=("pypy3", "--version"),
    aliases=("pypy", "pypy3.9"),
    memory_error_markers=(b"MemoryError",),
    process_limit_markers=(b"can't start new thread",),
    interpreter="pypy3",
    clean_flags=("-S", "-E", "-s", "-B"),
    family="python",
    packages=("pypy3",),
    self_test=self_test("pypy"),
    interpreted=True,
    line_comment="#",
    prompt=PromptHint("pypy3", "Python 3 (run with PyPy)", "python", "input() or sys.stdin", "print() or sys.stdout"),
)

PROVIDES = (PYPY3,)

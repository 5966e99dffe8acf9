"""CPython and PyPy. Solutions run in a clean interpreter: no site (8 ms start-up instead of
36 ms here), no user site-packages, no PYTHON* variables, no bytecode written."""

from __future__ import annotations

from dataclasses import dataclass

from ..limits import Limits
from .base import Language

SOURCE = "sol.py"


@dataclass(frozen=True)
class PythonLanguage(Language):
    interpreter: str = "python3"
    clean_flags: tuple[str, ...] = ("-I", "-S", "-B")

    def run_command(self, entry: str, limits: Limits) -> list[str]:
        return [self.interpreter, *self.clean_flags, entry]

    def executable_files(self, source_file: str, source: bytes, artifacts: dict[str, bytes],
                         extra_files: dict[str, bytes] | None = None) -> dict[str, bytes]:
        return {**(extra_files or {}), source_file: source}


PYTHON3 = PythonLanguage(
    id="python3",
    name="Python 3 (CPython)",
    source_name=SOURCE,
    extensions=(".py",),
    # A syntax check, so that a syntax error is a compile error as on Codeforces.
    compile_argv=("python3", "-I", "-S", "-B", "-c",
                  "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')", SOURCE),
    artifacts=(),
    version_argv=("python3", "--version"),
    aliases=("python", "py", "py3", "cpython"),
    memory_error_markers=(b"MemoryError",),
    process_limit_markers=(b"can't start new thread",),
)

PYPY3 = PythonLanguage(
    id="pypy3",
    name="PyPy 3",
    source_name=SOURCE,
    extensions=(),
    compile_argv=("pypy3", "-S", "-E", "-s", "-B", "-c",
                  "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')", SOURCE),
    artifacts=(),
    version_argv=("pypy3", "--version"),
    aliases=("pypy", "pypy3.9"),
    memory_error_markers=(b"MemoryError",),
    process_limit_markers=(b"can't start new thread",),
    interpreter="pypy3",
    clean_flags=("-S", "-E", "-s", "-B"),
)

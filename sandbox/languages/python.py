"""CPython (and the interpreter class PyPy shares, `pypy.py`). Solutions run in a clean
interpreter: no site (8 ms start-up instead of 36 ms here), no user site-packages, no
PYTHON* variables, no bytecode written. "Compiling" is a syntax check, so that a syntax
error is a compile error as on Codeforces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.limits import Limits
from sandbox.languages.base import Language, PromptHint, SelfTest

SOURCE = "sol.py"


def syntax_check(interpreter: str, *flags: str) -> tuple[str, ...]:
    """The compile step: the interpreter compiles the source without running it."""
    return (interpreter, *flags, "-c",
            "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')", SOURCE)


def self_test(implementation: str) -> SelfTest:
    """A+B that also prints which interpreter ran it and whether it ran without site."""
    return SelfTest(
        source="import sys\n"
               "a, b = map(int, sys.stdin.read().split())\n"
               "print(a + b, sys.implementation.name, sys.flags.no_site)\n",
        stdout=f"1000000000002 {implementation} 1\n".encode(),
    )


@dataclass(frozen=True)
class PythonLanguage(Language):
    interpreter: str = "python3"
    clean_flags: tuple[str, ...] = ("-I", "-S", "-B")

    def run_command(self, entry: str, limits: Limits) -> list[str]:
        return [self.interpreter, *self.clean_flags, entry]

    def executable_files(self, source_file: str, source: bytes, artifacts: dict[str, bytes],
                         extra_files: dict[str, bytes] | None = None) -> dict[str, bytes]:
        return {**(extra_files or {}), source_file: source}


def python_language(cls: type[PythonLanguage], interpreter: str, clean_flags: tuple[str, ...],
                    implementation: str, **fields: Any) -> PythonLanguage:
    """A Python implementation run as `interpreter *clean_flags sol.py`, with a syntax check
    as its compile step; what every Python shares is set here once."""
    return cls(interpreter=interpreter, clean_flags=clean_flags, source_name=SOURCE,
               compile_argv=syntax_check(interpreter, *clean_flags), artifacts=(),
               version_argv=(interpreter, "--version"), memory_error_markers=(b"MemoryError",),
               process_limit_markers=(b"can't start new thread",), family="python",
               self_test=self_test(implementation), interpreted=True, line_comment="#",
               zygote_command=(interpreter, *clean_flags), **fields)


PYTHON3 = python_language(
    PythonLanguage, "python3", ("-I", "-S", "-B"), "cpython",
    id="python3",
    name="Python 3 (CPython)",
    extensions=(".py",),
    aliases=("python", "py", "py3", "cpython"),
    packages=("python3",),
    prompt=PromptHint("python", "Python 3", "python", "input() or sys.stdin", "print() or sys.stdout"),
)

PROVIDES = (PYTHON3,)

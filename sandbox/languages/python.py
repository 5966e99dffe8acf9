"""CPython (and the interpreter class PyPy shares, `pypy.py`). Solutions run in a clean
interpreter: no site (8 ms start-up instead of 36 ms here), no user site-packages, no
PYTHON* variables, no bytecode written. "Compiling" is a syntax check, so that a syntax
error is a compile error as on Codeforces."""

from __future__ import annotations

from dataclasses import dataclass

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
        stdin=b"1000000000000 2\n",
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


PYTHON3 = PythonLanguage(
    id="python3",
    name="Python 3 (CPython)",
    source_name=SOURCE,
    extensions=(".py",),
    compile_argv=syntax_check("python3", "-I", "-S", "-B"),
    artifacts=(),
    version_argv=("python3", "--version"),
    aliases=("python", "py", "py3", "cpython"),
    memory_error_markers=(b"MemoryError",),
    process_limit_markers=(b"can't start new thread",),
    family="python",
    packages=("python3",),
    self_test=self_test("cpython"),
    interpreted=True,
    line_comment="#",
    prompt=PromptHint("python", "Python 3", "python", "input() or sys.stdin", "print() or sys.stdout"),
)

PROVIDES = (PYTHON3,)

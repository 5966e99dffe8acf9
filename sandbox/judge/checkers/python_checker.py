"""open-r1's `generated_checker` convention, as pure functions.

open-r1 (`packages/codeforces/.../run`) writes the checker source to `checker.py` and runs
`python3 checker.py <input> correct_output.txt <solution_output>` (note the order: input,
answer, output; unlike testlib's input, output, answer) with a 10 s timeout. The test passes
when the checker's stdout is `1` or `100`.

Where cpforge departs on purpose: open-r1 counts a crashing or silent checker as a failed
test; cpforge reports FAIL (a judge error) unless the spec sets `crash_as_wa`, because an
infrastructure fault must not look like a wrong answer."""

from __future__ import annotations

import re
import signal as signals
from typing import Literal

from pydantic import Field

from sandbox.result import RunResult, Verdict
from sandbox.judge.checkers.base import CheckerOutcome, clip, fail, ok, wa
from sandbox.judge.checkers.interface import ProgramSpec
from sandbox.judge.checkers.invocation import CheckerInvocation
from sandbox.judge.checkers.program import ProgramChecker
from sandbox.judge.checkers.registry import register

CHECKER_FILE = "checker.py"
INPUT_FILE = "input.txt"
ANSWER_FILE = "correct_output.txt"
OUTPUT_FILE = "solution_output.txt"
PASS_VALUES = ("1", "100")

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class PythonCheckerSpec(ProgramSpec):
    """open-r1's `generated_checker` convention: `python3 checker.py input answer output`,
    verdict on stdout (`1` or `100` passes). `crash_as_wa` reproduces open-r1, which counts a
    crashing checker as a failed test; by default a crash is a judge error (FAIL)."""

    type: Literal["python"] = "python"
    source: str = "checker.py"
    time_limit: float = Field(default=10.0, gt=0)
    crash_as_wa: bool = False


def build_python_checker_invocation(spec: PythonCheckerSpec | str, input: bytes,
                                    output: bytes, answer: bytes) -> CheckerInvocation:
    """Files and arguments for `python3 checker.py input.txt correct_output.txt
    solution_output.txt`. `spec` may be the source text itself."""
    if isinstance(spec, str):
        spec = PythonCheckerSpec(code=spec)
    if spec.code is None:
        raise ValueError(f"python checker {spec.source!r} has no code loaded")
    return CheckerInvocation(
        files={CHECKER_FILE: spec.code.encode("utf-8"), INPUT_FILE: input,
               ANSWER_FILE: answer, OUTPUT_FILE: output},
        args=[CHECKER_FILE, INPUT_FILE, ANSWER_FILE, OUTPUT_FILE],
        time_limit=spec.time_limit)


def _text(data: bytes | str) -> str:
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data


def parse_python_checker_result(exit_code: int | None, stdout: bytes | str = b"",
                                stderr: bytes | str = b"", *, signal: int | None = None,
                                timed_out: bool = False, crash_as_wa: bool = False,
                                ) -> CheckerOutcome:
    """Interpret one run of an open-r1 style checker."""
    out = _text(stdout).strip()
    err = _text(stderr).strip()
    broken = _broken_reason(exit_code, signal, timed_out)
    if broken is not None:
        detail = f": {clip(err or out, 1000)}" if (err or out) else ""
        message = f"checker {broken}{detail}"
        return wa(message) if crash_as_wa else fail(message)
    if out in PASS_VALUES:
        return ok(err)
    if _NUMBER.fullmatch(out):
        return wa(err or f"checker printed {out}")
    message = f"checker printed no verdict (expected 1 or 100 to pass): {clip(out, 200)!r}"
    return wa(message) if crash_as_wa else fail(message)


def _broken_reason(exit_code: int | None, signal: int | None, timed_out: bool) -> str | None:
    if timed_out:
        return "timed out"
    if signal is None and exit_code is not None and exit_code < 0:
        signal = -exit_code
    if signal is not None:
        try:
            return f"killed by {signals.Signals(signal).name}"
        except ValueError:
            return f"killed by signal {signal}"
    if exit_code is None:
        return "did not report an exit code"
    if exit_code != 0:
        return f"exited with code {exit_code}"
    return None


class PythonChecker(ProgramChecker[PythonCheckerSpec]):
    """An open-r1 checker, compiled (byte-checked) as a python3 program and run per test."""

    def source(self) -> tuple[str, str]:
        return self.spec.code or "", "python3"

    def invocation(self, input: bytes, output: bytes, answer: bytes) -> CheckerInvocation:
        invocation = build_python_checker_invocation(self.spec, input, output, answer)
        # The compiled program *is* checker.py: its arguments start at the input, so
        # sys.argv[1:4] are input, correct output, solution output as in open-r1.
        return invocation.model_copy(update={"args": invocation.args[1:]})

    def parse(self, run: RunResult) -> CheckerOutcome:
        return parse_python_checker_result(run.exit_code, run.stdout, run.stderr, signal=run.signal,
                                           timed_out=run.status is Verdict.TLE,
                                           crash_as_wa=self.spec.crash_as_wa)


register(PythonCheckerSpec, PythonChecker)

__all__ = ["CHECKER_FILE", "PythonChecker", "PythonCheckerSpec", "build_python_checker_invocation",
           "parse_python_checker_result"]

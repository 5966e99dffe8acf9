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

from .base import CheckerOutcome, clip, fail, ok, wa
from .invocation import CheckerInvocation
from .specs import PythonCheckerSpec

CHECKER_FILE = "checker.py"
INPUT_FILE = "input.txt"
ANSWER_FILE = "correct_output.txt"
OUTPUT_FILE = "solution_output.txt"
PASS_VALUES = ("1", "100")

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


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


__all__ = ["CHECKER_FILE", "build_python_checker_invocation",
           "parse_python_checker_result"]

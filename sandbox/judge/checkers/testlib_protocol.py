"""The testlib checker protocol, as pure functions: the files and argv a checker needs
(`checker input output answer`), and how to read its exit status and message.

Exit codes: 0 OK, 1 WA, 2 PE (WA in a summary), 3 FAIL (a judge error, never WA), 7 partial
with `points N` in the message (DMOJ's testlib contrib convention). Anything else, including
a crash, a signal or a timeout, is FAIL: a broken checker must not blame the contestant."""

from __future__ import annotations

import math
import re
import signal as signals
from typing import Literal

from pydantic import Field

from sandbox.result import RunResult, Verdict
from sandbox.judge.checkers.base import CheckerOutcome, clip, fail, ok, partial, pe, wa
from sandbox.judge.checkers.interface import ProgramSpec
from sandbox.judge.checkers.invocation import CheckerInvocation
from sandbox.judge.checkers.program import ProgramChecker
from sandbox.judge.checkers.registry import register

INPUT_FILE = "input.txt"
OUTPUT_FILE = "output.txt"
ANSWER_FILE = "answer.txt"

EXIT_OK, EXIT_WA, EXIT_PE, EXIT_FAIL, EXIT_POINTS = 0, 1, 2, 3, 7

_OUTCOME_BY_EXIT = {EXIT_OK: ok, EXIT_WA: wa, EXIT_PE: pe, EXIT_FAIL: fail}

# Prefixes testlib writes before the checker's own text; stripped from kept messages.
_PREFIXES = ("wrong output format ", "wrong answer ", "partially correct ", "points ",
             "FAIL ", "ok ")
_PREFIX_BY_VERDICT = {Verdict.AC: "ok", Verdict.WA: "wrong answer", Verdict.JUDGE_ERROR: "FAIL"}
_POINTS = re.compile(r"^\s*points\s+([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)[ \t]*(.*)$",
                     re.MULTILINE)


class ProgramCheckerSpec(ProgramSpec):
    """A compiled checker speaking the testlib protocol: `checker input output answer`.
    `source` is a path relative to the problem directory; `code` is its text, filled in by
    `load_problem` (or given directly when a problem is built in memory)."""

    type: Literal["program"] = "program"
    language: str | None = None
    time_limit: float | None = Field(default=None, gt=0)
    memory_limit: int | None = Field(default=None, gt=0)


def build_testlib_invocation(input: bytes, output: bytes, answer: bytes,
                             time_limit: float | None = None) -> CheckerInvocation:
    """Files and arguments for `checker input.txt output.txt answer.txt`.
    A missing answer must be handled before (it is FAIL without running anything)."""
    return CheckerInvocation(
        files={INPUT_FILE: input, OUTPUT_FILE: output, ANSWER_FILE: answer},
        args=[INPUT_FILE, OUTPUT_FILE, ANSWER_FILE],
        time_limit=time_limit)


def _text(data: bytes | str) -> str:
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data


def checker_message(stdout: bytes | str = b"", stderr: bytes | str = b"") -> str:
    """The checker's message: testlib writes it to stderr; fall back to stdout."""
    text = _text(stderr).strip() or _text(stdout).strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return clip(text[len(prefix):].strip())
        if text == prefix.strip():
            return ""
    return clip(text)


def parse_testlib_result(exit_code: int | None, stdout: bytes | str = b"",
                         stderr: bytes | str = b"", *, signal: int | None = None,
                         timed_out: bool = False, max_points: float | None = None,
                         ) -> CheckerOutcome:
    """Interpret one checker run. `exit_code` may be negative (Python's convention for a
    signal); `max_points`, when given, bounds a partial score."""
    raw = _text(stderr).strip() or _text(stdout).strip()
    detail = f" (checker said: {clip(raw, 500)})" if raw else ""
    if timed_out:
        return fail(f"checker timed out{detail}")
    if signal is None and exit_code is not None and exit_code < 0:
        signal = -exit_code
    if signal is not None:
        return fail(f"checker killed by {_signal_name(signal)}{detail}")
    if exit_code is None:
        return fail(f"checker did not report an exit code{detail}")
    if exit_code == EXIT_POINTS:
        return _partial(raw, max_points)
    outcome = _OUTCOME_BY_EXIT.get(exit_code)
    if outcome is None:
        return fail(f"checker exited with unexpected code {exit_code}{detail}")
    message = checker_message(stdout, stderr)
    if exit_code == EXIT_FAIL:
        message = f"checker failed: {message}" if message else "checker failed"
    return outcome(message)


def _partial(raw: str, max_points: float | None) -> CheckerOutcome:
    match = _POINTS.search(raw)
    if match is None:
        return fail(f"checker exited 7 (partial) without a 'points N' line: {clip(raw, 500)!r}")
    points = float(match.group(1))
    if not math.isfinite(points) or points < 0:
        return fail(f"checker reported invalid points {match.group(1)}")
    if max_points is not None and points > max_points:
        return fail(f"checker reported {points:g} points, more than the maximum {max_points:g}")
    rest = (match.group(2) or "").strip()
    others = (raw[:match.start()] + raw[match.end():]).strip()
    message = " ".join(part for part in (rest, others) if part)
    return partial(points, message)


def _signal_name(number: int) -> str:
    try:
        return f"signal {number} ({signals.Signals(number).name})"
    except ValueError:
        return f"signal {number}"


def format_testlib_message(outcome: CheckerOutcome) -> str:
    """The line testlib itself would print for this outcome (`ok 4 tokens`), used to
    compare built-in checkers with testlib's recorded messages."""
    prefix = "wrong output format" if outcome.presentation else _PREFIX_BY_VERDICT[outcome.verdict]
    if outcome.partial:
        prefix = f"points {outcome.points:g}"
    return f"{prefix} {outcome.message}" if outcome.message else prefix


class TestlibChecker(ProgramChecker[ProgramCheckerSpec]):
    """A testlib-protocol checker program (C++ by default), run on each test."""

    __test__ = False  # not a pytest class, despite the name

    def source(self) -> tuple[str, str]:
        return self.spec.code or "", self.spec.language or "cpp17"

    def invocation(self, input: bytes, output: bytes, answer: bytes) -> CheckerInvocation:
        invocation = build_testlib_invocation(input, output, answer, self.spec.time_limit)
        return invocation.model_copy(update={"memory_limit": self.spec.memory_limit})

    def parse(self, run: RunResult) -> CheckerOutcome:
        return parse_testlib_result(run.exit_code, run.stdout, run.stderr, signal=run.signal,
                                    timed_out=run.status is Verdict.TLE)


register(ProgramCheckerSpec, TestlibChecker)

"""What a grader is: it turns one test into one `TestResult` for one compiled submission.
The judge picks the grader for the problem (batch or interactive) and hands it the
prepared parts; a grader owns how the program meets its test, nothing else (compiling,
scheduling, scoring and retries of single runs live elsewhere)."""

from __future__ import annotations

from typing import Any, Callable, Protocol

from sandbox.judge.checkers import CheckContext, Checker, CheckerOutcome
from sandbox.judge.model import TestCase
from sandbox.result import RunResult, TestResult, Verdict

RunProgram = Callable[..., RunResult]
"""`Judge.run`: one sandboxed run of a program, retried once on a sandbox failure."""


class Grader(Protocol):
    def grade(self, test: TestCase) -> TestResult: ...


def measurements(test: TestCase, run: RunResult) -> dict[str, Any]:
    """The fields of a test's result that come from the solution's run."""
    return dict(name=test.name, is_sample=test.is_sample, cpu_time=run.cpu_time, wall_time=run.wall_time,
                memory=run.memory_bytes)


def check(checker: Checker, test: TestCase, input_data: bytes, output: bytes) -> CheckerOutcome:
    return checker.check(CheckContext(input=input_data, output=output, answer=test.read_answer()))


def checked_result(outcome: CheckerOutcome, base: dict[str, Any]) -> TestResult:
    """A checker's word as the test's result: its failure is the judge's (JUDGE_ERROR,
    never WA); partial credit keeps its points."""
    if outcome.judge_error:
        return TestResult(verdict=Verdict.JUDGE_ERROR, message=f"checker failed: {outcome.message}", **base)
    return TestResult(verdict=outcome.verdict, message=outcome.message, points=outcome.points, **base)


__all__ = ["Grader", "RunProgram", "check", "checked_result", "measurements"]

"""Scoring in one place: how test results become a submission's verdict and score. The
judge, the reward server and the dataset pipeline all get their numbers from here, so
`weighted_sum` or `points` cannot mean two things."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from sandbox.result import CompileResult, JudgeResult, RunResult, TestResult, Verdict

ScoreMode = Literal["binary", "pass_rate", "points", "weighted_sum"]


class JudgeOptions(BaseModel):
    """How to judge and score. binary: 1 for AC; pass_rate: passed/total; points: the
    checkers' points (1 per plain AC) over the test count; weighted_sum: open-r1's
    `1[all passed] + 0.1 * passed/total`. Every mode but binary runs every test."""

    model_config = ConfigDict(frozen=True)

    stop_on_first_failure: bool = True
    samples_first: bool = True
    score: ScoreMode = "binary"

    @property
    def stops_early(self) -> bool:
        return self.stop_on_first_failure and self.score == "binary"


_FROM_RUN = {Verdict.TLE: Verdict.TLE, Verdict.MLE: Verdict.MLE, Verdict.RE: Verdict.RE,
             Verdict.OLE: Verdict.OLE, Verdict.SANDBOX_ERROR: Verdict.JUDGE_ERROR}


def test_verdict_of_run(run: RunResult) -> Verdict:
    """A failed run's test verdict: its limit verdict, or JUDGE_ERROR for a sandbox that
    failed (after the retry). Only for runs that did not end OK."""
    return _FROM_RUN[run.status]


def unjudged(verdict: Verdict, message: str, compiled: CompileResult, language: str, total: int) -> JudgeResult:
    """A submission no test ran for: CE, or JUDGE_ERROR when the compile or the problem's
    checker or interactor could not be prepared."""
    return JudgeResult(verdict=verdict, score=0.0, passed=0, total=total, language=language,
                       toolchain=compiled.toolchain, compile=compiled, message=message)


def summarise(results: list[TestResult], compiled: CompileResult, language: str,
              options: JudgeOptions) -> JudgeResult:
    """The submission's verdict is JUDGE_ERROR if any test's was (it says nothing about the
    program), else the first failing test's verdict in judging order, else AC."""
    passed = sum(r.verdict is Verdict.AC for r in results)
    total = len(results)
    errors = [r for r in results if r.verdict is Verdict.JUDGE_ERROR]
    failures = [r for r in results if r.verdict not in (Verdict.AC, Verdict.SKIPPED)]
    if errors:
        verdict, message = Verdict.JUDGE_ERROR, f"test {errors[0].name}: {errors[0].message}"
    elif failures:
        verdict, message = failures[0].verdict, f"test {failures[0].name}: {failures[0].message}"
    else:
        verdict, message = Verdict.AC, ""
    return JudgeResult(verdict=verdict, score=score(options.score, verdict, results), passed=passed,
                       total=total, language=language, toolchain=compiled.toolchain, compile=compiled,
                       tests=results, message=message)


def score(mode: ScoreMode, verdict: Verdict, results: list[TestResult]) -> float:
    total = len(results)
    rate = sum(r.verdict is Verdict.AC for r in results) / total if total else 0.0
    if mode == "pass_rate":
        return rate
    if mode == "weighted_sum":
        return float(verdict is Verdict.AC) + 0.1 * rate
    if mode == "points":
        points = sum(r.points if r.points is not None else float(r.verdict is Verdict.AC) for r in results)
        return points / total if total else 0.0
    return float(verdict is Verdict.AC)


__all__ = ["JudgeOptions", "ScoreMode", "score", "summarise", "test_verdict_of_run", "unjudged"]

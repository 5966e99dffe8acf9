"""The strength report: its JSON shape (`tpr` and `tnr` at the top level, per-problem and
per-solution detail) and its table for people. Rates are None when there is nothing to
measure them on (no counted correct, or no counted wrong, solution): a problem without
known-wrong solutions has an unknown TNR, not a perfect one."""

from __future__ import annotations

from pydantic import BaseModel


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _show(rate: float | None, hits: int, total: int) -> str:
    return "n/a (0 counted)" if rate is None else f"{rate:.3f} ({hits}/{total})"


class SolutionStrength(BaseModel):
    """One tagged solution's judgement. `caught_on` is the first failing test (for a wrong
    solution: the test that caught it); `time` the slowest test's CPU seconds, `wall` the
    whole judgement's. `note` says how the verdict differs from the tag, if it does."""

    problem: str
    root: str
    source: str
    language: str
    tag: str
    kind: str
    verdict: str
    counted: bool
    passed: bool
    caught_on: str | None
    caught_by: str | None
    tests_run: int
    tests: int
    time: float
    wall: float
    message: str
    note: str | None

    @property
    def slipped(self) -> bool:
        return self.counted and self.kind == "wrong" and self.passed


class Mismatch(BaseModel):
    problem: str
    source: str
    tag: str
    verdict: str
    note: str


class Slipped(BaseModel):
    problem: str
    source: str
    tag: str


def _counts(outcomes: list[SolutionStrength]) -> tuple[int, int, int, int]:
    correct = [o for o in outcomes if o.counted and o.kind == "correct"]
    wrong = [o for o in outcomes if o.counted and o.kind == "wrong"]
    return sum(o.passed for o in correct), len(correct), sum(not o.passed for o in wrong), len(wrong)


class ProblemStrength(BaseModel):
    problem: str
    root: str
    format: str
    tests: int
    testset_hash: str
    tpr: float | None
    tnr: float | None
    correct_passed: int
    correct: int
    wrong_rejected: int
    wrong: int
    slipped_through: list[str]

    @classmethod
    def of(cls, problem: str, root: str, format: str, tests: int, testset_hash: str,
           outcomes: list[SolutionStrength]) -> "ProblemStrength":
        passed, correct, rejected, wrong = _counts(outcomes)
        return cls(problem=problem, root=root, format=format, tests=tests, testset_hash=testset_hash,
                   tpr=_rate(passed, correct), tnr=_rate(rejected, wrong), correct_passed=passed, correct=correct,
                   wrong_rejected=rejected, wrong=wrong, slipped_through=[o.source for o in outcomes if o.slipped])


class StrengthReport(BaseModel):
    """Overall rates over every counted solution of every problem."""

    tpr: float | None
    tnr: float | None
    correct_passed: int
    correct: int
    wrong_rejected: int
    wrong: int
    problems: list[ProblemStrength]
    solutions: list[SolutionStrength]
    slipped_through: list[Slipped]
    mismatched: list[Mismatch]
    judge_errors: int
    seconds: float

    @classmethod
    def of(cls, problems: list[ProblemStrength], outcomes: list[SolutionStrength], seconds: float
           ) -> "StrengthReport":
        passed, correct, rejected, wrong = _counts(outcomes)
        return cls(
            tpr=_rate(passed, correct), tnr=_rate(rejected, wrong), correct_passed=passed, correct=correct,
            wrong_rejected=rejected, wrong=wrong, problems=problems, solutions=outcomes,
            slipped_through=[Slipped(problem=o.problem, source=o.source, tag=o.tag) for o in outcomes if o.slipped],
            mismatched=[Mismatch(problem=o.problem, source=o.source, tag=o.tag, verdict=o.verdict, note=o.note or "")
                        for o in outcomes if o.note is not None],
            judge_errors=sum(o.verdict == "JUDGE_ERROR" for o in outcomes), seconds=seconds)

    def render(self) -> str:
        lines: list[str] = []
        for problem in self.problems:
            tpr = _show(problem.tpr, problem.correct_passed, problem.correct)
            tnr = _show(problem.tnr, problem.wrong_rejected, problem.wrong)
            lines.append(f"{problem.problem} ({problem.format}, {problem.tests} tests, testset "
                         f"{problem.testset_hash[:12]}): TPR {tpr}, TNR {tnr}")
            rows = [o for o in self.solutions if o.problem == problem.problem and o.root == problem.root]
            width = max([len("solution")] + [len(o.source) for o in rows])
            tag_width = max([len("tag")] + [len(o.tag) for o in rows])
            lines.append(f"  {'solution':<{width}}  {'tag':<{tag_width}}  {'verdict':<11} {'caught on':<10} "
                         f"{'cpu s':>6} {'wall s':>7}  note")
            for o in rows:
                caught = f"{o.caught_on}" if o.caught_on is not None else "-"
                lines.append(f"  {o.source:<{width}}  {o.tag:<{tag_width}}  {o.verdict:<11} {caught:<10} "
                             f"{o.time:6.2f} {o.wall:7.2f}  {o.note or ''}")
        lines.append(f"overall: TPR {_show(self.tpr, self.correct_passed, self.correct)}, "
                     f"TNR {_show(self.tnr, self.wrong_rejected, self.wrong)} ({self.seconds:.1f} s)")
        if self.slipped_through:
            lines.append("slipped through (known-wrong, accepted by the tests): "
                         + ", ".join(f"{s.problem}: {s.source} [{s.tag}]" for s in self.slipped_through))
        if self.judge_errors:
            lines.append(f"warning: {self.judge_errors} solution(s) got JUDGE_ERROR: the rates leave them out")
        return "\n".join(lines)

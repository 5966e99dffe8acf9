"""`build-dataset tests strength DIR`: how far a problem's tests can be trusted.

Every known-correct solution (tagged main / accepted) is judged on every test, every
known-wrong one (wrong-answer, time-limit-exceeded, rejected, ...) until its first failing
test. TPR is the share of correct ones that pass (below 1: a wrong test or checker), TNR
the share of wrong ones that fail (below 1: the tests let a wrong solution through, and
the problem's "verified" rows cannot be trusted). A compile error or a judge error says
nothing about the tests, so such solutions are listed but counted in neither rate."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from problems.testsets.errors import TestsetError
from problems.testsets.report import ProblemStrength, SolutionStrength, StrengthReport
from problems.testsets.solutions import TaggedSolution, find_solutions
from sandbox.judge import ProblemFormatError, load_problem
from sandbox.judge.judging import Judge
from sandbox.judge.model import JudgeProblem
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import JudgeResult, Verdict

UNCOUNTED = (Verdict.CE, Verdict.JUDGE_ERROR)


def measure_strength(roots: list[Path], judge: Judge, jobs: int = 2, progress: bool = True) -> StrengthReport:
    """Judges every tagged solution of every problem directory and sums up the rates."""
    from tqdm import tqdm

    started = time.perf_counter()
    loaded: list[tuple[JudgeProblem, list[TaggedSolution]]] = []
    for root in roots:
        try:
            problem = load_problem(root)
        except ProblemFormatError as error:
            raise TestsetError(str(error)) from None
        solutions = find_solutions(problem.root or root)
        if not solutions:
            raise TestsetError(f"{root}: no tagged solutions (problem.xml <solutions>, solutions/*.desc, "
                               "testset.json solutions or solutions/manifest.json)")
        loaded.append((problem, solutions))
    work = [(problem, solution) for problem, solutions in loaded for solution in solutions]
    bar = tqdm(total=len(work), desc="judging tagged solutions", unit="sol", file=sys.stderr,
               disable=not progress, dynamic_ncols=True)

    def judge_one(item: tuple[JudgeProblem, TaggedSolution]) -> SolutionStrength:
        outcome = _judge_solution(judge, *item)
        bar.update(1)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="strength") as pool:
        outcomes = list(pool.map(judge_one, work))
    bar.close()
    problems = [ProblemStrength.of(problem.name, str(problem.root or root), problem.source_format,
                                   len(problem.tests), problem.testset_hash(),
                                   [o for o in outcomes if o.problem == problem.name and o.root == str(problem.root)])
                for root, (problem, _) in zip(roots, loaded)]
    return StrengthReport.of(problems, outcomes, round(time.perf_counter() - started, 3))


def _judge_solution(judge: Judge, problem: JudgeProblem, solution: TaggedSolution) -> SolutionStrength:
    """Correct solutions run every test (every failure is a broken test worth seeing);
    wrong ones stop at the first failure, which is the test that caught them."""
    rule = solution.rule
    options = JudgeOptions(stop_on_first_failure=rule.kind != "correct", samples_first=False)
    started = time.perf_counter()
    result = judge.judge(problem, solution.program.code, solution.program.language, options)
    wall = time.perf_counter() - started
    failed = next((t for t in result.tests if t.verdict not in (Verdict.AC, Verdict.SKIPPED)), None)
    counted = result.verdict not in UNCOUNTED and rule.kind in ("correct", "wrong")
    return SolutionStrength(
        problem=problem.name, root=str(problem.root), source=solution.path, language=solution.program.language,
        tag=solution.tag, kind=rule.kind, verdict=result.verdict.value, counted=counted,
        passed=result.verdict is Verdict.AC, caught_on=failed.name if failed is not None else None,
        caught_by=failed.verdict.value if failed is not None else None,
        tests_run=result.executed, tests=len(problem.tests),
        time=round(max((t.cpu_time for t in result.tests), default=0.0), 3), wall=round(wall, 3),
        message=result.message[:300], note=_note(solution, result))


def _note(solution: TaggedSolution, result: JudgeResult) -> str | None:
    """Why the verdict differs from what the tag promises; None when it confirms it."""
    rule = solution.rule
    verdict = result.verdict
    if rule.confirms(verdict):
        return None
    if verdict is Verdict.CE:
        return "compile error: not counted"
    if verdict is Verdict.JUDGE_ERROR:
        return f"judge error: not counted ({result.message[:120]})"
    if rule.kind == "broken":
        return f"tagged {solution.tag} but compiles ({verdict.value})"
    if rule.kind == "correct":
        return f"tagged {solution.tag} but fails: {verdict.value}"
    if verdict is Verdict.AC:
        return "accepted: slipped through the tests"
    expected = "/".join(sorted(v.value for v in rule.expected or ()))
    return f"rejected, but by {verdict.value} not {expected}"

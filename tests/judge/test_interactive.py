"""Interactive problems on real sandboxed pairs: the solution and a testlib-convention
interactor (tests/judge/data/guess-number) wired stdin-to-stdout, both boxed. Every way a
solution can misbehave must end in a verdict, never a hung judge: those verdicts are in
data/guess-number/solutions/manifest.json (test_expected_verdicts.py); the problem's own
failures and parallel scoring are here."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.judge import InteractorSpec, load_problem
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import Verdict

DATA = Path(__file__).parent / "data"
SOLUTIONS = DATA / "guess-number" / "solutions"
AC = (SOLUTIONS / "ref.cpp").read_text()


@pytest.fixture(scope="module")
def problem():
    return load_problem(DATA / "guess-number")


def test_broken_interactors_are_judge_errors(judge, problem):
    failing = problem.model_copy(update={"interactor": InteractorSpec(
        source="i.cpp", code='#include <cstdio>\nint main(){fprintf(stderr,"bad test");return 3;}')})
    result = judge.judge(failing, AC, "cpp17")
    assert result.verdict is Verdict.JUDGE_ERROR and "bad test" in result.message
    crashing_interactor = InteractorSpec(source="i.cpp", code="int main(){return *(volatile int*)0;}")
    crashing = problem.model_copy(update={"interactor": crashing_interactor})
    assert judge.judge(crashing, AC, "cpp17").verdict is Verdict.JUDGE_ERROR
    uncompilable = problem.model_copy(update={"interactor": InteractorSpec(source="i.cpp", code="int main( {")})
    result = judge.judge(uncompilable, AC, "cpp17")
    assert result.verdict is Verdict.JUDGE_ERROR and "interactor does not compile" in result.message


def test_interactive_scores_and_parallel_submissions(judge, problem):
    from concurrent.futures import ThreadPoolExecutor

    wrong_half = AC.replace('printf("! %lld\\n",lo);', 'printf("! %lld\\n",lo + (n > 100000 && lo % 2));')
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(judge.judge, problem, src, "cpp17", JudgeOptions(score="pass_rate"))
                   for src in (AC, wrong_half, AC + "\n//2", wrong_half + "\n//2")]
        results = [f.result() for f in futures]
    assert [r.verdict for r in results] == [Verdict.AC, Verdict.WA, Verdict.AC, Verdict.WA]
    assert results[1].score == pytest.approx(results[1].passed / results[1].total) and 0 < results[1].score < 1
    assert sum(t.verdict is Verdict.AC for t in results[1].tests) == results[1].passed

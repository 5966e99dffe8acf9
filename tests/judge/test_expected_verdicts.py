"""Every solution under tests/judge/data/<problem>/solutions gets the verdict its manifest
expects from the real judge, like the bundled set (problems/bundled/*/solutions/manifest.json).

A manifest entry is {"file", "language", "expected", "author", "note"} plus an optional
"message": text that must appear in the message of the test that decided the verdict (the
first failing test; for AC, every test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict

from sandbox.judge import load_problem
from sandbox.judge.judging import Judge
from sandbox.result import Verdict

DATA = Path(__file__).parent / "data"
MANIFEST = Path("solutions") / "manifest.json"


class Solution(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    language: Literal["cpp17", "cpp20", "c17", "python3", "pypy3", "java17"]
    expected: Verdict
    author: str
    note: str
    message: str = ""


def manifest(problem: str) -> list[Solution]:
    return [Solution.model_validate(entry) for entry in json.loads((DATA / problem / MANIFEST).read_text())]


PROBLEMS = sorted(path.parent.parent.name for path in DATA.glob(f"*/{MANIFEST}"))
CASES = [(problem, solution) for problem in PROBLEMS for solution in manifest(problem)]


def test_every_problem_and_solution_is_in_a_manifest():
    assert PROBLEMS == sorted(path.parent.name for path in DATA.glob("*/problem.json"))
    for problem in PROBLEMS:
        listed = [solution.file for solution in manifest(problem)]
        on_disk = sorted(p.name for p in (DATA / problem / "solutions").iterdir() if p.name != "manifest.json")
        assert sorted(listed) == on_disk and len(set(listed)) == len(listed), problem


@pytest.mark.parametrize("problem,solution", CASES, ids=[f"{p}/{s.file}" for p, s in CASES])
def test_solution_gets_its_expected_verdict(judge: Judge, need, problem: str, solution: Solution):
    need(solution.language)
    loaded = load_problem(DATA / problem)
    code = (DATA / problem / "solutions" / solution.file).read_text()
    result = judge.judge(loaded, code, solution.language)
    assert result.verdict is solution.expected, (solution.note, result.message)
    if solution.expected is Verdict.CE:
        assert result.compile.diagnostics, "a compile error must say why"
        return
    if solution.expected is Verdict.AC:
        deciding = list(result.tests)
    else:
        deciding = [t for t in result.tests if t.verdict not in (Verdict.AC, Verdict.SKIPPED)][:1]
        assert deciding and deciding[0].verdict.value == solution.expected.value, result.tests
    assert all(solution.message in test.message for test in deciding), [t.message for t in deciding]
    # However a program misbehaves, no test outlives its wall limit (2 x time + 1 s) by much.
    assert all(test.wall_time < 2 * loaded.time_limit + 8 for test in result.tests)

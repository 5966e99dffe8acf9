"""Turning problems, candidates and verdicts into the rows of each config.

Kept apart from the writer so the rows (and a fingerprint of them) can be built without
touching the disk: a resumed run that changes nothing need not rewrite the folder.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from problems.model import Problem
from problems.pipeline.inputs import LoadedProblems
from problems.pipeline.model import Candidate
from problems.pipeline.prompts import DEFAULT_PROMPT_LANGUAGE, statement_prompt
from problems.pipeline.prompts import prompt_language as prompt_language_settings
from problems.pipeline.schema import PROBLEMS_COLUMNS, VERIFIED_COLUMNS
from problems.pipeline.strength import ProblemStrength, strength_by_problem
from problems.pipeline.verify import CandidateOutcome, VerifyReport
from sandbox.judge.checkers import PythonCheckerSpec
from sandbox.judge.formats.verification import decode_test, verification_info_from_problem

__all__ = ["DatasetRows", "build_rows"]


class DatasetRows(BaseModel):
    """Rows of every config, ready for the writer."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    configs: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)

    def fingerprint(self, extra: str = "") -> str:
        """Content hash of every row (plus ``extra``: settings the card reports)."""
        digest = hashlib.sha256(extra.encode())
        for name in sorted(self.configs):
            digest.update(name.encode())
            for row in self.configs[name]:
                digest.update(json.dumps(row, sort_keys=True, default=str).encode())
        return digest.hexdigest()


def verification_info_json(problem: Problem) -> str:
    """The problem in the reward format (``verification_info``), as JSON text."""
    info = verification_info_from_problem(problem.judge_problem(), problem_id=problem.id)
    return json.dumps(info, ensure_ascii=False, sort_keys=True)


def _tests_complete(problem: Problem) -> bool | None:
    """open-r1's ``official_tests_complete`` for the tests in ``official_tests``: the
    source's word when it gave one; a problem directory's tests are its whole test set;
    otherwise (statement samples, say) it is not known."""
    if problem.official_tests_complete is not None:
        return problem.official_tests_complete
    return True if problem.count("directory") else None


def _problem_row(problem: Problem, min_tests: int, candidates: int, accepted: int,
                 prompt_language: str, strength: ProblemStrength | None, weak: bool) -> dict[str, Any]:
    # Every test the verdicts were earned on, in judging order: what open-r1's readers
    # take as the problem's tests (see schema.py).
    official = [decode_test(test) for test in problem.tests]
    checker = problem.checker
    values = {
        **problem.model_dump(), "editorial": problem.editorial, "source": problem.source,
        "testset_size": len(official), "official_tests": official,
        "official_tests_complete": _tests_complete(problem) if official else None,
        "generated_checker": checker.code if isinstance(checker, PythonCheckerSpec) else None,
        "executable": problem.judgeable is None, "generated_tests": 0,
        "checker": json.dumps(checker.model_dump(mode="json", exclude={"code"}), sort_keys=True),
        "test_count": len(problem.tests), "tests_statement": problem.count("statement"),
        "tests_official": problem.count("official"), "tests_generated": problem.count("generated"),
        "tests_directory": problem.count("directory"), "testset_hash": problem.testset_hash,
        "coverage": problem.coverage(min_tests), "candidates": candidates, "accepted": accepted,
        "verified": accepted > 0 and not weak, "strength_tnr": strength.tnr if strength else None,
        "strength_tpr": strength.tpr if strength else None,
        "strength_known_wrong": strength.known_wrong if strength else 0,
        "strength_known_correct": strength.known_correct if strength else 0, "weak_tests": weak,
        "prompt": None, "language": None,
        "verification_info": verification_info_json(problem) if problem.tests else None,
    }
    row = {column: values[column] for column in PROBLEMS_COLUMNS}
    prompt = statement_prompt(row, prompt_language)
    row["prompt"] = prompt
    row["language"] = prompt_language_settings(prompt_language).column if prompt is not None else None
    return row


def _all_row(candidate: Candidate, outcome: CandidateOutcome, duplicate_of: int | None) -> dict[str, Any]:
    result = outcome.result
    key = outcome.key
    return {
        "row": candidate.row, "source": candidate.source, "source_row": candidate.source_row,
        "id": candidate.problem_id, "language": candidate.language, "code": candidate.code,
        "code_hash": candidate.code_hash, "extraction": candidate.extraction, "status": outcome.status,
        "reason": outcome.reason, "verdict": outcome.verdict,
        "score": result.score if result else None, "passed": result.passed if result else None,
        "total": result.total if result else None, "coverage": outcome.coverage,
        "testset_hash": key.testset_hash if key else None, "limits": key.limits if key else None,
        "toolchain": key.toolchain if key else None, "message": result.message if result else None,
        "compile_diagnostics": (result.compile_diagnostics or None) if result else None,
        "tests": [t.model_dump(mode="json", exclude={"points"}) for t in result.tests] if result else [],
        "max_cpu_time": result.max_cpu_time if result else None,
        "max_memory": result.max_memory if result else None,
        "duplicate_of": duplicate_of, "expected": candidate.expected,
        "author": candidate.author,
    }


def _verified_row(problem: Problem, candidate: Candidate, outcome: CandidateOutcome, duplicates: int,
                  min_tests: int, strength: ProblemStrength | None) -> dict[str, Any]:
    result = outcome.result
    assert result is not None and outcome.key is not None
    coverage = problem.coverage(min_tests)
    values = {
        **problem.model_dump(), **candidate.model_dump(), "verdict": result.verdict, "passed": result.passed,
        "total": result.total, "coverage": coverage, "samples_only": coverage == "samples_only",
        "testset_hash": outcome.key.testset_hash, "toolchain": outcome.key.toolchain,
        "max_cpu_time": result.max_cpu_time, "max_memory": result.max_memory, "duplicates": duplicates,
        "test_strength": strength.tnr if strength else None,
    }
    return {column: values[column] for column in VERIFIED_COLUMNS}


def build_rows(loaded: LoadedProblems, candidates: list[Candidate], report: VerifyReport,
               min_tests: int, prompt_language: str = DEFAULT_PROMPT_LANGUAGE,
               min_strength: float | None = None) -> DatasetRows:
    """Rows of ``problems`` (every problem, its ``prompt`` asking for ``prompt_language``,
    its tests' measured strength), ``verified`` (one row per distinct accepted solution of a
    problem, unless the problem's strength is known and below ``min_strength``) and ``all``
    (every candidate row, with its verdict)."""
    strengths = strength_by_problem(zip(candidates, report.outcomes), loaded.resolve)

    def weak(problem_id: str) -> bool:
        tnr = strengths[problem_id].tnr if problem_id in strengths else None
        return min_strength is not None and tnr is not None and tnr < min_strength

    first_with: dict[str, int] = {}
    copies: Counter[str] = Counter()
    per_problem: Counter[str] = Counter()
    accepted_keys: dict[str, set[str]] = {}
    all_rows = []
    verified_rows = []
    for candidate, outcome in zip(candidates, report.outcomes):
        problem = loaded.resolve(candidate.problem_id)
        if problem is not None:
            per_problem[problem.id] += 1
        digest = outcome.key.digest if outcome.key else None
        duplicate_of = first_with.get(digest) if digest else None
        if digest is not None:
            copies[digest] += 1
            first_with.setdefault(digest, candidate.row)
        all_rows.append(_all_row(candidate, outcome, duplicate_of))
        if problem is not None and outcome.verdict == "AC" and duplicate_of is None:
            accepted_keys.setdefault(problem.id, set()).add(digest or "")
            verified_rows.append((problem, candidate, outcome))
    verified = [_verified_row(problem, candidate, outcome, copies[outcome.key.digest], min_tests,
                              strengths.get(problem.id))
                for problem, candidate, outcome in verified_rows if outcome.key is not None and not weak(problem.id)]
    problems = [_problem_row(problem, min_tests, per_problem[problem.id], len(accepted_keys.get(problem.id, ())),
                             prompt_language, strengths.get(problem.id), weak(problem.id))
                for problem in loaded.entries.values()]
    return DatasetRows(configs={"problems": problems, "verified": verified, "all": all_rows})

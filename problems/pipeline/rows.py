"""Turning problems, candidates and verdicts into the rows of each config.

Kept apart from the writer so the rows (and a fingerprint of them) can be built without
touching the disk: a resumed run that changes nothing need not rewrite the folder.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from problems.model import Problem
from problems.pipeline.inputs import LoadedProblems
from problems.pipeline.model import Candidate
from problems.pipeline.prompts import DEFAULT_PROMPT_LANGUAGE, statement_prompt
from problems.pipeline.prompts import prompt_language as prompt_language_settings
from problems.pipeline.schema import PROBLEMS_COLUMNS, VERIFIED_COLUMNS
from problems.pipeline.stats import DatasetStats, StatsBuilder
from problems.pipeline.strength import ProblemStrength, strength_by_problem
from problems.pipeline.store import ResultKey
from problems.pipeline.verify import CandidateOutcome, VerifyReport
from sandbox.judge.checkers import PythonCheckerSpec
from sandbox.judge.formats.verification import decode_test, verification_info_from_problem
from sandbox.result import TestResult

__all__ = ["CONFIGS", "DatasetRows", "build_rows"]


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


def _all_row(candidate: Candidate, outcome: CandidateOutcome, duplicate_of: int | None,
             tests: list[TestResult] | None) -> dict[str, Any]:
    result = outcome.result
    tests = tests if tests is not None else result.tests if result else []
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
        "tests": [t.model_dump(mode="json", exclude={"points"}) for t in tests],
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


CONFIGS = ("problems", "verified", "all")
"""The configs, in the order they are built and written (the stats need ``problems`` first)."""
TestsOf = Callable[[list[ResultKey]], dict[str, list[TestResult]]]
"""Judged candidates' per-test results by digest, read back from the store (`VerdictStore.tests_of`)."""
_TESTS_CHUNK = 1000


class DatasetRows:
    """Rows of every config, built one at a time whenever a config is read (`rows`), so
    neither the rows nor an Arrow table of them is ever held whole: a 10,000-problem run
    reads them twice (once for the fingerprint and the stats, once to write them, and only
    when the fingerprint changed), at a few seconds per pass.

    What is kept is per candidate (which earlier row it duplicates) and per problem (its
    strength, counts): the run's state, not its rows."""

    def __init__(self, loaded: LoadedProblems, candidates: list[Candidate], outcomes: list[CandidateOutcome],
                 tests_of: TestsOf, min_tests: int, prompt_language: str = DEFAULT_PROMPT_LANGUAGE,
                 min_strength: float | None = None) -> None:
        self.loaded, self.candidates, self.outcomes, self.tests_of = loaded, candidates, outcomes, tests_of
        self.min_tests, self.prompt_language, self.min_strength = min_tests, prompt_language, min_strength
        self.strengths = strength_by_problem(zip(candidates, outcomes), loaded.resolve_id)
        self.problem_ids: list[str | None] = [loaded.resolve_id(c.problem_id) for c in candidates]
        self.duplicate_of: list[int | None] = []
        self.copies: Counter[str] = Counter()
        self.per_problem: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        first_with: dict[str, int] = {}
        for candidate, outcome, pid in zip(candidates, outcomes, self.problem_ids):
            if pid is not None:
                self.per_problem[pid] += 1
            digest = outcome.key.digest if outcome.key else None
            duplicate_of = first_with.get(digest) if digest else None
            self.duplicate_of.append(duplicate_of)
            if digest is not None:
                self.copies[digest] += 1
                first_with.setdefault(digest, candidate.row)
                if pid is not None and outcome.verdict == "AC" and duplicate_of is None:
                    self.accepted[pid] += 1

    def weak(self, problem_id: str) -> bool:
        strength = self.strengths.get(problem_id)
        tnr = strength.tnr if strength else None
        return self.min_strength is not None and tnr is not None and tnr < self.min_strength

    def rows(self, config: str) -> Iterator[dict[str, Any]]:
        if config == "problems":
            for problem_id in self.loaded.entries:
                yield _problem_row(self.loaded.entries[problem_id], self.min_tests, self.per_problem[problem_id],
                                   self.accepted[problem_id], self.prompt_language, self.strengths.get(problem_id),
                                   self.weak(problem_id))
        elif config == "all":
            yield from self._all_rows()
        elif config == "verified":
            for candidate, outcome, pid, duplicate_of in zip(self.candidates, self.outcomes, self.problem_ids,
                                                            self.duplicate_of):
                if (pid is None or outcome.verdict != "AC" or duplicate_of is not None or outcome.key is None
                        or self.weak(pid)):
                    continue
                yield _verified_row(self.loaded.entries[pid], candidate, outcome, self.copies[outcome.key.digest],
                                    self.min_tests, self.strengths.get(pid))
        else:
            raise KeyError(config)

    def _all_rows(self) -> Iterator[dict[str, Any]]:
        """Judged candidates' per-test results are read back from the store a chunk at a
        time: the run keeps results without them (see verify.py)."""
        for start in range(0, len(self.candidates), _TESTS_CHUNK):
            chunk = range(start, min(start + _TESTS_CHUNK, len(self.candidates)))
            keys = {i: self.outcomes[i].key for i in chunk if self.outcomes[i].status == "judged"}
            stored = self.tests_of([key for key in keys.values() if key is not None])
            for i in chunk:
                key = keys.get(i)
                # A judged result is in the store, whole; a judge error keeps its own (few) tests.
                yield _all_row(self.candidates[i], self.outcomes[i], self.duplicate_of[i],
                               stored[key.digest] if key is not None else None)

    @property
    def configs(self) -> dict[str, Iterator[dict[str, Any]]]:
        """Each config's rows, as fresh iterators (the writer's input)."""
        return {name: self.rows(name) for name in CONFIGS}

    def fingerprint_and_stats(self, extra: str = "") -> tuple[str, DatasetStats]:
        """One pass over every row: their content hash (plus ``extra``, settings the card
        reports) and the stats the card and the summary share."""
        digest = hashlib.sha256(extra.encode())
        builder = StatsBuilder()
        for name in CONFIGS:
            digest.update(name.encode())
            for row in self.rows(name):
                digest.update(json.dumps(row, sort_keys=True, default=str).encode())
                builder.add(name, row)
        return digest.hexdigest(), builder.finish()


def build_rows(loaded: LoadedProblems, candidates: list[Candidate], report: VerifyReport,
               min_tests: int, prompt_language: str = DEFAULT_PROMPT_LANGUAGE,
               min_strength: float | None = None, *, tests_of: TestsOf) -> DatasetRows:
    """Rows of ``problems`` (every problem, its ``prompt`` asking for ``prompt_language``,
    its tests' measured strength), ``verified`` (one row per distinct accepted solution of a
    problem, unless the problem's strength is known and below ``min_strength``) and ``all``
    (every candidate row, with its verdict), built as they are read. ``tests_of`` reads
    judged candidates' per-test results back (`VerdictStore.tests_of`)."""
    return DatasetRows(loaded, candidates, report.outcomes, tests_of, min_tests, prompt_language, min_strength)

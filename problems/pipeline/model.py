"""The records that pass between the pipeline's stages.

Each stage (problem inputs, test collection, candidates, verification, writing) hands the
next one these models rather than loose dicts, so a field that a stage relies on is
checked once, at the boundary where it enters the pipeline.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from problems.model import Problem
from sandbox.judge.checkers.specs import CheckerSpec, TokensSpec
from sandbox.judge.model import InputMode, InteractorSpec, JudgeProblem, TestCase
from sandbox.judge.formats.verification import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT

__all__ = [
    "Candidate",
    "CollectedTest",
    "CoverageLevel",
    "ProblemEntry",
    "TestOrigin",
    "code_hash",
]

TestOrigin = Literal["statement", "official", "generated", "directory"]
"""Where a test came from: the statement's examples, open-r1's ``official_tests``, open-r1's
generated-test Parquet files, or a problem directory / Polygon package."""

CoverageLevel = Literal["full", "few_tests", "samples_only", "no_tests"]
"""How much a verdict on this problem is worth: ``full`` means at least the configured
minimum of tests beyond the statement samples; ``few_tests`` fewer than that;
``samples_only`` nothing but the samples; ``no_tests`` nothing to judge against."""


def code_hash(code: str) -> str:
    """Content hash of a candidate's source: identical bytes are one candidate."""
    return hashlib.sha256(code.encode("utf-8", errors="surrogatepass")).hexdigest()


class CollectedTest(BaseModel):
    """One test with its provenance. Data is text because every source we read
    (Parquet, JSON, statements) stores it as text, and so does ``verification_info``."""

    __test__ = False
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    input: str
    output: str | None
    origin: TestOrigin
    is_sample: bool = False
    points: float | None = None


class ProblemEntry(BaseModel):
    """A problem ready to verify against: its metadata, its tests and how to check them.

    ``testset_hash`` identifies exactly what a verdict was earned on (test data, order,
    checker, interactor, file I/O), so results stored under one hash are never reused for
    a problem whose tests changed.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    problem: Problem
    tests: list[CollectedTest] = Field(default_factory=list)
    checker: CheckerSpec = Field(default_factory=TokensSpec)
    interactor: InteractorSpec | None = None
    input_mode: InputMode = "stdio"
    source: str = Field(description="where the problem record came from")
    official_tests_complete: bool | None = None
    editorial: str | None = None
    notes: list[str] = Field(default_factory=list, description="problems found while collecting tests")

    _judge_problem: JudgeProblem | None = PrivateAttr(default=None)
    _testset_hash: str | None = PrivateAttr(default=None)

    @property
    def id(self) -> str:
        return self.problem.id

    def changed(self) -> None:
        """Forget derived values after tests, checker or interactor were replaced."""
        self._judge_problem = None
        self._testset_hash = None

    @property
    def time_limit(self) -> float:
        return self.problem.time_limit or DEFAULT_TIME_LIMIT

    @property
    def memory_limit(self) -> int:
        limit = self.problem.memory_limit
        return math.ceil(limit) if limit else DEFAULT_MEMORY_LIMIT

    def count(self, origin: TestOrigin) -> int:
        return sum(test.origin == origin for test in self.tests)

    @property
    def non_sample_tests(self) -> int:
        return sum(not test.is_sample for test in self.tests)

    @property
    def judgeable(self) -> str | None:
        """None when candidates can be judged here, else the reason they cannot."""
        if not self.tests:
            return "no tests"
        if self.problem.interactive and self.interactor is None:
            return "interactive problem without an interactor"
        return None

    def coverage(self, min_tests: int) -> CoverageLevel:
        if not self.tests:
            return "no_tests"
        extra = self.non_sample_tests
        if extra == 0:
            return "samples_only"
        return "full" if extra >= min_tests else "few_tests"

    @property
    def testset_hash(self) -> str:
        if self._testset_hash is None:
            self._testset_hash = _hash_testset(self)
        return self._testset_hash

    @property
    def limits_key(self) -> str:
        return f"{self.time_limit:g}s/{self.memory_limit}MB"

    def judge_problem(self) -> JudgeProblem:
        """The judge's view of this problem, built once and reused by every candidate."""
        if self._judge_problem is None:
            tests = [
                TestCase(
                    name=test.name,
                    is_sample=test.is_sample,
                    input_data=test.input.encode(),
                    answer_data=test.output.encode() if test.output is not None else None,
                    points=test.points,
                )
                for test in self.tests
            ]
            self._judge_problem = JudgeProblem(
                name=self.id,
                time_limit=self.time_limit,
                memory_limit=self.memory_limit,
                tests=tests,
                checker=self.checker,
                interactor=self.interactor,
                input_mode=self.input_mode,
            )
        return self._judge_problem


def _hash_testset(entry: ProblemEntry) -> str:
    digest = hashlib.sha256()
    header: dict[str, Any] = {
        "checker": entry.checker.model_dump(mode="json"),
        "interactor": entry.interactor.model_dump(mode="json") if entry.interactor else None,
        "input_mode": entry.input_mode if isinstance(entry.input_mode, str) else entry.input_mode.model_dump(),
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    for test in entry.tests:
        # Length-prefixed fields, so no choice of test text can collide with another.
        for part in (test.name, "1" if test.is_sample else "0", test.input,
                     test.output if test.output is not None else "\0none",
                     "" if test.points is None else repr(test.points)):
            data = part.encode("utf-8", errors="surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()[:32]


class Candidate(BaseModel):
    """One candidate row, whether or not it holds code.

    Rows without usable code are kept with ``no_code_reason`` set: they are counted and
    written to the ``all`` config rather than dropped.
    """

    model_config = ConfigDict(extra="forbid")

    row: int = Field(description="position among all candidate rows of this run")
    source: str = Field(description="file or dataset the row came from")
    source_row: int = Field(description="row number within that source")
    problem_id: str | None
    language: str | None = Field(description="canonical sandbox language id")
    code: str | None
    code_hash: str | None = None
    extraction: str = Field(description="'code' (a code column), 'fenced', 'inferred', 'none' or "
                            "'malformed' (the row itself could not be read)")
    no_code_reason: str | None = None
    location: str | None = Field(default=None, description="the file (or dataset) and row it was read from, for "
                                 "messages to the user; never written to the dataset, which names only `source`")
    expected: str | None = Field(default=None, description="verdict the source expects, when it says")
    author: str | None = None
    prompt: str | None = None
    generation: str | None = None
    messages: list[dict[str, str]] | None = None

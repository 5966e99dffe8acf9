"""Problems kept compressed in memory, decoded on demand: a run's memory per problem is
about its record's compressed size, not the size of a dozen pydantic objects.

Why: at open-r1's scale (10,000 problems) live `Problem` models cost about 20 KiB each
(the record, a `TestCase` per test, their validators' bookkeeping), which is more than the
dataset's own compressed rows. Each problem is pickled and zlib-compressed when stored;
reading one decodes it, and the last few decoded problems are kept (most candidate files
list a problem's candidates together, and judging visits them in that order), so a problem
is decoded about once per run.

A problem read from the shelf is a copy: a change to it is kept only when it is stored
again (``shelf[pid] = problem``). Its test-set hash is kept with it when it was computed
before storing (`LoadedProblems.attach` does that for every problem once loading is done),
because computing it means reading every test's bytes; the judge's view (`judge_problem`)
is not kept: it is rebuilt from the fields, cheaply, and would double what is stored.
"""

from __future__ import annotations

import pickle
import zlib
from collections import OrderedDict
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass

from problems.model import CoverageLevel, Problem, coverage_level

__all__ = ["ProblemFacts", "ProblemShelf"]

DEFAULT_DECODED = 256
"""Decoded problems kept at once: a few times the candidates in flight while judging."""


@dataclass(frozen=True)
class ProblemFacts:
    """What planning and keying a problem's verdicts need, kept beside the compressed
    problem so that they never decode it: a 10,000-problem run asks for them once per
    candidate, several times over."""

    judgeable: str | None
    test_count: int
    non_sample_tests: int
    testset_hash: str | None
    limits_key: str

    @classmethod
    def of(cls, problem: Problem) -> ProblemFacts:
        return cls(judgeable=problem.judgeable, test_count=len(problem.tests),
                   non_sample_tests=problem.non_sample_tests,
                   testset_hash=problem.testset_hash if problem.tests else None,
                   limits_key=problem.limits_key)

    def coverage(self, min_tests: int) -> CoverageLevel:
        return coverage_level(self.test_count, self.non_sample_tests, min_tests)


class ProblemShelf(MutableMapping[str, Problem]):
    """Problem id -> `Problem`, stored compressed, insertion-ordered, with each problem's
    `ProblemFacts` at hand."""

    def __init__(self, decoded: int = DEFAULT_DECODED) -> None:
        self._packed: dict[str, bytes] = {}
        self._facts: dict[str, ProblemFacts] = {}
        self._decoded: OrderedDict[str, Problem] = OrderedDict()
        self._keep = max(1, decoded)

    @staticmethod
    def _pack(problem: Problem) -> bytes:
        judge = problem._judge
        problem._judge = None  # rebuilt on demand; keeping it would store the tests twice
        try:
            return zlib.compress(pickle.dumps(problem, protocol=pickle.HIGHEST_PROTOCOL), 1)
        finally:
            problem._judge = judge

    def __setitem__(self, problem_id: str, problem: Problem) -> None:
        self._facts.pop(problem_id, None)
        self._packed[problem_id] = self._pack(problem)
        self._decoded.pop(problem_id, None)
        self._remember(problem_id, problem)

    def _remember(self, problem_id: str, problem: Problem) -> None:
        self._decoded[problem_id] = problem
        self._decoded.move_to_end(problem_id)
        while len(self._decoded) > self._keep:
            self._decoded.popitem(last=False)

    def __getitem__(self, problem_id: str) -> Problem:
        problem = self._decoded.get(problem_id)
        if problem is not None:
            self._decoded.move_to_end(problem_id)
            return problem
        problem = pickle.loads(zlib.decompress(self._packed[problem_id]))  # KeyError when absent
        self._remember(problem_id, problem)
        return problem

    def facts(self, problem_id: str) -> ProblemFacts:
        """The problem's facts, computed (from a decoded copy) the first time they are asked for
        after it was stored: storing a problem while it is being assembled costs nothing extra."""
        facts = self._facts.get(problem_id)
        if facts is None:
            facts = self._facts[problem_id] = ProblemFacts.of(self[problem_id])
        return facts

    def __delitem__(self, problem_id: str) -> None:
        self._facts.pop(problem_id, None)
        del self._packed[problem_id]
        self._decoded.pop(problem_id, None)

    def __contains__(self, problem_id: object) -> bool:
        return problem_id in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    @property
    def packed_bytes(self) -> int:
        """Bytes the stored problems take, compressed (the memory figure this shelf is for)."""
        return sum(len(data) for data in self._packed.values())

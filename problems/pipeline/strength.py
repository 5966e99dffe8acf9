"""How strong each problem's tests are, measured from the run's own candidates whose source
says what they should get (the bundled manifests' `expected`, a submissions dump's verdict).

A verified solution is only as trustworthy as the tests it passed: if wrong submissions of a
problem also pass them, so might a wrong "verified" one. Known-wrong candidates (expected
WA, TLE, MLE, RE, ...) caught by the tests give the TNR; known-correct ones (expected AC)
that pass give the TPR. `build-dataset tests strength` measures the same on a problem
directory's tagged solutions; this is the per-run figure the dataset carries."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel, Field

from problems.pipeline.model import Candidate
from problems.pipeline.verify import CandidateOutcome

__all__ = ["ProblemStrength", "expected_verdict", "strength_by_problem"]

# Codeforces' (and open-r1's codeforces-submissions') names for the verdicts cpforge spells short.
_CODEFORCES_NAMES = {
    "OK": "AC", "ACCEPTED": "AC", "WRONG_ANSWER": "WA", "PRESENTATION_ERROR": "WA", "TIME_LIMIT_EXCEEDED": "TLE",
    "IDLENESS_LIMIT_EXCEEDED": "TLE", "MEMORY_LIMIT_EXCEEDED": "MLE", "RUNTIME_ERROR": "RE",
    "OUTPUT_LIMIT_EXCEEDED": "OLE", "COMPILATION_ERROR": "CE",
}
# Verdicts that say the tests must reject the program. CE says nothing about tests, and a
# judge or sandbox error says nothing about the program.
_WRONG = frozenset({"WA", "TLE", "MLE", "RE", "OLE", "PE"})


def expected_verdict(expected: str | None) -> str | None:
    """The expected verdict in cpforge's spelling, or None."""
    if not expected:
        return None
    text = expected.strip().upper()
    return _CODEFORCES_NAMES.get(text, text)


class ProblemStrength(BaseModel):
    known_correct: int = Field(0, description="judged candidates expected to be accepted")
    correct_passed: int = 0
    known_wrong: int = Field(0, description="judged candidates expected to be rejected (WA, TLE, MLE, RE, ...)")
    wrong_caught: int = 0
    slipped: list[int] = Field(default_factory=list, description="rows of known-wrong candidates the tests accepted")

    @property
    def tpr(self) -> float | None:
        return self.correct_passed / self.known_correct if self.known_correct else None

    @property
    def tnr(self) -> float | None:
        """The share of known-wrong candidates the tests catch: the problem's strength."""
        return self.wrong_caught / self.known_wrong if self.known_wrong else None


def strength_by_problem(pairs: Iterable[tuple[Candidate, CandidateOutcome]],
                        resolve: Callable[[str | None], str | None]) -> dict[str, ProblemStrength]:
    """Per problem id, from the candidates judged now or earlier; `resolve` finds a
    candidate's problem's id (aliases and spellings lead to one problem)."""
    found: dict[str, ProblemStrength] = {}
    for candidate, outcome in pairs:
        expected = expected_verdict(candidate.expected)
        if expected is None or outcome.status != "judged" or outcome.verdict is None:
            continue
        problem_id = resolve(candidate.problem_id)
        if problem_id is None:
            continue
        strength = found.setdefault(problem_id, ProblemStrength())
        accepted = outcome.verdict == "AC"
        if expected == "AC":
            strength.known_correct += 1
            strength.correct_passed += accepted
        elif expected in _WRONG:
            strength.known_wrong += 1
            if accepted:
                strength.slipped.append(candidate.row)
            else:
                strength.wrong_caught += 1
    return found

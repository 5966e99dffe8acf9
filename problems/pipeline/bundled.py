"""The bundled sample set as pipeline inputs: the embedded default of ``build-dataset run``.

``problems.samples.load_bundled()`` gives problems with their judge directories and
reference / deliberately wrong solutions. Here the problems (already carrying their tests)
become the run's problems and the solutions `Candidate` rows that carry the verdict each
is expected to get, so a default run doubles as a self-check.
"""

from __future__ import annotations

from typing import Any

from problems.pipeline.candidates import candidate_from_code
from problems.pipeline.inputs import LoadedProblems
from problems.pipeline.model import Candidate
from problems.pipeline.tables import InputError

__all__ = ["BUNDLED_SOURCE", "load_bundled_inputs", "bundled_candidates"]

BUNDLED_SOURCE = "cpforge bundled sample set"


def _load() -> list[Any]:
    try:
        from problems.samples import load_bundled
    except ImportError as exc:  # the sample set ships with cpforge; its absence is a broken install
        raise InputError(f"the bundled sample set is not available ({exc})") from None
    try:
        return list(load_bundled())
    except ValueError as exc:  # BundledSampleError names the malformed file
        raise InputError(f"the bundled sample set is broken: {exc}") from None


def load_bundled_inputs() -> tuple[LoadedProblems, list[Candidate]]:
    """Problems and candidate solutions of the bundled set."""
    bundled = _load()
    loaded = LoadedProblems(sources=[BUNDLED_SOURCE])
    for item in bundled:
        loaded.add(item.problem)
    return loaded, bundled_candidates(bundled)


def bundled_candidates(bundled: list[Any]) -> list[Candidate]:
    candidates: list[Candidate] = []
    for item in bundled:
        for solution in item.solutions:
            candidates.append(candidate_from_code(
                row=len(candidates), source=f"bundled:{item.slug}", source_row=len(candidates),
                problem_id=item.problem.id, language=solution.language, code=solution.code,
                expected=solution.expected, author=solution.author,
            ))
    return candidates

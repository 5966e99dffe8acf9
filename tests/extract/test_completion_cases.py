"""The table of realistic completions (completion_cases.py) through the shared extractor and
through the dataset pipeline's candidate rows, which must agree with it exactly."""

from __future__ import annotations

import pytest

from problems.pipeline.candidates import candidate_from_row
from sandbox.judge.extract import extract_code

from .completion_cases import CASES, Case


def test_the_table_is_large_and_covers_both_outcomes():
    assert len(CASES) >= 30
    assert sum(c.code is None for c in CASES) >= 5 and sum(c.aplusb for c in CASES) >= 20
    for c in CASES:
        assert (c.code is None) == (c.reason is not None), c.id


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_extract_code(case: Case):
    found = extract_code(case.completion, case.language)
    if case.code is None:
        assert found.code is None, f"{case.id}: expected no code, got {found.code!r}"
        assert case.reason is not None and case.reason in found.reason, found.reason
        return
    assert found.code == case.code
    assert found.language == case.expected_language
    assert found.truncated == case.truncated
    assert bool(found.reason) == (case.expected_language is None), found.reason


def _row(case: Case) -> dict:
    row: dict = {"problem_id": "1/A"}
    if case.language:
        row["language"] = case.language
    if isinstance(case.completion, str):
        row["generation"] = case.completion
    else:
        row["messages"] = case.completion if isinstance(case.completion, list) else [case.completion]
    return row


@pytest.mark.parametrize("case", [c for c in CASES if c.completion != ""], ids=lambda c: c.id)
def test_pipeline_candidate_rows_agree(case: Case):
    """A completion row of the dataset pipeline (a `generation` text or `messages` chat)
    yields the same program, language and reason as the extractor."""
    candidate = candidate_from_row(_row(case), row=0, source="completion_cases", source_row=0)
    assert candidate.code == case.code
    if case.code is None:
        assert case.reason is not None and case.reason in (candidate.no_code_reason or "")
    else:
        assert candidate.language == case.expected_language
        assert candidate.extraction in ("fenced", "inferred")

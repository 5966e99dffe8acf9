"""The problem shelf: problems kept compressed and decoded on demand, so a run's memory per
problem is its record's compressed size (shelf.py says why)."""

from __future__ import annotations

from problems.model import Problem
from problems.pipeline.shelf import ProblemShelf
from sandbox.judge.model import TestCase


def _problem(number: int) -> Problem:
    tests = [TestCase(name=f"t{k}", input_data=f"{number} {k}\n".encode(), answer_data=b"x\n", origin="official")
             for k in range(3)]
    return Problem(id=f"{1000 + number}/A", contest_id=str(1000 + number), index="A", title=f"P{number}",
                   description="d" * 500, tests=tests)


def test_a_problem_comes_back_equal_with_its_hash_and_without_the_judges_view() -> None:
    shelf = ProblemShelf(decoded=2)
    original = _problem(1)
    digest = original.testset_hash
    original.judge_problem()
    shelf[original.id] = original
    for number in range(2, 6):  # push it out of the decoded problems
        shelf[_problem(number).id] = _problem(number)
    back = shelf[original.id]
    assert back is not original and back.model_dump() == original.model_dump()
    assert back.tests == original.tests and back.checker == original.checker
    assert back._testset_hash == digest  # stored with it: computing it reads every test
    assert back._judge is None and original._judge is not None  # rebuilt on demand, not stored
    assert back.judge_problem().testset_hash() == digest


def test_only_a_few_problems_are_held_decoded_and_the_rest_compressed() -> None:
    shelf = ProblemShelf(decoded=3)
    for number in range(50):
        shelf[_problem(number).id] = _problem(number)
    assert len(shelf) == 50 and len(shelf._decoded) == 3
    assert list(shelf)[:2] == ["1000/A", "1001/A"]  # insertion order, as a dict
    assert "1049/A" in shelf and "1/A" not in shelf
    # 500 repeated characters and three tiny tests compress far below the pickle's size.
    assert shelf.packed_bytes / 50 < 1500
    del shelf["1000/A"]
    assert len(shelf) == 49 and shelf.get("1000/A") is None


def test_a_change_is_kept_only_when_the_problem_is_stored_again() -> None:
    shelf = ProblemShelf(decoded=1)
    shelf["1000/A"] = _problem(0)
    changed = shelf["1000/A"]
    changed.title = "renamed"
    shelf["1001/A"] = _problem(1)  # evicts the decoded copy
    assert shelf["1000/A"].title == "P0"
    changed = shelf["1000/A"]
    changed.title = "renamed"
    shelf["1000/A"] = changed
    shelf["1001/A"] = _problem(1)
    assert shelf["1000/A"].title == "renamed"

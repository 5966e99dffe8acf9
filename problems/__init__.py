"""cpforge's problem model: the record every dataset row is built from."""

from problems.model import Example, InputMode, Problem, make_problem_id, split_problem_id

__all__ = ["Example", "InputMode", "Problem", "make_problem_id", "split_problem_id"]

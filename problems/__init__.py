"""cpforge's problem model (`problems.model.Problem`): the one record every dataset row is
built from, and what the judge's view is derived from."""

from problems.model import Problem, make_problem_id, split_problem_id

__all__ = ["Problem", "make_problem_id", "split_problem_id"]

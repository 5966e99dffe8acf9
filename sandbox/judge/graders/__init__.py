"""Graders, as DMOJ splits them: a standard (batch) grader and an interactive grader behind
one small interface (`Grader.grade(test) -> TestResult`)."""

from sandbox.judge.graders.base import Grader, RunProgram
from sandbox.judge.graders.batch import BatchGrader
from sandbox.judge.graders.interactive import InteractiveGrader

__all__ = ["BatchGrader", "Grader", "InteractiveGrader", "RunProgram"]

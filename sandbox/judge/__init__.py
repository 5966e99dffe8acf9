"""The judge's pure-Python parts: built-in checkers, checker protocols and problem formats.
Nothing here runs untrusted code; the sandbox layer does, using these models."""

from sandbox.judge.checkers import (CheckerInvocation, CheckerOutcome, CheckerSpec,
                       ExactSpec, FloatSpec, LinesSpec, ProgramCheckerSpec, PythonCheckerSpec,
                       TokensSpec, YesNoSpec, build_python_checker_invocation,
                       build_testlib_invocation, get_checker, parse_checker_spec,
                       parse_python_checker_result, parse_testlib_result)
from sandbox.judge.problem import (FileIO, InputMode, InteractorSpec, JudgeProblem, ProblemFormatError,
                      TestCase, load_problem)

__all__ = [
    "CheckerInvocation", "CheckerOutcome", "CheckerSpec", "ExactSpec",
    "FileIO", "FloatSpec", "InputMode", "InteractorSpec", "JudgeProblem", "LinesSpec",
    "ProblemFormatError", "ProgramCheckerSpec", "PythonCheckerSpec", "TestCase", "TokensSpec",
    "YesNoSpec", "build_python_checker_invocation", "build_testlib_invocation", "get_checker",
    "load_problem", "parse_checker_spec", "parse_python_checker_result", "parse_testlib_result",
]

"""Checker specifications: what `problem.json` (or a Python caller) says about how to check.

Each spec is defined beside its checker (`tokens.TokensSpec`, ...); this module gathers
them for importers, with `CheckerSpec`, the union of every registered spec (see
`registry`), and the testlib standard names that map onto built-ins."""

from __future__ import annotations

from sandbox.judge.checkers.exact import ExactSpec
from sandbox.judge.checkers.floats import FloatSpec
from sandbox.judge.checkers.interface import CheckerSpecBase
from sandbox.judge.checkers.lines import LinesSpec
from sandbox.judge.checkers.python_checker import PythonCheckerSpec
from sandbox.judge.checkers.registry import CheckerSpec, parse_checker_spec
from sandbox.judge.checkers.testlib_names import TESTLIB_STANDARD_CHECKERS, testlib_checker_name
from sandbox.judge.checkers.testlib_protocol import ProgramCheckerSpec
from sandbox.judge.checkers.tokens import TokensSpec
from sandbox.judge.checkers.yesno import YesNoSpec

__all__ = ["TESTLIB_STANDARD_CHECKERS", "CheckerSpec", "CheckerSpecBase", "ExactSpec", "FloatSpec",
           "LinesSpec", "ProgramCheckerSpec", "PythonCheckerSpec", "TokensSpec", "YesNoSpec",
           "parse_checker_spec", "testlib_checker_name"]

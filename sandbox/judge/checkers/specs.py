"""Checker specifications: what `problem.json` (or a Python caller) says about how to check.

Each spec is defined beside its checker (`tokens.TokensSpec`, ...); this module gathers
them for importers, with `CheckerSpec`, the union of every registered spec (see
`registry`), and the testlib standard names that map onto built-ins."""

from __future__ import annotations

from .exact import ExactSpec
from .floats import FloatSpec
from .interface import CheckerSpecBase
from .lines import LinesSpec
from .python_checker import PythonCheckerSpec
from .registry import CheckerSpec, parse_checker_spec
from .testlib_names import TESTLIB_STANDARD_CHECKERS, testlib_checker_name
from .testlib_protocol import ProgramCheckerSpec
from .tokens import TokensSpec
from .yesno import YesNoSpec

__all__ = ["TESTLIB_STANDARD_CHECKERS", "CheckerSpec", "CheckerSpecBase", "ExactSpec", "FloatSpec",
           "LinesSpec", "ProgramCheckerSpec", "PythonCheckerSpec", "TokensSpec", "YesNoSpec",
           "parse_checker_spec", "testlib_checker_name"]

"""Checkers: built-in pure-Python comparators, spec models, and the protocols of sandboxed
checkers (testlib programs, open-r1 Python checkers)."""

from .base import CheckerOutcome, CheckerVerdict, CheckFunction, missing_answer
from .exact import check_exact
from .floats import check_float
from .invocation import CheckerInvocation
from .lines import check_lines
from .python_checker import build_python_checker_invocation, parse_python_checker_result
from .registry import NotBuiltinCheckerError, get_checker, register
from .specs import (TESTLIB_STANDARD_CHECKERS, CheckerSpec, ExactSpec, FloatSpec, LinesSpec,
                    ProgramCheckerSpec, PythonCheckerSpec, TokensSpec, YesNoSpec,
                    parse_checker_spec)
from .testlib_protocol import (build_testlib_invocation, format_testlib_message,
                               parse_testlib_result)
from .tokens import check_tokens
from .yesno import check_yesno

__all__ = [
    "CheckFunction", "CheckerInvocation", "CheckerOutcome", "CheckerSpec", "CheckerVerdict",
    "ExactSpec", "FloatSpec", "LinesSpec", "NotBuiltinCheckerError", "ProgramCheckerSpec",
    "PythonCheckerSpec", "TESTLIB_STANDARD_CHECKERS", "TokensSpec", "YesNoSpec",
    "build_python_checker_invocation", "build_testlib_invocation", "check_exact",
    "check_float", "check_lines", "check_tokens", "check_yesno", "format_testlib_message",
    "get_checker", "missing_answer", "parse_checker_spec", "parse_python_checker_result",
    "parse_testlib_result", "register",
]

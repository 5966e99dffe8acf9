"""Checkers: one interface (`Checker.check(context) -> CheckerOutcome`) over the built-in
pure-Python comparators and the sandboxed programs (testlib checkers, open-r1 Python
checkers). Each checker is one module holding its spec and its behaviour, registered in
one line; the spec union (`CheckerSpec`) is built from the registry.

The built-ins are imported here, in union order, so that they are registered before any
spec is validated."""

from sandbox.judge.checkers.base import CheckerOutcome, CheckFunction, missing_answer
from sandbox.judge.checkers.interface import (BuiltinChecker, CheckContext, Checker, CheckerSandbox, CheckerSpecBase,
                        CheckerUnavailable, ProgramSpec)
from sandbox.judge.checkers.invocation import CheckerInvocation
from sandbox.judge.checkers.registry import (
    CheckerSpec, NotBuiltinCheckerError, builtin_types, get_checker, make_checker,
    parse_checker_spec, register, spec_types, unregister)
# In registration order, which is the order of the spec union's members.
from sandbox.judge.checkers.tokens import TokensChecker, TokensSpec, check_tokens
from sandbox.judge.checkers.lines import LinesChecker, LinesSpec, check_lines
from sandbox.judge.checkers.exact import ExactChecker, ExactSpec, check_exact
from sandbox.judge.checkers.floats import FloatChecker, FloatSpec, check_float
from sandbox.judge.checkers.yesno import YesNoChecker, YesNoSpec, check_yesno
from sandbox.judge.checkers.program import CHECKER_LIMITS, ProgramChecker
from sandbox.judge.checkers.testlib_protocol import (ProgramCheckerSpec, TestlibChecker, build_testlib_invocation,
                               format_testlib_message, parse_testlib_result)
from sandbox.judge.checkers.python_checker import (PythonChecker, PythonCheckerSpec, build_python_checker_invocation,
                             parse_python_checker_result)
from sandbox.judge.checkers.testlib_names import TESTLIB_STANDARD_CHECKERS, testlib_checker_name

__all__ = [
    "CHECKER_LIMITS", "TESTLIB_STANDARD_CHECKERS", "BuiltinChecker", "CheckContext", "CheckFunction",
    "Checker", "CheckerInvocation", "CheckerOutcome", "CheckerSandbox", "CheckerSpec", "CheckerSpecBase",
    "CheckerUnavailable", "ExactChecker", "ExactSpec", "FloatChecker", "FloatSpec",
    "LinesChecker", "LinesSpec", "NotBuiltinCheckerError", "ProgramChecker", "ProgramCheckerSpec", "ProgramSpec",
    "PythonChecker", "PythonCheckerSpec", "TestlibChecker", "TokensChecker", "TokensSpec",
    "YesNoChecker", "YesNoSpec", "build_python_checker_invocation", "build_testlib_invocation",
    "builtin_types", "check_exact", "check_float", "check_lines", "check_tokens", "check_yesno",
    "format_testlib_message", "get_checker", "make_checker", "missing_answer", "parse_checker_spec",
    "parse_python_checker_result", "parse_testlib_result", "register", "spec_types",
    "testlib_checker_name", "unregister",
]

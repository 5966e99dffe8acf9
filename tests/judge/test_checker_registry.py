"""A new checker is one module registered in one line: once registered, its spec parses
wherever a checker spec is accepted (problem.json, verification_info, in-memory problems)
and the judge runs it, built-in or sandboxed, without knowing its type."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from pydantic import ValidationError

from sandbox.judge import ProblemFormatError, load_problem
from sandbox.judge.checkers import (BuiltinChecker, CheckerInvocation, CheckerOutcome, CheckerSpecBase, ProgramSpec,
                                    ProgramChecker, TokensSpec, builtin_types, get_checker,
                                    make_checker, parse_checker_spec, register, spec_types, unregister)
from sandbox.judge.formats.verification import problem_from_verification_info
from sandbox.result import RunResult, Verdict


# --- a plug-in module's worth of checkers -----------------------------------------------

class UnorderedSpec(CheckerSpecBase):
    """The output's tokens are the answer's, in any order."""

    type: Literal["unordered"] = "unordered"
    ignore_case: bool = False


class UnorderedChecker(BuiltinChecker[UnorderedSpec]):
    def compare(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
        if answer is None:
            return CheckerOutcome(verdict=Verdict.JUDGE_ERROR, message="no answer")
        fold = (lambda data: data.lower()) if self.spec.ignore_case else (lambda data: data)
        if Counter(fold(output).split()) == Counter(fold(answer).split()):
            return CheckerOutcome(verdict=Verdict.AC)
        return CheckerOutcome(verdict=Verdict.WA, message="different tokens")


class ExitStatusSpec(ProgramSpec):
    """A Python program given the output and answer files; exit 0 accepts it. Being a
    `ProgramSpec`, a problem directory names its file and the loader reads it."""

    type: Literal["exit-status"] = "exit-status"
    source: str = "check.py"


class ExitStatusChecker(ProgramChecker[ExitStatusSpec]):
    def source(self) -> tuple[str, str]:
        return self.spec.code or "", "python3"

    def invocation(self, input: bytes, output: bytes, answer: bytes) -> CheckerInvocation:
        return CheckerInvocation(files={"out": output, "ans": answer}, args=["out", "ans"], time_limit=5)

    def parse(self, run: RunResult) -> CheckerOutcome:
        verdict = Verdict.AC if run.exit_code == 0 else Verdict.WA
        return CheckerOutcome(verdict=verdict, message=run.stderr.decode(errors="replace").strip())


@pytest.fixture
def plugins() -> Iterator[None]:
    register(UnorderedSpec, UnorderedChecker)
    register(ExitStatusSpec, ExitStatusChecker)
    yield
    unregister("unordered")
    unregister("exit-status")


REVERSED = "print(*reversed(input().split()))\n"


def _problem_dir(tmp_path: Path, checker: object) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "1.in").write_text("1 2 3\n")
    (tmp_path / "tests" / "1.out").write_text("1 2 3\n")
    (tmp_path / "problem.json").write_text(json.dumps({"name": "echo", "time_limit": 2, "memory_limit": 256,
                                                       "checker": checker}))
    return tmp_path


# --- tests ------------------------------------------------------------------------------

def test_an_unregistered_type_is_rejected() -> None:
    with pytest.raises(ValidationError):
        parse_checker_spec({"type": "unordered"})


def test_registering_makes_the_type_parse_everywhere(plugins: None) -> None:
    assert UnorderedSpec in spec_types() and "unordered" in builtin_types()
    assert "exit-status" not in builtin_types()  # sandboxed: no bare-string shorthand
    assert parse_checker_spec({"type": "unordered", "ignore_case": True}) == UnorderedSpec(ignore_case=True)
    assert parse_checker_spec("unordered") == UnorderedSpec()
    assert UnorderedSpec().builtin and not ExitStatusSpec(code="").builtin
    with pytest.raises(ValidationError):
        parse_checker_spec({"type": "unordered", "bogus": 1})
    problem = problem_from_verification_info({"test_cases": [{"input": "1 2", "output": "1 2"}],
                                              "checker": {"type": "unordered"}})
    assert isinstance(problem.checker, UnorderedSpec)
    assert problem.model_dump(mode="json")["checker"] == {"type": "unordered", "ignore_case": False}
    assert get_checker("unordered")(b"", b"2 1", b"1 2").ok
    assert isinstance(make_checker({"type": "exit-status", "code": ""}), ExitStatusChecker)


def test_registration_is_undone_by_unregister(plugins: None) -> None:
    unregister("unordered")
    with pytest.raises(ValidationError):
        parse_checker_spec({"type": "unordered"})
    register(UnorderedSpec, UnorderedChecker)  # the fixture's teardown finds it again


def test_a_taken_name_or_a_spec_without_a_type_literal_is_refused(plugins: None) -> None:
    class Impostor(CheckerSpecBase):
        type: Literal["tokens"] = "tokens"

    with pytest.raises(ValueError, match="already registered"):
        register(Impostor, UnorderedChecker)  # type: ignore[arg-type]
    register(UnorderedSpec, UnorderedChecker)  # the same pair again is harmless

    class Untagged(CheckerSpecBase):
        type: str = "untagged"

    with pytest.raises(TypeError):
        register(Untagged, UnorderedChecker)  # type: ignore[arg-type]


def test_a_registered_builtin_checker_judges_a_problem_json(plugins: None, judge, tmp_path: Path) -> None:
    problem = load_problem(_problem_dir(tmp_path, {"type": "unordered"}))
    assert isinstance(problem.checker, UnorderedSpec)
    assert judge.judge(problem, REVERSED, "python3").verdict is Verdict.AC
    tokens = problem.model_copy(update={"checker": TokensSpec()})
    assert judge.judge(tokens, REVERSED, "python3").verdict is Verdict.WA


def test_a_registered_program_checker_is_compiled_and_run_in_the_sandbox(plugins: None, judge,
                                                                         tmp_path: Path) -> None:
    code = ("import sys\n"
            "out, ans = (sorted(open(name).read().split()) for name in sys.argv[1:3])\n"
            "sys.exit(0 if out == ans else 1)\n")
    problem = load_problem(_problem_dir(tmp_path, {"type": "exit-status", "code": code}))
    assert judge.judge(problem, REVERSED, "python3").verdict is Verdict.AC
    assert judge.judge(problem, "print(1)\n", "python3").verdict is Verdict.WA
    broken = problem.model_copy(update={"checker": ExitStatusSpec(code="def (:\n")})
    result = judge.judge(broken, REVERSED, "python3")
    assert result.verdict is Verdict.JUDGE_ERROR and "the checker does not compile" in result.message


def test_a_registered_program_checker_s_source_file_is_loaded_from_the_problem(plugins: None, judge,
                                                                               tmp_path: Path) -> None:
    """The loader asks the spec which file it still needs (no list of known program types)."""
    root = _problem_dir(tmp_path, {"type": "exit-status", "source": "sorted_check.py"})
    (root / "sorted_check.py").write_text("import sys\n"
                                          "out, ans = (sorted(open(name).read().split()) for name in sys.argv[1:3])\n"
                                          "sys.exit(0 if out == ans else 1)\n")
    problem = load_problem(root)
    assert isinstance(problem.checker, ExitStatusSpec) and "sorted(" in (problem.checker.code or "")
    assert judge.judge(problem, REVERSED, "python3").verdict is Verdict.AC
    (root / "sorted_check.py").unlink()
    with pytest.raises(ProblemFormatError, match="sorted_check.py"):
        load_problem(root)

"""`verification_info`: a problem as one JSON-able value, the form RL tools pass around.

open-r1's reward functions read a `verification_info` column shaped
`{"language": ..., "test_cases": [{"input", "output", "type": "stdin_stdout"}]}`. cpforge's
datasets write the same shape with optional extras (limits, checker, interactor, file I/O),
and the reward server and adapters read it back. Keeping both directions here means a
problem survives the trip dataset -> trainer -> server unchanged, and rows written by other
tools (without the extras) still load, with documented defaults."""

from __future__ import annotations

import json
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sandbox.judge.checkers.specs import CheckerSpec, ProgramCheckerSpec, PythonCheckerSpec, TokensSpec
from sandbox.judge.model import FileIO, InteractorSpec, JudgeProblem, TestCase

DEFAULT_TIME_LIMIT = 2.0
DEFAULT_MEMORY_LIMIT = 256
# Sanity bounds, not policy: a day of CPU, a terabyte. A server caps limits far lower.
MAX_TIME_LIMIT = 24 * 3600
MAX_MEMORY_LIMIT = 1 << 20


class TestCaseInfo(BaseModel):
    __test__ = False
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    input: str
    output: str | None = None
    type: str = "stdin_stdout"
    name: str | None = None
    is_sample: bool = False
    points: float | None = None


class InteractorInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str
    language: str | None = None


class VerificationInfo(BaseModel):
    """Unknown keys are ignored so rows from other tools load; a missing limit takes the
    documented default (2 s, 256 MB)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    language: str | None = None
    test_cases: list[TestCaseInfo]
    time_limit: float = Field(DEFAULT_TIME_LIMIT, gt=0, le=MAX_TIME_LIMIT)
    memory_limit: int | float = Field(DEFAULT_MEMORY_LIMIT, gt=0, le=MAX_MEMORY_LIMIT)
    checker: CheckerSpec | None = None
    generated_checker: str | None = None
    interactor: InteractorInfo | None = None
    input_mode: Union[Literal["stdio"], FileIO] = "stdio"
    problem_id: str | None = None

    @field_validator("input_mode", mode="before")
    @classmethod
    def _file_shorthand(cls, value: Any) -> Any:
        return {"input": "input.txt", "output": "output.txt"} if value == "file" else value

    @field_validator("time_limit", "memory_limit", mode="before")
    @classmethod
    def _none_is_default(cls, value: Any, info) -> Any:
        if value is None:
            return DEFAULT_TIME_LIMIT if info.field_name == "time_limit" else DEFAULT_MEMORY_LIMIT
        return value


def problem_from_verification_info(info: VerificationInfo | dict | str, name: str | None = None) -> JudgeProblem:
    """A judge problem from a `verification_info` value (a dict, or its JSON text).
    Raises pydantic.ValidationError (a ValueError) for a malformed one."""
    if isinstance(info, str):
        info = json.loads(info)
    if not isinstance(info, VerificationInfo):
        info = VerificationInfo.model_validate(info)
    tests = []
    for number, case in enumerate(info.test_cases, start=1):
        if case.type not in ("stdin_stdout", "stdin", "interactive"):
            raise ValueError(f"test {number}: unsupported test type {case.type!r}")
        tests.append(TestCase(name=case.name or str(number), is_sample=case.is_sample,
                              input_data=case.input.encode(), points=case.points,
                              answer_data=case.output.encode() if case.output is not None else None))
    checker = info.checker
    if info.generated_checker:
        checker = PythonCheckerSpec(code=info.generated_checker)
    interactor = None
    if info.interactor is not None:
        interactor = InteractorSpec(source="interactor", code=info.interactor.code,
                                    language=info.interactor.language)
    return JudgeProblem(name=name or info.problem_id or "problem", time_limit=info.time_limit,
                        memory_limit=info.memory_limit, tests=tests, checker=checker or TokensSpec(),
                        interactor=interactor, input_mode=info.input_mode)


def verification_info_from_problem(problem: JudgeProblem, language: str | None = None,
                                   problem_id: str | None = None) -> dict[str, Any]:
    """The JSON-able `verification_info` for a problem; test data is read into it, so call
    it for problems whose tests fit in memory."""
    cases = []
    for test in problem.tests:
        answer = test.read_answer()
        case: dict[str, Any] = {"input": test.read_input().decode("utf-8", errors="replace"),
                                "output": answer.decode("utf-8", errors="replace") if answer is not None else None,
                                "type": "stdin_stdout", "name": test.name}
        if test.is_sample:
            case["is_sample"] = True
        if test.points is not None:
            case["points"] = test.points
        cases.append(case)
    info: dict[str, Any] = {"language": language, "test_cases": cases, "time_limit": problem.time_limit,
                            "memory_limit": problem.memory_limit}
    checker = problem.checker
    if isinstance(checker, PythonCheckerSpec):
        info["generated_checker"] = checker.code
    elif not isinstance(checker, TokensSpec):
        dumped = checker.model_dump(exclude_none=True)
        if isinstance(checker, ProgramCheckerSpec):
            dumped["code"] = checker.code
        info["checker"] = dumped
    if problem.interactor is not None:
        info["interactor"] = {"code": problem.interactor.code, "language": problem.interactor.language}
    if problem.input_mode != "stdio":
        info["input_mode"] = problem.input_mode.model_dump()
    if problem_id is not None:
        info["problem_id"] = problem_id
    return info


__all__ = ["DEFAULT_MEMORY_LIMIT", "DEFAULT_TIME_LIMIT", "InteractorInfo", "TestCaseInfo", "VerificationInfo",
           "problem_from_verification_info", "verification_info_from_problem"]

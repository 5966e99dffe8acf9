"""`verification_info`: a problem as one JSON-able value, the form RL tools pass around.

open-r1's reward functions read a `verification_info` column shaped
`{"language": ..., "test_cases": [{"input", "output", "type": "stdin_stdout"}]}`. cpforge's
datasets write the same shape with optional extras (limits, checker, interactor, file I/O),
and the reward server and adapters read it back. Keeping both directions here means a
problem survives the trip dataset -> trainer -> server unchanged, and rows written by other
tools (without the extras) still load, with documented defaults.

This is also the one place where test text and `TestCase` bytes meet: every source that
stores tests as text (open-r1's columns, statements, this format) goes through
`encode_test` and `decode_test`."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sandbox.judge.checkers.specs import CheckerSpec, ProgramCheckerSpec, PythonCheckerSpec, TokensSpec
from sandbox.judge.model import InputMode, InteractorSpec, JudgeProblem, TestCase, TestOrigin

DEFAULT_TIME_LIMIT = 2.0
DEFAULT_MEMORY_LIMIT = 256
# Sanity bounds, not policy: a day of CPU, a terabyte. A server caps limits far lower.
MAX_TIME_LIMIT = 24 * 3600
MAX_MEMORY_LIMIT = 1 << 20
_TEST_TYPES = ("stdin_stdout", "stdin", "interactive")


def encode_test(name: str, input: str, output: str | None, *, is_sample: bool = False,
                   points: float | None = None, origin: TestOrigin | None = None) -> TestCase:
    """A test whose data a source stores as text, encoded once, here. Lone surrogates (JSON
    can hold them) pass through as bytes rather than failing the whole problem."""
    return TestCase(name=name, is_sample=is_sample, points=points, origin=origin,
                    input_data=input.encode("utf-8", errors="surrogatepass"),
                    answer_data=output.encode("utf-8", errors="surrogatepass") if output is not None else None)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def decode_test(test: TestCase) -> dict[str, str | None]:
    """A test as open-r1's rows write one: ``{"input", "output"}`` text (``output`` None
    when the test has no answer). Reads path-backed data."""
    answer = test.read_answer()
    return {"input": _text(test.read_input()), "output": _text(answer) if answer is not None else None}


class _Case(BaseModel):
    """One entry of ``test_cases`` as the format spells it (text, open-r1's keys): the wire
    shape only, turned into a `TestCase` by `problem_from_verification_info`."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    input: str
    output: str | None = None
    type: str = "stdin_stdout"
    name: str | None = None
    is_sample: bool = False
    points: float | None = None


class VerificationInfo(BaseModel):
    """The format's own JSON schema (the envelope of a problem, not a second problem model:
    `problem_from_verification_info` turns it into the judge's `JudgeProblem`). Unknown keys
    are ignored so rows from other tools load; a missing limit takes the documented default
    (2 s, 256 MB); ``input_mode: "file"`` is open-r1's shorthand for input.txt / output.txt."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    language: str | None = None
    test_cases: list[_Case]
    time_limit: float = Field(DEFAULT_TIME_LIMIT, gt=0, le=MAX_TIME_LIMIT)
    memory_limit: int | float = Field(DEFAULT_MEMORY_LIMIT, gt=0, le=MAX_MEMORY_LIMIT)
    checker: CheckerSpec | None = None
    generated_checker: str | None = None
    interactor: InteractorSpec | None = None
    input_mode: InputMode = "stdio"
    problem_id: str | None = None

    @field_validator("interactor", mode="before")
    @classmethod
    def _interactor(cls, value: Any) -> Any:
        """The format names an interactor by its code alone: ``{"code", "language"}``."""
        if isinstance(value, dict):
            return InteractorSpec(source="interactor", code=value.get("code"), language=value.get("language"))
        return value

    @field_validator("time_limit", "memory_limit", mode="before")
    @classmethod
    def _none_is_default(cls, value: Any, info: Any) -> Any:
        if value is None:
            return DEFAULT_TIME_LIMIT if info.field_name == "time_limit" else DEFAULT_MEMORY_LIMIT
        return value


def problem_from_verification_info(info: VerificationInfo | dict[str, Any] | str,
                                   name: str | None = None) -> JudgeProblem:
    """A judge problem from a `verification_info` value (a dict, or its JSON text).
    Raises pydantic.ValidationError (a ValueError) for a malformed one."""
    if isinstance(info, str):
        info = json.loads(info)
    if not isinstance(info, VerificationInfo):
        info = VerificationInfo.model_validate(info)
    tests = []
    for number, case in enumerate(info.test_cases, start=1):
        if case.type not in _TEST_TYPES:
            raise ValueError(f"test {number}: unsupported test type {case.type!r}")
        tests.append(encode_test(case.name or str(number), case.input, case.output, is_sample=case.is_sample,
                                    points=case.points))
    checker = info.checker
    if info.generated_checker:
        checker = PythonCheckerSpec(code=info.generated_checker)
    return JudgeProblem(name=name or info.problem_id or "problem", time_limit=info.time_limit,
                        memory_limit=info.memory_limit, tests=tests, checker=checker or TokensSpec(),
                        interactor=info.interactor, input_mode=info.input_mode)


def verification_info_from_problem(problem: JudgeProblem, language: str | None = None,
                                   problem_id: str | None = None) -> dict[str, Any]:
    """The JSON-able `verification_info` for a problem; test data is read into it, so call
    it for problems whose tests fit in memory."""
    cases = []
    for test in problem.tests:
        case: dict[str, Any] = {**decode_test(test), "type": "stdin_stdout", "name": test.name}
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


__all__ = ["DEFAULT_MEMORY_LIMIT", "DEFAULT_TIME_LIMIT", "VerificationInfo", "problem_from_verification_info",
           "encode_test", "decode_test", "verification_info_from_problem"]

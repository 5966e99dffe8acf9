"""Request and response shapes of the judge API (`/v1/judge`, `/v1/judge/batch`).

These are the boundary: everything a client may send is validated here, and every answer,
including infrastructure failures, has one shape. A score of None always comes with an
`error` saying why, so a failed sandbox is never mistaken for a wrong answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sandbox.judge.checkers.specs import CheckerSpec
from sandbox.judge.scoring import ScoreMode
from sandbox.result import CompileResult, TestResult

ErrorKind = Literal["invalid", "not_found", "unsupported", "too_large", "judge_error", "deadline", "internal"]

MAX_SOURCE_CHARS = 1 << 20
# Beyond these a limit is nonsense rather than generous: 422. Within them, a limit above the
# server's max_time_limit / max_memory_limit is capped to it.
MAX_SECONDS = 24 * 3600
MAX_MEMORY_MB = 1 << 20


class JudgeOptionsIn(BaseModel):
    """How to judge and score. `weighted_sum` is open-r1's `1[all passed] + 0.1 * pass rate`
    and, like `pass_rate` and `points`, runs every test."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    stop_on_first_failure: bool = True
    samples_first: bool = True
    score: ScoreMode = "binary"
    judge_error_score: float | None = Field(
        None, description="score a JUDGE_ERROR (broken checker, sandbox failure) as this number instead of "
                          "leaving it None; only for callers that cannot represent a missing reward")
    no_code_score: float = Field(0.0, description="score of a completion with no code block to judge")
    include_tests: bool = Field(True, description="return per-test results")


class Submission(BaseModel):
    """One program (`code`) or one model output (`completion`: a string, a chat message or
    a list of messages; the shared extraction picks the code), and the problem: inline
    tests in the `verification_info` shape, or a `problem_id` from the server's dataset."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    code: str | None = Field(None, max_length=MAX_SOURCE_CHARS)
    completion: Any = None
    language: str | None = Field(None, max_length=32)
    verification_info: dict[str, Any] | str | None = None
    problem_id: str | None = Field(None, max_length=256)
    time_limit: float | None = Field(None, gt=0, le=MAX_SECONDS, description="override, CPU seconds per test")
    memory_limit: int | float | None = Field(None, ge=1 / 1024, le=MAX_MEMORY_MB,
                                             description="override, MB (at least 1 KB)")
    checker: CheckerSpec | None = None
    options: JudgeOptionsIn | None = None

    @model_validator(mode="after")
    def _one_program_one_problem(self) -> "Submission":
        if (self.code is None) == (self.completion is None):
            raise ValueError("give exactly one of code, completion")
        if self.verification_info is None and self.problem_id is None:
            raise ValueError("give verification_info (tests inline) or problem_id")
        return self


class JudgeRequest(Submission):
    deadline: float | None = Field(None, gt=0, le=MAX_SECONDS, description="seconds; default: the server's")


class BatchRequest(BaseModel):
    """Many submissions judged concurrently; identical sources compile once. `options`
    applies to every submission that has none of its own."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    submissions: list[Submission] = Field(min_length=1)
    options: JudgeOptionsIn | None = None
    deadline: float | None = Field(None, gt=0, le=MAX_SECONDS)


class ErrorInfo(BaseModel):
    kind: ErrorKind
    message: str


class SubmissionResult(BaseModel):
    """`verdict` is a judge verdict (AC, WA, TLE, MLE, RE, OLE, CE, JUDGE_ERROR) or NO_CODE;
    it is None when the submission could not be judged at all (`error` says why)."""

    verdict: str | None = None
    score: float | None = None
    passed: int = 0
    total: int = 0
    executed: int = Field(0, description="tests actually run (skipped ones excluded)")
    language: str | None = None
    problem_id: str | None = None
    message: str = ""
    error: ErrorInfo | None = None
    compile: CompileResult | None = Field(None, description="the compilation, diagnostics capped; no binary")
    tests: list[TestResult] = Field(default_factory=list)
    queued_seconds: float = 0.0
    judged_seconds: float = 0.0


class BatchResponse(BaseModel):
    results: list[SubmissionResult]
    elapsed: float


class Health(BaseModel):
    """`degraded`: some work has run longer than anything admitted may (`stuck`), others
    still finish; `stalled` (503): stuck work and nothing has finished for that long."""

    status: Literal["ok", "degraded", "stalled", "draining"]
    queue_depth: int
    in_flight: int
    capacity: int
    max_batch: int
    workers: int
    problems: int | None = None
    sandboxed: bool = True
    stuck: int = Field(0, description="submissions running longer than any admitted deadline allows")
    oldest_seconds: float | None = Field(None, description="how long the oldest running submission has run")
    max_tests: int | None = None

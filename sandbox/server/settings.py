"""The reward server's knobs, in one validated model.

The CLI, the tests and the in-process adapters all build a `ServerSettings`, so a limit means
the same thing whichever way the service was started."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class ServerSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    problems: str | None = Field(None, description="dataset folder or Hub id made by build-dataset")
    tokens: tuple[str, ...] = Field((), description="accepted bearer tokens; empty means no auth")
    protect_metrics: bool = Field(False, description="require a token for /metrics too")
    workers: int = Field(default_factory=lambda: os.cpu_count() or 2, ge=1, le=1024,
                         description="sandbox runs (warm boxes) in parallel")
    submission_threads: int | None = Field(
        None, ge=1, le=4096,
        description="submissions judged at once (default 2 x workers + 2); each mostly waits on its tests")
    queue_size: int = Field(2048, ge=1, description="submissions admitted (queued + running) before 429")
    max_batch: int | None = Field(None, ge=1, description="largest batch accepted (default: queue_size)")
    max_body_bytes: int = Field(64 << 20, ge=1024)
    max_inflight_bytes: int = Field(
        128 << 20, ge=1024, description="request body bytes held by all requests in flight together before 429; "
                                        "parsed bodies take several times their size in memory")
    max_tests: int = Field(10_000, ge=1, description="most tests one request may carry inline (summed over a "
                                                     "batch) and one submission may run")
    deadline: float = Field(600.0, gt=0, le=24 * 3600, description="default per-request deadline, seconds")
    drain_timeout: float = Field(120.0, ge=0, le=24 * 3600,
                                 description="graceful shutdown: seconds to finish work in flight; then the "
                                             "requests still running get 503 and their work is cancelled")
    stall_after: float | None = Field(
        None, gt=0, description="/healthz reports work running this many seconds as stuck (default: the "
                                "deadline plus twice the largest test's wall time plus two minutes)")
    max_time_limit: float = Field(30.0, gt=0, description="largest per-test CPU limit a request may ask for")
    max_memory_limit: int = Field(4096, ge=4, description="largest per-test memory limit (MB) a request may ask for")
    run_code_busy_status: int = Field(
        504, description="status /run_code answers when the queue is full: verl's SandboxFusion client "
                         "retries only 504, so the default keeps its samples from being scored as failures")
    run_code_queue_wait: float = Field(
        5.0, gt=0, le=3600, description="/run_code answers 504 when it cannot start a run within this many "
                                        "seconds, well inside verl's read timeout (compile + run + 10 s), so "
                                        "verl's client retries instead of timing out and scoring a failure")
    reward_deadline: float = Field(
        150.0, gt=0, le=24 * 3600, description="deadline of a /get_reward request, seconds (capped by "
                                               "`deadline`): below OpenRLHF's 180 s client timeout, so a late "
                                               "request gets a 503 it retries rather than a client-side abort")
    url_tokens: bool = Field(True, description="also accept a token as a URL path prefix (/t/<token>/run_code) "
                                               "for clients that cannot send a header (verl, OpenRLHF)")
    compile_cache_entries: int = Field(4096, ge=16, description="compiled programs kept in memory")
    unsafe: bool = Field(False, description="run WITHOUT isolation (trusted code on a dev machine only)")
    backend: str | None = Field(None, description="sandbox backend: local, docker or e2b (None: CPFORGE_BACKEND, "
                                                  "else local)")
    log_level: str = "info"

    @field_validator("tokens")
    @classmethod
    def _no_empty_token(cls, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """An empty token (`--token "$UNSET"`) would look like auth while matching an empty
        header; refusing it beats serving openly by accident."""
        if any(not token.strip() for token in tokens):
            raise ValueError("an empty bearer token was given (an unset variable?): give a real token, "
                             "or none at all for an open server")
        return tokens

    @model_validator(mode="after")
    def _batch_fits(self) -> "ServerSettings":
        if self.max_batch is not None and self.max_batch > self.queue_size:
            raise ValueError("max_batch cannot exceed queue_size: such a batch could never be admitted")
        if self.max_inflight_bytes < self.max_body_bytes:
            raise ValueError("max_inflight_bytes cannot be below max_body_bytes: a body of the largest "
                             "accepted size could never be admitted")
        return self

    @property
    def effective_stall_after(self) -> float:
        """Longer than any admitted work can legitimately run: the longest deadline, then what
        cancellation cannot cut short (the test in flight, up to its wall limit, and compiles
        of the solution, checker and interactor already under way: a margin of two minutes)."""
        if self.stall_after is not None:
            return self.stall_after
        return self.deadline + 2 * (2 * self.max_time_limit + 1) + 120

    @property
    def effective_threads(self) -> int:
        return self.submission_threads or 2 * self.workers + 2

    @property
    def effective_max_batch(self) -> int:
        return self.max_batch or self.queue_size

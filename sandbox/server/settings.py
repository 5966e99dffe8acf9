"""The reward server's knobs, in one validated model.

The CLI, the tests and the in-process adapters all build a `ServerSettings`, so a limit means
the same thing whichever way the service was started."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ServerSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

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
    deadline: float = Field(600.0, gt=0, le=24 * 3600, description="default per-request deadline, seconds")
    drain_timeout: float = Field(120.0, ge=0, description="graceful shutdown: seconds to finish work in flight")
    max_time_limit: float = Field(30.0, gt=0, description="largest per-test CPU limit a request may ask for")
    max_memory_limit: int = Field(4096, ge=4, description="largest per-test memory limit (MB) a request may ask for")
    run_code_busy_status: int = Field(
        504, description="status /run_code answers when the queue is full: verl's SandboxFusion client "
                         "retries only 504, so the default keeps its samples from being scored as failures")
    compile_cache_entries: int = Field(4096, ge=16, description="compiled programs kept in memory")
    unsafe: bool = Field(False, description="run WITHOUT isolation (trusted code on a dev machine only)")
    log_level: str = "info"

    @model_validator(mode="after")
    def _batch_fits(self) -> "ServerSettings":
        if self.max_batch is not None and self.max_batch > self.queue_size:
            raise ValueError("max_batch cannot exceed queue_size: such a batch could never be admitted")
        return self

    @property
    def effective_threads(self) -> int:
        return self.submission_threads or 2 * self.workers + 2

    @property
    def effective_max_batch(self) -> int:
        return self.max_batch or self.queue_size

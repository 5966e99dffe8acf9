"""The long-lived pieces behind the server (sandbox backend, judge, problems, scheduler,
metrics), built and torn down in one place so the HTTP app and the in-process reward
adapters run exactly the same machinery."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from sandbox.backends import Backend, get_backend
from sandbox.judge.cancel import Cancellation
from sandbox.judge.judging import Judge
from sandbox.server.metrics import Metrics
from sandbox.server.models import JudgeOptionsIn, Submission, SubmissionResult
from sandbox.server.problems_store import ProblemStore
from sandbox.server.scheduler import Scheduler
from sandbox.server.service import JudgeService, error_result
from sandbox.server.settings import ServerSettings

log = logging.getLogger("cpforge.server")
# After the drain timeout, how long closing may still wait for the test workers to let go.
CLOSE_GRACE = 1.0


@dataclass
class Runtime:
    settings: ServerSettings
    backend: Backend
    judge: Judge
    service: JudgeService
    scheduler: Scheduler
    metrics: Metrics
    problems: ProblemStore | None = None
    draining: bool = field(default=False)
    left_behind: bool = field(default=False)  # close() gave up on threads stuck in boxes
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)
    _cut: asyncio.Event | None = field(default=None, repr=False)
    _drain_deadline: float | None = field(default=None, repr=False)
    _live: set[Cancellation] = field(default_factory=set, repr=False)
    _live_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def build(cls, settings: ServerSettings, backend: Backend | None = None,
              metrics: Metrics | None = None) -> "Runtime":
        """Opens a backend with `settings.workers` warm boxes unless one is given. The
        problem dataset is opened first, so a bad --problems fails before any sandbox starts."""
        problems = ProblemStore(settings.problems) if settings.problems else None
        if backend is None:
            backend = get_backend("unsafe" if settings.unsafe else settings.backend, concurrency=settings.workers)
        judge = Judge(backend, jobs=settings.workers, max_compiled=settings.compile_cache_entries)
        metrics = metrics if metrics is not None else Metrics()  # the in-process adapters pass a no-op one
        scheduler = Scheduler(settings.effective_threads, settings.queue_size)
        metrics.bind_queue(lambda: scheduler.queue_depth, lambda: scheduler.in_flight, settings.queue_size)
        service = JudgeService(judge, settings, problems, metrics)
        return cls(settings=settings, backend=backend, judge=judge, service=service, scheduler=scheduler,
                   metrics=metrics, problems=problems)

    # ------------------------------------------------------------------ drain
    def attach_loop(self) -> None:
        """Called on the event loop at start-up: the drain timer and cut live there."""
        self._loop = asyncio.get_running_loop()
        self._cut = asyncio.Event()

    def begin_drain(self) -> None:
        """From the signal handler: admit nothing more, and at --drain-timeout cut the
        requests still waiting (503) and cancel their work."""
        if self._drain_deadline is not None:
            return
        self.draining = True
        self._drain_deadline = time.monotonic() + self.settings.drain_timeout
        loop, cut = self._loop, self._cut
        if loop is not None and cut is not None:
            loop.call_soon_threadsafe(lambda: loop.call_later(self.settings.drain_timeout, cut.set))

    def _track(self, cancel: Cancellation) -> Callable[[], None]:
        with self._live_lock:
            self._live.add(cancel)

        def untrack() -> None:
            with self._live_lock:
                self._live.discard(cancel)

        return untrack

    def _cancel_all(self, reason: str) -> None:
        with self._live_lock:
            live = list(self._live)
        for cancel in live:
            cancel.cancel(reason)

    # ------------------------------------------------------------------ judging
    async def judge_many(self, submissions: Sequence[Submission], defaults: JudgeOptionsIn | None,
                         deadline: float | None) -> list[SubmissionResult]:
        """Admits (or raises QueueFull / Draining) and judges them all concurrently; those not
        finished by the deadline come back with a `deadline` error, and their work is
        cancelled (no further test starts)."""
        self.scheduler.admit(len(submissions))
        limit = min(deadline, self.settings.deadline) if deadline else self.settings.deadline
        jobs = [(submission, Cancellation()) for submission in submissions]

        def judge(queued: float, job: tuple[Submission, Cancellation]) -> SubmissionResult:
            untrack = self._track(job[1])
            try:
                return self.service.judge_submission(queued, job[0], defaults, cancel=job[1])
            finally:
                untrack()

        def abandon(job: tuple[Submission, Cancellation], reason: str) -> None:
            job[1].cancel("the server is shutting down" if reason == "shutdown"
                          else f"the request's deadline of {limit:g} s passed")

        def on_timeout(job: tuple[Submission, Cancellation]) -> SubmissionResult:
            self.metrics.rejected.labels(reason="deadline").inc()
            return error_result("deadline", f"not judged within the deadline of {limit:g} s", job[0].problem_id)

        def on_error(job: tuple[Submission, Cancellation], exc: BaseException) -> SubmissionResult:
            return error_result("internal", f"{type(exc).__name__}: {exc}", job[0].problem_id)

        return await self.scheduler.run_all(judge, jobs, limit, on_timeout, on_error, abandon=abandon, cut=self._cut)

    def judge_many_sync(self, submissions: Sequence[Submission],
                        defaults: JudgeOptionsIn | None = None) -> list[SubmissionResult]:
        """The blocking form, for synchronous callers (verl's compute_score): no deadline."""
        self.scheduler.admit(len(submissions))
        futures = [self.scheduler.submit(lambda queued, s: self.service.judge_submission(queued, s, defaults), s)
                   for s in submissions]
        return [future.result() for future in futures]

    async def call(self, fn: Callable[..., Any], item: Any, deadline: float | None,
                   on_timeout: Callable[[Any], Any], start_within: float | None = None,
                   on_not_started: Callable[[Any], Any] | None = None) -> Any:
        """One admitted unit of other work (a /run_code request), within the server's deadline;
        with `start_within`, `on_not_started(item)` if no thread picked it up by then."""
        self.scheduler.admit(1)
        limit = min(deadline, self.settings.deadline) if deadline else self.settings.deadline
        return (await self.scheduler.run_all(fn, [item], limit, on_timeout, cut=self._cut, start_within=start_within,
                                             on_not_started=on_not_started))[0]

    # ------------------------------------------------------------------ health
    def health(self) -> tuple[str, int, float | None]:
        """(status, stuck submissions, age of the oldest running one). Work running past
        `stall_after` cannot be legitimate (deadlines cancel it, tests are bounded): `degraded`
        while other work still finishes, `stalled` when nothing has finished for that long."""
        ages, since_finished = self.scheduler.progress()
        if self.draining:
            return "draining", 0, ages[0] if ages else None
        threshold = self.settings.effective_stall_after
        stuck = sum(age > threshold for age in ages)
        status = "ok" if not stuck else ("stalled" if since_finished > threshold else "degraded")
        return status, stuck, ages[0] if ages else None

    def close(self) -> None:
        """Drains: admits nothing more, waits for admitted work until the drain deadline
        (--drain-timeout after the signal, or from now), then cancels what is left and stops
        the sandboxes without waiting for threads stuck in a box."""
        self.draining = True
        deadline = self._drain_deadline or time.monotonic() + self.settings.drain_timeout
        finished = self.scheduler.close(timeout=max(0.0, deadline - time.monotonic()))
        if not finished:
            self._cancel_all("the server is shutting down")
            log.warning("drain timeout: cancelled the work still running")
            finished = self.scheduler.close(timeout=CLOSE_GRACE)
        judge_done = self.judge.close(timeout=None if finished else CLOSE_GRACE)
        self.left_behind = not (finished and judge_done)
        self.backend.close()


__all__ = ["Runtime"]

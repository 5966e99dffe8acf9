"""The long-lived pieces behind the server (sandbox backend, judge, problems, scheduler,
metrics), built and torn down in one place so the HTTP app and the in-process reward
adapters run exactly the same machinery."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..backends import Backend, get_backend
from ..judge.judging import Judge
from .metrics import Metrics
from .models import JudgeOptionsIn, Submission, SubmissionResult
from .problems_store import ProblemStore
from .scheduler import Scheduler
from .service import JudgeService, error_result
from .settings import ServerSettings


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

    @classmethod
    def build(cls, settings: ServerSettings, backend: Backend | None = None) -> "Runtime":
        """Opens a backend with `settings.workers` warm boxes unless one is given. The
        problem dataset is opened first, so a bad --problems fails before any sandbox starts."""
        problems = ProblemStore(settings.problems) if settings.problems else None
        if backend is None:
            backend = get_backend("unsafe" if settings.unsafe else None, concurrency=settings.workers)
        judge = Judge(backend, jobs=settings.workers, max_compiled=settings.compile_cache_entries)
        metrics = Metrics()
        scheduler = Scheduler(settings.effective_threads, settings.queue_size)
        metrics.bind_queue(lambda: scheduler.queue_depth, lambda: scheduler.in_flight, settings.queue_size)
        service = JudgeService(judge, settings, problems, metrics)
        return cls(settings=settings, backend=backend, judge=judge, service=service, scheduler=scheduler,
                   metrics=metrics, problems=problems)

    async def judge_many(self, submissions: Sequence[Submission], defaults: JudgeOptionsIn | None,
                         deadline: float | None) -> list[SubmissionResult]:
        """Admits (or raises QueueFull / Draining) and judges them all concurrently; those not
        finished by the deadline come back with a `deadline` error."""
        self.scheduler.admit(len(submissions))
        limit = min(deadline, self.settings.deadline) if deadline else self.settings.deadline

        def on_timeout(submission: Submission) -> SubmissionResult:
            self.metrics.rejected.labels(reason="deadline").inc()
            return error_result("deadline", f"not judged within the deadline of {limit:g} s", submission.problem_id)

        def on_error(submission: Submission, exc: BaseException) -> SubmissionResult:
            return error_result("internal", f"{type(exc).__name__}: {exc}", submission.problem_id)

        return await self.scheduler.run_all(lambda queued, s: self.service.judge_submission(queued, s, defaults),
                                            submissions, limit, on_timeout, on_error)

    def judge_many_sync(self, submissions: Sequence[Submission],
                        defaults: JudgeOptionsIn | None = None) -> list[SubmissionResult]:
        """The blocking form, for synchronous callers (verl's compute_score): no deadline."""
        self.scheduler.admit(len(submissions))
        futures = [self.scheduler.submit(lambda queued, s: self.service.judge_submission(queued, s, defaults), s)
                   for s in submissions]
        return [future.result() for future in futures]

    async def call(self, fn: Callable[..., Any], item: Any, deadline: float | None,
                   on_timeout: Callable[[Any], Any]) -> Any:
        """One admitted unit of other work (a /run_code request)."""
        self.scheduler.admit(1)
        return (await self.scheduler.run_all(fn, [item], deadline or self.settings.deadline, on_timeout))[0]

    def close(self) -> None:
        """Drains: admits nothing more, waits for admitted work, then stops the sandboxes."""
        self.draining = True
        self.scheduler.close(wait=True)
        self.judge.close()
        self.backend.close()


__all__ = ["Runtime"]

"""The reward server's HTTP surface (FastAPI): routes, status codes, and the wiring of guards,
backpressure and metrics. The judging itself lives in `service`, `scheduler` and `runtime`.

Verdict codes a client can act on: 401 bad token, 413 body, batch or test count too large,
422 malformed request (NaN, lone surrogates and absurd limits included) or unknown label,
404 unknown problem id, 429 queue full or too many body bytes in flight (Retry-After), 503
shutting down (Retry-After; also a request still running at --drain-timeout), 504 deadline
passed (single submission; /run_code: no run could start within --run-code-queue-wait, or
it would answer after verl's read timeout), 200 otherwise, including JUDGE_ERROR results, which carry
`score: null` and their reason."""

from __future__ import annotations

import threading
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import Depends, FastAPI, Query, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.server.bounds import inline_tests
from sandbox.server.http_guards import BodySizeLimit, UrlToken, bearer_auth
from sandbox.server.labels import LabelError
from sandbox.server.models import (
    BatchRequest, BatchResponse, Health, JudgeRequest, ScoreMode, Submission, SubmissionResult)
from sandbox.server.openrlhf import RewardRequest, bad_labels, build_submissions, failures, reward_response
from sandbox.server.runtime import Runtime
from sandbox.server.sandboxfusion import RunCodeRequest, RunCodeResponse, run_code
from sandbox.server.scheduler import Draining, QueueFull
from sandbox.server.settings import ServerSettings
from sandbox.server.strict_json import StrictJSONRoute, validation_error_response

ENDPOINTS = ("/v1/judge", "/v1/judge/batch", "/run_code", "/get_reward", "/healthz", "/metrics")
# verl's SandboxFusion client reads for compile_timeout + run_timeout + this many seconds and
# never retries a read timeout (it scores the test as failed); it retries a 504. So /run_code
# answers 504 a margin before that moment rather than a late 200 verl never reads.
VERL_API_TIMEOUT = 10.0
CLIENT_MARGIN = 2.0
NOT_STARTED, LATE = object(), object()
SINGLE_ERROR_STATUS = {"invalid": 422, "unsupported": 422, "too_large": 413, "not_found": 404, "deadline": 504,
                       "internal": 500}


def _json(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(content=model.model_dump_json(), status_code=status, media_type="application/json",
                    headers=headers)


class _RequestTimer:
    """Per-endpoint latency histogram, as plain ASGI so it costs next to nothing."""

    def __init__(self, app: ASGIApp, runtime_of) -> None:
        self.app = app
        self.runtime_of = runtime_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            runtime = self.runtime_of()
            if runtime is not None:
                path = scope.get("path", "")
                endpoint = path if path in ENDPOINTS else "other"
                runtime.metrics.request_seconds.labels(endpoint=endpoint).observe(time.perf_counter() - started)


def create_app(settings: ServerSettings, runtime: Runtime | None = None) -> FastAPI:
    """The ASGI app. Without a `runtime`, one is built on start-up and drained on shutdown."""
    holder: dict[str, Runtime] = {}
    if runtime is not None:
        holder["runtime"] = runtime

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if "runtime" not in holder:
            holder["runtime"] = Runtime.build(settings)
        holder["runtime"].attach_loop()
        try:
            yield
        finally:
            holder["runtime"].close()

    app = FastAPI(title="cpforge reward server", version="1", lifespan=lifespan)
    app.router.route_class = StrictJSONRoute  # NaN, Infinity, lone surrogates: 422
    app.add_exception_handler(RequestValidationError, validation_error_response)
    app.state.holder = holder

    def rt() -> Runtime:
        return holder["runtime"]

    def reject(reason: str):
        return lambda: holder["runtime"].metrics.rejected.labels(reason=reason).inc() if "runtime" in holder else None

    auth = Depends(bearer_auth(settings.tokens, reject("auth")))
    metrics_deps = [auth] if settings.protect_metrics else []

    def busy(exc: Exception, status: int = 429) -> Response:
        if isinstance(exc, QueueFull):
            rt().metrics.rejected.labels(reason="queue_full").inc()
            return JSONResponse({"detail": str(exc), "retry_after": exc.retry_after}, status_code=status,
                                headers={"Retry-After": str(exc.retry_after)})
        rt().metrics.rejected.labels(reason="draining").inc()
        return JSONResponse({"detail": "the server is shutting down"}, status_code=503,
                            headers={"Retry-After": "5", "Connection": "close"})

    def check_batch(submissions: list[Submission] | int) -> Response | None:
        if rt().draining:
            return busy(Draining())
        count = submissions if isinstance(submissions, int) else len(submissions)
        if count > settings.effective_max_batch:
            rt().metrics.rejected.labels(reason="batch_too_large").inc()
            return JSONResponse({"detail": f"batch of {count} exceeds the limit of {settings.effective_max_batch}; "
                                           "split it (GET /healthz tells max_batch)"}, status_code=413)
        tests = 0 if isinstance(submissions, int) else inline_tests(submissions)
        if tests > settings.max_tests:
            rt().metrics.rejected.labels(reason="too_many_tests").inc()
            return JSONResponse({"detail": f"the request carries {tests} tests, more than the limit of "
                                           f"{settings.max_tests} per request (--max-tests); split it"},
                                status_code=413)
        return None

    # ------------------------------------------------------------------ judge API
    @app.post("/v1/judge", dependencies=[auth], response_model=SubmissionResult)
    async def judge_one(request: JudgeRequest) -> Response:
        submission = Submission.model_validate(request.model_dump(exclude={"deadline"}, exclude_unset=True))
        refused = check_batch([submission])
        if refused is not None:
            return refused
        try:
            [result] = await rt().judge_many([submission], None, request.deadline)
        except (QueueFull, Draining) as exc:
            return busy(exc)
        status = SINGLE_ERROR_STATUS.get(result.error.kind, 200) if result.error else 200
        return _json(result, status)

    @app.post("/v1/judge/batch", dependencies=[auth], response_model=BatchResponse)
    async def judge_batch(request: BatchRequest) -> Response:
        refused = check_batch(request.submissions)
        if refused is not None:
            return refused
        started = time.monotonic()
        try:
            results = await rt().judge_many(request.submissions, request.options, request.deadline)
        except (QueueFull, Draining) as exc:
            return busy(exc)
        return _json(BatchResponse(results=results, elapsed=round(time.monotonic() - started, 6)))

    # ------------------------------------------------------------------ SandboxFusion
    # One run per /run_code request and `workers` boxes: a request that cannot get one of
    # these within --run-code-queue-wait is told 504 (verl retries it) instead of waiting on.
    run_slots = threading.BoundedSemaphore(settings.workers)

    @app.post("/run_code", dependencies=[auth], response_model=RunCodeResponse)
    async def sandbox_fusion_run_code(request: RunCodeRequest) -> Response:
        runtime = rt()
        if runtime.draining:
            return busy(Draining())
        wait = settings.run_code_queue_wait
        budget = max(wait, request.compile_timeout + request.run_timeout + VERL_API_TIMEOUT - CLIENT_MARGIN)

        def job(queued: float, item: RunCodeRequest) -> object:
            if not run_slots.acquire(timeout=max(0.0, wait - queued)):
                return NOT_STARTED
            try:
                return run_code(runtime.judge, item, settings, runtime.metrics)
            finally:
                run_slots.release()

        try:
            response = await runtime.call(job, request, budget, lambda _: LATE, start_within=wait,
                                          on_not_started=lambda _: NOT_STARTED)
        except (QueueFull, Draining) as exc:
            return busy(exc, settings.run_code_busy_status)
        if response is NOT_STARTED or response is LATE:
            late = response is LATE
            runtime.metrics.rejected.labels(reason="run_code_late" if late else "run_code_queue_wait").inc()
            detail = (f"the run did not finish within {budget:g} s" if late else
                      f"no run could start within {wait:g} s (--run-code-queue-wait)")
            return JSONResponse({"detail": f"{detail}; retry", "retry_after": 1}, status_code=504,
                                headers={"Retry-After": "1"})
        assert isinstance(response, RunCodeResponse)
        return _json(response)

    # ------------------------------------------------------------------ OpenRLHF
    @app.post("/get_reward", dependencies=[auth])
    async def openrlhf_reward(request: RewardRequest,
                              score: ScoreMode = Query("binary"),
                              language: str | None = Query(None),
                              judge_error_reward: float | None = Query(None, allow_inf_nan=False)) -> Response:
        refused = check_batch(len(request.query))
        if refused is not None:
            return refused
        try:
            submissions = build_submissions(request, score, language, judge_error_reward)
        except (LabelError, ValueError) as exc:
            return JSONResponse({"detail": str(exc)}, status_code=422)
        refused = check_batch(submissions)
        if refused is not None:
            return refused
        try:
            results = await rt().judge_many(submissions, None, settings.reward_deadline)
        except (QueueFull, Draining) as exc:
            return busy(exc)
        bad = bad_labels(results)
        if bad:
            return JSONResponse({"detail": bad}, status_code=422)
        failed = failures(results, judge_error_reward)
        if failed:
            return JSONResponse({"detail": "the judge failed; no reward was invented (retry, or set "
                                           "?judge_error_reward=<number>)", "errors": failed},
                                status_code=503, headers={"Retry-After": "1"})
        return _json(reward_response(results, judge_error_reward))

    # ------------------------------------------------------------------ operations
    @app.get("/healthz", response_model=Health)
    async def healthz() -> Response:
        runtime = rt()
        status, stuck, oldest = runtime.health()
        health = Health(status=status, queue_depth=runtime.scheduler.queue_depth,
                        in_flight=runtime.scheduler.in_flight, capacity=settings.queue_size,
                        max_batch=settings.effective_max_batch, workers=settings.workers,
                        problems=len(runtime.problems) if runtime.problems is not None else None,
                        sandboxed=runtime.backend.sandboxed, stuck=stuck,
                        oldest_seconds=round(oldest, 3) if oldest is not None else None, max_tests=settings.max_tests)
        return _json(health, 503 if status in ("draining", "stalled") else 200)

    @app.get("/metrics", dependencies=metrics_deps)
    async def metrics() -> Response:
        body, content_type = rt().metrics.render()
        return Response(content=body, media_type=content_type)

    # Outermost first (the last added wraps the others): time everything, take a token off the
    # URL path, then refuse oversized bodies before they are read.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, on_reject=reject("too_large"),
                       max_inflight=settings.max_inflight_bytes, on_busy=reject("bytes_in_flight"),
                       busy_status={"/run_code": settings.run_code_busy_status})
    if settings.url_tokens and settings.tokens:  # outside the size limit, which picks statuses by path
        app.add_middleware(UrlToken, tokens=settings.tokens, on_reject=reject("auth"),
                           max_discard=settings.max_body_bytes)
    app.add_middleware(_RequestTimer, runtime_of=lambda: holder.get("runtime"))
    return app


__all__ = ["create_app"]

"""HTTP clients for the reward server, used by the trainer adapters.

They honour the server's backpressure: 429 and 503 are retried after Retry-After until the
caller's time budget runs out, and a batch larger than the server's `max_batch` is split
(the limit is read once from /healthz), as is one carrying more inline tests than its
`max_tests`. Anything else unexpected raises `ServerError`, so a
dead or misconfigured server stops training loudly instead of turning into zero rewards."""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any, Sequence

import httpx

from sandbox.server.models import BatchRequest, BatchResponse, JudgeOptionsIn, Submission, SubmissionResult

RETRY_STATUSES = (429, 503)
CONNECT_ATTEMPTS = 5


class ServerError(RuntimeError):
    """The reward server could not be reached or refused the request."""


def _retry_delay(response: httpx.Response | None, attempt: int) -> float:
    header = response.headers.get("retry-after") if response is not None else None
    try:
        base = float(header) if header is not None else min(8.0, 0.5 * 2 ** attempt)
    except ValueError:
        base = 1.0
    return base * random.uniform(0.8, 1.2)  # spread the retries of many clients


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _payload(chunk: Sequence[Submission], options: JudgeOptionsIn | None, deadline: float) -> bytes:
    request = BatchRequest(submissions=list(chunk), options=options, deadline=min(24 * 3600.0, max(1.0, deadline)))
    return request.model_dump_json(exclude_none=True).encode()


def _inline_tests(submission: Submission) -> int:
    info: Any = submission.verification_info
    if isinstance(info, str):
        try:
            info = json.loads(info)
        except ValueError:
            return 0
    cases = info.get("test_cases") if isinstance(info, dict) else None
    return len(cases) if isinstance(cases, list) else 0


def _chunks(items: Sequence[Submission], size: int, max_tests: int | None = None) -> list[Sequence[Submission]]:
    """At most `size` submissions and (when a chunk has more than one) `max_tests` inline
    tests per chunk: the server refuses a request over either with 413."""
    chunks: list[Sequence[Submission]] = []
    current: list[Submission] = []
    tests = 0
    for item in items:
        count = _inline_tests(item) if max_tests else 0
        if current and (len(current) >= size or (max_tests and tests + count > max_tests)):
            chunks.append(current)
            current, tests = [], 0
        current.append(item)
        tests += count
    if current:
        chunks.append(current)
    return chunks


def _health(response: httpx.Response) -> dict[str, Any]:
    return response.json() if response.status_code == 200 else {}


def _limits(health: dict[str, Any]) -> tuple[int, int | None]:
    max_tests = health.get("max_tests")
    return int(health.get("max_batch", 256)), int(max_tests) if max_tests else None


def _fail(response: httpx.Response) -> ServerError:
    return ServerError(f"reward server answered {response.status_code}: {response.text[:500]}")


class AsyncJudgeClient:
    """Async client. An `httpx.AsyncClient` is opened per call, because TRL may call from
    an event loop other than the one a cached client was bound to."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 900.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._health: dict[str, Any] | None = None

    def _client(self) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        return httpx.AsyncClient(base_url=self.url, headers=_headers(self.token), limits=limits,
                                 timeout=httpx.Timeout(self.timeout, connect=10.0))

    async def _read_health(self, client: httpx.AsyncClient, deadline: float) -> dict[str, Any]:
        if self._health is None:
            self._health = _health(await self._send(client, "GET", "/healthz", None, deadline, retry_busy=False))
        return self._health

    async def server_problems(self) -> int | None:
        """How many problems the server's `--problems` dataset has; None without one."""
        if self._health is None:
            async with self._client() as client:
                await self._read_health(client, time.monotonic() + self.timeout)
        problems = (self._health or {}).get("problems")
        return int(problems) if problems is not None else None

    async def judge(self, submissions: Sequence[Submission],
                    options: JudgeOptionsIn | None = None) -> list[SubmissionResult]:
        if not submissions:
            return []
        deadline = time.monotonic() + self.timeout
        async with self._client() as client:
            limits = _limits(await self._read_health(client, deadline))
            parts = await asyncio.gather(*(self._post(client, chunk, options, deadline)
                                           for chunk in _chunks(submissions, *limits)))
        return [result for part in parts for result in part]

    async def _post(self, client: httpx.AsyncClient, chunk: Sequence[Submission],
                    options: JudgeOptionsIn | None, deadline: float) -> list[SubmissionResult]:
        body = _payload(chunk, options, deadline - time.monotonic())
        response = await self._send(client, "POST", "/v1/judge/batch", body, deadline)
        if response.status_code != 200:
            raise _fail(response)
        return BatchResponse.model_validate_json(response.content).results

    async def _send(self, client: httpx.AsyncClient, method: str, path: str, body: bytes | None,
                    deadline: float, retry_busy: bool = True) -> httpx.Response:
        attempt = 0
        while True:
            response = None
            try:
                response = await client.request(method, path, content=body,
                                                headers={"Content-Type": "application/json"} if body else None)
                if not (retry_busy and response.status_code in RETRY_STATUSES):
                    return response
            except httpx.TransportError as exc:
                if attempt + 1 >= CONNECT_ATTEMPTS or time.monotonic() >= deadline:
                    raise ServerError(f"cannot reach the reward server at {self.url}: {exc}") from exc
            delay = _retry_delay(response, attempt)
            if time.monotonic() + delay >= deadline:
                raise ServerError(f"reward server still busy after {self.timeout:g} s") if response is not None \
                    else ServerError(f"cannot reach the reward server at {self.url}")
            attempt += 1
            await asyncio.sleep(delay)


class JudgeClient:
    """Blocking client with the same behaviour; one connection pool, safe across threads."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 900.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._client = httpx.Client(base_url=self.url, headers=_headers(token),
                                    timeout=httpx.Timeout(timeout, connect=10.0))
        self._limits: tuple[int, int | None] | None = None

    def close(self) -> None:
        self._client.close()

    def judge(self, submissions: Sequence[Submission], options: JudgeOptionsIn | None = None) -> list[SubmissionResult]:
        if not submissions:
            return []
        deadline = time.monotonic() + self.timeout
        if self._limits is None:
            self._limits = _limits(_health(self._send("GET", "/healthz", None, deadline, retry_busy=False)))
        results: list[SubmissionResult] = []
        for chunk in _chunks(submissions, *self._limits):
            response = self._send("POST", "/v1/judge/batch", _payload(chunk, options, deadline - time.monotonic()),
                                  deadline)
            if response.status_code != 200:
                raise _fail(response)
            results.extend(BatchResponse.model_validate_json(response.content).results)
        return results

    def _send(self, method: str, path: str, body: bytes | None, deadline: float,
              retry_busy: bool = True) -> httpx.Response:
        attempt = 0
        while True:
            response = None
            try:
                response = self._client.request(method, path, content=body,
                                                headers={"Content-Type": "application/json"} if body else None)
                if not (retry_busy and response.status_code in RETRY_STATUSES):
                    return response
            except httpx.TransportError as exc:
                if attempt + 1 >= CONNECT_ATTEMPTS or time.monotonic() >= deadline:
                    raise ServerError(f"cannot reach the reward server at {self.url}: {exc}") from exc
            delay = _retry_delay(response, attempt)
            if time.monotonic() + delay >= deadline:
                raise ServerError(f"reward server still busy after {self.timeout:g} s")
            attempt += 1
            time.sleep(delay)


__all__ = ["AsyncJudgeClient", "JudgeClient", "ServerError"]

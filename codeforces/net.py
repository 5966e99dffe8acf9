"""Rate limiting, retry policy and the error types shared by the API and page clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from codeforces.config import ScrapeConfig

__all__ = [
    "RateLimiter",
    "ScrapeError",
    "RetryableError",
    "CodeforcesAPIError",
    "OfflineMiss",
    "make_client",
    "retrying",
]


class ScrapeError(Exception):
    """Base class for everything the scraper raises on purpose."""


class RetryableError(ScrapeError):
    """A failure that may go away if asked again later (rate limit, 5xx, challenge, ...)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason)


class CodeforcesAPIError(ScrapeError):
    """The API answered FAILED for a reason retrying will not fix (bad parameters, ...)."""


class OfflineMiss(ScrapeError):
    """Offline mode was asked for something the cache does not hold."""


class RateLimiter:
    """At most one request start per ``interval`` seconds, shared by all threads.

    Requests are given start slots in order, so N workers never burst; ``penalize``
    pushes the next slot out after the server says we were too fast.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self.interval
        delay = start - now
        if delay > 0:
            time.sleep(delay)

    def penalize(self, seconds: float) -> None:
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


def make_client(config: ScrapeConfig) -> httpx.Client:
    """One pooled HTTP client; redirects are not followed so login redirects stay visible."""
    return httpx.Client(
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=False,
        headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
        limits=httpx.Limits(max_connections=config.page_concurrency + 2),
    )


def retrying(config: ScrapeConfig, on_retry: Callable[[RetryCallState], None] | None = None) -> Retrying:
    """Exponential backoff with jitter, only for `RetryableError`; the last error is re-raised."""
    return Retrying(
        stop=stop_after_attempt(config.max_attempts),
        wait=wait_exponential(multiplier=config.backoff_initial, max=config.backoff_max)
        + wait_random(0, config.backoff_initial / 2),
        retry=retry_if_exception_type(RetryableError),
        reraise=True,
        before_sleep=on_retry,
    )


def transport_error(exc: httpx.HTTPError) -> RetryableError:
    """Map httpx failures (timeouts, resets, truncated bodies) to a retryable reason."""
    if isinstance(exc, httpx.TimeoutException):
        return RetryableError("timeout", str(exc) or type(exc).__name__)
    if isinstance(exc, httpx.RemoteProtocolError):
        return RetryableError("truncated", str(exc))
    return RetryableError("network", f"{type(exc).__name__}: {exc}")

"""Prometheus metrics for the reward server.

Each service gets its own registry, so several servers (tests, the bench) can live in one
process without their counters colliding. Queue depth and in-flight counts are read live
from the scheduler when scraped, so they can never drift from the truth."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable

# prometheus_client is imported when a `Metrics` is built, not with this module: the
# in-process reward adapters import the scheduler (and `RateWindow`) but record no metrics.

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class RateWindow:
    """Events per second over the last `window` seconds, for a directly readable rate
    next to the raw counter (which Prometheus turns into rates itself)."""

    def __init__(self, window: float = 10.0) -> None:
        self.window = window
        self._events: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()

    def add(self, count: int = 1) -> None:
        now = time.monotonic()
        with self._lock:
            self._events.append((now, count))
            self._trim(now)

    def rate(self) -> float:
        now = time.monotonic()
        with self._lock:
            self._trim(now)
            return sum(count for _, count in self._events) / self.window

    def _trim(self, now: float) -> None:
        while self._events and self._events[0][0] < now - self.window:
            self._events.popleft()


REJECTION_REASONS = ("auth", "too_large", "bytes_in_flight", "queue_full", "draining", "batch_too_large",
                     "too_many_tests", "deadline", "run_code_late", "run_code_queue_wait")


class Metrics:
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

        # The `*_created` timestamp series double the output and no dashboard reads them.
        disable_created_metrics()
        self.registry = CollectorRegistry()
        registry = self.registry
        self.queue_depth = Gauge("cpforge_queue_depth", "Submissions admitted and waiting for a worker",
                                 registry=registry)
        self.in_flight = Gauge("cpforge_in_flight", "Submissions being judged now", registry=registry)
        self.capacity = Gauge("cpforge_queue_capacity", "Submissions admitted before the server answers 429",
                              registry=registry)
        self.submissions = Counter("cpforge_submissions", "Submissions finished, by verdict", ["verdict"],
                                   registry=registry)
        self.test_runs = Counter("cpforge_test_runs", "Test runs executed (skipped tests excluded)",
                                 registry=registry)
        self.runs_per_second = Gauge("cpforge_runs_per_second", "Test runs per second over the last 10 s",
                                     registry=registry)
        self.compile_cache = Counter("cpforge_compile_cache", "Compile cache lookups, by result", ["result"],
                                     registry=registry)
        self.rejected = Counter("cpforge_rejected_requests", "Requests refused, by reason", ["reason"],
                                registry=registry)
        # Every reason is exported from the start, at 0: a dashboard (or an alert on a rate)
        # then sees the series before the first refusal, not only after it.
        for reason in REJECTION_REASONS:
            self.rejected.labels(reason=reason)
        self.submission_seconds = Histogram("cpforge_submission_seconds", "Admission to result, per submission",
                                            buckets=LATENCY_BUCKETS, registry=registry)
        self.queue_wait_seconds = Histogram("cpforge_queue_wait_seconds", "Admission to start of judging",
                                            buckets=LATENCY_BUCKETS, registry=registry)
        self.request_seconds = Histogram("cpforge_request_seconds", "HTTP request latency, by endpoint",
                                         ["endpoint"], buckets=LATENCY_BUCKETS, registry=registry)
        self._runs = RateWindow()
        self.runs_per_second.set_function(self._runs.rate)

    def bind_queue(self, depth: Callable[[], float], in_flight: Callable[[], float], capacity: int) -> None:
        self.queue_depth.set_function(depth)
        self.in_flight.set_function(in_flight)
        self.capacity.set(capacity)

    def record_runs(self, count: int) -> None:
        if count:
            self.test_runs.inc(count)
            self._runs.add(count)

    def record_submission(self, verdict: str, queued: float, total: float, compile_cached: bool | None) -> None:
        self.submissions.labels(verdict=verdict).inc()
        self.queue_wait_seconds.observe(queued)
        self.submission_seconds.observe(total)
        if compile_cached is not None:
            self.compile_cache.labels(result="hit" if compile_cached else "miss").inc()

    def render(self) -> tuple[bytes, str]:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self.registry), CONTENT_TYPE_LATEST


__all__ = ["Metrics", "RateWindow"]

"""Admission control and the submission worker pool: the server's backpressure.

Every submission is admitted before it is queued. Admission counts submissions, not
requests, and holds a slot from admission until the work has really finished (a request
that timed out or whose client left still holds its slots while its submission runs), so the
memory and the sandbox time the server commits to are bounded by `capacity`. Over capacity
the caller gets `QueueFull` at once, with an estimate of when to retry, instead of waiting
behind a queue it cannot see: the HTTP layer turns that into 429 + Retry-After.

Threads, not processes: the heavy work runs in sandboxed child processes, so a Python
thread per submission only waits on pipes, and one process keeps one compile cache and one
queue for everyone."""

from __future__ import annotations

import asyncio
import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Sequence

from sandbox.server.metrics import RateWindow


class QueueFull(Exception):
    """The server has no room for these submissions now; retry after `retry_after` s."""

    def __init__(self, requested: int, pending: int, capacity: int, retry_after: int) -> None:
        super().__init__(f"queue full: {pending} of {capacity} submission slots in use, {requested} requested")
        self.retry_after = retry_after


class Draining(Exception):
    """The server is shutting down and admits no new work."""


class Scheduler:
    def __init__(self, threads: int, capacity: int) -> None:
        self.capacity = capacity
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="submission")
        self._lock = threading.Lock()
        self._pending = 0   # admitted and not finished
        self._running: dict[int, float] = {}  # work id -> when it started
        self._next_id = 0
        self._finished = RateWindow(window=30.0)
        self._last_finished = time.monotonic()  # start-up counts, so a new server is not "stalled"
        self._closed = False

    # ------------------------------------------------------------------ state
    @property
    def pending(self) -> int:
        return self._pending

    @property
    def in_flight(self) -> int:
        return len(self._running)

    @property
    def queue_depth(self) -> int:
        with self._lock:
            return self._pending - len(self._running)

    def progress(self) -> tuple[list[float], float]:
        """(how long each running unit of work has run, seconds since one last finished):
        what /healthz needs to tell a busy server from a stuck one."""
        now = time.monotonic()
        with self._lock:
            return sorted((now - started for started in self._running.values()), reverse=True), \
                now - self._last_finished

    @property
    def draining(self) -> bool:
        return self._closed

    # ------------------------------------------------------------------ admission
    def admit(self, count: int) -> None:
        """Reserves `count` slots or raises QueueFull (or Draining). Every admitted slot
        must then be handed to `submit` (or returned with `release`)."""
        with self._lock:
            if self._closed:
                raise Draining("the server is shutting down")
            if self._pending + count > self.capacity:
                raise QueueFull(count, self._pending, self.capacity, self._retry_after(count))
            self._pending += count

    def release(self, count: int) -> None:
        with self._lock:
            self._pending -= count

    def _retry_after(self, count: int) -> int:
        """Seconds until roughly enough slots free up, from the recent completion rate."""
        rate = self._finished.rate()
        excess = self._pending + count - self.capacity
        if rate <= 0:
            return 1
        return max(1, min(60, math.ceil(excess / rate)))

    # ------------------------------------------------------------------ work
    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Runs one admitted unit of work on the pool; its slot is freed when it finishes,
        or at once if it is cancelled before starting."""
        admitted_at = time.monotonic()

        def work() -> Any:
            with self._lock:
                key = self._next_id
                self._next_id += 1
                self._running[key] = time.monotonic()
            try:
                return fn(time.monotonic() - admitted_at, *args)
            finally:
                with self._lock:
                    del self._running[key]
                    self._pending -= 1
                    self._last_finished = time.monotonic()
                self._finished.add()

        try:
            future = self._pool.submit(work)
        except RuntimeError:  # pool shut down between admission and submission
            self.release(1)
            raise Draining("the server is shutting down") from None
        future.add_done_callback(self._release_if_cancelled)
        return future

    def _release_if_cancelled(self, future: Future) -> None:
        if future.cancelled():
            self.release(1)

    async def run_all(self, fn: Callable[..., Any], items: Sequence[Any], deadline: float | None,
                      on_timeout: Callable[[Any], Any],
                      on_error: Callable[[Any, BaseException], Any] | None = None,
                      abandon: Callable[[Any, str], None] | None = None,
                      cut: asyncio.Event | None = None, start_within: float | None = None,
                      on_not_started: Callable[[Any], Any] | None = None) -> list[Any]:
        """Runs `fn(queued_seconds, item)` for each admitted item concurrently and waits up to
        `deadline` seconds; an item not done by then gets `on_timeout(item)`. Queued items are
        cancelled; running ones are told to stop with `abandon(item, reason)` and finish in
        the background, still holding their slot. When `cut` is set first (the server's
        drain timeout), unfinished items are abandoned the same way and Draining is raised.
        With `start_within`, an item no thread has picked up by then is cancelled (its slot
        freed) and gets `on_not_started(item)`: a caller that would rather be told "busy"
        than wait in the queue."""
        futures: list[Future] = []
        for index, item in enumerate(items):
            try:
                futures.append(self.submit(fn, item))
            except Draining:  # shut down mid-batch: hand back the slots never used
                self.release(len(items) - index - 1)
                for future in futures:
                    future.cancel()
                raise
        waiters = [asyncio.wrap_future(future) for future in futures]
        was_cut = False
        not_started: set[int] = set()
        capped = start_within is not None and on_not_started is not None and \
            (deadline is None or start_within < deadline)
        if waiters and capped:
            assert start_within is not None
            was_cut = await _wait_all(waiters, start_within, cut)
            if not was_cut:
                # cancel() succeeds only for work still queued: what has started goes on
                not_started = {i for i, future in enumerate(futures) if not future.done() and future.cancel()}
                rest = [waiter for i, waiter in enumerate(waiters) if i not in not_started]
                if rest:
                    was_cut = await _wait_all(rest, None if deadline is None else deadline - start_within, cut)
        elif waiters:
            was_cut = await _wait_all(waiters, deadline, cut)
        results = []
        for index, (item, future, waiter) in enumerate(zip(items, futures, waiters)):
            if index in not_started:
                assert on_not_started is not None
                results.append(on_not_started(item))
            elif future.done() and not future.cancelled():
                error = future.exception()
                if error is None:
                    results.append(future.result())
                elif on_error is None:
                    raise error
                else:
                    results.append(on_error(item, error))
            else:
                future.cancel()
                waiter.cancel()
                if abandon is not None:
                    abandon(item, "shutdown" if was_cut else "deadline")
                if not was_cut:
                    results.append(on_timeout(item))
        if was_cut and len(results) < len(items):
            raise Draining("the server shut down (--drain-timeout) before this request was judged")
        return results

    def close(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Stops admitting and cancels what has not started; then (by default) waits for
        the work that has, up to `timeout` seconds. Returns whether it all finished."""
        with self._lock:
            self._closed = True
        if not wait:
            self._pool.shutdown(wait=False, cancel_futures=True)
            return not self._running
        if timeout is None:
            self._pool.shutdown(wait=True, cancel_futures=False)
            return True
        self._pool.shutdown(wait=False, cancel_futures=False)
        end = time.monotonic() + timeout
        while self._pending and time.monotonic() < end:
            time.sleep(0.02)
        if self._pending:
            self._pool.shutdown(wait=False, cancel_futures=True)
        return not self._running


async def _wait_all(waiters: list[asyncio.Future], deadline: float | None, cut: asyncio.Event | None) -> bool:
    """Waits for every waiter, the deadline or `cut`, whichever is first; True if `cut`."""
    if cut is None:
        await asyncio.wait(waiters, timeout=deadline)
        return False
    everything = asyncio.ensure_future(asyncio.wait(waiters))
    interrupted = asyncio.ensure_future(cut.wait())
    try:
        await asyncio.wait([everything, interrupted], timeout=deadline, return_when=asyncio.FIRST_COMPLETED)
    finally:
        everything.cancel()
        interrupted.cancel()
    return cut.is_set() and not all(waiter.done() for waiter in waiters)


__all__ = ["Draining", "QueueFull", "Scheduler"]

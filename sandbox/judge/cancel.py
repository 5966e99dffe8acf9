"""A cancel handle for one judging, shared by the caller and the judge.

Whoever stops caring about a verdict (a request past its deadline, a client that left, a
server shutting down) calls `cancel`; the judge then starts no further test for it and
raises `JudgeCancelled` instead of returning a verdict built from a partial run. Tests
already in a box finish within their own limits: killing them is the sandbox's business."""

from __future__ import annotations

import threading
from collections.abc import Callable


class JudgeCancelled(Exception):
    """The judging was cancelled before it finished; there is no verdict."""


class Cancellation:
    """A one-shot, thread-safe flag with callbacks, so cancelling takes effect at once
    (queued tests are dropped from the pool) rather than when someone next polls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._next_key = 0
        self._reason: str | None = None

    @property
    def cancelled(self) -> bool:
        return self._reason is not None

    @property
    def reason(self) -> str:
        return self._reason or ""

    def cancel(self, reason: str = "cancelled") -> None:
        """Idempotent; the first reason sticks. Callbacks run in the caller's thread."""
        with self._lock:
            if self._reason is not None:
                return
            self._reason = reason
            callbacks = list(self._callbacks.values())
            self._callbacks.clear()
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Runs `callback` on cancellation (at once if already cancelled). Returns a function
        that unregisters it, so a finished judging leaves nothing behind."""
        with self._lock:
            if self._reason is None:
                key = self._next_key
                self._next_key += 1
                self._callbacks[key] = callback
                return lambda: self._forget(key)
        callback()
        return lambda: None

    def _forget(self, key: int) -> None:
        with self._lock:
            self._callbacks.pop(key, None)

    def raise_if_cancelled(self) -> None:
        if self._reason is not None:
            raise JudgeCancelled(self._reason)


__all__ = ["Cancellation", "JudgeCancelled"]

"""The in-process judge the adapters use when no server URL is given.

One runtime per problem dataset, started on first use and closed at exit: the same
machinery as `verifier serve` (so verdicts match the server's), minus HTTP. Its queue is
effectively unbounded, because the trainer calling it is its only client. Nothing here
imports the server's HTTP stack or prometheus_client: metrics are only kept by a server."""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any, Callable

from sandbox.server.metrics import Metrics
from sandbox.server.runtime import Runtime
from sandbox.server.settings import ServerSettings


class _NoCounter:
    def labels(self, **_: Any) -> "_NoCounter":
        return self

    def inc(self, amount: float = 1) -> None:
        pass


class NoMetrics(Metrics):
    """The metrics interface, recording nothing (and needing no prometheus_client)."""

    def __init__(self) -> None:  # deliberately no registry
        self.rejected = _NoCounter()  # type: ignore[assignment]

    def bind_queue(self, depth: Callable[[], float], in_flight: Callable[[], float], capacity: int) -> None:
        pass

    def record_runs(self, count: int) -> None:
        pass

    def record_submission(self, verdict: str, queued: float, total: float, compile_cached: bool | None) -> None:
        pass

    def render(self) -> tuple[bytes, str]:
        raise RuntimeError("the in-process judge keeps no metrics")

_runtimes: dict[tuple[str | None, bool], Runtime] = {}
_lock = threading.Lock()


def local_runtime(problems: str | None = None, workers: int | None = None, *, unsafe: bool = False) -> Runtime:
    """The shared runtime for `problems` (a dataset folder or Hub id, or None for inline
    tests only). `unsafe` runs without isolation, for trusted code on a dev machine only."""
    key = (problems, unsafe)
    with _lock:
        runtime = _runtimes.get(key)
        if runtime is None:
            settings = ServerSettings(problems=problems, workers=workers or os.cpu_count() or 2,
                                      queue_size=1 << 30, deadline=24 * 3600.0, unsafe=unsafe)
            runtime = _runtimes[key] = Runtime.build(settings, metrics=NoMetrics())
            atexit.register(runtime.close)
        return runtime


def close_local_runtimes() -> None:
    """Stops every in-process runtime (tests, or a trainer that wants its cores back)."""
    with _lock:
        runtimes = list(_runtimes.values())
        _runtimes.clear()
    for runtime in runtimes:
        atexit.unregister(runtime.close)
        runtime.close()


__all__ = ["NoMetrics", "close_local_runtimes", "local_runtime"]

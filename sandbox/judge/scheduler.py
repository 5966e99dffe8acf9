"""A worker pool that is fair across submissions.

A plain FIFO pool serves a 2,000-test submission's tests before the 10-test submission that
arrived a moment later, so one big problem stalls every RL rollout behind it. Here each
submission (a *group*) has its own queue and the workers take one task from each group in
turn: a small submission finishes in about its own running time however large the others
are. Within a group, tasks keep their order (samples first)."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from concurrent.futures import Future
from typing import Any, Callable, Hashable


class FairPool:
    def __init__(self, workers: int, name: str = "judge") -> None:
        self.workers = max(1, workers)
        self._queues: OrderedDict[Hashable, deque[tuple[Future, Callable[..., Any], tuple, dict]]] = OrderedDict()
        self._condition = threading.Condition()
        self._closed = False
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True)
                         for i in range(self.workers)]
        for thread in self._threads:
            thread.start()

    def submit(self, group: Hashable, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        with self._condition:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            self._queues.setdefault(group, deque()).append((future, fn, args, kwargs))
            self._condition.notify()
        return future

    @property
    def pending(self) -> int:
        with self._condition:
            return sum(len(queue) for queue in self._queues.values())

    def _next(self) -> tuple[Future, Callable[..., Any], tuple, dict] | None:
        with self._condition:
            while not self._queues:
                if self._closed:
                    return None
                self._condition.wait()
            group, queue = next(iter(self._queues.items()))
            task = queue.popleft()
            del self._queues[group]
            if queue:
                self._queues[group] = queue  # back of the rotation
            return task

    def _work(self) -> None:
        while True:
            task = self._next()
            if task is None:
                return
            future, fn, args, kwargs = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # delivered to the waiter, never kills the worker
                future.set_exception(exc)
            else:
                future.set_result(result)

    def shutdown(self, cancel_pending: bool = True) -> None:
        with self._condition:
            self._closed = True
            if cancel_pending:
                for queue in self._queues.values():
                    for future, *_ in queue:
                        future.cancel()
                self._queues.clear()
            self._condition.notify_all()
        for thread in self._threads:
            thread.join()


__all__ = ["FairPool"]

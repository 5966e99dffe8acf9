"""A worker pool that is fair across submissions.

A plain FIFO pool serves a 2,000-test submission's tests before the 10-test submission that
arrived a moment later, so one big problem stalls every RL rollout behind it. Here each
submission (a *group*) has its own queue and the workers take one task from each group in
turn: a small submission finishes in about its own running time however large the others
are. Within a group, tasks keep their order (samples first).

A group can be cancelled as a whole (`cancel_group`): its queued tasks never start. The
judge does this the moment a test fails under "stop at the first failure", and when its
caller gives up, so an abandoned submission costs no more sandbox time than the tests
already in a box."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future
from typing import Any

Task = tuple[Future, Callable[..., Any], tuple, dict]


class FairPool:
    def __init__(self, workers: int, name: str = "judge") -> None:
        self.workers = max(1, workers)
        self._queues: OrderedDict[Hashable, deque[Task]] = OrderedDict()
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

    def submit_all(self, group: Hashable, calls: Iterable[tuple[Callable[..., Any], tuple]],
                   on_done: Callable[[Future], None] | None = None) -> list[Future]:
        """Queues several tasks of one group at once, each with `on_done` attached before it
        can start: a `cancel_group` from any of their callbacks then covers all the others,
        which a loop of `submit` calls racing the workers could not promise."""
        tasks: list[Task] = []
        for fn, args in calls:
            future: Future = Future()
            if on_done is not None:
                future.add_done_callback(on_done)
            tasks.append((future, fn, args, {}))
        with self._condition:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            if tasks:
                self._queues.setdefault(group, deque()).extend(tasks)
                self._condition.notify_all()
        return [future for future, *_ in tasks]

    def cancel_group(self, group: Hashable) -> int:
        """Drops every queued task of `group` (their futures are cancelled) and returns how
        many; tasks already running finish. Safe to call from a task's done-callback, which
        runs on the worker before it takes its next task, so no task of the group starts
        after the call returns."""
        with self._condition:
            queue = self._queues.pop(group, None)
        if not queue:
            return 0
        for future, *_ in queue:
            future.cancel()
        return len(queue)

    @property
    def pending(self) -> int:
        with self._condition:
            return sum(len(queue) for queue in self._queues.values())

    def _next(self) -> Task | None:
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

    def shutdown(self, cancel_pending: bool = True, timeout: float | None = None) -> bool:
        """Stops the workers; returns False if some were still running a task after
        `timeout` seconds (they are daemons and are left behind rather than waited for)."""
        with self._condition:
            self._closed = True
            if cancel_pending:
                for queue in self._queues.values():
                    for future, *_ in queue:
                        future.cancel()
                self._queues.clear()
            self._condition.notify_all()
        end = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if end is None else max(0.0, end - time.monotonic()))
        return not any(thread.is_alive() for thread in self._threads)


__all__ = ["FairPool"]

"""Running one submission's tests on the fair pool, and stopping them as soon as the
answer is known.

Under "stop at the first failure", the first test that fails cancels the submission's
group in the pool from its done-callback, which runs on the worker before that worker takes
another task: no test starts once a failure is known, and the tests never started are
reported SKIPPED with no CPU time. A caller's `Cancellation` does the same from outside
(a request past its deadline, a server shutting down). Tests already in a box finish.

The verdict stays that of the first failing test *in test order*: a later test may fail
first in time while an earlier one is still running, and the earlier one's result then
decides. Tests that ran beside the deciding failure are reported SKIPPED too (they do not
count), keeping the CPU time they really used."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future
from typing import TypeVar

from sandbox.judge.cancel import Cancellation, JudgeCancelled
from sandbox.judge.model import TestCase
from sandbox.judge.scheduler import FairPool

Result = TypeVar("Result")

NOT_RUN_FAILED = "not run: an earlier test failed"
NOT_COUNTED = "not counted: an earlier test failed"


def run_tests(pool: FairPool, tests: Sequence[TestCase], judge_one: Callable[[TestCase], Result],
              failed: Callable[[Result], bool], skipped: Callable[[TestCase, str, Result | None], Result],
              *, stop_early: bool, cancel: Cancellation | None = None) -> list[Result]:
    """Results in test order. `failed(result)` says whether a result stops the rest (when
    `stop_early`); `skipped(test, message, ran)` builds the SKIPPED result for a test not run
    (`ran` None) or not counted (`ran` its real result). Raises JudgeCancelled if `cancel`
    fired before every test had run, and re-raises a task's exception after stopping the rest."""
    group = object()  # this submission's queue in the fair pool
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        pool.cancel_group(group)

    def guarded(test: TestCase) -> Result | None:
        # A task taken off the queue just before the group was cancelled still starts nothing.
        if stopped.is_set():
            return None
        return judge_one(test)

    def settle(future: Future) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            stop()
            return
        result = future.result()
        if stop_early and result is not None and failed(result):
            stop()

    futures = pool.submit_all(group, [(guarded, (test,)) for test in tests], on_done=settle)
    # Registered after queueing: a cancel that came earlier runs `stop` now and still finds the tasks.
    forget = cancel.on_cancel(stop) if cancel is not None else (lambda: None)
    try:
        results: list[Result] = []
        decided = False
        cut_short = False
        for test, future in zip(tests, futures):
            try:
                result = future.result()
            except CancelledError:
                result = None
            if result is None:
                cut_short = cut_short or not decided
                results.append(skipped(test, _not_run_reason(decided, cancel), None))
            elif decided:
                results.append(skipped(test, NOT_COUNTED, result))
            else:
                decided = stop_early and failed(result)
                results.append(result)
    finally:
        forget()
        stop()  # a no-op when every test is done; after an error, the rest never start
    if cut_short and cancel is not None and cancel.cancelled:
        raise JudgeCancelled(cancel.reason)
    return results


def _not_run_reason(decided: bool, cancel: Cancellation | None) -> str:
    if not decided and cancel is not None and cancel.cancelled:
        return f"not run: cancelled ({cancel.reason})"
    return NOT_RUN_FAILED


__all__ = ["NOT_COUNTED", "NOT_RUN_FAILED", "run_tests"]

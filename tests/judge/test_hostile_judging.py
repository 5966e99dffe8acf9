"""Hostile judging: a failing or abandoned submission must stop costing sandbox time.

"Stop at the first failure" used to queue every test up front and lose the race against
busy workers, so a TLE solution on 10 tests burned 10 CPU limits. These run real sandboxed
programs and count the runs the judge really starts (the backend's `run` is wrapped; the
boxes themselves are wiped after every run, so they cannot keep a count)."""

from __future__ import annotations

import threading
import time

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.judge import JudgeProblem, TestCase
from sandbox.judge.cancel import Cancellation, JudgeCancelled
from sandbox.judge.judging import Judge
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import Verdict
from sandbox.judge.scheduler import FairPool

WORKERS = 2
SPIN = "while True:\n    pass\n"
DOUBLE = "print(2 * int(input()))\n"


class RunCounter:
    """Wraps a backend's `run` and records when each run starts and what it was fed."""

    def __init__(self, backend: LocalBackend) -> None:
        self._run = backend.run
        self._lock = threading.Lock()
        self.starts: list[tuple[float, bytes | None]] = []
        backend.run = self  # type: ignore[method-assign]

    def __call__(self, *args, **kwargs):
        stdin = kwargs.get("stdin")
        with self._lock:
            self.starts.append((time.monotonic(), stdin if isinstance(stdin, bytes) else None))
        return self._run(*args, **kwargs)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.starts)


@pytest.fixture(scope="module")
def backend():
    with LocalBackend(concurrency=WORKERS) as opened:
        yield opened


@pytest.fixture()
def counted(backend):
    """(judge, counter): a fresh judge whose every sandbox run is counted."""
    counter = RunCounter(backend)
    try:
        with Judge(backend, jobs=WORKERS) as judge:
            yield judge, counter
    finally:
        del backend.run  # back to the class's method


def doubling_problem(tests: int, time_limit: float = 0.5) -> JudgeProblem:
    return JudgeProblem(name="double", time_limit=time_limit, memory_limit=64, tests=[
        TestCase.from_bytes(str(i), f"{i}\n".encode(), f"{2 * i}\n".encode()) for i in range(1, tests + 1)])


def test_tle_on_first_test_starts_no_further_test(counted):
    judge, counter = counted
    judge.compile(SPIN, "python3")
    result = judge.judge(doubling_problem(10), SPIN, "python3")
    assert result.verdict is Verdict.TLE and result.tests[0].verdict is Verdict.TLE
    assert counter.count <= WORKERS, f"{counter.count} tests started for a TLE on the first"
    never_run = [t for t in result.tests if t.verdict is Verdict.SKIPPED and t.cpu_time == 0]
    assert len(never_run) >= 10 - WORKERS
    assert sum(t.cpu_time for t in result.tests) < WORKERS * 0.5 * 2  # at most the runs already in flight


def test_wa_on_every_test_of_300_starts_only_the_tests_in_flight(counted):
    judge, counter = counted
    started = time.monotonic()
    result = judge.judge(doubling_problem(300), "print(0)\n", "python3")
    assert result.verdict is Verdict.WA and result.tests[0].verdict is Verdict.WA
    assert counter.count <= WORKERS, f"{counter.count} of 300 tests started after a WA"
    assert sum(t.verdict is Verdict.SKIPPED for t in result.tests) >= 300 - WORKERS
    assert result.passed == 0 and result.total == 300
    assert time.monotonic() - started < 10


def test_first_failure_in_test_order_decides_the_verdict_when_a_later_test_fails_first(counted):
    """Test 1 spins to its limit while test 2 answers wrong at once: the verdict is test 1's
    TLE (test order), test 2's early WA still stops every later test from starting."""
    judge, counter = counted
    source = "n = int(input())\nwhile n == 1:\n    pass\nprint(0 if n == 2 else 2 * n)\n"
    result = judge.judge(doubling_problem(10), source, "python3")
    assert result.verdict is Verdict.TLE, result.message
    assert result.message.startswith("test 1:")
    assert [t.verdict for t in result.tests[:2]] == [Verdict.TLE, Verdict.SKIPPED]
    assert counter.count <= WORKERS
    assert all(t.verdict is Verdict.SKIPPED and t.cpu_time == 0 for t in result.tests[2:])


def test_failure_after_passing_tests_keeps_the_passed_ones(counted):
    judge, counter = counted
    source = "n = int(input())\nprint(2 * n if n < 4 else -1)\n"
    result = judge.judge(doubling_problem(40), source, "python3")
    assert result.verdict is Verdict.WA and result.message.startswith("test 4:")
    assert [t.verdict for t in result.tests[:3]] == [Verdict.AC] * 3 and result.passed == 3
    # Tests 5 and later start only while test 4 is still being judged, on the other worker.
    assert counter.count <= 4 + WORKERS


def test_all_tests_still_run_when_not_stopping_early(counted):
    judge, counter = counted
    result = judge.judge(doubling_problem(6), "print(0)\n", "python3", JudgeOptions(stop_on_first_failure=False))
    assert result.verdict is Verdict.WA and counter.count == 6
    assert all(t.verdict is Verdict.WA for t in result.tests)


def test_cancelled_judging_starts_no_test_after_the_cancel(counted):
    judge, counter = counted
    slow_ok = "import time\ntime.sleep(0.3)\nprint(2 * int(input()))\n"
    judge.compile(slow_ok, "python3")
    cancel = Cancellation()
    at_cancel: list[int] = []

    def cancel_soon() -> None:
        time.sleep(0.5)
        cancel.cancel("the request's deadline passed")
        at_cancel.append(counter.count)

    canceller = threading.Thread(target=cancel_soon)
    canceller.start()
    started = time.monotonic()
    with pytest.raises(JudgeCancelled, match="deadline"):
        judge.judge(doubling_problem(30, time_limit=2), slow_ok, "python3", cancel=cancel)
    canceller.join()
    assert counter.count == at_cancel[0] < 30
    assert time.monotonic() - started < 3  # the runs in flight finish; nothing else waits


def test_a_judging_cancelled_before_it_starts_runs_nothing(counted):
    judge, counter = counted
    cancel = Cancellation()
    cancel.cancel("client left")
    with pytest.raises(JudgeCancelled):
        judge.judge(doubling_problem(5), DOUBLE, "python3", cancel=cancel)
    assert counter.count == 0


def test_cancelling_one_group_leaves_the_others_queued():
    pool = FairPool(1)
    gate = threading.Event()
    try:
        blocker = pool.submit("blocker", gate.wait)
        doomed = [pool.submit("doomed", lambda: "ran") for _ in range(5)]
        kept = [pool.submit("kept", lambda i=i: i) for i in range(3)]
        assert pool.cancel_group("doomed") == 5
        assert pool.cancel_group("doomed") == 0  # nothing left to cancel
        gate.set()
        assert blocker.result(timeout=5) is True
        assert [f.result(timeout=5) for f in kept] == [0, 1, 2]
        assert all(f.cancelled() for f in doomed)
        assert pool.pending == 0
    finally:
        pool.shutdown()

"""The fair pool: a small submission is not starved by a large one queued before it."""

from __future__ import annotations

import threading
import time

import pytest

from sandbox.judge.scheduler import FairPool


def test_round_robin_across_groups():
    order: list[str] = []
    gate = threading.Event()
    pool = FairPool(1)
    try:
        blocker = pool.submit("warm-up", gate.wait)  # hold the only worker while we queue
        big = [pool.submit("big", order.append, f"big{i}") for i in range(50)]
        small = [pool.submit("small", order.append, f"small{i}") for i in range(3)]
        gate.set()
        for future in [blocker, *big, *small]:
            future.result(timeout=10)
    finally:
        pool.shutdown()
    # The small submission's tasks are interleaved with the big one's, not after all 50.
    assert order.index("small2") <= 6
    assert [x for x in order if x.startswith("big")] == [f"big{i}" for i in range(50)]  # order kept in a group


def test_exceptions_and_cancellation():
    pool = FairPool(2)
    try:
        failing = pool.submit("g", lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            failing.result(timeout=5)
        gate = threading.Event()
        blockers = [pool.submit("g", gate.wait) for _ in range(2)]
        later = pool.submit("g", time.sleep, 0)
        assert later.cancel()
        gate.set()
        assert all(b.result(timeout=5) for b in blockers)
        assert pool.submit("g", lambda: 42).result(timeout=5) == 42  # workers survive both
    finally:
        pool.shutdown()


def test_shutdown_cancels_pending_and_refuses_new_work():
    pool = FairPool(1)
    gate, started = threading.Event(), threading.Event()
    running = pool.submit("g", lambda: started.set() or gate.wait())
    pending = pool.submit("g", time.sleep, 0)
    assert started.wait(5)  # the worker holds the first task before we shut down
    threading.Timer(0.2, gate.set).start()
    pool.shutdown()
    assert running.result() is True and pending.cancelled()
    with pytest.raises(RuntimeError):
        pool.submit("g", time.sleep, 0)

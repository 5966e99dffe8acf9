"""A backend whose boxes live behind runners elsewhere: the pool, the deadlines, the retry
rule and the replacement of broken runners, once for Docker and E2B.

A subclass says how to start a runner (`_start_worker`, returning a `Worker`: a channel and
a way to destroy what holds it) and how to stop one; everything a verdict depends on runs in
the runner's own `LocalBackend`, so this module never measures or limits anything itself."""

from __future__ import annotations

import threading
import time
from abc import abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sandbox.backends.base import Backend
from sandbox.backends.remote.channel import ChannelBroken, RunnerChannel
from sandbox.backends.remote.wire import WireError, decode_aid, decode_outcome
from sandbox.compile.aid import CompileAid
from sandbox.execution import ExecOutcome, ExecRequest, PipeEnd, release_pipes
from sandbox.languages import Language

# Beyond a request's own wall limit, what a runner may take to answer before it is
# declared hung: box start-up after a replacement, file transfer, a loaded host.
ANSWER_MARGIN = 20.0
RECYCLE_AFTER_RUNS = 20000


@dataclass
class Worker:
    """One runner: its channel, what it said about itself, and how to destroy it."""

    channel: RunnerChannel
    destroy: Callable[[], None]
    info: dict[str, Any] = field(default_factory=dict)
    runs: int = 0


class RemoteBackend(Backend):
    """`concurrency` runs at once over `workers` runners (each running
    `concurrency / workers` at a time); a runner that dies, hangs or breaks the protocol is
    destroyed and replaced, and the calls it held come back as sandbox errors, retried once
    on a fresh runner (a process that never answered cannot have produced a verdict)."""

    remote = True

    def __init__(self, *, concurrency: int, workers: int, compile_cache_mb: int | None = None,
                 compile_cache_dir: Path | None = None) -> None:
        super().__init__(compile_cache_mb=compile_cache_mb, compile_cache_dir=compile_cache_dir)
        self.concurrency = max(1, concurrency)
        self.workers = max(1, min(workers, self.concurrency))
        self.slots_per_worker = -(-self.concurrency // self.workers)
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._live: list[Worker] = []
        self._load: dict[int, int] = {}
        self._starting = 0
        self._closed = False
        self._idle_changed = threading.Condition(self._lock)
        self._aids: dict[str, CompileAid | None] = {}
        self.replaced = 0
        self.answer_margin = ANSWER_MARGIN

    # ------------------------------------------------------------------ subclass hooks
    @abstractmethod
    def _start_worker(self) -> Worker:
        """Starts one runner and waits for its ready message (raise ChannelBroken, or the
        backend's own configuration error, when it cannot start)."""

    # ------------------------------------------------------------------ pool
    def _start_first(self) -> None:
        """Starts one runner now, so a broken configuration fails at construction with the
        runner's own words, and the info (sandboxed or not) is known."""
        worker = self._start_worker()
        self.sandboxed = bool(worker.info.get("sandboxed", False))
        with self._lock:
            self._live.append(worker)
            self._load[id(worker)] = 0

    def _acquire(self) -> Worker:
        """The least loaded runner with a free slot, starting one while fewer than
        `workers` exist."""
        with self._lock:
            while True:
                if self._closed:
                    raise ChannelBroken("the backend is closed")
                free = [w for w in self._live if self._load[id(w)] < self.slots_per_worker]
                if free and (len(self._live) + self._starting >= self.workers or
                             any(self._load[id(w)] == 0 for w in free)):
                    worker = min(free, key=lambda w: self._load[id(w)])
                    self._load[id(worker)] += 1
                    return worker
                if len(self._live) + self._starting < self.workers:
                    self._starting += 1
                    break
                self._idle_changed.wait(1.0)
        try:
            worker = self._start_worker()
        except Exception:
            with self._lock:
                self._starting -= 1
                if not self._live:
                    raise
                # A quota or a flaky start: share the runners there are rather than fail a run.
                self.workers = max(1, len(self._live))
                self.slots_per_worker = -(-self.concurrency // self.workers)
            return self._acquire()
        with self._lock:
            self._starting -= 1
            if self._closed:
                worker.destroy()
                raise ChannelBroken("the backend is closed")
            self._live.append(worker)
            self._load[id(worker)] = 1
            return worker

    def _release(self, worker: Worker, broken: bool) -> None:
        retire = broken or worker.runs >= RECYCLE_AFTER_RUNS
        with self._lock:
            if id(worker) in self._load:
                self._load[id(worker)] -= 1
                if retire:
                    self._live.remove(worker)
                    del self._load[id(worker)]
                    if broken:
                        self.replaced += 1
                else:
                    retire = False
            else:
                retire = False  # already retired by a sibling call
            self._idle_changed.notify_all()
        if retire or broken:
            worker.destroy()

    @staticmethod
    def _outcomes(op: str, reply: dict[str, Any], expected: int) -> list[ExecOutcome]:
        """The outcomes a reply holds, checked: a runner that answers in the wrong shape is
        broken (or tampered with), and its word must not become a verdict."""
        if op == "execute":
            return [decode_outcome(reply.get("outcome"))]
        outcomes = reply.get("outcomes")
        if not isinstance(outcomes, list) or len(outcomes) != expected:
            raise WireError(f"the runner answered {op!r} with the wrong number of outcomes")
        return [decode_outcome(item) for item in outcomes]

    def _call(self, op: str, requests: list[ExecRequest], timeout: float) -> list[ExecOutcome]:
        """One call on some runner, retried once on another if the first runner broke,
        died, overran or answered out of protocol (that runner is replaced)."""
        last = "no runner"
        for _attempt in range(2):
            try:
                worker = self._acquire()
            except ChannelBroken as exc:
                raise ChannelBroken(f"could not start a runner: {exc}") from None
            except Exception as exc:  # noqa: BLE001 - a daemon or API failure is a sandbox error
                raise ChannelBroken(f"could not start a runner: {type(exc).__name__}: {exc}") from None
            try:
                outcomes = self._outcomes(op, worker.channel.call_with_files(op, requests, timeout), len(requests))
            except (ChannelBroken, WireError) as exc:
                last = str(exc)
                self._release(worker, broken=True)
                continue
            worker.runs += len(requests)
            self._release(worker, broken=False)
            return outcomes
        raise ChannelBroken(last)

    def _deadline(self, requests: Sequence[ExecRequest], parallel: int = 1) -> float:
        """How long a call may take before its runner counts as hung: the requests' own
        limits (spread over the runner's slots) plus `answer_margin`."""
        total = sum(max(request.wall_limit, request.cpu_limit or 0) for request in requests)
        return total / max(1, parallel) + max(request.wall_limit for request in requests) + self.answer_margin

    # ------------------------------------------------------------------ Backend
    def execute(self, request: ExecRequest) -> ExecOutcome:
        started = time.monotonic()
        try:
            if isinstance(request.stdin, PipeEnd) or isinstance(request.stdout, PipeEnd):
                return ExecOutcome(sandbox_error=f"the {self.name} backend wires pipes only inside one runner "
                                                 "(use execute_pair)")
            with self._slots:
                return self._call("execute", [request], self._deadline([request]))[0]
        except ChannelBroken as exc:
            return ExecOutcome(sandbox_error=str(exc), wall_time=time.monotonic() - started)
        finally:
            release_pipes(request)

    def execute_many(self, requests: Sequence[ExecRequest]) -> list[ExecOutcome]:
        """One call per runner slot's share: the runner runs them side by side on its boxes."""
        if not requests:
            return []
        started = time.monotonic()
        batch = list(requests)
        try:
            with self._slots:
                return self._call("many", batch, self._deadline(batch, self.slots_per_worker))
        except ChannelBroken as exc:
            failed = ExecOutcome(sandbox_error=str(exc), wall_time=time.monotonic() - started)
            return [replace(failed) for _ in batch]

    def execute_pair(self, solution: ExecRequest, interactor: ExecRequest,
                     companions: Executor) -> tuple[ExecOutcome, ExecOutcome]:
        started = time.monotonic()
        try:
            with self._slots:
                solution_outcome, interactor_outcome = self._call("pair", [solution, interactor],
                                                                  self._deadline([solution, interactor]))
            return solution_outcome, interactor_outcome
        except ChannelBroken as exc:
            failed = ExecOutcome(sandbox_error=str(exc), wall_time=time.monotonic() - started)
            return failed, replace(failed)

    def compile_aid(self, lang: Language) -> CompileAid | None:
        """The runner's precompiled header, asked once per language."""
        if lang.precompiled_header is None:
            return None
        with self._lock:
            if lang.id in self._aids:
                return self._aids[lang.id]
        try:
            worker = self._acquire()
        except Exception:  # noqa: BLE001 - no aid is always safe: the plain compile path
            return None
        try:
            # The runner may build the header on first use (a minute at worst).
            reply = worker.channel.call({"op": "compile_aid", "language": lang.id}, 120.0 + self.answer_margin)
            aid = decode_aid(reply.get("aid"))
        except (ChannelBroken, WireError):
            self._release(worker, broken=True)
            return None
        self._release(worker, broken=False)
        with self._lock:
            self._aids[lang.id] = aid
        return aid

    def compile_aid_broke(self, lang: Language) -> None:
        with self._lock:
            self._aids.pop(lang.id, None)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
            self._load.clear()
            self._idle_changed.notify_all()
        for worker in workers:
            try:
                worker.destroy()
            except Exception:  # noqa: BLE001 - closing must reach every worker
                pass


__all__ = ["ANSWER_MARGIN", "RemoteBackend", "Worker"]

"""`RayJudgePool`: judge submissions on every node of a Ray cluster.

Why actors and not tasks: a judge is only fast warm (boxes started, zygotes forked, compiled
programs and problems cached), so each node gets one long-lived actor holding a
`LocalBackend` and a `Judge`, sized to the node's CPUs and pinned to it. Why a dispatcher
thread: callers (the dataset pipeline, an RL trainer's reward function, many threads of a
server) only `submit` and wait on a `concurrent.futures.Future`; one thread owns every Ray
call, so back-pressure, retries and bookkeeping live in one place.

- A problem's tests travel once per node: the driver sends a problem (with its tests' bytes)
  with the first submission of it to each actor and only its key after that, and each actor
  keeps the problems it was sent (least recently used out). An actor asked for a problem it
  no longer has says so, and the driver sends it again with the problem. No object-store
  put per problem: on a set of tiny problems, that put was most of the driver's cost per
  candidate. (Ray itself moves an argument over 100 KiB through the object store.)
- Back-pressure: at most `max_pending` submissions are queued or running; `submit` blocks
  beyond that instead of growing a queue without bound.
- A node lost with its actor (raylet killed, machine gone) fails the calls it held; those
  submissions go to another actor, and each future is resolved exactly once. A node whose
  actor cannot start a sandbox (no bubblewrap, no user namespaces) is reported in
  `refused`, never used.
- Resources: actors ask for their node's CPUs and, when given, a custom resource (e.g.
  `{"cpforge": 1}`) so that only nodes labelled for judging get one.
"""

from __future__ import annotations

import collections
import os
import queue
import socket
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sandbox.judge.judging import read_testlib
from sandbox.judge.model import JudgeProblem
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import JudgeResult

PROBLEMS_KEPT_PER_ACTOR = 256
PROBLEMS_ASSUMED_KEPT = PROBLEMS_KEPT_PER_ACTOR // 2
"""The driver sends only the key of a problem it sent to an actor among its last this many:
fewer than the actor keeps, so a key-only call rarely finds its problem gone."""
START_TIMEOUT = 120.0
RETRIES_AFTER_LOSS = 3


class ClusterUnavailable(RuntimeError):
    """No Ray, no cluster at the address, or no node able to judge."""


class ProblemNotKept(KeyError):
    """An actor was sent a problem's key alone and no longer has the problem: the driver
    sends the submission again, with the problem."""


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ClusterUnavailable("the Ray engine needs Ray: pip install 'cpforge[ray]'") from None
    return ray


class JudgeWorker:
    """The body of one node's actor (made a Ray actor by the pool). Plain Python, so the
    same code judges in a test without Ray."""

    def __init__(self, slots: int, backend: str | None, testlib: bytes | None) -> None:
        from sandbox.backends import get_backend
        from sandbox.judge.judging import Judge

        self.slots = slots
        self.backend = get_backend(backend, concurrency=slots)  # SandboxUnavailable here: the node is refused
        self.judge = Judge(self.backend, jobs=slots, testlib=testlib)
        self.problems: collections.OrderedDict[str, JudgeProblem] = collections.OrderedDict()
        self.lock = threading.Lock()
        self.fetching = threading.Lock()
        self.runs = 0
        self.fetched = 0

    def info(self) -> dict[str, Any]:
        from sandbox.languages import LANGUAGES

        node = ""
        try:
            import ray

            node = ray.get_runtime_context().get_node_id()
        except Exception:  # noqa: BLE001 - outside Ray (tests), there is no node id
            pass
        return {"node": node, "host": socket.gethostname(), "pid": os.getpid(), "slots": self.slots,
                "backend": getattr(self.backend, "name_detail", self.backend.name),
                "sandboxed": self.backend.sandboxed, "runs": self.runs, "fetched": self.fetched,
                "toolchains": {lang: self.backend.toolchain(lang) for lang in LANGUAGES}}

    def _problem(self, key: str, sent: JudgeProblem | None) -> JudgeProblem:
        with self.lock:
            if sent is not None:
                self.fetched += 1
                self.problems[key] = sent
                while len(self.problems) > PROBLEMS_KEPT_PER_ACTOR:
                    self.problems.popitem(last=False)
                return sent
            known = self.problems.get(key)
            if known is None:
                raise ProblemNotKept(key)
            self.problems.move_to_end(key)
            return known

    def judge_one(self, key: str, sent: JudgeProblem | None, source: str, language: str,
                  options: JudgeOptions) -> JudgeResult:
        """`sent` is the problem on the first submission of it to this actor, else None."""
        problem = self._problem(key, sent)
        result = self.judge.judge(problem, source, language, options)
        with self.lock:
            self.runs += 1
        # The compiled program stays here: the driver needs the verdict, not megabytes of binary.
        return result.model_copy(update={"compile": result.compile.model_copy(update={"executable": None})})

    def close(self) -> None:
        self.judge.close()
        self.backend.close()


@dataclass
class _Worker:
    actor: Any
    node: str
    host: str
    slots: int
    info: dict[str, Any]
    load: int = 0
    alive: bool = True
    sent: collections.OrderedDict[str, None] = field(default_factory=collections.OrderedDict)
    """Keys of the problems last sent to this actor (see `PROBLEMS_ASSUMED_KEPT`)."""

    def needs(self, key: str) -> bool:
        """Whether a submission of this problem must carry it, noting that it will."""
        if key in self.sent:
            self.sent.move_to_end(key)
            return False
        self.sent[key] = None
        while len(self.sent) > PROBLEMS_ASSUMED_KEPT:
            self.sent.popitem(last=False)
        return True


@dataclass
class _Submission:
    key: str
    problem: JudgeProblem
    source: str
    language: str
    options: JudgeOptions
    future: Future[JudgeResult]
    attempts: int = 0


@dataclass
class PoolSummary:
    nodes: int = 0
    workers: int = 0
    slots: int = 0
    judged_per_node: dict[str, int] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    resubmitted: int = 0


class RayJudgePool:
    """`address`: a running cluster ("auto", "127.0.0.1:6379", "ray://..."), or None to
    start a local one. `backend` is each node's sandbox backend (default: CPFORGE_BACKEND,
    else local). `slots_per_node` defaults to each node's CPUs."""

    name = "ray"

    def __init__(self, address: str | None = None, *, backend: str | None = None, testlib: str | None = None,
                 resources: dict[str, float] | None = None, slots_per_node: int | None = None,
                 max_pending: int | None = None, in_flight_per_slot: int = 2) -> None:
        # Read here, on the driver, and shipped as bytes: a path (or CPFORGE_TESTLIB) names a
        # file on this machine, which a node on another cannot open. First: a bad setting
        # fails before any cluster is started.
        testlib_bytes = read_testlib(testlib)
        ray = _ray()
        self._ray = ray
        self._owns_ray = False
        if not ray.is_initialized():
            try:
                ray.init(address=address, ignore_reinit_error=True, log_to_driver=False,
                         include_dashboard=False, configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ClusterUnavailable(f"cannot reach a Ray cluster at {address or 'a new local one'}: {exc} "
                                         "(start one with `ray start --head`, or check --address)") from None
            self._owns_ray = True
        self.backend_name = backend
        self.testlib = testlib_bytes
        self.resources = dict(resources or {})
        self.slots_per_node = slots_per_node
        self.in_flight_per_slot = max(1, in_flight_per_slot)
        self.summary = PoolSummary()
        self._workers: list[_Worker] = []
        self._start_workers()
        if not self._workers:
            reasons = "; ".join(f"{node}: {why}" for node, why in self.summary.refused.items()) or \
                "no alive node with CPUs" + (f" and resources {self.resources}" if self.resources else "")
            self.close()
            raise ClusterUnavailable(f"no Ray node can judge ({reasons})")
        slots = sum(worker.slots for worker in self._workers)
        self.max_pending = max_pending or max(64, 8 * slots)
        self._room = threading.BoundedSemaphore(self.max_pending)
        self._queue: queue.Queue[_Submission | None] = queue.Queue()
        self._retry: collections.deque[_Submission] = collections.deque()
        self._outstanding: set[Future[JudgeResult]] = set()
        self._closed = False
        self._dispatcher = threading.Thread(target=self._dispatch, name="cpforge-ray-dispatcher", daemon=True)
        self._dispatcher.start()

    # ------------------------------------------------------------------ workers
    def _start_workers(self) -> None:
        ray = self._ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        taken = {worker.node for worker in self._workers if worker.alive}
        remote_class = ray.remote(JudgeWorker)
        starting = []
        for node in ray.nodes():
            node_id = node["NodeID"]
            resources = node.get("Resources", {})
            if not node.get("Alive") or node_id in taken or resources.get("CPU", 0) < 1:
                continue
            if any(resources.get(name, 0) < amount for name, amount in self.resources.items()):
                continue
            slots = min(self.slots_per_node or int(resources["CPU"]), int(resources["CPU"]))
            actor = remote_class.options(
                num_cpus=min(slots, int(resources["CPU"])), resources=self.resources or None,
                scheduling_strategy=NodeAffinitySchedulingStrategy(node_id, soft=False),
                max_concurrency=self.in_flight_per_slot * slots + 2, max_restarts=0,
            ).remote(slots, self.backend_name, self.testlib)
            starting.append((node_id, node.get("NodeManagerAddress", ""), slots, actor, actor.info.remote()))
        for node_id, address, slots, actor, info_ref in starting:
            try:
                info = ray.get(info_ref, timeout=START_TIMEOUT)
            except ray.exceptions.GetTimeoutError:
                self.summary.refused[f"{address} ({node_id[:8]})"] = (
                    f"its judge did not start within {START_TIMEOUT:g} s: are the {slots} CPUs it asks for held by "
                    "other work (a trainer's driver, another pool)? Give slots_per_node")
                ray.kill(actor, no_restart=True)
                continue
            except Exception as exc:  # noqa: BLE001 - a node that cannot judge is reported, never used
                self.summary.refused[f"{address} ({node_id[:8]})"] = _reason(exc)
                ray.kill(actor, no_restart=True)
                continue
            self._workers.append(_Worker(actor=actor, node=node_id, host=f"{address} ({node_id[:8]})",
                                         slots=slots, info=info))
        alive = [worker for worker in self._workers if worker.alive]
        self.summary.nodes = len({worker.node for worker in alive})
        self.summary.workers = len(alive)
        self.summary.slots = sum(worker.slots for worker in alive)

    def toolchain(self, language: str) -> str | None:
        """The language's toolchain on the cluster: the first worker's. Workers that differ
        are listed in `toolchain_mismatches` (their verdicts are keyed by the first's)."""
        for worker in self._workers:
            if worker.alive:
                value: str | None = worker.info["toolchains"].get(language)
                return value
        return None

    def toolchain_mismatches(self) -> dict[str, list[str]]:
        first: dict[str, str | None] = {}
        mismatched: dict[str, list[str]] = {}
        for worker in self._workers:
            for language, version in worker.info["toolchains"].items():
                first.setdefault(language, version)
                if version != first[language]:
                    mismatched.setdefault(language, []).append(worker.host)
        return mismatched

    @property
    def name_detail(self) -> str:
        backends = sorted({worker.info["backend"] for worker in self._workers})
        return f"ray ({self.summary.workers} workers on {self.summary.nodes} nodes; {', '.join(backends)})"

    # ------------------------------------------------------------------ submitting
    def submit(self, problem: JudgeProblem, source: str, language: str, options: JudgeOptions | None = None,
               key: str | None = None) -> Future[JudgeResult]:
        """Queues one submission; blocks while `max_pending` are queued or running."""
        if self._closed:
            raise ClusterUnavailable("the pool is closed")
        self._room.acquire()
        future: Future[JudgeResult] = Future()
        future.add_done_callback(lambda _: self._room.release())
        key = key or f"{problem.name}:{problem.testset_hash()}:{problem.time_limit}:{problem.memory_limit}"
        self._outstanding.add(future)
        future.add_done_callback(self._outstanding.discard)
        self._queue.put(_Submission(key=key, problem=problem,
                                    source=source, language=language, options=options or JudgeOptions(),
                                    future=future))
        return future

    def judge(self, problem: JudgeProblem, source: str, language: str,
              options: JudgeOptions | None = None) -> JudgeResult:
        return self.submit(problem, source, language, options).result()

    def judge_batch(self, items: Iterable[tuple[JudgeProblem, str, str]],
                    options: JudgeOptions | None = None) -> list[JudgeResult]:
        """Results in the order given, the submissions spread over the cluster."""
        futures = [self.submit(problem, source, language, options) for problem, source, language in items]
        return [future.result() for future in futures]

    # ------------------------------------------------------------------ the dispatcher
    def _next(self) -> _Submission | None:
        if self._retry:
            return self._retry.popleft()
        try:
            return self._queue.get_nowait()  # None: the close sentinel; `_closed` already says so
        except queue.Empty:
            return None

    def _dispatch(self) -> None:
        ray = self._ray
        running: dict[Any, tuple[_Submission, _Worker]] = {}
        stopping = False
        while True:
            if not any(w.alive for w in self._workers):
                self._fail_waiting(ClusterUnavailable("every Ray node that could judge is lost"))
            while not stopping:
                free = [w for w in self._workers if w.alive and w.load < w.slots * self.in_flight_per_slot]
                if not free:
                    break
                submission = self._next()
                if submission is None:
                    break
                worker = min(free, key=lambda w: w.load / w.slots)
                sent = _with_test_data(submission.problem) if worker.needs(submission.key) else None
                try:
                    ref = worker.actor.judge_one.remote(submission.key, sent, submission.source, submission.language,
                                                        submission.options)
                except Exception as exc:  # noqa: BLE001 - a dead handle: treat as a lost worker
                    self._lose(worker, exc)
                    self._retry.appendleft(submission)
                    continue
                worker.load += 1
                running[ref] = (submission, worker)
            if self._closed and not running and self._queue.empty() and not self._retry:
                return
            if not running:
                try:
                    item = self._queue.get(timeout=0.2)
                except queue.Empty:
                    continue
                if item is None:
                    stopping = self._closed
                    continue
                self._retry.append(item)
                continue
            ready, _ = ray.wait(list(running), num_returns=1, timeout=0.2)
            for ref in ready:
                submission, worker = running.pop(ref)
                worker.load -= 1
                try:
                    result = ray.get(ref)
                except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError,
                        ray.exceptions.NodeDiedError, ray.exceptions.ObjectLostError,
                        ray.exceptions.OwnerDiedError) as exc:
                    self._lose(worker, exc)
                    self._resubmit(submission, exc)
                    continue
                except ProblemNotKept:  # the actor let it go meanwhile: send it along this time
                    worker.sent.pop(submission.key, None)
                    self._retry.appendleft(submission)
                    continue
                except Exception as exc:  # noqa: BLE001 - the judge itself raised: that submission's error
                    if not submission.future.done():
                        submission.future.set_exception(exc)
                    continue
                self.summary.judged_per_node[worker.host] = self.summary.judged_per_node.get(worker.host, 0) + 1
                if not submission.future.done():
                    submission.future.set_result(result)

    def _fail_waiting(self, error: Exception) -> None:
        while True:
            submission = self._next()
            if submission is None:
                return
            if not submission.future.done():
                submission.future.set_exception(error)

    def _lose(self, worker: _Worker, exc: BaseException) -> None:
        if not worker.alive:
            return
        worker.alive = False
        self.summary.lost.append(f"{worker.host}: {_reason(exc)}")
        try:
            self._ray.kill(worker.actor, no_restart=True)
        except Exception:  # noqa: BLE001 - it is gone already
            pass
        if not any(w.alive for w in self._workers):
            self._start_workers()  # a node that came back, or one that joined meanwhile

    def _resubmit(self, submission: _Submission, exc: BaseException) -> None:
        submission.attempts += 1
        if submission.attempts > RETRIES_AFTER_LOSS or not any(w.alive for w in self._workers):
            if not submission.future.done():
                submission.future.set_exception(ClusterUnavailable(
                    f"no node left to judge on after {submission.attempts} losses: {_reason(exc)}"))
            return
        self.summary.resubmitted += 1
        self._retry.append(submission)

    # ------------------------------------------------------------------ closing
    def worker_infos(self) -> list[dict[str, Any]]:
        """Each live worker's own account (runs, problems fetched, toolchains)."""
        alive = [w for w in self._workers if w.alive]
        return list(self._ray.get([w.actor.info.remote() for w in alive], timeout=60))

    def close(self) -> None:
        if getattr(self, "_closed", True) and not self._workers:
            return
        self._closed = True
        if hasattr(self, "_queue"):
            self._queue.put(None)
            self._dispatcher.join(timeout=30)
            # Whatever the dispatcher could not finish in time: its callers must not wait forever.
            for future in list(self._outstanding):
                if not future.done():
                    future.set_exception(ClusterUnavailable("the pool is closed"))
        for worker in self._workers:
            if worker.alive:
                try:
                    self._ray.get(worker.actor.close.remote(), timeout=30)
                except Exception:  # noqa: BLE001 - closing must reach every worker
                    pass
                try:
                    self._ray.kill(worker.actor, no_restart=True)
                except Exception:  # noqa: BLE001
                    pass
        self._workers = []
        if self._owns_ray:
            self._ray.shutdown()

    def __enter__(self) -> RayJudgePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _with_test_data(problem: JudgeProblem) -> JudgeProblem:
    """The problem with every test's bytes in it: a test read from a file on the driver's
    disk would be a path that a node on another machine cannot open. Only the problem of the
    submission being sent is held this way, so memory stays bounded."""
    if all(test.input_path is None and test.answer_path is None for test in problem.tests):
        return problem
    tests = [test.model_copy(update={"input_data": test.read_input(), "input_path": None,
                                     "answer_data": test.read_answer(), "answer_path": None})
             for test in problem.tests]
    return problem.model_copy(update={"tests": tests})


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    last = next((line for line in reversed(text) if line.strip()), type(exc).__name__)
    return f"{type(exc).__name__}: {last.strip()[:300]}"


__all__ = ["ClusterUnavailable", "JudgeWorker", "PoolSummary", "RayJudgePool"]

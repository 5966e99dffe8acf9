"""Rewards judged on a Ray cluster: a `RayJudgePool` behind the server's own judging service.

Why the server's `JudgeService` and not the pool alone: a reward is more than a verdict. The
problem is looked up (a dataset id or inline tests), limits are capped, the code is
extracted from the completion, NO_CODE and JUDGE_ERROR are scored, and a bad row becomes an
error of its own kind. Running that very code in the trainer's process, with only the
`Judge.judge` step sent to the cluster, is what makes a reward from the pool equal to the
server's and the in-process one for the same inputs. The dataset is opened here, on the
driver: a problem travels to each node once (the pool caches it there), not the dataset.

Concurrency: each submission waits for its result on a thread of this runtime. There are
at most as many threads as the pool admits submissions (`max_pending`, capped), so when
the cluster is saturated `RayJudgePool.submit` blocks those threads and nothing queues
without bound.

A lost cluster is not a wrong answer: when the pool cannot judge at all (closed, or every
node lost) the reward call raises `ClusterUnavailable` instead of giving every sample an
error, so a trainer stops loudly rather than training on nothing. Ray is imported only
when a pool is made (`shared_pool`), so the `rl` extra works without it."""

from __future__ import annotations

import asyncio
import atexit
import collections
import json
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Mapping, Sequence, cast

from sandbox.judge.cancel import Cancellation
from sandbox.judge.judging import Judge
from sandbox.judge.model import JudgeProblem
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import JudgeResult
from sandbox.server.models import JudgeOptionsIn, Submission, SubmissionResult
from sandbox.server.problems_store import ProblemStore
from sandbox.server.service import JudgeService
from sandbox.server.settings import ServerSettings

if TYPE_CHECKING:
    from sandbox.cluster.ray_pool import RayJudgePool

# One thread waits for each submission the pool holds, so a runtime has `max_pending` of
# them (they sleep on a future); this only bounds a pool given an enormous `max_pending`.
MAX_THREADS = 4096
KEYS_KEPT = 256
# What `RayJudgePool` accepts from a config file (verl's `reward_kwargs`).
POOL_OPTIONS = frozenset({"address", "backend", "testlib", "resources", "slots_per_node", "max_pending",
                          "in_flight_per_slot"})


class _ClusterLost(BaseException):
    """Carries a `ClusterUnavailable` through `JudgeService.judge_submission`, which turns
    every `Exception` into that one submission's `internal` error. A BaseException is not
    caught there, and `PoolRuntime` unwraps it one frame up: a lost cluster must fail the
    whole reward call, not become a per-sample error."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class _PoolJudge:
    """Stands in for the `Judge` of a `JudgeService`: its one method the service calls,
    `judge`, sends the run to the pool and waits for the result."""

    def __init__(self, pool: RayJudgePool) -> None:
        from sandbox.cluster.ray_pool import ClusterUnavailable

        self.pool = pool
        self.unavailable = ClusterUnavailable
        self._keys: collections.OrderedDict[int, tuple[weakref.ref[JudgeProblem], str]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def _key(self, problem: JudgeProblem) -> str:
        """The key a node caches the problem under. The pool's default leaves the limits
        out, but `JudgeService` may cap them on a copy of a problem with the same tests; a
        node must not judge the copy with the original's limits. A dataset's problem is the
        same object on every call while the dataset keeps it, so its tests are hashed once.
        The entry refers to the problem weakly: inline tests, parsed anew for each
        completion, are not kept alive here (they can be large), and a reused `id` is
        told apart by the reference no longer pointing to this problem."""
        with self._lock:
            known = self._keys.get(id(problem))
            if known is not None and known[0]() is problem:
                self._keys.move_to_end(id(problem))
                return known[1]
        key = f"{problem.name}:{problem.testset_hash()}:{problem.time_limit!r}:{problem.memory_limit!r}"
        with self._lock:
            self._keys[id(problem)] = (weakref.ref(problem), key)
            while len(self._keys) > KEYS_KEPT:
                self._keys.popitem(last=False)
        return key

    def judge(self, problem: JudgeProblem, source: str, language: str, options: JudgeOptions | None = None,
              cancel: Cancellation | None = None) -> JudgeResult:
        if cancel is not None:
            cancel.raise_if_cancelled()
        try:
            return self.pool.submit(problem, source, language, options, key=self._key(problem)).result()
        except self.unavailable as exc:
            raise _ClusterLost(exc) from exc


class PoolRuntime:
    """The in-process runtime's interface (`judge_many`, `judge_many_sync`, `problems`) on a
    `RayJudgePool`, so an adapter switches between the two without other changes.
    `problems` is the dataset for `problem_id` rows, as the server's `--problems`."""

    def __init__(self, pool: RayJudgePool, problems: str | None = None) -> None:
        self.pool = pool
        self.settings = ServerSettings(problems=problems)  # the server's default caps on limits and tests
        self.problems = ProblemStore(problems) if problems else None
        self.service = JudgeService(cast(Judge, _PoolJudge(pool)), self.settings, self.problems, metrics=None)
        threads = max(1, min(pool.max_pending, MAX_THREADS))
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="cpforge-ray-reward")

    def judge_one(self, submission: Submission, defaults: JudgeOptionsIn | None = None) -> SubmissionResult:
        try:
            return self.service.judge_submission(0.0, submission, defaults)
        except _ClusterLost as lost:
            raise lost.error from None

    def judge_many_sync(self, submissions: Sequence[Submission],
                        defaults: JudgeOptionsIn | None = None) -> list[SubmissionResult]:
        """Blocking, in order; all of them in flight at once (up to the pool's `max_pending`)."""
        futures = [self._threads.submit(self.judge_one, submission, defaults) for submission in submissions]
        return [future.result() for future in futures]

    async def judge_many(self, submissions: Sequence[Submission], defaults: JudgeOptionsIn | None,
                         deadline: float | None = None) -> list[SubmissionResult]:
        """The coroutine form, for TRL's and verl's async reward loops. `deadline` is accepted
        for the local runtime's signature and not used: like the in-process path, a reward
        waits for its verdict (the pool re-sends work a lost node held)."""
        loop = asyncio.get_running_loop()
        return list(await asyncio.gather(*(loop.run_in_executor(self._threads, self.judge_one, submission, defaults)
                                           for submission in submissions)))

    def close(self) -> None:
        """Stops the waiting threads; the pool belongs to the caller and stays open."""
        self._threads.shutdown(wait=False, cancel_futures=True)


_runtimes: dict[tuple[int, str | None], tuple[Any, PoolRuntime]] = {}
_pools: dict[str, RayJudgePool] = {}
_lock = threading.Lock()


def pool_runtime(pool: RayJudgePool, problems: str | None = None) -> PoolRuntime:
    """The shared runtime for this pool and dataset: the dataset is opened once per process,
    however many reward functions use the pool."""
    key = (id(pool), problems)
    with _lock:
        entry = _runtimes.get(key)
        if entry is None or entry[0] is not pool:
            entry = _runtimes[key] = (pool, PoolRuntime(pool, problems))
        return entry[1]


def pool_options(ray: Any) -> dict[str, Any]:
    """`RayJudgePool` keyword arguments from a config value: True (the Ray job this runs in,
    else the cluster `ray start` left running: address "auto"), an address, or a mapping of
    the pool's arguments (verl gives an OmegaConf mapping). "auto" rather than a new local
    cluster, so a typo in a trainer's setup never judges on one machine unnoticed."""
    if ray is True:
        return {"address": "auto"}
    if isinstance(ray, str):
        return {"address": ray.strip() or "auto"}
    if isinstance(ray, Mapping):
        options = {str(name): value for name, value in ray.items()}
        unknown = sorted(set(options) - POOL_OPTIONS)
        if unknown:
            raise ValueError(f"unknown Ray pool option(s) {unknown}; known: {sorted(POOL_OPTIONS)}")
        options.setdefault("address", "auto")
        if options.get("resources") is not None:
            options["resources"] = {str(name): float(amount) for name, amount in options["resources"].items()}
        return options
    raise ValueError(f"ray must be true, a cluster address or a mapping of pool options, not {type(ray).__name__}")


def shared_pool(ray: Any) -> RayJudgePool:
    """One pool per process and configuration (`pool_options`), started on first use and
    closed at exit: verl calls `compute_score` once per sample, and each call must not
    start actors of its own."""
    options = pool_options(ray)
    key = json.dumps(options, sort_keys=True, default=str)
    with _lock:
        pool = _pools.get(key)
        if pool is None:
            from sandbox.cluster.ray_pool import RayJudgePool

            pool = _pools[key] = RayJudgePool(**options)
            atexit.register(pool.close)
        return pool


def close_pool_runtimes() -> None:
    """Stops the runtimes' threads and closes the pools `shared_pool` started (pools the
    caller made stay open: they are the caller's)."""
    with _lock:
        runtimes = [runtime for _, runtime in _runtimes.values()]
        pools = list(_pools.values())
        _runtimes.clear()
        _pools.clear()
    for runtime in runtimes:
        runtime.close()
    for pool in pools:
        atexit.unregister(pool.close)
        pool.close()


__all__ = ["PoolRuntime", "close_pool_runtimes", "pool_options", "pool_runtime", "shared_pool"]

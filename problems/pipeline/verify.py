"""Judging every candidate in parallel, skipping what the store already knows.

One `Judge` serves the whole run (it compiles each distinct source once and runs tests on
a pool of warm sandbox boxes); several candidates are in flight at once so the boxes stay
busy while others compile. Results are committed to the store one by one from the main
thread as they finish, so an interrupted run loses only the judgements still in flight.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from problems.pipeline.candidates import MALFORMED
from problems.pipeline.cpu import tree_cpu_seconds
from problems.model import CoverageLevel, Problem
from problems.pipeline.inputs import LoadedProblems
from problems.pipeline.model import Candidate
from problems.pipeline.store import ResultKey, StoredResult, VerdictStore
from sandbox.result import TestResult

__all__ = ["CandidateOutcome", "JUDGE_SCHEMA", "VerifyOptions", "VerifyReport", "verify_candidates"]

JUDGE_SCHEMA = "j1"
"""Bumped when the way results are produced changes, so old verdicts are not reused."""

OutcomeStatus = Literal["judged", "error", "no_code", "unknown_problem", "unjudgeable", "skipped",
                        "language_unavailable"]


class VerifyOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jobs: int | None = Field(default=None, ge=1, description="sandboxed runs at once (default: all cores)")
    stop_on_first_failure: bool = True
    min_tests: int = Field(
        default=5, ge=0, description="tests beyond the samples a problem needs to count as fully covered"
    )
    below_min: Literal["label", "skip"] = "label"
    progress: bool = True
    backend: str | None = Field(default=None, description="sandbox backend name (local, docker, e2b, unsafe; "
                                                           "None: CPFORGE_BACKEND, else local)")
    testlib: Path | None = Field(default=None, description="testlib.h (or its folder) for C++ checkers")
    engine: Literal["local", "ray"] = Field(default="local", description="where candidates are judged: this "
                                            "machine, or every node of a Ray cluster")
    ray_address: str | None = Field(default=None, description="the Ray cluster (None: start a local one)")

    @field_validator("testlib")
    @classmethod
    def _testlib_exists(cls, value: Path | None) -> Path | None:
        """A mistyped --testlib fails here, in one line, before any box starts."""
        if value is None:
            return None
        header = value.expanduser()
        header = header / "testlib.h" if header.is_dir() else header
        if not header.is_file():
            raise ValueError(f"{header}: no such file (--testlib names testlib.h or its folder)")
        return value

    @property
    def options_key(self) -> str:
        return f"{JUDGE_SCHEMA};{'first-failure' if self.stop_on_first_failure else 'all-tests'};binary"

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


class CandidateOutcome(BaseModel):
    """What became of one candidate row."""

    status: OutcomeStatus
    reason: str | None = None
    key: ResultKey | None = None
    result: StoredResult | None = None
    coverage: CoverageLevel | None = None
    reused: bool = Field(False, description="the verdict came from an earlier run")

    @property
    def verdict(self) -> str | None:
        if self.status in ("judged", "error") and self.result is not None:
            return self.result.verdict
        return None


class VerifyReport(BaseModel):
    outcomes: list[CandidateOutcome]
    judged_now: int = 0
    reused: int = 0
    unique: int = 0
    errors: int = 0
    interrupted: bool = False
    elapsed: float = 0.0
    toolchains: dict[str, str | None] = Field(default_factory=dict)
    backend: str = ""
    cpu_seconds: float = Field(0.0, description="CPU time of this process tree while judging (see cpu.py)")
    program_cpu_seconds: float = Field(0.0, description="CPU time of the judged programs, as the sandbox measured it")
    cluster: dict[str, Any] | None = Field(None, description="with --engine ray: nodes, workers, judged per node, "
                                           "nodes refused or lost, submissions re-sent")


def _summarise_tests(tests: list[TestResult]) -> list[TestResult]:
    """What the store keeps of each test: times to 0.1 ms, the message's start."""
    return [t.model_copy(update={"cpu_time": round(t.cpu_time, 4), "wall_time": round(t.wall_time, 4),
                                 "message": t.message[:300]})
            for t in tests]


def _judge_one(judge, problem: Problem, candidate: Candidate, key: ResultKey, options: VerifyOptions,
               backend_name: str) -> tuple[StoredResult, str | None]:
    """Judge one distinct candidate; returns the result and, for an infrastructure
    failure, its reason. Never raises: any exception is that candidate's JUDGE_ERROR."""
    from sandbox.judge.scoring import JudgeOptions

    started = time.monotonic()
    try:
        result = judge.judge(problem.judge_problem(), candidate.code or "", candidate.language or "",
                             JudgeOptions(stop_on_first_failure=options.stop_on_first_failure))
    except Exception as exc:  # any failure of the judge's, not the program's
        return _failed(key, exc, backend_name, time.monotonic() - started)
    return _stored(result, key, backend_name, time.monotonic() - started)


def _failed(key: ResultKey, exc: BaseException, backend_name: str, elapsed: float) -> tuple[StoredResult, str]:
    reason = f"{type(exc).__name__}: {exc}"
    return StoredResult(key=key, verdict="JUDGE_ERROR", message=reason, backend=backend_name, elapsed=elapsed), reason


def _stored(result, key: ResultKey, backend_name: str, elapsed: float) -> tuple[StoredResult, str | None]:
    """The store's record of a judge's result, with the failure's reason for a JUDGE_ERROR."""
    from sandbox.result import Verdict

    stored = StoredResult(
        key=key, verdict=result.verdict.value, score=result.score, passed=result.passed, total=result.total,
        message=result.message[:2000], compile_diagnostics=result.compile.diagnostics[:4000],
        tests=_summarise_tests(result.tests), elapsed=elapsed, backend=backend_name,
    )
    return stored, (result.message or "judge error") if result.verdict is Verdict.JUDGE_ERROR else None


class _Progress:
    """tqdm bar with a live count of verdicts (or nothing, when disabled)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        self.counts: Counter[str] = Counter()
        if enabled and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="sol", desc="verifying", dynamic_ncols=True, smoothing=0.05)

    def update(self, verdict: str) -> None:
        self.counts[verdict] += 1
        if self.bar is not None:
            self.bar.set_postfix_str(" ".join(f"{k}={v}" for k, v in sorted(self.counts.items())), refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _plan(loaded: LoadedProblems, candidates: list[Candidate], options: VerifyOptions,
          outcomes: list[CandidateOutcome | None]) -> dict[int, str]:
    """Settle every candidate that cannot be judged; return the others' problem ids (the
    problems themselves stay on the shelf until judged: see shelf.py)."""
    judgeable: dict[int, str] = {}
    for i, candidate in enumerate(candidates):
        pid = loaded.resolve_id(candidate.problem_id)
        problem = loaded.entries.facts(pid) if pid is not None else None
        if candidate.extraction == MALFORMED:  # its defect, not a missing id, is the news
            outcomes[i] = CandidateOutcome(status="no_code", reason=candidate.no_code_reason,
                                           coverage=problem.coverage(options.min_tests) if problem else None)
            continue
        if candidate.problem_id is None or pid is None or problem is None:
            reason = "no problem id" if candidate.problem_id is None else f"unknown problem {candidate.problem_id!r}"
            outcomes[i] = CandidateOutcome(status="unknown_problem", reason=reason)
            continue
        coverage = problem.coverage(options.min_tests)
        if candidate.code is None or candidate.language is None or candidate.no_code_reason:
            outcomes[i] = CandidateOutcome(status="no_code", reason=candidate.no_code_reason or "no code",
                                           coverage=coverage)
            continue
        blocked = problem.judgeable
        if blocked is not None:
            outcomes[i] = CandidateOutcome(status="unjudgeable", reason=blocked, coverage=coverage)
            continue
        if coverage != "full" and options.below_min == "skip":
            outcomes[i] = CandidateOutcome(
                status="skipped", coverage=coverage,
                reason=f"{coverage}: fewer than {options.min_tests} tests beyond the samples")
            continue
        judgeable[i] = pid
    return judgeable


def _settled(outcomes: list[CandidateOutcome | None]) -> list[CandidateOutcome]:
    """Outcomes stay aligned with candidates row by row; a gap would shift every row after it."""
    missing = [i for i, outcome in enumerate(outcomes) if outcome is None]
    if missing:
        raise RuntimeError(f"internal error: no outcome for candidate rows {missing[:10]}")
    return [o for o in outcomes if o is not None]


def verify_candidates(loaded: LoadedProblems, candidates: list[Candidate], store: VerdictStore,
                      options: VerifyOptions, backend=None) -> VerifyReport:
    """Judge every candidate that needs it; reuse stored verdicts for the rest.

    ``backend`` may be passed by callers that manage their own; otherwise one is started
    (and closed) here, and only when some candidate can be judged at all."""
    started = time.monotonic()
    outcomes: list[CandidateOutcome | None] = [None] * len(candidates)
    judgeable = _plan(loaded, candidates, options, outcomes)
    report = VerifyReport(outcomes=[])
    if not judgeable:
        report.outcomes = _settled(outcomes)
        report.elapsed = time.monotonic() - started
        return report

    from sandbox.backends import get_backend

    if options.engine == "ray" and backend is None and _settled_by_memo(loaded, candidates, store, options,
                                                                         judgeable, outcomes, report):
        report.outcomes = _settled(outcomes)
        report.elapsed = time.monotonic() - started
        return report
    own_backend = backend is None
    pool = None
    if options.engine == "ray":
        from sandbox.cluster import RayJudgePool

        pool = RayJudgePool(options.ray_address, backend=options.backend, slots_per_node=options.jobs,
                            testlib=str(options.testlib) if options.testlib else None)
        backend, own_backend = pool, True  # toolchains and the name come from the cluster's workers
    elif own_backend:
        backend = get_backend(options.backend, concurrency=options.workers)
    try:
        report.backend = getattr(backend, "name_detail", backend.name)
        keys = _result_keys(loaded, candidates, judgeable, options, outcomes, report.toolchains, backend.toolchain)
        if pool is not None:
            store.set_meta(RAY_MEMO, json.dumps({"backend": report.backend, "toolchains": report.toolchains}))
        done = store.get_many(keys.values(), with_tests=False)
        pending: dict[str, int] = {}  # digest -> first candidate index with it
        for i, key in keys.items():
            if key.digest not in done:
                pending.setdefault(key.digest, i)
        report.unique = len({key.digest for key in keys.values()})
        fresh = _Fresh()
        if pending:
            cpu_before = tree_cpu_seconds()
            if pool is not None:
                fresh, report.interrupted = _run_pending_on_ray(pool, loaded, judgeable, candidates, keys, pending,
                                                                store, options, report.backend)
            else:
                fresh, report.interrupted = _run_pending(backend, loaded, judgeable, candidates, keys, pending,
                                                         store, options, report.backend)
            report.cpu_seconds = tree_cpu_seconds() - cpu_before  # before the boxes close: see cpu.py
            report.program_cpu_seconds = fresh.program_cpu_seconds
        for i, key in keys.items():
            coverage = loaded.entries.facts(judgeable[i]).coverage(options.min_tests)
            digest = key.digest
            if digest in done:
                outcomes[i] = CandidateOutcome(status="judged", key=key, result=done[digest], coverage=coverage,
                                               reused=True)
            elif digest in fresh:
                result, failure = fresh[digest]
                outcomes[i] = CandidateOutcome(status="error" if failure else "judged", key=key, result=result,
                                               reason=failure, coverage=coverage)
            else:  # interrupted before its turn
                outcomes[i] = CandidateOutcome(status="error", key=key, coverage=coverage,
                                               reason="not judged: the run was interrupted")
        report.judged_now = sum(1 for r, f in fresh.values() if f is None)
        report.errors = sum(1 for r, f in fresh.values() if f is not None)
        report.reused = len({k.digest for k in keys.values()} & set(done))
        if pool is not None:
            summary = pool.summary
            report.cluster = {"nodes": summary.nodes, "workers": summary.workers, "slots": summary.slots,
                              "judged_per_node": dict(summary.judged_per_node), "refused": dict(summary.refused),
                              "lost": list(summary.lost), "resubmitted": summary.resubmitted,
                              "toolchain_mismatches": pool.toolchain_mismatches()}
    finally:
        if own_backend:
            backend.close()
    report.outcomes = _settled(outcomes)
    report.elapsed = time.monotonic() - started
    return report


RAY_MEMO = "ray-cluster"
"""The store's record of the last Ray run's backend name and toolchains (see `_settled_by_memo`)."""


def _result_keys(loaded: LoadedProblems, candidates: list[Candidate], judgeable: dict[int, str],
                 options: VerifyOptions, outcomes: list[CandidateOutcome | None],
                 toolchains: dict[str, str | None], toolchain_of: Callable[[str], str | None]) -> dict[int, ResultKey]:
    """Each judgeable candidate's verdict key; a candidate whose language has no toolchain is
    settled as `language_unavailable`. ``toolchains`` caches ``toolchain_of`` per language."""
    keys: dict[int, ResultKey] = {}
    for i, pid in judgeable.items():
        candidate, problem = candidates[i], loaded.entries.facts(pid)
        language = candidate.language or ""
        if language not in toolchains:
            toolchains[language] = toolchain_of(language)
        toolchain = toolchains[language]
        if toolchain is None:
            outcomes[i] = CandidateOutcome(status="language_unavailable", coverage=problem.coverage(options.min_tests),
                                           reason=f"{language} is not installed on this host")
            continue
        keys[i] = ResultKey(problem_id=pid, testset_hash=problem.testset_hash or "", language=language,
                            code_hash=candidate.code_hash or "", limits=problem.limits_key, toolchain=toolchain,
                            options=options.options_key)
    return keys


def _settled_by_memo(loaded: LoadedProblems, candidates: list[Candidate], store: VerdictStore,
                     options: VerifyOptions, judgeable: dict[int, str], outcomes: list[CandidateOutcome | None],
                     report: VerifyReport) -> bool:
    """A rerun of a Ray build with nothing left to judge must not pay for starting the
    cluster's judges (seconds per node): with the toolchains the last Ray run recorded in the
    store, are all verdicts already there? If so, settle every candidate from the store and
    return True; otherwise change nothing. Verdicts are keyed by toolchain, so a cluster
    whose toolchains changed since is only noticed once there is something new to judge."""
    memo_text = store.get_meta(RAY_MEMO)
    if memo_text is None:
        return False
    memo = json.loads(memo_text)
    remembered: dict[str, str | None] = memo["toolchains"]
    if any((candidates[i].language or "") not in remembered for i in judgeable):
        return False
    trial = list(outcomes)
    toolchains = dict(remembered)
    keys = _result_keys(loaded, candidates, judgeable, options, trial, toolchains, lambda language: None)
    done = store.get_many(keys.values(), with_tests=False)
    if any(key.digest not in done for key in keys.values()):
        return False
    for i, key in keys.items():
        trial[i] = CandidateOutcome(status="judged", key=key, result=done[key.digest], reused=True,
                                    coverage=loaded.entries.facts(judgeable[i]).coverage(options.min_tests))
    outcomes[:] = trial
    report.backend, report.toolchains = memo["backend"], toolchains
    report.unique = report.reused = len({key.digest for key in keys.values()})
    return True


def _run_pending(backend, loaded: LoadedProblems, judgeable: dict[int, str], candidates: list[Candidate],
                 keys: dict[int, ResultKey], pending: dict[str, int], store: VerdictStore, options: VerifyOptions,
                 backend_name: str) -> tuple[_Fresh, bool]:
    from sandbox.judge.judging import Judge

    fresh = _Fresh()
    progress = _Progress(len(pending), options.progress)
    # Candidates in flight, beyond the box slots: while one compiles (javac, g++) or waits
    # out an idle interactive run, others keep the boxes busy; the fair pool bounds runs.
    in_flight = max(4, 4 * options.workers)
    order = sorted(pending.items(), key=lambda item: item[1])  # input order: runs are reproducible
    interrupted = False
    # testlib is a Path or None (a Path is always truthy): passing it is the same as leaving it out.
    with Judge(backend, jobs=options.workers, testlib=options.testlib) as judge, \
            ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="verify") as pool:
        running: dict[Future, str] = {}
        queue = iter(order)
        try:
            while True:
                while len(running) < in_flight:
                    item = next(queue, None)
                    if item is None:
                        break
                    digest, i = item
                    problem = loaded.entries[judgeable[i]]
                    # Build the judge's problem here, on one thread, before workers share it.
                    problem.judge_problem()
                    running[pool.submit(_judge_one, judge, problem, candidates[i], keys[i], options,
                                        backend_name)] = digest
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    digest = running.pop(future)
                    _keep(store, fresh, progress, digest, *future.result())
        except KeyboardInterrupt:
            interrupted = True
            for future in running:
                future.cancel()
        finally:
            progress.close()
    return fresh, interrupted


class _Fresh(dict[str, tuple[StoredResult, str | None]]):
    """This run's judgements by digest, each kept without its tests once it is in the store
    (the rows read them back from there), and the judged programs' CPU time, summed as
    they come in."""

    program_cpu_seconds: float = 0.0


def _keep(store: VerdictStore, fresh: _Fresh, progress: _Progress,
          digest: str, result: StoredResult, failure: str | None) -> None:
    """One finished judgement, stored at once (an interrupted run keeps it) and counted."""
    if failure is None:
        store.put(result)
    else:
        store.put_error(result, failure)
    fresh.program_cpu_seconds += sum(t.cpu_time for t in result.tests)
    fresh[digest] = (result.without_tests() if failure is None else result, failure)
    progress.update(result.verdict)


def _run_pending_on_ray(pool, loaded: LoadedProblems, judgeable: dict[int, str], candidates: list[Candidate],
                        keys: dict[int, ResultKey], pending: dict[str, int], store: VerdictStore,
                        options: VerifyOptions, backend_name: str
                        ) -> tuple[_Fresh, bool]:
    """The same loop as `_run_pending`, with the cluster's judges: a bounded window of
    submissions (the pool's back-pressure), each result stored here, on the driver, the
    moment it arrives, so a killed driver or a lost node loses nothing already judged."""
    from sandbox.judge.scoring import JudgeOptions

    fresh = _Fresh()
    progress = _Progress(len(pending), options.progress)
    order = sorted(pending.items(), key=lambda item: item[1])
    judge_options = JudgeOptions(stop_on_first_failure=options.stop_on_first_failure)
    window = pool.max_pending
    running: dict[Future, tuple[str, int, float]] = {}
    queue = iter(order)
    interrupted = False
    try:
        while True:
            while len(running) < window:
                item = next(queue, None)
                if item is None:
                    break
                digest, i = item
                problem = loaded.entries[judgeable[i]]
                future = pool.submit(problem.judge_problem(), candidates[i].code or "", candidates[i].language or "",
                                     judge_options, key=f"{problem.id}:{problem.testset_hash}:{problem.limits_key}")
                running[future] = (digest, i, time.monotonic())
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                digest, i, started = running.pop(future)
                elapsed = time.monotonic() - started
                try:
                    result, failure = _stored(future.result(), keys[i], backend_name, elapsed)
                except Exception as exc:  # the judge raised, or no node was left: that candidate's error
                    result, failure = _failed(keys[i], exc, backend_name, elapsed)
                _keep(store, fresh, progress, digest, result, failure)
    except KeyboardInterrupt:
        interrupted = True
        for future in running:
            future.cancel()
    finally:
        progress.close()
    return fresh, interrupted

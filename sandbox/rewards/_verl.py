"""verl's custom reward functions; `sandbox/rewards/verl.py` re-exports them (see there).

Kept apart from `verl.py` because verl loads that file by path, as a module with no parent
package: everything here is then reached through one absolute import, so it is the same
module (the same `JudgeFailure`, the same client cache) however that file was loaded."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, Sequence

from sandbox.server.labels import LabelError, problem_fields
from sandbox.server.models import JudgeOptionsIn, ScoreMode, Submission, SubmissionResult
from sandbox.rewards.language import LanguageFrom, choose_language
from sandbox.rewards.local import local_runtime

if TYPE_CHECKING:
    from sandbox.cluster.ray_pool import RayJudgePool
    from sandbox.rewards.client import JudgeClient
    from sandbox.rewards.pool import PoolRuntime

URL_ENV, TOKEN_ENV = "CPFORGE_SERVER_URL", "CPFORGE_SERVER_TOKEN"
DATA_ERRORS = ("invalid", "not_found")

_clients: dict[tuple[str, str | None], JudgeClient] = {}
_clients_lock = threading.Lock()


class JudgeFailure(RuntimeError):
    """The judge, not the solution, failed; the reason is in the message."""


def _client(url: str, token: str | None, timeout: float) -> JudgeClient:
    from sandbox.rewards.client import JudgeClient  # httpx only for the HTTP path

    with _clients_lock:
        client = _clients.get((url, token))
        if client is None:
            client = _clients[(url, token)] = JudgeClient(url, token, timeout)
        return client


def _submission(solution_str: str, ground_truth: Any, extra_info: dict | None, language: str | None,
                options: JudgeOptionsIn, language_from: LanguageFrom = "fence") -> Submission:
    extra = extra_info if isinstance(extra_info, dict) else {}
    try:
        fields = problem_fields(ground_truth)
    except LabelError:
        fallback = extra.get("verification_info") or extra.get("problem_id")
        if not fallback:
            raise
        fields = problem_fields(fallback if not isinstance(fallback, str) or fallback.lstrip().startswith("{")
                                else {"problem_id": fallback})
    data_language = fields.pop("language", None)
    row_language = extra.get("language") or data_language
    fields["language"] = choose_language(solution_str, row_language, language, language_from)
    return Submission(completion=solution_str, options=options, **fields)


def _score_dict(result: SubmissionResult, judge_error_score: float | None) -> dict[str, Any]:
    if result.error is not None:
        if result.error.kind in DATA_ERRORS:
            raise ValueError(f"cannot judge this sample: {result.error.message}")
        if judge_error_score is None:
            raise JudgeFailure(f"{result.error.kind}: {result.error.message}")
    score = result.score if result.score is not None else judge_error_score
    return {
        "score": float(score if score is not None else 0.0),
        "verdict": result.verdict or (result.error.kind.upper() if result.error else "UNKNOWN"),
        "passed": result.passed,
        "total": result.total,
        "pass_rate": result.passed / result.total if result.total else 0.0,
        "compile_error": result.verdict == "CE",
        "time_limit": result.verdict == "TLE",
        "judge_error": result.error is not None,
        "message": result.message[:300],
    }


def _options(score: ScoreMode, judge_error_score: float | None) -> JudgeOptionsIn:
    return JudgeOptionsIn(score=score, judge_error_score=judge_error_score, include_tests=False)


def _on_pool(server_url: str | None, pool: RayJudgePool | None, ray: Any, problems: str | None) -> PoolRuntime | None:
    """The Ray runtime when `pool` (a `RayJudgePool`, for a function bound in Python) or
    `ray` (true, an address or the pool's options: what a YAML `reward_kwargs` can say) asks
    for one. An explicit cluster beats `CPFORGE_SERVER_URL` in the environment; an explicit
    `server_url` with it is a contradiction."""
    if pool is None and (ray is None or ray is False):
        return None
    if server_url:
        raise ValueError("give server_url or a Ray pool (pool=, ray=), not both")
    from sandbox.rewards.pool import pool_runtime, shared_pool

    return pool_runtime(pool if pool is not None else shared_pool(ray), problems)


def _judge_sync(submissions: list[Submission], server_url: str | None, token: str | None, timeout: float,
                problems: str | None, on_pool: PoolRuntime | None = None) -> list[SubmissionResult]:
    if on_pool is not None:
        return on_pool.judge_many_sync(submissions)
    url = server_url or os.environ.get(URL_ENV)
    if url:
        return _client(url, token or os.environ.get(TOKEN_ENV), timeout).judge(submissions)
    return local_runtime(problems).judge_many_sync(submissions)


def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: dict | None = None, *,
                  server_url: str | None = None, token: str | None = None, score: ScoreMode = "binary",
                  language: str | None = None, problems: str | None = None,
                  judge_error_score: float | None = None, timeout: float = 900.0,
                  language_from: LanguageFrom = "fence", pool: RayJudgePool | None = None, ray: Any = None,
                  **_: Any) -> dict[str, Any]:
    """verl's `compute_score`: a dict with `score` and the verdict's details. `pool` or
    `ray` judge on a Ray cluster instead of a server (see `_on_pool`)."""
    on_pool = _on_pool(server_url, pool, ray, problems)
    submission = _submission(solution_str, ground_truth, extra_info, language, _options(score, judge_error_score),
                             language_from)
    [result] = _judge_sync([submission], server_url, token, timeout, problems, on_pool)
    return _score_dict(result, judge_error_score)


async def compute_score_async(data_source: str, solution_str: str, ground_truth: Any,
                              extra_info: dict | None = None, *, server_url: str | None = None,
                              token: str | None = None, score: ScoreMode = "binary", language: str | None = None,
                              problems: str | None = None, judge_error_score: float | None = None,
                              timeout: float = 900.0, language_from: LanguageFrom = "fence",
                              pool: RayJudgePool | None = None, ray: Any = None, **_: Any) -> dict[str, Any]:
    """The same, as a coroutine, for verl's async reward loop."""
    on_pool = _on_pool(server_url, pool, ray, problems)
    submission = _submission(solution_str, ground_truth, extra_info, language, _options(score, judge_error_score),
                             language_from)
    url = server_url or os.environ.get(URL_ENV)
    if on_pool is not None:
        [result] = await on_pool.judge_many([submission], None)
    elif url:
        from sandbox.rewards.client import AsyncJudgeClient

        [result] = await AsyncJudgeClient(url, token or os.environ.get(TOKEN_ENV), timeout).judge([submission])
    else:
        [result] = await local_runtime(problems).judge_many([submission], None, None)
    return _score_dict(result, judge_error_score)


def compute_score_batch(data_sources: Sequence[str], solution_strs: Sequence[str], ground_truths: Sequence[Any],
                        extra_infos: Sequence[dict | None] | None = None, *, server_url: str | None = None,
                        token: str | None = None, score: ScoreMode = "binary", language: str | None = None,
                        problems: str | None = None, judge_error_score: float | None = None,
                        timeout: float = 900.0, language_from: LanguageFrom = "fence",
                        pool: RayJudgePool | None = None, ray: Any = None, **_: Any) -> list[dict[str, Any]]:
    """For verl's BatchRewardManager: the whole batch in one request, judged concurrently
    (on a Ray cluster, spread over its nodes)."""
    on_pool = _on_pool(server_url, pool, ray, problems)
    extras = list(extra_infos) if extra_infos is not None else [None] * len(solution_strs)
    options = _options(score, judge_error_score)
    submissions = [_submission(solution, truth, extra, language, options, language_from)
                   for solution, truth, extra in zip(solution_strs, ground_truths, extras)]
    results = _judge_sync(submissions, server_url, token, timeout, problems, on_pool)
    return [_score_dict(result, judge_error_score) for result in results]


__all__ = ["JudgeFailure", "compute_score", "compute_score_async", "compute_score_batch"]

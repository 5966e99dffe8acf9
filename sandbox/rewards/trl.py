"""TRL reward functions (GRPOTrainer and friends).

    from sandbox.rewards.trl import make_trl_reward
    reward = make_trl_reward("http://127.0.0.1:8000", mode="weighted_sum")
    trainer = GRPOTrainer(..., reward_funcs=[reward])

TRL calls `reward(prompts=..., completions=..., completion_ids=..., **columns)` and treats
it as async only when it is a plain `async def` function, which is what the factory returns.
Each row is judged against its `verification_info` column (open-r1's format) or its
`problem_id` (resolved by the server's `--problems` dataset). Rows with neither are not
code problems: they get None, and TRL leaves this function out for them. A JUDGE_ERROR (a
broken checker, a failed sandbox) is None as well, never a zero reward, unless
`judge_error_reward` says otherwise."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Sequence

from ..server.models import JudgeOptionsIn, ScoreMode, Submission, SubmissionResult
from .client import AsyncJudgeClient
from .local import local_runtime

log = logging.getLogger("cpforge.rewards")

RewardFunction = Callable[..., Awaitable[list[float | None]]]


def _column(columns: dict[str, Any], name: str, count: int) -> list[Any]:
    values = columns.get(name)
    if values is None:
        return [None] * count
    values = list(values)
    if len(values) != count:
        raise ValueError(f"column {name!r} has {len(values)} values for {count} completions")
    return values


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != {}


def rates(results: Sequence[SubmissionResult]) -> dict[str, float]:
    """Shares of judged rows by outcome, for `log_metric`."""
    if not results:
        return {}
    count = len(results)

    def share(predicate) -> float:
        return sum(1 for r in results if predicate(r)) / count

    return {
        "accepted_rate": share(lambda r: r.verdict == "AC"),
        "compile_error_rate": share(lambda r: r.verdict == "CE"),
        "time_limit_rate": share(lambda r: r.verdict == "TLE"),
        "no_code_rate": share(lambda r: r.verdict == "NO_CODE"),
        "judge_error_rate": share(lambda r: r.error is not None),
    }


def make_trl_reward(server_url: str | None = None, *, mode: ScoreMode = "binary", token: str | None = None,
                    language: str | None = None, problems: str | None = None,
                    judge_error_reward: float | None = None, stop_on_first_failure: bool = True,
                    timeout: float = 900.0, name: str | None = None, workers: int | None = None) -> RewardFunction:
    """A TRL reward function.

    server_url: the reward server; None judges in this process (`problems` then names the
        dataset for `problem_id` rows, `workers` the parallel sandbox runs).
    mode: "binary" (1 for AC), "pass_rate", "points" or "weighted_sum" (open-r1's
        1[all passed] + 0.1 * pass rate).
    language: used when a row has no `language` column (and the completion's fence is bare).
    judge_error_reward: the number to give a JUDGE_ERROR instead of None."""
    options = JudgeOptionsIn(score=mode, judge_error_score=judge_error_reward, include_tests=False,
                             stop_on_first_failure=stop_on_first_failure)
    client = AsyncJudgeClient(server_url, token, timeout) if server_url else None
    label = name or f"cpforge_{mode}"

    async def judge(submissions: list[Submission]) -> list[SubmissionResult]:
        if client is not None:
            return await client.judge(submissions, options)
        return await local_runtime(problems, workers).judge_many(submissions, options, None)

    async def reward(prompts: list[Any] | None = None, completions: list[Any] | None = None,
                     completion_ids: list[list[int]] | None = None, **kwargs: Any) -> list[float | None]:
        completions = list(completions or [])
        count = len(completions)
        infos = _column(kwargs, "verification_info", count)
        problem_ids = _column(kwargs, "problem_id", count)
        languages = _column(kwargs, "language", count)
        rows: list[int] = []
        submissions: list[Submission] = []
        for index, completion in enumerate(completions):
            info, problem_id = infos[index], problem_ids[index]
            if not _present(info) and not _present(problem_id):
                continue  # not a code problem: None
            try:
                submissions.append(Submission(
                    completion=completion if completion is not None else "",
                    language=languages[index] or language,
                    verification_info=info if _present(info) else None,
                    problem_id=str(problem_id) if _present(problem_id) else None))
            except ValueError as exc:  # a malformed row is that row's problem only
                log.warning("%s: row %d not scored: %s", label, index, exc)
                continue
            rows.append(index)
        results = await judge(submissions) if submissions else []
        rewards: list[float | None] = [None] * count
        for index, result in zip(rows, results):
            rewards[index] = result.score
            if result.error is not None:
                log.warning("%s: row %d not scored: %s: %s", label, index, result.error.kind, result.error.message)
        log_metric = kwargs.get("log_metric")
        if callable(log_metric):
            for metric, value in rates(results).items():
                log_metric(f"{label}/{metric}", value)
        return rewards

    reward.__name__ = reward.__qualname__ = label
    return reward


__all__ = ["make_trl_reward", "rates"]

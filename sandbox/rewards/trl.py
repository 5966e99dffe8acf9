"""TRL reward functions (GRPOTrainer and friends).

    from sandbox.rewards.trl import make_trl_reward
    reward = make_trl_reward("http://127.0.0.1:8000", mode="weighted_sum")
    trainer = GRPOTrainer(..., reward_funcs=[reward])

    # or judged on the Ray cluster the trainer runs in, no server needed:
    from sandbox.cluster import RayJudgePool
    reward = make_trl_reward(pool=RayJudgePool(resources={"cpforge": 1}), mode="weighted_sum")

TRL calls `reward(prompts=..., completions=..., completion_ids=..., **columns)` and treats
it as async only when it is a plain `async def` function, which is what the factory returns.
Each row is judged against, in this order:

1. its `verification_info` (open-r1's format, a dict or its JSON text; cpforge's `problems`);
2. its `problem_id` (resolved by the server's `--problems` dataset, or `problems=`);
3. open-r1/codeforces columns: `official_tests`, `time_limit`, `memory_limit`,
   `generated_checker`, `input_mode`, plus the problem's generated tests from a
   `generated_tests` folder (`test_cases_XXXX.parquet`, open-r1's `$CF_TESTS_FOLDER`). When
   the judge has a problem dataset that knows the row's `id`, that dataset's tests are used;
4. its `id` (cpforge's `verified` rows), resolved like `problem_id`.

Rows with none of these are not code problems: they get None, and TRL leaves this function
out for them. A row that is a code problem but cannot be judged (no tests, an unknown id, a
malformed row) raises `RewardDataError` on the first call, because TRL would otherwise train
on nothing while printing warnings. A JUDGE_ERROR (a broken checker, a failed sandbox) is
None, never a zero reward, unless `judge_error_reward` says otherwise."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, Sequence

from sandbox.server.labels import LabelError, open_r1_verification_info, problem_fields
from sandbox.server.models import JudgeOptionsIn, ScoreMode, Submission, SubmissionResult
from sandbox.rewards.generated_tests import GeneratedTests, generated_tests_source
from sandbox.rewards.language import LanguageFrom, choose_language
from sandbox.rewards.local import local_runtime

if TYPE_CHECKING:
    from sandbox.cluster.ray_pool import RayJudgePool
    from sandbox.rewards.client import AsyncJudgeClient
    from sandbox.rewards.pool import PoolRuntime

log = logging.getLogger("cpforge.rewards")

RewardFunction = Callable[..., Awaitable[list[float | None]]]

# What TRL adds to the dataset's columns; never read as row data.
TRAINER_KWARGS = frozenset({"trainer_state", "log_extra", "log_metric", "environments"})
# Errors that say the row (not the completion, not the judge) is unusable.
DATA_ERRORS = frozenset({"invalid", "not_found", "unsupported", "too_large"})


class RewardDataError(ValueError):
    """A row is a code problem, but carries nothing the judge can use (no tests, an unknown
    problem id, a malformed `verification_info`)."""


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != {}


def rates(results: Sequence[SubmissionResult]) -> dict[str, float]:
    """Shares of judged rows by outcome, for `log_metric`."""
    if not results:
        return {}
    count = len(results)

    def share(predicate: Callable[[SubmissionResult], bool]) -> float:
        return sum(1 for r in results if predicate(r)) / count

    return {
        "accepted_rate": share(lambda r: r.verdict == "AC"),
        "compile_error_rate": share(lambda r: r.verdict == "CE"),
        "time_limit_rate": share(lambda r: r.verdict == "TLE"),
        "no_code_rate": share(lambda r: r.verdict == "NO_CODE"),
        "judge_error_rate": share(lambda r: r.error is not None),
    }


def _rows(kwargs: Mapping[str, Any], count: int) -> list[dict[str, Any]]:
    """TRL's column lists turned back into one dict per completion."""
    rows: list[dict[str, Any]] = [{} for _ in range(count)]
    for name, values in kwargs.items():
        if name in TRAINER_KWARGS or values is None or isinstance(values, (str, bytes, Mapping)):
            continue
        try:
            values = list(values)
        except TypeError:
            continue  # not a column
        if len(values) != count:
            raise ValueError(f"column {name!r} has {len(values)} values for {count} completions")
        for row, value in zip(rows, values):
            row[name] = value
    return rows


@dataclass
class _Problem:
    """How to judge one row: `fields` first; `inline` (built when needed) if the judge's
    dataset does not know the id."""

    fields: dict[str, Any]
    inline: Callable[[], dict[str, Any]] | None = None
    name: str = ""


@dataclass
class _Resolver:
    id_column: str | None
    tests: GeneratedTests | None
    missing: set[str] = field(default_factory=set)  # ids the judge's dataset turned out not to have

    def problem(self, row: Mapping[str, Any], dataset: bool) -> _Problem | None:
        """None for a row that is not a code problem; LabelError for one that is, unusable."""
        info = row.get("verification_info")
        if _present(info):
            return _Problem(problem_fields({"verification_info": info}), name=str(row.get("id") or ""))
        if _present(row.get("problem_id")):
            return _Problem({"problem_id": str(row["problem_id"])}, name=str(row["problem_id"]))
        row_id = str(row["id"]) if _present(row.get("id")) else None
        if row.get("official_tests") is not None:
            def inline() -> dict[str, Any]:
                extra = self.tests.get(row_id, row.get("contest_id")) if self.tests and row_id else []
                return {"verification_info": open_r1_verification_info(row, extra)}

            if row_id is not None and dataset and row_id not in self.missing:
                return _Problem({"problem_id": row_id}, inline, row_id)
            return _Problem(inline(), name=row_id or "")
        if self.id_column and _present(row.get(self.id_column)):
            return _Problem({"problem_id": str(row[self.id_column])}, name=str(row[self.id_column]))
        return None


def make_trl_reward(server_url: str | None = None, *, mode: ScoreMode = "binary", token: str | None = None,
                    language: str | None = None, language_from: LanguageFrom = "fence",
                    problems: str | None = None, generated_tests: str | os.PathLike[str] | None = None,
                    id_column: str | None = "id", judge_error_reward: float | None = None,
                    strict: bool = True, stop_on_first_failure: bool = True, timeout: float = 900.0,
                    name: str | None = None, workers: int | None = None,
                    pool: RayJudgePool | None = None) -> RewardFunction:
    """A TRL reward function.

    server_url: the reward server; None judges in this process (`problems` then names the
        dataset for `problem_id`/`id` rows, `workers` the parallel sandbox runs).
    pool: a `sandbox.cluster.RayJudgePool` instead of a server: problems are looked up and
        code extracted here (`problems` names the dataset) as the server does, and only the
        runs go to the cluster's nodes. The pool stays the caller's to close.
    mode: "binary" (1 for AC), "pass_rate", "points" or "weighted_sum" (open-r1's
        1[all passed] + 0.1 * pass rate).
    language_from: "fence" (default): a labelled fence's language wins, and the row's
        `language` column (else `language`) is used for a bare fence. "row": the row's
        language (else `language`) wins and only a block in it is judged, as open-r1 does.
    generated_tests: folder of open-r1's `test_cases_XXXX.parquet` (default:
        `$CF_TESTS_FOLDER`), appended to an open-r1 row's `official_tests`.
    id_column: the column read as a problem id when a row has no tests of its own (None:
        never; for mixed datasets whose other rows have ids too).
    strict: raise `RewardDataError` for a code-problem row that cannot be judged (default),
        instead of logging it and giving None.
    judge_error_reward: the number to give a JUDGE_ERROR instead of None."""
    if language_from not in ("fence", "row"):
        raise ValueError(f"language_from must be 'fence' or 'row', not {language_from!r}")
    options = JudgeOptionsIn(score=mode, judge_error_score=judge_error_reward, include_tests=False,
                             stop_on_first_failure=stop_on_first_failure)
    if server_url and pool is not None:
        raise ValueError("give server_url or pool, not both")
    client: AsyncJudgeClient | None = None
    on_pool: PoolRuntime | None = None
    if pool is not None:
        from sandbox.rewards.pool import pool_runtime

        on_pool = pool_runtime(pool, problems)
    elif server_url:
        from sandbox.rewards.client import AsyncJudgeClient  # httpx only for the HTTP path

        client = AsyncJudgeClient(server_url, token, timeout)
    resolver = _Resolver(id_column, generated_tests_source(generated_tests))
    label = name or f"cpforge_{mode}"

    async def judge(submissions: list[Submission]) -> list[SubmissionResult]:
        if not submissions:
            return []
        if client is not None:
            return await client.judge(submissions, options)
        if on_pool is not None:
            return await on_pool.judge_many(submissions, options)
        return await local_runtime(problems, workers).judge_many(submissions, options, None)

    async def has_dataset() -> bool:
        if client is not None:
            return await client.server_problems() is not None
        if on_pool is not None:
            return on_pool.problems is not None
        return local_runtime(problems, workers).problems is not None

    async def reward(prompts: list[Any] | None = None, completions: list[Any] | None = None,
                     completion_ids: list[list[int]] | None = None, **kwargs: Any) -> list[float | None]:
        completions = list(completions or [])
        count = len(completions)
        rows = _rows(kwargs, count)
        problems_seen: dict[int, _Problem] = {}
        failures: list[str] = []
        dataset: bool | None = None

        def build(index: int, fields: dict[str, Any]) -> Submission | None:
            completion = completions[index] if completions[index] is not None else ""
            fields = dict(fields)
            data_language = fields.pop("language", None)
            row_language = rows[index].get("language") or data_language
            try:
                return Submission(completion=completion, options=None,
                                  language=choose_language(completion, row_language, language, language_from),
                                  **fields)
            except ValueError as exc:
                failures.append(f"row {index}: {exc}")
                return None

        pending: list[tuple[int, Submission]] = []
        for index in range(count):
            try:
                if dataset is None and _needs_dataset_answer(rows[index]):
                    dataset = await has_dataset()
                problem = resolver.problem(rows[index], bool(dataset))
            except LabelError as exc:
                failures.append(f"row {index}: {exc}")
                continue
            if problem is None:
                continue  # not a code problem: None
            problems_seen[index] = problem
            submission = build(index, problem.fields)
            if submission is not None:
                pending.append((index, submission))

        results: dict[int, SubmissionResult] = {}
        judged = await judge([s for _, s in pending])
        retry: list[tuple[int, Submission]] = []
        for (index, _), result in zip(pending, judged):
            problem = problems_seen[index]
            if result.error is not None and result.error.kind == "not_found" and problem.inline is not None:
                resolver.missing.add(problem.name)  # the dataset lacks it: inline tests from now on
                try:
                    submission = build(index, problem.inline())
                except LabelError as exc:
                    failures.append(f"row {index}: {exc}")
                    continue
                if submission is not None:
                    retry.append((index, submission))
                continue
            results[index] = result
        for (index, _), result in zip(retry, await judge([s for _, s in retry])):
            results[index] = result

        rewards: list[float | None] = [None] * count
        for index, result in sorted(results.items()):
            if result.error is not None and result.error.kind in DATA_ERRORS:
                failures.append(f"row {index} ({problems_seen[index].name or 'inline tests'}): "
                                f"{result.error.kind}: {result.error.message}")
                continue
            rewards[index] = result.score
            if result.error is not None:
                log.warning("%s: row %d not scored: %s: %s", label, index, result.error.kind, result.error.message)
        if failures:
            message = (f"{label}: {len(failures)} of {count} rows are code problems the judge cannot use: "
                       + "; ".join(failures[:5]) + ("; ..." if len(failures) > 5 else ""))
            if strict:
                raise RewardDataError(message + " (strict=False gives them None instead)")
            log.warning("%s", message)
        log_metric = kwargs.get("log_metric")
        if callable(log_metric):
            for metric, value in rates(list(results.values())).items():
                log_metric(f"{label}/{metric}", value)
        return rewards

    reward.__name__ = reward.__qualname__ = label
    return reward


def _needs_dataset_answer(row: Mapping[str, Any]) -> bool:
    """An open-r1 row with an id and no inline `verification_info`: whether the judge has a
    problem dataset decides between its tests and the row's."""
    return (not _present(row.get("verification_info")) and not _present(row.get("problem_id"))
            and row.get("official_tests") is not None and _present(row.get("id")))


__all__ = ["LanguageFrom", "RewardDataError", "make_trl_reward", "rates"]

"""Codeforces API responses to `Problem` metadata, and merging Div.1/Div.2 twins.

The API schema drifted over the years (2015 responses have no ``rating``; newer ones add
``points`` only for some rounds), so the response is validated with permissive pydantic
models that name only what cpforge reads, and unknown fields are ignored rather than
breaking a 10,000-problem run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from problems.model import Problem

__all__ = [
    "ApiProblem",
    "ApiProblemStatistics",
    "ApiContest",
    "ApiProblemset",
    "problems_from_api",
    "load_problemset",
    "load_contests",
    "parallel_contests",
    "merge_twins",
    "merge_metadata",
]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class ApiProblem(_Lenient):
    """``Problem`` object of the Codeforces API."""

    contest_id: int | None = Field(default=None, alias="contestId")
    problemset_name: str | None = Field(default=None, alias="problemsetName")
    index: str
    name: str
    type: str = "PROGRAMMING"
    points: float | None = None
    rating: int | None = None
    tags: list[str] = Field(default_factory=list)


class ApiProblemStatistics(_Lenient):
    """``ProblemStatistics`` object: how many people solved a problem."""

    contest_id: int | None = Field(default=None, alias="contestId")
    index: str
    solved_count: int = Field(alias="solvedCount")


class ApiContest(_Lenient):
    """``Contest`` object of ``contest.list``."""

    id: int
    name: str
    type: str | None = None
    phase: str | None = None
    start_time_seconds: int | None = Field(default=None, alias="startTimeSeconds")
    duration_seconds: int | None = Field(default=None, alias="durationSeconds")


class ApiProblemset(_Lenient):
    """``result`` of ``problemset.problems``."""

    problems: list[ApiProblem]
    problem_statistics: list[ApiProblemStatistics] = Field(default_factory=list, alias="problemStatistics")


def _unwrap(payload: Any, what: str) -> Any:
    """Accept either a whole API envelope ``{"status":"OK","result":...}`` or its result."""
    if isinstance(payload, Mapping) and "status" in payload:
        if payload.get("status") != "OK":
            raise ValueError(f"{what}: API answered {payload.get('status')!r}: {payload.get('comment', '')}")
        if "result" not in payload:
            raise ValueError(f"{what}: API envelope has no 'result'")
        return payload["result"]
    return payload


def load_problemset(payload: Any) -> ApiProblemset:
    """Validate a ``problemset.problems`` response (envelope or result)."""
    if isinstance(payload, ApiProblemset):
        return payload
    result = _unwrap(payload, "problemset.problems")
    try:
        return ApiProblemset.model_validate(result)
    except ValidationError as exc:
        raise ValueError(f"problemset.problems response does not have the expected shape: {exc}") from exc


def load_contests(payload: Any) -> list[ApiContest]:
    """Validate a ``contest.list`` response (envelope, result list, or models)."""
    if payload is None:
        return []
    result = _unwrap(payload, "contest.list")
    if not isinstance(result, Sequence) or isinstance(result, (str, bytes)):
        raise ValueError("contest.list result must be a list of contests")
    try:
        return [c if isinstance(c, ApiContest) else ApiContest.model_validate(c) for c in result]
    except ValidationError as exc:
        raise ValueError(f"contest.list response does not have the expected shape: {exc}") from exc


def problems_from_api(problemset: Any, contests: Any = None) -> list[Problem]:
    """Turn ``problemset.problems`` (and optionally ``contest.list``) into `Problem` metadata.

    Only programming problems that belong to a contest are kept: ``QUESTION`` problems
    cannot be judged by running code, and problems without ``contestId`` (the acm.sgu.ru
    archive) have no Codeforces id. Statement fields stay ``None`` until a page is parsed.
    """
    data = load_problemset(problemset)
    contest_by_id = {c.id: c for c in load_contests(contests)}
    solved = {(s.contest_id, s.index): s.solved_count for s in data.problem_statistics}
    out: list[Problem] = []
    seen: set[str] = set()
    for p in data.problems:
        if p.contest_id is None or p.type != "PROGRAMMING":
            continue
        problem_id = f"{p.contest_id}/{p.index}"
        if problem_id in seen:
            continue
        seen.add(problem_id)
        contest = contest_by_id.get(p.contest_id)
        start = contest.start_time_seconds if contest else None
        out.append(
            Problem(
                id=problem_id,
                contest_id=str(p.contest_id),
                index=p.index,
                title=p.name,
                rating=p.rating,
                tags=list(p.tags),
                solved_count=solved.get((p.contest_id, p.index)),
                contest_name=contest.name if contest else None,
                contest_type=contest.type if contest else None,
                contest_start=start,
                contest_start_year=datetime.fromtimestamp(start, tz=timezone.utc).year if start else None,
            )
        )
    return out


def parallel_contests(contests: Iterable[ApiContest]) -> dict[int, list[int]]:
    """Map each contest to the other contests that started at the same second.

    Div.1/Div.2 twin rounds run simultaneously, so equal start times are how the scraper
    knows a round's unlisted problems may be twins worth fetching and hashing.
    """
    by_start: dict[int, list[int]] = {}
    for c in contests:
        if c.start_time_seconds:
            by_start.setdefault(c.start_time_seconds, []).append(c.id)
    out: dict[int, list[int]] = {}
    for ids in by_start.values():
        if len(ids) > 1:
            for cid in ids:
                out[cid] = sorted(i for i in ids if i != cid)
    return out


def merge_metadata(statement: Problem, meta: Problem | None) -> Problem:
    """Combine a parsed statement with the API record of the same problem.

    The API is authoritative for title, rating, tags and contest data; the page for the
    statement, limits and I/O mode.
    """
    if meta is None:
        return statement
    update = {
        "title": meta.title or statement.title,
        "rating": meta.rating,
        "tags": meta.tags,
        "solved_count": meta.solved_count,
        "contest_name": meta.contest_name or statement.contest_name,
        "contest_type": meta.contest_type or statement.contest_type,
        "contest_start": meta.contest_start or statement.contest_start,
        "contest_start_year": meta.contest_start_year or statement.contest_start_year,
    }
    return statement.model_copy(update=update)


def _twin_key(problem: Problem, listed: set[str]) -> tuple[int, int, str]:
    return (0 if problem.id in listed else 1, int(problem.contest_id), problem.index)


def merge_twins(problems: Iterable[Problem], listed_ids: Iterable[str] = ()) -> list[Problem]:
    """Collapse problems whose statements hash equal into one record with ``aliases``.

    The record kept is the one the API lists (it carries rating and tags), else the one
    from the lowest contest id; every other id becomes an alias, so a twin is neither lost
    nor duplicated. Problems without a statement hash are passed through untouched.
    """
    listed = set(listed_ids)
    groups: dict[str, list[Problem]] = {}
    order: list[str | Problem] = []
    for problem in problems:
        if problem.statement_hash is None:
            order.append(problem)
            continue
        if problem.statement_hash not in groups:
            groups[problem.statement_hash] = []
            order.append(problem.statement_hash)
        groups[problem.statement_hash].append(problem)
    out: list[Problem] = []
    for item in order:
        if isinstance(item, Problem):
            out.append(item)
            continue
        members = sorted(groups[item], key=lambda p: _twin_key(p, listed))
        head, rest = members[0], members[1:]
        if rest:
            aliases = set(head.aliases)
            urls = list(head.source_urls)
            for twin in rest:
                aliases.add(twin.id)
                aliases.update(twin.aliases)
                urls.extend(u for u in twin.source_urls if u not in urls)
            aliases.discard(head.id)
            head = head.model_copy(update={"aliases": sorted(aliases), "source_urls": urls})
        out.append(head)
    return out

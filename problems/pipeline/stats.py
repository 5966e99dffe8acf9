"""Counts over the built rows, shared by the dataset card and the terminal summary so the
two can never disagree."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, Field

__all__ = ["DatasetStats", "PassRate", "StatsBuilder", "rating_bucket"]

_RATING_EDGES = (1200, 1600, 2000, 2400)


def rating_bucket(rating: int | None) -> str:
    if rating is None:
        return "unrated"
    low = None
    for edge in _RATING_EDGES:
        if rating < edge:
            return f"< {edge}" if low is None else f"{low}-{edge - 1}"
        low = edge
    return f">= {_RATING_EDGES[-1]}"


class PassRate(BaseModel):
    judged: int = 0
    accepted: int = 0

    @property
    def rate(self) -> float:
        return self.accepted / self.judged if self.judged else 0.0


class DatasetStats(BaseModel):
    problems: int = 0
    verified_problems: int = 0
    coverage: dict[str, int] = Field(default_factory=dict)
    below_minimum: list[str] = Field(default_factory=list, description="problem ids not fully covered")
    tests_by_origin: dict[str, int] = Field(default_factory=dict)
    time_limits: tuple[float, float] | None = None
    memory_limits: tuple[float, float] | None = None
    candidates: int = 0
    distinct_judged: int = 0
    verified_solutions: int = 0
    status: dict[str, int] = Field(default_factory=dict)
    verdicts: dict[str, int] = Field(default_factory=dict)
    no_code_reasons: dict[str, int] = Field(default_factory=dict)
    by_language: dict[str, PassRate] = Field(default_factory=dict)
    by_rating: dict[str, PassRate] = Field(default_factory=dict)
    expected_checked: int = 0
    expected_mismatches: list[str] = Field(default_factory=list)
    verified_ratings: list[int | None] = Field(default_factory=list)
    strength: dict[str, int] = Field(default_factory=dict, description="problems by measured test strength (TNR)")
    weak_problems: list[str] = Field(default_factory=list, description="problems below --min-strength, with TNR")
    slipped_wrong: int = Field(0, description="known-wrong candidates the tests accepted")


STRENGTH_BUCKETS = ("1.0 (every known-wrong caught)", "0.9-0.99", "0.5-0.89", "< 0.5", "unknown (no known-wrong)")


def strength_bucket(tnr: float | None) -> str:
    if tnr is None:
        return STRENGTH_BUCKETS[4]
    if tnr >= 1:
        return STRENGTH_BUCKETS[0]
    return STRENGTH_BUCKETS[1] if tnr >= 0.9 else STRENGTH_BUCKETS[2] if tnr >= 0.5 else STRENGTH_BUCKETS[3]


class StatsBuilder:
    """`DatasetStats` built row by row, as the rows stream to the writer: the ``problems``
    config first (the others' pass rates by rating need each problem's rating), then any
    order. Memory: a rating per problem and a key per distinct judged candidate."""

    def __init__(self) -> None:
        self.stats = DatasetStats()
        self._rating_of: dict[str, int | None] = {}
        self._coverage: Counter[str] = Counter()
        self._origins: Counter[str] = Counter()
        self._strength: Counter[str] = Counter()
        self._status: Counter[str] = Counter()
        self._verdicts: Counter[str] = Counter()
        self._no_code: Counter[str] = Counter()
        self._distinct: set[str] = set()

    def add(self, config: str, row: dict[str, Any]) -> None:
        if config == "problems":
            self._problem(row)
        elif config == "all":
            self._candidate(row)
        elif config == "verified":
            self.stats.verified_solutions += 1

    def _problem(self, row: dict[str, Any]) -> None:
        stats = self.stats
        stats.problems += 1
        self._rating_of[row["id"]] = row["rating"]
        tnr = row.get("strength_tnr")
        self._strength[strength_bucket(tnr)] += 1
        if row.get("weak_tests"):
            stats.weak_problems.append(f"{row['id']} ({tnr:.2f})")
        known_wrong = row.get("strength_known_wrong", 0)
        stats.slipped_wrong += known_wrong - round((tnr or 0) * known_wrong)
        self._coverage[row["coverage"]] += 1
        if row["coverage"] != "full":
            stats.below_minimum.append(row["id"])
        for origin in ("statement", "official", "generated", "directory"):
            self._origins[origin] += row[f"tests_{origin}"] or 0
        if row["verified"]:
            stats.verified_problems += 1
            stats.verified_ratings.append(row["rating"])
        stats.time_limits = _widened(stats.time_limits, row["time_limit"])
        stats.memory_limits = _widened(stats.memory_limits, row["memory_limit"])

    def _candidate(self, row: dict[str, Any]) -> None:
        stats = self.stats
        stats.candidates += 1
        self._status[row["status"]] += 1
        if row["verdict"]:
            self._verdicts[row["verdict"]] += 1
        if row["status"] == "no_code":
            self._no_code[row["reason"] or "no code"] += 1
        if row["status"] == "judged":
            self._distinct.add(f"{row['id']}\0{row['language']}\0{row['code_hash']}")
            language = stats.by_language.setdefault(row["language"], PassRate())
            bucket = stats.by_rating.setdefault(rating_bucket(self._rating_of.get(row["id"])), PassRate())
            for rate in (language, bucket):
                rate.judged += 1
                rate.accepted += row["verdict"] == "AC"
        if row["expected"] and row["status"] == "judged":
            stats.expected_checked += 1
            if row["expected"] != row["verdict"]:
                stats.expected_mismatches.append(
                    f"row {row['row']} ({row['id']}, {row['language']}): "
                    f"expected {row['expected']}, got {row['verdict']}")

    def finish(self) -> DatasetStats:
        stats = self.stats
        stats.strength = {bucket: self._strength[bucket] for bucket in STRENGTH_BUCKETS if self._strength[bucket]}
        stats.coverage = dict(self._coverage)
        stats.tests_by_origin = dict(self._origins)
        stats.status = dict(self._status)
        stats.verdicts = dict(self._verdicts)
        stats.no_code_reasons = dict(self._no_code)
        stats.distinct_judged = len(self._distinct)
        stats.by_language = dict(sorted(stats.by_language.items()))
        order = ["< 1200", "1200-1599", "1600-1999", "2000-2399", ">= 2400", "unrated"]
        stats.by_rating = {k: stats.by_rating[k] for k in order if k in stats.by_rating}
        return stats


def _widened(bounds: tuple[float, float] | None, value: float | None) -> tuple[float, float] | None:
    """A (min, max) range taking in one more value (None: nothing to take in)."""
    if value is None:
        return bounds
    return (value, value) if bounds is None else (min(bounds[0], value), max(bounds[1], value))

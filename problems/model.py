"""The normalised problem record every cpforge dataset starts from.

Field names and meanings follow the public ``open-r1/codeforces`` dataset wherever the
two overlap (``id``, ``aliases``, ``contest_id`` as a string, ``time_limit`` in seconds,
``memory_limit`` in MB, ``input_mode`` of ``"stdio"``/``"file"``, ...), so rows built here
can be compared with, or substituted for, that dataset without a renaming layer. Fields
that open-r1 lacks (``interactive``, file names, ``statement_hash``, ``source_urls``,
``scraped_at``, ``solved_count``) are additions, never reinterpretations.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["Example", "Problem", "InputMode", "make_problem_id", "split_problem_id"]

InputMode = Literal["stdio", "file"]

# Codeforces problem indices: "A", "B1", "D10", and the numeric "01".."14" of a few
# special contests. Anything else is a scraping bug and must not become a row.
_INDEX_RE = re.compile(r"^[A-Za-z0-9]{1,4}$")
_CONTEST_RE = re.compile(r"^[0-9]{1,7}$")


def make_problem_id(contest_id: int | str, index: str) -> str:
    """Return the canonical ``"<contest>/<index>"`` id used as the primary key."""
    return f"{int(contest_id)}/{index}"


def split_problem_id(problem_id: str) -> tuple[str, str]:
    """Split ``"1715/A"`` into ``("1715", "A")``; raise ``ValueError`` on anything else."""
    contest, sep, index = problem_id.partition("/")
    if not sep or not _CONTEST_RE.match(contest) or not _INDEX_RE.match(index):
        raise ValueError(f"not a Codeforces problem id (expected like '1715/A'): {problem_id!r}")
    return contest, index


class Example(BaseModel):
    """One sample test as shown on the statement page.

    For interactive problems this is a transcript (what the jury sent, what the
    contestant printed), not an input/output pair a program can be run against; the
    problem's ``interactive`` flag says which reading applies.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    input: str
    output: str


class Problem(BaseModel):
    """A Codeforces problem: API metadata plus the parsed statement.

    Statement fields hold Markdown with mathematics kept as LaTeX (``$x$`` inline,
    ``$$x$$`` display) and images as absolute URLs. A field is ``None`` when the source
    had no such section (for example ``interaction_format`` on a batch problem), and the
    statement fields are all ``None`` for a problem known only from the API.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: str = Field(description='"<contest_id>/<index>", e.g. "1715/A"')
    aliases: list[str] = Field(default_factory=list, description="Same problem under other ids (twin rounds)")
    contest_id: str = Field(description="Contest number as a string, as in open-r1/codeforces")
    index: str = Field(description="Problem letter within the contest, e.g. 'A' or 'D1'")
    title: str = Field(description="Problem name without the 'A. ' prefix")

    description: str | None = None
    input_format: str | None = None
    output_format: str | None = None
    interaction_format: str | None = None
    note: str | None = None
    examples: list[Example] = Field(default_factory=list)

    time_limit: float | None = Field(default=None, description="Seconds per test")
    memory_limit: float | None = Field(default=None, description="Megabytes")
    input_mode: InputMode = "stdio"
    input_file: str | None = Field(default=None, description="File the program reads when not stdin")
    output_file: str | None = Field(default=None, description="File the program writes when not stdout")
    interactive: bool = False

    rating: int | None = None
    tags: list[str] = Field(default_factory=list)
    solved_count: int | None = None

    contest_name: str | None = None
    contest_type: str | None = Field(default=None, description="CF, ICPC or IOI")
    contest_start: int | None = Field(default=None, description="Unix seconds")
    contest_start_year: int | None = None

    source_urls: list[str] = Field(default_factory=list, description="Pages the statement was read from")
    statement_hash: str | None = Field(default=None, description="sha256 of the normalised statement text")
    scraped_at: datetime | None = None

    @field_validator("index")
    @classmethod
    def _check_index(cls, value: str) -> str:
        if not _INDEX_RE.match(value):
            raise ValueError(f"bad problem index {value!r}")
        return value

    @field_validator("contest_id")
    @classmethod
    def _check_contest(cls, value: str) -> str:
        if not _CONTEST_RE.match(value):
            raise ValueError(f"bad contest id {value!r}")
        return value

    @field_validator("time_limit", "memory_limit")
    @classmethod
    def _check_positive(cls, value: float | None) -> float | None:
        if value is not None and not value > 0:
            raise ValueError("limits must be positive")
        return value

    @field_validator("aliases")
    @classmethod
    def _check_aliases(cls, value: list[str]) -> list[str]:
        for alias in value:
            split_problem_id(alias)
        return sorted(set(value))

    @model_validator(mode="after")
    def _check_consistency(self) -> Problem:
        if self.id != f"{self.contest_id}/{self.index}":
            raise ValueError(f"id {self.id!r} does not match contest_id/index {self.contest_id}/{self.index}")
        if self.id in self.aliases:
            raise ValueError("a problem cannot be its own alias")
        if self.input_mode == "stdio" and (self.input_file or self.output_file):
            raise ValueError("input_mode 'stdio' cannot name input/output files")
        if self.input_mode == "file" and not (self.input_file or self.output_file):
            raise ValueError("input_mode 'file' needs input_file or output_file")
        return self

    @property
    def has_statement(self) -> bool:
        """True once a statement page was parsed into this record."""
        return self.description is not None

"""cpforge's one problem model: what the scraper produces, the pipeline stores and (through
`Problem.judge_problem`) the judge consumes.

Field names and meanings follow the public ``open-r1/codeforces`` dataset wherever the
two overlap (``id``, ``aliases``, ``contest_id`` as a string, ``time_limit`` in seconds,
``memory_limit`` in MB, ``input_mode`` of ``"stdio"``/``"file"``, ...), so rows built here
can be compared with, or substituted for, that dataset without a renaming layer. Fields
that open-r1 lacks (``interactive``, file names, ``statement_hash``, ``source_urls``,
``scraped_at``, ``solved_count``) are additions, never reinterpretations.

A `Problem` has two parts. Its *record* is what a statement page and the API say; it is
what `model_dump` and `model_validate` read and write, in open-r1's row spelling (examples
as ``{input, output}`` text, file I/O as flat ``input_mode`` / ``input_file`` /
``output_file``), so the scraper's JSONL and Parquet are plain dumps. What the pipeline
attaches (tests, checker, interactor, provenance) is carried in memory only
(``exclude=True``); the dataset's own configs write it (problems/pipeline/rows.py).

`ProblemRecord` is the record's row model and `arrow_schema` turns any row model into an
Arrow schema: they live here because the scraper may import nothing of `problems` but
this module.
"""

from __future__ import annotations

import math
import re
import types
from datetime import datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, create_model, field_serializer, field_validator,
                      model_serializer, model_validator)

from sandbox.judge.checkers.specs import CheckerSpec, TokensSpec
from sandbox.judge.formats.verification import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT, decode_test, encode_test
from sandbox.judge.model import (FlatInputMode, InputMode, InteractorSpec, JudgeProblem, TestCase, TestOrigin,
                                 flat_input_mode, input_mode_from_flat)

__all__ = ["CoverageLevel", "Problem", "ProblemRecord", "TextTest", "arrow_schema", "arrow_type", "coverage_level",
           "make_problem_id", "split_problem_id"]

# Codeforces problem indices: "A", "B1", "D10", and the numeric "01".."14" of a few
# special contests. Anything else is a scraping bug and must not become a row.
_INDEX_RE = re.compile(r"^[A-Za-z0-9]{1,4}$")
_CONTEST_RE = re.compile(r"^[0-9]{1,7}$")

CoverageLevel = Literal["full", "few_tests", "samples_only", "no_tests"]
"""How much a verdict on this problem is worth: ``full`` means at least the configured
minimum of tests beyond the statement samples; ``few_tests`` fewer than that;
``samples_only`` nothing but the samples; ``no_tests`` nothing to judge against."""


def make_problem_id(contest_id: int | str, index: str) -> str:
    """Return the canonical ``"<contest>/<index>"`` id used as the primary key."""
    return f"{int(contest_id)}/{index}"


def split_problem_id(problem_id: str) -> tuple[str, str]:
    """Split ``"1715/A"`` into ``("1715", "A")``; raise ``ValueError`` on anything else."""
    contest, sep, index = problem_id.partition("/")
    if not sep or not _CONTEST_RE.match(contest) or not _INDEX_RE.match(index):
        raise ValueError(f"not a Codeforces problem id (expected like '1715/A'): {problem_id!r}")
    return contest, index


def coverage_level(tests: int, non_sample_tests: int, min_tests: int) -> CoverageLevel:
    """`CoverageLevel` from a problem's test counts."""
    if not tests:
        return "no_tests"
    if non_sample_tests == 0:
        return "samples_only"
    return "full" if non_sample_tests >= min_tests else "few_tests"


class Problem(BaseModel):
    """A Codeforces problem: API metadata plus the parsed statement, plus what the pipeline
    collected to judge it.

    Statement fields hold Markdown with mathematics kept as LaTeX (``$x$`` inline,
    ``$$x$$`` display) and images as absolute URLs. A field is ``None`` when the source
    had no such section (for example ``interaction_format`` on a batch problem), and the
    statement fields are all ``None`` for a problem known only from the API.

    ``examples`` are the statement's samples as tests (origin ``statement``). For an
    interactive problem they are transcripts (what the jury sent, what the contestant
    printed), not pairs a program can be run against, so they never become its tests.
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
    examples: list[TestCase] = Field(default_factory=list, description="The statement's samples, in its order")

    time_limit: float | None = Field(default=None, description="Seconds per test")
    memory_limit: float | None = Field(default=None, description="Megabytes")
    input_mode: InputMode = Field(default="stdio", description="Written flat: input_mode, input_file, output_file")
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

    # --- attached by the pipeline; never part of the record --------------------------------
    tests: list[TestCase] = Field(default_factory=list, exclude=True,
                                  description="Every test to judge on, samples first, each with its origin")
    checker: CheckerSpec = Field(default_factory=TokensSpec, exclude=True)
    interactor: InteractorSpec | None = Field(default=None, exclude=True)
    source: str | None = Field(default=None, exclude=True, description="Where the record came from")
    official_tests_complete: bool | None = Field(default=None, exclude=True,
                                                 description="open-r1's word on its official_tests")
    editorial: str | None = Field(default=None, exclude=True)

    _judge: JudgeProblem | None = PrivateAttr(default=None)
    _testset_hash: str | None = PrivateAttr(default=None)

    # --- the record's row spelling: the one converter, both ways ------------------------
    @model_validator(mode="before")
    @classmethod
    def _flat_input_mode(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        mode = data.get("input_mode")
        files = (data.pop("input_file", None), data.pop("output_file", None))
        if mode is None or isinstance(mode, str):
            data["input_mode"] = input_mode_from_flat(mode, *files)
        elif any(files):
            raise ValueError("input_file/output_file go with input_mode 'file', not with a file-I/O object")
        return data

    @field_validator("examples", mode="before")
    @classmethod
    def _examples_from_text(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [encode_test(f"sample-{number}", item["input"], item.get("output"), is_sample=True,
                            origin="statement")
                if isinstance(item, dict) and "input" in item else item
                for number, item in enumerate(value, start=1)]

    @field_serializer("examples")
    def _examples_as_text(self, value: list[TestCase]) -> list[dict[str, str | None]]:
        return [decode_test(test) for test in value]

    @model_serializer(mode="wrap")
    def _flat_record(self, handler: Any) -> Any:
        data = handler(self)
        if not isinstance(data, dict) or "input_mode" not in data:
            return data
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key == "input_mode":
                flat["input_mode"], flat["input_file"], flat["output_file"] = flat_input_mode(self.input_mode)
            else:
                flat[key] = value
        return flat

    # --- checks --------------------------------------------------------------------------
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
        return self

    # --- derived values, cached until a field changes ----------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name in type(self).model_fields:
            self._forget()

    def model_copy(self, *, update: Any = None, deep: bool = False) -> Problem:
        copy = super().model_copy(update=update, deep=deep)
        copy._forget()
        return copy

    def _forget(self) -> None:
        self._judge = None
        self._testset_hash = None

    @property
    def has_statement(self) -> bool:
        """True once a statement page was parsed into this record."""
        return self.description is not None

    @property
    def input_file(self) -> str | None:
        """open-r1's flat spelling of `input_mode`, read-only."""
        return flat_input_mode(self.input_mode)[1]

    @property
    def output_file(self) -> str | None:
        return flat_input_mode(self.input_mode)[2]

    def judge_problem(self) -> JudgeProblem:
        """The judge's view of this problem (its tests, checker, interactor and I/O mode,
        with open-r1's default limits where the record has none), built once and shared by
        every candidate until a field changes."""
        if self._judge is None:
            memory = self.memory_limit
            self._judge = JudgeProblem(
                name=self.id, time_limit=self.time_limit or DEFAULT_TIME_LIMIT,
                memory_limit=math.ceil(memory) if memory else DEFAULT_MEMORY_LIMIT, tests=self.tests,
                checker=self.checker, interactor=self.interactor, input_mode=self.input_mode)
        return self._judge

    @property
    def testset_hash(self) -> str:
        """What a verdict on this problem was earned on (`JudgeProblem.testset_hash`): results
        stored under one hash are never reused for a problem whose tests changed."""
        if self._testset_hash is None:
            self._testset_hash = self.judge_problem().testset_hash()
        return self._testset_hash

    @property
    def limits_key(self) -> str:
        judge = self.judge_problem()
        return f"{judge.time_limit:g}s/{judge.memory_limit}MB"

    def count(self, origin: TestOrigin) -> int:
        return sum(test.origin == origin for test in self.tests)

    @property
    def non_sample_tests(self) -> int:
        return sum(not test.is_sample for test in self.tests)

    @property
    def judgeable(self) -> str | None:
        """None when candidates can be judged here, else the reason they cannot."""
        if not self.tests:
            return "no tests"
        if self.interactive and self.interactor is None:
            return "interactive problem without an interactor"
        return None

    def coverage(self, min_tests: int) -> CoverageLevel:
        return coverage_level(len(self.tests), self.non_sample_tests, min_tests)


# --- row models and their Arrow types -------------------------------------------------------


class TextTest(BaseModel):
    """The row shape of a test in open-r1's columns (``examples``, ``official_tests``): for
    typing rows only; the test itself is a `TestCase`, written in this shape by
    `decode_test`."""

    input: str
    output: str | None = None


class _FlatInputMode(BaseModel):
    """The row shape of `InputMode` (see `flat_input_mode`)."""

    input_mode: FlatInputMode = "stdio"
    input_file: str | None = None
    output_file: str | None = None


def _record_fields() -> dict[str, Any]:
    """The record's columns, in `Problem`'s field order, each in its row shape."""
    fields: dict[str, Any] = {}
    for name, info in Problem.model_fields.items():
        if info.exclude:
            continue
        if name == "input_mode":
            fields.update((flat, (part.annotation, None)) for flat, part in _FlatInputMode.model_fields.items())
        else:
            fields[name] = (list[TextTest] if name == "examples" else info.annotation, None)
    return fields


ProblemRecord: type[BaseModel] = create_model(
    "ProblemRecord", __doc__="One row of the scraper's output: `Problem.model_dump()`.", **_record_fields())

_NONE = type(None)


def arrow_type(annotation: Any) -> Any:
    """The Arrow type of a pydantic field's annotation: str, int, float, bool, datetime (UTC
    microseconds), str enums and literals, lists, nested models (structs) and Optional (Arrow
    columns are nullable)."""
    import pyarrow as pa

    origin = get_origin(annotation)
    arguments = get_args(annotation)
    if origin is Annotated:
        return arrow_type(arguments[0])
    if origin is Union or origin is types.UnionType:
        kinds = [a for a in arguments if a is not _NONE]
        if len(kinds) == 1:
            return arrow_type(kinds[0])
        raise TypeError(f"no single Arrow type for {annotation!r}")
    if origin is Literal:
        if all(isinstance(value, str) for value in arguments):
            return pa.string()
        raise TypeError(f"no Arrow type for {annotation!r}")
    if origin is list:
        return pa.list_(arrow_type(arguments[0]))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return pa.struct([(name, arrow_type(field.annotation)) for name, field in annotation.model_fields.items()])
        if issubclass(annotation, bool):
            return pa.bool_()
        if issubclass(annotation, str):  # str enums too (Verdict)
            return pa.string()
        if issubclass(annotation, int):
            return pa.int64()
        if issubclass(annotation, float):
            return pa.float64()
        if issubclass(annotation, datetime):
            return pa.timestamp("us", tz="UTC")
    raise TypeError(f"no Arrow type for {annotation!r}")


def arrow_schema(model: type[BaseModel]) -> Any:
    """The Arrow schema of a row model: one column per field, in field order."""
    import pyarrow as pa

    return pa.schema([(name, arrow_type(field.annotation)) for name, field in model.model_fields.items()])

"""Row models of the three configs and the two training exports, and their Arrow schemas,
generated from the models (`problems.model.arrow_schema`) so every build has the same
columns and types whatever its inputs held (an all-null column must still be a string
column). A column a model already declares (a `Problem` field, a candidate's, a verdict's)
takes its type from that model: each config only states its column order and the columns
that are its own.

Names follow ``open-r1/codeforces`` where the two overlap. ``verification_info`` is a JSON
string, not a struct: its optional keys (checker, interactor, file I/O) vary per problem,
and a struct would change the schema with them; readers ``json.loads`` it, or hand it as is
to `sandbox.judge.formats.verification.problem_from_verification_info`.

``problems`` columns that open-r1 also has mean what they mean there, with two readings
fixed by cpforge: ``official_tests`` holds *every* test the verdicts were earned on (the
same list, in the same order, as ``verification_info``'s ``test_cases``, whatever their
provenance; ``tests_*`` count the provenances), so ``generated_tests`` is 0: there are no
separate generated-test files to add. ``executable`` is true when cpforge can judge a
solution of the problem (it has tests, and an interactor if it is interactive). ``prompt``
is a statement prompt in open-r1's style asking for a solution in ``language``.
``verified`` rows join to ``problems`` on ``id`` (and carry the ``testset_hash`` they were
judged on, equal to the problem row's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, Field, create_model

from problems.model import CoverageLevel, Problem, ProblemRecord, TextTest, arrow_schema
from problems.pipeline.model import Candidate
from problems.pipeline.store import ResultKey, StoredResult
from problems.pipeline.verify import CandidateOutcome
from sandbox.result import TestResult

__all__ = ["ALL_SCHEMA", "CONFIG_SCHEMAS", "EXPORT_SCHEMAS", "PROBLEMS_SCHEMA", "TRL_SCHEMA", "VERIFIED_SCHEMA",
           "VERL_SCHEMA", "AllRow", "ProblemsRow", "TestRow", "TrlRow", "VerifiedRow", "VerlRow", "row_model"]


def row_model(name: str, columns: Iterable[str], *sources: type[BaseModel], doc: str = "") -> type[BaseModel]:
    """A row model with these columns, in this order, each typed as the first of `sources`
    that declares it; a column no source declares is a programming error, raised at import."""
    fields: dict[str, Any] = {}
    for column in columns:
        declared = next((source.model_fields[column] for source in sources if column in source.model_fields), None)
        if declared is None:
            raise TypeError(f"{name}: no model declares the column {column!r}")
        fields[column] = (declared.annotation, Field(default=None, description=declared.description))
    return create_model(name, __doc__=doc, **fields)


class Message(BaseModel):
    """One chat message, as ``messages`` and the exports' ``prompt`` hold them."""

    role: str
    content: str


# --- problems -----------------------------------------------------------------------------


class _ProblemColumns(BaseModel):
    """The ``problems`` columns beyond the problem's own fields."""

    testset_size: int
    official_tests: list[TextTest] = Field(description="every test the verdicts were earned on, in judging order")
    generated_checker: str | None = Field(description="open-r1's spelling of a Python checker")
    executable: bool
    generated_tests: int
    checker: str = Field(description="the checker spec as JSON, without its code")
    test_count: int
    tests_statement: int
    tests_official: int
    tests_generated: int
    tests_directory: int
    testset_hash: str
    coverage: CoverageLevel
    candidates: int
    accepted: int
    verified: bool
    strength_tnr: float | None = Field(description="share of this run's known-wrong candidates (expected WA, TLE, "
                                       "...) the tests rejected: how far a verified solution can be trusted")
    strength_tpr: float | None = Field(description="share of known-correct candidates (expected AC) accepted")
    strength_known_wrong: int
    strength_known_correct: int
    weak_tests: bool = Field(description="strength_tnr is below --min-strength: its solutions are not in `verified`")
    prompt: str | None
    language: str | None
    verification_info: str | None


PROBLEMS_COLUMNS = (
    "id", "aliases", "contest_id", "contest_name", "contest_type", "contest_start", "contest_start_year", "index",
    "time_limit", "memory_limit", "title", "description", "input_format", "output_format", "interaction_format",
    "note", "examples", "editorial", "rating", "tags", "testset_size", "official_tests", "official_tests_complete",
    "input_mode", "input_file", "output_file", "interactive", "generated_checker", "executable", "generated_tests",
    "checker", "test_count", "tests_statement", "tests_official", "tests_generated", "tests_directory",
    "testset_hash", "coverage", "candidates", "accepted", "verified", "strength_tnr", "strength_tpr",
    "strength_known_wrong", "strength_known_correct", "weak_tests", "solved_count", "source", "source_urls",
    "prompt", "language", "verification_info",
)
ProblemsRow = row_model("ProblemsRow", PROBLEMS_COLUMNS, ProblemRecord, _ProblemColumns, Problem,
                        doc="One row of the ``problems`` config: a problem, its tests and their verdict counts.")

# --- verified -----------------------------------------------------------------------------


class _VerifiedColumns(BaseModel):
    coverage: CoverageLevel
    samples_only: bool
    max_cpu_time: float
    max_memory: int
    duplicates: int = Field(description="candidate rows with this same solution")
    test_strength: float | None = Field(description="the problem's strength_tnr (None: no known-wrong candidates)")
    messages: list[Message] | None


VERIFIED_COLUMNS = (
    "id", "contest_id", "index", "title", "rating", "tags", "time_limit", "memory_limit", "language", "code",
    "code_hash", "verdict", "passed", "total", "coverage", "samples_only", "test_strength", "testset_hash",
    "toolchain", "max_cpu_time", "max_memory", "duplicates", "source", "source_row", "author", "prompt", "generation",
    "messages",
)
VerifiedRow = row_model("VerifiedRow", VERIFIED_COLUMNS, ProblemRecord, _VerifiedColumns, Candidate, StoredResult,
                        ResultKey, doc="One row of the ``verified`` config: a distinct accepted solution.")

# --- all ----------------------------------------------------------------------------------

TestRow = row_model("TestRow", [name for name in TestResult.model_fields if name != "points"], TestResult,
                    doc="One test's result in the ``all`` config: the judge's `TestResult` (which config has "
                        "never carried ``points``).")


class _AllColumns(BaseModel):
    id: str | None = Field(description="the candidate's problem id")
    tests: list[TestRow]  # type: ignore[valid-type]  # a generated model
    max_cpu_time: float | None
    max_memory: int | None
    duplicate_of: int | None = Field(description="the row of the first candidate with this same solution")


ALL_COLUMNS = (
    "row", "source", "source_row", "id", "language", "code", "code_hash", "extraction", "status", "reason", "verdict",
    "score", "passed", "total", "coverage", "testset_hash", "limits", "toolchain", "message", "compile_diagnostics",
    "tests", "max_cpu_time", "max_memory", "duplicate_of", "expected", "author",
)
AllRow = row_model("AllRow", ALL_COLUMNS, _AllColumns, Candidate, CandidateOutcome, StoredResult, ResultKey,
                   doc="One row of the ``all`` config: every candidate row and what became of it.")

PROBLEMS_SCHEMA = arrow_schema(ProblemsRow)
VERIFIED_SCHEMA = arrow_schema(VerifiedRow)
ALL_SCHEMA = arrow_schema(AllRow)
CONFIG_SCHEMAS: dict[str, pa.Schema] = {"problems": PROBLEMS_SCHEMA, "verified": VERIFIED_SCHEMA, "all": ALL_SCHEMA}

# --- training exports (``build-dataset export``) ----------------------------------------


class _ExportColumns(BaseModel):
    split: str
    index: int = Field(description="the problem's row in its split")
    problem_id: str
    language: str


ExportInfo = row_model("ExportInfo", ("split", "index", "problem_id", "language", "testset_hash", "coverage",
                                      "rating", "verified"), _ExportColumns, ProblemsRow)


class RewardModel(BaseModel):
    style: str
    ground_truth: str


class VerlRow(BaseModel):
    """verl's RL parquet: ``prompt`` is a chat list, ``reward_model.ground_truth`` what
    cpforge's `sandbox.rewards.verl.compute_score` reads (``verification_info`` JSON, or a
    problem id)."""

    data_source: str
    prompt: list[Message]
    ability: str
    reward_model: RewardModel
    extra_info: ExportInfo  # type: ignore[valid-type]  # a generated model


TrlRow = row_model("TrlRow", ("prompt", "id", "problem_id", "language", "verification_info", "testset_hash",
                              "coverage", "rating"), VerlRow, _ExportColumns, ProblemsRow,
                   doc="TRL's conversational prompt dataset; every other column reaches the reward function as a "
                       "keyword argument (`sandbox.rewards.trl.make_trl_reward` reads ``verification_info``, "
                       "``problem_id`` and ``language``).")

VERL_SCHEMA = arrow_schema(VerlRow)
TRL_SCHEMA = arrow_schema(TrlRow)
EXPORT_SCHEMAS: dict[str, pa.Schema] = {"verl": VERL_SCHEMA, "trl": TRL_SCHEMA}

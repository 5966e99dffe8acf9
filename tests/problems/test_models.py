"""The one problem model and what is generated from it: the record's row spelling, the
judge's view and its cache, the Arrow schemas of every output file, and the store's
per-test results (old state files included)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest

from codeforces.output import parquet_schema
from problems.model import Problem, ProblemRecord, arrow_schema, arrow_type
from problems.pipeline import schema
from problems.pipeline.store import ResultKey, StoredResult, VerdictStore
from sandbox.judge.formats.verification import encode_test
from sandbox.judge.model import FileIO
from sandbox.result import TestResult, Verdict

RECORD = {"id": "991001/A", "contest_id": "991001", "index": "A", "title": "Sum", "time_limit": 1.5,
          "memory_limit": 64.5, "examples": [{"input": "1 2\n", "output": "3\n"}], "input_mode": "file",
          "input_file": "sum.in", "output_file": None}

# Digests of the schemas as they were written by hand before they were generated: a change
# here changes the files users load (columns, types or order), so it must be deliberate.
# Changed on purpose since: `problems` and `verified` gained the test-strength columns
# (strength_tnr, strength_tpr, strength_known_wrong, strength_known_correct, weak_tests;
# test_strength).
PINNED = {"problems": "61a562ca2516591e", "verified": "1e067b23679ac5f6", "all": "136adb48dee3501d",
          "verl": "1084f0621cd617e2", "trl": "cca4e279595d39bf", "scraper": "06b8d2848cf2674f"}


def _digest(arrow: pa.Schema) -> str:
    return hashlib.sha256(str(arrow).encode()).hexdigest()[:16]


def test_generated_schemas_are_the_published_ones() -> None:
    found = {**{name: _digest(s) for name, s in schema.CONFIG_SCHEMAS.items()},
             **{name: _digest(s) for name, s in schema.EXPORT_SCHEMAS.items()}, "scraper": _digest(parquet_schema())}
    assert found == PINNED


def test_every_problem_field_is_a_problems_column_of_its_type() -> None:
    record = arrow_schema(ProblemRecord)
    problems = schema.PROBLEMS_SCHEMA
    # The two fields the problems config has never carried; any other record field must be a column.
    assert set(record.names) - set(problems.names) == {"statement_hash", "scraped_at"}
    for name in set(record.names) & set(problems.names):
        assert problems.field(name).type == record.field(name).type, name
    for name in ("editorial", "official_tests_complete", "source"):  # the pipeline's own Problem fields
        assert problems.field(name).type == arrow_type(Problem.model_fields[name].annotation)
    # The scraper's file is the record: Problem's fields, file I/O spelt flat.
    record_fields = [n for n, f in Problem.model_fields.items() if not f.exclude]
    flat = [n for name in record_fields for n in (("input_mode", "input_file", "output_file")
                                                  if name == "input_mode" else (name,))]
    assert parquet_schema().names == flat


def test_the_all_configs_tests_are_the_judges_test_results() -> None:
    tests = schema.ALL_SCHEMA.field("tests").type.value_type
    fields = [n for n in TestResult.model_fields if n != "points"]  # the all config has never carried points
    assert [tests.field(i).name for i in range(tests.num_fields)] == fields
    for name in fields:
        assert tests.field(name).type == arrow_type(TestResult.model_fields[name].annotation), name
    assert tests.field("verdict").type == pa.string()


def test_an_unmappable_field_is_an_error() -> None:
    with pytest.raises(TypeError, match="no Arrow type"):
        arrow_type(dict[str, str])
    with pytest.raises(TypeError, match="no model declares"):
        schema.row_model("Bad", ["nowhere"], ProblemRecord)


def test_the_record_round_trips_in_open_r1_spelling() -> None:
    problem = Problem.model_validate(RECORD)
    assert problem.input_mode == FileIO(input="sum.in", output=None)
    assert (problem.input_file, problem.output_file) == ("sum.in", None)
    [example] = problem.examples
    assert (example.origin, example.is_sample, example.read_input()) == ("statement", True, b"1 2\n")
    record = problem.model_dump()
    assert {k: record[k] for k in RECORD} == RECORD
    assert Problem.model_validate_json(problem.model_dump_json()) == problem
    problem.tests = [encode_test("t", "1", "2", origin="official")]  # pipeline fields stay out of the record
    assert "tests" not in problem.model_dump() and "checker" not in json.loads(problem.model_dump_json())
    assert Problem.model_validate({**RECORD, "input_mode": "file", "input_file": None}).input_mode == FileIO()
    with pytest.raises(ValueError, match="cannot name"):
        Problem.model_validate({**RECORD, "input_mode": "stdio"})


def test_the_judge_view_is_derived_once_and_forgotten_on_change() -> None:
    problem = Problem.model_validate(RECORD)
    problem.tests = list(problem.examples)
    judge = problem.judge_problem()
    assert judge is problem.judge_problem()
    assert (judge.name, judge.time_limit, judge.memory_limit, judge.input_mode) == \
        ("991001/A", 1.5, 65, problem.input_mode)
    assert problem.limits_key == "1.5s/65MB" and problem.testset_hash == judge.testset_hash()
    before = problem.testset_hash
    copy = problem.model_copy(update={"tests": [*problem.tests, encode_test("x", "5\n", "6\n")]})
    assert copy.testset_hash != before and problem.testset_hash == before
    problem.tests = copy.tests
    assert problem.judge_problem() is not judge and problem.testset_hash == copy.testset_hash


def test_a_state_file_from_before_test_results_still_loads(tmp_path: Path) -> None:
    """Bodies written when the store had its own per-test model (no ``points``)."""
    key = ResultKey(problem_id="1/A", testset_hash="t", language="python3", code_hash="c", limits="l",
                    toolchain="py", options="o")
    state = tmp_path / "state.sqlite"
    with VerdictStore(state) as store:
        store.put(StoredResult(key=key, verdict="AC"))
    old_test = {"name": "1", "verdict": "TLE", "is_sample": False, "cpu_time": 1.5, "wall_time": 2.0,
                "memory": 1024, "message": "slow"}
    with sqlite3.connect(state) as db:
        db.execute("UPDATE results SET body=?", (json.dumps({"verdict": "TLE", "tests": [old_test]}),))
    with VerdictStore(state) as store:
        [result] = store.get_many([key]).values()
    assert result.tests == [TestResult(**old_test)] and result.tests[0].verdict is Verdict.TLE
    assert result.tests[0].points is None and result.max_cpu_time == 1.5

"""``build-dataset run`` on broken inputs, as a user meets them: a corrupt verdict store, a
damaged Parquet or JSON file, malformed candidate rows and a mistyped local path. Each
broken file stops the run with one line naming it (and the row, where there is one) and a
non-zero exit, never a traceback and never a Hugging Face Hub lookup; malformed candidate
rows are kept (status ``no_code``) and listed by file and row."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hub_standin import HubStandIn
from pipeline_helpers import SUM_OK, write_jsonl, write_open_r1_set

from problems.pipeline.candidates import candidate_from_row
from problems.pipeline.store import VerdictStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROBLEMS_FILE = "train-00000-of-00001.parquet"


@pytest.fixture()
def hub():
    """A stand-in Hub that every run is pointed at: a test fails if anything asks it."""
    with HubStandIn() as standin:
        yield standin
        assert standin.requests == [], "a local input was looked up on the Hub"


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    write_open_r1_set(tmp_path / "open-r1")
    write_jsonl(tmp_path / "candidates.jsonl", [{"problem_id": "991001/A", "language": "python", "code": SUM_OK}])
    return tmp_path


def build_dataset(work: Path, hub: HubStandIn, *args: str,
                  extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING_FACE"))}
    env.update(extra_env or {})
    env.update(HF_HOME=str(work / "hf-home"), HF_ENDPOINT=hub.endpoint, PYTHONPATH=str(PROJECT_ROOT),
               PYTHONUNBUFFERED="1", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "problems.cli", "run", "--no-progress", "--jobs", "1",
                           "--out", str(work / "out"), *args],
                          cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False)


def one_line_error(result: subprocess.CompletedProcess[str], *names: str) -> str:
    """The run failed with exactly one line on stderr that names every one of `names`."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and "╭" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "not-parquet":
        path.write_bytes(b"id,title\n1/A,Sum\n")
    elif how == "data-page":
        # Keep the footer (so the file opens) and garble the column chunks after the magic.
        garbled = bytes(b ^ 0xFF for b in data[4:400])
        path.write_bytes(data[:4] + garbled + data[400:])
    else:
        raise ValueError(how)


# ---------------------------------------------------------------------------- state file


def garble_schema_page(path: Path) -> None:
    """A real verdict store whose first page (SQLite's schema) is overwritten past its header."""
    VerdictStore(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)
    path.write_bytes(bytes(data))


def other_schema(path: Path) -> None:
    VerdictStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='99' WHERE name='schema'")


@pytest.mark.parametrize("corrupt", [
    lambda path: path.write_bytes(b"this is not a database\n" * 200),
    garble_schema_page,
    lambda path: (VerdictStore(path).close(), path.write_bytes(path.read_bytes()[:5000])),
    other_schema,
    lambda path: path.mkdir(),
], ids=["not-sqlite", "garbled-schema-page", "truncated", "newer-schema", "a-directory"])
def test_corrupt_state_file_stops_with_one_line_naming_it(work: Path, hub: HubStandIn, corrupt) -> None:
    state = work / "verdicts.sqlite"
    corrupt(state)
    result = build_dataset(work, hub, "--problems", str(work / "open-r1"), "--candidates",
                           str(work / "candidates.jsonl"), "--state", str(state))
    line = one_line_error(result, str(state))
    assert "--state" in line  # says how to get going again


def test_unreadable_stored_result_names_the_state_file_and_row(tmp_path: Path) -> None:
    """A store whose rows were tampered with: the bad row is named, not a JSON traceback."""
    from problems.pipeline.store import ResultKey, StoredResult, StoreError

    key = ResultKey(problem_id="1/A", testset_hash="t", language="python3", code_hash="c", limits="l",
                    toolchain="py", options="o")
    state = tmp_path / "state.sqlite"
    with VerdictStore(state) as store:
        store.put(StoredResult(key=key, verdict="AC"))
    with sqlite3.connect(state) as db:
        db.execute("UPDATE results SET body='{not json'")
    with VerdictStore(state) as store, pytest.raises(StoreError) as caught:
        store.get_many([key])
    message = str(caught.value)
    assert str(state) in message and key.digest[:12] in message and "\n" not in message


# ---------------------------------------------------------------------------- broken files


@pytest.mark.parametrize("how", ["truncated", "not-parquet", "data-page"])
def test_broken_problems_parquet_stops_with_one_line_naming_it(work: Path, hub: HubStandIn, how: str) -> None:
    problems = work / "open-r1" / PROBLEMS_FILE
    damage(problems, how)
    result = build_dataset(work, hub, "--problems", str(problems), "--candidates", str(work / "candidates.jsonl"))
    one_line_error(result, str(problems))


@pytest.mark.parametrize("how", ["truncated", "not-parquet"])
def test_broken_candidates_parquet_stops_with_one_line_naming_it(work: Path, hub: HubStandIn, how: str) -> None:
    candidates = work / "candidates.parquet"
    pq.write_table(pq.read_table(work / "open-r1" / PROBLEMS_FILE).slice(0, 0), candidates)  # a real file first
    damage(candidates, how)
    result = build_dataset(work, hub, "--problems", str(work / "open-r1"), "--candidates", str(candidates))
    one_line_error(result, str(candidates))


def test_broken_generated_tests_parquet_stops_with_one_line_naming_it(work: Path, hub: HubStandIn) -> None:
    generated = work / "open-r1" / "generated_tests" / "test_cases_991001.parquet"
    damage(generated, "truncated")
    result = build_dataset(work, hub, "--problems", str(work / "open-r1"), "--candidates",
                           str(work / "candidates.jsonl"))
    one_line_error(result, str(generated))


def test_scraper_output_with_a_broken_data_page_stops_with_one_line_naming_it(work: Path, hub: HubStandIn) -> None:
    """The scraper's own Parquet file (recognised by its `source_urls` column)."""
    import pyarrow as pa

    scraped = work / "scraped.parquet"
    rows = pq.read_table(work / "open-r1" / PROBLEMS_FILE).to_pylist()
    keep = ("id", "contest_id", "index", "title", "time_limit", "memory_limit", "examples")
    table = pa.Table.from_pylist([{**{k: row[k] for k in keep}, "source_urls": ["https://x"]} for row in rows] * 50)
    pq.write_table(table, scraped, compression="none", row_group_size=50)
    damage(scraped, "data-page")
    result = build_dataset(work, hub, "--problems", str(scraped), "--candidates", str(work / "candidates.jsonl"))
    one_line_error(result, str(scraped))


@pytest.mark.parametrize("content, where", [
    ('[{"problem_id": "991001/A", "code": "x"},\n {"problem_id": ', ":2"),
    ('{"problem_id": "991001/A", "code": "print(1)"}\n{"problem_id": "\xff\xfe"}\n'.encode("latin-1"), ":2"),
], ids=["cut-json-array", "not-utf8-jsonl"])
def test_broken_json_candidates_stop_with_one_line_naming_file_and_line(work: Path, hub: HubStandIn,
                                                                         content: str | bytes, where: str) -> None:
    candidates = work / ("candidates.json" if isinstance(content, str) else "broken.jsonl")
    candidates.write_bytes(content.encode() if isinstance(content, str) else content)
    result = build_dataset(work, hub, "--problems", str(work / "open-r1"), "--candidates", str(candidates))
    one_line_error(result, f"{candidates}{where}")


# ---------------------------------------------------------------------------- bad candidate rows


BAD_ROWS = [
    ([1, 2], "a list"),
    ({"problem_id": {"contest": 1}, "language": "python", "code": SUM_OK}, "problem_id"),
    ({"contest_id": "abc", "index": "A", "language": "python", "code": SUM_OK}, "contest_id"),
    ({"problem_id": "991001/A", "language": ["python3"], "code": SUM_OK}, "language"),
    ({"problem_id": "991001/A", "language": "python", "code": 42}, "code"),
    ({"problem_id": "991001/A", "messages": [1, 2]}, "messages"),
    ({"problem_id": "991001/A", "generation": {"text": "```python\nprint(1)\n```"}}, "generation"),
]


@pytest.mark.parametrize("data, named", BAD_ROWS, ids=[named.replace(" ", "-") for _, named in BAD_ROWS])
def test_malformed_candidate_row_is_kept_with_the_reason(data, named: str) -> None:
    candidate = candidate_from_row(data, row=7, source="c.jsonl", source_row=3)
    assert candidate.code is None and candidate.extraction == "malformed"
    assert candidate.no_code_reason.startswith("malformed row") and named in candidate.no_code_reason


def test_well_formed_candidate_rows_are_not_called_malformed() -> None:
    for data in ({"contest_id": 991001, "index": "A", "code": SUM_OK},
                 {"problem_id": "991001/A", "messages": [{"role": "assistant", "content": "```python\nprint(1)\n```"}]},
                 {"problem_id": 5, "language": "python", "code": SUM_OK, "expected": "AC", "author": None}):
        assert candidate_from_row(data, row=0, source="c.jsonl", source_row=0).extraction != "malformed"


def test_malformed_candidate_rows_are_listed_by_file_and_row_and_kept(work: Path, hub: HubStandIn) -> None:
    datasets = pytest.importorskip("datasets")
    candidates = work / "mixed.jsonl"
    good = {"problem_id": "991001/A", "language": "python", "code": SUM_OK}
    write_jsonl(candidates, [good] + [data for data, _ in BAD_ROWS[:3]])
    result = build_dataset(work, hub, "--problems", str(work / "open-r1"), "--candidates", str(candidates))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    listed = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith(f"{candidates} row ")]
    assert [line.split(":")[0] for line in listed] == [f"{candidates} row {n}" for n in (1, 2, 3)]
    assert all("malformed row" in line for line in listed)
    rows = datasets.load_dataset(str(work / "out"), "all", split="train").to_list()
    assert sorted(row["source_row"] for row in rows) == [0, 1, 2, 3]  # nothing silently lost
    bad = [row for row in rows if row["source_row"] > 0]
    assert all(row["status"] == "no_code" and row["reason"].startswith("malformed row") for row in bad)
    assert [row["verdict"] for row in rows if row["source_row"] == 0] == ["AC"]


def test_malformed_problem_row_is_skipped_and_listed(work: Path) -> None:
    from problems.pipeline.inputs import load_problems

    folder = work / "rows"
    folder.mkdir()
    write_jsonl(folder / "problems.jsonl", [["not", "an", "object"]])
    loaded = load_problems([str(folder)])
    assert loaded.entries == {} and len(loaded.skipped) == 1
    assert "row 0" in loaded.skipped[0] and "problems.jsonl" in loaded.skipped[0]


# ---------------------------------------------------------------------------- missing paths


@pytest.mark.parametrize("option", ["--problems", "--candidates"])
@pytest.mark.parametrize("spec", ["data/train.parquet", "open-r1/missing", "./nothere/problems", "nothere/x.jsonl"],
                         ids=["relative-data-file", "inside-an-existing-folder", "dot-relative", "relative-jsonl"])
def test_missing_local_path_is_one_line_without_a_hub_lookup(work: Path, hub: HubStandIn, option: str,
                                                             spec: str) -> None:
    args = {"--problems": str(work / "open-r1"), "--candidates": str(work / "candidates.jsonl")}
    args[option] = spec
    result = build_dataset(work, hub, *(item for pair in args.items() for item in pair))
    line = one_line_error(result, spec)
    assert "no such file or folder" in line


def test_missing_absolute_path_is_one_line_without_a_hub_lookup(work: Path, hub: HubStandIn) -> None:
    missing = work / "gone" / "problems.parquet"
    result = build_dataset(work, hub, "--problems", str(missing))
    one_line_error(result, str(missing))


def test_hub_id_is_still_looked_up_on_the_hub(work: Path) -> None:
    """The other side of the rule: `owner/name` with no such local path is a Hub dataset."""
    with HubStandIn() as standin:
        result = build_dataset(work, standin, "--problems", "someone/problems")
        assert standin.requests, "an owner/name id should be asked of the Hub"
    line = one_line_error(result, "someone/problems")
    assert json.dumps("someone/problems")[1:-1] in line


def test_malformed_row_in_a_folder_is_named_by_its_own_file(tmp_path: Path) -> None:
    from problems.pipeline.candidates import malformed_rows, read_candidates

    folder = tmp_path / "completions"
    folder.mkdir()
    good = {"problem_id": "991001/A", "language": "python", "code": SUM_OK}
    write_jsonl(folder / "a.jsonl", [good, good])
    write_jsonl(folder / "b.jsonl", [good, {"problem_id": "991001/A", "code": 7}])
    candidates = read_candidates([str(folder)])
    assert [c.source_row for c in candidates] == [0, 1, 2, 3]  # numbered across the folder, as before
    assert malformed_rows(candidates) == [
        f"{folder / 'b.jsonl'} row 1: malformed row: `code` is a number, expected text"
    ]


def test_missing_testlib_is_one_line_before_any_judging(work: Path, hub: HubStandIn) -> None:
    missing = work / "include" / "testlib.h"
    result = build_dataset(work, hub, "--problems", str(work / "open-r1"), "--candidates",
                           str(work / "candidates.jsonl"), "--testlib", str(missing))
    one_line_error(result, str(missing), "--testlib")
    assert not (work / "out").exists()


def test_unreadable_testlib_from_the_environment_is_one_line_before_any_judging(work: Path, hub: HubStandIn) -> None:
    missing = work / "nowhere" / "testlib.h"
    result = build_dataset(work, hub, "--problems", str(work / "open-r1"), "--candidates",
                           str(work / "candidates.jsonl"), extra_env={"CPFORGE_TESTLIB": str(missing)})
    one_line_error(result, str(missing), "CPFORGE_TESTLIB")
    assert not (work / "out").exists()

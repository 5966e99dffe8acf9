"""Pipeline inputs without the sandbox: open-r1-format problems and their tests with
provenance, the test-set hash, problem directories, and candidate rows of both shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline_helpers import SUM_OK, candidate_rows, write_jsonl, write_open_r1_set
from problems.pipeline.candidates import candidate_from_row, read_candidates
from problems.pipeline.inputs import load_problems
from problems.pipeline.tables import InputError
from problems.pipeline.tests_source import problem_id_from_name
from sandbox.judge.model import FileIO


@pytest.fixture(scope="module")
def open_r1(tmp_path_factory) -> Path:
    return write_open_r1_set(tmp_path_factory.mktemp("open-r1"))


def test_open_r1_problems_tests_and_provenance(open_r1: Path) -> None:
    loaded = load_problems([str(open_r1)])  # generated_tests/ beside the file is found by itself
    assert sorted(loaded.entries) == ["991001/A", "991001/B", "991002/A", "991002/B"]
    a = loaded.entries["991001/A"]
    # The first official test repeats the example: kept once, as a sample.
    assert [t.origin for t in a.tests] == ["statement"] + ["official"] * 2 + ["generated"] * 4
    assert [t.is_sample for t in a.tests] == [True] + [False] * 6
    assert a.official_tests_complete is True
    assert a.coverage(5) == "full" and a.coverage(7) == "few_tests"
    b = loaded.entries["991001/B"]
    assert b.checker.type == "python" and "sys.argv" in b.checker.code
    assert b.count("generated") == 6 and b.count("official") == 0
    double = loaded.entries["991002/A"]
    assert double.input_mode == FileIO(input="input.txt", output="output.txt")
    assert double.coverage(5) == "samples_only"
    assert loaded.entries["991002/B"].coverage(5) == "few_tests"


def test_testset_hash_names_what_a_verdict_was_earned_on(open_r1: Path) -> None:
    first = load_problems([str(open_r1)]).entries["991001/A"]
    again = load_problems([str(open_r1)]).entries["991001/A"]
    assert first.testset_hash == again.testset_hash
    without_generated = load_problems([str(open_r1 / "train-00000-of-00001.parquet")]).entries["991001/A"]
    assert without_generated.count("generated") == 0
    assert without_generated.testset_hash != first.testset_hash
    checked = load_problems([str(open_r1)]).entries["991001/A"]
    assert checked.testset_hash == first.testset_hash
    checked.checker = load_problems([str(open_r1)]).entries["991001/B"].checker  # forgets the cached hash
    assert checked.testset_hash != first.testset_hash


def test_problem_directories_and_tests_directories(tmp_path: Path, open_r1: Path) -> None:
    problem = tmp_path / "dirs" / "991003C"
    (problem / "tests").mkdir(parents=True)
    (problem / "problem.json").write_text(json.dumps({"time_limit": 1, "memory_limit": 64, "samples": ["1"]}))
    for name, (inp, out) in {"1": ("1\n", "1\n"), "2": ("2\n", "4\n"), "3": ("3\n", "9\n")}.items():
        (problem / "tests" / f"{name}.in").write_text(inp)
        (problem / "tests" / f"{name}.out").write_text(out)
    (tmp_path / "dirs" / "not-a-cf-id").mkdir()
    loaded = load_problems([str(tmp_path / "dirs")])
    entry = loaded.entries["991003/C"]
    assert [t.origin for t in entry.tests] == ["directory"] * 3 and entry.tests[0].is_sample
    assert entry.time_limit == 1 and entry.memory_limit == 64

    # The same kind of directory, named after an open-r1 problem, adds its tests there.
    extra = tmp_path / "extra" / "991002-A"
    (extra / "tests").mkdir(parents=True)
    (extra / "problem.json").write_text(json.dumps({"time_limit": 1, "memory_limit": 64, "input_mode": "file"}))
    (extra / "tests" / "7.in").write_text("7\n")
    (extra / "tests" / "7.out").write_text("14\n")
    with_dirs = load_problems([str(open_r1)], test_dirs=[tmp_path / "extra"])
    assert with_dirs.entries["991002/A"].count("directory") == 1
    assert problem_id_from_name("1715a") == "1715/A" and problem_id_from_name("cf1715-D2") == "1715/D2"
    assert problem_id_from_name("aplusb") is None


def test_candidates_in_both_shapes(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "candidates.jsonl", candidate_rows())
    candidates = read_candidates([str(path)])
    assert len(candidates) == len(candidate_rows())  # nothing dropped
    assert [c.row for c in candidates] == list(range(len(candidates)))
    code_row, chat, no_code_chat, no_code_text, inferred = (candidates[i] for i in (0, 3, 4, 5, 7))
    assert code_row.language == "python3" and code_row.extraction == "code"
    assert chat.code == SUM_OK and chat.code_hash == code_row.code_hash and chat.extraction == "fenced"
    assert chat.messages and chat.messages[-1]["role"] == "assistant"
    assert no_code_chat.code is None and no_code_chat.no_code_reason == "no code block"
    assert no_code_text.code is None and no_code_text.no_code_reason
    assert inferred.language == "python3" and inferred.extraction == "inferred"
    missing_language = candidate_from_row(
        {"problem_id": "1/A", "code": "#include <iostream>\nint main(){std::cout<<1;}"},
        row=0, source="x", source_row=0,
    )
    assert missing_language.language == "cpp17" and missing_language.extraction == "inferred"
    unknown = candidate_from_row({"problem_id": "1/A", "language": "cobol", "code": "DISPLAY 1"},
                                 row=0, source="x", source_row=0)
    assert unknown.no_code_reason and "cobol" in unknown.no_code_reason


def test_candidates_from_parquet_and_bad_inputs(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": "991001/A", "generation": f"```python\n{SUM_OK}```", "language": "python"}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet")
    [candidate] = read_candidates([str(tmp_path / "c.parquet")])
    assert candidate.code == SUM_OK and candidate.generation
    with pytest.raises(InputError, match="no such file"):
        read_candidates([str(tmp_path / "missing.jsonl")])
    (tmp_path / "bad.jsonl").write_text("{not json}\n")
    with pytest.raises(InputError, match="bad.jsonl:1"):
        read_candidates([str(tmp_path / "bad.jsonl")])


def test_scraper_output_gets_the_tests_of_the_same_problem_elsewhere(tmp_path: Path, open_r1: Path) -> None:
    from codeforces.output import ProblemWriter
    from problems.model import Problem

    scraped = Problem.model_validate({"id": "991001/A", "contest_id": "991001", "index": "A", "title": "Sum (scraped)",
                                      "time_limit": 2, "memory_limit": 256,
                                      "examples": [{"input": "1 2\n", "output": "3\n"}],
                                      "source_urls": ["https://codeforces.com/contest/991001/problem/A"]})
    with ProblemWriter(tmp_path / "scraped.parquet") as writer:
        writer.write(scraped)
    alone = load_problems([str(tmp_path / "scraped.parquet")]).entries["991001/A"]
    assert [t.origin for t in alone.tests] == ["statement"] and alone.coverage(1) == "samples_only"
    both = load_problems([str(tmp_path / "scraped.parquet"), str(open_r1)])
    merged = both.entries["991001/A"]
    assert merged.title == "Sum (scraped)" and merged.source_urls  # the scraped record leads
    assert merged.count("official") == 2 and merged.count("generated") == 4 and merged.coverage(5) == "full"
    assert "+" in merged.source


def test_large_configs_are_sharded_in_the_hub_naming(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    from problems.pipeline.schema import ALL_SCHEMA
    from problems.pipeline.writer import write_configs

    rows = [{name: None for name in ALL_SCHEMA.names} | {"row": i, "code": "x" * 2000, "tests": []}
            for i in range(300)]
    files = write_configs(tmp_path, {"all": rows}, max_shard_bytes=200_000)
    names = [Path(f).name for f in files["all"].files]
    count = len(names)
    assert count > 1 and names == [f"train-{k:05d}-of-{count:05d}.parquet" for k in range(count)]
    (tmp_path / "README.md").write_text("---\nconfigs:\n- config_name: all\n  data_files:\n  - split: train\n"
                                        "    path: data/all/train-*\n---\n")
    loaded = datasets.load_dataset(str(tmp_path), "all", split="train")
    assert sorted(loaded["row"]) == list(range(300))


def test_rows_from_a_generator_are_written_a_row_group_at_a_time_and_sharded(tmp_path: Path) -> None:
    """The pipeline hands the writer its rows as they are built, never as a list."""
    import pyarrow.parquet as pq

    from problems.pipeline.schema import ALL_SCHEMA
    from problems.pipeline.writer import write_configs

    made = []

    def rows():
        for i in range(2500):
            made.append(i)
            yield {name: None for name in ALL_SCHEMA.names} | {"row": i, "code": "y" * 400, "tests": []}

    files = write_configs(tmp_path, {"all": rows(), "verified": iter(())}, max_shard_bytes=400_000)
    assert files["all"].num_rows == 2500 and len(made) == 2500
    paths = [tmp_path / f for f in files["all"].files]
    assert len(paths) > 1 and sum(pq.ParquetFile(p).metadata.num_rows for p in paths) == 2500
    assert [r for p in paths for r in pq.read_table(p, columns=["row"]).column("row").to_pylist()] == list(range(2500))
    # An empty config still gets its one shard, with the config's schema.
    [empty] = files["verified"].files
    assert pq.read_table(tmp_path / empty).num_rows == 0
    assert not list(tmp_path.rglob("*.partial"))

"""The pipeline end to end on real sandboxed runs, a real SQLite store and the real
``datasets`` library: verdicts, deduplication, coverage labels, the Hub layout, the card,
and a rerun that has nothing left to do."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from pipeline_helpers import candidate_rows, write_jsonl, write_open_r1_set
from problems.pipeline import RunConfig, VerifyOptions, run_pipeline
from problems.pipeline.store import VerdictStore
from sandbox.judge.formats.verification import problem_from_verification_info

DISTINCT_JUDGEABLE = 7  # rows 0..10 minus the duplicate, the chat copy and two rows without code


def _config(work: Path, **verify: object) -> RunConfig:
    return RunConfig(source="files", problems=[str(work / "open-r1")], candidates=[str(work / "candidates.jsonl")],
                     out=work / "dataset", verify=VerifyOptions(jobs=2, progress=False, min_tests=5, **verify))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("pipeline")
    write_open_r1_set(work / "open-r1")
    write_jsonl(work / "candidates.jsonl", candidate_rows())
    summary = run_pipeline(_config(work))
    return work, summary


def _rows(folder: Path, config: str) -> list[dict]:
    [path] = sorted((folder / "data" / config).glob("*.parquet"))
    return pq.read_table(path).to_pylist()


def test_every_row_gets_an_outcome_and_duplicates_are_judged_once(built) -> None:
    work, summary = built
    rows = {row["row"]: row for row in _rows(work / "dataset", "all")}
    assert len(rows) == len(candidate_rows())
    assert rows[0]["verdict"] == "AC" and rows[0]["duplicate_of"] is None
    assert rows[1]["verdict"] == "AC" and rows[1]["duplicate_of"] == 0
    assert rows[3]["verdict"] == "AC" and rows[3]["duplicate_of"] == 0  # the chat completion's code
    assert rows[2]["verdict"] == "WA" and rows[2]["tests"][-1]["verdict"] == "SKIPPED"
    assert rows[4]["status"] == rows[5]["status"] == "no_code" and rows[4]["reason"]
    assert rows[6]["verdict"] == "AC" and rows[7]["verdict"] == "WA"  # python checker both ways
    assert rows[8]["verdict"] == "AC" and rows[9]["verdict"] != "AC"  # file I/O
    assert rows[11]["status"] == "unknown_problem"
    assert summary.stats.no_code_reasons and sum(summary.stats.no_code_reasons.values()) == 2
    assert summary.judged_now == DISTINCT_JUDGEABLE and summary.errors == 0
    with VerdictStore(work / "dataset.state.sqlite") as store:
        assert store.count_results() == DISTINCT_JUDGEABLE
        assert store.count_judgements() == DISTINCT_JUDGEABLE and store.judged_twice() == []


def test_min_tests_reporting_and_samples_only_label(built) -> None:
    work, summary = built
    assert sorted(summary.stats.below_minimum) == ["991002/A", "991002/B"]
    assert "problems below the minimum tests: 2" in summary.render()
    coverage = {row["id"]: row["coverage"] for row in _rows(work / "dataset", "problems")}
    assert coverage == {"991001/A": "full", "991001/B": "full", "991002/A": "samples_only", "991002/B": "few_tests"}
    verified = {row["id"]: row for row in _rows(work / "dataset", "verified")}
    assert set(verified) == {"991001/A", "991001/B", "991002/A", "991002/B"}
    assert verified["991002/A"]["samples_only"] is True and verified["991002/A"]["coverage"] == "samples_only"
    assert verified["991001/A"]["samples_only"] is False and verified["991001/A"]["duplicates"] == 3
    assert verified["991001/A"]["toolchain"].startswith("Python")


def test_hub_layout_loads_with_datasets(built) -> None:
    datasets = pytest.importorskip("datasets")
    work, _ = built
    folder = work / "dataset"
    for config in ("problems", "verified", "all"):
        files = sorted(p.relative_to(folder).as_posix() for p in (folder / "data" / config).iterdir())
        assert files == [f"data/{config}/train-00000-of-00001.parquet"]
    loaded = {config: datasets.load_dataset(str(folder), config, split="train")
              for config in ("problems", "verified", "all")}
    assert loaded["problems"].num_rows == 4 and loaded["all"].num_rows == len(candidate_rows())
    assert loaded["verified"].num_rows == 4
    assert {"id", "contest_id", "official_tests", "generated_checker", "input_mode", "verification_info"} \
        <= set(loaded["problems"].column_names)
    by_id = {row["id"]: row for row in loaded["problems"]}
    info = by_id["991001/B"]["verification_info"]
    assert isinstance(info, str)
    problem = problem_from_verification_info(info)
    assert len(problem.tests) == by_id["991001/B"]["test_count"] == 7
    assert problem.checker.type == "python" and problem.name == "991001/B"
    file_problem = problem_from_verification_info(by_id["991002/A"]["verification_info"])
    assert file_problem.input_mode != "stdio"


def test_card_front_matter_plot_and_prose(built) -> None:
    work, _ = built
    text = (work / "dataset" / "README.md").read_text()
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, "README.md must start with YAML front matter"
    meta = yaml.safe_load(match.group(1))
    assert meta["license"] == "cc-by-4.0" and meta["task_categories"] == ["text-generation"]
    assert meta["size_categories"] == ["n<1K"] and "competitive-programming" in meta["tags"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert set(configs) == {"problems", "verified", "all"}
    assert configs["problems"]["data_files"] == [{"split": "train", "path": "data/problems/train-*"}]
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    assert infos["all"]["splits"][0]["num_examples"] == len(candidate_rows())
    png = work / "dataset" / "rating_distribution.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "](rating_distribution.png)" in text
    for phrase in ("## Sources", "## How verification was done", "Pass rate by language", "Pass rate by problem rating",
                   "statement examples", "`official_tests`", "generated tests", "samples_only", "Python"):
        assert phrase in text, phrase


def test_rerun_skips_finished_work_and_unchanged_folder(built) -> None:
    work, _ = built
    readme = (work / "dataset" / "README.md").stat().st_mtime_ns
    again = run_pipeline(_config(work))
    assert again.judged_now == 0 and again.reused == DISTINCT_JUDGEABLE and not again.wrote
    assert (work / "dataset" / "README.md").stat().st_mtime_ns == readme
    assert again.stats.verdicts == run_pipeline(_config(work)).stats.verdicts
    db = sqlite3.connect(work / "dataset.state.sqlite")
    assert db.execute("SELECT COUNT(*) FROM judgements").fetchone()[0] == DISTINCT_JUDGEABLE
    db.close()


def test_all_tests_is_a_different_key(built, tmp_path: Path) -> None:
    work, _ = built
    config = _config(work, stop_on_first_failure=False)
    config.out = tmp_path / "all-tests"
    config.state = work / "dataset.state.sqlite"
    summary = run_pipeline(config)
    assert summary.judged_now == DISTINCT_JUDGEABLE  # the verdict depends on the options: no reuse
    wrong = [row for row in _rows(config.out, "all") if row["row"] == 2][0]
    assert all(t["verdict"] != "SKIPPED" for t in wrong["tests"]) and wrong["passed"] == 0
    summary_json = json.loads(summary.model_dump_json())
    assert summary_json["stats"]["verdicts"]["AC"] == 6


def test_candidates_from_a_dataset_config_through_datasets(built, tmp_path: Path) -> None:
    """A local dataset folder with a config is read through ``datasets`` (as a Hub id
    would be): here, the ``verified`` config this pipeline wrote, judged again elsewhere."""
    pytest.importorskip("datasets")
    work, _ = built
    config = _config(work)
    config.candidates, config.candidates_config = [str(work / "dataset")], "verified"
    config.out, config.state = tmp_path / "again", work / "dataset.state.sqlite"
    summary = run_pipeline(config)
    assert summary.stats.candidates == 4 and summary.stats.verdicts == {"AC": 4}
    assert summary.judged_now == 0  # the same code on the same tests: the stored verdicts apply


def test_a_judge_exception_is_a_judge_error_left_for_the_next_run(tmp_path: Path) -> None:
    """Anything the judge raises is that candidate's JUDGE_ERROR with the reason; it is not
    stored as done, so a rerun tries it again, and the run itself carries on."""
    problem = tmp_path / "problems" / "991009A"
    (problem / "tests").mkdir(parents=True)
    (problem / "problem.json").write_text(json.dumps({
        "time_limit": 1, "memory_limit": 64,
        "checker": {"type": "program", "source": "check.cob", "language": "cobol"}}))
    (problem / "check.cob").write_text("DISPLAY 'OK'.\n")
    (problem / "tests" / "1.in").write_text("1\n")
    (problem / "tests" / "1.out").write_text("1\n")
    write_jsonl(tmp_path / "c.jsonl", [{"problem_id": "991009/A", "language": "python", "code": "print(input())\n"}])
    config = RunConfig(source="files", problems=[str(tmp_path / "problems")], candidates=[str(tmp_path / "c.jsonl")],
                       out=tmp_path / "ds", verify=VerifyOptions(jobs=1, progress=False, min_tests=0))
    first = run_pipeline(config)
    assert first.errors == 1 and first.judged_now == 0 and first.stats.verdicts == {"JUDGE_ERROR": 1}
    [row] = _rows(tmp_path / "ds", "all")
    assert row["status"] == "error" and "cobol" in row["reason"]
    second = run_pipeline(config)
    assert second.errors == 1 and second.reused == 0  # retried, not reused
    with VerdictStore(tmp_path / "ds.state.sqlite") as store:
        assert store.count_results() == 0
        assert store.db.execute("SELECT attempts FROM errors").fetchone()[0] == 2


def test_the_problems_config_loads_back_as_the_same_test_sets(built) -> None:
    """``verification_info`` carries the tests exactly as verified: reading the written
    ``problems`` config back gives the same test-set hashes, provenance included."""
    pytest.importorskip("datasets")
    from problems.pipeline.inputs import load_problems

    work, _ = built
    original = load_problems([str(work / "open-r1")])
    again = load_problems([str(work / "dataset")], config="problems")
    assert sorted(again.entries) == sorted(original.entries)
    for pid, entry in original.entries.items():
        assert again.entries[pid].testset_hash == entry.testset_hash, pid
        assert [t.origin for t in again.entries[pid].tests] == [t.origin for t in entry.tests]

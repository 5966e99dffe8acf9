"""``build-dataset export --format verl|trl``: the training parquet each framework reads,
loaded with ``datasets.load_dataset("parquet", ...)`` as the frameworks do, and scored from its
own columns by cpforge's in-process rewards (verl's ``compute_score``, TRL's
``make_trl_reward``)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline_helpers import AT_LEAST_OK, AT_LEAST_WA, SUM_OK, SUM_WA, candidate_rows, write_jsonl, write_open_r1_set
from problems.pipeline import RunConfig, VerifyOptions, run_pipeline
from problems.pipeline.export import ExportError, ExportOptions, export_training_data

datasets = pytest.importorskip("datasets")

PROBLEMS = ["991001/A", "991001/B", "991002/A", "991002/B"]


def _export(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(cwd / "hf-home")}
    return subprocess.run([sys.executable, "-m", "problems.cli", "export", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _load(path: Path):
    return datasets.load_dataset("parquet", data_files=str(path), split="train")


def _fenced(code: str, label: str = "python") -> str:
    return f"Reasoning first.\n```{label}\n{code}```\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("export")
    write_open_r1_set(work / "open-r1")
    write_jsonl(work / "candidates.jsonl", candidate_rows())
    run_pipeline(RunConfig(source="files", problems=[str(work / "open-r1")],
                           candidates=[str(work / "candidates.jsonl")], out=work / "dataset",
                           verify=VerifyOptions(jobs=2, progress=False, min_tests=5)))
    return work / "dataset"


@pytest.fixture(scope="module", autouse=True)
def _close_runtimes():
    yield
    from sandbox.rewards.local import close_local_runtimes

    close_local_runtimes()


@pytest.fixture(scope="module")
def verl_rows(folder: Path):
    out = folder.parent / "train.verl.parquet"
    done = _export(str(folder), "--format", "verl", "--out", str(out), "--language", "python", "--language", "cpp",
                   cwd=folder.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "verl: 8 rows (4 problems; cpp 4, python 4)" in done.stdout
    return _load(out)


def test_verl_export_has_verls_columns_and_loads_with_datasets(verl_rows) -> None:
    assert verl_rows.column_names == ["data_source", "prompt", "ability", "reward_model", "extra_info"]
    assert verl_rows.num_rows == 8
    for index, row in enumerate(verl_rows):
        assert row["data_source"] == "cpforge/codeforces" and row["ability"] == "code"
        [message] = row["prompt"]
        assert message["role"] == "user" and message["content"].startswith("You are given a competitive")
        assert row["reward_model"]["style"] == "rule"
        info = json.loads(row["reward_model"]["ground_truth"])
        extra = row["extra_info"]
        assert info["problem_id"] == extra["problem_id"] and info["test_cases"]
        assert extra["index"] == index and extra["split"] == "train" and extra["language"] in ("python", "cpp")
        label = "cpp" if extra["language"] == "cpp" else "python"
        assert f"```{label}\n<your code here>" in message["content"]
    assert sorted({row["extra_info"]["problem_id"] for row in verl_rows}) == PROBLEMS


def test_cpforge_verl_compute_score_scores_an_exported_row(verl_rows) -> None:
    from sandbox.rewards.verl import compute_score

    rows = {(r["extra_info"]["problem_id"], r["extra_info"]["language"]): r for r in verl_rows}
    for (pid, good, bad) in (("991001/A", SUM_OK, SUM_WA), ("991001/B", AT_LEAST_OK, AT_LEAST_WA)):
        row = rows[(pid, "python")]
        args = (row["data_source"], row["reward_model"]["ground_truth"], row["extra_info"])
        ok = compute_score(args[0], _fenced(good), args[1], args[2])
        assert ok["score"] == 1.0 and ok["verdict"] == "AC", (pid, ok)
        wrong = compute_score(args[0], _fenced(bad), args[1], args[2])
        assert wrong["score"] == 0.0 and wrong["verdict"] == "WA", (pid, wrong)
    cpp = rows[("991001/A", "cpp")]
    sum_cpp = '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);}\n'
    answer = _fenced(sum_cpp, "cpp")
    scored = compute_score(cpp["data_source"], answer, cpp["reward_model"]["ground_truth"], cpp["extra_info"])
    assert scored["score"] == 1.0, scored


def test_problem_id_ground_truth_scores_with_the_dataset_folder(folder: Path) -> None:
    from sandbox.rewards.verl import compute_score

    out = folder.parent / "ids.verl.parquet"
    summary = export_training_data(str(folder), out, ExportOptions(format="verl", ground_truth="id",
                                                                   verified_only=True, coverage=["full"]))
    assert summary.rows == summary.problems == 2 and sum(summary.skipped.values()) == 2
    rows = _load(out)
    [row] = [r for r in rows if r["extra_info"]["problem_id"] == "991001/A"]
    assert row["reward_model"]["ground_truth"] == "991001/A"
    scored = compute_score(row["data_source"], _fenced(SUM_OK), row["reward_model"]["ground_truth"],
                           row["extra_info"], problems=str(folder))
    assert scored["score"] == 1.0, scored


def test_trl_export_feeds_make_trl_reward_its_columns(folder: Path) -> None:
    from sandbox.rewards.trl import make_trl_reward

    out = folder.parent / "train.trl.parquet"
    done = _export(str(folder), "--format", "trl", "--out", str(out), cwd=folder.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = _load(out)
    assert {"prompt", "verification_info", "problem_id", "id", "language"} <= set(rows.column_names)
    assert rows.num_rows == 4 and set(rows["language"]) == {"python"}
    assert all(p[0]["role"] == "user" and "# Problem:" in p[0]["content"] for p in rows["prompt"])
    # What GRPOTrainer does: every column but the prompt goes to the reward as a keyword list.
    picked = rows.filter(lambda r: r["problem_id"] in ("991001/A", "991002/B"))
    answers = {"991001/A": SUM_OK, "991002/B": "print(3 * int(input()))\n"}
    completions = [[{"role": "assistant", "content": _fenced(answers[pid])}] for pid in picked["problem_id"]]
    wrong = [[{"role": "assistant", "content": _fenced(SUM_WA)}] for _ in picked["problem_id"]]
    columns = {name: picked[name] for name in picked.column_names if name != "prompt"}
    reward = make_trl_reward()
    assert asyncio.run(reward(prompts=picked["prompt"], completions=completions, **columns)) == [1.0, 1.0]
    assert asyncio.run(reward(prompts=picked["prompt"], completions=wrong, **columns)) == [0.0, 0.0]


def test_export_errors_are_one_line(folder: Path, tmp_path: Path) -> None:
    missing = _export(str(tmp_path / "nowhere"), "--format", "verl", "--out", str(tmp_path / "x.parquet"),
                      cwd=tmp_path)
    assert missing.returncode == 1 and "not a dataset folder" in missing.stderr and "Traceback" not in missing.stderr
    for args, message in ((["--format", "verl", "--language", "cobol"], "cobol"),
                          (["--format", "trl", "--split", "test"], "split 'test'"),
                          (["--format", "trl", "--coverage", "most"], "unknown level")):
        failed = _export(str(folder), *args, "--out", str(tmp_path / "x.parquet"), cwd=tmp_path)
        assert failed.returncode == 1 and message in failed.stderr and "Traceback" not in failed.stderr, failed.stderr
    bad_format = _export(str(folder), "--format", "openrlhf", "--out", str(tmp_path / "x.parquet"), cwd=tmp_path)
    assert bad_format.returncode == 2 and "--format" in bad_format.stderr
    assert not list(tmp_path.glob("*.parquet")) and not list(tmp_path.glob(".*partial*"))
    with pytest.raises(ExportError, match="must end in .parquet"):
        export_training_data(str(folder), tmp_path / "x.jsonl", ExportOptions(format="trl"))

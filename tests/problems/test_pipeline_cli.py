"""``build-dataset run`` and ``build-dataset bench verify`` as a user runs them: the
embedded default, pushing (to the stand-in Hub), clear failures without network or token,
and the benchmark in its tiny mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub_standin import DEFAULT_TOKEN, HubStandIn
from pipeline_helpers import candidate_rows, cli_env, run_build_dataset, write_jsonl, write_open_r1_set

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def tiny(tmp_path: Path) -> list[str]:
    write_open_r1_set(tmp_path / "open-r1")
    write_jsonl(tmp_path / "candidates.jsonl", candidate_rows()[:3])
    return ["--problems", str(tmp_path / "open-r1"), "--candidates", str(tmp_path / "candidates.jsonl"),
            "--no-progress", "--jobs", "2"]


@pytest.mark.slow
def test_default_run_is_the_bundled_set_end_to_end(tmp_path: Path) -> None:
    """No arguments: the bundled problems and solutions, offline, into ./cpforge-dataset."""
    datasets = pytest.importorskip("datasets")
    env = cli_env(tmp_path, HF_HUB_OFFLINE="1")
    first = run_build_dataset("run", "--no-progress", "--json", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    summary = json.loads(first.stdout)
    stats = summary["stats"]
    assert summary["wrote"] and stats["problems"] >= 5 and stats["expected_checked"] == stats["candidates"]
    assert stats["expected_mismatches"] == []  # every bundled solution got the verdict it is meant to get
    folder = tmp_path / "cpforge-dataset"
    assert (folder / "README.md").is_file() and (tmp_path / "cpforge-dataset.state.sqlite").is_file()
    for config in ("problems", "verified", "all"):
        assert datasets.load_dataset(str(folder), config, split="train").num_rows > 0
    table = run_build_dataset("run", "--no-progress", env=env, cwd=tmp_path)
    assert table.returncode == 0, table.stderr[-3000:]
    assert "0 now" in table.stdout and "unchanged" in table.stdout and "AC" in table.stdout


def test_push_to_the_hub(tmp_path: Path, tiny: list[str]) -> None:
    with HubStandIn() as hub:
        env = cli_env(tmp_path, HF_TOKEN=DEFAULT_TOKEN, HF_ENDPOINT=hub.endpoint)
        done = run_build_dataset("run", *tiny, "--out", str(tmp_path / "ds"), "--push-to", "standin-user/cf",
                              "--private", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"pushed: {hub.endpoint}/datasets/standin-user/cf" in done.stdout
        files = hub.files("standin-user/cf")
        assert "README.md" in files and "data/verified/train-00000-of-00001.parquet" in files
        assert "rating_distribution.png" in files and hub.repo("standin-user/cf").private
        assert not any("sqlite" in name for name in files)  # the state stays out of the upload


def test_push_without_token_fails_clearly_and_dry_run_does_not_push(tmp_path: Path, tiny: list[str]) -> None:
    env = cli_env(tmp_path, HF_ENDPOINT="http://127.0.0.1:9")
    out = ["--out", str(tmp_path / "ds"), "--push-to", "someone/cf"]
    failed = run_build_dataset("run", *tiny, *out, env=env, cwd=tmp_path)
    assert failed.returncode == 1
    assert "push to someone/cf failed" in failed.stderr and "token" in failed.stderr
    assert (tmp_path / "ds" / "README.md").is_file()  # the folder is complete; only the push is missing
    dry = run_build_dataset("run", *tiny, *out, "--dry-run", env=env, cwd=tmp_path)
    assert dry.returncode == 0 and "pushed" not in dry.stdout


def test_codeforces_source_without_network_fails_clearly(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    offline = run_build_dataset("run", "--source", "codeforces", "--offline", "--cache", str(tmp_path / "empty-cache"),
                             "--out", str(tmp_path / "ds"), "--no-progress", env=env, cwd=tmp_path)
    assert offline.returncode == 1 and "could not scrape Codeforces from the cache" in offline.stderr
    unreachable = run_build_dataset("run", "--source", "codeforces", "--base-url", "http://127.0.0.1:9",
                                 "--max-attempts", "1", "--timeout", "2", "--cache", str(tmp_path / "cache"),
                                 "--out", str(tmp_path / "ds"), "--no-progress", env=env, cwd=tmp_path)
    assert unreachable.returncode == 1
    assert "could not scrape Codeforces from http://127.0.0.1:9" in unreachable.stderr
    assert not (tmp_path / "ds").exists()


def test_bench_verify_tiny(tmp_path: Path) -> None:
    done = run_build_dataset("bench", "verify", "--candidates", "4", "--mix", "accepted", "--json", "--keep",
                          str(tmp_path / "work"), env=cli_env(tmp_path, HF_HUB_OFFLINE="1"), cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    [local] = figures["engines"]
    assert figures["candidates"] == 4 and local["engine"] == "local" and local["slots"] == figures["jobs"]
    assert local["first"]["judged"] == 4 and local["resumed"]["judged"] == 0
    assert local["first"]["accepted"] == 4 and local["verified_per_second"] > 0
    assert 0 < local["first"]["utilisation"] and 0 < local["resume_ratio"] < 1
    # Every accepted candidate ran every test of its problem; the driver measured itself.
    assert local["test_runs"] >= 4 and local["runs_per_second_per_slot"] > 0
    assert local["first"]["peak_rss_mb"] > 0 and figures["ray_over_local"] is None

"""``build-dataset run --source codeforces``: the command line scrapes, then hands the
scraper's file to the pipeline as problems (the pipeline itself never imports the scraper).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cf_testlib import PROJECT_ROOT, ReplayServer, read_page
from codeforces.config import ScrapeConfig
from codeforces.scrape import scrape


def _serve_1715(server: ReplayServer, cf_data: Path, problemset_raw: bytes, contests_json: list) -> None:
    server.add("/api/problemset.problems", problemset_raw, ctype="application/json")
    server.add("/api/contest.list?gym=false", json.dumps({"status": "OK", "result": contests_json}).encode(),
               ctype="application/json")
    server.add("/contest/1715/problems", read_page(cf_data, "contest-1715-problems.html"))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "HF_HUB_OFFLINE": "1", "HF_HOME": str(cwd / "hf-home")}
    return subprocess.run([sys.executable, "-m", "problems.cli", "run", "--source", "codeforces", *args,
                           "--no-progress"], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_run_scrapes_then_builds_from_the_scraped_file(
    tmp_path: Path, cf_data: Path, replay_server: ReplayServer, problemset_raw: bytes, contests_json: list
) -> None:
    _serve_1715(replay_server, cf_data, problemset_raw, contests_json)
    cache = tmp_path / "cache"
    filled = scrape(ScrapeConfig(base_url=replay_server.base_url, cache_dir=cache, api_interval=0, page_interval=0),
                    contests=(1715, 1715), progress=False)
    assert filled.written == 6, filled.render()
    candidates = tmp_path / "candidates.jsonl"
    candidates.write_text(json.dumps({"problem_id": "1715/A", "language": "python", "code": "print(0)\n"}) + "\n")
    done = _run("--offline", "--cache", str(cache), "--contests", "1715-1715", "--candidates", str(candidates),
                "--out", str(tmp_path / "ds"), "--jobs", "1", "--min-tests", "0", "--json", cwd=tmp_path)
    if done.returncode == 3:
        pytest.skip(f"this host cannot sandbox: {done.stderr[-500:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    scraped = tmp_path / "ds.codeforces.parquet"  # beside the verdict store, so a rerun resumes both
    assert scraped.is_file() and any(source.endswith(scraped.name) for source in summary["problem_sources"])
    assert summary["stats"]["problems"] == 6 and summary["stats"]["candidates"] == 1
    assert (tmp_path / "ds" / "README.md").is_file()


def test_a_foreign_output_folder_stops_the_run_before_the_scrape(
    tmp_path: Path, cf_data: Path, replay_server: ReplayServer, problemset_raw: bytes, contests_json: list
) -> None:
    _serve_1715(replay_server, cf_data, problemset_raw, contests_json)
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "notes.txt").write_text("mine")
    done = _run("--base-url", replay_server.base_url, "--cache", str(tmp_path / "cache"), "--contests", "1715",
                "--out", str(tmp_path / "ds"), cwd=tmp_path)
    assert done.returncode == 1 and "not written by build-dataset" in done.stderr, done.stderr[-3000:]
    assert replay_server.log == [] and not (tmp_path / "cache").exists()


def test_bad_scraper_options_are_one_line(tmp_path: Path) -> None:
    done = _run("--base-url", "codeforces.com", "--out", str(tmp_path / "ds"), cwd=tmp_path)
    assert done.returncode == 1 and "scraper options:" in done.stderr and "Traceback" not in done.stderr
    done = _run("--contests", "9-1", "--out", str(tmp_path / "ds"), cwd=tmp_path)
    assert done.returncode == 1 and "--contests range is empty" in done.stderr and "Traceback" not in done.stderr

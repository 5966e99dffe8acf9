"""`build-dataset run --engine ray` on a real Ray cluster: a head and a second node, both on
127.0.0.1 (tests/ray_cluster.py), judging with real local sandboxes on each node."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.xdist_group("ray"), pytest.mark.slow]

BUILD_DATASET = str(Path(sys.executable).with_name("build-dataset"))


def _run(address: str, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([BUILD_DATASET, "run", "--engine", "ray", "--address", address, "--out", str(out),
                             "--json", "--no-progress", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})


def _summary(process: subprocess.Popen, timeout: float = 600) -> dict:
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, stderr[-3000:]
    try:
        return json.loads(stdout)
    except ValueError:
        raise AssertionError(f"not a JSON summary:\n{stdout[:3000]}\nstderr:\n{stderr[-3000:]}") from None


def _judged(state: Path) -> int:
    try:
        with sqlite3.connect(state) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.Error:
        return 0


def _no_verdict_twice(state: Path) -> None:
    with sqlite3.connect(state) as db:
        twice = db.execute("SELECT key, COUNT(*) FROM judgements GROUP BY key HAVING COUNT(*) > 1").fetchall()
    assert twice == []


def test_the_bundled_set_on_two_nodes_gets_every_expected_verdict(ray_cluster, tmp_path):
    summary = _summary(_run(ray_cluster.address, tmp_path / "ds"))
    stats = summary["stats"]
    assert stats["expected_checked"] == stats["candidates"] and stats["expected_mismatches"] == []
    cluster = summary["cluster"]
    assert cluster["nodes"] == 2 and cluster["workers"] == 2 and not cluster["refused"]
    assert len(cluster["judged_per_node"]) == 2 and all(n > 0 for n in cluster["judged_per_node"].values())
    assert sum(cluster["judged_per_node"].values()) == summary["judged_now"]
    _no_verdict_twice(tmp_path / "ds.state.sqlite")
    rerun = _summary(_run(ray_cluster.address, tmp_path / "ds"))
    assert rerun["judged_now"] == 0 and rerun["reused"] == summary["judged_now"]  # resumed, nothing redone
    # Nothing left to judge: the cluster's judges are not even started, and the folder,
    # whose card names the cluster's backend and toolchains, is left as it was.
    assert rerun["cluster"] is None and not rerun["wrote"] and rerun["stats"] == summary["stats"]
    # A new candidate does start them, with the recorded toolchains still matching.
    extra = tmp_path / "more.jsonl"
    code = ("t = int(input())\nfor _ in range(t):\n    input()\n"
            "    a = list(map(int, input().split()))\n    print(max(a) * len(a) - sum(a))\n")
    extra.write_text(json.dumps({"problem_id": "990001/A", "language": "python", "code": code}) + "\n")
    more = _summary(_run(ray_cluster.address, tmp_path / "ds", "--candidates", str(extra)))
    assert more["judged_now"] == 1 and more["cluster"]["workers"] == 2
    assert more["stats"]["verdicts"] == {"AC": 1}


def test_a_node_killed_mid_run_loses_no_verdict_and_counts_none_twice(ray_cluster, tmp_path):
    doomed = ray_cluster.add_node()
    try:
        state = tmp_path / "ds.state.sqlite"
        process = _run(ray_cluster.address, tmp_path / "ds")
        deadline = time.monotonic() + 300
        while _judged(state) < 15 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert process.poll() is None, "the run ended before the node could be killed"
        ray_cluster.kill_raylet(doomed)
        summary = _summary(process)
    finally:
        ray_cluster.stop_node(doomed)
    stats = summary["stats"]
    assert stats["expected_checked"] == stats["candidates"] and stats["expected_mismatches"] == []
    assert summary["errors"] == 0
    cluster = summary["cluster"]
    assert cluster["nodes"] == 3 and len(cluster["lost"]) == 1, cluster
    _no_verdict_twice(state)
    assert _judged(state) == summary["judged_now"]


def test_a_node_that_cannot_sandbox_is_reported_and_not_used(ray_cluster):
    from sandbox.cluster import RayJudgePool
    from sandbox.judge.model import JudgeProblem, TestCase

    venv_only = str(Path(sys.executable).parent)
    crippled = ray_cluster.add_node(env={"PATH": venv_only})  # no bwrap on this node's PATH
    try:
        tests = [TestCase(name=str(i), input_data=f"{i} {i}\n".encode(), answer_data=f"{2 * i}\n".encode())
                 for i in range(4)]
        problem = JudgeProblem(name="twice", time_limit=1, memory_limit=256, tests=tests)
        with RayJudgePool(ray_cluster.address) as pool:
            assert len(pool.summary.refused) == 1 and pool.summary.workers == 2
            (reason,) = pool.summary.refused.values()
            assert "bubblewrap" in reason
            results = pool.judge_batch([(problem, "a, b = map(int, input().split())\nprint(a + b)", "python3")] * 6)
            assert all(result.verdict.value == "AC" for result in results)
    finally:
        ray_cluster.stop_node(crippled)

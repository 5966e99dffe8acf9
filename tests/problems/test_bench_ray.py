"""``bench verify`` and ``bench scale`` with both engines, the Ray one on the real two-node
cluster of tests/ray_cluster.py: each engine judges everything from an empty state, and the
figures say when the two did not have the same slots."""

from __future__ import annotations

from pathlib import Path

import pytest

from problems.pipeline.bench import run_bench, run_scale_bench

pytestmark = [pytest.mark.xdist_group("ray"), pytest.mark.slow]


def test_bench_verify_runs_both_engines_from_an_empty_state(ray_cluster, tmp_path: Path) -> None:
    result = run_bench(candidates=4, jobs=1, mix="accepted", keep=tmp_path, engines=["local", "ray"],
                       address=ray_cluster.address)
    local, ray = result.engine("local"), result.engine("ray")
    assert local is not None and ray is not None
    for run in (local, ray):
        assert run.first.judged == run.first.accepted == 4 and run.resumed.judged == 0
        assert run.test_runs >= 4 and run.first.peak_rss_mb > 0
    assert local.slots == 1 and ray.slots == 2 and ray.nodes == 2  # one slot on each of the cluster's nodes
    assert result.ray_over_local is not None and result.ray_over_local > 0
    assert "NOT like for like" in result.render()


def test_bench_scale_measures_the_ray_driver(ray_cluster, tmp_path: Path) -> None:
    result = run_scale_bench(problems=[3, 6], engines=["ray"], tests_per_problem=1, test_bytes=1024,
                             language="python", jobs=1, address=ray_cluster.address, keep=tmp_path, progress=False)
    assert [(run.problems, run.judged, run.accepted) for run in result.runs] == [(3, 3, 3), (6, 6, 6)]
    assert all(run.judging_peak_rss_mb for run in result.runs) and result.growth("ray") is not None

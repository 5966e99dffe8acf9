"""`verifier bench server` in its small mode: every mode runs, every completion is accepted,
and the report carries the figures the README quotes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_bench_server_small_mode():
    run = subprocess.run([sys.executable, "-m", "sandbox.tools.cli",
                          "bench", "server", "--completions", "8", "--tests", "3",
                          "--baseline", "2", "--workers", "2", "--json"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert set(report["rows"]) == {"in-process", "HTTP, request per completion", "HTTP, one batch request",
                                   "per test, compile per test"}
    for name, row in report["rows"].items():
        assert row["all_accepted"], name
        assert row["per_second"] > 0 and row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert report["rows"]["in-process"]["completions"] == 8
    assert report["http_overhead"] > 0 and report["speedup_vs_per_test"] > 0

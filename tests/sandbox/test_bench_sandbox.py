"""`verifier bench sandbox` runs end to end in a tiny mode and reports every part side by side."""

from __future__ import annotations

from sandbox.tools.bench import bench_sandbox


def test_bench_sandbox_tiny_mode(need, capsys):
    need("c17")
    need("cpp17")
    need("python3")
    rows = bench_sandbox(runs=3)
    printed = capsys.readouterr().out
    for label in ("C empty", "C++ trivial", "Python trivial", "C empty, back to back"):
        row = rows[label]
        assert row["bare_ms"] > 0 and row["sandbox_ms"] > 0
        assert row["overhead_ms"] == row["sandbox_ms"] - row["bare_ms"]
    phases = rows["phases_us"]
    for name in ("host.send", "host.result", "box.receive", "box.launch", "box.program", "box.next_child",
                 "after.wipe"):
        assert name in phases, sorted(phases)
    assert "where an empty C program's run goes" in printed and "targets:" in printed
    if "compile" in rows:  # g++ with a precompiled header on this host
        compile_row = rows["compile"]
        assert compile_row["host_s"] > 0 and compile_row["box_s"] > 0
        assert compile_row["ratio"] > 0 and compile_row["pch_loaded_in_box"] == 1.0
        assert "box / host =" in printed

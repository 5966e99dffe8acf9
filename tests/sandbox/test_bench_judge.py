"""`verifier bench judge` runs end to end in a tiny mode and reports both languages: the bare
loop, DMOJ's column (measured when dmoj is installed, skipped with its reason when not)
and cpforge's CPU per test. No timed assertions: the figures only have to exist."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from sandbox.tools.bench_judge import DMOJ_MISSING, dmoj_missing_reason, format_report

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TINY = ["bench", "judge", "--tests", "5", "--repeat", "1", "--json"]
# The CLI with `import dmoj` failing, as on a machine without the package.
WITHOUT_DMOJ = ("import runpy, sys; sys.modules['dmoj'] = None; sys.argv = ['verifier', *sys.argv[1:]]; "
                "runpy.run_module('sandbox.tools.cli', run_name='__main__')")


def _run(argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    assert done.returncode in (0, 1), done.stderr  # 1: a target missed, which 5 tests cannot judge
    return json.loads(done.stdout)


def _check_common(report: dict) -> list[str]:
    assert set(report["rows"]) == {"cpp17", "python3"}
    for row in report["rows"].values():
        assert row["tests"] == 5 and row["cpforge_s"] > 0 and row["bare_s"] > 0
        assert row["ratio"] == row["cpforge_s"] / row["bare_s"]  # one repetition: the ratio of the two
        cpu = row["cpu"]
        for part in ("judge_ms", "programs_ms", "total_ms"):
            assert cpu[part] > 0, (part, cpu)
        # The boxes' share is the process tree's CPU read from /proc in 10 ms clock ticks, less
        # the programs' exact rusage: on 5 tiny tests it can land a tick's worth either side of 0.
        assert cpu["boxes_ms"] > -2 * 10 * 4 / row["tests"], cpu
        assert abs(cpu["total_ms"] - (cpu["judge_ms"] + cpu["boxes_ms"] + cpu["programs_ms"])) < 1e-9
    assert report["rows"]["python3"]["cpu"]["target_ms"] == 3.0
    assert report["pch"]["used"], report["pch"]
    table = format_report(report).splitlines()
    assert any(line.startswith("C++17") for line in table) and any(line.startswith("Python 3") for line in table)
    cpu_lines = [line for line in table if "CPU per test: judge" in line]
    assert len(cpu_lines) == 2 and all("+ boxes" in line and "+ programs" in line for line in cpu_lines)
    assert "target <= 3 ms for Python" in cpu_lines[1]
    return table


def test_bench_judge_tiny_mode(need):
    need("cpp17")
    need("python3")
    report = _run(["-m", "sandbox.tools.cli", *TINY])
    table = _check_common(report)
    if importlib.util.find_spec("dmoj") is not None and dmoj_missing_reason() is None:
        assert report["dmoj"]["ran"], report["dmoj"]
        assert report["dmoj"]["executors"].keys() == {"CPP17", "PY3"}
        assert "ptrace" in report["dmoj"]["sandbox"]
        for row in report["rows"].values():
            assert row["dmoj_s"] > 0 and row["dmoj_compile_s"] > 0 and row["dmoj_target"] == 0.12
            assert row["dmoj_ratio"] == row["cpforge_s"] / row["dmoj_s"]
            assert len(row["samples"]["dmoj_s"]) == 1
        dmoj_lines = [line for line in table if line.startswith("DMOJ:")]
        assert dmoj_lines and f"dmoj {report['dmoj']['version']}" in dmoj_lines[0]
    else:
        _check_skipped(report, table)


def _check_skipped(report: dict, table: list[str]) -> None:
    assert report["dmoj"]["ran"] is False and report["dmoj"]["reason"], report["dmoj"]
    for row in report["rows"].values():
        assert row["dmoj_s"] is None and row["dmoj_ratio"] is None and row["dmoj_met"] is None
        assert row["samples"]["dmoj_s"] == []
    assert any(line.startswith("DMOJ:    skipped: ") for line in table)


def test_bench_judge_without_dmoj_skips_its_column_with_the_reason(need):
    need("cpp17")
    need("python3")
    report = _run(["-c", WITHOUT_DMOJ, *TINY])
    table = _check_common(report)
    _check_skipped(report, table)
    assert report["dmoj"]["reason"] == DMOJ_MISSING
    assert "pip install dmoj" in "\n".join(table)

"""`build-dataset bench tests`: its figures must add up, on a real package in the real sandbox.

One package (cpforge-pairsum: 3 manual and 4 generated tests, a main and an accepted
solution, four known-wrong ones) and no bundled set, so it stays fast; the bundled set goes
through the same code (`measure_strength` on a list of directories) in the real bench. The
figures are checked against what the package is known to hold, not against timings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from problems.testsets.bench import TestsBenchResult, default_packages, run_tests_bench
from problems.testsets.errors import TestsetError
from sandbox.judge.judging import Judge

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "testgen"
CPFORGE = DATA / "cpforge-pairsum"


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "problems.cli", "bench", "tests", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow  # about 10 s with a warm compile cache, 25 s with a cold one (the test run's own)
def test_bench_tests_figures_are_consistent(tmp_path: Path) -> None:
    run = _bench("--package", str(CPFORGE), "--no-bundled", "--no-progress", "--jobs", "2", "--keep",
                 str(tmp_path / "work"), "--json")
    assert run.returncode == 0, run.stderr
    result = TestsBenchResult.model_validate_json(run.stdout)
    raw: dict[str, Any] = json.loads(run.stdout)
    assert {"generation", "strength", "cores", "jobs", "wall"} <= set(raw)

    [made] = result.generation
    assert (made.tests, made.generated, made.format, made.agreeing_solutions) == (7, 4, "cpforge", 2)
    assert made.generated_per_second > 0 and made.tests_per_second >= made.generated_per_second
    assert made.generated_per_second == pytest.approx(made.generated / made.wall, rel=0.01)
    for step in (made.generator_ms, made.validator_ms, made.answer_ms, made.agreement_ms):
        assert step > 0
    assert 0 < made.steps_ms and made.run_ms_per_test > 0
    assert Path(made.out).parent == tmp_path / "work" and (Path(made.out) / "testset.json").is_file()  # --keep

    [strength] = result.strength
    assert strength.set == "generated" and (strength.problems, strength.tests) == (1, 7)
    assert (strength.judged, strength.correct, strength.wrong, strength.uncounted) == (6, 2, 4, 0)
    assert strength.tpr == 1.0 and strength.tnr == 1.0  # the generated tests catch every wrong solution
    # correct solutions run every test, wrong ones at least one and at most all
    assert 2 * 7 + 4 <= strength.test_runs <= 6 * 7
    assert strength.seconds_per_solution == pytest.approx(strength.wall / strength.judged, rel=0.01)
    assert strength.plain_judged == strength.correct and strength.plain_test_runs == 2 * 7
    assert strength.ratio is not None and strength.ratio > 0 and strength.plain_wall > 0
    assert strength.runs_ratio == pytest.approx(strength.test_runs / strength.plain_test_runs, rel=0.01)
    assert strength.compiled == 6

    table = result.render()  # what the command prints without --json
    assert "tests generate" in table and "tests strength" in table
    assert "cpforge-pairsum" in table and "generated" in table and "x wall" in table


def test_bench_tests_needs_a_package(judge: Judge, tmp_path: Path) -> None:
    # The default: the bundled problems that ship generators, which an installed wheel has too.
    assert {path.name for path in default_packages()} >= {"pair-count", "best-stretch"}
    with pytest.raises(TestsetError, match="no generator package to bench: pass --package PATH"):
        run_tests_bench(judge, [], bundled=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = _bench("--package", str(empty), "--no-bundled", "--no-progress")
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines() == [f"error: {empty}: not a package (neither problem.json nor "
                                                   "problem.xml found)"]
    missing = _bench("--package", str(tmp_path / "nowhere"), "--no-progress")
    assert missing.returncode == 2 and "not a package directory" in missing.stderr

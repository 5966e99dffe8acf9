"""`build-dataset run` measures each problem's test strength from the candidates whose
source says what they should get, and `--min-strength` keeps weakly tested problems'
solutions out of `verified` (the card lists them)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline_helpers import SUM_OK, SUM_WA, cli_env, run_build_dataset, write_jsonl, write_open_r1_set

# Wrong, but only on an input no test has: the kind of solution weak tests let through.
SUM_WRONG_ON_UNTESTED = "a, b = map(int, input().split())\nprint(0 if a == 123456789 else a + b)\n"


def _rows(out: Path, config: str) -> list[dict]:
    return pq.read_table(next((out / "data" / config).glob("*.parquet"))).to_pylist()


@pytest.mark.parametrize("min_strength", [None, 0.9])
def test_strength_is_measured_and_weak_problems_are_kept_out_of_verified(tmp_path, min_strength):
    write_open_r1_set(tmp_path / "open-r1")
    write_jsonl(tmp_path / "candidates.jsonl", [
        {"problem_id": "991001/A", "language": "python", "code": SUM_OK, "expected": "OK"},
        {"problem_id": "991001/A", "language": "python", "code": SUM_WA, "expected": "WRONG_ANSWER"},
        {"problem_id": "991001/A", "language": "python", "code": SUM_WRONG_ON_UNTESTED, "expected": "WA"},
        {"problem_id": "991002/B", "language": "python", "code": "print(3 * int(input()))\n", "expected": "AC"},
    ])
    out = tmp_path / "ds"
    args = ["run", "--problems", str(tmp_path / "open-r1"), "--candidates", str(tmp_path / "candidates.jsonl"),
            "--out", str(out), "--no-progress", "--json", "--jobs", "2"]
    if min_strength is not None:
        args += ["--min-strength", str(min_strength)]
    done = run_build_dataset(*args, env=cli_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    problems = {row["id"]: row for row in _rows(out, "problems")}
    weakly = problems["991001/A"]
    assert (weakly["strength_known_wrong"], weakly["strength_known_correct"]) == (2, 1)
    assert weakly["strength_tnr"] == 0.5 and weakly["strength_tpr"] == 1.0
    unknown = problems["991002/B"]
    assert unknown["strength_tnr"] is None and unknown["strength_known_wrong"] == 0 and not unknown["weak_tests"]
    verified = _rows(out, "verified")
    of_weak = [row for row in verified if row["id"] == "991001/A"]
    card = (out / "README.md").read_text()
    assert "known-wrong candidates were accepted" in card
    if min_strength is None:
        assert not weakly["weak_tests"] and weakly["verified"]
        assert len(of_weak) == 2 and {row["test_strength"] for row in of_weak} == {0.5}
        assert summary["stats"]["weak_problems"] == []
    else:
        assert weakly["weak_tests"] and not weakly["verified"]
        assert of_weak == []  # the accepted solutions of a weakly tested problem are not "verified"
        assert summary["stats"]["weak_problems"] == ["991001/A (0.50)"]
        assert "Problems with weak tests" in card and "991001/A (0.50)" in card
    assert any(row["id"] == "991002/B" and row["test_strength"] is None for row in verified)

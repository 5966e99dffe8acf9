"""Tiny inputs for the pipeline tests: a problem set in open-r1/codeforces layout (a
problems Parquet file and a ``generated_tests/test_cases_XXXX.parquet`` folder) and
candidate rows in both shapes (code rows and chat completions), all in Python so the
sandboxed runs stay fast."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

SUM_OK = "a, b = map(int, input().split())\nprint(a + b)\n"
SUM_WA = "a, b = map(int, input().split())\nprint(a - b)\n"
AT_LEAST_OK = "n = int(input())\nprint(n + 5)\n"
AT_LEAST_WA = "n = int(input())\nprint(n - 1)\n"
DOUBLE_FILE_OK = "n = int(open('input.txt').read())\nopen('output.txt', 'w').write(str(2 * n) + '\\n')\n"
DOUBLE_STDIN = "print(2 * int(input()))\n"
TRIPLE_OK = "print(3 * int(input()))\n"

# open-r1's checker convention: checker.py input answer output; prints 1 to accept. The
# last three arguments are read, so the check does not depend on how the judge spells
# argv[0] (the sandbox currently passes "checker.py" as an extra first argument).
AT_LEAST_CHECKER = """import sys
input_path, answer_path, output_path = sys.argv[-3:]
n = int(open(input_path).read())
got = open(output_path).read().split()
print(1 if len(got) == 1 and got[0].lstrip('-').isdigit() and int(got[0]) >= n else 0)
"""


def _problem(pid: str, title: str, examples: list[tuple[str, str]], official: list[tuple[str, str]] | None,
             rating: int | None, **extra: Any) -> dict[str, Any]:
    contest, index = pid.split("/")
    row = {
        "id": pid, "aliases": [], "contest_id": contest, "contest_name": "Test Round", "contest_type": "CF",
        "contest_start": 1_700_000_000, "contest_start_year": 2023, "index": index, "time_limit": 1.0,
        "memory_limit": 256.0, "title": title, "description": f"{title}.", "input_format": "Input.",
        "output_format": "Output.", "interaction_format": None, "note": None,
        "examples": [{"input": i, "output": o} for i, o in examples], "editorial": None, "rating": rating,
        "tags": ["math"], "testset_size": len(official or []),
        "official_tests": [{"input": i, "output": o} for i, o in official or []],
        "official_tests_complete": official is not None, "input_mode": "stdio", "generated_checker": None,
        "executable": True, "generated_tests": 0,
    }
    row.update(extra)
    return row


def write_open_r1_set(root: Path) -> Path:
    """Four problems covering every test source and coverage level:

    * 991001/A (a+b): a sample, official tests (the first repeats the sample) and generated
      tests -> full coverage;
    * 991001/B (print x >= n): a ``generated_checker`` and generated tests -> full;
    * 991002/A (double, file I/O): the sample only -> samples_only;
    * 991002/B (triple): two official tests -> few_tests.
    """
    root.mkdir(parents=True, exist_ok=True)
    rows = [
        _problem("991001/A", "Sum", [("1 2\n", "3\n")], [("1 2\n", "3\n"), ("5 7\n", "12\n"), ("100 200\n", "300\n")],
                 800),
        _problem("991001/B", "At Least", [("4\n", "9\n")], [("4\n", "9\n")], 1300,
                 generated_checker=AT_LEAST_CHECKER),
        _problem("991002/A", "Double", [("3\n", "6\n")], None, 1600, input_mode="file"),
        _problem("991002/B", "Triple", [("2\n", "6\n")], [("5\n", "15\n"), ("7\n", "21\n")], None),
    ]
    pq.write_table(pa.Table.from_pylist(rows), root / "train-00000-of-00001.parquet")
    generated = root / "generated_tests"
    generated.mkdir(exist_ok=True)
    sums = [(f"{a} {b}\n", f"{a + b}\n") for a, b in ((1, 1), (2, 3), (10, -4), (999, 1))]
    at_least = [(f"{n}\n", f"{n + 1}\n") for n in (0, 11, 250, 7, 31, 64)]
    pq.write_table(pa.Table.from_pylist(
        [{"problem_id": "991001/A", "input": i, "output": o} for i, o in sums]
        + [{"problem_id": "991001/B", "input": i, "output": o} for i, o in at_least]),
        generated / "test_cases_991001.parquet")
    return root


def candidate_rows() -> list[dict[str, Any]]:
    """Candidate rows in both shapes, with duplicates and rows without code."""
    return [
        {"problem_id": "991001/A", "language": "python", "code": SUM_OK},                       # 0 AC
        {"problem_id": "991001/A", "language": "python3", "code": SUM_OK},                      # 1 same -> judged once
        {"problem_id": "991001/A", "language": "python", "code": SUM_WA},                       # 2 WA
        {"id": "991001/A", "messages": [                                                        # 3 chat, AC (== row 0)
            {"role": "user", "content": "Solve a+b."},
            {"role": "assistant", "content": f"Read both numbers.\n```py\n{SUM_OK}```\n"}]},
        {"id": "991001/A", "messages": [                                                        # 4 no code
            {"role": "user", "content": "Solve a+b."},
            {"role": "assistant", "content": "I am not sure how to solve this."}]},
        {"problem_id": "991001/A", "generation": "Let me think... no idea."},                   # 5 no code
        {"problem_id": "991001/B", "language": "python", "code": AT_LEAST_OK},                  # 6 AC via checker
        {"problem_id": "991001/B", "generation": f"```\n{AT_LEAST_WA}```"},                     # 7 WA, inferred lang
        {"problem_id": "991002/A", "language": "python", "code": DOUBLE_FILE_OK},               # 8 AC samples only
        {"problem_id": "991002/A", "language": "python", "code": DOUBLE_STDIN},                 # 9 not AC
        {"problem_id": "991002/B", "language": "python", "code": TRIPLE_OK},                    # 10 AC few tests
        {"problem_id": "4242/Z", "language": "python", "code": SUM_OK},                         # 11 unknown problem
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for a `build-dataset` child process: no Hub token or endpoint of the
    machine's own, a private HF_HOME, plus `extra` (a stand-in Hub's endpoint and token)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "HF_HUB_OFFLINE")}
    env.update(HF_HOME=str(tmp_path / "hf-home"), HF_HUB_DISABLE_XET="1", PYTHONUNBUFFERED="1", **extra)
    return env


def run_build_dataset(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`build-dataset ARGS` as a user runs it: a child process, its output captured."""
    return subprocess.run([sys.executable, "-m", "problems.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)

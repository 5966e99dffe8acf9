"""A synthetic problem set for memory and throughput benches: many tiny problems in
open-r1/codeforces layout, one shared trivial solution.

Why open-r1's layout: an open-r1-sized build reads exactly that (problem rows in Parquet,
``official_tests`` inline, ``generated_tests/test_cases_XXXX.parquet`` beside them), so a
bench on it measures the loaders a real build uses. Every problem asks for the first line
of its input back; the rest of each input is filler of a chosen size, so the set can be made
as heavy as needed to show whether tests are held in memory, while each sandboxed run stays
as cheap as a run can be. One solution serves every problem: it compiles once, and what is
measured is the pipeline, not the programs.

Layout written under ``root``::

    problems/problems.parquet                      one row per problem: the statement's sample,
                                                   official_tests (the sample again, as open-r1
                                                   has it, and one small test)
    problems/generated_tests/test_cases_N.parquet  the heavy tests, one file per contest, as in
                                                   open-r1, whose bulk of tests is there
    candidates.jsonl                               one candidate per problem
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = ["FIRST_CONTEST", "PROBLEMS_PER_CONTEST", "SOLUTIONS", "SyntheticSet", "write_synthetic_set"]

FIRST_CONTEST = 900_000
PROBLEMS_PER_CONTEST = 100
"""Problems per contest, hence per generated-tests file: open-r1 has a few per contest,
but bigger files make the per-contest reader work as hard as it does on open-r1's largest."""

SOLUTIONS = {
    "c": "#include <stdio.h>\nint main(void) {\n    char line[256];\n"
         "    if (fgets(line, sizeof line, stdin)) fputs(line, stdout);\n    return 0;\n}\n",
    "python": "import sys\nsys.stdout.write(sys.stdin.readline())\n",
}
"""The one solution, per language: echo the first line (the answer), ignore the filler."""


class SyntheticSet(BaseModel):
    """Where a written set lives and what is in it."""

    root: Path
    problems_dir: Path
    candidates: Path
    problems: int
    tests_per_problem: int
    test_bytes: int
    language: str

    @property
    def test_data_bytes(self) -> int:
        """Bytes of test input the set holds (answers, samples and the official tests are a
        few bytes each)."""
        return self.problems * self.tests_per_problem * self.test_bytes


def _problem_id(number: int) -> tuple[str, str]:
    return str(FIRST_CONTEST + number // PROBLEMS_PER_CONTEST), f"P{number % PROBLEMS_PER_CONTEST}"


def _test_input(header: str, size: int) -> str:
    """``header`` on the first line, then random base64 lines up to ``size`` bytes: random,
    so no test repeats another and Parquet cannot compress the set away."""
    filler_size = max(0, size - len(header) - 1)
    filler = base64.b64encode(os.urandom(filler_size * 3 // 4 + 3)).decode("ascii")[:filler_size]
    lines = [filler[start:start + 75] for start in range(0, len(filler), 76)]
    return header + "\n" + "\n".join(lines)


def _row(number: int) -> dict[str, Any]:
    contest, index = _problem_id(number)
    sample = {"input": f"sample {number}\n", "output": f"sample {number}\n"}
    official = {"input": f"official {number}\nfiller\n", "output": f"official {number}\n"}
    return {
        "id": f"{contest}/{index}", "aliases": [], "contest_id": contest, "index": index,
        "contest_name": f"Synthetic Round {contest}", "contest_type": "CF", "title": f"Echo {number}",
        "time_limit": 1.0, "memory_limit": 256.0, "description": "Print the first line of the input.",
        "input_format": "A line, then anything.", "output_format": "That line.", "interaction_format": None,
        "note": None, "examples": [sample], "rating": 800, "tags": ["implementation"],
        # open-r1's official test 1 is usually the statement's sample: the merge must keep it once.
        "official_tests": [sample, official], "official_tests_complete": True, "input_mode": "stdio",
        "generated_checker": None, "executable": True,
    }


def write_synthetic_set(root: Path, problems: int, *, tests_per_problem: int = 3, test_bytes: int = 1024,
                        language: str = "c", progress: bool = False) -> SyntheticSet:
    """Write the set under ``root``: per problem, a sample and a small official test in its
    row, and ``tests_per_problem`` tests of about ``test_bytes`` each in its contest's
    generated-tests file. Problems are written contest by contest, so only one contest's
    tests are in memory at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if problems < 1 or tests_per_problem < 1:
        raise ValueError("a synthetic set needs at least one problem and one test per problem")
    if language not in SOLUTIONS:
        raise ValueError(f"the synthetic solution is written in {', '.join(SOLUTIONS)}, not {language!r}")
    problems_dir = root / "problems"
    generated_dir = problems_dir / "generated_tests"
    generated_dir.mkdir(parents=True, exist_ok=True)
    candidates = root / "candidates.jsonl"
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=problems, unit="problem", desc="synthetic set", dynamic_ncols=True)
    writer = None
    try:
        with open(candidates, "w", encoding="utf-8") as out:
            for first in range(0, problems, PROBLEMS_PER_CONTEST):
                rows, generated = [], []
                for number in range(first, min(problems, first + PROBLEMS_PER_CONTEST)):
                    pid = "/".join(_problem_id(number))
                    tests = [_test_input(f"{number} {test}", test_bytes) for test in range(tests_per_problem)]
                    answers = [test.split("\n", 1)[0] + "\n" for test in tests]
                    rows.append(_row(number))
                    generated += [{"problem_id": pid, "input": test, "output": answer}
                                  for test, answer in zip(tests, answers)]
                    out.write(json.dumps({"problem_id": pid, "language": language,
                                          "code": SOLUTIONS[language]}) + "\n")
                table = pa.Table.from_pylist(rows)
                if writer is None:
                    writer = pq.ParquetWriter(problems_dir / "problems.parquet", table.schema)
                writer.write_table(table, row_group_size=64)
                contest = FIRST_CONTEST + first // PROBLEMS_PER_CONTEST
                pq.write_table(pa.Table.from_pylist(generated), generated_dir / f"test_cases_{contest:04d}.parquet",
                               row_group_size=64)
                if bar is not None:
                    bar.update(len(rows))
    finally:
        if writer is not None:
            writer.close()
        if bar is not None:
            bar.close()
    return SyntheticSet(root=root, problems_dir=problems_dir, candidates=candidates, problems=problems,
                        tests_per_problem=tests_per_problem, test_bytes=test_bytes, language=language)

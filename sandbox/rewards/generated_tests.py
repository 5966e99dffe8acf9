"""open-r1's generated Codeforces tests, read from a local copy of their parquet files.

open-r1/codeforces keeps the generated tests out of the problem rows, in
`generated_tests/test_cases_XXXX.parquet` (XXXX: the contest id, four digits), one row per
test with the columns `problem_id`, `input` and `output`; open-r1's own reward reads them from
`$CF_TESTS_FOLDER`. This reads the same files, only the rows of the problem asked for, and
keeps the recent problems' tests in memory (every generation of a prompt asks again)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

TESTS_FOLDER_ENV = "CF_TESTS_FOLDER"


class GeneratedTests:
    """Thread-safe lookup of a problem's generated tests in `folder`."""

    def __init__(self, folder: str | os.PathLike[str], cache_size: int = 64) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise FileNotFoundError(f"generated tests folder {str(self.folder)!r} does not exist")
        self._cache: OrderedDict[str, list[dict[str, str]]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def file_for(self, problem_id: str, contest_id: object = None) -> Path | None:
        contest = str(contest_id) if contest_id not in (None, "") else problem_id.split("/", 1)[0]
        try:
            number = int(contest)
        except ValueError:
            return None
        path = self.folder / f"test_cases_{number:04d}.parquet"
        return path if path.is_file() else None

    def get(self, problem_id: str, contest_id: object = None) -> list[dict[str, str]]:
        """The problem's generated tests (`{input, output}`), [] when there are none."""
        with self._lock:
            cached = self._cache.get(problem_id)
            if cached is not None:
                self._cache.move_to_end(problem_id)
                return cached
        path = self.file_for(problem_id, contest_id)
        tests: list[dict[str, str]] = []
        if path is not None:
            import pyarrow.parquet as pq

            table = pq.read_table(path, columns=["input", "output"], filters=[("problem_id", "==", problem_id)])
            tests = [{"input": i, "output": o} for i, o in zip(table.column("input").to_pylist(),
                                                              table.column("output").to_pylist())]
        with self._lock:
            self._cache[problem_id] = tests
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return tests


def generated_tests_source(folder: str | os.PathLike[str] | None) -> GeneratedTests | None:
    """`folder`, else `$CF_TESTS_FOLDER` (open-r1's variable), else None."""
    chosen = folder if folder is not None else os.environ.get(TESTS_FOLDER_ENV) or None
    return GeneratedTests(chosen) if chosen is not None else None


__all__ = ["GeneratedTests", "TESTS_FOLDER_ENV", "generated_tests_source"]

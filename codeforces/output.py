"""Streaming writers for the problem set: JSON Lines or Parquet, chosen by file extension.

Rows are written as they come (Parquet in row groups) so memory stays flat however many
problems there are, and the file appears under its final name only when complete.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

from problems.model import Problem, ProblemRecord, arrow_schema

__all__ = ["ProblemWriter", "parquet_schema", "read_problems"]

_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


def _format_for(path: Path) -> str:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"output {path} must end in .jsonl or .parquet (got {path.suffix or 'no extension'!r})")
    return fmt


def parquet_schema() -> Any:
    """Arrow schema of the scraper's rows, generated from the problem's record
    (`problems.model.ProblemRecord`; open-r1/codeforces types where they overlap)."""
    return arrow_schema(ProblemRecord)


class ProblemWriter:
    """Context manager: ``with ProblemWriter(path) as w: w.write(problem)``."""

    def __init__(self, path: str | os.PathLike[str], row_group: int = 1000) -> None:
        self.path = Path(path)
        self.format = _format_for(self.path)
        self.row_group = row_group
        self.count = 0
        self._tmp = self.path.with_name(f".{self.path.name}.part")
        self._buffer: list[dict[str, Any]] = []
        self._fh: Any = None
        self._pq: Any = None

    def __enter__(self) -> ProblemWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.format == "jsonl":
            self._fh = open(self._tmp, "w", encoding="utf-8")
        else:
            import pyarrow.parquet as pq

            self._pq = pq.ParquetWriter(self._tmp, parquet_schema(), compression="zstd")
        return self

    def write(self, problem: Problem) -> None:
        """One problem's record (`Problem.model_dump`: open-r1's row spelling)."""
        if self.format == "jsonl":
            self._fh.write(problem.model_dump_json() + "\n")
        else:
            self._buffer.append(problem.model_dump(mode="python"))
            if len(self._buffer) >= self.row_group:
                self._flush()
        self.count += 1

    def _flush(self) -> None:
        if not self._buffer:
            return
        import pyarrow as pa

        self._pq.write_table(pa.Table.from_pylist(self._buffer, schema=parquet_schema()))
        self._buffer.clear()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.format == "jsonl":
            self._fh.close()
        else:
            if exc_type is None:
                self._flush()
            self._pq.close()
        if exc_type is None:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)


def read_problems(path: str | os.PathLike[str]) -> list[Problem]:
    """Load a file written by `ProblemWriter` back into validated `Problem` objects."""
    path = Path(path)
    if _format_for(path) == "jsonl":
        with open(path, encoding="utf-8") as fh:
            return [Problem.model_validate(json.loads(line)) for line in fh if line.strip()]
    import pyarrow.parquet as pq

    return [Problem.model_validate(row) for row in pq.read_table(path).to_pylist()]

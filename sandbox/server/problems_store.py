"""Problem ids -> tests and checkers, from a dataset made by `build-dataset`.

The dataset's `problems` config is parquet under `data/problems/*.parquet` with at least the
columns `id` and `verification_info` (JSON text, see `sandbox/judge/formats/verification.py`). Tests
can run to gigabytes, so only the `id` column is read at start-up; a problem's row group is
read when the problem is first asked for, and parsed problems are kept in a small LRU
(RL batches ask for the same problem once per generation). Read with pyarrow directly, so
the sandbox layer needs nothing from the `problems` package."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from sandbox.judge.model import JudgeProblem
from sandbox.judge.formats.verification import VerificationInfo, problem_from_verification_info

PROBLEMS_GLOB = "data/problems/*.parquet"


class ProblemStoreError(RuntimeError):
    """The dataset cannot be opened or lacks the columns the server needs."""


@dataclass(frozen=True)
class StoredProblem:
    problem: JudgeProblem
    language: str | None


@dataclass(frozen=True)
class _Location:
    file: int
    row_group: int
    row: int


def _parquet_files(source: str) -> list[Path]:
    path = Path(source)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(path.glob(PROBLEMS_GLOB)) or sorted(path.glob("*.parquet"))
        if not files:
            raise ProblemStoreError(f"{source}: no {PROBLEMS_GLOB} (nor *.parquet) files")
        return files
    if source.startswith((".", "/", "~")) or source.count("/") != 1:
        raise ProblemStoreError(f"{source}: no such file or directory (and not a Hub id like owner/name)")
    return _download_from_hub(source)


def _download_from_hub(repo_id: str) -> list[Path]:
    """A Hub dataset id: fetch only the problems config's parquet files (the hub client
    ships with `datasets`), then read them like a local folder."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ProblemStoreError(f"{repo_id!r} is not a local path, and huggingface_hub (pip install datasets) "
                                "is not installed to fetch it from the Hub") from None
    try:
        folder = snapshot_download(repo_id, repo_type="dataset", allow_patterns=[PROBLEMS_GLOB])
    except Exception as exc:  # network, auth, missing repo: all mean "cannot serve these ids"
        raise ProblemStoreError(f"cannot fetch dataset {repo_id!r} from the Hub: {exc}") from exc
    files = sorted(Path(folder).glob(PROBLEMS_GLOB))
    if not files:
        raise ProblemStoreError(f"dataset {repo_id!r} has no {PROBLEMS_GLOB} files")
    return files


class ProblemStore:
    """Thread-safe lookup of problems by id."""

    def __init__(self, source: str, cache_size: int = 512) -> None:
        import pyarrow.parquet as pq

        self.source = source
        paths = _parquet_files(source)
        try:
            self._files = [pq.ParquetFile(path) for path in paths]
        except Exception as exc:  # not parquet, truncated, unreadable
            raise ProblemStoreError(f"{source}: cannot read the parquet files: {exc}") from exc
        self._index: dict[str, _Location] = {}
        for number, (path, parquet) in enumerate(zip(paths, self._files)):
            missing = {"id", "verification_info"} - set(parquet.schema_arrow.names)
            if missing:
                raise ProblemStoreError(f"{path} lacks the columns {sorted(missing)}")
            for group in range(parquet.num_row_groups):
                ids = parquet.read_row_group(group, columns=["id"]).column("id").to_pylist()
                for row, problem_id in enumerate(ids):
                    if problem_id is not None:
                        self._index.setdefault(str(problem_id), _Location(number, group, row))
        self._cache: OrderedDict[str, StoredProblem] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._last_group: tuple[tuple[int, int], list] | None = None

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, problem_id: str) -> bool:
        return problem_id in self._index

    def get(self, problem_id: str) -> StoredProblem | None:
        """The problem, or None for an unknown id. A malformed row raises ValueError."""
        with self._lock:
            cached = self._cache.get(problem_id)
            if cached is not None:
                self._cache.move_to_end(problem_id)
                return cached
        location = self._index.get(problem_id)
        if location is None:
            return None
        raw = self._read(location)
        if raw is None:
            raise ValueError(f"problem {problem_id!r} has no verification_info")
        info = VerificationInfo.model_validate_json(raw) if isinstance(raw, (str, bytes)) \
            else VerificationInfo.model_validate(raw)
        stored = StoredProblem(problem_from_verification_info(info, name=problem_id), info.language)
        with self._lock:
            self._cache[problem_id] = stored
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return stored

    def _read(self, location: _Location):
        key = (location.file, location.row_group)
        with self._read_lock:
            if self._last_group is None or self._last_group[0] != key:
                column = self._files[location.file].read_row_group(
                    location.row_group, columns=["verification_info"]).column("verification_info")
                self._last_group = (key, column.to_pylist())
            return self._last_group[1][location.row]


__all__ = ["PROBLEMS_GLOB", "ProblemStore", "ProblemStoreError", "StoredProblem"]

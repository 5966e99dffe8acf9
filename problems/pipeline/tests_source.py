"""Collecting a problem's tests from every source, each test tagged with where it came from.

Sources: the statement's examples, open-r1's ``official_tests`` column, open-r1's
per-contest generated-test Parquet files (``test_cases_XXXX.parquet``, columns
``problem_id, input, output``), and problem directories or Polygon packages. The same test
often appears in two sources (Codeforces' test 1 is usually the first example), so tests are
merged by content: a verdict should not count one test twice, and a duplicate of a sample
must not make a problem look better covered than it is.

Tests read from rows (``official_tests``, generated tests, a ``verification_info``) are not
kept in memory: every problem of a run stays loaded while its candidates are judged, and an
open-r1-sized set has far more test data than a machine has memory. Each test's input and
answer above `INLINE_BYTES` go to a `TestSpool` (files on disk, read back when a test runs),
so the tests are backed by paths exactly as a problem directory's are.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from problems.model import Problem, make_problem_id
from problems.pipeline.tables import InputError
from sandbox.judge.checkers.specs import PythonCheckerSpec
from sandbox.judge.formats.verification import encode_test
from sandbox.judge.model import JudgeProblem, TestCase

__all__ = [
    "DirectoryTests",
    "GeneratedTests",
    "INLINE_BYTES",
    "SpoolError",
    "TestSpool",
    "checker_from_generated",
    "default_spool",
    "directory_tests",
    "merge_tests",
    "official_tests",
    "problem_id_from_name",
    "statement_tests",
]

_DIR_ID = re.compile(r"^(?:cf[-_]?)?(\d{1,7})[-_./ ]?([A-Za-z][A-Za-z0-9]{0,3}|\d{1,2})$", re.I)


INLINE_BYTES = 256
"""A test's input or answer of at most this many bytes stays in memory: a path to a file
would cost about as much, and the file a read each time the test runs."""

_SPOOL_PREFIX = "cpforge-tests-"


class SpoolError(InputError):
    """The spool cannot be written (a full disk, most likely): one line for the user, who
    can point ``TMPDIR`` at a disk with room for the run's tests."""


class TestSpool:
    """Test data on disk: one file per distinct input or answer, named by its sha256, under a
    temporary folder (``$TMPDIR/cpforge-tests-PID-*``; a disk, not a tmpfs, for big sets)
    removed by `close` or when the process exits. Content addressing makes a test loaded
    twice (two sources, a reloaded set) cost its disk once. A folder left by a killed process
    is removed by the next spool made in the same place."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, parent: Path | None = None) -> None:
        self.parent = parent
        self.files = 0
        self.bytes = 0
        self._root: Path | None = None
        self._shards: set[str] = set()
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        """The spool's folder, made on first use: loading a set whose tests all fit inline
        creates nothing on disk."""
        with self._lock:
            if self._root is None:
                parent = Path(self.parent or tempfile.gettempdir())
                _remove_orphans(parent)
                try:
                    self._root = Path(tempfile.mkdtemp(prefix=f"{_SPOOL_PREFIX}{os.getpid()}-", dir=parent))
                except OSError as exc:
                    raise SpoolError(f"cannot keep tests in {parent}: {exc.strerror or exc} (set TMPDIR to a "
                                     "writable folder)") from None
                atexit.register(_remove_spool, self._root, os.getpid())
            return self._root

    def put(self, data: bytes) -> Path:
        """The file holding ``data``, written unless the spool has it already."""
        digest = hashlib.sha256(data).hexdigest()
        root = self.root
        shard = digest[:2]
        folder = root / shard
        if shard not in self._shards:
            folder.mkdir(exist_ok=True)
            self._shards.add(shard)
        path = folder / digest[2:]
        if path.exists():
            return path
        partial = folder / f".{digest[2:]}.{threading.get_ident()}"
        try:
            partial.write_bytes(data)
            os.replace(partial, path)  # a reader never sees half a file
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise SpoolError(f"cannot keep tests in {root}: {exc.strerror or exc} (set TMPDIR to a folder on a "
                             "disk with room for the run's tests)") from None
        with self._lock:
            self.files += 1
            self.bytes += len(data)
        return path

    def spooled(self, test: TestCase) -> TestCase:
        """``test`` with its input and answer on disk when they are bigger than `INLINE_BYTES`."""
        update: dict[str, Any] = {}
        if test.input_data is not None and len(test.input_data) > INLINE_BYTES:
            update.update(input_data=None, input_path=self.put(test.input_data))
        if test.answer_data is not None and len(test.answer_data) > INLINE_BYTES:
            update.update(answer_data=None, answer_path=self.put(test.answer_data))
        return test.model_copy(update=update) if update else test

    def close(self) -> None:
        """Remove the folder now; tests still pointing into it can no longer be read."""
        with self._lock:
            root, self._root = self._root, None
            self._shards.clear()
        if root is not None:
            _remove_spool(root, os.getpid())


def _remove_spool(root: Path, owner: int) -> None:
    """Only the process that made a spool removes it: a forked child exiting must not take
    its parent's tests with it."""
    if os.getpid() == owner:
        shutil.rmtree(root, ignore_errors=True)


def _remove_orphans(parent: Path) -> None:
    """Spool folders of processes that are gone (killed before they could clean up)."""
    try:
        entries = list(parent.glob(f"{_SPOOL_PREFIX}*-*"))
    except OSError:
        return
    for entry in entries:
        pid_text = entry.name[len(_SPOOL_PREFIX):].split("-", 1)[0]
        try:
            if not pid_text.isdigit() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
                continue  # another user's, or not a spool
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (OSError, OverflowError):  # alive but not ours to signal, or vanished meanwhile
            continue


_default_spool: TestSpool | None = None
_default_lock = threading.Lock()


def default_spool() -> TestSpool:
    """The process's spool, shared by every loader that is not given one: it lives until the
    process exits, because a loaded problem may outlive whatever loaded it."""
    global _default_spool
    with _default_lock:
        if _default_spool is None:
            _default_spool = TestSpool()
        return _default_spool


def problem_id_from_name(name: str) -> str | None:
    """``1715A``, ``1715-A``, ``1715_a`` or ``cf1715A`` -> ``"1715/A"``; None otherwise.
    Directory names cannot hold a slash, so problem directories use one of these."""
    match = _DIR_ID.match(name.strip())
    if match is None:
        return None
    index = match.group(2)
    return make_problem_id(match.group(1), index.upper() if index[0].isalpha() else index)


def statement_tests(problem: Problem) -> list[TestCase]:
    """The statement's examples as sample tests. Interactive problems show transcripts,
    not input/answer pairs, so they contribute none."""
    return [] if problem.interactive else list(problem.examples)


def _as_pairs(value: Any) -> list[tuple[str, str | None]]:
    """Tolerates the shapes open-r1 rows take after a trip through Parquet or JSON: a list
    of ``{input, output}`` dicts, or a dict of parallel lists."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        inputs = list(value.get("input") or [])
        outputs = list(value.get("output") or [None] * len(inputs))
        return list(zip(inputs, outputs))
    return [(item["input"], item.get("output")) for item in value if item is not None]


def official_tests(value: Any, spool: TestSpool | None = None) -> list[TestCase]:
    """open-r1's ``official_tests`` (possibly truncated upstream: see
    ``official_tests_complete``), their data in ``spool`` (default: the process's)."""
    pairs = _as_pairs(value)
    if not pairs:
        return []
    spool = spool or default_spool()
    return [spool.spooled(encode_test(f"official-{number}", inp, out, origin="official"))
            for number, (inp, out) in enumerate(pairs, start=1)]


def directory_tests(problem: JudgeProblem) -> list[TestCase]:
    """Tests of a loaded problem directory or Polygon package; its sample flags are kept,
    and so is its data, on disk until a test runs."""
    return [test.model_copy(update={"origin": "directory"}) for test in problem.tests]


def _content_key(test: TestCase) -> tuple[bytes, bytes | None]:
    """Digests of a test's input and answer, ignoring trailing whitespace: equal keys are
    one test. Digests rather than the data, so a big test set is not held twice."""
    answer = test.read_answer()
    return (hashlib.sha256(test.read_input().rstrip()).digest(),
            hashlib.sha256(answer.rstrip()).digest() if answer is not None else None)


def merge_tests(*groups: Iterable[TestCase]) -> list[TestCase]:
    """Concatenate test groups, dropping exact repeats (same input and answer, ignoring
    trailing whitespace) and renaming any clashing names. A repeat of a sample keeps the
    sample's flag, so a copied example never counts as an extra test."""
    merged: list[TestCase] = []
    index_by_content: dict[tuple[bytes, bytes | None], int] = {}
    names: set[str] = set()
    for group in groups:
        for test in group:
            content = _content_key(test)
            seen = index_by_content.get(content)
            if seen is not None:
                if test.is_sample and not merged[seen].is_sample:
                    merged[seen] = merged[seen].model_copy(update={"is_sample": True})
                continue
            name = test.name
            suffix = 2
            while name in names:
                name, suffix = f"{test.name}~{suffix}", suffix + 1
            names.add(name)
            index_by_content[content] = len(merged)
            merged.append(test if name == test.name else test.model_copy(update={"name": name}))
    # Samples first, as the judge would order them anyway; the order is part of the hash.
    return [t for t in merged if t.is_sample] + [t for t in merged if not t.is_sample]


def checker_from_generated(code: str | None) -> PythonCheckerSpec | None:
    """open-r1's ``generated_checker`` (Python, verdict on stdout) as a checker spec."""
    return PythonCheckerSpec(code=code) if code and code.strip() else None


class GeneratedTests:
    """open-r1's generated tests: one Parquet file per contest, read when a problem of that
    contest is first asked for, in batches, each test's data going to the spool as it is read
    (a contest's file can hold gigabytes). A few contests' tests (paths, not data) stay at
    hand, because problems arrive grouped by contest."""

    def __init__(self, folder: Path, keep_contests: int = 8, spool: TestSpool | None = None) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise FileNotFoundError(f"generated tests folder not found: {self.folder}")
        self.keep = keep_contests
        self.spool = spool or default_spool()
        self._cache: OrderedDict[int, dict[str, list[TestCase]]] = OrderedDict()

    def path_for(self, contest_id: int) -> Path:
        return self.folder / f"test_cases_{contest_id:04d}.parquet"

    def _contest(self, contest_id: int) -> dict[str, list[TestCase]]:
        if contest_id in self._cache:
            self._cache.move_to_end(contest_id)
            return self._cache[contest_id]
        by_problem: dict[str, list[TestCase]] = {}
        path = self.path_for(contest_id)
        if path.is_file():
            for pid, inp, out in _generated_rows(path):
                tests = by_problem.setdefault(pid, [])
                tests.append(self.spool.spooled(encode_test(f"generated-{len(tests) + 1}", inp, out,
                                                            origin="generated")))
        self._cache[contest_id] = by_problem
        while len(self._cache) > self.keep:
            self._cache.popitem(last=False)
        return by_problem

    def tests_for(self, problem_id: str) -> list[TestCase]:
        contest = int(problem_id.split("/", 1)[0])
        return list(self._contest(contest).get(problem_id, []))


_GENERATED_COLUMNS = ["problem_id", "input", "output"]
_GENERATED_BATCH_ROWS = 64
"""Rows decoded at once from a generated-tests file: a few dozen tests, even big ones, fit
in memory; a whole contest's file may not."""
_READ_BUFFER = 4 << 20
"""Bytes read from the file at a time, so a big row group is read page by page."""


def _generated_rows(path: Path) -> Iterator[tuple[str, str, str | None]]:
    """``(problem_id, input, output)`` of a generated-tests file, batch by batch. A damaged
    file is one `InputError` naming it (and the rows read before the damage)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    errors = (pa.ArrowException, OSError)
    done = 0
    try:
        # Without pre-buffering and with buffered reads, pages are read as they are decoded:
        # pyarrow's defaults keep a file's every page read so far until the reader closes.
        reader = pq.ParquetFile(path, pre_buffer=False, buffer_size=_READ_BUFFER)
        batches = reader.iter_batches(batch_size=_GENERATED_BATCH_ROWS, columns=_GENERATED_COLUMNS)
        while True:
            batch = next(batches, None)
            if batch is None:
                return
            columns = [batch.column(name).to_pylist() for name in _GENERATED_COLUMNS]
            yield from zip(*columns)
            done += batch.num_rows
    except errors as exc:
        where = f" after row {done}" if done else ""
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{path}: not a readable Parquet file{where}: {reason}") from None


class DirectoryTests:
    """Tests given as problem directories named after problem ids (``1715A``,
    ``1715-A``...), either one directory or a folder of them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"tests folder not found: {self.root}")
        self.dirs: dict[str, Path] = {}
        candidates = [self.root] if _is_problem_dir(self.root) else sorted(p for p in self.root.iterdir() if p.is_dir())
        for path in candidates:
            pid = problem_id_from_name(path.name)
            if pid is not None and _is_problem_dir(path):
                self.dirs[pid] = path

    def load(self, problem_id: str) -> JudgeProblem | None:
        from sandbox.judge import load_problem

        path = self.dirs.get(problem_id)
        return load_problem(path) if path is not None else None


def _is_problem_dir(path: Path) -> bool:
    return (path / "problem.json").is_file() or (path / "problem.xml").is_file()

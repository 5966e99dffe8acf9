"""Collecting a problem's tests from every source, each test tagged with where it came from.

Sources: the statement's examples, open-r1's ``official_tests`` column, open-r1's
per-contest generated-test Parquet files (``test_cases_XXXX.parquet``, columns
``problem_id, input, output``), and problem directories or Polygon packages. The same test
often appears in two sources (Codeforces' test 1 is usually the first example), so tests are
merged by content: a verdict should not count one test twice, and a duplicate of a sample
must not make a problem look better covered than it is.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from problems.model import Problem, make_problem_id
from problems.pipeline.tables import read_parquet_table
from sandbox.judge.checkers.specs import PythonCheckerSpec
from sandbox.judge.formats.verification import encode_test
from sandbox.judge.model import JudgeProblem, TestCase

__all__ = [
    "DirectoryTests",
    "GeneratedTests",
    "checker_from_generated",
    "directory_tests",
    "merge_tests",
    "official_tests",
    "problem_id_from_name",
    "statement_tests",
]

_DIR_ID = re.compile(r"^(?:cf[-_]?)?(\d{1,7})[-_./ ]?([A-Za-z][A-Za-z0-9]{0,3}|\d{1,2})$", re.I)


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


def official_tests(value: Any) -> list[TestCase]:
    """open-r1's ``official_tests`` (possibly truncated upstream: see
    ``official_tests_complete``)."""
    return [encode_test(f"official-{number}", inp, out, origin="official")
            for number, (inp, out) in enumerate(_as_pairs(value), start=1)]


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
    contest is first asked for. A few contests stay in memory, as open-r1's own loader does,
    because problems arrive grouped by contest."""

    def __init__(self, folder: Path, keep_contests: int = 8) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise FileNotFoundError(f"generated tests folder not found: {self.folder}")
        self.keep = keep_contests
        self._cache: OrderedDict[int, dict[str, list[tuple[str, str | None]]]] = OrderedDict()

    def path_for(self, contest_id: int) -> Path:
        return self.folder / f"test_cases_{contest_id:04d}.parquet"

    def _contest(self, contest_id: int) -> dict[str, list[tuple[str, str | None]]]:
        if contest_id in self._cache:
            self._cache.move_to_end(contest_id)
            return self._cache[contest_id]
        by_problem: dict[str, list[tuple[str, str | None]]] = {}
        path = self.path_for(contest_id)
        if path.is_file():
            table = read_parquet_table(path, columns=["problem_id", "input", "output"])
            for pid, inp, out in zip(*(table.column(c).to_pylist() for c in ("problem_id", "input", "output"))):
                by_problem.setdefault(pid, []).append((inp, out))
        self._cache[contest_id] = by_problem
        while len(self._cache) > self.keep:
            self._cache.popitem(last=False)
        return by_problem

    def tests_for(self, problem_id: str) -> list[TestCase]:
        contest = int(problem_id.split("/", 1)[0])
        pairs = self._contest(contest).get(problem_id, [])
        return [encode_test(f"generated-{number}", inp, out, origin="generated")
                for number, (inp, out) in enumerate(pairs, start=1)]


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

"""Verification state in SQLite: what has been judged, under exactly which conditions.

A result is keyed by problem, test-set hash, language, code hash, limits, toolchain version
and judging options, so a rerun reuses a verdict only when every one of those is the same.
Each result is committed on its own in WAL mode: a run killed with ``kill -9`` keeps every
verdict it had reported, and a rerun judges only what is missing. Identical candidates share
one key, so they are judged once however often they appear.

JUDGE_ERROR (the judge or the sandbox failed, not the program) is kept apart in ``errors``
and never counts as done: a rerun tries those candidates again.

A state file that SQLite cannot read (not a database, a damaged page, another schema, a
stored result that no longer parses) raises `StoreError`, one line naming the file (and
the result's key) and what to do: the store is a cache of verdicts, so starting a new one
costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sandbox.result import TestResult

__all__ = ["ResultKey", "StoreError", "StoredResult", "VerdictStore", "STORE_SCHEMA"]

STORE_SCHEMA = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    problem_id TEXT NOT NULL, testset_hash TEXT NOT NULL, language TEXT NOT NULL, code_hash TEXT NOT NULL,
    limits TEXT NOT NULL, toolchain TEXT NOT NULL, options TEXT NOT NULL,
    verdict TEXT NOT NULL, body TEXT NOT NULL, judged_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS results_problem ON results (problem_id);
CREATE TABLE IF NOT EXISTS judgements (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, verdict TEXT NOT NULL, at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS errors (
    key TEXT PRIMARY KEY, problem_id TEXT NOT NULL, reason TEXT NOT NULL, body TEXT NOT NULL, at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS outputs (folder TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, at REAL NOT NULL);
"""


class ResultKey(BaseModel):
    """Everything a verdict depends on."""

    model_config = ConfigDict(frozen=True)

    problem_id: str
    testset_hash: str
    language: str
    code_hash: str
    limits: str
    toolchain: str
    options: str

    @property
    def digest(self) -> str:
        parts = (self.problem_id, self.testset_hash, self.language, self.code_hash, self.limits, self.toolchain,
                 self.options)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class StoredResult(BaseModel):
    """A finished judgement of one distinct candidate. Its tests are the judge's own
    `TestResult`s (times rounded, messages cut short); a body stored before they carried
    ``points`` still loads, with none."""

    key: ResultKey
    verdict: str
    score: float = 0.0
    passed: int = 0
    total: int = 0
    message: str = ""
    compile_diagnostics: str = ""
    tests: list[TestResult] = Field(default_factory=list)
    elapsed: float = Field(0.0, description="wall seconds this judgement took")
    backend: str = ""
    judged_at: float = Field(default_factory=time.time)

    max_cpu_time: float = Field(0.0, description="the slowest test's CPU seconds (kept when `tests` is dropped)")
    max_memory: int = Field(0, description="the largest test's peak memory, KiB (kept when `tests` is dropped)")

    @model_validator(mode="after")
    def _maxima(self) -> StoredResult:
        if self.tests:
            self.max_cpu_time = max(t.cpu_time for t in self.tests)
            self.max_memory = max(t.memory for t in self.tests)
        return self

    def without_tests(self) -> StoredResult:
        """This result without its per-test list, which is most of its size: what a run keeps
        in memory once the result is in the store (rows read the tests back: `tests_of`)."""
        return self.model_copy(update={"tests": []})


class StoreError(RuntimeError):
    """The state file cannot be used; the message names it and says how to go on."""


_FRESH_START = "move it aside or pass another --state (its verdicts are then judged again)"


class VerdictStore:
    """One SQLite file; use from one thread (the pipeline commits from its main thread)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create its folder: {exc.strerror or exc}") from None
        with self._guard("cannot open the verdict store"):
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable against a killed process (the WAL is in the OS's hands at
            # commit); only a power cut could lose the last commits.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(STORE_SCHEMA),))
            elif str(row[0]) != str(STORE_SCHEMA):
                self.close()
                raise StoreError(f"{self.path}: verdict store schema {row[0]!s:.20}, this cpforge reads "
                                 f"{STORE_SCHEMA}; {_FRESH_START}")

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """SQLite's errors as a StoreError naming this file. OperationalError (a locked
        or unwritable file, a full disk) is a DatabaseError too, and as fatal here."""
        try:
            yield
        except sqlite3.Error as exc:
            self.close()
            busy = isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)
            hint = "is another build-dataset run using it?" if busy else _FRESH_START
            raise StoreError(f"{self.path}: {doing}: {exc}; {hint}") from None

    def _load(self, digest: str, body: str, key: ResultKey | None = None) -> StoredResult:
        """A stored body (`key` given: a result, stored without its key; else a judge
        error, stored whole), or a StoreError naming the row's key."""
        try:
            if key is None:
                return StoredResult.model_validate_json(body)
            return StoredResult.model_validate({**json.loads(body), "key": key})
        except (ValueError, TypeError, ValidationError) as exc:  # JSONDecodeError is a ValueError
            first = " ".join(str(exc).split())[:200]
            raise StoreError(f"{self.path}: stored result {digest[:12]} is unreadable ({first}); "
                             f"{_FRESH_START}") from None

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()

    def __enter__(self) -> VerdictStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ results
    def put(self, result: StoredResult) -> None:
        """Record a finished judgement; committed before this returns."""
        key = result.key
        digest = key.digest
        with self._guard("cannot record a verdict"), self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (digest, key.problem_id, key.testset_hash, key.language, key.code_hash, key.limits, key.toolchain,
                 key.options, result.verdict, result.model_dump_json(exclude={"key"}), result.judged_at),
            )
            self.db.execute("INSERT INTO judgements (key, verdict, at) VALUES (?,?,?)",
                            (digest, result.verdict, result.judged_at))
            self.db.execute("DELETE FROM errors WHERE key=?", (digest,))

    def put_error(self, result: StoredResult, reason: str) -> None:
        """Record an infrastructure failure; the candidate stays pending."""
        digest = result.key.digest
        with self._guard("cannot record a judge error"), self.db:
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT INTO errors (key, problem_id, reason, body, at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(key) DO UPDATE SET reason=excluded.reason, body=excluded.body, at=excluded.at, "
                "attempts=attempts+1",
                (digest, result.key.problem_id, reason, result.model_dump_json(), time.time()),
            )

    def get_many(self, keys: Iterable[ResultKey], *, with_tests: bool = True) -> dict[str, StoredResult]:
        """Finished results for these keys, by digest; without their tests (`without_tests`)
        unless asked, so a big run's stored results are never all in memory whole."""
        by_digest = {key.digest: key for key in keys}
        found: dict[str, StoredResult] = {}
        digests = list(by_digest)
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            marks = ",".join("?" * len(chunk))
            with self._guard("cannot read stored verdicts"):
                rows = self.db.execute(f"SELECT key, body FROM results WHERE key IN ({marks})", chunk).fetchall()
            for digest, body in rows:
                result = self._load(digest, body, by_digest[digest])
                found[digest] = result if with_tests else result.without_tests()
        return found

    def tests_of(self, keys: Iterable[ResultKey]) -> dict[str, list[TestResult]]:
        """The per-test results of these keys' finished judgements, by digest."""
        return {digest: result.tests for digest, result in self.get_many(keys).items()}

    # ------------------------------------------------------------------ notes
    def get_meta(self, name: str) -> str | None:
        """A note a run left for the next one (see verify.py's Ray memo)."""
        with self._guard("cannot read the store's notes"):
            row = self.db.execute("SELECT value FROM meta WHERE name=?", (f"note:{name}",)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self._guard("cannot record a note in the store"), self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (f"note:{name}", value))

    # ------------------------------------------------------------------ accounting
    def count_results(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM results").fetchone()[0]

    def count_judgements(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM judgements").fetchone()[0]

    def judged_twice(self) -> list[str]:
        """Keys judged more than once to completion (should stay empty)."""
        return [row[0] for row in self.db.execute("SELECT key FROM judgements GROUP BY key HAVING COUNT(*) > 1")]

    # ------------------------------------------------------------------ outputs
    def output_fingerprint(self, folder: Path) -> str | None:
        with self._guard("cannot read the output fingerprint"):
            row = self.db.execute("SELECT fingerprint FROM outputs WHERE folder=?",
                                  (str(folder.resolve()),)).fetchone()
        return row[0] if row else None

    def set_output_fingerprint(self, folder: Path, fingerprint: str) -> None:
        with self._guard("cannot record the output fingerprint"), self.db:
            self.db.execute("INSERT OR REPLACE INTO outputs VALUES (?,?,?)",
                            (str(folder.resolve()), fingerprint, time.time()))

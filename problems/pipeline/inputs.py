"""Problem sources: the scraper's output, open-r1/codeforces-format datasets, cpforge's own
``problems`` config, problem directories and Polygon packages, all turned into
`problems.model.Problem` records with their tests.

Rows of every file go through one reader, `problem_from_row`: the scraper's rows are
open-r1-shaped rows without tests, so no format needs guessing from a file's columns and
users pass paths, never a format flag. Anything that cannot become a problem is listed in
``skipped`` with its reason instead of vanishing.

Rows are read one batch at a time, and the tests they carry go to a `TestSpool` as each row
becomes a problem: what stays in memory per problem is its record and its tests' paths, so
a run's memory does not grow with its test data (see tests_source.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from problems.model import Problem, ProblemRecord, split_problem_id
from problems.pipeline.shelf import ProblemShelf
from problems.pipeline.tables import InputError, display_name, read_located_rows, value_kind
from problems.pipeline.tests_source import (DirectoryTests, GeneratedTests, TestSpool, checker_from_generated,
                                            default_spool, directory_tests, merge_tests, official_tests,
                                            problem_id_from_name, statement_tests)
from sandbox.judge.model import JudgeProblem, TestCase

__all__ = ["LoadedProblems", "TestSources", "attach_tests", "load_problems", "problem_from_directory",
           "problem_from_row"]

_RECORD_FIELDS = tuple(ProblemRecord.model_fields)


class LoadedProblems(BaseModel):
    """Problems keyed by id, plus what could not be loaded and why."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    entries: ProblemShelf = Field(default_factory=ProblemShelf, description="id -> problem, stored compressed: "
                                  "a problem read from it is a copy, kept only when stored again")
    aliases: dict[str, str] = Field(default_factory=dict, description="alias id -> canonical id")
    skipped: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Add a problem; a second record of the same id lends it its tests and checker
        (a scraped statement plus open-r1's tests of the same problem, say)."""
        existing = self.entries.get(problem.id)
        if existing is not None:
            self._merge(existing, problem)
            self.entries[problem.id] = existing
            return
        self.entries[problem.id] = problem
        for alias in problem.aliases:
            self.aliases.setdefault(alias, problem.id)

    @staticmethod
    def _merge(existing: Problem, problem: Problem) -> None:
        """A second record of the same problem lends the first its tests, checker, interactor and notes."""
        existing.tests = merge_tests(existing.tests, problem.tests)
        if existing.checker.type == "tokens" and problem.checker.type != "tokens":
            existing.checker = problem.checker
        if existing.interactor is None and problem.interactor is not None:
            existing.interactor = problem.interactor
        if existing.official_tests_complete is None:
            existing.official_tests_complete = problem.official_tests_complete
        existing.editorial = existing.editorial or problem.editorial
        existing.source = f"{existing.source} + {problem.source}"

    def resolve_id(self, problem_id: str | None) -> str | None:
        """The id under which a candidate's problem id (an alias, ``1715A`` for ``1715/A``)
        is stored, without decoding the problem."""
        if problem_id is None:
            return None
        for pid in (problem_id.strip(), problem_id_from_name(problem_id.strip()) if "/" not in problem_id else None):
            if pid is None:
                continue
            if pid in self.entries:
                return pid
            alias = self.aliases.get(pid)
            if alias is not None and alias in self.entries:
                return alias
        return None

    def resolve(self, problem_id: str | None) -> Problem | None:
        pid = self.resolve_id(problem_id)
        return self.entries[pid] if pid is not None else None

    def attach(self, sources: TestSources) -> None:
        """Attach the extra test sources to every problem and store each once with its
        test-set hash computed (it reads every test's bytes; a decoded problem then brings
        it along) and its `ProblemFacts` noted."""
        for pid in list(self.entries):
            problem = self.entries[pid]
            attach_tests(problem, sources)
            if problem.tests:
                problem.testset_hash  # noqa: B018 - cached on the problem, then stored with it
            self.entries[pid] = problem
            self.entries.facts(pid)  # from the copy just stored, which is still decoded


class TestSources(BaseModel):
    """Extra test sources applied to every problem, whatever file it came from."""

    __test__ = False
    model_config = ConfigDict(arbitrary_types_allowed=True)

    generated: GeneratedTests | None = None
    directories: list[DirectoryTests] = Field(default_factory=list)


def _record_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The record columns of a row, tolerating open-r1's looser rows: no ``interactive``
    column, ids without their parts, a numeric ``contest_id``, null or partial examples."""
    fields = {key: row[key] for key in _RECORD_FIELDS if key in row and row[key] is not None}
    if "interactive" not in fields and row.get("interaction_format"):
        fields["interactive"] = True
    if "id" in fields and ("contest_id" not in fields or "index" not in fields):
        contest, index = split_problem_id(fields["id"])
        fields.setdefault("contest_id", contest)
        fields.setdefault("index", index)
    if "contest_id" in fields:
        fields["contest_id"] = str(fields["contest_id"])
    if "examples" in fields:
        fields["examples"] = [e for e in fields["examples"] if e and e.get("input") is not None
                              and e.get("output") is not None]
    fields.setdefault("title", fields.get("id", ""))
    return fields


_ORIGIN_BY_PREFIX = {"sample": "statement", "official": "official", "generated": "generated"}


def _verified_tests(info: Any, problem_id: str, spool: TestSpool) -> tuple[list[TestCase], JudgeProblem]:
    """A ``verification_info`` (a cpforge dataset's ``problems`` config): its tests, checker
    and I/O mode come back exactly as they were verified (the data spooled, which changes
    no hash). Test names written by cpforge (``sample-1``, ``official-2``...) give back
    their provenance."""
    from sandbox.judge.formats.verification import problem_from_verification_info

    judge = problem_from_verification_info(info, name=problem_id)
    tests = [spool.spooled(test.model_copy(update={
        "origin": _ORIGIN_BY_PREFIX.get(test.name.split("-", 1)[0], "directory")})) for test in judge.tests]
    return tests, judge


def problem_from_row(row: dict[str, Any], source: str, spool: TestSpool | None = None) -> Problem:
    """One row of problems: the scraper's (statement samples only), open-r1/codeforces's
    (samples, ``official_tests``, ``generated_checker``, ``input_mode``; generated tests are
    attached later) or cpforge's ``problems`` config, whose ``verification_info`` gives the
    tests instead. Test data goes to ``spool`` (default: the process's)."""
    spool = spool or default_spool()
    fields = _record_from_row(row)
    pipeline: dict[str, Any] = {"source": source, "official_tests_complete": row.get("official_tests_complete"),
                                "editorial": row.get("editorial")}
    if row.get("verification_info"):
        tests, judge = _verified_tests(row["verification_info"], str(fields.get("id", "")), spool)
        for flat in ("input_mode", "input_file", "output_file"):
            fields.pop(flat, None)
        return Problem.model_validate({**fields, **pipeline, "tests": tests, "checker": judge.checker,
                                       "interactor": judge.interactor, "input_mode": judge.input_mode})
    problem = Problem.model_validate({**fields, **pipeline})
    problem.tests = merge_tests(statement_tests(problem), official_tests(row.get("official_tests"), spool))
    checker = checker_from_generated(row.get("generated_checker"))
    if checker is not None:
        problem.checker = checker
    return problem


def problem_from_directory(path: Path, record: Problem | None = None,
                           judge_problem: JudgeProblem | None = None) -> Problem:
    """A cpforge problem directory or Polygon package, with its tests, checker, interactor
    and I/O mode. Without a record the id comes from the directory name (``1715A``,
    ``1715-A``) and the statement is unknown."""
    from sandbox.judge import load_problem

    loaded = judge_problem or load_problem(path)
    if record is None:
        pid = problem_id_from_name(path.name) or problem_id_from_name(loaded.name)
        if pid is None:
            raise InputError(f"{path}: cannot tell its Codeforces id; name the directory like 1715A or 1715-A")
        contest, index = split_problem_id(pid)
        record = Problem(id=pid, contest_id=contest, index=index, title=loaded.name, time_limit=loaded.time_limit,
                         memory_limit=loaded.memory_limit, interactive=loaded.interactive,
                         input_mode=loaded.input_mode)
    return record.model_copy(update={
        "tests": merge_tests(directory_tests(loaded), statement_tests(record)), "checker": loaded.checker,
        "interactor": loaded.interactor, "input_mode": loaded.input_mode, "source": display_name(path)})


def _is_problem_dir(path: Path) -> bool:
    return (path / "problem.json").is_file() or (path / "problem.xml").is_file()


def _problems_from_rows(rows: Iterable[tuple[str, int, Any]], source: str, loaded: LoadedProblems,
                        spool: TestSpool) -> None:
    """Rows as `read_located_rows` gives them; one that cannot become a problem is listed
    in `skipped` by its id, or by file and row when it has no usable id."""
    for where, number, row in rows:
        if not isinstance(row, dict):
            loaded.skipped.append(f"{where} row {number}: not an object but {value_kind(row)}")
            continue
        try:
            loaded.add(problem_from_row(row, source, spool))
        except ValidationError as exc:
            loaded.skipped.append(f"{_row_name(row, source, where, number)}: {_first_error(exc)}")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            loaded.skipped.append(f"{_row_name(row, source, where, number)}: {str(exc).splitlines()[0]}")


def _row_name(row: dict[str, Any], source: str, where: str, number: int) -> str:
    ident = row.get("id")
    return f"{ident} from {source}" if isinstance(ident, str) and ident else f"{where} row {number}"


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


def _load_one(spec: str, loaded: LoadedProblems, *, config: str | None, split: str | None,
              spool: TestSpool) -> Path | None:
    """Load one problem source; returns a generated-tests folder found beside it."""
    path = Path(spec)
    if path.is_dir() and _is_problem_dir(path):
        loaded.add(problem_from_directory(path))
        return None
    children = sorted(p for p in path.iterdir() if p.is_dir() and _is_problem_dir(p)) if path.is_dir() else []
    if children and config is None:
        for child in children:
            try:
                loaded.add(problem_from_directory(child))
            except (InputError, ValueError) as exc:
                loaded.skipped.append(f"{child}: {exc}")
        return None
    _problems_from_rows(read_located_rows(spec, config=config, split=split), display_name(spec), loaded, spool)
    beside = path / "generated_tests" if path.is_dir() else None
    return beside if beside is not None and beside.is_dir() else None


def attach_tests(problem: Problem, sources: TestSources) -> None:
    """Add generated tests and directory tests to a problem, once each."""
    groups: list[list[TestCase]] = [problem.tests]
    if sources.generated is not None and not problem.count("generated"):
        groups.append(sources.generated.tests_for(problem.id))
    for directories in sources.directories:
        judge_problem = directories.load(problem.id)
        if judge_problem is not None:
            groups.append(directory_tests(judge_problem))
            if judge_problem.checker.type != "tokens" and problem.checker.type == "tokens":
                problem.checker = judge_problem.checker
            if judge_problem.interactor is not None and problem.interactor is None:
                problem.interactor = judge_problem.interactor
    if len(groups) > 1:
        problem.tests = merge_tests(*groups)


def load_problems(specs: Iterable[str], *, config: str | None = None, split: str | None = None,
                  generated_tests: Path | None = None, test_dirs: Iterable[Path] = (),
                  spool: TestSpool | None = None) -> LoadedProblems:
    """Load every problem source and attach the extra test sources to each problem; test
    data read from rows goes to ``spool`` (default: the process's, kept until it exits)."""
    spool = spool or default_spool()
    loaded = LoadedProblems()
    found_generated: Path | None = None
    for spec in specs:
        loaded.sources.append(str(spec))
        beside = _load_one(str(spec), loaded, config=config, split=split, spool=spool)
        found_generated = found_generated or beside
    folder = generated_tests or found_generated
    sources = TestSources(generated=GeneratedTests(folder, spool=spool) if folder else None,
                          directories=[DirectoryTests(Path(d)) for d in test_dirs])
    loaded.attach(sources)
    return loaded


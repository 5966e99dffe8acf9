"""Problem sources: scraper output, open-r1/codeforces-format datasets, problem directories
and Polygon packages, all turned into `ProblemEntry` records with their tests.

The format of a file is recognised from its columns (open-r1 rows carry ``official_tests``
or ``generated_checker``; the scraper's carry ``source_urls``), so users pass paths and
never a format flag. Anything that cannot become a problem is reported in ``notes`` with
its reason instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from problems.model import Problem, split_problem_id
from problems.pipeline.model import CollectedTest, ProblemEntry
from problems.pipeline.tables import (InputError, display_name, read_located_rows, read_parquet_schema, read_rows,
                                      value_kind)
from problems.pipeline.tests_source import (DirectoryTests, GeneratedTests, checker_from_generated, directory_tests,
                                            input_mode_for, merge_tests, official_tests, problem_id_from_name,
                                            statement_tests)
from sandbox.judge.model import FileIO, JudgeProblem

__all__ = ["LoadedProblems", "TestSources", "attach_tests", "entry_from_directory", "entry_from_open_r1_row",
           "load_problems"]

_PROBLEM_FIELDS = set(Problem.model_fields)
_OPEN_R1_MARKERS = {"official_tests", "generated_checker", "official_tests_complete", "testset_size",
                    "generated_tests", "executable"}


class LoadedProblems(BaseModel):
    """Problems keyed by id, plus what could not be loaded and why."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    entries: dict[str, ProblemEntry] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict, description="alias id -> canonical id")
    skipped: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    def add(self, entry: ProblemEntry) -> None:
        """Add a problem; a second record of the same id lends it its tests and checker
        (a scraped statement plus open-r1's tests of the same problem, say)."""
        existing = self.entries.get(entry.id)
        if existing is not None:
            existing.tests = merge_tests(existing.tests, entry.tests)
            if existing.checker.type == "tokens" and entry.checker.type != "tokens":
                existing.checker = entry.checker
            if existing.interactor is None and entry.interactor is not None:
                existing.interactor = entry.interactor
            if existing.official_tests_complete is None:
                existing.official_tests_complete = entry.official_tests_complete
            existing.editorial = existing.editorial or entry.editorial
            existing.source = f"{existing.source} + {entry.source}"
            existing.changed()
            return
        self.entries[entry.id] = entry
        for alias in entry.problem.aliases:
            self.aliases.setdefault(alias, entry.id)

    def resolve(self, problem_id: str | None) -> ProblemEntry | None:
        if problem_id is None:
            return None
        pid = problem_id.strip()
        entry = self.entries.get(pid) or self.entries.get(self.aliases.get(pid, ""))
        if entry is None and "/" not in pid:
            guessed = problem_id_from_name(pid)  # "1715A" as cots-style rows sometimes write it
            if guessed is not None:
                entry = self.entries.get(guessed) or self.entries.get(self.aliases.get(guessed, ""))
        return entry


class TestSources(BaseModel):
    """Extra test sources applied to every problem, whatever file it came from."""

    __test__ = False
    model_config = ConfigDict(arbitrary_types_allowed=True)

    generated: GeneratedTests | None = None
    directories: list[DirectoryTests] = Field(default_factory=list)


def _problem_from_row(row: dict[str, Any]) -> Problem:
    fields = {key: row[key] for key in _PROBLEM_FIELDS if key in row and row[key] is not None}
    if row.get("input_mode") == "file" and not (fields.get("input_file") or fields.get("output_file")):
        fields["input_file"], fields["output_file"] = "input.txt", "output.txt"
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
    return Problem.model_validate(fields)


_ORIGIN_BY_PREFIX = {"sample": "statement", "official": "official", "generated": "generated"}


def _entry_from_verification_info(problem: Problem, info: Any, source: str) -> ProblemEntry:
    """A row that carries ``verification_info`` (a cpforge dataset's ``problems`` config):
    its tests, checker and I/O mode come back exactly as they were verified. Test names
    written by cpforge (``sample-1``, ``official-2``...) give back their provenance."""
    from sandbox.judge.formats.verification import problem_from_verification_info

    judge_problem = problem_from_verification_info(info, name=problem.id)
    tests = directory_tests(judge_problem)
    tests = [t.model_copy(update={"origin": _ORIGIN_BY_PREFIX.get(t.name.split("-", 1)[0], "directory")})
             for t in tests]
    return ProblemEntry(problem=problem, tests=tests, checker=judge_problem.checker,
                        interactor=judge_problem.interactor, input_mode=judge_problem.input_mode, source=source)


def entry_from_open_r1_row(row: dict[str, Any], source: str) -> ProblemEntry:
    """One open-r1/codeforces row: statement samples, ``official_tests``,
    ``generated_checker`` and ``input_mode`` (generated tests are attached later). A row
    with a ``verification_info`` column takes its tests from there instead."""
    problem = _problem_from_row(row)
    if row.get("verification_info"):
        entry = _entry_from_verification_info(problem, row["verification_info"], source)
        entry.official_tests_complete = row.get("official_tests_complete")
        entry.editorial = row.get("editorial")
        return entry
    tests = merge_tests(statement_tests(problem), official_tests(row.get("official_tests")))
    checker = checker_from_generated(row.get("generated_checker"))
    entry = ProblemEntry(problem=problem, tests=tests, source=source,
                         input_mode=input_mode_for(problem, row.get("input_mode")),
                         official_tests_complete=row.get("official_tests_complete"),
                         editorial=row.get("editorial"))
    if checker is not None:
        entry.checker = checker
    return entry


def entry_from_problem(problem: Problem, source: str) -> ProblemEntry:
    """A scraped problem: its statement examples are its only tests until others attach."""
    return ProblemEntry(problem=problem, tests=statement_tests(problem), source=source,
                        input_mode=input_mode_for(problem))


def entry_from_directory(path: Path, problem: Problem | None = None,
                         judge_problem: JudgeProblem | None = None) -> ProblemEntry:
    """A cpforge problem directory or Polygon package. Without a `Problem` record the id
    comes from the directory name (``1715A``, ``1715-A``); the statement is unknown."""
    from sandbox.judge import load_problem

    loaded = judge_problem or load_problem(path)
    if problem is None:
        pid = problem_id_from_name(path.name) or problem_id_from_name(loaded.name)
        if pid is None:
            raise InputError(f"{path}: cannot tell its Codeforces id; name the directory like 1715A or 1715-A")
        contest, index = split_problem_id(pid)
        fields: dict[str, Any] = dict(id=pid, contest_id=contest, index=index, title=loaded.name,
                                      time_limit=loaded.time_limit, memory_limit=loaded.memory_limit,
                                      interactive=loaded.interactive)
        if isinstance(loaded.input_mode, FileIO):
            fields.update(input_mode="file", input_file=loaded.input_mode.input, output_file=loaded.input_mode.output)
        problem = Problem.model_validate(fields)
    tests = merge_tests(directory_tests(loaded), statement_tests(problem))
    return ProblemEntry(problem=problem, tests=tests, checker=loaded.checker, interactor=loaded.interactor,
                        input_mode=loaded.input_mode, source=display_name(path))


def _is_problem_dir(path: Path) -> bool:
    return (path / "problem.json").is_file() or (path / "problem.xml").is_file()


def _rows_are_scraper_output(path: Path) -> bool:
    """The scraper's own files (read with its reader) vs open-r1-style rows."""
    if path.suffix.lower() in (".parquet", ".pq"):
        names = set(read_parquet_schema(path))
    else:
        first: Any = next(iter(read_rows(path)), {})
        names = set(first) if isinstance(first, dict) else set()
    return "source_urls" in names and not (names & _OPEN_R1_MARKERS)


def _entries_from_rows(rows: Iterable[tuple[str, int, Any]], source: str, loaded: LoadedProblems) -> None:
    """Rows as `read_located_rows` gives them; one that cannot become a problem is listed
    in `skipped` by its id, or by file and row when it has no usable id."""
    for where, number, row in rows:
        if not isinstance(row, dict):
            loaded.skipped.append(f"{where} row {number}: not an object but {value_kind(row)}")
            continue
        try:
            loaded.add(entry_from_open_r1_row(row, source))
        except (ValidationError, ValueError, KeyError, TypeError, AttributeError) as exc:
            ident = row.get("id")
            named = f"{ident} from {source}" if isinstance(ident, str) and ident else f"{where} row {number}"
            loaded.skipped.append(f"{named}: {str(exc).splitlines()[0]}")


def _entries_from_scraper_rows(path: Path, loaded: LoadedProblems) -> None:
    """The scraper's own file, row by row (codeforces.output.read_problems would stop at
    the first bad row without saying which), through the reader that names a damaged file."""
    source = display_name(path)
    for number, row in enumerate(read_rows(path)):
        try:
            problem = Problem.model_validate(row)
        except ValidationError as exc:
            ident = row.get("id") if isinstance(row, dict) else None
            named = f"{ident} from {source}" if isinstance(ident, str) and ident else f"{path} row {number}"
            loaded.skipped.append(f"{named}: {_first_error(exc)}")
            continue
        loaded.add(entry_from_problem(problem, source))


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


def _load_one(spec: str, loaded: LoadedProblems, *, config: str | None, split: str | None) -> Path | None:
    """Load one problem source; returns a generated-tests folder found beside it."""
    path = Path(spec)
    if path.is_dir() and _is_problem_dir(path):
        loaded.add(entry_from_directory(path))
        return None
    children = sorted(p for p in path.iterdir() if p.is_dir() and _is_problem_dir(p)) if path.is_dir() else []
    if children and config is None:
        for child in children:
            try:
                loaded.add(entry_from_directory(child))
            except (InputError, ValueError) as exc:
                loaded.skipped.append(f"{child}: {exc}")
        return None
    if path.is_file() and _rows_are_scraper_output(path):
        _entries_from_scraper_rows(path, loaded)
        return None
    _entries_from_rows(read_located_rows(spec, config=config, split=split), display_name(spec), loaded)
    beside = path / "generated_tests" if path.is_dir() else None
    return beside if beside is not None and beside.is_dir() else None


def attach_tests(entry: ProblemEntry, sources: TestSources) -> None:
    """Add generated tests and directory tests to a problem, once each."""
    groups: list[list[CollectedTest]] = [entry.tests]
    if sources.generated is not None and not entry.count("generated"):
        groups.append(sources.generated.tests_for(entry.id))
    for directories in sources.directories:
        judge_problem = directories.load(entry.id)
        if judge_problem is not None:
            groups.append(directory_tests(judge_problem))
            if judge_problem.checker.type != "tokens" and entry.checker.type == "tokens":
                entry.checker = judge_problem.checker
            if judge_problem.interactor is not None and entry.interactor is None:
                entry.interactor = judge_problem.interactor
    if len(groups) > 1:
        entry.tests = merge_tests(*groups)
    entry.changed()


def load_problems(specs: Iterable[str], *, config: str | None = None, split: str | None = None,
                  generated_tests: Path | None = None, test_dirs: Iterable[Path] = ()) -> LoadedProblems:
    """Load every problem source and attach the extra test sources to each problem."""
    loaded = LoadedProblems()
    found_generated: Path | None = None
    for spec in specs:
        loaded.sources.append(str(spec))
        beside = _load_one(str(spec), loaded, config=config, split=split)
        found_generated = found_generated or beside
    folder = generated_tests or found_generated
    sources = TestSources(generated=GeneratedTests(folder) if folder else None,
                          directories=[DirectoryTests(Path(d)) for d in test_dirs])
    for entry in loaded.entries.values():
        attach_tests(entry, sources)
    return loaded


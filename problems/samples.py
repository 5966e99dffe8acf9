"""The bundled sample set: small Codeforces-style problems that ship with cpforge.

They are the embedded default of ``build-dataset run``, so a fresh machine with no network
can build (and judge) a dataset end to end. Each problem lives in
``problems/bundled/<slug>/``:

    problem.json            limits, checker, interactor (``sandbox.judge.load_problem``)
    codeforces.json         the statement, a ``problems.model.Problem`` record
    tests/NAME.in|.out      samples and generated tests
    checker.* interactor.*  when the problem needs one
    solutions/manifest.json candidate solutions with their expected verdicts
    gen.py                  the deterministic generator of tests/ (not needed at run time)

The problems are original and use the fictional contests 990001, 990002, ... so their
ids can never clash with real Codeforces problems.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from sandbox.judge.model import JudgeProblem
from sandbox.languages import language_id
from sandbox.result import Verdict

from .model import Problem

__all__ = [
    "BundledProblem",
    "BundledSolution",
    "BundledSampleError",
    "Expected",
    "bundled_root",
    "load_bundled",
]

CODEFORCES_FILE = "codeforces.json"
PROBLEM_FILE = "problem.json"
SOLUTIONS_DIR = "solutions"
MANIFEST_FILE = "manifest.json"

# The judge's verdicts a manifest may expect (sandbox.result.Verdict, the same strings);
# never OLE, JUDGE_ERROR or SKIPPED.
Expected = Literal[Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.MLE, Verdict.RE, Verdict.CE]
# A language id of the registry (sandbox/languages), not an alias: manifests name languages canonically.
LanguageId = Annotated[str, AfterValidator(language_id)]


class BundledSampleError(ValueError):
    """A bundled problem directory is malformed; the message starts with the path."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class _ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    language: LanguageId
    expected: Expected
    author: str
    note: str


class BundledSolution(BaseModel):
    """One candidate solution and the verdict the judge must give it."""

    model_config = ConfigDict(frozen=True)

    file: str
    language: str
    expected: str
    author: str
    note: str
    code: str


class BundledProblem(BaseModel):
    """A bundled problem with its solutions: not a problem model of its own. ``problem`` is
    the one `Problem`, its statement from codeforces.json and its tests, checker and
    interactor from the directory (``problem.judge_problem()`` is what the judge grades);
    ``judge_dir`` is where it lives."""

    model_config = ConfigDict(frozen=True)

    slug: str
    problem: Problem
    judge_dir: Path
    solutions: list[BundledSolution]

    @property
    def references(self) -> list[BundledSolution]:
        return [s for s in self.solutions if s.expected == "AC" and s.author == "reference"]


def bundled_root() -> Path:
    """The ``problems/bundled`` directory of the installed package."""
    root = resources.files("problems") / "bundled"
    if not isinstance(root, Path):  # e.g. a zip import: the judge needs real files
        raise BundledSampleError(Path(str(root)), "the bundled problems are not on a filesystem")
    return root


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundledSampleError(path, "missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BundledSampleError(path, f"cannot read: {error}") from None
    except json.JSONDecodeError as error:
        raise BundledSampleError(path, f"invalid JSON: {error}") from None


def _validation_message(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors())


def _load_solutions(directory: Path) -> list[BundledSolution]:
    manifest_path = directory / SOLUTIONS_DIR / MANIFEST_FILE
    raw = _read_json(manifest_path)
    if not isinstance(raw, list):
        raise BundledSampleError(manifest_path, "expected a JSON list of solutions")
    solutions: list[BundledSolution] = []
    seen: set[str] = set()
    for position, item in enumerate(raw):
        try:
            entry = _ManifestEntry.model_validate(item)
        except ValidationError as error:
            raise BundledSampleError(manifest_path, f"entry {position}: {_validation_message(error)}") from None
        if entry.file in seen:
            raise BundledSampleError(manifest_path, f"entry {position}: {entry.file!r} is listed twice")
        seen.add(entry.file)
        if "/" in entry.file or "\\" in entry.file or entry.file.startswith("."):
            raise BundledSampleError(manifest_path, f"entry {position}: {entry.file!r} must be a plain file name")
        source = directory / SOLUTIONS_DIR / entry.file
        try:
            code = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BundledSampleError(source, "listed in the manifest but missing") from None
        except (OSError, UnicodeDecodeError) as error:
            raise BundledSampleError(source, f"cannot read: {error}") from None
        solutions.append(BundledSolution(**entry.model_dump(), code=code))
    return solutions


def _check_consistent(directory: Path, problem: Problem, judge: JudgeProblem) -> None:
    """codeforces.json must describe the same limits, I/O mode and interactivity as
    problem.json, which is what the judge enforces."""
    where = directory / CODEFORCES_FILE
    if problem.time_limit != judge.time_limit or problem.memory_limit != judge.memory_limit:
        raise BundledSampleError(where, f"limits {problem.time_limit} s / {problem.memory_limit} MB differ from "
                                        f"problem.json's {judge.time_limit} s / {judge.memory_limit} MB")
    if problem.interactive != judge.interactive:
        raise BundledSampleError(where, f"interactive={problem.interactive} but problem.json "
                                        f"{'has' if judge.interactive else 'has no'} interactor")
    if problem.input_mode != judge.input_mode:
        raise BundledSampleError(where, f"input_mode {problem.input_mode!r} differs from problem.json's "
                                        f"{judge.input_mode!r}")


def _load_one(directory: Path) -> BundledProblem:
    raw = _read_json(directory / CODEFORCES_FILE)
    try:
        problem = Problem.model_validate(raw)
    except ValidationError as error:
        raise BundledSampleError(directory / CODEFORCES_FILE, _validation_message(error)) from None
    if problem.time_limit is None or problem.memory_limit is None:
        raise BundledSampleError(directory / CODEFORCES_FILE, "time_limit and memory_limit are required")
    from problems.pipeline.inputs import problem_from_directory
    from sandbox.judge import ProblemFormatError, load_problem

    try:
        judge = load_problem(directory)
    except ProblemFormatError as error:
        raise BundledSampleError(directory / PROBLEM_FILE, str(error)) from None
    _check_consistent(directory, problem, judge)
    problem = problem_from_directory(directory, record=problem, judge_problem=judge)
    problem.source = f"bundled:{directory.name}"
    return BundledProblem(slug=directory.name, problem=problem, judge_dir=directory,
                          solutions=_load_solutions(directory))


def _id_key(problem_id: str) -> tuple[int, str]:
    contest, _, index = problem_id.partition("/")
    return int(contest), index


def load_bundled(root: Path | None = None) -> list[BundledProblem]:
    """Every bundled problem, sorted by problem id. A malformed entry raises
    ``BundledSampleError`` naming the offending file."""
    root = Path(root) if root is not None else bundled_root()
    if not root.is_dir():
        raise BundledSampleError(root, "bundled problems directory not found")
    problems = [_load_one(entry) for entry in sorted(root.iterdir())
                if entry.is_dir() and (entry / PROBLEM_FILE).is_file()]
    seen: dict[str, str] = {}
    for item in problems:
        if item.problem.id in seen:
            raise BundledSampleError(item.judge_dir / CODEFORCES_FILE,
                                     f"id {item.problem.id} is also used by {seen[item.problem.id]}")
        seen[item.problem.id] = item.slug
    return sorted(problems, key=lambda item: _id_key(item.problem.id))

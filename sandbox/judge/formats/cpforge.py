"""cpforge's own problem directory:

    problem.json            limits, checker, optional interactor, input_mode, samples
    tests/NAME.in           inputs
    tests/NAME.out          answers (optional only for interactive problems)

Tests run in natural name order (`2` before `10`). A test is a sample when its name is
listed in `samples` or, when `samples` is absent, when its name starts with `sample`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox.judge.checkers.specs import CheckerSpec, TokensSpec
from sandbox.judge.errors import ProblemFormatError
from sandbox.judge.model import InputMode, InteractorSpec, JudgeProblem, TestCase
from sandbox.judge.sources import read_source

PROBLEM_FILE = "problem.json"
TESTS_DIR = "tests"
INPUT_SUFFIX = ".in"
ANSWER_SUFFIX = ".out"


class ProblemConfig(BaseModel):
    """The format's own on-disk schema (problem.json), not a second problem model: it holds
    what the file says, and `load_cpforge_problem` turns it, with the scanned tests, into the
    judge's `JudgeProblem`. Unknown keys are errors, so a typo such as `timelimit` is reported
    instead of silently ignored. ``input_mode: "file"`` is open-r1's shorthand (`InputMode`)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    time_limit: float = Field(gt=0)
    memory_limit: int | float = Field(gt=0, description="MB; fractions allowed, down to 1 KB")
    checker: CheckerSpec = Field(default_factory=TokensSpec)
    interactor: InteractorSpec | None = None
    input_mode: InputMode = "stdio"
    samples: list[str] | None = None


def natural_key(name: str) -> tuple[Any, ...]:
    """Sort key that orders digit runs numerically: `2` < `10`, `t2` < `t10`."""
    parts = re.split(r"(\d+)", name)
    # Text and digit runs alternate, so element types line up position by position.
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts)), name


def _read_config(root: Path) -> ProblemConfig:
    path = root / PROBLEM_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ProblemFormatError(path, f"invalid JSON: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProblemFormatError(path, f"cannot read: {error}") from None
    try:
        return ProblemConfig.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
                             for e in error.errors())
        raise ProblemFormatError(path, f"invalid problem.json: {problems}") from None


def _scan_tests(root: Path, config: ProblemConfig, interactive: bool) -> list[TestCase]:
    tests_dir = root / TESTS_DIR
    if not tests_dir.is_dir():
        raise ProblemFormatError(tests_dir, "tests directory not found")
    inputs: dict[str, Path] = {}
    answers: dict[str, Path] = {}
    for entry in tests_dir.iterdir():
        if entry.name.endswith(INPUT_SUFFIX) and entry.is_file():
            inputs[entry.name[:-len(INPUT_SUFFIX)]] = entry
        elif entry.name.endswith(ANSWER_SUFFIX) and entry.is_file():
            answers[entry.name[:-len(ANSWER_SUFFIX)]] = entry
    if not inputs:
        raise ProblemFormatError(tests_dir, f"no tests (expected NAME{INPUT_SUFFIX} files)")
    orphans = sorted(set(answers) - set(inputs), key=natural_key)
    if orphans:
        raise ProblemFormatError(tests_dir / f"{orphans[0]}{ANSWER_SUFFIX}",
                                 f"answer without input {orphans[0]}{INPUT_SUFFIX}")
    if not interactive:
        missing = sorted(set(inputs) - set(answers), key=natural_key)
        if missing:
            raise ProblemFormatError(tests_dir / f"{missing[0]}{INPUT_SUFFIX}",
                                     f"test {missing[0]!r} has no answer "
                                     f"{missing[0]}{ANSWER_SUFFIX}")
    samples = set(config.samples or ())
    unknown = sorted(samples - set(inputs), key=natural_key)
    if unknown:
        raise ProblemFormatError(root / PROBLEM_FILE, f"samples name unknown tests: {unknown}")

    def is_sample(name: str) -> bool:
        if config.samples is not None:
            return name in samples
        return name.lower().startswith("sample")

    return [TestCase(name=name, input_path=inputs[name], answer_path=answers.get(name),
                     is_sample=is_sample(name))
            for name in sorted(inputs, key=natural_key)]


def load_cpforge_problem(root: Path) -> JudgeProblem:
    """Load a cpforge problem directory (see the module docstring for the layout)."""
    config = _read_config(root)
    checker = config.checker
    unloaded = checker.unloaded_source()
    if unloaded is not None:  # a program checker (of any registered kind) names its file
        checker = checker.with_code(read_source(root, unloaded, "checker"))
    interactor = config.interactor
    if interactor is not None and interactor.code is None:
        interactor = interactor.model_copy(update={"code": read_source(root, interactor.source,
                                                                       "interactor")})
    tests = _scan_tests(root, config, interactive=interactor is not None)
    try:
        return JudgeProblem(name=config.name or root.resolve().name,
                            time_limit=config.time_limit, memory_limit=config.memory_limit,
                            tests=tests, checker=checker, interactor=interactor,
                            input_mode=config.input_mode, root=root,
                            source_format="cpforge")
    except ValidationError as error:
        raise ProblemFormatError(root, f"invalid problem: {error}") from None

"""cpforge's `testset.json`: how a problem's tests are made and which solutions are known.

It sits beside `problem.json` rather than inside it because problem.json is the judge's
file and rejects unknown keys (a typo such as `timelimit` must fail loudly); the judge
never needs generators or tags, so they live in their own file, which the judge ignores.
The same schema describes a package to generate from and the directory `tests generate`
writes (which adds each test's name and digest and the test-set hash), so an output
directory can itself be regenerated. See docs/problem-format.md, "Generated tests"."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from problems.testsets.errors import TestsetError

TESTSET_FILE = "testset.json"


class ProgramRef(BaseModel):
    """A program of the package: its source relative to the problem directory; the
    language defaults to the one its extension says."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1)
    language: str | None = None


class GeneratorRef(ProgramRef):
    """A generator, called by `name` in test commands (`gen 200000 5 2`); the name
    defaults to the source's file name without its extension."""

    name: str | None = None

    @property
    def command_name(self) -> str:
        return self.name or Path(self.source).stem


class SolutionRef(ProgramRef):
    """A known solution and its tag (`main`, `accepted`, `wrong-answer`, ...)."""

    tag: str
    note: str | None = None


class TestEntry(BaseModel):
    """One test, in order: a `manual` one (the input `tests/NAME.in`) or a generated one
    (`cmd`, the generator's name and arguments; its stdout is the input). `name` and
    `sha256` (of the input) are written by `tests generate`; on input they are optional."""

    __test__ = False  # not a pytest test class, despite the name

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    manual: str | None = None
    cmd: str | None = None
    sample: bool | None = None
    sha256: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "TestEntry":
        if (self.manual is None) == (self.cmd is None):
            raise ValueError("give exactly one of manual, cmd")
        return self

    @property
    def label(self) -> str:
        return self.cmd if self.cmd is not None else f"manual {self.manual}"


class TestsetFile(BaseModel):
    """The whole file. `tests` absent means: every `tests/*.in`, manual, in natural order."""

    model_config = ConfigDict(extra="forbid")

    generators: list[GeneratorRef] = Field(default_factory=list)
    validator: ProgramRef | None = None
    resources: list[str] = Field(default_factory=list, description="headers placed beside compiled programs")
    solutions: list[SolutionRef] = Field(default_factory=list)
    tests: list[TestEntry] | None = None
    testset_hash: str | None = Field(default=None, description="written by tests generate")


def read_sidecar(root: Path) -> TestsetFile | None:
    """The directory's testset.json, or None when it has none."""
    path = root / TESTSET_FILE
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TestsetError(f"{path}: cannot read: {error}") from None
    try:
        return TestsetFile.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors())
        raise TestsetError(f"{path}: invalid {TESTSET_FILE}: {problems}") from None

"""cpforge's `testset.json`: how a problem's tests are made and which solutions are known.

It sits beside `problem.json` rather than inside it because problem.json is the judge's
file and rejects unknown keys (a typo such as `timelimit` must fail loudly); the judge
never needs generators or tags, so they live in their own file, which the judge ignores.
The same schema describes a package to generate from and the directory `tests generate`
writes (which adds each test's name and digest and the test-set hash), so an output
directory can itself be regenerated; `tests augment` also records, on each test it adds,
how that test was made (`augmented`), so the provenance travels with the tests it
describes. See docs/problem-format.md, "Generated tests"."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from problems.testsets.errors import TestsetError
from problems.testsets.mutate import Kind

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


class Augmented(BaseModel):
    """How `tests augment` made a test: one mutation of another test of the same directory,
    answered by a reference solution and agreed on by every known-correct one. It is all a
    reader needs to judge the test (or to make it again: the same inputs, solutions and seed
    give the same bytes); the test's `sha256` sits on the entry as for any test."""

    model_config = ConfigDict(extra="forbid")

    from_test: str = Field(min_length=1, description="name of the test it was mutated from, in this directory")
    mutation: Kind
    change: str = Field(min_length=1, description="the change in words, e.g. 'integer 2 of line 2: 5 -> 6'")
    seed: int = Field(description="the --seed of the run that picked the mutation")
    answer_by: str = Field(min_length=1, description="the reference solution that wrote the answer")
    agreed_by: list[str] = Field(min_length=1, description="every known-correct solution, each passing with it")
    k: int = Field(ge=1, description="the agreement the run required (--k)")

    @model_validator(mode="after")
    def _agreement(self) -> "Augmented":
        # Unanimity of at least K is the rule a test was kept by; a record that claims less
        # describes a test augment would never have written.
        if len(self.agreed_by) < self.k:
            raise ValueError(f"agreed_by lists {len(self.agreed_by)} solution(s), fewer than k = {self.k}")
        if self.answer_by not in self.agreed_by:
            raise ValueError("answer_by must be one of agreed_by")
        return self


class TestEntry(BaseModel):
    """One test, in order: a `manual` one (the input `tests/NAME.in`) or a generated one
    (`cmd`, the generator's name and arguments; its stdout is the input). `name` and
    `sha256` (of the input) are written by `tests generate`; on input they are optional.
    `augmented` is written by `tests augment` on the tests it added (stored as manual
    files, since no generator can make them again) and only on those."""

    __test__ = False  # not a pytest test class, despite the name

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    manual: str | None = None
    cmd: str | None = None
    sample: bool | None = None
    sha256: str | None = None
    augmented: Augmented | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "TestEntry":
        if (self.manual is None) == (self.cmd is None):
            raise ValueError("give exactly one of manual, cmd")
        if self.augmented is not None and self.manual is None:
            raise ValueError("an augmented test is a manual one (its input is a file)")
        return self

    @property
    def label(self) -> str:
        return self.cmd if self.cmd is not None else f"manual {self.manual}"


class TestsetFile(BaseModel):
    """The whole file. `tests` absent means: every `tests/*.in`, manual, in natural order."""

    __test__ = False  # not a pytest test class, despite the name

    model_config = ConfigDict(extra="forbid")

    generators: list[GeneratorRef] = Field(default_factory=list)
    validator: ProgramRef | None = None
    resources: list[str] = Field(default_factory=list, description="headers placed beside compiled programs")
    solutions: list[SolutionRef] = Field(default_factory=list)
    tests: list[TestEntry] | None = None
    testset_hash: str | None = Field(default=None, description="written by tests generate")

    @model_validator(mode="after")
    def _augmented_from_listed_tests(self) -> "TestsetFile":
        """An augmented test must name a test of this list as its origin, or its provenance
        points nowhere (a test renamed or removed by hand after augmenting)."""
        entries = self.tests or []
        known = {e.name for e in entries if e.name is not None} | {e.manual for e in entries if e.manual is not None}
        for index, entry in enumerate(entries, start=1):
            if entry.augmented is not None and entry.augmented.from_test not in known:
                raise ValueError(f"test {index}: augmented.from_test {entry.augmented.from_test!r} is not a test "
                                 "of this list")
        return self


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

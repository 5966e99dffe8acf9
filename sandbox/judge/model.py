"""The in-memory problem model shared by every layer: loaders build it from disk, other
layers (dataset builders, RL rewards) build it directly, and the judge consumes it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sandbox.judge.checkers.specs import CheckerSpec, ProgramCheckerSpec, PythonCheckerSpec, TokensSpec


def _plain_file_name(name: str | None) -> str | None:
    """File-I/O names are created inside the sandbox: no directories, no escapes."""
    if name is None:
        return None
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        raise ValueError(f"file name must be a plain name without directories, got {name!r}")
    return name


class FileIO(BaseModel):
    """File-I/O problems: the program reads `input` and writes `output` in its working
    directory. A side set to None uses standard input/output."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input: str | None = "input.txt"
    output: str | None = "output.txt"

    @field_validator("input", "output")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        return _plain_file_name(value)

    @model_validator(mode="after")
    def _not_both_stdio(self) -> "FileIO":
        if self.input is None and self.output is None:
            raise ValueError('both sides are standard streams: use input_mode "stdio"')
        return self


InputMode = Union[Literal["stdio"], FileIO]


class InteractorSpec(BaseModel):
    """An interactor in the testlib convention (`interactor input output`), wired to the
    solution's stdin/stdout by the judge. `code` is the source text, loaded from `source`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    language: str | None = None
    code: str | None = Field(default=None, repr=False)
    time_limit: float | None = Field(default=None, gt=0)
    memory_limit: int | None = Field(default=None, gt=0)


class TestCase(BaseModel):
    """One test. Data is held either in memory (`input_data`) or on disk (`input_path`,
    read on demand with `read_input`), so a package with gigabytes of tests costs nothing
    until a test runs. `answer` is optional only for interactive problems."""

    __test__ = False  # not a pytest test class, despite the name

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    is_sample: bool = False
    input_data: bytes | None = Field(default=None, repr=False)
    answer_data: bytes | None = Field(default=None, repr=False)
    input_path: Path | None = None
    answer_path: Path | None = None
    points: float | None = None

    @model_validator(mode="after")
    def _one_source_each(self) -> "TestCase":
        if (self.input_data is None) == (self.input_path is None):
            raise ValueError(f"test {self.name!r}: give exactly one of input_data, input_path")
        if self.answer_data is not None and self.answer_path is not None:
            raise ValueError(f"test {self.name!r}: give at most one of answer_data, answer_path")
        return self

    @classmethod
    def from_bytes(cls, name: str, input: bytes, answer: bytes | None,
                   is_sample: bool = False) -> "TestCase":
        return cls(name=name, input_data=input, answer_data=answer, is_sample=is_sample)

    @property
    def has_answer(self) -> bool:
        return self.answer_data is not None or self.answer_path is not None

    def read_input(self) -> bytes:
        if self.input_data is not None:
            return self.input_data
        assert self.input_path is not None
        return self.input_path.read_bytes()

    def read_answer(self) -> bytes | None:
        """The answer bytes; None when the test has none or its file has vanished (a
        checker then reports FAIL, never WA)."""
        if self.answer_data is not None:
            return self.answer_data
        if self.answer_path is None:
            return None
        try:
            return self.answer_path.read_bytes()
        except FileNotFoundError:
            return None


class JudgeProblem(BaseModel):
    """Everything the judge needs to grade a submission for one problem."""

    model_config = ConfigDict(frozen=True)

    name: str
    time_limit: float = Field(gt=0, description="seconds")
    # MB; a fraction is allowed (DMOJ's 1 KB "grace" tests), a whole number stays an int.
    memory_limit: int | float = Field(gt=0, description="MB")
    tests: list[TestCase]
    checker: CheckerSpec = Field(default_factory=TokensSpec)
    interactor: InteractorSpec | None = None
    input_mode: InputMode = "stdio"
    root: Path | None = Field(default=None, description="directory it was loaded from")
    source_format: Literal["cpforge", "polygon", "memory"] = "memory"

    @model_validator(mode="after")
    def _consistent(self) -> "JudgeProblem":
        names = [test.name for test in self.tests]
        if len(set(names)) != len(names):
            duplicates = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"duplicate test names: {duplicates}")
        if isinstance(self.checker, (ProgramCheckerSpec, PythonCheckerSpec)) \
                and self.checker.code is None:
            raise ValueError(f"checker {self.checker.source!r} has no code loaded")
        if self.interactor is not None and self.interactor.code is None:
            raise ValueError(f"interactor {self.interactor.source!r} has no code loaded")
        return self

    @property
    def interactive(self) -> bool:
        return self.interactor is not None

    @property
    def samples(self) -> list[TestCase]:
        return [test for test in self.tests if test.is_sample]

    def ordered_tests(self, samples_first: bool = True) -> list[TestCase]:
        """Tests in judging order: samples first (stable), then the rest in load order."""
        if not samples_first:
            return list(self.tests)
        return self.samples + [test for test in self.tests if not test.is_sample]

"""The judge's problem model, shared by every layer: loaders build it from disk, other
layers (dataset builders, RL rewards) build it directly or derive it from their own problem
record (`problems.model.Problem.judge_problem`), and the judge consumes it.

`TestCase` is cpforge's one test model, here because the bottom layer needs it: the pipeline
collects `TestCase`s too, tagged with their `origin`. `InputMode` is the one I/O-mode shape;
open-r1's flat spelling (``input_mode: "file"``, ``input_file``, ``output_file``) converts to
and from it only through `input_mode_from_flat` and `flat_input_mode`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from sandbox.judge.checkers.specs import CheckerSpec, TokensSpec


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


def _file_shorthand(value: Any) -> Any:
    """open-r1's ``"file"`` means ``input.txt`` / ``output.txt``."""
    return FileIO() if value == "file" else value


InputMode = Annotated[Union[Literal["stdio"], FileIO], BeforeValidator(_file_shorthand)]
"""Standard streams, or file I/O. ``"file"`` is accepted wherever an `InputMode` is validated."""

FlatInputMode = Literal["stdio", "file"]


def input_mode_from_flat(mode: str | None, input_file: str | None = None,
                         output_file: str | None = None) -> InputMode:
    """open-r1's flat spelling (scraper rows, Parquet columns) as an `InputMode`: ``"file"``
    names its files, or means ``input.txt`` / ``output.txt`` when it names none."""
    if mode is None or mode == "stdio":
        if input_file or output_file:
            raise ValueError("input_mode 'stdio' cannot name input/output files")
        return "stdio"
    if mode != "file":
        raise ValueError(f"input_mode must be 'stdio' or 'file', got {mode!r}")
    if not (input_file or output_file):
        return FileIO()
    return FileIO(input=input_file or None, output=output_file or None)


def flat_input_mode(mode: InputMode) -> tuple[FlatInputMode, str | None, str | None]:
    """The inverse of `input_mode_from_flat`: ``(input_mode, input_file, output_file)``."""
    if isinstance(mode, FileIO):
        return "file", mode.input, mode.output
    return "stdio", None, None


TestOrigin = Literal["statement", "official", "generated", "directory"]
"""Where a test came from: the statement's examples, open-r1's ``official_tests``, open-r1's
generated-test Parquet files, or a problem directory / Polygon package."""


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
    until a test runs. `answer` is optional only for interactive problems. `origin` is the
    test's provenance, kept by the dataset pipeline; the judge ignores it."""

    __test__ = False  # not a pytest test class, despite the name

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    is_sample: bool = False
    input_data: bytes | None = Field(default=None, repr=False)
    answer_data: bytes | None = Field(default=None, repr=False)
    input_path: Path | None = None
    answer_path: Path | None = None
    points: float | None = None
    origin: TestOrigin | None = None

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
        unloaded = self.checker.unloaded_source()
        if unloaded is not None:
            raise ValueError(f"checker {unloaded!r} has no code loaded")
        if self.interactor is not None and self.interactor.code is None:
            raise ValueError(f"interactor {self.interactor.source!r} has no code loaded")
        return self

    @property
    def interactive(self) -> bool:
        return self.interactor is not None

    @property
    def samples(self) -> list[TestCase]:
        return [test for test in self.tests if test.is_sample]

    def testset_hash(self) -> str:
        """What a verdict is earned on, as 32 hex digits: every test (name, sample flag, data,
        points, in order), the checker, the interactor and the I/O mode; not the limits, which
        a verdict's key names separately. Reads every test's data."""
        digest = hashlib.sha256()
        header: dict[str, Any] = {
            "checker": self.checker.model_dump(mode="json"),
            "interactor": self.interactor.model_dump(mode="json") if self.interactor else None,
            "input_mode": self.input_mode if isinstance(self.input_mode, str) else self.input_mode.model_dump(),
        }
        digest.update(json.dumps(header, sort_keys=True).encode())
        for test in self.tests:
            answer = test.read_answer()
            # Length-prefixed fields, so no choice of test data can collide with another.
            for part in (test.name.encode("utf-8", errors="surrogatepass"), b"1" if test.is_sample else b"0",
                         test.read_input(), answer if answer is not None else b"\0none",
                         b"" if test.points is None else repr(test.points).encode()):
                digest.update(len(part).to_bytes(8, "little"))
                digest.update(part)
        return digest.hexdigest()[:32]

    def ordered_tests(self, samples_first: bool = True) -> list[TestCase]:
        """Tests in judging order: samples first (stable), then the rest in load order."""
        if not samples_first:
            return list(self.tests)
        return self.samples + [test for test in self.tests if not test.is_sample]


def program_io(input_mode: InputMode, data: bytes) -> tuple[bytes | None, dict[str, bytes], tuple[str, ...]]:
    """(stdin, files, files to collect) of one run of a program on the input `data` under
    the problem's input mode: the one place a file-I/O problem's names are applied."""
    files: dict[str, bytes] = {}
    stdin: bytes | None = data
    collect: tuple[str, ...] = ()
    if isinstance(input_mode, FileIO):
        if input_mode.input is not None:
            files, stdin = {input_mode.input: data}, None
        if input_mode.output is not None:
            collect = (input_mode.output,)
    return stdin, files, collect

"""The one interface every checker implements, built-in or sandboxed.

A checker module defines a spec (a pydantic model whose `type` literal names it in
`problem.json`) and a `Checker` subclass holding its behaviour, then registers the pair in
one line (see `registry`). The judge only ever calls `prepare` once per submission and
`check` once per test; it never looks at the spec's type."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from sandbox.judge.checkers.base import CheckerOutcome

if TYPE_CHECKING:
    from sandbox.limits import Limits
    from sandbox.result import CompileResult, Executable, RunResult


class CheckerSpecBase(BaseModel):
    """Base of every checker spec: plain, frozen data; unknown keys are errors. Subclasses
    declare `type: Literal["name"] = "name"`, the tag the spec union dispatches on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str

    @property
    def builtin(self) -> bool:
        """True when the checker is pure Python and needs no sandbox."""
        from sandbox.judge.checkers.registry import checker_class
        return not checker_class(self.type).sandboxed

    def unloaded_source(self) -> str | None:
        """The file (relative to its problem) whose text this spec still has to be given
        with `with_code` before it can check; None when it needs nothing. Loaders ask this
        instead of knowing which checker types are programs."""
        return None

    def with_code(self, code: str) -> "CheckerSpecBase":
        raise TypeError(f"a {self.type!r} checker has no source code")


class ProgramSpec(CheckerSpecBase):
    """The spec of a checker that is a program: `source` names its file in a problem
    directory, `code` holds its text once a loader has read it (or when a problem is built
    in memory)."""

    source: str
    code: str | None = Field(default=None, repr=False)

    def unloaded_source(self) -> str | None:
        return self.source if self.code is None else None

    def with_code(self, code: str) -> "ProgramSpec":
        return self.model_copy(update={"code": code})


SpecT = TypeVar("SpecT", bound=CheckerSpecBase)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """One test's data as the checker sees it. `answer` is None when the test has none
    (every checker must then report FAIL, the judge's fault, never WA)."""

    input: bytes
    output: bytes
    answer: bytes | None


class CheckerSandbox(Protocol):
    """What a sandboxed checker gets from the judge: cached compilation (helper headers
    such as testlib.h included) and a run that is retried on a sandbox failure."""

    def compile(self, code: str, language: str) -> CompileResult: ...

    def run(self, program: Executable, *, files: dict[str, bytes], limits: Limits,
            args: tuple[str, ...]) -> RunResult: ...


class CheckerUnavailable(Exception):
    """The checker cannot run for this problem at all (e.g. it does not compile): every
    submission then gets JUDGE_ERROR with this message."""


class Checker(ABC, Generic[SpecT]):
    """Checks outputs against one spec. Made by the registry from the spec; the judge
    makes one per submission, calls `prepare` once, then `check` from its test workers
    concurrently (so `check` must not mutate the checker)."""

    sandboxed: ClassVar[bool] = False
    """True for checkers that run a program in the sandbox; only those judge the
    transcript of an interactive problem."""

    def __init__(self, spec: SpecT) -> None:
        self.spec = spec

    def prepare(self, sandbox: CheckerSandbox) -> None:
        """Before the first test: build what the checker runs (nothing, by default).
        Raises CheckerUnavailable."""
        return None

    @abstractmethod
    def check(self, context: CheckContext) -> CheckerOutcome:
        """The verdict on one test's output."""


class BuiltinChecker(Checker[SpecT]):
    """A pure-Python checker: a function of (input, output, answer) bytes, usable without
    a sandbox (`get_checker` hands out `compare`)."""

    @abstractmethod
    def compare(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
        """The check itself (the `CheckFunction` signature)."""

    def check(self, context: CheckContext) -> CheckerOutcome:
        return self.compare(context.input, context.output, context.answer)

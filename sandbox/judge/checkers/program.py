"""Checkers that are programs run in the sandbox (testlib checkers, open-r1 Python
checkers). The shared part lives here: compile once per submission, refuse a test without
an answer, run with the checker's limits, and treat a sandbox failure as FAIL. Each
subclass says which program it is, how it is invoked and how its run is read."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from sandbox.limits import Limits
from sandbox.result import Executable, RunResult, Verdict
from sandbox.judge.checkers.base import CheckerOutcome, fail
from sandbox.judge.checkers.interface import CheckContext, Checker, CheckerSandbox, CheckerUnavailable, SpecT
from sandbox.judge.checkers.invocation import CheckerInvocation

CHECKER_LIMITS = Limits(cpu_time=10, wall_time=20, memory_mb=1024, processes=16)


class ProgramChecker(Checker[SpecT]):
    """A checker program: `prepare` compiles it (through the judge's compile cache),
    `check` runs it on one test in its own box."""

    sandboxed: ClassVar[bool] = True

    def __init__(self, spec: SpecT) -> None:
        super().__init__(spec)
        self._program: Executable | None = None
        self._sandbox: CheckerSandbox | None = None

    @abstractmethod
    def source(self) -> tuple[str, str]:
        """The program's code and language id."""

    @abstractmethod
    def invocation(self, input: bytes, output: bytes, answer: bytes) -> CheckerInvocation:
        """The files placed in the box and the arguments after the program."""

    @abstractmethod
    def parse(self, run: RunResult) -> CheckerOutcome:
        """The verdict its run stands for (exit code, output, signal or timeout)."""

    def prepare(self, sandbox: CheckerSandbox) -> None:
        code, language = self.source()
        compiled = sandbox.compile(code, language)
        if not compiled.ok:
            raise CheckerUnavailable(
                f"the checker does not compile ({compiled.reason}): {compiled.diagnostics[:2000]}")
        assert compiled.executable is not None  # an OK compile has its program
        self._program, self._sandbox = compiled.executable, sandbox

    def check(self, context: CheckContext) -> CheckerOutcome:
        if self._program is None or self._sandbox is None:
            raise RuntimeError("a program checker must be prepared before it checks")
        if context.answer is None:
            return fail("the test has no answer file")
        invocation = self.invocation(context.input, context.output, context.answer)
        limits = CHECKER_LIMITS
        if invocation.time_limit:
            limits = limits.model_copy(update={"cpu_time": invocation.time_limit,
                                               "wall_time": 2 * invocation.time_limit + 1})
        if invocation.memory_limit:
            limits = limits.model_copy(update={"memory_mb": invocation.memory_limit})
        run = self._sandbox.run(self._program, files=invocation.files, limits=limits,
                                args=tuple(invocation.args))
        if run.status is Verdict.SANDBOX_ERROR:
            return fail(run.message)
        if run.status in (Verdict.MLE, Verdict.OLE):
            # Its exit code would read as a verdict (a Python MemoryError exits 1: "WA").
            return fail(f"the checker broke its {run.limit_fired or 'resource'} limit: {run.message}")
        return self.parse(run)

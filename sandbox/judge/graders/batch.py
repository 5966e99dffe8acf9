"""The standard (batch) grader: the test's input on stdin or in the problem's input file,
one run, the output from stdout or the output file, then the checker."""

from __future__ import annotations

from sandbox.judge.checkers import Checker
from sandbox.judge.graders.base import RunProgram, check, checked_result, measurements
from sandbox.judge.model import FileIO, JudgeProblem, TestCase
from sandbox.judge.scoring import test_verdict_of_run
from sandbox.limits import Limits
from sandbox.result import Executable, TestResult, Verdict


class BatchGrader:
    def __init__(self, problem: JudgeProblem, executable: Executable, limits: Limits, checker: Checker,
                 run: RunProgram) -> None:
        self.executable = executable
        self.limits = limits
        self.checker = checker
        self.run = run
        self.file_io = problem.input_mode if isinstance(problem.input_mode, FileIO) else None

    def grade(self, test: TestCase) -> TestResult:
        input_data = test.read_input()
        files: dict[str, bytes] = {}
        stdin: bytes | None = input_data
        collect: tuple[str, ...] = ()
        if self.file_io and self.file_io.input:
            files, stdin = {self.file_io.input: input_data}, None
        if self.file_io and self.file_io.output:
            collect = (self.file_io.output,)
        run = self.run(self.executable, stdin=stdin, files=files, limits=self.limits, collect=collect)
        base = measurements(test, run)
        if run.status is not Verdict.OK:
            return TestResult(verdict=test_verdict_of_run(run), message=run.message, **base)
        if collect:
            if collect[0] not in run.files:
                return TestResult(verdict=Verdict.WA, message=f"no output file {collect[0]}", **base)
            output = run.files[collect[0]]
        else:
            output = run.stdout
        return checked_result(check(self.checker, test, input_data, output), base)


__all__ = ["BatchGrader"]

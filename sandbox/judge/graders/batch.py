"""The standard (batch) grader: the test's input on stdin or in the problem's input file,
one run, the output from stdout or the output file, then the checker."""

from __future__ import annotations

from sandbox.backends.base import Backend
from sandbox.judge.checkers import Checker
from sandbox.judge.graders.base import RunProgram, check, checked_result, measurements
from sandbox.judge.model import JudgeProblem, TestCase, program_io
from sandbox.judge.scoring import test_verdict_of_run
from sandbox.limits import Limits
from sandbox.result import Executable, RunResult, TestResult, Verdict


class BatchGrader:
    def __init__(self, problem: JudgeProblem, executable: Executable, limits: Limits, checker: Checker,
                 run: RunProgram) -> None:
        self.executable = executable
        self.limits = limits
        self.checker = checker
        self.run = run
        self.input_mode = problem.input_mode
        self._prefetched: dict[int, RunResult] = {}

    def _program_input(self, input_data: bytes) -> tuple[bytes | None, dict[str, bytes], tuple[str, ...]]:
        return program_io(self.input_mode, input_data)

    def prefetch(self, backend: Backend, tests: list[TestCase]) -> None:
        """Runs the program on every test in one `run_many` call, for `grade` to check:
        on a remote backend one round trip per submission instead of one per test. Stop
        at the first failure then saves only checker time, which is cheap beside a trip."""
        inputs = [self._program_input(test.read_input()) for test in tests]
        for test, run in zip(tests, backend.run_many(self.executable, inputs, self.limits)):
            self._prefetched[id(test)] = run

    def grade(self, test: TestCase) -> TestResult:
        input_data = test.read_input()
        stdin, files, collect = self._program_input(input_data)
        run = self._prefetched.pop(id(test), None)
        if run is None or run.status is Verdict.SANDBOX_ERROR:  # a failed batch entry gets its own retried run
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

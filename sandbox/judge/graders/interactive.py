"""The interactive grader: the solution and the problem's interactor run side by side, each
in its own box with its own limits, the solution's stdout feeding the interactor's stdin
and back. The interactor speaks testlib's protocol (`interactor input output [answer]`);
a program checker, if the problem has one, then reads the interactor's output file."""

from __future__ import annotations

import signal
from concurrent.futures import Executor

from sandbox.backends.base import Backend
from sandbox.judge.checkers import Checker, parse_testlib_result
from sandbox.judge.graders.base import check, checked_result, measurements
from sandbox.judge.model import InteractorSpec, TestCase
from sandbox.judge.retry import with_retry
from sandbox.judge.scoring import test_verdict_of_run
from sandbox.limits import Limits
from sandbox.result import Executable, TestResult, Verdict

INTERACTOR_MEMORY_MB = 1024
# File names inside the interactor's box, in testlib's argument order.
INTERACTOR_INPUT, INTERACTOR_OUTPUT, INTERACTOR_ANSWER = "input.txt", "tout.txt", "answer.txt"


class InteractiveGrader:
    """`companions` runs the interactor beside the solution: a pool with one thread per
    judge worker, so a worker never waits for a slot its own interactor holds."""

    def __init__(self, spec: InteractorSpec, executable: Executable, interactor: Executable, limits: Limits,
                 checker: Checker, backend: Backend, companions: Executor) -> None:
        self.spec = spec
        self.executable = executable
        self.interactor = interactor
        self.limits = limits
        self.checker = checker
        self.backend = backend
        self.companions = companions

    def grade(self, test: TestCase) -> TestResult:
        """Both runs are one attempt: a sandbox failure of either is retried as a whole."""
        return with_retry(lambda: self._interact(test), lambda result: result.verdict is Verdict.JUDGE_ERROR)

    def _interactor_limits(self) -> Limits:
        # The interactor outlives the solution's wall limit, so a stuck solution is the one
        # the watchdog catches, and the interactor then sees end-of-file.
        wall = self.limits.effective_wall_time
        return Limits(cpu_time=self.spec.time_limit or wall, wall_time=wall + (self.spec.time_limit or 0) + 2,
                      memory_mb=self.spec.memory_limit or INTERACTOR_MEMORY_MB, processes=16)

    def _interact(self, test: TestCase) -> TestResult:
        """The verdict is decided in this order: a sandbox failure; the solution breaking a
        resource limit (a solution that waits forever is killed at its wall limit:
        idleness); the solution crashing, unless by SIGPIPE (the interactor hung up on it,
        so the interactor's verdict explains it); the interactor's WA/PE; the interactor
        failing (JUDGE_ERROR); then the checker, if the problem has a program checker, on
        the interactor's output file."""
        input_data = test.read_input()
        answer = test.read_answer()
        files = {INTERACTOR_INPUT: input_data}
        args = [INTERACTOR_INPUT, INTERACTOR_OUTPUT]
        if answer is not None:
            files[INTERACTOR_ANSWER] = answer
            args.append(INTERACTOR_ANSWER)
        run, interaction = self.backend.run_pair(
            self.executable, self.interactor, limits=self.limits, interactor_limits=self._interactor_limits(),
            interactor_files=files, interactor_args=tuple(args), interactor_collect=(INTERACTOR_OUTPUT,),
            companions=self.companions)
        base = measurements(test, run)
        if Verdict.SANDBOX_ERROR in (run.status, interaction.status):
            failed = run if run.status is Verdict.SANDBOX_ERROR else interaction
            return TestResult(verdict=Verdict.JUDGE_ERROR, message=f"sandbox: {failed.message}", **base)
        if run.status in (Verdict.TLE, Verdict.MLE, Verdict.OLE):
            message = run.message
            # Waiting on a pipe burns no CPU; a busy solution starved by a loaded host does.
            if run.limit_fired == "wall" and run.cpu_time < 0.1 * run.wall_time:
                message = f"idleness: the solution waited {run.wall_time:.2f} s without finishing (did it flush?)"
            return TestResult(verdict=test_verdict_of_run(run), message=message, **base)
        broken_pipe = run.status is Verdict.RE and run.signal == signal.SIGPIPE
        if run.status is Verdict.RE and not broken_pipe:
            return TestResult(verdict=Verdict.RE, message=run.message, **base)
        if interaction.signal == signal.SIGPIPE:
            # The interactor wrote to a solution that had closed its standard input.
            return TestResult(verdict=Verdict.WA, message="the solution stopped reading its input", **base)
        said = parse_testlib_result(interaction.exit_code, b"", interaction.stderr, signal=interaction.signal,
                                    timed_out=interaction.status is Verdict.TLE)
        if said.rejected and not said.partial:
            return TestResult(verdict=Verdict.WA, message=said.message, **base)
        if broken_pipe:
            return TestResult(verdict=Verdict.RE, message=run.message, **base)
        if said.judge_error:
            return TestResult(verdict=Verdict.JUDGE_ERROR, message=f"interactor failed: {said.message}", **base)
        if said.partial:
            return TestResult(verdict=said.verdict, message=said.message, points=said.points, **base)
        if self.checker.sandboxed:
            transcript = interaction.files.get(INTERACTOR_OUTPUT, b"")
            outcome = check(self.checker, test, input_data, transcript)
            if not outcome.ok or outcome.partial:
                return checked_result(outcome, base)
        return TestResult(verdict=Verdict.AC, message=said.message, **base)


__all__ = ["INTERACTOR_MEMORY_MB", "InteractiveGrader"]

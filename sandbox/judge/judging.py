"""Judging: compile once, run the tests in parallel on a backend, check each output.

The verdict must be trustworthy for datasets and RL rewards: a broken checker or a failing
sandbox is JUDGE_ERROR (after a retry), never WA; a compile error is CE with diagnostics."""

from __future__ import annotations

import os
import signal
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from enum import Enum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.backends.base import Backend
from sandbox.execution import PipeEnd
from sandbox.languages import Language, get_language
from sandbox.limits import Limits
from sandbox.result import CompileResult, CompileStatus, Executable, RunResult, Status
from sandbox.judge.checkers import (
    CheckContext, Checker, CheckerOutcome, CheckerUnavailable, CheckerVerdict, make_checker,
    parse_testlib_result)
from sandbox.judge.cancel import Cancellation
from sandbox.judge.dispatch import run_tests
from sandbox.judge.model import FileIO, InteractorSpec, JudgeProblem, TestCase
from sandbox.judge.scheduler import FairPool

SANDBOX_RETRIES = 1
INTERACTOR_MEMORY_MB = 1024
# File names inside the interactor's box, in testlib's argument order.
INTERACTOR_INPUT, INTERACTOR_OUTPUT, INTERACTOR_ANSWER = "input.txt", "tout.txt", "answer.txt"
TESTLIB_ENV = "CPFORGE_TESTLIB"


class Verdict(str, Enum):
    """The one verdict vocabulary: a test's verdict (`TestResult.verdict`) and a submission's
    (`JudgeResult.verdict`). CE is only ever a submission's verdict (a test never runs
    uncompiled); SKIPPED is only ever a test's (a test the judge cancelled or never started).
    The values are the wire strings of the server's JSON and of the dataset's columns."""

    AC = "AC"
    WA = "WA"
    TLE = "TLE"
    MLE = "MLE"
    RE = "RE"
    OLE = "OLE"
    CE = "CE"
    JUDGE_ERROR = "JUDGE_ERROR"
    SKIPPED = "SKIPPED"


_FROM_STATUS = {Status.TLE: Verdict.TLE, Status.MLE: Verdict.MLE, Status.RE: Verdict.RE,
                Status.OLE: Verdict.OLE, Status.SANDBOX_ERROR: Verdict.JUDGE_ERROR}


class TestResult(BaseModel):
    __test__ = False
    model_config = ConfigDict(frozen=True)

    name: str
    verdict: Verdict
    is_sample: bool = False
    cpu_time: float = 0.0
    wall_time: float = 0.0
    memory: int = Field(0, description="peak bytes")
    message: str = ""
    points: float | None = None


class JudgeOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    stop_on_first_failure: bool = True
    samples_first: bool = True
    # binary: 1 for AC; pass_rate: passed/total; points: checker points (1 per plain AC);
    # weighted_sum: open-r1's 1[all passed] + 0.1*passed/total (every test runs).
    score: Literal["binary", "pass_rate", "points", "weighted_sum"] = "binary"


class JudgeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    score: float
    passed: int
    total: int
    language: str
    toolchain: str | None = None
    compile: CompileResult
    tests: list[TestResult] = Field(default_factory=list)
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.AC


class Judge:
    """Judges submissions on one backend. Thread-safe; compiled programs (solutions and
    checkers alike) are cached by source digest, and identical sources compile once even
    when requested concurrently."""

    def __init__(self, backend: Backend, jobs: int | None = None, *,
                 testlib: str | Path | None = None, max_compiled: int = 1024) -> None:
        """`max_compiled` bounds the in-memory compile cache (least recently used entries
        go first; the backend's on-disk cache still has them): a long-lived reward server
        sees a new source for nearly every completion."""
        self.testlib = read_testlib(testlib)  # first: a bad setting must not leak threads
        self.backend = backend
        workers: int = jobs if jobs else getattr(backend, "concurrency", 2)
        self.pool = FairPool(workers)
        # An interactor runs beside its solution; each worker has at most one at a time.
        self._companions = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="interactor")
        self._compiled: OrderedDict[tuple[str, str], Future] = OrderedDict()
        self.max_compiled = max(1, max_compiled)
        self._lock = threading.Lock()

    def close(self, timeout: float | None = None) -> bool:
        """Stops the test workers; with a `timeout`, a worker stuck in a box is left behind
        instead of waited for (returns False then), so a server's shutdown stays bounded."""
        finished = self.pool.shutdown(timeout=timeout)
        self._companions.shutdown(wait=timeout is None, cancel_futures=True)
        return finished

    def __enter__(self) -> "Judge":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ compile cache
    def compile(self, source: str, language: str | Language,
                extra_files: dict[str, bytes] | None = None) -> CompileResult:
        lang = get_language(language)
        extra = b"".join(name.encode() + b"\0" + data for name, data in sorted((extra_files or {}).items()))
        key = (lang.id, lang.digest(source.encode() + b"\0" + extra))
        with self._lock:
            future = self._compiled.get(key)
            owner = future is None
            if owner:
                future = self._compiled[key] = Future()
                self._trim_compiled()
            else:
                self._compiled.move_to_end(key)
        assert future is not None  # found, or just made by this caller
        if owner:
            try:
                result = self.backend.compile(source, lang, extra_files=extra_files)
            except BaseException as exc:
                future.set_exception(exc)
                with self._lock:
                    self._compiled.pop(key, None)
                raise
            if result.status is CompileStatus.SANDBOX_ERROR:
                with self._lock:
                    self._compiled.pop(key, None)  # never cache an infrastructure failure
            future.set_result(result)
            return result
        cached = future.result()
        return cached.model_copy(update={"cached": True})

    def _trim_compiled(self) -> None:
        """Drops the oldest finished entries over the bound (in-flight ones stay, so
        concurrent requests for a source being compiled still share it). Holds the lock."""
        excess = len(self._compiled) - self.max_compiled
        if excess <= 0:
            return
        for key in [k for k, f in self._compiled.items() if f.done()][:excess]:
            del self._compiled[key]

    # ------------------------------------------------------------------ judge
    def judge(self, problem: JudgeProblem, source: str, language: str | Language,
              options: JudgeOptions | None = None, cancel: Cancellation | None = None) -> JudgeResult:
        """Compiles (cached) and runs the tests. Under `stop_on_first_failure` (binary score)
        no test starts once one has failed. `cancel` lets the caller give up: no further
        test starts and JudgeCancelled is raised (a verdict from a partial run is not one)."""
        options = options or JudgeOptions()
        lang = get_language(language)
        if cancel is not None:
            cancel.raise_if_cancelled()
        compiled = self.compile(source, lang)
        if not compiled.ok:
            verdict = Verdict.CE if compiled.status is CompileStatus.CE else Verdict.JUDGE_ERROR
            return JudgeResult(verdict=verdict, score=0.0, passed=0, total=len(problem.tests), language=lang.id,
                               toolchain=compiled.toolchain, compile=compiled, message=compiled.reason)
        checker_or_reason = self._prepare_checker(problem)
        interactor_exe = self._interactor_executable(problem.interactor) if problem.interactor else None
        for helper in (checker_or_reason, interactor_exe):
            if isinstance(helper, str):
                return JudgeResult(verdict=Verdict.JUDGE_ERROR, score=0.0, passed=0, total=len(problem.tests),
                                   language=lang.id, toolchain=compiled.toolchain, compile=compiled, message=helper)
        limits = Limits(cpu_time=problem.time_limit, memory_mb=problem.memory_limit)
        tests = problem.ordered_tests(options.samples_first)
        stop_early = options.stop_on_first_failure and options.score == "binary"
        exe, checker, interactor = compiled.executable, checker_or_reason, interactor_exe
        assert exe is not None and not isinstance(checker, str) and not isinstance(interactor, str)
        if interactor is not None:
            def judge_one(test: TestCase) -> TestResult:
                return self._judge_interactive_test(problem, exe, test, limits, interactor, checker)
        else:
            def judge_one(test: TestCase) -> TestResult:
                return self._judge_test(problem, exe, test, limits, checker)
        if cancel is not None:
            cancel.raise_if_cancelled()  # the compile may have taken a while
        results = run_tests(self.pool, tests, judge_one, lambda r: r.verdict is not Verdict.AC, _skipped,
                            stop_early=stop_early, cancel=cancel)
        return self._summarise(results, lang, compiled, options)

    @staticmethod
    def _summarise(results: list[TestResult], lang: Language, compiled: CompileResult,
                   options: JudgeOptions) -> JudgeResult:
        passed = sum(r.verdict is Verdict.AC for r in results)
        total = len(results)
        errors = [r for r in results if r.verdict is Verdict.JUDGE_ERROR]
        failures = [r for r in results if r.verdict not in (Verdict.AC, Verdict.SKIPPED)]
        if errors:
            verdict, message = Verdict.JUDGE_ERROR, f"test {errors[0].name}: {errors[0].message}"
        elif failures:
            verdict, message = failures[0].verdict, f"test {failures[0].name}: {failures[0].message}"
        else:
            verdict, message = Verdict.AC, ""
        if options.score == "pass_rate":
            score = passed / total if total else 0.0
        elif options.score == "weighted_sum":
            score = float(verdict is Verdict.AC) + 0.1 * (passed / total if total else 0.0)
        elif options.score == "points":
            score = sum((r.points if r.points is not None else float(r.verdict is Verdict.AC)) for r in results)
            score = score / total if total else 0.0
        else:
            score = float(verdict is Verdict.AC)
        return JudgeResult(verdict=verdict, score=score, passed=passed, total=total, language=lang.id,
                           toolchain=compiled.toolchain, compile=compiled, tests=results, message=message)

    # ------------------------------------------------------------------ one test
    def _judge_test(self, problem: JudgeProblem, exe: Executable, test: TestCase, limits: Limits,
                    checker: Checker) -> TestResult:
        input_data = test.read_input()
        file_io = problem.input_mode if isinstance(problem.input_mode, FileIO) else None
        files: dict[str, bytes] = {}
        stdin: bytes | None = input_data
        collect: tuple[str, ...] = ()
        if file_io and file_io.input:
            files, stdin = {file_io.input: input_data}, None
        if file_io and file_io.output:
            collect = (file_io.output,)
        run = self._run_with_retry(exe, stdin=stdin, files=files, limits=limits, collect=collect)
        base = dict(name=test.name, is_sample=test.is_sample, cpu_time=run.cpu_time, wall_time=run.wall_time,
                    memory=run.memory_bytes)
        if run.status is not Status.OK:
            return TestResult(verdict=_FROM_STATUS[run.status], message=run.message, **base)
        if collect:
            if collect[0] not in run.files:
                return TestResult(verdict=Verdict.WA, message=f"no output file {collect[0]}", **base)
            output = run.files[collect[0]]
        else:
            output = run.stdout
        outcome = self._check(checker, test, input_data, output)
        if outcome.verdict is CheckerVerdict.FAIL:
            return TestResult(verdict=Verdict.JUDGE_ERROR, message=f"checker failed: {outcome.message}", **base)
        if outcome.verdict is CheckerVerdict.PARTIAL:
            return TestResult(verdict=Verdict.WA if not outcome.points else Verdict.AC,
                              message=outcome.message, points=outcome.points, **base)
        verdict = Verdict.AC if outcome.ok else Verdict.WA
        return TestResult(verdict=verdict, message=outcome.message, **base)

    def _run_with_retry(self, exe: Executable, **kwargs) -> RunResult:
        for _ in range(SANDBOX_RETRIES + 1):
            result = self.backend.run(exe, **kwargs)
            if result.status is not Status.SANDBOX_ERROR:
                return result
        return result

    # ------------------------------------------------------------------ interactive
    def _judge_interactive_test(self, problem: JudgeProblem, exe: Executable, test: TestCase, limits: Limits,
                                interactor_exe: Executable, checker: Checker) -> TestResult:
        for _ in range(SANDBOX_RETRIES + 1):
            result = self._interact_once(problem, exe, test, limits, interactor_exe, checker)
            if result.verdict is not Verdict.JUDGE_ERROR:
                return result
        return result

    def _interact_once(self, problem: JudgeProblem, exe: Executable, test: TestCase, limits: Limits,
                       interactor_exe: Executable, checker: Checker) -> TestResult:
        """One test of an interactive problem: the solution's stdout feeds the interactor's
        stdin and back, each in its own box with its own limits. The verdict is decided in
        this order: a sandbox failure; the solution breaking a resource limit (a solution
        that waits forever is killed at its wall limit: idleness); the solution crashing,
        unless by SIGPIPE (the interactor hung up on it, so the interactor's verdict
        explains it); the interactor's WA/PE; the interactor failing (JUDGE_ERROR); then the
        checker, if the problem has a program checker, on the interactor's output file."""
        input_data = test.read_input()
        answer = test.read_answer()
        spec = problem.interactor
        assert spec is not None
        files = {INTERACTOR_INPUT: input_data}
        args = [INTERACTOR_INPUT, INTERACTOR_OUTPUT]
        if answer is not None:
            files[INTERACTOR_ANSWER] = answer
            args.append(INTERACTOR_ANSWER)
        # The interactor outlives the solution's wall limit, so a stuck solution is the one
        # the watchdog catches, and the interactor then sees end-of-file.
        interactor_limits = Limits(cpu_time=spec.time_limit or limits.effective_wall_time,
                                   wall_time=limits.effective_wall_time + (spec.time_limit or 0) + 2,
                                   memory_mb=spec.memory_limit or INTERACTOR_MEMORY_MB, processes=16)
        solution_read, interactor_write = os.pipe2(os.O_CLOEXEC)
        interactor_read, solution_write = os.pipe2(os.O_CLOEXEC)
        ends = [PipeEnd(fd, owned=True) for fd in (solution_read, interactor_write, interactor_read, solution_write)]
        try:
            interactor_future = self._companions.submit(
                self.backend.run, interactor_exe, stdin=ends[2], stdout=ends[1], files=files,
                limits=interactor_limits, argv_extra=tuple(args), collect=(INTERACTOR_OUTPUT,), companion=True)
            run = self.backend.run(exe, stdin=ends[0], stdout=ends[3], limits=limits)
            interaction = interactor_future.result()
        finally:
            for end in ends:
                end.close()
        base = dict(name=test.name, is_sample=test.is_sample, cpu_time=run.cpu_time, wall_time=run.wall_time,
                    memory=run.memory_bytes)
        if Status.SANDBOX_ERROR in (run.status, interaction.status):
            failed = run if run.status is Status.SANDBOX_ERROR else interaction
            return TestResult(verdict=Verdict.JUDGE_ERROR, message=f"sandbox: {failed.message}", **base)
        if run.status in (Status.TLE, Status.MLE, Status.OLE):
            message = run.message
            # Waiting on a pipe burns no CPU; a busy solution starved by a loaded host does.
            if run.limit_fired == "wall" and run.cpu_time < 0.1 * run.wall_time:
                message = f"idleness: the solution waited {run.wall_time:.2f} s without finishing (did it flush?)"
            return TestResult(verdict=_FROM_STATUS[run.status], message=message, **base)
        broken_pipe = run.status is Status.RE and run.signal == signal.SIGPIPE
        if run.status is Status.RE and not broken_pipe:
            return TestResult(verdict=Verdict.RE, message=run.message, **base)
        if interaction.signal == signal.SIGPIPE:
            # The interactor wrote to a solution that had closed its standard input.
            return TestResult(verdict=Verdict.WA, message="the solution stopped reading its input", **base)
        said = parse_testlib_result(interaction.exit_code, b"", interaction.stderr, signal=interaction.signal,
                                    timed_out=interaction.status is Status.TLE)
        if said.verdict in (CheckerVerdict.WA, CheckerVerdict.PE):
            return TestResult(verdict=Verdict.WA, message=said.message, **base)
        if broken_pipe:
            return TestResult(verdict=Verdict.RE, message=run.message, **base)
        if said.verdict is CheckerVerdict.FAIL:
            return TestResult(verdict=Verdict.JUDGE_ERROR, message=f"interactor failed: {said.message}", **base)
        if said.verdict is CheckerVerdict.PARTIAL:
            return TestResult(verdict=Verdict.AC if said.points else Verdict.WA, message=said.message,
                              points=said.points, **base)
        if checker.sandboxed:
            transcript = interaction.files.get(INTERACTOR_OUTPUT, b"")
            outcome = self._check(checker, test, input_data, transcript)
            if outcome.verdict is CheckerVerdict.FAIL:
                return TestResult(verdict=Verdict.JUDGE_ERROR, message=f"checker failed: {outcome.message}",
                                  **base)
            if not outcome.ok:
                return TestResult(verdict=Verdict.WA, message=outcome.message, points=outcome.points, **base)
        return TestResult(verdict=Verdict.AC, message=said.message, **base)

    # ------------------------------------------------------------------ checkers
    def _helper_files(self, language: str) -> dict[str, bytes] | None:
        """testlib.h beside C++ checkers and interactors, when the user pointed us at one."""
        if self.testlib is not None and get_language(language).uses_testlib:
            return {"testlib.h": self.testlib}
        return None

    def _prepare_checker(self, problem: JudgeProblem) -> Checker | str:
        """The problem's checker, ready to check (compiled if it is a program), or the reason
        it cannot run."""
        checker = make_checker(problem.checker)
        try:
            checker.prepare(_CheckerSandbox(self))
        except CheckerUnavailable as reason:
            return str(reason)
        return checker

    def _interactor_executable(self, spec: InteractorSpec) -> Executable | str:
        language = spec.language or "cpp17"
        compiled = self.compile(spec.code or "", language, self._helper_files(language))
        if not compiled.ok:
            return f"the interactor does not compile ({compiled.reason}): {compiled.diagnostics[:2000]}"
        assert compiled.executable is not None  # an OK compile has its program
        return compiled.executable

    @staticmethod
    def _check(checker: Checker, test: TestCase, input_data: bytes, output: bytes) -> CheckerOutcome:
        return checker.check(CheckContext(input=input_data, output=output, answer=test.read_answer()))


class _CheckerSandbox:
    """The judge as a sandboxed checker sees it: compiles go through its cache (with
    testlib.h beside C++ sources), runs are retried once on a sandbox failure."""

    def __init__(self, judge: Judge) -> None:
        self._judge = judge

    def compile(self, code: str, language: str) -> CompileResult:
        return self._judge.compile(code, language, self._judge._helper_files(language))

    def run(self, program: Executable, *, files: dict[str, bytes], limits: Limits,
            args: tuple[str, ...]) -> RunResult:
        return self._judge._run_with_retry(program, files=files, limits=limits, argv_extra=args)


def _skipped(test: TestCase, message: str, ran: TestResult | None) -> TestResult:
    """SKIPPED: never run (no CPU spent), or run beside the deciding failure (its real
    measurements kept, its verdict not counted)."""
    if ran is None:
        return TestResult(name=test.name, verdict=Verdict.SKIPPED, is_sample=test.is_sample, message=message)
    return ran.model_copy(update={"verdict": Verdict.SKIPPED, "message": message, "points": None})


def read_testlib(setting: str | Path | None) -> bytes | None:
    """testlib.h is not bundled (its licence and version are the user's choice): the
    setting, or CPFORGE_TESTLIB, names the header or a directory holding it."""
    setting = setting or os.environ.get(TESTLIB_ENV)
    if not setting:
        return None
    path = Path(setting).expanduser()
    if path.is_dir():
        path = path / "testlib.h"
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read testlib.h from {path} ({TESTLIB_ENV}): {exc.strerror}") from None

"""Judging: compile once, run the tests in parallel on a backend, check each output.

The verdict must be trustworthy for datasets and RL rewards: a broken checker or a failing
sandbox is JUDGE_ERROR (after a retry), never WA; a compile error is CE with diagnostics."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..backends.base import Backend
from ..languages import Language, get_language
from ..limits import Limits
from ..result import CompileResult, Executable, RunResult, Status
from .checkers import (CheckerOutcome, CheckerVerdict, ProgramCheckerSpec, PythonCheckerSpec,
                       build_python_checker_invocation, build_testlib_invocation, get_checker,
                       parse_python_checker_result, parse_testlib_result)
from .model import FileIO, JudgeProblem, TestCase

SANDBOX_RETRIES = 1
CHECKER_LIMITS = Limits(cpu_time=10, wall_time=20, memory_mb=1024, processes=16)


class TestVerdict(str, Enum):
    AC = "AC"
    WA = "WA"
    TLE = "TLE"
    MLE = "MLE"
    RE = "RE"
    OLE = "OLE"
    JUDGE_ERROR = "JUDGE_ERROR"
    SKIPPED = "SKIPPED"


TestVerdict.__test__ = False  # not a pytest class, despite the name


class Verdict(str, Enum):
    AC = "AC"
    WA = "WA"
    TLE = "TLE"
    MLE = "MLE"
    RE = "RE"
    OLE = "OLE"
    CE = "CE"
    JUDGE_ERROR = "JUDGE_ERROR"


_FROM_STATUS = {Status.TLE: TestVerdict.TLE, Status.MLE: TestVerdict.MLE, Status.RE: TestVerdict.RE,
                Status.OLE: TestVerdict.OLE, Status.SANDBOX_ERROR: TestVerdict.JUDGE_ERROR}


class TestResult(BaseModel):
    __test__ = False
    model_config = ConfigDict(frozen=True)

    name: str
    verdict: TestVerdict
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
    score: Literal["binary", "pass_rate", "points"] = "binary"


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

    def __init__(self, backend: Backend, jobs: int | None = None) -> None:
        self.backend = backend
        self.pool = ThreadPoolExecutor(max_workers=jobs or getattr(backend, "concurrency", 2),
                                       thread_name_prefix="judge")
        self._compiled: dict[tuple[str, str], Future] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "Judge":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ compile cache
    def compile(self, source: str, language: str | Language) -> CompileResult:
        lang = get_language(language)
        key = (lang.id, lang.digest(source.encode()))
        with self._lock:
            future = self._compiled.get(key)
            owner = future is None
            if owner:
                future = self._compiled[key] = Future()
        if owner:
            try:
                result = self.backend.compile(source, lang)
            except BaseException as exc:
                future.set_exception(exc)
                with self._lock:
                    self._compiled.pop(key, None)
                raise
            if result.status.value == "SANDBOX_ERROR":
                with self._lock:
                    self._compiled.pop(key, None)  # never cache an infrastructure failure
            future.set_result(result)
            return result
        cached = future.result()
        return cached.model_copy(update={"cached": True})

    # ------------------------------------------------------------------ judge
    def judge(self, problem: JudgeProblem, source: str, language: str | Language,
              options: JudgeOptions | None = None) -> JudgeResult:
        options = options or JudgeOptions()
        lang = get_language(language)
        if problem.interactive:
            raise NotImplementedError("interactive problems are not supported by this judge yet")
        compiled = self.compile(source, lang)
        if not compiled.ok:
            verdict = Verdict.CE if compiled.status.value == "CE" else Verdict.JUDGE_ERROR
            return JudgeResult(verdict=verdict, score=0.0, passed=0, total=len(problem.tests), language=lang.id,
                               toolchain=compiled.toolchain, compile=compiled, message=compiled.reason)
        checker_exe = self._checker_executable(problem)
        if isinstance(checker_exe, str):
            return JudgeResult(verdict=Verdict.JUDGE_ERROR, score=0.0, passed=0, total=len(problem.tests),
                               language=lang.id, toolchain=compiled.toolchain, compile=compiled, message=checker_exe)
        limits = Limits(cpu_time=problem.time_limit, memory_mb=problem.memory_limit)
        tests = problem.ordered_tests(options.samples_first)
        stop_early = options.stop_on_first_failure and options.score == "binary"
        futures = [self.pool.submit(self._judge_test, problem, compiled.executable, test, limits, checker_exe)
                   for test in tests]
        results: list[TestResult] = []
        failed = False
        for test, future in zip(tests, futures):
            if failed and stop_early:
                future.cancel()
                if future.cancelled():
                    results.append(TestResult(name=test.name, verdict=TestVerdict.SKIPPED, is_sample=test.is_sample))
                    continue
            result = future.result()
            if failed and stop_early:
                result = result.model_copy(update={"verdict": TestVerdict.SKIPPED})
            results.append(result)
            failed = failed or result.verdict is not TestVerdict.AC
        return self._summarise(results, lang, compiled, options)

    @staticmethod
    def _summarise(results: list[TestResult], lang: Language, compiled: CompileResult,
                   options: JudgeOptions) -> JudgeResult:
        passed = sum(r.verdict is TestVerdict.AC for r in results)
        total = len(results)
        errors = [r for r in results if r.verdict is TestVerdict.JUDGE_ERROR]
        failures = [r for r in results if r.verdict not in (TestVerdict.AC, TestVerdict.SKIPPED)]
        if errors:
            verdict, message = Verdict.JUDGE_ERROR, f"test {errors[0].name}: {errors[0].message}"
        elif failures:
            verdict, message = Verdict(failures[0].verdict.value), f"test {failures[0].name}: {failures[0].message}"
        else:
            verdict, message = Verdict.AC, ""
        if options.score == "pass_rate":
            score = passed / total if total else 0.0
        elif options.score == "points":
            score = sum((r.points if r.points is not None else float(r.verdict is TestVerdict.AC)) for r in results)
            score = score / total if total else 0.0
        else:
            score = float(verdict is Verdict.AC)
        return JudgeResult(verdict=verdict, score=score, passed=passed, total=total, language=lang.id,
                           toolchain=compiled.toolchain, compile=compiled, tests=results, message=message)

    # ------------------------------------------------------------------ one test
    def _judge_test(self, problem: JudgeProblem, exe: Executable, test: TestCase, limits: Limits,
                    checker_exe: Executable | None) -> TestResult:
        input_data = test.read_input()
        file_io = problem.input_mode if isinstance(problem.input_mode, FileIO) else None
        files, stdin, collect = {}, input_data, ()
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
                return TestResult(verdict=TestVerdict.WA, message=f"no output file {collect[0]}", **base)
            output = run.files[collect[0]]
        else:
            output = run.stdout
        outcome = self._check(problem, test, input_data, output, checker_exe)
        if outcome.verdict is CheckerVerdict.FAIL:
            return TestResult(verdict=TestVerdict.JUDGE_ERROR, message=f"checker failed: {outcome.message}", **base)
        if outcome.verdict is CheckerVerdict.PARTIAL:
            return TestResult(verdict=TestVerdict.WA if not outcome.points else TestVerdict.AC,
                              message=outcome.message, points=outcome.points, **base)
        verdict = TestVerdict.AC if outcome.ok else TestVerdict.WA
        return TestResult(verdict=verdict, message=outcome.message, **base)

    def _run_with_retry(self, exe: Executable, **kwargs) -> RunResult:
        for _ in range(SANDBOX_RETRIES + 1):
            result = self.backend.run(exe, **kwargs)
            if result.status is not Status.SANDBOX_ERROR:
                return result
        return result

    # ------------------------------------------------------------------ checkers
    def _checker_executable(self, problem: JudgeProblem) -> Executable | None | str:
        """The compiled checker, None for a built-in one, or the reason it cannot run."""
        spec = problem.checker
        if isinstance(spec, ProgramCheckerSpec):
            language = spec.language or "cpp17"
        elif isinstance(spec, PythonCheckerSpec):
            language = "python3"
        else:
            return None
        compiled = self.compile(spec.code or "", language)
        if not compiled.ok:
            return f"the checker does not compile ({compiled.reason}): {compiled.diagnostics[:2000]}"
        return compiled.executable

    def _check(self, problem: JudgeProblem, test: TestCase, input_data: bytes, output: bytes,
               checker_exe: Executable | None) -> CheckerOutcome:
        answer = test.read_answer()
        spec = problem.checker
        if checker_exe is None:
            return get_checker(spec)(input_data, output, answer)
        if answer is None:
            return CheckerOutcome(verdict=CheckerVerdict.FAIL, message="the test has no answer file")
        if isinstance(spec, PythonCheckerSpec):
            invocation = build_python_checker_invocation(spec, input_data, output, answer)
        else:
            invocation = build_testlib_invocation(input_data, output, answer, spec.time_limit)
        limits = CHECKER_LIMITS
        if invocation.time_limit:
            limits = limits.model_copy(update={"cpu_time": invocation.time_limit,
                                               "wall_time": 2 * invocation.time_limit + 1})
        run = self._run_with_retry(checker_exe, files=invocation.files, limits=limits,
                                   argv_extra=tuple(invocation.args))
        if run.status is Status.SANDBOX_ERROR:
            return CheckerOutcome(verdict=CheckerVerdict.FAIL, message=run.message)
        timed_out = run.status is Status.TLE
        if isinstance(spec, PythonCheckerSpec):
            return parse_python_checker_result(run.exit_code, run.stdout, run.stderr, signal=run.signal,
                                               timed_out=timed_out, crash_as_wa=spec.crash_as_wa)
        return parse_testlib_result(run.exit_code, run.stdout, run.stderr, signal=run.signal, timed_out=timed_out)

"""Judging: compile once, run the tests in parallel on a backend, check each output.

The verdict must be trustworthy for datasets and RL rewards: a broken checker or a failing
sandbox is JUDGE_ERROR (after a retry), never WA; a compile error is CE with diagnostics.
The parts are small and separate: graders (`graders/`) turn one test into one result,
checkers (`checkers/`) own their invocation and parsing, `scoring` makes the verdict and
score, `retry` is the one retry rule, and this module wires them with the compile cache and
the fair pool."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sandbox.backends.base import Backend
from sandbox.judge.cancel import Cancellation
from sandbox.judge.checkers import Checker, CheckerUnavailable, make_checker
from sandbox.judge.dispatch import run_tests
from sandbox.judge.graders import BatchGrader, Grader, InteractiveGrader
from sandbox.judge.model import InteractorSpec, JudgeProblem, TestCase
from sandbox.judge.retry import with_retry
from sandbox.judge.scheduler import FairPool
from sandbox.judge.scoring import JudgeOptions, summarise, unjudged
from sandbox.languages import Language, get_language
from sandbox.limits import Limits
from sandbox.result import CompileResult, Executable, JudgeResult, RunResult, TestResult, Verdict

TESTLIB_ENV = "CPFORGE_TESTLIB"


class Judge:
    """Judges submissions on one backend. Thread-safe; compiled programs (solutions and
    checkers alike) are cached by source digest, and identical sources compile once even
    when requested concurrently."""

    def __init__(self, backend: Backend, jobs: int | None = None, *,
                 testlib: str | Path | bytes | None = None, max_compiled: int = 1024,
                 lazy_syntax_check: bool = True) -> None:
        """`max_compiled` bounds the in-memory compile cache (least recently used entries
        go first; the backend's on-disk cache still has them): a long-lived reward server
        sees a new source for nearly every completion.

        `lazy_syntax_check`: a Python (or PyPy) source is run on the tests first and
        syntax-checked only when its verdict leaves room for a syntax error (it did not pass,
        and on a batch problem did not fail by a wrong answer, which needs a program that
        ran). A source that does not compile exits at once with an error, so that is exactly
        when the check can turn the verdict into CE: verdicts are the same as checking first,
        and a source that passes costs one sandboxed run less. False checks first."""
        self.testlib = read_testlib(testlib)  # first: a bad setting must not leak threads
        self.lazy_syntax_check = lazy_syntax_check
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
                extra_files: dict[str, bytes] | None = None, syntax_check: bool = True) -> CompileResult:
        """`Backend.compile`, once per distinct source (and `syntax_check` setting)."""
        lang = get_language(language)
        extra = b"".join(name.encode() + b"\0" + data for name, data in sorted((extra_files or {}).items()))
        key = (lang.id if syntax_check else f"{lang.id}/unchecked", lang.digest(source.encode() + b"\0" + extra))
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
                result = self.backend.compile(source, lang, extra_files=extra_files, syntax_check=syntax_check)
            except BaseException as exc:
                future.set_exception(exc)
                with self._lock:
                    self._compiled.pop(key, None)
                raise
            if result.status is Verdict.SANDBOX_ERROR:
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

    # ------------------------------------------------------------------ run
    def run(self, executable: Executable, **kwargs: object) -> RunResult:
        """One sandboxed run (`Backend.run`'s arguments), retried once on a sandbox
        failure: the one run path of test runs, sandboxed checkers and `/run_code`."""
        return with_retry(lambda: self.backend.run(executable, **kwargs),  # type: ignore[arg-type]
                          lambda result: result.status is Verdict.SANDBOX_ERROR)

    # ------------------------------------------------------------------ judge
    def judge(self, problem: JudgeProblem, source: str, language: str | Language,
              options: JudgeOptions | None = None, cancel: Cancellation | None = None) -> JudgeResult:
        """Compiles (cached) and runs the tests. Under `stop_on_first_failure` (binary score)
        no test starts once one has failed. `cancel` lets the caller give up: no further
        test starts and JudgeCancelled is raised (a verdict from a partial run is not one)."""
        options = options or JudgeOptions()
        lang = get_language(language)
        total = len(problem.tests)
        if cancel is not None:
            cancel.raise_if_cancelled()
        # An interpreted language's compile step is only a syntax check, a sandboxed run of
        # its own: it runs only when the tests leave room for a syntax error (see below).
        lazy = lang.interpreted and self.lazy_syntax_check
        compiled = self.compile(source, lang, syntax_check=not lazy)
        if not compiled.ok:
            return self._not_compiled(compiled, lang.id, total)
        assert compiled.executable is not None  # an OK compile has its program
        grader = self._grader(problem, compiled.executable)
        if isinstance(grader, str):
            return unjudged(Verdict.JUDGE_ERROR, grader, compiled, lang.id, total)
        if cancel is not None:
            cancel.raise_if_cancelled()  # the compile may have taken a while
        ordered = problem.ordered_tests(options.samples_first)
        if self.backend.remote and isinstance(grader, BatchGrader):
            grader.prefetch(self.backend, ordered)
        results = run_tests(self.pool, ordered, grader.grade,
                            lambda r: r.verdict is not Verdict.AC, _skipped, stop_early=options.stops_early,
                            cancel=cancel)
        result = summarise(results, compiled, lang.id, options)
        if lazy and not _ran_its_code(result.verdict, interactive=problem.interactor is not None):
            checked = self.compile(source, lang)  # the real syntax check, exactly as an eager judge runs it
            if not checked.ok:
                return self._not_compiled(checked, lang.id, total)
        return result

    @staticmethod
    def _not_compiled(compiled: CompileResult, language: str, total: int) -> JudgeResult:
        verdict = Verdict.CE if compiled.status is Verdict.CE else Verdict.JUDGE_ERROR
        return unjudged(verdict, compiled.reason, compiled, language, total)

    def _grader(self, problem: JudgeProblem, executable: Executable) -> Grader | str:
        """The problem's grader with its checker (and interactor) ready, or the reason they
        cannot run."""
        checker = self._prepare_checker(problem)
        if isinstance(checker, str):
            return checker
        limits = Limits(cpu_time=problem.time_limit, memory_mb=problem.memory_limit)
        if problem.interactor is None:
            return BatchGrader(problem, executable, limits, checker, self.run)
        interactor = self._interactor_executable(problem.interactor)
        if isinstance(interactor, str):
            return interactor
        return InteractiveGrader(problem.interactor, executable, interactor, limits, checker, self.backend,
                                 self._companions)

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


class _CheckerSandbox:
    """The judge as a sandboxed checker sees it: compiles go through its cache (with
    testlib.h beside C++ sources), runs are retried once on a sandbox failure."""

    def __init__(self, judge: Judge) -> None:
        self._judge = judge

    def compile(self, code: str, language: str) -> CompileResult:
        return self._judge.compile(code, language, self._judge._helper_files(language))

    def run(self, program: Executable, *, files: dict[str, bytes], limits: Limits,
            args: tuple[str, ...]) -> RunResult:
        return self._judge.run(program, files=files, limits=limits, argv_extra=args)


def _skipped(test: TestCase, message: str, ran: TestResult | None) -> TestResult:
    """SKIPPED: never run (no CPU spent), or run beside the deciding failure (its real
    measurements kept, its verdict not counted)."""
    if ran is None:
        return TestResult(name=test.name, verdict=Verdict.SKIPPED, is_sample=test.is_sample, message=message)
    return ran.model_copy(update={"verdict": Verdict.SKIPPED, "message": message, "points": None})


def _ran_its_code(verdict: Verdict, *, interactive: bool) -> bool:
    """Whether a verdict proves the program got past compiling: it passed, or (on a batch
    problem, where a program that exits at once with an error is RE) printed a wrong answer.
    An interactor may call an early exit a wrong answer, so there WA proves nothing."""
    return verdict is Verdict.AC or (verdict is Verdict.WA and not interactive)


def read_testlib(setting: str | Path | bytes | None) -> bytes | None:
    """testlib.h is not bundled (its licence and version are the user's choice): the
    setting, or CPFORGE_TESTLIB, names the header or a directory holding it. Bytes are the
    header itself (read once on a cluster's driver, which alone has the file)."""
    if isinstance(setting, bytes):
        return setting
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

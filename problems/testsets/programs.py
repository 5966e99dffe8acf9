"""A package's programs in the sandbox: compiled once, run per test with their own limits.

Generators, validators and solutions are untrusted code like any submission, so they run
through the judge's compile cache and its retried sandbox runs, never on the host. Every
failure becomes a TestsetError that names the test and the program, so a setter can fix
the package without reading logs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from problems.testsets.errors import TestsetError
from problems.testsets.plan import GenerationPlan, PlannedTest
from problems.testsets.sources import ProgramSource
from sandbox.judge.judging import Judge
from sandbox.judge.model import program_io
from sandbox.languages import get_language
from sandbox.limits import Limits
from sandbox.result import Executable, RunResult

GENERATOR_LIMITS = Limits(cpu_time=10, memory_mb=1024)


def clip(text: str, limit: int = 300) -> str:
    """A program's message on one line, short enough for an error message."""
    flat = " | ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def run_failure(run: RunResult) -> str:
    """Why a run failed, with what the program said."""
    said = clip(run.stderr.decode("utf-8", errors="replace") or run.stdout.decode("utf-8", errors="replace"))
    return f"{run.status.value} ({run.message or 'no detail'})" + (f": {said}" if said else "")


class PackagePrograms:
    """The compiled programs of one plan. `compile_all` builds every program a run needs
    (generators named by tests, the validator, the main solution) before any test runs."""

    def __init__(self, judge: Judge, plan: GenerationPlan, generator_limits: Limits = GENERATOR_LIMITS) -> None:
        self.judge = judge
        self.plan = plan
        self.generator_limits = generator_limits
        self.solution_limits = Limits(cpu_time=plan.time_limit, memory_mb=plan.memory_limit)
        self._built: dict[str, Executable] = {}

    def _extra_files(self, program: ProgramSource) -> dict[str, bytes]:
        files = dict(self.plan.resource_data)
        if self.judge.testlib is not None and get_language(program.language).uses_testlib:
            files["testlib.h"] = self.judge.testlib  # --testlib wins over a package's own copy
        return files

    def _compile(self, program: ProgramSource, role: str, first_use: str) -> Executable:
        compiled = self.judge.compile(program.code, program.language, self._extra_files(program) or None)
        if not compiled.ok or compiled.executable is None:
            detail = clip(compiled.diagnostics) if compiled.diagnostics else ""
            raise TestsetError(f"{first_use}: {role} {program.path} does not compile ({compiled.reason})"
                               + (f": {detail}" if detail else ""))
        return compiled.executable

    def compile_all(self, jobs: int) -> None:
        """Compiles in parallel; the first failure in package order is the one reported."""
        wanted: list[tuple[str, ProgramSource, str, str]] = []  # (key, program, role, first use)
        for test in self.plan.tests:
            if test.cmd is not None and f"gen:{test.argv[0]}" not in {w[0] for w in wanted}:
                wanted.append((f"gen:{test.argv[0]}", self.plan.generators[test.argv[0]],
                               f"generator {test.argv[0]!r}", test.label))
        if self.plan.validator is not None:
            wanted.append(("validator", self.plan.validator, "validator", "validating the tests"))
        wanted.append(("main", self.plan.main.program, "main solution", "writing the answers"))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [(key, pool.submit(self._compile, program, role, first_use))
                       for key, program, role, first_use in wanted]
        for key, future in futures:
            self._built[key] = future.result()

    # ------------------------------------------------------------------ per test
    def generate(self, test: PlannedTest) -> bytes:
        """The generator's stdout for this test's command."""
        name, *args = test.argv
        run = self.judge.run(self._built[f"gen:{name}"], limits=self.generator_limits, argv_extra=tuple(args))
        if not run.ok:
            raise TestsetError(f"{test.label}: generator {name!r} failed: {run_failure(run)}")
        if run.stdout_truncated:
            raise TestsetError(f"{test.label}: generator {name!r} wrote more than "
                               f"{self.generator_limits.output_bytes} bytes")
        if not run.stdout:
            raise TestsetError(f"{test.label}: generator {name!r} wrote nothing to standard output")
        return run.stdout

    def validate(self, test: PlannedTest, data: bytes) -> None:
        """testlib's convention: the input on stdin, exit code 0 for a valid one."""
        if "validator" not in self._built:
            return
        run = self.judge.run(self._built["validator"], stdin=data, limits=self.generator_limits)
        if not run.ok:
            said = clip(run.stderr.decode("utf-8", errors="replace") or run.stdout.decode("utf-8", errors="replace"))
            raise TestsetError(f"{test.label}: the validator rejects the input: {said or run_failure(run)}")

    def answer(self, test: PlannedTest, data: bytes) -> bytes:
        """The main solution's output, under the problem's own limits and I/O mode."""
        main = self.plan.main
        stdin, files, collect = program_io(self.plan.input_mode, data)
        run = self.judge.run(self._built["main"], stdin=stdin, files=files, collect=collect,
                             limits=self.solution_limits)
        if not run.ok:
            raise TestsetError(f"{test.label}: main solution {main.path} failed: {run_failure(run)}")
        if collect:
            if collect[0] not in run.files:
                raise TestsetError(f"{test.label}: main solution {main.path} wrote no {collect[0]}")
            return run.files[collect[0]]
        return run.stdout

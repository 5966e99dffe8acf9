"""`build-dataset bench tests`: what making tests and measuring their strength cost.

Two figures the issue asks for, side by side in one run on one judge:

- **generation**: `tests generate` (the library call the command makes) on each generator
  package, for its wall time and tests per second. `generate_tests` reports no breakdown,
  so a second pass runs its steps again with the same pieces (`read_plan`,
  `PackagePrograms`, the main and accepted solutions judged on the output) one step at a
  time over every generated test, at the same parallelism: the generator (twice, as
  `generate` does to check it is deterministic), the validator, the main solution's
  answer, the agreement of the main and accepted solutions. Each step's wall time over the
  tests is its amortised cost per generated test; their sum sits beside the real run's
  cost per test, so the breakdown can be checked against the figure it explains.
- **strength**: `tests strength` (`measure_strength`, as the command calls it) on the
  generated directories and on the bundled set, for solutions judged, test runs, wall
  time and seconds per solution, and as a ratio to a plain judge of only the known-correct
  solutions (what a pipeline pays anyway: strength adds the known-wrong ones). Every
  tagged solution is compiled first, timed apart, so that neither judge run pays for the
  compiles and the ratio compares test runs with test runs; the plain judge goes first.

The packages are arguments: the test packages under tests/problems/data/testgen ship with
the source checkout only, not with the wheel, and are the default only when present. The
bundled set ships with the package and is found through it (`bundled_root`)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, Field, computed_field

from problems.testsets.errors import TestsetError
from problems.testsets.generate import GenerateOptions, GenerationSummary, generate_tests
from problems.testsets.plan import read_plan
from problems.testsets.programs import PackagePrograms
from problems.testsets.report import StrengthReport
from problems.testsets.solutions import TaggedSolution, find_solutions
from problems.testsets.strength import measure_strength
from sandbox.judge import ProblemFormatError, load_problem
from sandbox.judge.judging import Judge
from sandbox.judge.model import JudgeProblem
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import JudgeResult, Verdict

__all__ = ["GenerationFigures", "StrengthFigures", "TestsBenchResult", "default_packages", "run_tests_bench"]

_In = TypeVar("_In")
_Out = TypeVar("_Out")


def default_packages() -> list[Path]:
    """The bundled problems that ship generators (a `testset.json` listing generated tests):
    they come with the wheel, and a directory `tests generate` wrote regenerates itself
    byte for byte, so generating from them measures a real package's work."""
    import json

    packages = []
    for directory in bundled_dirs():
        sidecar = directory / "testset.json"
        if sidecar.is_file() and any("cmd" in test for test in json.loads(sidecar.read_text())["tests"]):
            packages.append(directory)
    return packages


def bundled_dirs() -> list[Path]:
    """Every problem directory of the bundled set, in name order."""
    from problems.samples import bundled_root

    root = bundled_root()
    return sorted(p for p in root.iterdir() if (p / "problem.json").is_file())


# --------------------------------------------------------------------------- figures
class GenerationFigures(BaseModel):
    """One package through `tests generate`, and its steps' cost per generated test
    (milliseconds of wall time at the bench's parallelism, amortised over the tests)."""

    package: str
    problem: str
    format: str
    tests: int
    generated: int
    wall: float = Field(description="the `tests generate` run, seconds")
    tests_per_second: float = Field(description="tests written (generated and manual) per second")
    generated_per_second: float
    agreeing_solutions: int = Field(description="main + accepted solutions judged on the output")
    generator_ms: float = Field(description="the generator, run twice per test (the determinism check)")
    validator_ms: float
    answer_ms: float = Field(description="the main solution writing the answer")
    agreement_ms: float = Field(description="main and accepted solutions judged on the test")
    out: str | None = Field(description="the generated directory; None once removed (no --keep)")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def steps_ms(self) -> float:
        """The four steps per generated test together: what a further test costs."""
        return round(self.generator_ms + self.validator_ms + self.answer_ms + self.agreement_ms, 2)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def run_ms_per_test(self) -> float:
        """The real run's wall time per generated test, to set the steps' sum against."""
        return round(1000 * self.wall / self.generated, 2) if self.generated else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rest_ms(self) -> float:
        """What the steps leave out of the run, per generated test: compiling, the manual
        tests, writing, loading and hashing the directory."""
        return round(self.run_ms_per_test - self.steps_ms, 2)


class StrengthFigures(BaseModel):
    """`tests strength` on one set of problem directories, next to a plain judge of only
    its known-correct solutions."""

    set: str
    problems: int
    tests: int
    judged: int = Field(description="tagged solutions judged")
    correct: int = Field(description="known-correct solutions counted in TPR")
    wrong: int = Field(description="known-wrong solutions counted in TNR")
    uncounted: int = Field(description="compile errors, judge errors and tags that promise neither")
    test_runs: int
    wall: float
    seconds_per_solution: float
    runs_per_second: float
    tpr: float | None
    tnr: float | None
    compile_seconds: float = Field(description="compiling every tagged solution first (apart from both runs)")
    compiled: int
    plain_judged: int = Field(description="known-correct solutions judged by the plain judge")
    plain_test_runs: int
    plain_wall: float
    ratio: float | None = Field(description="strength wall / plain judge wall")
    runs_ratio: float | None = Field(description="strength test runs / plain judge test runs")


class TestsBenchResult(BaseModel):
    __test__ = False  # not a pytest test class, despite the name

    cores: int
    jobs: int
    generation: list[GenerationFigures]
    strength: list[StrengthFigures]
    wall: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def generated(self) -> int:
        return sum(g.generated for g in self.generation)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def generation_wall(self) -> float:
        return round(sum(g.wall for g in self.generation), 3)

    def render(self) -> str:
        lines = [f"bench tests: {self.cores} cores, jobs {self.jobs}; {self.wall:.1f} s in all", "",
                 "tests generate: the run (tests = generated + manual), then ms of wall per generated test, "
                 f"amortised at jobs {self.jobs}",
                 "  (generator: both runs of the determinism check; agree: main + accepted judged; rest: the run "
                 "per generated test minus the steps: compiles, manual tests, writing and loading)"]
        header = (f"  {'package':<18}{'format':<9}{'tests':>6}{'gen':>5}{'wall s':>8}{'tests/s':>9}{'gen/s':>8}"
                  f"  {'generator':>9}{'validator':>10}{'answer':>8}{'agree':>8}{'= steps':>9}{'rest':>8}"
                  f"{'run':>8}")
        lines.append(header)
        for g in self.generation:
            lines.append(f"  {Path(g.package).name[:17]:<18}{g.format:<9}{g.tests:>6}{g.generated:>5}{g.wall:>8.2f}"
                         f"{g.tests_per_second:>9.1f}{g.generated_per_second:>8.1f}  {g.generator_ms:>9.1f}"
                         f"{g.validator_ms:>10.1f}{g.answer_ms:>8.1f}{g.agreement_ms:>8.1f}{g.steps_ms:>9.1f}"
                         f"{g.rest_ms:>8.1f}{g.run_ms_per_test:>8.1f}")
        if len(self.generation) > 1:
            tests = sum(g.tests for g in self.generation)
            wall = self.generation_wall
            rate = f"{tests / wall:>9.1f}{self.generated / wall:>8.1f}" if wall else f"{'-':>9}{'-':>8}"
            lines.append(f"  {'all':<18}{'':<9}{tests:>6}{self.generated:>5}{wall:>8.2f}{rate}")
        lines.append("  (agree: " + "; ".join(f"{Path(g.package).name} {g.agreeing_solutions} solutions"
                                              for g in self.generation) + ")")
        lines += ["", "tests strength: every tagged solution (correct: all tests; wrong: to the first failure), "
                      "after compiling them all (timed apart)",
                  "  (other: compile errors, judge errors, tags that promise neither; plain: only the known-correct "
                  "solutions, judged as a pipeline does; x: strength over plain)"]
        lines.append(f"  {'set':<10}{'problems':>9}{'tests':>7}{'judged':>7}{'correct':>8}{'wrong':>6}{'other':>6}"
                     f"{'runs':>7}{'wall s':>8}{'s/sol':>7}{'runs/s':>8}{'TPR':>7}{'TNR':>7}{'compile s':>10}"
                     f" |{'plain sols':>11}{'runs':>6}{'wall s':>8} |{'x wall':>7}{'x runs':>7}")
        for s in self.strength:
            lines.append(f"  {s.set:<10}{s.problems:>9}{s.tests:>7}{s.judged:>7}{s.correct:>8}{s.wrong:>6}"
                         f"{s.uncounted:>6}{s.test_runs:>7}{s.wall:>8.2f}{s.seconds_per_solution:>7.3f}"
                         f"{s.runs_per_second:>8.1f}{_rate(s.tpr):>7}{_rate(s.tnr):>7}{s.compile_seconds:>10.2f}"
                         f" |{s.plain_judged:>11}{s.plain_test_runs:>6}{s.plain_wall:>8.2f} |"
                         f"{_times(s.ratio):>7}{_times(s.runs_ratio):>7}")
        return "\n".join(lines)


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


# --------------------------------------------------------------------------- the run
def run_tests_bench(judge: Judge, packages: Sequence[Path], *, bundled: bool = True, work: Path | None = None,
                    jobs: int = 2, progress: bool = True) -> TestsBenchResult:
    """Generates every package's tests into `work` (a temporary folder, removed, when
    None), then measures strength on the outputs and, with `bundled`, on the bundled set."""
    if not packages:
        raise TestsetError("no generator package to bench: pass --package PATH (the default test packages ship "
                           "with the source checkout only)")
    for package in packages:
        if not (package / "problem.json").is_file() and not (package / "problem.xml").is_file():
            raise TestsetError(f"{package}: not a package (neither problem.json nor problem.xml found)")
    started = time.perf_counter()
    folder = work if work is not None else Path(tempfile.mkdtemp(prefix="cpforge-bench-tests-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        generation = [_bench_generation(judge, package, _out_dir(folder, package, index), jobs, progress)
                      for index, package in enumerate(packages)]
        sets = [("generated", [_out_dir(folder, package, index) for index, package in enumerate(packages)])]
        if bundled:
            sets.append(("bundled", bundled_dirs()))
        strength = [_bench_strength(judge, name, roots, jobs, progress) for name, roots in sets]
    finally:
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)
    if work is None:  # the figures must not point at folders that are gone
        generation = [g.model_copy(update={"out": None}) for g in generation]
    return TestsBenchResult(cores=os.cpu_count() or 1, jobs=jobs, generation=generation, strength=strength,
                            wall=round(time.perf_counter() - started, 3))


def _out_dir(folder: Path, package: Path, index: int) -> Path:
    """One output per package, numbered so two packages of the same name do not collide."""
    return folder / f"{index + 1:02d}-{package.resolve().name}"


def _map(jobs: int, function: Callable[[_In], _Out], items: Iterable[_In]) -> tuple[list[_Out], float]:
    """`function` over `items` on `jobs` threads, in order, with the wall time it took."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="bench-tests") as pool:
        results = list(pool.map(function, items))
    return results, time.perf_counter() - started


def _bench_generation(judge: Judge, package: Path, out: Path, jobs: int, progress: bool) -> GenerationFigures:
    summary: GenerationSummary = generate_tests(package, out, judge,
                                                GenerateOptions(jobs=jobs, force=True, progress=progress))
    plan = read_plan(package)
    programs = PackagePrograms(judge, plan)
    programs.compile_all(jobs)  # in the judge's cache since the run: no compile is timed below
    tests = [t for t in plan.tests if t.cmd is not None]
    inputs, first = _map(jobs, programs.generate, tests)
    _, second = _map(jobs, programs.generate, tests)  # `generate` runs each twice; so does the bench
    _, validating = _map(jobs, lambda item: programs.validate(*item), list(zip(tests, inputs)))
    _, answering = _map(jobs, lambda item: programs.answer(*item), list(zip(tests, inputs)))
    agreeing = [plan.main, *plan.accepted]
    agreement = _agreement(judge, _load(out), {str(t.index) for t in tests}, agreeing)
    per_test = 1000 / len(tests) if tests else 0.0
    seconds = summary.seconds
    return GenerationFigures(
        package=str(package), problem=summary.problem, format=summary.format, tests=summary.tests,
        generated=summary.generated, wall=seconds, tests_per_second=summary.tests_per_second,
        generated_per_second=round(summary.generated / seconds, 2) if seconds else 0.0,
        agreeing_solutions=len(agreeing), generator_ms=round((first + second) * per_test, 2),
        validator_ms=round(validating * per_test, 2) if plan.validator is not None else 0.0,
        answer_ms=round(answering * per_test, 2), agreement_ms=round(agreement * per_test, 2), out=str(out))


def _agreement(judge: Judge, problem: JudgeProblem, generated: set[str], solutions: list[TaggedSolution]) -> float:
    """Wall seconds to judge the solutions on the generated tests only, all at once as
    `generate` checks them (each stops at a failure; none fails on a finished output)."""
    only = problem.model_copy(update={"tests": [t for t in problem.tests if t.name in generated]})
    options = JudgeOptions(stop_on_first_failure=True, samples_first=False)
    results, seconds = _map(len(solutions), lambda s: judge.judge(only, s.program.code, s.program.language, options),
                            solutions)
    for solution, result in zip(solutions, results):
        if result.verdict is not Verdict.AC:
            raise TestsetError(f"{solution.path} got {result.verdict.value} on the generated tests of "
                               f"{problem.root}, which it passed in the run: {result.message}")
    return seconds


def _load(root: Path) -> JudgeProblem:
    try:
        return load_problem(root)
    except ProblemFormatError as error:
        raise TestsetError(str(error)) from None


def _bench_strength(judge: Judge, name: str, roots: list[Path], jobs: int, progress: bool) -> StrengthFigures:
    loaded = [(_load(root), find_solutions(root)) for root in roots]
    everything = [s for _, solutions in loaded for s in solutions]
    _, compiling = _map(jobs, lambda s: judge.compile(s.program.code, s.program.language), everything)
    correct = [(problem, s) for problem, solutions in loaded for s in solutions if s.rule.kind == "correct"]
    plain, plain_wall = _map(jobs, lambda item: _plain_judge(judge, *item), correct)
    report = measure_strength(roots, judge, jobs=jobs, progress=progress)
    return _strength_figures(name, report, compiling, len(everything), plain, plain_wall)


def _plain_judge(judge: Judge, problem: JudgeProblem, solution: TaggedSolution) -> JudgeResult:
    """A pipeline's judgement: stop at the first failure, samples first."""
    return judge.judge(problem, solution.program.code, solution.program.language, JudgeOptions())


def _strength_figures(name: str, report: StrengthReport, compiling: float, compiled: int, plain: list[JudgeResult],
                      plain_wall: float) -> StrengthFigures:
    runs = sum(o.tests_run for o in report.solutions)
    plain_runs = sum(r.executed for r in plain)
    wall = report.seconds
    judged = len(report.solutions)
    return StrengthFigures(
        set=name, problems=len(report.problems), tests=sum(p.tests for p in report.problems), judged=judged,
        correct=report.correct, wrong=report.wrong, uncounted=judged - report.correct - report.wrong,
        test_runs=runs, wall=wall, seconds_per_solution=round(wall / judged, 4) if judged else 0.0,
        runs_per_second=round(runs / wall, 2) if wall else 0.0, tpr=report.tpr, tnr=report.tnr,
        compile_seconds=round(compiling, 3), compiled=compiled, plain_judged=len(plain), plain_test_runs=plain_runs,
        plain_wall=round(plain_wall, 3), ratio=round(wall / plain_wall, 3) if plain_wall else None,
        runs_ratio=round(runs / plain_runs, 3) if plain_runs else None)

"""`build-dataset tests generate PACKAGE --out DIR`: a package's tests, made as its setters do.

Order of work, so that nothing untrustworthy is written: read the plan (fails on missing
generators or main before any run), compile every program once, then per test (in
parallel): run its generator twice (a generator must take its seed from its arguments; two
different outputs are reported), validate the input, write the answer with the main
solution. Then the staged directory is loaded as the judge will load it, and the main and
every accepted solution are judged on it under the problem's checker: one that disagrees
is an error naming the test. Only then is the directory moved into place."""

from __future__ import annotations

import shutil
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from problems.testsets.errors import TestsetError
from problems.testsets.plan import GenerationPlan, PlannedTest, read_plan
from problems.testsets.programs import GENERATOR_LIMITS, PackagePrograms
from problems.testsets.solutions import TaggedSolution
from problems.testsets.writer import MadeTest, finish, staging_dir, testset_file, write_problem
from sandbox.judge import ProblemFormatError, load_problem
from sandbox.judge.judging import Judge
from sandbox.judge.model import JudgeProblem
from sandbox.judge.scoring import JudgeOptions
from sandbox.limits import Limits
from sandbox.result import Verdict


class GenerateOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    jobs: int = Field(2, ge=1)
    generator_limits: Limits = GENERATOR_LIMITS
    allow_nondeterministic: bool = False
    force: bool = False
    progress: bool = True


class Nondeterministic(BaseModel):
    test: int
    cmd: str


class GenerationSummary(BaseModel):
    """What a run made, for the command's output and the bench."""

    problem: str
    package: str
    format: str
    out: str
    tests: int
    generated: int
    manual: int
    samples: int
    bytes: int
    testset_hash: str
    checked_solutions: list[str]
    nondeterministic: list[Nondeterministic]
    seconds: float
    tests_per_second: float

    def render(self) -> str:
        lines = [f"{self.problem}: {self.tests} tests ({self.generated} generated, {self.manual} manual, "
                 f"{self.samples} samples, {self.bytes / 1e6:.2f} MB) -> {self.out}",
                 f"testset hash {self.testset_hash}; {self.tests_per_second:.1f} tests/s ({self.seconds:.2f} s)",
                 f"answers by the main solution, agreed by: {', '.join(self.checked_solutions)}"]
        for item in self.nondeterministic:
            lines.append(f"warning: test {item.test} (`{item.cmd}`): the generator wrote different output on two "
                         "runs; the first run's was kept")
        return "\n".join(lines)


def generate_tests(package: Path, out: Path, judge: Judge, options: GenerateOptions | None = None
                   ) -> GenerationSummary:
    options = options or GenerateOptions()
    started = time.perf_counter()
    if out.exists() and not options.force:
        raise TestsetError(f"{out}: already exists (pass --force to replace it)")
    if out.resolve() == package.resolve():
        raise TestsetError(f"{out}: the output must not be the package itself")
    plan = read_plan(package)
    programs = PackagePrograms(judge, plan, options.generator_limits)
    programs.compile_all(options.jobs)
    made, unstable = _make_tests(plan, programs, options)
    staging = staging_dir(out)
    try:
        write_problem(plan, made, staging)
        problem = _load(staging)
        checked = _check_solutions(plan, problem, judge)
        testset_hash = problem.testset_hash()
        finish(staging, testset_file(plan, made, testset_hash), out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    seconds = time.perf_counter() - started
    return GenerationSummary(
        problem=plan.name, package=str(package), format=plan.format, out=str(out), tests=len(made),
        generated=sum(m.test.cmd is not None for m in made), manual=sum(m.test.cmd is None for m in made),
        samples=sum(m.test.sample for m in made), bytes=sum(len(m.input) + len(m.answer) for m in made),
        testset_hash=testset_hash, checked_solutions=checked,
        nondeterministic=[Nondeterministic(test=t.index, cmd=t.cmd or "") for t in unstable],
        seconds=round(seconds, 3), tests_per_second=round(len(made) / seconds, 2) if seconds else 0.0)


def _make_tests(plan: GenerationPlan, programs: PackagePrograms, options: GenerateOptions
                ) -> tuple[list[MadeTest], list[PlannedTest]]:
    """Every test's input and answer, made in parallel; on failures, the lowest-numbered
    test's error is raised (the same one whatever the scheduling)."""
    from tqdm import tqdm

    unstable: list[PlannedTest] = []

    def make(test: PlannedTest) -> MadeTest:
        if test.cmd is None:
            data = test.read_manual()
        else:
            data = programs.generate(test)
            if programs.generate(test) != data:
                if not options.allow_nondeterministic:
                    raise TestsetError(f"{test.label}: generator {test.argv[0]!r} is not deterministic: two runs "
                                       "with the same arguments wrote different output (take the seed from the "
                                       "arguments; --allow-nondeterministic keeps the first run's)")
                unstable.append(test)
        programs.validate(test, data)
        return MadeTest(test=test, input=data, answer=programs.answer(test, data))

    bar = tqdm(total=len(plan.tests), desc=f"generating {plan.name}", unit="test", file=sys.stderr,
               disable=not options.progress, dynamic_ncols=True)
    futures: list[Future[MadeTest]] = []
    with ThreadPoolExecutor(max_workers=options.jobs, thread_name_prefix="testgen") as pool:
        for test in plan.tests:
            future = pool.submit(make, test)
            future.add_done_callback(lambda f: bar.update(1))
            futures.append(future)
        for future in futures:
            if future.exception() is not None:
                for other in futures:
                    other.cancel()  # a broken package: stop starting tests
                break
    bar.close()
    errors = [f.exception() for f in futures if not f.cancelled() and f.exception() is not None]
    if errors:
        raise errors[0]  # type: ignore[misc]  # futures are in test order: the lowest test's error
    unstable.sort(key=lambda t: t.index)
    return [f.result() for f in futures], unstable


def _load(staging: Path) -> JudgeProblem:
    try:
        return load_problem(staging)
    except ProblemFormatError as error:  # a bug here, not in the package: say so plainly
        raise TestsetError(f"the generated directory does not load: {error}") from None


def _check_solutions(plan: GenerationPlan, problem: JudgeProblem, judge: Judge) -> list[str]:
    """The main solution (its answers must satisfy the checker) and every accepted one
    must pass every test; returns their paths."""
    options = JudgeOptions(stop_on_first_failure=True, samples_first=False)
    to_check: list[TaggedSolution] = [plan.main, *plan.accepted]
    with ThreadPoolExecutor(max_workers=max(1, len(to_check))) as pool:
        results = list(pool.map(lambda s: judge.judge(problem, s.program.code, s.program.language, options),
                                to_check))
    by_name = {str(t.index): t for t in plan.tests}
    for solution, result in zip(to_check, results):
        if result.verdict is Verdict.AC:
            continue
        role = "main solution" if solution.tag == "main" else "accepted solution"
        if result.verdict is Verdict.CE:
            raise TestsetError(f"{role} {solution.path} does not compile: {result.message}")
        failed = next((t for t in result.tests if t.verdict not in (Verdict.AC, Verdict.SKIPPED)), None)
        where = by_name[failed.name].label if failed is not None else "judging"
        detail = f"{failed.verdict.value}: {failed.message}" if failed is not None else result.message
        if solution.tag == "main":
            raise TestsetError(f"{where}: the checker rejects the main solution's own answer ({detail})")
        raise TestsetError(f"{where}: accepted solution {solution.path} disagrees with main solution "
                           f"{plan.main.path} under the checker ({detail})")
    return [s.path for s in to_check]

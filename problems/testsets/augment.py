"""`build-dataset tests augment DIR --out OUT`: more tests for a problem that has inputs but no generator.

Scraped problems come with a handful of tests that let wrong solutions through. New inputs
are made by mutating the existing ones (`mutate`), and only trusted ones are kept:

1. valid: the validator accepts it (when DIR has one); with no validator, every
   known-correct solution (tagged main / accepted) runs it without error within the
   problem's limits, which is the only evidence of validity there is;
2. answered: the reference (the main solution, else the first accepted one) writes the
   answer, and every known-correct solution must pass with that answer under the problem's
   checker. Rule: unanimity, not a vote. An input on which one of them disagrees is dropped
   and listed (a wrong answer from a "correct" solution means the input is outside what the
   problem promises, or the solution is wrong; either way the test cannot be trusted). At
   least K known-correct solutions are required up front (a single solution agreeing with
   itself proves nothing).

Sizes are pushed toward the limit by probing: each size target is tried in ascending order
(validator, or the reference without one) and the smallest and the largest accepted are
kept. OUT is written like `tests generate` writes: staged, loaded as the judge will load it,
then moved into place, with the original tests first. Each added test's entry in OUT's
testset.json says how it was made (`augmented`: the test it came from, the mutation, the
seed, the reference and every solution that agreed), so the provenance stays with the test
set it describes; a test that was itself added by an earlier run keeps its record. (Older
runs wrote it to a separate `augment.json`, which is neither written nor read now.)"""

from __future__ import annotations

import hashlib
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from problems.testsets.errors import TestsetError
from problems.testsets.mutate import Mutant, point_mutants, resize, size_targets
from problems.testsets.plan import GenerationPlan, PlannedTest
from problems.testsets.programs import GENERATOR_LIMITS, clip, run_failure
from problems.testsets.sidecar import TESTSET_FILE, Augmented, TestEntry, TestsetFile, read_sidecar
from problems.testsets.solutions import TaggedSolution
from problems.testsets.sources import ProgramSource
from problems.testsets.writer import MadeTest, finish, staging_dir, testset_file, write_problem
from sandbox.judge import ProblemFormatError, load_problem
from sandbox.judge.judging import Judge
from sandbox.judge.model import JudgeProblem, TestCase, program_io
from sandbox.judge.scoring import JudgeOptions
from sandbox.languages import get_language
from sandbox.limits import Limits
from sandbox.result import Executable, Verdict

_In = TypeVar("_In")
_Out = TypeVar("_Out")


class AugmentOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    k: int = Field(2, ge=1, description="known-correct solutions that must agree on every answer")
    per_test: int = Field(10, ge=0, description="nudge / bound / swap mutants tried per original test")
    seed: int = 0
    max_size: int = Field(200_000, ge=1, description="largest size a size mutant is pushed to")
    jobs: int = Field(2, ge=1)
    force: bool = False


class AddedTest(BaseModel):
    """An added test as the summary lists it (testset.json has the full record)."""

    name: str
    from_test: str
    kind: str
    provenance: str
    sha256: str


class DroppedInput(BaseModel):
    provenance: str
    reason: str


class AugmentSummary(BaseModel):
    """What a run tried, kept and dropped (with why), for the command's output and tests."""

    problem: str
    source: str
    out: str
    original: int
    tried: int
    added: list[AddedTest]
    dropped: list[DroppedInput]
    k: int
    agreed_by: list[str]
    testset_hash: str
    seconds: float

    @property
    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for test in self.added:
            counts[test.kind] = counts.get(test.kind, 0) + 1
        return counts

    def render(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.by_kind.items())) or "none"
        lines = [f"{self.problem}: {self.original} original + {len(self.added)} augmented tests ({kinds}) "
                 f"-> {self.out}",
                 f"tried {self.tried} mutants, dropped {len(self.dropped)}; answers agreed by all "
                 f"{len(self.agreed_by)} known-correct solutions (K = {self.k}): {', '.join(self.agreed_by)}",
                 f"testset hash {self.testset_hash} ({self.seconds:.2f} s)"]
        lines += [f"  test {t.name}: {t.provenance}" for t in self.added]
        disagreements = [d for d in self.dropped if "disagrees" in d.reason]
        lines += [f"  dropped ({d.provenance}): {d.reason}" for d in disagreements]
        return "\n".join(lines)


@dataclass
class _Screened:
    mutant: Mutant
    answer: bytes | None = None
    reason: str | None = None


def augment_tests(root: Path, out: Path, judge: Judge, options: AugmentOptions | None = None) -> AugmentSummary:
    options = options or AugmentOptions()
    started = time.perf_counter()
    if out.exists() and not options.force:
        raise TestsetError(f"{out}: already exists (pass --force to replace it)")
    if out.resolve() == root.resolve():
        raise TestsetError(f"{out}: the output must not be the problem directory itself")
    plan = _plan(root)
    original = _load(root, "the problem directory")
    if original.interactor is not None:
        raise TestsetError(f"{root}: interactive problems are not supported by tests augment")
    if not original.tests:
        raise TestsetError(f"{root}: no tests to mutate")
    correct = sorted((s for s in plan.solutions if s.rule.kind == "correct"), key=lambda s: s.tag != "main")
    if len(correct) < options.k:
        listed = ", ".join(s.path for s in correct) or "none"
        raise TestsetError(f"{root}: {len(correct)} known-correct solution(s) (tagged main/accepted: {listed}), fewer "
                           f"than K = {options.k} needed to agree on every answer; tag more solutions or lower --k")
    runner = _Runner(judge, plan, correct, options.jobs)
    inputs = [t.read_input() for t in original.tests]
    mutants = point_mutants(inputs, options.per_test, options.seed)
    screened = runner.map(runner.screen, mutants)
    screened += _size_mutants(runner, inputs, options, {m.data for m in mutants} | set(inputs))
    kept = _agreed(runner, original, [s for s in screened if s.reason is None])
    made, added = _made(original, kept)
    agreed_by = [s.path for s in correct]
    provenance = _provenance(root, original, kept, options, agreed_by)
    staging = staging_dir(out)
    try:
        write_problem(plan, made, staging)
        loaded = _load(staging, "the augmented directory")
        testset_hash = loaded.testset_hash()
        summary = AugmentSummary(
            problem=plan.name, source=str(root), out=str(out), original=len(original.tests),
            tried=len(screened), added=added, k=options.k, agreed_by=agreed_by,
            dropped=[DroppedInput(provenance=s.mutant.provenance, reason=s.reason or "") for s in screened
                     if s.reason is not None], testset_hash=testset_hash,
            seconds=round(time.perf_counter() - started, 3))
        finish(staging, _with_provenance(testset_file(plan, made, testset_hash), provenance), out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def _plan(root: Path) -> GenerationPlan:
    """The directory's programs, limits and checker, without the generation checks (a
    problem to augment needs no main solution, only K known-correct ones)."""
    from problems.testsets.cpforge_plan import cpforge_plan
    from problems.testsets.polygon_plan import polygon_plan

    if not root.is_dir():
        raise TestsetError(f"{root}: not a directory")
    if (root / "problem.json").is_file():
        return cpforge_plan(root)
    if (root / "problem.xml").is_file():
        return polygon_plan(root)
    raise TestsetError(f"{root}: not a problem: neither problem.json (cpforge) nor problem.xml (Polygon) found")


def _load(root: Path, what: str) -> JudgeProblem:
    try:
        return load_problem(root)
    except ProblemFormatError as error:
        raise TestsetError(f"{what} does not load: {error}") from None


class _Runner:
    """The validator and known-correct solutions, compiled once, run in the sandbox."""

    def __init__(self, judge: Judge, plan: GenerationPlan, correct: list[TaggedSolution], jobs: int) -> None:
        self.judge, self.plan, self.correct, self.jobs = judge, plan, correct, jobs
        self.limits = Limits(cpu_time=plan.time_limit, memory_mb=plan.memory_limit)
        programs: list[tuple[ProgramSource, str]] = [(s.program, "known-correct solution") for s in correct]
        if plan.validator is not None:
            programs.append((plan.validator, "validator"))
        built = self.map(lambda item: self._compile(*item), programs)
        self.solutions = built[: len(correct)]
        self.validator = built[len(correct)] if plan.validator is not None else None

    def map(self, function: Callable[[_In], _Out], items: Iterable[_In]) -> list[_Out]:
        """`function` over `items` in the sandbox's parallelism, results in order."""
        with ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="augment") as pool:
            return list(pool.map(function, items))

    def _compile(self, program: ProgramSource, role: str) -> Executable:
        files = dict(self.plan.resource_data)
        if self.judge.testlib is not None and get_language(program.language).uses_testlib:
            files["testlib.h"] = self.judge.testlib
        compiled = self.judge.compile(program.code, program.language, files or None)
        if not compiled.ok or compiled.executable is None:
            detail = f": {clip(compiled.diagnostics)}" if compiled.diagnostics else ""
            raise TestsetError(f"{role} {program.path} does not compile ({compiled.reason}){detail}")
        return compiled.executable

    def invalid(self, data: bytes) -> str | None:
        """Why the validator rejects the input; None when it accepts it (or there is none)."""
        if self.validator is None:
            return None
        run = self.judge.run(self.validator, stdin=data, limits=GENERATOR_LIMITS)
        if run.ok:
            return None
        said = clip(run.stderr.decode("utf-8", errors="replace") or run.stdout.decode("utf-8", errors="replace"))
        return f"the validator rejects it: {said or run_failure(run)}"

    def output(self, index: int, data: bytes) -> tuple[bytes | None, str | None]:
        """Solution `index`'s output on the input, or why it failed."""
        stdin, files, collect = program_io(self.plan.input_mode, data)
        run = self.judge.run(self.solutions[index], stdin=stdin, files=files, collect=collect, limits=self.limits)
        path = self.correct[index].path
        if not run.ok:
            return None, f"known-correct solution {path} fails: {run_failure(run)}"
        if collect:
            if collect[0] not in run.files:
                return None, f"known-correct solution {path} wrote no {collect[0]}"
            return run.files[collect[0]], None
        return run.stdout, None

    def screen(self, mutant: Mutant) -> _Screened:
        """Valid (validator, else every known-correct solution runs cleanly) and answered by
        the reference; agreement under the checker comes after, for all inputs at once."""
        reason = self.invalid(mutant.data)
        if reason is not None:
            return _Screened(mutant, reason=reason)
        answer, reason = self.output(0, mutant.data)
        if reason is None and self.validator is None:
            for index in range(1, len(self.correct)):
                _, reason = self.output(index, mutant.data)
                if reason is not None:
                    break
        return _Screened(mutant, answer=answer, reason=reason)


def _size_mutants(runner: _Runner, inputs: list[bytes], options: AugmentOptions, seen: set[bytes]) -> list[_Screened]:
    """Per input with a size: every target tried ascending, the smallest and the largest
    accepted kept (the others are neither listed nor counted: probing, not mutants)."""
    found: list[_Screened] = []
    for index, data in enumerate(inputs, start=1):
        probes = [m for target in size_targets(0, options.max_size)
                  if (m := resize(data, index, target)) is not None and m.data not in seen]
        results = runner.map(runner.screen, probes)
        accepted = [r for r in results if r.reason is None]
        for chosen in dict.fromkeys(id(r) for r in accepted[:1] + accepted[-1:]):
            result = next(r for r in accepted if id(r) == chosen)
            seen.add(result.mutant.data)
            found.append(result)
        if not accepted and results:
            found.append(results[-1])  # the largest one's reason: why no size mutant was kept
    return found


def _agreed(runner: _Runner, original: JudgeProblem, screened: list[_Screened]) -> list[_Screened]:
    """Every known-correct solution judged on all candidates with the reference's answers;
    a candidate is kept only when every one of them passes it."""
    if not screened:
        return []
    candidates = JudgeProblem(
        name=original.name, time_limit=original.time_limit, memory_limit=original.memory_limit,
        checker=runner.plan.checker, input_mode=runner.plan.input_mode,
        tests=[TestCase.from_bytes(str(i), s.mutant.data, s.answer) for i, s in enumerate(screened)])
    options = JudgeOptions(stop_on_first_failure=False, samples_first=False)
    results = runner.map(lambda s: runner.judge.judge(candidates, s.program.code, s.program.language, options),
                         runner.correct)
    for solution, result in zip(runner.correct, results):
        if result.verdict is Verdict.CE:
            raise TestsetError(f"known-correct solution {solution.path} does not compile: {result.message}")
        for test in result.tests:
            entry = screened[int(test.name)]
            if test.verdict is not Verdict.AC and entry.reason is None:
                verb = "disagrees with the reference" if test.verdict is Verdict.WA else "fails"
                entry.reason = (f"known-correct solution {solution.path} {verb} ({test.verdict.value}"
                                + (f": {clip(test.message, 120)}" if test.message else "") + ")")
    return [s for s in screened if s.reason is None]


def _made(original: JudgeProblem, kept: list[_Screened]) -> tuple[list[MadeTest], list[AddedTest]]:
    """The original tests first (their own answers), then the kept mutants, numbered on."""
    made = []
    for index, test in enumerate(original.tests, start=1):
        answer = test.read_answer()
        if answer is None:
            raise TestsetError(f"{original.root}: test {test.name} has no answer")
        made.append(MadeTest(PlannedTest(index=index, sample=test.is_sample, manual_name=str(index)),
                             test.read_input(), answer))
    added = []
    for index, screened in enumerate(kept, start=len(made) + 1):
        assert screened.answer is not None  # a kept mutant was answered by the reference
        made.append(MadeTest(PlannedTest(index=index, sample=False, manual_name=str(index)), screened.mutant.data,
                             screened.answer))
        added.append(AddedTest(name=str(index), from_test=str(screened.mutant.test), kind=screened.mutant.kind,
                               provenance=screened.mutant.provenance,
                               sha256=hashlib.sha256(screened.mutant.data).hexdigest()))
    return made, added


def _provenance(root: Path, original: JudgeProblem, kept: list[_Screened], options: AugmentOptions,
                agreed_by: list[str]) -> dict[str, Augmented]:
    """The `augmented` record of every output test that has one, by output name: the tests
    added now, and the original tests an earlier run had added (their records carried over,
    `from_test` renamed as the originals are, so a chain of runs stays traceable)."""
    earlier = _earlier_records(root)
    renamed = {test.name: str(index) for index, test in enumerate(original.tests, start=1)}
    records: dict[str, Augmented] = {}
    for test in original.tests:
        record = earlier.get(test.name)
        if record is not None:
            from_test = renamed.get(record.from_test, record.from_test)
            records[renamed[test.name]] = record.model_copy(update={"from_test": from_test})
    for index, screened in enumerate(kept, start=len(original.tests) + 1):
        mutant = screened.mutant
        records[str(index)] = Augmented(from_test=str(mutant.test), mutation=mutant.kind, change=mutant.description,
                                        seed=options.seed, answer_by=agreed_by[0], agreed_by=agreed_by, k=options.k)
    return records


def _earlier_records(root: Path) -> dict[str, Augmented]:
    """The `augmented` records of the problem directory's own testset.json, by test file
    name (a Polygon package, or a directory without testset.json, has none)."""
    if not (root / "problem.json").is_file():
        return {}
    sidecar = read_sidecar(root)
    entries = sidecar.tests if sidecar is not None and sidecar.tests is not None else []
    return {e.manual: e.augmented for e in entries if e.manual is not None and e.augmented is not None}


def _with_provenance(record: TestsetFile, provenance: dict[str, Augmented]) -> TestsetFile:
    """testset.json with each entry's `augmented` record set, validated again as a whole
    (an origin that names no test of the list is an error here, not in a later reader)."""
    try:
        tests = [TestEntry.model_validate({**entry.model_dump(exclude_none=True),
                                           "augmented": provenance.get(entry.name or "")})
                 for entry in record.tests or []]
        return TestsetFile.model_validate({**record.model_dump(exclude_none=True), "tests": tests})
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors())
        raise TestsetError(f"the augmented directory's {TESTSET_FILE} would be invalid: {problems}") from None

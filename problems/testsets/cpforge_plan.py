"""A cpforge problem directory (problem.json + testset.json) as a generation plan.

problem.json is read with the judge's own schema (limits, checker, I/O mode), without
loading its tests: a package may have manual inputs without answers, or no tests/ folder
at all, since the main solution writes every answer."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from problems.testsets.errors import TestsetError
from problems.testsets.plan import GenerationPlan, PlannedTest
from problems.testsets.sidecar import TESTSET_FILE, TestEntry, TestsetFile, read_sidecar
from problems.testsets.solutions import find_solutions
from problems.testsets.sources import ProgramSource, read_program, read_resource
from sandbox.judge.errors import ProblemFormatError
from sandbox.judge.formats.cpforge import INPUT_SUFFIX, PROBLEM_FILE, TESTS_DIR, ProblemConfig, natural_key
from sandbox.judge.sources import read_source, resolve_inside


def _config(root: Path) -> ProblemConfig:
    path = root / PROBLEM_FILE
    try:
        return ProblemConfig.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TestsetError(f"{path}: cannot read: {error}") from None
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors())
        raise TestsetError(f"{path}: invalid {PROBLEM_FILE}: {problems}") from None


def cpforge_plan(root: Path) -> GenerationPlan:
    config = _config(root)
    if config.interactor is not None:
        raise TestsetError(f"{root / PROBLEM_FILE}: interactive problems are not supported by tests generate")
    sidecar = read_sidecar(root) or TestsetFile()
    checker = config.checker
    try:
        unloaded = checker.unloaded_source()
        if unloaded is not None:
            checker = checker.with_code(read_source(root, unloaded, "checker"))
        tests = _tests(root, config, sidecar)
    except ProblemFormatError as error:
        raise TestsetError(str(error)) from None
    generators: dict[str, ProgramSource] = {}
    for ref in sidecar.generators:
        if ref.command_name in generators:
            raise TestsetError(f"{root / TESTSET_FILE}: two generators are named {ref.command_name!r}")
        generators[ref.command_name] = read_program(root, ref.source, "generator", language=ref.language)
    validator = (read_program(root, sidecar.validator.source, "validator", language=sidecar.validator.language)
                 if sidecar.validator is not None else None)
    resources = {relative: read_resource(root, relative) for relative in sidecar.resources}
    return GenerationPlan(
        root=root, format="cpforge", name=config.name or root.resolve().name, time_limit=config.time_limit,
        memory_limit=config.memory_limit, checker=checker, input_mode=config.input_mode, tests=tests,
        solutions=find_solutions(root), generators=generators, validator=validator,
        resources={relative: name for relative, (name, _) in resources.items()},
        resource_data={name: data for name, data in resources.values()})


def _tests(root: Path, config: ProblemConfig, sidecar: TestsetFile) -> list[PlannedTest]:
    entries = sidecar.tests
    if entries is None:  # no list: every manual input, in the judge's order
        folder = root / TESTS_DIR
        names = sorted((p.name[: -len(INPUT_SUFFIX)] for p in folder.glob(f"*{INPUT_SUFFIX}") if p.is_file()),
                       key=natural_key) if folder.is_dir() else []
        entries = [TestEntry(manual=name) for name in names]
    samples = set(config.samples or ())

    def is_sample(entry: TestEntry) -> bool:
        if entry.sample is not None:
            return entry.sample
        if entry.manual is None:
            return False
        return entry.manual in samples if config.samples is not None else entry.manual.lower().startswith("sample")

    tests = []
    for index, entry in enumerate(entries, start=1):
        if entry.cmd is not None:
            tests.append(PlannedTest(index=index, sample=is_sample(entry), cmd=entry.cmd))
            continue
        assert entry.manual is not None  # a TestEntry is manual or generated
        relative = f"{TESTS_DIR}/{entry.manual}{INPUT_SUFFIX}"
        path = resolve_inside(root, relative, "test input")
        if not path.is_file():
            raise TestsetError(f"{root / relative}: test {index} is manual but its input file is missing")
        tests.append(PlannedTest(index=index, sample=is_sample(entry), manual_path=path,
                                 manual_name=entry.manual))
    return tests

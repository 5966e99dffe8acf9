"""Writing the generated problem directory, all or nothing.

Everything is written into a staging folder beside the destination (same filesystem) and
renamed into place only when the whole set has been checked, so an error or an interrupt
never leaves a half-written problem that a later run would trust. The result is a plain
cpforge problem (problem.json + tests/N.in|out) that the judge loads, plus testset.json
with each test's provenance, the package's programs and tagged solutions, and the hash."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from problems.testsets.plan import GenerationPlan, PlannedTest
from problems.testsets.sidecar import TESTSET_FILE, GeneratorRef, ProgramRef, SolutionRef, TestEntry, TestsetFile
from sandbox.judge.formats.cpforge import ANSWER_SUFFIX, INPUT_SUFFIX, PROBLEM_FILE, TESTS_DIR
from sandbox.judge.model import FileIO


@dataclass(frozen=True)
class MadeTest:
    """A test as generated: its plan entry, input and the main solution's answer."""

    test: PlannedTest
    input: bytes
    answer: bytes

    @property
    def name(self) -> str:
        return str(self.test.index)


def staging_dir(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))


def write_problem(plan: GenerationPlan, made: list[MadeTest], staging: Path) -> None:
    """problem.json, the tests and a copy of every program the package names."""
    config: dict[str, Any] = {
        "name": plan.name, "time_limit": plan.time_limit, "memory_limit": plan.memory_limit,
        "checker": plan.checker.model_dump(mode="json", exclude={"code"}, exclude_none=True),
        "samples": [m.name for m in made if m.test.sample],
    }
    if isinstance(plan.input_mode, FileIO):
        config["input_mode"] = plan.input_mode.model_dump(mode="json")
    _write(staging / PROBLEM_FILE, (json.dumps(config, indent=2) + "\n").encode())
    for m in made:
        _write(staging / TESTS_DIR / f"{m.name}{INPUT_SUFFIX}", m.input)
        _write(staging / TESTS_DIR / f"{m.name}{ANSWER_SUFFIX}", m.answer)
    copied = [program.path for program in plan.generators.values()]
    copied += [plan.validator.path] if plan.validator is not None else []
    copied += [solution.path for solution in plan.solutions] + list(plan.resources)
    checker_source = getattr(plan.checker, "source", None)
    if isinstance(checker_source, str):
        copied.append(checker_source)
    for relative in copied:
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plan.root / relative, target)


def testset_file(plan: GenerationPlan, made: list[MadeTest], testset_hash: str) -> TestsetFile:
    """The provenance record: manual tests point at their own file here, generated ones
    keep their command, so the directory can be regenerated to the same bytes."""
    return TestsetFile(
        generators=[GeneratorRef(name=name, source=p.path, language=p.language) for name, p in plan.generators.items()],
        validator=(ProgramRef(source=plan.validator.path, language=plan.validator.language)
                   if plan.validator is not None else None),
        resources=list(plan.resources),
        solutions=[SolutionRef(source=s.path, tag=s.tag, language=s.program.language, note=s.note)
                   for s in plan.solutions],
        tests=[TestEntry(name=m.name, manual=m.name if m.test.cmd is None else None, cmd=m.test.cmd,
                         sample=m.test.sample, sha256=hashlib.sha256(m.input).hexdigest()) for m in made],
        testset_hash=testset_hash)


def finish(staging: Path, record: TestsetFile, out: Path) -> None:
    """Writes testset.json and moves the directory into place (replacing an old one only
    now, when the new one is complete)."""
    text = json.dumps(record.model_dump(mode="json", exclude_none=True), indent=2) + "\n"
    _write(staging / TESTSET_FILE, text.encode())
    staging.chmod(0o755)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        out.rename(old / out.name)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)

"""What a package says to generate, in one shape for both formats.

A `GenerationPlan` is read from a Polygon package (`polygon_plan`) or a cpforge problem
directory with a testset.json (`cpforge_plan`) before anything runs, so a package that
names a missing generator or has no main solution fails before any sandbox time is spent."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from problems.testsets.errors import TestsetError
from problems.testsets.solutions import TaggedSolution, main_solution
from problems.testsets.sources import ProgramSource
from sandbox.judge.checkers.specs import CheckerSpec
from sandbox.judge.model import InputMode


@dataclass(frozen=True)
class PlannedTest:
    """One test to make: a manual input, or a generator command (its stdout is the input)."""

    index: int
    sample: bool
    manual_path: Path | None = None
    manual_name: str | None = None
    cmd: str | None = None

    def read_manual(self) -> bytes:
        """A manual test's input, read when it is made (a package may hold gigabytes)."""
        assert self.manual_path is not None  # only manual tests have a file
        try:
            return self.manual_path.read_bytes()
        except OSError as error:
            raise TestsetError(f"{self.label}: cannot read {self.manual_path}: {error.strerror or error}") from None

    @property
    def argv(self) -> list[str]:
        assert self.cmd is not None  # only generated tests have a command
        return shlex.split(self.cmd)

    @property
    def label(self) -> str:
        """How errors name the test: its number and where it comes from."""
        origin = f"`{self.cmd}`" if self.cmd is not None else f"manual {self.manual_name}"
        return f"test {self.index} ({origin})"


@dataclass(frozen=True)
class GenerationPlan:
    """Everything a generation run needs, read from disk and checked for consistency."""

    root: Path
    format: Literal["polygon", "cpforge"]
    name: str
    time_limit: float
    memory_limit: int | float
    checker: CheckerSpec
    input_mode: InputMode
    tests: list[PlannedTest]
    solutions: list[TaggedSolution]
    generators: dict[str, ProgramSource] = field(default_factory=dict)
    validator: ProgramSource | None = None
    resources: dict[str, str] = field(default_factory=dict)  # package path -> name beside programs
    resource_data: dict[str, bytes] = field(default_factory=dict)  # name beside programs -> bytes

    @property
    def main(self) -> TaggedSolution:
        return main_solution(self.solutions, self.root)

    @property
    def accepted(self) -> list[TaggedSolution]:
        return [s for s in self.solutions if s.tag == "accepted"]

    def check(self) -> "GenerationPlan":
        """Fails early on what would fail later: no main, no tests, an unknown generator."""
        self.main  # noqa: B018 - raises when the package has no (or several) main solutions
        if not self.tests:
            raise TestsetError(f"{self.root}: the package lists no tests")
        for test in self.tests:
            if test.cmd is None:
                continue
            try:
                argv = test.argv
            except ValueError as error:
                raise TestsetError(f"{test.label}: cannot parse the command: {error}") from None
            if not argv:
                raise TestsetError(f"{test.label}: empty generator command")
            if argv[0] not in self.generators:
                known = ", ".join(sorted(self.generators)) or "none"
                raise TestsetError(f"{test.label}: no generator named {argv[0]!r} (known: {known})")
        return self


def read_plan(root: Path) -> GenerationPlan:
    """The plan of a Polygon package (problem.xml) or a cpforge directory (problem.json)."""
    from problems.testsets.cpforge_plan import cpforge_plan
    from problems.testsets.polygon_plan import polygon_plan

    if not root.is_dir():
        raise TestsetError(f"{root}: not a directory")
    if (root / "problem.json").is_file():
        return cpforge_plan(root).check()
    if (root / "problem.xml").is_file():
        return polygon_plan(root).check()
    raise TestsetError(f"{root}: not a package: neither problem.json (cpforge) nor problem.xml (Polygon) found")

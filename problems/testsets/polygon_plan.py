"""A Polygon package as a generation plan.

Limits, checker and file I/O are read by the judge's own Polygon loader helpers, so a
package means the same thing here as when it is judged. The rest is what only generation
needs: the tests' methods (`manual`, or `generated` with a `cmd`), the generators in
`<executables>` (called by their file name without extension, as Polygon does), the first
`<validator>`, and header resources (`files/testlib.h`, `files/rand.h`) that the programs
include. Generated test files already in the package are ignored: they are regenerated."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

from problems.testsets.errors import TestsetError
from problems.testsets.plan import GenerationPlan, PlannedTest
from problems.testsets.solutions import find_solutions
from problems.testsets.sources import ProgramSource, read_program, read_resource
from sandbox.judge.errors import ProblemFormatError
from sandbox.judge.formats import polygon
from sandbox.judge.sources import resolve_inside

HEADER_SUFFIXES = (".h", ".hpp", ".hh")


def polygon_plan(root: Path) -> GenerationPlan:
    try:
        meta = polygon.read_polygon_meta(root)
        if meta.interactor is not None:
            raise TestsetError(f"{meta.path}: interactive problems are not supported by tests generate")
        xml = meta.xml
        tests = _tests(root, meta)
        resources = _resources(root, xml)
        generators, validator = _generators(root, xml), _validator(root, xml)
    except ProblemFormatError as error:
        raise TestsetError(str(error)) from None
    return GenerationPlan(
        root=root, format="polygon", name=meta.name, time_limit=meta.time_limit,
        memory_limit=meta.memory_limit, checker=meta.checker, input_mode=meta.input_mode, tests=tests,
        solutions=find_solutions(root), generators=generators, validator=validator,
        resources={relative: name for relative, (name, _) in resources.items()},
        resource_data={name: data for name, data in resources.values()})


def _tests(root: Path, meta: polygon.PolygonMeta) -> list[PlannedTest]:
    path = meta.path
    entries = meta.testset.findall("./tests/test")
    declared = meta.number("test-count")
    if declared != len(entries):
        raise TestsetError(f"{path}: <test-count> is {declared} but {len(entries)} <test> elements are listed")
    pattern = meta.pattern("input-path-pattern", "tests/%02d")
    tests = []
    for index, entry in enumerate(entries, start=1):
        sample = entry.get("sample", "").lower() == "true"
        method = entry.get("method", "manual")
        if method == "generated":
            cmd = (entry.get("cmd") or "").strip()
            if not cmd:
                raise TestsetError(f"{path}: test {index} is generated but has no cmd")
            tests.append(PlannedTest(index=index, sample=sample, cmd=cmd))
            continue
        if method != "manual":
            raise TestsetError(f"{path}: test {index}: unknown method {method!r}")
        relative = pattern % index
        input_path = resolve_inside(root, relative, "test input")
        if not input_path.is_file():
            raise TestsetError(f"{root / relative}: test {index} is manual but its input file is missing")
        tests.append(PlannedTest(index=index, sample=sample, manual_path=input_path,
                                 manual_name=relative))
    return tests


def _generators(root: Path, xml: ET.Element) -> dict[str, ProgramSource]:
    """Every executable whose source is present, by the name a test command calls it."""
    found: dict[str, ProgramSource] = {}
    for source in xml.findall("./files/executables/executable/source"):
        relative = source.get("path") or ""
        if not relative or not resolve_inside(root, relative, "generator").is_file():
            continue  # a package often ships without them; a test that needs one says so
        name = PurePosixPath(relative).stem
        found[name] = read_program(root, relative, "generator", polygon_type=source.get("type"))
    return found


def _validator(root: Path, xml: ET.Element) -> ProgramSource | None:
    source = xml.find("./assets/validators/validator/source")
    if source is None or not source.get("path"):
        return None
    return read_program(root, source.get("path", ""), "validator", polygon_type=source.get("type"))


def _resources(root: Path, xml: ET.Element) -> dict[str, tuple[str, bytes]]:
    """Header resources that exist, as (name beside the programs, bytes)."""
    found: dict[str, tuple[str, bytes]] = {}
    for element in xml.findall("./files/resources/file"):
        relative = element.get("path") or ""
        is_header = (element.get("type") or "").startswith("h.") or relative.endswith(HEADER_SUFFIXES)
        if is_header and resolve_inside(root, relative, "resource").is_file():
            found[relative] = read_resource(root, relative)
    return found

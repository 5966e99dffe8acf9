"""A Codeforces Polygon package directory, as downloaded: `problem.xml` describes limits,
tests (`tests/NN` + `tests/NN.a` by default), samples, the checker and an interactor.

Only tests whose input file exists are loaded: packages are often shipped without their
generated tests (the palindromic-length package has 249 of 519). Standard testlib checkers
(`std::wcmp`, `std::rcmp6`, ...) map onto built-in checkers; anything else becomes a
program checker compiled from the package's source."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from sandbox.judge.checkers.specs import (TESTLIB_STANDARD_CHECKERS, CheckerSpec, ProgramCheckerSpec,
                             TokensSpec, parse_checker_spec, testlib_checker_name)
from sandbox.judge.errors import ProblemFormatError
from sandbox.judge.model import FileIO, InputMode, InteractorSpec, JudgeProblem, TestCase
from sandbox.judge.sources import read_source, resolve_inside

PROBLEM_XML = "problem.xml"
MAIN_TESTSET = "tests"
MIB = 1024 * 1024
_PATTERN = re.compile(r"[^%]*%0?\d*d[^%]*")

# Polygon source types -> cpforge language ids (None lets the sandbox decide by extension).
_LANGUAGE_PREFIXES = (("cpp.g++20", "c++20"), ("cpp.gcc20", "c++20"), ("cpp.", "cpp"),
                      ("c.", "c"), ("python.pypy", "pypy"), ("python.", "python"),
                      ("java", "java"))


def polygon_language(source_type: str | None) -> str | None:
    """`cpp.g++17` -> `cpp`, `python.3` -> `python`; None when unknown."""
    if not source_type:
        return None
    for prefix, language in _LANGUAGE_PREFIXES:
        if source_type.startswith(prefix):
            return language
    return None


def _parse_xml(root: Path) -> ET.Element:
    path = root / PROBLEM_XML
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ProblemFormatError(path, f"invalid XML: {error}") from None
    except OSError as error:
        raise ProblemFormatError(path, f"cannot read: {error}") from None


def _testset(xml: ET.Element, path: Path) -> ET.Element:
    testsets = xml.findall("./judging/testset")
    if not testsets:
        raise ProblemFormatError(path, "no <judging><testset> element")
    for testset in testsets:
        if testset.get("name") == MAIN_TESTSET:
            return testset
    return testsets[0]


def _number(testset: ET.Element, tag: str, path: Path) -> int:
    text = testset.findtext(tag)
    try:
        return int((text or "").strip())
    except ValueError:
        raise ProblemFormatError(path, f"<{tag}> must be an integer, got {text!r}") from None


def _pattern(testset: ET.Element, tag: str, default: str, path: Path) -> str:
    pattern = (testset.findtext(tag) or default).strip()
    if not _PATTERN.fullmatch(pattern):
        raise ProblemFormatError(path, f"<{tag}> must contain one %d conversion: {pattern!r}")
    return pattern


def _input_mode(xml: ET.Element, path: Path) -> InputMode:
    judging = xml.find("./judging")
    input_file = (judging.get("input-file") or "").strip() if judging is not None else ""
    output_file = (judging.get("output-file") or "").strip() if judging is not None else ""
    if not input_file and not output_file:
        return "stdio"
    try:
        return FileIO(input=input_file or None, output=output_file or None)
    except ValidationError as error:
        raise ProblemFormatError(path, f"bad input-file/output-file: {error}") from None


def _tests(root: Path, testset: ET.Element, interactive: bool, path: Path) -> list[TestCase]:
    declared = _number(testset, "test-count", path)
    entries = testset.findall("./tests/test")
    input_pattern = _pattern(testset, "input-path-pattern", "tests/%02d", path)
    answer_pattern = _pattern(testset, "answer-path-pattern", "tests/%02d.a", path)
    tests: list[TestCase] = []
    answer_path: Path | None  # None: an interactive problem's test without an answer file
    for index in range(1, max(declared, len(entries)) + 1):
        entry = entries[index - 1] if index <= len(entries) else None
        input_path = resolve_inside(root, input_pattern % index, "test input")
        if not input_path.is_file():
            continue
        answer_path = resolve_inside(root, answer_pattern % index, "test answer")
        if not answer_path.is_file():
            if not interactive:
                raise ProblemFormatError(answer_path, f"test {index} has no answer file")
            answer_path = None
        points = entry.get("points") if entry is not None else None
        tests.append(TestCase(
            name=input_path.name, input_path=input_path, answer_path=answer_path,
            is_sample=entry is not None and entry.get("sample", "").lower() == "true",
            points=float(points) if points else None))
    if not tests:
        raise ProblemFormatError(root / input_pattern.split("%")[0],
                                 f"none of the {declared} declared tests has an input file")
    return tests


def _checker(root: Path, xml: ET.Element, path: Path) -> CheckerSpec:
    element = xml.find("./assets/checker")
    if element is None:
        return TokensSpec()
    name = element.get("name") or ""
    if name.lower().startswith("std::"):
        mapped = TESTLIB_STANDARD_CHECKERS.get(testlib_checker_name(name))
        if mapped is not None:
            return parse_checker_spec(mapped)
    source = element.find("./source")
    source_path = source.get("path") if source is not None else None
    candidates = [source_path] if source_path else []
    candidates += [copied for copied in (copy.get("path") for copy in element.findall("./copy")) if copied]
    for relative in candidates:
        if resolve_inside(root, relative, "checker").is_file():
            return ProgramCheckerSpec(
                source=relative, code=read_source(root, relative, "checker"),
                language=polygon_language(source.get("type") if source is not None else None))
    label = f"checker {name!r}" if name else "the checker"
    looked = ", ".join(candidates) or "no source path given"
    raise ProblemFormatError(path, f"{label} is not a standard checker cpforge knows and its "
                                   f"source is missing (looked for: {looked})")


def _interactor(root: Path, xml: ET.Element, path: Path) -> InteractorSpec | None:
    element = xml.find("./assets/interactor")
    if element is None:
        return None
    source = element.find("./source")
    if source is None or not source.get("path"):
        raise ProblemFormatError(path, "<interactor> has no <source path=...>")
    relative = source.get("path", "")
    return InteractorSpec(source=relative, code=read_source(root, relative, "interactor"),
                          language=polygon_language(source.get("type")))


def _name(xml: ET.Element, root: Path) -> str:
    short = xml.get("short-name")
    if short:
        return short
    for element in xml.findall("./names/name"):
        if element.get("value"):
            return element.get("value", "")
    return root.resolve().name


@dataclass(frozen=True)
class PolygonMeta:
    """What a package's problem.xml says, read one way for the judge and for test
    generation alike (`problems.testsets` also needs the raw testset: generator commands)."""

    xml: ET.Element
    testset: ET.Element
    path: Path
    name: str
    time_limit: float  # seconds
    memory_limit: int  # MiB, rounded up: never judge with less memory
    checker: CheckerSpec
    interactor: InteractorSpec | None
    input_mode: InputMode

    def number(self, tag: str) -> int:
        return _number(self.testset, tag, self.path)

    def pattern(self, tag: str, default: str) -> str:
        return _pattern(self.testset, tag, default, self.path)


def read_polygon_meta(root: Path) -> PolygonMeta:
    """problem.xml's limits, checker, interactor and input mode, checked."""
    path = root / PROBLEM_XML
    xml = _parse_xml(root)
    testset = _testset(xml, path)
    time_ms = _number(testset, "time-limit", path)
    memory_bytes = _number(testset, "memory-limit", path)
    if time_ms <= 0 or memory_bytes <= 0:
        raise ProblemFormatError(path, "time and memory limits must be positive")
    return PolygonMeta(xml=xml, testset=testset, path=path, name=_name(xml, root), time_limit=time_ms / 1000,
                       memory_limit=-(-memory_bytes // MIB), checker=_checker(root, xml, path),
                       interactor=_interactor(root, xml, path), input_mode=_input_mode(xml, path))


def load_polygon_problem(root: Path) -> JudgeProblem:
    """Load a Polygon package directory (see the module docstring)."""
    meta = read_polygon_meta(root)
    return JudgeProblem(
        name=meta.name, time_limit=meta.time_limit, memory_limit=meta.memory_limit,
        tests=_tests(root, meta.testset, meta.interactor is not None, meta.path),
        checker=meta.checker, interactor=meta.interactor, input_mode=meta.input_mode,
        root=root, source_format="polygon")

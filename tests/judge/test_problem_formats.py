"""Loading problems: cpforge directories (examples under tests/judge/data and broken ones
built in tmp_path) and the real Polygon package in ../shared (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from sandbox.judge import (FileIO, FloatSpec, InteractorSpec, JudgeProblem, ProblemFormatError,
                           ProgramCheckerSpec, PythonCheckerSpec, TestCase, TokensSpec,
                           YesNoSpec, load_problem)
from sandbox.judge.checkers import LinesSpec, get_checker
from sandbox.judge.problem import natural_key

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
POLYGON = SHARED / "data" / "verifier" / "polygon-palindromic-length"
needs_polygon = pytest.mark.skipif(not POLYGON.is_dir(), reason=f"no shared data at {POLYGON}")


def make_problem(root: Path, config: dict | str | None, tests: dict[str, bytes],
                 extra: dict[str, str] | None = None) -> Path:
    """A cpforge directory in tmp_path: `tests` maps file names (`1.in`) to contents."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        text = config if isinstance(config, str) else json.dumps(config)
        (root / "problem.json").write_text(text)
    (root / "tests").mkdir(exist_ok=True)
    for name, data in tests.items():
        (root / "tests" / name).write_bytes(data)
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


BASIC = {"time_limit": 1, "memory_limit": 256}


# --- cpforge format: the example directories --------------------------------------------

def test_aplusb_example() -> None:
    problem = load_problem(DATA / "aplusb")
    assert problem.name == "aplusb" and problem.source_format == "cpforge"
    assert (problem.time_limit, problem.memory_limit) == (1.0, 256)
    assert problem.checker == TokensSpec() and problem.input_mode == "stdio"
    assert [t.name for t in problem.tests] == ["1", "2", "10"]     # natural order
    assert [t.name for t in problem.samples] == ["1"]
    assert problem.tests[2].read_input() == b"1000000000 1000000000\n"
    assert problem.tests[2].read_answer() == b"2000000000\n"
    assert not problem.interactive


def test_aplusb_examples_pass_their_own_checker() -> None:
    for name in ("aplusb", "aplusb-float"):
        problem = load_problem(DATA / name)
        check = get_checker(problem.checker)
        for test in problem.tests:
            assert check(test.read_input(), test.read_answer(), test.read_answer()).ok


def test_float_example_uses_file_io_and_sample_prefix() -> None:
    problem = load_problem(DATA / "aplusb-float" / "problem.json")   # the file works too
    assert problem.checker == FloatSpec(eps=1e-6)
    assert problem.input_mode == FileIO(input="input.txt", output="output.txt")
    assert [t.name for t in problem.tests] == ["sample1", "t1", "t2"]
    assert [t.name for t in problem.samples] == ["sample1"]
    check = get_checker(problem.checker)
    sample = problem.samples[0]
    assert check(sample.read_input(), b"0.3333335\n", sample.read_answer()).ok
    assert check(sample.read_input(), b"0.33334\n", sample.read_answer()).rejected


def test_program_checker_source_is_loaded() -> None:
    problem = load_problem(DATA / "aplusb-program")
    assert isinstance(problem.checker, ProgramCheckerSpec)
    assert problem.checker.language == "cpp"
    assert "int main" in (problem.checker.code or "")


def test_samples_first_ordering() -> None:
    problem = JudgeProblem(name="p", time_limit=1, memory_limit=64, tests=[
        TestCase.from_bytes("a", b"1", b"1"), TestCase.from_bytes("b", b"2", b"2", True)])
    assert [t.name for t in problem.ordered_tests()] == ["b", "a"]
    assert [t.name for t in problem.ordered_tests(samples_first=False)] == ["a", "b"]


def test_natural_key() -> None:
    names = ["10", "2", "sample2", "1", "sample10", "a", "b1"]
    assert sorted(names, key=natural_key) == ["1", "2", "10", "a", "b1", "sample2", "sample10"]


# --- cpforge format: options and errors -------------------------------------------------

def test_checker_and_mode_variants(tmp_path: Path) -> None:
    root = make_problem(tmp_path / "p", {**BASIC, "checker": "std::nyesno",
                                         "input_mode": "file"}, {"1.in": b"", "1.out": b"YES"})
    problem = load_problem(root)
    assert problem.checker == YesNoSpec() and problem.input_mode == FileIO()
    assert problem.name == "p"                     # defaults to the directory name


def test_python_checker_and_interactor_loaded(tmp_path: Path) -> None:
    root = make_problem(tmp_path / "p", {**BASIC, "checker": {"type": "python"},
                                         "interactor": {"source": "interactor.cpp"}},
                        {"1.in": b"5\n"},                     # interactive: no answer needed
                        {"checker.py": "print(1)\n", "interactor.cpp": "int main(){}\n"})
    problem = load_problem(root)
    assert isinstance(problem.checker, PythonCheckerSpec)
    assert problem.checker.code == "print(1)\n"
    assert problem.interactor == InteractorSpec(source="interactor.cpp", code="int main(){}\n")
    assert problem.interactive and problem.tests[0].read_answer() is None


@pytest.mark.parametrize("config, tests, extra, fragment", [
    ('{"time_limit": 1,', {"1.in": b"", "1.out": b""}, None, "invalid JSON"),
    ("[1, 2]", {"1.in": b"", "1.out": b""}, None, "invalid problem.json"),
    ({"memory_limit": 256}, {"1.in": b"", "1.out": b""}, None, "time_limit"),
    ({**BASIC, "time_limit": 0}, {"1.in": b"", "1.out": b""}, None, "time_limit"),
    ({**BASIC, "timelimit": 2}, {"1.in": b"", "1.out": b""}, None, "timelimit"),
    ({**BASIC, "checker": "wcmpp"}, {"1.in": b"", "1.out": b""}, None, "unknown checker"),
    ({**BASIC, "checker": {"type": "float", "eps": 2}}, {"1.in": b"", "1.out": b""}, None,
     "eps"),
    ({**BASIC, "input_mode": {"input": "../x"}}, {"1.in": b"", "1.out": b""}, None,
     "plain name"),
    ({**BASIC, "input_mode": "pipes"}, {"1.in": b"", "1.out": b""}, None, "input_mode"),
    (BASIC, {"1.in": b"", "1.out": b"", "2.in": b""}, None, "has no answer"),
    (BASIC, {"1.in": b"", "1.out": b"", "3.out": b""}, None, "answer without input"),
    (BASIC, {}, None, "no tests"),
    (BASIC, {"readme.txt": b""}, None, "no tests"),
    ({**BASIC, "samples": ["9"]}, {"1.in": b"", "1.out": b""}, None, "unknown tests"),
    ({**BASIC, "checker": {"type": "program", "source": "check.cpp"}},
     {"1.in": b"", "1.out": b""}, None, "checker source file not found"),
    ({**BASIC, "checker": {"type": "program", "source": "../../etc/passwd"}},
     {"1.in": b"", "1.out": b""}, None, "escapes the problem directory"),
    ({**BASIC, "interactor": {"source": "int.cpp"}}, {"1.in": b""}, None,
     "interactor source file not found"),
])
def test_cpforge_errors(tmp_path: Path, config: dict | str, tests: dict[str, bytes],
                        extra: dict[str, str] | None, fragment: str) -> None:
    root = make_problem(tmp_path / "p", config, tests, extra)
    with pytest.raises(ProblemFormatError) as caught:
        load_problem(root)
    assert fragment in str(caught.value)
    assert str(root) in str(caught.value)          # the message names the path


def test_missing_tests_dir(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "problem.json").write_text(json.dumps(BASIC))
    with pytest.raises(ProblemFormatError, match="tests directory not found"):
        load_problem(root)


def test_missing_and_unrecognised_directories(tmp_path: Path) -> None:
    with pytest.raises(ProblemFormatError, match="no such problem directory"):
        load_problem(tmp_path / "absent")
    with pytest.raises(ProblemFormatError, match="neither problem.json"):
        load_problem(tmp_path)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ProblemFormatError, match="not a directory"):
        load_problem(tmp_path / "file.txt")


def test_answer_file_vanishing_reads_as_none(tmp_path: Path) -> None:
    root = make_problem(tmp_path / "p", BASIC, {"1.in": b"1", "1.out": b"1"})
    problem = load_problem(root)
    (root / "tests" / "1.out").unlink()
    assert problem.tests[0].read_answer() is None
    assert get_checker(problem.checker)(b"1", b"1", problem.tests[0].read_answer()).judge_error


# --- the in-memory model ------------------------------------------------------------------

def test_model_validation() -> None:
    with pytest.raises(ValidationError, match="exactly one of input_data"):
        TestCase(name="x")
    with pytest.raises(ValidationError, match="duplicate test names"):
        JudgeProblem(name="p", time_limit=1, memory_limit=1, tests=[
            TestCase.from_bytes("a", b"", b""), TestCase.from_bytes("a", b"", b"")])
    with pytest.raises(ValidationError, match="no code loaded"):
        JudgeProblem(name="p", time_limit=1, memory_limit=1, tests=[],
                     checker={"type": "program", "source": "c.cpp"})
    with pytest.raises(ValidationError):
        FileIO(input=None, output=None)
    problem = JudgeProblem(name="p", time_limit=2.5, memory_limit=64, checker="std::rcmp9",
                           tests=[TestCase.from_bytes("1", b"in", b"ans", is_sample=True)])
    assert problem.checker == FloatSpec(eps=1e-9)
    assert problem.tests[0].read_input() == b"in" and problem.tests[0].has_answer
    assert JudgeProblem.model_validate_json(problem.model_dump_json()) == problem


# --- Polygon -----------------------------------------------------------------------------

@needs_polygon
def test_real_polygon_package() -> None:
    problem = load_problem(POLYGON)
    assert problem.source_format == "polygon" and problem.name == "palindromes-master"
    assert (problem.time_limit, problem.memory_limit) == (15.0, 1024)
    assert problem.checker == TokensSpec()                 # std::ncmp
    assert problem.input_mode == "stdio" and problem.interactor is None
    assert len(problem.tests) == 249                       # of 519 declared
    assert problem.tests[0].name == "01" and problem.tests[-1].name == "519"
    assert all(t.input_path is not None for t in problem.tests)   # lazy: paths only
    assert not problem.samples
    last = problem.tests[-1]
    assert last.read_answer() == (POLYGON / "tests" / "519.a").read_bytes()
    assert get_checker(problem.checker)(last.read_input(), last.read_answer(),
                                        last.read_answer()).ok


POLYGON_XML = """<?xml version="1.0" encoding="utf-8"?>
<problem short-name="demo">
  <judging input-file="{input_file}" output-file="{output_file}">
    <testset name="pretests"><time-limit>1</time-limit><memory-limit>1</memory-limit>
      <test-count>0</test-count></testset>
    <testset name="tests">
      <time-limit>2500</time-limit>
      <memory-limit>268435456</memory-limit>
      <test-count>3</test-count>
      <input-path-pattern>tests/%02d</input-path-pattern>
      <answer-path-pattern>tests/%02d.a</answer-path-pattern>
      <tests>
        <test method="manual" sample="true"/>
        <test method="generated" cmd="gen 1"/>
        <test method="manual" points="5"/>
      </tests>
    </testset>
  </judging>
  <assets>{assets}</assets>
</problem>
"""


def make_polygon(root: Path, assets: str = "", tests: tuple[int, ...] = (1, 2, 3),
                 answers: bool = True, files: dict[str, str] | None = None,
                 input_file: str = "", output_file: str = "") -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "problem.xml").write_text(POLYGON_XML.format(
        assets=assets, input_file=input_file, output_file=output_file))
    for index in tests:
        (root / "tests" / f"{index:02d}").write_text(f"{index}\n")
        if answers:
            (root / "tests" / f"{index:02d}.a").write_text(f"{index}\n")
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def checker_xml(name: str, path: str = "files/check.cpp") -> str:
    return (f'<checker name="{name}" type="testlib"><source path="{path}" type="cpp.g++17"/>'
            f'<copy path="check.cpp"/></checker>')


def test_polygon_testset_samples_points_and_limits(tmp_path: Path) -> None:
    problem = load_problem(make_polygon(tmp_path / "p", tests=(1, 3)))
    assert (problem.time_limit, problem.memory_limit) == (2.5, 256)   # "tests", not pretests
    assert [t.name for t in problem.tests] == ["01", "03"]            # test 2 absent
    assert [t.is_sample for t in problem.tests] == [True, False]
    assert problem.tests[1].points == 5.0
    assert problem.checker == TokensSpec()                            # no checker element


@pytest.mark.parametrize("name, spec", [
    ("std::wcmp.cpp", TokensSpec()), ("std::ncmp.cpp", TokensSpec()),
    ("std::lcmp.cpp", LinesSpec(split_tokens=True)), ("std::fcmp.cpp", LinesSpec()),
    ("std::rcmp4.cpp", FloatSpec(eps=1e-4)), ("std::rcmp6.cpp", FloatSpec(eps=1e-6)),
    ("std::rcmp9.cpp", FloatSpec(eps=1e-9)), ("std::hcmp.cpp", TokensSpec()),
    ("std::yesno.cpp", YesNoSpec()), ("std::nyesno.cpp", YesNoSpec()),
    ("std::rcmp.cpp", FloatSpec(eps=1.5e-6, relative=False)),
])
def test_polygon_standard_checkers(tmp_path: Path, name: str, spec: object) -> None:
    assert load_problem(make_polygon(tmp_path / "p", checker_xml(name))).checker == spec


def test_polygon_custom_checker_and_interactor(tmp_path: Path) -> None:
    assets = checker_xml("") + ('<interactor><source path="files/interactor.cpp" '
                                'type="cpp.g++17"/></interactor>')
    root = make_polygon(tmp_path / "p", assets, answers=False,
                        files={"files/check.cpp": "// check\n",
                               "files/interactor.cpp": "// interact\n"})
    problem = load_problem(root)
    assert problem.checker == ProgramCheckerSpec(source="files/check.cpp", code="// check\n",
                                                 language="cpp")
    assert problem.interactor is not None and problem.interactor.code == "// interact\n"
    assert all(t.read_answer() is None for t in problem.tests)


def test_polygon_unknown_std_checker_falls_back_to_its_copy(tmp_path: Path) -> None:
    root = make_polygon(tmp_path / "p", checker_xml("std::uncmp.cpp"),
                        files={"check.cpp": "// uncmp\n"})
    checker = load_problem(root).checker
    assert isinstance(checker, ProgramCheckerSpec) and checker.source == "check.cpp"


def test_polygon_file_io(tmp_path: Path) -> None:
    root = make_polygon(tmp_path / "p", input_file="input.txt", output_file="output.txt")
    assert load_problem(root).input_mode == FileIO(input="input.txt", output="output.txt")
    root = make_polygon(tmp_path / "q", input_file="in.txt")
    assert load_problem(root).input_mode == FileIO(input="in.txt", output=None)


@pytest.mark.parametrize("kwargs, fragment", [
    ({"assets": checker_xml("std::uncmp.cpp")}, "not a standard checker"),
    ({"assets": checker_xml("my-checker")}, "source is missing"),
    ({"answers": False}, "has no answer file"),
    ({"tests": ()}, "none of the 3 declared tests"),
    ({"assets": '<interactor><source path="files/i.cpp"/></interactor>'},
     "interactor source file not found"),
    ({"input_file": "../evil"}, "plain name"),
])
def test_polygon_errors(tmp_path: Path, kwargs: dict, fragment: str) -> None:
    root = make_polygon(tmp_path / "p", **kwargs)
    with pytest.raises(ProblemFormatError) as caught:
        load_problem(root)
    assert fragment in str(caught.value)


def test_polygon_invalid_xml(tmp_path: Path) -> None:
    (tmp_path / "problem.xml").write_text("<problem><judging>")
    with pytest.raises(ProblemFormatError, match="invalid XML"):
        load_problem(tmp_path)
    (tmp_path / "problem.xml").write_text("<problem/>")
    with pytest.raises(ProblemFormatError, match="testset"):
        load_problem(tmp_path)

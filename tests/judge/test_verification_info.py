"""verification_info round trips and open-r1-shaped rows load with documented defaults."""

import json

import pytest
from pydantic import ValidationError

from sandbox.judge import FileIO, load_problem
from sandbox.judge.checkers import FloatSpec, ProgramCheckerSpec, PythonCheckerSpec
from sandbox.judge.formats.verification import problem_from_verification_info, verification_info_from_problem

from pathlib import Path

DATA = Path(__file__).parent / "data"


def test_open_r1_row_loads_with_defaults():
    row = {"language": "python", "test_cases": [{"input": "1 2\n", "output": "3\n", "type": "stdin_stdout"},
                                                 {"input": "5 5\n", "output": "10\n", "type": "stdin_stdout"}]}
    problem = problem_from_verification_info(json.dumps(row))
    assert problem.time_limit == 2.0 and problem.memory_limit == 256
    assert [t.name for t in problem.tests] == ["1", "2"]
    assert problem.tests[1].read_answer() == b"10\n"


@pytest.mark.parametrize("name", ["aplusb", "aplusb-float", "aplusb-program"])
def test_round_trip_keeps_what_judging_needs(name):
    problem = load_problem(DATA / name)
    again = problem_from_verification_info(json.loads(json.dumps(verification_info_from_problem(problem))))
    assert (again.time_limit, again.memory_limit) == (problem.time_limit, problem.memory_limit)
    assert again.checker == problem.checker and again.input_mode == problem.input_mode
    assert [(t.name, t.is_sample, t.read_input(), t.read_answer()) for t in again.tests] == \
           [(t.name, t.is_sample, t.read_input(), t.read_answer()) for t in problem.tests]


def test_extras():
    info = {"test_cases": [{"input": "x", "output": "y"}], "generated_checker": "print(1)",
            "input_mode": "file", "interactor": {"code": "int main(){}", "language": "cpp"}}
    problem = problem_from_verification_info(info)
    assert isinstance(problem.checker, PythonCheckerSpec) and problem.checker.code == "print(1)"
    assert problem.input_mode == FileIO() and problem.interactive
    assert isinstance(problem_from_verification_info({**info, "generated_checker": None,
                                                      "checker": {"type": "float", "eps": 1e-4}}).checker, FloatSpec)
    program = problem_from_verification_info({"test_cases": [], "checker": {"type": "program", "source": "c.cpp",
                                                                             "code": "int main(){}"}})
    assert isinstance(program.checker, ProgramCheckerSpec)


@pytest.mark.parametrize("bad", [{}, {"test_cases": [{"output": "1"}]}, {"test_cases": [], "time_limit": -1},
                                 {"test_cases": [{"input": "1", "type": "function_call"}]},
                                 {"test_cases": [], "checker": "nonsense"}])
def test_malformed_rows_are_clear_errors(bad):
    with pytest.raises((ValidationError, ValueError)):
        problem_from_verification_info(bad)

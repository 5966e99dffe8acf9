"""The judge end to end on real sandboxed runs: verdicts, checkers, file I/O, Polygon."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.judge import JudgeProblem, ProgramCheckerSpec, TestCase, load_problem
from sandbox.judge.judging import Judge, JudgeOptions, TestVerdict, Verdict

DATA = Path(__file__).parent / "data"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
APLUSB_CPP = '#include <cstdio>\nint main(){long long a,b;std::scanf("%lld %lld",&a,&b);std::printf("%lld\\n",a+b);}'


@pytest.fixture(scope="module")
def judge():
    with LocalBackend(concurrency=2) as backend, Judge(backend) as shared:
        yield shared


def test_verdicts_on_a_cpforge_problem(judge):
    problem = load_problem(DATA / "aplusb")
    assert judge.judge(problem, APLUSB_CPP, "cpp17").verdict is Verdict.AC
    wrong = judge.judge(problem, "a, b = map(int, input().split())\nprint(a - b)\n", "python3")
    assert wrong.verdict is Verdict.WA and wrong.score == 0
    assert wrong.tests[0].is_sample and wrong.tests[0].verdict is TestVerdict.WA
    assert all(t.verdict is TestVerdict.SKIPPED for t in wrong.tests[1:])
    slow = judge.judge(problem, "while True:\n    pass\n", "python3")
    assert slow.verdict is Verdict.TLE
    broken = judge.judge(problem, "int main( {", "cpp17")
    assert broken.verdict is Verdict.CE and broken.compile.diagnostics


def test_all_tests_and_pass_rate(judge):
    problem = load_problem(DATA / "aplusb")
    source = "a, b = map(int, input().split())\nprint(a + b if a < 100 else 0)\n"
    result = judge.judge(problem, source, "python3", JudgeOptions(score="pass_rate"))
    assert result.verdict is Verdict.WA
    assert result.total == len(problem.tests) and 0 < result.score < 1
    assert result.score == pytest.approx(result.passed / result.total)


def test_identical_sources_compile_once(judge):
    first = judge.compile(APLUSB_CPP + "\n// unique 1", "cpp17")
    second = judge.compile(APLUSB_CPP + "\n// unique 1", "cpp17")
    assert not first.cached and second.cached


def test_program_checker_and_its_failures(judge):
    problem = load_problem(DATA / "aplusb-program")
    assert judge.judge(problem, APLUSB_CPP, "cpp17").verdict is Verdict.AC
    assert judge.judge(problem, "print(0)\n", "python3").verdict is Verdict.WA
    crashing = problem.model_copy(update={"checker": ProgramCheckerSpec(source="c.cpp", code="int main(){return 3;}")})
    result = judge.judge(crashing, APLUSB_CPP, "cpp17")
    assert result.verdict is Verdict.JUDGE_ERROR  # a broken checker is never a wrong answer
    uncompilable = problem.model_copy(update={"checker": ProgramCheckerSpec(source="c.cpp", code="nope")})
    assert judge.judge(uncompilable, APLUSB_CPP, "cpp17").verdict is Verdict.JUDGE_ERROR


def test_file_io_and_float_checker(judge):
    problem = load_problem(DATA / "aplusb-float")
    good = "a, b = map(int, open('input.txt').read().split())\nopen('output.txt', 'w').write('%.9f\\n' % (a / b))\n"
    assert judge.judge(problem, good, "python3").verdict is Verdict.AC
    stdout_only = "a, b = map(int, input().split())\nprint(a / b)\n"
    result = judge.judge(problem, stdout_only, "python3")
    assert result.verdict in (Verdict.WA, Verdict.RE)


def test_in_memory_problem(judge):
    problem = JudgeProblem(name="double", time_limit=1, memory_limit=64,
                           tests=[TestCase.from_bytes(str(i), f"{i}\n".encode(), f"{2 * i}\n".encode()) for i in range(6)])
    result = judge.judge(problem, "print(2 * int(input()))\n", "python3")
    assert result.verdict is Verdict.AC and result.passed == 6


def test_cli_judge_json_and_errors(tmp_path):
    source = tmp_path / "sol.cpp"
    source.write_text(APLUSB_CPP)
    done = subprocess.run([sys.executable, "-m", "sandbox.cli", "judge", str(DATA / "aplusb"), str(source), "--json"],
                          capture_output=True, cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["verdict"] == "AC" and payload["score"] == 1.0 and payload["compile"]["status"] == "OK"
    for test in payload["tests"]:
        assert {"name", "verdict", "cpu_time", "wall_time", "memory", "message"} <= set(test)
    missing = subprocess.run([sys.executable, "-m", "sandbox.cli", "judge", str(tmp_path / "nope"), str(source)],
                             capture_output=True, cwd=PROJECT_ROOT, timeout=60)
    assert missing.returncode == 2 and missing.stderr


POLYGON = PROJECT_ROOT.parent / "shared" / "data" / "verifier" / "polygon-palindromic-length"


@pytest.mark.skipif(not POLYGON.is_dir(), reason="../shared is not present")
def test_polygon_package_solutions(judge):
    problem = load_problem(POLYGON)
    solutions = POLYGON / "solutions"
    accepted = judge.judge(problem, (solutions / "eertree.cpp").read_text(), "cpp17")
    assert accepted.verdict is Verdict.AC, accepted.message
    wrong = judge.judge(problem, (solutions / "finalize.cpp").read_text(), "cpp17")
    assert wrong.verdict is Verdict.WA and wrong.message.startswith("test 519")
    main = judge.judge(problem, (solutions / "adamant.cpp").read_text(), "cpp17")
    assert main.verdict is Verdict.CE and "link" in main.compile.diagnostics

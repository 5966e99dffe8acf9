"""The judge end to end on real sandboxed runs: stopping, scores, checkers, Polygon. The
verdict of every solution under tests/judge/data is in its manifest (test_expected_verdicts.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.judge import JudgeProblem, ProgramCheckerSpec, TestCase, load_problem
from sandbox.judge.judging import Judge
from sandbox.judge.scoring import JudgeOptions
from sandbox.result import Verdict

DATA = Path(__file__).parent / "data"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
APLUSB = DATA / "aplusb" / "solutions"
APLUSB_CPP = (APLUSB / "ref.cpp").read_text()


def test_a_failed_sample_skips_the_other_tests(judge):
    problem = load_problem(DATA / "aplusb")
    wrong = judge.judge(problem, (APLUSB / "wa_difference.py").read_text(), "python3")
    assert wrong.verdict is Verdict.WA and wrong.score == 0
    assert wrong.tests[0].is_sample and wrong.tests[0].verdict is Verdict.WA
    assert all(t.verdict is Verdict.SKIPPED for t in wrong.tests[1:])


def test_all_tests_and_pass_rate(judge):
    problem = load_problem(DATA / "aplusb")
    source = (APLUSB / "wa_large_a.py").read_text()
    result = judge.judge(problem, source, "python3", JudgeOptions(score="pass_rate"))
    assert result.verdict is Verdict.WA
    assert result.total == len(problem.tests) and 0 < result.score < 1
    assert result.score == pytest.approx(result.passed / result.total)


def test_identical_sources_compile_once(judge):
    first = judge.compile(APLUSB_CPP + "\n// unique 1", "cpp17")
    second = judge.compile(APLUSB_CPP + "\n// unique 1", "cpp17")
    assert not first.cached and second.cached


def test_program_checker_failures_are_judge_errors(judge):
    problem = load_problem(DATA / "aplusb-program")
    crashing = problem.model_copy(update={"checker": ProgramCheckerSpec(source="c.cpp", code="int main(){return 3;}")})
    result = judge.judge(crashing, APLUSB_CPP, "cpp17")
    assert result.verdict is Verdict.JUDGE_ERROR  # a broken checker is never a wrong answer
    uncompilable = problem.model_copy(update={"checker": ProgramCheckerSpec(source="c.cpp", code="nope")})
    assert judge.judge(uncompilable, APLUSB_CPP, "cpp17").verdict is Verdict.JUDGE_ERROR


def test_a_program_checker_runs_under_its_own_memory_limit(judge):
    """`memory_limit` of a program checker is what its box gets: a checker needing 200 MB
    passes with 512 and is a judge error (never WA) with 64."""
    hungry = "import sys\nblock = bytearray(200 << 20)\nsys.exit(0)\n"
    problem = JudgeProblem(name="double", time_limit=2, memory_limit=64,
                           tests=[TestCase.from_bytes("1", b"1\n", b"2\n")])

    def with_limit(megabytes: int) -> JudgeProblem:
        checker = ProgramCheckerSpec(source="chk.py", language="python3", code=hungry, memory_limit=megabytes)
        return problem.model_copy(update={"checker": checker})

    assert judge.judge(with_limit(512), "print(2 * int(input()))\n", "python3").verdict is Verdict.AC
    starved = judge.judge(with_limit(64), "print(2 * int(input()))\n", "python3")
    assert starved.verdict is Verdict.JUDGE_ERROR and "checker" in starved.message


def test_in_memory_problem(judge):
    problem = JudgeProblem(name="double", time_limit=1, memory_limit=64,
                           tests=[TestCase.from_bytes(str(i), f"{i}\n".encode(), f"{2 * i}\n".encode())
                                  for i in range(6)])
    result = judge.judge(problem, "print(2 * int(input()))\n", "python3")
    assert result.verdict is Verdict.AC and result.passed == 6


def test_cli_judge_json_and_errors(tmp_path):
    source = APLUSB / "ref.cpp"
    done = subprocess.run([sys.executable, "-m", "sandbox.tools.cli",
                           "judge", str(DATA / "aplusb"), str(source), "--json"],
                          capture_output=True, cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["verdict"] == "AC" and payload["score"] == 1.0 and payload["compile"]["status"] == "OK"
    for test in payload["tests"]:
        assert {"name", "verdict", "cpu_time", "wall_time", "memory", "message"} <= set(test)
    missing = subprocess.run([sys.executable, "-m", "sandbox.tools.cli", "judge", str(tmp_path / "nope"), str(source)],
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


@pytest.mark.skipif(not POLYGON.is_dir(), reason="../shared is not present")
def test_polygon_wrong_answers_fail_on_test_519(judge):
    from concurrent.futures import ThreadPoolExecutor

    problem = load_problem(POLYGON)
    solutions = POLYGON / "solutions"
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda name: judge.judge(problem, (solutions / name).read_text(), "cpp17"),
                                ["predict.cpp", "predict_min.cpp"]))
    for result in results:
        assert result.verdict is Verdict.WA and result.message.startswith("test 519"), result.message
        assert [t.name for t in result.tests if t.verdict is Verdict.WA] == ["519"]


@pytest.mark.skipif(not POLYGON.is_dir(), reason="../shared is not present")
def test_polygon_block_n2_needs_the_stack_as_large_as_the_memory_limit(judge):
    from sandbox.limits import Limits
    from sandbox.result import Verdict

    problem = load_problem(POLYGON)
    few = problem.model_copy(update={"tests": [t for t in problem.tests if t.name in ("01", "02", "519")]})
    source = (POLYGON / "solutions" / "block_n2.cpp").read_text()
    result = judge.judge(few, source, "cpp17", JudgeOptions(stop_on_first_failure=False))
    assert result.verdict in (Verdict.AC, Verdict.TLE) and not any(t.verdict is Verdict.RE for t in result.tests)
    compiled = judge.compile(source, "cpp17")
    small_stack = Limits(cpu_time=problem.time_limit, memory_mb=problem.memory_limit, stack_mb=8)
    run = judge.backend.run(compiled.executable, stdin=few.tests[0].read_input(), limits=small_stack)
    assert run.status is Verdict.RE  # its big stack frame only fits when stack = memory


def test_weighted_sum_score_runs_every_test(judge):
    problem = JudgeProblem(name="double", time_limit=1, memory_limit=64,
                           tests=[TestCase.from_bytes(str(i), f"{i}\n".encode(), f"{2 * i}\n".encode())
                                  for i in range(10)])
    half = "x = int(input())\nprint(2 * x if x < 5 else 0)\n"
    result = judge.judge(problem, half, "python3", JudgeOptions(score="weighted_sum"))
    assert result.verdict is Verdict.WA and result.passed == 5 and len(result.tests) == 10
    assert result.score == pytest.approx(0.05)  # open-r1: 1[all passed] + 0.1 * passed/total
    perfect = judge.judge(problem, "print(2 * int(input()))\n", "python3", JudgeOptions(score="weighted_sum"))
    assert perfect.score == pytest.approx(1.1)


def test_a_small_submission_is_not_starved_by_a_big_one():
    import threading
    import time

    slow = "import time\ntime.sleep(0.1)\nprint(2 * int(input()))\n"
    big = JudgeProblem(name="big", time_limit=2, memory_limit=64,
                       tests=[TestCase.from_bytes(str(i), f"{i}\n".encode(), f"{2 * i}\n".encode()) for i in range(60)])
    small = big.model_copy(update={"tests": big.tests[:2]})
    finished: dict[str, float] = {}
    with LocalBackend(concurrency=2) as backend, Judge(backend) as fair:
        fair.compile(slow, "python3")

        def run(name, problem, delay):
            time.sleep(delay)
            fair.judge(problem, slow, "python3", JudgeOptions(stop_on_first_failure=False))
            finished[name] = time.monotonic()

        threads = [threading.Thread(target=run, args=("big", big, 0)),
                   threading.Thread(target=run, args=("small", small, 0.3))]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    # FIFO would finish the small one after all 60 big tests; fair scheduling, a few tests in.
    assert finished["small"] - started < 0.5 * (finished["big"] - started)


def test_testlib_header_setting(tmp_path, monkeypatch):
    """testlib.h is not bundled: the setting points at the user's copy. A stand-in header
    with one function proves `#include "testlib.h"` resolves to that file."""
    header = tmp_path / "testlib.h"
    header.write_text("#pragma once\n#include <cstdio>\ninline int cpforge_testlib_marker() { return 0; }\n")
    checker = ProgramCheckerSpec(source="check.cpp", code=(
        '#include "testlib.h"\nint main(int argc, char** argv) {\n'
        '  FILE *out = std::fopen(argv[2], "r"), *ans = std::fopen(argv[3], "r");\n'
        '  long long a, b; if (std::fscanf(out, "%lld", &a) != 1) return 2; std::fscanf(ans, "%lld", &b);\n'
        '  return a == b ? cpforge_testlib_marker() : 1; }\n'))
    problem = load_problem(DATA / "aplusb").model_copy(update={"checker": checker})
    monkeypatch.delenv("CPFORGE_TESTLIB", raising=False)
    with LocalBackend(concurrency=2) as backend:
        with Judge(backend, testlib=tmp_path) as with_header:
            assert with_header.judge(problem, APLUSB_CPP, "cpp17").verdict is Verdict.AC
        with Judge(backend) as without:
            result = without.judge(problem, APLUSB_CPP, "cpp17")
            assert result.verdict is Verdict.JUDGE_ERROR and "testlib.h" in result.message
        monkeypatch.setenv("CPFORGE_TESTLIB", str(header))
        with Judge(backend) as from_env:
            assert from_env.judge(problem, APLUSB_CPP, "cpp17").verdict is Verdict.AC
    with pytest.raises(ValueError, match="testlib.h"):
        Judge(backend, testlib=tmp_path / "missing")


def test_open_r1_python_checker_reads_its_arguments_in_order(judge):
    """open-r1 runs `python3 checker.py input correct_output solution_output`; a checker
    indexing sys.argv[1..3] must see exactly those files."""
    from sandbox.judge import PythonCheckerSpec

    checker = PythonCheckerSpec(code=(
        "import sys\n"
        "inp, correct, sol = (open(p).read().split() for p in sys.argv[1:4])\n"
        "a, b = map(int, inp)\n"
        "print(1 if sol == correct and int(sol[0]) == a + b else 0)\n"))
    problem = load_problem(DATA / "aplusb").model_copy(update={"checker": checker})
    assert judge.judge(problem, APLUSB_CPP, "cpp17").verdict is Verdict.AC
    assert judge.judge(problem, "print(0)\n", "python3").verdict is Verdict.WA


def test_in_memory_compile_cache_is_bounded(judge):
    with Judge(judge.backend, max_compiled=2) as small:
        for i in range(5):
            assert small.compile(f"print({i})\n", "python3").ok
        assert len(small._compiled) == 2
        assert small.compile("print(4)\n", "python3").cached  # the most recent stays


def test_python_is_syntax_checked_only_when_its_verdict_leaves_room_for_a_syntax_error(backend):
    """The check is a sandboxed run of its own: a passing (or, on a batch problem, wrongly
    answering) source never needs it; one that fails otherwise gets it, and a source that
    does not compile is CE with the checker's diagnostics, as when checking first."""
    problem = load_problem(DATA / "aplusb")
    correct = "a, b = map(int, input().split())\nprint(a + b)\n"
    with Judge(backend) as lazy, Judge(backend, lazy_syntax_check=False) as eager:
        passed = lazy.judge(problem, correct + "# lazy 1\n", "python3")
        assert passed.verdict is Verdict.AC and passed.compile.time == 0 and passed.compile.diagnostics == ""
        checked = eager.judge(problem, correct + "# eager 1\n", "python3")
        assert checked.verdict is Verdict.AC and checked.compile.time > 0  # the syntax check ran
        wrong = lazy.judge(problem, "print(0)\n# lazy 2\n", "python3")
        assert wrong.verdict is Verdict.WA and wrong.compile.time == 0
        for judge in (lazy, eager):
            broken = judge.judge(problem, "print(input(\n", "python3")
            assert broken.verdict is Verdict.CE and "SyntaxError" in broken.compile.diagnostics, broken
            assert broken.passed == 0 and not broken.tests
        crash = lazy.judge(problem, "raise ValueError('boom')\n", "python3")
        assert crash.verdict is Verdict.RE  # checked, compiled fine: the run's verdict stands

"""`build-dataset tests generate` and `tests strength` on real packages, in the real sandbox.

The two packages under data/testgen ship wrong solutions that pass their manual tests: their
strength must be weak before generation (TNR < 1) and perfect after (TPR = TNR = 1), each
wrong solution caught on the generated test built to catch it. Regeneration must give the
same bytes; a broken generator, a rejected input, a crashing main solution, disagreeing
accepted solutions and a non-deterministic generator must each fail with the test named
and nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from problems.testsets.errors import TestsetError
from problems.testsets.generate import GenerateOptions, GenerationSummary, generate_tests
from problems.testsets.report import StrengthReport
from problems.testsets.sidecar import TESTSET_FILE
from problems.testsets.solutions import find_solutions
from problems.testsets.strength import measure_strength
from sandbox.judge import load_problem
from sandbox.judge.judging import Judge

DATA = Path(__file__).parent / "data" / "testgen"
POLYGON = DATA / "polygon-maxsub"
CPFORGE = DATA / "cpforge-pairsum"
BROKEN = DATA / "broken"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
OPTIONS = GenerateOptions(jobs=2, progress=False)


def _generate(package: Path, out: Path, judge: Judge, **options: Any) -> GenerationSummary:
    return generate_tests(package, out, judge, OPTIONS.model_copy(update=options))


def _by_source(report: StrengthReport) -> dict[str, Any]:
    return {o.source: o for o in report.solutions}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "problems.cli", "tests", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300)


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".partial-" in p.name or ".old-" in p.name)


# --------------------------------------------------------------------------- strength before / after
@pytest.mark.xdist_group("testgen-polygon")
def test_polygon_package_weak_before_generation_and_strong_after(judge: Judge, tmp_path: Path) -> None:
    before = measure_strength([POLYGON], judge, progress=False)
    assert before.problems[0].tests == 3 and before.problems[0].format == "polygon"
    assert before.tpr == 1.0 and before.tnr == 0.0  # every wrong solution passes the manual tests
    assert {s.source for s in before.slipped_through} == {
        "solutions/quadratic.cpp", "solutions/int_sum.cpp", "solutions/zero_start.cpp"}

    summary = _generate(POLYGON, tmp_path / "maxsub", judge)
    assert (summary.tests, summary.generated, summary.manual, summary.samples) == (8, 5, 3, 1)
    after = measure_strength([tmp_path / "maxsub"], judge, progress=False)
    assert after.tpr == 1.0 and after.tnr == 1.0 and after.slipped_through == []
    caught = {source: (o.verdict, o.caught_on) for source, o in _by_source(after).items() if not o.passed}
    assert caught == {"solutions/quadratic.cpp": ("TLE", "8"),  # n = 200000
                      "solutions/int_sum.cpp": ("WA", "6"),  # sums past 2^31
                      "solutions/zero_start.cpp": ("WA", "4")}  # n = 1, negative
    assert after.mismatched == []  # every verdict is the one its tag promises
    assert load_problem(tmp_path / "maxsub").testset_hash() == summary.testset_hash == after.problems[0].testset_hash


@pytest.mark.xdist_group("testgen-cpforge")
def test_cpforge_problem_weak_before_generation_and_strong_after(judge: Judge, tmp_path: Path) -> None:
    before = measure_strength([CPFORGE], judge, progress=False)
    assert before.tpr == 1.0 and before.tnr is not None and before.tnr < 1.0
    assert len(before.slipped_through) == 4

    _generate(CPFORGE, tmp_path / "pairsum", judge)
    after = measure_strength([tmp_path / "pairsum"], judge, progress=False)
    assert (after.tpr, after.tnr) == (1.0, 1.0)
    assert (after.correct, after.wrong) == (2, 4)
    outcomes = _by_source(after)
    assert outcomes["solutions/halves.cpp"].caught_on == "4"  # two elements equal to k/2
    assert outcomes["solutions/all_pairs.cpp"].verdict == "TLE"
    assert outcomes["solutions/int_count.cpp"].verdict == "WA"
    mismatched = {m.source: m.note for m in after.mismatched}
    assert mismatched == {"solutions/sorted_int.cpp": "rejected, but by WA not TLE"}


# --------------------------------------------------------------------------- the generated directory
@pytest.mark.xdist_group("testgen-cpforge")
def test_generation_is_byte_identical_and_records_provenance(judge: Judge, tmp_path: Path) -> None:
    first = _generate(CPFORGE, tmp_path / "one", judge)
    second = _generate(CPFORGE, tmp_path / "two", judge)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    for relative in files:
        assert (tmp_path / "one" / relative).read_bytes() == (tmp_path / "two" / relative).read_bytes(), relative
    assert first.testset_hash == second.testset_hash and first.nondeterministic == []

    record = json.loads((tmp_path / "one" / TESTSET_FILE).read_text())
    assert record["testset_hash"] == load_problem(tmp_path / "one").testset_hash()
    assert [t.get("cmd") for t in record["tests"]][3] == "gen 2 10 10 1 equal"
    assert [t.get("manual") for t in record["tests"]][:3] == ["1", "2", "3"]
    assert (tmp_path / "one" / "tests" / "4.out").read_text().split() == ["1"]  # the main solution's answer
    assert json.loads((tmp_path / "one" / "problem.json").read_text())["samples"] == ["1"]
    tags = {s.path: s.tag for s in find_solutions(tmp_path / "one")}
    assert tags["solutions/main.cpp"] == "main" and tags["solutions/sorted_int.cpp"] == "time-limit-exceeded"

    # The output is a package too: regenerating from it gives the same tests.
    third = _generate(tmp_path / "one", tmp_path / "three", judge)
    assert third.testset_hash == first.testset_hash

    verifier = Path(sys.executable).with_name("verifier")
    ok = subprocess.run([str(verifier), "judge", str(tmp_path / "one"), str(CPFORGE / "solutions" / "main.cpp")],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    wrong = subprocess.run([str(verifier), "judge", str(tmp_path / "one"), str(CPFORGE / "solutions" / "halves.cpp")],
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 1 and "WA" in wrong.stdout


def test_existing_output_is_kept_without_force(judge: Judge, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(TestsetError, match="already exists"):
        _generate(CPFORGE, tmp_path / "out", judge)


# --------------------------------------------------------------------------- errors: the test named, nothing written
def _variant(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the cpforge package with its testset.json edited and the broken programs beside it."""
    package = tmp_path / "package"
    shutil.copytree(CPFORGE, package)
    shutil.copytree(BROKEN, package / "broken")
    record = json.loads((package / TESTSET_FILE).read_text())
    record["tests"] = record["tests"][:4]  # the manual tests and one small generated one
    edit(record)
    (package / TESTSET_FILE).write_text(json.dumps(record))
    return package


def _fails(package: Path, out: Path, judge: Judge, *fragments: str) -> None:
    with pytest.raises(TestsetError) as raised:
        _generate(package, out, judge)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "\n" not in message
    assert not out.exists() and _leftovers(out.parent) == []


def _add_generator(name: str, source: str, cmd: str) -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        record["generators"].append({"name": name, "source": source})
        record["tests"].append({"cmd": cmd})
    return edit


def test_generator_that_does_not_compile(judge: Judge, tmp_path: Path) -> None:
    package = _variant(tmp_path, _add_generator("broken", "broken/broken_gen.cpp", "broken 5"))
    _fails(package, tmp_path / "out", judge, "test 5 (`broken 5`)", "generator 'broken'", "does not compile",
           "undeclared_size")


def test_generator_that_crashes(judge: Judge, tmp_path: Path) -> None:
    package = _variant(tmp_path, _add_generator("crash", "broken/crash_gen.py", "crash 7"))
    _fails(package, tmp_path / "out", judge, "test 5 (`crash 7`)", "generator 'crash' failed", "RE",
           "cannot make a test of size 7")


def test_validator_rejects_an_input(judge: Judge, tmp_path: Path) -> None:
    package = _variant(tmp_path, lambda record: record["tests"].insert(2, {"cmd": "gen 0 10 10 1 rand"}))
    _fails(package, tmp_path / "out", judge, "test 3 (`gen 0 10 10 1 rand`)", "validator rejects",
           "n = 0 is out of [1, 200000]")


def test_main_solution_that_crashes(judge: Judge, tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["solutions"][0] = {"source": "broken/crash_main.py", "tag": "main"}
    _fails(_variant(tmp_path, edit), tmp_path / "out", judge, "test 4 (`gen 2 10 10 1 equal`)",
           "main solution broken/crash_main.py failed", "RE", "n == 2 is not handled")


def test_accepted_solutions_that_disagree(judge: Judge, tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["solutions"] = [s for s in record["solutions"] if s["source"] != "solutions/halves.cpp"]
        record["solutions"].append({"source": "solutions/halves.cpp", "tag": "accepted"})
    _fails(_variant(tmp_path, edit), tmp_path / "out", judge, "test 4 (`gen 2 10 10 1 equal`)",
           "accepted solution solutions/halves.cpp disagrees with main solution solutions/main.cpp", "WA")


def test_nondeterministic_generator_is_reported(judge: Judge, tmp_path: Path) -> None:
    package = _variant(tmp_path, _add_generator("noisy", "broken/noisy_gen.py", "noisy 1"))
    _fails(package, tmp_path / "out", judge, "test 5 (`noisy 1`)", "generator 'noisy' is not deterministic")
    kept = _generate(package, tmp_path / "kept", judge, allow_nondeterministic=True)
    assert [(n.test, n.cmd) for n in kept.nondeterministic] == [(5, "noisy 1")]
    assert "different output on two runs" in kept.render()


def test_unknown_generator_fails_before_anything_runs(judge: Judge, tmp_path: Path) -> None:
    package = _variant(tmp_path, lambda record: record["tests"].append({"cmd": "gen_big 5"}))
    _fails(package, tmp_path / "out", judge, "test 5 (`gen_big 5`): no generator named 'gen_big' (known: gen)")


# --------------------------------------------------------------------------- the command line
def test_strength_json_and_bad_input() -> None:
    done = _cli("strength", str(CPFORGE), "--json", "--no-progress", "--jobs", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert {"tpr", "tnr", "solutions", "slipped_through", "mismatched", "problems"} <= set(report)
    assert report["tpr"] == 1.0 and report["tnr"] == 0.0
    solution = report["solutions"][0]
    assert {"source", "tag", "verdict", "caught_on", "time", "wall"} <= set(solution)
    assert solution["tag"] == "main" and solution["verdict"] == "AC"

    missing = _cli("strength", str(DATA / "no-such-problem"), "--no-progress")
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "no-such-problem" in missing.stderr


def test_unknown_tag_is_bad_input(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(CPFORGE, package)
    record = json.loads((package / TESTSET_FILE).read_text())
    record["solutions"][1]["tag"] = "acepted"
    (package / TESTSET_FILE).write_text(json.dumps(record))
    with pytest.raises(TestsetError, match="unknown solution tag 'acepted'"):
        find_solutions(package)


# --------------------------------------------------------------------------- tags in other places
def test_bundled_manifest_verdicts_become_tags() -> None:
    tags = {s.path: s.tag for s in find_solutions(PROJECT_ROOT / "problems" / "bundled" / "average-speed")}
    assert tags["solutions/ref.cpp"] == "accepted" and tags["solutions/wa_3_digits.cpp"] == "wrong-answer"
    assert tags["solutions/tle_per_kilometre.cpp"] == "time-limit-exceeded"
    assert tags["solutions/ce_undeclared.cpp"] == "compile-error"


def test_polygon_tags_of_a_real_package(shared_dir: Path, tmp_path: Path, judge: Judge) -> None:
    package = shared_dir / "data" / "verifier" / "polygon-palindromic-length"
    if not package.is_dir():
        pytest.skip("the palindromic-length Polygon package is not in ../shared")
    solutions = find_solutions(package)  # problem.xml and the .desc files, which must agree
    tags = {s.path.removeprefix("solutions/"): s.tag for s in solutions}
    assert len(tags) == 17 and solutions[0].path == "solutions/adamant.cpp" and tags["adamant.cpp"] == "main"
    assert tags["block_n2.cpp"] == "time-limit-exceeded" and tags["N2.cpp"] == "rejected"
    assert tags["predict.cpp"] == "wrong-answer"
    assert sum(tag == "accepted" for tag in tags.values()) == 8
    assert {s.program.language for s in solutions} == {"cpp17"}
    # It ships neither its generators nor every manual test: generation fails before anything runs,
    # naming the test.
    with pytest.raises(TestsetError, match=r"tests/57: test 57 is manual but its input file is missing"):
        _generate(package, tmp_path / "out", judge)
    assert not (tmp_path / "out").exists()

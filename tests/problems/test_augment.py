"""`build-dataset tests augment`: mutants of existing inputs, kept only when valid and agreed.

The mutation logic is pure and checked without a sandbox (deterministic, every kind
present, sizes resized consistently). The run itself uses the real sandbox on
data/testgen/augment-sum, whose manual tests let two wrong solutions through (a 32-bit sum,
one that skips negative numbers): TNR must rise after augmentation. A "correct" solution
that disagrees gets its inputs dropped and listed; fewer than K known-correct solutions is
an error before anything runs; the validator's rejections are listed too. Each added test's
provenance is on its own entry in testset.json (`augmented`), never on an original test, and
survives a second run on the output; the same seed gives the same directory."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pydantic import ValidationError

from problems.testsets.augment import AugmentOptions, AugmentSummary, augment_tests
from problems.testsets.errors import TestsetError
from problems.testsets.mutate import KINDS, parse, point_mutants, resize, size_of
from problems.testsets.sidecar import TESTSET_FILE, TestsetFile, read_sidecar
from problems.testsets.strength import measure_strength
from sandbox.judge import load_problem
from sandbox.judge.judging import Judge

DATA = Path(__file__).parent / "data" / "testgen"
SUM = DATA / "augment-sum"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
INPUTS = [b"3\n1 2 3\n", b"1\n1000000000\n", b"4\n10 0 7 5\n"]
OPTIONS = AugmentOptions(k=2, per_test=8, seed=1, max_size=1000, jobs=2)


def _augment(root: Path, out: Path, judge: Judge, **options: Any) -> AugmentSummary:
    return augment_tests(root, out, judge, OPTIONS.model_copy(update=options))


def _copy(tmp_path: Path, edit: Any = None) -> Path:
    """A copy of augment-sum whose testset.json `edit` may change."""
    root = tmp_path / "src"
    shutil.copytree(SUM, root)
    if edit is not None:
        path = root / TESTSET_FILE
        raw = json.loads(path.read_text())
        edit(raw)
        path.write_text(json.dumps(raw))
    return root


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".partial-" in p.name or ".old-" in p.name)


def _entries(out: Path) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = json.loads((out / TESTSET_FILE).read_text())["tests"]
    return tests


def _files(root: Path) -> dict[str, bytes]:
    """Every file of a directory by relative path: two runs must write the same bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- pure mutation logic
def test_point_mutants_are_deterministic_and_cover_every_kind() -> None:
    first = point_mutants(INPUTS, per_test=6, seed=7)
    assert first == point_mutants(INPUTS, per_test=6, seed=7)
    assert first != point_mutants(INPUTS, per_test=6, seed=8)
    assert {m.kind for m in first} == {"nudge", "bound", "swap"}
    assert len({m.data for m in first}) == len(first) and not set(INPUTS) & {m.data for m in first}
    for mutant in first:  # one change each, described where it was made
        assert mutant.provenance.startswith(f"augment: test {mutant.test}, ")
        parsed = parse(mutant.data)
        assert parsed is not None and parsed.trailing_newline


def test_each_kind_changes_what_it_says() -> None:
    by_description = {m.description: m.data for m in point_mutants(INPUTS, per_test=100, seed=0)}
    assert by_description["integer 2 of line 2: 2 -> 3"] == b"3\n1 3 3\n"  # nudge
    assert by_description["integer 1 of line 2: 10 -> -1"] == b"4\n-1 0 7 5\n"  # bound
    assert by_description["integer 1 of line 2: 1 -> 1000000000"] == b"3\n1000000000 2 3\n"  # largest seen
    assert by_description["tokens 2 and 3 of line 2 swapped (2 <-> 3)"] == b"3\n1 3 2\n"  # swap
    grown = resize(INPUTS[0], 1, 7)
    assert grown is not None and grown.kind == "size" and grown.data == b"7\n1 2 3 1 2 3 1\n"
    assert grown.provenance == "augment: test 1, size (integer 1 of line 1): 3 -> 7, elements repeated"
    cut = resize(b"3 9\na b\nc d\ne f\nrest\n", 2, 1)  # n lines follow line 1
    assert cut is not None and cut.data == b"1 9\na b\nrest\n"
    assert resize(INPUTS[0], 1, 3) is None and size_of(parse(b"hello world\n")) is None  # type: ignore[arg-type]
    assert set(KINDS) == {"nudge", "bound", "swap", "size"}


# --------------------------------------------------------------------------- the run, in the sandbox
@pytest.mark.xdist_group("testgen-augment")
def test_augment_strengthens_weak_tests_and_records_provenance(judge: Judge, tmp_path: Path) -> None:
    before = measure_strength([SUM], judge, progress=False)
    assert before.tpr == 1.0 and before.tnr == 0.0  # both wrong solutions pass the manual tests

    out = tmp_path / "sum"
    summary = _augment(SUM, out, judge)
    assert summary.original == 3 and summary.added and {"nudge", "bound", "swap", "size"} <= set(summary.by_kind)
    assert any("validator rejects" in d.reason for d in summary.dropped)  # e.g. n nudged without an element
    assert summary.agreed_by == ["solutions/main.cpp", "solutions/sum.py"]
    problem = load_problem(out)
    assert [t.read_input() for t in problem.tests[:3]] == INPUTS  # originals first, unchanged
    assert len(problem.tests) == 3 + len(summary.added) and problem.testset_hash() == summary.testset_hash
    assert json.loads((out / TESTSET_FILE).read_text())["testset_hash"] == summary.testset_hash
    assert not (out / "augment.json").exists()  # the provenance lives in testset.json now

    entries = _entries(out)
    assert [e["name"] for e in entries] == [t.name for t in problem.tests]
    assert [e for e in entries[:3] if "augmented" in e] == []  # the original tests were not made by augment
    added = {t.name: t for t in summary.added}
    assert [e["name"] for e in entries[3:]] == list(added)
    for entry in entries:  # every digest is the input's as written
        assert entry["sha256"] == hashlib.sha256((out / "tests" / f"{entry['name']}.in").read_bytes()).hexdigest()
    for entry in entries[3:]:
        made = entry["augmented"]
        test = added[entry["name"]]
        assert entry["manual"] == entry["name"] and entry["sha256"] == test.sha256
        assert made["from_test"] == test.from_test and made["from_test"] in {"1", "2", "3"}
        assert made["mutation"] == test.kind and test.provenance == f"augment: test {test.from_test}, {made['change']}"
        assert (made["seed"], made["k"], made["answer_by"]) == (OPTIONS.seed, 2, "solutions/main.cpp")
        assert made["agreed_by"] == summary.agreed_by
    sizes = [(e["augmented"]["from_test"], e["augmented"]["change"]) for e in entries[3:]
             if e["augmented"]["mutation"] == "size"]
    assert ("2", "size (integer 1 of line 1): 1 -> 1000, elements repeated") in sizes  # the validator's limit
    sidecar = read_sidecar(out)  # the schema reads back what augment wrote
    assert sidecar is not None and sidecar.tests is not None and sidecar.tests[3].augmented is not None

    after = measure_strength([out], judge, progress=False)
    assert after.tpr == 1.0 and after.tnr == 1.0  # TNR 0.0 before
    assert after.problems[0].testset_hash == summary.testset_hash
    again = _augment(SUM, tmp_path / "again", judge)  # same seed, same tests, same provenance
    assert again.testset_hash == summary.testset_hash and _files(tmp_path / "again") == _files(out)
    assert _leftovers(tmp_path) == []


@pytest.mark.xdist_group("testgen-augment")
def test_augmenting_an_augmented_directory_keeps_and_adds_provenance(judge: Judge, tmp_path: Path) -> None:
    first = tmp_path / "first"
    _augment(SUM, first, judge, per_test=3)
    earlier = _entries(first)
    second = _augment(first, tmp_path / "second", judge, per_test=2, seed=9)
    entries = _entries(tmp_path / "second")
    assert second.original == len(earlier) and second.added
    assert entries[: len(earlier)] == earlier  # the first run's tests, records and digests untouched
    for entry in entries[len(earlier):]:
        assert entry["augmented"]["seed"] == 9 and int(entry["augmented"]["from_test"]) <= len(earlier)
    chained = [e for e in entries[len(earlier):] if int(e["augmented"]["from_test"]) > 3]
    assert chained  # mutants of mutants: their origin is itself an augmented test, traceable back
    assert load_problem(tmp_path / "second").testset_hash() == second.testset_hash
    report = measure_strength([tmp_path / "second"], judge, progress=False)
    assert report.tpr == 1.0 and report.tnr == 1.0

    rerun = _augment(first, tmp_path / "rerun", judge, per_test=2, seed=9)  # reproducible on the output too
    assert rerun.testset_hash == second.testset_hash
    assert _files(tmp_path / "rerun") == _files(tmp_path / "second")


def test_the_augmented_record_is_strict() -> None:
    made = {"from_test": "1", "mutation": "nudge", "change": "integer 1 of line 1: 3 -> 4", "seed": 0,
            "answer_by": "solutions/main.cpp", "agreed_by": ["solutions/main.cpp", "solutions/sum.py"], "k": 2}
    good = TestsetFile.model_validate({"tests": [{"manual": "1"}, {"manual": "2", "augmented": made}]})
    assert good.tests is not None and good.tests[1].augmented is not None
    assert good.tests[1].augmented.mutation == "nudge" and good.tests[0].augmented is None
    broken = [
        ({**made, "provenance": "x"}, "Extra inputs are not permitted"),  # extra="forbid" inside the record too
        ({**made, "mutation": "shuffle"}, "mutation"),
        ({**made, "k": 3}, "fewer than k = 3"),
        ({**made, "answer_by": "solutions/other.cpp"}, "answer_by must be one of agreed_by"),
        ({**made, "from_test": "7"}, "'7' is not a test of this list"),
    ]
    for record, message in broken:
        with pytest.raises(ValidationError, match=message):
            TestsetFile.model_validate({"tests": [{"manual": "1"}, {"manual": "2", "augmented": record}]})
    with pytest.raises(ValidationError, match="an augmented test is a manual one"):
        TestsetFile.model_validate({"tests": [{"manual": "1"}, {"cmd": "gen 1", "augmented": made}]})


@pytest.mark.xdist_group("testgen-augment")
def test_a_disagreeing_known_correct_solution_drops_the_input(judge: Judge, tmp_path: Path) -> None:
    def promote(raw: dict[str, Any]) -> None:  # the negative-skipping solution claims to be correct
        raw["solutions"][3]["tag"] = "accepted"

    summary = _augment(_copy(tmp_path, promote), tmp_path / "out", judge)
    disagreed = [d for d in summary.dropped if "solutions/digits.py disagrees" in d.reason]
    assert disagreed and all("-" in d.provenance for d in disagreed)  # inputs with a negative number
    assert "dropped" in summary.render() and summary.added  # the others are still kept
    kept = [t.read_input() for t in load_problem(tmp_path / "out").tests]
    assert not any(b"-" in data for data in kept)


@pytest.mark.xdist_group("testgen-augment")
def test_without_a_validator_inputs_must_run_cleanly_on_every_correct_solution(judge: Judge, tmp_path: Path) -> None:
    summary = _augment(_copy(tmp_path, lambda raw: raw.pop("validator")), tmp_path / "out", judge, per_test=4)
    assert not any("validator" in d.reason for d in summary.dropped)
    assert any("fails" in d.reason for d in summary.dropped)  # sum.py asserts n values were given
    assert summary.added


def test_fewer_than_k_known_correct_solutions_is_an_error(judge: Judge, tmp_path: Path) -> None:
    with pytest.raises(TestsetError, match=r"2 known-correct solution\(s\).*fewer than K = 3"):
        _augment(SUM, tmp_path / "out", judge, k=3)
    assert not (tmp_path / "out").exists() and _leftovers(tmp_path) == []


@pytest.mark.xdist_group("testgen-augment")
def test_cli_augment_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "sum"
    run = subprocess.run([sys.executable, "-m", "problems.cli", "tests", "augment", str(SUM), "--out", str(out),
                          "--k", "2", "--per-test", "3", "--seed", "5", "--json"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["original"] == 3 and summary["added"] and load_problem(out).testset_hash() == summary["testset_hash"]
    refused = subprocess.run([sys.executable, "-m", "problems.cli", "tests", "augment", str(SUM), "--out",
                              str(tmp_path / "x"), "--k", "9"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=300)
    assert refused.returncode != 0 and "fewer than K = 9" in refused.stderr

"""The bundled sample set (problems/bundled): every problem loads in both views (judge and
statement), the set covers what the dataset needs, the committed tests are exactly what each
gen.py produces, and every bundled solution gets its expected verdict from the real judge."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from problems.model import Problem
from problems.samples import (BundledProblem, BundledSampleError, bundled_root, load_bundled)
from sandbox.judge import (FileIO, FloatSpec, ProgramCheckerSpec, PythonCheckerSpec, TokensSpec,
                           YesNoSpec, load_problem)
from sandbox.judge.judging import Judge
from sandbox.judge.scoring import JudgeOptions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUNDLE = load_bundled()
BY_SLUG = {item.slug: item for item in BUNDLE}
SLUGS = sorted(BY_SLUG)


# --------------------------------------------------------------------------- structure


def test_the_root_is_the_package_directory():
    assert bundled_root() == PROJECT_ROOT / "problems" / "bundled"
    assert load_bundled(bundled_root())[0].slug == BUNDLE[0].slug


def test_ids_are_unique_fictional_and_sorted():
    ids = [item.problem.id for item in BUNDLE]
    assert len(BUNDLE) >= 15
    assert len(set(ids)) == len(ids)
    keys = [(int(item.problem.contest_id), item.problem.index) for item in BUNDLE]
    assert keys == sorted(keys)
    for item in BUNDLE:
        assert int(item.problem.contest_id) >= 990001, item.slug  # never a real Codeforces contest
        round_number = int(item.problem.contest_id) - 990000
        assert item.problem.contest_name == f"cpforge sample round {round_number}"


def test_ratings_and_tags_spread_for_the_dataset_card():
    ratings = [item.problem.rating for item in BUNDLE]
    assert all(r is not None and 800 <= r <= 2400 and r % 100 == 0 for r in ratings)
    assert min(ratings) == 800 and max(ratings) == 2400
    assert len(set(ratings)) >= 10
    tags = Counter(tag for item in BUNDLE for tag in item.problem.tags)
    assert all(item.problem.tags for item in BUNDLE)
    assert len(tags) >= 12


@pytest.mark.parametrize("slug", SLUGS)
def test_problem_is_consistent_in_both_views(slug):
    item = BY_SLUG[slug]
    problem, judge = item.problem, load_problem(item.judge_dir)
    Problem.model_validate(json.loads((item.judge_dir / "codeforces.json").read_text()))
    assert (problem.time_limit, problem.memory_limit) == (judge.time_limit, judge.memory_limit)
    assert judge.time_limit <= 2 and judge.memory_limit <= 256
    assert problem.interactive == judge.interactive == (problem.interaction_format is not None)
    assert problem.input_mode == judge.input_mode  # one I/O-mode model in both files
    if isinstance(judge.input_mode, FileIO):
        assert (problem.input_file, problem.output_file) == (judge.input_mode.input, judge.input_mode.output)
    else:
        assert problem.input_mode == "stdio" and problem.input_file is None and problem.output_file is None
    assert problem.title and problem.description and problem.examples
    samples = judge.samples
    assert samples, "samples must be marked"
    assert len(judge.tests) - len(samples) >= 8
    if not judge.interactive:
        assert [(e.read_input(), e.read_answer()) for e in problem.examples] == \
               [(t.read_input(), t.read_answer()) for t in samples]
        assert problem.input_format and problem.output_format


@pytest.mark.parametrize("slug", SLUGS)
def test_solutions_cover_the_verdicts(slug):
    item = BY_SLUG[slug]
    languages = {s.language for s in item.references}
    assert "cpp17" in languages and languages & {"python3", "pypy3"}, "needs C++ and Python references"
    assert 6 <= len(item.solutions) <= 10
    assert {s.expected for s in item.solutions} - {"AC"}, "needs failing solutions too"
    for solution in item.solutions:
        assert (item.judge_dir / "solutions" / solution.file).read_text() == solution.code
        assert solution.note
        if solution.language == "java17":
            assert "public class Main" in solution.code


def test_the_set_covers_every_feature():
    judges = {item.slug: load_problem(item.judge_dir) for item in BUNDLE}
    checkers = Counter(type(j.checker).__name__ for j in judges.values() if not j.interactive)
    for spec in (TokensSpec, FloatSpec, YesNoSpec, ProgramCheckerSpec, PythonCheckerSpec):
        assert checkers[spec.__name__] >= 1, spec.__name__
    assert any(isinstance(j.checker, FloatSpec) and j.checker.eps == 1e-6 for j in judges.values())
    assert sum(j.interactive for j in judges.values()) >= 2
    assert sum(isinstance(j.input_mode, FileIO) for j in judges.values()) >= 2
    multi_test = [item for item in BUNDLE if "number of test cases" in (item.problem.input_format or "")]
    assert len(multi_test) >= 3
    solutions = [s for item in BUNDLE for s in item.solutions]
    assert sum(s.language == "java17" and s.author == "reference" for s in solutions) >= 5
    verdicts = {(s.language, s.expected) for s in solutions}
    for expected in ("AC", "WA", "TLE", "MLE", "RE", "CE"):
        for language in ("cpp17", "python3", "java17"):
            assert (language, expected) in verdicts, (language, expected)


def test_bundle_stays_small():
    size = sum(path.stat().st_size for path in bundled_root().rglob("*") if path.is_file())
    assert size < 3 * 1024 * 1024


@pytest.mark.parametrize("slug", [s for s in SLUGS if (BY_SLUG[s].judge_dir / "gen.py").is_file()])
def test_committed_tests_are_what_gen_py_writes(slug, tmp_path):
    source = BY_SLUG[slug].judge_dir
    shutil.copy(source / "gen.py", tmp_path / "gen.py")
    subprocess.run([sys.executable, "gen.py"], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    generated = {p.name: p.read_bytes() for p in (tmp_path / "tests").iterdir()}
    committed = {p.name: p.read_bytes() for p in (source / "tests").iterdir()}
    assert generated.keys() == committed.keys()
    assert [name for name in generated if generated[name] != committed[name]] == []


# --------------------------------------------------------------------------- loader errors


def _copy_problem(tmp_path: Path, slug: str = "equal-stacks") -> Path:
    root = tmp_path / "bundled"
    shutil.copytree(BY_SLUG[slug].judge_dir, root / slug)
    return root


def test_malformed_entries_are_reported_with_their_path(tmp_path):
    root = _copy_problem(tmp_path)
    statement = root / "equal-stacks" / "codeforces.json"
    data = json.loads(statement.read_text())
    assert [item.slug for item in load_bundled(root)] == ["equal-stacks"]

    statement.write_text(json.dumps({**data, "time_limit": 2.0}))
    with pytest.raises(BundledSampleError, match=r"codeforces.json: limits 2.0 s"):
        load_bundled(root)

    statement.write_text(json.dumps({**data, "id": "990001/Z"}))
    with pytest.raises(BundledSampleError, match=r"codeforces.json: .*does not match"):
        load_bundled(root)

    statement.write_text(json.dumps(data))
    manifest = root / "equal-stacks" / "solutions" / "manifest.json"
    entries = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(entries + [{**entries[0], "file": "missing.cpp"}]))
    with pytest.raises(BundledSampleError, match=r"missing.cpp: listed in the manifest but missing"):
        load_bundled(root)
    manifest.write_text(json.dumps([{**entries[0], "expected": "OK"}]))
    with pytest.raises(BundledSampleError, match=r"manifest.json: entry 0: expected"):
        load_bundled(root)


def test_duplicate_ids_are_rejected(tmp_path):
    root = _copy_problem(tmp_path)
    shutil.copytree(root / "equal-stacks", root / "equal-stacks-copy")
    with pytest.raises(BundledSampleError, match=r"id 990001/A is also used by"):
        load_bundled(root)


# --------------------------------------------------------------------------- judging


def _judge_all(judge: Judge, item: BundledProblem) -> dict[str, object]:
    """Judges every solution of one problem at once (the judge's pool runs their tests in
    parallel). Values are a JudgeResult, or the reason the solution was not judged."""
    problem = item.problem.judge_problem()
    options = JudgeOptions(stop_on_first_failure=True)

    def one(solution):
        if not judge.backend.available(solution.language):
            return f"{solution.language} toolchain is not installed"
        return judge.judge(problem, solution.code, solution.language, options)

    with ThreadPoolExecutor(max_workers=len(item.solutions)) as pool:
        return dict(zip((s.file for s in item.solutions), pool.map(one, item.solutions)))


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_solution_gets_its_expected_verdict(judge, slug):
    item = BY_SLUG[slug]
    results = _judge_all(judge, item)
    skipped = {file: reason for file, reason in results.items() if isinstance(reason, str)}
    mismatches = []
    for solution in item.solutions:
        result = results[solution.file]
        if isinstance(result, str):
            continue
        if result.verdict.value != solution.expected:
            mismatches.append(f"{solution.file}: expected {solution.expected}, got {result.verdict.value} "
                              f"({result.message[:300]})")
    assert mismatches == []
    if skipped and len(skipped) == len(results):
        pytest.skip("; ".join(sorted(set(skipped.values()))))


def test_verifier_cli_accepts_a_reference_on_a_file_io_problem():
    item = BY_SLUG["lamp-grid"]
    cli = Path(sys.executable).with_name("verifier")
    if not cli.exists():
        pytest.skip("the verifier entry point is not installed")
    proc = subprocess.run([str(cli), "judge", str(item.judge_dir), str(item.judge_dir / "solutions" / "ref.py"),
                           "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "AC"

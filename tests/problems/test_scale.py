"""Memory at scale: tests read from rows are spooled to disk, not held, so the driver's
memory through loading and judging does not grow with the test data; and the synthetic set
the scale bench runs on is a set `build-dataset run` judges as intended."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from problems.pipeline.bench import run_scale_bench
from problems.pipeline.inputs import load_problems
from problems.pipeline.synthetic import write_synthetic_set
from problems.pipeline.tests_source import INLINE_BYTES, TestSpool
from sandbox.judge.model import TestCase


def test_tests_from_rows_are_spooled_and_hash_as_if_held(tmp_path: Path) -> None:
    made = write_synthetic_set(tmp_path / "set", 3, tests_per_problem=2, test_bytes=4096)
    spool = TestSpool(parent=tmp_path)
    loaded = load_problems([str(made.problems_dir)], spool=spool)
    assert len(loaded.entries) == 3 and not loaded.skipped
    problem = loaded.entries["900000/P1"]
    # The sample once (its repeat in official_tests merged), the small official test, two generated.
    assert [t.origin for t in problem.tests] == ["statement", "official", "generated", "generated"]
    big = [t for t in problem.tests if t.origin == "generated"]
    assert all(t.input_data is None and t.input_path is not None for t in big)
    assert all(t.answer_data is not None for t in big)  # a few bytes: cheaper held than spooled
    assert big[0].read_input().startswith(b"1 0\n") and len(big[0].read_input()) > INLINE_BYTES
    assert spool.files == 6 and spool.bytes > 6 * 4000
    held = [TestCase(name=t.name, is_sample=t.is_sample, input_data=t.read_input(), answer_data=t.read_answer(),
                     origin=t.origin) for t in problem.tests]
    judge = problem.judge_problem()
    assert judge.model_copy(update={"tests": held}).testset_hash() == problem.testset_hash
    # Pickled (for a Ray worker on this machine), a test still reads the same data.
    assert pickle.loads(pickle.dumps(judge)).tests[2].read_input() == big[0].read_input()
    again = load_problems([str(made.problems_dir)], spool=spool).entries["900000/P1"]
    assert spool.files == 6 and again.testset_hash == problem.testset_hash  # same data, same files
    root = spool.root
    spool.close()
    assert not root.exists()


def test_a_spool_left_by_a_dead_process_is_removed(tmp_path: Path) -> None:
    orphan = tmp_path / "cpforge-tests-999999999-abc"  # no such pid
    orphan.mkdir()
    (orphan / "data").write_bytes(b"x")
    spool = TestSpool(parent=tmp_path)
    spool.put(b"y" * 1000)
    assert not orphan.exists() and spool.root.is_dir()
    spool.close()


@pytest.mark.slow
def test_the_synthetic_set_is_all_accepted_with_every_test_run(tmp_path: Path) -> None:
    result = run_scale_bench(problems=[5], tests_per_problem=2, test_bytes=2048, language="python", jobs=2,
                             keep=tmp_path, progress=False)
    [run] = result.runs
    assert run.judged == run.accepted == 5
    assert run.test_runs == 5 * 4  # sample, official, two generated
    assert run.judging_peak_rss_mb and run.peak_rss_mb >= run.judging_peak_rss_mb


@pytest.mark.slow
def test_the_drivers_memory_does_not_grow_with_the_tests(tmp_path: Path) -> None:
    """100 and 700 problems, each with 160 KiB of tests: held in memory, the 600 more
    problems would add at least 94 MB to the driver's peak; spooled, they add their records
    and paths. The same holds for the whole run: the rows carry every test
    (``official_tests``, ``verification_info``) but are streamed to the writer a row group
    at a time, never all built at once."""
    language = "c" if shutil.which("gcc") else "python"
    result = run_scale_bench(problems=[100, 700], tests_per_problem=2, test_bytes=80 * 1024, language=language,
                             jobs=2, keep=tmp_path, progress=False)
    for run in result.runs:
        assert run.judged == run.accepted == run.problems, result.render()
    growth = result.growth("local")
    assert growth is not None
    # A quarter of the test data: what holding it would cost, with room for the allocator's noise.
    assert growth < result.test_bytes_per_problem / 4, result.render()
    whole = result.growth("local", judging=False)
    assert whole is not None and whole < result.test_bytes_per_problem / 4, result.render()

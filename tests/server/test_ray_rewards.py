"""The TRL and verl adapters judging on a real Ray cluster (`RayJudgePool`), compared with the
in-process path on the same rows: the two-node cluster of tests/ray_cluster.py, real local
sandboxes on each node, model outputs in the shapes the frameworks pass (TRL's chat
messages, verl's strings, ```python fences, R1-style <think> drafts).

This process connects to the cluster first, as a trainer's Ray job is connected, so each
pool finds Ray initialised and only adds its actors. A third node carries the custom
resource `cpforge`. Every node has one CPU and a pool's actor takes its node's CPUs, so each
test starts and closes its own pool; the last test kills the labelled node."""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from sandbox.judge.model import JudgeProblem, TestCase
from sandbox.rewards.local import close_local_runtimes
from sandbox.rewards.pool import close_pool_runtimes, shared_pool
from sandbox.rewards.trl import make_trl_reward
from sandbox.rewards.verl import JudgeFailure, compute_score, compute_score_async, compute_score_batch

from .conftest import APLUSB_CPP, APLUSB_PY, DOUBLE_PY, aplusb_info, fenced
from .test_framework_adapters import _get_custom_reward_fn, _trl, open_r1_row

pytestmark = [pytest.mark.xdist_group("ray")]

WA_PY = "a, b = map(int, input().split())\nprint(a - b)\n"
HALF_PY = "a, b = map(int, input().split())\nprint(a + b if a < 2 else 0)\n"  # passes test 1 of 2
CE_CPP = "int main( {"
SLOW_PY = "import time\ntime.sleep({})\na, b = map(int, input().split())\nprint(a + b)\n"
COLUMNS = ("id", "contest_id", "index", "prompt", "language", "official_tests", "official_tests_complete",
           "time_limit", "memory_limit", "input_mode", "generated_checker", "executable", "interaction_format",
           "generated_tests", "problem_id", "verification_info")


def chat(text: str) -> list[dict[str, str]]:
    """A conversational completion, as TRL passes one."""
    return [{"role": "assistant", "content": text}]


def thinking(code: str) -> str:
    """R1-style: a draft fenced inside <think>, the answer after it."""
    return (f"<think>\nFirst try:\n```python\nprint(0)\n```\nNo, add them.\n</think>\n"
            f"Final answer:\n```python\n{code}```\n")


def row(**given: Any) -> dict[str, Any]:
    """A dataset row with every column of the batch, as TRL hands them over (absent: None)."""
    return {column: given.get(column) for column in COLUMNS}


def same(got: list[float], want: list[float]) -> bool:
    return len(got) == len(want) and all(
        (math.isnan(g) and math.isnan(w)) or g == pytest.approx(w) for g, w in zip(got, want))


@dataclass
class Job:
    cluster: Any  # tests/ray_cluster.py's RayCluster
    labelled: Any  # the node process carrying {"cpforge": 1}


@pytest.fixture(scope="module")
def ray_job(ray_cluster) -> Iterator[Job]:
    import ray

    labelled = ray_cluster.add_node(resources='{"cpforge": 1}')
    started = not ray.is_initialized()
    try:
        if started:
            ray.init(address=ray_cluster.address, log_to_driver=False, configure_logging=False)
        yield Job(ray_cluster, labelled)
    finally:
        close_pool_runtimes()
        close_local_runtimes()
        if started:
            ray.shutdown()
        ray_cluster.stop_node(labelled)


@pytest.fixture
def pool(ray_job) -> Iterator[Any]:
    from sandbox.cluster import RayJudgePool

    with RayJudgePool() as judging:
        assert judging.summary.workers == 3 and not judging.summary.refused
        yield judging


def test_the_adapters_import_no_ray_until_a_pool_is_used():
    """The `rl` extra has no Ray: importing and judging in-process must not need it."""
    script = ("import sys\n"
              "import sandbox.rewards.trl, sandbox.rewards.verl\n"
              "from sandbox.rewards.verl import compute_score\n"
              "row = {'official_tests': [{'input': '1 2\\n', 'output': '3\\n'}]}\n"
              "print(compute_score('cf', '```python\\nprint(3)\\n```', row)['score'],\n"
              "      [m for m in ('ray', 'sandbox.cluster', 'sandbox.rewards.pool') if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "1.0 []"

def test_trl_rewards_on_the_pool_equal_the_in_process_ones(pool, dataset_dir):
    """Dataset ids, open-r1 rows (in the dataset or falling back to their own tests), inline
    `verification_info`, a broken checker and a row that is no code problem, with AC, WA,
    partial, CE and no-code completions: the same rewards and logged rates either way."""
    def open_r1(problem_id: str) -> dict[str, Any]:
        return row(**{k: v for k, v in open_r1_row(problem_id).items() if k in COLUMNS})

    rows = [open_r1("1/A"), open_r1("904/A"), open_r1("904/B"), row(problem_id="2/B"), row(problem_id="3/C"),
            row(verification_info=aplusb_info("python")), row(verification_info=json.dumps(aplusb_info("cpp"))),
            row(verification_info=aplusb_info("python")), row(), open_r1("904/C")]
    completions = [chat(fenced(APLUSB_PY, "python")), chat(thinking(HALF_PY)), chat(fenced(CE_CPP, "cpp")),
                   fenced(DOUBLE_PY, "python"), fenced(APLUSB_CPP, "cpp"), chat(fenced(WA_PY, "py")),
                   fenced(APLUSB_CPP, "cpp"), "I could not solve it.", "42", chat(fenced(APLUSB_PY, ""))]
    on_pool, pool_metrics = _trl(make_trl_reward(pool=pool, problems=str(dataset_dir), mode="weighted_sum"),
                                 rows, completions)
    in_process, local_metrics = _trl(make_trl_reward(None, problems=str(dataset_dir), mode="weighted_sum"),
                                     rows, completions)
    assert same(on_pool, in_process), (on_pool, in_process)
    nan = math.nan
    assert same(on_pool, [1.1, 0.05, 0.0, 1.1, nan, 0.0, 1.1, 0.0, nan, 1.1]), on_pool
    assert pool_metrics == local_metrics and pool_metrics["cpforge_weighted_sum/judge_error_rate"] == [1 / 9]
    judged = pool.summary.judged_per_node
    assert len(judged) == 3 and all(count > 0 for count in judged.values()), judged  # spread over the nodes


def test_verl_scores_on_the_pool_equal_the_in_process_ones(pool, dataset_dir):
    """compute_score, compute_score_async and compute_score_batch bound as verl binds them
    (reward_kwargs through a partial): the same per-sample dicts as in-process, and a broken
    checker is JudgeFailure on both paths."""
    truths = [json.dumps(open_r1_row("905/A")), json.dumps({"inputs": ["2 3\n", "4 4\n"], "outputs": ["5\n", "8\n"]}),
              json.dumps(open_r1_row("905/B")), "1/A", json.dumps({"inputs": ["7\n"], "outputs": ["14\n"]})]
    solutions = [thinking(APLUSB_PY), fenced(WA_PY, "python"), fenced(CE_CPP, "cpp"), fenced(HALF_PY, "python"),
                 "No code, sorry."]
    extras: list[dict[str, Any]] = [{"index": i} for i in range(len(truths))]
    kwargs = {"score": "pass_rate", "problems": str(dataset_dir)}
    batch = _get_custom_reward_fn(compute_score_batch, {**kwargs, "pool": pool})
    on_pool = batch(data_sources=["codeforces"] * len(truths), solution_strs=solutions, ground_truths=truths,
                    extra_infos=extras)
    in_process = compute_score_batch(["codeforces"] * len(truths), solutions, truths, extras, **kwargs)
    assert on_pool == in_process
    assert [r["verdict"] for r in on_pool] == ["AC", "WA", "CE", "WA", "NO_CODE"]
    assert [r["score"] for r in on_pool] == [1.0, 0.0, 0.0, pytest.approx(1 / 3), 0.0]
    single = _get_custom_reward_fn(compute_score, {**kwargs, "pool": pool})
    coroutine = _get_custom_reward_fn(compute_score_async, {**kwargs, "pool": pool})
    for solution, truth, extra, expected in zip(solutions, truths, extras, in_process):
        call = dict(data_source="codeforces", solution_str=solution, ground_truth=truth, extra_info=extra)
        assert single(**call) == expected
        assert asyncio.run(coroutine(**call)) == expected
    broken = dict(data_source="codeforces", solution_str=fenced(APLUSB_CPP, "cpp"), ground_truth="3/C")
    with pytest.raises(JudgeFailure):
        single(**broken)
    with pytest.raises(JudgeFailure):
        compute_score(**broken, **kwargs)
    with pytest.raises(ValueError, match="not both"):
        single(**call, server_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="not both"):
        make_trl_reward("http://127.0.0.1:9", pool=pool)


def test_a_custom_resource_puts_actors_on_the_labelled_node_only(ray_job):
    """verl's YAML form (`ray: {resources: {cpforge: 1}}`) on a cluster where one node of
    three carries the resource: one actor, on that node, and it judged everything."""
    import ray

    try:
        ids = [node["NodeID"] for node in ray.nodes() if node["Alive"] and node["Resources"].get("cpforge")]
        assert len(ids) == 1 and sum(1 for node in ray.nodes() if node["Alive"]) == 3
        config = {"resources": {"cpforge": 1}}
        solutions = [fenced(APLUSB_PY, "python"), fenced(WA_PY, "python"), thinking(APLUSB_PY)] * 2
        truth = json.dumps(open_r1_row("906/A"))
        results = compute_score_batch(["cf"] * 6, solutions, [truth] * 6, ray=config)
        assert [r["verdict"] for r in results] == ["AC", "WA", "AC"] * 2
        pool = shared_pool(config)  # the pool the call started, cached for the process
        assert (pool.summary.nodes, pool.summary.workers) == (1, 1)
        assert [info["node"] for info in pool.worker_infos()] == ids
        assert sum(pool.summary.judged_per_node.values()) == 6 and len(pool.summary.judged_per_node) == 1
        with pytest.raises(ValueError, match="unknown Ray pool option"):
            compute_score("cf", solutions[0], truth, ray={"resource": {"cpforge": 1}})
    finally:
        close_pool_runtimes()  # the shared pool's actor frees the labelled node's CPU


def test_back_pressure_bounds_the_outstanding_submissions(ray_job):
    """`max_pending=N`: a thread submitting 5N slow runs is held in `submit`, so when its
    k-th submit returns at least k+1-N earlier ones are done. Without back-pressure all 5N
    would be outstanding at once. The reward path on that pool still judges a batch of 5N."""
    from sandbox.cluster import RayJudgePool

    limit = 3
    tests = [TestCase(name="1", input_data=b"2 5\n", answer_data=b"7\n")]
    problem = JudgeProblem(name="slow", time_limit=1, memory_limit=256, tests=tests)
    with RayJudgePool(max_pending=limit) as pool:
        futures: list[Any] = []
        outstanding: list[int] = []

        def submitter() -> None:
            for _ in range(5 * limit):
                futures.append(pool.submit(problem, SLOW_PY.format(0.3), "python3"))
                outstanding.append(len(futures) - sum(future.done() for future in futures))

        thread = threading.Thread(target=submitter)
        thread.start()
        thread.join(120)
        assert not thread.is_alive()
        assert max(outstanding) == limit, outstanding  # reached, never exceeded
        assert all(future.result(60).verdict.value == "AC" for future in futures)
        reward = make_trl_reward(pool=pool)
        rows = [open_r1_row("907/A", tests=1)] * (5 * limit)
        completions = [chat(fenced(SLOW_PY.format(0.1), "python")), chat(fenced(WA_PY, "python"))] * limit \
            + [chat(fenced(APLUSB_PY, "python"))] * (3 * limit)
        rewards, _ = _trl(reward, rows, completions)
        assert rewards == [1.0, 0.0] * limit + [1.0] * (3 * limit)


def test_a_lost_node_is_rejudged_elsewhere_and_a_closed_pool_raises(ray_job):
    """A node killed while it holds rewards in flight (the labelled one: this test runs
    last): they are judged again on the others, with the same rewards. A pool that cannot
    judge at all makes the reward call raise, never score."""
    from sandbox.cluster import ClusterUnavailable, RayJudgePool

    with RayJudgePool() as pool:
        assert pool.summary.workers == 3
        reward = make_trl_reward(pool=pool)
        rows = [open_r1_row("908/A", tests=1)] * 9
        slow_wa = SLOW_PY.format(0.8).replace("a + b", "a - b")
        completions = [chat(fenced(SLOW_PY.format(0.8), "python")), fenced(slow_wa, "python")] * 4 \
            + [chat(fenced(SLOW_PY.format(0.8), "cpp"))]  # mislabelled: a C++ compile error
        got: list[Any] = []
        caller = threading.Thread(target=lambda: got.append(_trl(reward, rows, completions)[0]))
        caller.start()
        # Each node runs one at a time and holds two: at 0.6 s every node is in its first run.
        time.sleep(0.6)
        ray_job.cluster.kill_raylet(ray_job.labelled)
        caller.join(120)
        assert got == [[1.0, 0.0] * 4 + [0.0]]
        assert len(pool.summary.lost) == 1 and pool.summary.resubmitted >= 1, pool.summary
    with pytest.raises(ClusterUnavailable):
        _trl(reward, rows[:1], completions[:1])
    with pytest.raises(ClusterUnavailable):
        compute_score("cf", fenced(APLUSB_PY, "python"), json.dumps(rows[0]), pool=pool)



def test_testlib_is_read_on_the_driver_and_reaches_every_node_as_bytes(ray_job, tmp_path, monkeypatch):
    """A node on another machine cannot open the driver's testlib.h: the pool reads it once
    and ships the bytes. The header is deleted before anything is judged, so a worker that
    opened the path (or CPFORGE_TESTLIB) itself would fail to compile the checker."""
    from sandbox.cluster import RayJudgePool
    from sandbox.judge.checkers import ProgramCheckerSpec

    header = tmp_path / "testlib.h"
    header.write_text("#pragma once\n#include <cstdio>\ninline int cpforge_driver_header() { return 0; }\n")
    checker = ProgramCheckerSpec(source="check.cpp", code=(
        '#include "testlib.h"\nint main(int argc, char** argv) {\n'
        '  FILE *out = std::fopen(argv[2], "r"), *ans = std::fopen(argv[3], "r");\n'
        '  long long a, b; if (std::fscanf(out, "%lld", &a) != 1) return 2; std::fscanf(ans, "%lld", &b);\n'
        '  return a == b ? cpforge_driver_header() : 1; }\n'))
    tests = [TestCase(name=str(k), input_data=f"{k} 1\n".encode(), answer_data=f"{k + 1}\n".encode())
             for k in range(6)]
    problem = JudgeProblem(name="testlib-on-ray", time_limit=2, memory_limit=256, tests=tests, checker=checker)
    monkeypatch.delenv("CPFORGE_TESTLIB", raising=False)
    with RayJudgePool(testlib=str(header)) as pool:
        header.unlink()
        results = [pool.submit(problem, APLUSB_PY, "python3", key=f"testlib-{k}") for k in range(6)]
        verdicts = [future.result(120) for future in results]
        assert [r.verdict.value for r in verdicts] == ["AC"] * 6, [r.message for r in verdicts]
        assert len(pool.summary.judged_per_node) >= 2  # more than one node compiled the checker
    with pytest.raises(ValueError, match="testlib.h"):
        RayJudgePool(testlib=str(tmp_path / "missing"))


def test_a_problem_is_sent_to_each_actor_once_and_again_only_when_it_was_let_go(ray_job):
    """The driver sends a problem with its first submission to an actor and only its key
    after that; an actor that no longer keeps it says so (and the submission goes again,
    with the problem), rather than judging something else."""
    from sandbox.cluster import RayJudgePool
    from sandbox.cluster.ray_pool import PROBLEMS_KEPT_PER_ACTOR, JudgeWorker, ProblemNotKept

    tests = [TestCase(name=str(k), input_data=f"{k} 2\n".encode(), answer_data=f"{k + 2}\n".encode())
             for k in range(3)]
    problem = JudgeProblem(name="sent-once", time_limit=2, memory_limit=256, tests=tests)
    with RayJudgePool() as pool:
        futures = [pool.submit(problem, APLUSB_PY, "python3", key="sent-once") for _ in range(12)]
        assert [f.result(120).verdict.value for f in futures] == ["AC"] * 12
        judged = [info for info in pool.worker_infos() if info["runs"]]
        assert sum(info["runs"] for info in judged) == 12
        # Once per actor that judged it; a second time only when a key-only call overtook the first.
        assert all(1 <= info["fetched"] <= 2 for info in judged), judged

    worker = JudgeWorker(slots=1, backend=None, testlib=None)
    try:
        with pytest.raises(ProblemNotKept):
            worker._problem("never-sent", None)
        assert worker._problem("kept", problem) is problem and worker._problem("kept", None) is problem
        for number in range(PROBLEMS_KEPT_PER_ACTOR):
            worker._problem(f"other-{number}", problem)
        with pytest.raises(ProblemNotKept):
            worker._problem("kept", None)  # let go, least recently used first
    finally:
        worker.close()

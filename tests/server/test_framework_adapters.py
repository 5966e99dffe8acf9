"""The adapters as the frameworks themselves call them, compared with the in-process judge.

TRL: `GRPOTrainer._calculate_rewards` imports torch and transformers, so it is replayed here
(`_calculate_rewards_replay`), as read from huggingface/trl @ f2cd57710ae3 (1.10.0.dev0,
trl/trainer/grpo_trainer.py): `reward_kwargs` is every input column except prompt /
completion / completion_ids, plus `trainer_state`, `log_extra` and `log_metric`; a reward
function is async when `inspect.iscoroutinefunction` says so, and then runs through
`asyncio.run_coroutine_threadsafe` on the trainer's background loop; None becomes NaN.

verl: `verl.utils.import_utils` imports only the standard library, so when verl is installed
(`pip install --no-deps verl`, read at 0.9.1) its own `load_module` loads the adapter, by file
path (`spec_from_file_location("custom_module_<hash>", path)`) and by `pkg://`. The rest of
the custom-reward path (verl/trainer/ppo/reward.py `get_custom_reward_fn`, which wraps the
function in `partial(_call_with_kwargs, fn, reward_kwargs)`, and the reward managers' call
`compute_score(data_source=, solution_str=, ground_truth=, extra_info=)`) imports torch, and
is replayed, as read from verl 0.9.1 and volcengine/verl @ b178a3cd56f5 (0.8.0.dev)."""

from __future__ import annotations

import asyncio
import functools
import importlib
import importlib.util
import inspect
import json
import math
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import sandbox.rewards.verl as verl_adapter
from sandbox.rewards.local import close_local_runtimes
from sandbox.rewards.trl import RewardDataError, make_trl_reward

from .conftest import APLUSB_CPP, APLUSB_PY, PROBLEMS, TOKEN, fenced

ADAPTER_FILE = Path(verl_adapter.__file__)

WA_PY = "a, b = map(int, input().split())\nprint(a - b)\n"
TLE_PY = "while True:\n    pass\n"
CE_CPP = "int main( {"
BROKEN_CHECKER = "import sys\nraise SystemExit(7)\n"  # crashes: the judge, not the solution, failed

# The five outcomes every framework must tell apart: (name, completion, broken checker?)
OUTCOMES = [
    ("AC", fenced(APLUSB_PY, "python"), False),
    ("WA", fenced(WA_PY, "python"), False),
    ("CE", fenced(CE_CPP, "cpp"), False),
    ("TLE", fenced(TLE_PY, "python"), False),
    ("JUDGE_ERROR", fenced(APLUSB_PY, "python"), True),
]


def open_r1_row(problem_id: str, broken_checker: bool = False, tests: int = 2) -> dict[str, Any]:
    """A row of open-r1/codeforces (config verifiable-prompts), with the columns it has."""
    return {
        "id": problem_id, "contest_id": problem_id.split("/")[0], "index": problem_id.split("/")[1],
        "prompt": "Read a and b, print a + b.", "language": "python",
        "official_tests": [{"input": f"{i} {i * 3}\n", "output": f"{i * 4}\n"} for i in range(1, tests + 1)],
        "official_tests_complete": True, "time_limit": 1.0, "memory_limit": 256.0, "input_mode": "stdio",
        "generated_checker": BROKEN_CHECKER if broken_checker else None, "executable": True,
        "interaction_format": None, "generated_tests": 0,
    }


def as_info(row: dict[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = {"test_cases": row["official_tests"], "time_limit": row["time_limit"],
                            "memory_limit": row["memory_limit"]}
    if row["generated_checker"]:
        info["generated_checker"] = row["generated_checker"]
    return info


@pytest.fixture(scope="module", autouse=True)
def _close_in_process():
    yield
    close_local_runtimes()


# ---------------------------------------------------------------------------------- TRL
class StubTrainer:
    """What `_calculate_rewards` reads from the trainer: reward_funcs, state, the logging
    hooks and the background event loop async reward functions run on."""

    def __init__(self, reward_funcs: list[Any]) -> None:
        self.reward_funcs = reward_funcs
        self.state = object()
        self.metrics: dict[str, list[float]] = {}
        self.extra: dict[str, list[Any]] = {}
        self.async_loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.async_loop.run_forever, daemon=True)
        self._thread.start()

    def _log_completion_extra(self, column: str, values: list) -> None:
        self.extra[column] = values

    def _log_metric(self, name: str, value: float) -> None:
        self.metrics.setdefault(name, []).append(value)

    def close(self) -> None:
        self.async_loop.call_soon_threadsafe(self.async_loop.stop)
        self._thread.join(5)


def _calculate_rewards_replay(trainer: StubTrainer, inputs: list[dict], prompts: list, completions: list,
                              completion_ids_list: list) -> list[list[float]]:
    """TRL's `_calculate_rewards` for custom (non-model) reward functions, one list per function."""
    keys = [key for key in inputs[0] if key not in ["prompt", "completion", "completion_ids"]]
    reward_kwargs: dict[str, Any] = {key: [example[key] for example in inputs] for key in keys}
    reward_kwargs["trainer_state"] = trainer.state
    reward_kwargs["log_extra"] = trainer._log_completion_extra
    reward_kwargs["log_metric"] = trainer._log_metric
    per_func: list[list[float]] = [[] for _ in trainer.reward_funcs]
    async_funcs = []
    for i, func in enumerate(trainer.reward_funcs):
        if inspect.iscoroutinefunction(func):
            async_funcs.append((i, func))
        else:
            output = func(prompts=prompts, completions=completions, completion_ids=completion_ids_list,
                          **reward_kwargs)
            per_func[i] = [r if r is not None else math.nan for r in output]
    if async_funcs:
        async def invoke(index, func):
            output = await func(prompts=prompts, completions=completions, completion_ids=completion_ids_list,
                                **reward_kwargs)
            return index, [r if r is not None else math.nan for r in output]

        async def run_all():
            return await asyncio.gather(*(invoke(i, f) for i, f in async_funcs))

        for index, output in asyncio.run_coroutine_threadsafe(run_all(), trainer.async_loop).result():
            per_func[index] = output
    return per_func


def _trl(reward, rows: list[dict], completions: list) -> tuple[list[float], dict[str, list[float]]]:
    trainer = StubTrainer([reward])
    try:
        inputs = [{**row, "prompt": row.get("prompt", "p"), "completion": c} for row, c in zip(rows, completions)]
        [rewards] = _calculate_rewards_replay(trainer, inputs, [i["prompt"] for i in inputs], completions,
                                              [[1, 2]] * len(completions))
        return rewards, trainer.metrics
    finally:
        trainer.close()


def _same(rewards: list[float], expected: list[float | None]) -> bool:
    return len(rewards) == len(expected) and all(
        (math.isnan(r) if e is None else r == pytest.approx(e)) for r, e in zip(rewards, expected))


@pytest.mark.parametrize("where", ["in_process", "http"])
def test_trl_open_r1_rows_through_calculate_rewards(where, request, expect):
    """open-r1/codeforces rows as TRL hands them over: AC, WA, CE, TLE and a broken checker
    score as the in-process judge says (the broken checker: NaN, never 0)."""
    url = request.getfixturevalue("server").url if where == "http" else None
    reward = make_trl_reward(url, token=TOKEN, mode="weighted_sum")
    rows = [open_r1_row(f"900/{chr(65 + n)}", broken) for n, (_, _, broken) in enumerate(OUTCOMES)]
    completions = [c for _, c, _ in OUTCOMES]
    rewards, metrics = _trl(reward, rows, completions)
    expected = []
    for (verdict, completion, _), row in zip(OUTCOMES, rows):
        judged, score = expect(completion, as_info(row), None, "pass_rate")
        assert judged == verdict
        expected.append(None if judged == "JUDGE_ERROR" else float(judged == "AC") + 0.1 * score)
    assert _same(rewards, expected), (rewards, expected)
    assert rewards[0] == pytest.approx(1.1) and rewards[1] == pytest.approx(0.0)
    assert metrics["cpforge_weighted_sum/judge_error_rate"] == [pytest.approx(1 / 5)]


def test_trl_verified_rows_by_id_use_the_servers_dataset(server, expect):
    reward = make_trl_reward(server.url, token=TOKEN)
    rows = [{"id": "1/A", "language": "cpp"}, {"id": "2/B", "language": None}, {"id": "1/A", "language": None}]
    completions = [fenced(APLUSB_CPP, "cpp"), fenced("print(3 * int(input()))\n", "python"), "no code here"]
    rewards, _ = _trl(reward, rows, completions)
    assert rewards == [expect(completions[0], PROBLEMS["1/A"])[1], expect(completions[1], PROBLEMS["2/B"])[1], 0.0]
    assert rewards[:2] == [1.0, 0.0]


def test_trl_open_r1_row_prefers_the_dataset_and_falls_back_to_official_tests(server):
    """id "1/A" is in the server's dataset (3 tests): its tests are used; "901/A" is not:
    the row's own official_tests are."""
    reward = make_trl_reward(server.url, token=TOKEN, mode="pass_rate")
    wrong_on_third = fenced("a, b = map(int, input().split())\nprint(a + b if a < 3 else 0)\n", "python")
    rows = [open_r1_row("1/A", tests=2), open_r1_row("901/A", tests=2)]
    for _ in range(2):  # the second call remembers that 901/A is not in the dataset
        rewards, _ = _trl(reward, rows, [wrong_on_third] * 2)
        assert rewards == [pytest.approx(2 / 3), 1.0]


def test_trl_generated_tests_folder(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"problem_id": ["77/B", "77/C"], "input": ["10 20\n", "1 1\n"],
                             "output": ["30\n", "2\n"]}), tmp_path / "test_cases_0077.parquet")
    rows = [open_r1_row("77/B", tests=1)]
    fails_big = [fenced("a, b = map(int, input().split())\nprint(a + b if a < 5 else -1)\n", "python")]
    without, _ = _trl(make_trl_reward(None, mode="pass_rate"), rows, fails_big)
    with_generated, _ = _trl(make_trl_reward(None, mode="pass_rate", generated_tests=tmp_path), rows, fails_big)
    assert without == [1.0] and with_generated == [0.5]


def test_trl_verification_info_as_dict_or_json_string():
    info = as_info(open_r1_row("5/A", tests=3))
    completions = [fenced(WA_PY, "python"), fenced(APLUSB_PY, "python")]
    reward = make_trl_reward(None, mode="pass_rate")
    as_dict, _ = _trl(reward, [{"verification_info": info}] * 2, completions)
    as_text, _ = _trl(reward, [{"verification_info": json.dumps(info)}] * 2, completions)
    assert as_dict == as_text == [0.0, 1.0]


def test_trl_code_rows_without_usable_tests_raise_on_the_first_call():
    reward = make_trl_reward(None)  # no problem dataset
    empty = {**open_r1_row("6/A"), "official_tests": []}
    with pytest.raises(RewardDataError, match="6/A.*no tests"):
        _trl(reward, [empty], [fenced(APLUSB_PY, "python")])
    with pytest.raises(RewardDataError, match="no problem dataset"):
        _trl(reward, [{"id": "1/A"}], [fenced(APLUSB_PY, "python")])
    # not a code problem at all: None (NaN), no error; strict=False logs instead of raising
    rewards, _ = _trl(reward, [{"answer": "42"}], ["42"])
    assert math.isnan(rewards[0])
    lenient, _ = _trl(make_trl_reward(None, strict=False), [empty], [fenced(APLUSB_PY, "python")])
    assert math.isnan(lenient[0])


def test_trl_language_option_fence_or_row():
    """The row asks for Python, the model answers in C++: "fence" (the default) judges the
    C++; "row" judges only Python blocks, as open-r1 does, so there is no code."""
    rows = [open_r1_row("7/A")]
    cpp_answer = [fenced(APLUSB_CPP, "cpp")]
    fence, _ = _trl(make_trl_reward(None), rows, cpp_answer)
    row, _ = _trl(make_trl_reward(None, language_from="row"), rows, cpp_answer)
    assert fence == [1.0] and row == [0.0]
    with pytest.raises(ValueError):
        make_trl_reward(None, language_from="prompt")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- verl
def _verl_import_utils():
    """verl's own import_utils.py (stdlib only), loaded without verl's torch-importing package."""
    try:
        from importlib.metadata import PackageNotFoundError, distribution
        dist = distribution("verl")
    except PackageNotFoundError:
        pytest.skip("verl is not installed (pip install --no-deps verl)")
    files = [f for f in dist.files or [] if str(f).replace("\\", "/").endswith("verl/utils/import_utils.py")]
    if not files:
        pytest.skip("verl's import_utils.py is missing")
    spec = importlib.util.spec_from_file_location("verl_import_utils_under_test", dist.locate_file(files[0]))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load_like_verl(path: str, name: str):
    """verl's load_module/load_extern_object, replayed: `pkg://` is importlib.import_module,
    a file path is spec_from_file_location with a synthetic `custom_module_<hash>` name."""
    if path.startswith("pkg://"):
        module = importlib.import_module(path[len("pkg://"):].replace("/", "."))
    else:
        spec = importlib.util.spec_from_file_location(f"custom_module_{hash(os.path.abspath(path))}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return getattr(module, name)


def _get_custom_reward_fn(raw_fn, reward_kwargs: dict):
    """verl's get_custom_reward_fn: reward_kwargs merged over the call's, sync or async."""
    def call(raw, extra, *args, **kwargs):
        return raw(*args, **{**kwargs, **extra})

    async def call_async(raw, extra, *args, **kwargs):
        return await raw(*args, **{**kwargs, **extra})

    return functools.partial(call_async if inspect.iscoroutinefunction(raw_fn) else call, raw_fn, reward_kwargs)


@pytest.mark.parametrize("path", [str(ADAPTER_FILE), "pkg://sandbox.rewards.verl", "pkg://sandbox/rewards/verl"])
def test_verl_own_loader_loads_the_readme_path(path):
    import_utils = _verl_import_utils()
    fn = import_utils.load_extern_object(module_path=path, object_name="compute_score")
    assert fn is verl_adapter.compute_score  # the same function however it was loaded
    assert import_utils.load_extern_object(module_path=path, object_name="JudgeFailure") is verl_adapter.JudgeFailure


@pytest.mark.parametrize("path", [str(ADAPTER_FILE), "pkg://sandbox.rewards.verl"])
@pytest.mark.parametrize("name", ["compute_score", "compute_score_async"])
def test_verl_custom_reward_path_matches_the_judge(path, name, server, expect):
    """AC, WA, CE, TLE score as the judge says; a broken checker raises JudgeFailure."""
    fn = _get_custom_reward_fn(_load_like_verl(path, name), {"server_url": server.url, "token": TOKEN})
    is_async = inspect.iscoroutinefunction(fn)  # how verl's reward loop decides
    assert is_async == (name == "compute_score_async")
    for verdict, completion, broken in OUTCOMES:
        row = open_r1_row("902/A", broken)
        kwargs = dict(data_source="open-r1/codeforces", solution_str=completion, ground_truth=json.dumps(row),
                      extra_info={"num_turns": None, "rollout_reward_scores": {}})
        if broken:
            with pytest.raises(verl_adapter.JudgeFailure):
                asyncio.run(fn(**kwargs)) if is_async else fn(**kwargs)
            continue
        result = asyncio.run(fn(**kwargs)) if is_async else fn(**kwargs)
        assert (result["verdict"], result["score"]) == expect(completion, as_info(row)) and result["verdict"] == verdict


def test_verl_batch_path_matches_the_judge(server, expect):
    fn = _get_custom_reward_fn(_load_like_verl(str(ADAPTER_FILE), "compute_score_batch"),
                               {"server_url": server.url, "token": TOKEN, "judge_error_score": -1.0})
    good = [(v, c) for v, c, broken in OUTCOMES if not broken]
    results = fn(data_sources=["cf"] * len(good), solution_strs=[c for _, c in good],
                 ground_truths=[open_r1_row("903/A")] * len(good), extra_infos=[{}] * len(good))
    assert [r["verdict"] for r in results] == [v for v, _ in good]
    assert [r["score"] for r in results] == [expect(c, as_info(open_r1_row("903/A")))[1] for _, c in good]


# ---------------------------------------------------------------------------------- imports
def test_in_process_use_needs_no_server_stack():
    """TRL and verl in-process: the judge runs, and neither prometheus_client, fastapi nor
    httpx is imported."""
    script = (
        "import asyncio, sys\n"
        "from sandbox.rewards.trl import make_trl_reward\n"
        "from sandbox.rewards.verl import compute_score\n"
        "row = {'official_tests': [{'input': '1 2\\n', 'output': '3\\n'}], 'time_limit': 1}\n"
        "code = '```python\\na, b = map(int, input().split())\\nprint(a + b)\\n```'\n"
        "reward = make_trl_reward(None, workers=1)\n"
        "r = asyncio.run(reward(prompts=['p'], completions=[code], official_tests=[row['official_tests']]))\n"
        "s = compute_score('cf', code, row)['score']\n"
        "bad = [m for m in ('prometheus_client', 'fastapi', 'starlette', 'uvicorn', 'httpx') if m in sys.modules]\n"
        "print(r, s, bad)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[1.0] 1.0 []"

"""Each adapter against a real server on loopback gives the verdicts and scores of the judge
called in-process on the same inputs; the in-process adapter paths agree too."""

from __future__ import annotations

import asyncio
import inspect
import json

import httpx
import pytest

from sandbox.rewards.local import close_local_runtimes
from sandbox.rewards.trl import make_trl_reward
from sandbox.rewards.verl import JudgeFailure, compute_score, compute_score_async, compute_score_batch

from .conftest import APLUSB_CPP, APLUSB_PY, DOUBLE_PY, PROBLEMS, TOKEN, aplusb_info, broken_checker_info, fenced

INFO = aplusb_info("cpp")
CASES = [  # (completion, dataset language column)
    (fenced(APLUSB_CPP, "cpp"), "cpp"),
    (fenced(APLUSB_PY, "python"), "python"),
    (fenced("a, b = map(int, input().split())\nprint(a - b)\n", "py"), "python"),
    (fenced("while True:\n    pass\n", "python"), "python"),
    (fenced("int main( {", "c++"), "cpp"),
    ("I could not solve it.", "cpp"),
    ([{"role": "assistant", "content": fenced(APLUSB_CPP, "cpp")}], "cpp"),  # conversational format
]


@pytest.fixture(scope="module", autouse=True)
def _close_in_process():
    yield
    close_local_runtimes()


def _trl_call(reward, completions, **columns):
    logged: dict[str, float] = {}
    rewards = asyncio.run(reward(prompts=["p"] * len(completions), completions=completions,
                                 completion_ids=[[1, 2, 3]] * len(completions), trainer_state=None,
                                 log_metric=lambda name, value: logged.__setitem__(name, value), **columns))
    return rewards, logged


@pytest.mark.parametrize("mode", ["binary", "pass_rate", "weighted_sum"])
def test_trl_over_http_matches_the_judge(server, expect, mode):
    reward = make_trl_reward(server.url, mode=mode, token=TOKEN)
    assert inspect.iscoroutinefunction(reward) and reward.__name__ == f"cpforge_{mode}"
    completions = [c for c, _ in CASES]
    rewards, logged = _trl_call(reward, completions, verification_info=[json.dumps(INFO)] * len(CASES),
                                language=[lang for _, lang in CASES])
    expected = [expect(c, INFO, lang, mode)[1] for c, lang in CASES]
    assert rewards == pytest.approx(expected)
    assert logged[f"cpforge_{mode}/compile_error_rate"] == pytest.approx(1 / len(CASES))
    assert logged[f"cpforge_{mode}/time_limit_rate"] == pytest.approx(1 / len(CASES))
    assert logged[f"cpforge_{mode}/no_code_rate"] == pytest.approx(1 / len(CASES))


def test_trl_in_process_matches_http(server):
    completions = [c for c, _ in CASES]
    columns = dict(verification_info=[INFO] * len(CASES), language=[lang for _, lang in CASES])
    over_http, _ = _trl_call(make_trl_reward(server.url, mode="pass_rate", token=TOKEN), completions, **columns)
    in_process, _ = _trl_call(make_trl_reward(None, mode="pass_rate"), completions, **columns)
    assert over_http == in_process


def test_trl_rows_by_problem_id_and_rows_that_are_not_ours(server, dataset_dir, expect):
    completions = [fenced(APLUSB_CPP, "cpp"), fenced(DOUBLE_PY, "python"), "just prose", fenced(APLUSB_CPP, "cpp")]
    columns = dict(problem_id=["1/A", "2/B", None, "3/C"], verification_info=[None, None, None, None])
    rewards, logged = _trl_call(make_trl_reward(server.url, token=TOKEN), completions, **columns)
    assert rewards[0] == expect(completions[0], PROBLEMS["1/A"])[1] == 1.0
    assert rewards[1] == expect(completions[1], PROBLEMS["2/B"])[1] == 1.0
    assert rewards[2] is None  # not a code problem
    assert rewards[3] is None  # JUDGE_ERROR (broken checker): None, never 0
    assert logged["cpforge_binary/judge_error_rate"] == pytest.approx(1 / 3)
    in_process, _ = _trl_call(make_trl_reward(None, problems=str(dataset_dir)), completions, **columns)
    assert in_process == rewards


def test_trl_judge_error_reward_when_asked(server):
    reward = make_trl_reward(server.url, token=TOKEN, judge_error_reward=0.0)
    rewards, _ = _trl_call(reward, [fenced(APLUSB_CPP, "cpp")], verification_info=[broken_checker_info()])
    assert rewards == [0.0]


def test_verl_compute_score_over_http_and_in_process(server, expect):
    truth = json.dumps({"inputs": ["1 2\n", "10 20\n"], "outputs": ["3\n", "30\n"]})
    info = {"test_cases": [{"input": "1 2\n", "output": "3\n"}, {"input": "10 20\n", "output": "30\n"}]}
    for completion, language in CASES:
        kwargs = dict(language=language)
        remote = compute_score("codeforces", completion, truth, {"split": "train"}, server_url=server.url, token=TOKEN,
                               **kwargs)
        local = compute_score("codeforces", completion, truth, None, **kwargs)
        verdict, score = expect(completion, info, language)
        assert (remote["verdict"], remote["score"]) == (verdict, score)
        assert {k: v for k, v in remote.items() if k != "message"} == \
            {k: v for k, v in local.items() if k != "message"}  # messages quote measured times
        assert set(remote) == {"score", "verdict", "passed", "total", "pass_rate", "compile_error", "time_limit",
                               "judge_error", "message"}


def test_verl_variants_and_problem_ids(server):
    completion = fenced(APLUSB_CPP, "cpp")
    by_id = compute_score("codeforces", completion, "1/A", server_url=server.url, token=TOKEN, score="pass_rate")
    assert by_id["score"] == 1.0 and by_id["total"] == 3
    from_extra = compute_score("codeforces", completion, "", {"problem_id": "1/A"}, server_url=server.url, token=TOKEN)
    assert from_extra["verdict"] == "AC"
    async_result = asyncio.run(compute_score_async("codeforces", completion, json.dumps(INFO), server_url=server.url,
                                                   token=TOKEN))
    assert async_result["verdict"] == "AC"
    batch = compute_score_batch(["cf"] * 2, [completion, "no code"], [json.dumps(INFO)] * 2, [None, None],
                                server_url=server.url, token=TOKEN)
    assert [b["verdict"] for b in batch] == ["AC", "NO_CODE"]
    with pytest.raises(JudgeFailure, match="judge_error"):
        compute_score("codeforces", completion, "3/C", server_url=server.url, token=TOKEN)
    assert compute_score("codeforces", completion, "3/C", server_url=server.url, token=TOKEN,
                         judge_error_score=0.0)["score"] == 0.0
    with pytest.raises(ValueError, match="unknown problem"):
        compute_score("codeforces", completion, "999/Z", server_url=server.url, token=TOKEN)


def test_openrlhf_get_reward_matches_the_judge(server, headers, expect):
    prompt = "Solve A+B.\n"
    queries = [prompt + (c if isinstance(c, str) else c[0]["content"]) for c, _ in CASES]
    body = {"query": queries, "prompts": [prompt] * len(CASES), "labels": [json.dumps(INFO)] * len(CASES)}
    response = httpx.post(server.url + "/get_reward?score=pass_rate", json=body, headers=headers, timeout=120)
    assert response.status_code == 200, response.text
    data = response.json()
    expected = [expect(q[len(prompt):], INFO, None, "pass_rate")[1] for q in queries]
    assert data["rewards"] == pytest.approx(expected) and data["scores"] == data["rewards"]
    assert set(data["extra_logs"]) >= {"accepted", "compile_error", "time_limit"}
    assert all(len(v) == len(CASES) for v in data["extra_logs"].values())


def test_sandboxfusion_run_code_matches_a_direct_run(server, headers, judge):
    backend = judge.backend
    for code, language, sf_language in [(APLUSB_CPP, "cpp17", "cpp"), (APLUSB_PY, "python3", "python")]:
        response = httpx.post(server.url + "/run_code", headers=headers, timeout=60, json={
            "code": code, "language": sf_language, "stdin": "20 22\n", "compile_timeout": 10, "run_timeout": 10,
            "files": {}, "fetch_files": []})
        assert response.status_code == 200
        data = response.json()
        compiled = backend.compile(code, language)
        direct = backend.run(compiled.executable, stdin=b"20 22\n")
        assert data["status"] == "Success" and data["run_result"]["stdout"] == direct.stdout.decode() == "42\n"
        assert data["run_result"]["return_code"] == direct.exit_code == 0

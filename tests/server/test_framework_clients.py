"""verl's and OpenRLHF's own HTTP clients against a real, token-protected server, each verdict
compared with the in-process judge on the same problem and code.

Versions read (see framework_clients.py): verl 0.9.1, `verl/utils/reward_score/sandbox_fusion/`
(`__init__.py` compute_score, `utils.py` call_sandbox_api); OpenRLHF 0.11.2,
`openrlhf/utils/agent.py` (SingleTurnAgentExecutor). Their real code runs when the wheels
are installed (`pip install --no-deps verl==0.9.1 openrlhf==0.11.2` plus requests and
aiohttp: neither module needs torch); the replays, which send the same bytes with the same
timeouts and retries, always run. Neither client can send a header, so both reach the
protected server through a token in the URL path."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
import types

import pytest

from .conftest import APLUSB_CPP, APLUSB_PY, TOKEN, aplusb_info, broken_checker_info, fenced
from .framework_clients import (
    CannedEngine, CharTokenizer, OpenRLHFReplay, VerlReplay, load_openrlhf_agent, load_verl_sandbox_fusion,
)

REAL_VERL = load_verl_sandbox_fusion()
REAL_OPENRLHF = load_openrlhf_agent()
needs_verl = pytest.mark.skipif(REAL_VERL is None, reason="verl 0.9.1 wheel (--no-deps) and requests not installed")
needs_openrlhf = pytest.mark.skipif(REAL_OPENRLHF is None,
                                    reason="openrlhf 0.11.2 wheel (--no-deps) and aiohttp not installed")


def python_info(tests: int = 3) -> dict:
    return aplusb_info("python", tests=tests)


def python_broken_checker() -> dict:
    info = broken_checker_info()
    info["language"] = "python"
    return info


def verl_tests(info: dict) -> dict:
    """verl's ground truth for its SandboxFusion path."""
    return {"inputs": [t["input"] for t in info["test_cases"]], "outputs": [t["output"] for t in info["test_cases"]]}


# name, completion, problem, verl timeout, verl's score, verl's per-test results, judge verdict
VERL_CASES = [
    ("AC", fenced(APLUSB_PY, "python"), python_info(), 10, 1.0, [True] * 3, "AC"),
    ("WA", fenced("print(0)\n", "python"), python_info(), 10, 0.0, [False] * 3, "WA"),
    # verl's default path is Python only, and SandboxFusion has no Python compile step: a
    # syntax error is a crashed run (-2) there, CE in the judge.
    ("CE", fenced("print(input(\n", "python"), python_info(), 10, 0.0, [-2] * 3, "CE"),
    # verl's compute_score takes `timeout` (default_compute_score leaves it at 10 s)
    ("TLE", fenced("while True:\n    pass\n", "python"), python_info(1), 2, 0.0, [-3], "TLE"),
    # verl compares stdout itself: the problem's checker is never consulted on this path,
    # so a broken checker scores as if absent where the judge reports JUDGE_ERROR.
    ("JUDGE_ERROR", fenced(APLUSB_PY, "python"), python_broken_checker(), 10, 1.0, [True], "JUDGE_ERROR"),
]
VERL_STATUS = {True: "success", False: "wrong_answer", -2: "runtime_error", -3: "timeout", -4: "compile_error"}


@pytest.mark.parametrize("name,completion,info,timeout,score,results,verdict", VERL_CASES,
                         ids=[case[0] for case in VERL_CASES])
def test_verl_replay_matches_the_judge(server, expect, name, completion, info, timeout, score, results, verdict):
    client = VerlReplay(f"{server.url}/t/{TOKEN}/run_code")
    got_score, got = client.compute_score(completion, verl_tests(info), continuous=True, timeout=timeout)
    assert (got_score, got) == (score, results)
    assert set(client.attempts) == {200}  # no retry needed, no 401 for a client without headers
    assert expect(completion, info)[0] == verdict


@needs_verl
@pytest.mark.parametrize("name,completion,info,timeout,score,results,verdict", VERL_CASES,
                         ids=[case[0] for case in VERL_CASES])
def test_verl_real_client_matches_the_judge(server, expect, name, completion, info, timeout, score, results,
                                            verdict):
    assert REAL_VERL is not None
    module, version = REAL_VERL
    assert version == "0.9.1"
    got_score, metadata = module.compute_score(f"{server.url}/t/{TOKEN}/run_code", None, 1024, completion,
                                               json.dumps(verl_tests(info)), continuous=True, timeout=timeout)
    assert got_score == score
    assert [m["status"] for m in metadata] == [VERL_STATUS[r] for r in results]
    assert all(m["api_request_error"] is None for m in metadata)
    assert expect(completion, info)[0] == verdict


# A chat-templated prompt whose statement shows a correct program in a fence: it must never
# be judged as the answer.
PROMPT = ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
          "Read a and b and print a + b. A solution in another task looked like:\n"
          f"```python\n{APLUSB_PY}```\nExample input:\n```\n1 3\n```\n<|im_end|>\n<|im_start|>assistant\n")


def answer(code: str, label: str) -> str:
    """A chat model's response as OpenRLHF decodes it: the end token right after the fence."""
    return f"Here is my solution.\n```{label}\n{code}```<|im_end|>"


# name, response, problem, judge verdict, reward (None: OpenRLHF ends with no reward)
OPENRLHF_CASES = [
    ("AC", answer(APLUSB_PY, "python"), python_info(), "AC", 1.0),
    ("AC-cpp", answer(APLUSB_CPP, "cpp"), aplusb_info("cpp"), "AC", 1.0),
    ("WA", answer("print(0)\n", "python"), python_info(), "WA", 0.0),
    ("CE", answer("int main( {\n", "cpp"), aplusb_info("cpp"), "CE", 0.0),
    ("TLE", answer("while True:\n    pass\n", "python"), python_info(1), "TLE", 0.0),
    ("NO_CODE", "I cannot solve this.<|im_end|>", python_info(), "NO_CODE", 0.0),  # the prompt's code is not judged
    ("JUDGE_ERROR", answer(APLUSB_PY, "python"), python_broken_checker(), "JUDGE_ERROR", None),
]


@pytest.mark.parametrize("name,response,info,verdict,reward", OPENRLHF_CASES, ids=[c[0] for c in OPENRLHF_CASES])
def test_openrlhf_replay_matches_the_judge(server, expect, name, response, info, verdict, reward):
    client = OpenRLHFReplay(f"{server.url}/t/{TOKEN}/get_reward")
    assert client.reward(PROMPT + response, PROMPT, json.dumps(info)) == reward
    judged, score = expect(response, info)
    assert judged == verdict
    if reward is None:
        assert client.attempts == [503] * 5  # retried, then OpenRLHF has no reward
    else:
        assert client.attempts == [200] and score == reward


def test_openrlhf_judge_error_reward_on_request(server):
    client = OpenRLHFReplay(f"{server.url}/t/{TOKEN}/get_reward?judge_error_reward=0")
    assert client.reward(PROMPT + answer(APLUSB_PY, "python"), PROMPT, json.dumps(python_broken_checker())) == 0.0


@needs_openrlhf
@pytest.mark.parametrize("name,response,info,verdict,reward", OPENRLHF_CASES, ids=[c[0] for c in OPENRLHF_CASES])
def test_openrlhf_real_executor_matches_the_judge(server, expect, name, response, info, verdict, reward):
    """SingleTurnAgentExecutor.execute for real: it tokenizes the prompt, stitches prompt +
    response tokens, decodes them with the special tokens kept and posts to the server."""
    assert REAL_OPENRLHF is not None
    agent, version = REAL_OPENRLHF
    assert version == "0.11.2"
    executor = agent.SingleTurnAgentExecutor(remote_rm_url=f"{server.url}/t/{TOKEN}/get_reward")
    sampling = types.SimpleNamespace(max_tokens=None, logprobs=None)
    output = asyncio.run(executor.execute(PROMPT, json.dumps(info), sampling, 1 << 16, CharTokenizer(),
                                          CannedEngine(response)))
    assert output["reward"] == (None if reward is None else [reward])
    assert expect(response, info)[0] == verdict


class _Capture(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(({k.lower(): v for k, v in self.headers.items()}, body))
        reply = b'{"rewards": [1.0], "scores": [1.0], "extra_logs": {}, "status": "Success", "run_result": null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def capture():
    _Capture.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Capture.seen
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.skipif(REAL_VERL is None or REAL_OPENRLHF is None, reason="verl / openrlhf wheels not installed")
def test_replays_send_the_bytes_the_real_clients_send(capture):
    url, seen = capture
    assert REAL_VERL is not None and REAL_OPENRLHF is not None
    REAL_VERL[0].utils.call_sandbox_api(url, "print(1)\n", "1 3\n", 10, 10, 1024, "python")
    VerlReplay(url).call("print(1)\n", "1 3\n", 10, 1024, "python")
    executor = REAL_OPENRLHF[0].SingleTurnAgentExecutor(remote_rm_url=url)
    asyncio.run(executor._fetch_rewards_via_http(["q"], ["p"], ["1/A"]))
    OpenRLHFReplay(url).fetch("q", "p", "1/A")
    (verl_h, verl_b), (replay_h, replay_b), (orl_h, orl_b), (orl_replay_h, orl_replay_b) = seen
    assert verl_b == replay_b and orl_b == orl_replay_b
    assert verl_h["content-type"] == replay_h["content-type"] == "application/json"
    assert orl_h["content-type"] == orl_replay_h["content-type"] == "application/json"
    assert not any("authorization" in h for h, _ in seen)

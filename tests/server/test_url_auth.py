"""Auth that header-less clients can use (a token as a URL path prefix), header auth next to
it, and the time limits that keep verl's and OpenRLHF's clients retrying rather than
scoring failures: /run_code's queue-wait cap (504 before verl's 30 s read timeout) and
/get_reward's deadline (below OpenRLHF's 180 s)."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from sandbox.server.app import create_app
from sandbox.server.launch import ServerProcess
from sandbox.server.settings import ServerSettings

from .conftest import TOKEN, aplusb_info
from .framework_clients import OPENRLHF_TOTAL_TIMEOUT, VerlReplay

RUN = {"code": "print(int(input()) * 2)\n", "language": "python", "stdin": "21\n", "run_timeout": 2}


def test_url_token_and_header_both_work(server, headers):
    by_header = httpx.post(server.url + "/run_code", json=RUN, headers=headers, timeout=60)
    by_path = httpx.post(f"{server.url}/t/{TOKEN}/run_code", json=RUN, timeout=60)
    for response in (by_header, by_path):
        assert response.status_code == 200 and response.json()["run_result"]["stdout"] == "42\n"
    assert httpx.get(f"{server.url}/t/{TOKEN}/healthz", timeout=10).json()["status"] == "ok"


@pytest.mark.parametrize("path", ["/run_code", "/t/wrong-token/run_code", f"/t/{TOKEN}x/run_code",
                                  f"/t/{TOKEN}", "/t//run_code", "/get_reward"])
def test_without_a_valid_token_401(server, path):
    response = httpx.post(server.url + path, json=RUN, timeout=30)
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_url_token_can_be_turned_off():
    app = create_app(ServerSettings(tokens=(TOKEN,), url_tokens=False))

    async def call() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [(await client.post(f"/t/{TOKEN}/run_code", json=RUN)).status_code,
                    (await client.post("/run_code", json=RUN)).status_code]

    import asyncio

    assert asyncio.run(call()) == [404, 401]


def test_defaults_sit_inside_the_clients_timeouts():
    settings = ServerSettings()
    assert settings.reward_deadline < OPENRLHF_TOTAL_TIMEOUT
    # verl reads for compile + run + 10 s (30 s by default): the queue wait must leave the run room
    assert settings.run_code_queue_wait < 10


@pytest.fixture(scope="module")
def busy_server():
    """One sandbox slot, a 1 s queue-wait cap and a 2 s /get_reward deadline."""
    with ServerProcess(["--workers", "1", "--token", TOKEN, "--run-code-queue-wait", "1",
                        "--reward-deadline", "2"]) as running:
        yield running


def _block(server: ServerProcess, seconds: int) -> threading.Thread:
    """Holds the only slot with a program that runs into its `seconds` limit."""
    body = {"code": "while True:\n    pass\n", "language": "python", "run_timeout": seconds}
    thread = threading.Thread(target=lambda: httpx.post(f"{server.url}/t/{TOKEN}/run_code", json=body, timeout=60))
    thread.start()
    time.sleep(0.5)
    return thread


def test_run_code_answers_504_when_no_run_can_start_and_verl_retries(busy_server):
    blocker = _block(busy_server, 4)
    started = time.monotonic()
    refused = httpx.post(f"{busy_server.url}/t/{TOKEN}/run_code", json=RUN, timeout=60)
    waited = time.monotonic() - started
    assert refused.status_code == 504 and refused.headers["retry-after"] == "1"
    assert waited < 2.5  # the 1 s cap, not the 4 s run ahead of it, nor verl's 30 s
    client = VerlReplay(f"{busy_server.url}/t/{TOKEN}/run_code")  # verl: 504 is retried, 1 s then 2 s apart
    response, error = client.call(RUN["code"], "21\n", timeout=10)
    blocker.join()
    assert error is None and response is not None and response["run_result"]["stdout"] == "42\n"
    assert client.attempts[0] == 504 and client.attempts[-1] == 200
    assert "timeout" not in client.attempts


def test_get_reward_deadline_gives_a_retryable_503(busy_server):
    info = aplusb_info("python", tests=4, time_limit=1.0)
    body = {"query": ["```python\nwhile True:\n    pass\n```"], "prompts": [""], "labels": [json.dumps(info)]}
    started = time.monotonic()
    response = httpx.post(f"{busy_server.url}/t/{TOKEN}/get_reward?score=pass_rate", json=body, timeout=60)
    assert response.status_code == 503  # OpenRLHF retries it (5 tries), rather than waiting 180 s
    assert "deadline" in json.dumps(response.json())
    assert time.monotonic() - started < 10

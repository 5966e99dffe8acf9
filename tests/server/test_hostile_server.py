"""Hostile clients and stuck work against a real `verifier serve` on loopback.

Each test is a regression for a way the server used to misbehave: a 500 for NaN or a lone
surrogate, an empty token that opened the server, a request whose work went on long after
its 504, unbounded tests or body bytes per request, a /healthz that said ok while every
worker was stuck, a shutdown that ignored --drain-timeout and cut requests with 500."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from sandbox.server.launch import ServerProcess

from .conftest import aplusb_info

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SLEEPER = "import time\ntime.sleep({seconds})\na, b = map(int, input().split())\nprint(a + b)\n"
MAX_TESTS = 50
STALL_AFTER = 1.5


def sleeper(seconds: float, tests: int = 1, time_limit: float = 2.0, pad: int = 0) -> dict:
    code = SLEEPER.format(seconds=seconds) + ("#" * pad + "\n" if pad else "")
    return {"code": code, "language": "python", "verification_info": aplusb_info(tests=tests, time_limit=time_limit)}


def wait_for(predicate, timeout: float, step: float = 0.05) -> float:
    """Seconds until `predicate()` held; fails the test after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(step)
    raise AssertionError(f"not within {timeout} s")


def idle(server) -> bool:
    health = httpx.get(server.url + "/healthz", timeout=5).json()
    return health["in_flight"] == 0 and health["queue_depth"] == 0


@pytest.fixture(scope="module")
def hostile():
    """One sandbox worker, so abandoned work is visible; small caps so they are reachable."""
    with ServerProcess(["--workers", "1", "--max-tests", str(MAX_TESTS), "--max-body-mb", "1",
                        "--max-inflight-mb", "1", "--stall-after", str(STALL_AFTER)]) as running:
        yield running


def raw_post(server, path: str, text: str) -> httpx.Response:
    return httpx.post(server.url + path, content=text.encode(), headers={"content-type": "application/json"},
                      timeout=30)


# ---------------------------------------------------------------------- 422, never 500
@pytest.mark.parametrize("path,body", [
    ("/v1/judge", '{"code": "print(1)", "language": "python", "time_limit": NaN, "verification_info": %s}'),
    ("/v1/judge", '{"code": "print(1)", "language": "python", "deadline": Infinity, "verification_info": %s}'),
    ("/v1/judge", '{"code": "print(1)", "language": "python", "memory_limit": -Infinity, "verification_info": %s}'),
    ("/v1/judge", ('{"code": "print(1)", "language": "python", "options": {"judge_error_score": NaN}, '
                   '"verification_info": %s}')),
    ("/v1/judge/batch", ('{"submissions": [{"code": "print(1)", "language": "python", "verification_info": %s}], '
                         '"deadline": NaN}')),
    ("/run_code", '{"code": "print(1)", "language": "python", "run_timeout": NaN}'),
])
def test_nan_and_infinity_are_422_with_a_message(hostile, path, body):
    text = body % json.dumps(aplusb_info(tests=1)) if "%s" in body else body
    response = raw_post(hostile, path, text)
    assert response.status_code == 422, response.text
    assert "NaN" in response.text or "finite" in response.text


@pytest.mark.parametrize("field", ["code", "language", "problem_id"])
def test_a_lone_surrogate_is_422_with_a_message(hostile, field):
    body = {"code": "print(1)", "language": "python", "verification_info": aplusb_info(tests=1)}
    text = json.dumps(body)[:-1] + f', "{field}": "x\\ud800y"}}'
    if field == "code":
        text = text.replace('"code": "print(1)", ', "")
    if field == "language":
        text = text.replace('"language": "python", ', "")
    response = raw_post(hostile, "/v1/judge", text)
    assert response.status_code == 422, response.text
    assert "surrogate" in response.text


def test_a_lone_surrogate_inside_test_data_is_422(hostile):
    info = json.dumps(aplusb_info(tests=1)).replace('"1 3\\n"', '"1 3\\udfff\\n"')
    response = raw_post(hostile, "/v1/judge", '{"code": "print(1)", "language": "python", '
                                              f'"verification_info": {info}}}')
    assert response.status_code == 422 and "surrogate" in response.text
    ok = raw_post(hostile, "/v1/judge", '{"code": "print(\\"\\ud83d\\ude00\\")", "language": "python", '
                                        f'"verification_info": {json.dumps(aplusb_info(tests=1))}}}')
    assert ok.status_code == 200 and ok.json()["verdict"] == "WA", ok.text  # a proper pair is just an emoji


@pytest.mark.parametrize("path,body", [
    ("/v1/judge", {**sleeper(0), "time_limit": 1e308}),
    ("/v1/judge", {**sleeper(0), "memory_limit": 10 ** 30}),
    ("/v1/judge", {**sleeper(0), "deadline": 1e12}),
    ("/v1/judge", {"code": "print(1)", "language": "python",
                   "verification_info": {**aplusb_info(tests=1), "time_limit": 1e308}}),
    ("/v1/judge", {"code": "print(1)", "language": "python",
                   "verification_info": {**aplusb_info(tests=1), "memory_limit": 10 ** 30}}),
    ("/run_code", {"code": "print(1)", "language": "python", "run_timeout": 1e308}),
    ("/run_code", {"code": "print(1)", "language": "python", "compile_timeout": 1e308}),
    ("/run_code", {"code": "print(1)", "language": "python", "memory_limit_MB": 10 ** 30}),
])
def test_out_of_range_limits_are_422_with_a_message(hostile, path, body):
    response = httpx.post(hostile.url + path, json=body, timeout=30)
    assert response.status_code == 422, response.text
    answer = response.json()  # a malformed request has `detail`; a bad problem, the result's `error`
    assert answer.get("detail") or "less than or equal" in answer["error"]["message"]


def test_a_nan_reward_fallback_is_422(hostile):
    response = httpx.post(hostile.url + "/get_reward?judge_error_reward=nan", timeout=30,
                          json={"query": ["x"], "labels": [json.dumps(aplusb_info(tests=1))]})
    assert response.status_code == 422 and "finite" in response.text


# ---------------------------------------------------------------------- tokens
@pytest.mark.parametrize("args,env", [(["--token", ""], {}), (["--token", "  "], {}),
                                      (["--token", "good", "--token", ""], {}),
                                      ([], {"CPFORGE_SERVER_TOKENS": " , "})])
def test_an_empty_token_is_refused_at_start_up(args, env):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "sandbox.tools.cli", "serve", "--port", "0", *args],
                          check=False, capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT,
                          env={**os.environ, **env}, stdin=subprocess.DEVNULL)
    assert done.returncode != 0
    assert "token" in done.stderr.lower() and "empty" in done.stderr.lower()
    assert time.monotonic() - started < 30  # refused before any sandbox starts


# ---------------------------------------------------------------------- per-request bounds
def test_more_tests_than_the_cap_are_refused_before_any_work(hostile):
    too_many = {"code": "print(1)", "language": "python", "verification_info": aplusb_info(tests=MAX_TESTS + 1)}
    response = httpx.post(hostile.url + "/v1/judge", json=too_many, timeout=30)
    assert response.status_code == 413 and str(MAX_TESTS) in response.json()["detail"]
    half = {"code": "print(1)", "language": "python", "verification_info": aplusb_info(tests=MAX_TESTS // 2 + 1)}
    batch = httpx.post(hostile.url + "/v1/judge/batch", json={"submissions": [half, half]}, timeout=30)
    assert batch.status_code == 413  # the cap is per request, summed over the batch
    as_text = {**too_many, "verification_info": json.dumps(too_many["verification_info"])}
    assert httpx.post(hostile.url + "/v1/judge", json=as_text, timeout=30).status_code == 413
    assert idle(hostile)
    fits = {"code": "a, b = map(int, input().split())\nprint(a + b)\n", "language": "python",
            "verification_info": aplusb_info(tests=MAX_TESTS)}
    assert httpx.post(hostile.url + "/v1/judge", json=fits, timeout=60).json()["verdict"] == "AC"


def test_input_bytes_in_flight_are_capped_with_429(hostile):
    big = sleeper(1.0, pad=600_000)  # about 0.6 MB: two of them exceed --max-inflight-mb 1

    async def main():
        async with httpx.AsyncClient(base_url=hostile.url, timeout=60) as client:
            first = asyncio.create_task(client.post("/v1/judge", json=big))
            await asyncio.sleep(0.6)  # the first body is in; its submission is running
            second = await client.post("/v1/judge", json=big)
            return await first, second

    first, second = asyncio.run(main())
    assert first.status_code == 200 and first.json()["verdict"] == "AC"
    assert second.status_code == 429 and int(second.headers["retry-after"]) >= 1
    assert "in flight" in second.json()["detail"]
    again = httpx.post(hostile.url + "/v1/judge", json=big, timeout=60)  # the bytes were released
    assert again.status_code == 200


def test_work_for_a_timed_out_request_is_cancelled(hostile):
    """20 tests of 0.3 s on one worker is 6 s of work; at the 1 s deadline it must stop."""
    wait_for(lambda: idle(hostile), 30)
    started = time.monotonic()
    response = httpx.post(hostile.url + "/v1/judge", json={**sleeper(0.3, tests=20), "deadline": 1.0}, timeout=30)
    assert response.status_code == 504 and response.json()["error"]["kind"] == "deadline"
    assert time.monotonic() - started < 2.5
    assert wait_for(lambda: idle(hostile), 10) < 1.5, "the abandoned tests kept running"


def test_healthz_reports_stuck_work_and_recovers(hostile):
    """A submission running far past every deadline (here: a test that sleeps past
    --stall-after on the only worker, so nothing else completes) makes /healthz say so."""
    wait_for(lambda: idle(hostile), 30)
    body = {**sleeper(4.0, time_limit=1.5), "deadline": 0.5}  # 0.5 s deadline, 4 s wall limit
    assert httpx.post(hostile.url + "/v1/judge", json=body, timeout=30).status_code == 504
    stalled: list[httpx.Response] = []

    def is_stalled() -> bool:
        response = httpx.get(hostile.url + "/healthz", timeout=5)
        stalled.append(response)
        return response.status_code == 503

    wait_for(is_stalled, 6)
    health = stalled[-1].json()
    assert health["status"] == "stalled" and health["stuck"] == 1
    wait_for(lambda: httpx.get(hostile.url + "/healthz", timeout=5).json()["status"] == "ok", 10)


# ---------------------------------------------------------------------- shutdown
def test_shutdown_honours_drain_timeout_and_cuts_with_503():
    with ServerProcess(["--workers", "1", "--drain-timeout", "1"]) as server:
        answers: list[httpx.Response] = []
        long_work = {**sleeper(0.5, tests=20), "deadline": 60}
        client = threading.Thread(target=lambda: answers.append(
            httpx.post(server.url + "/v1/judge", json=long_work, timeout=60)))
        client.start()
        wait_for(lambda: not idle(server), 10)
        signalled = time.monotonic()
        server.signal(signal.SIGTERM)
        client.join(30)
        cut_after = time.monotonic() - signalled
        assert answers and answers[0].status_code == 503, answers and answers[0].text
        assert answers[0].headers["retry-after"] and "shut" in answers[0].json()["detail"]
        assert 0.8 < cut_after < 3.0  # at the drain timeout, not when the 10 s of work is done
        server.process.wait(10)
        assert time.monotonic() - signalled < 5.0
        assert "Traceback" not in server.log()

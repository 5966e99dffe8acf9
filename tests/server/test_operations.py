"""Operating the server: auth, body limits, 429 backpressure, deadlines, /healthz and
/metrics, and a graceful drain on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import threading
import time

import httpx
import pytest

from sandbox.server.launch import ServerProcess

from .conftest import APLUSB_CPP, aplusb_info

SLEEPER = "import time\ntime.sleep({seconds})\na, b = map(int, input().split())\nprint(a + b)\n"


def slow_submission(seconds: float = 1.0, tests: int = 1) -> dict:
    return {"code": SLEEPER.format(seconds=seconds), "language": "python",
            "verification_info": aplusb_info(tests=tests, time_limit=2.0)}


def wait_idle(server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = httpx.get(server.url + "/healthz").json()
        if health["in_flight"] == 0 and health["queue_depth"] == 0:
            return
        time.sleep(0.05)
    raise AssertionError("the server did not go idle")


def test_auth(server, headers):
    body = {"code": APLUSB_CPP, "language": "cpp", "verification_info": aplusb_info()}
    assert httpx.post(server.url + "/v1/judge", json=body).status_code == 401
    wrong = httpx.post(server.url + "/v1/judge", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert httpx.post(server.url + "/run_code", json={"code": "print(1)"}).status_code == 401
    assert httpx.post(server.url + "/get_reward", json={"query": ["x"], "labels": ["1/A"]}).status_code == 401
    assert httpx.post(server.url + "/v1/judge", json=body, headers=headers, timeout=60).status_code == 200
    assert httpx.get(server.url + "/healthz").status_code == 200  # probes need no token
    assert httpx.get(server.url + "/metrics").status_code == 200


def test_health_and_metrics(server, headers):
    health = httpx.get(server.url + "/healthz").json()
    assert health["status"] == "ok" and health["problems"] == 3 and health["sandboxed"] is True
    assert health["max_batch"] == health["capacity"] == 2048
    httpx.post(server.url + "/v1/judge/batch", headers=headers, timeout=60, json={"submissions": [
        {"code": APLUSB_CPP + "// metrics\n", "language": "cpp", "verification_info": aplusb_info()}] * 3})
    text = httpx.get(server.url + "/metrics").text
    for name in ("cpforge_queue_depth", "cpforge_in_flight", "cpforge_runs_per_second", "cpforge_test_runs_total",
                 'cpforge_submissions_total{verdict="AC"}', 'cpforge_compile_cache_total{result="hit"}',
                 'cpforge_compile_cache_total{result="miss"}', "cpforge_submission_seconds_bucket",
                 "cpforge_queue_wait_seconds_bucket", 'cpforge_request_seconds_bucket{endpoint="/v1/judge/batch"',
                 'cpforge_rejected_requests_total{reason="auth"}'):
        assert name in text, name


def test_body_size_limit(dataset_dir):
    with ServerProcess(["--workers", "1", "--max-body-mb", "1"]) as small:
        huge = {"code": "x" * (2 << 20), "language": "python", "verification_info": aplusb_info()}
        assert httpx.post(small.url + "/v1/judge", json=huge, timeout=30).status_code == 413
        # A chunked body (no Content-Length) is counted as it arrives.
        chunks = (b"{" + b" " * (64 << 10) for _ in range(40))
        assert httpx.post(small.url + "/v1/judge", content=chunks, timeout=30).status_code == 413
        assert httpx.get(small.url + "/healthz").status_code == 200
        batch = {"submissions": [{"code": "print(1)", "language": "python", "verification_info": aplusb_info()}] * 3}
        assert httpx.post(small.url + "/v1/judge/batch", json=batch, timeout=60).status_code == 200


@pytest.fixture(scope="module")
def tight():
    """Room for two submissions, short deadline."""
    with ServerProcess(["--workers", "2", "--queue-size", "2", "--deadline", "30"]) as running:
        yield running


def test_backpressure_answers_429_with_retry_after(tight):
    async def main():
        async with httpx.AsyncClient(base_url=tight.url, timeout=60) as client:
            started = time.monotonic()
            responses = await asyncio.gather(*(client.post("/v1/judge", json=slow_submission(1.0))
                                               for _ in range(6)))
            return time.monotonic() - started, responses

    elapsed, responses = asyncio.run(main())
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) == 2 and codes.count(429) == 4
    rejected = [r for r in responses if r.status_code == 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in rejected)
    assert all(r.json()["verdict"] == "AC" for r in responses if r.status_code == 200)
    batch = httpx.post(tight.url + "/v1/judge/batch", json={"submissions": [slow_submission(0.1)] * 3}, timeout=30)
    assert batch.status_code == 413  # larger than the whole queue: could never be admitted
    assert httpx.get(tight.url + "/healthz").json()["queue_depth"] == 0


def test_deadline(tight):
    started = time.monotonic()
    response = httpx.post(tight.url + "/v1/judge", json={**slow_submission(2.5), "deadline": 0.5}, timeout=30)
    assert response.status_code == 504 and response.json()["error"]["kind"] == "deadline"
    assert time.monotonic() - started < 2.0 + 0.5  # the deadline, not the 2.5 s of work
    wait_idle(tight)
    batch = httpx.post(tight.url + "/v1/judge/batch", timeout=30, json={
        "submissions": [slow_submission(2.5), {"code": "print(4)", "language": "python",
                                               "verification_info": aplusb_info(tests=1)}], "deadline": 1.0}).json()
    kinds = [(r["verdict"], r["error"]["kind"] if r["error"] else None) for r in batch["results"]]
    assert kinds == [(None, "deadline"), ("AC", None)]  # one slow submission does not sink the other
    assert httpx.get(tight.url + "/healthz").json()["in_flight"] == 1  # abandoned work holds its slot...
    wait_idle(tight)  # ...until it really finishes


def test_graceful_drain_finishes_work_in_flight():
    with ServerProcess(["--workers", "1", "--drain-timeout", "30"]) as server:
        answers: list[httpx.Response] = []
        worker = threading.Thread(target=lambda: answers.append(
            httpx.post(server.url + "/v1/judge", json=slow_submission(1.5, tests=2), timeout=60)))
        worker.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and httpx.get(server.url + "/healthz").json()["in_flight"] == 0:
            time.sleep(0.05)
        server.signal(signal.SIGTERM)
        time.sleep(0.3)
        with pytest.raises(httpx.TransportError):  # no new connections while draining
            httpx.post(server.url + "/v1/judge", json=slow_submission(0.1), timeout=5)
        worker.join(30)
        assert answers and answers[0].status_code == 200 and answers[0].json()["verdict"] == "AC"
        # uvicorn re-raises the signal once drained, so the exit status is the signal's
        assert server.process.wait(30) in (0, -signal.SIGTERM)
        assert "Traceback" not in server.log()

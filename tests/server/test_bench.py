"""`verifier bench server` in its small mode: every mode runs, every completion is accepted,
and the report carries the figures the README quotes. The cache-free client is also run
against a stub server that answers wrongly in every way it can, to show that each failure is
counted and printed rather than dropped."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from sandbox.tools.bench_server import (
    check_judge, check_run_code, closed_loop, format_cache_free, judge_bodies, run_code_bodies)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CACHE_FREE_ROWS = {"/run_code, 1 test per request", "/v1/judge, 1 test per request", "/v1/judge, 3 tests per request"}


def test_bench_server_small_mode():
    run = subprocess.run([sys.executable, "-m", "sandbox.tools.cli",
                          "bench", "server", "--completions", "8", "--tests", "3",
                          "--baseline", "2", "--workers", "2", "--cache-free", "8", "--clients", "4",
                          "--batch-tests", "3", "--json"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert set(report["rows"]) == {"in-process", "HTTP, request per completion", "HTTP, one batch request",
                                   "per test, compile per test"}
    for name, row in report["rows"].items():
        assert row["all_accepted"], name
        assert row["per_second"] > 0 and row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert report["rows"]["in-process"]["completions"] == 8
    assert report["http_overhead"] > 0 and report["speedup_vs_per_test"] > 0

    free = report["cache_free"]
    assert free["clients"] == 4 and free["batch_tests"] == 3 and free["language"] == "python3"
    assert set(free["rows"]) == CACHE_FREE_ROWS
    for name, row in free["rows"].items():
        assert row["all_correct"] and row["failures"] == 0 and row["failure_reasons"] == {}, (name, row)
        assert row["correct"] == row["requests"], name
        assert row["compile_cache_hits"] == 0, name  # distinct sources: nothing came from the compile cache
        assert row["requests_per_second"] > 0 and row["tests_per_second"] > 0, name
        assert row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"], name
        assert row["server_cpu_ms_per_request"] is not None and row["server_cpu_ms_per_request"] >= 0, name
        assert row["client_cpu_ms_per_request"] >= 0, name
    assert free["rows"]["/run_code, 1 test per request"]["requests"] == 8
    assert free["rows"]["/v1/judge, 1 test per request"]["tests"] == 8
    batched = free["rows"]["/v1/judge, 3 tests per request"]
    assert batched["tests"] == 3 * batched["requests"] >= 8
    assert free["failures"] == 0 and free["sandboxfusion_requests_per_second"] == 55
    assert free["run_code_vs_sandboxfusion"] > 0 and free["batch_gain"] > 0 and free["batch_gain_vs_run_code"] > 0


def test_cache_free_sources_are_distinct():
    bodies = run_code_bodies(50, "salt")
    assert len({body["code"] for body in bodies}) == 50
    assert all(body["stdin"] == "1 2\n" and body["language"] == "python" for body in bodies)
    batched = judge_bodies(5, "salt", 20)
    assert len({body["code"] for body in batched}) == 5
    assert all(len(body["verification_info"]["test_cases"]) == 20 for body in batched)


async def _stub_server(answers: list[bytes | None]) -> tuple[asyncio.AbstractServer, str]:
    """Answers each request with the next raw response in `answers` (None: drop the connection)."""
    queue = list(answers)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                await reader.readexactly(length)
                answer = queue.pop(0)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


def _response(status: int, body: dict, chunked: bool = False) -> bytes:
    content = json.dumps(body).encode()
    if chunked:
        half = len(content) // 2
        return (f"HTTP/1.1 {status} X\r\nTransfer-Encoding: chunked\r\n\r\n{half:x}\r\n".encode() + content[:half] +
                f"\r\n{len(content) - half:x}\r\n".encode() + content[half:] + b"\r\n0\r\n\r\n")
    return f"HTTP/1.1 {status} X\r\nContent-Length: {len(content)}\r\n\r\n".encode() + content


def test_cache_free_client_counts_every_failure():
    ok = {"status": "Success", "run_result": {"stdout": "3\n"}, "cpforge": {"compile_cached": False}}
    answers = [
        _response(200, ok),
        _response(200, ok, chunked=True),
        _response(200, {**ok, "cpforge": {"compile_cached": True}}),  # correct, but a cache hit
        None,  # the connection drops mid-request
        _response(200, ok),  # on a new connection
        _response(200, {"status": "Success", "run_result": {"stdout": "4\n"}}),
        _response(200, {"status": "Failed", "message": "boom"}),
        _response(504, {"detail": "retry"}),
        b"HTTP/1.1 200 X\r\nContent-Length: 5\r\n\r\nnope!",
    ]

    async def main() -> dict:
        server, url = await _stub_server(answers)
        async with server:
            return await closed_loop(url, "/run_code", run_code_bodies(len(answers), "stub"), check_run_code("3"), 1)

    measured = asyncio.run(main())
    assert measured["requests"] == 9 and measured["failures"] == 5
    assert measured["compile_cache_hits"] == 1
    reasons = dict(measured["failure_reasons"])
    assert reasons.pop("stdout '4\\n'") == reasons.pop("status Failed: boom") == 1
    assert reasons.pop('HTTP 504: {"detail": "retry"}') == 1
    assert reasons.pop("bad response: JSONDecodeError: Expecting value: line 1 column 1 (char 0)") == 1
    [(dropped, count)] = reasons.items()
    assert dropped.startswith("IncompleteReadError") and count == 1

    free = {"language": "python3", "clients": 1, "batch_tests": 3, "failures": 5, "load_average": [0.0, 0.0],
            "sandboxfusion_requests_per_second": 55.0, "run_code_vs_sandboxfusion": 0.1, "batch_gain": None,
            "batch_gain_vs_run_code": None,
            "rows": {"/run_code, 1 test per request": {
                **measured, "tests": 9, "correct": 4, "requests_per_second": 1.0, "tests_per_second": 1.0,
                "p50_ms": 1.0, "p95_ms": 1.0, "p99_ms": 1.0}}}
    text = "\n".join(format_cache_free(free, True, 2))
    assert "FAILURES: 5 request(s) failed verification" in text
    assert "1 x stdout '4\\n'" in text and "1 x status Failed: boom" in text


def test_judge_check_needs_every_test_passed():
    good = json.dumps({"verdict": "AC", "passed": 20, "total": 20, "compile": {"cached": False}}).encode()
    assert check_judge(20)(200, good) == (None, False)
    partial = json.dumps({"verdict": "AC", "passed": 19, "total": 20}).encode()
    assert check_judge(20)(200, partial)[0] == "verdict AC (19/20 passed)"
    wrong = json.dumps({"verdict": "WA", "passed": 0, "total": 1, "message": "test 1"}).encode()
    assert check_judge(1)(200, wrong)[0] == "verdict WA (0/1 passed): test 1"
    assert check_judge(1)(429, b'{"detail":"full"}')[0].startswith("HTTP 429")

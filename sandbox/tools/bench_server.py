"""`verifier bench server`: what the reward server costs, and what it saves.

One run measures, on the same completions and tests:

- in-process: the judge runtime called directly (no HTTP), every completion at once;
- HTTP: the same through a real `verifier serve` child process, one request per completion
  (so each has its own latency), and once more as a single batch request;
- per test: one HTTP request per (completion, test) to `/run_code`, each with a source that
  differs per test so it compiles every time, which is how SandboxFusion-backed verl and
  open-r1's Piston path judge. This is slow, so it runs on a sample of the completions and
  is reported as completions per second.

Every mode gets sources with its own salt, so no mode profits from another's compile cache.
Ratios: HTTP overhead = in-process rate / HTTP rate (target <= 1.1); speed-up = HTTP rate /
per-test rate (target >= 3).

Then, cache-free Python traffic the way verl's built-in SandboxFusion path sends it: one test
per request, every request a distinct source (a batch of completions is all distinct), from
`clients` concurrent clients in a closed loop (each sends its next request when its last is
answered, as a thread of verl's pool does). Three modes, each its own salt:

- `/run_code`, one test per request (A+B, stdin "1 2", stdout must be "3");
- `/v1/judge`, one test per request, the same way;
- `/v1/judge`, `batch_tests` tests per request, so each source is checked once for many tests.

Every answer is verified (status and stdout for /run_code; verdict and passed/total for
/v1/judge); a wrong, refused (429/504, no retry) or lost answer is a failure, counted and
listed by reason, and the rates count verified-correct answers only. Ratios: /run_code
requests/s against SandboxFusion's 55 requests/s (a figure recorded on this machine class,
2 cores, no isolation, not measured here; target >= 3x) and batched /v1/judge tests/s
against one-test /v1/judge tests/s (target >= 5x). Because the machine is usually shared,
each mode also reports the CPU the server's process tree (server, boxes, their reaped runs)
spent per request, and the tests/s that CPU would allow with every core to the server."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections import Counter
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx

from sandbox.server.launch import ServerProcess
from sandbox.server.models import JudgeOptionsIn, Submission
from sandbox.server.runtime import Runtime
from sandbox.server.settings import ServerSettings
from sandbox.tools.proc_tree import tree_cpu_seconds

CPP = ('#include <cstdio>\n// salt {salt}\nint main(){{long long a,b;if(std::scanf("%lld %lld",&a,&b)!=2)return 1;'
       'std::printf("%lld\\n",a+b);return 0;}}\n')
PY = "# salt {salt}\na, b = map(int, input().split())\nprint(a + b)\n"
TARGET_OVERHEAD, TARGET_SPEEDUP = 1.1, 3.0
VERL_RETRIES = 3  # verl's SandboxFusion client retries a 504 this many times


def problem_info(tests: int) -> dict[str, Any]:
    cases = [{"input": f"{i * 7919 % 100003} {i * 104729 % 1000003}\n",
              "output": f"{i * 7919 % 100003 + i * 104729 % 1000003}\n"} for i in range(tests)]
    return {"test_cases": cases, "time_limit": 2.0, "memory_limit": 256}


def completions_for(count: int, salt: str) -> list[tuple[str, str]]:
    """(source, language) pairs, alternating C++ and Python, all distinct."""
    return [((CPP if i % 2 == 0 else PY).format(salt=f"{salt}-{i}"), "cpp17" if i % 2 == 0 else "python3")
            for i in range(count)]


def percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]

    return {"p50_ms": pick(0.50) * 1000, "p95_ms": pick(0.95) * 1000, "p99_ms": pick(0.99) * 1000}


def _row(count: int, elapsed: float, latencies: list[float], verdicts: list[str | None]) -> dict[str, Any]:
    return {"completions": count, "seconds": elapsed, "per_second": count / elapsed, **percentiles(latencies),
            "all_accepted": all(v == "AC" for v in verdicts)}


async def _timed(coro) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await coro
    return time.perf_counter() - started, result


def _submissions(sources: list[tuple[str, str]], info: dict[str, Any]) -> list[Submission]:
    return [Submission(code=code, language=language, verification_info=info) for code, language in sources]


def bench_in_process(sources, info, workers: int) -> dict[str, Any]:
    settings = ServerSettings(workers=workers, queue_size=1 << 20)
    runtime = Runtime.build(settings)
    options = JudgeOptionsIn(include_tests=False)
    try:
        async def main():
            await runtime.judge_many(_submissions(completions_for(2, f"warm-{uuid.uuid4().hex}"), info), options, None)
            started = time.perf_counter()
            timed = await asyncio.gather(*(_timed(runtime.judge_many([s], options, None))
                                           for s in _submissions(sources, info)))
            return time.perf_counter() - started, timed

        elapsed, timed = asyncio.run(main())
    finally:
        runtime.close()
    return _row(len(sources), elapsed, [t for t, _ in timed], [r[0].verdict for _, r in timed])


async def _http_single(url: str, sources, info) -> tuple[float, list[tuple[float, str | None]]]:
    limits = httpx.Limits(max_connections=len(sources), max_keepalive_connections=len(sources))
    async with httpx.AsyncClient(base_url=url, timeout=3600, limits=limits) as client:
        async def one(submission: Submission):
            body = submission.model_dump_json(exclude_none=True)
            elapsed, response = await _timed(client.post("/v1/judge", content=body,
                                                         headers={"Content-Type": "application/json"}))
            response.raise_for_status()
            return elapsed, response.json()["verdict"]

        started = time.perf_counter()
        payload = _submissions(sources, info)
        for submission in payload:
            submission.options = JudgeOptionsIn(include_tests=False)
        results = await asyncio.gather(*(one(s) for s in payload))
        return time.perf_counter() - started, results


async def _http_batch(url: str, sources, info) -> tuple[float, list[str | None]]:
    async with httpx.AsyncClient(base_url=url, timeout=3600) as client:
        body = {"submissions": [s.model_dump(exclude_none=True) for s in _submissions(sources, info)],
                "options": {"include_tests": False}}
        elapsed, response = await _timed(client.post("/v1/judge/batch", json=body))
        response.raise_for_status()
        return elapsed, [r["verdict"] for r in response.json()["results"]]


async def _per_test(url: str, sources, info) -> tuple[float, list[tuple[float, bool]], Counter[str]]:
    """SandboxFusion-style: every test its own request, every request its own compile. A 504
    is retried as verl's client retries it (3 times, linear back-off); any other wrong or
    missing answer fails its test and is counted by reason."""
    cases = info["test_cases"]
    failures: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, timeout=3600, limits=limits) as client:
        gate = asyncio.Semaphore(64)  # verl's default sandbox_fusion.max_concurrent

        async def case(code: str, language: str, number: int, test: dict[str, str]) -> bool:
            salted = code + ("\n// test {n}\n" if language == "cpp17" else "\n# test {n}\n").format(n=number)
            body = {"code": salted, "language": "cpp" if language == "cpp17" else "python", "stdin": test["input"],
                    "compile_timeout": 30, "run_timeout": 2}
            try:
                for attempt in range(1, VERL_RETRIES + 2):
                    async with gate:
                        response = await client.post("/run_code", json=body)
                    if response.status_code != 504 or attempt > VERL_RETRIES:
                        break
                    await asyncio.sleep(attempt)
                failure, _ = check_run_code(test["output"])(response.status_code, response.content)
            except (httpx.HTTPError, ValueError, AttributeError, TypeError) as exc:
                failure = f"{type(exc).__name__}: {_brief(str(exc))}"
            if failure is not None:
                failures[failure] += 1
            return failure is None

        async def completion(code: str, language: str) -> tuple[float, bool]:
            elapsed, passed = await _timed(asyncio.gather(*(case(code, language, n, t) for n, t in enumerate(cases))))
            return elapsed, all(passed)

        started = time.perf_counter()
        results = await asyncio.gather(*(completion(code, language) for code, language in sources))
        return time.perf_counter() - started, results, failures


# ---------------------------------------------------------------- cache-free, one test per request
SANDBOXFUSION_RUN_CODE_RPS = 55.0  # recorded on this machine class (2 cores, no isolation); not measured here
TARGET_VS_SANDBOXFUSION, TARGET_BATCH_GAIN = 3.0, 5.0
ONE_TEST = {"input": "1 2\n", "output": "3\n"}
# verl's defaults: compile_timeout 10 s, run_timeout 10 s, memory_limit_mb 1024, and a read
# timeout of compile + run + 10 s.
VERL_COMPILE_TIMEOUT, VERL_RUN_TIMEOUT, VERL_MEMORY_MB = 10.0, 10.0, 1024
VERL_READ_TIMEOUT = VERL_COMPILE_TIMEOUT + VERL_RUN_TIMEOUT + 10.0
FAILURE_REASONS_SHOWN = 5


def verl_clients(cores: int | None = None) -> int:
    """Requests verl's SandboxFusion path has in flight: a ThreadPoolExecutor of max(32, 5 x cores)
    threads under its max_concurrent semaphore (64 by default)."""
    return min(64, max(32, 5 * (cores or os.cpu_count() or 2)))


class _Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams. The bench shares the machine
    with the server it measures, and httpx costs about 3 ms of CPU per request here (a third of
    a core at 100 requests/s); this costs a small fraction of that, so the rates are the
    server's. A trainer's client runs on another machine."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        return await asyncio.wait_for(self._post(path, json.dumps(payload).encode()), self.timeout)

    async def _post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {name.strip().lower(): value.strip()
                       for name, _, value in (line.partition(":") for line in lines[1:] if line)}
            if headers.get("transfer-encoding", "").lower() == "chunked":
                content = await self._chunked()
            else:
                content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        except BaseException:
            self.close()  # a half-read response leaves the connection unusable
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, content

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)
        while await self.reader.readuntil(b"\r\n") != b"\r\n":  # trailers
            pass
        return b"".join(parts)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


Check = Callable[[int, bytes], tuple[str | None, bool | None]]  # -> (failure reason or None, compile cached)


def _brief(text: object, limit: int = 80) -> str:
    text = repr(text) if not isinstance(text, str) else text
    return text if len(text) <= limit else text[:limit] + "..."


def check_run_code(expected: str) -> Check:
    def check(status: int, content: bytes) -> tuple[str | None, bool | None]:
        if status != 200:
            return f"HTTP {status}: {_brief(content.decode('utf-8', 'replace'), 60)}", None
        data = json.loads(content)
        cached = (data.get("cpforge") or {}).get("compile_cached")
        if data.get("status") != "Success":
            return f"status {data.get('status')}: {_brief(data.get('message'))}", cached
        stdout = (data.get("run_result") or {}).get("stdout")
        if not isinstance(stdout, str) or stdout.rstrip("\n") != expected.rstrip("\n"):
            return f"stdout {_brief(repr(stdout))}", cached
        return None, cached
    return check


def check_judge(tests: int) -> Check:
    def check(status: int, content: bytes) -> tuple[str | None, bool | None]:
        if status != 200:
            return f"HTTP {status}: {_brief(content.decode('utf-8', 'replace'), 60)}", None
        data = json.loads(content)
        cached = (data.get("compile") or {}).get("cached")
        if data.get("verdict") != "AC" or data.get("passed") != tests or data.get("total") != tests:
            return (f"verdict {data.get('verdict')} ({data.get('passed')}/{data.get('total')} passed)"
                    f"{': ' + _brief(data.get('message')) if data.get('message') else ''}"), cached
        return None, cached
    return check


def run_code_bodies(count: int, salt: str) -> list[dict[str, Any]]:
    """verl's body, one test each, every source distinct."""
    return [{"code": PY.format(salt=f"{salt}-{i}"), "language": "python", "stdin": ONE_TEST["input"],
             "compile_timeout": VERL_COMPILE_TIMEOUT, "run_timeout": VERL_RUN_TIMEOUT,
             "memory_limit_MB": VERL_MEMORY_MB, "files": {}, "fetch_files": []} for i in range(count)]


def judge_bodies(count: int, salt: str, tests: int) -> list[dict[str, Any]]:
    """/v1/judge bodies: Python A+B with `tests` tests each (one: "1 2" -> "3"), every source distinct,
    verl's limits."""
    cases = [ONE_TEST] if tests == 1 else problem_info(tests)["test_cases"]
    info = {"test_cases": cases, "time_limit": VERL_RUN_TIMEOUT, "memory_limit": VERL_MEMORY_MB}
    return [{"code": PY.format(salt=f"{salt}-{i}"), "language": "python3", "verification_info": info,
             "options": {"include_tests": False}} for i in range(count)]


async def closed_loop(url: str, path: str, bodies: list[dict[str, Any]], check: Check,
                      clients: int, server_pid: int | None = None) -> dict[str, Any]:
    """Sends every body to `path` from `clients` concurrent clients, each sending its next request
    when its last one is answered. Every answer is checked; nothing is dropped or retried."""
    address = urlsplit(url)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    pending = iter(range(len(bodies)))
    outcomes: list[tuple[float, str | None, bool | None]] = [(0.0, "never sent", None)] * len(bodies)

    async def client() -> None:
        connection = _Connection(host, port, VERL_READ_TIMEOUT)
        try:
            for index in pending:  # shared: whichever client is free takes the next request
                started = time.perf_counter()
                try:
                    status, content = await connection.post(path, bodies[index])
                    failure, cached = check(status, content)
                except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                    failure, cached = f"{type(exc).__name__}: {_brief(str(exc))}", None
                except (ValueError, AttributeError, TypeError) as exc:  # an unparsable status line or body
                    failure, cached = f"bad response: {type(exc).__name__}: {_brief(str(exc))}", None
                outcomes[index] = (time.perf_counter() - started, failure, cached)
        finally:
            connection.close()

    server_cpu = tree_cpu_seconds(server_pid) if server_pid else 0.0
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(max(1, min(clients, len(bodies))))))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    server_cpu = tree_cpu_seconds(server_pid) - server_cpu if server_pid else 0.0
    reasons = Counter(failure for _, failure, _ in outcomes if failure is not None)
    return {"requests": len(bodies), "seconds": elapsed, "latencies": [t for t, _, _ in outcomes],
            "failures": sum(reasons.values()), "failure_reasons": dict(reasons.most_common()),
            "compile_cache_hits": sum(1 for _, _, cached in outcomes if cached),
            "client_cpu_ms_per_request": cpu / max(1, len(bodies)) * 1000,
            "server_cpu_ms_per_request": server_cpu / max(1, len(bodies)) * 1000 if server_pid else None}


def _cache_free_row(measured: dict[str, Any], tests_per_request: int) -> dict[str, Any]:
    correct = measured["requests"] - measured["failures"]
    latencies = measured.pop("latencies")
    server_ms = measured["server_cpu_ms_per_request"]
    cores = os.cpu_count() or 1
    return {**measured, "tests_per_request": tests_per_request, "tests": measured["requests"] * tests_per_request,
            "correct": correct, "requests_per_second": correct / measured["seconds"],
            "tests_per_second": correct * tests_per_request / measured["seconds"],
            "server_cpu_ms_per_test": server_ms / tests_per_request if server_ms else None,
            # what the server could do with every core to itself, at the CPU it spent here
            "capacity_tests_per_second": cores * 1000 * tests_per_request / server_ms if server_ms else None,
            **percentiles(latencies), "all_correct": measured["failures"] == 0}


def _over(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def bench_cache_free(url: str, requests: int, clients: int, batch_tests: int, run: str,
                     server_pid: int | None = None) -> dict[str, Any]:
    """The three cache-free Python modes against a running server (see the module's docstring)."""
    warm = max(4, clients)
    asyncio.run(closed_loop(url, "/run_code", run_code_bodies(warm, f"{run}-warm-rc"), check_run_code("3"), clients))
    asyncio.run(closed_loop(url, "/v1/judge", judge_bodies(warm, f"{run}-warm-j", 1), check_judge(1), clients))
    # At least as many tests as the one-test modes, and at least two requests per client, so the
    # closed loop's last, partly filled round is a small part of the run.
    batched = max(-(-requests // batch_tests), 2 * clients)
    load = os.getloadavg()[0]
    modes = [("/run_code, 1 test per request", "/run_code", run_code_bodies(requests, f"{run}-runcode"),
              check_run_code("3"), 1),
             ("/v1/judge, 1 test per request", "/v1/judge", judge_bodies(requests, f"{run}-judge1", 1),
              check_judge(1), 1),
             (f"/v1/judge, {batch_tests} tests per request", "/v1/judge",
              judge_bodies(batched, f"{run}-judgeN", batch_tests), check_judge(batch_tests), batch_tests)]
    rows = {name: _cache_free_row(asyncio.run(closed_loop(url, path, bodies, check, clients, server_pid)), tests)
            for name, path, bodies, check, tests in modes}
    run_code_row, single, batch = rows.values()
    return {"language": "python3", "clients": clients, "batch_tests": batch_tests, "rows": rows,
            "sandboxfusion_requests_per_second": SANDBOXFUSION_RUN_CODE_RPS,
            "run_code_vs_sandboxfusion": run_code_row["requests_per_second"] / SANDBOXFUSION_RUN_CODE_RPS,
            "batch_gain": batch["tests_per_second"] / single["tests_per_second"] if single["correct"] else None,
            "batch_gain_vs_run_code": batch["tests_per_second"] / run_code_row["tests_per_second"]
            if run_code_row["correct"] else None,
            "failures": sum(row["failures"] for row in rows.values()),
            "capacity_batch_gain": _over(batch["capacity_tests_per_second"], single["capacity_tests_per_second"]),
            "capacity_run_code_vs_sandboxfusion": _over(run_code_row["capacity_tests_per_second"],
                                                        SANDBOXFUSION_RUN_CODE_RPS),
            "load_average": [round(load, 2), round(os.getloadavg()[0], 2)]}


def bench_server(completions: int = 256, tests: int = 20, workers: int | None = None,
                 baseline: int = 32, cache_free: int = 1000, clients: int | None = None,
                 batch_tests: int = 20) -> dict[str, Any]:
    workers = workers or os.cpu_count() or 2
    clients = clients or verl_clients()
    info = problem_info(tests)
    run = uuid.uuid4().hex[:12]  # salts unique to this run: the on-disk compile cache must not help
    rows: dict[str, dict[str, Any]] = {}
    rows["in-process"] = bench_in_process(completions_for(completions, f"{run}-inproc"), info, workers)
    with ServerProcess(["--workers", str(workers), "--queue-size", str(max(4096, completions * 2))]) as server:
        asyncio.run(_http_batch(server.url, completions_for(2, f"{run}-warm"), info))
        elapsed, single = asyncio.run(_http_single(server.url, completions_for(completions, f"{run}-http"), info))
        rows["HTTP, request per completion"] = _row(completions, elapsed, [t for t, _ in single],
                                                   [v for _, v in single])
        elapsed, verdicts = asyncio.run(_http_batch(server.url, completions_for(completions, f"{run}-batch"), info))
        rows["HTTP, one batch request"] = _row(completions, elapsed, [elapsed] * completions, verdicts)
        if baseline:
            sample = completions_for(min(baseline, completions), f"{run}-pertest")
            elapsed, timed, failed = asyncio.run(_per_test(server.url, sample, info))
            rows["per test, compile per test"] = _row(len(sample), elapsed, [t for t, _ in timed],
                                                      ["AC" if ok else "WA" for _, ok in timed])
            rows["per test, compile per test"]["failed_tests"] = dict(failed.most_common())
        sandboxed = httpx.get(server.url + "/healthz", timeout=10).json().get("sandboxed")
        pid = server.process.pid if server.process is not None else None
        free = bench_cache_free(server.url, cache_free, clients, batch_tests, run, pid) if cache_free else None
    http = rows["HTTP, request per completion"]["per_second"]
    report: dict[str, Any] = {"completions": completions, "tests": tests, "workers": workers, "rows": rows,
                              "http_overhead": rows["in-process"]["per_second"] / http,
                              "batch_overhead": rows["in-process"]["per_second"] /
                              rows["HTTP, one batch request"]["per_second"]}
    if baseline:
        report["speedup_vs_per_test"] = http / rows["per test, compile per test"]["per_second"]
    report["sandboxed"] = sandboxed
    report["cores"] = os.cpu_count()
    if free is not None:
        report["cache_free"] = free
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{report['completions']} completions (half C++, half Python, all distinct), "
             f"{report['tests']} tests each, "
             f"{report['workers']} workers", "",
             f"{'mode':30} {'n':>5} {'seconds':>8} {'compl/s':>8} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}  all AC"]
    for name, row in report["rows"].items():
        lines.append(f"{name:30} {row['completions']:5d} {row['seconds']:8.2f} {row['per_second']:8.2f} "
                     f"{row['p50_ms']:9.0f} {row['p95_ms']:9.0f} {row['p99_ms']:9.0f}  {row['all_accepted']}")
    for name, row in report["rows"].items():
        for reason, count in list(row.get("failed_tests", {}).items())[:FAILURE_REASONS_SHOWN]:
            lines.append(f"  {name}: {count} test(s) failed: {reason}")
    lines += ["", f"HTTP overhead (in-process rate / HTTP rate): {report['http_overhead']:.3f}x "
                  f"(target <= {TARGET_OVERHEAD}); as one batch: {report['batch_overhead']:.3f}x"]
    if "speedup_vs_per_test" in report:
        lines.append(f"speed-up over one request per test with a compile per test: "
                     f"{report['speedup_vs_per_test']:.1f}x (target >= {TARGET_SPEEDUP:g}x)")
    if "cache_free" in report:
        lines += ["", *format_cache_free(report["cache_free"], report.get("sandboxed"), report.get("cores"))]
    return "\n".join(lines)


def _ratio(value: float | None) -> str:
    return "n/a (nothing correct)" if value is None else f"{value:.2f}x"


def format_cache_free(free: dict[str, Any], sandboxed: bool | None, cores: int | None) -> list[str]:
    isolation = "isolation unknown" if sandboxed is None else "sandboxed" if sandboxed else "NOT sandboxed (--unsafe)"
    lines = [f"cache-free {free['language']}, one distinct source per request, {free['clients']} concurrent clients "
             f"(verl's thread pool: min(64, max(32, 5 x {cores} cores))), closed loop, 127.0.0.1, server {isolation}",
             "",
             f"{'mode':32} {'requests':>8} {'tests':>6} {'seconds':>8} {'req/s':>8} {'tests/s':>8} {'p50 ms':>7} "
             f"{'p95 ms':>7} {'p99 ms':>7} {'failed':>6} {'cached':>6} {'cli ms':>6} {'srv ms':>6} {'cap t/s':>7}"]
    for name, row in free["rows"].items():
        lines.append(f"{name:32} {row['requests']:8d} {row['tests']:6d} {row['seconds']:8.2f} "
                     f"{row['requests_per_second']:8.1f} {row['tests_per_second']:8.1f} {row['p50_ms']:7.0f} "
                     f"{row['p95_ms']:7.0f} {row['p99_ms']:7.0f} {row['failures']:6d} "
                     f"{row['compile_cache_hits']:6d} {row['client_cpu_ms_per_request']:6.2f} "
                     f"{_num(row.get('server_cpu_ms_per_request'), 6, 1)} "
                     f"{_num(row.get('capacity_tests_per_second'), 7, 0)}")
    lines += ["", f"1-minute load average before/after: {free['load_average'][0]:.2f} / {free['load_average'][1]:.2f} "
                  f"on {cores} cores (anything above the bench's own share is other work on the machine)",
              "req/s and tests/s count verified-correct answers only; 'cached': answers that hit the compile "
                  "cache (0 = cache-free); 'cli ms': the bench client's own CPU per request, on the same cores",
              "'srv ms': CPU per request of the server and its sandboxes (process tree, reaped runs included); "
              f"'cap t/s': tests/s at that CPU with all {cores} cores to the server (an estimate for a shared machine)"]
    hits = sum(row["compile_cache_hits"] for row in free["rows"].values())
    if hits:
        lines.append(f"WARNING: {hits} answer(s) came from the compile cache: those rows are not cache-free")
    if free["failures"]:
        lines.append(f"FAILURES: {free['failures']} request(s) failed verification:")
        for name, row in free["rows"].items():
            for reason, count in list(row["failure_reasons"].items())[:FAILURE_REASONS_SHOWN]:
                lines.append(f"  {name}: {count} x {reason}")
            if len(row["failure_reasons"]) > FAILURE_REASONS_SHOWN:
                lines.append(f"  {name}: ... and {len(row['failure_reasons']) - FAILURE_REASONS_SHOWN} other reasons")
    else:
        lines.append("failures: none (every status, stdout and verdict checked)")
    run_code = free["rows"]["/run_code, 1 test per request"]["requests_per_second"]
    lines += [f"/run_code vs SandboxFusion: {run_code:.1f} / {free['sandboxfusion_requests_per_second']:g} req/s = "
              f"{_ratio(free['run_code_vs_sandboxfusion'])} (target >= {TARGET_VS_SANDBOXFUSION:g}x, i.e. >= "
              f"{TARGET_VS_SANDBOXFUSION * free['sandboxfusion_requests_per_second']:g} req/s); the "
              f"{free['sandboxfusion_requests_per_second']:g} req/s is a figure recorded for SandboxFusion on this "
              "machine class (2 cores, no isolation), not measured in this run",
              f"/v1/judge, {free['batch_tests']} tests per request vs 1 test per request, tests/s: "
              f"{_ratio(free['batch_gain'])} (target >= {TARGET_BATCH_GAIN:g}x); vs /run_code: "
              f"{_ratio(free['batch_gain_vs_run_code'])}"]
    if free.get("capacity_batch_gain") is not None:
        lines.append(f"by CPU spent (cap t/s): /run_code {_ratio(free['capacity_run_code_vs_sandboxfusion'])} "
                     f"SandboxFusion's rate; /v1/judge batched over one-test {_ratio(free['capacity_batch_gain'])}")
    return lines


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{digits}f}"


__all__ = ["bench_cache_free", "bench_server", "format_report"]

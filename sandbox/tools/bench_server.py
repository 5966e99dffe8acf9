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
per-test rate (target >= 3)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from typing import Any

import httpx

from sandbox.server.launch import ServerProcess
from sandbox.server.models import JudgeOptionsIn, Submission
from sandbox.server.runtime import Runtime
from sandbox.server.settings import ServerSettings

CPP = ('#include <cstdio>\n// salt {salt}\nint main(){{long long a,b;if(std::scanf("%lld %lld",&a,&b)!=2)return 1;'
       'std::printf("%lld\\n",a+b);return 0;}}\n')
PY = "# salt {salt}\na, b = map(int, input().split())\nprint(a + b)\n"
TARGET_OVERHEAD, TARGET_SPEEDUP = 1.1, 3.0


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


async def _per_test(url: str, sources, info) -> tuple[float, list[tuple[float, bool]]]:
    """SandboxFusion-style: every test its own request, every request its own compile."""
    cases = info["test_cases"]
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, timeout=3600, limits=limits) as client:
        gate = asyncio.Semaphore(64)  # verl's default sandbox_fusion.max_concurrent

        async def case(code: str, language: str, number: int, test: dict[str, str]) -> bool:
            salted = code + ("\n// test {n}\n" if language == "cpp17" else "\n# test {n}\n").format(n=number)
            async with gate:
                response = await client.post("/run_code", json={
                    "code": salted, "language": "cpp" if language == "cpp17" else "python", "stdin": test["input"],
                    "compile_timeout": 30, "run_timeout": 2})
            data = response.json()
            return data["status"] == "Success" and data["run_result"]["stdout"].rstrip("\n") == \
                test["output"].rstrip("\n")

        async def completion(code: str, language: str) -> tuple[float, bool]:
            elapsed, passed = await _timed(asyncio.gather(*(case(code, language, n, t) for n, t in enumerate(cases))))
            return elapsed, all(passed)

        started = time.perf_counter()
        results = await asyncio.gather(*(completion(code, language) for code, language in sources))
        return time.perf_counter() - started, results


def bench_server(completions: int = 256, tests: int = 20, workers: int | None = None,
                 baseline: int = 32) -> dict[str, Any]:
    workers = workers or os.cpu_count() or 2
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
            elapsed, timed = asyncio.run(_per_test(server.url, sample, info))
            rows["per test, compile per test"] = _row(len(sample), elapsed, [t for t, _ in timed],
                                                      ["AC" if ok else "WA" for _, ok in timed])
    http = rows["HTTP, request per completion"]["per_second"]
    report: dict[str, Any] = {"completions": completions, "tests": tests, "workers": workers, "rows": rows,
                              "http_overhead": rows["in-process"]["per_second"] / http,
                              "batch_overhead": rows["in-process"]["per_second"] /
                              rows["HTTP, one batch request"]["per_second"]}
    if baseline:
        report["speedup_vs_per_test"] = http / rows["per test, compile per test"]["per_second"]
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{report['completions']} completions (half C++, half Python, all distinct), "
             f"{report['tests']} tests each, "
             f"{report['workers']} workers", "",
             f"{'mode':30} {'n':>5} {'seconds':>8} {'compl/s':>8} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}  all AC"]
    for name, row in report["rows"].items():
        lines.append(f"{name:30} {row['completions']:5d} {row['seconds']:8.2f} {row['per_second']:8.2f} "
                     f"{row['p50_ms']:9.0f} {row['p95_ms']:9.0f} {row['p99_ms']:9.0f}  {row['all_accepted']}")
    lines += ["", f"HTTP overhead (in-process rate / HTTP rate): {report['http_overhead']:.3f}x "
                  f"(target <= {TARGET_OVERHEAD}); as one batch: {report['batch_overhead']:.3f}x"]
    if "speedup_vs_per_test" in report:
        lines.append(f"speed-up over one request per test with a compile per test: "
                     f"{report['speedup_vs_per_test']:.1f}x (target >= {TARGET_SPEEDUP:g}x)")
    return "\n".join(lines)


__all__ = ["bench_server", "format_report"]

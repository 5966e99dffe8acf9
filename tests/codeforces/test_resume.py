"""Kill a real ``build-dataset scrape`` process midway, rerun it, and check the rerun
fetches nothing twice and loses nothing.

The `ReplayServer` stands in for codeforces.com on 127.0.0.1 and keeps the request log
that proves which pages were fetched how often.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cf_testlib import PROJECT_ROOT, ReplayServer, Templates
from codeforces.output import read_problems

CONTESTS = (1700, 1712)


def _serve(server: ReplayServer, problemset_raw: bytes, contests_json: list, templates: Templates) -> set[str]:
    server.add("/api/problemset.problems", problemset_raw, ctype="application/json")
    server.add(
        "/api/contest.list?gym=false",
        json.dumps({"status": "OK", "result": contests_json}).encode(),
        ctype="application/json",
    )
    ids = set()
    for k, p in enumerate(json.loads(problemset_raw)["result"]["problems"]):
        if CONTESTS[0] <= p["contestId"] <= CONTESTS[1]:
            block = templates.retitled(k, p["index"], p["name"])
            server.add(f"/contest/{p['contestId']}/problem/{p['index']}", templates.page([block]))
            ids.add(f"{p['contestId']}/{p['index']}")
    return ids


def _command(server: ReplayServer, tmp: Path) -> list[str]:
    return [
        sys.executable, "-m", "problems.cli", "scrape",
        "--base-url", server.base_url, "--contests", f"{CONTESTS[0]}-{CONTESTS[1]}",
        "--cache", str(tmp / "cache"), "--out", str(tmp / "out.jsonl"),
        "--api-interval", "0", "--page-interval", "0.08", "--concurrency", "2",
        "--backoff", "0.01", "--timeout", "5", "--no-progress",
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _run_and_kill(server: ReplayServer, tmp: Path, sig: int, after_pages: int) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(
        _command(server, tmp), cwd=PROJECT_ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while len(server.served("/contest/")) < after_pages:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "scrape made no progress"
        time.sleep(0.01)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_killed_scrape_resumes_without_refetching(
    replay_server: ReplayServer, tmp_path: Path, problemset_raw: bytes, contests_json, templates: Templates, sig: int
) -> None:
    expected_ids = _serve(replay_server, problemset_raw, contests_json, templates)
    assert len(expected_ids) > 40
    first = _run_and_kill(replay_server, tmp_path, sig, after_pages=15)
    pages_first = replay_server.served("/contest/")
    assert 15 <= len(pages_first) < len(expected_ids), "killed midway"
    assert not (tmp_path / "out.jsonl").exists()
    if sig == signal.SIGINT:
        assert first.returncode == 130, first.stderr[-2000:]
        assert "INTERRUPTED" in first.stdout
    else:
        assert first.returncode == -signal.SIGKILL

    second = subprocess.run(
        _command(replay_server, tmp_path), cwd=PROJECT_ROOT, env=_env(), capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr[-3000:]
    counts = Counter(replay_server.served("/contest/"))
    twice = {path: n for path, n in counts.items() if n > 1}
    if sig == signal.SIGINT:
        assert not twice, f"fetched twice after Ctrl-C: {twice}"
    else:
        # SIGKILL cannot wait: a response in flight when the process died is fetched
        # again, at most one per concurrent request.
        assert len(twice) <= 2 and all(n == 2 for n in twice.values()), twice
    pages = {f"/contest/{c}/problem/{i}?locale=en" for c, i in (pid.split("/") for pid in expected_ids)}
    assert set(counts) == pages, "every statement page fetched, and nothing else served"
    rows = read_problems(tmp_path / "out.jsonl")
    assert {r.id for r in rows} == expected_ids, "nothing lost"
    assert all(r.description and r.examples for r in rows)
    assert not list((tmp_path / "cache").glob("??/.tmp-*")), "no partial cache files survive"

    # An --offline rerun reads everything from the cache: zero requests of any kind.
    before = len(replay_server.served("/contest/"))
    third = subprocess.run(
        _command(replay_server, tmp_path) + ["--offline"],
        cwd=PROJECT_ROOT, env=_env(), capture_output=True, text=True, timeout=120,
    )
    assert third.returncode == 0, third.stderr[-3000:]
    assert len(replay_server.served("/contest/")) == before
    assert f"written: {len(expected_ids)}" in third.stdout

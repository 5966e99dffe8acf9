"""The live HTTP path, end to end, against a local server on 127.0.0.1.

The `ReplayServer` stands in for codeforces.com: it serves the recorded API responses and
statement pages over real HTTP and injects the faults the real site produces (503,
``Call limit exceeded`` FAILED answers, timeouts, Cloudflare challenge pages, login
redirects, empty and truncated bodies), so the real client code — httpx, retries,
rate limiting, caching, parsing — runs exactly as it would against the site.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cf_testlib import ReplayServer, Templates, read_page, vcr_body
from codeforces.api import CodeforcesAPI
from codeforces.cache import ResponseCache
from codeforces.config import ScrapeConfig
from codeforces.net import CodeforcesAPIError, OfflineMiss, RateLimiter
from codeforces.output import read_problems
from codeforces.pages import PageFetcher
from codeforces.parse import parse_page
from codeforces.scrape import scrape


def _config(server: ReplayServer, cache: Path, **kw) -> ScrapeConfig:
    values = dict(
        base_url=server.base_url,
        cache_dir=cache,
        api_interval=0.02,
        page_interval=0.005,
        page_concurrency=2,
        timeout=0.3,
        max_attempts=8,
        backoff_initial=0.005,
        backoff_max=0.02,
    )
    values.update(kw)
    return ScrapeConfig(**values)


def test_api_survives_every_fault_then_caches(cf_data: Path, replay_server: ReplayServer, tmp_path: Path) -> None:
    body = vcr_body(cf_data / "api" / "recorded-2015-raw" / "problemset.problems.vcr.yml")
    replay_server.add("/api/problemset.problems", body, ctype="application/json")
    faults = ["ratelimit", "503", "timeout", "brokenjson", "truncated"]
    replay_server.fault("/api/problemset.problems", *faults)
    config = _config(replay_server, tmp_path / "cache")
    with CodeforcesAPI(config) as api:
        result = api.problemset_problems()
        assert result == json.loads(body)["result"]
        assert api.network_calls == len(faults) + 1
        log = [r for r in replay_server.log if r.path == "/api/problemset.problems"]
        assert [r.fault for r in log] == faults + [None]
        # The rate limit holds across retries: request starts never closer than the interval.
        assert api.problemset_problems() == result  # second call: cache, no request
        assert api.network_calls == len(faults) + 1
    offline = ScrapeConfig(cache_dir=tmp_path / "cache", offline=True)
    with CodeforcesAPI(offline) as api:
        assert api.problemset_problems() == result
        with pytest.raises(OfflineMiss):
            api.contest_list()


def test_api_gives_up_on_final_failures(replay_server: ReplayServer, tmp_path: Path) -> None:
    replay_server.add(
        "/api/contest.standings",
        b'{"status":"FAILED","comment":"contestId: Contest with id 999999 not found"}',
        status=400,
        ctype="application/json",
    )
    with CodeforcesAPI(_config(replay_server, tmp_path)) as api:
        with pytest.raises(CodeforcesAPIError, match="not found"):
            api.call("contest.standings", {"contestId": 999999})
    assert len(replay_server.served("/api/contest.standings", status=400)) == 1  # not retried
    replay_server.add("/api/user.info", b'{"status":"OK","result":[]}', ctype="application/json")
    replay_server.fault("/api/user.info", *["ratelimit"] * 10)
    with CodeforcesAPI(_config(replay_server, tmp_path, max_attempts=3)) as api:
        with pytest.raises(Exception, match="call limit exceeded"):
            api.call("user.info", {"handles": "tourist"})
    assert len([r for r in replay_server.log if r.path.startswith("/api/user.info")]) == 3


def test_signed_calls(cf_data: Path, replay_server: ReplayServer, tmp_path: Path) -> None:
    body = (cf_data / "api" / "recorded-2015-2020" / "contest.list.json").read_bytes()
    replay_server.add("/api/contest.list?gym=false", body, ctype="application/json")
    replay_server.api_secret = ("mykey", "s3cret")
    good = _config(replay_server, tmp_path / "a", api_key="mykey", api_secret="s3cret")
    with CodeforcesAPI(good) as api:
        assert api.contest_list() == json.loads(body)["result"]
    (request,) = replay_server.log
    assert request.query["apiKey"] == "mykey"
    assert len(request.query["apiSig"]) == 134 and request.query["time"].isdigit()
    cached = next((tmp_path / "a").glob("??/*.gz"))
    assert b"mykey" not in gzip.decompress(cached.read_bytes())  # credentials never hit the disk
    bad = _config(replay_server, tmp_path / "b", api_key="mykey", api_secret="wrong")
    with CodeforcesAPI(bad) as api, pytest.raises(CodeforcesAPIError, match="Incorrect signature"):
        api.contest_list()


def test_rate_limiter_spaces_requests() -> None:
    now = [0.0]
    limiter = RateLimiter(2.0, clock=lambda: now[0])
    slots = []
    for _ in range(3):
        with limiter._lock:
            start = max(now[0], limiter._next)
            limiter._next = start + limiter.interval
        slots.append(start)
    assert slots == [0.0, 2.0, 4.0]
    limiter.penalize(10.0)
    assert limiter._next == 10.0


def test_pages_retry_transient_blocks_and_never_cache_them(
    cf_data: Path, replay_server: ReplayServer, tmp_path: Path
) -> None:
    page = read_page(cf_data, "contest-1715-problems.html")
    replay_server.add("/contest/1715/problems", page)
    faults = ["challenge", "challenge200", "503", "truncated", "login", "empty", "timeout"]
    replay_server.fault("/contest/1715/problems", *faults)
    config = _config(replay_server, tmp_path / "cache", max_attempts=len(faults) + 1)
    cache = ResponseCache(config.cache_dir)
    fetcher = PageFetcher(config, cache)
    url = f"{replay_server.base_url}/contest/1715/problems?locale=en"
    got = fetcher.fetch(url)
    assert got.kind == "statements" and not got.from_cache
    assert [r.fault for r in replay_server.log] == faults + [None]
    assert [p.id for p in parse_page(got.html, url).problems] == [f"1715/{c}" for c in "ABCDEF"]
    assert cache.get(url).body == page.encode()
    assert fetcher.fetch(url).from_cache and len(replay_server.log) == len(faults) + 1

    # A challenge that never lifts: reported as a failure, nothing stored.
    replay_server.add("/contest/1368/problems", read_page(cf_data, "contest-1368-problems.html"))
    replay_server.fault("/contest/1368/problems", *["challenge200"] * 20)
    blocked = f"{replay_server.base_url}/contest/1368/problems?locale=en"
    failed = PageFetcher(config.model_copy(update={"max_attempts": 3}), cache).fetch(blocked)
    assert failed.kind == "failed" and failed.reason == "challenge"
    assert cache.get(blocked) is None
    fetcher.close()


def _serve_api(server: ReplayServer, problemset_raw: bytes, contests_json: list) -> None:
    server.add("/api/problemset.problems", problemset_raw, ctype="application/json")
    server.add(
        "/api/contest.list?gym=false",
        json.dumps({"status": "OK", "result": contests_json}).encode(),
        ctype="application/json",
    )


def test_scrape_end_to_end_with_faults(
    cf_data: Path, replay_server: ReplayServer, tmp_path: Path, problemset_raw: bytes, problemset_json, contests_json
) -> None:
    _serve_api(replay_server, problemset_raw, contests_json)
    replay_server.fault("/api/problemset.problems", "ratelimit", "503")
    replay_server.add("/contest/1715/problems", read_page(cf_data, "contest-1715-problems.html"))
    replay_server.fault("/contest/1715/problems", "503", "challenge", "truncated")
    config = _config(replay_server, tmp_path / "cache")
    out = tmp_path / "out.parquet"
    summary = scrape(config, out=out, contests=(1715, 1715), progress=False)
    assert summary.outcomes == {"normalised": 5, "interactive": 1}, summary.render()
    rows = {p.id: p for p in read_problems(out)}
    api = {f"{p['contestId']}/{p['index']}": p for p in problemset_json["result"]["problems"] if p["contestId"] == 1715}
    assert set(rows) == set(api)
    for pid, row in rows.items():
        assert row.title == api[pid]["name"] and row.rating == api[pid].get("rating") and row.tags == api[pid]["tags"]
        assert row.description and row.examples and row.contest_name is None or row.contest_start_year
    assert rows["1715/F"].interactive and not rows["1715/B"].interactive
    # Single-problem and problemset pages are not recorded (404): one fallback to the
    # contest page, then every other problem is read from the cached contest page.
    pages = [r.path for r in replay_server.log if not r.path.startswith("/api/")]
    assert pages.count("/contest/1715/problems?locale=en") == 4  # 3 faults + 1 success
    assert len(pages) == 2 + 4
    assert "Summary" not in summary.render() and "normalised" in summary.render()

    # Rerun: everything is cached, no request at all, same output.
    before = len(replay_server.log)
    again = scrape(config, out=tmp_path / "again.jsonl", contests=(1715, 1715), progress=False)
    assert len(replay_server.log) == before and again.network_requests == 0
    assert [p.model_dump(exclude={"scraped_at"}) for p in read_problems(tmp_path / "again.jsonl")] == [
        p.model_dump(exclude={"scraped_at"}) for p in read_problems(out)
    ]


def test_scrape_records_twin_round_as_aliases(
    replay_server: ReplayServer,
    tmp_path: Path,
    problemset_raw: bytes,
    problemset_json,
    contests_json,
    templates: Templates,
) -> None:
    """2007 (Div.2) D-F are 2006 (Div.1) A-C: the API lists them only under 2006."""
    names = {(p["contestId"], p["index"]): p["name"] for p in problemset_json["result"]["problems"]}
    div1 = sorted(i for c, i in names if c == 2006)
    div2 = sorted(i for c, i in names if c == 2007)
    assert div2 == ["A", "B", "C"] and div1[:3] == ["A", "B", "C"]
    _serve_api(replay_server, problemset_raw, contests_json)
    for k, index in enumerate(div1):
        block = templates.retitled(k, index, names[(2006, index)])
        replay_server.add(f"/contest/2006/problem/{index}", templates.page([block]))
    blocks = [templates.retitled(10 + k, i, names[(2007, i)]) for k, i in enumerate(div2)]
    blocks += [templates.retitled(k, twin, names[(2006, i)]) for k, (i, twin) in enumerate(zip("ABC", "DEF"))]
    replay_server.add("/contest/2007/problems", templates.page(blocks))
    out = tmp_path / "twins.jsonl"
    summary = scrape(_config(replay_server, tmp_path / "cache"), out=out, contests=(2006, 2007), progress=False)
    rows = {p.id: p for p in read_problems(out)}
    assert summary.twins_merged == 3 and summary.outcomes.get("unlisted") == 3
    assert set(rows) == {f"2006/{i}" for i in div1} | {f"2007/{i}" for i in div2}
    for div1_index, div2_index in zip("ABC", "DEF"):
        assert rows[f"2006/{div1_index}"].aliases == [f"2007/{div2_index}"]
    assert all(not rows[f"2007/{i}"].aliases for i in div2)

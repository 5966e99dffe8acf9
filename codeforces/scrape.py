"""The resumable scrape: API metadata + statement pages → one normalised problem file.

Resumability comes from the response cache, not from a separate journal: every page and
API answer is cached atomically the moment it arrives, and each problem first looks for
its statement among *all* cached candidate pages before touching the network. A run
killed at any point therefore loses at most the requests in flight (none on Ctrl-C, which
lets them finish), and the rerun fetches only what is missing.

Memory stays flat in the number of problems: parsed rows go to a JSONL spool on disk as
they come; only ``statement_hash → ids`` is kept in memory for twin detection, and a
second streaming pass writes the final file with aliases applied.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from tqdm import tqdm

from codeforces.api import CodeforcesAPI
from codeforces.cache import ResponseCache
from codeforces.config import ScrapeConfig
from codeforces.net import OfflineMiss
from codeforces.normalize import ApiContest, load_contests, merge_metadata, parallel_contests, problems_from_api
from codeforces.output import ProblemWriter
from codeforces.pages import FetchedPage, PageFetcher, contest_page_url, statement_urls
from codeforces.parse import ParsedPage, StatementPageError, parse_page
from problems.model import Problem

__all__ = ["ScrapeSummary", "ContestUnit", "scrape", "select_problems", "parse_contest_range"]


class ScrapeSummary(BaseModel):
    """What a run did, by outcome; printed at the end and returned to callers."""

    selected: int = 0
    outcomes: dict[str, int] = Field(default_factory=dict)
    failures: dict[str, int] = Field(default_factory=dict, description="failed problems by reason")
    twins_merged: int = 0
    written: int = 0
    network_requests: int = 0
    interrupted: bool = False
    out: str | None = None

    def render(self) -> str:
        lines = [f"problems selected: {self.selected}"]
        for key in ("normalised", "interactive", "unlisted", "pdf_only", "failed"):
            lines.append(f"  {key:<12} {self.outcomes.get(key, 0)}")
        for reason, count in sorted(self.failures.items(), key=lambda kv: -kv[1]):
            lines.append(f"    failed: {reason:<24} {count}")
        lines.append(f"twins merged into aliases: {self.twins_merged}")
        lines.append(f"network requests: {self.network_requests}")
        if self.interrupted:
            lines.append("INTERRUPTED: rerun the same command to continue; cached pages are not fetched again")
        else:
            lines.append(f"written: {self.written}" + (f" -> {self.out}" if self.out else ""))
        return "\n".join(lines)


class ContestUnit(BaseModel):
    """One contest's worth of work: the API-listed problems, and whether to read the whole
    contest page to discover unlisted twins."""

    model_config = ConfigDict(frozen=True)

    contest_id: int
    metas: list[Problem]
    whole_page: bool = False
    contest: ApiContest | None = None


class _Row(BaseModel):
    id: str
    outcome: str
    reason: str | None = None
    line: str | None = None  # Problem JSON, when a statement was parsed
    statement_hash: str | None = None
    listed: bool = True


class _UnitResult(BaseModel):
    rows: list[_Row]
    network_requests: int = 0


def parse_contest_range(text: str | None) -> tuple[int, int] | None:
    """``"1700-1800"`` → (1700, 1800); ``"1715"`` → (1715, 1715); clear error otherwise."""
    if not text:
        return None
    parts = text.replace(" ", "").split("-")
    try:
        if len(parts) == 1:
            lo = hi = int(parts[0])
        elif len(parts) == 2:
            lo, hi = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"--contests expects A-B or A with contest numbers, got {text!r}") from None
    if lo > hi:
        raise ValueError(f"--contests range is empty: {lo} > {hi}")
    return lo, hi


def select_problems(
    metas: Iterable[Problem],
    *,
    contests: tuple[int, int] | None = None,
    since: int | None = None,
    limit: int | None = None,
) -> list[Problem]:
    """Filter API metadata by contest range and start year, keeping API order (newest first)."""
    out: list[Problem] = []
    for meta in metas:
        cid = int(meta.contest_id)
        if contests and not contests[0] <= cid <= contests[1]:
            continue
        if since is not None and (meta.contest_start_year is None or meta.contest_start_year < since):
            continue
        out.append(meta)
        if limit is not None and len(out) >= limit:
            break
    return out


class _UnitRunner:
    """Resolves the statements of one contest; runs in a worker thread or process."""

    def __init__(self, config: ScrapeConfig, fetcher: PageFetcher) -> None:
        self.config = config
        self.fetcher = fetcher

    def _parse(self, page: FetchedPage) -> ParsedPage | None:
        if page.html is None:
            return None
        try:
            return parse_page(page.html, page.url, fetched_at=page.fetched_at)
        except StatementPageError:
            return None

    def __call__(self, unit: ContestUnit) -> _UnitResult:
        before = self.fetcher.network_requests
        cid = unit.contest_id
        contest_url = contest_page_url(self.config, cid)
        contest_state: dict[str, Any] = {}

        def contest_page(network: bool) -> tuple[ParsedPage | None, FetchedPage | None]:
            if "page" not in contest_state:
                page = self.fetcher.fetch(contest_url) if network else self.fetcher.cached(contest_url)
                if page is None:
                    return None, None
                contest_state["page"] = page
                contest_state["parsed"] = self._parse(page)
            return contest_state["parsed"], contest_state["page"]

        if unit.whole_page:
            contest_page(network=True)

        rows: list[_Row] = []
        seen: set[str] = set()
        for meta in unit.metas:
            seen.add(meta.index)
            rows.append(self._resolve(meta, unit, contest_page))
        parsed = contest_state.get("parsed")
        if unit.whole_page and parsed is not None:
            for problem in parsed.problems:
                if problem.index in seen:
                    continue
                problem = _with_contest(problem, unit.contest)
                rows.append(_statement_row(problem, listed=False))
        return _UnitResult(rows=rows, network_requests=self.fetcher.network_requests - before)

    def _resolve(self, meta: Problem, unit: ContestUnit, contest_page: Callable[[bool], Any]) -> _Row:
        urls = dict(zip(self.config.page_order, statement_urls(self.config, unit.contest_id, meta.index)))
        reasons: list[str] = []
        for network in (False, True):  # every cached candidate first, then the network
            for source, url in urls.items():
                if self.fetcher.stop.is_set() and network:
                    return _Row(id=meta.id, outcome="failed", reason="interrupted")
                if source == "contest":
                    parsed, page = contest_page(network)
                else:
                    page = self.fetcher.fetch(url) if network else self.fetcher.cached(url)
                    parsed = self._parse(page) if page is not None else None
                if page is None:
                    continue
                if parsed is not None:
                    found = next((p for p in parsed.problems if p.index == meta.index), None)
                    if found is not None:
                        return _statement_row(merge_metadata(found, meta), listed=True)
                    if meta.index in parsed.pdf_only:
                        return _Row(id=meta.id, outcome="pdf_only")
                    if parsed.kind == "pdf_only" and source != "contest":
                        return _Row(id=meta.id, outcome="pdf_only")
                    reasons.append("statement not on page")
                elif network or page.kind not in ("statements",):
                    reasons.append(page.reason or page.kind)
        reason = _pick_reason(reasons)
        return _Row(id=meta.id, outcome="failed", reason=reason)


def _pick_reason(reasons: list[str]) -> str:
    """The most telling failure: a transient block beats a plain 'not found'."""
    for preferred in ("interrupted", "challenge", "login", "call limit exceeded", "timeout", "truncated"):
        if preferred in reasons:
            return preferred
    for reason in reasons:
        if reason.startswith("http 5") or reason == "network":
            return reason
    return reasons[-1] if reasons else "no statement found"


def _with_contest(problem: Problem, contest: ApiContest | None) -> Problem:
    if contest is None:
        return problem
    from datetime import datetime, timezone

    start = contest.start_time_seconds
    return problem.model_copy(
        update={
            "contest_name": contest.name,
            "contest_type": contest.type,
            "contest_start": start,
            "contest_start_year": datetime.fromtimestamp(start, tz=timezone.utc).year if start else None,
        }
    )


def _statement_row(problem: Problem, listed: bool) -> _Row:
    outcome = "interactive" if problem.interactive else "normalised"
    if not listed:
        outcome = "unlisted"
    return _Row(
        id=problem.id,
        outcome=outcome,
        line=problem.model_dump_json(),
        statement_hash=problem.statement_hash,
        listed=listed,
    )


# --- process-pool plumbing (offline runs are CPU-bound: parse on every core) ------------

_PROCESS_RUNNER: _UnitRunner | None = None


def _init_process(config_json: str) -> None:
    global _PROCESS_RUNNER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    config = ScrapeConfig.model_validate_json(config_json)
    _PROCESS_RUNNER = _UnitRunner(config, PageFetcher(config, ResponseCache(config.cache_dir)))


def _run_in_process(unit: ContestUnit) -> _UnitResult:
    assert _PROCESS_RUNNER is not None
    return _PROCESS_RUNNER(unit)


def _build_units(
    selected: list[Problem], contests: list[ApiContest], config: ScrapeConfig
) -> list[ContestUnit]:
    by_contest: dict[int, list[Problem]] = {}
    for meta in selected:
        by_contest.setdefault(int(meta.contest_id), []).append(meta)
    contest_by_id = {c.id: c for c in contests}
    siblings = parallel_contests(contests) if config.fetch_twin_rounds else {}
    units = [
        ContestUnit(
            contest_id=cid,
            metas=metas,
            whole_page=cid in siblings,
            contest=contest_by_id.get(cid),
        )
        for cid, metas in by_contest.items()
    ]
    if config.fetch_twin_rounds:
        # A parallel round whose problems are all listed under its twin has no metas, but
        # its page is still where the alias ids come from.
        selected_ids = set(by_contest)
        for cid in sorted(selected_ids):
            for twin in siblings.get(cid, []):
                finished = twin in contest_by_id and contest_by_id[twin].phase in (None, "FINISHED")
                if twin not in selected_ids and finished:
                    selected_ids.add(twin)
                    units.append(ContestUnit(contest_id=twin, metas=[], whole_page=True, contest=contest_by_id[twin]))
    return units


def _load_metadata(config: ScrapeConfig, cache: ResponseCache) -> tuple[list[Problem], list[ApiContest]]:
    with CodeforcesAPI(config, cache) as api:
        try:
            problemset = api.problemset_problems()
        except OfflineMiss as exc:
            raise OfflineMiss(
                f"{exc}. Run once without --offline (or point --cache at a filled cache)."
            ) from None
        try:
            contests_raw = api.contest_list()
        except OfflineMiss:
            contests_raw = []
    contests = load_contests(contests_raw)
    return problems_from_api(problemset, contests), contests


def scrape(
    config: ScrapeConfig,
    *,
    out: str | os.PathLike[str] | None = None,
    limit: int | None = None,
    contests: tuple[int, int] | None = None,
    since: int | None = None,
    workers: int | None = None,
    progress: bool = True,
    metadata: tuple[list[Problem], list[ApiContest]] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ScrapeSummary:
    """Run (or resume) a scrape and write the normalised problems to ``out``.

    ``workers`` is used for offline runs, which are parse-bound and use processes; online
    runs use ``config.page_concurrency`` threads sharing one rate limiter. Ctrl-C or
    SIGTERM lets in-flight requests finish (so they are cached), writes nothing, and
    returns a summary with ``interrupted=True``.
    """
    cache = ResponseCache(config.cache_dir)
    cache.clean_partials()
    metas, contest_list = metadata if metadata is not None else _load_metadata(config, cache)
    selected = select_problems(metas, contests=contests, since=since, limit=limit)
    units = _build_units(selected, contest_list, config)
    summary = ScrapeSummary(selected=len(selected), out=str(out) if out else None)
    outcomes: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    hashes: dict[str, list[tuple[str, bool]]] = {}

    stop = threading.Event()
    executor: Executor
    fetcher: PageFetcher | None = None
    if config.offline and (workers or os.cpu_count() or 1) > 1 and len(units) > 8:
        executor = ProcessPoolExecutor(
            max_workers=workers or os.cpu_count() or 1,
            initializer=_init_process,
            initargs=(config.model_dump_json(),),
        )

        def submit(u: ContestUnit) -> Future[_UnitResult]:
            return executor.submit(_run_in_process, u)

    else:
        fetcher = PageFetcher(config, cache, stop=stop)
        runner = _UnitRunner(config, fetcher)
        executor = ThreadPoolExecutor(max_workers=config.page_concurrency)

        def submit(u: ContestUnit) -> Future[_UnitResult]:
            return executor.submit(runner, u)

    previous_term = None
    if threading.current_thread() is threading.main_thread():

        def _on_term(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        previous_term = signal.signal(signal.SIGTERM, _on_term)

    spool_dir = tempfile.TemporaryDirectory(prefix="cpforge-scrape-")
    spool_path = Path(spool_dir.name) / "rows.jsonl"
    bar = tqdm(total=len(selected), desc="statements", unit="problem", disable=not progress, dynamic_ncols=True)
    try:
        with open(spool_path, "w", encoding="utf-8") as spool:
            try:
                window = 4 * max(2, config.page_concurrency, workers or 2)
                for result in _windowed(submit, _ordered(units), window=window):
                    summary.network_requests += result.network_requests
                    done = 0
                    for row in result.rows:
                        if row.listed:
                            done += 1
                        if row.outcome == "failed":
                            failures[row.reason or "unknown"] += 1
                        outcomes[row.outcome] += 1
                        if row.line is not None:
                            spool.write(row.line + "\n")
                            if row.statement_hash:
                                hashes.setdefault(row.statement_hash, []).append((row.id, row.listed))
                    bar.update(done)
                    bar.set_postfix(
                        ok=outcomes["normalised"] + outcomes["interactive"], failed=outcomes["failed"], refresh=False
                    )
                    if on_progress is not None:
                        on_progress(bar.n)
            except KeyboardInterrupt:
                stop.set()
                summary.interrupted = True
                executor.shutdown(wait=True, cancel_futures=True)
        if fetcher is not None:
            summary.network_requests = max(summary.network_requests, fetcher.network_requests)
        summary.outcomes = dict(outcomes)
        summary.failures = dict(failures)
        if summary.interrupted:
            return summary
        aliases, dropped = _twin_plan(hashes)
        summary.twins_merged = len(dropped)
        if out is not None:
            summary.written = _write_output(spool_path, Path(out), aliases, dropped)
        else:
            summary.written = sum(1 for row in _iter_spool(spool_path) if row["id"] not in dropped)
        return summary
    finally:
        bar.close()
        executor.shutdown(wait=not summary.interrupted, cancel_futures=True)
        if fetcher is not None:
            fetcher.close()
        spool_dir.cleanup()
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


def _windowed(
    submit: Callable[[ContestUnit], Future[_UnitResult]], units: list[ContestUnit], window: int
) -> Iterator[_UnitResult]:
    """Yield unit results as they finish with at most ``window`` units queued or running.

    Bounding the queue keeps memory flat (finished results are dropped as soon as they are
    spooled) and means Ctrl-C has little queued work to cancel.
    """
    pending: set[Future[_UnitResult]] = set()
    queue = iter(units)
    while True:
        for unit in queue:
            pending.add(submit(unit))
            if len(pending) >= window:
                break
        if not pending:
            return
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield future.result()


def _ordered(units: list[ContestUnit]) -> list[ContestUnit]:
    """Biggest contests first so the pool drains evenly; stable for reproducible logs."""
    return sorted(units, key=lambda u: (-len(u.metas), u.contest_id))


def _twin_plan(hashes: dict[str, list[tuple[str, bool]]]) -> tuple[dict[str, list[str]], set[str]]:
    """Decide, per statement hash, which id keeps the row and which become its aliases."""
    aliases: dict[str, list[str]] = {}
    dropped: set[str] = set()
    for members in hashes.values():
        unique = sorted(set(members), key=lambda m: (not m[1], int(m[0].split("/")[0]), m[0]))
        if len(unique) < 2:
            continue
        head = unique[0][0]
        others = [m[0] for m in unique[1:] if m[0] != head]
        if others:
            aliases[head] = others
            dropped.update(others)
    return aliases, dropped


def _iter_spool(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _write_output(spool: Path, out: Path, aliases: dict[str, list[str]], dropped: set[str]) -> int:
    written: set[str] = set()
    with ProblemWriter(out) as writer:
        for row in _iter_spool(spool):
            pid = row["id"]
            if pid in dropped or pid in written:
                continue
            if pid in aliases:
                row["aliases"] = sorted(set(row.get("aliases") or []) | set(aliases[pid]))
            writer.write(Problem.model_validate(row))
            written.add(pid)
    return len(written)

"""``build-dataset``: the command line for building cpforge's problem data.

Subcommands live on one Typer app so later stages (``build-dataset run``) can be added
beside ``scrape`` without a second entry point.
"""

from __future__ import annotations

import contextlib

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer
from annotated_types import Ge, Le

from codeforces.config import ScrapeConfig  # pydantic only: the option defaults come from it

app = typer.Typer(help="Build cpforge's problem datasets.", no_args_is_help=True, add_completion=False)
bench_app = typer.Typer(help="Benchmarks of the dataset stages.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


# --- the scraper's options ---------------------------------------------------------------
#
# `ScrapeConfig` is the one model of the scraper's options: every option below takes its
# default, help and bounds from the model's field, so `scrape` and `run --source codeforces`
# cannot drift apart from each other or from the scraper called directly.

# command-line parameter -> ScrapeConfig field
SCRAPE_OPTION_FIELDS: dict[str, str] = {
    "base_url": "base_url",
    "offline": "offline",
    "cache": "cache_dir",
    "api_interval": "api_interval",
    "page_interval": "page_interval",
    "concurrency": "page_concurrency",
    "max_attempts": "max_attempts",
    "backoff": "backoff_initial",
    "timeout": "timeout",
}


def _scrape_option(param: str, flag: str, *, prefix: str = "", help: Optional[str] = None,
                   min: Optional[float] = None) -> Any:
    """A Typer option for one `ScrapeConfig` field. A field with a default factory (the cache
    directory) defaults to None here, and the model's factory fills it in. `min` tightens a
    bound the model states as exclusive (``timeout > 0``), which Typer cannot express."""
    field = ScrapeConfig.model_fields[SCRAPE_OPTION_FIELDS[param]]
    low: Any = min
    high: Any = None
    for rule in field.metadata:
        if isinstance(rule, Ge) and low is None:
            low = rule.ge
        elif isinstance(rule, Le):
            high = rule.le
    default = None if field.default_factory is not None else field.default
    return typer.Option(default, flag, help=prefix + (help or field.description or ""), min=low, max=high)


def scrape_config(**options: object) -> ScrapeConfig:
    """The scraper's config from command-line values named as in `SCRAPE_OPTION_FIELDS`
    (None means the model's default); the API key and secret come from the environment."""
    return ScrapeConfig.from_env(**{SCRAPE_OPTION_FIELDS[name]: value for name, value in options.items()})


@app.command("scrape")
def scrape_command(
    out: Path = typer.Option(Path("codeforces_problems.parquet"), "--out", help="Output file: .parquet or .jsonl"),
    limit: Optional[int] = typer.Option(
        None, "--limit", min=1, help="Stop after this many problems (API order, newest first)"
    ),
    contests: Optional[str] = typer.Option(None, "--contests", help="Contest id range A-B (or a single id)"),
    since: Optional[int] = typer.Option(None, "--since", help="Only contests that started in this year or later"),
    offline: bool = _scrape_option("offline", "--offline"),
    cache: Optional[Path] = _scrape_option("cache", "--cache", help="Response cache directory (default: "
                                           "<CPFORGE_CACHE_DIR or ~/.cache/cpforge>/codeforces)"),
    base_url: str = _scrape_option("base_url", "--base-url", help="Site root (a mirror or a test server)"),
    api_interval: float = _scrape_option("api_interval", "--api-interval"),
    page_interval: float = _scrape_option("page_interval", "--page-interval"),
    concurrency: int = _scrape_option("concurrency", "--concurrency"),
    max_attempts: int = _scrape_option("max_attempts", "--max-attempts"),
    backoff: float = _scrape_option("backoff", "--backoff"),
    timeout: float = _scrape_option("timeout", "--timeout", min=0.01),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Parser processes for --offline runs"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar"),
) -> None:
    """Scrape Codeforces into normalised problems (resumable: rerun to continue)."""
    from pydantic import ValidationError

    from codeforces.net import ScrapeError
    from codeforces.scrape import parse_contest_range, scrape

    if out.suffix.lower() not in (".parquet", ".jsonl", ".pq", ".ndjson"):
        _fail(f"--out must end in .parquet or .jsonl, got {out}")
    try:
        contest_range = parse_contest_range(contests)
        config = scrape_config(
            base_url=base_url, cache=cache, offline=offline, api_interval=api_interval, page_interval=page_interval,
            concurrency=concurrency, max_attempts=max_attempts, backoff=backoff, timeout=timeout,
        )
    except (ValueError, ValidationError) as exc:
        _fail(str(exc))
    try:
        summary = scrape(
            config, out=out, limit=limit, contests=contest_range, since=since, workers=workers, progress=progress
        )
    except ScrapeError as exc:
        _fail(str(exc), code=1)
    typer.echo(summary.render())
    if summary.interrupted:
        raise typer.Exit(130)


# --- benchmark ---------------------------------------------------------------------------


def _default_data_dir() -> Path:
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "codeforces"


def build_bench_cache(data_dir: Path, cache_dir: Path, count: int) -> int:
    """Fill ``cache_dir`` as a real run would have: the recorded API answers, and one
    statement page per problem made from the recorded contest pages under that problem's
    real id (title and index rewritten so every page is distinct)."""
    from selectolax.lexbor import LexborHTMLParser

    from codeforces.cache import ResponseCache

    api_dir = data_dir / "api"
    pages_dir = data_dir / "html" / "pages"
    problemset_raw = (api_dir / "problemset.problems.2025-04-12.json").read_bytes()
    contests = json.loads((api_dir / "contest.list.result.2024-10.json").read_text())
    cache = ResponseCache(cache_dir, compresslevel=1)
    cache.put("https://codeforces.com/api/problemset.problems", problemset_raw)
    cache.put(
        "https://codeforces.com/api/contest.list?gym=false",
        json.dumps({"status": "OK", "result": contests}).encode(),
    )

    templates: list[tuple[str, str]] = []  # (page prefix, statement block, page suffix) flattened
    for name in ("contest-1368-problems.html", "contest-1715-problems.html"):
        html = (pages_dir / name).read_text(encoding="utf-8")
        tree = LexborHTMLParser(html)
        blocks = [node.html or "" for node in tree.css("div.problemindexholder")]
        start = html.find('<div class="problemindexholder"')
        head = html[:start]
        tail = html[html.rfind("</html>") :]
        for block in blocks:
            templates.append((head, block + "\n</div></div></div></body>\n" + tail))
    problems = json.loads(problemset_raw)["result"]["problems"]
    made = 0
    for i, p in enumerate(problems[:count]):
        if "contestId" not in p:
            continue
        head, block = templates[i % len(templates)]
        index, name = p["index"], p["name"]
        block = _retitle(block, index, name)
        url = f"https://codeforces.com/contest/{p['contestId']}/problem/{index}?locale=en"
        cache.put(url, (head + block).encode("utf-8"))
        made += 1
    return made


def _retitle(block: str, index: str, name: str) -> str:
    import html as htmlmod
    import re

    block = re.sub(r'problemindex="[^"]*"', f'problemindex="{index}"', block, count=1)
    return re.sub(
        r'(<div class="title">)\s*[^<]*?(</div>)',
        lambda m: f"{m.group(1)}{index}. {htmlmod.escape(name)}{m.group(2)}",
        block,
        count=1,
    )


def _measure_child(cache_dir: str, count: int, workers: int | None, out: str) -> None:
    """Run inside a fresh interpreter so peak-RSS figures belong to this run alone."""
    from codeforces.scrape import scrape

    config = ScrapeConfig(cache_dir=Path(cache_dir), offline=True)
    start = time.perf_counter()
    summary = scrape(config, out=out, limit=count, workers=workers, progress=False)
    elapsed = time.perf_counter() - start
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "count": count,
                "elapsed": elapsed,
                "written": summary.written,
                "outcomes": summary.outcomes,
                "failures": summary.failures,
                "network_requests": summary.network_requests,
                "peak_rss_main_mb": self_kb / 1024,
                "peak_rss_worker_mb": child_kb / 1024,
            }
        )
    )


@bench_app.command("scrape")
def bench_scrape(
    count: int = typer.Option(10_000, "--count", min=10, help="Problems to normalise"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Parser processes (default: all cores)"),
    data: Path = typer.Option(None, "--data", help="Recorded data (default: <project>/../shared/data/codeforces)"),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Reuse/keep the warm cache here"),
    child: bool = typer.Option(False, "--child", hidden=True),
    child_out: str = typer.Option("", "--child-out", hidden=True),
) -> None:
    """Normalise COUNT problems from a warm cache; report problems/s and peak memory."""
    if child:
        _measure_child(str(cache), count, workers, child_out)
        return
    data_dir = (data or _default_data_dir()).resolve()
    if not (data_dir / "api" / "problemset.problems.2025-04-12.json").is_file():
        _fail(f"recorded Codeforces data not found under {data_dir} (pass --data)")
    with tempfile.TemporaryDirectory(prefix="cpforge-bench-") as tmp:
        cache_dir = cache or Path(tmp) / "cache"
        t0 = time.perf_counter()
        made = build_bench_cache(data_dir, cache_dir, count)
        typer.echo(
            f"warm cache: {made} statement pages + API answers in {time.perf_counter() - t0:.1f} s ({cache_dir})"
        )
        results = []
        for n in sorted({max(10, count // 10), count}):
            cmd = [sys.executable, "-m", "problems.cli", "bench", "scrape", "--child", "--count", str(n),
                   "--cache", str(cache_dir), "--child-out", str(Path(tmp) / f"out-{n}.parquet")]
            if workers:
                cmd += ["--workers", str(workers)]
            proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
            if proc.returncode != 0:
                _fail(f"benchmark run failed:\n{proc.stderr[-4000:]}", code=1)
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    cores = os.cpu_count()
    for r in results:
        rate = r["written"] / r["elapsed"] if r["elapsed"] else float("inf")
        typer.echo(
            f"{r['count']:>6} problems: {r['elapsed']:.1f} s, {rate:,.0f} problems/s, written {r['written']}, "
            f"peak RSS main {r['peak_rss_main_mb']:.0f} MB, per worker {r['peak_rss_worker_mb']:.0f} MB "
            f"(outcomes {r['outcomes']}, network requests {r['network_requests']})"
        )
    big = results[-1]
    small = results[0]
    target_met = big["elapsed"] <= 60 * big["count"] / 10_000
    typer.echo(
        f"cores: {cores}; target 10,000 in <= 60 s: {'met' if target_met else 'MISSED'}; "
        f"memory growth {small['count']}->{big['count']} problems: main "
        f"{big['peak_rss_main_mb'] - small['peak_rss_main_mb']:+.0f} MB, worker "
        f"{big['peak_rss_worker_mb'] - small['peak_rss_worker_mb']:+.0f} MB"
    )



# --- the pipeline ------------------------------------------------------------------------


@app.command("run")
def run_command(
    source: Optional[str] = typer.Option(
        None, "--source", help="bundled (the embedded sample set), files (--problems) or codeforces (scrape first); "
        "default: files when --problems is given, else bundled"),
    problems: list[str] = typer.Option(
        [], "--problems", help="Scraper output, open-r1/codeforces-format file/folder/Hub id, or problem "
        "directories / Polygon packages (repeatable)"),
    problems_config: Optional[str] = typer.Option(None, "--problems-config", help="Dataset config of --problems"),
    problems_split: Optional[str] = typer.Option(None, "--problems-split", help="Dataset split of --problems"),
    generated_tests: Optional[Path] = typer.Option(
        None, "--generated-tests", help="Folder of open-r1 test_cases_XXXX.parquet files"),
    tests: list[Path] = typer.Option(
        [], "--tests", help="Problem directories (named like 1715A) whose tests join those problems (repeatable)"),
    candidates: list[str] = typer.Option(
        [], "--candidates", help="Candidate solutions: JSONL/Parquet/folder/Hub id with (problem_id, language, code) "
        "or completions (generation / messages) (repeatable; default with --source bundled: its solutions)"),
    candidates_config: Optional[str] = typer.Option(None, "--candidates-config", help="Dataset config of --candidates"),
    candidates_split: Optional[str] = typer.Option(None, "--candidates-split", help="Dataset split of --candidates"),
    out: Path = typer.Option(Path("cpforge-dataset"), "--out", help="Dataset folder to write (Hub layout)"),
    state: Optional[Path] = typer.Option(None, "--state", help="Verdict store (default: <out>.state.sqlite beside it)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Sandboxed runs at once (default: all cores)"),
    all_tests: bool = typer.Option(False, "--all-tests", help="Run every test (default: stop at the first failure)"),
    min_tests: int = typer.Option(5, "--min-tests", min=0, help="Tests beyond the samples a problem needs to count as "
                                  "fully covered"),
    below_min: str = typer.Option("label", "--below-min", help="Problems under --min-tests: label (judge, mark "
                                  "coverage) or skip (report only)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="Sandbox backend: local (default), docker, e2b "
                                          "or unsafe; default CPFORGE_BACKEND"),
    testlib: Optional[Path] = typer.Option(None, "--testlib", help="testlib.h (or its folder) for C++ checkers"),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or ray (every node of a Ray cluster; "
                               "pip install 'cpforge[ray]')"),
    address: Optional[str] = typer.Option(None, "--address", help="[ray] the cluster (e.g. 127.0.0.1:6379 or auto; "
                                          "default: start a local Ray)"),
    max_shard_mb: int = typer.Option(500, "--max-shard-mb", min=1, help="Largest Parquet shard (in-memory MB)"),
    license_: str = typer.Option("cc-by-4.0", "--license", help="License written to the dataset card"),
    pretty_name: str = typer.Option("cpforge verified competitive-programming solutions", "--pretty-name"),
    push_to: Optional[str] = typer.Option(None, "--push-to", help="Upload the folder to this Hub dataset OWNER/NAME"),
    private: bool = typer.Option(False, "--private", help="Create the Hub dataset as private"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write the folder only, even with --push-to"),
    base_url: str = _scrape_option("base_url", "--base-url", prefix="[codeforces] ", help="Site root or mirror"),
    offline: bool = _scrape_option("offline", "--offline", prefix="[codeforces] ", help="Use only the scraper's cache"),
    cache: Optional[Path] = _scrape_option("cache", "--cache", prefix="[codeforces] ", help="Response cache directory"),
    contests: Optional[str] = typer.Option(None, "--contests", help="[codeforces] Contest id range A-B"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="[codeforces] At most this many problems"),
    since: Optional[int] = typer.Option(None, "--since", help="[codeforces] Contests from this year on"),
    max_attempts: int = _scrape_option("max_attempts", "--max-attempts", prefix="[codeforces] "),
    timeout: float = _scrape_option("timeout", "--timeout", prefix="[codeforces] ", min=0.01),
    prompt_language: str = typer.Option("python", "--prompt-language", help="Language the `problems` config's "
                                        "`prompt` asks for (python, cpp, pypy3, java, c, ...)"),
    min_strength: Optional[float] = typer.Option(
        None, "--min-strength", help="Keep out of `verified` the solutions of problems whose tests caught fewer than "
        "this share (0-1) of the known-wrong candidates (those with an expected WA/TLE/... verdict)"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress bars"),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
) -> None:
    """Verify candidate solutions and write a Hub-layout dataset (resumable: rerun to continue).

    With no arguments, the bundled sample set goes through the whole pipeline offline."""
    from pydantic import ValidationError

    from problems.pipeline import PipelineError, RunConfig, VerifyOptions, preflight, run_pipeline
    from sandbox.backends.base import SandboxUnavailable
    from sandbox.cluster import ClusterUnavailable

    source = source or ("files" if problems else "bundled")
    if source not in ("bundled", "files", "codeforces"):
        _fail(f"source: Input should be 'bundled', 'files' or 'codeforces', not {source!r}")
    try:
        config = RunConfig(
            source="files" if source == "codeforces" else source, problems=problems, problems_config=problems_config,
            problems_split=problems_split, generated_tests=generated_tests, test_dirs=tests, candidates=candidates,
            candidates_config=candidates_config, candidates_split=candidates_split, out=out, state=state,
            verify=VerifyOptions(jobs=jobs, stop_on_first_failure=not all_tests, min_tests=min_tests,
                                 below_min=below_min, progress=progress, backend=backend, testlib=testlib,
                                 engine=engine, ray_address=address),
            max_shard_mb=max_shard_mb, license=license_, pretty_name=pretty_name, push_to=push_to, private=private,
            dry_run=dry_run, prompt_language=prompt_language, min_strength=min_strength,
        )
    except ValidationError as exc:
        _fail("; ".join((f"{'.'.join(str(p) for p in e['loc'])}: " if e["loc"] else "")
                        + e["msg"].removeprefix("Value error, ") for e in exc.errors()))
    try:
        if source == "codeforces":
            preflight(config)  # a folder we may not overwrite stops the run before the scrape, not after
            scraped = _scrape_for_run(
                dict(base_url=base_url, offline=offline, cache=cache, max_attempts=max_attempts, timeout=timeout),
                out=default_scrape_out(config.state_path), contests=contests, limit=limit, since=since,
                progress=progress)
            config = config.model_copy(update={"problems": [str(scraped), *config.problems]})
        # Standard output carries the summary alone (a --json reader parses it): anything a
        # library prints meanwhile (Ray reports a lost node on stdout) goes to stderr.
        with contextlib.redirect_stdout(sys.stderr):
            summary = run_pipeline(config)
    except PipelineError as exc:
        _fail(str(exc), code=1)
    except SandboxUnavailable as exc:
        _fail(str(exc), code=3)
    except ClusterUnavailable as exc:
        _fail(str(exc), code=3)
    except KeyboardInterrupt:
        _fail("interrupted: verdicts so far are saved; rerun the same command to continue", code=130)
    if as_json:
        typer.echo(summary.model_dump_json(indent=2))
    else:
        typer.echo(summary.render())
    if summary.interrupted:
        raise typer.Exit(130)


def default_scrape_out(state: Path) -> Path:
    """Where ``run --source codeforces`` keeps the scraper's output: beside the verdict store
    (``ds.state.sqlite`` -> ``ds.codeforces.parquet``), so a rerun resumes both."""
    return state.with_name(state.stem.replace(".state", "") + ".codeforces.parquet")


def _scrape_for_run(options: dict[str, Any], *, out: Path, contests: Optional[str], limit: Optional[int],
                    since: Optional[int], progress: bool) -> Path:
    """Run (or resume) the scraper for ``run --source codeforces``; return the file it wrote.
    Raises `PipelineError` with the message to show, or KeyboardInterrupt when interrupted."""
    from pydantic import ValidationError

    from codeforces.net import ScrapeError
    from codeforces.scrape import parse_contest_range, scrape
    from problems.pipeline import PipelineError

    try:
        config = scrape_config(**options)
        summary = scrape(config, out=out, limit=limit, contests=parse_contest_range(contests), since=since,
                         progress=progress)
    except (ValueError, ValidationError) as exc:
        raise PipelineError(f"scraper options: {exc}") from None
    except ScrapeError as exc:
        where = "the cache (--offline)" if config.offline else config.base_url
        raise PipelineError(f"could not scrape Codeforces from {where}: {exc}. Without network, pass --offline "
                            "with a --cache filled by an earlier run, or use --problems FILE") from None
    if summary.interrupted:
        raise KeyboardInterrupt
    if not out.is_file():
        raise PipelineError(f"the scraper wrote no problems ({summary.render()})")
    return out


@app.command("export")
def export_command(
    dataset: str = typer.Argument(..., help="A folder written by `build-dataset run` (or its Hub id)"),
    format_: str = typer.Option(..., "--format", help="verl or trl"),
    out: Path = typer.Option(..., "--out", help="Parquet file to write"),
    split: str = typer.Option("train", "--split", help="Split of the dataset's `problems` config to read"),
    languages: list[str] = typer.Option(
        [], "--language", help="Prompt language, one row per problem for each (repeatable; default: each "
        "problem's `language` column)"),
    data_source: str = typer.Option("cpforge/codeforces", "--data-source", help="[verl] the data_source column"),
    ground_truth: str = typer.Option(
        "tests", "--ground-truth", help="tests (verification_info JSON, self-contained) or id (the problem id: the "
        "reward then needs the dataset, e.g. reward_kwargs problems=DIR)"),
    verified_only: bool = typer.Option(False, "--verified-only", help="Only problems with a verified solution"),
    coverage: list[str] = typer.Option(
        [], "--coverage", help="Keep problems of this coverage (full, few_tests, samples_only; repeatable; "
        "default: all three)"),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
) -> None:
    """Write the training parquet verl or TRL reads, from a built dataset's `problems` config."""
    from pydantic import ValidationError

    from problems.pipeline.export import COVERAGE_LEVELS, ExportError, ExportOptions, export_training_data

    try:
        options = ExportOptions(format=format_, split=split, languages=languages, data_source=data_source,
                                ground_truth=ground_truth, verified_only=verified_only,
                                coverage=coverage or list(COVERAGE_LEVELS))
    except ValidationError as exc:
        _fail("; ".join(f"--{'-'.join(str(p) for p in e['loc']).replace('_', '-')}: {e['msg']}"
                        for e in exc.errors()))
    try:
        summary = export_training_data(dataset, out, options)
    except ExportError as exc:
        _fail(str(exc), code=1)
    typer.echo(summary.model_dump_json(indent=2) if as_json else summary.render())


@bench_app.command("verify")
def bench_verify(
    candidates: int = typer.Option(2000, "--candidates", min=1, help="Candidates to judge (bundled solutions, "
                                   "replicated with distinct trailing comments)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Sandbox slots of each engine: local boxes, "
                                       "Ray slots per node (default: all cores)"),
    mix: str = typer.Option("all", "--mix", help="all (every bundled solution, failures included) or accepted "
                            "(only those expected to pass)"),
    engine: str = typer.Option("local", "--engine", help="local, ray, or both side by side: local,ray"),
    address: Optional[str] = typer.Option(None, "--address", help="[ray] a running cluster (default: start a "
                                          "local Ray with this machine's cores)"),
    keep: Optional[Path] = typer.Option(None, "--keep", help="Keep the work folder here (default: a temp dir)"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON"),
) -> None:
    """Verified solutions and test runs per second, CPU utilisation, the cost of a resumed
    run, and with --engine local,ray the Ray run's overhead over the local one."""
    from problems.pipeline.bench import BenchError, parse_engines, run_bench

    if mix not in ("all", "accepted"):
        _fail("--mix must be all or accepted")
    try:
        result = run_bench(candidates=candidates, jobs=jobs, mix=mix, keep=keep, engines=parse_engines(engine),
                           address=address)
    except BenchError as exc:
        _fail(str(exc), code=1)
    typer.echo(result.model_dump_json(indent=2) if as_json else result.render())


@bench_app.command("scale")
def bench_scale(
    problems: int = typer.Option(10_000, "--problems", min=2, help="Problems of the big synthetic set"),
    baseline: Optional[int] = typer.Option(None, "--baseline", min=1, help="Problems of the small set the growth "
                                           "is measured from (default: a tenth of --problems, at least 100)"),
    engine: str = typer.Option("local", "--engine", help="local, ray, or both: local,ray"),
    tests: int = typer.Option(3, "--tests", min=1, help="Generated tests per problem"),
    test_kib: float = typer.Option(1.0, "--test-kib", min=0.01, help="Size of each test's input, KiB"),
    language: str = typer.Option("c", "--language", help="The one solution's language: c or python"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Sandbox slots (default: all cores)"),
    address: Optional[str] = typer.Option(None, "--address", help="[ray] a running cluster (default: a local Ray)"),
    keep: Optional[Path] = typer.Option(None, "--keep", help="Keep the sets and datasets here (default: a temp dir, "
                                        "removed)"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON"),
) -> None:
    """The driver's peak memory on a synthetic set at two sizes (tiny problems, one trivial
    solution): what each further problem costs, next to the test data it brings."""
    from problems.pipeline.bench import BenchError, parse_engines, run_scale_bench
    from problems.pipeline.synthetic import SOLUTIONS

    if language not in SOLUTIONS:
        _fail(f"--language must be {' or '.join(SOLUTIONS)}")
    small = baseline if baseline is not None else max(100, problems // 10)
    if small >= problems:
        _fail(f"--baseline ({small}) must be smaller than --problems ({problems})")
    try:
        result = run_scale_bench(problems=[small, problems], engines=parse_engines(engine), tests_per_problem=tests,
                                 test_bytes=max(1, round(test_kib * 1024)), language=language, jobs=jobs,
                                 address=address, keep=keep, progress=progress)
    except BenchError as exc:
        _fail(str(exc), code=1)
    typer.echo(result.model_dump_json(indent=2) if as_json else result.render())


@bench_app.command("tests")
def bench_tests(
    packages: list[Path] = typer.Option([], "--package", help="Generator package (Polygon or cpforge) to run `tests "
                                        "generate` on (repeatable; default: the bundled problems that ship "
                                        "generators)"),
    bundled: bool = typer.Option(True, "--bundled/--no-bundled", help="Also measure strength on the bundled set"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Programs run at once (default: cores)"),
    keep: Optional[Path] = typer.Option(None, "--keep", help="Keep the generated directories here (default: a temp "
                                        "dir, removed)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="Sandbox backend (default: CPFORGE_BACKEND, local)"),
    testlib: Optional[Path] = typer.Option(None, "--testlib", help="testlib.h (or its folder) for C++ programs"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress on stderr"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON"),
) -> None:
    """Tests generated per second (and each step's cost per test), and the strength run's cost
    on the generated and the bundled sets, next to a plain judge of the known-correct solutions."""
    from problems.testsets import TestsetError
    from problems.testsets.bench import default_packages, run_tests_bench

    chosen = packages or default_packages()
    if not chosen:
        _fail("no generator package found: pass --package PATH (the default ones are the bundled problems that ship "
              "generators)")
    for package in chosen:
        if not package.is_dir():
            _fail(f"{package}: not a package directory")
    with _testsets_judge(jobs, backend, testlib) as judge:
        try:
            result = run_tests_bench(judge, chosen, bundled=bundled, work=keep, jobs=jobs or os.cpu_count() or 2,
                                     progress=progress)
        except TestsetError as exc:
            _fail(str(exc), code=1)
    typer.echo(result.model_dump_json(indent=2) if as_json else result.render())


# --- tests: generate, augment and measure a problem's tests ---------------------------------
tests_app = typer.Typer(help="Tests you can trust: generate, augment and measure the strength of a problem's tests.",
                        no_args_is_help=True)
app.add_typer(tests_app, name="tests")


@contextlib.contextmanager
def _testsets_judge(jobs: Optional[int], backend: Optional[str], testlib: Optional[Path]) -> Iterator[Any]:
    """A judge for the `tests` commands; a host that cannot sandbox is exit code 3."""
    from sandbox.backends import get_backend
    from sandbox.backends.base import SandboxUnavailable
    from sandbox.judge.judging import Judge

    try:
        opened = get_backend(backend, concurrency=jobs or os.cpu_count() or 2)
    except SandboxUnavailable as exc:
        _fail(str(exc), code=3)
    except ValueError as exc:
        _fail(str(exc))
    try:
        with Judge(opened, jobs=jobs, testlib=testlib) as judge:
            yield judge
    except ValueError as exc:  # an unreadable --testlib
        _fail(str(exc))
    finally:
        opened.close()


@tests_app.command("strength")
def tests_strength(
    dirs: list[Path] = typer.Argument(..., help="problem directories or Polygon packages with tagged solutions"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON (top-level `tpr`, `tnr`)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="solutions judged at once (default: cores)"),
    backend: Optional[str] = typer.Option(None, "--backend", help="sandbox backend (default: CPFORGE_BACKEND, local)"),
    testlib: Optional[Path] = typer.Option(None, "--testlib", help="testlib.h (or its folder) for C++ checkers"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="show progress on stderr"),
) -> None:
    """TPR (known-correct solutions that pass) and TNR (known-wrong ones that fail) of each
    problem's tests; exit code 1 when a solution got JUDGE_ERROR."""
    from problems.testsets import TestsetError
    from problems.testsets.strength import measure_strength

    for root in dirs:
        if not root.is_dir():
            _fail(f"{root}: not a problem directory")
    with _testsets_judge(jobs, backend, testlib) as judge:
        try:
            report = measure_strength(dirs, judge, jobs=jobs or os.cpu_count() or 2, progress=progress)
        except TestsetError as exc:
            _fail(str(exc))
    typer.echo(report.model_dump_json(indent=2) if as_json else report.render())
    raise typer.Exit(1 if report.judge_errors else 0)


@tests_app.command("generate")
def tests_generate(
    package: Path = typer.Argument(..., help="Polygon package or cpforge problem directory with generators"),
    out: Path = typer.Option(..., "--out", help="problem directory to write (all or nothing)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="programs run at once (default: cores)"),
    testlib: Optional[Path] = typer.Option(None, "--testlib", help="testlib.h (or its folder) for generators"),
    gen_time: float = typer.Option(10.0, "--gen-time", min=0.01, help="CPU seconds per generator run"),
    gen_memory: float = typer.Option(1024, "--gen-memory", min=1, help="MiB per generator run"),
    allow_nondeterministic: bool = typer.Option(False, "--allow-nondeterministic",
                                                help="keep a generator's first output when two runs differ "
                                                     "(reported) instead of failing"),
    force: bool = typer.Option(False, "--force", help="replace --out if it exists"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="show progress on stderr"),
) -> None:
    """Runs the package's generators, validator and main solution in the sandbox and writes a
    complete problem directory; exit code 1 on any generation error (nothing is written)."""
    from problems.testsets import TestsetError
    from problems.testsets.generate import GenerateOptions, generate_tests
    from sandbox.limits import Limits

    if not package.is_dir():
        _fail(f"{package}: not a package directory")
    options = GenerateOptions(jobs=jobs or os.cpu_count() or 2, allow_nondeterministic=allow_nondeterministic,
                              force=force, progress=progress,
                              generator_limits=Limits(cpu_time=gen_time, memory_mb=gen_memory))
    with _testsets_judge(jobs, None, testlib) as judge:
        try:
            summary = generate_tests(package, out, judge, options)
        except TestsetError as exc:
            _fail(str(exc), code=1)
    typer.echo(summary.model_dump_json(indent=2) if as_json else summary.render())


@tests_app.command("augment")
def tests_augment(
    problem: Path = typer.Argument(..., help="problem directory with tests and known-correct solutions"),
    out: Path = typer.Option(..., "--out", help="problem directory to write (all or nothing)"),
    k: int = typer.Option(2, "--k", min=1, help="known-correct solutions that must agree on every answer"),
    per_test: int = typer.Option(10, "--per-test", min=0, help="nudge / bound / swap mutants tried per test"),
    seed: int = typer.Option(0, "--seed", help="the same seed gives the same tests"),
    max_size: int = typer.Option(200_000, "--max-size", min=1, help="largest size a size mutant is pushed to"),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="programs run at once (default: cores)"),
    force: bool = typer.Option(False, "--force", help="replace --out if it exists"),
    as_json: bool = typer.Option(False, "--json", help="print the summary as JSON"),
) -> None:
    """Adds tests made by mutating the inputs a problem has, kept only where the validator (or
    every known-correct solution) accepts the input and all known-correct solutions agree."""
    from problems.testsets import TestsetError
    from problems.testsets.augment import AugmentOptions, augment_tests

    if not problem.is_dir():
        _fail(f"{problem}: not a problem directory")
    options = AugmentOptions(k=k, per_test=per_test, seed=seed, max_size=max_size, jobs=jobs or os.cpu_count() or 2,
                             force=force)
    with _testsets_judge(jobs, None, None) as judge:
        try:
            summary = augment_tests(problem, out, judge, options)
        except TestsetError as exc:
            _fail(str(exc), code=1)
    typer.echo(summary.model_dump_json(indent=2) if as_json else summary.render())


def main() -> None:
    """Console-script entry point (``build-dataset``)."""
    app()


if __name__ == "__main__":
    main()

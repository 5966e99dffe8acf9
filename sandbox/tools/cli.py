"""The `verifier` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn, Optional

import typer

from sandbox.backends import SandboxUnavailable, get_backend
from sandbox.languages import UnknownLanguage, get_language, language_for_file, language_list
from sandbox.limits import Limits

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Compile, run and judge untrusted programs in a sandbox.")
bench_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Benchmarks, printed side by side.")
app.add_typer(bench_app, name="bench")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


BACKEND_HELP = "local (default: bubblewrap here), docker or e2b; default CPFORGE_BACKEND"


def _open_backend(unsafe: bool, concurrency: int | None = None, name: str | None = None):
    if unsafe and name not in (None, "local", "unsafe"):
        _fail(f"--unsafe is the local backend without isolation; it cannot be combined with --backend {name}")
    try:
        return get_backend("unsafe" if unsafe else name, **({"concurrency": concurrency} if concurrency else {}))
    except SandboxUnavailable as exc:
        _fail(str(exc), 3)
    except ValueError as exc:
        _fail(str(exc))


def _read_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {what} {str(path)!r}: {exc.strerror or exc}")


@app.command()
def run(
    file: Path = typer.Argument(..., help="source file"),
    lang: Optional[str] = typer.Option(
        None, "--lang", "-l", help=f"{language_list()} or an alias (default: from the extension)"
    ),
    stdin: Optional[Path] = typer.Option(None, "--stdin", help="file fed to the program's standard input"),
    time: float = typer.Option(2.0, "--time", help="CPU time limit, seconds"),
    wall: Optional[float] = typer.Option(None, "--wall", help="wall time limit, seconds (default 2 x time + 1)"),
    memory: float = typer.Option(256, "--memory", help="memory limit, MiB (fractions allowed, at least 1 KiB)"),
    as_json: bool = typer.Option(False, "--json", help="print every field as JSON"),
    unsafe: bool = typer.Option(False, "--unsafe", help="run WITHOUT isolation (trusted code only)"),
    backend_name: Optional[str] = typer.Option(None, "--backend", help=BACKEND_HELP),
) -> None:
    """Compile FILE and run it once; exit code 0 only when the status is OK."""
    try:
        language = get_language(lang) if lang else language_for_file(file)
    except UnknownLanguage as exc:
        _fail(str(exc))
    source = _read_file(file, "source file")
    stdin_data = _read_file(stdin, "stdin file") if stdin else None
    try:
        limits = Limits(cpu_time=time, wall_time=wall, memory_mb=memory)
    except ValueError as exc:
        _fail(f"invalid limits: {exc}")
    backend = _open_backend(unsafe, name=backend_name)
    try:
        compiled = backend.compile(source, language)
        if not compiled.ok:
            status = compiled.status.value
            if as_json:
                typer.echo(json.dumps({"status": status, "compile": compiled.model_dump(mode="json")}, indent=2))
            else:
                typer.echo(f"{status}: {compiled.reason}")
                if compiled.diagnostics:
                    typer.echo(compiled.diagnostics.rstrip())
            raise typer.Exit(1)
        result = backend.run(compiled.executable, stdin=stdin_data, limits=limits)
    finally:
        backend.close()
    if as_json:
        payload = result.model_dump(mode="json")
        payload["compile"] = compiled.model_dump(mode="json")
        typer.echo(json.dumps(payload, indent=2))
    else:
        sys.stdout.write(result.stdout_text)
        if result.stdout and not result.stdout.endswith(b"\n"):
            sys.stdout.write("\n")
        detail = f" ({result.message})" if result.message else ""
        typer.echo(f"[{result.status.value}{detail}] cpu {result.cpu_time:.3f} s, wall {result.wall_time:.3f} s, "
                   f"memory {result.memory_bytes / 2**20:.1f} MiB, {result.toolchain}"
                   + ("" if result.sandboxed else ", UNSANDBOXED"), err=True)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def judge(
    problem: Path = typer.Argument(..., help="problem directory (cpforge problem.json or a Polygon package)"),
    code: Path = typer.Argument(..., help="solution source file"),
    lang: Optional[str] = typer.Option(None, "--lang", "-l",
                                       help=f"{language_list()} or an alias (default: from the extension)"),
    as_json: bool = typer.Option(False, "--json", help="print the verdict and every test as JSON"),
    all_tests: bool = typer.Option(
        False, "--all-tests", help="run every test instead of stopping at the first failure"
    ),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="tests run in parallel (default: number of cores)"),
    score: str = typer.Option("binary", "--score", help="binary | pass_rate | points | weighted_sum (open-r1's)"),
    testlib: Optional[Path] = typer.Option(None, "--testlib", envvar="CPFORGE_TESTLIB",
                                           help="your testlib.h (or its directory) for checkers and interactors"),
    unsafe: bool = typer.Option(False, "--unsafe", help="run WITHOUT isolation (trusted code only)"),
    backend_name: Optional[str] = typer.Option(None, "--backend", help=BACKEND_HELP),
) -> None:
    """Judge CODE on PROBLEM; exit code 0 only for AC."""
    from sandbox.judge import ProblemFormatError, load_problem
    from sandbox.judge.judging import Judge
    from sandbox.judge.scoring import JudgeOptions
    from sandbox.result import Verdict

    try:
        language = get_language(lang) if lang else language_for_file(code)
    except UnknownLanguage as exc:
        _fail(str(exc))
    try:
        loaded = load_problem(problem)
    except ProblemFormatError as exc:
        _fail(str(exc))
    try:
        options = JudgeOptions(stop_on_first_failure=not all_tests, score=score)
    except ValueError:
        _fail(f"unknown --score {score!r}: binary, pass_rate, points or weighted_sum")
    source = _read_file(code, "solution").decode("utf-8", errors="replace")
    backend = _open_backend(unsafe, jobs, backend_name)
    try:
        with Judge(backend, jobs=jobs, testlib=testlib) as judge_:
            result = judge_.judge(loaded, source, language, options)
    except ValueError as exc:  # an unreadable --testlib
        _fail(str(exc))
    finally:
        backend.close()
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
    else:
        typer.echo(f"{loaded.name}: {result.verdict.value} "
                   f"({result.passed}/{result.total} passed, score {result.score:g})"
                   + (f" - {result.message}" if result.message else ""))
        if result.verdict is Verdict.CE:
            typer.echo(result.compile.diagnostics.rstrip())
        typer.echo(f"{'test':>8} {'verdict':11} {'cpu s':>7} {'wall s':>7} {'MiB':>7}  message")
        for test in result.tests:
            typer.echo(f"{test.name:>8} {test.verdict.value:11} {test.cpu_time:7.3f} {test.wall_time:7.3f} "
                       f"{test.memory / 2**20:7.1f}  {test.message[:80]}")
    raise typer.Exit(0 if result.accepted else 1)


@app.command()
def doctor(as_json: bool = typer.Option(False, "--json")) -> None:
    """What this host offers (namespaces, cgroups, bubblewrap, toolchains) and which
    protections are therefore in force."""
    from sandbox.tools.doctor import examine

    report = examine()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for check in report.checks:
            typer.echo(f"{'ok ' if check.ok else 'NO '} {check.name:18} {check.detail}")
        typer.echo("\ntoolchains:")
        for lang, version in report.toolchains.items():
            typer.echo(f"  {lang:8} {version or 'unavailable'}")
        typer.echo("\nprotections in force:" if report.sandbox_ok else
                   "\nNO ISOLATION: untrusted code will be refused (use --unsafe only for trusted code)")
        for line in report.protections:
            typer.echo(f"  - {line}")
        if report.accounting:
            typer.echo("\nhow CPU time and memory are measured on this host:")
            for line in report.accounting:
                typer.echo(f"  - {line}")
    raise typer.Exit(0 if report.sandbox_ok else 1)


@app.command()
def prebuild() -> None:
    """Builds the native launcher and the precompiled headers now (image builds, CI warm-up),
    into the cache (CPFORGE_CACHE_DIR); exit code 1 if any could not be built."""
    from sandbox.tools.prebuild import prebuild as build_all

    results = build_all()
    for what, built, detail in results:
        typer.echo(f"{'ok ' if built else 'NO '} {what:28} {detail}")
    raise typer.Exit(0 if all(built for _, built, _ in results) else 1)


@bench_app.command("sandbox")
def bench_sandbox(
    runs: int = typer.Option(300, help="runs per measurement"),
    backends: Optional[str] = typer.Option(None, "--backend", help="backends side by side, e.g. local,docker "
                                           "(default: the local backend's full breakdown)"),
) -> None:
    """Per-run wall time of trivial C++ and Python programs: bare vs in the sandbox."""
    if backends:
        from sandbox.tools.bench_backends import bench_backends

        names = [name.strip() for name in backends.split(",") if name.strip()]
        try:
            bench_backends(names, runs)
        except SandboxUnavailable as exc:
            _fail(str(exc), 3)
        except ValueError as exc:
            _fail(str(exc))
        return
    from sandbox.tools.bench import bench_sandbox as measure

    measure(runs)


@bench_app.command("judge")
def bench_judge(
    tests: int = typer.Option(100, "--tests", min=1, help="A+B tests to generate"),
    repeat: int = typer.Option(5, "--repeat", min=1, help="repetitions of each judge (medians are reported)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="tests run in parallel (default: number of cores)"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
) -> None:
    """A+B judged by cpforge (sandboxed, compile included), by a bare compile-and-loop and,
    when the dmoj package is installed, by DMOJ's judge, side by side, with cpforge's CPU
    per test; exit code 1 when a target (a ratio, or Python's CPU per test) is missed."""
    from sandbox.tools.bench_judge import bench_judge as measure, format_report

    try:
        report = measure(tests=tests, repeat=repeat, jobs=jobs)
    except SandboxUnavailable as exc:
        _fail(str(exc), 3)
    typer.echo(json.dumps(report, indent=2) if as_json else format_report(report))
    raise typer.Exit(0 if all(row["met"] for row in report["rows"].values()) else 1)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port"),
    problems: Optional[str] = typer.Option(None, "--problems", help="dataset folder or Hub id made by build-dataset"),
    token: list[str] = typer.Option([], "--token", help="accepted bearer token (repeatable); "
                                    "better: CPFORGE_SERVER_TOKENS=a,b, which ps cannot show"),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="sandbox runs in parallel (default: cores)"),
    queue_size: int = typer.Option(2048, "--queue-size", help="submissions admitted before answering 429"),
    max_batch: Optional[int] = typer.Option(None, "--max-batch", help="largest batch (default: --queue-size)"),
    max_body_mb: int = typer.Option(64, "--max-body-mb", help="largest request body, MiB"),
    deadline: float = typer.Option(600.0, "--deadline", help="per-request deadline, seconds"),
    drain_timeout: float = typer.Option(120.0, "--drain-timeout",
                                        help="on SIGTERM, seconds to finish work in flight; then requests "
                                             "still running get 503 and their work is cancelled"),
    max_tests: int = typer.Option(10_000, "--max-tests",
                                  help="most tests per request (inline, summed over a batch) and per submission"),
    max_inflight_mb: int = typer.Option(128, "--max-inflight-mb",
                                        help="request body MiB held by all requests in flight before 429"),
    stall_after: float | None = typer.Option(None, "--stall-after",
                                                help="/healthz reports work running this long (s) as stuck "
                                                     "(default: deadline + 2 x max test wall time + 120)"),
    run_code_queue_wait: float = typer.Option(
        5.0, "--run-code-queue-wait", help="/run_code answers 504 (which verl retries) when no run can start "
                                           "within this many seconds; keep it under 10 (verl reads for compile "
                                           "+ run + 10 s)"),
    reward_deadline: float = typer.Option(150.0, "--reward-deadline",
                                          help="/get_reward deadline, seconds (OpenRLHF gives up at 180)"),
    url_token: bool = typer.Option(True, "--url-token/--no-url-token",
                                   help="also accept a token as a URL path prefix, /t/<token>/run_code, for "
                                        "clients that cannot send a header (verl, OpenRLHF)"),
    unsafe: bool = typer.Option(False, "--unsafe", help="run WITHOUT isolation (trusted code only)"),
    backend_name: Optional[str] = typer.Option(None, "--backend", help=BACKEND_HELP),
    log_level: str = typer.Option("info", "--log-level"),
) -> None:
    """The reward server: /v1/judge, /v1/judge/batch, /run_code (SandboxFusion), /get_reward
    (OpenRLHF), /healthz, /metrics."""
    import os

    from sandbox.server.problems_store import ProblemStoreError
    from sandbox.server.serve import serve as run_server
    from sandbox.server.settings import ServerSettings

    from_env = [t.strip() for t in os.environ.get("CPFORGE_SERVER_TOKENS", "").split(",") if t.strip()]
    if "CPFORGE_SERVER_TOKENS" in os.environ and not from_env:
        _fail("invalid settings: CPFORGE_SERVER_TOKENS is set but every token in it is empty (an unset "
              "variable?): give a real token, or unset it for an open server")
    tokens = [*token, *from_env]
    try:
        settings = ServerSettings(host=host, port=port, problems=problems, tokens=tuple(tokens),
                                  workers=workers or os.cpu_count() or 2, queue_size=queue_size, max_batch=max_batch,
                                  max_body_bytes=max_body_mb << 20, deadline=deadline, drain_timeout=drain_timeout,
                                  max_tests=max_tests, max_inflight_bytes=max_inflight_mb << 20,
                                  stall_after=stall_after, run_code_queue_wait=run_code_queue_wait,
                                  reward_deadline=reward_deadline, url_tokens=url_token, unsafe=unsafe,
                                  backend=backend_name, log_level=log_level.lower())
    except ValueError as exc:
        _fail(f"invalid settings: {exc}")
    try:
        run_server(settings)
    except ProblemStoreError as exc:
        _fail(str(exc))
    except SandboxUnavailable as exc:
        _fail(str(exc), 3)


@bench_app.command("server")
def bench_server(
    completions: int = typer.Option(256, "--completions", min=2, help="completions judged (half C++, half Python)"),
    tests: int = typer.Option(20, "--tests", min=1, help="tests per problem"),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="sandbox runs in parallel (default: cores)"),
    baseline: int = typer.Option(32, "--baseline", min=0, help="completions judged the per-test way (0: skip)"),
    cache_free: int = typer.Option(1000, "--cache-free", min=0,
                                   help="cache-free Python requests per one-test mode (/run_code, /v1/judge), "
                                        "each a distinct source; the batched mode judges as many tests (0: skip)"),
    clients: Optional[int] = typer.Option(None, "--clients", min=1,
                                          help="concurrent clients of the cache-free modes "
                                               "(default: verl's pool, min(64, max(32, 5 x cores)))"),
    batch_tests: int = typer.Option(20, "--batch-tests", min=2, help="tests per request of the batched /v1/judge mode"),
    as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
) -> None:
    """Completions per second and latency percentiles through HTTP and in-process, side by
    side, and against one request per test with a compile per test; then cache-free Python
    traffic as verl sends it (one test per request, every source distinct) to /run_code and
    /v1/judge, in requests/s and tests/s, against /v1/judge with many tests per request."""
    from sandbox.tools.bench_server import bench_server as measure, format_report

    try:
        report = measure(completions=completions, tests=tests, workers=workers, baseline=baseline,
                         cache_free=cache_free, clients=clients, batch_tests=batch_tests)
    except SandboxUnavailable as exc:
        _fail(str(exc), 3)
    typer.echo(json.dumps(report, indent=2) if as_json else format_report(report))


def main() -> None:
    app()


if __name__ == "__main__":
    main()

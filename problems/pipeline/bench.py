"""``build-dataset bench verify`` and ``bench scale``: what the pipeline costs, per engine.

``bench verify`` replicates the bundled solutions to the requested count, each copy made
distinct by a trailing comment (a new code hash, so nothing is served from a cache). For each
engine (``local``, ``ray``) the pipeline runs twice in a child process on a fresh state: a
first run that judges everything, and a resumed run with nothing left to do. Each engine gets
its own freshly tagged copies of the same programs, so the second engine is not served from
the compile cache the first one filled, and the same number of sandbox slots (``--jobs``,
default all cores: the local run's boxes, the Ray node's slots), so the figures compare the
engines and nothing else. CPU utilisation is the CPU time of the judging (the pipeline, its
sandbox boxes and every program they ran; see `cpu.py`) over the judging's wall time and the
machine's cores. Test runs per second per slot is the figure a scale model needs.

``bench scale`` writes a synthetic set (`synthetic.py`: many tiny problems, one shared
trivial solution) at two sizes and runs the whole pipeline on each, per engine, in a child
process, reporting the driver's peak RSS: how much memory each further problem costs, next
to the test data it brings.

Both measure the driver in the child itself (`measured_main`): ``getrusage(RUSAGE_SELF)``
is that process alone, where the child's ``RUSAGE_CHILDREN`` seen from here would be its
largest descendant, a Ray raylet or a sandbox box as likely as the driver.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from sandbox.languages import get_language

__all__ = ["ENGINES", "BenchError", "BenchResult", "DriverFigures", "EngineRun", "PhaseFigures", "ScaleResult",
           "ScaleRun", "measured_main", "parse_engines", "run_bench", "run_scale_bench", "write_bench_candidates"]

ENGINES = ("local", "ray")
RAY_TARGET = 1.15
"""The Ray run's wall time may be at most this multiple of the local run's on the same machine."""


class BenchError(RuntimeError):
    pass


def parse_engines(text: str) -> list[str]:
    """``local,ray`` -> ``["local", "ray"]``, each engine once, in the order given."""
    engines: list[str] = []
    for part in text.split(","):
        name = part.strip()
        if name not in ENGINES:
            raise BenchError(f"--engine takes {' or '.join(ENGINES)} (comma-separated), not {name!r}")
        if name not in engines:
            engines.append(name)
    if not engines:
        raise BenchError("--engine names no engine")
    return engines


# --- the child: one pipeline run, measured from inside --------------------------------------


def _peak_rss_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


def measured_main(argv: Sequence[str]) -> None:
    """``build-dataset ARGS`` in this process, then the peak RSS written to FIGURES as JSON
    (argv: FIGURES ARGS...). Two peaks: the whole run's, and the peak up to the moment the
    dataset's rows start being built (loading and judging: the part that must not grow with
    the test data, since the rows themselves carry every test by the dataset's schema)."""
    figures_path, args = Path(argv[0]), list(argv[1:])
    marks: dict[str, int] = {}
    import problems.pipeline.rows as rows

    build_rows: Callable[..., Any] = rows.build_rows

    def marked_build_rows(*positional: Any, **keywords: Any) -> Any:
        marks.setdefault("judging_peak_kib", _peak_rss_kib())
        return build_rows(*positional, **keywords)

    # run.py imports build_rows when it needs it, so the module attribute is what it calls.
    rows.build_rows = marked_build_rows
    from problems.cli import app

    code: Any = 0
    try:
        app(args, prog_name="build-dataset")
    except SystemExit as exc:
        code = exc.code
    finally:
        marks["peak_kib"] = _peak_rss_kib()
        figures_path.write_text(json.dumps(marks), encoding="utf-8")
    raise SystemExit(code)


class DriverFigures(BaseModel):
    """One child run of the pipeline, as the parent saw it and as it measured itself."""

    wall: float
    peak_rss_mb: float = Field(description="the driver's peak RSS over the whole run")
    judging_peak_rss_mb: float | None = Field(
        None, description="the driver's peak RSS before the rows were built (loading and judging)")
    summary: dict[str, Any]


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "RAY_USAGE_STATS_ENABLED": "0"}


def _measured_run(args: list[str], work: Path, label: str) -> DriverFigures:
    """``build-dataset ARGS --json`` in a child process, timed, with its driver's peaks."""
    figures = work / f"{label}.rss.json"
    figures.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "problems.pipeline.bench", str(figures), *args]
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=_child_env())
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise BenchError(f"pipeline run ({label}) failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    try:
        summary = json.loads(proc.stdout)
        marks = json.loads(figures.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise BenchError(f"pipeline run ({label}) gave no figures ({exc}):\n{proc.stdout[-2000:]}"
                         f"\n{proc.stderr[-2000:]}") from None
    judging = marks.get("judging_peak_kib")
    return DriverFigures(wall=wall, peak_rss_mb=marks["peak_kib"] / 1024,
                         judging_peak_rss_mb=judging / 1024 if judging is not None else None, summary=summary)


def _engine_args(engine: str, address: str | None, jobs: int) -> list[str]:
    args = ["--engine", engine, "--jobs", str(jobs)]
    if engine == "ray" and address:
        args += ["--address", address]
    return args


def _slots(engine: str, jobs: int, summary: dict[str, Any]) -> tuple[int, int]:
    """(sandbox slots, nodes) a run judged with."""
    cluster = summary.get("cluster") or {}
    if engine == "ray" and cluster:
        return int(cluster.get("slots") or jobs), int(cluster.get("nodes") or 1)
    return jobs, 1


def _executed_tests(dataset: Path) -> int:
    """Test runs of a written dataset's candidates: every test that ran (not SKIPPED), as
    `JudgeResult.executed` counts them, once per distinct candidate."""
    import pyarrow.parquet as pq

    runs = 0
    for path in sorted((dataset / "data" / "all").glob("*.parquet")):
        table = pq.read_table(path, columns=["tests", "duplicate_of", "status"])
        for tests, duplicate_of, status in zip(*(table.column(c).to_pylist() for c in table.column_names)):
            if duplicate_of is None and status in ("judged", "error"):
                runs += sum(1 for test in tests or [] if test.get("verdict") != "SKIPPED")
    return runs


def _clear(work: Path, names: Sequence[str]) -> None:
    for name in names:
        target = work / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


# --- bench verify ----------------------------------------------------------------------------


class PhaseFigures(BaseModel):
    wall: float
    cpu: float = Field(description="CPU seconds of the process tree while judging (a lower bound, see cpu.py)")
    utilisation: float
    program_cpu: float = Field(0.0, description="CPU seconds of the judged programs, as the sandbox measured them")
    program_utilisation: float = 0.0
    judged: int
    accepted: int
    verify_seconds: float
    peak_rss_mb: float = Field(0.0, description="the driver's peak RSS")

    @property
    def judged_per_second(self) -> float:
        return self.judged / self.verify_seconds if self.verify_seconds else 0.0


class EngineRun(BaseModel):
    """One engine's first and resumed runs."""

    engine: str
    slots: int = Field(description="sandbox slots the engine judged with (boxes, or Ray slots over every node)")
    nodes: int = 1
    first: PhaseFigures
    resumed: PhaseFigures
    test_runs: int = Field(description="tests executed by the first run (SKIPPED ones not counted)")
    verified_per_second: float
    judged_per_second: float
    runs_per_second: float = Field(description="test runs per second of judging")
    runs_per_second_per_slot: float
    resume_ratio: float
    summary: dict[str, Any]


class BenchResult(BaseModel):
    candidates: int
    distinct_problems: int
    mix: str
    cores: int
    jobs: int
    address: str | None = None
    engines: list[EngineRun]
    ray_over_local: float | None = Field(None, description="the Ray first run's wall time over the local one's")
    ray_over_local_judging: float | None = Field(None, description="the same for the judging phase alone")

    def engine(self, name: str) -> EngineRun | None:
        return next((run for run in self.engines if run.engine == name), None)

    def render(self) -> str:
        lines = [f"candidates: {self.candidates} over {self.distinct_problems} problems (mix: {self.mix}); "
                 f"cores: {self.cores}, jobs: {self.jobs}" + (f", ray at {self.address}" if self.address else "")]
        for run in self.engines:
            f, r = run.first, run.resumed
            verdicts = ", ".join(f"{k} {v}" for k, v in sorted(run.summary.get("verdicts", {}).items()))
            lines += [
                "",
                f"[{run.engine}] {run.slots} slots on {run.nodes} node{'s' if run.nodes != 1 else ''}; "
                f"verdicts: {verdicts}",
                f"first run:   {f.wall:7.1f} s wall; judging {f.verify_seconds:.1f} s; "
                f"driver peak RSS {f.peak_rss_mb:.0f} MB",
                f"  CPU while judging: process tree {f.cpu:.1f} s = {100 * f.utilisation:.0f}% of {self.cores} cores; "
                f"judged programs alone (sandbox-measured) {f.program_cpu:.1f} s = {100 * f.program_utilisation:.0f}%",
                f"  judged {f.judged} -> {run.judged_per_second:.2f} solutions/s; accepted {f.accepted} -> "
                f"{run.verified_per_second:.2f} verified solutions/s",
                f"  test runs {run.test_runs} -> {run.runs_per_second:.1f} runs/s = "
                f"{run.runs_per_second_per_slot:.1f} runs/s per slot (one slot per core)",
                f"resumed run: {r.wall:7.2f} s wall, judged {r.judged}",
                f"resume cost: {100 * run.resume_ratio:.1f}% of the first run "
                f"(target < 5%: {'met' if run.resume_ratio < 0.05 else 'MISSED'})",
            ]
        if self.ray_over_local is not None:
            local, ray = self.engine("local"), self.engine("ray")
            assert local is not None and ray is not None
            same = "" if local.slots == ray.slots else \
                f" (NOT like for like: {ray.slots} Ray slots, {local.slots} local)"
            lines += ["", f"ray / local wall time: {ray.first.wall:.1f} s / {local.first.wall:.1f} s = "
                          f"{self.ray_over_local:.2f}x (target <= {RAY_TARGET:.2f}x: "
                          f"{'met' if self.ray_over_local <= RAY_TARGET else 'MISSED'}){same}",
                      f"ray / local judging time: {self.ray_over_local_judging or 0:.2f}x"]
        return "\n".join(lines)


def write_bench_candidates(path: Path, count: int, mix: str = "all") -> int:
    """Write ``count`` candidate rows cycling through the bundled solutions; returns the
    number of problems they cover. Each call tags its copies afresh."""
    from problems.samples import load_bundled

    try:
        bundled = load_bundled()
    except ValueError as exc:  # BundledSampleError names the malformed file
        raise BenchError(f"the bundled sample set is broken: {exc}") from None
    pool = []
    for item in bundled:
        for solution in item.solutions:
            if mix == "accepted" and solution.expected != "AC":
                continue
            pool.append((item.problem.id, solution))
    if not pool:
        raise BenchError("the bundled set has no solutions to replicate")
    # A fresh tag per call, so no copy is ever a hit in the on-disk compile cache.
    tag = uuid.uuid4().hex[:8]
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            problem_id, solution = pool[i % len(pool)]
            marker = get_language(solution.language).line_comment
            code = solution.code.rstrip("\n") + f"\n{marker} bench variant {tag}-{i}\n"
            handle.write(json.dumps({"problem_id": problem_id, "language": solution.language, "code": code,
                                     "expected": solution.expected}) + "\n")
    return len({pid for pid, _ in pool})


def _figures(run: DriverFigures, cores: int) -> PhaseFigures:
    summary = run.summary
    verdicts = summary["stats"]["verdicts"]
    verify = summary["timings"].get("verify", 0.0)
    cpu = summary.get("verify_cpu_seconds", 0.0)
    programs = summary.get("verify_program_cpu_seconds", 0.0)
    return PhaseFigures(wall=run.wall, cpu=cpu, utilisation=cpu / verify / cores if verify else 0.0,
                        program_cpu=programs, program_utilisation=programs / verify / cores if verify else 0.0,
                        judged=summary["judged_now"], accepted=verdicts.get("AC", 0) if summary["judged_now"] else 0,
                        verify_seconds=verify, peak_rss_mb=run.peak_rss_mb)


def _bench_engine(engine: str, work: Path, *, candidates: int, mix: str, jobs: int, cores: int,
                  address: str | None) -> tuple[EngineRun, int]:
    """One engine from an empty state: a first run, then a resumed one."""
    work.mkdir(parents=True, exist_ok=True)
    _clear(work, ("dataset", "dataset.state.sqlite", "dataset.state.sqlite-wal", "dataset.state.sqlite-shm"))
    candidates_file = work / "candidates.jsonl"
    problems = write_bench_candidates(candidates_file, candidates, mix)
    args = ["run", "--source", "bundled", "--candidates", str(candidates_file), "--out", str(work / "dataset"),
            "--no-progress", "--json", *_engine_args(engine, address, jobs)]
    first_run = _measured_run(args, work, f"{engine}-first")
    test_runs = _executed_tests(work / "dataset")
    second_run = _measured_run(args, work, f"{engine}-resumed")
    first, resumed = _figures(first_run, cores), _figures(second_run, cores)
    slots, nodes = _slots(engine, jobs, first_run.summary)
    verify = first.verify_seconds or first.wall
    stats = first_run.summary["stats"]
    return EngineRun(
        engine=engine, slots=slots, nodes=nodes, first=first, resumed=resumed, test_runs=test_runs,
        verified_per_second=first.accepted / verify, judged_per_second=first.judged / verify,
        runs_per_second=test_runs / verify, runs_per_second_per_slot=test_runs / verify / slots,
        resume_ratio=resumed.wall / first.wall if first.wall else 0.0,
        summary={"verdicts": stats["verdicts"], "status": stats["status"],
                 "timings_first": first_run.summary["timings"], "timings_resumed": second_run.summary["timings"],
                 "cluster": first_run.summary.get("cluster")},
    ), problems


def run_bench(
    *, candidates: int = 2000, jobs: int | None = None, mix: str = "all", keep: Path | None = None,
    engines: Sequence[str] = ("local",), address: str | None = None,
) -> BenchResult:
    """Each engine in turn, from an empty state, on the same programs and the same slots."""
    cores = os.cpu_count() or 1
    jobs = jobs or cores
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="cpforge-bench-verify-"))
    work.mkdir(parents=True, exist_ok=True)
    runs: list[EngineRun] = []
    problems = 0
    try:
        for engine in engines:
            run, problems = _bench_engine(engine, work / engine, candidates=candidates, mix=mix, jobs=jobs,
                                          cores=cores, address=address)
            runs.append(run)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    by_name = {run.engine: run for run in runs}
    local, ray = by_name.get("local"), by_name.get("ray")
    ratio = judging = None
    if local is not None and ray is not None and local.first.wall:
        ratio = ray.first.wall / local.first.wall
        if local.first.verify_seconds:
            judging = ray.first.verify_seconds / local.first.verify_seconds
    return BenchResult(candidates=candidates, distinct_problems=problems, mix=mix, cores=cores, jobs=jobs,
                       address=address, engines=runs, ray_over_local=ratio, ray_over_local_judging=judging)


# --- bench scale -------------------------------------------------------------------------------


class ScaleRun(BaseModel):
    """One engine at one size."""

    engine: str
    problems: int
    wall: float
    verify_seconds: float
    judged: int
    accepted: int
    test_runs: int
    judging_peak_rss_mb: float | None
    peak_rss_mb: float
    dataset_mb: float = Field(description="bytes of the written dataset folder (the rows, compressed)")


class ScaleResult(BaseModel):
    problems: list[int]
    tests_per_problem: int
    test_bytes: int
    language: str
    jobs: int
    address: str | None = None
    runs: list[ScaleRun]

    @property
    def test_bytes_per_problem(self) -> int:
        return self.tests_per_problem * self.test_bytes

    def growth(self, engine: str, judging: bool = True) -> float | None:
        """Bytes of driver peak RSS each further problem costs, between the two sizes: before
        the rows are built (``judging``), or over the whole run."""
        runs = sorted((run for run in self.runs if run.engine == engine), key=lambda run: run.problems)
        if len(runs) < 2:
            return None
        small, big = runs[0], runs[-1]
        first, last = ((small.judging_peak_rss_mb, big.judging_peak_rss_mb) if judging
                       else (small.peak_rss_mb, big.peak_rss_mb))
        if first is None or last is None or big.problems == small.problems:
            return None
        return (last - first) * 1024 * 1024 / (big.problems - small.problems)

    def render(self) -> str:
        lines = [f"synthetic set: {self.tests_per_problem} tests of {self.test_bytes / 1024:g} KiB per problem "
                 f"({self.test_bytes_per_problem / 1024:g} KiB of test data each), one {self.language} solution; "
                 f"jobs {self.jobs}" + (f", ray at {self.address}" if self.address else ""),
                 f"{'engine':<7}{'problems':>9}{'wall s':>9}{'judging s':>11}{'judged':>8}{'runs/s':>8}"
                 f"{'peak judging MB':>17}{'peak run MB':>13}{'dataset MB':>12}"]
        for run in self.runs:
            peak = f"{run.judging_peak_rss_mb:.0f}" if run.judging_peak_rss_mb is not None else "-"
            rate = run.test_runs / run.verify_seconds if run.verify_seconds else 0.0
            lines.append(f"{run.engine:<7}{run.problems:>9}{run.wall:>9.1f}{run.verify_seconds:>11.1f}"
                         f"{run.judged:>8}{rate:>8.0f}{peak:>17}{run.peak_rss_mb:>13.0f}{run.dataset_mb:>12.1f}")
        for engine in dict.fromkeys(run.engine for run in self.runs):
            judging, whole = self.growth(engine), self.growth(engine, judging=False)
            if judging is None or whole is None:
                continue
            lines.append(f"[{engine}] each further problem: {judging / 1024:.1f} KiB of driver peak through "
                         f"loading and judging, {whole / 1024:.1f} KiB over the whole run (its tests: "
                         f"{self.test_bytes_per_problem / 1024:g} KiB; the rows carry them)")
        return "\n".join(lines)


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def run_scale_bench(*, problems: Sequence[int], engines: Sequence[str] = ("local",), tests_per_problem: int = 3,
                    test_bytes: int = 1024, language: str = "c", jobs: int | None = None, address: str | None = None,
                    keep: Path | None = None, progress: bool = True) -> ScaleResult:
    """The synthetic set at each size, through the whole pipeline, once per engine, each
    run from an empty state in its own child process."""
    from problems.pipeline.synthetic import write_synthetic_set

    jobs = jobs or os.cpu_count() or 1
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="cpforge-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    runs: list[ScaleRun] = []
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(problems) * len(engines), unit="run", desc="bench scale", dynamic_ncols=True)
    try:
        for size in sorted(set(problems)):
            folder = work / f"set-{size}"
            shutil.rmtree(folder, ignore_errors=True)
            made = write_synthetic_set(folder, size, tests_per_problem=tests_per_problem, test_bytes=test_bytes,
                                       language=language)
            for engine in engines:
                out = folder / f"dataset-{engine}"
                args = ["run", "--problems", str(made.problems_dir), "--candidates", str(made.candidates),
                        "--out", str(out), "--no-progress", "--json", *_engine_args(engine, address, jobs)]
                if bar is not None:
                    bar.set_postfix_str(f"{engine}, {size} problems")
                measured = _measured_run(args, folder, engine)
                summary = measured.summary
                runs.append(ScaleRun(
                    engine=engine, problems=size, wall=measured.wall,
                    verify_seconds=summary["timings"].get("verify", 0.0),
                    judged=summary["judged_now"], accepted=summary["stats"]["verdicts"].get("AC", 0),
                    test_runs=_executed_tests(out), judging_peak_rss_mb=measured.judging_peak_rss_mb,
                    peak_rss_mb=measured.peak_rss_mb, dataset_mb=_folder_bytes(out) / 1024 / 1024))
                if bar is not None:
                    bar.update(1)
            if keep is None:
                shutil.rmtree(folder, ignore_errors=True)  # a big set's tests are gigabytes
    finally:
        if bar is not None:
            bar.close()
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return ScaleResult(problems=sorted(set(problems)), tests_per_problem=tests_per_problem, test_bytes=test_bytes,
                       language=language, jobs=jobs, address=address, runs=runs)


if __name__ == "__main__":
    measured_main(sys.argv[1:])

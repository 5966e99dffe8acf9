"""``build-dataset bench verify``: throughput, CPU use and resume cost of the pipeline.

The bundled solutions are replicated to the requested count, each copy made distinct by a
trailing comment (a new code hash, so nothing is served from a cache). The pipeline then
runs twice in a child process on the same state: a first run that judges everything, and a
resumed run with nothing left to do. CPU utilisation is the CPU time of the judging (the
pipeline, its sandbox boxes and every program they ran; see `cpu.py`) over the judging's
wall time and the machine's cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from sandbox.languages import get_language

__all__ = ["BenchError", "BenchResult", "PhaseFigures", "run_bench", "write_bench_candidates"]

class BenchError(RuntimeError):
    pass


class PhaseFigures(BaseModel):
    wall: float
    cpu: float = Field(description="CPU seconds of the process tree while judging (a lower bound, see cpu.py)")
    utilisation: float
    program_cpu: float = Field(0.0, description="CPU seconds of the judged programs, as the sandbox measured them")
    program_utilisation: float = 0.0
    judged: int
    accepted: int
    verify_seconds: float

    @property
    def judged_per_second(self) -> float:
        return self.judged / self.verify_seconds if self.verify_seconds else 0.0


class BenchResult(BaseModel):
    candidates: int
    distinct_problems: int
    mix: str
    cores: int
    jobs: int
    first: PhaseFigures
    resumed: PhaseFigures
    verified_per_second: float
    judged_per_second: float
    resume_ratio: float
    summary: dict[str, Any]

    def render(self) -> str:
        f, r = self.first, self.resumed
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(self.summary.get("verdicts", {}).items()))
        return "\n".join([
            f"candidates: {self.candidates} over {self.distinct_problems} problems (mix: {self.mix}); "
            f"cores: {self.cores}, jobs: {self.jobs}",
            f"verdicts: {verdicts}",
            f"first run:   {f.wall:7.1f} s wall; judging {f.verify_seconds:.1f} s",
            f"  CPU while judging: process tree {f.cpu:.1f} s = {100 * f.utilisation:.0f}% of {self.cores} cores; "
            f"judged programs alone (sandbox-measured) {f.program_cpu:.1f} s = {100 * f.program_utilisation:.0f}%",
            f"  judged {f.judged} -> {self.judged_per_second:.1f} solutions/s; accepted {f.accepted} -> "
            f"{self.verified_per_second:.1f} verified solutions/s",
            f"resumed run: {r.wall:7.2f} s wall, judged {r.judged}",
            f"resume cost: {100 * self.resume_ratio:.1f}% of the first run "
            f"(target < 5%: {'met' if self.resume_ratio < 0.05 else 'MISSED'})",
        ])


def write_bench_candidates(path: Path, count: int, mix: str = "all") -> int:
    """Write ``count`` candidate rows cycling through the bundled solutions; returns the
    number of problems they cover."""
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
    # A fresh tag per bench run, so no copy is ever a hit in the on-disk compile cache.
    tag = uuid.uuid4().hex[:8]
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            problem_id, solution = pool[i % len(pool)]
            marker = get_language(solution.language).line_comment
            code = solution.code.rstrip("\n") + f"\n{marker} bench variant {tag}-{i}\n"
            handle.write(json.dumps({"problem_id": problem_id, "language": solution.language, "code": code,
                                     "expected": solution.expected}) + "\n")
    return len({pid for pid, _ in pool})


def _timed_run(args: list[str]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise BenchError(f"pipeline run failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return wall, json.loads(proc.stdout)


def _figures(wall: float, cores: int, summary: dict[str, Any]) -> PhaseFigures:
    verdicts = summary["stats"]["verdicts"]
    verify = summary["timings"].get("verify", 0.0)
    cpu = summary.get("verify_cpu_seconds", 0.0)
    programs = summary.get("verify_program_cpu_seconds", 0.0)
    return PhaseFigures(wall=wall, cpu=cpu, utilisation=cpu / verify / cores if verify else 0.0,
                        program_cpu=programs, program_utilisation=programs / verify / cores if verify else 0.0,
                        judged=summary["judged_now"], accepted=verdicts.get("AC", 0) if summary["judged_now"] else 0,
                        verify_seconds=verify)


def run_bench(
    *, candidates: int = 2000, jobs: int | None = None, mix: str = "all", keep: Path | None = None
) -> BenchResult:
    cores = os.cpu_count() or 1
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="cpforge-bench-verify-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for stale in ("dataset", "dataset.state.sqlite", "dataset.state.sqlite-wal", "dataset.state.sqlite-shm"):
            target = work / stale
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        candidates_file = work / "candidates.jsonl"
        problems = write_bench_candidates(candidates_file, candidates, mix)
        args = [sys.executable, "-m", "problems.cli", "run", "--source", "bundled",
                "--candidates", str(candidates_file), "--out", str(work / "dataset"), "--no-progress", "--json"]
        if jobs:
            args += ["--jobs", str(jobs)]
        wall1, first = _timed_run(args)
        wall2, second = _timed_run(args)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    first_figures = _figures(wall1, cores, first)
    second_figures = _figures(wall2, cores, second)
    verify = first_figures.verify_seconds or wall1
    return BenchResult(
        candidates=candidates, distinct_problems=problems, mix=mix, cores=cores, jobs=jobs or cores,
        first=first_figures, resumed=second_figures,
        verified_per_second=first_figures.accepted / verify if verify else 0.0,
        judged_per_second=first_figures.judged / verify if verify else 0.0,
        resume_ratio=wall2 / wall1 if wall1 else 0.0,
        summary={"verdicts": first["stats"]["verdicts"], "status": first["stats"]["status"],
                 "timings_first": first["timings"], "timings_resumed": second["timings"]},
    )

"""`verifier bench sandbox --backend local,docker`: the per-run cost of each backend, side by
side in one run, against the same program started bare on this host.

Each round runs the bare program and then the same program on every backend, in turn, so a
drifting machine hits them all alike; a backend's overhead is the median, round by round, of
its run's wall time minus the bare run's. The Docker backend's target is at most 3x the local
backend's overhead: a run there adds the hop to the runner in the container and back."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sandbox.backends import get_backend
from sandbox.backends.base import PROGRAM_ENV, Backend
from sandbox.limits import Limits
from sandbox.tools.bench import TRIVIAL_C, TRIVIAL_PY

DOCKER_OVERHEAD_TARGET = 3.0
PROGRAMS = (("C empty", TRIVIAL_C, "c17", b""), ("Python trivial", TRIVIAL_PY, "python3", b"ok\n"))


def _rounds(actions: list[Callable[[], object]], runs: int) -> list[list[float]]:
    for action in actions:
        action()  # warm-up: a first run may start a box, a zygote or a container's cache
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for index, action in enumerate(actions):
            started = time.perf_counter()
            action()
            samples[index].append(time.perf_counter() - started)
    return samples


def bench_backends(names: list[str], runs: int = 300) -> dict[str, dict[str, float]]:
    backends: dict[str, Backend] = {}
    work = tempfile.mkdtemp(prefix="cpforge-bench-backends-")
    rows: dict[str, dict[str, float]] = {}
    try:
        for name in names:
            backends[name] = get_backend(name, concurrency=1)
        limits = Limits(cpu_time=2, memory_mb=256)
        print(f"per-run wall time, {runs} rounds of bare + {' + '.join(names)} (medians, ms)")
        print(f"{'program':16} {'bare':>7} " + " ".join(f"{name + ' ms':>11} {name + ' over':>11}" for name in names))
        for label, source, language, expected in PROGRAMS:
            programs = {}
            for name, backend in backends.items():
                compiled = backend.compile(source, language)
                assert compiled.ok and compiled.executable is not None, f"{name}: {compiled.reason}"
                programs[name] = compiled.executable
            local_program = next(iter(programs.values()))
            for file_name, data in local_program.files.items():
                path = Path(work) / file_name
                path.write_bytes(data)
                path.chmod(0o755)
            entry = str(Path(work) / local_program.entry)
            bare_argv = [entry] if language == "c17" else ["/usr/bin/python3", "-S", entry]

            def bare(bare_argv: list[str] = bare_argv) -> None:
                subprocess.run(bare_argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=dict(PROGRAM_ENV),
                               check=True)

            def on(name: str, programs: dict = programs, expected: bytes = expected) -> Callable[[], None]:
                def one() -> None:
                    result = backends[name].run(programs[name], limits=limits)
                    assert result.ok and result.stdout == expected, (name, result.status, result.message)
                return one

            samples = _rounds([bare, *(on(name) for name in names)], runs)
            row: dict[str, float] = {"bare_ms": statistics.median(samples[0]) * 1000}
            for index, name in enumerate(names, start=1):
                row[f"{name}_ms"] = statistics.median(samples[index]) * 1000
                row[f"{name}_overhead_ms"] = statistics.median(
                    run - base for base, run in zip(samples[0], samples[index])) * 1000
            rows[label] = row
            print(f"{label:16} {row['bare_ms']:7.2f} " + " ".join(
                f"{row[name + '_ms']:11.2f} {row[name + '_overhead_ms']:11.2f}" for name in names))
        if "local" in names and "docker" in names:
            print()
            for label, row in rows.items():
                added = row["docker_overhead_ms"] - row["local_overhead_ms"]
                if row["local_overhead_ms"] <= 0:
                    # A zygote start beats a bare start: there is no local overhead to compare with.
                    print(f"{label}: docker adds {added:.2f} ms a run to local's (local is faster than bare)")
                    continue
                ratio = row["docker_overhead_ms"] / row["local_overhead_ms"]
                row["docker_to_local_overhead"] = ratio
                met = "met" if ratio <= DOCKER_OVERHEAD_TARGET else "MISSED"
                print(f"{label}: docker's overhead is {ratio:.2f}x local's, {added:.2f} ms more a run "
                      f"(target <= {DOCKER_OVERHEAD_TARGET:g}x: {met})")
    finally:
        for backend in backends.values():
            backend.close()
        shutil.rmtree(work, ignore_errors=True)
    return rows


__all__ = ["bench_backends"]

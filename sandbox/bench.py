"""`verifier bench sandbox`: what the sandbox costs per run, measured side by side."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from .backends.base import PROGRAM_ENV
from .backends.local import LocalBackend, default_sandbox_uid
from .backends.local_box import SYSTEM_DIRS
from .limits import Limits

TRIVIAL_CPP = '#include <cstdio>\nint main(){std::puts("ok");return 0;}\n'
TRIVIAL_PY = 'print("ok")\n'


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _time_loop(action, runs: int) -> list[float]:
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def _time_pairs(first, second, runs: int) -> tuple[list[float], list[float]]:
    """Alternates the two (A B A B ...) so that the machine's drift hits both equally;
    ratios are then taken pair by pair."""
    first()
    second()
    a_samples, b_samples = [], []
    for _ in range(runs):
        started = time.perf_counter()
        first()
        middle = time.perf_counter()
        second()
        a_samples.append(middle - started)
        b_samples.append(time.perf_counter() - middle)
    return a_samples, b_samples


def _cold_bwrap_argv(binary_dir: str) -> list[str]:
    argv = ["bwrap", "--unshare-all", "--die-with-parent"]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += ["--ro-bind", path, path]
    return argv + ["--proc", "/proc", "--dev", "/dev", "--ro-bind", binary_dir, "/box", "--chdir", "/box"]


def bench_sandbox(runs: int = 300) -> dict[str, dict[str, float]]:
    backend = LocalBackend(concurrency=1)
    rows: dict[str, dict[str, float]] = {}
    work = tempfile.mkdtemp(prefix="cpforge-bench-")
    os.chmod(work, 0o755)
    try:
        limits = Limits(cpu_time=2, memory_mb=256)
        cpp = backend.compile(TRIVIAL_CPP, "cpp17")
        py = backend.compile(TRIVIAL_PY, "python3")
        assert cpp.ok and py.ok, (cpp.reason, py.reason)
        for name, data in {**cpp.executable.files, **py.executable.files}.items():
            path = Path(work) / name
            path.write_bytes(data)
            path.chmod(0o755)
        env = dict(PROGRAM_ENV)
        as_user = {}
        uid = default_sandbox_uid()
        if uid is not None:
            as_user = dict(user=uid, group=uid, extra_groups=[])
        cases = {
            "C++ trivial": ([str(Path(work) / "sol")], cpp.executable),
            "Python trivial": (["/usr/bin/python3", "-S", str(Path(work) / "sol.py")], py.executable),
        }
        print(f"{'program':16} {'bare ms':>9} {'sandbox ms':>11} {'overhead ms':>12} {'ratio':>7}   "
              f"{'in-box wall ms':>14} {'cold bwrap ms':>14}")
        for label, (bare_argv, executable) in cases.items():
            inside: list[float] = []

            def bare_run():
                subprocess.run(bare_argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env, check=True)

            def sandboxed():
                result = backend.run(executable, limits=limits)
                assert result.ok and result.stdout == b"ok\n", result
                inside.append(result.wall_time)

            bare, boxed = _time_pairs(bare_run, sandboxed, runs)
            cold_argv = _cold_bwrap_argv(work) + [
                "./sol"] if executable.language == "cpp17" else _cold_bwrap_argv(work) + ["/usr/bin/python3", "-S", "sol.py"]
            cold = _time_loop(lambda: subprocess.run(cold_argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                     check=True, **as_user), max(20, runs // 5))
            row = {"bare_ms": _median_ms(bare), "sandbox_ms": _median_ms(boxed), "inbox_wall_ms": _median_ms(inside),
                   "cold_bwrap_ms": _median_ms(cold)}
            row["overhead_ms"] = row["sandbox_ms"] - row["bare_ms"]
            row["ratio"] = statistics.median(b / a for a, b in zip(bare, boxed))
            rows[label] = row
            print(f"{label:16} {row['bare_ms']:9.2f} {row['sandbox_ms']:11.2f} {row['overhead_ms']:12.2f} "
                  f"{row['ratio']:6.2f}x   {row['inbox_wall_ms']:14.2f} {row['cold_bwrap_ms']:14.2f}")
        print("\nbare: plain subprocess.run; sandbox: a warm bubblewrap box (namespaces, rlimits, "
              f"cgroups: {', '.join(n for n, c in (backend.cgroups.controllers.items() if backend.cgroups else []) if c.works) or 'none'}); "
              "in-box wall: the program's own wall time as the box measured it;\n"
              "cold bwrap: a new `bwrap --unshare-all` per run, as a sandbox without warm boxes would pay.\n"
              "Bare and sandboxed runs alternate; times are medians, the ratio is the median of pairwise ratios.")
        print(f"targets: C++ overhead <= 2 ms (got {rows['C++ trivial']['overhead_ms']:.2f} ms); "
              f"Python ratio <= 1.2x (got {rows['Python trivial']['ratio']:.2f}x)")
    finally:
        backend.close()
        shutil.rmtree(work, ignore_errors=True)
    return rows

"""`verifier bench sandbox`: what the sandbox costs per run, measured side by side."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from sandbox.backends.base import PROGRAM_ENV
from sandbox.backends.local import LocalBackend, default_sandbox_uid
from sandbox.backends.local.box import SYSTEM_DIRS
from sandbox.limits import Limits
from sandbox.result import Executable

TRIVIAL_CPP = '#include <cstdio>\nint main(){std::puts("ok");return 0;}\n'
TRIVIAL_PY = 'print("ok")\n'
TRIVIAL_C = "int main(void){return 0;}\n"
# A tree that lives long enough to be sampled: three children and the parent asleep.
SLEEPING_TREE = ("import os, time\nfor _ in range(3):\n    if os.fork() == 0:\n        time.sleep(0.5)\n"
                 "        os._exit(0)\ntime.sleep(0.5)\nwhile True:\n    try:\n        os.wait()\n"
                 "    except ChildProcessError:\n        break\n")
SLEEPING_ONE = "import time\ntime.sleep(0.5)\n"
PHASE_NOTES = {
    "image_check": "is the executable's static image within the memory limit (ELF headers)",
    "stdio": "stdin and stdout as memory files the program cannot swap; the stderr pipe",
    "peak_reset": "reset of the supervisor's own peak RSS",
    "spawn": "launcher: posix_spawn, clone of a fresh process, reap, go signal",
    "program": "the program itself, watched (wall limit, tree CPU and memory)",
    "kill_and_reap": "kill whatever is left, reap it all, tree CPU from rusage",
    "output": "read stdout, stderr and collected files back",
}


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
        cpp = backend.compile(TRIVIAL_CPP, "cpp17").executable
        py = backend.compile(TRIVIAL_PY, "python3").executable
        assert cpp is not None and py is not None, "the trivial programs must compile"
        for name, data in {**cpp.files, **py.files}.items():
            path = Path(work) / name
            path.write_bytes(data)
            path.chmod(0o755)
        env = dict(PROGRAM_ENV)
        uid = default_sandbox_uid()
        cases = {
            "C++ trivial": ([str(Path(work) / "sol")], cpp, ["./sol"]),
            "Python trivial": (["/usr/bin/python3", "-S", str(Path(work) / "sol.py")], py,
                               ["/usr/bin/python3", "-S", "sol.py"]),
        }
        print(f"{'program':16} {'bare ms':>9} {'sandbox ms':>11} {'overhead ms':>12} {'ratio':>7}   "
              f"{'in-box wall ms':>14} {'cold bwrap ms':>14}")
        for label, (bare_argv, executable, in_box_argv) in cases.items():
            inside: list[float] = []

            def bare_run(argv: list[str] = bare_argv) -> None:
                subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env, check=True)

            def sandboxed(program: Executable = executable, walls: list[float] = inside) -> None:
                result = backend.run(program, limits=limits)
                assert result.ok and result.stdout == b"ok\n", result
                walls.append(result.wall_time)

            bare, boxed = _time_pairs(bare_run, sandboxed, runs)
            cold_argv = _cold_bwrap_argv(work) + in_box_argv

            def cold_run(argv: list[str] = cold_argv) -> None:
                subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, check=True, user=uid,
                               group=uid, extra_groups=[] if uid is not None else None)

            cold = _time_loop(cold_run, max(20, runs // 5))
            row = {"bare_ms": _median_ms(bare), "sandbox_ms": _median_ms(boxed), "inbox_wall_ms": _median_ms(inside),
                   "cold_bwrap_ms": _median_ms(cold)}
            row["overhead_ms"] = row["sandbox_ms"] - row["bare_ms"]
            row["ratio"] = statistics.median(b / a for a, b in zip(bare, boxed))
            rows[label] = row
            print(f"{label:16} {row['bare_ms']:9.2f} {row['sandbox_ms']:11.2f} {row['overhead_ms']:12.2f} "
                  f"{row['ratio']:6.2f}x   {row['inbox_wall_ms']:14.2f} {row['cold_bwrap_ms']:14.2f}")
        controllers = backend.cgroups.controllers.items() if backend.cgroups else []
        working = ", ".join(name for name, controller in controllers if controller.works) or "none"
        print("\nbare: plain subprocess.run; sandbox: a warm bubblewrap box (namespaces, rlimits, "
              f"cgroups: {working}); in-box wall: the program's own wall time as the box measured it;\n"
              "cold bwrap: a new `bwrap --unshare-all` per run, as a sandbox without warm boxes would pay.\n"
              "Bare and sandboxed runs alternate; times are medians, the ratio is the median of pairwise ratios.")
        print(f"targets: C++ overhead <= 2 ms (got {rows['C++ trivial']['overhead_ms']:.2f} ms); "
              f"Python ratio <= 1.2x (got {rows['Python trivial']['ratio']:.2f}x)")
        rows.update(_bench_accounting(backend, cpp, py, runs))
    finally:
        backend.close()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _bench_accounting(backend: LocalBackend, cpp: Executable, py: Executable, runs: int) -> dict[str, dict[str, float]]:
    """What containment and tree accounting cost per run: the in-box phases of a trivial
    run, the watchdog's samples of a process tree, and the native launcher (a fresh
    process whose memory is its own) against the supervisor forking itself."""
    limits = Limits(cpu_time=2, memory_mb=256)
    request = backend.run_request(cpp, limits=limits)
    phases: dict[str, list[float]] = {}
    for _ in range(runs):
        outcome = backend.execute(request)
        for name, seconds in outcome.phases.items():
            phases.setdefault(name, []).append(seconds)
    print("\nwhere a trivial C++ run's time goes inside the box (median per run):")
    rows: dict[str, dict[str, float]] = {"phases_us": {}}
    for name, laps in phases.items():
        micro = statistics.median(laps) * 1e6
        rows["phases_us"][name] = micro
        print(f"  {name:14} {micro:8.1f} us   {PHASE_NOTES.get(name, '')}")

    print("\ntree sampling (every 50 ms while a program runs; nothing for runs shorter than that):")
    sampling: dict[str, float] = {}
    for label, source in (("1 process", SLEEPING_ONE), ("4 processes", SLEEPING_TREE)):
        compiled = backend.compile(source, "python3")
        assert compiled.ok and compiled.executable is not None, compiled.reason
        outcomes = [backend.execute(backend.run_request(compiled.executable, limits=limits)) for _ in range(3)]
        taken = sum(o.tree_samples for o in outcomes)
        cost = sum(o.tree_sample_seconds for o in outcomes)
        wall = sum(o.wall_time for o in outcomes)
        per_sample = cost / taken * 1e6 if taken else 0.0
        sampling[f"{label} us_per_sample"] = per_sample
        sampling[f"{label} share_of_wall"] = cost / wall if wall else 0.0
        print(f"  {label:12} {per_sample:7.1f} us per sample, {taken / len(outcomes):.0f} samples per run: "
              f"{100 * cost / wall:.3f}% of the run's wall time on one core")
    rows["tree_sampling"] = sampling

    print("\nthe native launcher (a fresh process per run) against the supervisor forking itself:")
    trivial_c = backend.compile(TRIVIAL_C, "c17")
    assert trivial_c.ok and trivial_c.executable is not None, trivial_c.reason
    forking = LocalBackend(concurrency=1, native_launcher=False)
    try:
        measured: dict[str, float] = {}
        for label, box in (("launcher", backend), ("fork", forking)):
            box.run(trivial_c.executable, limits=limits)
            times = _time_loop(lambda box=box: box.run(trivial_c.executable, limits=limits), max(20, runs // 3))
            result = box.run(trivial_c.executable, limits=limits)
            measured[f"{label}_ms"] = _median_ms(times)
            measured[f"{label}_memory_mib"] = result.memory_bytes / 2**20
        measured["ratio"] = measured["fork_ms"] / measured["launcher_ms"]
        print(f"  per run: launcher {measured['launcher_ms']:.2f} ms, fork {measured['fork_ms']:.2f} ms "
              f"(fork / launcher = {measured['ratio']:.2f}x)")
        print("  measured peak memory of `int main(){return 0;}`: "
              f"launcher {measured['launcher_memory_mib']:.1f} MiB, "
              f"fork {measured['fork_memory_mib']:.1f} MiB (the supervisor's pages counted as the program's)")
        rows["launcher"] = measured
    finally:
        forking.close()
    return rows

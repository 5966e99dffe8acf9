"""`verifier bench sandbox`: what the sandbox costs per run, measured side by side.

Everything is timed against its bare counterpart in the same run, alternating (A B A B ...)
so that the machine's drift, which on a shared 2-core VM is larger than the figures, hits
both sides alike. Four parts:

1. per-run cost of trivial programs, bare `subprocess.run` against a warm box, and the same
   back to back (the box then has no idle time between runs to prepare the next one);
2. where a trivial native run's time goes, phase by phase, on the host and in the box;
3. the watchdog's tree samples and the native launcher against a forking supervisor;
4. an A+B C++ compile with the precompiled header in a box against the same command on the
   host, with the same header.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sandbox.backends.base import PROGRAM_ENV
from sandbox.backends.local import LocalBackend, default_sandbox_uid
from sandbox.backends.local.box import SYSTEM_DIRS
from sandbox.languages import get_language
from sandbox.limits import CompileLimits, Limits
from sandbox.result import Executable

TRIVIAL_C = "int main(void){return 0;}\n"
TRIVIAL_CPP = '#include <cstdio>\nint main(){std::puts("ok");return 0;}\n'
TRIVIAL_PY = 'print("ok")\n'
APLUSB_CPP = ('#include <bits/stdc++.h>\nusing namespace std;\n'
              'int main() { long long a, b; cin >> a >> b; cout << a + b << "\\n"; }\n')
# A tree that lives long enough to be sampled: three children and the parent asleep.
SLEEPING_TREE = ("import os, time\nfor _ in range(3):\n    if os.fork() == 0:\n        time.sleep(0.5)\n"
                 "        os._exit(0)\ntime.sleep(0.5)\nwhile True:\n    try:\n        os.wait()\n"
                 "    except ChildProcessError:\n        break\n")
SLEEPING_ONE = "import time\ntime.sleep(0.5)\n"
OVERHEAD_TARGET_MS = 1.0  # sandboxed minus bare, per trivial native run
COMPILE_TARGET_RATIO = 1.15  # in-box compile wall over the host's, same command and header
PHASE_NOTES = {
    "host.request": "Backend.run: the language's limits mapped onto an ExecRequest",
    "host.encode": "the request as the box protocol's header and blobs",
    "host.cgroup_limits": "pids.max / memory limit writes (only when they change)",
    "host.send": "one sendmsg of header, files and descriptors",
    "host.decode": "the reply as an ExecOutcome",
    "host.cgroup_counters": "OOM kills and refused forks: pread of open cgroup files",
    "host.result": "classify and the RunResult model",
    "host.backend": "slot, idle-box queue and retry bookkeeping around the box",
    "box.receive": "read and parse the request",
    "box.files": "write the program's files into the box",
    "box.image_check": "is the executable's static image within the memory limit (ELF headers)",
    "box.stdio": "stdin and stdout as memory files the program cannot swap; the stderr pipe",
    "box.prepared_child": "the waiting child the launcher left after the last run (report, reap, pidfd)",
    "box.launch": "the run handed to the waiting child (one message with its stdio)",
    "box.program": "exec and the program itself, watched (wall limit, tree CPU and memory)",
    "box.kill_and_reap": "kill whatever is left, reap it all, tree CPU from rusage",
    "box.prepare_launcher": "spawn the launcher for the next run (it execs and clones meanwhile)",
    "box.output": "read stdout, stderr and collected files back",
    "box.next_child": "wait for the next run's child to be ready (the box is then idle as the host sees it)",
    "after.reply": "send of the previous reply",
    "after.wipe": "empty /box and /tmp, check for IPC objects and surviving processes",
}


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _time_loop(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def _time_pairs(first: Callable[[], object], second: Callable[[], object],
                runs: int) -> tuple[list[float], list[float]]:
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


def _time_blocks(first: Callable[[], object], second: Callable[[], object], runs: int,
                 block: int = 10) -> tuple[list[float], list[float]]:
    """Back to back: `block` runs of one, then `block` of the other, each run straight
    after the one before (no idle time in between), blocks alternating against drift."""
    a_samples: list[float] = []
    b_samples: list[float] = []
    while len(a_samples) < runs:
        a_samples += _time_loop(first, block)
        b_samples += _time_loop(second, block)
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
        programs = {label: backend.compile(source, language).executable
                    for label, source, language in (("c", TRIVIAL_C, "c17"), ("cpp", TRIVIAL_CPP, "cpp17"),
                                                    ("py", TRIVIAL_PY, "python3"))}
        assert all(programs.values()), "the trivial programs must compile"
        for executable in programs.values():
            assert executable is not None
            for name, data in executable.files.items():
                path = Path(work) / name
                path.write_bytes(data)
                path.chmod(0o755)
        c, cpp, py = programs["c"], programs["cpp"], programs["py"]
        assert c is not None and cpp is not None and py is not None
        rows.update(_bench_trivial(backend, work, limits, c, cpp, py, runs))
        rows.update(_bench_phases(backend, work, limits, c, runs))
        rows.update(_bench_accounting(backend, c, runs))
        rows.update(_bench_compile(backend, max(3, runs // 60)))
        rows.update(_bench_zygote(backend, max(10, runs // 10)))
        _print_targets(rows)
    finally:
        backend.close()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _bench_trivial(backend: LocalBackend, work: str, limits: Limits, c: Executable, cpp: Executable,
                   py: Executable, runs: int) -> dict[str, dict[str, float]]:
    """Part 1: bare against sandboxed, alternating; then the empty C program back to back."""
    env = dict(PROGRAM_ENV)
    uid = default_sandbox_uid()
    cases = {
        "C empty": ([str(Path(work) / "sol")], c, ["./sol"], b""),
        "C++ trivial": ([str(Path(work) / "sol")], cpp, ["./sol"], b"ok\n"),
        "Python trivial": (["/usr/bin/python3", "-S", str(Path(work) / "sol.py")], py,
                           ["/usr/bin/python3", "-S", "sol.py"], b"ok\n"),
    }
    rows: dict[str, dict[str, float]] = {}
    print(f"{'program':16} {'bare ms':>9} {'sandbox ms':>11} {'overhead ms':>12} {'ratio':>7}   "
          f"{'in-box wall ms':>14} {'cold bwrap ms':>14} {'pairwise ms':>12}")
    for label, (bare_argv, executable, in_box_argv, expected) in cases.items():
        if label == "C++ trivial":
            # The C++ binary overwrites the C one in the work directory: both are `sol`.
            (Path(work) / "sol").write_bytes(executable.files["sol"])
        inside: list[float] = []

        def bare_run(argv: list[str] = bare_argv) -> None:
            subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env, check=True)

        def sandboxed(program: Executable = executable, walls: list[float] = inside, out: bytes = expected) -> None:
            result = backend.run(program, limits=limits)
            assert result.ok and result.stdout == out, result
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
        row["pairwise_overhead_ms"] = statistics.median(b - a for a, b in zip(bare, boxed)) * 1000
        rows[label] = row
        print(f"{label:16} {row['bare_ms']:9.2f} {row['sandbox_ms']:11.2f} {row['overhead_ms']:12.2f} "
              f"{row['ratio']:6.2f}x   {row['inbox_wall_ms']:14.2f} {row['cold_bwrap_ms']:14.2f} "
              f"{row['pairwise_overhead_ms']:12.2f}")

    (Path(work) / "sol").write_bytes(c.files["sol"])
    bare, boxed = _time_blocks(lambda: subprocess.run([str(Path(work) / "sol")], stdin=subprocess.DEVNULL,
                                                      stdout=subprocess.PIPE, env=env, check=True),
                               lambda: backend.run(c, limits=limits), runs)
    row = {"bare_ms": _median_ms(bare), "sandbox_ms": _median_ms(boxed)}
    row["overhead_ms"] = row["sandbox_ms"] - row["bare_ms"]
    row["ratio"] = row["sandbox_ms"] / row["bare_ms"]
    rows["C empty, back to back"] = row
    print(f"{'C back to back':16} {row['bare_ms']:9.2f} {row['sandbox_ms']:11.2f} {row['overhead_ms']:12.2f} "
          f"{row['ratio']:6.2f}x")
    controllers = backend.cgroups.controllers.items() if backend.cgroups else []
    working = ", ".join(name for name, controller in controllers if controller.works) or "none"
    print("\nbare: plain subprocess.run; sandbox: Backend.run on a warm bubblewrap box (namespaces, rlimits, "
          f"cgroups: {working});\nin-box wall: the program's own wall time as the box measured it; cold bwrap: "
          "a new `bwrap --unshare-all` per run, as a sandbox without warm boxes would pay.\n"
          "Bare and sandboxed runs alternate; times are medians, the ratio is the median of pairwise ratios,\n"
          "pairwise: the median of (sandboxed - bare) pair by pair, which a burst of load on one side moves less.\n"
          "Back to back: each run starts as soon as the last one returned, in blocks of 10 alternating with "
          "bare blocks,\nso the box has no idle time to prepare the next run's process before it is asked for it.")
    return rows


def _bench_phases(backend: LocalBackend, work: str, limits: Limits, program: Executable,
                  runs: int) -> dict[str, dict[str, float]]:
    """Part 2: Backend.run taken apart (the same steps, timed), alternating with bare runs
    as in part 1, so that the phases add up to the overhead measured there."""
    lang = get_language(program.language)
    bare_argv = [str(Path(work) / "sol")]
    laps: dict[str, list[float]] = {}
    totals: list[float] = []

    def timed_run() -> None:
        started = time.perf_counter()
        request = backend.run_request(program, limits=limits)
        built = time.perf_counter()
        outcome = backend.execute(request)
        executed = time.perf_counter()
        result = backend.result_from(outcome, limits, lang.id, lang.memory_error_markers, program.toolchain,
                                     (), lang.process_limit_markers)
        finished = time.perf_counter()
        assert result.ok, result
        totals.append(finished - started)
        phases = dict(outcome.phases)
        inside_box = sum(seconds for name, seconds in phases.items() if name.startswith("host."))
        phases["host.request"] = built - started
        phases["host.result"] = finished - executed
        phases["host.backend"] = max(0.0, executed - built - inside_box)
        for name, seconds in phases.items():
            key = name if name.startswith("host.") else ("after." + name.removeprefix("after_reply.")
                                                        if name.startswith("after_reply.") else "box." + name)
            laps.setdefault(key, []).append(seconds)

    bare, _ = _time_pairs(lambda: subprocess.run(bare_argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                 env=dict(PROGRAM_ENV), check=True), timed_run, runs)
    medians = {name: statistics.median(values) * 1e6 for name, values in laps.items()}
    print("\nwhere an empty C program's run goes (median us per run, alternating with bare runs as above):")
    order = [name for name in PHASE_NOTES if name in medians] + sorted(set(medians) - set(PHASE_NOTES))
    for name in order:
        if name == "host.wait_for_reply":
            continue
        print(f"  {name:24} {medians[name]:8.1f} us   {PHASE_NOTES.get(name, '')}")
    critical = [name for name in order if not name.startswith("after.") and name != "host.wait_for_reply"]
    accounted = sum(medians[name] for name in critical if name != "box.program")
    wait = medians.get("host.wait_for_reply", 0.0)
    inside = sum(medians[name] for name in critical if name.startswith("box."))
    print(f"  {'(transport)':24} {max(0.0, wait - inside):8.1f} us   host's wait for the reply minus the box's "
          "phases: wake-ups, reply encoding")
    print(f"  sum of the medians outside the program: {accounted:.0f} us (+ transport); the bare run it alternates "
          f"with: {_median_ms(bare) * 1000:.0f} us;\n  after.* run once the reply is out, off the run's latency "
          "while the host has work of its own between runs.")
    return {"phases_us": medians, "phases_total": {"run_ms": _median_ms(totals), "bare_ms": _median_ms(bare)}}


def _bench_accounting(backend: LocalBackend, trivial_c: Executable, runs: int) -> dict[str, dict[str, float]]:
    """Part 3: the watchdog's samples of a process tree, and the native launcher (a fresh
    process whose memory is its own) against the supervisor forking itself."""
    limits = Limits(cpu_time=2, memory_mb=256)
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
    rows: dict[str, dict[str, float]] = {"tree_sampling": sampling}

    print("\nthe native launcher (a prepared process per run) against the supervisor forking itself:")
    forking = LocalBackend(concurrency=1, native_launcher=False)
    try:
        measured: dict[str, float] = {}
        for label, box in (("launcher", backend), ("fork", forking)):
            box.run(trivial_c, limits=limits)
            def one_run(box: LocalBackend = box) -> None:
                box.run(trivial_c, limits=limits)

            times = _time_loop(one_run, max(20, runs // 3))
            result = box.run(trivial_c, limits=limits)
            measured[f"{label}_ms"] = _median_ms(times)
            measured[f"{label}_memory_mib"] = result.memory_bytes / 2**20
        measured["ratio"] = measured["fork_ms"] / measured["launcher_ms"]
        print(f"  per run (back to back): launcher {measured['launcher_ms']:.2f} ms, fork {measured['fork_ms']:.2f} ms "
              f"(fork / launcher = {measured['ratio']:.2f}x)")
        print("  measured peak memory of `int main(){return 0;}`: "
              f"launcher {measured['launcher_memory_mib']:.1f} MiB, "
              f"fork {measured['fork_memory_mib']:.1f} MiB (the supervisor's pages counted as the program's)")
        rows["launcher"] = measured
    finally:
        forking.close()
    return rows


APLUSB_PY = "a, b = map(int, input().split())\nprint(a + b)\n"


def _bench_zygote(backend: LocalBackend, runs: int) -> dict[str, dict[str, float]]:
    """Part 5: Python and PyPy runs forked from the box's pre-started interpreter against
    cold starts (a second backend with `zygote=False`), alternating: the host's time per
    run, the program's measured CPU time and peak memory."""
    print("\npre-started interpreters (zygotes) against cold starts, A+B, alternating:")
    print(f"  {'language':9} {'warm ms':>8} {'cold ms':>8} {'cold/warm':>9}   {'cpu warm ms':>11} {'cpu cold ms':>11} "
          f"{'cold/warm':>9}   {'MiB warm':>8} {'MiB cold':>8}")
    rows: dict[str, dict[str, float]] = {}
    cold_backend = LocalBackend(concurrency=1, zygote=False)
    try:
        limits = Limits(cpu_time=2, memory_mb=256)
        for language in ("python3", "pypy3"):
            if backend.available(language):
                row = _zygote_row(backend, cold_backend, language, limits, runs)
                rows[f"zygote {language}"] = row
                print(f"  {language:9} {row['warm_ms']:8.2f} {row['cold_ms']:8.2f} {row['ratio']:8.2f}x   "
                      f"{row['cpu_warm_ms']:11.2f} {row['cpu_cold_ms']:11.2f} {row['cpu_ratio']:8.2f}x   "
                      f"{row['memory_warm_mib']:8.1f} {row['memory_cold_mib']:8.1f}")
    finally:
        cold_backend.close()
    print("  warm: forked from the box's zygote (CPU time leaves out the interpreter's start-up);\n"
          "  cold: CPFORGE_ZYGOTE=off, a new interpreter per run. ms: the host's time per Backend.run.")
    return rows


def _zygote_row(warm_backend: LocalBackend, cold_backend: LocalBackend, language: str, limits: Limits,
                runs: int) -> dict[str, float]:
    programs = []
    for box in (warm_backend, cold_backend):
        compiled = box.compile(APLUSB_PY, language)
        assert compiled.ok and compiled.executable is not None, compiled.reason
        programs.append(compiled.executable)
    cpu: dict[str, list[float]] = {"warm": [], "cold": []}
    memory: dict[str, list[int]] = {"warm": [], "cold": []}

    def one(box: LocalBackend, program: Executable, which: str) -> None:
        result = box.run(program, stdin=b"1 2\n", limits=limits)
        assert result.ok and result.stdout == b"3\n", result
        cpu[which].append(result.cpu_time)
        memory[which].append(result.memory_bytes)

    one(warm_backend, programs[0], "warm")  # the first run of a kind may start its zygote
    warm, cold = _time_pairs(lambda: one(warm_backend, programs[0], "warm"),
                             lambda: one(cold_backend, programs[1], "cold"), runs)
    row = {"warm_ms": _median_ms(warm), "cold_ms": _median_ms(cold),
           "cpu_warm_ms": statistics.median(cpu["warm"][1:]) * 1000,
           "cpu_cold_ms": statistics.median(cpu["cold"]) * 1000,
           "memory_warm_mib": statistics.median(memory["warm"][1:]) / 2**20,
           "memory_cold_mib": statistics.median(memory["cold"]) / 2**20}
    row["ratio"] = row["cold_ms"] / row["warm_ms"]
    row["cpu_ratio"] = row["cpu_cold_ms"] / row["cpu_warm_ms"] if row["cpu_warm_ms"] else 0.0
    return row


def _bench_compile(backend: LocalBackend, repeats: int) -> dict[str, dict[str, float]]:
    """Part 4: the judge's A+B compile with the precompiled header, in a box and on the host,
    alternating: the very argv a compile gets (the aid's -I first), the same header file
    (the box sees it through its read-only mount), the same environment."""
    lang = get_language("cpp17")
    aid = backend.compile_aid(lang)
    built = backend.pch.lookup(lang) if backend.pch is not None else None
    if aid is None or aid.precompiled_header is None or built is None:
        print("\ncompile: no precompiled header on this backend (CPFORGE_PCH=off or no g++); skipped")
        return {}
    boxed_argv = lang.compile_command(lang.source_name, aid.flags)
    # The host sees the header directory at its own path; the other flags (the linker) are the same.
    host_flags = tuple(f"-I{built.directory}" if flag.startswith("-I") else flag for flag in aid.flags)
    host_argv = lang.compile_command(lang.source_name, host_flags)
    assert boxed_argv is not None and host_argv is not None
    work = Path(tempfile.mkdtemp(prefix="cpforge-bench-compile-"))
    source = APLUSB_CPP.encode()
    (work / lang.source_name).write_bytes(source)
    boxed: list[float] = []
    cpu: list[float] = []
    samples: list[float] = []

    def on_host() -> None:
        subprocess.run(host_argv, cwd=work, env={**PROGRAM_ENV, **lang.compile_env}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def in_box() -> None:
        outcome = backend.run_compiler(lang, boxed_argv, {lang.source_name: source}, CompileLimits())
        assert outcome.exit_code == 0 and not outcome.sandbox_error, outcome.stderr[-500:]
        boxed.append(outcome.wall_time)
        cpu.append(outcome.cpu_time)
        samples.append(outcome.tree_sample_seconds)

    try:
        host, round_trip = _time_pairs(on_host, in_box, repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    probe = backend.run_compiler(lang, boxed_argv + ["-H", "-Winvalid-pch"], {lang.source_name: source},
                                 CompileLimits())
    loaded = any(line.startswith("! ") and line.endswith(".gch")
                 for line in probe.stderr.decode(errors="replace").splitlines())
    row = {"host_s": statistics.median(host), "box_s": statistics.median(boxed[1:]),
           "box_round_trip_s": statistics.median(round_trip), "box_cpu_s": statistics.median(cpu[1:]),
           "sampling_ms": statistics.median(samples[1:]) * 1000, "pch_loaded_in_box": float(loaded)}
    row["ratio"] = statistics.median(b / a for a, b in zip(host, boxed[1:]))
    print(f"\nA+B C++ compile with the precompiled header ({repeats} alternating pairs, medians):")
    print(f"  host {row['host_s']:.3f} s   box {row['box_s']:.3f} s (program wall; {row['box_round_trip_s']:.3f} s "
          f"round trip)   box / host = {row['ratio']:.2f}x")
    print(f"  GCC loads the header in the box: {'yes' if loaded else 'NO'}; the box's CPU time "
          f"{row['box_cpu_s']:.3f} s; watchdog samples cost {row['sampling_ms']:.1f} ms of the box's own time")
    print(f"  command: {' '.join(boxed_argv)}")
    return {"compile": row}


def _print_targets(rows: dict[str, dict[str, float]]) -> None:
    overhead = rows["C empty"]["overhead_ms"]
    line = (f"\ntargets: empty C program overhead <= {OVERHEAD_TARGET_MS:.1f} ms (got {overhead:.2f} ms, "
            f"{rows['C empty']['pairwise_overhead_ms']:.2f} ms pairwise"
            f", {rows['C empty, back to back']['overhead_ms']:.2f} ms back to back)")
    if "compile" in rows:
        line += f"; box compile <= {COMPILE_TARGET_RATIO:.2f}x the host's (got {rows['compile']['ratio']:.2f}x)"
    print(line)

"""Boxes come and go without leaving anything behind, fail loudly, and run in parallel."""

from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sandbox import Limits, SandboxUnavailable, Verdict
from sandbox.backends.local import LocalBackend

from sandbox_helpers import sandbox_processes

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _host_traces() -> dict[str, object]:
    with open("/proc/self/mountinfo") as handle:
        mounts = len(handle.readlines())
    return {
        "processes": sandbox_processes(),
        "mounts": mounts,
        # Only this process's own: parallel test workers create and remove theirs meanwhile.
        "cgroups": sorted(
            glob.glob(f"/sys/fs/cgroup/*/cpforge-{os.getpid()}*") + glob.glob(f"/sys/fs/cgroup/cpforge-{os.getpid()}*")
        ),
        "temp dirs": sorted(glob.glob(f"/tmp/cpforge-*{os.getpid()}*")),
    }


@pytest.mark.parametrize("unsafe", [False, True], ids=["bwrap", "unsafe"])
def test_nothing_survives_the_backend(unsafe):
    before = _host_traces()
    with LocalBackend(concurrency=2, unsafe=unsafe) as backend:
        compiled = backend.compile("#include <unistd.h>\nint main(){if(fork()==0){setsid();for(;;)pause();}return 0;}",
                                   "cpp17")
        assert compiled.ok
        results = [backend.run(compiled.executable, limits=Limits(cpu_time=1, wall_time=2)) for _ in range(3)]
        assert all(r.status is Verdict.OK for r in results)
        assert all(r.sandboxed is (not unsafe) for r in results)
        if not unsafe:
            during = _host_traces()
            assert during["processes"] > before["processes"]  # the warm boxes are really there
    assert _host_traces() == before


def test_refuses_without_isolation(monkeypatch):
    import shutil

    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "bwrap" else real_which(name, *a, **k))
    with pytest.raises(SandboxUnavailable, match="--unsafe"):
        LocalBackend(concurrency=1)


def test_runs_in_parallel_without_interfering(backend, build):
    exe = build("import sys, time\nn = int(sys.stdin.read())\nopen('mine.txt', 'w').write(str(n))\ntime.sleep(0.2)\n"
                "print(n, open('mine.txt').read())\n", "python3")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda n: backend.run(exe, stdin=f"{n}\n".encode()), range(16)))
    assert [r.stdout for r in results] == [f"{n} {n}\n".encode() for n in range(16)]


def test_a_box_killed_from_outside_is_a_sandbox_error_or_a_retry():
    with LocalBackend(concurrency=1) as backend:
        compiled = backend.compile("import time\ntime.sleep(1)\nprint('done')\n", "python3")
        outcome = {}
        runner = threading.Thread(target=lambda: outcome.setdefault("r", backend.run(compiled.executable,
                                                                                     limits=Limits(wall_time=5))))
        runner.start()
        time.sleep(0.4)
        for box in list(backend._boxes):
            box.process.send_signal(signal.SIGKILL)  # bwrap dies; --die-with-parent takes the box with it
        runner.join()
        assert outcome["r"].status in (Verdict.SANDBOX_ERROR, Verdict.OK)
        assert outcome["r"].status is not Verdict.OK or outcome["r"].stdout == b"done\n"
        after = backend.run(compiled.executable, limits=Limits(wall_time=5))
        assert after.status is Verdict.OK


def _verifier(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sandbox.tools.cli", *args], capture_output=True, input=stdin,
                          cwd=PROJECT_ROOT, timeout=120)


def test_cli_run_json(tmp_path):
    source = tmp_path / "sum.py"
    source.write_text("print(sum(map(int, input().split())))\n")
    data = tmp_path / "in.txt"
    data.write_text("4 5\n")
    done = _verifier("run", str(source), "--stdin", str(data), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["status"] == "OK" and payload["stdout"] == "9\n"
    for key in ("exit_code", "signal", "cpu_time", "wall_time", "memory_bytes", "limit_fired", "stdout_truncated",
                "stderr_truncated", "toolchain", "sandboxed"):
        assert key in payload


def test_cli_run_reports_ce_and_tle_with_nonzero_exit(tmp_path):
    broken = tmp_path / "bad.cpp"
    broken.write_text("int main() { return missing; }\n")
    done = _verifier("run", str(broken), "--json")
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    assert payload["status"] == "CE" and "missing" in payload["compile"]["diagnostics"]
    slow = tmp_path / "slow.py"
    slow.write_text("while True:\n    pass\n")
    done = _verifier("run", str(slow), "--time", "0.5", "--json")
    assert done.returncode == 1 and json.loads(done.stdout)["status"] == "TLE"


def test_cli_clear_errors(tmp_path):
    done = _verifier("run", str(tmp_path / "missing.cpp"))
    assert done.returncode == 2 and b"cannot read" in done.stderr
    (tmp_path / "x.txt").write_text("hi")
    done = _verifier("run", str(tmp_path / "x.txt"))
    assert done.returncode == 2 and b"--lang" in done.stderr


def test_cli_doctor():
    done = _verifier("doctor", "--json")
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)
    assert report["sandbox_ok"] is True
    assert report["toolchains"]["cpp17"]
    names = {check["name"] for check in report["checks"]}
    assert {"bubblewrap", "user namespaces", "cgroup pids", "cgroup memory"} <= names


def test_boxes_outlive_the_threads_that_asked_for_them():
    """bwrap --die-with-parent follows the *thread* that started it: boxes first needed by
    a short-lived thread must still be alive (and in their cgroups) after it exits."""
    with LocalBackend(concurrency=3) as backend:
        with ThreadPoolExecutor(3) as transient:
            results = list(transient.map(lambda _: backend.run_source("import time\ntime.sleep(0.3)\n", "python3")[1],
                                         range(3)))
        assert all(r.status is Verdict.OK for r in results)
        time.sleep(0.2)
        boxes = list(backend._boxes)
        assert len(boxes) >= 2
        for box in boxes:
            assert box.process.poll() is None, "a box died with the thread that started it"
            for group in box.groups.values():
                assert (group.path / "cgroup.procs").read_text().split(), f"{group.path} holds no process"


def test_a_warm_box_does_not_carry_its_peak_memory_into_later_runs():
    """A program's rusage peak starts at the supervisor's own peak (it is spawned from its
    address space). Output floods and big inputs must not leave later, small programs
    measured as huge (they were reported MLE once)."""
    limits = Limits(cpu_time=2, memory_mb=128)
    with LocalBackend(concurrency=1) as backend:
        for _ in range(2):
            flood = backend.run_source("import sys\nwhile True: sys.stdout.write('x' * 65536)\n", "python3",
                                       limits=limits)[1]
            assert flood.status is Verdict.OLE
            backend.run_source("int main(){}", "cpp17", stdin=b"x" * (48 << 20), limits=limits)
        small = backend.run_source("print(1)\n", "python3", limits=limits)[1]
        assert small.status is Verdict.OK and small.memory_bytes < 40 << 20, small.message

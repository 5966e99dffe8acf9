"""Python runs forked from a pre-started interpreter (the zygote) behave as cold starts do.

Each program runs on two real local backends side by side, one with zygotes and one with
cold starts (`zygote=False`, what CPFORGE_ZYGOTE=0 gives), and everything a program can see
or a verdict depends on must be the same: status, exit code, output, files, what the
interpreter looks like from inside. A run that tampers with its interpreter and with every
other process it can reach must leave the next run in the same box unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Limits, Verdict
from sandbox.backends.local import LocalBackend
from sandbox.result import RunResult

INSPECT = """\
import builtins, os, resource, signal, sys
print(sorted(sys.modules))
print(builtins.print is not None, len("abc"), int("7") + 1)
print(sys.path, sys.argv, sys.getrecursionlimit(), sys.flags)
print(sorted(os.environ.items()))
print(sorted(os.listdir(".")), os.path.exists("/tmp/leftover"))
# RLIMIT_NPROC is left out: the kernel counts the box's pre-started interpreters against the
# same uid, so it reads higher by their number; what it allows is compared below.
print([resource.getrlimit(r) for r in (resource.RLIMIT_NOFILE, resource.RLIMIT_STACK, resource.RLIMIT_AS,
                                        resource.RLIMIT_CPU, resource.RLIMIT_FSIZE)])
print(os.getpriority(os.PRIO_PROCESS, 0))
print(signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGPIPE), signal.getsignal(signal.SIGINT))
print(sorted(globals()), __name__, __file__, __spec__, __package__)
print(sys.stdin.seekable(), sys.stdout.line_buffering, sys.stderr.line_buffering, sys.stdout.encoding)
print(os.getsid(0) == os.getpid(), os.getpgid(0) == os.getpid())
"""

TAMPER = """\
import builtins, os, resource, signal, sys, threading, time
import json, collections, random
builtins.print = None
builtins.len = None
builtins.int = str
sys.path.append("/tmp/elsewhere")
sys.setrecursionlimit(50)
os.environ["LEFT_BEHIND"] = "1"
with open("/tmp/leftover", "w") as handle:
    handle.write("x")
with open("leftover", "w") as handle:
    handle.write("x")
threading.Thread(target=time.sleep, args=(100,), daemon=True).start()
signal.signal(signal.SIGTERM, signal.SIG_IGN)
# Reach for every other process of the box (the zygote among them) as a same-uid process may.
for name in os.listdir("/proc"):
    if not name.isdigit() or int(name) == os.getpid():
        continue
    pid = int(name)
    for attempt in (lambda: resource.prlimit(pid, resource.RLIMIT_NOFILE, (16, 16)),
                    lambda: resource.prlimit(pid, resource.RLIMIT_STACK, (1 << 20, 1 << 20)),
                    lambda: os.setpriority(os.PRIO_PROCESS, pid, 19),
                    lambda: open(f"/proc/{pid}/mem", "rb").read(1),
                    lambda: os.kill(pid, signal.SIGSTOP)):
        try:
            attempt()
        except OSError:
            pass
"""

PROGRAMS: dict[str, tuple[str, bytes]] = {
    "aplusb": ("a, b = map(int, input().split())\nprint(a + b)\n", b"1 2\n"),
    "uncaught": ("def f():\n    raise ValueError('boom')\nf()\n", b""),
    "exit_code": ("import sys\nprint('partial', end='')\nsys.exit(3)\n", b""),
    "exit_message": ("raise SystemExit('bye')\n", b""),
    "atexit": ("import atexit\natexit.register(print, 'late')\nprint('early')\n", b""),
    "thread_outlives_main": ("import threading, time\n"
                             "def later():\n    time.sleep(0.05)\n    print('thread', flush=True)\n"
                             "threading.Thread(target=later).start()\nprint('main', flush=True)\n", b""),
    "unclosed_file": ("import sys\nf = open('output.txt', 'w')\nf.write(sys.stdin.read() * 2)\n", b"ab"),
    "deep_recursion": ("import sys\nsys.setrecursionlimit(10 ** 6)\n"
                       "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\nprint(depth(100000))\n", b""),
    "stdin_lines": ("import sys\nprint(sum(int(x) for x in sys.stdin))\n", b"1\n2\n3\n"),
    # A SyntaxError the program raises has a traceback; only the script's own has none.
    "syntax_error_raised": ("exec('(')\n", b""),
}


@pytest.fixture(scope="module")
def backends() -> Iterator[tuple[LocalBackend, LocalBackend]]:
    """The first run of an interpreter in a box starts its zygote (that run is cold: the
    box's limits did not count the zygote yet), so each is run once before the tests."""
    with LocalBackend(concurrency=1) as warm, LocalBackend(concurrency=1, zygote=False) as cold:
        for language in ("python3", "pypy3"):
            if warm.available(language):
                run_on((warm,), language, "pass\n")
        yield warm, cold


def run_on(backends: tuple[LocalBackend, ...], language: str, source: str, stdin: bytes = b"",
           limits: Limits | None = None, collect: tuple[str, ...] = ()) -> list[RunResult]:
    results = []
    for backend in backends:
        if not backend.available(language):
            pytest.skip(f"{language} is not installed")
        compiled = backend.compile(source, language)
        assert compiled.ok, compiled.diagnostics
        assert compiled.executable is not None
        results.append(backend.run(compiled.executable, stdin=stdin, limits=limits or Limits(cpu_time=5),
                                   collect=collect))
    return results


def same_behaviour(warm: RunResult, cold: RunResult) -> None:
    assert (warm.status, warm.exit_code, warm.signal) == (cold.status, cold.exit_code, cold.signal)
    assert warm.stdout == cold.stdout
    assert warm.stderr == cold.stderr
    assert warm.files == cold.files


@pytest.mark.parametrize("language", ["python3", "pypy3"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_programs_behave_as_after_a_cold_start(backends, language: str, name: str) -> None:
    source, stdin = PROGRAMS[name]
    warm, cold = run_on(backends, language, source, stdin, collect=("output.txt",))
    same_behaviour(warm, cold)
    assert warm.prestarted and not cold.prestarted


@pytest.mark.parametrize("language", ["python3", "pypy3"])
def test_a_script_that_does_not_compile_fails_as_after_a_cold_start(backends, language: str) -> None:
    """Without the syntax check (as `/run_code` runs Python), the run itself reports it."""
    results = []
    for backend in backends:
        if not backend.available(language):
            pytest.skip(f"{language} is not installed")
        compiled = backend.compile("print(input(\n", language, syntax_check=False)
        assert compiled.ok and compiled.executable is not None and compiled.time == 0
        results.append(backend.run(compiled.executable, stdin=b"", limits=Limits(cpu_time=5)))
    warm, cold = results
    same_behaviour(warm, cold)
    assert warm.status is Verdict.RE and b"SyntaxError" in warm.stderr and b"Traceback" not in warm.stderr


@pytest.mark.parametrize("language", ["python3", "pypy3"])
def test_the_interpreter_looks_the_same_from_inside(backends, language: str) -> None:
    warm, cold = run_on(backends, language, INSPECT)
    assert warm.status is Verdict.OK, warm.stderr
    assert warm.stdout.decode().splitlines() == cold.stdout.decode().splitlines()


@pytest.mark.parametrize("language", ["python3", "pypy3"])
def test_limits_give_the_same_verdicts(backends, language: str) -> None:
    for source, limits, verdict in (
            ("while True:\n    pass\n", Limits(cpu_time=0.5), Verdict.TLE),
            ("block = bytearray(300 << 20)\nprint(len(block))\n", Limits(cpu_time=5, memory_mb=128), Verdict.MLE),
            ("import sys\nsys.stdout.write('x' * (80 << 20))\n", Limits(cpu_time=5, output_bytes=16 << 20),
             Verdict.OLE)):
        warm, cold = run_on(backends, language, source, limits=limits)
        assert warm.status is cold.status is verdict, (source, warm.message, cold.message)


@pytest.mark.parametrize("language", ["python3", "pypy3"])
def test_a_run_that_tampers_with_everything_changes_nothing_for_the_next(backends, language: str) -> None:
    """Imports, monkeypatched builtins, files, a thread left running, signal handlers, and
    prlimit/setpriority/SIGSTOP/mem-peeking on every process it can see: the next run in
    the same warm box sees exactly what it sees after a cold start."""
    warm_backend = backends[0]
    _, expected = run_on(backends, language, INSPECT)
    for _ in range(2):
        run_on((warm_backend,), language, TAMPER)
        after, = run_on((warm_backend,), language, INSPECT)
        assert after.status is Verdict.OK, after.stderr
        assert after.stdout.decode().splitlines() == expected.stdout.decode().splitlines()
    assert after.prestarted


FORK_UNTIL_REFUSED = """\
import os, time
children = 0
try:
    while children < 100:
        if os.fork() == 0:
            time.sleep(10)
            os._exit(0)
        children += 1
except OSError:
    pass
print(children)
"""


@pytest.mark.parametrize("language", ["python3", "pypy3"])
def test_a_run_may_start_as_many_processes_as_after_a_cold_start(backends, language: str) -> None:
    """The zygotes live in the box too; its process limits leave room for them."""
    warm, cold = run_on(backends, language, FORK_UNTIL_REFUSED, limits=Limits(cpu_time=5, processes=6))
    assert warm.ok and cold.ok, (warm.stderr, cold.stderr)
    assert warm.stdout == cold.stdout and int(cold.stdout) < 100


STDIO_INSPECT = """\
import sys
for stream in (sys.stdin, sys.stdout, sys.stderr):
    print(type(stream).__name__, stream.name, stream.mode, stream.encoding, stream.errors, stream.line_buffering,
          stream.write_through, stream.seekable(), stream.readable(), stream.writable(), stream.isatty(),
          type(stream.buffer).__name__, getattr(stream.buffer.raw, "_blksize", None), stream.newlines)
print(sys.stdin.tell(), sys.stdout.tell(), sys.stdin.readline().split(), sys.stdin.tell(), sys.stdin.read())
print(sys.stdout.tell())
"""


@pytest.mark.parametrize("language", ["python3", "pypy3"])
def test_a_judged_run_has_the_standard_streams_of_a_cold_start(backends, language: str) -> None:
    """A judged run's stdin and stdout are memory files and its stderr a pipe, the kinds the
    zygote itself runs on, so the run keeps the streams the zygote's interpreter made at
    start-up (never used) instead of making new ones: every property a program can see of
    them is a cold start's, positions included."""
    warm, cold = run_on(backends, language, STDIO_INSPECT, b"1 2\n3 4\n")
    assert warm.status is Verdict.OK, warm.stderr
    assert warm.stdout.decode().splitlines() == cold.stdout.decode().splitlines()
    assert "['1', '2']" in warm.stdout.decode()


def test_the_zygotes_streams_are_the_ones_a_judged_run_keeps(backends) -> None:
    """The zygote's objects are frozen out of gc.get_objects() in a fork; a cold start's
    stdout (or one the run made itself) is listed. This is how the test tells the kept
    streams from new ones; for a program it is the documented gc.get_objects() difference."""
    source = "import gc, sys\nprint(any(item is sys.stdout for item in gc.get_objects()))\n"
    warm, cold = run_on(backends, "python3", source, b"x\n")
    assert (warm.stdout, cold.stdout) == (b"False\n", b"True\n")


def test_output_left_in_the_kept_streams_is_flushed_at_exit(backends) -> None:
    """Text still buffered in the original stdout and stderr when the program swapped them
    out reaches the run's output, as at a cold start's exit."""
    source = ("import io, sys\nsys.stdout.write('kept')\nsys.stderr.write('also kept')\n"
              "sys.stdout, sys.stderr = io.StringIO(), io.StringIO()\nprint('lost')\n")
    warm, cold = run_on(backends, "python3", source, b"x\n")
    same_behaviour(warm, cold)
    assert (warm.stdout, warm.stderr) == (b"kept", b"also kept")


MEMORY_PROGRAMS = {
    "aplusb": ("a, b = map(int, input().split())\nprint(a + b)\n", b"1 2\n"),
    # 64 MiB really written (bytes times an int fills every page), on top of the start-up.
    "64_mib": ("block = b'x' * (64 << 20)\nprint(len(block) >> 20)\n", b""),
}


@pytest.mark.parametrize("language", ["python3", "pypy3"])
@pytest.mark.parametrize("program", sorted(MEMORY_PROGRAMS))
def test_peak_memory_is_within_2_mib_of_a_cold_start(backends, language: str, program: str) -> None:
    """Both ways. A fork inherits the zygote's resident pages but not the peak that the
    interpreter's start-up passed through (PyPy's is about 16 MiB above where it settles),
    so a forked run is measured from that start-up peak up, as the zygote recorded it."""
    source, stdin = MEMORY_PROGRAMS[program]
    warm, cold = run_on(backends, language, source, stdin, limits=Limits(cpu_time=5, memory_mb=512))
    assert warm.ok and cold.ok and warm.prestarted and not cold.prestarted
    assert abs(warm.memory_bytes - cold.memory_bytes) <= 2 << 20, (warm.memory_bytes, cold.memory_bytes)

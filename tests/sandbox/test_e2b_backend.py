"""The E2B backend, with the real e2b SDK client code against a stand-in E2B.

E2B is unreachable from here, so these tests point the SDK (`api_url`, `sandbox_url`) at
tests/sandbox/e2b_standin.py: two local servers following E2B's protocol for the calls the
backend makes (the REST API's create, kill, timeout and list; envd's Connect-RPC Start,
SendInput, SendSignal and health), with the runner started as a real local process, so
every run really happens, in the local bubblewrap boxes. The stand-in can refuse creates
(401, 429, 404), hang, kill a runner mid-call and end sandboxes at their lifetime. The
last test runs against the real service and template, only when E2B_API_KEY is set."""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sandbox.backends import get_backend
from sandbox.backends.base import PROGRAM_ENV, SandboxUnavailable
from sandbox.backends.e2b import E2BBackend
from sandbox.execution import ExecRequest
from sandbox.judge import load_problem
from sandbox.judge.judging import Judge
from sandbox.result import Verdict

if TYPE_CHECKING:
    from e2b_standin import StandIn

# One xdist worker runs them all, around one stand-in (scripts/test.sh: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("e2b")

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "judge" / "data"
# What a template's runner command is here: the project checkout instead of the image's venv.
# The echo stands for a login shell's profile talking before the runner does.
RUNNER = f"echo 'Welcome to the stand-in sandbox'; cd {ROOT} && exec {sys.executable} -m sandbox.backends.remote.runner"

AC_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
MLE_CPP = r"""#include <cstdio>
#include <cstdlib>
#include <cstring>
int main() {
    long total = 0;
    for (int i = 0; i < 64; i++) {
        char *p = (char *)malloc(16 << 20);
        if (!p) return 3;
        memset(p, 1, 16 << 20);
        total += p[100];
    }
    printf("%ld\n", total);
}
"""


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    pytest.importorskip("e2b")
    pytest.importorskip("uvicorn")
    from e2b_standin import StandIn  # tests/sandbox is on sys.path when pytest runs these tests

    server = StandIn().start()
    yield server
    server.stop()


def make(standin: StandIn, **options: object) -> E2BBackend:
    options.setdefault("runner", RUNNER)
    options.setdefault("compile_cache_mb", 0)
    return E2BBackend(sdk_options=standin.connection(), **options)


@pytest.fixture(scope="module")
def e2b(standin: StandIn) -> Iterator[E2BBackend]:
    backend = get_backend("e2b", concurrency=2, sdk_options=standin.connection(), runner=RUNNER, compile_cache_mb=0)
    assert isinstance(backend, E2BBackend)
    yield backend
    backend.close()


def echo(text: str, **limits: float) -> ExecRequest:
    return ExecRequest(argv=["/bin/echo", text], env=dict(PROGRAM_ENV), **limits)


def python(code: str, **limits: float) -> ExecRequest:
    return ExecRequest(argv=["/usr/bin/python3", "-c", code], env=dict(PROGRAM_ENV), **limits)


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


# ---------------------------------------------------------------------- runs
def test_sandboxes_are_created_and_runners_started_as_asked(e2b: E2BBackend, standin: StandIn):
    [body] = [b for b in standin.create_bodies if b.get("metadata", {}).get("cpforge-owner") == e2b.owner]
    assert body["templateID"] == "cpforge" and body["allow_internet_access"] is False
    assert body["timeout"] == e2b.sandbox_timeout
    [sandbox_id] = e2b.sandbox_ids()
    assert sandbox_id in standin.live() and e2b.sandboxed and e2b.remote
    [start] = [request for box, request in standin.starts if box == sandbox_id]
    assert start.stdin and start.process is not None
    assert [start.process.cmd, *start.process.args] == ["/bin/bash", "-l", "-c", f"{RUNNER} --slots 2"]


def test_verdicts_match_the_local_backend(e2b: E2BBackend, standin: StandIn, judge: Judge, need):
    """The same submissions, judged on both backends: the runner's LocalBackend decides, so
    every test's verdict (OK/WA/TLE/MLE, C++ and Python) is the local backend's own."""
    need("cpp17")
    need("python3")
    problem = load_problem(DATA / "aplusb")
    solutions = DATA / "aplusb" / "solutions"
    cases = [((solutions / "ref.cpp").read_text(), "cpp17", Verdict.AC),
             (AC_PY, "python3", Verdict.AC),
             ((solutions / "wa_difference.py").read_text(), "python3", Verdict.WA),
             ((solutions / "tle_spin.py").read_text(), "python3", Verdict.TLE),
             (MLE_CPP, "cpp17", Verdict.MLE)]
    messages = standin.stdin_messages
    with Judge(e2b) as remote, ThreadPoolExecutor(4) as pool:
        remote_results = [pool.submit(remote.judge, problem, src, lang) for src, lang, _ in cases]
        local_results = [pool.submit(judge.judge, problem, src, lang) for src, lang, _ in cases]
        for (_, _, expected), there, here in zip(cases, remote_results, local_results):
            far, near = there.result(), here.result()
            assert far.verdict is expected, (far.message, [t.message for t in far.tests])
            assert [t.verdict for t in far.tests] == [t.verdict for t in near.tests]
    assert standin.stdin_messages > messages  # the remote judge's runs did go through the stand-in


def test_execute_many_is_one_runner_call(e2b: E2BBackend, standin: StandIn):
    before = standin.stdin_messages
    outcomes = e2b.execute_many([echo(f"test {i}", wall_limit=5) for i in range(6)])
    assert [o.stdout for o in outcomes] == [f"test {i}\n".encode() for i in range(6)]
    assert standin.stdin_messages - before == 1 and b'"op":"many"' in standin.stdin_heads[-1]


def test_big_files_and_answers_cross_in_pieces(e2b: E2BBackend, standin: StandIn):
    """A request bigger than one SendInput is sent as several, in order; an answer of many
    stdout events is put back together; a file already sent is named by its digest after."""
    blob = os.urandom(3 << 20)
    code = ("import hashlib, sys; data = open('blob', 'rb').read(); print(hashlib.sha256(data).hexdigest()); "
            "sys.stdout.write('x' * (4 << 20))")
    request = python(code, wall_limit=20)
    request.files = {"blob": blob}
    before = standin.stdin_messages
    outcome = e2b.execute(request)
    assert outcome.sandbox_error is None and outcome.stdout[:64].decode() == hashlib.sha256(blob).hexdigest()
    assert len(outcome.stdout) == 65 + (4 << 20) and standin.stdin_messages - before >= 4
    before = standin.stdin_messages
    assert e2b.execute(request).stdout == outcome.stdout and standin.stdin_messages - before == 1


def test_an_interactive_pair_runs_in_one_sandbox(e2b: E2BBackend, standin: StandIn, need):
    need("cpp17")
    problem = load_problem(DATA / "guess-number")
    solutions = DATA / "guess-number" / "solutions"
    before = standin.stdin_messages
    with Judge(e2b) as remote:
        right = remote.judge(problem, (solutions / "ref.cpp").read_text(), "cpp17")
        wrong = remote.judge(problem, (solutions / "wa_wrong_guess.cpp").read_text(), "cpp17")
    pairs = [head for head in standin.stdin_heads[before:] if b'"op":"pair"' in head]
    # Each test is one runner call carrying both programs (a test already started when the
    # wrong guess was found runs on and counts too).
    assert right.executed + wrong.executed <= len(pairs) <= right.total + wrong.total
    assert right.verdict is Verdict.AC and all("guessed in" in t.message for t in right.tests), right.message
    assert wrong.verdict is Verdict.WA and "wrong guess" in wrong.message


# ---------------------------------------------------------------------- configuration
def test_bad_configuration_is_one_line_naming_the_fix(standin: StandIn, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("E2B_API_KEY", raising=False)
    live = set(standin.live())

    def refused(**options: object) -> str:
        with pytest.raises(SandboxUnavailable) as caught:
            make(standin, **options)
        message = str(caught.value)
        assert "\n" not in message, message
        assert set(standin.live()) == live, "a refused start must leave no sandbox behind"
        return message

    no_key = {"api_url": standin.api_url, "sandbox_url": standin.sandbox_url}
    with pytest.raises(SandboxUnavailable, match="set E2B_API_KEY"):
        E2BBackend(sdk_options=no_key, runner=RUNNER)
    assert "E2B_API_KEY" in refused(api_key="e2b_wrong_key") and "401" in refused(api_key="e2b_wrong_key")
    standin.fail_next_create(429, times=4)  # the SDK retries a 429 three times, with backoff
    quota = refused()
    assert "429" in quota and "CPFORGE_E2B_MAX_SANDBOXES" in quota and "quota" in quota
    missing = refused(template="no-such-template")
    assert "'no-such-template' was not found" in missing and "CPFORGE_E2B_TEMPLATE" in missing
    fatal = refused(runner="""printf '%s\\n' '{"fatal": "bubblewrap: No permissions to create new namespace"}'; :""")
    assert "No permissions to create new namespace" in fatal and "CPFORGE_E2B_NESTED=off" in fatal
    monkeypatch.setitem(sys.modules, "e2b", None)
    with pytest.raises(SandboxUnavailable, match=r"pip install 'cpforge\[e2b\]'"):
        make(standin)


# ---------------------------------------------------------------------- failures
def test_a_runner_that_dies_mid_run_is_replaced_and_the_run_retried(standin: StandIn):
    with make(standin, concurrency=1) as backend:
        first = set(backend.sandbox_ids())
        standin.kill_on_next_input(0.3)
        outcome = backend.execute(python("import time; time.sleep(1); print(42)", wall_limit=10))
        assert outcome.sandbox_error is None and outcome.stdout == b"42\n"
        assert backend.replaced == 1 and set(backend.sandbox_ids()).isdisjoint(first)
        assert wait_for(lambda: set(standin.live()).isdisjoint(first)), "the broken sandbox must be killed"


def test_a_hung_runner_hits_the_backends_own_deadline(standin: StandIn):
    standin.swallow_stdin = True  # the first runner starts, then never hears a question
    try:
        backend = make(standin, concurrency=1, answer_margin=1.0)
    finally:
        standin.swallow_stdin = False
    with backend:
        started = time.monotonic()
        outcome = backend.execute(echo("answered", wall_limit=0.5))
        took = time.monotonic() - started
        assert outcome.sandbox_error is None and outcome.stdout == b"answered\n"
        assert backend.replaced == 1 and 2.0 <= took < 10, took  # 0.5 + 0.5 + 1 s, then a fresh runner
        # Deaf again, after the retry too: the run is a sandbox error, in bounded time.
        standin.swallow_stdin = True
        try:
            standin.end(backend.sandbox_ids()[0])
            started = time.monotonic()
            outcome = backend.execute(echo("never", wall_limit=0.5))
            took = time.monotonic() - started
        finally:
            standin.swallow_stdin = False
        assert outcome.sandbox_error and "no answer within 2 s" in outcome.sandbox_error, outcome.sandbox_error
        assert outcome.stdout == b"" and took < 10, took


def test_a_create_that_hangs_hits_the_start_deadline(standin: StandIn):
    standin.create_delay = float("inf")
    try:
        started = time.monotonic()
        with pytest.raises(SandboxUnavailable, match="did not answer creating a sandbox within 1 s"):
            make(standin, start_timeout=1.0)
        assert time.monotonic() - started < 8
    finally:
        standin.create_delay = 0.0


def test_lifetimes_are_renewed_and_a_sandbox_e2b_ended_is_replaced(standin: StandIn):
    standin.enforce_lifetimes = True
    try:
        with make(standin, concurrency=1, sandbox_timeout=2) as backend:
            renewed = standin.timeouts_set
            time.sleep(3)  # longer than the lifetime: only the renewals keep the sandbox
            assert standin.timeouts_set > renewed and backend.sandbox_ids()[0] in standin.live()
            assert backend.execute(echo("still here")).stdout == b"still here\n" and backend.replaced == 0
            gone = backend.sandbox_ids()[0]
            standin.end(gone)
            assert backend.execute(echo("elsewhere")).stdout == b"elsewhere\n"
            assert backend.replaced == 1 and gone not in backend.sandbox_ids()
    finally:
        standin.enforce_lifetimes = False


def test_close_kills_every_sandbox(standin: StandIn):
    before = set(standin.live())
    backend = make(standin, concurrency=3, slots=1)
    with ThreadPoolExecutor(3) as pool:
        outcomes = list(pool.map(backend.execute, [python("import time; time.sleep(0.5)")] * 3))
    assert all(o.sandbox_error is None for o in outcomes)
    ours = set(standin.live()) - before
    assert len(ours) == 3 and ours == set(backend.sandbox_ids())
    backend.close()
    assert set(standin.live()) == before and not backend.sandbox_ids()
    assert wait_for(lambda: standin.live_processes() == len(before)), "every runner must be gone"


def test_close_kills_a_sandbox_whose_create_answered_too_late(standin: StandIn):
    """A create that answers after the backend's deadline: the sandbox exists at E2B, but the
    backend never learnt its id. Closing finds it by the owner tag in its metadata."""
    before = set(standin.live())
    backend = make(standin, concurrency=1)
    first = backend.sandbox_ids()[0]
    backend.start_timeout = 0.5
    standin.create_delay = 1.0
    try:
        standin.end(first)
        late = backend.execute(echo("late"))  # the runner is gone, and its replacement too slow
        assert late.sandbox_error and "within 0.5 s" in late.sandbox_error, late.sandbox_error
        assert wait_for(lambda: len(set(standin.live()) - before) == 1, 3)
    finally:
        standin.create_delay = 0.0
    backend.close()
    assert set(standin.live()) == before


def test_a_backend_dropped_without_close_kills_its_sandboxes(standin: StandIn):
    before = set(standin.live())
    backend = make(standin, concurrency=1)
    assert backend.execute(echo("once")).stdout == b"once\n" and len(set(standin.live()) - before) == 1
    del backend
    gc.collect()
    assert wait_for(lambda: set(standin.live()) == before), "the finalizer must kill what close would have"


# ---------------------------------------------------------------------- the real service
@pytest.mark.skipif(not os.environ.get("E2B_API_KEY"), reason="E2B_API_KEY is not set: no real E2B to test against")
def test_live_e2b_with_the_real_template():
    """Against the real service, with the template built from the Dockerfile (docs/e2b.md)."""
    with E2BBackend(concurrency=2, compile_cache_mb=0) as backend:
        compiled, run = backend.run_source(AC_PY, "python3", stdin="2 3\n")
        assert compiled.ok and run is not None and run.status is Verdict.OK and run.stdout == b"5\n"
        compiled, run = backend.run_source("#include <cstdio>\nint main(){int a,b;scanf(\"%d %d\",&a,&b);"
                                           "printf(\"%d\\n\",a+b);}", "cpp17", stdin="2 3\n")
        assert compiled.ok and run is not None and run.stdout == b"5\n", compiled.diagnostics
        ids = backend.sandbox_ids()
        assert ids
    assert not backend.sandbox_ids()

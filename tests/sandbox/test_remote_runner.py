"""The machinery Docker and E2B share, without either: the wire format, the host's channel,
and the runner itself, started here as a plain subprocess (its boxes are real local boxes)
behind a `RemoteBackend`, so replacement and retry are tested on every machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from sandbox.backends.remote.backend import RemoteBackend, Worker
from sandbox.backends.remote.channel import ChannelBroken, RunnerChannel
from sandbox.backends.remote.wire import (
    FileStore, MissingFiles, WireError, decode_outcome, decode_request, encode_outcome, encode_request,
)
from sandbox.execution import ExecOutcome, ExecRequest
from sandbox.limits import Limits
from sandbox.result import Verdict


def test_requests_cross_the_wire_whole_and_files_travel_once():
    request = ExecRequest(argv=["./sol", "x"], files={"sol": b"\x7fELF\x00binary", "in.txt": b"1 2"},
                          executable_files=frozenset({"sol"}), stdin=b"\x00\xff", env={"A": "b"}, cpu_limit=1.5,
                          collect=("out.txt",), zygote=("python3",), memory_limit=1 << 20)
    store = FileStore()
    first = encode_request(request)
    assert decode_request(first, store) == request
    named = encode_request(request, known={entry["sha"] for entry in first["files"].values()})
    assert all("data" not in entry for entry in named["files"].values())
    assert decode_request(named, store) == request  # the store has them now
    with pytest.raises(MissingFiles) as missing:
        decode_request(named, FileStore())
    assert len(missing.value.digests) == 2
    forged = encode_request(request)
    forged["files"]["sol"]["sha"] = "0" * 64
    with pytest.raises(WireError, match="digest"):
        decode_request(forged, FileStore())


def test_an_outcome_of_the_wrong_shape_is_refused_not_believed():
    outcome = ExecOutcome(exit_code=0, cpu_time=0.25, stdout=b"\x00ok", files={"o": b"1"}, phases={"p": 0.1})
    assert decode_outcome(encode_outcome(outcome)) == outcome
    for field, value in (("exit_code", "0"), ("stdout", "not base64!"), ("killed_by", 3), ("phases", [1]),
                         ("oom_killed", "yes")):
        bad = encode_outcome(outcome)
        bad[field] = value
        with pytest.raises(WireError):
            decode_outcome(bad)


def _channel() -> tuple[RunnerChannel, list[bytes]]:
    sent: list[bytes] = []
    return RunnerChannel(sent.append, "test"), sent


def test_a_channel_assembles_split_lines_and_matches_answers():
    channel, sent = _channel()
    answers = []
    caller = threading.Thread(target=lambda: answers.append(channel.call({"op": "ping"}, 5)))
    caller.start()
    while not sent:
        time.sleep(0.01)
    channel.feed(b'{"id": 1, "po')
    channel.feed(b'ng": {"runs": 3}}\n')
    caller.join(5)
    assert answers == [{"id": 1, "pong": {"runs": 3}}]


@pytest.mark.parametrize("garbage", [b"not json\n", b'{"id": 99, "outcome": {}}\n', b"[1, 2]\n"])
def test_garbage_from_the_runner_breaks_the_channel_and_fails_calls_in_flight(garbage):
    channel, sent = _channel()
    errors = []

    def call() -> None:
        try:
            channel.call({"op": "ping"}, 5)
        except ChannelBroken as exc:
            errors.append(str(exc))

    caller = threading.Thread(target=call)
    caller.start()
    while not sent:
        time.sleep(0.01)
    channel.feed(garbage)
    caller.join(5)
    assert errors and channel.broken
    with pytest.raises(ChannelBroken):
        channel.call({"op": "ping"}, 1)


def test_a_silent_runner_misses_its_deadline():
    channel, _ = _channel()
    started = time.monotonic()
    with pytest.raises(ChannelBroken, match="no answer within"):
        channel.call({"op": "ping"}, 0.3)
    assert time.monotonic() - started < 3


class SubprocessBackend(RemoteBackend):
    """The runner as a local child process over pipes: what a container does, minus Docker."""

    name = "subprocess"

    def __init__(self, concurrency: int = 1, argv: list[str] | None = None) -> None:
        super().__init__(concurrency=concurrency, workers=concurrency, compile_cache_mb=0)
        self.processes: list[subprocess.Popen] = []
        self.argv = argv or [sys.executable, "-m", "sandbox.backends.remote.runner", "--slots", "1"]
        self._start_first()

    def _start_worker(self) -> Worker:
        process = subprocess.Popen(self.argv,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.processes.append(process)
        assert process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin, process.stdout

        def send(data: bytes) -> None:
            stdin.write(data)

        channel = RunnerChannel(send, f"pid {process.pid}")

        def read() -> None:
            while chunk := stdout.read(1 << 16):
                channel.feed(chunk)
            channel.lost("the runner exited")

        threading.Thread(target=read, daemon=True).start()

        def destroy() -> None:
            process.kill()
            process.wait()

        worker = Worker(channel=channel, destroy=destroy)
        worker.info = channel.wait_ready(60)
        return worker


@pytest.fixture(scope="module")
def remote():
    with SubprocessBackend() as opened:
        yield opened


def test_the_runner_gives_the_local_backend_s_verdicts(remote, backend):
    limits = Limits(cpu_time=0.5, memory_mb=64)
    for source, language in (("print(input()[::-1])", "python3"), ("while True: pass", "python3"),
                             ("x = bytearray(1 << 30)", "python3"),
                             ("#include <cstdio>\nint main(){puts(\"hi\");}", "cpp17")):
        here = backend.run(backend.compile(source, language).executable, stdin=b"abc", limits=limits)
        there = remote.run(remote.compile(source, language).executable, stdin=b"abc", limits=limits)
        assert (there.status, there.stdout, there.limit_fired) == (here.status, here.stdout, here.limit_fired)
    assert remote.sandboxed


def test_many_runs_are_one_call_and_come_back_in_order(remote):
    program = remote.compile("print(int(input()) + 1)", "python3").executable
    worker = remote._acquire()
    remote._release(worker, broken=False)
    before = worker.channel.call({"op": "ping"}, 10)["pong"]["runs"]
    results = remote.run_many(program, [(str(i).encode(), {}, ()) for i in range(12)], Limits())
    assert [r.stdout for r in results] == [f"{i + 1}\n".encode() for i in range(12)]
    assert worker.channel.call({"op": "ping"}, 10)["pong"]["runs"] == before + 12


def test_a_runner_killed_mid_run_is_replaced_and_the_run_retried(remote):
    program = remote.compile("import time\ntime.sleep(1)\nprint('done')", "python3").executable
    results = []
    thread = threading.Thread(target=lambda: results.append(remote.run(program, limits=Limits(wall_time=10))))
    thread.start()
    time.sleep(0.4)
    for process in remote.processes:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    thread.join(60)
    assert results[0].status is Verdict.OK and results[0].stdout == b"done\n"
    assert remote.replaced >= 1


def test_a_runner_that_stops_answering_is_replaced(remote):
    program = remote.compile("print('ok')", "python3").executable
    remote.answer_margin = 1.0
    try:
        live = [p for p in remote.processes if p.poll() is None]
        for process in live:
            os.kill(process.pid, signal.SIGSTOP)
        result = remote.run(program, limits=Limits(cpu_time=1, wall_time=1))
        assert result.status is Verdict.OK and result.stdout == b"ok\n"
        assert all(p.poll() is not None for p in live)  # the stopped ones were destroyed
    finally:
        remote.answer_margin = 20.0


# A runner that lies once: its first outcome claims an exit code of the wrong type.
TAMPERED_RUNNER = """
import os, sys
from sandbox.backends.remote import runner
flag, honest = sys.argv[1], runner.encode_outcome
def forged(outcome):
    message = honest(outcome)
    if not os.path.exists(flag):
        open(flag, "w").close()
        message["exit_code"] = "0"
    return message
runner.encode_outcome = forged
sys.exit(runner.main(["--slots", "1"]))
"""


def test_a_runner_that_answers_out_of_protocol_is_replaced_and_its_word_not_believed(tmp_path):
    with SubprocessBackend(argv=[sys.executable, "-c", TAMPERED_RUNNER, str(tmp_path / "lied")]) as lying:
        program = lying.compile("print('fine')", "python3").executable
        result = lying.run(program)
        assert (tmp_path / "lied").exists()
        assert result.status is Verdict.OK and result.stdout == b"fine\n"  # from the fresh runner
        assert lying.replaced == 1

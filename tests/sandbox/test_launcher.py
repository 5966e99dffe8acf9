"""The prepared child and its protocol: what the native launcher leaves waiting between runs
must start programs exactly as an exec from the supervisor would (PATH search, the shell for
scripts without #!, errors that name the program and the errno), be replaced when it dies,
and leave the idle box the same set of processes after every run."""

from __future__ import annotations

import errno
import os
import signal
import socket
import struct
import time

import pytest

from sandbox import Limits, Verdict
from sandbox.backends.local import LocalBackend
from sandbox.backends.base import PROGRAM_ENV
from sandbox.backends.local import supervisor as protocol
from sandbox.execution import ExecRequest
from sandbox.result import Executable

from sandbox_helpers import sandbox_processes


def _script(body: bytes) -> Executable:
    return Executable(language="cpp17", files={"sol": body}, entry="sol", digest=os.urandom(8).hex())


def test_exec_failures_name_the_program_and_the_errno(backend):
    missing = Executable(language="cpp17", files={"other": b"\x7fELF"}, entry="sol", digest="missing")
    result = backend.run(missing)
    assert result.status is Verdict.SANDBOX_ERROR
    assert "exec ./sol: No such file or directory" in result.message


def test_a_script_without_an_interpreter_line_runs_through_the_shell(backend):
    result = backend.run(_script(b"echo shell $0 $HOME $ONLINE_JUDGE\n"))
    assert result.status is Verdict.OK, result.message
    assert result.stdout == b"shell ./sol /tmp 1\n"


def test_names_without_a_slash_are_found_on_the_program_s_path(backend):
    found = backend.execute(ExecRequest(argv=["printf", "%s", "on-path"], env=dict(PROGRAM_ENV)))
    assert found.exit_code == 0 and found.stdout == b"on-path", found
    default = backend.execute(ExecRequest(argv=["printf", "default-path"], env={}))  # glibc's /bin:/usr/bin
    assert default.exit_code == 0 and default.stdout == b"default-path", default
    nowhere = backend.execute(ExecRequest(argv=["printf", "x"], env={"PATH": "/nonexistent"}))
    assert nowhere.exec_errno == errno.ENOENT and "exec printf" in (nowhere.exec_error or ""), nowhere


def test_limits_session_and_oom_score_reach_the_program(backend, build):
    exe = build("import os, resource\nprint(resource.getrlimit(resource.RLIMIT_NOFILE), "
                "resource.getrlimit(resource.RLIMIT_CORE), os.getsid(0) == os.getpid(), "
                "open('/proc/self/oom_score_adj').read().strip(), os.getcwd())\n", "python3")
    result = backend.run(exe, limits=Limits(open_files=77))
    assert result.status is Verdict.OK, result.message
    assert result.stdout == b"(77, 77) (0, 0) True 1000 /box\n"


def test_every_run_reports_where_its_time_went(backend, build):
    exe = build("int main(void){return 0;}", "c17")
    outcome = backend.execute(backend.run_request(exe, limits=Limits()))
    assert outcome.exit_code == 0, outcome
    for phase in ("host.send", "host.wait_for_reply", "receive", "files", "launch", "program", "next_child"):
        assert phase in outcome.phases, sorted(outcome.phases)
    assert all(seconds >= 0 for seconds in outcome.phases.values())


def test_the_idle_box_is_the_same_set_of_processes_after_every_run(build):
    """The next run's child is ready before the reply leaves the box, so nothing appears
    or disappears in an idle box: a caller counting processes between runs sees one count."""
    with LocalBackend(concurrency=1) as single:
        exe = single.compile("#include <unistd.h>\nint main(){if(fork()==0){for(;;)pause();}return 0;}", "c17")
        assert exe.ok, exe.diagnostics
        single.run(exe.executable)
        counts = []
        for _ in range(5):
            result = single.run(exe.executable, limits=Limits(cpu_time=1, wall_time=2))
            assert result.status is Verdict.OK, result.message
            counts.append(sandbox_processes())
        assert len(set(counts)) == 1, counts


def _launcher_children(backend: LocalBackend) -> list[int]:
    """Host pids of the prepared children waiting in an unsafe backend's boxes."""
    found = []
    for box in list(backend._boxes):
        supervisor = box.supervisor_pid
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                executable = os.readlink(f"/proc/{entry}/exe")
            except OSError:
                continue
            if int(fields[1]) == supervisor and "launcher" in executable and fields[0] != b"Z":
                found.append(int(entry))
    return found


def test_a_prepared_child_that_died_is_replaced_and_the_run_goes_on():
    with LocalBackend(concurrency=1, unsafe=True) as unsafe:
        exe = unsafe.compile("int main(void){return 3;}", "c17")
        assert exe.ok, exe.diagnostics
        assert unsafe.run(exe.executable).exit_code == 3
        waiting = _launcher_children(unsafe)
        assert len(waiting) == 1, waiting
        os.kill(waiting[0], signal.SIGKILL)
        time.sleep(0.05)
        result = unsafe.run(exe.executable)
        assert result.exit_code == 3 and result.status is Verdict.RE, result.message
        assert _launcher_children(unsafe) and _launcher_children(unsafe) != waiting


def test_the_launch_message_layout():
    message = protocol._launch_message("/box", {"cpu": [2, 3], "stack": [None, None]}, {"A": "1", "B": "x=y"},
                                       ["./sol", "--", ""])
    (length,) = struct.unpack("=I", message[:4])
    strings = message[4:].split(b"\0")
    assert length == len(message) - 4 and strings[-1] == b""
    assert strings[:-1] == [b"2 2 3", b"/box", b"cpu=2:3", b"stack=-1:-1", b"A=1", b"B=x=y", b"./sol", b"--", b""]
    for bad in ({"A\0": "1"}, {"A=B": "1"}):
        with pytest.raises(ValueError):
            protocol._launch_message("/box", {}, bad, ["./sol"])
    with pytest.raises(ValueError):
        protocol._launch_message("/box", {}, {}, ["./so\0l"])
    with pytest.raises(ValueError):
        protocol._launch_message("/box", {}, {}, [])


def test_framing_survives_many_blobs_and_partial_sends():
    ours, theirs = socket.socketpair()
    try:
        blobs = [bytes([n % 256]) * n for n in range(100)] + [os.urandom(3 << 20)]
        reader = protocol.MessageReader(theirs)
        import threading

        sender = threading.Thread(target=protocol.send_message, args=(ours, {"op": "x"}, blobs))
        sender.start()
        header, received, fds = reader.read()
        sender.join()
        assert header["op"] == "x" and received == blobs and fds == []
        read_end, write_end = os.pipe()
        protocol.send_message(ours, {"op": "fd"}, [b"abc"], [write_end])
        header, received, fds = reader.read()
        assert received == [b"abc"] and len(fds) == 1
        os.write(fds[0], b"!")
        assert os.read(read_end, 1) == b"!"
        for fd in (read_end, write_end, *fds):
            os.close(fd)
    finally:
        ours.close()
        theirs.close()

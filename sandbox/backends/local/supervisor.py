"""The in-box supervisor: one long-lived process per warm box that starts untrusted programs.

Starting a fresh namespace sandbox for every run costs more than the runs themselves (about
2.6 ms for `bwrap --unshare-all` alone), so each box keeps this small process alive as PID 1
of its namespaces, like isolate keeps a box between `--run`s. The host sends it run requests
over a Unix socket; it writes the files, hands the run to the child the native launcher
left waiting (a fresh process of its own, started once the last run's processes were all
gone, so the exec of the launcher is not paid by the run), which execs the program; it
watches the whole process tree's wall time, CPU time and memory,
and afterwards kills and reaps every other process in the box (their CPU time then reaches
this process's RUSAGE_CHILDREN, which is how the tree's total is exact) and wipes the
writable directories, so nothing from one run reaches the next.

Nothing the program can touch is read back by path: stdin and the captured stdout are
memfds opened before the run, and collected files are opened without following links and
must be regular files. Every wait here is bounded by the run's limits; the host bounds its
own wait for the reply and kills a box that does not answer.

This file must stay standalone (standard library only, no package imports): the host hands
its source to the box's own `python3 -c`, because the project's files are invisible inside.
The host side imports the framing helpers below, so both ends share one protocol.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import resource
import select
import shutil
import signal
import socket
import struct
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

LENGTH = struct.Struct(">I")
MAX_FDS_PER_MESSAGE = 4
MAX_PARTS_PER_SEND = 64  # well under IOV_MAX
RLIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "as": resource.RLIMIT_AS,
    "stack": resource.RLIMIT_STACK,
    "nproc": resource.RLIMIT_NPROC,
    "fsize": resource.RLIMIT_FSIZE,
    "nofile": resource.RLIMIT_NOFILE,
    "core": resource.RLIMIT_CORE,
    "msgqueue": resource.RLIMIT_MSGQUEUE,
    "memlock": resource.RLIMIT_MEMLOCK,
}
# How often the watchdog samples the whole process tree (CPU, memory, tasks) from /proc.
TREE_POLL_SECONDS = 0.05
READ_CHUNK = 1 << 16
# From this size on, a run's stdin comes in (and its captured stdout goes back) as a memory
# file passed with the message, not as bytes inside it: moving bytes through this
# process's buffers cost 4 ms per MiB here (fresh pages fault at 2 us each), a memory file
# about a tenth of that.
DESCRIPTOR_BYTES = 64 << 10
REPLY_FDS = "_reply_fds"  # descriptors the reply passes along (taken out before it is sent)
# How long the launcher may take to report its prepared child (it is started between runs).
LAUNCH_TIMEOUT = 10.0
# How a zygote starts: its source (argv[1]) is compiled in a throwaway fork and only the
# code comes back (marshal), because the compiler leaves ~1.7 MiB of freed heap behind in
# the process that ran it, and every child of the zygote would start with that memory.
ZYGOTE_BOOTSTRAP = """\
import marshal, posix, sys
try:  # the interpreter's own start-up peak, before the zygote adds anything (see _Zygote)
    status = posix.open("/proc/self/status", posix.O_RDONLY)
    _STARTUP_PEAK = int(posix.read(status, 1 << 14).split(b"VmHWM:")[1].split()[0]) * 1024
    posix.close(status)
    del status
except (OSError, IndexError, ValueError):
    _STARTUP_PEAK = 0
# The source comes on fd 3 (4-byte length first), not in argv, where the interpreter's
# copies of it would add half a MiB to that peak.
# Read exactly that much: the supervisor's first request may follow on the same socket.
source = b""
while len(source) < 4 or len(source) < 4 + int.from_bytes(source[:4], "big"):
    chunk = posix.read(3, (4 if len(source) < 4 else 4 + int.from_bytes(source[:4], "big")) - len(source))
    if not chunk:
        posix._exit(1)  # the supervisor went away before the source was all there
    source += chunk
source = source[4:].decode()
read_end, write_end = posix.pipe()
if posix.fork() == 0:
    posix.close(read_end)
    data = marshal.dumps(compile(source, "<zygote>", "exec"))
    while data:
        data = data[posix.write(write_end, data):]
    posix._exit(0)
posix.close(write_end)
chunks = []
while chunk := posix.read(read_end, 1 << 16):
    chunks.append(chunk)
posix.close(read_end)
posix.waitpid(-1, 0)
del source, read_end, write_end, chunk
exec(marshal.loads(b"".join(chunks)))
"""


# --------------------------------------------------------------------------- framing
class ConnectionClosed(Exception):
    """The peer closed the control socket (normal shutdown, or the other side died)."""


def send_message(sock: socket.socket, header: dict, blobs: Sequence[bytes] = (), fds: Sequence[int] = ()) -> None:
    """One message: 4-byte length, JSON header (which lists blob sizes), then raw blobs.

    Raw blobs avoid base64 for executables and megabytes of program output. The whole
    message goes out in one sendmsg where it fits (one system call and one wake-up of
    the reader, not one per part); what the socket did not take is sent after it."""
    header = dict(header, blob_sizes=[len(b) for b in blobs])
    body = json.dumps(header, separators=(",", ":")).encode()
    parts = [LENGTH.pack(len(body)) + body, *[blob for blob in blobs if blob]]
    if len(parts) > MAX_PARTS_PER_SEND:
        parts = [parts[0]]
        pending = [blob for blob in blobs if blob]
    else:
        pending = []
    ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack(f"{len(fds)}i", *fds))] if fds else []
    sent = sock.sendmsg(parts, ancillary)
    for part in parts:
        if sent >= len(part):
            sent -= len(part)
            continue
        sock.sendall(memoryview(part)[sent:])
        sent = 0
    for blob in pending:
        sock.sendall(blob)


class MessageReader:
    """Reads framed messages, collecting any file descriptors passed alongside them."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []

    def _collect(self, ancdata: list) -> None:
        for level, kind, payload in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                usable = len(payload) - len(payload) % 4
                self.fds.extend(struct.unpack(f"{usable // 4}i", payload[:usable]))

    def _fill(self, need: int) -> None:
        while len(self.buffer) < need:
            data, ancdata, _flags, _addr = self.sock.recvmsg(READ_CHUNK, socket.CMSG_SPACE(MAX_FDS_PER_MESSAGE * 4))
            self._collect(ancdata)
            if not data:
                raise ConnectionClosed()
            self.buffer += data

    def _take(self, n: int) -> bytes:
        if n > READ_CHUNK and len(self.buffer) < n:
            return self._take_large(n)
        self._fill(n)
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out

    def _take_large(self, n: int) -> bytes:
        """A big blob is received straight into one buffer of its size, not a buffer per
        receive appended to the shared one and copied out of it."""
        out = bytearray(n)
        have = len(self.buffer)
        out[:have] = self.buffer
        self.buffer.clear()
        view = memoryview(out)
        while have < n:
            got, ancdata, _flags, _addr = self.sock.recvmsg_into([view[have:]],
                                                                 socket.CMSG_SPACE(MAX_FDS_PER_MESSAGE * 4))
            self._collect(ancdata)
            if not got:
                raise ConnectionClosed()
            have += got
        return bytes(out)

    def read(self) -> tuple[dict, list[bytes], list[int]]:
        (length,) = LENGTH.unpack(self._take(LENGTH.size))
        header = json.loads(self._take(length))
        blobs = [self._take(size) for size in header.get("blob_sizes", [])]
        fds, self.fds = self.fds, []
        return header, blobs, fds


# --------------------------------------------------------------------------- box state
def _safe_path(root: str, relative: str) -> str:
    """Joins a request's relative path under root, refusing anything that climbs out."""
    if not relative or relative.startswith("/") or ".." in relative.split("/"):
        raise ValueError(f"unsafe path in request: {relative!r}")
    return os.path.join(root, relative)


def _wipe(directory: str) -> None:
    """Empties a writable directory, whatever permissions the program left on it."""
    try:
        os.chmod(directory, 0o755)
    except OSError:
        pass

    def fix_and_retry(func, path, _exc):
        parent = os.path.dirname(path)
        try:
            os.chmod(parent, 0o755)
            os.chmod(path, 0o755)
        except OSError:
            pass
        func(path)

    for entry in os.scandir(directory):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, onerror=fix_and_retry)
        else:
            try:
                os.unlink(entry.path)
            except PermissionError:
                os.chmod(directory, 0o755)
                os.unlink(entry.path)


def _ipc_objects_left() -> bool:
    """True when the run left System V IPC objects behind (they outlive processes)."""
    for name in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{name}") as handle:
                if len(handle.readlines()) > 1:
                    return True
        except OSError:
            continue
    return False


def _elf_image_bytes(path: str, written: dict[str, bytes] | None = None) -> int | None:
    """The span of a 64-bit ELF executable's loadable segments (code, data and bss): what
    the kernel must map before the program's first instruction. None for anything else.
    A file this process has just written is read from `written` (no second read).

    A `static char a[1 << 30];` under a 256 MiB limit cannot be mapped under the address-space
    cap, and the kernel kills such a program with SIGSEGV inside execve; judges report it as
    "memory limit exceeded on test 1", so the supervisor decides it before starting it."""
    data = (written or {}).get(os.path.normpath(path))
    if data is not None:
        return _elf_span(data[:64], lambda offset, size: data[offset : offset + size])
    try:
        with open(path, "rb") as handle:
            def read_at(offset: int, size: int) -> bytes:
                handle.seek(offset)
                return handle.read(size)

            return _elf_span(handle.read(64), read_at)
    except OSError:
        return None


def _elf_span(head: bytes, read_at: Any) -> int | None:
    """`_elf_image_bytes` on an ELF header and a reader of the rest of the file."""
    if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2:
        return None
    order = "<" if head[5] == 1 else ">"
    (table_offset,) = struct.unpack_from(order + "Q", head, 32)
    entry_size, entries = struct.unpack_from(order + "HH", head, 54)
    if entry_size < 56 or entries > 512:
        return None
    table = read_at(table_offset, entry_size * entries)
    low, high = None, 0
    for index in range(min(entries, len(table) // entry_size)):
        base = index * entry_size
        (kind,) = struct.unpack_from(order + "I", table, base)
        if kind != 1:  # PT_LOAD
            continue
        (address,) = struct.unpack_from(order + "Q", table, base + 16)
        (size,) = struct.unpack_from(order + "Q", table, base + 40)
        low = address if low is None else min(low, address)
        high = max(high, address + size)
    return None if low is None else high - low


def _write_file(path: str, data: bytes, mode: int, root: str) -> None:
    """Writes one of a request's files (the box was wiped, so it is new) with its mode."""
    directory = os.path.dirname(path)
    if directory != root:
        os.makedirs(directory, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def _children_of(pid: int) -> list[int]:
    children: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return children
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", "rb") as handle:
                children += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return children


def _proportional_rss(pid: int, resident: int) -> int:
    """Pss from smaps_rollup: pages shared between the tree's processes (a fork's
    copy-on-write memory) counted once in all, not once per process. A process that made
    itself unreadable (not dumpable) is counted at its full resident size; one that exited
    since it was listed holds nothing any more."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except PermissionError:
        return resident
    except (OSError, ValueError, IndexError):
        return 0
    return 0


@dataclass
class TreeSample:
    cpu: float = 0.0  # seconds, live processes plus what they reaped from their children
    memory: int = 0  # bytes resident in the whole tree, shared pages counted once
    tasks: int = 0  # threads and processes
    samples: int = 0  # how many samples were taken (as a peak: over a run)
    sample_seconds: float = 0.0  # what taking them cost this process


@dataclass
class _Prepared:
    """A launcher started between runs, and then the child it left waiting for a run. A
    zygote's prepared child speaks the same protocol; it has no launcher to reap."""

    launcher: int  # the launcher's pid (reaped once its report is read); 0 for a zygote's
    sock: socket.socket  # our end of its control socket: requests out, reports in
    pid: int = 0  # the waiting child, a child of this process
    pidfd: int = -1
    kind: tuple[str, ...] = ()  # the zygote's interpreter command; () for the native launcher

    def discard(self) -> None:
        """Ends a waiting child that can no longer take a run."""
        self.sock.close()
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0


@dataclass
class _Zygote:
    """A pre-started interpreter (zygote.py), one per interpreter command, kept for the
    box's life unless a run disturbs it. It is this process's child but never a run's:
    the kill, the reaping, the tree's accounting and the survivor check all pass it by."""

    command: tuple[str, ...]
    pid: int
    sock: socket.socket  # its control socket: one 'p' with a socket attached per prepared child
    # (the interpreter's start-up peak, the peak of an empty script forked from this
    # zygote), in bytes; sent once by the zygote, as 'H' + two 8-byte numbers, on its
    # control socket, before it forks its first prepared child.
    footprint: tuple[int, int] | None = None

    def _footprint(self) -> tuple[int, int]:
        """Read at the zygote's first run, by when it has long sent it (it does so before
        it forks its first child); (0, 0) if it did not."""
        if self.footprint is None:
            try:
                said = self.sock.recv(17, socket.MSG_DONTWAIT)
            except OSError:
                said = b""
            ok = len(said) == 17 and said[:1] == b"H"
            self.footprint = ((int.from_bytes(said[1:9], sys.byteorder), int.from_bytes(said[9:], sys.byteorder))
                              if ok else (0, 0))
        return self.footprint

    def cold_start_equivalent(self, measured: int) -> int:
        """A forked run's peak memory as a cold start of the same program would measure it.
        A fork inherits the zygote's heap but neither the start-up's peak nor the library
        pages the start-up touched (the kernel copies no page tables of file mappings), so
        a run measures a constant apart from a cold start: that constant is what an empty
        program measures cold (the interpreter's start-up peak) less what it measures
        forked. Measured here, a fork of PyPy measures 17 MiB less (a 30 MiB library,
        half of it paged in at start-up), one of CPython 0.1 MiB more."""
        cold_pass, forked_pass = self._footprint()
        if not cold_pass or not forked_pass:
            return measured
        return max(cold_pass, measured + cold_pass - forked_pass)

    def stop(self) -> None:
        self.sock.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def _launch_message(cwd: str, rlimits: dict, env: dict, argv: list) -> bytes:
    """A run for the waiting child, in the launcher's layout (see native/launcher.c)."""
    limits = [f"{name}={-1 if soft is None else soft}:{-1 if hard is None else hard}"
              for name, (soft, hard) in rlimits.items()]
    for key in env:
        if not key or "=" in key:
            raise ValueError(f"illegal environment variable name {key!r}")
    variables = [f"{key}={value}" for key, value in env.items()]
    strings = [f"{len(limits)} {len(variables)} {len(argv)}", cwd, *limits, *variables, *argv]
    encoded = [os.fsencode(text) for text in strings]
    if not argv or any(b"\0" in text for text in encoded):
        raise ValueError("an empty argv, or a NUL byte in an argument, path or variable")
    payload = b"\0".join(encoded) + b"\0"
    return struct.pack("=I", len(payload)) + payload


class PhaseClock:
    """Where a run's time goes, phase by phase, on either side of the box's socket (the
    host imports it with the framing helpers; `verifier bench sandbox` prints both sides)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.phases: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = now - self.last
        self.last = now


class Supervisor:
    def __init__(self, config: dict) -> None:
        self.box = config["box"]
        self.tmp = config["tmp"]
        self.as_init = bool(config["as_init"])
        self.launcher = config.get("launcher")
        self.prepared: _Prepared | None = None
        self.all_reaped = True
        self.prepare_error: tuple[int, str] | None = None
        self.zygote_source: str | None = config.get("zygote_source")
        self.zygotes: dict[tuple[str, ...], _Zygote] = {}
        # Zygotes the host knew of when it set this run's limits (they leave room for them).
        self.counted: set[tuple[str, ...]] = set()
        self.foreign_cpu = 0.0  # CPU reaped during a run that was not the run's (a killed zygote's)
        self.devnull = os.open("/dev/null", os.O_RDWR | os.O_CLOEXEC)
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.page = os.sysconf("SC_PAGE_SIZE")

    # -- process-tree control ---------------------------------------------------------
    def kill_everything(self, main_pid: int) -> None:
        """As PID 1 of the box, `kill(-1)` reaches every other process in the namespace,
        including ones that left the process group; without namespaces (unsafe mode) the
        best available is the program's session."""
        try:
            if self.as_init and not self.zygotes:
                os.kill(-1, signal.SIGKILL)
            elif self.as_init:
                # kill(-1) would take the zygotes too: every other process, one by one (the
                # reaping loop repeats this until nothing but them is left).
                for pid in self.tree(0):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            else:
                os.killpg(main_pid, signal.SIGKILL)
        except OSError:
            pass

    def zygote_pids(self) -> set[int]:
        return {zygote.pid for zygote in self.zygotes.values()}

    def sweep(self) -> int:
        """Without a PID namespace, processes that left the session are still ours: as a
        child subreaper, their orphans were reparented to this process."""
        peak = 0
        for _ in range(100):
            children = [pid for pid in _children_of(os.getpid()) if pid not in self.zygote_pids()]
            if not children:
                break
            for pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            peak = max(peak, self.reap_all())
        return peak

    def reap_all(self) -> int:
        """Reaps every process left in the box (all were sent SIGKILL), so that their CPU
        time reaches this process's RUSAGE_CHILDREN; returns the largest peak RSS among
        them. Bounded: a process that will not die within 5 s is left to the box's end."""
        peak = 0
        deadline = time.monotonic() + 5
        self.all_reaped = False
        while True:
            try:
                pid, _status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                self.all_reaped = True  # nothing of the run is left in the box
                return peak
            if pid == 0:
                if self.zygotes and not self.tree(0):
                    self.all_reaped = True  # only the zygotes are left, as they should be
                    return peak
                if time.monotonic() > deadline:
                    return peak
                if self.as_init:
                    self.kill_everything(0)  # one forked while the first kill went round
                time.sleep(0.0005)
                continue
            if pid in self.zygote_pids():
                # The run killed it: it is replaced, and its whole life's CPU, which reaping
                # just added to RUSAGE_CHILDREN, is taken out of the run's again.
                self._forget_zygote(pid)
                self.foreign_cpu += usage.ru_utime + usage.ru_stime
                continue
            peak = max(peak, usage.ru_maxrss * 1024)

    def tree(self, main_pid: int) -> list[int]:
        """Every process of the run: in the box's PID namespace, all but PID 1; without one,
        the descendants of this supervisor."""
        zygotes = self.zygote_pids()
        if self.as_init:
            return [pid for pid in (int(name) for name in os.listdir("/proc") if name.isdigit() and name != "1")
                    if pid not in zygotes]
        found: list[int] = []
        frontier = [os.getpid()]
        while frontier and len(found) < 65536:
            for child in _children_of(frontier.pop()):
                if child in zygotes:
                    continue
                found.append(child)
                frontier.append(child)
        return found

    def sample(self, main_pid: int) -> TreeSample:
        """CPU, memory and task count of the whole process tree, read from /proc. Cheap for
        one process (one small read); with several, resident memory comes from Pss so that
        a fork's shared pages are not counted twice."""
        sample = TreeSample()
        resident: list[tuple[int, int]] = []
        for pid in self.tree(main_pid):
            try:
                with open(f"/proc/{pid}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                sample.cpu += sum(int(value) for value in fields[11:15]) / self.ticks
                sample.tasks += int(fields[17])
                if fields[0] not in (b"Z", b"X"):
                    resident.append((pid, int(fields[21]) * self.page))
            except (OSError, IndexError, ValueError):
                continue
        if len(resident) == 1:
            sample.memory = resident[0][1]
        else:
            sample.memory = sum(_proportional_rss(pid, rss) for pid, rss in resident)
        return sample

    # -- one run ----------------------------------------------------------------------
    def run(self, request: dict, blobs: list[bytes], fds: list[int],
            clock: PhaseClock | None = None) -> tuple[dict, list[bytes]]:
        clock = clock or PhaseClock()
        written: dict[str, bytes] = {}
        for (relative, mode), data in zip(request["files"], blobs[: len(request["files"])]):
            path = _safe_path(self.box, relative)
            _write_file(path, data, mode, self.box)
            written[os.path.normpath(path)] = data
        extra_blobs = blobs[len(request["files"]) :]
        blobs.clear()  # the files are on disk now; keep only what stdin still needs
        clock.lap("files")

        image = self._image_too_large(request, written)
        written.clear()
        clock.lap("image_check")
        if image is not None:
            for fd in fds:
                os.close(fd)
            return _not_started(image_bytes=image), [b"", b""]

        # Captured stdio lives in memory files that have no path: the program can neither
        # swap them (a FIFO, a symlink, a directory) nor make this process reopen anything.
        stdin_spec = request.get("stdin")
        stdout_spec = request.get("stdout")
        if stdin_spec is None:
            stdin_fd = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
        elif "fd" in stdin_spec:
            stdin_fd = fds[stdin_spec["fd"]]
        else:
            stdin_fd = os.memfd_create("stdin", os.MFD_CLOEXEC)
            data = extra_blobs[stdin_spec["blob"]]
            view = memoryview(data)
            while view:
                view = view[os.write(stdin_fd, view) :]
            os.lseek(stdin_fd, 0, os.SEEK_SET)
        extra_blobs = None  # type: ignore[assignment]
        captured_stdout: int | None = None
        if stdout_spec and "fd" in stdout_spec:
            stdout_fd = fds[stdout_spec["fd"]]
        else:
            stdout_fd = captured_stdout = os.memfd_create("stdout", os.MFD_CLOEXEC)
        merge_stdout = bool(request.get("merge_stdout_into_stderr"))
        err_read, err_write = os.pipe2(os.O_CLOEXEC)
        out_fd = err_write if merge_stdout else stdout_fd
        clock.lap("stdio")

        failure: tuple[int, str] | None = None
        report_read = report_write = None
        prepared = None
        wanted = tuple(request.get("zygote") or ())
        # A zygote serves only runs whose limits were set with it counted (see `resident`).
        kind = wanted if wanted in self.zygotes and wanted in self.counted else ()
        try:
            if self.launcher:
                prepared, failure = self._prepared_child(kind)
                clock.lap("prepared_child")
                if prepared is not None:
                    prepared, started, failure = self._hand_over(prepared, request, (stdin_fd, out_fd, err_write))
                    # Only reaping moves RUSAGE_CHILDREN, and nothing is reaped between the
                    # hand-over and here (a replaced launcher was, before it).
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    if prepared is not None:
                        pid, pidfd, report_read = prepared.pid, prepared.pidfd, prepared.sock.detach()
            else:
                report_read, report_write = os.pipe2(os.O_CLOEXEC)
                _reset_peak_rss()
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                pid = self._fork(request, stdin_fd, out_fd, err_write, report_write)
                pidfd = os.pidfd_open(pid)
                started = time.monotonic()
        finally:
            # Only the program's side holds these now; our copies would keep pipes open.
            for fd in {stdin_fd, stdout_fd, err_write, *fds, *([report_write] if report_write is not None else [])} - {
                    captured_stdout}:
                os.close(fd)
        if failure is not None or report_read is None:
            for leftover in (err_read, captured_stdout):
                if leftover is not None:
                    os.close(leftover)
            failure = failure or (0, "the launcher did not start the program")
            return _not_started(exec_error=failure[1], exec_errno=failure[0]), [b"", b""]
        clock.lap("launch")
        killed_by, stderr_data, stderr_total, peak = self._watch(pid, pidfd, request, started, err_read)
        _, status, usage = os.wait4(pid, 0)
        wall = time.monotonic() - started
        clock.lap("program")
        self.kill_everything(pid)
        orphan_peak = self.reap_all()
        if not self.as_init:
            orphan_peak = max(orphan_peak, self.sweep())
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        clock.lap("kill_and_reap")
        if self.all_reaped:
            # Nothing untrusted is left, so the next run's process may start now: its
            # exec overlaps the output work below, and it is ready before the reply goes
            # out, so the box the host sees idle is the box the next run gets. The next run
            # is most likely of this one's kind (a submission's tests come in a row).
            self._check_zygotes()
            if wanted and wanted not in self.zygotes and self.zygote_source and self.launcher:
                self._start_zygote(wanted, request["env"])
            self.prepare(wanted if wanted in self.zygotes else ())
            clock.lap("prepare_launcher")
        stderr_data, stderr_total = self._drain(err_read, stderr_data, stderr_total, request["stderr_capture"])
        os.close(err_read)
        os.set_blocking(report_read, False)
        try:
            late = os.read(report_read, 4096)
        except BlockingIOError:
            late = b""
        os.close(report_read)
        # A zygote's child says 'Z' just before it runs the program in-process.
        prestarted = late[:1] == b"Z"
        exec_errno, exec_error = _parse_failure(late, bool(self.launcher)) if late[:1] == b"X" else (None, None)

        memory = max(usage.ru_maxrss * 1024, orphan_peak, peak.memory)
        zygote = self.zygotes.get(kind) if prestarted else None
        if zygote is not None:
            memory = zygote.cold_start_equivalent(memory)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime) - self.foreign_cpu
        self.foreign_cpu = 0.0
        result = {
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "cpu_time": max(cpu, usage.ru_utime + usage.ru_stime),
            "wall_time": wall,
            "max_rss_bytes": memory,
            "max_tasks": peak.tasks,
            "killed_by": killed_by,
            "exec_error": exec_error,
            "exec_errno": exec_errno,
            "image_bytes": None,
            "tree_samples": peak.samples,
            "tree_sample_seconds": peak.sample_seconds,
            "prestarted": prestarted,
            "stderr_size": stderr_total,
            "stdout_size": None,
            "collected": [],
        }
        out_blobs = [bytes(stderr_data)]
        if captured_stdout is not None:
            size = os.fstat(captured_stdout).st_size
            result["stdout_size"] = size
            if min(size, request["stdout_capture"]) >= DESCRIPTOR_BYTES:
                # Big output goes back as the memory file itself: the host reads it once,
                # instead of this process reading it, sending it and the host receiving it.
                result["stdout_fd"] = 0
                result[REPLY_FDS] = [captured_stdout]
                out_blobs.append(b"")
            else:
                out_blobs.append(os.pread(captured_stdout, min(size, request["stdout_capture"]), 0) if size else b"")
                os.close(captured_stdout)
        else:
            out_blobs.append(b"")
        for name, data, size in self._collect(request.get("collect", []), request["collect_capture"]):
            result["collected"].append([name, size])
            out_blobs.append(data)
        clock.lap("output")
        self._confirm_prepared()
        clock.lap("next_child")
        result["phases"] = clock.phases
        return result, out_blobs

    def _image_too_large(self, request: dict, written: dict[str, bytes]) -> int | None:
        memory_limit = request.get("memory_limit")
        program = request["argv"][0]
        if not memory_limit or "/" not in program:
            return None
        cwd = _safe_path(self.box, request["cwd"]) if request.get("cwd") else self.box
        image = _elf_image_bytes(os.path.join(cwd, program), written)
        return image if image is not None and image > memory_limit else None

    # -- the prepared child (native launcher) -----------------------------------------
    def prepare(self, kind: tuple[str, ...] = ()) -> None:
        """Starts the launcher (or asks the zygote of `kind`) for the next run's child: the
        exec or fork it costs then stays off the next run's latency. Called only when
        nothing untrusted is left in the box (at start-up, and after a run once everything
        in the box was killed and reaped), so no program ever shares the box with a waiting
        child. A failure here is retried, and reported, by the run that needs the child."""
        if self.launcher is None or self.prepared is not None:
            return
        if kind and self._ask_zygote(kind):
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        # Well above 0-3, so that the spawn's dup2 onto 3 really clears close-on-exec.
        spare = fcntl.fcntl(theirs.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
        theirs.close()
        try:
            launcher = os.posix_spawn(
                self.launcher, [self.launcher], {},
                file_actions=[(os.POSIX_SPAWN_DUP2, self.devnull, 0), (os.POSIX_SPAWN_DUP2, self.devnull, 1),
                              (os.POSIX_SPAWN_DUP2, self.devnull, 2), (os.POSIX_SPAWN_DUP2, spare, 3)],
                setsigdef=(signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGCHLD,
                           signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2),
                setsigmask=(),
            )
        except OSError as exc:
            ours.close()
            self.prepare_error = (exc.errno or 0, f"posix_spawn of the launcher: {exc.strerror or exc}")
            return
        finally:
            os.close(spare)
        self.prepare_error = None
        self.prepared = _Prepared(launcher=launcher, sock=ours)

    def _confirm_prepared(self) -> None:
        """Waits for the launcher started by `prepare`: its 'P' report read, the launcher
        reaped (its CPU time is then no run's), a pidfd on the child it left. A launcher
        that failed leaves no prepared child; its reason waits for the run that needs one."""
        prepared = self.prepared
        if prepared is None or prepared.pid:
            return
        self.prepared = None
        sock = prepared.sock
        try:
            sock.settimeout(LAUNCH_TIMEOUT)
            record = b""
            while len(record) < 5:
                chunk = sock.recv(5 - len(record))
                if not chunk:
                    break
                record += chunk
            if record[:1] == b"E":
                while len(record) < 600 and (chunk := sock.recv(600)):
                    record += chunk
            sock.settimeout(None)
        except OSError as exc:  # a timeout included: the launcher is wedged
            record = b"E" + struct.pack("=i", exc.errno or 0) + f"no report from the launcher: {exc}".encode()
            try:
                if prepared.launcher:
                    os.kill(prepared.launcher, signal.SIGKILL)
            except OSError:
                pass
        if prepared.launcher:
            os.waitpid(prepared.launcher, 0)
        elif record[:1] != b"P":
            self._drop_zygote(prepared.kind)  # it failed or wedged: the next run of its kind starts a new one
        if record[:1] != b"P" or len(record) < 5:
            sock.close()
            self.prepare_error = (_parse_failure(record, True) if record[:1] == b"E"
                                  else (0, "the launcher exited without a child"))
            return
        (prepared.pid,) = struct.unpack("=i", record[1:5])
        try:
            prepared.pidfd = os.pidfd_open(prepared.pid)
        except OSError as exc:
            prepared.discard()
            self.prepare_error = (exc.errno or 0, f"pidfd_open of the prepared child: {exc.strerror}")
            return
        self.prepared = prepared

    def _prepared_child(self, kind: tuple[str, ...] = ()) -> tuple[_Prepared | None, tuple[int, str] | None]:
        """The waiting child of `kind` for this run (started now if the box had none, or
        one of another kind), or why there is none. A zygote that fails gives way to a
        cold start through the launcher."""
        self._confirm_prepared()
        if self.prepared is not None and self.prepared.kind != kind:
            self.prepared.discard()  # before the run's usage is snapshotted: not its CPU
            self.prepared = None
        self.prepare(kind)
        self._confirm_prepared()
        if self.prepared is None and kind:
            self.prepare()
            self._confirm_prepared()
        prepared, self.prepared = self.prepared, None
        if prepared is None:
            return None, self.prepare_error or (0, "the launcher could not be started")
        return prepared, None

    # -- pre-started interpreters (zygote.py) ----------------------------------------
    def _start_zygote(self, command: tuple[str, ...], env: dict) -> None:
        """Starts the zygote for an interpreter command, under an unlimited stack limit (as
        programs run by default: the kernel lays out a process's memory at exec from it,
        and the zygote's children inherit that layout). Its first prepared child waits for
        its start-up; a zygote that cannot start only means cold starts."""
        assert self.zygote_source is not None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        spare = fcntl.fcntl(theirs.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
        theirs.close()
        source = self.zygote_source.encode()
        ours.sendall(len(source).to_bytes(4, "big") + source)  # the bootstrap reads it from fd 3
        # The zygote's stdio is of the kinds a judged run's is (memory files for stdin and
        # stdout, a pipe for stderr), so that the streams its interpreter made at start-up
        # are the very streams a run on such descriptors would get (zygote._reusable_stdio).
        stdio = [os.memfd_create("zygote-stdin", os.MFD_CLOEXEC), os.memfd_create("zygote-stdout", os.MFD_CLOEXEC)]
        err_read, err_write = os.pipe2(os.O_CLOEXEC)
        stdio.append(err_write)
        soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
        try:
            resource.setrlimit(resource.RLIMIT_STACK, (hard, hard))
            pid = os.posix_spawnp(
                command[0], [*command, "-c", ZYGOTE_BOOTSTRAP, *command], dict(env),
                file_actions=[*[(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(stdio)],
                              (os.POSIX_SPAWN_DUP2, spare, 3)],
                setsigdef=(signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGCHLD,
                           signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2),
                setsigmask=())
        except OSError:
            ours.close()
            return
        finally:
            resource.setrlimit(resource.RLIMIT_STACK, (soft, hard))
            for fd in (spare, err_read, *stdio):
                os.close(fd)
        self.zygotes[command] = _Zygote(command=command, pid=pid, sock=ours)

    def _ask_zygote(self, kind: tuple[str, ...]) -> bool:
        """Asks the zygote of `kind` to fork the next run's child; False if it cannot."""
        zygote = self.zygotes.get(kind)
        if zygote is None:
            return False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            socket.send_fds(zygote.sock, [b"p"], [theirs.fileno()])
        except OSError:
            ours.close()
            self._drop_zygote(kind)
            return False
        finally:
            theirs.close()
        self.prepared = _Prepared(launcher=0, sock=ours, kind=kind)
        return True

    def _check_zygotes(self) -> None:
        """Replaces a zygote a run stopped or killed (a same-uid process may signal it; it
        checks its own limits itself and exits when they were changed)."""
        for kind, zygote in list(self.zygotes.items()):
            try:
                pid, _status = os.waitpid(zygote.pid, os.WNOHANG | os.WUNTRACED)
            except ChildProcessError:
                pid = zygote.pid
            if pid:
                self._drop_zygote(kind)

    def _drop_zygote(self, kind: tuple[str, ...]) -> None:
        zygote = self.zygotes.pop(kind, None)
        if zygote is not None:
            zygote.stop()

    def _forget_zygote(self, pid: int) -> None:
        """A zygote already reaped (it died during a run)."""
        for kind, zygote in list(self.zygotes.items()):
            if zygote.pid == pid:
                zygote.sock.close()
                del self.zygotes[kind]

    def resident(self) -> dict[str, int]:
        """What the box keeps between runs besides this process, for the host to leave room
        for in the next run's limits; only zygotes counted here serve that run."""
        self.counted = set(self.zygotes)
        memory = 0
        for zygote in self.zygotes.values():
            try:
                with open(f"/proc/{zygote.pid}/statm", "rb") as handle:
                    memory += int(handle.read().split()[1]) * self.page
            except (OSError, IndexError, ValueError):
                memory += 64 << 20  # unreadable: assume a PyPy-sized interpreter
        return {"resident_tasks": len(self.zygotes), "resident_bytes": memory}

    def _hand_over(self, prepared: _Prepared, request: dict,
                   stdio: tuple[int, int, int]) -> tuple[_Prepared | None, float, tuple[int, str] | None]:
        """Sends the run to the waiting child, which then execs the program; returns when
        the run started (the wall clock's zero). A child that died while it waited (it
        cannot have run anything) is replaced once."""
        cwd = _safe_path(self.box, request["cwd"]) if request.get("cwd") else self.box
        message = _launch_message(cwd, request["rlimits"], request["env"], request["argv"])
        for attempt in range(2):
            started = time.monotonic()
            try:
                sent = socket.send_fds(prepared.sock, [message], list(stdio))
                if sent < len(message):
                    prepared.sock.sendall(message[sent:])
                return prepared, started, None
            except OSError as exc:
                prepared.discard()
                if attempt == 1 or exc.errno not in (errno.EPIPE, errno.ECONNRESET):
                    return None, started, (exc.errno or 0, f"could not hand the run to the launcher: {exc.strerror}")
            replacement, failure = self._prepared_child(prepared.kind)
            if replacement is None:
                return None, started, failure
            prepared = replacement
        raise AssertionError("unreachable")

    def _fork(self, request: dict, stdin_fd: int, stdout_fd: int, stderr_fd: int, report_write: int) -> int:
        """Without the native launcher (no C compiler on the host): fork this interpreter.
        Works, but costs about a millisecond more, and the program's peak RSS then starts
        at this process's own (~10 MiB)."""
        pid = os.fork()
        if pid == 0:  # child: never returns
            self._exec_child(request, stdin_fd, stdout_fd, stderr_fd, report_write)
        return pid

    def _exec_child(self, request: dict, stdin_fd: int, stdout_fd: int, stderr_fd: int, report_write: int) -> None:
        try:
            os.setsid()
            _fresh_keyrings()
            try:
                with open("/proc/self/oom_score_adj", "w") as handle:
                    handle.write("1000")
            except OSError:
                pass
            # Python ignores SIGPIPE and SIGXFSZ; ignored dispositions survive exec, and a
            # program must die of SIGXFSZ at the output cap, not see EFBIG.
            for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            os.dup2(stdin_fd, 0)
            os.dup2(stdout_fd, 1)
            os.dup2(stderr_fd, 2)
            os.dup2(report_write, 3)
            os.set_inheritable(3, False)
            os.closerange(4, 65536)
            os.chdir(_safe_path(self.box, request["cwd"]) if request.get("cwd") else self.box)
            for name, (soft, hard) in request["rlimits"].items():
                soft = resource.RLIM_INFINITY if soft is None else soft
                hard = resource.RLIM_INFINITY if hard is None else hard
                resource.setrlimit(RLIMITS[name], (soft, hard))
            os.execvpe(request["argv"][0], request["argv"], request["env"])
        except BaseException as exc:  # must report, never return into the loop
            try:
                number = exc.errno if isinstance(exc, OSError) and exc.errno else 0
                os.write(3, b"X" + struct.pack("=i", number) + f"{type(exc).__name__}: {exc}".encode())
            finally:
                os._exit(127)

    def _watch(self, pid: int, pidfd: int, request: dict, started: float, err_read: int):
        """Waits for the program while draining its stderr, and kills it at the wall limit,
        or as soon as the whole tree's CPU time passes the CPU limit (rlimits count one
        process, in whole seconds) or its resident memory passes the memory limit."""
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(err_read, select.POLLIN)
        os.set_blocking(err_read, False)
        wall_limit = request["wall_limit"]
        cpu_limit = request.get("cpu_limit")
        memory_limit = request.get("memory_limit")
        stderr_data = bytearray()
        stderr_total = 0
        killed_by = None
        peak = TreeSample()
        next_sample = started + TREE_POLL_SECONDS
        try:
            while True:
                now = time.monotonic()
                remaining = started + wall_limit - now
                if remaining <= 0:
                    killed_by = "wall"
                    break
                timeout = min(remaining, max(0.0, next_sample - now))
                events = poller.poll(max(1, int(timeout * 1000) + 1))
                exited = False
                for fd, _event in events:
                    if fd == pidfd:
                        exited = True
                    elif fd == err_read:
                        stderr_data, stderr_total, still_open = self._read_some(
                            err_read, stderr_data, stderr_total, request["stderr_capture"]
                        )
                        if not still_open:
                            poller.unregister(err_read)
                if exited:
                    break
                if time.monotonic() >= next_sample:
                    next_sample = time.monotonic() + TREE_POLL_SECONDS
                    sampled_at = time.perf_counter()
                    now_sample = self.sample(pid)
                    peak.samples += 1
                    peak.sample_seconds += time.perf_counter() - sampled_at
                    peak.memory = max(peak.memory, now_sample.memory)
                    peak.tasks = max(peak.tasks, now_sample.tasks)
                    if cpu_limit and now_sample.cpu > cpu_limit + 0.05:
                        killed_by = "cpu"
                        break
                    if memory_limit and now_sample.memory > memory_limit:
                        killed_by = "memory"
                        break
        finally:
            if killed_by:
                self.kill_everything(pid)
            os.close(pidfd)
        return killed_by, stderr_data, stderr_total, peak

    @staticmethod
    def _read_some(fd: int, data: bytearray, total: int, cap: int):
        try:
            chunk = os.read(fd, READ_CHUNK)
        except BlockingIOError:
            return data, total, True
        if not chunk:
            return data, total, False
        if len(data) < cap:
            data += chunk[: cap - len(data)]
        return data, total + len(chunk), True

    def _drain(self, fd: int, data: bytearray, total: int, cap: int):
        while True:
            data, total, still_open = self._read_some(fd, data, total, cap)
            if not still_open:
                return data, total
            try:
                select.select([fd], [], [], 0.05)
            except OSError:
                return data, total
            probe = select.select([fd], [], [], 0)[0]
            if not probe:
                return data, total

    def _collect(self, patterns: list[str], cap: int):
        """Returns regular files the host asked for (compiler outputs, output.txt);
        symlinks are never followed, so a program cannot make the host read elsewhere."""
        import fnmatch

        if not patterns:
            return
        try:
            names = sorted(os.listdir(self.box))
        except OSError:
            return
        for name in names:
            if not any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
                continue
            try:
                fd = os.open(os.path.join(self.box, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                info = os.fstat(fd)
                if not (info.st_mode & 0o170000 == 0o100000):
                    continue
                with os.fdopen(os.dup(fd), "rb") as handle:
                    yield name, handle.read(cap), info.st_size
            finally:
                os.close(fd)

    def reset(self) -> bool:
        """Wipes the box after a run; returns False when the box cannot be trusted again."""
        for directory in (self.box, self.tmp):
            try:
                _wipe(directory)
            except OSError:
                return False
        waiting = self.prepared.pid if self.prepared is not None else 0
        if self.as_init and (_ipc_objects_left() or [pid for pid in self.tree(0) if pid != waiting]):
            # A process that outlived the kill-and-reap (or a System V object) would carry
            # CPU time, memory or state into the next run: replace the box instead.
            return False
        return True


def _not_started(**fields: Any) -> dict[str, Any]:
    """The reply for a program that never ran (it could not be started at all)."""
    result: dict[str, Any] = {"exit_code": None, "signal": None, "cpu_time": 0.0, "wall_time": 0.0, "max_rss_bytes": 0,
              "max_tasks": 0, "killed_by": None, "exec_error": None, "exec_errno": None, "image_bytes": None,
              "stderr_size": 0, "stdout_size": 0, "collected": []}
    result.update(fields)
    return result


def _parse_failure(record: bytes, name_errno: bool = False) -> tuple[int, str]:
    """An 'E' or 'X' record: errno, then the words of whoever failed. The launcher's name
    only what failed (`name_errno`: it has no C library to describe the errno)."""
    if len(record) < 5:
        return 0, "the launcher failed"
    (number,) = struct.unpack("=i", record[1:5])
    text = record[5:].decode(errors="replace")
    if not text:
        return number, os.strerror(number)
    return number, f"{text}: {os.strerror(number)}" if name_errno and number else text


_KEYCTL_SYSCALL = {"x86_64": 250, "aarch64": 219}


def _fresh_keyrings() -> None:
    """The launcher's keyring reset, for the fork fallback: a new session keyring, and the
    box user's persistent keyrings emptied (see native/launcher.c)."""
    number = _KEYCTL_SYSCALL.get(os.uname().machine)
    if number is None:
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall(number, 1, None, 0, 0, 0)  # KEYCTL_JOIN_SESSION_KEYRING, anonymous
        libc.syscall(number, 7, -4, 0, 0, 0)  # KEYCTL_CLEAR the user keyring
        libc.syscall(number, 7, -5, 0, 0, 0)  # and the user session keyring
    except OSError:
        pass


def _reset_peak_rss() -> None:
    """The fork fallback's program's rusage peak starts at *this* process's peak RSS: the
    child execs from a copy of our address space, and exec keeps the larger of the old and
    new peaks (the launcher's children start from its own tiny one instead).
    Reading one 64 MiB output flood would otherwise make every later program in this box
    look 140 MiB big (false MLE). Writing 5 to clear_refs resets our peak to the current
    RSS (~10 MiB). The file is writable only while we are dumpable, and no untrusted process
    exists in the box between runs, so the flag is lifted for just this write."""
    try:
        libc = _libc()
        libc.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE 1
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
        finally:
            libc.prctl(4, 0, 0, 0, 0)
    except OSError:
        pass


_LIBC: Any = None


def _libc() -> Any:
    global _LIBC
    if _LIBC is None:
        import ctypes

        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _harden_self() -> None:
    """Runs in the box as the same uid as the programs, so make this process untouchable
    from them: not dumpable (no ptrace, no /proc/1/mem or fd peeking) and, as PID 1,
    immune to signals it has no handler for."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_DUMPABLE = 4
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        PR_SET_CHILD_SUBREAPER = 36
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except OSError:
        pass
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)


def main() -> None:
    config = json.loads(sys.argv[1])
    _harden_self()
    sock = socket.socket(fileno=config["control_fd"])
    supervisor = Supervisor(config)
    reader = MessageReader(sock)
    supervisor.prepare()
    supervisor._confirm_prepared()
    send_message(sock, {"ready": True, "pid": os.getpid()})
    between: dict[str, float] = {}  # what the last run cost after its reply (for the bench)
    while True:
        try:
            if not reader.buffer:
                select.select([sock], [], [])  # the wait for a request is idle time, not a phase
            clock = PhaseClock()
            request, blobs, fds = reader.read()
        except (ConnectionClosed, ConnectionError):
            return
        if request.get("op") == "exit":
            return
        clock.lap("receive")
        try:
            result, out_blobs = supervisor.run(request, blobs, fds, clock)
            result.update(supervisor.resident())
            phases = result.setdefault("phases", dict(clock.phases))
            phases.update({f"after_reply.{name}": seconds for name, seconds in between.items()})
        except Exception as exc:  # reported to the host as a sandbox error
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
            result, out_blobs = {"supervisor_error": f"{type(exc).__name__}: {exc}"}, []
        after = PhaseClock()
        reply_fds = result.pop(REPLY_FDS, [])
        try:
            send_message(sock, result, out_blobs, reply_fds)
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.ECONNRESET):
                return
            raise
        finally:
            for fd in reply_fds:
                os.close(fd)
        after.lap("reply")
        # Let big outputs go now: the next program's measured peak starts at our RSS.
        out_blobs = blobs = None  # type: ignore[assignment]
        # Wiping after the reply keeps it off the run's latency. A box that cannot be
        # made clean exits; the host then sees a closed socket before its next request
        # and retries that request on a fresh box.
        if "supervisor_error" in result or not supervisor.reset():
            return
        after.lap("wipe")
        between = after.phases


if __name__ == "__main__":
    main()

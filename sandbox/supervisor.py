"""The in-box supervisor: one long-lived process per warm box that starts untrusted programs.

Starting a fresh namespace sandbox for every run costs more than the runs themselves (about
2.6 ms for `bwrap --unshare-all` alone), so each box keeps this small process alive as PID 1
of its namespaces, like isolate keeps a box between `--run`s. The host sends it run requests
over a Unix socket; it writes the files, forks, applies the rlimits in the child, execs the
program, watches CPU and wall time, and afterwards kills every other process in the box and
wipes the writable directories, so nothing from one run reaches the next.

This file must stay standalone (standard library only, no package imports): the host hands
its source to the box's own `python3 -c`, because the project's files are invisible inside.
The host side imports the framing helpers below, so both ends share one protocol.
"""

from __future__ import annotations

import errno
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

LENGTH = struct.Struct(">I")
MAX_FDS_PER_MESSAGE = 4
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
CPU_POLL_SECONDS = 0.05
READ_CHUNK = 1 << 16


# --------------------------------------------------------------------------- framing
class ConnectionClosed(Exception):
    """The peer closed the control socket (normal shutdown, or the other side died)."""


def send_message(sock: socket.socket, header: dict, blobs: list[bytes] = (), fds: list[int] = ()) -> None:
    """One message: 4-byte length, JSON header (which lists blob sizes), then raw blobs.

    Raw blobs avoid base64 for executables and megabytes of program output."""
    header = dict(header, blob_sizes=[len(b) for b in blobs])
    body = json.dumps(header, separators=(",", ":")).encode()
    first = LENGTH.pack(len(body)) + body
    if fds:
        socket.send_fds(sock, [first], list(fds))
    else:
        sock.sendall(first)
    for blob in blobs:
        if blob:
            sock.sendall(blob)


class MessageReader:
    """Reads framed messages, collecting any file descriptors passed alongside them."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []

    def _fill(self, need: int) -> None:
        while len(self.buffer) < need:
            data, ancdata, _flags, _addr = self.sock.recvmsg(
                max(READ_CHUNK, need - len(self.buffer)),
                socket.CMSG_SPACE(MAX_FDS_PER_MESSAGE * 4),
            )
            for level, kind, payload in ancdata:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    usable = len(payload) - len(payload) % 4
                    self.fds.extend(struct.unpack(f"{usable // 4}i", payload[:usable]))
            if not data:
                raise ConnectionClosed()
            self.buffer += data

    def _take(self, n: int) -> bytes:
        self._fill(n)
        out = bytes(self.buffer[:n])
        del self.buffer[:n]
        return out

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


def _own_children() -> list[int]:
    children: list[int] = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as handle:
                children += [int(pid) for pid in handle.read().split()]
        except OSError:
            continue
    return children


def _cpu_seconds(pid: int, ticks: int) -> float:
    """CPU time of a live process (all its threads) from /proc, for early TLE kills."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks
    except (OSError, IndexError, ValueError):
        return 0.0


class Supervisor:
    def __init__(self, config: dict) -> None:
        self.box = config["box"]
        self.tmp = config["tmp"]
        self.io = config["io"]
        self.as_init = bool(config["as_init"])
        self.launcher = config.get("launcher")
        self.ticks = os.sysconf("SC_CLK_TCK")

    # -- process-tree control ---------------------------------------------------------
    def kill_everything(self, main_pid: int) -> None:
        """As PID 1 of the box, `kill(-1)` reaches every other process in the namespace,
        including ones that left the process group; without namespaces (unsafe mode) the
        best available is the program's session."""
        try:
            if self.as_init:
                os.kill(-1, signal.SIGKILL)
            else:
                os.killpg(main_pid, signal.SIGKILL)
        except OSError:
            pass

    def sweep(self) -> None:
        """Without a PID namespace, processes that left the session are still ours: as a
        child subreaper, their orphans were reparented to this process."""
        for _ in range(100):
            children = _own_children()
            if not children:
                return
            for pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            self.reap_all()

    def reap_all(self) -> None:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG if not self.as_init else 0)
            except ChildProcessError:
                return
            if pid == 0:
                time.sleep(0.001)

    # -- one run ----------------------------------------------------------------------
    def run(self, request: dict, blobs: list[bytes], fds: list[int]) -> tuple[dict, list[bytes]]:
        for (relative, mode), data in zip(request["files"], blobs[: len(request["files"])]):
            path = _safe_path(self.box, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
            os.chmod(path, mode)
        extra_blobs = blobs[len(request["files"]) :]
        blobs.clear()  # the files are on disk now; keep only what stdin still needs

        stdin_spec = request.get("stdin")
        stdout_spec = request.get("stdout")
        if stdin_spec is None:
            stdin_fd = os.open("/dev/null", os.O_RDONLY)
        elif "fd" in stdin_spec:
            stdin_fd = fds[stdin_spec["fd"]]
        else:
            path = os.path.join(self.io, "stdin")
            with open(path, "wb") as handle:
                handle.write(extra_blobs[stdin_spec["blob"]])
            stdin_fd = os.open(path, os.O_RDONLY)
        extra_blobs = None  # type: ignore[assignment]
        stdout_path = os.path.join(self.io, "stdout")
        if stdout_spec and "fd" in stdout_spec:
            stdout_fd = fds[stdout_spec["fd"]]
            stdout_path = None
        else:
            stdout_fd = os.open(stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        merge_stdout = bool(request.get("merge_stdout_into_stderr"))
        err_read, err_write = os.pipe()
        exec_read, exec_write = os.pipe2(os.O_CLOEXEC)

        _reset_peak_rss()
        started = time.monotonic()
        out_fd = err_write if merge_stdout else stdout_fd
        if self.launcher:
            pid = self._spawn(request, stdin_fd, out_fd, err_write, exec_write)
        else:
            pid = os.fork()
            if pid == 0:  # child: never returns
                self._exec_child(request, stdin_fd, out_fd, err_write, exec_write)
        for fd in {stdin_fd, stdout_fd, err_write, exec_write, *fds}:
            os.close(fd)

        killed_by, stderr_data, stderr_total = self._watch(pid, request, started, err_read)
        _, status, usage = os.wait4(pid, 0)
        wall = time.monotonic() - started
        self.kill_everything(pid)
        self.reap_all()
        if not self.as_init:
            self.sweep()
        stderr_data, stderr_total = self._drain(err_read, stderr_data, stderr_total, request["stderr_capture"])
        os.close(err_read)
        exec_error = os.read(exec_read, 4096).decode(errors="replace")
        os.close(exec_read)

        result = {
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "cpu_time": usage.ru_utime + usage.ru_stime,
            "wall_time": wall,
            "max_rss_bytes": usage.ru_maxrss * 1024,
            "killed_by": killed_by,
            "exec_error": exec_error or None,
            "stderr_size": stderr_total,
            "stdout_size": None,
            "collected": [],
        }
        out_blobs = [bytes(stderr_data)]
        if stdout_path is not None:
            size = os.path.getsize(stdout_path)
            result["stdout_size"] = size
            with open(stdout_path, "rb") as handle:
                out_blobs.append(handle.read(request["stdout_capture"]))
        else:
            out_blobs.append(b"")
        for name, data, size in self._collect(request.get("collect", []), request["collect_capture"]):
            result["collected"].append([name, size])
            out_blobs.append(data)
        return result, out_blobs

    def _spawn(self, request: dict, stdin_fd: int, stdout_fd: int, stderr_fd: int, exec_write: int) -> int:
        """posix_spawn (vfork-fast) of the native launcher, which applies the working
        directory and rlimits and execs the program; see native/launcher.c."""
        cwd = _safe_path(self.box, request["cwd"]) if request.get("cwd") else self.box
        limits = [f"{name}={-1 if soft is None else soft}:{-1 if hard is None else hard}"
                  for name, (soft, hard) in request["rlimits"].items()]
        argv = [self.launcher, cwd, *limits, "--", *request["argv"]]
        return os.posix_spawn(
            self.launcher, argv, request["env"],
            file_actions=[(os.POSIX_SPAWN_DUP2, stdin_fd, 0), (os.POSIX_SPAWN_DUP2, stdout_fd, 1),
                          (os.POSIX_SPAWN_DUP2, stderr_fd, 2), (os.POSIX_SPAWN_DUP2, exec_write, 3)],
            setsid=not self.as_init,
            setsigdef=(signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGCHLD,
                       signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2),
            setsigmask=(),
        )

    def _exec_child(self, request: dict, stdin_fd: int, stdout_fd: int, stderr_fd: int, exec_write: int) -> None:
        try:
            if not self.as_init:
                os.setsid()
            # Python ignores SIGPIPE and SIGXFSZ; ignored dispositions survive exec, and a
            # program must die of SIGXFSZ at the output cap, not see EFBIG.
            for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            os.dup2(stdin_fd, 0)
            os.dup2(stdout_fd, 1)
            os.dup2(stderr_fd, 2)
            os.closerange(3, exec_write)
            os.closerange(exec_write + 1, 65536)
            os.chdir(_safe_path(self.box, request["cwd"]) if request.get("cwd") else self.box)
            for name, (soft, hard) in request["rlimits"].items():
                soft = resource.RLIM_INFINITY if soft is None else soft
                hard = resource.RLIM_INFINITY if hard is None else hard
                resource.setrlimit(RLIMITS[name], (soft, hard))
            os.execvpe(request["argv"][0], request["argv"], request["env"])
        except BaseException as exc:  # noqa: BLE001 - must report, never return into the loop
            try:
                os.write(exec_write, f"{type(exc).__name__}: {exc}".encode())
            finally:
                os._exit(127)

    def _watch(self, pid: int, request: dict, started: float, err_read: int):
        """Waits for the program while draining its stderr, and kills it at the wall
        limit or as soon as its CPU time passes the CPU limit (rlimits are whole seconds)."""
        pidfd = os.pidfd_open(pid)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(err_read, select.POLLIN)
        os.set_blocking(err_read, False)
        wall_limit = request["wall_limit"]
        cpu_limit = request.get("cpu_limit")
        stderr_data = bytearray()
        stderr_total = 0
        stderr_open = True
        killed_by = None
        try:
            while True:
                now = time.monotonic()
                remaining = started + wall_limit - now
                if remaining <= 0:
                    killed_by = "wall"
                    break
                timeout = min(remaining, CPU_POLL_SECONDS) if cpu_limit else remaining
                events = poller.poll(max(1, int(timeout * 1000) + 1))
                exited = False
                for fd, _event in events:
                    if fd == pidfd:
                        exited = True
                    elif fd == err_read:
                        stderr_data, stderr_total, stderr_open = self._read_some(
                            err_read, stderr_data, stderr_total, request["stderr_capture"]
                        )
                        if not stderr_open:
                            poller.unregister(err_read)
                if exited:
                    break
                if cpu_limit and time.monotonic() - started > cpu_limit:
                    if _cpu_seconds(pid, self.ticks) > cpu_limit + 0.05:
                        killed_by = "cpu"
                        break
        finally:
            if killed_by:
                self.kill_everything(pid)
            os.close(pidfd)
        return killed_by, stderr_data, stderr_total

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
        for directory in (self.box, self.tmp, self.io):
            try:
                _wipe(directory)
            except OSError:
                return False
        return not (self.as_init and _ipc_objects_left())


def _reset_peak_rss() -> None:
    """A spawned program's rusage peak starts at *this* process's peak RSS: posix_spawn's
    child execs from our address space, and exec keeps the larger of the old and new peaks.
    Reading one 64 MiB output flood would otherwise make every later program in this box
    look 140 MiB big (false MLE). Writing 5 to clear_refs resets our peak to the current
    RSS (~10 MiB). The file is writable only while we are dumpable, and no untrusted process
    exists in the box between runs, so the flag is lifted for just this write."""
    global _LIBC
    try:
        if _LIBC is None:
            import ctypes

            _LIBC = ctypes.CDLL(None, use_errno=True)
        _LIBC.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE 1
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
        finally:
            _LIBC.prctl(4, 0, 0, 0, 0)
    except OSError:
        pass


_LIBC = None


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
    send_message(sock, {"ready": True, "pid": os.getpid()})
    while True:
        try:
            request, blobs, fds = reader.read()
        except (ConnectionClosed, ConnectionError):
            return
        if request.get("op") == "exit":
            return
        try:
            result, out_blobs = supervisor.run(request, blobs, fds)
        except Exception as exc:  # noqa: BLE001 - reported to the host as a sandbox error
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
            result, out_blobs = {"supervisor_error": f"{type(exc).__name__}: {exc}"}, []
        try:
            send_message(sock, result, out_blobs)
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.ECONNRESET):
                return
            raise
        # Let big outputs go now: the next program's measured peak starts at our RSS.
        out_blobs = blobs = None  # type: ignore[assignment]
        # Wiping after the reply keeps it off the run's latency. A box that cannot be
        # made clean exits; the host then sees a closed socket before its next request
        # and retries that request on a fresh box.
        if "supervisor_error" in result or not supervisor.reset():
            return


if __name__ == "__main__":
    main()

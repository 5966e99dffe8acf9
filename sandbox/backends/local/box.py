"""One warm box: a bubblewrap sandbox whose PID 1 is the supervisor, reused across runs.

The box is started once (about 10 ms) and then serves runs over a Unix socket for a small
fraction of that each, which is how the sandbox's per-run overhead stays near 1 ms."""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.backends.local import supervisor as protocol
from sandbox.backends.local.cgroups import CgroupSupport, Group
from sandbox.execution import ExecOutcome, ExecRequest, PipeEnd, release_pipes
from sandbox.backends.base import PROGRAM_ENV

SUPERVISOR_SOURCE = Path(protocol.__file__).read_text()
ZYGOTE_SOURCE = (Path(protocol.__file__).parent / "zygote.py").read_text()
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
INSIDE_UID = 1000
STARTUP_TIMEOUT = 20.0
# Beyond a run's wall limit, how long the host waits for the box's reply before killing it.
REPLY_GRACE = 10.0


def _memory_file(name: str, data: bytes) -> int:
    """A memory file holding `data`, positioned at its start, for a run's stdin: the box
    gets the descriptor, so the bytes are copied once, into the file, and never through the
    socket and the supervisor's buffers."""
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


class BoxDied(Exception):
    """The box's supervisor is gone; the box must be replaced."""


def _system_python() -> str:
    for candidate in ("/usr/bin/python3", "/bin/python3"):
        if os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError("no /usr/bin/python3 for the in-box supervisor (install Debian's python3)")


@dataclass
class BoxSettings:
    bwrap: str | None  # None: unsafe mode, no isolation
    host_uid: int | None  # switch to this uid before starting bwrap (when running as root)
    box_bytes: int
    tmp_bytes: int
    launcher: Path | None = None  # native launcher on the host; None: the supervisor forks
    # Host directories mounted read-only into every box (host path, path in the box): the
    # precompiled headers. bwrap resolves them as `host_uid`, so they must be reachable by
    # it; one missing when a box starts is skipped (compiles then take the plain path).
    read_only_dirs: tuple[tuple[Path, str], ...] = ()
    # Fork Python runs from a pre-started interpreter in the box (zygote.py); off: cold starts.
    zygote: bool = True


LAUNCHER_IN_BOX = "/.cpforge-launcher"


def bwrap_arguments(settings: BoxSettings, info_fd: int, launcher_fd: int | None) -> list[str]:
    assert settings.bwrap is not None, "unsafe mode starts no bubblewrap"
    args = [settings.bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--as-pid-1", "--new-session", "--uid", str(INSIDE_UID), "--gid", str(INSIDE_UID),
            "--hostname", "cpforge-box"]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    args += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",
             "--size", str(settings.box_bytes), "--tmpfs", "/box",
             "--size", str(settings.tmp_bytes), "--tmpfs", "/tmp",
             *(["--perms", "0555", "--ro-bind-data", str(launcher_fd), LAUNCHER_IN_BOX]
               if launcher_fd is not None else []),
             *[arg for host, inside in settings.read_only_dirs for arg in ("--ro-bind-try", str(host), inside)],
             "--remount-ro", "/", "--chdir", "/box", "--clearenv", "--info-fd", str(info_fd)]
    for key, value in PROGRAM_ENV.items():
        args += ["--setenv", key, value]
    return args


class LocalBox:
    def __init__(self, settings: BoxSettings, cgroups: CgroupSupport | None, name: str) -> None:
        self.settings = settings
        self.name = name
        self.runs = 0
        self.groups: dict[str, Group] = {}
        self.group_max: dict[str, int] = {}
        self.oom_kills_seen = 0
        # What the box keeps between runs besides its supervisor (pre-started interpreters),
        # as its last reply said: the next run's process and memory limits leave room for
        # them, so a run has exactly its own budget whether or not they are there.
        self.resident_tasks = 0
        self.resident_bytes = 0
        self.limit_hits_seen = 0  # the pids group's refusals, as of the last run
        self.host_dir: str | None = None
        self.process: subprocess.Popen | None = None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock = ours
        try:
            self._start(theirs, cgroups)
        except BaseException:
            self.close()
            raise
        finally:
            theirs.close()

    # ------------------------------------------------------------------ lifecycle
    def _start(self, theirs: socket.socket, cgroups: CgroupSupport | None) -> None:
        sandboxed = self.settings.bwrap is not None
        config: dict[str, Any]
        if sandboxed:
            config = {"box": "/box", "tmp": "/tmp", "as_init": True, "control_fd": theirs.fileno(),
                      "launcher": LAUNCHER_IN_BOX if self.settings.launcher else None}
            if self.settings.zygote and self.settings.launcher:
                config["zygote_source"] = ZYGOTE_SOURCE
            python = _system_python()
        else:
            self.host_dir = tempfile.mkdtemp(prefix=f"cpforge-unsafe-{os.getpid()}-")
            for sub in ("box", "tmp"):
                os.mkdir(os.path.join(self.host_dir, sub))
            config = {sub: os.path.join(self.host_dir, sub) for sub in ("box", "tmp")}
            config.update(as_init=False, control_fd=theirs.fileno(),
                          launcher=str(self.settings.launcher) if self.settings.launcher else None)
            python = _system_python() if os.path.exists("/usr/bin/python3") else "python3"
        command = [python, "-I", "-S", "-c", SUPERVISOR_SOURCE, json.dumps(config)]
        info_read = info_write = launcher_fd = None
        pass_fds = [theirs.fileno()]
        if sandboxed:
            info_read, info_write = os.pipe()
            pass_fds.append(info_write)
            if self.settings.launcher is not None:
                launcher_fd = os.open(self.settings.launcher, os.O_RDONLY | os.O_CLOEXEC)
                pass_fds.append(launcher_fd)
            command = bwrap_arguments(self.settings, info_write, launcher_fd) + ["--", *command]
        uid = self.settings.host_uid
        try:
            self.process = subprocess.Popen(command, pass_fds=pass_fds, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                            env={"PATH": "/usr/bin:/bin"}, user=uid, group=uid,
                                            extra_groups=[] if uid is not None else None)
        finally:
            for fd in (info_write, launcher_fd):
                if fd is not None:
                    os.close(fd)
        supervisor_pid = self.process.pid
        if info_read is not None:
            with os.fdopen(info_read, "rb") as info:
                ready, _, _ = select.select([info], [], [], STARTUP_TIMEOUT)
                raw = info.read() if ready else b""
            try:
                supervisor_pid = json.loads(raw)["child-pid"]
            except (ValueError, KeyError):
                raise BoxDied(f"bubblewrap failed to start: {self._stderr_tail()}") from None
        self.supervisor_pid = supervisor_pid
        if cgroups is not None:
            for name in ("pids", "memory"):
                controller = cgroups.working(name)
                if controller is not None:
                    group = Group(controller, self.name)
                    self.groups[name] = group
                    try:
                        group.attach(supervisor_pid)
                    except OSError as exc:  # the supervisor already died: say why
                        try:
                            self.process.wait(timeout=2)
                        except subprocess.TimeoutExpired:
                            pass
                        raise BoxDied(f"the box exited at start-up ({exc.strerror}): {self._stderr_tail()}") from None
        self.sock.settimeout(STARTUP_TIMEOUT)
        try:
            hello, _, _ = protocol.MessageReader(self.sock).read()
        except (protocol.ConnectionClosed, OSError) as exc:
            raise BoxDied(f"the box did not start: {exc or ''} {self._stderr_tail()}".strip()) from None
        self.sock.settimeout(None)
        if not hello.get("ready"):
            raise BoxDied("the box's supervisor did not report ready")
        self.reader = protocol.MessageReader(self.sock)

    def _stderr_tail(self) -> str:
        if self.process is None or self.process.stderr is None:
            return ""
        try:
            if self.process.poll() is None:
                return ""
            return self.process.stderr.read(2000).decode(errors="replace").strip()
        except (OSError, ValueError):
            return ""

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
        if self.process is not None:
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self.process.stderr:
                self.process.stderr.close()
        for group in self.groups.values():
            group.remove()
        if self.host_dir:
            shutil.rmtree(self.host_dir, ignore_errors=True)

    # ------------------------------------------------------------------ one run
    def execute(self, request: ExecRequest) -> tuple[ExecOutcome, bool]:
        """Returns the outcome and whether the box may be reused. Raises BoxDied when the
        box failed or did not answer in time (it is then killed; the run may be retried
        on a fresh box, since nothing a run does outlives its box)."""
        laps = protocol.PhaseClock()
        header, blobs, fds = self._encode(request)
        laps.lap("host.encode")
        memory = self.groups.get("memory")
        self._set_group_max("pids", max(request.processes + 1 + self.resident_tasks, 3))
        if memory is not None and request.memory_limit:
            # A backstop, not the measurement: the group holds the supervisor, the box's
            # tmpfs pages and the captured output besides the program, so its cap leaves
            # room for all of them. A program that fills the box's disk then meets ENOSPC,
            # never an OOM kill that could take the supervisor with it.
            stdin_size = len(request.stdin) if isinstance(request.stdin, bytes) else 0
            budget = (request.memory_limit + self.settings.box_bytes + self.settings.tmp_bytes
                      + request.file_size + stdin_size + self.resident_bytes + (64 << 20))
            self._set_group_max("memory", budget - budget % (16 << 20) + (16 << 20))
        pids = self.groups.get("pids")
        laps.lap("host.cgroup_limits")
        timeout = self.reply_timeout(request)
        self.sock.settimeout(timeout)
        try:
            protocol.send_message(self.sock, header, blobs, fds)
        except TimeoutError:
            self.kill()
            raise BoxDied("the box did not take the run in time; it was killed") from None
        except OSError as exc:
            raise BoxDied(f"could not reach the box: {exc}") from None
        finally:
            for fd in fds:
                os.close(fd)
            release_pipes(request)  # the box holds its copies now
        self.runs += 1
        laps.lap("host.send")
        try:
            reply, out_blobs, reply_fds = self.reader.read()
        except TimeoutError:
            self.kill()
            raise BoxDied(f"the box did not answer within {timeout:.0f} s; "
                          "it was killed and replaced") from None
        except (protocol.ConnectionClosed, OSError) as exc:
            # The supervisor exits on its own only between runs (a box it could not clean),
            # so a lost reply means the program never ran or the box itself broke.
            raise BoxDied(f"the box closed before replying: {exc or 'connection closed'}") from None
        if "supervisor_error" in reply:
            return ExecOutcome(sandbox_error=f"box supervisor failed: {reply['supervisor_error']}"), False
        self.resident_tasks = int(reply.get("resident_tasks", 0))
        self.resident_bytes = int(reply.get("resident_bytes", 0))
        laps.lap("host.wait_for_reply")
        try:
            if "stdout_fd" in reply:
                fd = reply_fds[int(reply["stdout_fd"])]
                out_blobs[1] = os.pread(fd, min(int(reply["stdout_size"]), request.stdout_capture), 0)
        finally:
            for fd in reply_fds:
                os.close(fd)
        outcome = self._decode(reply, out_blobs)
        laps.lap("host.decode")
        if memory is not None:
            kills = memory.oom_kills()
            outcome.oom_killed = kills > self.oom_kills_seen
            self.oom_kills_seen = kills
        if pids is not None:
            hits = pids.limit_hits()
            outcome.process_limit_hit = hits > self.limit_hits_seen
            self.limit_hits_seen = hits
        laps.lap("host.cgroup_counters")
        outcome.phases.update(laps.phases)
        return outcome, True

    @staticmethod
    def reply_timeout(request: ExecRequest) -> float:
        """How long the host waits for a run's reply: the run's own wall limit, plus time to
        write its files and read back its output at a slow disk's pace, plus a margin.
        Past it the box is presumed wedged, whatever the program did to it."""
        moved = (sum(len(data) for data in request.files.values()) + request.stdout_capture
                 + request.collect_capture * len(request.collect)
                 + (len(request.stdin) if isinstance(request.stdin, bytes) else 0))
        return request.wall_limit + REPLY_GRACE + moved / (50 << 20)

    def kill(self) -> None:
        """Ends the box at once: killing bubblewrap takes its namespaces, and the supervisor
        with everything it started, down with it (--die-with-parent)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        try:
            self.sock.close()
        except OSError:
            pass

    def _encode(self, request: ExecRequest) -> tuple[dict, list[bytes], list[int]]:
        files, blobs = [], []
        for name, data in request.files.items():
            mode = 0o755 if name in request.executable_files else 0o644
            files.append([name, mode])
            blobs.append(data)
        fds: list[int] = []
        stdin_spec = None
        if isinstance(request.stdin, PipeEnd):
            fds.append(os.dup(request.stdin.fd))
            stdin_spec = {"fd": len(fds) - 1}
        elif request.stdin is not None and len(request.stdin) >= protocol.DESCRIPTOR_BYTES:
            fds.append(_memory_file("stdin", request.stdin))
            stdin_spec = {"fd": len(fds) - 1}
        elif request.stdin is not None:
            blobs.append(request.stdin)
            stdin_spec = {"blob": 0}
        stdout_spec = None
        if request.stdout is not None:
            fds.append(os.dup(request.stdout.fd))
            stdout_spec = {"fd": len(fds) - 1}
        rlimits: dict[str, list[int | None]] = {
            "core": [0, 0],
            "fsize": [request.file_size, request.file_size],
            "nofile": [request.open_files, request.open_files],
            "msgqueue": [0, 0],
            "memlock": [0, 0],
        }
        if self.settings.bwrap is not None:
            # Counted per user namespace: the program's processes plus the supervisor. Where
            # a pids cgroup holds the box to the same number, the rlimit stands one above it
            # so that the group, which counts the refusals, is the one that says no.
            nproc = (request.processes + 1 + self.resident_tasks
                     + (1 if "pids" in self.groups and request.processes >= 2 else 0))
            rlimits["nproc"] = [nproc, nproc]
        if request.cpu_limit is not None:
            seconds = int(request.cpu_limit) + 1
            rlimits["cpu"] = [seconds, seconds + 1]
        if request.address_space is not None:
            rlimits["as"] = [request.address_space, request.address_space]
        if request.stack is not None:
            rlimits["stack"] = [request.stack, request.stack]
        else:
            # Unlimited, not "as large as memory": glibc gives every new thread a stack of
            # RLIMIT_STACK, and a 256 MiB reservation per thread against a 320 MiB address
            # space cap would make the second thread of any program fail. The main stack
            # still cannot outgrow the address-space cap, and it is measured as memory.
            rlimits["stack"] = [None, None]
        header = {
            "op": "run", "argv": request.argv, "env": request.env, "files": files,
            "stdin": stdin_spec, "stdout": stdout_spec, "rlimits": rlimits,
            "wall_limit": request.wall_limit, "cpu_limit": request.cpu_limit, "memory_limit": request.memory_limit,
            "stdout_capture": request.stdout_capture, "stderr_capture": request.stderr_capture,
            "merge_stdout_into_stderr": request.merge_stdout_into_stderr,
            "collect": list(request.collect), "collect_capture": request.collect_capture,
            "zygote": list(request.zygote) if self.settings.zygote else [],
        }
        return header, blobs, fds

    def _set_group_max(self, name: str, value: int) -> None:
        """Writes a cgroup limit only when it changes: cgroupfs writes cost ~0.1 ms each."""
        group = self.groups.get(name)
        if group is not None and self.group_max.get(name) != value:
            group.set_max(value)
            self.group_max[name] = value

    @staticmethod
    def _decode(reply: dict, blobs: list[bytes]) -> ExecOutcome:
        stderr, stdout, *collected = blobs
        files, sizes = {}, {}
        for (name, size), data in zip(reply["collected"], collected):
            files[name] = data
            sizes[name] = size
        return ExecOutcome(
            exit_code=reply["exit_code"], signal=reply["signal"], cpu_time=reply["cpu_time"],
            wall_time=reply["wall_time"], memory_bytes=reply["max_rss_bytes"], killed_by=reply["killed_by"],
            stdout=stdout, stdout_size=reply["stdout_size"], stderr=stderr, stderr_size=reply["stderr_size"],
            files=files, file_sizes=sizes, exec_error=reply["exec_error"], exec_errno=reply["exec_errno"],
            image_bytes=reply["image_bytes"], max_tasks=reply["max_tasks"], phases=reply.get("phases", {}),
            tree_samples=reply.get("tree_samples", 0), tree_sample_seconds=reply.get("tree_sample_seconds", 0.0),
            prestarted=bool(reply.get("prestarted", False)),
        )

"""cgroup controllers, used only where a start-up probe shows they really limit and account.

Hosts lie: here the v1 memory controller accepts `memory.limit_in_bytes` but neither
enforces nor accounts it, while the v1 pids controller works. So each controller is probed
with a real process before any box relies on it; rlimits remain the baseline everywhere."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PROBE_PROGRAM = r"""
import os, sys, time
sys.stdin.readline()
test = sys.argv[1]
if test == "pids":
    kids = []
    for _ in range(8):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(2)
            os._exit(0)
        kids.append(pid)
    print(len(kids), flush=True)
    for pid in kids:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
else:
    blocks = []
    for _ in range(16):
        blocks.append(b"x" * (8 << 20))
    print(len(blocks), flush=True)
"""


@dataclass
class Controller:
    name: str
    version: int
    base: Path  # directory under which cpforge creates its groups
    works: bool = False
    detail: str = ""


@dataclass
class CgroupSupport:
    controllers: dict[str, Controller] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def working(self, name: str) -> Controller | None:
        controller = self.controllers.get(name)
        return controller if controller and controller.works else None


def _mounts() -> list[tuple[str, str, set[str]]]:
    """(fstype, mountpoint, super options) of every cgroup mount."""
    found = []
    with open("/proc/self/mountinfo") as handle:
        for line in handle:
            left, _, right = line.partition(" - ")
            fstype, _source, options = (right.split() + ["", "", ""])[:3]
            if fstype in ("cgroup", "cgroup2"):
                found.append((fstype, left.split()[4], set(options.split(","))))
    return found


def _candidates() -> list[Controller]:
    candidates: list[Controller] = []
    for fstype, mountpoint, options in _mounts():
        if fstype == "cgroup":
            for name in ("pids", "memory"):
                if name in options:
                    candidates.append(Controller(name, 1, Path(mountpoint) / f"cpforge-{os.getpid()}"))
        else:
            available = (Path(mountpoint) / "cgroup.controllers")
            names = available.read_text().split() if available.exists() else []
            for name in ("pids", "memory"):
                if name in names:
                    candidates.append(Controller(name, 2, Path(mountpoint) / f"cpforge-{os.getpid()}"))
    return candidates


class Group:
    """One box's group in one controller."""

    def __init__(self, controller: Controller, name: str) -> None:
        self.controller = controller
        self.path = controller.base / name
        controller.base.mkdir(exist_ok=True)
        if controller.version == 2:
            try:
                (controller.base.parent / "cgroup.subtree_control").write_text(f"+{controller.name}")
                (controller.base / "cgroup.subtree_control").write_text(f"+{controller.name}")
            except OSError:
                pass
        self.path.mkdir(exist_ok=True)
        # Counters read after every run stay open: a pread of an open cgroupfs file costs
        # ~3 us, an open-read-close ~40 us.
        self._counters: dict[str, int] = {}

    def write(self, key: str, value: str) -> None:
        (self.path / key).write_text(value)

    def read(self, key: str) -> str:
        return (self.path / key).read_text()

    def attach(self, pid: int) -> None:
        self.write("cgroup.procs", str(pid))

    def set_max(self, value: int) -> None:
        c = self.controller
        if c.name == "pids":
            self.write("pids.max", str(value))
        elif c.version == 1:
            self.write("memory.limit_in_bytes", str(value))
        else:
            self.write("memory.max", str(value))
            try:
                self.write("memory.swap.max", "0")
            except OSError:
                pass

    def memory_peak(self) -> int:
        key = "memory.max_usage_in_bytes" if self.controller.version == 1 else "memory.peak"
        try:
            return int(self.read(key))
        except (OSError, ValueError):
            return 0

    def oom_kills(self) -> int:
        return self._counter("memory.oom_control" if self.controller.version == 1 else "memory.events", "oom_kill")

    def limit_hits(self) -> int:
        """How many forks and thread starts the pids controller refused so far."""
        return self._counter("pids.events", "max")

    def _counter(self, key: str, field: str) -> int:
        """One counter of a flat-keyed cgroup file ("name value" lines); 0 when unreadable."""
        try:
            fd = self._counters.get(key)
            if fd is None:
                fd = self._counters[key] = os.open(self.path / key, os.O_RDONLY | os.O_CLOEXEC)
            for line in os.pread(fd, 4096, 0).decode().splitlines():
                name, _, value = line.partition(" ")
                if name == field:
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def remove(self) -> None:
        for fd in self._counters.values():
            os.close(fd)
        self._counters.clear()
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                import time

                time.sleep(0.01)


def remove_base(controller: Controller) -> None:
    try:
        controller.base.rmdir()
    except OSError:
        pass


def _process_alive(pid: int) -> bool:
    return os.path.exists(f"/proc/{pid}")


def remove_stale_groups(mountpoint: Path) -> list[Path]:
    """Removes the `cpforge-<pid>` groups of processes that died without cleaning up (a
    killed server, CLI or build-dataset): their boxes died with them (--die-with-parent),
    so the groups are empty and only clutter the hierarchy. Returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(mountpoint.glob("cpforge-*"))
    except OSError:
        return removed
    for base in entries:
        suffix = base.name.removeprefix("cpforge-")
        if not suffix.isdigit() or int(suffix) == os.getpid() or _process_alive(int(suffix)):
            continue
        try:
            groups = [child for child in base.iterdir() if child.is_dir()]
        except OSError:
            continue
        for group in groups:
            try:
                group.rmdir()
            except OSError:
                pass
        try:
            base.rmdir()
            removed.append(base)
        except OSError:
            pass
    return removed


def _probe(controller: Controller) -> None:
    group = None
    try:
        group = Group(controller, f"probe-{uuid.uuid4().hex[:8]}")
        group.set_max(4 if controller.name == "pids" else 32 << 20)
    except OSError as exc:
        controller.detail = f"cannot create a group: {exc.strerror or exc}"
        if group:
            group.remove()
        remove_base(controller)
        return
    proc = subprocess.Popen([sys.executable, "-S", "-c", PROBE_PROGRAM, controller.name],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        group.attach(proc.pid)
        out, _ = proc.communicate("go\n", timeout=20)
        if controller.name == "pids":
            forked = int(out.strip() or 0)
            controller.works = forked < 8
            controller.detail = f"pids.max=4 let {forked} of 8 forks through"
        else:
            peak = group.memory_peak()
            killed = proc.returncode != 0
            controller.works = killed and peak > 0
            controller.detail = (f"a 128 MiB allocation under a 32 MiB limit was "
                                 f"{'killed' if killed else 'NOT stopped'}; peak accounted: {peak >> 20} MiB")
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        proc.kill()
        proc.wait()
        controller.detail = f"probe failed: {exc}"
    finally:
        group.remove()
        remove_base(controller)


@functools.lru_cache(maxsize=1)
def probe_cgroups() -> CgroupSupport:
    """Probes each mounted pids/memory controller once per process."""
    support = CgroupSupport()
    if os.geteuid() != 0:
        support.notes.append("not root: cgroups are not managed (rlimits only)")
        return support
    for mountpoint in sorted({candidate.base.parent for candidate in _candidates()}):
        for stale in remove_stale_groups(mountpoint):
            support.notes.append(f"removed the stale group {stale} of a process that had died")
    for candidate in _candidates():
        if candidate.name in support.controllers and support.controllers[candidate.name].works:
            continue
        _probe(candidate)
        support.controllers[candidate.name] = candidate
    return support

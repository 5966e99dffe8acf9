"""A real multi-node Ray cluster on this machine, for the tests: a head and more nodes on
127.0.0.1, each a `ray start --block` process we own (so stopping one stops exactly its
processes, and other Ray sessions on the machine are left alone).

Tests that use it are marked `xdist_group("ray")` (scripts/test.sh runs xdist with
`--dist loadgroup`), so one worker runs them all against one cluster."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil

RAY = str(Path(sys.executable).with_name("ray"))
# The head notices a dead node within about a second instead of 15 s.
FAST_FAILURE_DETECTION = {"RAY_health_check_period_ms": "500", "RAY_health_check_failure_threshold": "3",
                          "RAY_health_check_initial_delay_ms": "1000"}
# Ray 2.60 asks for a login token whenever ~/.ray/auth_token exists (any earlier local Ray may
# leave one); a test cluster on loopback needs none, for its nodes and for the drivers.
NO_AUTH = {"RAY_AUTH_MODE": "disabled"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RayCluster:
    def __init__(self, temp_dir: Path) -> None:
        self.temp_dir = temp_dir
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.nodes: list[subprocess.Popen] = []
        os.environ.update(NO_AUTH)  # drivers in this process and the children it starts
        self.env = {**os.environ, **FAST_FAILURE_DETECTION, **NO_AUTH, "RAY_USAGE_STATS_ENABLED": "0"}

    def _start(self, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        process = subprocess.Popen([RAY, "start", "--block", "--disable-usage-stats", "--node-ip-address",
                                    "127.0.0.1", *argv], env={**self.env, **(env or {})}, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        self.nodes.append(process)
        return process

    def start_head(self, cpus: int = 1) -> None:
        self._start(["--head", "--port", str(self.port), "--num-cpus", str(cpus), "--include-dashboard=false",
                     "--temp-dir", str(self.temp_dir)])
        self.wait_for_nodes(1)

    def add_node(self, cpus: int = 1, resources: str | None = None,
                 env: dict[str, str] | None = None) -> subprocess.Popen:
        """Another node; `env` changes what its workers see (a node without bubblewrap)."""
        before = self.alive_nodes()
        extra = ["--resources", resources] if resources else []
        process = self._start(["--address", self.address, "--num-cpus", str(cpus), *extra], env)
        self.wait_for_nodes(before + 1)
        return process

    def alive_nodes(self) -> int:
        done = subprocess.run([sys.executable, "-c", (
            "import ray, sys; ray.init(address=sys.argv[1], log_to_driver=False, configure_logging=False); "
            "print(sum(1 for n in ray.nodes() if n['Alive']))"), self.address],
            capture_output=True, text=True, env=self.env, timeout=120)
        return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 and done.stdout.strip() else 0

    def wait_for_nodes(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.alive_nodes() >= count:
                return
            time.sleep(1)
        raise RuntimeError(f"the Ray cluster at {self.address} did not reach {count} nodes")

    @staticmethod
    def kill_raylet(node: subprocess.Popen) -> int:
        """SIGKILLs the node's raylet and every worker under it at once, as when its machine
        goes (a worker left alive could still answer the calls it holds: actor calls do not
        pass through the raylet); returns the raylet's pid."""
        for child in psutil.Process(node.pid).children(recursive=True):
            if child.name() == "raylet":
                doomed = [child, *child.children(recursive=True)]
                for process in doomed:
                    try:
                        process.kill()
                    except psutil.NoSuchProcess:
                        pass
                return child.pid
        raise RuntimeError("no raylet under that node")

    def stop_node(self, node: subprocess.Popen) -> None:
        node.send_signal(signal.SIGTERM)
        try:
            node.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(node.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        for process in reversed(self.nodes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.nodes):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.nodes:  # whatever a node left in its session
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

"""Docker backend: runs go to a runner inside a long-lived, locked-down container.

A `docker exec` costs about 72 ms and a `docker run` about 200 ms here, far more than a
judged test, so each container is started once and runs thousands of programs: the host
writes requests to the runner's attached stdin and reads answers from its stdout, a few
milliseconds a run. Inside, the runner's `LocalBackend` applies the same rlimits, watchdog,
accounting and output caps as the local backend (and its bubblewrap boxes, when the
container lets user namespaces be made), so a verdict means the same on both.

What the container itself adds (see README, "Security model"): no network at all, a read-only
root, a size-capped tmpfs for everything written, a pids limit, a memory ceiling, every
capability dropped, no-new-privileges, a non-root user, no host mounts. The two relaxations
bubblewrap needs inside are opt-out with `nested=False` (then the container is the only wall).

Containers carry a label naming their owner (host, pid, backend id). `close` removes every
container this backend started; a backend that dies without closing leaves containers whose
runner sees end-of-file on stdin and exits, and Docker removes them (auto-remove); any left
anyway are removed by the next backend started on this host."""

from __future__ import annotations

import atexit
import os
import socket
import struct
import threading
import uuid
import weakref
from pathlib import Path
from typing import Any

from sandbox.backends.base import SandboxUnavailable
from sandbox.backends.remote.backend import RemoteBackend, Worker
from sandbox.backends.remote.channel import ChannelBroken, RunnerChannel

DEFAULT_IMAGE = "cpforge"
LABEL = "io.cpforge.backend"
OWNER_LABEL = "io.cpforge.owner"
RUNNER_ARGV = ["python", "-m", "sandbox.backends.remote.runner"]
START_TIMEOUT = 60.0
# What bubblewrap needs inside a container (measured with docker 20.10, cgroup v1): Docker's
# default seccomp profile refuses the unshare/clone flags that make namespaces, and its
# masked /proc paths make the kernel refuse a fresh procfs mount for the box.
NESTED_SECURITY_OPTS = ("seccomp=unconfined",)
STDERR_KEPT = 8192


def _docker_sdk() -> Any:
    try:
        import docker
    except ImportError:
        raise SandboxUnavailable("the docker backend needs the Docker SDK: pip install 'cpforge[docker]'") from None
    return docker


class DockerBackend(RemoteBackend):
    """`concurrency` runs at once over `containers` containers (default: one per two
    slots). `image`: CPFORGE_DOCKER_IMAGE, else `cpforge` (scripts/docker_build.sh builds it)."""

    name = "docker"

    def __init__(self, concurrency: int | None = None, *, image: str | None = None, containers: int | None = None,
                 memory_mb: int = 4096, tmpfs_mb: int = 1024, pids: int = 512, nested: bool | None = None,
                 compile_cache_mb: int | None = None, compile_cache_dir: Path | None = None) -> None:
        """`nested`: bubblewrap boxes inside the container (None reads CPFORGE_DOCKER_NESTED,
        on unless "off"); needs seccomp=unconfined and unmasked /proc for the container.
        Off, runs use the container as their only wall (`sandboxed` is then still true:
        the container isolates from the host, but runs in one container can see each
        other's files while they run)."""
        docker = _docker_sdk()
        concurrency = max(1, concurrency or os.cpu_count() or 1)
        super().__init__(concurrency=concurrency, workers=containers or -(-concurrency // 2),
                         compile_cache_mb=compile_cache_mb, compile_cache_dir=compile_cache_dir)
        self.image = image or os.environ.get("CPFORGE_DOCKER_IMAGE") or DEFAULT_IMAGE
        if nested is None:
            nested = os.environ.get("CPFORGE_DOCKER_NESTED", "on").lower() not in ("off", "0", "no", "false")
        self.nested = nested
        self.memory_mb, self.tmpfs_mb, self.pids = memory_mb, tmpfs_mb, pids
        self.id = uuid.uuid4().hex[:8]
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{self.id}"
        try:
            self.client = docker.from_env(timeout=120)
            self.client.ping()
        except Exception as exc:  # noqa: BLE001 - any failure to reach the daemon has one fix
            raise SandboxUnavailable(f"cannot reach the Docker daemon ({type(exc).__name__}: {exc}); start dockerd "
                                     "or point DOCKER_HOST at one") from None
        try:
            self.client.images.get(self.image)
        except docker.errors.ImageNotFound:
            raise SandboxUnavailable(f"the Docker image {self.image!r} does not exist: build it with "
                                     "scripts/docker_build.sh, or set CPFORGE_DOCKER_IMAGE") from None
        self._containers: dict[str, Worker] = {}
        self._containers_lock = threading.Lock()
        remove_orphans(self.client)
        finalizer = weakref.finalize(self, DockerBackend._remove_all, self.client, self.owner)
        atexit.register(finalizer)
        if not self.nested:
            # The container is then the only wall: one run per container at a time, so
            # concurrent runs never share one.
            self.workers, self.slots_per_worker = self.concurrency, 1
        try:
            self._start_first()
            self.sandboxed = True  # the container isolates from the host either way
        except ChannelBroken as exc:
            self.close()
            hint = ("" if not self.nested else "; bubblewrap inside the container needs user namespaces: "
                    "set CPFORGE_DOCKER_NESTED=off to use the container as the only wall")
            raise SandboxUnavailable(f"the runner in {self.image!r} did not start: {exc}{hint}") from None

    @property
    def name_detail(self) -> str:
        inside = "bubblewrap boxes inside" if self.nested else "no boxes inside: the container is the only wall"
        return f"docker ({self.image}, {inside})"

    # ------------------------------------------------------------------ containers
    def _host_config(self) -> dict[str, Any]:
        config: dict[str, Any] = self.client.api.create_host_config(
            network_mode="none", read_only=True, init=True, auto_remove=True,
            tmpfs={"/tmp": f"rw,exec,nosuid,nodev,size={self.tmpfs_mb}m,mode=1777"},  # runs exec from it
            pids_limit=self.pids, mem_limit=f"{self.memory_mb}m", memswap_limit=f"{self.memory_mb}m",
            cap_drop=["ALL"], security_opt=["no-new-privileges", *(NESTED_SECURITY_OPTS if self.nested else ())],
        )
        if self.nested:
            # `--security-opt systempaths=unconfined` in the CLI: no masked or read-only /proc paths.
            config["MaskedPaths"] = []
            config["ReadonlyPaths"] = []
        return config

    def _start_worker(self) -> Worker:
        api = self.client.api
        argv = [*RUNNER_ARGV, "--slots", str(self.slots_per_worker), *(() if self.nested else ("--unsafe",))]
        config = api.create_container_config(
            self.image, entrypoint=argv, command=[], user="cpforge", stdin_open=True, tty=False,
            labels={LABEL: "1", OWNER_LABEL: self.owner}, host_config=self._host_config(),
            environment={"CPFORGE_ZYGOTE": os.environ.get("CPFORGE_ZYGOTE", "on")}, network_disabled=True,
        )
        # The runner's stdin closes when the host's attachment does (the host died): the
        # runner then exits and Docker removes the container.
        config["StdinOnce"] = True
        created = api.create_container_from_config(config)
        container_id: str = created["Id"]
        attached = api.attach_socket(container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
        raw = getattr(attached, "_sock", attached)
        name = container_id[:12]
        send_lock = threading.Lock()

        def send(data: bytes) -> None:
            with send_lock:
                raw.sendall(data)

        channel = RunnerChannel(send, name)
        stderr_tail = bytearray()
        reader = threading.Thread(target=_demux, args=(raw, channel, stderr_tail), daemon=True,
                                  name=f"cpforge-docker-{name}")
        stopped = threading.Event()

        def destroy() -> None:
            if stopped.is_set():
                return
            stopped.set()
            channel.lost("the container was removed")
            try:
                raw.close()
            except OSError:
                pass
            try:
                api.remove_container(container_id, force=True)
            except Exception:  # noqa: BLE001 - already gone (auto-remove) is the common case
                pass
            with self._containers_lock:
                self._containers.pop(container_id, None)

        worker = Worker(channel=channel, destroy=destroy)
        with self._containers_lock:
            self._containers[container_id] = worker
        try:
            reader.start()
            api.start(container_id)
            worker.info = channel.wait_ready(START_TIMEOUT)
        except ChannelBroken as exc:
            destroy()
            detail = stderr_tail.decode(errors="replace").strip().splitlines()[-3:]
            raise ChannelBroken(f"{exc}{': ' + ' | '.join(detail) if detail else ''}") from None
        except Exception as exc:
            destroy()
            raise ChannelBroken(f"could not start a container from {self.image!r}: {exc}") from None
        return worker

    def container_ids(self) -> list[str]:
        with self._containers_lock:
            return list(self._containers)

    def close(self) -> None:
        super().close()
        with self._containers_lock:
            left = list(self._containers.values())
        for worker in left:
            worker.destroy()
        DockerBackend._remove_all(self.client, self.owner)

    @staticmethod
    def _remove_all(client: Any, owner: str) -> None:
        try:
            for container in client.containers.list(all=True, filters={"label": f"{OWNER_LABEL}={owner}"}):
                container.remove(force=True)
        except Exception:  # noqa: BLE001 - best effort at exit; orphans are removed at the next start
            pass


def _demux(raw: socket.socket, channel: RunnerChannel, stderr_tail: bytearray) -> None:
    """Docker's attach stream without a tty: frames of an 8-byte header (stream, 0, 0, 0,
    big-endian length) and the payload; stdout feeds the channel, stderr is kept for errors."""
    buffer = bytearray()
    try:
        while True:
            chunk = raw.recv(1 << 16)
            if not chunk:
                break
            buffer += chunk
            while len(buffer) >= 8:
                stream, size = buffer[0], struct.unpack(">I", buffer[4:8])[0]
                if len(buffer) < 8 + size:
                    break
                payload = bytes(buffer[8: 8 + size])
                del buffer[: 8 + size]
                if stream == 1:
                    channel.feed(payload)
                elif stream == 2:
                    stderr_tail += payload
                    del stderr_tail[:-STDERR_KEPT]
    except OSError:
        pass
    tail = stderr_tail.decode(errors="replace").strip().splitlines()[-2:]
    channel.lost("the container's runner exited" + (f" ({' | '.join(tail)})" if tail else ""))


def remove_orphans(client: Any) -> int:
    """Removes cpforge containers whose owner process on this host is gone."""
    removed = 0
    here = socket.gethostname()
    try:
        containers = client.containers.list(all=True, filters={"label": LABEL})
    except Exception:  # noqa: BLE001 - cleanup must not stop a start
        return 0
    for container in containers:
        host, _, rest = str(container.labels.get(OWNER_LABEL, "")).partition(":")
        pid_text = rest.partition(":")[0]
        if host != here or not pid_text.isdigit():
            continue
        try:
            os.kill(int(pid_text), 0)
            continue
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        try:
            container.remove(force=True)
            removed += 1
        except Exception:  # noqa: BLE001
            pass
    return removed


__all__ = ["DEFAULT_IMAGE", "DockerBackend", "remove_orphans"]

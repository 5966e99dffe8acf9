"""The Docker backend against a real Docker engine and the real cpforge image.

Skipped when no daemon answers or the image is missing (build it: scripts/docker_build.sh);
CI builds the image and sets CPFORGE_REQUIRE_DOCKER=1, which turns those skips into
failures. CI also runs the hostile suite and the bundled set through this backend
(CPFORGE_BACKEND=docker), so here are only what is Docker's own: verdicts equal to the local
backend's, the container's hardening, replacement of broken containers, cleanup."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from sandbox.backends.base import SandboxUnavailable
from sandbox.limits import Limits
from sandbox.result import Verdict

from docker_helpers import IMAGE, docker_client

docker_sdk = pytest.importorskip("docker")


@pytest.fixture(scope="module")
def client():
    return docker_client()


@pytest.fixture(scope="module")
def docker_backend(client) -> Iterator:
    from sandbox.backends.docker import DockerBackend

    with DockerBackend(concurrency=2, image=IMAGE) as opened:
        yield opened


def _ours(client, owner: str) -> list:
    return client.containers.list(all=True, filters={"label": f"io.cpforge.owner={owner}"})


PROGRAMS = {
    "ok": ("python3", "print(sum(map(int, input().split())))", b"1 2\n"),
    "wrong-exit": ("cpp17", "int main(){return 3;}", b""),
    "loop": ("cpp17", "int main(){volatile unsigned x=0; for(;;) x++;}", b""),
    "memory": ("cpp17", "#include <vector>\nint main(){std::vector<char> v; for(;;) v.resize(v.size() + (1<<24), 1);}",
               b""),
    "flood": ("python3", "import sys\nwhile True: sys.stdout.write('x' * 65536)", b""),
    "crash": ("c17", "int main(void){ int *p = 0; return *p; }", b""),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_verdicts_are_the_local_backend_s(docker_backend, backend, name):
    language, source, stdin = PROGRAMS[name]
    limits = Limits(cpu_time=1, memory_mb=128, output_bytes=1 << 20)
    results = []
    for each in (backend, docker_backend):
        compiled = each.compile(source, language)
        assert compiled.ok, compiled.diagnostics
        results.append(each.run(compiled.executable, stdin=stdin, limits=limits))
    local, docker = results
    assert docker.status == local.status, (docker.message, local.message)
    assert docker.limit_fired == local.limit_fired
    assert docker.stdout == local.stdout or name == "flood"
    assert docker.backend == "docker" and docker.sandboxed


def test_each_container_is_locked_down(client, docker_backend):
    docker_backend.toolchain("python3")
    ids = docker_backend.container_ids()
    assert ids
    attrs = client.api.inspect_container(ids[0])
    host, config = attrs["HostConfig"], attrs["Config"]
    assert host["NetworkMode"] == "none" and config.get("NetworkDisabled") is True
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"] and not host.get("CapAdd")
    assert "no-new-privileges" in host["SecurityOpt"]
    assert host["Privileged"] is False
    assert host["PidsLimit"] == docker_backend.pids and host["Memory"] == docker_backend.memory_mb << 20
    assert "/tmp" in host["Tmpfs"] and "size=" in host["Tmpfs"]["/tmp"]
    assert not host.get("Binds") and not attrs.get("Mounts")
    assert config["User"] == "cpforge"


def test_a_container_killed_mid_run_is_replaced_and_the_run_retried(client, docker_backend):
    compiled = docker_backend.compile("import time\ntime.sleep(1.5)\nprint('done')", "python3")
    replaced = docker_backend.replaced
    results = []
    worker = threading.Thread(target=lambda: results.append(
        docker_backend.run(compiled.executable, limits=Limits(cpu_time=2, wall_time=10))))
    worker.start()
    time.sleep(0.6)
    for container_id in docker_backend.container_ids():
        client.api.kill(container_id)  # every container: whichever holds the run dies
    worker.join(60)
    assert results and results[0].status is Verdict.OK and results[0].stdout == b"done\n", results[0].message
    assert docker_backend.replaced > replaced


def test_a_hung_container_hits_the_backend_s_own_deadline(client):
    from sandbox.backends.docker import DockerBackend

    with DockerBackend(concurrency=1, image=IMAGE) as one:
        one.answer_margin = 2.0
        compiled = one.compile("print('hi')", "python3")
        (container_id,) = one.container_ids()
        client.api.pause(container_id)  # the runner stops answering without dying
        started = time.monotonic()
        result = one.run(compiled.executable, limits=Limits(cpu_time=1, wall_time=1))
        took = time.monotonic() - started
        assert result.status is Verdict.OK and result.stdout == b"hi\n"  # retried on a fresh container
        assert one.replaced == 1 and took < 30
        assert container_id not in one.container_ids()


def test_closing_removes_every_container_it_started(client):
    from sandbox.backends.docker import DockerBackend

    opened = DockerBackend(concurrency=4, containers=2, image=IMAGE)
    compiled = opened.compile("print(1)", "python3")
    threads = [threading.Thread(target=opened.run, args=(compiled.executable,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_ours(client, opened.owner)) == 2
    opened.close()
    assert _ours(client, opened.owner) == []


def test_containers_left_by_a_dead_owner_are_removed_at_the_next_start(client):
    from sandbox.backends.docker import DockerBackend

    dead_pid = 2 ** 22 + 12345  # above pid_max's default: no such process
    owner = f"{socket.gethostname()}:{dead_pid}:deadbeef"
    orphan = client.containers.create(IMAGE, entrypoint=["sleep", "300"], network_mode="none",
                                      labels={"io.cpforge.backend": "1", "io.cpforge.owner": owner})
    try:
        with DockerBackend(concurrency=1, image=IMAGE):
            pass
        assert _ours(client, owner) == []
    finally:
        try:
            orphan.remove(force=True)
        except docker_sdk.errors.NotFound:
            pass


def test_an_interactive_pair_runs_inside_one_container(docker_backend, backend):
    from concurrent.futures import ThreadPoolExecutor

    solution = docker_backend.compile("x = int(input())\nprint(x * 2, flush=True)", "python3").executable
    interactor = docker_backend.compile(
        "import sys\nprint(21, flush=True)\nanswer = input()\nsys.exit(0 if answer == '42' else 1)", "python3"
    ).executable
    with ThreadPoolExecutor(2) as companions:
        run, interaction = docker_backend.run_pair(
            solution, interactor, limits=Limits(cpu_time=2), interactor_limits=Limits(cpu_time=2),
            interactor_files={}, interactor_args=(), interactor_collect=(), companions=companions)
    assert run.status is Verdict.OK and interaction.status is Verdict.OK and interaction.exit_code == 0


def test_no_daemon_and_no_image_are_one_line_errors_naming_the_fix(monkeypatch):
    from sandbox.backends.docker import DockerBackend

    docker_client()  # "no such image" is the daemon's answer: this half needs a daemon
    with pytest.raises(SandboxUnavailable, match="does not exist: build it with scripts/docker_build.sh"):
        DockerBackend(concurrency=1, image="cpforge-no-such-image:never")
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(SandboxUnavailable, match="start dockerd") as caught:
        DockerBackend(concurrency=1, image=IMAGE)
    assert "\n" not in str(caught.value)


def test_without_nesting_the_container_alone_isolates_and_verdicts_hold(client):
    """CPFORGE_DOCKER_NESTED=off: Docker's default seccomp profile and masked /proc stay on;
    runs get the container as their only wall, one run per container at a time."""
    from sandbox.backends.docker import DockerBackend

    with DockerBackend(concurrency=1, image=IMAGE, nested=False) as flat:
        attrs = client.api.inspect_container(flat.container_ids()[0])
        assert not any("seccomp" in opt for opt in attrs["HostConfig"]["SecurityOpt"])
        compiled = flat.compile("#include <cstdio>\nint main(){int a,b;scanf(\"%d%d\",&a,&b);printf(\"%d\",a+b);}",
                                "cpp17")
        assert flat.run(compiled.executable, stdin=b"2 3").stdout == b"5"
        loop = flat.compile("int main(){for(;;);}", "c17")
        assert flat.run(loop.executable, limits=Limits(cpu_time=0.5)).status is Verdict.TLE


def test_the_hostile_suite_fixture_follows_cpforge_backend(backend):
    wanted = os.environ.get("CPFORGE_BACKEND") or "local"
    assert backend.name == wanted

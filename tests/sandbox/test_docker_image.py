"""The cpforge image as a user runs it (see tests/sandbox/test_docker_backend.py for when
these skip and when CI makes them fail instead): installed from the wheel, non-root, the
reward server answering from a container, `doctor` naming the protections in force."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request

import pytest

from docker_helpers import IMAGE, docker_client

# The README's options, through the docker CLI as a user types them (systempaths= exists
# only in the CLI, which turns it into empty masked and read-only path lists).
OPTIONS = ["--read-only", "--tmpfs", "/tmp:exec,size=512m", "--cap-drop", "ALL",
           "--security-opt", "no-new-privileges", "--security-opt", "seccomp=unconfined",
           "--security-opt", "systempaths=unconfined"]


@pytest.fixture(scope="module")
def client():
    return docker_client()


def _run(client, *args: str, entrypoint: str | None = None) -> str:
    argv = ["docker", "run", "--rm", "--network", "none", *OPTIONS]
    if entrypoint:
        argv += ["--entrypoint", entrypoint]
    done = subprocess.run([*argv, IMAGE, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_image_is_built_from_the_wheel_and_runs_as_non_root(client):
    config = client.api.inspect_image(IMAGE)["Config"]
    assert config["User"] == "cpforge" and config["Entrypoint"] == ["verifier"]
    assert config["Cmd"] == ["serve", "--host", "0.0.0.0"] and config["Healthcheck"]["Test"]
    where = _run(client, "-c", "import sandbox, importlib.metadata as m; print(sandbox.__file__); "
                 "print(m.distribution('cpforge').read_text('direct_url.json'))", entrypoint="python")
    location, direct_url = where.strip().splitlines()[:2]
    assert location.startswith("/opt/cpforge/venv/lib/") and "site-packages" in location
    assert direct_url == "None" or '"editable": true' not in direct_url


def test_doctor_in_the_container_names_the_container_s_protections(client):
    report = json.loads(_run(client, "doctor", "--json"))
    protections = "\n".join(report["protections"])
    assert "container (docker): network: none" in protections
    assert "root filesystem: read-only" in protections
    assert "capabilities: none effective" in protections and "no-new-privileges: on" in protections
    assert "namespaces: user, pid" in protections  # bubblewrap boxes work inside


def test_the_reward_server_answers_from_a_container(client):
    started = subprocess.run(["docker", "run", "-d", "-p", "127.0.0.1::8000", *OPTIONS, IMAGE],
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    container = client.containers.get(started.stdout.strip())
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline:
            container.reload()
            ports = container.attrs["NetworkSettings"]["Ports"].get("8000/tcp")
            if ports:
                url = f"http://127.0.0.1:{ports[0]['HostPort']}"
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                        health = json.loads(answer.read())
                        break
                except OSError:
                    pass
            time.sleep(0.5)
        assert health is not None and health["status"] == "ok" and health["sandboxed"] is True
        body = json.dumps({"code": "print(int(input()) * 2)", "language": "python", "stdin": "21"}).encode()
        request = urllib.request.Request(f"{url}/run_code", data=body, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            reply = json.loads(answer.read())
        assert reply["status"] == "Success" and reply["run_result"]["stdout"] == "42\n"
    finally:
        container.remove(force=True)

"""The Docker engine and image for the Docker tests: skipped when either is missing, unless
CI says they must be there (CPFORGE_REQUIRE_DOCKER=1), which turns the skip into a failure."""

from __future__ import annotations

import os

import pytest

IMAGE = os.environ.get("CPFORGE_DOCKER_IMAGE", "cpforge")
REQUIRED = os.environ.get("CPFORGE_REQUIRE_DOCKER") == "1"


def docker_client():
    docker_sdk = pytest.importorskip("docker")
    try:
        client = docker_sdk.from_env(timeout=30)
        client.ping()
        client.images.get(IMAGE)
        return client
    except Exception as exc:  # noqa: BLE001 - any reason means the same skip
        if REQUIRED:
            pytest.fail(f"CPFORGE_REQUIRE_DOCKER=1 but Docker or the image {IMAGE!r} is not usable: {exc}")
        pytest.skip(f"Docker or the image {IMAGE!r} is not usable here: {exc}")

"""Backends behind one interface; chosen by name so nothing above them knows which runs."""

from __future__ import annotations

import os

from sandbox.backends.base import Backend, SandboxUnavailable

BACKEND_NAMES = ("local", "docker", "e2b", "unsafe")


def get_backend(name: str | None = None, **options) -> Backend:
    """`local` (default: bubblewrap boxes here), `docker` (a pool of containers from the
    cpforge image), `e2b` (hosted E2B sandboxes), `unsafe` (local, no isolation: trusted
    code only). `CPFORGE_BACKEND` picks when name is None."""
    name = (name or os.environ.get("CPFORGE_BACKEND") or "local").lower()
    if name in ("local", "bwrap", "bubblewrap"):
        from sandbox.backends.local import LocalBackend

        return LocalBackend(**options)
    if name == "unsafe":
        from sandbox.backends.local import LocalBackend

        return LocalBackend(unsafe=True, **options)
    if name == "docker":
        from sandbox.backends.docker import DockerBackend

        return DockerBackend(**options)
    if name == "e2b":
        from sandbox.backends.e2b import E2BBackend

        return E2BBackend(**options)
    raise ValueError(f"unknown backend {name!r}; available: {', '.join(BACKEND_NAMES)}")


__all__ = ["BACKEND_NAMES", "Backend", "SandboxUnavailable", "get_backend"]

"""Backends behind one interface; chosen by name so nothing above them knows which runs."""

from __future__ import annotations

import os

from sandbox.backends.base import Backend, SandboxUnavailable


def get_backend(name: str | None = None, **options) -> Backend:
    """`local` (default), later `docker` and `e2b`; `CPFORGE_BACKEND` picks when name is None."""
    name = (name or os.environ.get("CPFORGE_BACKEND") or "local").lower()
    if name in ("local", "bwrap", "bubblewrap"):
        from sandbox.backends.local import LocalBackend

        return LocalBackend(**options)
    if name == "unsafe":
        from sandbox.backends.local import LocalBackend

        return LocalBackend(unsafe=True, **options)
    raise ValueError(f"unknown backend {name!r}; available: local, unsafe")


__all__ = ["Backend", "SandboxUnavailable", "get_backend"]

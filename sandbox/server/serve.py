"""Running the server under uvicorn, with a graceful drain on SIGTERM / SIGINT.

On a signal uvicorn stops accepting connections and waits up to `drain_timeout` for the
requests in flight; we also flag the runtime as draining at once, so requests arriving
on connections that are still open get 503 + Retry-After instead of new work being
started. The lifespan shutdown then waits for every admitted submission and closes the
sandboxes."""

from __future__ import annotations

import logging

import uvicorn

from .app import create_app
from .runtime import Runtime
from .settings import ServerSettings


class DrainingServer(uvicorn.Server):
    def handle_exit(self, sig: int, frame) -> None:  # type: ignore[override]
        holder = getattr(getattr(self.config.app, "state", None), "holder", None)
        if holder and "runtime" in holder:
            holder["runtime"].draining = True
        super().handle_exit(sig, frame)


def uvicorn_config(settings: ServerSettings, app=None) -> uvicorn.Config:
    return uvicorn.Config(
        app if app is not None else create_app(settings), host=settings.host, port=settings.port,
        log_level=settings.log_level, access_log=False, timeout_graceful_shutdown=settings.drain_timeout or None,
        backlog=2048, timeout_keep_alive=30, lifespan="on")


def serve(settings: ServerSettings) -> None:
    """Blocks until a signal has drained the server. The runtime (problem dataset, sandbox)
    is opened first, so a bad --problems or a host that cannot sandbox fails here, with its
    reason, rather than inside uvicorn's start-up."""
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    runtime = Runtime.build(settings)
    DrainingServer(uvicorn_config(settings, create_app(settings, runtime))).run()


__all__ = ["DrainingServer", "serve", "uvicorn_config"]

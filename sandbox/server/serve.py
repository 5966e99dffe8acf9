"""Running the server under uvicorn, with a graceful drain on SIGTERM / SIGINT.

On a signal uvicorn stops accepting connections, and we flag the runtime as draining at
once, so requests arriving on connections that are still open get 503 + Retry-After
instead of new work being started. Requests in flight may finish until `drain_timeout`;
then the runtime cuts the ones still waiting with 503 (never uvicorn's 500 for a cancelled
task: its own timeout is set a little later) and cancels their work. The lifespan shutdown
then closes the sandboxes without waiting for threads stuck in a box, so a shutdown never
takes much longer than `drain_timeout`."""

from __future__ import annotations

import logging
import math
import os

import uvicorn

from sandbox.server.app import create_app
from sandbox.server.runtime import Runtime
from sandbox.server.settings import ServerSettings

# uvicorn's own graceful timeout is this much later than ours, so our 503s go out first.
UVICORN_GRACE = 2.0


class DrainingServer(uvicorn.Server):
    def handle_exit(self, sig: int, frame) -> None:
        holder = getattr(getattr(self.config.app, "state", None), "holder", None)
        if holder and "runtime" in holder:
            holder["runtime"].begin_drain()
        super().handle_exit(sig, frame)


def uvicorn_config(settings: ServerSettings, app=None) -> uvicorn.Config:
    return uvicorn.Config(
        app if app is not None else create_app(settings), host=settings.host, port=settings.port,
        log_level=settings.log_level, access_log=False,
        timeout_graceful_shutdown=math.ceil(settings.drain_timeout + UVICORN_GRACE),
        backlog=2048, timeout_keep_alive=30, lifespan="on")


def serve(settings: ServerSettings) -> None:
    """Blocks until a signal has drained the server. The runtime (problem dataset, sandbox)
    is opened first, so a bad --problems or a host that cannot sandbox fails here, with its
    reason, rather than inside uvicorn's start-up."""
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    runtime = Runtime.build(settings)
    try:
        DrainingServer(uvicorn_config(settings, create_app(settings, runtime))).run()
    finally:
        if runtime.left_behind:
            # Threads still stuck in a box would be joined at interpreter exit: do not wait.
            logging.getLogger("cpforge.server").error("exiting with work still stuck in the sandbox")
            logging.shutdown()
            os._exit(1)


__all__ = ["DrainingServer", "serve", "uvicorn_config"]

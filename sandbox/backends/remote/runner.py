"""The runner: the one cpforge process inside a container or hosted sandbox.

It reads requests (see `wire`) on stdin and answers on stdout, running each on a
`LocalBackend` that lives beside it. The boxes, rlimits, watchdog, peak-memory accounting
and output caps are therefore the local backend's own code, and a verdict means the same
whichever backend produced it. Where the container allows user namespaces the boxes are
bubblewrap boxes inside the container (two walls); `--unsafe` uses the container alone.

    python -m sandbox.backends.remote.runner [--slots N] [--unsafe]

Nothing but protocol lines may reach stdout, so the real stdout is moved to a private
descriptor first and descriptor 1 then points at stderr (a stray print, a warning from a
library, cannot corrupt the channel)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

from sandbox.backends.base import Backend, SandboxUnavailable
from sandbox.backends.remote.wire import (
    FileStore, MissingFiles, WireError, decode_request, dumps, encode_aid, encode_outcome, loads,
)
from sandbox.languages import UnknownLanguage, get_language


class Runner:
    def __init__(self, backend: Backend, out: BinaryIO, slots: int) -> None:
        self.backend = backend
        self.out = out
        self.store = FileStore()
        self._store_lock = threading.Lock()
        self._write_lock = threading.Lock()
        # Calls run side by side (the host may keep several in flight); a pair's interactor
        # and a `many` call's tests get threads of their own.
        self.calls = ThreadPoolExecutor(max_workers=max(2, 2 * slots), thread_name_prefix="runner-call")
        self.companions = ThreadPoolExecutor(max_workers=max(2, 2 * slots), thread_name_prefix="runner-companion")
        self.tests = ThreadPoolExecutor(max_workers=max(1, slots), thread_name_prefix="runner-test")
        self.runs = 0

    def send(self, message: dict[str, Any]) -> None:
        line = dumps(message)
        with self._write_lock:
            self.out.write(line)
            self.out.flush()

    def info(self) -> dict[str, Any]:
        local = self.backend
        cgroups = getattr(local, "cgroups", None)
        settings = getattr(local, "settings", None)
        working = [] if cgroups is None else [name for name, found in cgroups.controllers.items() if found.works]
        return {"sandboxed": local.sandboxed, "backend": local.name, "pid": os.getpid(), "runs": self.runs,
                "uid": os.getuid(), "cgroups": sorted(working),
                "zygote": bool(getattr(settings, "zygote", False)),
                "concurrency": getattr(local, "concurrency", 1)}

    def serve(self, stdin: BinaryIO) -> None:
        self.send({"ready": self.info()})
        for line in stdin:
            if not line.strip():
                continue
            try:
                message = loads(line)
            except WireError as exc:
                self.send({"id": None, "error": str(exc)})
                continue
            self.calls.submit(self.answer, message)
        self.calls.shutdown(wait=True)

    def answer(self, message: dict[str, Any]) -> None:
        call_id = message.get("id")
        try:
            reply = self.handle(message)
        except MissingFiles as missing:
            reply = {"missing": missing.digests}
        except (WireError, UnknownLanguage, ValueError) as exc:
            reply = {"error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - any failure is reported, never a silent hang
            reply = {"error": f"runner failed: {type(exc).__name__}: {exc}"}
        self.send({"id": call_id, **reply})

    def _decode(self, message: Any) -> Any:
        with self._store_lock:
            return decode_request(message, self.store)

    def handle(self, message: dict[str, Any]) -> dict[str, Any]:
        op = message.get("op")
        if op == "execute":
            request = self._decode(message.get("request"))
            self.runs += 1
            return {"outcome": encode_outcome(self.backend.execute(request))}
        if op == "many":
            requests = [self._decode(item) for item in message.get("requests") or []]
            self.runs += len(requests)
            outcomes = list(self.tests.map(self.backend.execute, requests))
            return {"outcomes": [encode_outcome(outcome) for outcome in outcomes]}
        if op == "pair":
            items = message.get("requests") or []
            if len(items) != 2:
                raise WireError("a pair is exactly two requests")
            solution, interactor = (self._decode(item) for item in items)
            self.runs += 2
            pair = self.backend.execute_pair(solution, interactor, self.companions)
            return {"outcomes": [encode_outcome(outcome) for outcome in pair]}
        if op == "compile_aid":
            return {"aid": encode_aid(self.backend.compile_aid(get_language(str(message.get("language")))))}
        if op == "aid_broke":
            self.backend.compile_aid_broke(get_language(str(message.get("language"))))
            return {"aid": None}
        if op == "ping":
            return {"pong": self.info()}
        raise WireError(f"unknown op {op!r}")


def _private_stdout() -> BinaryIO:
    channel = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return channel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.backends.remote.runner")
    parser.add_argument("--slots", type=int, default=os.cpu_count() or 1, help="runs at once")
    parser.add_argument("--unsafe", action="store_true", help="no boxes inside: the container is the only wall")
    options = parser.parse_args(argv)
    out = _private_stdout()
    from sandbox.backends.local import LocalBackend

    try:
        backend = LocalBackend(concurrency=options.slots, unsafe=options.unsafe, compile_cache_mb=0)
    except SandboxUnavailable as exc:
        out.write(dumps({"fatal": str(exc)}))
        return 3
    try:
        Runner(backend, out, options.slots).serve(sys.stdin.buffer)
    finally:
        backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

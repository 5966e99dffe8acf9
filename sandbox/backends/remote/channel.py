"""The host's end of a runner (see `wire`): calls with deadlines over any byte transport.

The transport is two functions: `send(bytes)` to the runner's stdin, and the transport's
reader calling `feed(bytes)` with whatever arrived on the runner's stdout (whole lines or
not) and `lost(reason)` at end-of-file. Docker's attached stdio and E2B's process events
both fit, so the deadlines, the file cache and the failure rules exist once."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from sandbox.backends.remote.wire import FILE_STORE_BYTES, WireError, dumps, encode_request, file_digest, loads
from sandbox.execution import ExecRequest

MAX_LINE = 1 << 30


class ChannelBroken(RuntimeError):
    """The runner is gone, stopped answering in time, or broke the protocol: the calls in
    flight have no answer, and the runner (with its container) must be replaced."""


class RunnerChannel:
    def __init__(self, send: Callable[[bytes], None], name: str) -> None:
        self.name = name
        self._send = send
        self._ids = itertools.count(1)
        self._pending: dict[int, Future[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer known to hold no line end: a long answer in small chunks stays linear
        self._ready: Future[dict[str, Any]] = Future()
        self.broken: str | None = None
        # Digests of files the runner has been sent, least recent first, bounded like the
        # runner's own store; a file the runner dropped anyway is sent again on request.
        self._sent: OrderedDict[str, int] = OrderedDict()
        self._sent_bytes = 0

    # ------------------------------------------------------------------ transport side
    def feed(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\n", self._scanned)
            if end < 0:
                self._scanned = len(self._buffer)
                if len(self._buffer) > MAX_LINE:
                    self.lost("the runner sent a line longer than 1 GiB")
                return
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            self._scanned = 0
            if line.strip():
                self._dispatch(line)

    def lost(self, reason: str) -> None:
        with self._lock:
            if self.broken is None:
                self.broken = reason
            pending = list(self._pending.values())
            self._pending.clear()
        error = ChannelBroken(f"runner {self.name}: {self.broken}")
        for future in pending + [self._ready]:
            if not future.done():
                future.set_exception(error)

    def _dispatch(self, line: bytes) -> None:
        try:
            message = loads(line)
        except WireError as exc:
            self.lost(f"protocol broken: {exc}")
            return
        if "ready" in message or "fatal" in message:
            if not self._ready.done():
                self._ready.set_result(message)
            return
        call_id = message.get("id")
        with self._lock:
            future = self._pending.pop(call_id, None) if isinstance(call_id, int) else None
        if future is None:
            self.lost(f"an answer to no question: {line[:200]!r}")
            return
        future.set_result(message)

    # ------------------------------------------------------------------ caller side
    def wait_ready(self, timeout: float) -> dict[str, Any]:
        """The runner's first word: its info, or ChannelBroken with its fatal message."""
        try:
            message = self._ready.result(timeout)
        except FutureTimeout:
            self.lost(f"did not start within {timeout:g} s")
            raise ChannelBroken(f"runner {self.name} did not start within {timeout:g} s") from None
        if "fatal" in message:
            raise ChannelBroken(str(message["fatal"]))
        info = message["ready"]
        if not isinstance(info, dict):
            raise ChannelBroken(f"runner {self.name}: malformed ready message")
        return info

    def call(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Sends one call and waits for its answer. Raises ChannelBroken if the runner dies,
        errs in protocol or misses the deadline (the caller then replaces it: a runner that
        overran once cannot be trusted to be idle)."""
        call_id = next(self._ids)
        future: Future[dict[str, Any]] = Future()
        with self._lock:
            if self.broken is not None:
                raise ChannelBroken(f"runner {self.name}: {self.broken}")
            self._pending[call_id] = future
        try:
            self._send(dumps({"id": call_id, **message}))
        except OSError as exc:
            self.lost(f"cannot write to the runner: {exc}")
        try:
            reply = future.result(timeout)
        except FutureTimeout:
            self.lost(f"no answer within {timeout:g} s")
            raise ChannelBroken(f"runner {self.name}: no answer within {timeout:g} s") from None
        if "error" in reply:
            raise ChannelBroken(f"runner {self.name} refused a call: {reply['error']}")
        return reply

    def call_with_files(self, op: str, requests: list[ExecRequest], timeout: float) -> dict[str, Any]:
        """A call carrying requests; files are named by digest once the runner has them,
        and sent again if it says it lost some."""
        for attempt in range(2):
            with self._lock:
                known = set(self._sent) if attempt == 0 else set()
            encoded = [encode_request(request, known) for request in requests]
            body: dict[str, Any] = {"op": op, "request": encoded[0]} if op == "execute" else {"op": op,
                                                                                           "requests": encoded}
            reply = self.call(body, timeout)
            if "missing" in reply:
                with self._lock:
                    for sha in reply["missing"]:
                        size = self._sent.pop(sha, 0)
                        self._sent_bytes -= size
                continue
            self._remember(requests)
            return reply
        raise ChannelBroken(f"runner {self.name} lost files it had just been sent")

    def _remember(self, requests: list[ExecRequest]) -> None:
        with self._lock:
            for request in requests:
                for data in request.files.values():
                    sha = file_digest(data)
                    if sha in self._sent:
                        self._sent.move_to_end(sha)
                        continue
                    self._sent[sha] = len(data)
                    self._sent_bytes += len(data)
            while self._sent_bytes > FILE_STORE_BYTES // 2 and self._sent:
                _, size = self._sent.popitem(last=False)
                self._sent_bytes -= size


__all__ = ["ChannelBroken", "RunnerChannel"]

"""Guards in front of the endpoints: bearer-token auth and a request body size limit.

The size limit is plain ASGI middleware that counts bytes as they arrive, so an oversized
body is refused (413) before it is buffered or parsed, whatever Content-Length claims; the
same count bounds the bytes of all requests in flight together (429)."""

from __future__ import annotations

import hmac
import json
from typing import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .memory import after_large_body

BUSY_RETRY_AFTER = 1


class BodySizeLimit:
    """413 for a body over `max_bytes`; 429 + Retry-After when the bodies of all requests in
    flight would together pass `max_inflight` bytes. A request's bytes stay counted until it
    has been answered, since its parsed body (several times its size) lives that long: this
    is what bounds the server's memory, where a per-body limit alone let eight 30 MB
    requests take 2.5 GB."""

    def __init__(self, app: ASGIApp, max_bytes: int, on_reject: Callable[[], None] | None = None,
                 max_inflight: int | None = None, on_busy: Callable[[], None] | None = None,
                 busy_status: dict[str, int] | None = None) -> None:
        """`busy_status`: the status to answer "too busy" with, by path, where a client
        retries only another one (verl's SandboxFusion client: 504); 429 elsewhere."""
        self.app = app
        self.max_bytes = max_bytes
        self.on_reject = on_reject
        self.max_inflight = max_inflight
        self.on_busy = on_busy
        self.busy_status = busy_status or {}
        self.inflight = 0  # one event loop: no lock needed

    def _reserve(self, count: int) -> bool:
        if self.max_inflight is not None and self.inflight + count > self.max_inflight:
            return False
        self.inflight += count
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        size = int(declared) if declared is not None and declared.isdigit() else None
        if size is not None and size > self.max_bytes:
            await self._reject(send)
            return
        reserved = 0
        if size:
            if not self._reserve(size):
                await _discard_body(receive)  # read (not kept), so the client sees our answer
                await self._busy(scope, send)
                return
            reserved = size
        received = 0
        started = rejected = False

        async def limited_receive() -> Message:
            # Past a limit we answer ourselves and tell the app the client left: raising
            # instead would be caught by the framework's body parsing (a 400).
            nonlocal received, rejected, reserved
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    rejected = True
                    if not started:
                        await self._reject(send)
                    return {"type": "http.disconnect"}
                if received > reserved:  # a chunked body, or more than it declared
                    if not self._reserve(received - reserved):
                        rejected = True
                        if not started:
                            if message.get("more_body", False):
                                await _discard_body(receive)
                            await self._busy(scope, send)
                        return {"type": "http.disconnect"}
                    reserved = received
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return  # our answer has been sent; whatever the app answers now is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        finally:
            self.inflight -= reserved
            after_large_body(reserved, idle=self.inflight == 0)

    async def _reject(self, send: Send) -> None:
        if self.on_reject is not None:
            self.on_reject()
        await _answer(send, 413, {"detail": f"request body larger than {self.max_bytes} bytes"})

    async def _busy(self, scope: Scope, send: Send) -> None:
        if self.on_busy is not None:
            self.on_busy()
        detail = f"request bodies in flight would pass {self.max_inflight} bytes (--max-inflight-mb); retry later"
        await _answer(send, self.busy_status.get(scope.get("path", ""), 429),
                      {"detail": detail, "retry_after": BUSY_RETRY_AFTER},
                      [(b"retry-after", str(BUSY_RETRY_AFTER).encode())])


async def _discard_body(receive: Receive) -> None:
    """Reads the rest of a body without keeping it."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _answer(send: Send, status: int, content: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(content).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def bearer_auth(tokens: tuple[str, ...], on_reject: Callable[[], None] | None = None
                ) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency accepting any of `tokens` (none configured: open)."""
    encoded = [token.encode() for token in tokens]

    async def check(request: Request) -> None:
        if not encoded:
            return
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        given = value.strip().encode()
        # compare_digest against every token, so timing says nothing about which matched
        matched = [hmac.compare_digest(given, token) for token in encoded]
        if scheme.lower() != "bearer" or not any(matched):
            if on_reject is not None:
                on_reject()
            raise HTTPException(status_code=401, detail="missing or invalid bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

    return check


__all__ = ["BodySizeLimit", "bearer_auth"]

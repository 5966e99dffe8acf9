"""Guards in front of the endpoints: bearer-token auth and a request body size limit.

The size limit is plain ASGI middleware that counts bytes as they arrive, so an oversized
body is refused (413) before it is buffered or parsed, whatever Content-Length claims."""

from __future__ import annotations

import hmac
import json
from typing import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, on_reject: Callable[[], None] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.on_reject = on_reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        received = 0
        started = rejected = False

        async def limited_receive() -> Message:
            # Past the limit we answer 413 ourselves and tell the app the client left:
            # raising instead would be caught by the framework's body parsing (a 400).
            nonlocal received, rejected
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
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return  # the 413 has been sent; whatever the app answers now is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)

    async def _reject(self, send: Send) -> None:
        if self.on_reject is not None:
            self.on_reject()
        body = json.dumps({"detail": f"request body larger than {self.max_bytes} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
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

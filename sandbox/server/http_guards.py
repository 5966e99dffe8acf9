"""Guards in front of the endpoints: token auth (a bearer header, or a token as a URL path
prefix for clients that cannot send headers) and a request body size limit.

The size limit is plain ASGI middleware that counts bytes as they arrive, so an oversized
body is refused (413) before it is buffered or parsed, whatever Content-Length claims; the
same count bounds the bytes of all requests in flight together (429)."""

from __future__ import annotations

import hmac
import json
from typing import Awaitable, Callable

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.server.memory import after_large_body

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


async def _discard_body(receive: Receive, limit: int | None = None) -> None:
    """Reads the rest of a body (up to `limit` bytes) without keeping it."""
    seen = 0
    while True:
        message = await receive()
        seen += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        if limit is not None and seen > limit:
            return


async def _answer(send: Send, status: int, content: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(content).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


URL_TOKEN_PREFIX = "/t/"
URL_AUTH_KEY = "cpforge_url_token"  # set in the ASGI scope when the path carried a valid token


def _matches(given: bytes, encoded: list[bytes]) -> bool:
    # compare_digest against every token, so timing says nothing about which matched
    matched = [hmac.compare_digest(given, token) for token in encoded]
    return any(matched)


class UrlToken:
    """Auth for clients that can be given a URL but no header: verl's SandboxFusion client
    and OpenRLHF's remote reward send neither an Authorization header nor anything else we
    could configure. `/t/<token>/run_code` is `/run_code` with that token: the prefix is
    checked and cut off here, before routing, so every endpoint works under it. The path is
    rewritten in the scope itself, so nothing downstream (routing, logs, metrics) sees the
    token. A prefix with a wrong token is a 401, never a 404 that would tell paths apart."""

    def __init__(self, app: ASGIApp, tokens: tuple[str, ...], on_reject: Callable[[], None] | None = None,
                 max_discard: int = 1 << 20) -> None:
        self.app = app
        self.encoded = [token.encode() for token in tokens]
        self.on_reject = on_reject
        self.max_discard = max_discard  # of a refused body, read so the client sees the 401

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not self.encoded or not path.startswith(URL_TOKEN_PREFIX):
            await self.app(scope, receive, send)
            return
        given, slash, rest = path[len(URL_TOKEN_PREFIX):].partition("/")
        if not slash or not _matches(given.encode(), self.encoded):
            if self.on_reject is not None:
                self.on_reject()
            await _discard_body(receive, self.max_discard)
            await _answer(send, 401, {"detail": "invalid token in the URL path"},
                          [(b"www-authenticate", b"Bearer")])
            return
        scope["path"] = "/" + rest
        raw = scope.get("raw_path")
        if raw is not None:
            cut = raw.find(b"/", len(URL_TOKEN_PREFIX)) if raw.startswith(URL_TOKEN_PREFIX.encode()) else -1
            scope["raw_path"] = raw[cut:] if cut >= 0 else scope["path"].encode()
        scope[URL_AUTH_KEY] = True
        await self.app(scope, receive, send)


def bearer_auth(tokens: tuple[str, ...], on_reject: Callable[[], None] | None = None
                ) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency accepting any of `tokens` in an `Authorization: Bearer` header, or
    a request whose URL path carried one (`UrlToken`); none configured: open."""
    encoded = [token.encode() for token in tokens]

    async def check(request: Request) -> None:
        if not encoded or request.scope.get(URL_AUTH_KEY) is True:
            return
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not _matches(value.strip().encode(), encoded):
            if on_reject is not None:
                on_reject()
            raise HTTPException(status_code=401, detail="missing or invalid bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

    return check


__all__ = ["URL_TOKEN_PREFIX", "BodySizeLimit", "UrlToken", "bearer_auth"]

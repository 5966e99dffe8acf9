"""Helpers for the Codeforces scraper tests: data paths, page templates, the replay server.

The recorded data lives outside the project, in ``<project root>/../shared/data``; every
test that needs it skips cleanly when it is absent (a fresh clone has no ``../shared``).
The replay server stands in for codeforces.com: it serves recorded responses over real
HTTP on 127.0.0.1 and injects the faults the real site produces.
"""

from __future__ import annotations

import base64
import hashlib
import re

from problems.cli import _retitle  # the benchmark and the tests build pages the same way
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED = PROJECT_ROOT / ".." / "shared"
CF_DATA = SHARED / "data" / "codeforces"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"recorded data not available: {path}")
    return path


def read_page(cf_data: Path, name: str) -> str:
    return _need(cf_data / "html" / "pages" / name).read_text(encoding="utf-8")


def vcr_body(path: Path) -> bytes:
    """Decode the base64 response body of a one-interaction VCR cassette (no YAML lib needed)."""
    text = path.read_text()
    match = re.search(r"base64_string: \|\n((?:\s+[A-Za-z0-9+/=]+\n)+)", text.split("response:", 1)[1])
    assert match, f"no body in {path}"
    return base64.b64decode("".join(match.group(1).split()))


# --- statement templates made from the recorded pages ------------------------------------


@dataclass
class Templates:
    """Real statement blocks (``problemindexholder`` divs) and the page chrome around them."""

    head: str
    tail: str
    blocks: list[str]

    def page(self, blocks: list[str]) -> str:
        return self.head + "\n".join(blocks) + "\n</div></div></div></body>\n" + self.tail

    def retitled(self, k: int, index: str, name: str) -> str:
        return _retitle(self.blocks[k % len(self.blocks)], index, name)


# --- the replay server ------------------------------------------------------------------

CHALLENGE_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    '<div id="cf-browser-verification"><form id="challenge-form" action="/?__cf_chl_jschl_tk__=x"></form>'
    "</div><script>window._cf_chl_opt={}</script></body></html>"
)


@dataclass
class LoggedRequest:
    path: str  # path + sorted query without signing params
    status: int
    fault: str | None
    when: float
    query: dict[str, str] = field(default_factory=dict)


class ReplayServer:
    """Stands in for codeforces.com on 127.0.0.1: serves recorded responses, logs every
    request, and injects scripted faults (503, rate-limit FAILED, timeouts, a challenge
    page, a login redirect, a truncated body) before the real answer.
    """

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.faults: dict[str, list[str]] = {}
        self.log: list[LoggedRequest] = []
        self.lock = threading.Lock()
        self.timeout_sleep = 1.0
        self.api_secret: tuple[str, str] | None = None  # (key, secret) to verify signatures
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, path: str, body: bytes | str, status: int = 200, ctype: str = "text/html; charset=utf-8") -> None:
        self.routes[path] = (status, ctype, body.encode() if isinstance(body, str) else body)

    def fault(self, path: str, *faults: str) -> None:
        self.faults.setdefault(path, []).extend(faults)

    def served(self, prefix: str = "", status: int | None = 200) -> list[str]:
        with self.lock:
            return [
                r.path
                for r in self.log
                if r.path.startswith(prefix) and (status is None or r.status == status) and r.fault is None
            ]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _send(
                self,
                status: int,
                body: bytes,
                ctype: str,
                extra: dict[str, str] | None = None,
                length: int | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                public = sorted((k, v) for k, v in query.items() if k not in ("apiKey", "apiSig", "time"))
                key = parts.path + ("?" + "&".join(f"{k}={v}" for k, v in public) if public else "")
                with server.lock:
                    pending = server.faults.get(key) or server.faults.get(parts.path)
                    fault = pending.pop(0) if pending else None
                    entry = LoggedRequest(key, 0, fault, time.monotonic(), query)
                    server.log.append(entry)  # logged on arrival, so order is request order
                entry.status = self._serve(key, parts.path, query, fault)

            def _serve(self, key: str, path: str, query: dict[str, str], fault: str | None) -> int:
                if fault == "503":
                    self._send(503, b"<html><body>Service Unavailable</body></html>", "text/html")
                    return 503
                if fault == "ratelimit":
                    self._send(200, b'{"status":"FAILED","comment":"Call limit exceeded"}', "application/json")
                    return 200
                if fault == "timeout":
                    time.sleep(server.timeout_sleep)
                    try:
                        self._send(504, b"", "text/plain")
                    except OSError:
                        pass
                    return 504
                if fault == "challenge":
                    self._send(403, CHALLENGE_PAGE.encode(), "text/html")
                    return 403
                if fault == "challenge200":
                    self._send(200, CHALLENGE_PAGE.encode(), "text/html")
                    return 200
                if fault == "login":
                    self._send(302, b"", "text/html", {"Location": "/enter?back=" + path})
                    return 302
                if fault == "empty":
                    self._send(200, b"", "text/html")
                    return 200
                route = server.routes.get(key) or server.routes.get(path)
                if route is None:
                    self._send(404, b"<html><body>not found</body></html>", "text/html")
                    return 404
                status, ctype, body = route
                if path.startswith("/api/") and server.api_secret is not None:
                    if not _signature_ok(path[len("/api/"):], query, *server.api_secret):
                        bad_sig = b'{"status":"FAILED","comment":"apiSig: Incorrect signature"}'
                        self._send(400, bad_sig, "application/json")
                        return 400
                if fault == "truncated":
                    # Promise the whole body, send a third, drop the connection.
                    self._send(status, body[: len(body) // 3], ctype, length=len(body))
                    self.close_connection = True
                    return status
                if fault == "brokenjson":
                    self._send(status, body[: len(body) // 2], ctype)
                    return status
                self._send(status, body, ctype)
                return status

        return Handler


def _signature_ok(method: str, query: dict[str, str], key: str, secret: str) -> bool:
    """Server-side check of apiSig, written from the API documentation's description."""
    sig = query.get("apiSig", "")
    if query.get("apiKey") != key or len(sig) != 6 + 128:
        return False
    rand = sig[:6]
    params = "&".join(f"{k}={v}" for k, v in sorted((k, v) for k, v in query.items() if k != "apiSig"))
    expected = hashlib.sha512(f"{rand}/{method}?{params}#{secret}".encode()).hexdigest()
    return sig[6:] == expected



def load_templates(cf_data: Path) -> Templates:
    """Statement blocks of the recorded 1368 page plus its real page chrome."""
    from selectolax.lexbor import LexborHTMLParser

    html = read_page(cf_data, "contest-1368-problems.html")
    start = html.find('<div class="problemindexholder"')
    blocks = [n.html or "" for n in LexborHTMLParser(html).css("div.problemindexholder")]
    return Templates(head=html[:start], tail=html[html.rfind("</html>") :], blocks=blocks)

"""A stand-in for E2B on 127.0.0.1: the control-plane REST API and the envd process service,
following E2B's protocol for exactly the calls the e2b SDK makes on the E2B backend's path.

E2B itself cannot be reached from the test machines, and a mock of the SDK would test nothing
but the mock: here the REAL SDK code (its generated REST client, its pyqwest transports, its
connectrpc client and protobuf messages) talks HTTP to two local servers, and the processes
it starts are real local processes (the runner, with its bubblewrap boxes).

Two servers, as in E2B, because they are two services there:

- the API (`api_url`; https://api.e2b.app in E2B), authenticated by `X-API-KEY`:
  `POST /v2/sandboxes` (create; 201 with the sandbox's id, envd version and envd access
  token), `DELETE /sandboxes/{id}` (kill; 204, 404 unknown), `POST /sandboxes/{id}/timeout`
  (lifetime; 204), `GET /v2/sandboxes` (list, filtered by `metadata` and `state`; paged by
  the `x-next-token` header, which this stand-in never needs to send);
  errors are `{"code": <status>, "message": ...}` like E2B's.
- the envd edge (`sandbox_url`; https://sandbox.e2b.app, where one host serves every
  sandbox and the `E2b-Sandbox-Id` header picks one), authenticated by `X-Access-Token`:
  Connect-RPC `process.Process/Start` (server stream: a `start` event with the pid, `data`
  events with stdout/stderr bytes, `keepalive` events, an `end` event with the exit code),
  `SendInput` (stdin bytes to a pid), `SendSignal` (SIGKILL/SIGTERM a pid), `CloseStdin`,
  and `GET /health`. A sandbox that does not exist gets the proxy's 502 "... was not
  found", which the SDK turns into SandboxNotRunningException.

Connect-RPC is spoken by hand, not with connectrpc's server, so the stand-in checks the SDK
against the protocol rather than against its own library: unary calls are a JSON body
(`application/json`) answered with JSON or with an error `{"code": "not_found", ...}` and
the code's HTTP status; a server stream is `application/connect+json`, each message in an
envelope (one flags byte, a 4-byte big-endian length, the JSON), the last envelope flagged
0x02 holding `{}` or `{"error": {...}}`. Messages are built and parsed with the SDK's own
generated classes (e2b.envd.process.process_pb), in the JSON form the SDK's codec uses.

Failures, for the tests: `fail_next_create(status)` (401, 404, 429, ...), `create_delay`
(slow or hanging creates), `swallow_stdin` (runners that start but never hear a question:
a hang), `kill_on_next_input(delay)` (the runner dies mid-call), `enforce_lifetimes`
(sandboxes end at their timeout, as E2B's are meant to).

Not modelled: TLS and HTTP/2 (the SDK speaks HTTP/1.1 to an http:// URL), users (processes
run as the test's own user, whatever the request's Authorization names), templates' files
(a process runs on this machine, in a fresh home directory per sandbox)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import os
import secrets
import shutil
import signal
import socket
import struct
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from protobuf import Oneof

from e2b.envd.process import process_pb

ENVD_VERSION = "0.6.4"
OUTPUT_CHUNK = 32 << 10

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class _Reply(Exception):
    """Ends a request with a plain HTTP answer (what E2B's API or proxy would say)."""

    def __init__(self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class _ConnectError(Exception):
    """A Connect-protocol error: `code` is one of Connect's code names."""

    STATUS = {"invalid_argument": 400, "unauthenticated": 401, "permission_denied": 403, "not_found": 404,
              "failed_precondition": 400, "unavailable": 503, "internal": 500, "unimplemented": 501}

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class _Process:
    pid: int
    proc: asyncio.subprocess.Process
    swallow: bool
    events: asyncio.Queue[process_pb.ProcessEvent | None] = field(default_factory=asyncio.Queue)


@dataclass
class _Sandbox:
    id: str
    template: str
    token: str
    metadata: dict[str, str]
    envs: dict[str, str]
    started: float
    end_at: float
    home: str
    body: dict[str, Any]
    processes: dict[int, _Process] = field(default_factory=dict)
    alive: bool = True


def _kill_tree(root: int) -> None:
    """SIGKILLs a process and everything under it, collected first so that children
    reparented on their parent's death are not missed (a VM being destroyed, locally)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    doomed, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in doomed:
                doomed.add(pid)
                frontier.append(pid)
    for pid in doomed:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _json_bytes(body: dict[str, Any] | list[Any]) -> bytes:
    return json.dumps(body).encode()


def _envelope(flags: int, payload: bytes) -> bytes:
    return struct.pack(">BI", flags, len(payload)) + payload


class StandIn:
    """The two servers in one background thread and event loop. Counters and failure
    switches are plain attributes: the tests read and set them from their own thread."""

    def __init__(self, *, api_key: str = "e2b_standin_0123456789abcdef", templates: tuple[str, ...] = ("cpforge",),
                 keepalive_interval: float | None = None) -> None:
        self.api_key = api_key
        self.templates = set(templates)
        self.keepalive_interval = keepalive_interval
        self.sandboxes: dict[str, _Sandbox] = {}
        self.requests: list[tuple[str, str]] = []  # (service, "METHOD /path") in arrival order
        self.create_bodies: list[dict[str, Any]] = []
        self.starts: list[tuple[str, process_pb.StartRequest]] = []  # (sandbox id, request) of every Start
        self.stdin_messages = 0
        self.stdin_heads: list[bytes] = []  # the first bytes of every SendInput, for tests to look at
        self.kills = 0
        self.timeouts_set = 0
        # Failure switches.
        self.create_delay: float = 0.0  # seconds before a create is answered (inf: never)
        self.swallow_stdin = False  # processes started while set never see their stdin
        self.enforce_lifetimes = False
        self._create_failures: list[tuple[int, str]] = []
        self._kill_on_input: float | None = None
        self._loop = asyncio.new_event_loop()
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None
        self._ports: list[int] = []

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> StandIn:
        sockets = []
        for _ in range(2):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
            self._ports.append(sock.getsockname()[1])
        for app in (self._api_app, self._envd_app):
            config = uvicorn.Config(app, interface="asgi3", log_level="warning", lifespan="off", access_log=False,
                                    timeout_graceful_shutdown=1)
            self._servers.append(uvicorn.Server(config))
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)

            async def main() -> None:
                reaper = asyncio.create_task(self._reap_expired())
                serving = [asyncio.create_task(server.serve(sockets=[sock]))
                           for server, sock in zip(self._servers, sockets)]
                while not all(server.started for server in self._servers):
                    await asyncio.sleep(0.01)
                started.set()
                await asyncio.gather(*serving, return_exceptions=True)
                reaper.cancel()
                for box in list(self.sandboxes.values()):
                    self._end_sandbox(box, "the stand-in stopped")

            self._loop.run_until_complete(main())

        self._thread = threading.Thread(target=run, daemon=True, name="e2b-standin")
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the E2B stand-in did not start")
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        for box in list(self.sandboxes.values()):
            for process in box.processes.values():
                _kill_tree(process.pid)
            shutil.rmtree(box.home, ignore_errors=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._ports[0]}"

    @property
    def sandbox_url(self) -> str:
        return f"http://127.0.0.1:{self._ports[1]}"

    def connection(self) -> dict[str, Any]:
        """The SDK's connection options (ApiParams) that point it here."""
        # debug=False: E2B_DEBUG=true in the environment would make the SDK skip the API.
        return {"api_url": self.api_url, "sandbox_url": self.sandbox_url, "api_key": self.api_key, "debug": False}

    # ------------------------------------------------------------------ what tests look at
    def live(self) -> list[str]:
        return [box.id for box in self.sandboxes.values() if box.alive]

    def live_processes(self) -> int:
        return sum(1 for box in self.sandboxes.values() for p in box.processes.values()
                   if p.proc.returncode is None)

    def fail_next_create(self, status: int, message: str = "", times: int = 1) -> None:
        self._create_failures.extend([(status, message)] * times)

    def kill_on_next_input(self, delay: float) -> None:
        """The next process to receive stdin gets it, and is SIGKILLed `delay` s later."""
        self._kill_on_input = delay

    def end(self, box_id: str) -> None:
        """Ends a sandbox the way E2B would (its lifetime ran out, a node failed)."""
        self.call(lambda: self._end_sandbox(self.sandboxes[box_id], "ended by E2B"))

    def call(self, fn: Callable[[], Any]) -> Any:
        """Runs `fn` on the stand-in's loop (to touch its state safely) and returns its value."""
        async def run() -> Any:
            return fn()
        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    # ------------------------------------------------------------------ ASGI plumbing
    @staticmethod
    async def _body(receive: Receive) -> bytes:
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    @staticmethod
    async def _answer(send: Send, status: int, body: bytes = b"", content_type: str = "application/json",
                      headers: dict[str, str] | None = None) -> None:
        raw = [(b"content-type", content_type.encode())] if body or status != 204 else []
        raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _headers(scope: Scope) -> dict[str, str]:
        return {k.decode().lower(): v.decode() for k, v in scope["headers"]}

    # ------------------------------------------------------------------ the API
    async def _api_app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        self.requests.append(("api", f"{method} {path}"))
        body = await self._body(receive)
        try:
            if self._headers(scope).get("x-api-key") != self.api_key:
                raise _Reply(401, {"code": 401, "message": "Invalid API key"})
            parts = [p for p in path.split("/") if p]
            if method == "POST" and parts == ["v2", "sandboxes"]:
                status, answer = await self._create(json.loads(body or b"{}"))
            elif method == "GET" and parts == ["v2", "sandboxes"]:
                status, answer = 200, self._list(urllib.parse.parse_qs(scope["query_string"].decode()))
            elif method == "DELETE" and len(parts) == 2 and parts[0] == "sandboxes":
                status, answer = self._kill(parts[1]), None
            elif method == "POST" and len(parts) == 3 and parts[0] == "sandboxes" and parts[2] == "timeout":
                status, answer = self._set_timeout(parts[1], json.loads(body or b"{}")), None
            else:
                raise _Reply(404, {"code": 404, "message": f"no route {method} {path}"})
            if status >= 300:
                raise _Reply(status, {"code": status, "message": f"sandbox {parts[-1]} not found"})
        except _Reply as reply:
            await self._answer(send, reply.status, b"" if reply.body is None else _json_bytes(reply.body),
                               headers=reply.headers)
            return
        await self._answer(send, status, b"" if answer is None else _json_bytes(answer))

    async def _create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.create_bodies.append(body)
        if self.create_delay:
            await asyncio.sleep(self.create_delay if self.create_delay != float("inf") else 1e9)
        if self._create_failures:
            status, message = self._create_failures.pop(0)
            defaults = {401: "Invalid API key", 429: "You have reached the maximum number of concurrent "
                        "E2B sandboxes (20). If you need more, please contact us at 'https://e2b.dev/docs/"
                        "getting-help'", 403: "Team is blocked"}
            raise _Reply(status, {"code": status, "message": message or defaults.get(status, "refused")})
        template = str(body.get("templateID", ""))
        if template not in self.templates:
            raise _Reply(404, {"code": 404, "message": f"template '{template}' not found"})
        box_id = "i" + secrets.token_hex(9)
        now = time.time()
        lifetime = float(body.get("timeout", 15))
        box = _Sandbox(id=box_id, template=template, token=secrets.token_urlsafe(24),
                       metadata=dict(body.get("metadata") or {}), envs=dict(body.get("envVars") or {}),
                       started=now, end_at=now + lifetime, home=tempfile.mkdtemp(prefix=f"e2b-{box_id}-"),
                       body=body)
        self.sandboxes[box_id] = box
        return 201, {"templateID": template, "sandboxID": box_id, "clientID": "standin",
                     "envdVersion": ENVD_VERSION, "envdAccessToken": box.token, "alias": template,
                     "trafficAccessToken": None, "domain": None}

    def _list(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        # `metadata` arrives as one urlencoded string of urlencoded pairs ("k=v&k2=v2").
        wanted: dict[str, str] = {}
        for text in query.get("metadata", []):
            for key, value in urllib.parse.parse_qsl(text):
                wanted[urllib.parse.unquote(key)] = urllib.parse.unquote(value)
        states = {s for text in query.get("state", []) for s in text.split(",")} or {"running", "paused"}
        listed = []
        for box in self.sandboxes.values():
            if not box.alive or "running" not in states:
                continue
            if any(box.metadata.get(k) != v for k, v in wanted.items()):
                continue
            listed.append({
                "templateID": box.template, "alias": box.template, "sandboxID": box.id, "clientID": "standin",
                "startedAt": datetime.datetime.fromtimestamp(box.started, datetime.UTC).isoformat(),
                "endAt": datetime.datetime.fromtimestamp(box.end_at, datetime.UTC).isoformat(),
                "cpuCount": 2, "memoryMB": 512, "diskSizeMB": 1024, "state": "running",
                "envdVersion": ENVD_VERSION, "metadata": box.metadata,
            })
        return listed

    def _kill(self, box_id: str) -> int:
        box = self.sandboxes.get(box_id)
        if box is None or not box.alive:
            return 404
        self.kills += 1
        self._end_sandbox(box, "killed")
        return 204

    def _set_timeout(self, box_id: str, body: dict[str, Any]) -> int:
        box = self.sandboxes.get(box_id)
        if box is None or not box.alive:
            return 404
        self.timeouts_set += 1
        box.end_at = time.time() + float(body.get("timeout", 15))
        return 204

    def _end_sandbox(self, box: _Sandbox, why: str) -> None:
        """What destroying the VM looks like from outside: every process gone at once, every
        open stream cut (the proxy ends it with `unavailable`)."""
        box.alive = False
        for process in box.processes.values():
            _kill_tree(process.pid)
            process.events.put_nowait(None)
        shutil.rmtree(box.home, ignore_errors=True)

    async def _reap_expired(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            if not self.enforce_lifetimes:
                continue
            now = time.time()
            for box in list(self.sandboxes.values()):
                if box.alive and box.end_at <= now:
                    self._end_sandbox(box, "reached its timeout")

    # ------------------------------------------------------------------ envd
    async def _envd_app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        self.requests.append(("envd", f"{method} {path}"))
        headers = self._headers(scope)
        body = await self._body(receive)
        box_id = headers.get("e2b-sandbox-id", "")
        box = self.sandboxes.get(box_id)
        if box is None or not box.alive:
            # The edge proxy's answer for a sandbox that is gone (plain JSON, not Connect).
            await self._answer(send, 502, _json_bytes({"sandboxId": box_id, "code": 502,
                                                       "message": f"The sandbox {box_id} was not found"}))
            return
        if headers.get("x-access-token") != box.token:
            await self._answer(send, 401, _json_bytes({"code": 401, "message": "invalid access token"}))
            return
        if method == "GET" and path == "/health":
            await self._answer(send, 204)
            return
        rpc = path.removeprefix("/process.Process/")
        try:
            if method != "POST" or rpc == path:
                raise _ConnectError("unimplemented", f"{method} {path} is not served here")
            if rpc == "Start":
                if headers.get("content-type") != "application/connect+json":
                    raise _ConnectError("invalid_argument", "a stream must be application/connect+json")
                await self._start(box, body, headers, receive, send)
                return
            if headers.get("content-type") != "application/json":
                raise _ConnectError("invalid_argument", "envd is spoken to in JSON here")
            if rpc == "SendInput":
                answer = await self._send_input(box, process_pb.SendInputRequest.from_json(body))
            elif rpc == "SendSignal":
                answer = self._send_signal(box, process_pb.SendSignalRequest.from_json(body))
            elif rpc == "CloseStdin":
                answer = self._close_stdin(box, process_pb.CloseStdinRequest.from_json(body))
            else:
                raise _ConnectError("unimplemented", f"process.Process/{rpc} is not served here")
        except _ConnectError as error:
            await self._answer(send, _ConnectError.STATUS.get(error.code, 500),
                               _json_bytes({"code": error.code, "message": error.message}))
            return
        await self._answer(send, 200, answer.to_json().encode())

    @staticmethod
    def _pid(selector: process_pb.ProcessSelector | None) -> int:
        match selector.selector if selector is not None else None:
            case Oneof(field="pid", value=pid):
                return int(pid)
        raise _ConnectError("invalid_argument", "processes are selected by pid here")

    def _process(self, box: _Sandbox, selector: process_pb.ProcessSelector | None) -> _Process:
        pid = self._pid(selector)
        process = box.processes.get(pid)
        if process is None or process.proc.returncode is not None:
            raise _ConnectError("not_found", f"process with pid {pid} not found")
        return process

    async def _send_input(self, box: _Sandbox, request: process_pb.SendInputRequest) -> process_pb.SendInputResponse:
        process = self._process(box, request.process)
        match request.input.input if request.input is not None else None:
            case Oneof(field="stdin", value=data):
                pass
            case _:
                raise _ConnectError("invalid_argument", "only stdin input is served here")
        self.stdin_messages += 1
        self.stdin_heads.append(bytes(data[:80]))
        stdin = process.proc.stdin
        if stdin is None:
            raise _ConnectError("failed_precondition", "the process was started without stdin")
        if not process.swallow:
            try:
                stdin.write(data)
                await stdin.drain()
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise _ConnectError("internal", f"error writing to stdin: {exc}") from None
        if self._kill_on_input is not None:
            delay, self._kill_on_input = self._kill_on_input, None
            self._loop.call_later(delay, _kill_tree, process.pid)
        return process_pb.SendInputResponse()

    def _send_signal(self, box: _Sandbox, request: process_pb.SendSignalRequest) -> process_pb.SendSignalResponse:
        process = self._process(box, request.process)
        if request.signal == process_pb.Signal.SIGKILL:
            _kill_tree(process.pid)
        elif request.signal == process_pb.Signal.SIGTERM:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGTERM)
        else:
            raise _ConnectError("invalid_argument", f"unsupported signal {request.signal}")
        return process_pb.SendSignalResponse()

    def _close_stdin(self, box: _Sandbox, request: process_pb.CloseStdinRequest) -> process_pb.CloseStdinResponse:
        process = self._process(box, request.process)
        if process.proc.stdin is not None:
            process.proc.stdin.close()
        return process_pb.CloseStdinResponse()

    async def _start(self, box: _Sandbox, body: bytes, headers: dict[str, str], receive: Receive,
                     send: Send) -> None:
        """`process.Process/Start`: spawns the command and streams its events until it ends,
        the sandbox is destroyed or the client goes away (the process then keeps running,
        as in envd, where a client may reconnect to it)."""
        if len(body) < 5 or body[0] & 0b01:
            raise _ConnectError("invalid_argument", "expected one uncompressed envelope")
        size = struct.unpack(">I", body[1:5])[0]
        request = process_pb.StartRequest.from_json(body[5:5 + size])
        self.starts.append((box.id, request))
        config = request.process
        if config is None or not config.cmd:
            raise _ConnectError("invalid_argument", "no command")
        env = {**os.environ, "E2B_SANDBOX": "true", "E2B_SANDBOX_ID": box.id, "HOME": box.home,
               **box.envs, **dict(config.envs)}
        try:
            proc = await asyncio.create_subprocess_exec(
                config.cmd, *config.args, cwd=config.cwd or box.home, env=env, start_new_session=True,
                stdin=asyncio.subprocess.PIPE if request.stdin else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        except OSError as exc:
            raise _ConnectError("internal", f"error starting process: {exc}") from None
        process = _Process(pid=proc.pid, proc=proc, swallow=self.swallow_stdin)
        box.processes[proc.pid] = process
        pumps = [asyncio.create_task(self._pump(process, proc.stdout, "stdout")),
                 asyncio.create_task(self._pump(process, proc.stderr, "stderr"))]
        asyncio.create_task(self._await_exit(process, pumps))

        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/connect+json")]})
        gone = asyncio.create_task(self._disconnected(receive))
        interval = self.keepalive_interval or float(headers.get("keepalive-ping-interval", "50") or 50)
        start = process_pb.ProcessEvent(event=Oneof("start", process_pb.ProcessEvent.StartEvent(pid=proc.pid)))
        error: dict[str, str] | None = None
        try:
            await self._stream_event(send, start)
            while True:
                getter = asyncio.create_task(process.events.get())
                done, _ = await asyncio.wait({getter, gone}, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
                if gone in done:
                    getter.cancel()
                    return  # the client went away; the process runs on
                if getter not in done:
                    getter.cancel()
                    await self._stream_event(send, process_pb.ProcessEvent(
                        event=Oneof("keepalive", process_pb.ProcessEvent.KeepAlive())))
                    continue
                event = getter.result()
                if event is None:
                    error = {"code": "unavailable",
                             "message": f"the connection to sandbox {box.id} ended before the stream completed"}
                    break
                await self._stream_event(send, event)
                if isinstance(event.event, Oneof) and event.event.field == "end":
                    break
            end = {"error": error} if error else {}
            await send({"type": "http.response.body", "body": _envelope(0b10, _json_bytes(end)), "more_body": False})
        except OSError:
            return  # the client went away mid-write
        finally:
            gone.cancel()

    @staticmethod
    async def _disconnected(receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    @staticmethod
    async def _stream_event(send: Send, event: process_pb.ProcessEvent) -> None:
        message = process_pb.StartResponse(event=event).to_json().encode()
        await send({"type": "http.response.body", "body": _envelope(0, message), "more_body": True})

    @staticmethod
    async def _pump(process: _Process, stream: asyncio.StreamReader | None, name: str) -> None:
        if stream is None:
            return
        while True:
            chunk = await stream.read(OUTPUT_CHUNK)
            if not chunk:
                return
            data = process_pb.ProcessEvent.DataEvent(output=Oneof(name, chunk))
            process.events.put_nowait(process_pb.ProcessEvent(event=Oneof("data", data)))

    @staticmethod
    async def _await_exit(process: _Process, pumps: list[asyncio.Task[None]]) -> None:
        code = await process.proc.wait()
        await asyncio.gather(*pumps, return_exceptions=True)
        # Go's wording, as envd reports it: "exit status 3", "signal: killed".
        if code >= 0:
            end = process_pb.ProcessEvent.EndEvent(exit_code=code, exited=True, status=f"exit status {code}")
        else:
            status = f"signal: {(signal.strsignal(-code) or str(-code)).lower()}"
            end = process_pb.ProcessEvent.EndEvent(exit_code=-1, exited=False, status=status, error=status)
        process.events.put_nowait(process_pb.ProcessEvent(event=Oneof("end", end)))


__all__ = ["ENVD_VERSION", "StandIn"]

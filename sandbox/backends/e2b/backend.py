"""E2B backend: runs go to a runner inside a hosted E2B sandbox (a Firecracker microVM).

Each worker is one sandbox created from the cpforge template (the project's Dockerfile,
built as an E2B template: docs/e2b.md) with the runner (`sandbox.backends.remote.runner`)
started in it as a long-lived background process: requests go to its stdin with envd's
`SendInput`, answers come back as the stdout events of its `Start` stream. Creating a
sandbox costs far more than a judged test, so one sandbox runs thousands of programs, and
inside it the runner's `LocalBackend` applies the same rlimits, watchdog, accounting and
output caps as the local backend (in bubblewrap boxes, where the VM allows user
namespaces), so a verdict means the same on every backend.

Why `AsyncSandbox` on a loop of our own rather than the sync `Sandbox`: the runner's stdout
is a stream that must be read all the time, whatever the callers are doing; one event loop
in one background thread reads every sandbox's stream and carries every call, where the
sync SDK would need a thread per stream. The sync `RemoteBackend` reaches the loop through
`asyncio.run_coroutine_threadsafe`.

Deadlines are this backend's own: every awaited SDK call is wrapped in `asyncio.wait_for`,
and the calling thread waits a little longer than that at most, because E2B's own timeouts
(the sandbox lifetime above all) are known not to fire reliably. The lifetime is still set
(`sandbox_timeout`) and refreshed while the backend is open, so a host that dies leaves
sandboxes that E2B ends soon after, and `close` kills every sandbox this backend created,
including any whose create answer came too late to be used (found by the owner tag in
their metadata). Sandboxes get no internet access: the runner needs none."""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sandbox.backends.base import SandboxUnavailable
from sandbox.backends.remote.backend import ANSWER_MARGIN, RemoteBackend, Worker
from sandbox.backends.remote.channel import ChannelBroken, RunnerChannel

if TYPE_CHECKING:
    from e2b import AsyncSandbox
    from e2b.connection_config import ApiParams
    from e2b.sandbox_async.commands.command_handle import AsyncCommandHandle

T = TypeVar("T")
log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "cpforge"
# A shell command (envd runs it with `bash -l -c`); `--slots N` is added. The template's venv
# by absolute path, because a login shell's profile may reset PATH; `exec`, so that the
# process envd reports (and kills) is the runner itself.
DEFAULT_RUNNER = "exec /opt/cpforge/venv/bin/python -m sandbox.backends.remote.runner"
OWNER_KEY = "cpforge-owner"
DEFAULT_SLOTS = 2  # an E2B sandbox has 2 vCPUs unless its template says otherwise
DEFAULT_MAX_SANDBOXES = 20
DEFAULT_SANDBOX_TIMEOUT = 600
DEFAULT_REQUEST_TIMEOUT = 30.0
DEFAULT_START_TIMEOUT = 90.0
# A hosted runner is a network round trip and a file upload away: more room than a container.
DEFAULT_ANSWER_MARGIN = ANSWER_MARGIN + 10.0
# envd's SendInput is a unary request: a big call (a compiled program, base64 in JSON twice)
# is sent as several, in order, so no single request body grows without bound.
STDIN_CHUNK = 1 << 20
# How much longer than a coroutine's own deadline a calling thread waits for the loop.
LOOP_GRACE = 5.0
STDERR_KEPT = 8192


def _e2b_sdk() -> ModuleType:
    try:
        import e2b
    except ImportError:
        raise SandboxUnavailable("the e2b backend needs the E2B SDK: pip install 'cpforge[e2b]'") from None
    return e2b


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise SandboxUnavailable(f"{name}={text!r} is not a number") from None


def _one_line(text: object, limit: int = 400) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


class _SdkTimeout(Exception):
    """An SDK call missed this backend's own deadline."""


class _RunnerFatal(ChannelBroken):
    """The runner started and said it cannot work here (its `fatal` message)."""


async def _timed(call: Awaitable[T], seconds: float, what: str) -> T:
    """`call` under a deadline of `seconds`. The SDK may turn the cancellation into an error
    of its own (connectrpc reports CANCELED), so a failure at the deadline is a timeout
    whatever it is called."""
    started = time.monotonic()
    try:
        return await asyncio.wait_for(call, seconds)
    except TimeoutError:
        raise _SdkTimeout(f"E2B did not answer {what} within {seconds:g} s") from None
    except Exception:
        if time.monotonic() - started >= seconds * 0.98:
            raise _SdkTimeout(f"E2B did not answer {what} within {seconds:g} s") from None
        raise


class _Loop:
    """The backend's event loop in a daemon thread, and the bridge from sync callers."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.closed = False
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            pending = asyncio.all_tasks(self.loop)
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.close()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        if self.closed:
            coro.close()
            raise ChannelBroken("the e2b backend is closed")
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        """Runs `coro` (which carries its own deadline) and waits at most `timeout` plus a
        grace for it: a stuck loop must not hold the caller forever either."""
        future = self.submit(coro)
        try:
            return future.result(timeout + LOOP_GRACE)
        except FutureTimeout:
            future.cancel()
            raise _SdkTimeout(f"the e2b backend's event loop did not finish a call within "
                              f"{timeout + LOOP_GRACE:g} s") from None

    def in_loop_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def stop(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.loop.call_soon_threadsafe(self.loop.stop)
        if not self.in_loop_thread():
            self._thread.join(10)


class _StdoutGate:
    """Feeds the runner's stdout to its channel from the runner's first word on. envd runs
    commands in a login shell, and whatever a profile prints before the runner starts is
    not protocol: it is kept (for error messages) instead of breaking the channel."""

    def __init__(self, channel: RunnerChannel) -> None:
        self.channel = channel
        self.open = False
        self.fatal = False
        self._pending = bytearray()
        self.noise = ""

    def feed(self, text: str) -> None:
        data = text.encode()  # the protocol is ASCII JSON lines: str chunks encode back exactly
        if self.open:
            self.channel.feed(data)
            return
        self._pending += data
        while not self.open:
            end = self._pending.find(b"\n")
            if end < 0:
                del self._pending[:-STDERR_KEPT]
                return
            line = bytes(self._pending[:end]).strip()
            if line.startswith((b'{"ready"', b'{"fatal"')):
                self.open = True
                self.fatal = line.startswith(b'{"fatal"')
                rest = bytes(self._pending)
                self._pending.clear()
                self.channel.feed(rest)
                return
            self.noise = (self.noise + " " + line.decode(errors="replace"))[-STDERR_KEPT:]
            del self._pending[: end + 1]


@dataclass(eq=False)
class _Box:
    """One sandbox and the runner in it. It holds nothing of the backend's: the event loop
    keeps boxes alive (their streams, their watchers), and must not keep the backend alive
    too, or a backend dropped without `close` would never be collected (and its sandboxes
    killed by the finalizer)."""

    loop: _Loop
    request_timeout: float
    channel: RunnerChannel = field(init=False)
    gate: _StdoutGate = field(init=False)
    sandbox: AsyncSandbox | None = None
    handle: AsyncCommandHandle[None] | None = None
    watcher: asyncio.Task[None] | None = None
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    stderr: str = ""
    destroyed: bool = False

    def __post_init__(self) -> None:
        self.channel = RunnerChannel(self.send, "e2b")
        self.gate = _StdoutGate(self.channel)

    @property
    def sandbox_id(self) -> str:
        return self.sandbox.sandbox_id if self.sandbox is not None else "(not created)"

    def keep_stderr(self, text: str) -> None:
        self.stderr = (self.stderr + text)[-STDERR_KEPT:]

    def detail(self) -> str:
        """The last words of the runner (its stderr, else what the shell printed)."""
        lines = [line for line in (self.stderr or self.gate.noise).strip().splitlines() if line.strip()]
        return f" ({_one_line(' | '.join(lines[-3:]), 300)})" if lines else ""

    def send(self, data: bytes) -> None:
        """The channel's transport: stdin to the runner, in order (one sender at a time per
        sandbox: two concurrent SendInput calls could arrive either way round)."""
        sandbox, handle = self.sandbox, self.handle
        if sandbox is None or handle is None or self.destroyed:
            raise OSError("the sandbox is gone")

        async def push(piece: bytes) -> None:
            await _timed(sandbox.commands.send_stdin(handle.pid, piece, request_timeout=self.request_timeout),
                         self.request_timeout, "sending to the runner")

        with self.send_lock:
            for offset in range(0, len(data), STDIN_CHUNK):
                try:
                    self.loop.run(push(data[offset: offset + STDIN_CHUNK]), self.request_timeout)
                except Exception as exc:  # noqa: BLE001 - the channel takes any failure as a lost runner
                    raise OSError(f"sending to the runner failed: {type(exc).__name__}: {_one_line(exc, 200)}") \
                        from None

    async def watch(self) -> None:
        """Waits for the runner's stream to end, and says why to the channel."""
        from e2b import CommandExitException

        assert self.handle is not None  # started before the watch
        try:
            result = await self.handle.wait()
            why = f"the runner exited with code {result.exit_code}"
        except CommandExitException as exc:
            why = f"the runner exited with code {exc.exit_code}" + (f" ({exc.error})" if exc.error else "")
        except asyncio.CancelledError:
            self.channel.lost("the e2b backend stopped watching the runner")
            raise
        except Exception as exc:  # noqa: BLE001 - any end of the stream is the runner's end
            why = f"the runner's stream broke: {type(exc).__name__}: {_one_line(exc, 200)}"
        self.channel.lost(f"{why}{self.detail()}")


class _Fleet:
    """Every sandbox a backend made, and the loop that talks to them. Separate from the
    backend so that the exit hook can kill them without keeping the backend alive."""

    def __init__(self, api: ApiParams, owner: str, request_timeout: float) -> None:
        self.api = api
        self.owner = owner
        self.request_timeout = request_timeout
        self.loop = _Loop(f"cpforge-e2b-{owner.rsplit(':', 1)[-1]}")
        self.lock = threading.Lock()
        self.sandboxes: dict[str, AsyncSandbox] = {}
        self.kills: set[Future[None]] = set()
        self.closed = False

    def adopt(self, sandbox: AsyncSandbox) -> bool:
        """Records a new sandbox; False when the fleet is already shutting down."""
        with self.lock:
            if self.closed:
                return False
            self.sandboxes[sandbox.sandbox_id] = sandbox
            return True

    async def kill(self, sandbox: AsyncSandbox, handle: AsyncCommandHandle[None] | None = None) -> None:
        """Kills the runner (envd SIGKILL) and the sandbox (the API) side by side: the
        process kill stops the work even if the sandbox kill is slow to take effect."""
        calls: list[Awaitable[object]] = [_timed(sandbox.kill(), self.request_timeout, "killing a sandbox")]
        if handle is not None:
            calls.append(_timed(handle.kill(), min(5.0, self.request_timeout), "killing the runner"))
        results = await asyncio.gather(*calls, return_exceptions=True)
        if isinstance(results[0], BaseException):
            log.warning("could not kill E2B sandbox %s: %s", sandbox.sandbox_id, _one_line(results[0]))
            return  # still listed: the sweep at shutdown tries again
        with self.lock:
            self.sandboxes.pop(sandbox.sandbox_id, None)

    def kill_soon(self, sandbox: AsyncSandbox, handle: AsyncCommandHandle[None] | None,
                  done: Callable[[], None] | None = None) -> None:
        """Starts a kill without waiting for it (a broken worker's replacement must not wait
        for its predecessor's funeral); `shutdown` waits for the ones still going."""
        try:
            future = self.loop.submit(self.kill(sandbox, handle))
        except ChannelBroken:
            if done is not None:
                done()
            return
        with self.lock:
            self.kills.add(future)

        def finished(f: Future[None]) -> None:
            with self.lock:
                self.kills.discard(f)
            if done is not None:
                done()

        future.add_done_callback(finished)

    async def _sweep(self) -> None:
        """Kills what is left: the sandboxes known here, then any E2B lists with this
        backend's owner tag (a create whose answer came after its deadline)."""
        from e2b import AsyncSandbox, SandboxQuery

        with self.lock:
            known = list(self.sandboxes.values())
        await asyncio.gather(*(self.kill(sandbox) for sandbox in known), return_exceptions=True)
        try:
            paginator = AsyncSandbox.list(query=SandboxQuery(metadata={OWNER_KEY: self.owner}), **self.api)
            found: list[str] = []
            while paginator.has_next and len(found) < 10000:
                page = await _timed(paginator.next_items(), self.request_timeout, "listing sandboxes")
                found += [info.sandbox_id for info in page]
        except Exception as exc:  # noqa: BLE001 - best effort: the lifetime ends them anyway
            log.warning("could not list this backend's E2B sandboxes: %s", _one_line(exc))
            return
        kills = [_timed(AsyncSandbox.kill(sandbox_id, **self.api), self.request_timeout,
                        "killing a sandbox") for sandbox_id in found]
        await asyncio.gather(*kills, return_exceptions=True)

    def shutdown(self) -> None:
        if self.loop.in_loop_thread():
            # The garbage collector may run the finalizer on the loop's own thread, which
            # must not wait for itself: the kills are then waited for from a thread of their own.
            threading.Thread(target=self.shutdown, name="cpforge-e2b-shutdown", daemon=True).start()
            return
        with self.lock:
            if self.closed:
                return
            self.closed = True
            pending = list(self.kills)
        deadline = time.monotonic() + self.request_timeout + LOOP_GRACE
        for future in pending:
            try:
                future.result(max(0.0, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - a kill that failed or hung is retried by the sweep
                pass
        try:
            self.loop.run(self._sweep(), 3 * self.request_timeout)
        except Exception as exc:  # noqa: BLE001 - shutting down must finish
            log.warning("sweeping E2B sandboxes failed: %s", _one_line(exc))
        self.loop.stop()


class E2BBackend(RemoteBackend):
    """`concurrency` runs at once over at most `max_sandboxes` sandboxes of `slots` runs each
    (sandboxes are started as load needs them). `template`: CPFORGE_E2B_TEMPLATE, else
    `cpforge`. The API key is E2B_API_KEY (or `api_key`); `sdk_options` are passed to every
    SDK call (the SDK's connection options: `domain`, `api_url`, `sandbox_url`, `proxy`...)."""

    name = "e2b"

    def __init__(self, concurrency: int | None = None, *, template: str | None = None, slots: int | None = None,
                 max_sandboxes: int | None = None, api_key: str | None = None, runner: str | None = None,
                 nested: bool | None = None, user: str | None = None, sandbox_timeout: int | None = None,
                 request_timeout: float | None = None, start_timeout: float | None = None,
                 answer_margin: float | None = None, internet: bool = False, envs: Mapping[str, str] | None = None,
                 sdk_options: Mapping[str, Any] | None = None, compile_cache_mb: int | None = None,
                 compile_cache_dir: Path | None = None) -> None:
        """`nested`: bubblewrap boxes inside the VM (None reads CPFORGE_E2B_NESTED, on unless
        "off"); off, the VM is the runs' only wall. `runner`: the command that starts the
        runner, to which `--slots N` is added (CPFORGE_E2B_RUNNER, else the template's venv).
        `user`: who runs it (CPFORGE_E2B_USER; None: the template's default user).
        `sandbox_timeout`: the lifetime E2B is asked to give each sandbox, refreshed while
        this backend is open (CPFORGE_E2B_SANDBOX_TIMEOUT, default 600 s). `request_timeout`:
        this backend's deadline on every SDK call (CPFORGE_E2B_REQUEST_TIMEOUT, 30 s);
        `start_timeout`: on a new sandbox's create and its runner's ready message (90 s).
        `answer_margin`: what a runner may take beyond a request's own limits to answer
        (CPFORGE_E2B_ANSWER_MARGIN, 30 s); it may be changed on the instance later."""
        _e2b_sdk()
        options: dict[str, Any] = dict(sdk_options or {})
        if api_key:
            options["api_key"] = api_key
        if not (options.get("api_key") or os.environ.get("E2B_API_KEY")):
            raise SandboxUnavailable("the e2b backend needs an E2B API key: set E2B_API_KEY "
                                     "(create one at https://e2b.dev/dashboard?tab=keys)")
        self.slots = max(1, int(slots or _env_number("CPFORGE_E2B_SLOTS", DEFAULT_SLOTS)))
        self.max_sandboxes = max(1, int(max_sandboxes or _env_number("CPFORGE_E2B_MAX_SANDBOXES",
                                                                     DEFAULT_MAX_SANDBOXES)))
        concurrency = max(1, concurrency or self.slots * min(self.max_sandboxes, 4))
        super().__init__(concurrency=concurrency, workers=min(self.max_sandboxes, -(-concurrency // self.slots)),
                         compile_cache_mb=compile_cache_mb, compile_cache_dir=compile_cache_dir)
        self.template = template or os.environ.get("CPFORGE_E2B_TEMPLATE") or DEFAULT_TEMPLATE
        self.runner = runner or os.environ.get("CPFORGE_E2B_RUNNER") or DEFAULT_RUNNER
        if nested is None:
            nested = os.environ.get("CPFORGE_E2B_NESTED", "on").lower() not in ("off", "0", "no", "false")
        self.nested = nested
        self.user = user or os.environ.get("CPFORGE_E2B_USER") or None
        self.sandbox_timeout = int(sandbox_timeout or _env_number("CPFORGE_E2B_SANDBOX_TIMEOUT",
                                                                  DEFAULT_SANDBOX_TIMEOUT))
        self.request_timeout = float(request_timeout or _env_number("CPFORGE_E2B_REQUEST_TIMEOUT",
                                                                    DEFAULT_REQUEST_TIMEOUT))
        self.start_timeout = float(start_timeout or _env_number("CPFORGE_E2B_START_TIMEOUT", DEFAULT_START_TIMEOUT))
        # RemoteBackend's deadline on every runner call reads it (it may be changed later).
        self.answer_margin = float(answer_margin if answer_margin is not None
                                   else _env_number("CPFORGE_E2B_ANSWER_MARGIN", DEFAULT_ANSWER_MARGIN))
        self.internet = internet
        self.envs = {"CPFORGE_ZYGOTE": os.environ.get("CPFORGE_ZYGOTE", "on"), **dict(envs or {})}
        options.setdefault("request_timeout", self.request_timeout)
        self.id = uuid.uuid4().hex[:8]
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{self.id}"
        self._fleet = _Fleet(cast("ApiParams", options), self.owner, self.request_timeout)
        self._sandbox_slots = threading.BoundedSemaphore(self.max_sandboxes)
        # Every box, with the way to destroy it (the pool knows only those it holds).
        self._boxes: dict[_Box, Callable[[], None]] = {}
        self._boxes_lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _Fleet.shutdown, self._fleet)
        atexit.register(self._finalizer)
        self._refresher = self._fleet.loop.submit(
            E2BBackend._keep_alive(weakref.ref(self), max(1.0, self.sandbox_timeout / 3)))
        try:
            self._start_first()
        except SandboxUnavailable:
            self.close()
            raise
        except _RunnerFatal as exc:
            self.close()
            hint = ("" if not self.nested else "; bubblewrap inside the sandbox needs user namespaces: set "
                    "CPFORGE_E2B_NESTED=off to use the VM as the only wall")
            raise SandboxUnavailable(f"the runner in E2B template {self.template!r} cannot work: "
                                     f"{_one_line(exc)}{hint}") from None
        except Exception as exc:
            self.close()
            raise SandboxUnavailable(f"the e2b backend could not start a runner in template {self.template!r}: "
                                     f"{_one_line(exc)}") from None

    @property
    def name_detail(self) -> str:
        inside = "bubblewrap boxes inside" if self.nested else "no boxes inside: the VM is the only wall"
        return f"e2b ({self.template}, up to {self.workers} sandboxes x {self.slots_per_worker} runs, {inside})"

    def sandbox_ids(self) -> list[str]:
        """The sandboxes this backend holds now."""
        with self._boxes_lock:
            return [box.sandbox_id for box in self._boxes if box.sandbox is not None and not box.destroyed]

    # ------------------------------------------------------------------ workers
    def _runner_command(self) -> str:
        unsafe = "" if self.nested else " --unsafe"
        return f"{self.runner} --slots {self.slots_per_worker}{unsafe}"

    def _start_worker(self) -> Worker:
        if not self._sandbox_slots.acquire(timeout=self.start_timeout):
            raise ChannelBroken(f"all {self.max_sandboxes} E2B sandboxes of this backend are in use")
        freed = threading.Event()

        def free_slot() -> None:
            if not freed.is_set():
                freed.set()
                self._sandbox_slots.release()

        box = _Box(self._fleet.loop, self.request_timeout)

        def destroy() -> None:
            if box.destroyed:
                return
            box.destroyed = True
            box.channel.lost("the sandbox was killed")
            with self._boxes_lock:
                self._boxes.pop(box, None)
            if box.sandbox is not None:
                self._fleet.kill_soon(box.sandbox, box.handle, free_slot)
            else:
                free_slot()

        with self._boxes_lock:
            self._boxes[box] = destroy
        try:
            self._fleet.loop.run(self._open(box), self.start_timeout + self.request_timeout)
        except SandboxUnavailable:
            destroy()
            raise
        except Exception as exc:
            destroy()
            raise ChannelBroken(_one_line(exc)) from None
        worker = Worker(channel=box.channel, destroy=destroy)
        try:
            worker.info = box.channel.wait_ready(self.start_timeout)
        except ChannelBroken as exc:
            destroy()
            kind = _RunnerFatal if box.gate.fatal else ChannelBroken
            detail = box.detail()
            raise kind(_one_line(f"{exc}{detail if detail not in str(exc) else ''}")) from None
        return worker

    async def _open(self, box: _Box) -> None:
        """Creates the sandbox and starts the runner in it, each under its own deadline."""
        from e2b import AsyncSandbox

        try:
            sandbox = await _timed(AsyncSandbox.create(
                template=self.template, timeout=self.sandbox_timeout, allow_internet_access=self.internet,
                metadata={OWNER_KEY: self.owner}, **self._fleet.api), self.start_timeout, "creating a sandbox")
        except _SdkTimeout:
            raise
        except Exception as exc:
            explained = self._explain(exc)
            if explained is not None:
                raise explained from None
            raise
        box.channel.name = sandbox.sandbox_id
        if not self._fleet.adopt(sandbox) or box.destroyed:
            # Closed (or given up on) while E2B was creating it: nothing else will kill it.
            await self._fleet.kill(sandbox)
            raise ChannelBroken("the backend closed while a sandbox was being created")
        box.sandbox = sandbox
        box.handle = await _timed(sandbox.commands.run(
            self._runner_command(), background=True, stdin=True, envs=dict(self.envs), user=self.user,
            on_stdout=box.gate.feed, on_stderr=box.keep_stderr, timeout=0, request_timeout=self.request_timeout,
            retain_output=False), self.request_timeout, "starting the runner")
        box.watcher = asyncio.create_task(box.watch())

    def _explain(self, exc: Exception) -> SandboxUnavailable | None:
        """A refused create as the configuration error it is, with its fix (None: not one)."""
        from e2b import AuthenticationException, RateLimitException

        said = _one_line(exc, 300)
        if isinstance(exc, AuthenticationException):
            return SandboxUnavailable(f"E2B refused the API key ({said}): check E2B_API_KEY "
                                      "(keys: https://e2b.dev/dashboard?tab=keys)")
        if isinstance(exc, RateLimitException):
            return SandboxUnavailable(f"E2B refused another sandbox: rate limit or concurrent-sandbox quota reached "
                                      f"({said}); lower CPFORGE_E2B_MAX_SANDBOXES (now {self.max_sandboxes}) or the "
                                      "backend's concurrency, or raise the team's limit")
        status = getattr(exc, "status_code", None)
        if status == 404 or (status == 400 and "template" in said.lower() and "not found" in said.lower()):
            return SandboxUnavailable(f"the E2B template {self.template!r} was not found ({said}): build it "
                                      "(docs/e2b.md) or set CPFORGE_E2B_TEMPLATE")
        if status == 403:
            return SandboxUnavailable(f"E2B refused to create a sandbox from {self.template!r} ({said}): check that "
                                      "the API key's team may use the template")
        if status == 400:
            return SandboxUnavailable(f"E2B refused the sandbox settings ({said}): check CPFORGE_E2B_SANDBOX_TIMEOUT "
                                      f"(now {self.sandbox_timeout} s; E2B caps it by plan) and CPFORGE_E2B_TEMPLATE")
        return None

    @staticmethod
    async def _keep_alive(backend_ref: weakref.ref[E2BBackend], period: float) -> None:
        """Renews every sandbox's lifetime while the backend is open (a third of it at a
        time), and tells a runner's channel when E2B says its sandbox is gone. It holds the
        backend weakly between rounds: a backend nobody holds any more must be collectable."""
        while True:
            await asyncio.sleep(period)
            backend = backend_ref()
            if backend is None:
                return
            await backend._renew_all()
            del backend

    async def _renew_all(self) -> None:
        from e2b import SandboxNotFoundException

        with self._boxes_lock:
            boxes = [box for box in self._boxes if box.sandbox is not None and not box.destroyed]

        async def renew(box: _Box) -> None:
            assert box.sandbox is not None  # listed only once created
            try:
                await _timed(box.sandbox.set_timeout(self.sandbox_timeout), self.request_timeout,
                             "renewing a sandbox's lifetime")
            except SandboxNotFoundException:
                box.channel.lost("E2B ended the sandbox (its lifetime ran out, or it was killed)")
            except Exception as exc:  # noqa: BLE001 - transient: the next renewal tries again
                log.debug("renewing E2B sandbox %s failed: %s", box.sandbox_id, _one_line(exc))

        await asyncio.gather(*(renew(box) for box in boxes), return_exceptions=True)

    # ------------------------------------------------------------------ closing
    def close(self) -> None:
        """Kills every sandbox this backend created and waits for the kills (bounded by the
        request deadline), then stops its event loop."""
        super().close()
        with self._boxes_lock:
            starting = list(self._boxes.values())  # boxes not (yet) in the pool
        for destroy in starting:
            destroy()
        self._refresher.cancel()
        self._finalizer()


__all__ = ["DEFAULT_RUNNER", "DEFAULT_TEMPLATE", "E2BBackend"]

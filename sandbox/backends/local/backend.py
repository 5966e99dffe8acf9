"""The embedded default backend: a pool of warm bubblewrap boxes on this machine."""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sandbox.backends.local.cgroups import probe_cgroups, remove_base
from sandbox.compile.aid import CompileAid
from sandbox.compile.linker import linker_aid
from sandbox.execution import ExecOutcome, ExecRequest, PipeEnd, release_pipes
from sandbox.languages import Language
from sandbox.backends.local.launcher import launcher_path
from sandbox.limits import MiB
from sandbox.compile.pch import PrecompiledHeaders, root_for_boxes
from sandbox.backends.base import PROGRAM_ENV, Backend, SandboxUnavailable
from sandbox.backends.local.box import BoxDied, BoxSettings, LocalBox

DEFAULT_SANDBOX_UID = 60000
RECYCLE_AFTER_RUNS = 5000
PCH_IN_BOX = "/opt/cpforge/pch"
# GCC's own words when a precompiled header it chose to load turns out to be unreadable.
PCH_FAILURE_MARKERS = ("PCH file", ".gch")


def default_sandbox_uid() -> int | None:
    """Root starts boxes as an unprivileged host uid: bubblewrap started by root would map
    the sandbox user onto root outside, and root-owned files would become readable."""
    if os.geteuid() != 0:
        return None
    return int(os.environ.get("CPFORGE_SANDBOX_UID", DEFAULT_SANDBOX_UID))


def zygote_enabled(setting: bool | None) -> bool:
    """The one switch for pre-started interpreters: the argument, else CPFORGE_ZYGOTE."""
    if setting is not None:
        return setting
    return os.environ.get("CPFORGE_ZYGOTE", "on").strip().lower() not in ("off", "0", "false", "no")


class LocalBackend(Backend):
    """Runs programs in warm bubblewrap boxes, at most `concurrency` at a time.

    `unsafe=True` runs the same supervisor without namespaces (a development mode for hosts
    without user namespaces); every result then says `sandboxed: false`."""

    name = "local"

    def __init__(self, concurrency: int | None = None, *, unsafe: bool = False,
                 box_mb: int = 512, tmp_mb: int = 128, use_cgroups: bool | None = None,
                 pch: bool | None = None, compile_cache_mb: int | None = None,
                 compile_cache_dir: Path | None = None, native_launcher: bool = True,
                 zygote: bool | None = None) -> None:
        """`pch`: offer C++ compiles a precompiled bits/stdc++.h (None reads CPFORGE_PCH,
        on unless "off"); the compile cache arguments are the base class's.
        `zygote`: fork Python and PyPy runs (and syntax checks) from an interpreter started
        once per box (None reads CPFORGE_ZYGOTE, on unless "off" or "0"); off, every run is
        a cold start. See backends/local/zygote.py for exactly what differs.
        `native_launcher=False` makes the box supervisor fork itself for every run, as it
        does on hosts without a C compiler (slower, and memory then includes ~10 MiB of the
        supervisor's); it exists so benchmarks can show the difference."""
        super().__init__(compile_cache_mb=compile_cache_mb, compile_cache_dir=compile_cache_dir)
        self.concurrency = max(1, concurrency or os.cpu_count() or 1)
        self.sandboxed = not unsafe
        self.id = uuid.uuid4().hex[:8]
        if use_cgroups is None:
            use_cgroups = os.environ.get("CPFORGE_CGROUPS", "auto") != "off"
        self.cgroups = probe_cgroups() if (use_cgroups and not unsafe) else None
        bwrap = None
        if not unsafe:
            bwrap = shutil.which("bwrap")
            if bwrap is None:
                raise SandboxUnavailable(
                    "bubblewrap (bwrap) is not installed: install it (apt-get install bubblewrap), "
                    "or pass --unsafe to run without isolation on a trusted development machine")
        host_uid = default_sandbox_uid() if not unsafe else None
        self.pch = self._precompiled_headers(pch, host_uid)
        mounts = ((self.pch.root, PCH_IN_BOX),) if (self.pch is not None and self.sandboxed) else ()
        self.settings = BoxSettings(bwrap=bwrap, host_uid=host_uid,
                                    box_bytes=box_mb * MiB, tmp_bytes=tmp_mb * MiB,
                                    launcher=launcher_path() if native_launcher else None,
                                    read_only_dirs=mounts, zygote=zygote_enabled(zygote))
        self._idle: queue.LifoQueue[LocalBox] = queue.LifoQueue()
        # bwrap's --die-with-parent is PR_SET_PDEATHSIG, which fires when the *thread* that
        # started it exits. Boxes started from a caller's short-lived thread (an executor
        # shutting down, an ASGI worker going idle) would die with it, so one long-lived
        # thread of ours starts every box.
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cpforge-box-spawner")
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._boxes: set[LocalBox] = set()
        self._counter = 0
        self._closed = False
        # Fail now, with the reason, if this host cannot isolate anything.
        try:
            self._release(self._new_box())
        except BoxDied as exc:
            raise SandboxUnavailable(
                f"cannot start a bubblewrap sandbox on this host ({exc}); user namespaces may be "
                "disabled (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces>0). "
                "Pass --unsafe to run without isolation on a trusted development machine") from None

    @staticmethod
    def _precompiled_headers(wanted: bool | None, host_uid: int | None) -> PrecompiledHeaders | None:
        if wanted is None:
            wanted = os.environ.get("CPFORGE_PCH", "on").lower() not in ("off", "0", "no", "false")
        root = root_for_boxes(host_uid) if wanted else None
        if root is None:
            return None
        headers = PrecompiledHeaders(root, env=PROGRAM_ENV)
        try:
            headers.prepare()  # before the first box: the mount must exist when boxes start
        except OSError:
            return None
        return headers

    def compile_aid(self, lang: Language) -> CompileAid | None:
        """The precompiled header where one is built, and the gold linker where the
        toolchain has it (sandbox.compile.linker); else a plain compile."""
        return CompileAid.combine(self._header_aid(lang), linker_aid(lang, PROGRAM_ENV["PATH"]))

    def _header_aid(self, lang: Language) -> CompileAid | None:
        """An include directory whose `bits/stdc++.h.gch` GCC loads instead of parsing the
        header, when one is built for this compiler and these flags. GCC looks for the
        .gch in every include directory before the real header, and skips, silently, one
        that does not match."""
        if self.pch is None or lang.precompiled_header is None:
            return None
        built = self.pch.ensure(lang)
        if built is None:
            return None
        inside = f"{PCH_IN_BOX}/{built.key}" if self.sandboxed else str(built.directory)
        return CompileAid(flags=(f"-I{inside}",), failure_markers=PCH_FAILURE_MARKERS,
                          description=f"precompiled {lang.precompiled_header} ({built.key})",
                          precompiled_header=lang.precompiled_header)

    def compile_aid_broke(self, lang: Language) -> None:
        if self.pch is not None:
            self.pch.check_damage(lang)

    @property
    def name_detail(self) -> str:
        return "local (bubblewrap)" if self.sandboxed else "local (UNSAFE: no isolation)"

    def _new_box(self) -> LocalBox:
        with self._lock:
            if self._closed:
                raise BoxDied("backend closed")
            self._counter += 1
            name = f"{self.id}-box{self._counter}"
        try:
            box = self._spawner.submit(LocalBox, self.settings, self.cgroups, name).result()
        except RuntimeError as exc:  # the spawner is shut down: the backend is closing
            raise BoxDied(f"backend closed ({exc})") from None
        with self._lock:
            self._boxes.add(box)
        return box

    def _retire(self, box: LocalBox) -> None:
        with self._lock:
            self._boxes.discard(box)
        box.close()

    def _release(self, box: LocalBox) -> None:
        self._idle.put(box)

    def execute(self, request: ExecRequest) -> ExecOutcome:
        try:
            if request.companion:
                return self._execute_in_box(request)
            with self._slots:
                return self._execute_in_box(request)
        finally:
            release_pipes(request)

    def _execute_in_box(self, request: ExecRequest) -> ExecOutcome:
        started = time.monotonic()
        piped = any(isinstance(end, PipeEnd) for end in (request.stdin, request.stdout))
        for attempt in range(2):
            try:
                box = self._idle.get_nowait()
            except queue.Empty:
                try:
                    box = self._new_box()
                except (BoxDied, OSError) as exc:
                    return ExecOutcome(sandbox_error=f"could not start a box: {exc}",
                                       wall_time=time.monotonic() - started)
            try:
                outcome, reusable = box.execute(request)
            except BoxDied as exc:
                self._retire(box)
                if attempt == 0 and not piped:
                    continue  # the program never started: safe to retry on a fresh box
                # A piped request cannot be replayed: its descriptors went to the dead box.
                return ExecOutcome(sandbox_error=str(exc), wall_time=time.monotonic() - started)
            if reusable and box.runs < RECYCLE_AFTER_RUNS and not self._closed:
                self._release(box)
            else:
                self._retire(box)
            return outcome
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            boxes = list(self._boxes)
            self._boxes.clear()
        for box in boxes:
            box.close()
        self._spawner.shutdown(wait=True)
        while not self._idle.empty():
            self._idle.get_nowait()
        if self.cgroups is not None:
            for controller in self.cgroups.controllers.values():
                if controller.works:
                    remove_base(controller)

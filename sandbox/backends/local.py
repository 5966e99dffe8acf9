"""The embedded default backend: a pool of warm bubblewrap boxes on this machine."""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
import uuid

from ..cgroups import probe_cgroups, remove_base
from ..execution import ExecOutcome, ExecRequest
from ..launcher import launcher_path
from ..limits import MiB
from .base import Backend, SandboxUnavailable
from .local_box import BoxDied, BoxSettings, LocalBox

DEFAULT_SANDBOX_UID = 60000
RECYCLE_AFTER_RUNS = 5000


def default_sandbox_uid() -> int | None:
    """Root starts boxes as an unprivileged host uid: bubblewrap started by root would map
    the sandbox user onto root outside, and root-owned files would become readable."""
    if os.geteuid() != 0:
        return None
    return int(os.environ.get("CPFORGE_SANDBOX_UID", DEFAULT_SANDBOX_UID))


class LocalBackend(Backend):
    """Runs programs in warm bubblewrap boxes, at most `concurrency` at a time.

    `unsafe=True` runs the same supervisor without namespaces (a development mode for hosts
    without user namespaces); every result then says `sandboxed: false`."""

    name = "local"

    def __init__(self, concurrency: int | None = None, *, unsafe: bool = False,
                 box_mb: int = 512, tmp_mb: int = 128, use_cgroups: bool | None = None) -> None:
        super().__init__()
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
        self.settings = BoxSettings(bwrap=bwrap, host_uid=default_sandbox_uid() if not unsafe else None,
                                    box_bytes=box_mb * MiB, tmp_bytes=tmp_mb * MiB,
                                    launcher=launcher_path())
        self._idle: queue.LifoQueue[LocalBox] = queue.LifoQueue()
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

    @property
    def name_detail(self) -> str:
        return "local (bubblewrap)" if self.sandboxed else "local (UNSAFE: no isolation)"

    def _new_box(self) -> LocalBox:
        with self._lock:
            if self._closed:
                raise BoxDied("backend closed")
            self._counter += 1
            name = f"{self.id}-box{self._counter}"
        box = LocalBox(self.settings, self.cgroups, name)
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
        started = time.monotonic()
        with self._slots:
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
                    if attempt == 0:
                        continue  # the program never started: safe to retry on a fresh box
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
        while not self._idle.empty():
            self._idle.get_nowait()
        if self.cgroups is not None:
            for controller in self.cgroups.controllers.values():
                if controller.works:
                    remove_base(controller)

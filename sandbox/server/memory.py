"""Giving the heap back to the operating system after large requests.

A parsed 30 MB body is hundreds of megabytes of small Python objects spread over glibc's
arenas; once the request is done they are free but glibc keeps the pages, so eight such
requests used to leave a server at 2 GB for good. `malloc_trim` returns them. It costs a
few milliseconds, so it runs only when a large body has just been let go, and at most
every few seconds unless nothing else is in flight."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import time

log = logging.getLogger("cpforge.server")

TRIM_AFTER_BYTES = 4 << 20
TRIM_INTERVAL = 5.0

_last_trim = 0.0

_libc: ctypes.CDLL | None = None
_looked_up = False


def _malloc_trim() -> ctypes.CDLL | None:
    global _libc, _looked_up
    if not _looked_up:
        _looked_up = True
        name = ctypes.util.find_library("c")
        try:
            libc = ctypes.CDLL(name) if name else None
            _libc = libc if libc is not None and hasattr(libc, "malloc_trim") else None
        except OSError:
            _libc = None
    return _libc


def release_freed_memory() -> bool:
    """Asks glibc to return free heap pages; False where there is no glibc."""
    libc = _malloc_trim()
    if libc is None:
        return False
    try:
        libc.malloc_trim(0)
    except Exception:  # never let housekeeping fail a request
        log.debug("malloc_trim failed", exc_info=True)
        return False
    return True


def after_large_body(released: int, idle: bool) -> None:
    """Called when a request that held `released` body bytes is done; `idle`: none is left."""
    global _last_trim
    if released < TRIM_AFTER_BYTES:
        return
    now = time.monotonic()
    if idle or now - _last_trim >= TRIM_INTERVAL:
        _last_trim = now
        release_freed_memory()


__all__ = ["TRIM_AFTER_BYTES", "after_large_body", "release_freed_memory"]

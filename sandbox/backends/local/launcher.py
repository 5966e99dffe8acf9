"""Builds the native launcher (native/launcher.c) once per source version and caches it.

The first choice is a freestanding static build (no C library: it starts in a tenth of the
time a static glibc binary takes on a VM), then a static and a dynamic glibc build for
architectures the freestanding code does not cover. Without a C compiler the supervisor
falls back to fork(), which works but costs about a millisecond more per run."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sandbox.cache_dir import cache_root

SOURCE = Path(__file__).parent / "native" / "launcher.c"
# In order of preference. The freestanding build must not let GCC add what needs a C
# runtime: a stack protector reads its canary from thread-local storage nobody set up,
# and loop idioms become calls to the memcpy/memset being defined.
FREESTANDING = ["-static", "-nostdlib", "-ffreestanding", "-fno-builtin", "-fno-tree-loop-distribute-patterns",
                "-fno-stack-protector", "-fno-pie", "-no-pie", "-DCPFORGE_FREESTANDING"]
BUILDS: tuple[list[str], ...] = (FREESTANDING, ["-static"], [])


def cache_dir() -> Path:
    return cache_root()


@functools.lru_cache(maxsize=1)
def launcher_path() -> Path | None:
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source + repr(BUILDS).encode()).hexdigest()[:16]  # flags change the binary too
    target = cache_dir() / f"launcher-{digest}"
    if target.exists():
        return target
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        built = Path(work) / "launcher"
        for flags in BUILDS:
            result = subprocess.run([compiler, "-O2", "-s", *flags, "-o", str(built), str(SOURCE)],
                                    capture_output=True)
            if result.returncode == 0:
                os.chmod(built, 0o755)
                os.replace(built, target)  # atomic: concurrent builders agree on one file
                return target
    return None

"""Builds the native launcher (native/launcher.c) once per source version and caches it.

Without a C compiler the supervisor falls back to fork(), which works but costs about a
millisecond more per run."""

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


def cache_dir() -> Path:
    return cache_root()


@functools.lru_cache(maxsize=1)
def launcher_path() -> Path | None:
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    target = cache_dir() / f"launcher-{digest}"
    if target.exists():
        return target
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        built = Path(work) / "launcher"
        for flags in (["-static"], []):
            result = subprocess.run([compiler, "-O2", "-s", *flags, "-o", str(built), str(SOURCE)],
                                    capture_output=True)
            if result.returncode == 0:
                os.chmod(built, 0o755)
                os.replace(built, target)  # atomic: concurrent builders agree on one file
                return target
    return None

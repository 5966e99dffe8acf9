"""Where cpforge keeps what it builds once and reuses: the native launcher, precompiled
headers and compiled programs. One root so that a test run or a CI job can redirect all of
it with a single variable instead of writing into the user's home."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """`CPFORGE_CACHE_DIR` (or the older `CPFORGE_CACHE`), else `$XDG_CACHE_HOME/cpforge`,
    else `~/.cache/cpforge`. Not created here: callers create what they write."""
    for variable in ("CPFORGE_CACHE_DIR", "CPFORGE_CACHE"):
        value = os.environ.get(variable)
        if value:
            return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cpforge"

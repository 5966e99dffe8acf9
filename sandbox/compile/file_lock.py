"""An exclusive lock shared by threads and processes alike.

`fcntl.flock` belongs to an open file description, so opening the lock file anew for each
acquisition makes two threads of one process exclude each other too (POSIX `lockf` locks
would not: they belong to the process). The lock dies with its holder, so a crashed judge
never leaves the cache locked."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock

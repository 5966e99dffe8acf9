"""Helpers of the sandbox tests (a plain module: `from conftest import` picks whichever conftest
pytest loaded last). The shared backend and the need/build fixtures are in tests/conftest.py."""

from __future__ import annotations

import os


def sandbox_processes() -> int:
    """Host processes descending from this test process (boxes and anything they run).
    Counting descendants, not a uid, keeps parallel test workers out of each other's way."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                parents[int(entry)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    me = os.getpid()
    count = 0
    for pid in parents:
        seen = 0
        while pid in parents and pid != me and seen < 64:
            pid, seen = parents[pid], seen + 1
        count += pid == me and seen > 0
    return count

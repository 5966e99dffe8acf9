from __future__ import annotations

import os

import pytest

from sandbox.backends.local import LocalBackend


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


@pytest.fixture(scope="session")
def backend():
    with LocalBackend(concurrency=2) as shared:
        yield shared


def require(backend, language: str) -> None:
    if not backend.available(language):
        pytest.skip(f"{language} toolchain is not installed")


@pytest.fixture
def need(backend):
    """`need("java17")` skips the test when that toolchain is not installed."""
    return lambda language: require(backend, language)


@pytest.fixture
def build(backend):
    """Compiles a source and fails the test on a compile error."""

    def _build(source: str, language: str):
        require(backend, language)
        compiled = backend.compile(source, language)
        assert compiled.ok, f"{compiled.reason}\n{compiled.diagnostics}"
        return compiled.executable

    return _build

from __future__ import annotations

import os

import pytest

from sandbox.backends.local import LocalBackend


def sandbox_processes() -> int:
    """Host processes owned by the sandbox uid (bwrap, supervisors and anything they run)."""
    uid = int(os.environ.get("CPFORGE_SANDBOX_UID", 60000)) if os.geteuid() == 0 else os.geteuid()
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                for line in handle:
                    if line.startswith("Uid:"):
                        count += int(line.split()[1]) == uid
                        break
        except OSError:
            continue
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

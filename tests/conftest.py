"""Shared fixtures. Tests that read ../shared skip when it is absent (a user's fresh clone)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (recorded reference data) is not present")
    return SHARED


def pytest_configure(config: pytest.Config) -> None:
    """The whole run (every xdist worker inherits the controller's environment) uses one
    fresh cache root, so tests never read or fill the user's ~/.cache/cpforge: compile
    caches start empty and precompiled headers are built (once) by the code under test."""
    if hasattr(config, "workerinput"):
        return
    kept = os.environ.get("CPFORGE_TEST_CACHE_DIR")  # a lasting root keeps headers built between runs
    if kept:
        os.environ["CPFORGE_CACHE_DIR"] = kept
        return
    root = tempfile.mkdtemp(prefix="cpforge-test-cache-")
    os.chmod(root, 0o755)
    config._cpforge_cache_root = root
    os.environ["CPFORGE_CACHE_DIR"] = root


def pytest_unconfigure(config: pytest.Config) -> None:
    root = getattr(config, "_cpforge_cache_root", None)
    if root:
        shutil.rmtree(root, ignore_errors=True)

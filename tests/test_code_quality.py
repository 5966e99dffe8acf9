"""The project's standard, enforced: ruff-clean and mypy-clean (both configured in pyproject.toml).

Both run from the source checkout; from an installed wheel (no pyproject.toml beside the
tests) or without the tools installed, the tests skip rather than fail.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip(f"no pyproject.toml in {ROOT}: not a source checkout")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=240)


def _report(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {proc.returncode}\n{proc.stdout}{proc.stderr}"


def test_ruff_clean() -> None:
    proc = _run_tool("ruff", "check", str(ROOT))
    assert proc.returncode == 0, _report(proc)


def test_mypy_clean() -> None:
    # No arguments: the files, exclusions and strictness all come from [tool.mypy].
    proc = _run_tool("mypy")
    assert proc.returncode == 0, _report(proc)

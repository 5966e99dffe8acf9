"""The wheel built from this checkout carries every file the code reads at run time.

The editable install the tests run under reads everything from the checkout, so a file left
out of the package data (as `sandbox/backends/local/native/launcher.c` once was: every `verifier run` from a
real install failed with FileNotFoundError) is invisible to the rest of the suite. This
builds the real wheel with pip, from a copy of the sources, and reads its file list.
`scripts/smoke_wheel.sh` then installs such a wheel and uses it from outside the checkout."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("sandbox", "problems", "codeforces")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    # A copy, so that the build's build/ and *.egg-info neither land in the checkout nor
    # (stale) leak files into the wheel.
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = work / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(source)],
                           capture_output=True, text=True, timeout=240)
    assert build.returncode == 0, f"pip wheel failed:\n{build.stdout}\n{build.stderr}"
    [built] = dist.glob("cpforge-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def _names(wheel: zipfile.ZipFile) -> set[str]:
    return {name for name in wheel.namelist() if not name.endswith("/")}


def _project(requirement: str) -> str:
    """`huggingface-hub>=2.0,<3; extra == "rl"` -> `huggingface_hub`."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert match, requirement
    return re.sub(r"[-.]+", "_", match.group(0)).lower()


def _source_files(package: str) -> list[str]:
    return sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / package).rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc")


def test_every_file_of_the_packages_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    """Modules and data alike: anything under a package directory is there to be read."""
    names = _names(wheel)
    missing = [name for package in PACKAGES for name in _source_files(package) if name not in names]
    assert not missing, f"left out of the wheel (add them to [tool.setuptools.package-data]): {missing}"


def test_the_files_read_at_run_time_are_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    from problems.samples import bundled_root, load_bundled
    from sandbox.backends.local import launcher

    names = _names(wheel)
    launcher_source = Path(launcher.SOURCE).resolve().relative_to(ROOT).as_posix()
    assert launcher_source == "sandbox/backends/local/native/launcher.c"
    assert launcher_source in names
    assert "sandbox/py.typed" in names

    bundled = list(load_bundled())
    assert len(bundled) >= 16
    root = Path(bundled_root()).resolve()
    wanted = []
    for item in bundled:
        directory = Path(item.judge_dir).resolve()
        wanted += [directory / "problem.json", directory / "codeforces.json", directory / "solutions" / "manifest.json"]
        wanted += [directory / "solutions" / solution.file for solution in item.solutions]
        wanted += sorted((directory / "tests").iterdir())
    relative = [f"problems/bundled/{path.relative_to(root).as_posix()}" for path in wanted]
    missing = [name for name in relative if name not in names]
    assert not missing, f"bundled sample files left out of the wheel: {missing}"


def test_the_wheel_declares_the_commands_and_the_rl_extra(wheel: zipfile.ZipFile) -> None:
    [metadata_name] = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    assert "rl" in metadata.get_all("Provides-Extra", [])
    requirements = metadata.get_all("Requires-Dist", [])
    rl = {_project(requirement) for requirement in requirements if 'extra == "rl"' in requirement}
    # httpx: a server URL; pyarrow: a `problems=` dataset folder; huggingface_hub: a Hub id.
    assert {"httpx", "pyarrow", "huggingface_hub"} <= rl, rl
    # In-process judging must not need the server's stack (fastapi, uvicorn, prometheus).
    base = {_project(requirement) for requirement in requirements if "extra ==" not in requirement}
    assert not base & {"fastapi", "uvicorn", "prometheus_client"}, base

    [entry_points_name] = [name for name in wheel.namelist() if name.endswith(".dist-info/entry_points.txt")]
    entry_points = wheel.read(entry_points_name).decode()
    assert "verifier = sandbox.tools.cli:main" in entry_points
    assert "build-dataset = problems.cli:main" in entry_points

"""The layering rule, checked on the source: `sandbox` is the bottom layer and imports neither
`problems` nor `codeforces`; `codeforces` produces `problems` models and imports nothing of
`problems` but the problem model; the pipeline takes problems, not a scraper, so nothing in
`problems` but the command line (`problems/cli.py`, which wires the scraper to the pipeline)
imports `codeforces`.

Every import statement counts, including those inside functions and under TYPE_CHECKING,
since a lazy import is still a dependency. A second check imports the modules in a fresh
interpreter and looks at what actually got loaded.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(package: str) -> Iterator[Path]:
    for path in sorted((ROOT / package).rglob("*.py")):
        if "bundled" not in path.relative_to(ROOT).parts:  # deliberately broken sample programs
            yield path


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement of `path` names, resolved to an absolute name
    (``from a.b import c`` names ``a.b`` and, in case ``c`` is a submodule, ``a.b.c``)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(package: str, allowed: str | None, forbidden: tuple[str, ...],
                exempt: tuple[str, ...] = ()) -> list[str]:
    """`package`'s imports of `forbidden` packages other than the `allowed` module (and the
    names inside it: ``from problems.model import Problem`` also names ``problems.model.Problem``)."""
    bad = []
    for path in _sources(package):
        if _module_name(path) in exempt:
            continue
        for module in sorted(imported_modules(path)):
            if any(_in(module, f) for f in forbidden) and not (allowed and _in(module, allowed)):
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
    return bad


def test_the_import_walker_sees_lazy_relative_and_from_imports() -> None:
    assert {"problems.model", "problems.model.Problem"} <= imported_modules(ROOT / "codeforces" / "parse.py")
    assert "sandbox.cache_dir" in imported_modules(ROOT / "codeforces" / "config.py")  # inside a function
    assert "sandbox.backends" in imported_modules(ROOT / "sandbox" / "__init__.py")  # relative


def test_sandbox_is_the_bottom_layer() -> None:
    assert _violations("sandbox", None, ("problems", "codeforces")) == []


def test_codeforces_imports_only_the_problem_model() -> None:
    assert _violations("codeforces", "problems.model", ("problems",)) == []


def test_only_the_command_line_wires_the_scraper_to_the_pipeline() -> None:
    assert _violations("problems", None, ("codeforces",), exempt=("problems.cli",)) == []


_PROBE = """
import importlib, json, pkgutil, sys
import {package}
for info in pkgutil.walk_packages({package}.__path__, "{package}."):
    importlib.import_module(info.name)
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_after_importing(package: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE.format(package=package)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("package", ["problems.pipeline", "codeforces"])
def test_importing_a_layer_loads_only_what_the_rule_allows(package: str) -> None:
    loaded = _loaded_after_importing(package)
    if package == "problems.pipeline":
        assert [m for m in loaded if _in(m, "codeforces")] == []
    else:
        assert {m for m in loaded if _in(m, "problems")} <= {"problems", "problems.model"}


def test_the_command_line_needs_no_scraper_extra_to_start() -> None:
    """`build-dataset` reads the scraper's option defaults from `codeforces.config` at import
    time; that must not pull in the `scrape` extra (httpx, selectolax, tenacity), which
    `build-dataset run` on local files does not need."""
    probe = "import json, sys, problems.cli; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout)
    assert [m for m in loaded if m.split(".")[0] in ("httpx", "selectolax", "tenacity")] == []
    assert [m for m in loaded if _in(m, "codeforces")] == ["codeforces", "codeforces.config"]

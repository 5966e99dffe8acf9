"""The bundled problems that ship generators (`testset.json` with generated tests): their
committed tests are exactly what `build-dataset tests generate` writes from the directory
itself, and their wrong solutions pass every manual test but fail the generated ones, so
the strength of the tests goes from nothing to all of it with generation."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from problems.samples import bundled_root

ROOT = bundled_root()
GENERATED = sorted(path.parent.name for path in ROOT.glob("*/testset.json")
                   if any("cmd" in test for test in json.loads(path.read_text())["tests"]))


def build_dataset(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "problems.cli", *args], capture_output=True, text=True, timeout=600)


def strength(directory: Path) -> dict:
    done = build_dataset("tests", "strength", str(directory), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_bundled_set_has_generator_problems_with_tagged_wrong_solutions():
    assert len(GENERATED) >= 2, GENERATED
    for slug in GENERATED:
        sidecar = json.loads((ROOT / slug / "testset.json").read_text())
        tags = {solution["tag"] for solution in sidecar["solutions"]}
        assert {"main", "accepted"} <= tags and tags & {"wrong-answer", "time-limit-exceeded"}, slug
        assert sidecar["validator"] and sidecar["generators"], slug


@pytest.mark.parametrize("slug", GENERATED)
def test_committed_tests_are_what_tests_generate_writes(slug, tmp_path):
    out = tmp_path / "out"
    done = build_dataset("tests", "generate", str(ROOT / slug), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    ours = sorted(p.name for p in (ROOT / slug / "tests").iterdir())
    assert sorted(p.name for p in (out / "tests").iterdir()) == ours
    differ = [name for name in ours
              if (out / "tests" / name).read_bytes() != (ROOT / slug / "tests" / name).read_bytes()]
    assert differ == []
    assert json.loads((out / "testset.json").read_text()) == json.loads((ROOT / slug / "testset.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("slug", GENERATED)
def test_strength_before_and_after_generation(slug, tmp_path):
    """Before: the package as setters often share it, the manual tests alone (the generated
    files and their entries removed). Every known-wrong solution passes them. After `tests
    generate`: every one is caught, and the known-correct ones still pass."""
    manual = tmp_path / "manual"
    shutil.copytree(ROOT / slug, manual, ignore=shutil.ignore_patterns("codeforces.json", "manifest.json"))
    sidecar = json.loads((manual / "testset.json").read_text())
    for test in sidecar["tests"]:
        if "cmd" in test:
            for suffix in (".in", ".out"):
                (manual / "tests" / f"{test['name']}{suffix}").unlink()
    sidecar["tests"] = [test for test in sidecar["tests"] if "cmd" not in test]
    sidecar.pop("testset_hash", None)
    (manual / "testset.json").write_text(json.dumps(sidecar))
    before = strength(manual)
    assert before["tpr"] == 1.0 and before["wrong"] >= 3 and before["tnr"] == 0.0, before["slipped_through"]

    restored = json.loads((ROOT / slug / "testset.json").read_text())
    for test in restored["tests"]:
        test.pop("name", None)
        test.pop("sha256", None)
    restored.pop("testset_hash", None)
    (manual / "testset.json").write_text(json.dumps(restored))
    generated = tmp_path / "generated"
    done = build_dataset("tests", "generate", str(manual), "--out", str(generated), "--no-progress")
    assert done.returncode == 0, done.stderr
    after = strength(generated)
    assert after["tpr"] == 1.0 and after["tnr"] == 1.0 and after["wrong"] == before["wrong"]
    assert not after["slipped_through"]

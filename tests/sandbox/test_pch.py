"""The precompiled bits/stdc++.h: really loaded by GCC in the boxes, the same program as a
plain compile, and never able to cost a verdict (damaged, stale or unbuildable headers
fall back to the plain compile)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from sandbox import Limits, Verdict
from sandbox.backends.local.backend import PCH_IN_BOX, LocalBackend
from sandbox.languages import get_language
from sandbox.compile.pch import MANIFEST
from sandbox.compile.pch_probe import probe_precompiled_header

APLUSB = '#include <bits/stdc++.h>\nusing namespace std;\nint main(){long long a,b;cin>>a>>b;cout<<a+b<<"\\n";}\n'
LIMITS = Limits(cpu_time=2, memory_mb=256)


@pytest.fixture(scope="module")
def plain():
    """A backend that never offers the header, for comparisons."""
    with LocalBackend(concurrency=1, pch=False, compile_cache_mb=0) as shared:
        yield shared


@pytest.fixture
def fresh_pch(backend, need, monkeypatch):
    """A private copy of the built header, so a test may damage it without disturbing
    tests running in parallel. The copy lives under the run's cache root, which the boxes'
    uid can reach (pytest's own temp dirs are closed to it)."""
    need("cpp17")
    built = backend.pch.ensure(get_language("cpp17"))
    assert built is not None, backend.pch.last_error
    root = Path(tempfile.mkdtemp(prefix="pch-", dir=os.environ["CPFORGE_CACHE_DIR"]))
    os.chmod(root, 0o755)
    shutil.copytree(built.directory, root / built.key)
    monkeypatch.setenv("CPFORGE_PCH_DIR", str(root))
    yield root, built.key
    shutil.rmtree(root, ignore_errors=True)


def _compile_and_run(backend, source: str, language: str = "cpp17"):
    compiled = backend.compile(source, language)
    assert compiled.ok, compiled.diagnostics
    result = backend.run(compiled.executable, stdin=b"20 22\n", limits=LIMITS)
    assert result.status is Verdict.OK, result.stderr
    return compiled, result


@pytest.mark.parametrize("language", ["cpp17", "cpp20"])
def test_gcc_loads_the_header_and_the_program_is_the_same(backend, plain, need, language):
    need(language)
    probe = probe_precompiled_header(backend, language)
    assert probe.used, probe.detail
    assert PCH_IN_BOX in probe.detail
    with LocalBackend(concurrency=1, compile_cache_mb=0) as fast:  # the header, no compile cache
        with_pch, ran = _compile_and_run(fast, APLUSB + "// pch\n", language)
    without, ran_plain = _compile_and_run(plain, APLUSB + "// pch\n", language)
    assert with_pch.executable.files == without.executable.files  # byte for byte the same binary
    assert ran.stdout == ran_plain.stdout == b"42\n"
    assert with_pch.time < without.time, (with_pch.time, without.time)


def test_the_header_is_read_only_in_the_box(backend, build):
    exe = build("import os, glob\nfor path in glob.glob('/opt/cpforge/pch/*/bits/stdc++.h.gch'):\n"
                "    open(path, 'rb').read(16)\n    try:\n        open(path, 'ab').write(b'x')\n"
                "        print('wrote')\n    except OSError:\n        print('denied')\n", "python3")
    result = backend.run(exe)
    assert result.stdout.decode().split() and set(result.stdout.decode().split()) == {"denied"}, result.stdout


def test_sources_that_cannot_use_the_header_compile_as_before(backend, plain, need):
    need("cpp17")
    sources = [
        '#include <cstdio>\nint main(){long long a,b;std::scanf("%lld %lld",&a,&b);std::printf("%lld\\n",a+b);}\n',
        # A macro before the include makes GCC skip the header; the result must not change.
        "#define _GLIBCXX_DEBUG\n" + APLUSB,
    ]
    for source in sources:
        compiled, result = _compile_and_run(backend, source)
        reference, _ = _compile_and_run(plain, source)
        assert result.stdout == b"42\n"
        assert compiled.executable.files == reference.executable.files


def test_a_header_gcc_cannot_read_falls_back_to_a_plain_compile(fresh_pch):
    """Truncated but with a matching manifest: GCC stops with 'cannot read PCH file'. The
    compile is redone without the header, and the damaged header is removed."""
    root, key = fresh_pch
    gch = root / key / "bits" / "stdc++.h.gch"
    with open(gch, "r+b") as handle:
        handle.truncate(gch.stat().st_size // 2)
    manifest = json.loads((root / key / MANIFEST).read_text())
    manifest["gch_size"] = gch.stat().st_size
    (root / key / MANIFEST).write_text(json.dumps(manifest))
    with LocalBackend(concurrency=1, compile_cache_mb=0) as backend:
        assert backend.pch.root == root
        compiled, result = _compile_and_run(backend, APLUSB + "// damaged\n")
    assert result.stdout == b"42\n"
    assert "PCH" not in compiled.diagnostics  # the user never sees the header's failure
    assert not (root / key).exists(), "a damaged header must be removed, to be rebuilt"


def test_a_header_gcc_rejects_is_ignored(fresh_pch):
    """Garbage of the right size: GCC silently ignores it and reads the real header."""
    root, key = fresh_pch
    gch = root / key / "bits" / "stdc++.h.gch"
    gch.write_bytes(b"\0" * gch.stat().st_size)
    with LocalBackend(concurrency=1, compile_cache_mb=0) as backend:
        compiled, result = _compile_and_run(backend, APLUSB + "// garbage\n")
        probe = probe_precompiled_header(backend, "cpp17")
    assert result.stdout == b"42\n"
    assert not probe.used


def test_a_stale_header_is_not_used(fresh_pch):
    """One of the headers it was built from changed (here: its recorded mtime), as after
    a libstdc++ update: the header no longer counts as built."""
    root, key = fresh_pch
    manifest = json.loads((root / key / MANIFEST).read_text())
    manifest["deps"][0][2] -= 1
    (root / key / MANIFEST).write_text(json.dumps(manifest))
    with LocalBackend(concurrency=1, compile_cache_mb=0) as backend:
        assert backend.pch.lookup(get_language("cpp17")) is None


def test_an_unbuildable_header_means_plain_compiles(backend, need):
    need("cpp17")
    impossible = dataclasses.replace(get_language("cpp17"), precompiled_header="cpforge/no-such-header.h")
    aid = backend.compile_aid(impossible)
    assert aid is None or aid.precompiled_header is None
    assert "no-such-header" in (backend.pch.failure(impossible) or "")
    compiled, result = _compile_and_run(backend, APLUSB + "// unbuildable\n", impossible)
    assert result.stdout == b"42\n"

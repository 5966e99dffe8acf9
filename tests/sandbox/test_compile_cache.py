"""The on-disk compile cache: shared across backends and processes, bounded, never serving
a damaged or partial entry, and `extra_files` beside the source."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from sandbox import CompileLimits, Limits, Verdict
from sandbox.backends.local import LocalBackend
from sandbox.compile.cache import CompileCache
from sandbox.result import CompileResult, Executable

APLUSB = '#include <cstdio>\nint main(){long long a,b;std::scanf("%lld %lld",&a,&b);std::printf("%lld\\n",a+b);}\n'


def _result(payload: bytes, language: str = "cpp17") -> CompileResult:
    exe = Executable(language=language, files={"sol": payload}, entry="sol", digest="d" * 64, toolchain="g++ test")
    return CompileResult(status=Verdict.OK, executable=exe, language=language, toolchain="g++ test", time=0.5)


def _entries(cache: CompileCache) -> list[Path]:
    return [p for p in cache.directory.glob("*/*") if not p.name.startswith(".tmp-")]


def test_a_hit_across_two_backends(tmp_path, need):
    need("cpp17")
    with LocalBackend(concurrency=1, compile_cache_dir=tmp_path, compile_cache_mb=64) as first:
        built = first.compile(APLUSB, "cpp17")
        assert built.ok and not built.cached
    with LocalBackend(concurrency=1, compile_cache_dir=tmp_path, compile_cache_mb=64) as second:
        again = second.compile(APLUSB, "cpp17")
        assert again.ok and again.cached
        assert again.executable == built.executable  # files, entry, digest, toolchain
        result = second.run(again.executable, stdin=b"2 3\n", limits=Limits(cpu_time=2))
        assert result.status is Verdict.OK and result.stdout == b"5\n"
        other = second.compile(APLUSB + "// another source\n", "cpp17")
        assert other.ok and not other.cached


def test_compile_errors_are_cached_but_limit_failures_are_not(tmp_path, need):
    need("cpp17")
    with LocalBackend(concurrency=1, compile_cache_dir=tmp_path, compile_cache_mb=64) as backend:
        broken = "int main() { undefined_name(); }\n"
        first, second = backend.compile(broken, "cpp17"), backend.compile(broken, "cpp17")
        assert first.status is second.status is Verdict.CE
        assert not first.cached and second.cached and second.diagnostics == first.diagnostics
        tight = CompileLimits(time=0.01)
        slow = [backend.compile(APLUSB + "// tight\n", "cpp17", tight) for _ in range(2)]
        assert all(r.status is Verdict.CE and "time limit" in r.reason for r in slow)
        assert not any(r.cached for r in slow)  # depends on the machine's load: never stored


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path, need):
    need("cpp17")
    with LocalBackend(concurrency=1, compile_cache_dir=tmp_path, compile_cache_mb=64) as backend:
        built = backend.compile(APLUSB + "// damage\n", "cpp17")
        [entry] = _entries(backend.compile_cache)
        data = bytearray(entry.read_bytes())
        data[-100] ^= 0xFF  # one flipped bit in the binary
        entry.write_bytes(bytes(data))
        again = backend.compile(APLUSB + "// damage\n", "cpp17")
        assert again.ok and not again.cached  # recompiled, not served damaged
        assert again.executable.files == built.executable.files
        [rewritten] = _entries(backend.compile_cache)
        rewritten.write_bytes(rewritten.read_bytes()[:1000])  # truncated
        assert backend.compile_cache.get(rewritten.name) is None
        assert not rewritten.exists()


def _hammer(args: tuple[str, int, int]) -> int:
    """One process of the concurrency test: writes and reads shared and private keys."""
    directory, worker, rounds = args
    cache = CompileCache(Path(directory), max_mb=8)
    seen = 0
    for round_ in range(rounds):
        for key, payload in ((f"shared-{round_ % 5:02d}", b"S" * (20000 + round_ % 5)),
                             (f"own-{worker}-{round_:03d}", bytes([worker]) * 50000)):
            cache.put(key.ljust(64, "0"), _result(payload))
            found = cache.get(key.ljust(64, "0"))
            if found is not None:  # may be evicted meanwhile, never wrong
                assert found.executable.files["sol"] == payload, key
                seen += 1
    return seen


def test_concurrent_writers_do_not_corrupt_it(tmp_path):
    processes, rounds = 4, 50  # 4 x 50 x 50 kB = 10 MB through an 8 MB cache: eviction under contention
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        seen = pool.map(_hammer, [(str(tmp_path), worker, rounds) for worker in range(processes)])
    assert sum(seen) > 0
    cache = CompileCache(tmp_path, max_mb=8)
    entries = _entries(cache)
    assert entries and sum(p.stat().st_size for p in entries) <= 8 << 20
    for entry in entries:
        assert cache.get(entry.name) is not None, f"{entry.name} is damaged"
    assert not list(cache.directory.glob("*/.tmp-*")), "temporary files left behind"


def test_the_size_bound_evicts_the_least_recently_used(tmp_path):
    cache = CompileCache(tmp_path, max_mb=1)
    keys = [f"{index:02d}".ljust(64, "a") for index in range(5)]
    for key in keys[:3]:  # 3 x 300 kB fit in 1 MiB
        cache.put(key, _result(os.urandom(300_000)))
        time.sleep(0.02)  # file times have a few ms of resolution
    assert cache.get(keys[0]) is not None  # used again: now the youngest
    time.sleep(0.02)
    for key in keys[3:]:
        cache.put(key, _result(os.urandom(300_000)))
        time.sleep(0.02)
    present = {key for key in keys if cache.get(key) is not None}
    assert keys[0] in present and keys[1] not in present, present
    assert cache.usage()[1] <= 1 << 20
    assert CompileCache(tmp_path, max_mb=1).get(keys[4]) is not None


def test_zero_disables_it(tmp_path, monkeypatch):
    monkeypatch.setenv("CPFORGE_COMPILE_CACHE_MB", "0")
    cache = CompileCache(tmp_path / "off")
    assert not cache.enabled
    cache.put("k" * 64, _result(b"x"))
    assert cache.get("k" * 64) is None and not (tmp_path / "off").exists()


def test_extra_files_beside_the_source(backend, need):
    need("cpp17")
    source = '#include "x.h"\n#include <cstdio>\nint main(){std::printf("%d\\n", VALUE);}\n'
    one = backend.compile(source, "cpp17", extra_files={"x.h": b"#define VALUE 1\n"})
    two = backend.compile(source, "cpp17", extra_files={"x.h": b"#define VALUE 2\n"})
    assert one.ok and two.ok, one.diagnostics + two.diagnostics
    assert not two.cached and one.executable.digest != two.executable.digest
    assert backend.run(one.executable).stdout == b"1\n"
    assert backend.run(two.executable).stdout == b"2\n"
    missing = backend.compile(source, "cpp17")
    assert missing.status is Verdict.CE and "x.h" in missing.diagnostics
    nested = backend.compile(
        source.replace('"x.h"', '"lib/x.h"'), "cpp17", extra_files={"lib/x.h": b"#define VALUE 3\n"}
    )
    assert backend.run(nested.executable).stdout == b"3\n"
    # Interpreted programs carry their extra files to every run (data, or a module for
    # a runner that puts the directory on sys.path; `python3 -I` itself does not).
    script = backend.compile("print(open('data.txt').read().strip())\n", "python3", extra_files={"data.txt": b"7\n"})
    assert script.ok and backend.run(script.executable).stdout == b"7\n"
    for bad in ("../x.h", "/etc/x.h", "sol.cpp", ""):
        with pytest.raises(ValueError):
            backend.compile(source, "cpp17", extra_files={bad: b""})

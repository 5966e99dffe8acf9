"""Big stdin and stdout cross between the host and a box as memory files passed with the
message (from 64 KiB on), smaller ones as bytes inside it: either way the program reads
exactly the input and the host gets exactly the output, and no descriptor is left open."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator

import pytest

from sandbox import Limits, Verdict
from sandbox.backends.local import LocalBackend
from sandbox.backends.local.supervisor import DESCRIPTOR_BYTES

ECHO = ('#include <cstdio>\nint main(){static char b[1<<16];size_t n;'
        'while((n=fread(b,1,sizeof b,stdin))>0)fwrite(b,1,n,stdout);}\n')
SIZES = [0, 1, DESCRIPTOR_BYTES - 1, DESCRIPTOR_BYTES, DESCRIPTOR_BYTES + 1, 3 << 20]


@pytest.fixture(scope="module", params=[False, True], ids=["bwrap", "unsafe"])
def echo(request) -> Iterator[tuple[LocalBackend, object]]:
    with LocalBackend(concurrency=1, unsafe=request.param, compile_cache_mb=0) as backend:
        if not backend.available("cpp17"):
            pytest.skip("g++ is not installed")
        compiled = backend.compile(ECHO, "cpp17")
        assert compiled.ok and compiled.executable is not None, compiled.diagnostics
        yield backend, compiled.executable


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("size", SIZES)
def test_input_reaches_the_program_and_its_output_the_host_byte_for_byte(echo, size: int) -> None:
    backend, executable = echo
    data = random.Random(size).randbytes(size)
    result = backend.run(executable, stdin=data, limits=Limits(cpu_time=5))
    assert result.status is Verdict.OK, result.message
    assert result.stdout == data and not result.stdout_truncated


def test_output_past_the_capture_is_cut_at_it_from_a_memory_file(echo) -> None:
    backend, executable = echo
    data = random.Random(7).randbytes(1 << 20)
    cap = DESCRIPTOR_BYTES * 2
    result = backend.run(executable, stdin=data, limits=Limits(cpu_time=5, output_bytes=cap))
    assert result.status is Verdict.OLE
    assert result.stdout == data[:cap] and result.stdout_truncated


def test_no_descriptor_outlives_its_run(echo) -> None:
    backend, executable = echo
    data = b"z" * (DESCRIPTOR_BYTES * 4)
    backend.run(executable, stdin=data, limits=Limits(cpu_time=5))  # any lazily opened file, once
    before = _open_descriptors()
    for _ in range(20):
        assert backend.run(executable, stdin=data, limits=Limits(cpu_time=5)).stdout == data
    assert _open_descriptors() == before

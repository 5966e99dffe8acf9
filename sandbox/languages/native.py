"""C and C++ through GCC, with the usual contest flags (-O2, -DONLINE_JUDGE).

C++ names `bits/stdc++.h` as its precompiled header: nearly every contest solution starts
with it, and parsing it is about three quarters of an A+B compile."""

from __future__ import annotations

from dataclasses import dataclass

from ..limits import Limits
from .base import Language

COMMON_FLAGS = ("-O2", "-pipe", "-DONLINE_JUDGE", "-fdiagnostics-color=never", "-fmax-errors=50")
BINARY = "sol"


@dataclass(frozen=True)
class NativeLanguage(Language):
    compiler: str = "gcc"
    flags: tuple[str, ...] = ()

    def run_command(self, entry: str, limits: Limits) -> list[str]:
        return [f"./{entry}"]

    def entry_point(self, source_file: str, source: str) -> str:
        return BINARY

    def header_flags(self) -> tuple[str, ...] | None:
        if self.precompiled_header is None:
            return None
        return (self.compiler, *self.flags)


def _native(compiler: str, std: str, source_name: str, **fields) -> NativeLanguage:
    flags = (f"-std={std}", *COMMON_FLAGS)
    return NativeLanguage(compiler=compiler, flags=flags, source_name=source_name,
                          compile_argv=(compiler, *flags, "-o", BINARY, source_name, "-lm"),
                          artifacts=(BINARY,), **fields)


C17 = _native(
    "gcc", "c17", "sol.c",
    id="c17",
    name="C17 (GNU gcc)",
    extensions=(".c",),
    version_argv=("gcc", "--version"),
    aliases=("c", "gcc"),
)

CPP17 = _native(
    "g++", "c++17", "sol.cpp",
    id="cpp17",
    name="C++17 (GNU g++)",
    extensions=(".cpp", ".cc", ".cxx", ".c++"),
    version_argv=("g++", "--version"),
    aliases=("cpp", "c++", "cc", "g++", "c++17"),
    memory_error_markers=(b"std::bad_alloc",),
    process_limit_markers=(b"Resource temporarily unavailable",),
    precompiled_header="bits/stdc++.h",
)

CPP20 = _native(
    "g++", "c++20", "sol.cpp",
    id="cpp20",
    name="C++20 (GNU g++)",
    extensions=(),
    version_argv=("g++", "--version"),
    aliases=("c++20",),
    memory_error_markers=(b"std::bad_alloc",),
    process_limit_markers=(b"Resource temporarily unavailable",),
    precompiled_header="bits/stdc++.h",
)

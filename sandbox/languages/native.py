"""C and C++ through GCC, with the usual contest flags (-O2, -DONLINE_JUDGE)."""

from __future__ import annotations

from dataclasses import dataclass

from ..limits import Limits
from .base import Language

COMMON_FLAGS = ("-O2", "-pipe", "-DONLINE_JUDGE", "-fdiagnostics-color=never", "-fmax-errors=50")
BINARY = "sol"


@dataclass(frozen=True)
class NativeLanguage(Language):
    def run_command(self, entry: str, limits: Limits) -> list[str]:
        return [f"./{entry}"]

    def entry_point(self, source_file: str, source: str) -> str:
        return BINARY


def _gcc(compiler: str, std: str, source_name: str) -> tuple[str, ...]:
    return (compiler, f"-std={std}", *COMMON_FLAGS, "-o", BINARY, source_name, "-lm")


C17 = NativeLanguage(
    id="c17",
    name="C17 (GNU gcc)",
    source_name="sol.c",
    extensions=(".c",),
    compile_argv=_gcc("gcc", "c17", "sol.c"),
    artifacts=(BINARY,),
    version_argv=("gcc", "--version"),
    aliases=("c", "gcc"),
)

CPP17 = NativeLanguage(
    id="cpp17",
    name="C++17 (GNU g++)",
    source_name="sol.cpp",
    extensions=(".cpp", ".cc", ".cxx", ".c++"),
    compile_argv=_gcc("g++", "c++17", "sol.cpp"),
    artifacts=(BINARY,),
    version_argv=("g++", "--version"),
    aliases=("cpp", "c++", "cc", "g++", "c++17"),
    memory_error_markers=(b"std::bad_alloc",),
)

CPP20 = NativeLanguage(
    id="cpp20",
    name="C++20 (GNU g++)",
    source_name="sol.cpp",
    extensions=(),
    compile_argv=_gcc("g++", "c++20", "sol.cpp"),
    artifacts=(BINARY,),
    version_argv=("g++", "--version"),
    aliases=("c++20",),
    memory_error_markers=(b"std::bad_alloc",),
)

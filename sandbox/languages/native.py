"""What C and C++ share: GCC with the usual contest flags (-O2, -DONLINE_JUDGE), a binary
named `sol` run as `./sol`, and an address-space cap for memory. The languages themselves
are `c.py` and `cpp.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.limits import Limits
from sandbox.languages.base import Language

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


def gcc_language(compiler: str, std: str, source_name: str, **fields: Any) -> NativeLanguage:
    """A GCC language compiled with `-std=<std>` and the contest flags."""
    flags = (f"-std={std}", *COMMON_FLAGS)
    return NativeLanguage(compiler=compiler, flags=flags, source_name=source_name,
                          compile_argv=(compiler, *flags, "-o", BINARY, source_name, "-lm"),
                          artifacts=(BINARY,), version_argv=(compiler, "--version"), **fields)

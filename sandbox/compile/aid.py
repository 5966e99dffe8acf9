"""What a backend may hand its compiler to compile faster without changing the program.

Kept apart from any one backend: the local backend offers a precompiled header through an
include directory it mounts into every box; a Docker or E2B backend can do the same with a
volume, or offer nothing, and compiles then simply take the plain path."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompileAid:
    flags: tuple[str, ...]
    # Text in the compiler's messages showing that the aid itself broke a compile (GCC
    # stops with "cannot read PCH file" on a damaged one): the compile is then redone
    # without the aid, so a broken aid can cost time but never a verdict.
    failure_markers: tuple[str, ...] = ()
    description: str = ""

    def broke(self, diagnostics: str) -> bool:
        return any(marker in diagnostics for marker in self.failure_markers)

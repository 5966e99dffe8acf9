"""What a backend may hand its compiler to compile faster without changing the program.

Kept apart from any one backend: the local backend offers a precompiled header through an
include directory it mounts into every box, and the gold linker where the toolchain has it;
a Docker or E2B backend can do the same with a volume, or offer nothing, and compiles then
simply take the plain path."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CompileAid:
    flags: tuple[str, ...]
    # Text in the compiler's messages showing that the aid itself broke a compile (GCC
    # stops with "cannot read PCH file" on a damaged one): the compile is then redone
    # without the aid, so a broken aid can cost time but never a verdict, and the backend
    # is told, so that it can check the aid's files.
    failure_markers: tuple[str, ...] = ()
    # Text after which a failed compile is redone without the aid although nothing of the
    # aid's is suspect: a failed link with gold is redone with the default linker, so that
    # the messages a submission gets are the default toolchain's own.
    retry_markers: tuple[str, ...] = ()
    description: str = ""
    # The header whose precompiled form the flags offer (None: the aid offers no header).
    precompiled_header: str | None = None

    def broke(self, diagnostics: str) -> bool:
        return any(marker in diagnostics for marker in self.failure_markers)

    def redo_plain(self, diagnostics: str) -> bool:
        return self.broke(diagnostics) or any(marker in diagnostics for marker in self.retry_markers)

    @staticmethod
    def combine(*aids: CompileAid | None) -> CompileAid | None:
        """One aid with all the flags and markers of those given; None when none is."""
        present = [aid for aid in aids if aid is not None]
        if not present:
            return None
        if len(present) == 1:
            return present[0]
        return CompileAid(flags=tuple(flag for aid in present for flag in aid.flags),
                          failure_markers=tuple(marker for aid in present for marker in aid.failure_markers),
                          retry_markers=tuple(marker for aid in present for marker in aid.retry_markers),
                          description="; ".join(aid.description for aid in present if aid.description),
                          precompiled_header=next((aid.precompiled_header for aid in present
                                                   if aid.precompiled_header), None))

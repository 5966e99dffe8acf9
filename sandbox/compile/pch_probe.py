"""Whether a backend's compiles really load the precompiled header, asked of GCC itself.

A precompiled header that GCC silently rejects costs nothing in correctness but all of its
speed, and nothing else would show it; `-H` prints a loaded one with `!` and a rejected one
with `x`, so a probe compile in a real box is the one trustworthy answer (for the doctor,
the judge bench and the tests)."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.backends.base import Backend
from sandbox.languages import Language, get_language
from sandbox.limits import CompileLimits


@dataclass(frozen=True)
class PchProbe:
    used: bool
    detail: str


def probe_precompiled_header(backend: Backend, language: str | Language) -> PchProbe:
    """Builds the header if needed (as a real compile would), then compiles a probe."""
    lang = get_language(language)
    if lang.precompiled_header is None:
        return PchProbe(False, f"{lang.id} has no precompiled header")
    aid = backend.compile_aid(lang)
    if aid is None or aid.precompiled_header is None:
        reason = getattr(getattr(backend, "pch", None), "last_error", None)
        return PchProbe(False, "not offered by the backend" + (f": {reason}" if reason else ""))
    source = f"#include <{lang.precompiled_header}>\nint main() {{ return 0; }}\n".encode()
    command = lang.compile_command(lang.source_name, aid.flags)
    assert command is not None  # a language with a precompiled header is a compiled one
    argv = command + ["-H", "-Winvalid-pch"]
    outcome = backend.run_compiler(lang, argv, {lang.source_name: source}, CompileLimits())
    if outcome.sandbox_error or outcome.exec_error:
        return PchProbe(False, f"the probe compile could not run: {outcome.sandbox_error or outcome.exec_error}")
    lines = outcome.stderr.decode(errors="replace").splitlines()
    loaded = [line for line in lines if line.startswith("! ") and line.endswith(".gch")]
    if loaded:
        return PchProbe(True, f"precompiled {aid.precompiled_header}: {loaded[0][2:]}")
    rejected = [line for line in lines if "Winvalid-pch" in line or line.startswith("x ")]
    return PchProbe(False, "GCC did not load it: " + ("; ".join(rejected[:2]) or "no PCH line in -H output"))

"""`verifier prebuild`: builds what boxes reuse (the native launcher, every precompiled
header) ahead of time, so an image or a fresh worker starts warm instead of paying for it
on its first runs. Builds on the host, without a box: an image build has no namespaces."""

from __future__ import annotations

from sandbox.backends.base import PROGRAM_ENV
from sandbox.backends.local.launcher import launcher_path
from sandbox.compile.pch import PrecompiledHeaders, default_root
from sandbox.languages import LANGUAGES


def prebuild() -> list[tuple[str, bool, str]]:
    """(what, built, detail) for the launcher and each language with a precompiled header."""
    done: list[tuple[str, bool, str]] = []
    launcher = launcher_path()
    done.append(("native launcher", launcher is not None, str(launcher) if launcher else "no C compiler"))
    headers = PrecompiledHeaders(default_root(), env=PROGRAM_ENV)
    headers.prepare()
    for lang in LANGUAGES.values():
        if lang.precompiled_header is None:
            continue
        built = headers.ensure(lang)
        detail = str(built.directory) if built else (headers.failure(lang) or "compiler unavailable")
        done.append((f"{lang.id} {lang.precompiled_header}", built is not None, detail))
    return done


__all__ = ["prebuild"]

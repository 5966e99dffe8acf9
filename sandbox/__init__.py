"""cpforge's bottom layer: compile and run untrusted programs under hard limits.

    from sandbox import compile, run, Limits
    built = compile(source, "cpp17")
    result = run(built.executable, stdin=b"1 2\\n", limits=Limits(cpu_time=1, memory_mb=256))

The module-level functions share one default backend (the local bubblewrap sandbox unless
CPFORGE_BACKEND says otherwise); pass `backend=` or use `get_backend()` to manage your own.
This package never imports `problems` or `codeforces`.
"""

from __future__ import annotations

import atexit
import threading

from sandbox.backends import Backend, SandboxUnavailable, get_backend
from sandbox.execution import PipeEnd
from sandbox.languages import LANGUAGES, Language, UnknownLanguage, get_language, language_for_file
from sandbox.limits import CompileLimits, Limits
from sandbox.result import CompileResult, Executable, RunResult, Verdict

_default: Backend | None = None
_default_lock = threading.Lock()


def default_backend() -> Backend:
    global _default
    with _default_lock:
        if _default is None:
            _default = get_backend()
            atexit.register(_default.close)
        return _default


def compile(source: str | bytes, language: str | Language, limits: CompileLimits | None = None,
            *, backend: Backend | None = None,
            extra_files: dict[str, bytes] | None = None) -> CompileResult:  # shadows the builtin: the natural name
    return (backend or default_backend()).compile(source, language, limits, extra_files=extra_files)


def run(executable: Executable, *, stdin: bytes | str | None = None, files: dict[str, bytes] | None = None,
        limits: Limits | None = None, collect: tuple[str, ...] = (), backend: Backend | None = None) -> RunResult:
    return (backend or default_backend()).run(executable, stdin=stdin, files=files, limits=limits, collect=collect)


__all__ = [
    "Backend", "CompileLimits", "CompileResult", "Executable", "LANGUAGES", "Language",
    "Limits", "PipeEnd", "RunResult", "SandboxUnavailable", "UnknownLanguage", "Verdict", "compile",
    "default_backend", "get_backend", "get_language", "language_for_file", "run",
]

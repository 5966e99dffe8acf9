"""The one interface every backend implements: execute a process description, clean up.

`compile` and `run` are built once here on top of `execute`, so the local, Docker and E2B
backends differ only in where processes run, never in what a verdict means."""

from __future__ import annotations

import hashlib
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path, PurePosixPath

from sandbox.compile.aid import CompileAid
from sandbox.compile.cache import CompileCache, cache_key
from sandbox.execution import ExecOutcome, ExecRequest, PipeEnd
from sandbox.languages import Language, get_language
from sandbox.limits import CompileLimits, Limits, MiB
from sandbox.result import CompileResult, Executable, LimitName, RunResult, Verdict
from sandbox.verdict import classify, signal_name

PROGRAM_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "ONLINE_JUDGE": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}


class SandboxUnavailable(RuntimeError):
    """The host cannot isolate untrusted code; raised instead of running it unprotected."""


class Backend(ABC):
    """Runs processes in isolated boxes. Thread-safe: `execute` may be called from many
    threads; the backend bounds how many run at once."""

    name: str = "abstract"
    sandboxed: bool = True
    # Processes run across a network or container boundary, where a round trip per process
    # costs more than the process: callers should batch with `execute_many`.
    remote: bool = False

    def __init__(self, *, compile_cache_mb: int | None = None, compile_cache_dir: Path | None = None) -> None:
        """`compile_cache_mb`: bound of the on-disk compile cache (0 disables it; None reads
        CPFORGE_COMPILE_CACHE_MB, default 1024); `compile_cache_dir`: default
        `<cache>/compile`, where `<cache>` is CPFORGE_CACHE_DIR or ~/.cache/cpforge."""
        self._toolchains: dict[str, str | None] = {}
        self._toolchain_lock = threading.Lock()
        self.compile_cache = CompileCache(compile_cache_dir, compile_cache_mb)

    @abstractmethod
    def execute(self, request: ExecRequest) -> ExecOutcome:
        """Runs one process to completion; failures of the box itself are reported in
        `sandbox_error`, never raised, so callers can tell them from program failures."""

    def execute_many(self, requests: Sequence[ExecRequest]) -> list[ExecOutcome]:
        """Runs independent requests (one submission's tests) and returns their outcomes in
        order. The default is a loop over `execute`; a remote backend sends them in one call,
        so a submission costs one round trip instead of one per test."""
        return [self.execute(request) for request in requests]

    def execute_pair(self, solution: ExecRequest, interactor: ExecRequest,
                     companions: Executor) -> tuple[ExecOutcome, ExecOutcome]:
        """Runs a solution and its interactor at once, the solution's stdout feeding the
        interactor's stdin and the interactor's stdout the solution's. Neither request may
        carry pipes of its own. The default wires two pipes here and runs the interactor on
        a `companions` thread (it must not wait for a slot its solution holds); a backend
        whose boxes live elsewhere sends both to one place, where the pipes can exist."""
        solution_read, interactor_write = os.pipe2(os.O_CLOEXEC)
        interactor_read, solution_write = os.pipe2(os.O_CLOEXEC)
        ends = [PipeEnd(fd, owned=True) for fd in (solution_read, interactor_write, interactor_read, solution_write)]
        solution = replace(solution, stdin=ends[0], stdout=ends[3])
        interactor = replace(interactor, stdin=ends[2], stdout=ends[1], companion=True)
        try:
            interactor_future = companions.submit(self.execute, interactor)
            solution_outcome = self.execute(solution)
            return solution_outcome, interactor_future.result()
        finally:
            for end in ends:
                end.close()

    def close(self) -> None:  # noqa: B027 - optional hook: a backend that holds nothing has nothing to stop
        """Stops every box and removes every trace of them (processes, mounts, cgroups)."""

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ toolchains
    def toolchain(self, language: str | Language) -> str | None:
        """The toolchain's version line as this backend's boxes see it, or None when the
        language is unavailable there. Cached: asked once per backend and language."""
        lang = get_language(language)
        with self._toolchain_lock:
            if lang.id in self._toolchains:
                return self._toolchains[lang.id]
        outcome = self.execute(ExecRequest(
            argv=list(lang.version_argv), env=dict(PROGRAM_ENV), wall_limit=30, cpu_limit=30,
            processes=64, merge_stdout_into_stderr=True,
        ))
        version = None
        if not outcome.sandbox_error and not outcome.exec_error and outcome.exit_code == 0:
            version = lang.version_line(outcome.stderr.decode(errors="replace"))
        with self._toolchain_lock:
            self._toolchains[lang.id] = version
        return version

    def available(self, language: str | Language) -> bool:
        return self.toolchain(language) is not None

    # ------------------------------------------------------------------ compile
    def compile_aid(self, lang: Language) -> CompileAid | None:
        """Hook: flags that make this language compile faster in this backend's boxes
        without changing the program (the local backend's precompiled header). None, the
        default, means plain compiles; a backend without such help needs nothing here."""
        return None

    def compile_aid_broke(self, lang: Language) -> None:  # noqa: B027 - optional hook; the default ignores it
        """Hook: the compiler said the aid itself is broken (the compile was redone without
        it). A backend may check and repair the aid; the default ignores it."""

    def compile(self, source: str | bytes, language: str | Language, limits: CompileLimits | None = None,
                extra_files: dict[str, bytes] | None = None, syntax_check: bool = True) -> CompileResult:
        """Compiles in a box. `extra_files` are placed beside the source (a `testlib.h`
        for a checker, a helper module); they are part of the cache key and the digest.
        Results are looked up in, and stored to, the on-disk compile cache, so a hit
        (`cached=True`) costs a file read instead of a compile. `syntax_check=False` skips
        an interpreted language's compile step (a syntax check, a sandboxed run of its own)
        for callers that learn of a syntax error from the run's crash: SandboxFusion's
        `/run_code`, and the judge's lazy check (`Judge.judge`). Compiled languages always
        compile."""
        lang = get_language(language)
        limits = limits or CompileLimits()
        source_bytes = source.encode() if isinstance(source, str) else source
        source_text = source_bytes.decode("utf-8", errors="replace")
        source_file = lang.source_file(source_text)
        extras = _checked_extra_files(extra_files, source_file)
        toolchain = self.toolchain(lang)
        if toolchain is None:
            return CompileResult(status=Verdict.SANDBOX_ERROR, language=lang.id,
                                 reason=f"{lang.name} is not available on the {self.name} backend")
        entry = lang.entry_point(source_file, source_text)
        argv = lang.compile_command(source_file)
        digest = lang.digest(source_bytes, tuple(argv or ()) + _extra_files_digest(extras))
        if argv is None or (not syntax_check and lang.interpreted):
            files = lang.executable_files(source_file, source_bytes, {}, extras)
            return CompileResult(status=Verdict.OK, language=lang.id, toolchain=toolchain,
                                 executable=Executable(language=lang.id, files=files, entry=entry,
                                                       digest=digest, toolchain=toolchain))
        key = None
        if self.compile_cache.enabled:
            key = cache_key(backend=self.name, language=lang.id, toolchain=toolchain, argv=argv,
                            source=source_bytes, extra_files=extras, limits=limits.model_dump_json())
            hit = self.compile_cache.get(key)
            if hit is not None:
                return hit
        result, deterministic = self._compile_fresh(lang, limits, source_file, source_bytes, extras,
                                                    entry, digest, toolchain)
        if key is not None and CompileCache.storable(result, deterministic):
            self.compile_cache.put(key, result)
        return result

    def _compile_fresh(self, lang: Language, limits: CompileLimits, source_file: str, source: bytes,
                       extras: dict[str, bytes], entry: str, digest: str, toolchain: str
                       ) -> tuple[CompileResult, bool]:
        """Really compiles; also says whether a failure is the compiler's own verdict on
        the source (worth caching) rather than a limit hit under load."""
        files = {**extras, source_file: source}
        aid = self.compile_aid(lang)
        outcome = None
        if aid is not None:
            aided_argv = lang.compile_command(source_file, aid.flags)
            assert aided_argv is not None  # compile() answers languages without a compile step itself
            outcome = self.run_compiler(lang, aided_argv, files, limits)
            failed = outcome.sandbox_error or outcome.exec_error or outcome.exit_code != 0
            aided_diagnostics = outcome.stderr.decode("utf-8", errors="replace")
            if failed and aid.redo_plain(aided_diagnostics):
                outcome = None  # the plain compile decides
                if aid.broke(aided_diagnostics):
                    self.compile_aid_broke(lang)  # the aid itself failed: the backend checks it
        if outcome is None:
            plain_argv = lang.compile_command(source_file)
            assert plain_argv is not None  # as above
            outcome = self.run_compiler(lang, plain_argv, files, limits)
        diagnostics = outcome.stderr.decode("utf-8", errors="replace")
        truncated = outcome.stderr_size > len(outcome.stderr)
        common = dict(language=lang.id, toolchain=toolchain, diagnostics=diagnostics,
                      diagnostics_truncated=truncated, time=outcome.wall_time, memory_bytes=outcome.memory_bytes)
        if outcome.sandbox_error or outcome.exec_error:
            return CompileResult(status=Verdict.SANDBOX_ERROR,
                                 reason=outcome.sandbox_error or f"could not start the compiler: {outcome.exec_error}",
                                 **common), False
        reason, fired, deterministic = self._compile_failure(outcome, limits, lang)
        if reason is None:
            artifacts = lang.executable_files(source_file, source, outcome.files, extras)
            if artifacts:
                return CompileResult(status=Verdict.OK, **common, executable=Executable(
                    language=lang.id, files=artifacts, entry=entry, digest=digest, toolchain=toolchain)), True
            reason, deterministic = "the compiler produced no executable", True
        return CompileResult(status=Verdict.CE, reason=reason, limit_fired=fired, **common), deterministic

    def run_compiler(self, lang: Language, argv: list[str], files: dict[str, bytes],
                     limits: CompileLimits) -> ExecOutcome:
        """One compiler process under the compile limits, with no caching and no retry;
        also how probes (is the precompiled header really loaded?) reach a box."""
        return self.execute(ExecRequest(
            argv=argv, files=files, env={**PROGRAM_ENV, **lang.compile_env},
            cpu_limit=limits.time, wall_limit=limits.time, address_space=lang.compile_address_space_bytes(limits),
            stack=256 * MiB, processes=limits.processes, file_size=limits.output_bytes,
            open_files=1024, stdout_capture=0, stderr_capture=limits.diagnostics_bytes,
            merge_stdout_into_stderr=True, collect=lang.artifacts, collect_capture=limits.output_bytes,
            memory_limit=limits.memory_mb * MiB, zygote=lang.zygote_command,
        ))

    @staticmethod
    def _compile_failure(outcome: ExecOutcome, limits: CompileLimits,
                         lang: Language) -> tuple[str | None, LimitName | None, bool]:
        """Why the compile failed (None: it did not), the limit that stopped it if one did,
        and whether that is the compiler's own verdict (True) or a resource limit that a
        less loaded machine might not hit."""
        if outcome.memory_bytes > limits.memory_mb * MiB or outcome.oom_killed or outcome.killed_by == "memory":
            return f"compilation exceeded the memory limit of {limits.memory_mb} MiB", "memory", False
        if outcome.killed_by is not None or outcome.cpu_time > limits.time:
            fired: LimitName = "wall" if outcome.killed_by == "wall" else "cpu"
            return f"compilation exceeded the time limit of {limits.time:g} s", fired, False
        if any(size > limits.output_bytes for size in outcome.file_sizes.values()) or outcome.signal == 25:
            return f"the compiler's output exceeded {limits.output_bytes} bytes", "output", False
        if outcome.signal is not None:
            return f"the compiler was killed by {signal_name(outcome.signal)} (a resource limit)", None, False
        if outcome.exit_code != 0:
            return f"the compiler exited with code {outcome.exit_code}", None, True
        return None, None, True

    # ------------------------------------------------------------------ run
    def run(self, executable: Executable, *, stdin: bytes | str | PipeEnd | None = None,
            files: dict[str, bytes] | None = None, limits: Limits | None = None,
            collect: tuple[str, ...] = (), stdout: PipeEnd | None = None,
            argv_extra: tuple[str, ...] = (), companion: bool = False) -> RunResult:
        """Runs a compiled program once. `files` are extra inputs placed beside it (file
        I/O problems write `input.txt`); `collect` names files to bring back. `companion`
        marks the second half of a pair (an interactor) that must not wait for a slot."""
        lang = get_language(executable.language)
        limits = limits or Limits()
        request = self.run_request(executable, stdin=stdin, files=files, limits=limits, collect=collect,
                                   stdout=stdout, argv_extra=argv_extra, companion=companion)
        outcome = self.execute(request)
        return self.result_from(outcome, limits, lang.id, lang.memory_error_markers,
                                executable.toolchain, tuple(collect), lang.process_limit_markers)

    def run_many(self, executable: Executable, inputs: Sequence[tuple[bytes | None, dict[str, bytes], tuple[str, ...]]],
                 limits: Limits) -> list[RunResult]:
        """`run` for many independent inputs (stdin, files, files to collect) of one
        program, through `execute_many`: one round trip on a remote backend."""
        lang = get_language(executable.language)
        outcomes = self.execute_many([self.run_request(executable, stdin=stdin, files=files, limits=limits,
                                                       collect=collect) for stdin, files, collect in inputs])
        return [self.result_from(outcome, limits, lang.id, lang.memory_error_markers, executable.toolchain,
                                 collect, lang.process_limit_markers)
                for outcome, (_, _, collect) in zip(outcomes, inputs)]

    def run_pair(self, executable: Executable, interactor: Executable, *, limits: Limits,
                 interactor_limits: Limits, interactor_files: dict[str, bytes], interactor_args: tuple[str, ...],
                 interactor_collect: tuple[str, ...], companions: Executor) -> tuple[RunResult, RunResult]:
        """A solution and its interactor, wired to each other (`execute_pair`)."""
        solution_lang, interactor_lang = get_language(executable.language), get_language(interactor.language)
        outcomes = self.execute_pair(
            self.run_request(executable, limits=limits),
            self.run_request(interactor, files=interactor_files, limits=interactor_limits,
                             argv_extra=interactor_args, collect=interactor_collect),
            companions)
        return (self.result_from(outcomes[0], limits, solution_lang.id, solution_lang.memory_error_markers,
                                 executable.toolchain, (), solution_lang.process_limit_markers),
                self.result_from(outcomes[1], interactor_limits, interactor_lang.id,
                                 interactor_lang.memory_error_markers, interactor.toolchain,
                                 interactor_collect, interactor_lang.process_limit_markers))

    @staticmethod
    def run_request(executable: Executable, *, stdin: bytes | str | PipeEnd | None = None,
                    files: dict[str, bytes] | None = None, limits: Limits | None = None,
                    collect: tuple[str, ...] = (), stdout: PipeEnd | None = None,
                    argv_extra: tuple[str, ...] = (), companion: bool = False) -> ExecRequest:
        """The process description `run` executes: how a language's limits map onto
        rlimits, watchdog limits and captures, in one place for every backend."""
        lang = get_language(executable.language)
        limits = limits or Limits()
        if isinstance(stdin, str):
            stdin = stdin.encode()
        program_files = dict(files or {})
        program_files.update(executable.files)
        return ExecRequest(
            argv=lang.run_command(executable.entry, limits) + list(argv_extra),
            files=program_files,
            executable_files=frozenset(executable.files),
            stdin=stdin, stdout=stdout, env=dict(PROGRAM_ENV),
            cpu_limit=limits.cpu_time, wall_limit=limits.effective_wall_time,
            address_space=lang.address_space_bytes(limits.memory_mb),
            stack=limits.stack_bytes, processes=limits.processes,
            file_size=limits.output_bytes + 1, open_files=limits.open_files,
            stdout_capture=limits.output_bytes, stderr_capture=64 << 10,
            collect=tuple(collect), collect_capture=limits.output_bytes,
            memory_limit=limits.memory_bytes, companion=companion, zygote=lang.zygote_command,
        )

    def result_from(self, outcome: ExecOutcome, limits: Limits, language: str | None,
                    markers: tuple[bytes, ...], toolchain: str | None,
                    output_files: tuple[str, ...] = (), process_markers: tuple[bytes, ...] = ()) -> RunResult:
        status, limit, message = classify(outcome, limits, markers, output_files, process_markers)
        stdout_total = outcome.stdout_size or 0
        return RunResult(
            status=status, exit_code=outcome.exit_code, signal=outcome.signal,
            signal_name=signal_name(outcome.signal), cpu_time=round(outcome.cpu_time, 6),
            wall_time=round(outcome.wall_time, 6), memory_bytes=outcome.memory_bytes,
            limit_fired=limit, message=message, stdout=outcome.stdout[: limits.output_bytes],
            stderr=outcome.stderr, stdout_truncated=stdout_total > len(outcome.stdout),
            stderr_truncated=outcome.stderr_size > len(outcome.stderr), stdout_bytes=stdout_total,
            files=outcome.files, limits=limits, backend=self.name, sandboxed=self.sandboxed,
            language=language, toolchain=toolchain, prestarted=outcome.prestarted,
        )

    def run_source(self, source: str | bytes, language: str | Language, *, limits: Limits | None = None,
                   stdin: bytes | str | None = None, compile_limits: CompileLimits | None = None
                   ) -> tuple[CompileResult, RunResult | None]:
        compiled = self.compile(source, language, compile_limits)
        if not compiled.ok:
            return compiled, None
        assert compiled.executable is not None  # an OK compile has its program
        return compiled, self.run(compiled.executable, stdin=stdin, limits=limits)


def _checked_extra_files(extra_files: dict[str, bytes] | None, source_file: str) -> dict[str, bytes]:
    """Extra files land in the box beside the source: relative paths that stay inside it
    and do not replace the source itself."""
    checked: dict[str, bytes] = {}
    for name, data in (extra_files or {}).items():
        path = PurePosixPath(name)
        if (not name or "\0" in name or path.is_absolute() or ".." in path.parts or str(path) in (".", "")
                or str(path) == source_file):
            raise ValueError(f"invalid extra file name {name!r}: a relative path inside the box, "
                             f"other than the source file {source_file!r}")
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"extra file {name!r} must be bytes, got {type(data).__name__}")
        checked[str(path)] = bytes(data)
    return checked


def _extra_files_digest(extras: dict[str, bytes]) -> tuple[str, ...]:
    return tuple(f"extra:{name}:{hashlib.sha256(extras[name]).hexdigest()}" for name in sorted(extras))


__all__ = ["Backend", "SandboxUnavailable", "PROGRAM_ENV", "Verdict"]

"""`POST /run_code`, shaped like SandboxFusion's, so verl's sandbox integration works by
changing only its URL.

verl sends one request per test with the same code each time; here identical code
compiles once (the judge's compile cache), which is most of the speed-up verl gets for free.
Statuses follow SandboxFusion's meaning, because verl's client branches on them:
`Success` only for a program that ran and exited 0; `Failed` for compile errors, time-outs
and crashes; `SandboxError` only when the sandbox itself failed (verl scores that -1, an
API error, not a wrong answer). SandboxFusion has no memory or output verdicts, so MLE and
OLE come back as a finished run with a non-zero return code, and our verdict rides along in
the extra `cpforge` field."""

from __future__ import annotations

import base64
import binascii
import re
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.judge.judging import Judge
from sandbox.languages import UnknownLanguage, get_language
from sandbox.limits import Limits
from sandbox.result import RunResult, Verdict
from sandbox.server.metrics import Metrics
from sandbox.server.models import MAX_MEMORY_MB, MAX_SECONDS
from sandbox.server.settings import ServerSettings

DEFAULT_MEMORY_MB = 1024
OUTPUT_BYTES = 8 << 20


class RunCodeRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    code: str = Field(max_length=1 << 20)
    language: str = "python"
    stdin: str | None = None
    compile_timeout: float = Field(10, gt=0, le=MAX_SECONDS)
    run_timeout: float = Field(10, gt=0, le=MAX_SECONDS)
    memory_limit_MB: int = Field(-1, le=MAX_MEMORY_MB)
    files: dict[str, str | None] = Field(default_factory=dict, description="name -> base64 content")
    fetch_files: list[str] = Field(default_factory=list)


class CommandRunResult(BaseModel):
    status: Literal["Finished", "Error", "TimeLimitExceeded"]
    execution_time: float | None = None
    return_code: int | None = None
    stdout: str | None = None
    stderr: str | None = None


class RunCodeResponse(BaseModel):
    status: Literal["Success", "Failed", "SandboxError"]
    message: str = ""
    compile_result: CommandRunResult | None = None
    run_result: CommandRunResult | None = None
    executor_pod_name: str | None = None
    files: dict[str, str] = Field(default_factory=dict)
    cpforge: dict[str, object] | None = Field(None, description="cpforge's own verdict and measurements")


def _plain(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..") and "\0" not in name


def _return_code(run: RunResult) -> int | None:
    """Python's convention, which SandboxFusion reports: the exit code, or -signal."""
    if run.exit_code is not None and run.exit_code != 0:
        return run.exit_code
    if run.signal:
        return -run.signal
    return run.exit_code if run.status is Verdict.OK else 1


def run_code(judge: Judge, request: RunCodeRequest, settings: ServerSettings,
             metrics: Metrics | None = None) -> RunCodeResponse:
    """Compiles (cached) and runs the code once. Never raises: a failure of ours is a
    SandboxError response with its reason."""
    started = time.monotonic()
    try:
        response, verdict, cached = _run_code(judge, request, settings)
    except Exception as exc:  # this request only
        response, verdict, cached = RunCodeResponse(status="SandboxError", message=f"{type(exc).__name__}: {exc}"), \
            "SANDBOX_ERROR", None
    if metrics is not None:
        metrics.record_submission(f"run_{verdict}", 0.0, time.monotonic() - started, cached)
        metrics.record_runs(int(response.run_result is not None))
    return response


def _run_code(judge: Judge, request: RunCodeRequest,
              settings: ServerSettings) -> tuple[RunCodeResponse, str, bool | None]:
    try:
        language = get_language(request.language)
    except UnknownLanguage:
        return RunCodeResponse(status="SandboxError", message=f"unsupported language {request.language!r}"), \
            "UNSUPPORTED", None
    files: dict[str, bytes] = {}
    for name, content in request.files.items():
        if not _plain(name) or not all(_plain(n) for n in request.fetch_files):
            return RunCodeResponse(status="SandboxError", message=f"file names must be plain names: {name!r}"), \
                "INVALID", None
        try:
            files[name] = base64.b64decode(content or "", validate=True)
        except (binascii.Error, ValueError):
            return RunCodeResponse(status="SandboxError", message=f"file {name!r} is not valid base64"), \
                "INVALID", None
    interpreted = language.interpreted
    # SandboxFusion has no compile step for interpreted languages: a syntax error is the run's
    # crash. So no syntax check runs here (it would cost a sandboxed run of its own per
    # distinct source, which cache-free RL traffic pays on every request); the run says it.
    compiled = judge.compile(request.code, language, syntax_check=not interpreted)
    if compiled.status is Verdict.SANDBOX_ERROR:
        return RunCodeResponse(status="SandboxError", message=compiled.reason), "SANDBOX_ERROR", None
    compile_result = None
    if not interpreted:
        timed_out = compiled.limit_fired in ("cpu", "wall")
        compile_result = CommandRunResult(
            status="TimeLimitExceeded" if timed_out else "Finished", execution_time=compiled.time,
            return_code=0 if compiled.ok else 1, stdout="", stderr=compiled.diagnostics)
    if not compiled.ok:
        if interpreted:  # SandboxFusion has no compile step for Python: a syntax error is a crash
            run_result = CommandRunResult(status="Finished", execution_time=0.0, return_code=1, stdout="",
                                          stderr=compiled.diagnostics)
            return RunCodeResponse(status="Failed", message=compiled.reason, run_result=run_result,
                                   cpforge={"verdict": "CE"}), "CE", compiled.cached
        return RunCodeResponse(status="Failed", message=compiled.reason, compile_result=compile_result,
                               cpforge={"verdict": "CE"}), "CE", compiled.cached
    seconds = min(request.run_timeout, settings.max_time_limit)
    memory = request.memory_limit_MB if request.memory_limit_MB > 0 else DEFAULT_MEMORY_MB
    limits = Limits(cpu_time=seconds, wall_time=seconds, memory_mb=max(4, min(memory, settings.max_memory_limit)),
                    output_bytes=OUTPUT_BYTES)
    assert compiled.executable is not None  # an OK compile has its program
    run = judge.run(compiled.executable, stdin=request.stdin, files=files, limits=limits,
                    collect=tuple(request.fetch_files))
    verdict = run.status.value
    if interpreted and run.status is Verdict.RE and is_syntax_error(run.stderr):
        verdict = "CE"  # what the judge would call it (its syntax check fails the same way)
    extra = {"verdict": verdict, "cpu_time": run.cpu_time, "wall_time": run.wall_time,
             "memory": run.memory_bytes, "compile_cached": compiled.cached}
    if run.status is Verdict.SANDBOX_ERROR:
        return RunCodeResponse(status="SandboxError", message=run.message, compile_result=compile_result,
                               cpforge=extra), run.status.value, compiled.cached
    run_result = CommandRunResult(
        status="TimeLimitExceeded" if run.status is Verdict.TLE else "Finished", execution_time=run.wall_time,
        return_code=_return_code(run), stdout=run.stdout.decode("utf-8", errors="replace"),
        stderr=run.stderr.decode("utf-8", errors="replace"))
    fetched = {name: base64.b64encode(data).decode() for name, data in run.files.items()}
    status = "Success" if run.status is Verdict.OK else "Failed"
    return RunCodeResponse(status=status, message=run.message, compile_result=compile_result, run_result=run_result,
                           files=fetched, cpforge=extra), verdict, compiled.cached


_SYNTAX_ERROR = re.compile(rb'\A  File "[^"\n]*", line \d+\n(?:.*\n)*?(?:SyntaxError|IndentationError|TabError): ')


def is_syntax_error(stderr: bytes) -> bool:
    """Whether a Python run's stderr is the interpreter refusing to compile the script: the
    report has no "Traceback" header (a SyntaxError raised at run time, by `exec` or
    `compile` in the program, has one)."""
    return _SYNTAX_ERROR.match(stderr) is not None


__all__ = ["CommandRunResult", "RunCodeRequest", "RunCodeResponse", "run_code"]

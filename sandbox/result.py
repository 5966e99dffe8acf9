"""What a run or a compilation produced, like isolate's meta file but typed."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from sandbox.limits import Limits


class Status(str, Enum):
    OK = "OK"
    TLE = "TLE"
    MLE = "MLE"
    RE = "RE"
    OLE = "OLE"
    SANDBOX_ERROR = "SANDBOX_ERROR"


LimitName = Literal["cpu", "wall", "memory", "output", "processes"]


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


class RunResult(BaseModel):
    """Everything known about one run. `status` is the verdict; SANDBOX_ERROR means the
    sandbox itself failed and says nothing about the program."""

    model_config = ConfigDict(frozen=True)

    status: Status
    exit_code: int | None = None
    signal: int | None = None
    signal_name: str | None = None
    cpu_time: float = 0.0
    wall_time: float = 0.0
    memory_bytes: int = 0
    limit_fired: LimitName | None = None
    message: str = ""
    stdout: bytes = b""
    stderr: bytes = b""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    stdout_bytes: int = 0
    files: dict[str, bytes] = Field(default_factory=dict)
    limits: Limits | None = None
    backend: str = ""
    sandboxed: bool = True
    language: str | None = None
    toolchain: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @property
    def stdout_text(self) -> str:
        return _text(self.stdout)

    @field_serializer("stdout", "stderr", when_used="json")
    def _bytes_as_text(self, value: bytes) -> str:
        return _text(value)

    @field_serializer("files", when_used="json")
    def _files_as_text(self, value: dict[str, bytes]) -> dict[str, str]:
        return {name: _text(data) for name, data in value.items()}


class Executable(BaseModel):
    """A compiled program: the files to place in a box and how to start them. Plain data,
    so any backend (local, Docker, E2B) can materialise it."""

    model_config = ConfigDict(frozen=True)

    language: str
    files: dict[str, bytes]
    entry: str = Field(description="the file or class a language's run command starts")
    digest: str
    toolchain: str | None = None


class CompileStatus(str, Enum):
    OK = "OK"
    CE = "CE"
    SANDBOX_ERROR = "SANDBOX_ERROR"


class CompileResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: CompileStatus
    executable: Executable | None = None
    diagnostics: str = ""
    diagnostics_truncated: bool = False
    reason: str = Field("", description="why compilation failed: exit code, time, memory, output size")
    time: float = 0.0
    memory_bytes: int = 0
    language: str = ""
    toolchain: str | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.status is CompileStatus.OK

    @field_serializer("executable", when_used="json")
    def _hide_binary(self, value: Executable | None) -> dict[str, str | list[str]] | None:
        if value is None:
            return None
        return {"language": value.language, "entry": value.entry, "digest": value.digest,
                "files": sorted(value.files)}

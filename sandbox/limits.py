"""Resource limits for one run and for one compilation.

Units are in the field names so a JSON request is unambiguous. Defaults follow Codeforces:
the stack may grow as large as the memory limit, because contest solutions recurse deeply.
CPU time and memory are the whole process tree's, as isolate and Codeforces count them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

MiB = 1 << 20


class Limits(BaseModel):
    """Limits for running a program on one test (isolate's -t/-w/-m/-k/-p/-f/-n)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cpu_time: float = Field(2.0, gt=0, le=600, allow_inf_nan=False,
                            description="CPU seconds (user + system) of the whole process tree")
    wall_time: float | None = Field(
        None, gt=0, le=3600, allow_inf_nan=False,
        description="wall-clock seconds; default 2 x CPU + 1 s, for programs that sleep or block"
    )
    memory_mb: float = Field(256, ge=1 / 1024, le=65536, allow_inf_nan=False,
                             description="peak memory of the whole process tree in MiB (at least 1 KiB)")
    stack_mb: int | None = Field(None, ge=1, le=65536,
                                 description="main-thread stack in MiB; default: unlimited, so as large as memory")
    processes: int = Field(64, ge=1, le=4096, description="processes and threads, the program's own included")
    output_bytes: int = Field(64 * MiB, ge=1, description="stdout and any file the program writes")
    open_files: int = Field(128, ge=8, le=65536)

    @property
    def effective_wall_time(self) -> float:
        return self.wall_time if self.wall_time is not None else 2 * self.cpu_time + 1

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mb * MiB)

    @property
    def effective_stack_mb(self) -> float:
        return self.stack_mb if self.stack_mb is not None else self.memory_mb

    @property
    def stack_bytes(self) -> int | None:
        """RLIMIT_STACK, or None (unlimited) for the default: see the backends' rlimits."""
        return self.stack_mb * MiB if self.stack_mb is not None else None

    @model_validator(mode="after")
    def _wall_covers_cpu(self) -> "Limits":
        if self.wall_time is not None and self.wall_time < self.cpu_time:
            raise ValueError("wall_time must be at least cpu_time")
        return self


class CompileLimits(BaseModel):
    """Compilers read hostile input too (template bombs, `#include "/dev/random"`), so they
    run sandboxed under their own, more generous limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time: float = Field(30.0, gt=0, le=600, description="wall and CPU seconds for the whole compilation")
    memory_mb: int = Field(2048, ge=64, le=65536)
    processes: int = Field(64, ge=4, le=4096)
    diagnostics_bytes: int = Field(64 * 1024, ge=256, description="compiler messages kept; the rest is cut")
    output_bytes: int = Field(256 * MiB, ge=MiB, description="largest file the compiler may write")

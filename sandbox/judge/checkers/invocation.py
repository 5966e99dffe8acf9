"""What a sandboxed checker run needs, as plain data: files to place in its working
directory and the arguments to pass after the program. The sandbox layer runs it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CheckerInvocation(BaseModel):
    model_config = ConfigDict(frozen=True)

    files: dict[str, bytes] = Field(repr=False)
    args: list[str]
    time_limit: float | None = None
    memory_limit: int | None = Field(None, description="MB; None: the checkers' default")

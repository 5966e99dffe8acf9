"""What a run or a compilation produced, like isolate's meta file but typed."""

from __future__ import annotations

from enum import Enum
from typing import Annotated
from typing import Callable, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_serializer

from sandbox.limits import Limits


class Verdict(str, Enum):
    """The one verdict vocabulary, at every level of judging, like DMOJ's single `Result`.
    Each level uses the part that means something there, and says the rest in fields:

    ==================  ==========================================  =========================
    level               verdicts                                    distinctions as fields
    ==================  ==========================================  =========================
    a run               OK TLE MLE RE OLE SANDBOX_ERROR              `limit_fired`, `signal`
    a compilation       OK CE SANDBOX_ERROR                          `limit_fired`, `reason`
    a checker's word    AC WA JUDGE_ERROR                            `points`, `presentation`
    a test              AC WA TLE MLE RE OLE JUDGE_ERROR SKIPPED     `points`, `message`
    a submission        AC WA TLE MLE RE OLE CE JUDGE_ERROR          `score`, `passed`
    ==================  ==========================================  =========================

    OK says a program ran (or compiled) to its end within its limits, nothing about its
    output; AC says the output was accepted. SANDBOX_ERROR is one failed attempt of the
    sandbox; JUDGE_ERROR is what judging concludes when the sandbox, a checker or the test
    data failed after the retry: neither ever says anything about the program. SKIPPED is a
    test the judge cancelled or never started. The values are the wire strings of the JSON
    answers and of the dataset's columns."""

    OK = "OK"
    AC = "AC"
    WA = "WA"
    TLE = "TLE"
    MLE = "MLE"
    RE = "RE"
    OLE = "OLE"
    CE = "CE"
    JUDGE_ERROR = "JUDGE_ERROR"
    SANDBOX_ERROR = "SANDBOX_ERROR"
    SKIPPED = "SKIPPED"


RUN_VERDICTS = frozenset({Verdict.OK, Verdict.TLE, Verdict.MLE, Verdict.RE, Verdict.OLE, Verdict.SANDBOX_ERROR})
COMPILE_VERDICTS = frozenset({Verdict.OK, Verdict.CE, Verdict.SANDBOX_ERROR})
CHECK_VERDICTS = frozenset({Verdict.AC, Verdict.WA, Verdict.JUDGE_ERROR})
TEST_VERDICTS = frozenset({Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.MLE, Verdict.RE, Verdict.OLE,
                           Verdict.JUDGE_ERROR, Verdict.SKIPPED})
SUBMISSION_VERDICTS = frozenset({Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.MLE, Verdict.RE, Verdict.OLE,
                                 Verdict.CE, Verdict.JUDGE_ERROR})


def _one_of(allowed: frozenset[Verdict], level: str) -> Callable[[Verdict], Verdict]:
    """A field validator keeping a level's verdict within its part of the vocabulary, so a
    run can never claim AC, nor a test CE."""

    def check(value: Verdict) -> Verdict:
        if value not in allowed:
            names = " ".join(sorted(v.value for v in allowed))
            raise ValueError(f"{value.value} is not a verdict of {level} (one of {names})")
        return value

    return check


LimitName = Literal["cpu", "wall", "memory", "output", "processes"]


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


class RunResult(BaseModel):
    """Everything known about one run. `status` is the verdict; SANDBOX_ERROR means the
    sandbox itself failed and says nothing about the program."""

    model_config = ConfigDict(frozen=True)

    status: Annotated[Verdict, AfterValidator(_one_of(RUN_VERDICTS, "a run"))]
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
    prestarted: bool = Field(False, description="forked from a pre-started interpreter (a zygote): "
                                                "cpu_time and wall_time then leave out the interpreter's start-up")

    @property
    def ok(self) -> bool:
        return self.status is Verdict.OK

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


class CompileResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Annotated[Verdict, AfterValidator(_one_of(COMPILE_VERDICTS, "a compilation"))]
    executable: Executable | None = None
    diagnostics: str = ""
    diagnostics_truncated: bool = False
    reason: str = Field("", description="why compilation failed: exit code, time, memory, output size")
    limit_fired: LimitName | None = Field(None, description="the compiler's limit that stopped it, if one did")
    time: float = 0.0
    memory_bytes: int = 0
    language: str = ""
    toolchain: str | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.status is Verdict.OK

    @field_serializer("executable", when_used="json")
    def _hide_binary(self, value: Executable | None) -> dict[str, str | list[str]] | None:
        if value is None:
            return None
        return {"language": value.language, "entry": value.entry, "digest": value.digest,
                "files": sorted(value.files)}


class TestResult(BaseModel):
    """One test's outcome: what the judge returns, the server answers and the dataset's
    state keeps, in the one shape. `memory` is the peak in bytes; `points` is set only
    when a checker gave partial credit."""

    __test__ = False  # not a pytest test class, despite the name
    model_config = ConfigDict(frozen=True)

    name: str
    verdict: Annotated[Verdict, AfterValidator(_one_of(TEST_VERDICTS, "a test"))]
    is_sample: bool = False
    cpu_time: float = 0.0
    wall_time: float = 0.0
    memory: int = Field(0, description="peak bytes")
    message: str = ""
    points: float | None = None


class JudgeResult(BaseModel):
    """A submission's judgement: the verdict of its first failing test (or AC), its score
    under the chosen scoring, the compilation and every test's result."""

    model_config = ConfigDict(frozen=True)

    verdict: Annotated[Verdict, AfterValidator(_one_of(SUBMISSION_VERDICTS, "a submission"))]
    score: float
    passed: int
    total: int
    language: str
    toolchain: str | None = None
    compile: CompileResult
    tests: list[TestResult] = Field(default_factory=list)
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.AC

    @property
    def executed(self) -> int:
        """Tests that actually ran (skipped ones excluded)."""
        return sum(test.verdict is not Verdict.SKIPPED for test in self.tests)

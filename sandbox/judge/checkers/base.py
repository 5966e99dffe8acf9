"""The result type every checker returns, plus the small text helpers they share.

Checkers are pure functions of (input, output, answer) bytes so they can be tested without
a sandbox and reused by any layer (judge, dataset builder, RL reward)."""

from __future__ import annotations

import re
from typing import Annotated, Callable, Iterator, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict

from sandbox.result import CHECK_VERDICTS, Verdict

UTF8_BOM = b"\xef\xbb\xbf"

# testlib treats exactly these four bytes as blanks; \v, \f and NUL are token characters.
_TOKEN_RE = re.compile(rb"[^ \t\r\n]+")
_BLANKS_RE = re.compile(rb"[ \t\r\n]+")

MAX_MESSAGE_CHARS = 4096


def _checker_verdict(value: Verdict) -> Verdict:
    if value not in CHECK_VERDICTS:
        raise ValueError(f"{value.value} is not a checker's verdict (AC, WA or JUDGE_ERROR)")
    return value


class CheckerOutcome(BaseModel):
    """One checker's word on one test, in the one verdict vocabulary: AC, WA, or JUDGE_ERROR
    when the judge's side (the checker, the answer file, ...) is broken, which must never
    become WA. testlib's finer distinctions are fields: `presentation` marks a WA it calls
    "wrong output format" (PE), and `points` is set only for partial credit (testlib's exit
    7), with AC for positive points and WA for none."""

    model_config = ConfigDict(frozen=True)

    verdict: Annotated[Verdict, AfterValidator(_checker_verdict)]
    message: str = ""
    points: float | None = None
    presentation: bool = False

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.AC

    @property
    def rejected(self) -> bool:
        """The contestant's output is wrong; never true for a judge failure."""
        return self.verdict is Verdict.WA

    @property
    def judge_error(self) -> bool:
        return self.verdict is Verdict.JUDGE_ERROR

    @property
    def partial(self) -> bool:
        return self.points is not None

    @property
    def testlib_code(self) -> int:
        """The exit code a testlib checker gives for this outcome: 0 OK, 1 WA, 2 PE,
        3 FAIL, 7 partial."""
        if self.partial:
            return 7
        if self.verdict is Verdict.AC:
            return 0
        if self.verdict is Verdict.WA:
            return 2 if self.presentation else 1
        return 3


class CheckFunction(Protocol):
    """The call signature of every built-in checker."""

    def __call__(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome: ...


def ok(message: str = "") -> CheckerOutcome:
    return CheckerOutcome(verdict=Verdict.AC, message=clip(message))


def wa(message: str) -> CheckerOutcome:
    return CheckerOutcome(verdict=Verdict.WA, message=clip(message))


def pe(message: str) -> CheckerOutcome:
    return CheckerOutcome(verdict=Verdict.WA, message=clip(message), presentation=True)


def fail(message: str) -> CheckerOutcome:
    return CheckerOutcome(verdict=Verdict.JUDGE_ERROR, message=clip(message))


def partial(points: float, message: str = "") -> CheckerOutcome:
    return CheckerOutcome(verdict=Verdict.AC if points else Verdict.WA, message=clip(message), points=points)


def missing_answer(where: str = "") -> CheckerOutcome:
    """No answer means the test data is broken, which is the judge's fault (testlib: FAIL)."""
    suffix = f": {where}" if where else ""
    return fail(f"Answer file not found{suffix}")


def clip(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Keep messages bounded: they end up in JSON reports for thousands of tests."""
    return message if len(message) <= limit else message[: limit - 3] + "..."


def strip_bom(data: bytes) -> bytes:
    """testlib skips a UTF-8 BOM at the start of a stream; Windows editors add one."""
    return data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data


def iter_tokens(data: bytes) -> Iterator[bytes]:
    """Whitespace-separated tokens, produced lazily so a huge output costs no huge list."""
    return (match.group() for match in _TOKEN_RE.finditer(data))


def normalize_blanks(data: bytes) -> bytes:
    """All tokens joined by one space: equal normalised forms mean equal token sequences.
    Runs at C speed, so the common accepted case never loops in Python."""
    return _BLANKS_RE.sub(b" ", data).strip(b" \t\r\n")


def count_tokens(normalized: bytes) -> int:
    """Token count of a `normalize_blanks` result."""
    return normalized.count(b" ") + 1 if normalized else 0


def english_ending(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st: the ordinal suffix testlib prints."""
    if (n // 10) % 10 == 1:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def compress(token: bytes | str, limit: int = 64) -> str:
    """Shorten a long token for a message (head ... tail), as testlib's messages do."""
    text = token.decode("utf-8", errors="replace") if isinstance(token, bytes) else token
    if len(text) <= limit:
        return text
    return text[:30] + "..." + text[-31:]


CheckerFactory = Callable[..., CheckFunction]

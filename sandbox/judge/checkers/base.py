"""The result type every checker returns, plus the small text helpers they share.

Checkers are pure functions of (input, output, answer) bytes so they can be tested without
a sandbox and reused by any layer (judge, dataset builder, RL reward)."""

from __future__ import annotations

import re
from enum import Enum
from typing import Callable, Iterator, Protocol

from pydantic import BaseModel, ConfigDict

UTF8_BOM = b"\xef\xbb\xbf"

# testlib treats exactly these four bytes as blanks; \v, \f and NUL are token characters.
_TOKEN_RE = re.compile(rb"[^ \t\r\n]+")
_BLANKS_RE = re.compile(rb"[ \t\r\n]+")

MAX_MESSAGE_CHARS = 4096


class CheckerVerdict(str, Enum):
    """What a checker concluded. PE is reported separately but counts as WA in a summary;
    FAIL means the judge (checker, answer file, ...) is broken and must never become WA."""

    OK = "OK"
    WA = "WA"
    PE = "PE"
    FAIL = "FAIL"
    PARTIAL = "PARTIAL"


class CheckerOutcome(BaseModel):
    """One checker's verdict on one test. `points` is set only for PARTIAL (testlib exit 7)."""

    model_config = ConfigDict(frozen=True)

    verdict: CheckerVerdict
    message: str = ""
    points: float | None = None

    @property
    def ok(self) -> bool:
        return self.verdict is CheckerVerdict.OK

    @property
    def rejected(self) -> bool:
        """The contestant's output is wrong (WA or PE); never true for a judge failure."""
        return self.verdict in (CheckerVerdict.WA, CheckerVerdict.PE)

    @property
    def judge_error(self) -> bool:
        return self.verdict is CheckerVerdict.FAIL


class CheckFunction(Protocol):
    """The call signature of every built-in checker."""

    def __call__(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome: ...


def ok(message: str = "") -> CheckerOutcome:
    return CheckerOutcome(verdict=CheckerVerdict.OK, message=clip(message))


def wa(message: str) -> CheckerOutcome:
    return CheckerOutcome(verdict=CheckerVerdict.WA, message=clip(message))


def pe(message: str) -> CheckerOutcome:
    return CheckerOutcome(verdict=CheckerVerdict.PE, message=clip(message))


def fail(message: str) -> CheckerOutcome:
    return CheckerOutcome(verdict=CheckerVerdict.FAIL, message=clip(message))


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

"""`lines`: line-by-line comparison, modelled on testlib `fcmp` but forgiving layout noise
that no problem setter means to grade: CRLF, trailing spaces and trailing empty lines.

With `split_tokens` each line is compared as a token sequence (testlib `lcmp`)."""

from __future__ import annotations

import re
from itertools import zip_longest
from typing import Literal

from sandbox.judge.checkers.base import CheckerOutcome, compress, english_ending, missing_answer, ok, pe, strip_bom, wa
from sandbox.judge.checkers.interface import BuiltinChecker, CheckerSpecBase
from sandbox.judge.checkers.registry import register


class LinesSpec(CheckerSpecBase):
    """Line by line; trailing whitespace on each line and trailing empty lines ignored.
    With `split_tokens`, each line is compared as a token sequence (testlib `lcmp`)."""

    type: Literal["lines"] = "lines"
    split_tokens: bool = False


_BLANKS = re.compile(rb"[ \t\r\n]+")


def _lines(data: bytes) -> list[bytes]:
    """Lines with trailing whitespace (incl. the CR of CRLF) removed and trailing empty
    lines dropped. The result is a list because line counts are far smaller than tokens."""
    lines = [line.rstrip(b" \t\r") for line in strip_bom(data).split(b"\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _squeeze(line: bytes) -> bytes:
    return _BLANKS.sub(b" ", line).strip(b" ")


def check_lines(input: bytes, output: bytes, answer: bytes | None, *,
                split_tokens: bool = False) -> CheckerOutcome:
    if answer is None:
        return missing_answer()
    n = 0
    last = b""
    for expected, found in zip_longest(_lines(answer), _lines(output)):
        if expected is None:
            # The answer is exhausted but non-blank output remains: testlib's end-of-check
            # test reports this as a presentation error.
            return pe("Extra information in the output file")
        if found is None:
            return wa("Unexpected EOF in the participants output")
        n += 1
        last = expected
        same = _squeeze(expected) == _squeeze(found) if split_tokens else expected == found
        if not same:
            return wa(f"{n}{english_ending(n)} lines differ - expected: '{compress(expected)}', "
                      f"found: '{compress(found)}'")
    if n == 1:
        return ok(f"single line: '{compress(last)}'")
    return ok(f"{n} lines")


class LinesChecker(BuiltinChecker[LinesSpec]):
    def compare(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
        return check_lines(input, output, answer, split_tokens=self.spec.split_tokens)


register(LinesSpec, LinesChecker)

"""`float`: token-by-token comparison where numbers match within an absolute-or-relative
tolerance, like testlib's `rcmp*` family, and non-numeric tokens must match exactly.

Numbers are compared as exact decimals parsed from their text, so the tolerance boundary
is exact (1.000001 vs 1 at eps 1e-6 is accepted; 1.0000010001 is not) rather than at the
mercy of binary rounding. Special cases:
- `nan` only matches `nan`; `inf`/`-inf` only match an infinity of the same sign (any case,
  `infinity` spelling accepted), as testlib's doubleCompare does;
- a numeric-looking token too large for a double (e.g. `1e400`) is compared as text, since
  no double-based checker could read it;
- only plain decimal notation counts as a number: `0x10`, `1_000` are text tokens."""

from __future__ import annotations

import re
import sys
from decimal import Decimal, localcontext
from itertools import zip_longest
from typing import Literal, Union

from pydantic import Field

from sandbox.judge.checkers.base import (
    CheckerOutcome, compress, count_tokens, english_ending, iter_tokens, missing_answer,
    normalize_blanks, ok, pe, strip_bom, wa)
from sandbox.judge.checkers.interface import BuiltinChecker, CheckerSpecBase
from sandbox.judge.checkers.registry import register


class FloatSpec(CheckerSpecBase):
    """Token by token; numbers within `eps` (absolute, or relative to the answer unless
    `relative` is false) are equal; other tokens compared exactly."""

    type: Literal["float"] = "float"
    eps: float = Field(default=1e-6, gt=0, lt=1)
    relative: bool = True


_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SPECIAL = re.compile(rb"([+-]?)(nan|inf|infinity)", re.IGNORECASE)
_DOUBLE_MAX = Decimal(sys.float_info.max)
# Enough digits that rounding in a subtraction can never move a result across eps.
_PRECISION = 200

Special = Literal["nan", "+inf", "-inf"]
Number = Union[Decimal, Special]


def parse_number(token: bytes) -> Number | None:
    """The token's numeric value, or None when it must be compared as text."""
    if _NUMBER.fullmatch(token):
        value = Decimal(token.decode("ascii"))
        return value if abs(value) <= _DOUBLE_MAX else None
    special = _SPECIAL.fullmatch(token)
    if special:
        if special.group(2).lower() == b"nan":
            return "nan"
        return "-inf" if special.group(1) == b"-" else "+inf"
    return None


def within(expected: Decimal, found: Decimal, eps: Decimal, relative: bool) -> bool:
    """|found - expected| <= eps, or <= eps * |expected| when relative error is allowed."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        error = abs(found - expected)
        if error <= eps:
            return True
        return relative and error <= eps * abs(expected)


def _error_text(expected: Decimal, found: Decimal) -> str:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        absolute = abs(found - expected)
        text = f"absolute error {float(absolute):.6g}"
        if expected:
            text += f", relative error {float(absolute / abs(expected)):.6g}"
        return text


def check_float(input: bytes, output: bytes, answer: bytes | None, *, eps: float = 1e-6,
                relative: bool = True) -> CheckerOutcome:
    if answer is None:
        return missing_answer()
    out, ans = strip_bom(output), strip_bom(answer)
    eps_dec = Decimal(repr(eps))
    if normalize_blanks(out) == normalize_blanks(ans):
        return ok(_count_text(count_tokens(normalize_blanks(ans))))
    n = 0
    for expected, found in zip_longest(iter_tokens(ans), iter_tokens(out)):
        if expected is None:
            # testlib's rcmp stops reading at the end of the answer; leftover output is
            # caught by its end-of-check test as a presentation error.
            return pe("Extra information in the output file")
        if found is None:
            return wa(f"Unexpected EOF in the participants output: expected {n + 1}"
                      f"{english_ending(n + 1)} token '{compress(expected)}'")
        n += 1
        if expected == found:
            continue
        verdict = _compare(n, expected, found, eps_dec, relative)
        if verdict is not None:
            return verdict
    return ok(_count_text(n))


def _count_text(n: int) -> str:
    return "1 token" if n == 1 else f"{n} tokens"


def _compare(n: int, expected: bytes, found: bytes, eps: Decimal,
             relative: bool) -> CheckerOutcome | None:
    """None when the two differing texts still denote equal-enough numbers."""
    where = f"{n}{english_ending(n)} token"
    want = parse_number(expected)
    if want is None:
        return wa(f"{where} differs - expected: '{compress(expected)}', "
                  f"found: '{compress(found)}'")
    got = parse_number(found)
    if got is None:
        return wa(f"{where}: expected a number '{compress(expected)}', "
                  f"found '{compress(found)}'")
    if isinstance(want, str) or isinstance(got, str):
        if want == got:
            return None
        return wa(f"{where}: expected '{compress(expected)}', found '{compress(found)}'")
    if within(want, got, eps, relative):
        return None
    return wa(f"{where}: numbers differ - expected: '{compress(expected)}', "
              f"found: '{compress(found)}', {_error_text(want, got)}")


class FloatChecker(BuiltinChecker[FloatSpec]):
    def compare(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
        return check_float(input, output, answer, eps=self.spec.eps, relative=self.spec.relative)


register(FloatSpec, FloatChecker)

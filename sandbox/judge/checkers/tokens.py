"""`tokens`: testlib `wcmp` semantics, including its exact messages.

Tokens are maximal runs of bytes other than space, tab, CR and LF, so CRLF, trailing
whitespace and a missing final newline never matter, while any token difference does."""

from __future__ import annotations

from itertools import zip_longest
from typing import Literal

from sandbox.judge.checkers.base import (
    CheckerOutcome, compress, count_tokens, english_ending, iter_tokens, missing_answer,
    normalize_blanks, ok, strip_bom, wa)
from sandbox.judge.checkers.interface import BuiltinChecker, CheckerSpecBase
from sandbox.judge.checkers.registry import register


class TokensSpec(CheckerSpecBase):
    """testlib `wcmp`: whitespace-separated tokens compared exactly (the default)."""

    type: Literal["tokens"] = "tokens"


def check_tokens(input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
    """Compare whitespace-separated tokens exactly (case-sensitive)."""
    if answer is None:
        return missing_answer()
    out, ans = strip_bom(output), strip_bom(answer)
    out_norm, ans_norm = normalize_blanks(out), normalize_blanks(ans)
    if out_norm == ans_norm:
        n = count_tokens(ans_norm)
        if n == 1:
            return ok(f'"{compress(ans_norm)}"')
        return ok(f"{n} tokens")
    return _first_difference(out, ans)


def _first_difference(output: bytes, answer: bytes) -> CheckerOutcome:
    """Walk both token streams lazily to the first disagreement (the slow, rejecting path)."""
    n = 0
    for expected, found in zip_longest(iter_tokens(answer), iter_tokens(output)):
        if expected is None:
            return wa("Participant output contains extra tokens")
        if found is None:
            return wa("Unexpected EOF in the participants output")
        n += 1
        if expected != found:
            return wa(f"{n}{english_ending(n)} words differ - expected: '{compress(expected)}', "
                      f"found: '{compress(found)}'")
    # Normalised forms differed, so the streams must too; reaching here is a bug.
    raise AssertionError("token streams compared equal after normalised forms differed")


class TokensChecker(BuiltinChecker[TokensSpec]):
    def compare(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
        return check_tokens(input, output, answer)


register(TokensSpec, TokensChecker)

"""`yesno`: answers made of YES/NO tokens, compared case-insensitively (testlib `yesno` for
one token, `nyesno` for several). A non-YES/NO answer token is a broken test (FAIL)."""

from __future__ import annotations

from itertools import zip_longest
from typing import Literal

from sandbox.judge.checkers.base import (
    CheckerOutcome, compress, english_ending, fail, iter_tokens, missing_answer, ok, pe,
    strip_bom, wa)
from sandbox.judge.checkers.interface import BuiltinChecker, CheckerSpecBase
from sandbox.judge.checkers.registry import register


class YesNoSpec(CheckerSpecBase):
    """Every answer token is YES or NO; the output must match, case-insensitively."""

    type: Literal["yesno"] = "yesno"


_WORDS = {b"yes": "YES", b"no": "NO"}


def check_yesno(input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
    if answer is None:
        return missing_answer()
    answer = strip_bom(answer)
    if not answer.strip(b" \t\r\n"):
        return fail("the answer has no YES/NO token")
    n = 0
    counts = {"YES": 0, "NO": 0}
    for expected, found in zip_longest(iter_tokens(answer),
                                       iter_tokens(strip_bom(output))):
        if expected is None:
            return pe("Extra information in the output file")
        n += 1
        want = _WORDS.get(expected.lower())
        if want is None:
            return fail(f"YES or NO expected in the answer, but '{compress(expected)}' found")
        if found is None:
            return wa(f"Unexpected EOF in the participants output: expected {want} as the "
                      f"{n}{english_ending(n)} token")
        got = _WORDS.get(found.lower())
        if got is None:
            return wa(f"YES or NO expected, but '{compress(found)}' found "
                      f"({n}{english_ending(n)} token)")
        if got != want:
            return wa(f"expected {want}, found {got} ({n}{english_ending(n)} token)")
        counts[want] += 1
    if n == 1:
        return ok(f"answer is {'YES' if counts['YES'] else 'NO'}")
    return ok(f"{n} tokens ({counts['YES']} yes, {counts['NO']} no)")


class YesNoChecker(BuiltinChecker[YesNoSpec]):
    def compare(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
        return check_yesno(input, output, answer)


register(YesNoSpec, YesNoChecker)

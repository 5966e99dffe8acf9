"""`exact`: byte-for-byte equality, for problems where every byte of layout is graded.

No leniency at all (not even for a BOM or a final newline): choose `lines` or `tokens` when
that is not what the problem means."""

from __future__ import annotations

from typing import Literal

from sandbox.judge.checkers.base import CheckerOutcome, missing_answer, ok, wa
from sandbox.judge.checkers.interface import BuiltinChecker, CheckerSpecBase
from sandbox.judge.checkers.registry import register


class ExactSpec(CheckerSpecBase):
    """Byte-for-byte equality: no BOM, CRLF or trailing-newline leniency at all."""

    type: Literal["exact"] = "exact"


def check_exact(input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
    if answer is None:
        return missing_answer()
    if output == answer:
        return ok(f"identical ({len(answer)} bytes)")
    common = min(len(output), len(answer))
    index = next((i for i in range(common) if output[i] != answer[i]), common)
    if index == len(output):
        return wa(f"output is a proper prefix of the answer: ends at byte {index} of "
                  f"{len(answer)}")
    if index == len(answer):
        return wa(f"output has {len(output) - len(answer)} extra bytes after the answer, "
                  f"starting with {output[index:index + 16]!r}")
    return wa(f"outputs differ at byte {index}: expected {answer[index:index + 16]!r}, "
              f"found {output[index:index + 16]!r}")


class ExactChecker(BuiltinChecker[ExactSpec]):
    def compare(self, input: bytes, output: bytes, answer: bytes | None) -> CheckerOutcome:
        return check_exact(input, output, answer)


register(ExactSpec, ExactChecker)

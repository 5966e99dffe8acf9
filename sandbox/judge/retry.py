"""The one retry rule of judging: an attempt the sandbox failed is made once more, on a
fresh box, before its failure counts. Runs (`Judge.run`, which checkers and `/run_code`
use too) and whole interactions (`InteractiveGrader`) both go through here, so a flaky
host is retried the same way everywhere and a second failure is reported, never hidden."""

from __future__ import annotations

from typing import Callable, TypeVar

SANDBOX_RETRIES = 1

T = TypeVar("T")


def with_retry(attempt: Callable[[], T], failed: Callable[[T], bool], retries: int = SANDBOX_RETRIES) -> T:
    """`attempt()` until it did not fail, at most `retries` more times; the last result
    is returned either way (the caller reports its failure)."""
    result = attempt()
    for _ in range(retries):
        if not failed(result):
            break
        result = attempt()
    return result


__all__ = ["SANDBOX_RETRIES", "with_retry"]

"""Per-request bounds on work, checked before admission.

A request is cheap to send and expensive to judge: a 4.3 MB body carried 100,000 tests and
kept the workers busy for ten minutes. The tests a request carries inline are counted here,
on the event loop, before any of them is queued, so an oversized request costs one parse
and a 413. (Tests named by `problem_id` come from the operator's dataset; the per-submission
check in the service covers them.)"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.server.models import Submission
from sandbox.server.strict_json import strict_loads


def inline_tests(submissions: Sequence[Submission]) -> int:
    """How many tests the submissions carry in `verification_info`. A `verification_info`
    given as JSON text is parsed once here and replaced by its value, so the service does
    not parse it again; text that does not parse is left for the service to report."""
    total = 0
    for submission in submissions:
        info = submission.verification_info
        if isinstance(info, str):
            try:
                parsed = strict_loads(info)
            except ValueError:
                continue
            if isinstance(parsed, dict):
                submission.verification_info = info = parsed
        if isinstance(info, dict):
            cases = info.get("test_cases")
            if isinstance(cases, list):
                total += len(cases)
    return total


__all__ = ["inline_tests"]

"""The tag vocabulary of known solutions, one table for every format.

Polygon writes tags in problem.xml (`time-limit-exceeded`) and in `solutions/*.desc`
(`TIME_LIMIT_EXCEEDED`); cpforge's bundled manifests give the expected verdict (`TLE`).
All of them become one normalised tag here, with what the tag promises: whether the
solution is correct (counts for TPR), wrong (counts for TNR), neither, and which verdicts
confirm it. A tag that promises a particular failure is still *rejected* by any failure
(a TLE-tagged solution failing by WA is caught), but the mismatch is worth reporting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from problems.testsets.errors import TestsetError
from sandbox.result import Verdict

Kind = Literal["correct", "wrong", "either", "broken"]
"""correct: must pass (TPR); wrong: must fail (TNR); either: may pass or fail (Polygon's
`time-limit-exceeded-or-accepted`), counted in neither; broken: must not compile."""


@dataclass(frozen=True)
class TagRule:
    """What a tag promises. `expected` are the verdicts that confirm it exactly; None for
    tags that promise only "not accepted" (`rejected`)."""

    tag: str
    kind: Kind
    expected: frozenset[Verdict] | None

    def confirms(self, verdict: Verdict) -> bool:
        if self.expected is None:
            return verdict not in (Verdict.AC, Verdict.CE, Verdict.JUDGE_ERROR)
        return verdict in self.expected


def _rule(tag: str, kind: Kind, *verdicts: Verdict) -> TagRule:
    return TagRule(tag, kind, frozenset(verdicts) if verdicts else None)


RULES: dict[str, TagRule] = {rule.tag: rule for rule in (
    _rule("main", "correct", Verdict.AC),
    _rule("accepted", "correct", Verdict.AC),
    _rule("wrong-answer", "wrong", Verdict.WA),
    _rule("presentation-error", "wrong", Verdict.WA),  # the judge's summary counts PE as WA
    _rule("time-limit-exceeded", "wrong", Verdict.TLE),
    _rule("memory-limit-exceeded", "wrong", Verdict.MLE),
    _rule("time-limit-exceeded-or-memory-limit-exceeded", "wrong", Verdict.TLE, Verdict.MLE),
    _rule("runtime-error", "wrong", Verdict.RE),
    _rule("output-limit-exceeded", "wrong", Verdict.OLE),
    _rule("rejected", "wrong"),
    _rule("failed", "wrong"),
    _rule("time-limit-exceeded-or-accepted", "either", Verdict.TLE, Verdict.AC),
    _rule("compile-error", "broken", Verdict.CE),
)}

_ALIASES = {"ok": "accepted", "ac": "accepted", "ma": "main", "wa": "wrong-answer", "pe": "presentation-error",
            "tl": "time-limit-exceeded", "tle": "time-limit-exceeded", "ml": "memory-limit-exceeded",
            "mle": "memory-limit-exceeded", "tm": "time-limit-exceeded-or-memory-limit-exceeded",
            "re": "runtime-error", "crashed": "runtime-error", "ole": "output-limit-exceeded",
            "rj": "rejected", "to": "time-limit-exceeded-or-accepted", "ce": "compile-error"}

# cpforge manifests (problems/bundled/*/solutions/manifest.json) give the expected verdict.
TAG_OF_VERDICT = {"AC": "accepted", "WA": "wrong-answer", "TLE": "time-limit-exceeded",
                  "MLE": "memory-limit-exceeded", "RE": "runtime-error", "OLE": "output-limit-exceeded",
                  "CE": "compile-error"}


def normalise_tag(raw: str) -> str:
    """`TIME_LIMIT_EXCEEDED`, `time-limit-exceeded` and `TL` are one tag. Unknown tags are
    errors: a typo must not silently turn a wrong solution into an uncounted one."""
    key = raw.strip().lower().replace("_", "-").replace(" ", "-")
    key = _ALIASES.get(key, key)
    if key not in RULES:
        raise TestsetError(f"unknown solution tag {raw!r} (known: {', '.join(RULES)})")
    return key


def rule(tag: str) -> TagRule:
    return RULES[normalise_tag(tag)]

"""Polygon / testlib standard checker names and the built-in spec that reproduces each.

Approximations are documented in docs/problem-format.md (e.g. ncmp compares 64-bit
integers; comparing their tokens exactly accepts the same well-formed outputs)."""

from __future__ import annotations

from typing import Any

TESTLIB_STANDARD_CHECKERS: dict[str, dict[str, Any]] = {
    "wcmp": {"type": "tokens"},
    "ncmp": {"type": "tokens"},
    "icmp": {"type": "tokens"},
    "hcmp": {"type": "tokens"},
    "fcmp": {"type": "lines"},
    "lcmp": {"type": "lines", "split_tokens": True},
    "rcmp": {"type": "float", "eps": 1.5e-6, "relative": False},
    "acmp": {"type": "float", "eps": 1.5e-6, "relative": False},
    "dcmp": {"type": "float", "eps": 1e-6},
    "rcmp4": {"type": "float", "eps": 1e-4},
    "rcmp6": {"type": "float", "eps": 1e-6},
    "rcmp9": {"type": "float", "eps": 1e-9},
    "yesno": {"type": "yesno"},
    "nyesno": {"type": "yesno"},
}


def testlib_checker_name(name: str) -> str:
    """`std::rcmp6.cpp` -> `rcmp6`: the key used in TESTLIB_STANDARD_CHECKERS."""
    key = name.strip()
    if key.lower().startswith("std::"):
        key = key[5:]
    if key.lower().endswith(".cpp"):
        key = key[:-4]
    return key.lower()

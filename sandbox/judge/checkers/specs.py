"""Checker specifications: what `problem.json` (or a Python caller) says about how to check.

A spec is plain data. Built-in specs map onto pure Python checkers (see `registry`); program
and python specs describe checkers that must run in the sandbox."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @property
    def builtin(self) -> bool:
        """True when the checker is pure Python and needs no sandbox."""
        return True


class TokensSpec(_Spec):
    """testlib `wcmp`: whitespace-separated tokens compared exactly (the default)."""

    type: Literal["tokens"] = "tokens"


class LinesSpec(_Spec):
    """Line by line; trailing whitespace on each line and trailing empty lines ignored.
    With `split_tokens`, each line is compared as a token sequence (testlib `lcmp`)."""

    type: Literal["lines"] = "lines"
    split_tokens: bool = False


class ExactSpec(_Spec):
    """Byte-for-byte equality: no BOM, CRLF or trailing-newline leniency at all."""

    type: Literal["exact"] = "exact"


class FloatSpec(_Spec):
    """Token by token; numbers within `eps` (absolute, or relative to the answer unless
    `relative` is false) are equal; other tokens compared exactly."""

    type: Literal["float"] = "float"
    eps: float = Field(default=1e-6, gt=0, lt=1)
    relative: bool = True


class YesNoSpec(_Spec):
    """Every answer token is YES or NO; the output must match, case-insensitively."""

    type: Literal["yesno"] = "yesno"


class ProgramCheckerSpec(_Spec):
    """A compiled checker speaking the testlib protocol: `checker input output answer`.
    `source` is a path relative to the problem directory; `code` is its text, filled in by
    `load_problem` (or given directly when a problem is built in memory)."""

    type: Literal["program"] = "program"
    source: str
    language: str | None = None
    code: str | None = Field(default=None, repr=False)
    time_limit: float | None = Field(default=None, gt=0)
    memory_limit: int | None = Field(default=None, gt=0)

    @property
    def builtin(self) -> bool:
        return False


class PythonCheckerSpec(_Spec):
    """open-r1's `generated_checker` convention: `python3 checker.py input answer output`,
    verdict on stdout (`1` or `100` passes). `crash_as_wa` reproduces open-r1, which counts a
    crashing checker as a failed test; by default a crash is a judge error (FAIL)."""

    type: Literal["python"] = "python"
    source: str = "checker.py"
    code: str | None = Field(default=None, repr=False)
    time_limit: float = Field(default=10.0, gt=0)
    crash_as_wa: bool = False

    @property
    def builtin(self) -> bool:
        return False


# Polygon / testlib standard checker names and the built-in that reproduces them.
# Approximations are documented in docs/problem-format.md (e.g. ncmp compares 64-bit
# integers; comparing their tokens exactly accepts the same well-formed outputs).
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

_BUILTIN_TYPES = ("tokens", "lines", "exact", "float", "yesno")


def testlib_checker_name(name: str) -> str:
    """`std::rcmp6.cpp` -> `rcmp6`: the key used in TESTLIB_STANDARD_CHECKERS."""
    key = name.strip()
    if key.lower().startswith("std::"):
        key = key[5:]
    if key.lower().endswith(".cpp"):
        key = key[:-4]
    return key.lower()


def _expand_shorthand(value: Any) -> Any:
    """Accept `"tokens"` for `{"type": "tokens"}` and testlib names like `"std::rcmp6"`."""
    if not isinstance(value, str):
        return value
    if value in _BUILTIN_TYPES:
        return {"type": value}
    mapped = TESTLIB_STANDARD_CHECKERS.get(testlib_checker_name(value))
    if mapped is not None:
        return dict(mapped)
    known = ", ".join([*_BUILTIN_TYPES, *(f"std::{n}" for n in TESTLIB_STANDARD_CHECKERS)])
    raise ValueError(f"unknown checker {value!r}; known names: {known}")


_TaggedSpec = Annotated[
    Union[TokensSpec, LinesSpec, ExactSpec, FloatSpec, YesNoSpec, ProgramCheckerSpec,
          PythonCheckerSpec],
    Field(discriminator="type"),
]
# The shorthand expansion must run before the discriminator looks at `type`, hence the
# two layers of Annotated.
CheckerSpec = Annotated[_TaggedSpec, BeforeValidator(_expand_shorthand)]

_SPEC_ADAPTER: TypeAdapter[CheckerSpec] = TypeAdapter(CheckerSpec)


def parse_checker_spec(value: Any) -> CheckerSpec:
    """Validate a spec from JSON-like data (raises pydantic.ValidationError)."""
    return _SPEC_ADAPTER.validate_python(value)

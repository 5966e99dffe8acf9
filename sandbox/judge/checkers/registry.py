"""Maps a checker spec to its pure-Python check function. Each built-in lives in its own
module exposing `TYPE` and `build(spec)`; `register` lets other code add more."""

from __future__ import annotations

from typing import Any, Callable

from . import exact, floats, lines, tokens, yesno
from .base import CheckFunction
from .specs import CheckerSpec, parse_checker_spec

Builder = Callable[[Any], CheckFunction]

_BUILDERS: dict[str, Builder] = {module.TYPE: module.build
                                 for module in (tokens, lines, exact, floats, yesno)}


class NotBuiltinCheckerError(ValueError):
    """The spec names a checker that has to run in the sandbox (program or python)."""


def register(type_name: str, builder: Builder) -> None:
    """Add (or replace) a built-in checker for specs whose `type` is `type_name`."""
    _BUILDERS[type_name] = builder


def builtin_types() -> tuple[str, ...]:
    return tuple(_BUILDERS)


def get_checker(spec: CheckerSpec | str | dict[str, Any] = "tokens") -> CheckFunction:
    """The check function for a built-in spec (a model, a shorthand string or a dict)."""
    model = spec if hasattr(spec, "type") and not isinstance(spec, (str, dict)) \
        else parse_checker_spec(spec)
    builder = _BUILDERS.get(model.type)
    if builder is None:
        raise NotBuiltinCheckerError(
            f"checker type {model.type!r} is not built in; it runs in the sandbox "
            "(see sandbox.judge.checkers.testlib_protocol and python_checker)")
    return builder(model)

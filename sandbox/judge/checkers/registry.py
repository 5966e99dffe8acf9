"""The checker registry: spec type name -> (spec model, checker class).

Each checker module ends with one line, `register(MySpec, MyChecker)`. Everything else is
derived from the registry: `CheckerSpec`, the discriminated union every pydantic model uses
for a `checker` field (problem models, server requests, verification_info), the shorthand
names accepted in `problem.json`, and the checker the judge runs for a spec. The union is
looked up when a value is validated, so a checker registered later (a plug-in, a test)
parses everywhere at once, without rebuilding any model."""

from __future__ import annotations

import operator
from functools import cache, reduce
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import Field, GetCoreSchemaHandler, TypeAdapter
from pydantic_core import core_schema

from sandbox.judge.checkers.base import CheckFunction
from sandbox.judge.checkers.interface import BuiltinChecker, Checker, CheckerSpecBase, SpecT
from sandbox.judge.checkers.testlib_names import TESTLIB_STANDARD_CHECKERS, testlib_checker_name

_SPECS: dict[str, type[CheckerSpecBase]] = {}
_CHECKERS: dict[str, type[Checker[Any]]] = {}
_adapter: TypeAdapter[Any] | None = None  # the union of the registered specs; None: stale


class NotBuiltinCheckerError(ValueError):
    """The spec names a checker that has to run in the sandbox (program or python)."""


def register(spec: type[SpecT], checker: type[Checker[SpecT]], *, replace: bool = False) -> None:
    """Make `spec` (a model with a `type: Literal["name"] = "name"` field) a valid checker
    spec everywhere, checked by `checker`. Registering a taken name needs `replace`."""
    name = spec_type_name(spec)
    if name in _SPECS and not replace and (_SPECS[name], _CHECKERS[name]) != (spec, checker):
        raise ValueError(f"checker type {name!r} is already registered ({_SPECS[name].__name__})")
    global _adapter
    _SPECS[name], _CHECKERS[name], _adapter = spec, checker, None


def unregister(name: str) -> None:
    """Remove a registered checker type (plug-ins and tests that registered one)."""
    global _adapter
    _SPECS.pop(name, None)
    _CHECKERS.pop(name, None)
    _adapter = None


def spec_type_name(spec: type[CheckerSpecBase]) -> str:
    """The tag of a spec model: the single value of its `type` literal, also its default."""
    field = spec.model_fields.get("type")
    values = get_args(field.annotation) if field is not None else ()
    if field is None or get_origin(field.annotation) is not Literal or len(values) != 1 \
            or field.default != values[0] or not isinstance(values[0], str):
        raise TypeError(f"{spec.__name__} needs a field `type: Literal[\"name\"] = \"name\"`")
    return values[0]


def spec_types() -> tuple[type[CheckerSpecBase], ...]:
    """The registered spec models, in registration order."""
    return tuple(_SPECS.values())


def builtin_types() -> tuple[str, ...]:
    """Names of the pure-Python checkers (also accepted as bare strings: `"tokens"`)."""
    return tuple(name for name, checker in _CHECKERS.items() if not checker.sandboxed)


def checker_class(name: str) -> type[Checker[Any]]:
    try:
        return _CHECKERS[name]
    except KeyError:
        raise ValueError(f"checker type {name!r} is not registered") from None


def make_checker(spec: CheckerSpecBase | str | dict[str, Any]) -> Checker[Any]:
    """The checker for a spec (a model, a shorthand string or a dict), not yet prepared."""
    model = parse_checker_spec(spec)
    return checker_class(model.type)(model)


def get_checker(spec: CheckerSpecBase | str | dict[str, Any] = "tokens") -> CheckFunction:
    """The check function of a built-in spec (a model, a shorthand string or a dict)."""
    checker = make_checker(spec)
    if not isinstance(checker, BuiltinChecker):
        raise NotBuiltinCheckerError(
            f"checker type {checker.spec.type!r} is not built in; it runs in the sandbox "
            "(see sandbox.judge.checkers.testlib_protocol and python_checker)")
    return checker.compare


# ------------------------------------------------------------------ the spec union

def _union() -> Any:
    """`TokensSpec | LinesSpec | ...` tagged by `type`, over what is registered now."""
    members = spec_types()
    union = reduce(operator.or_, members)
    return Annotated[union, Field(discriminator="type")] if len(members) > 1 else union


def _expand_shorthand(value: Any) -> Any:
    """Accept `"tokens"` for `{"type": "tokens"}` and testlib names like `"std::rcmp6"`."""
    if not isinstance(value, str):
        return value
    builtins = builtin_types()
    if value in builtins:
        return {"type": value}
    mapped = TESTLIB_STANDARD_CHECKERS.get(testlib_checker_name(value))
    if mapped is not None:
        return dict(mapped)
    known = ", ".join([*builtins, *(f"std::{n}" for n in TESTLIB_STANDARD_CHECKERS)])
    raise ValueError(f"unknown checker {value!r}; known names: {known}")


def _validate(value: Any) -> CheckerSpecBase:
    global _adapter
    adapter = _adapter
    if adapter is None:
        adapter = _adapter = TypeAdapter(_union())
    return adapter.validate_python(_expand_shorthand(value))


def parse_checker_spec(value: Any) -> CheckerSpecBase:
    """Validate a spec from JSON-like data or a model (raises pydantic.ValidationError)."""
    return _spec_adapter().validate_python(value)


class _Registered:
    """Validates a checker spec against the registry of the moment; JSON schema from the
    specs registered when the enclosing model was defined."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        shorthand = core_schema.str_schema()
        return core_schema.no_info_plain_validator_function(
            _validate, json_schema_input_schema=core_schema.union_schema(
                [shorthand, handler.generate_schema(_union())]))


CheckerSpec = Annotated[CheckerSpecBase, _Registered]
"""The type of a `checker` field: any registered spec, or a shorthand string."""


@cache
def _spec_adapter() -> TypeAdapter[CheckerSpecBase]:
    return TypeAdapter(CheckerSpec)  # made on first use: by then the built-ins are registered

"""Strict JSON for request bodies, and 422 answers that can always be written.

Python's `json` accepts `NaN`, `Infinity` and `1e999` (which becomes inf) and `\\ud800`
escapes that decode to lone surrogates. None of them is valid data here: a NaN limit slips
through `gt=0` checks, and a lone surrogate cannot be encoded as UTF-8, so both used to end
in a 500 (the error response itself could not be serialised). Bodies are parsed strictly
instead, so such input is a 422 that names the problem; and validation errors are rendered
without echoing the input (which may be megabytes, or unserialisable)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

# A \\uD800-\\uDFFF escape somewhere: only then can the parsed value hold a surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_FINITE = "NaN and Infinity are not allowed: numbers must be finite"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name}: {NOT_FINITE}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text}: {NOT_FINITE} (too large for a float)")
    return value


def find_lone_surrogate(value: Any) -> str | None:
    """Where in `value` (keys and strings, nested) a lone surrogate sits, or None."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return where or "the body"
        elif isinstance(item, dict):
            for key, child in item.items():
                if _SURROGATE.search(key):
                    return f"a key in {where or 'the body'}"
                stack.append((f"{where}.{key}" if where else key, child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", child) for index, child in enumerate(item))
    return None


def strict_loads(data: bytes | str) -> Any:
    """`json.loads` that refuses non-finite numbers and lone surrogates (ValueError; a
    json.JSONDecodeError for what FastAPI reads as a malformed body)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    try:
        value = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError(f"the body is not UTF-8: {exc.reason}", "", exc.start) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise json.JSONDecodeError(str(exc), "", 0) from None
    if _SURROGATE_ESCAPE.search(raw):
        where = find_lone_surrogate(value)
        if where is not None:
            raise json.JSONDecodeError(f"{where}: a lone surrogate escape (\\ud800-\\udfff without its pair) "
                                       "is not text", "", 0)
    return value


class _StrictRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_loads(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An APIRoute whose JSON body goes through `strict_loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(_StrictRequest(request.scope, request.receive))

        return strict_handler


def _safe(value: Any) -> Any:
    """A JSON-writable stand-in: finite numbers and clean strings as they are, else repr."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return value if not _SURROGATE.search(value) else value.encode("utf-8", "backslashreplace").decode()
    return _safe(str(value))


async def validation_error_response(_: Request, exc: Exception) -> Response:
    """422 with where and what for each error, never the offending input itself."""
    assert isinstance(exc, RequestValidationError)
    details = []
    for error in exc.errors():
        item: dict[str, Any] = {"loc": [_safe(part) for part in error.get("loc", ())],
                                "msg": _safe(error.get("msg", "")), "type": _safe(error.get("type", ""))}
        context = error.get("ctx") or {}
        if context:
            item["ctx"] = {str(key): _safe(value) for key, value in context.items()}
            if error.get("type") == "json_invalid" and "error" in context:
                item["msg"] = f"invalid JSON: {_safe(context['error'])}"
        details.append(item)
    return JSONResponse({"detail": details}, status_code=422)


__all__ = ["StrictJSONRoute", "find_lone_surrogate", "strict_loads", "validation_error_response"]

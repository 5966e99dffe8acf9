"""Client for the Codeforces API (``/api/{method}``): rate-limited, retried, cached, signable.

Codeforces answers ``{"status":"FAILED","comment":"Call limit exceeded"}`` to anyone
calling more than once per 2 seconds, and occasionally 5xx, timeouts or cut-off JSON under
load; all of those are retried with backoff. Other FAILED answers (a bad parameter) are
final and raised as `CodeforcesAPIError`. Every OK response body is stored in the cache
before it is returned, so a rerun, or an ``--offline`` run, needs no network.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from codeforces.cache import ResponseCache
from codeforces.config import ScrapeConfig
from codeforces.net import (
    CodeforcesAPIError,
    OfflineMiss,
    RateLimiter,
    RetryableError,
    make_client,
    retrying,
    transport_error,
)

__all__ = ["CodeforcesAPI", "sign_params"]


def sign_params(
    method: str,
    params: Mapping[str, Any],
    api_key: str,
    api_secret: str,
    *,
    now: int | None = None,
    rand: str | None = None,
) -> dict[str, str]:
    """Add ``apiKey``, ``time`` and ``apiSig`` as the Codeforces API documentation specifies.

    ``apiSig = rand + sha512(f"{rand}/{method}?{params sorted by name then value}#{secret}")``
    where ``rand`` is six characters.
    """
    signed = {k: str(v) for k, v in params.items()}
    signed["apiKey"] = api_key
    signed["time"] = str(int(time.time()) if now is None else now)
    rand = rand or f"{secrets.randbelow(900000) + 100000}"
    if len(rand) != 6:
        raise ValueError("apiSig prefix must be six characters")
    query = "&".join(f"{k}={v}" for k, v in sorted(signed.items()))
    digest = hashlib.sha512(f"{rand}/{method}?{query}#{api_secret}".encode()).hexdigest()
    signed["apiSig"] = rand + digest
    return signed


class CodeforcesAPI:
    """Calls API methods politely; use as a context manager to close the HTTP client."""

    def __init__(
        self,
        config: ScrapeConfig,
        cache: ResponseCache | None = None,
        client: httpx.Client | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.config = config
        self.cache = cache if cache is not None else ResponseCache(config.cache_dir)
        self._own_client = client is None and not config.offline
        self.client = client if client is not None else (None if config.offline else make_client(config))
        self.limiter = limiter or RateLimiter(config.api_interval)
        self.network_calls = 0

    def __enter__(self) -> CodeforcesAPI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own_client and self.client is not None:
            self.client.close()

    def url(self, method: str, params: Mapping[str, Any] | None = None) -> str:
        query = urlencode(sorted((k, str(v)) for k, v in (params or {}).items()))
        return f"{self.config.base_url}/api/{method}" + (f"?{query}" if query else "")

    def call(self, method: str, params: Mapping[str, Any] | None = None, *, refresh: bool = False) -> Any:
        """Return the ``result`` of an API method, from the cache when it holds it."""
        params = dict(params or {})
        url = self.url(method, params)
        if not refresh:
            cached = self.cache.get(url)
            if cached is not None:
                return _result(cached.body, method, retry=False)
        if self.config.offline or self.client is None:
            raise OfflineMiss(f"offline and {method} is not in the cache at {self.cache.directory}")
        for attempt in retrying(self.config):
            with attempt:
                return self._fetch(method, params, url)
        raise AssertionError("unreachable")  # pragma: no cover - Retrying re-raises

    def _fetch(self, method: str, params: dict[str, Any], url: str) -> Any:
        query: dict[str, str] = {k: str(v) for k, v in params.items()}
        if self.config.api_key and self.config.api_secret is not None:
            query = sign_params(method, query, self.config.api_key, self.config.api_secret.get_secret_value())
        self.limiter.wait()
        self.network_calls += 1
        try:
            response = self.client.get(f"{self.config.base_url}/api/{method}", params=query)  # type: ignore[union-attr]
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        if response.status_code == 429 or response.status_code >= 500:
            self.limiter.penalize(self.config.api_interval)
            raise RetryableError(f"http {response.status_code}", method)
        try:
            result = _result(response.content, method, retry=True)
        except RetryableError as exc:
            if "call limit" in str(exc).lower():
                self.limiter.penalize(self.config.api_interval * 2)
            raise
        self.cache.put(
            url, response.content, status=response.status_code, content_type=response.headers.get("content-type")
        )
        return result

    def problemset_problems(self, **params: Any) -> Any:
        """``problemset.problems``: ``{"problems": [...], "problemStatistics": [...]}``."""
        return self.call("problemset.problems", params)

    def contest_list(self, gym: bool = False) -> Any:
        """``contest.list``: every contest (``gym=False``: the main rounds)."""
        return self.call("contest.list", {"gym": "true" if gym else "false"})


def _result(body: bytes, method: str, *, retry: bool) -> Any:
    try:
        data = json.loads(body)
    except ValueError as exc:
        if retry:
            raise RetryableError("broken json", f"{method}: {exc}") from exc
        raise CodeforcesAPIError(f"cached {method} response is not JSON") from exc
    if not isinstance(data, dict) or "status" not in data:
        raise RetryableError("broken json", f"{method}: no status field") if retry else CodeforcesAPIError(method)
    if data["status"] == "OK" and "result" in data:
        return data["result"]
    comment = str(data.get("comment", ""))
    if "call limit exceeded" in comment.lower():
        raise RetryableError("call limit exceeded", method)
    raise CodeforcesAPIError(f"{method} failed: {comment or data}")

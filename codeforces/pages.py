"""Fetching statement pages politely, and refusing anything that is not a statement.

A page is stored in the cache only when it is a real answer: statements, or a PDF-only
statement (a permanent fact worth remembering). Cloudflare challenges, login redirects,
empty and truncated bodies, 429 and 5xx are retried with backoff and, if they persist,
reported as failures for this run — never cached, so the next run asks again.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import httpx
from pydantic import BaseModel, ConfigDict

from codeforces.cache import ResponseCache
from codeforces.config import PageSource, ScrapeConfig
from codeforces.net import RateLimiter, RetryableError, make_client, retrying, transport_error
from codeforces.parse import TRANSIENT_KINDS, classify_page

__all__ = ["PageFetcher", "FetchedPage", "statement_urls", "contest_page_url"]


def _path(source: PageSource, contest_id: int | str, index: str | None) -> str:
    if source == "problem":
        return f"/contest/{contest_id}/problem/{index}"
    if source == "problemset":
        return f"/problemset/problem/{contest_id}/{index}"
    return f"/contest/{contest_id}/problems"


def statement_urls(config: ScrapeConfig, contest_id: int | str, index: str) -> list[str]:
    """Candidate URLs for one problem's statement, in the configured fallback order."""
    return [f"{config.base_url}{_path(s, contest_id, index)}?locale={config.locale}" for s in config.page_order]


def contest_page_url(config: ScrapeConfig, contest_id: int | str) -> str:
    """``/contest/N/problems``: every statement of a contest on one page."""
    return f"{config.base_url}{_path('contest', contest_id, None)}?locale={config.locale}"


class FetchedPage(BaseModel):
    """Result of asking for one URL."""

    model_config = ConfigDict(frozen=True)

    url: str
    kind: str  # a PageKind, or "not_found" / "offline_miss" / "failed"
    html: str | None = None
    fetched_at: datetime | None = None
    from_cache: bool = False
    reason: str | None = None


class PageFetcher:
    """Thread-safe page fetcher sharing one rate limiter and HTTP client.

    ``stop`` lets an orchestrator finish in-flight requests (which are then cached) and
    start no new ones when the user presses Ctrl-C.
    """

    def __init__(
        self,
        config: ScrapeConfig,
        cache: ResponseCache,
        client: httpx.Client | None = None,
        limiter: RateLimiter | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self._own_client = client is None and not config.offline
        self.client = client if client is not None else (None if config.offline else make_client(config))
        self.limiter = limiter or RateLimiter(config.page_interval)
        self.stop = stop or threading.Event()
        self._lock = threading.Lock()
        self.network_requests = 0

    def close(self) -> None:
        if self._own_client and self.client is not None:
            self.client.close()

    def cached(self, url: str) -> FetchedPage | None:
        hit = self.cache.get(url)
        if hit is None:
            return None
        return FetchedPage(
            url=url, kind=classify_page(hit.body), html=hit.text, fetched_at=hit.fetched_at, from_cache=True
        )

    def fetch(self, url: str) -> FetchedPage:
        """Return the page for ``url`` from the cache, else from the network with retries."""
        hit = self.cached(url)
        if hit is not None:
            return hit
        if self.config.offline or self.client is None:
            return FetchedPage(url=url, kind="offline_miss", reason="not in cache (offline)")
        try:
            for attempt in retrying(self.config):
                with attempt:
                    if self.stop.is_set():
                        return FetchedPage(url=url, kind="failed", reason="interrupted")
                    return self._fetch_once(url)
        except RetryableError as exc:
            return FetchedPage(url=url, kind="failed", reason=exc.reason)
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch_once(self, url: str) -> FetchedPage:
        self.limiter.wait()
        with self._lock:
            self.network_requests += 1
        try:
            response = self.client.get(url)  # type: ignore[union-attr]
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("location", "")
            if "/enter" in location:
                self.limiter.penalize(self.config.page_interval)
                raise RetryableError("login", f"redirected to {location}")
            return FetchedPage(url=url, kind="not_found", reason=f"redirect to {location or '?'}")
        if status == 404:
            return FetchedPage(url=url, kind="not_found", reason="http 404")
        if status == 429 or status >= 500:
            self.limiter.penalize(self.config.page_interval * 2)
            kind = classify_page(response.content)
            raise RetryableError("challenge" if kind == "challenge" else f"http {status}", url)
        kind = classify_page(response.content)
        if status == 403 or kind in TRANSIENT_KINDS:
            self.limiter.penalize(self.config.page_interval * 2)
            raise RetryableError(kind if kind in TRANSIENT_KINDS else "http 403", url)
        if status != 200:
            return FetchedPage(url=url, kind="not_found", reason=f"http {status}")
        if kind == "no_statement":
            # A real, complete page without any statement (e.g. a contest that hides them):
            # not worth caching as a statement, not worth hammering either.
            return FetchedPage(url=url, kind="no_statement", reason="no statement on page")
        fetched_at = datetime.now(timezone.utc)
        self.cache.put(
            url,
            response.content,
            status=status,
            content_type=response.headers.get("content-type"),
            fetched_at=fetched_at,
        )
        return FetchedPage(url=url, kind=kind, html=response.text, fetched_at=fetched_at)

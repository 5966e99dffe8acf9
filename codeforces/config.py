"""Settings shared by the API client, the page fetcher and the orchestration.

Every interval, retry count and timeout lives here so tests can run the real client code
against a loopback server in milliseconds, while the defaults stay polite to
codeforces.com (its API allows one call per 2 seconds).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

__all__ = ["ScrapeConfig", "default_cache_dir", "PageSource"]

PageSource = Literal["problem", "problemset", "contest"]


def _default_page_order() -> list[PageSource]:
    return ["problem", "problemset", "contest"]


def default_cache_dir() -> Path:
    """``<cache root>/codeforces``, where the root is cpforge's one rule for all its caches
    (`sandbox.cache_dir.cache_root`: ``CPFORGE_CACHE_DIR``, else ``~/.cache/cpforge``)."""
    from sandbox.cache_dir import cache_root  # lazy: importing `sandbox` costs ~0.15 s

    return cache_root() / "codeforces"


class ScrapeConfig(BaseModel):
    """How to reach Codeforces and how hard to push it."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(default="https://codeforces.com", description="Site root; tests point it at 127.0.0.1")
    cache_dir: Path = Field(default_factory=default_cache_dir)
    offline: bool = Field(default=False, description="Serve only from the cache; never touch the network")

    api_interval: float = Field(default=2.0, ge=0, description="Seconds between API calls (Codeforces: 1 per 2 s)")
    page_interval: float = Field(default=2.0, ge=0, description="Seconds between statement page requests")
    page_concurrency: int = Field(default=2, ge=1, le=16, description="Page requests in flight at once")
    timeout: float = Field(default=30.0, gt=0, description="Per-request timeout in seconds")
    max_attempts: int = Field(default=6, ge=1, description="Tries per request before giving up for this run")
    backoff_initial: float = Field(default=2.0, ge=0, description="First retry delay; doubles each try")
    backoff_max: float = Field(default=120.0, ge=0)

    api_key: str | None = Field(default=None, description="Optional key for signed API calls")
    api_secret: SecretStr | None = None
    user_agent: str = "cpforge-scraper/0.1 (+https://github.com/; polite, cached)"
    locale: str = "en"
    page_order: list[PageSource] = Field(
        default_factory=_default_page_order,
        description="Statement URLs to try, in order, for each problem",
    )
    fetch_twin_rounds: bool = Field(
        default=True, description="Fetch whole-contest pages of parallel rounds to find Div.1/Div.2 twins"
    )

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {value!r}")
        return value.rstrip("/")

    @field_validator("page_order")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("page_order needs at least one source")
        return list(dict.fromkeys(value))

    @classmethod
    def from_env(cls, **overrides: object) -> ScrapeConfig:
        """Build a config, taking the API key and secret from CODEFORCES_API_KEY/SECRET."""
        values: dict[str, object] = {}
        if os.environ.get("CODEFORCES_API_KEY"):
            values["api_key"] = os.environ["CODEFORCES_API_KEY"]
        if os.environ.get("CODEFORCES_API_SECRET"):
            values["api_secret"] = os.environ["CODEFORCES_API_SECRET"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

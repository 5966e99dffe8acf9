"""Codeforces scraper: API metadata and statement pages into normalised `problems.Problem` rows.

Public API for other layers:

* `parse_statements(html, url=None)` — every statement on a page, as `Problem` objects;
* `problems_from_api(problemset, contests=None)` — API responses into problem metadata;
* `scrape(config, ...)` — the resumable, cached, rate-limited run behind ``build-dataset scrape``.

Network-dependent modules are imported lazily so that parsing needs only selectolax.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codeforces.normalize import merge_twins, problems_from_api
from codeforces.parse import StatementPageError, classify_page, parse_page, parse_statements, statement_hash

if TYPE_CHECKING:
    from codeforces.config import ScrapeConfig
    from codeforces.scrape import ScrapeSummary, scrape

__all__ = [
    "parse_statements",
    "parse_page",
    "classify_page",
    "problems_from_api",
    "merge_twins",
    "statement_hash",
    "StatementPageError",
    "ScrapeConfig",
    "ScrapeSummary",
    "scrape",
]


def __getattr__(name: str) -> Any:
    if name == "ScrapeConfig":
        from codeforces.config import ScrapeConfig

        return ScrapeConfig
    if name in ("scrape", "ScrapeSummary"):
        from codeforces import scrape as module

        return getattr(module, name)
    raise AttributeError(f"module 'codeforces' has no attribute {name!r}")

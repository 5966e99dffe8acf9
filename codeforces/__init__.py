"""Codeforces scraper: API metadata and statement pages into normalised `problems.model.Problem` rows.

Public API for other layers:

* `parse_statements(html, url=None)` — every statement on a page, as `Problem` objects;
* `problems_from_api(problemset, contests=None)` — API responses into problem metadata;
* `scrape(config, ...)` — the resumable, cached, rate-limited run behind ``build-dataset scrape``;
* `ScrapeConfig` — the scraper's options, with the one set of defaults every caller uses.

Every name is imported on first use, so ``codeforces.config`` needs only pydantic (the
``build-dataset`` command line reads its option defaults from it without the ``scrape``
extra), parsing needs only selectolax, and only the network modules need httpx.
From `problems`, this package imports only the problem model (`problems.model`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codeforces.config import ScrapeConfig
    from codeforces.normalize import merge_twins, problems_from_api
    from codeforces.parse import StatementPageError, classify_page, parse_page, parse_statements, statement_hash
    from codeforces.scrape import ScrapeSummary, scrape

_WHERE = {
    "parse_statements": "codeforces.parse",
    "parse_page": "codeforces.parse",
    "classify_page": "codeforces.parse",
    "statement_hash": "codeforces.parse",
    "StatementPageError": "codeforces.parse",
    "problems_from_api": "codeforces.normalize",
    "merge_twins": "codeforces.normalize",
    "ScrapeConfig": "codeforces.config",
    "ScrapeSummary": "codeforces.scrape",
    "scrape": "codeforces.scrape",
}

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
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'codeforces' has no attribute {name!r}")
    return getattr(import_module(module), name)

"""Fixtures for the Codeforces scraper tests (helpers live in ``cf_testlib``).

Recorded data is read in place from ``<project root>/../shared/data/codeforces``; every
fixture that needs it skips the test cleanly when it is absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cf_testlib import CF_DATA, ReplayServer, Templates, _need, load_templates


@pytest.fixture(scope="session")
def cf_data() -> Path:
    return _need(CF_DATA)


@pytest.fixture(scope="session")
def problemset_raw(cf_data: Path) -> bytes:
    return _need(cf_data / "api" / "problemset.problems.2025-04-12.json").read_bytes()


@pytest.fixture(scope="session")
def problemset_json(problemset_raw: bytes) -> dict[str, Any]:
    return json.loads(problemset_raw)


@pytest.fixture(scope="session")
def contests_json(cf_data: Path) -> list[dict[str, Any]]:
    return json.loads(_need(cf_data / "api" / "contest.list.result.2024-10.json").read_text())


@pytest.fixture(scope="session")
def api_names(problemset_json: dict[str, Any]) -> dict[str, str]:
    return {f"{p['contestId']}/{p['index']}": p["name"] for p in problemset_json["result"]["problems"]}


@pytest.fixture(scope="session")
def templates(cf_data: Path) -> Templates:
    return load_templates(cf_data)


@pytest.fixture()
def replay_server() -> Iterator[ReplayServer]:
    """A local stand-in for codeforces.com (see `cf_testlib.ReplayServer`)."""
    server = ReplayServer().start()
    try:
        yield server
    finally:
        server.stop()

"""One model of the scraper's options (`ScrapeConfig`), one set of defaults, one cache root.

`build-dataset scrape`, `build-dataset run --source codeforces` and the bench all take their
scraper settings from `ScrapeConfig`; the cache lives under cpforge's one cache root
(`CPFORGE_CACHE_DIR`, else ``~/.cache/cpforge``), like the compile cache and the PCH.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer

from cf_testlib import ReplayServer, read_page
from codeforces.config import ScrapeConfig
from codeforces.net import OfflineMiss
from codeforces.output import read_problems
from codeforces.scrape import scrape
from problems.cli import SCRAPE_OPTION_FIELDS, app, scrape_config
from sandbox.cache_dir import cache_root


def _params(command: str) -> dict[str, Any]:
    """The options of one ``build-dataset`` subcommand as Typer builds them, by parameter name."""
    group: Any = typer.main.get_command(app)
    return {p.name: p for p in group.commands[command].params if p.name}


def _model_default(field: str) -> object:
    info = ScrapeConfig.model_fields[field]
    return None if info.default_factory is not None else info.default  # None: the model's factory decides


@pytest.mark.parametrize("command", ["scrape", "run"])
def test_command_line_defaults_are_the_models(command: str) -> None:
    params = _params(command)
    shared = {name: field for name, field in SCRAPE_OPTION_FIELDS.items() if name in params}
    assert {"base_url", "offline", "cache", "max_attempts", "timeout"} <= set(shared)
    for name, field in shared.items():
        assert params[name].default == _model_default(field), f"{command} --{name} vs ScrapeConfig.{field}"
        rules = {type(rule).__name__: rule for rule in ScrapeConfig.model_fields[field].metadata}
        if "Ge" in rules:
            assert params[name].min == rules["Ge"].ge, f"{command} --{name} lower bound"
        if "Le" in rules:
            assert params[name].max == rules["Le"].le, f"{command} --{name} upper bound"


def test_scrape_and_run_agree_and_unset_options_give_the_model() -> None:
    scrape_params, run_params = _params("scrape"), _params("run")
    for name in set(scrape_params) & set(run_params) & set(SCRAPE_OPTION_FIELDS):
        assert scrape_params[name].default == run_params[name].default, name
    assert scrape_config(cache=None) == ScrapeConfig.from_env()


def test_cache_root_rule(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CPFORGE_CACHE", raising=False)
    monkeypatch.setenv("CPFORGE_CACHE_DIR", str(tmp_path / "root"))
    assert ScrapeConfig().cache_dir == cache_root() / "codeforces" == tmp_path / "root" / "codeforces"
    assert scrape_config(cache=None).cache_dir == tmp_path / "root" / "codeforces"
    assert scrape_config(cache=tmp_path / "mine").cache_dir == tmp_path / "mine"  # --cache still wins
    monkeypatch.delenv("CPFORGE_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert ScrapeConfig().cache_dir == tmp_path / "home" / ".cache" / "cpforge" / "codeforces"


def test_cpforge_cache_dir_moves_the_scrapers_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cf_data: Path, replay_server: ReplayServer,
    problemset_raw: bytes, contests_json: list,
) -> None:
    replay_server.add("/api/problemset.problems", problemset_raw, ctype="application/json")
    replay_server.add("/api/contest.list?gym=false", json.dumps({"status": "OK", "result": contests_json}).encode(),
                      ctype="application/json")
    replay_server.add("/contest/1715/problems", read_page(cf_data, "contest-1715-problems.html"))
    root = tmp_path / "root"
    monkeypatch.setenv("CPFORGE_CACHE_DIR", str(root))
    online = ScrapeConfig(base_url=replay_server.base_url, api_interval=0, page_interval=0, timeout=5,
                          backoff_initial=0.01)
    first = scrape(online, out=tmp_path / "first.jsonl", contests=(1715, 1715), progress=False)
    assert first.written == 6 and first.network_requests > 0, first.render()
    assert list((root / "codeforces").rglob("*.gz")), "the responses are cached under CPFORGE_CACHE_DIR"
    # An offline run served only from that root gives the same problems without a request.
    again = scrape(ScrapeConfig(offline=True), out=tmp_path / "again.jsonl", contests=(1715, 1715), progress=False)
    assert again.network_requests == 0 and again.written == 6
    ids = [p.id for p in read_problems(tmp_path / "first.jsonl")]
    assert [p.id for p in read_problems(tmp_path / "again.jsonl")] == ids
    # Another root is another cache: offline, it has nothing.
    monkeypatch.setenv("CPFORGE_CACHE_DIR", str(tmp_path / "elsewhere"))
    with pytest.raises(OfflineMiss):
        scrape(ScrapeConfig(offline=True), out=tmp_path / "none.jsonl", progress=False)

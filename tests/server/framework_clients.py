"""The two framework clients that call the reward server over HTTP, as their code calls it.

Read from the frameworks' own source:
- verl 0.9.1 (PyPI wheel; the same file at volcengine/verl b178a3cd56f5, 2026-01-29):
  `verl/utils/reward_score/sandbox_fusion/utils.py` (`call_sandbox_api`, `_process_single_case`)
  and `sandbox_fusion/__init__.py` (`compute_score`).
- OpenRLHF 0.11.2 (PyPI wheel; OpenRLHF/OpenRLHF 3c3be6234e0c, 2026-08-13, version.txt 0.11.0, has
  the same request code): `openrlhf/utils/agent.py`, `SingleTurnAgentExecutor.execute` and
  `_fetch_rewards_via_http`.

Two ways to run each: `load_*` imports the framework's real module from its installed wheel
(`pip install --no-deps verl==0.9.1 openrlhf==0.11.2`, plus `requests` and `aiohttp`), without
running the package `__init__` that pulls in torch; `*Replay` is our own client that sends the
same bytes with the same headers, timeouts and retry policy, for machines without those wheels."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import sys
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

VERL_VERSION = "0.9.1"
OPENRLHF_VERSION = "0.11.2"


# ---------------------------------------------------------------------- real framework code
def _installed_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # a top-level find_spec runs nothing of the package
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def _synthetic_package(name: str, directory: Path) -> None:
    """`name` as a package whose submodules load from `directory`, without its `__init__`."""
    if name not in sys.modules:
        module = types.ModuleType(name)
        module.__path__ = [str(directory)]
        sys.modules[name] = module


def load_verl_sandbox_fusion() -> tuple[types.ModuleType, str] | None:
    """verl's `sandbox_fusion` package (its `compute_score`, with `utils` under it), loaded from
    the installed wheel under a private name, and verl's version; None when not installed.
    verl's top-level `__init__` imports torch (DataProto), this package needs only requests."""
    root = _installed_dir("verl")
    if root is None or importlib.util.find_spec("requests") is None:
        return None
    folder = root / "utils" / "reward_score" / "sandbox_fusion"
    name = "_real_verl_sandbox_fusion"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name], (root / "version" / "version").read_text().strip()


def load_openrlhf_agent() -> tuple[types.ModuleType, str] | None:
    """openrlhf.utils.agent, for real, from the installed wheel; None when not installed. The
    `openrlhf` and `openrlhf.utils` packages are stood in for (their `__init__`s import torch
    and deepspeed); agent.py and the logging_utils it imports are OpenRLHF's own files."""
    root = _installed_dir("openrlhf")
    if root is None or importlib.util.find_spec("aiohttp") is None:
        return None
    _synthetic_package("openrlhf", root)
    _synthetic_package("openrlhf.utils", root / "utils")
    return importlib.import_module("openrlhf.utils.agent"), importlib.metadata.version("openrlhf")


# ---------------------------------------------------------------------- verl replay
VERL_MAX_RETRIES = 3
VERL_API_TIMEOUT = 10
VERL_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass
class VerlReplay:
    """verl 0.9.1's SandboxFusion client: one POST per test, the body from `json.dumps` of
    these keys in this order, a read timeout of compile + run + 10 s, a retry only on HTTP 504
    (3 attempts, sleeping 1 s then 2 s), any other error or a timeout ends the test as -1."""

    url: str
    attempts: list[int | str] = field(default_factory=list)  # status codes, or "timeout"

    def call(self, code: str, stdin: str | None, timeout: int = 10, memory_limit_mb: int = 1024,
             language: str = "python") -> tuple[dict | None, str | None]:
        payload = json.dumps({"compile_timeout": timeout, "run_timeout": timeout, "code": code, "stdin": stdin,
                              "memory_limit_MB": memory_limit_mb, "language": language, "files": {},
                              "fetch_files": []})
        error = None
        for attempt in range(VERL_MAX_RETRIES):
            try:
                response = httpx.post(self.url, content=payload.encode(), headers=VERL_HEADERS,
                                      timeout=timeout + timeout + VERL_API_TIMEOUT)
            except httpx.TimeoutException as exc:
                self.attempts.append("timeout")
                return None, f"API Request Error: {exc}"  # no retry on a read timeout
            except httpx.HTTPError as exc:
                self.attempts.append("error")
                return None, f"API Request Error: {exc}"
            self.attempts.append(response.status_code)
            if response.status_code == 504:
                error = "Gateway Timeout (504)"
                if attempt < VERL_MAX_RETRIES - 1:
                    time.sleep(1 * (attempt + 1))
                continue
            if response.status_code >= 400:
                return None, f"HTTP {response.status_code}"
            return response.json(), None
        return None, error

    @staticmethod
    def case_status(response: dict | None, error: str | None, expected: str) -> bool | int:
        """`_process_single_case`'s reading: True/False, or -1 API or sandbox error, -2 runtime
        error, -3 time-out, -4 compile error."""
        if error or not response:
            return -1
        status, compiled, run = response.get("status"), response.get("compile_result"), response.get("run_result")
        if status == "SandboxError":
            return -1
        if status == "Failed":
            if compiled and (compiled.get("status") in ("Error", "TimeLimitExceeded")
                             or (compiled.get("status") == "Finished" and compiled.get("return_code") != 0)):
                return -4
            if run:
                if run.get("status") == "TimeLimitExceeded":
                    return -3
                if run.get("status") == "Error" or (run.get("status") == "Finished" and run.get("return_code") != 0):
                    return -2
            return -1
        if status == "Success" and run and run.get("status") == "Finished":
            return str(run.get("stdout") or "").rstrip("\n") == str(expected).rstrip("\n")
        return -1

    def compute_score(self, completion: str, test_cases: dict, continuous: bool = False,
                      timeout: int = 10) -> tuple[float, list[bool | int]]:
        """`sandbox_fusion.compute_score` as `default_compute_score` reaches it: the code after
        the last "```python" (else the first fenced block), always language "python", one
        call per test, a compile error marks the later tests -4 too, the score is the pass rate
        (over the first 10 tests when `continuous`)."""
        if "```python" in completion:
            code = completion.split("```python")[-1].split("```")[0]
        elif "```" in completion:
            code = completion.split("```")[1]
            first, _, rest = code.partition("\n")
            if rest and first.strip().isalpha():
                code = rest
        else:
            return 0.0, []
        results = [self.case_status(*self.call(code, stdin, timeout), expected)
                   for stdin, expected in zip(test_cases["inputs"], test_cases["outputs"])]
        if -4 in results:
            first_ce = results.index(-4)
            results[first_ce:] = [-4] * (len(results) - first_ce)
        considered = results[:10] if continuous else results
        return (sum(r is True for r in considered) / len(considered) if considered else 0.0), results


# ---------------------------------------------------------------------- OpenRLHF replay
OPENRLHF_TRIES = 5
OPENRLHF_TOTAL_TIMEOUT = 180
OPENRLHF_HEADERS = {"Content-Type": "application/json"}


@dataclass
class OpenRLHFReplay:
    """OpenRLHF 0.11.2's remote reward call: `{"query": [prompt + response], "prompts":
    [prompt], "labels": [label]}` as aiohttp's `json=` writes it (`json.dumps`), no auth
    header, a 180 s total timeout, 5 tries 1 s apart on any error status (Retry-After
    ignored), then RuntimeError, which `execute` logs, leaving the reward None."""

    url: str
    attempts: list[int | str] = field(default_factory=list)

    def fetch(self, query: str, prompt: str, label: Any) -> dict:
        body = json.dumps({"query": [query], "prompts": [prompt], "labels": [label]}).encode()
        for _ in range(OPENRLHF_TRIES):
            try:
                response = httpx.post(self.url, content=body, headers=OPENRLHF_HEADERS,
                                      timeout=OPENRLHF_TOTAL_TIMEOUT)
                self.attempts.append(response.status_code)
                response.raise_for_status()
                return response.json()
            except httpx.HTTPError:
                if not self.attempts or not isinstance(self.attempts[-1], int):
                    self.attempts.append("error")
            time.sleep(1)
        raise RuntimeError(f"Request error for {OPENRLHF_TRIES} times, returning None. Please check the API server.")

    def reward(self, query: str, prompt: str, label: Any) -> float | None:
        """What `execute` stores as the sample's reward."""
        try:
            info = self.fetch(query, prompt, label)
        except RuntimeError:
            return None
        return info.get("rewards")[0] if info.get("rewards") else None


# ---------------------------------------------------------------------- OpenRLHF's real execute()
class CharTokenizer:
    """A tokenizer stand-in for `SingleTurnAgentExecutor.execute`: one token per character,
    so decoding prompt + response tokens gives back prompt + response text, chat tokens kept."""

    class _Ids(list):
        def tolist(self) -> list[int]:
            return list(self)

    def __call__(self, text: str, add_special_tokens: bool = False, return_tensors: str | None = None) -> dict:
        return {"input_ids": [self._Ids(ord(c) for c in text)]}

    def decode(self, tokens: list[int], skip_special_tokens: bool = True) -> str:
        return "".join(chr(t) for t in tokens)


class CannedEngine:
    """An LLM engine stand-in whose generation is a fixed response."""

    def __init__(self, response: str) -> None:
        self.response = response

    async def generate(self, prompt_token_ids: list[int], sampling_params: Any, multi_modal_data: Any = None) -> Any:
        output = types.SimpleNamespace(token_ids=[ord(c) for c in self.response], text=self.response,
                                       finish_reason="stop", logprobs=None)
        return types.SimpleNamespace(outputs=[output])


__all__ = ["CannedEngine", "CharTokenizer", "OpenRLHFReplay", "VerlReplay", "load_openrlhf_agent",
           "load_verl_sandbox_fusion"]

"""Fixtures for the reward server tests: a problem dataset written with pyarrow in the
`build-dataset` layout and real `verifier serve` processes on loopback; their verdicts are
compared with the in-process `judge` of tests/conftest.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.judge.extract import extract_code
from sandbox.judge.scoring import JudgeOptions
from sandbox.judge.formats.verification import problem_from_verification_info
from sandbox.server.launch import ServerProcess

TOKEN = "test-token-123"

APLUSB_CPP = ('#include <cstdio>\nint main(){long long a,b;std::scanf("%lld %lld",&a,&b);'
              'std::printf("%lld\\n",a+b);}\n')
APLUSB_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
DOUBLE_PY = "print(2 * int(input()))\n"


def aplusb_info(language: str | None = "cpp", tests: int = 3, time_limit: float = 1.0) -> dict:
    cases = [{"input": f"{i} {i * 3}\n", "output": f"{i * 4}\n", "type": "stdin_stdout"} for i in range(1, tests + 1)]
    return {"language": language, "test_cases": cases, "time_limit": time_limit, "memory_limit": 256}


def double_info() -> dict:
    cases = [{"input": f"{i}\n", "output": f"{2 * i}\n"} for i in (1, 5, 21)]
    return {"language": "python", "test_cases": cases, "time_limit": 1.0, "memory_limit": 256}


def broken_checker_info() -> dict:
    """A testlib checker that always exits 3 (FAIL): every verdict is JUDGE_ERROR."""
    info = aplusb_info("cpp", tests=1)
    info["checker"] = {"type": "program", "source": "check.cpp", "code": "int main(){return 3;}"}
    return info


PROBLEMS = {"1/A": aplusb_info("cpp"), "2/B": double_info(), "3/C": broken_checker_info()}


def fenced(code: str, label: str) -> str:
    body = code if code.endswith("\n") else code + "\n"
    return f"Here is my solution.\n\n```{label}\n{body}```\n"


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory) -> Path:
    """A dataset folder as build-dataset writes it: data/problems/*.parquet with id and
    verification_info (JSON text), split over two files to exercise the index."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("dataset")
    folder = root / "data" / "problems"
    folder.mkdir(parents=True)
    items = list(PROBLEMS.items())
    for number, part in enumerate((items[:2], items[2:])):
        table = pa.table({"id": [pid for pid, _ in part], "title": [f"problem {pid}" for pid, _ in part],
                          "verification_info": [json.dumps(info) for _, info in part]})
        pq.write_table(table, folder / f"train-{number:05d}-of-00002.parquet", row_group_size=1)
    return root


@pytest.fixture(scope="session")
def server(dataset_dir):
    """The shared server: token auth on, the test dataset loaded."""
    with ServerProcess(["--workers", "2", "--problems", str(dataset_dir), "--token", TOKEN]) as running:
        yield running


@pytest.fixture(scope="session")
def headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def expect(judge):
    """expect(completion, info, language=None, score="binary") -> (verdict, score) from the
    judge called directly, extraction included."""

    def judged(completion, info: dict, language: str | None = None, score: str = "binary"):
        extracted = extract_code(completion, language or info.get("language"))
        if not extracted.found:
            return "NO_CODE", 0.0
        problem = problem_from_verification_info(info)
        result = judge.judge(problem, extracted.code, extracted.language, JudgeOptions(score=score))
        return result.verdict.value, result.score

    return judged

"""The shared completion table through the reward adapters, in this process: every case whose
program is a correct A+B scores 1.0 through TRL's reward function and verl's `compute_score`,
and a case with no code scores 0.0 (no code is a wrong answer, not a judge failure).

The server's request paths and the pipeline's candidate rows replay the same table
(tests/server/test_extraction_paths.py, tests/extract/test_completion_cases.py)."""

from __future__ import annotations

import asyncio
import json

import pytest

from extract.completion_cases import CASES

APLUSB = {"test_cases": [{"input": "1 2\n", "output": "3\n"}, {"input": "-5 12\n", "output": "7\n"}],
          "time_limit": 2, "memory_limit": 256}
# C, C++ and Python keep the suite quick; Java and PyPy go through the same extraction.
JUDGED = [c for c in CASES if c.aplusb and c.expected_language in ("c17", "cpp17", "python3")]
# Without a language hint: with one, the adapters' default lets a labelled fence win over the
# row's language (`language_from="fence"`), where `extract_code` holds the hint strictly.
NO_CODE = [c for c in CASES if c.code is None and c.language is None][:4]


@pytest.fixture(scope="module")
def trl_reward():
    from sandbox.rewards.trl import make_trl_reward

    return make_trl_reward(None, workers=2)


def test_the_table_has_cases_for_the_adapters() -> None:
    assert len(JUDGED) >= 10 and NO_CODE


def test_trl_scores_every_correct_completion_in_the_table(trl_reward) -> None:
    completions = [c.completion for c in JUDGED]
    rows = len(completions)
    rewards = asyncio.run(trl_reward(prompts=["solve a + b"] * rows, completions=completions,
                                     completion_ids=[[0]] * rows, verification_info=[APLUSB] * rows,
                                     language=[c.language for c in JUDGED]))
    assert rewards == [1.0] * rows, [(c.id, r) for c, r in zip(JUDGED, rewards) if r != 1.0]


def test_trl_scores_completions_without_code_zero(trl_reward) -> None:
    rows = len(NO_CODE)
    rewards = asyncio.run(trl_reward(prompts=["solve a + b"] * rows, completions=[c.completion for c in NO_CODE],
                                     completion_ids=[[0]] * rows, verification_info=[APLUSB] * rows))
    assert rewards == [0.0] * rows, [(c.id, r) for c, r in zip(NO_CODE, rewards)]


# verl hands over the decoded response as a string, so the chat-message cases are TRL's alone.
@pytest.mark.parametrize("case", [c for c in JUDGED if isinstance(c.completion, str)][:6], ids=lambda c: c.id)
def test_verl_scores_correct_completions_from_the_table(case) -> None:
    from sandbox.rewards.verl import compute_score

    result = compute_score("cpforge/test", case.completion, json.dumps(APLUSB), {"language": case.language})
    assert result["score"] == 1.0, (case.id, result)

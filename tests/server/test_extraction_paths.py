"""The shared extraction table (tests/extract/completion_cases.py) through a real `verifier
serve`: `/v1/judge` with the completion as TRL or a client sends it, and `/get_reward` with
the query as OpenRLHF builds it (prompt + response, chat-template tokens kept). Every case
whose program is a correct A+B must score 1.0 on both; a case with no code scores 0.0 as
NO_CODE with the extractor's reason."""

from __future__ import annotations

import json

import httpx
import pytest

from extract.completion_cases import CASES, Case

from .conftest import aplusb_info

# Where the chat templates of the table's cases open the assistant's turn (the end of the
# prompt OpenRLHF sends in `prompts`).
ASSISTANT_HEADERS = ("<|im_start|>assistant\n", "<|start_header_id|>assistant<|end_header_id|>\n\n", "[/INST]",
                     "<｜Assistant｜>", "<|start|>assistant<|channel|>final<|message|>")


def prompt_of(query: str) -> str | None:
    ends = [query.rfind(h) + len(h) for h in ASSISTANT_HEADERS if h in query]
    return query[:max(ends)] if ends else None


# Java and PyPy are left to their own tests: a JVM start per case costs more than it checks here.
JUDGED = [c for c in CASES if c.aplusb and c.expected_language in ("cpp17", "python3", "c17")]
NO_CODE = [c for c in CASES if c.code is None and c.completion != ""]
# OpenRLHF's query: a string holding the chat template's assistant header.
TEMPLATED = [c for c in JUDGED if isinstance(c.completion, str) and prompt_of(c.completion)]


def judge(server, headers, case: Case) -> dict:
    body = {"completion": case.completion, "verification_info": aplusb_info(language=None),
            "options": {"include_tests": False}}
    if case.language:
        body["language"] = case.language
    response = httpx.post(server.url + "/v1/judge", json=body, headers=headers, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("case", JUDGED, ids=lambda c: c.id)
def test_judge_scores_correct_extracted_programs(server, headers, case):
    data = judge(server, headers, case)
    assert (data["verdict"], data["score"], data["language"]) == ("AC", 1.0, case.expected_language), data


@pytest.mark.parametrize("case", NO_CODE, ids=lambda c: c.id)
def test_judge_reports_no_code_with_its_reason(server, headers, case):
    data = judge(server, headers, case)
    assert data["verdict"] == "NO_CODE" and data["score"] == 0.0, data
    assert case.reason is not None and case.reason in data["message"], data


def test_there_are_enough_cases():
    assert len(JUDGED) >= 20 and len(TEMPLATED) >= 4 and len(NO_CODE) >= 5


@pytest.mark.parametrize("case", TEMPLATED, ids=lambda c: c.id)
def test_openrlhf_query_with_chat_template_scores_one(server, headers, case):
    """OpenRLHF decodes with skip_special_tokens=False: the prompt is the templated text up
    to the assistant header, the query that plus the response and its end token."""
    query = case.completion
    label = json.dumps(aplusb_info(language=None))  # tests inline, no language: the fence decides
    params = {"language": case.language} if case.language else {}
    for prompt in (prompt_of(query), "Solve it."):  # a prompt that is not a prefix: the whole query is read
        body = {"query": [query], "prompts": [prompt], "labels": [label]}
        response = httpx.post(server.url + "/get_reward", json=body, headers=headers, params=params, timeout=120)
        assert response.status_code == 200, response.text
        assert response.json()["rewards"] == [1.0], response.json()

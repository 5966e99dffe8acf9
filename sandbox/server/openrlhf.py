"""`POST /get_reward`: OpenRLHF's remote reward protocol.

OpenRLHF posts `{"query": [prompt + response], "prompts": [prompt], "labels": [label]}` and
reads `{"rewards", "scores", "extra_logs"}`. Its rewards become a tensor, so a sample cannot
be "missing": when the judge itself fails, the whole request answers 503 (OpenRLHF retries)
instead of inventing a reward, unless the URL asks for a number (`?judge_error_reward=0`).
Other knobs ride in the URL too (`?score=weighted_sum&language=cpp`), since the body's shape
is fixed by OpenRLHF."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sandbox.server.labels import LabelError, problem_fields
from sandbox.server.models import JudgeOptionsIn, ScoreMode, Submission, SubmissionResult

BAD_LABEL = ("invalid", "not_found")


class RewardRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    query: list[str] = Field(min_length=1)
    prompts: list[str] | None = None
    labels: list[Any] | None = None


class RewardResponse(BaseModel):
    rewards: list[float]
    scores: list[float]
    extra_logs: dict[str, list[float]]


# Where the assistant's turn begins in common chat templates (ChatML/Qwen, Llama 3,
# DeepSeek, Mistral/Llama 2, Gemma, Phi-3): the last one in a query opens the response.
ASSISTANT_MARKERS = ("<|im_start|>assistant", "<|start_header_id|>assistant<|end_header_id|>",
                     "<｜Assistant｜>", "[/INST]", "<start_of_turn>model", "<|assistant|>")
ANCHORS = (256, 64, 24)


def response_text(query: str, prompt: str | None) -> str:
    """The model's response alone, so that a fenced block in the prompt (a statement's sample
    test, say) is never judged as the answer. OpenRLHF's query is the decoded prompt +
    response tokens; it normally starts with `prompt` exactly. When it does not (decoding
    does not round-trip, or OpenRLHF cut the prompt from the left to fit max_len), the
    response starts after the prompt's last characters, then after the chat template's
    assistant marker; failing both, after as many characters as the prompt has."""
    if prompt:
        if query.startswith(prompt):
            return query[len(prompt):]
        for size in ANCHORS:
            tail = prompt[-size:]
            if len(tail.strip()) >= 8 or tail == prompt:  # a short tail could match inside the response
                found = query.find(tail)
                if found >= 0:
                    return query[found + len(tail):]
    cut = max((query.rfind(marker) + len(marker) if marker in query else -1) for marker in ASSISTANT_MARKERS)
    if cut >= 0:
        return query[cut:]
    if prompt:
        return query[len(prompt):] if len(query) > len(prompt) else ""
    return query


def build_submissions(request: RewardRequest, score: ScoreMode, language: str | None,
                      judge_error_reward: float | None) -> list[Submission]:
    """Raises LabelError (with the sample's index) for a label naming no problem."""
    count = len(request.query)
    prompts: Sequence[str | None] = request.prompts or [None] * count
    labels = request.labels
    if labels is None or len(labels) != count or len(prompts) != count:
        raise LabelError(f"query, prompts and labels must have the same length ({count})")
    options = JudgeOptionsIn(score=score, judge_error_score=judge_error_reward, include_tests=False)
    submissions = []
    for index, (query, prompt, label) in enumerate(zip(request.query, prompts, labels)):
        try:
            fields = problem_fields(label)
        except LabelError as exc:
            raise LabelError(f"sample {index}: {exc}") from None
        fields["language"] = language or fields.get("language")
        submissions.append(Submission(completion=response_text(query, prompt), options=options, **fields))
    return submissions


def reward_response(results: list[SubmissionResult], judge_error_reward: float | None) -> RewardResponse:
    rewards = []
    for result in results:
        score = result.score
        if score is None:
            score = judge_error_reward if judge_error_reward is not None else 0.0
        rewards.append(float(score))

    def rate(result: SubmissionResult) -> float:
        return result.passed / result.total if result.total else 0.0

    logs = {
        "accepted": [float(r.verdict == "AC") for r in results],
        "pass_rate": [rate(r) for r in results],
        "compile_error": [float(r.verdict == "CE") for r in results],
        "time_limit": [float(r.verdict == "TLE") for r in results],
        "no_code": [float(r.verdict == "NO_CODE") for r in results],
    }
    return RewardResponse(rewards=rewards, scores=list(rewards), extra_logs=logs)


def bad_labels(results: list[SubmissionResult]) -> list[str]:
    """Samples whose label names a problem that does not exist or cannot be read (422)."""
    return [f"sample {i}: {r.error.message}" for i, r in enumerate(results)
            if r.error is not None and r.error.kind in BAD_LABEL]


def failures(results: list[SubmissionResult], judge_error_reward: float | None) -> list[str]:
    """Infrastructure failures that forbid answering with rewards unless a fallback is set."""
    if judge_error_reward is not None:
        return []
    return [f"sample {i}: {r.error.kind}: {r.error.message}" for i, r in enumerate(results)
            if r.score is None and r.error is not None]


__all__ = [
    "RewardRequest", "RewardResponse", "bad_labels", "build_submissions", "failures", "response_text",
    "reward_response",
]

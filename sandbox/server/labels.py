"""Labels and ground truths from RL frameworks -> the problem half of a `Submission`.

OpenRLHF passes one label string per sample; verl passes `ground_truth` (a JSON string) and
`extra_info`. Both may carry a problem id, open-r1's `verification_info`, or verl's own
`{"inputs": [...], "outputs": [...]}` test lists. One parser for all of them keeps the
frameworks' rows interchangeable."""

from __future__ import annotations

import json
from typing import Any


class LabelError(ValueError):
    """The label names no problem we can judge."""


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def problem_fields(label: Any) -> dict[str, Any]:
    """`{"verification_info": ...}` or `{"problem_id": ...}`, plus `language` when the label
    names one. Raises LabelError for anything else."""
    if isinstance(label, bytes):
        label = label.decode("utf-8", errors="replace")
    if isinstance(label, str):
        text = label.strip()
        if not text:
            raise LabelError("empty label")
        if not text.startswith("{"):
            return {"problem_id": text}
        try:
            label = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LabelError(f"label is not valid JSON: {exc}") from None
    if not isinstance(label, dict):
        raise LabelError(f"label must be a problem id or a JSON object, got {type(label).__name__}")
    language = label.get("language") if isinstance(label.get("language"), str) else None
    extra = {"language": language} if language else {}
    if "verification_info" in label and label["verification_info"]:
        return {**problem_fields(label["verification_info"]), **extra}
    if "test_cases" in label:
        return {"verification_info": label, **extra}
    if "inputs" in label and "outputs" in label:
        if label.get("fn_name"):
            raise LabelError("call-based tests (fn_name) are not supported: only standard input/output")
        inputs, outputs = label["inputs"], label["outputs"]
        if not isinstance(inputs, list) or not isinstance(outputs, list) or len(inputs) != len(outputs):
            raise LabelError("inputs and outputs must be lists of the same length")
        info: dict[str, Any] = {"test_cases": [{"input": _as_text(i), "output": _as_text(o)}
                                               for i, o in zip(inputs, outputs)]}
        for key in ("time_limit", "memory_limit"):
            if label.get(key) is not None:
                info[key] = label[key]
        return {"verification_info": info, **extra}
    for key in ("problem_id", "id"):
        if label.get(key):
            return {"problem_id": str(label[key]), **extra}
    raise LabelError("label carries neither tests (test_cases, inputs/outputs) nor a problem id")


__all__ = ["LabelError", "problem_fields"]

"""Labels and ground truths from RL frameworks -> the problem half of a `Submission`.

OpenRLHF passes one label string per sample; verl passes `ground_truth` (a JSON string) and
`extra_info`. Both may carry a problem id, open-r1's `verification_info`, or verl's own
`{"inputs": [...], "outputs": [...]}` test lists, or an open-r1/codeforces row
(`official_tests`, `time_limit`, `memory_limit`, `generated_checker`, `input_mode`). One parser
for all of them keeps the frameworks' rows interchangeable."""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

# The open-r1/codeforces columns that describe how to judge, copied into `verification_info`.
OPEN_R1_FIELDS = ("time_limit", "memory_limit", "generated_checker", "input_mode")


class LabelError(ValueError):
    """The label names no problem we can judge."""


def open_r1_verification_info(row: Mapping[str, Any],
                              extra_tests: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """`verification_info` for an open-r1/codeforces row: its `official_tests` (a list of
    `{input, output}`, or its JSON text), then `extra_tests` (the generated ones), with the
    row's limits, `generated_checker` and `input_mode`. Raises LabelError when that leaves no
    test, or for an interactive problem (open-r1 rows carry no interactor)."""
    official = row.get("official_tests")
    if isinstance(official, str):
        try:
            official = json.loads(official) if official.strip() else []
        except json.JSONDecodeError as exc:
            raise LabelError(f"official_tests is not valid JSON: {exc}") from None
    if official is not None and not isinstance(official, (list, tuple)):
        raise LabelError(f"official_tests must be a list of {{input, output}}, got {type(official).__name__}")
    cases: list[dict[str, Any]] = []
    for case in [*(official or ()), *extra_tests]:
        if not isinstance(case, Mapping) or not isinstance(case.get("input"), str):
            raise LabelError("each test must be an object with an `input` string (and an `output`)")
        cases.append({"input": case["input"], "output": case.get("output"), "type": "stdin_stdout"})
    name = row.get("id") or row.get("problem_id")
    where = f"problem {name!r}" if name else "this row"
    if row.get("interaction_format"):
        raise LabelError(f"{where} is interactive, and an open-r1 row has no interactor to judge it with")
    if not cases:
        raise LabelError(f"{where} has no tests (official_tests is empty and no generated tests were found)")
    info: dict[str, Any] = {"test_cases": cases}
    for key in OPEN_R1_FIELDS:
        if row.get(key) is not None:
            info[key] = row[key]
    if name:
        info["problem_id"] = str(name)
    return info


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
    if label.get("official_tests") is not None:
        return {"verification_info": open_r1_verification_info(label), **extra}
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
    raise LabelError("label carries neither tests (test_cases, inputs/outputs, official_tests) nor a problem id")


__all__ = ["LabelError", "OPEN_R1_FIELDS", "open_r1_verification_info", "problem_fields"]

"""Pulling the program out of a model completion.

One function shared by the dataset builder and the reward server, so a completion earns the
same verdict whichever path judged it. Models write fences with every label under the sun
(```cpp, ```c++, ```py, none at all) and often show several blocks (an example, then the
answer): the convention, as in open-r1, is that the *last* fenced block is the answer."""

from __future__ import annotations

import re
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict

from .languages import UnknownLanguage, get_language

# Fence labels seen in completions, mapped to language ids. Unknown labels (```text,
# ```bash) are not code we can judge; a bare ``` is inferred from the code itself.
_LABELS: dict[str, str] = {
    "cpp": "cpp17", "c++": "cpp17", "cc": "cpp17", "cxx": "cpp17", "c++17": "cpp17",
    "cpp17": "cpp17", "c++20": "cpp20", "cpp20": "cpp20", "gnu++17": "cpp17", "g++": "cpp17",
    "c": "c17", "c17": "c17", "gcc": "c17",
    "python": "python3", "python3": "python3", "py": "python3", "py3": "python3",
    "pypy": "pypy3", "pypy3": "pypy3",
    "java": "java17", "java17": "java17",
}
_FAMILY = {"cpp17": "cpp", "cpp20": "cpp", "c17": "c", "python3": "python", "pypy3": "python",
           "java17": "java"}

# A fence opens at the start of a line with three or more backticks and an optional label,
# and closes with a line of at least as many backticks.
_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<ticks>`{3,})[ \t]*(?P<label>[^\s`]*)[^\n`]*$", re.M)


class ExtractedCode(BaseModel):
    """The program found in a completion. `code` is None when there is none to judge;
    `reason` then says why, so datasets can count such rows instead of dropping them."""

    model_config = ConfigDict(frozen=True)

    code: str | None
    language: str | None
    label: str | None = None
    inferred: bool = False
    reason: str = ""

    @property
    def found(self) -> bool:
        return self.code is not None


def completion_text(completion: Any) -> str:
    """The text of a completion given as a string, a chat message, or a list of messages
    (TRL's conversational format: the last assistant turn is the answer)."""
    if completion is None:
        return ""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        content = completion.get("content", "")
        if isinstance(content, list):  # multimodal content parts
            return "".join(part.get("text", "") for part in content if isinstance(part, dict))
        return content if isinstance(content, str) else str(content)
    if isinstance(completion, Iterable):
        messages = [m for m in completion if isinstance(m, dict)]
        assistant = [m for m in messages if m.get("role") == "assistant"]
        chosen = assistant[-1] if assistant else (messages[-1] if messages else None)
        return completion_text(chosen) if chosen is not None else ""
    return str(completion)


def _blocks(text: str) -> list[tuple[str, str, bool]]:
    """(label, body, closed) for each fenced block, in order."""
    blocks: list[tuple[str, str, bool]] = []
    position = 0
    while True:
        opening = _FENCE.search(text, position)
        if opening is None:
            return blocks
        ticks = opening.group("ticks")
        closing = re.compile(rf"^[ \t]{{0,3}}`{{{len(ticks)},}}[ \t]*$", re.M)
        end = closing.search(text, opening.end())
        body_start = opening.end() + 1
        if end is None:
            blocks.append((opening.group("label").lower(), text[body_start:], False))
            return blocks
        blocks.append((opening.group("label").lower(), text[body_start:end.start()], True))
        position = end.end()


def infer_language(code: str) -> str | None:
    """A best guess from the code itself, for bare fences and missing language columns."""
    if re.search(r"^\s*#\s*include\b", code, re.M):
        if re.search(r"\b(std::|using\s+namespace|cin\s*>>|cout\s*<<|template\s*<|class\s+\w+\s*\{)", code) \
                or re.search(r"#\s*include\s*<(bits/stdc\+\+\.h|iostream|vector|algorithm|string)>", code):
            return "cpp17"
        return "c17"
    if re.search(r"\bpublic\s+static\s+void\s+main\s*\(|^\s*import\s+java\.", code, re.M):
        return "java17"
    if re.search(r"^\s*(def\s+\w+\s*\(|import\s+\w+|from\s+\w+\s+import\b|print\s*\(|for\s+\w+\s+in\b)",
                 code, re.M) or "input()" in code:
        return "python3"
    return None


def _canonical(language: str | None) -> str | None:
    if not language:
        return None
    key = language.strip().lower()
    if key in _LABELS:
        return _LABELS[key]
    try:
        return get_language(key).id
    except UnknownLanguage:
        return None


def extract_code(completion: Any, language: str | None = None) -> ExtractedCode:
    """The last fenced block of a completion, with its language.

    `language` is a hint (a dataset's language column): when given, the last block whose
    label belongs to that language's family wins, and an unlabelled block is taken to be in
    it. Without a hint the label decides, and an unlabelled block is inferred from its code."""
    text = completion_text(completion)
    hint = _canonical(language)
    if language and hint is None:
        return ExtractedCode(code=None, language=None, reason=f"unknown language {language!r}")
    blocks = [b for b in _blocks(text) if b[2]]
    if not blocks:
        reason = "no code block (unterminated fence)" if _blocks(text) else "no code block"
        return ExtractedCode(code=None, language=hint, reason=reason)
    candidates = []
    for label, body, _ in blocks:
        label_language = _LABELS.get(label)
        if label and label_language is None:
            continue  # ```text, ```bash, ```output: not the answer's code
        candidates.append((label, body, label_language))
    if not candidates:
        return ExtractedCode(code=None, language=hint, reason="no code block in a judged language")
    if hint is not None:
        family = _FAMILY[hint]
        matching = [c for c in candidates if c[2] is None or _FAMILY[c[2]] == family]
        if matching:
            label, body, label_language = matching[-1]
            # The hint's exact dialect wins (pypy3 vs python3), the label only fills gaps.
            return ExtractedCode(code=body, language=hint, label=label or None)
        label, body, label_language = candidates[-1]
        return ExtractedCode(code=None, language=hint, label=label or None,
                             reason=f"the last code block is {label_language}, not {hint}")
    label, body, label_language = candidates[-1]
    if label_language is not None:
        return ExtractedCode(code=body, language=label_language, label=label)
    guessed = infer_language(body)
    if guessed is None:
        return ExtractedCode(code=body, language=None, reason="the code's language could not be inferred")
    return ExtractedCode(code=body, language=guessed, inferred=True)


__all__ = ["ExtractedCode", "completion_text", "extract_code", "infer_language"]

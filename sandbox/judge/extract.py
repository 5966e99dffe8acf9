"""Pulling the program out of a model completion.

One function shared by the dataset builder, the reward server and the RL adapters, so a
completion earns the same verdict whichever path judged it. It works on what models really
emit, in four steps, each its own small function:

1. `completion_text`: a string, a chat message or a list of messages (the last assistant
   turn) becomes text; `extract_code` then turns Windows newlines into ``\\n``.
2. `_answer_region`: what the model answered, as opposed to what it was asked or thought.
   OpenRLHF hands over prompt + response decoded with the chat template's tokens, so the
   last assistant turn is taken (``<|im_start|>assistant``, Llama 3's header, DeepSeek's
   ``<｜Assistant｜>``, Mistral's ``[/INST]``...) and cut at its end-of-turn token
   (``<|im_end|>``, ``<|eot_id|>``, ``</s>``, ``<｜end▁of▁sentence｜>``...); any other
   ``<|...|>`` token is dropped. A reasoning block (``<think>...</think>``) holds drafts, so
   only the text after its end counts; a ``<think>`` that never closes means the generation
   stopped while thinking, and there is no answer to judge.
3. `_blocks`: a line tokenizer of fences (not a regex over the whole text, which cannot
   count fence lengths or know whether it is inside a block). Fences are ``` or ~~~, three
   or more, at any indent (list items) or at the end of a prose line ("Here it is:
   ```python"; a bare fence there only after a colon). A block closes at the first line
   starting with at least as many fence characters, whatever follows on that line
   ("```<|im_end|>", "``` Hope this helps"), or at a code line ending in the fence ("}```").
   A longer fence may hold shorter ones. A block still open at the end (a truncated
   generation, or a stop sequence that ate the closing fence) runs to the end of the text
   and is marked `truncated`.
4. `extract_code`: the *last* block that is a program wins (the convention in open-r1:
   models show drafts or examples first). Blocks labelled with something that is not a judged
   language (```text, ```output, ```bash) are skipped, and so are unlabelled blocks that are
   plainly sample input/output (numbers and words, nothing that reads as code): R1-style
   answers often end with one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from sandbox.languages import FAMILIES, FENCE_LABELS

# Fence labels (lower-cased) and families come from the language registry: each plug-in
# lists what a fence may call it (``cpp``, ``C++17``, ``py``...). Unknown labels (```text,
# ```bash) are not code we can judge; a bare fence is inferred from the code itself.
_LABELS: dict[str, str] = FENCE_LABELS
_FAMILY: dict[str, str] = FAMILIES

REASON_EMPTY = "empty completion"
REASON_NO_BLOCK = "no code block"
REASON_THINKING = "the reasoning (<think>) never closes: the generation stopped before its answer"
REASON_AFTER_THINKING = "no code block after the reasoning (code inside <think> is a draft, not the answer)"
REASON_SAMPLES_ONLY = "no code block, only sample input/output"
REASON_NOT_JUDGED = "no code block in a judged language"
REASON_EMPTY_BLOCK = "no code block (the only block is empty; unterminated fence)"


class ExtractedCode(BaseModel):
    """The program found in a completion. `code` is None when there is none to judge;
    `reason` then says why, so datasets can count such rows instead of dropping them.
    `truncated`: the block had no closing fence (its code runs to the end of the answer)."""

    model_config = ConfigDict(frozen=True)

    code: str | None
    language: str | None
    label: str | None = None
    inferred: bool = False
    reason: str = ""
    truncated: bool = False

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
        if content is None:
            return ""
        return content if isinstance(content, str) else str(content)
    if isinstance(completion, Iterable):
        messages = [m for m in completion if isinstance(m, dict)]
        assistant = [m for m in messages if m.get("role") == "assistant"]
        chosen = assistant[-1] if assistant else (messages[-1] if messages else None)
        return completion_text(chosen) if chosen is not None else ""
    return str(completion)


# ---------------------------------------------------------------------------- the answer region

# Where an assistant turn starts in a chat template (ChatML/Qwen, Llama 3, DeepSeek, Mistral,
# Gemma, Phi-3, gpt-oss). Only the last one matters: the prompt's turns come before it.
_ASSISTANT_START = re.compile(
    r"<\|im_start\|>[ \t]*assistant[^\n<]*\n?"
    r"|<\|start_header_id\|>[ \t]*assistant[ \t]*<\|end_header_id\|>"
    r"|<｜Assistant｜>"
    r"|\[/INST\]"
    r"|<start_of_turn>[ \t]*model[ \t]*\n?"
    r"|<\|assistant\|>"
    r"|<\|start\|>[ \t]*assistant(?:<\|channel\|>[ \t]*final)?(?:<\|message\|>)?"
)
# Where a turn ends: nothing after it is the model's answer.
_TURN_END = re.compile(
    r"<\|im_end\|>|<\|eot_id\|>|<\|end_of_text\|>|<\|endoftext\|>|<\|end\|>|<\|return\|>"
    r"|</s>|<｜end▁of▁sentence｜>|<end_of_turn>|<eos>"
)
# Any other special token (`<|...|>`, DeepSeek's full-width `<｜...｜>`), dropped from the text.
_SPECIAL_TOKEN = re.compile(r"<\|[A-Za-z_][\w.:▁-]{0,63}\|>|<｜[^｜\n]{1,64}｜>|<s>")
_THINK_OPEN = re.compile(r"<(think|thinking|reasoning|seed:think)>|<\|begin_of_thought\|>", re.I)
_THINK_CLOSE = re.compile(r"</(think|thinking|reasoning|seed:think)>|<\|end_of_thought\|>", re.I)


@dataclass(frozen=True)
class _Region:
    text: str
    after_thinking: bool  # a reasoning block ended before this text
    thinking_unclosed: bool  # a reasoning block began and never ended


def _answer_region(text: str) -> _Region:
    """The part of `text` that is the model's answer (see the module docstring, step 2)."""
    starts = list(_ASSISTANT_START.finditer(text))
    if starts:
        text = text[starts[-1].end():]
    end = _TURN_END.search(text)
    if end is not None:
        text = text[:end.start()]
    closes = list(_THINK_CLOSE.finditer(text))
    if closes:
        # DeepSeek-R1 and Qwen3 templates put `<think>` in the prompt, so a completion may
        # hold only its end: the answer is what follows the last one either way.
        return _Region(_SPECIAL_TOKEN.sub("", text[closes[-1].end():]), True, False)
    opening = _THINK_OPEN.search(text)
    if opening is not None:
        return _Region(_SPECIAL_TOKEN.sub("", text[:opening.start()]), False, True)
    return _Region(_SPECIAL_TOKEN.sub("", text), False, False)


# ---------------------------------------------------------------------------- fences

# An opening fence at the start of a line (any indent): the info string's first word is the label.
_OPEN_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
# An opening fence ending a prose line ("Here it is: ```python"): only a label may follow it.
_OPEN_MID_LINE = re.compile(r"(?<![`~])(?P<fence>`{3,})[ \t]*(?P<info>[\w+#.-]*)[ \t]*$")
_LABEL = re.compile(r"[{.\s]*(?P<label>[\w+#.-]+)")


@dataclass(frozen=True)
class Block:
    """One fenced block: `label` is the lower-cased first word of its info string ("" when
    none), `body` its text with the fence's indent removed, `closed` False when the text ended
    inside it."""

    label: str
    body: str
    closed: bool


def _label(info: str) -> str:
    match = _LABEL.match(info)
    return match.group("label").lower() if match else ""


def _dedent(line: str, indent: int) -> str:
    """Remove up to `indent` leading spaces/tabs: an indented fence's body is indented too."""
    removed = 0
    while removed < indent and removed < len(line) and line[removed] in " \t":
        removed += 1
    return line[removed:]


def _blocks(text: str) -> list[Block]:
    """Every fenced block of `text`, in order (see the module docstring, step 3)."""
    blocks: list[Block] = []
    fence = ""  # the opening fence while inside a block, "" outside
    indent, label = 0, ""
    body: list[str] = []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the text's final newline ends a line; it does not start one
    for line in lines:
        if not fence:
            opening = _OPEN_LINE.match(line)
            if opening is not None and not (opening.group("fence")[0] == "`" and "`" in opening.group("info")):
                fence, indent = opening.group("fence"), len(opening.group("indent"))
                label, body = _label(opening.group("info")), []
                continue
            mid = _OPEN_MID_LINE.search(line)
            prefix = line[:mid.start()] if mid is not None else ""
            # Not "Output: ```3```"; and a bare fence ends a prose line only after a colon
            # ("Here it is: ```"), not in "wrap your code in ```".
            if mid is not None and "```" not in prefix and (mid.group("info") or prefix.rstrip().endswith(":")):
                fence, indent, label, body = mid.group("fence"), 0, _label(mid.group("info")), []
            continue
        char, size = fence[0], len(fence)
        stripped = line.lstrip(" \t")
        if stripped.startswith(char * size):
            blocks.append(Block(label, "".join(body), True))
            fence = ""
            continue
        tail = re.search(rf"(?<![{re.escape(char)}]){re.escape(char)}{{{size},}}[ \t]*$", line)
        if char == "`" and tail is not None and line[:tail.start()].strip():
            body.append(_dedent(line[:tail.start()], indent) + "\n")  # "}```": code, then the fence
            blocks.append(Block(label, "".join(body), True))
            fence = ""
            continue
        body.append(_dedent(line, indent) + "\n")
    if fence:
        code = "".join(body)
        if not text.endswith("\n") and code.endswith("\n"):
            code = code[:-1]  # the split added a newline the text never had
        blocks.append(Block(label, code, False))
    return blocks


# ---------------------------------------------------------------------------- languages

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


# Something only code has: a statement end, braces, an assignment or call, a keyword.
_CODE_SIGNAL = re.compile(
    r"[;{}]|\w\s*\(|[^=!<>]=[^=]|^\s*#|\b(def|return|if|else|elif|while|for|in|import|class|int|long|void|"
    r"print|input|cin|cout|scanf|printf|auto|const|struct|lambda)\b", re.M)


def _is_sample_data(body: str) -> bool:
    """An unlabelled block that is plainly sample input or output: numbers, words and
    punctuation, nothing that reads as code ("3\\n1 2 3", "YES", "Case #1: 4")."""
    if not body.strip():
        return False
    return infer_language(body) is None and _CODE_SIGNAL.search(body) is None


def _canonical(language: str | None) -> str | None:
    if not language:
        return None
    return _LABELS.get(language.strip().lower())  # ids and aliases are fence labels too


def _family(language: str) -> str:
    return _FAMILY.get(language, language)


# ---------------------------------------------------------------------------- extraction

@dataclass(frozen=True)
class _Candidate:
    block: Block
    language: str | None  # from the label; None for an unlabelled block


def _no_code(reason: str, language: str | None, label: str | None = None) -> ExtractedCode:
    return ExtractedCode(code=None, language=language, label=label, reason=reason)


def _found(candidate: _Candidate, language: str | None, inferred: bool = False, reason: str = "") -> ExtractedCode:
    block = candidate.block
    return ExtractedCode(code=block.body, language=language, label=block.label or None, inferred=inferred,
                         reason=reason, truncated=not block.closed)


def extract_code(completion: Any, language: str | None = None) -> ExtractedCode:
    """The program of a completion: the last fenced block that is code, with its language.

    `language` is a hint (a dataset's language column): when given, the last block whose
    label belongs to that language's family wins, and an unlabelled block is taken to be in
    it. Without a hint the label decides, and an unlabelled block is inferred from its code."""
    text = completion_text(completion).replace("\r\n", "\n").replace("\r", "\n")
    hint = _canonical(language)
    if language and hint is None:
        return _no_code(f"unknown language {language!r}", None)
    if not text.strip():
        return _no_code(REASON_EMPTY, hint)
    region = _answer_region(text)
    blocks = [b for b in _blocks(region.text) if b.body.strip()]
    if not blocks:
        if region.thinking_unclosed:
            return _no_code(REASON_THINKING, hint)
        if region.after_thinking:
            return _no_code(REASON_AFTER_THINKING, hint)
        if _blocks(region.text):
            return _no_code(REASON_EMPTY_BLOCK, hint)
        return _no_code(REASON_NO_BLOCK, hint)
    candidates = []
    for block in blocks:
        label_language = _canonical(block.label) if block.label else None
        if block.label and label_language is None:
            continue  # ```text, ```bash, ```output: not the answer's code
        if not block.label and _is_sample_data(block.body):
            continue  # an example's input or output, shown after (or before) the program
        candidates.append(_Candidate(block, label_language))
    if not candidates:
        labelled = any(b.label for b in blocks)
        samples = any(not b.label for b in blocks)
        return _no_code(REASON_SAMPLES_ONLY if samples and not labelled else REASON_NOT_JUDGED, hint)
    if hint is not None:
        family = _family(hint)
        matching = [c for c in candidates if c.language is None or _family(c.language) == family]
        if matching:
            # The hint's exact dialect wins (pypy3 vs python3), the label only fills gaps.
            return _found(matching[-1], hint)
        last = candidates[-1]
        return _no_code(f"the last code block is {last.language}, not {hint}", hint, last.block.label or None)
    last = candidates[-1]
    if last.language is not None:
        return _found(last, last.language)
    guessed = infer_language(last.block.body)
    if guessed is None:
        return _found(last, None, reason="the code's language could not be inferred")
    return _found(last, guessed, inferred=True)


__all__ = ["Block", "ExtractedCode", "completion_text", "extract_code", "infer_language"]

"""Statement prompts in the style of ``open-r1/codeforces`` (config ``verifiable-prompts``).

open-r1's prompt is the task first (reason step by step, then write a complete program in a
named language that reads standard input and writes standard output, in one fenced block),
then the statement as Markdown: the problem text, its limits, the input and output formats,
the examples as ``input``/``output`` fenced blocks and the note. The text below is cpforge's
own wording of that structure.

The ``language`` column says which language a prompt asks for. It uses open-r1's names where
open-r1 has one (``python``, ``cpp``) and cpforge's language ids otherwise (``pypy3``,
``cpp20``, ``c17``, ``java17``); every one of them is a language name the judge and the reward
functions accept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.languages import get_language
from sandbox.languages.base import PromptHint

__all__ = ["DEFAULT_PROMPT_LANGUAGE", "PromptLanguage", "prompt_language", "statement_prompt"]

DEFAULT_PROMPT_LANGUAGE = "python"


# How a prompt names and asks for each language comes from the language registry (each
# language's `prompt`), so a new language needs no edit here.
PromptLanguage = PromptHint


def prompt_language(name: str) -> PromptHint:
    """The prompt settings for a language name (``python``, ``cpp``, ``c++17``, ``java``...).
    Raises ``ValueError`` for a language the judge does not know."""
    language = get_language(name)  # UnknownLanguage is a ValueError
    if language.prompt is None:
        raise ValueError(f"no statement prompt for language {name!r}")
    return language.prompt


def _limit(value: Any, unit: str) -> str:
    number = float(value)
    return f"{number:g} {unit}" + ("" if number == 1 else "s")


def _section(title: str, text: Any) -> list[str]:
    text = (text or "").strip() if isinstance(text, str) or text is None else str(text)
    return [f"## {title}", "", text, ""] if text else []


def statement_prompt(row: Mapping[str, Any], language: str) -> str | None:
    """The prompt for one problem row (the ``problems`` config's columns), asking for a
    solution in ``language``; None when the row has no statement to show."""
    description = row.get("description")
    if not isinstance(description, str) or not description.strip():
        return None
    lang = prompt_language(language)
    interactive = bool(row.get("interactive")) or bool(row.get("interaction_format"))
    input_file, output_file = row.get("input_file"), row.get("output_file")
    if interactive:
        io = ("This is an interactive problem: your program talks to the jury's program through standard input "
              f"({lang.read}) and standard output ({lang.write}); flush the output after every line you print.")
    elif input_file or output_file:
        reads = f"the file `{input_file}`" if input_file else f"standard input ({lang.read})"
        writes = f"the file `{output_file}`" if output_file else f"standard output ({lang.write})"
        io = f"Your program must read its input from {reads} and write its answer to {writes}."
    else:
        io = (f"Your program must read its input from standard input ({lang.read}) and write its answer to "
              f"standard output ({lang.write}).")
    lines = [
        "You are given a competitive programming problem. Think it through step by step first, then write a "
        f"complete, efficient solution in {lang.display}.",
        "",
        f"{io} Print nothing besides the answer: no prompts for input, no debug output.",
        "",
        "Give your final solution as a single code block:",
        f"```{lang.fence}",
        "<your code here>",
        "```",
        "",
        f"# Problem: {row.get('title') or row.get('id') or ''}".rstrip(),
        "",
        description.strip(),
        "",
    ]
    limits = []
    if row.get("time_limit"):
        limits.append(f"Time limit per test: {_limit(row['time_limit'], 'second')}")
    if row.get("memory_limit"):
        limits.append(f"Memory limit per test: {_limit(row['memory_limit'], 'megabyte')}")
    if limits:
        lines += ["## Limits", "", *limits, ""]
    lines += _section("Input Format", row.get("input_format"))
    lines += _section("Output Format", row.get("output_format"))
    lines += _section("Interaction Format", row.get("interaction_format"))
    examples = [e for e in row.get("examples") or [] if e and e.get("input") is not None]
    if examples:
        lines += ["## Examples", ""]
        for example in examples:
            lines += ["```input", str(example["input"]).rstrip("\n"), "```",
                      "```output", str(example.get("output") or "").rstrip("\n"), "```", ""]
    lines += _section("Note", row.get("note"))
    return "\n".join(lines).rstrip("\n") + "\n"

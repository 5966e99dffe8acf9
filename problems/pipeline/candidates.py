"""Candidate solutions from files, folders or Hub datasets, in either of two shapes.

* Code rows: ``(problem_id, language, code)``; the language is inferred when missing.
* Model completions: plain text (``generation``, ``completion``, ``response``) or chat
  messages (``messages``, as in ``open-r1/codeforces-cots``). The program is pulled out with
  `sandbox.extract.extract_code`, the one extraction function cpforge shares with its reward
  server, so a completion earns the same verdict on either path.

A row without usable code still becomes a `Candidate` (with ``no_code_reason``): it is
counted and written to the ``all`` config, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from problems.pipeline.model import Candidate, code_hash
from problems.pipeline.tables import display_name, read_rows
from sandbox.extract import extract_code, infer_language
from sandbox.languages import UnknownLanguage, get_language

__all__ = ["candidate_from_code", "candidate_from_row", "read_candidates"]

_ID_COLUMNS = ("problem_id", "id", "problem", "pid")
_LANGUAGE_COLUMNS = ("language", "lang", "programming_language")
_CODE_COLUMNS = ("code", "solution", "source_code", "program")
_COMPLETION_COLUMNS = ("generation", "completion", "response", "messages", "text")
_EXPECTED_COLUMNS = ("expected", "expected_verdict")
_AUTHOR_COLUMNS = ("author", "model")


def _first(row: dict[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    for name in names:
        value = row.get(name)
        if value is not None and value != "" and value != []:
            return name, value
    return None, None


def _canonical_language(language: str | None) -> tuple[str | None, str | None]:
    """(language id, reason it is unusable)."""
    if not language:
        return None, None
    try:
        return get_language(str(language)).id, None
    except UnknownLanguage:
        return None, f"unknown language {language!r}"


def candidate_from_code(*, row: int, source: str, source_row: int, problem_id: str | None, language: str | None,
                        code: str | None, **extra: Any) -> Candidate:
    """A candidate given as source code. A missing language is inferred from the code."""
    if code is None or not str(code).strip():
        return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=None,
                         code=None, extraction="none", no_code_reason="empty code", **extra)
    code = str(code)
    canonical, problem = _canonical_language(language)
    extraction = "code"
    if problem is not None:
        return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=None,
                         code=code, extraction=extraction, no_code_reason=problem, **extra)
    if canonical is None:
        canonical, extraction = infer_language(code), "inferred"
        if canonical is None:
            return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=None,
                             code=code, extraction=extraction, no_code_reason="the code's language could not be inferred",
                             **extra)
    return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=canonical,
                     code=code, code_hash=code_hash(code), extraction=extraction, **extra)


def _messages(value: Any) -> list[dict[str, str]] | None:
    if not isinstance(value, (list, tuple)):
        return None
    out = []
    for message in value:
        if isinstance(message, dict):
            out.append({"role": str(message.get("role", "")), "content": str(message.get("content") or "")})
    return out or None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    messages = _messages(value)
    if messages is not None:
        return "\n\n".join(f"{m['role']}: {m['content']}" for m in messages)
    return str(value)


def _problem_id(row: dict[str, Any]) -> str | None:
    _, value = _first(row, _ID_COLUMNS)
    if value is not None:
        return str(value)
    if row.get("contest_id") is not None and row.get("index"):
        return f"{int(row['contest_id'])}/{row['index']}"
    return None


def candidate_from_row(data: dict[str, Any], *, row: int, source: str, source_row: int) -> Candidate:
    """One input row in either shape (see the module docstring)."""
    problem_id = _problem_id(data)
    _, language = _first(data, _LANGUAGE_COLUMNS)
    _, expected = _first(data, _EXPECTED_COLUMNS)
    _, author = _first(data, _AUTHOR_COLUMNS)
    extra: dict[str, Any] = dict(expected=str(expected) if expected is not None else None,
                                 author=str(author) if author is not None else None,
                                 prompt=_text(data.get("prompt")))
    code_column, code = _first(data, _CODE_COLUMNS)
    if code_column is not None and isinstance(code, str):
        return candidate_from_code(row=row, source=source, source_row=source_row, problem_id=problem_id,
                                   language=language, code=code, **extra)
    completion_column, completion = _first(data, _COMPLETION_COLUMNS)
    messages = _messages(data.get("messages"))
    generation = completion if isinstance(completion, str) else None
    extra.update(generation=generation, messages=messages)
    if completion_column is None:
        return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=None,
                         code=None, extraction="none", no_code_reason="no code or completion column", **extra)
    found = extract_code(completion, str(language) if language else None)
    if not found.found:
        return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id,
                         language=found.language, code=None, extraction="none", no_code_reason=found.reason, **extra)
    if found.language is None:
        return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=None,
                         code=found.code, extraction="fenced", no_code_reason=found.reason or "unknown language",
                         **extra)
    return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=found.language,
                     code=found.code, code_hash=code_hash(found.code or ""),
                     extraction="inferred" if found.inferred else "fenced", **extra)


def iter_candidates(specs: Iterable[str], *, config: str | None = None, split: str | None = None,
                    start: int = 0) -> Iterator[Candidate]:
    row = start
    for spec in specs:
        source = display_name(spec)
        for source_row, data in enumerate(read_rows(spec, config=config, split=split)):
            yield candidate_from_row(data, row=row, source=source, source_row=source_row)
            row += 1


def read_candidates(specs: Iterable[str], *, config: str | None = None, split: str | None = None,
                    start: int = 0) -> list[Candidate]:
    """Every candidate row of every source, numbered in reading order."""
    return list(iter_candidates(specs, config=config, split=split, start=start))

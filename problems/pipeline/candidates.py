"""Candidate solutions from files, folders or Hub datasets, in either of two shapes.

* Code rows: ``(problem_id, language, code)``; the language is inferred when missing.
* Model completions: plain text (``generation``, ``completion``, ``response``) or chat
  messages (``messages``, as in ``open-r1/codeforces-cots``). The program is pulled out with
  `sandbox.judge.extract.extract_code`, the one extraction function cpforge shares with its reward
  server, so a completion earns the same verdict on either path.

A row without usable code still becomes a `Candidate` (with ``no_code_reason``): it is
counted and written to the ``all`` config, never silently dropped. So does a malformed row
(not an object, or a column of the wrong type such as a numeric ``code``): it is kept with
``extraction = "malformed"`` and the defect as its reason, and the run lists it by file and
row (`malformed_rows`). One bad row in a large or remote dataset should not cost the run,
nor vanish from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from problems.pipeline.model import Candidate, code_hash
from problems.pipeline.tables import display_name, read_located_rows, value_kind
from sandbox.judge.extract import extract_code, infer_language
from sandbox.languages import UnknownLanguage, get_language

__all__ = ["MALFORMED", "candidate_from_code", "candidate_from_row", "malformed_rows", "read_candidates",
           "row_defect"]

_ID_COLUMNS = ("problem_id", "id", "problem", "pid")
_LANGUAGE_COLUMNS = ("language", "lang", "programming_language")
_CODE_COLUMNS = ("code", "solution", "source_code", "program")
_COMPLETION_COLUMNS = ("generation", "completion", "response", "messages", "text")
_EXPECTED_COLUMNS = ("expected", "expected_verdict")
_AUTHOR_COLUMNS = ("author", "model")
MALFORMED = "malformed"
"""The ``extraction`` of a row that could not be read as a candidate at all."""


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
                             code=code, extraction=extraction,
                             no_code_reason="the code's language could not be inferred", **extra)
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


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


def _is_chat(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(message, dict) for message in value)


def row_defect(data: Any) -> str | None:
    """Why a row cannot be read as a candidate at all (None: it can). Only the columns
    this module would use are checked, so a dataset's unrelated columns never matter."""
    if not isinstance(data, dict):
        return f"not an object but {value_kind(data)}"
    name, value = _first(data, _ID_COLUMNS)
    if name is None and data.get("contest_id") is not None:
        name, value = "contest_id", data["contest_id"]
        if not _is_integer(value):
            return f"`contest_id` is {value_kind(value)} {str(value)[:40]!r}, expected a number"
    if name is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
        return f"`{name}` is {value_kind(value)}, expected text"
    name, value = _first(data, _LANGUAGE_COLUMNS)
    if name is not None and not isinstance(value, str):
        return f"`{name}` is {value_kind(value)}, expected text"
    name, value = _first(data, _CODE_COLUMNS)
    if name is not None and not isinstance(value, str):
        return f"`{name}` is {value_kind(value)}, expected text"
    if name is None:
        name, value = _first(data, _COMPLETION_COLUMNS)
        if name == "messages" and not _is_chat(value):
            return "`messages` is not a list of chat messages (objects with role and content)"
        if name is not None and name != "messages" and not isinstance(value, str) and not _is_chat(value):
            return f"`{name}` is {value_kind(value)}, expected text or chat messages"
    return None


def _malformed(data: Any, defect: str, *, row: int, source: str, source_row: int) -> Candidate:
    problem_id = None
    if isinstance(data, dict):
        try:
            problem_id = _problem_id(data)
        except (TypeError, ValueError):
            problem_id = None
    return Candidate(row=row, source=source, source_row=source_row, problem_id=problem_id, language=None,
                     code=None, extraction=MALFORMED, no_code_reason=f"malformed row: {defect}")


def malformed_rows(candidates: Iterable[Candidate]) -> list[str]:
    """One line per malformed row, naming its file and row there (from 0: for a single
    file, the ``source_row`` of the ``all`` config)."""
    return [f"{c.location or f'{c.source} row {c.source_row}'}: {c.no_code_reason}"
            for c in candidates if c.extraction == MALFORMED]


def candidate_from_row(data: Any, *, row: int, source: str, source_row: int) -> Candidate:
    """One input row in either shape (see the module docstring)."""
    defect = row_defect(data)
    if defect is not None:
        return _malformed(data, defect, row=row, source=source, source_row=source_row)
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
        located = read_located_rows(spec, config=config, split=split)
        for source_row, (where, number, data) in enumerate(located):
            candidate = candidate_from_row(data, row=row, source=source, source_row=source_row)
            if candidate.extraction == MALFORMED:
                candidate.location = f"{where} row {number}"
            yield candidate
            row += 1


def read_candidates(specs: Iterable[str], *, config: str | None = None, split: str | None = None,
                    start: int = 0) -> list[Candidate]:
    """Every candidate row of every source, numbered in reading order."""
    return list(iter_candidates(specs, config=config, split=split, start=start))

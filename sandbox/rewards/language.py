"""Which language a completion is judged in: the fence's or the dataset row's.

One rule for every adapter. `"fence"` (the default, as the README's request rules say): a
labelled fence (```cpp, ```py) decides, and the row's language is used for a bare fence.
`"row"`: the row's language decides and only a block in it is judged (open-r1's
`cf_code_reward` does this); a block in another language is NO_CODE."""

from __future__ import annotations

from typing import Any, Literal

from sandbox.judge.extract import extract_code

LanguageFrom = Literal["fence", "row"]


def choose_language(completion: Any, row_language: Any, default: str | None, language_from: LanguageFrom) -> str | None:
    """The language to judge in. "fence": a labelled fence's language, else the row's (or
    `default`) for a bare fence. "row": the row's (or `default`); a block in another
    language is then NO_CODE, as in open-r1."""
    wanted = row_language if isinstance(row_language, str) and row_language.strip() else default
    if language_from == "row":
        return wanted
    extracted = extract_code(completion)
    if extracted.found and extracted.label and extracted.language:
        return extracted.language
    return wanted


__all__ = ["LanguageFrom", "choose_language"]

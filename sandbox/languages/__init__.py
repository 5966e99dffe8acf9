"""Language registry: ids, aliases and file extensions resolve to one plug-in each."""

from __future__ import annotations

from pathlib import Path

from .base import Language
from .java import JAVA17
from .native import C17, CPP17, CPP20
from .python import PYPY3, PYTHON3

LANGUAGES: dict[str, Language] = {lang.id: lang for lang in (C17, CPP17, CPP20, PYTHON3, PYPY3, JAVA17)}
_ALIASES = {alias: lang for lang in LANGUAGES.values() for alias in (lang.id, *lang.aliases)}


class UnknownLanguage(ValueError):
    pass


def get_language(name: str | Language) -> Language:
    if isinstance(name, Language):
        return name
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise UnknownLanguage(f"unknown language {name!r}; known: {', '.join(sorted(LANGUAGES))}")


def language_for_file(path: str | Path) -> Language:
    suffix = Path(path).suffix.lower()
    for lang in LANGUAGES.values():
        if suffix in lang.extensions:
            return lang
    raise UnknownLanguage(f"cannot tell the language of {str(path)!r} from its extension; pass --lang")


__all__ = ["LANGUAGES", "Language", "UnknownLanguage", "get_language", "language_for_file"]

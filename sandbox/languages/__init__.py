"""The language registry: ids, aliases, fence labels and file extensions resolve to one
plug-in each, and every table about languages elsewhere (the completion extractor's labels
and families, the CLI's help, the bundled manifests' schema, the SandboxFusion server) is
derived from it.

Adding a language is one module here, `<name>.py`, whose `PROVIDES` tuple holds its
`Language` objects (see `base.py` for every field), plus its module name in `PLUGINS`
below. The registry checks at import that no id, alias, fence label or extension is
claimed twice, and tests/sandbox/test_languages.py runs every language's self-test."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path

from sandbox.languages.base import Language, PromptHint, SelfTest

# One line per plug-in module, in the order languages are listed (doctor, --lang help).
PLUGINS = (
    "c",
    "cpp",  # cpp17 and cpp20: one toolchain, two standards
    "python",
    "pypy",
    "java",
)


class UnknownLanguage(ValueError):
    pass


def _load(modules: tuple[str, ...]) -> dict[str, Language]:
    languages: dict[str, Language] = {}
    for module_name in modules:
        module = importlib.import_module(f"{__name__}.{module_name}")
        provided = getattr(module, "PROVIDES", None)
        if not provided or not all(isinstance(lang, Language) for lang in provided):
            raise TypeError(f"{module.__name__}.PROVIDES must be a non-empty tuple of Language")
        for lang in provided:
            if lang.id in languages:
                raise ValueError(f"language id {lang.id!r} is registered twice")
            languages[lang.id] = lang
    return languages


def _index(languages: dict[str, Language], what: str,
           keys_of: Callable[[Language], Iterable[str]]) -> dict[str, Language]:
    """key -> language over every language's keys, refusing a key two languages claim."""
    index: dict[str, Language] = {}
    for lang in languages.values():
        for key in keys_of(lang):
            key = key.strip().lower()
            owner = index.setdefault(key, lang)
            if owner is not lang:
                raise ValueError(f"{what} {key!r} is claimed by both {owner.id} and {lang.id}")
    return index


LANGUAGES: dict[str, Language] = _load(PLUGINS)
_ALIASES = _index(LANGUAGES, "alias", lambda lang: (lang.id, *lang.aliases))
_EXTENSIONS = _index(LANGUAGES, "extension", lambda lang: lang.extensions)
# What a Markdown code fence may say, lower-cased: ids, aliases and fence labels.
FENCE_LABELS: dict[str, str] = {label: lang.id for label, lang in _index(
    LANGUAGES, "fence label", lambda lang: (lang.id, *lang.aliases, *lang.fence_labels)).items()}
# Language id -> its family (the extractor's "a block labelled cpp20 answers a cpp17 hint").
FAMILIES: dict[str, str] = {lang.id: lang.family_name for lang in LANGUAGES.values()}
INTERPRETED: frozenset[str] = frozenset(lang.id for lang in LANGUAGES.values() if lang.interpreted)


def get_language(name: str | Language) -> Language:
    if isinstance(name, Language):
        return name
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise UnknownLanguage(f"unknown language {name!r}; known: {', '.join(sorted(LANGUAGES))}")


def language_for_file(path: str | Path) -> Language:
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    raise UnknownLanguage(f"cannot tell the language of {str(path)!r} from its extension; pass --lang")


def language_id(value: str) -> str:
    """`value` if it is a registered language id (not an alias); a ValueError otherwise.
    The validator of schemas whose language field holds canonical ids."""
    if value not in LANGUAGES:
        raise ValueError(f"unknown language id {value!r}; known: {', '.join(LANGUAGES)}")
    return value


def toolchain_packages() -> list[str]:
    """The Debian packages of every registered toolchain, once each, in registry order."""
    return list(dict.fromkeys(package for lang in LANGUAGES.values() for package in lang.packages))


def language_list() -> str:
    """The registered ids, for help texts: "c17, cpp17, ..."."""
    return ", ".join(LANGUAGES)


__all__ = ["FAMILIES", "FENCE_LABELS", "INTERPRETED", "LANGUAGES", "PLUGINS", "Language", "PromptHint", "SelfTest",
           "UnknownLanguage", "get_language", "language_for_file", "language_id", "language_list", "toolchain_packages"]

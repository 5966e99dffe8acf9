"""Reading a package's programs (generators, validators, solutions) from disk.

Every program is named by a path relative to its package, which must stay inside it (a
package is untrusted input too), and gets a registered language: the one given, the one
Polygon's source type says (`cpp.g++17`), or the one its extension says."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from problems.testsets.errors import TestsetError
from sandbox.judge.errors import ProblemFormatError
from sandbox.judge.formats.polygon import polygon_language
from sandbox.judge.sources import read_source, resolve_inside
from sandbox.languages import UnknownLanguage, get_language, language_for_file


@dataclass(frozen=True)
class ProgramSource:
    """A program's text, its path in the package and its language id."""

    path: str
    language: str
    code: str


def program_language(path: str, language: str | None = None, polygon_type: str | None = None) -> str:
    try:
        if language:
            return get_language(language).id
        mapped = polygon_language(polygon_type)
        if mapped:
            return get_language(mapped).id
        return language_for_file(path).id
    except UnknownLanguage as error:
        raise TestsetError(f"{path}: {error}") from None


def read_program(root: Path, path: str, what: str, language: str | None = None,
                 polygon_type: str | None = None) -> ProgramSource:
    """The program at `root/path`; a TestsetError naming it when it is absent or escapes."""
    try:
        code = read_source(root, path, what)
    except ProblemFormatError as error:
        raise TestsetError(str(error)) from None
    return ProgramSource(path=path, language=program_language(path, language, polygon_type), code=code)


def read_resource(root: Path, path: str) -> tuple[str, bytes]:
    """A helper file placed beside compiled programs (a header such as `rand.h`), under
    its plain file name, since `#include "rand.h"` looks beside the source."""
    try:
        resolved = resolve_inside(root, path, "resource")
    except ProblemFormatError as error:
        raise TestsetError(str(error)) from None
    try:
        return Path(path).name, resolved.read_bytes()
    except OSError as error:
        raise TestsetError(f"{root / path}: cannot read resource: {error.strerror or error}") from None

"""Finding a problem's known solutions and their tags, in every place a package keeps them.

- Polygon: `<assets><solutions><solution tag=...>` in problem.xml and `solutions/*.desc`
  (`Tag: WRONG_ANSWER`); a package may carry either or both, so both are read and must
  agree.
- cpforge: the `solutions` of testset.json, and the bundled set's
  `solutions/manifest.json`, whose expected verdict becomes the tag (`AC` -> accepted).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from problems.testsets.errors import TestsetError
from problems.testsets.sidecar import read_sidecar
from problems.testsets.sources import ProgramSource, read_program
from problems.testsets.tags import TAG_OF_VERDICT, TagRule, normalise_tag, rule
from sandbox.judge.formats.polygon import PROBLEM_XML

MANIFEST = Path("solutions") / "manifest.json"
DESC_SUFFIX = ".desc"


@dataclass(frozen=True)
class TaggedSolution:
    """A solution with its normalised tag and where the tag came from."""

    program: ProgramSource
    tag: str
    origin: str
    note: str | None = None

    @property
    def rule(self) -> TagRule:
        return rule(self.tag)

    @property
    def path(self) -> str:
        return self.program.path


def find_solutions(root: Path) -> list[TaggedSolution]:
    """Every tagged solution of the directory, main first, then in the order listed."""
    if (root / PROBLEM_XML).is_file() and not (root / "problem.json").is_file():
        found = _polygon_solutions(root)
    else:
        found = _cpforge_solutions(root)
    return sorted(found, key=lambda s: s.tag != "main")


def main_solution(solutions: list[TaggedSolution], where: Path) -> TaggedSolution:
    mains = [s for s in solutions if s.tag == "main"]
    if len(mains) != 1:
        listed = ", ".join(s.path for s in mains) or "none"
        raise TestsetError(f"{where}: exactly one solution must be tagged main (found: {listed})")
    return mains[0]


# --------------------------------------------------------------------------- Polygon
def _polygon_solutions(root: Path) -> list[TaggedSolution]:
    path = root / PROBLEM_XML
    try:
        xml = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise TestsetError(f"{path}: cannot read: {error}") from None
    listed: dict[str, tuple[str, str | None]] = {}  # source path -> (tag, Polygon source type)
    for element in xml.findall("./assets/solutions/solution"):
        source = element.find("./source")
        relative = source.get("path") if source is not None else None
        if not relative:
            raise TestsetError(f"{path}: a <solution> has no <source path=...>")
        listed[relative] = (_tag(element.get("tag") or "", path), source.get("type") if source is not None else None)
    described = _desc_tags(root)
    for relative, tag in described.items():
        if relative in listed and listed[relative][0] != tag:
            raise TestsetError(f"{root / relative}: problem.xml tags it {listed[relative][0]} but its "
                               f"{DESC_SUFFIX} file says {tag}")
        listed.setdefault(relative, (tag, None))
    solutions = []
    for relative, (tag, source_type) in listed.items():
        program = read_program(root, relative, "solution", polygon_type=source_type)
        origin = PROBLEM_XML if relative not in described else f"{relative}{DESC_SUFFIX}"
        solutions.append(TaggedSolution(program=program, tag=tag, origin=origin))
    return solutions


def _desc_tags(root: Path) -> dict[str, str]:
    """`solutions/NAME.desc` holds `File name: NAME` and `Tag: MAIN` lines."""
    tags: dict[str, str] = {}
    folder = root / "solutions"
    if not folder.is_dir():
        return tags
    for desc in sorted(folder.glob(f"*{DESC_SUFFIX}")):
        fields = {}
        for line in desc.read_text(encoding="utf-8", errors="replace").splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = value.strip()
        if "tag" not in fields:
            continue
        name = fields.get("file name") or desc.name[: -len(DESC_SUFFIX)]
        tags[f"solutions/{name}"] = _tag(fields["tag"], desc)
    return tags


# --------------------------------------------------------------------------- cpforge
def _cpforge_solutions(root: Path) -> list[TaggedSolution]:
    solutions: dict[str, TaggedSolution] = {}
    sidecar = read_sidecar(root)
    for entry in sidecar.solutions if sidecar is not None else []:
        program = read_program(root, entry.source, "solution", language=entry.language)
        solutions[program.path] = TaggedSolution(program=program, tag=_tag(entry.tag, root / "testset.json"),
                                                 origin="testset.json", note=entry.note)
    for item in _manifest_entries(root):
        relative = f"solutions/{item['file']}"
        if relative in solutions:
            continue  # testset.json says more (a Polygon-style tag) than a manifest's verdict
        expected = str(item.get("expected", ""))
        if expected not in TAG_OF_VERDICT:
            raise TestsetError(f"{root / MANIFEST}: {item['file']}: unknown expected verdict {expected!r}")
        program = read_program(root, relative, "solution", language=item.get("language"))
        solutions[relative] = TaggedSolution(program=program, tag=TAG_OF_VERDICT[expected], origin=str(MANIFEST),
                                             note=item.get("note"))
    return list(solutions.values())


def _manifest_entries(root: Path) -> list[dict[str, str]]:
    path = root / MANIFEST
    if not path.is_file():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TestsetError(f"{path}: cannot read: {error}") from None
    if not isinstance(raw, list) or not all(isinstance(e, dict) and isinstance(e.get("file"), str) for e in raw):
        raise TestsetError(f"{path}: expected a list of {{\"file\": ..., \"expected\": ...}} entries")
    return raw


def _tag(raw: str, where: Path) -> str:
    try:
        return normalise_tag(raw)
    except TestsetError as error:
        raise TestsetError(f"{where}: {error}") from None

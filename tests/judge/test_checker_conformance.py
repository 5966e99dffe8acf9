"""Built-in checkers against testlib's own recorded outcomes.

The references (`../shared/data/verifier/testlib-checker-refs/`, from testlib's test suite)
are laid out as `<suite>/files/*` (inputs) and `<suite>/refs/<ref>/{exit_code,stdout,stderr}`
(what the testlib program printed). Which files each ref was produced from is given by the
suite's `run.sh` upstream (not shipped); it is transcribed in INVOCATIONS below.

testlib's `fcmp` is an exact *line* comparator (not a float one), so its references are
checked against `lines` (verdict and message) and against `float` (verdict), which on these
files must reject/accept/fail exactly as fcmp does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from sandbox.judge.checkers import (check_float, check_lines, check_tokens,
                                    format_testlib_message, parse_testlib_result)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REFS = SHARED / "data" / "verifier" / "testlib-checker-refs"
RUN_SUITE = REFS / "test-002_run-fcmp-wcmp"
INTERACTOR_SUITE = REFS / "test-006_interactors"

pytestmark = pytest.mark.skipif(not REFS.is_dir(), reason=f"shared data not found at {REFS}")

EXIT_VERDICT = {0: 0, 1: 1, 2: 2, 3: 3}  # testlib's codes; CheckerOutcome.testlib_code speaks them


class Invocation(NamedTuple):
    ref: str
    program: str   # testlib checker that produced the ref
    output: str
    answer: str    # answer2.01 does not exist: testlib must FAIL


# From testlib tests/test-002_run-fcmp-wcmp/run.sh: `./prog input output answer` -> ref.
# The BOM variants reuse the plain refs, which is how testlib asserts a BOM is ignored.
INVOCATIONS = [
    Invocation("r1", "wcmp", "output.01", "answer.01"),
    Invocation("r2", "wcmp", "output.01", "output.01"),
    Invocation("r3", "wcmp", "output.01", "answer2.01"),
    Invocation("r1", "wcmp", "output.01.bom", "answer.01"),
    Invocation("r2", "wcmp", "output.01.bom", "output.01"),
    Invocation("r3", "wcmp", "output.01.bom", "answer2.01"),
    Invocation("r4", "fcmp", "output.01", "answer.01"),
    Invocation("r5", "fcmp", "output.01", "output.01"),
    Invocation("r6", "fcmp", "output.01", "answer2.01"),
]


class Reference(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str


def read_ref(suite: Path, name: str) -> Reference:
    folder = suite / "refs" / name
    return Reference(int((folder / "exit_code").read_text().strip()),
                     (folder / "stdout").read_text(), (folder / "stderr").read_text().strip())


def read_file(name: str) -> bytes | None:
    path = RUN_SUITE / "files" / name
    return path.read_bytes() if path.is_file() else None


def run(invocation: Invocation, checker: Callable[..., Any]) -> tuple[str, int, str]:
    outcome = checker(read_file("input.01"), read_file(invocation.output),
                      read_file(invocation.answer))
    return invocation.ref, outcome.testlib_code, format_testlib_message(outcome)


def assert_same_message(produced: str, ref: Reference, answer: str) -> None:
    if ref.exit_code == 3:
        # testlib names the missing file by the path it was given; ours is path-free.
        assert ref.stderr == f'{produced}: "files/{answer}"'
    else:
        assert produced == ref.stderr


def test_every_reference_is_covered() -> None:
    on_disk = {p.name for p in (RUN_SUITE / "refs").iterdir()}
    assert on_disk == {invocation.ref for invocation in INVOCATIONS}


def test_bom_file_really_has_a_bom_and_crlf() -> None:
    data = read_file("output.01.bom")
    assert data is not None and data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert read_file("answer2.01") is None


@pytest.mark.parametrize("invocation", [i for i in INVOCATIONS if i.program == "wcmp"],
                         ids=lambda i: f"wcmp-{i.ref}-{i.output}-{i.answer}")
def test_tokens_matches_wcmp(invocation: Invocation) -> None:
    ref = read_ref(RUN_SUITE, invocation.ref)
    _, verdict, message = run(invocation, check_tokens)
    assert verdict == EXIT_VERDICT[ref.exit_code]
    assert_same_message(message, ref, invocation.answer)


@pytest.mark.parametrize("invocation", [i for i in INVOCATIONS if i.program == "fcmp"],
                         ids=lambda i: f"fcmp-{i.ref}-{i.output}-{i.answer}")
def test_lines_matches_fcmp(invocation: Invocation) -> None:
    ref = read_ref(RUN_SUITE, invocation.ref)
    _, verdict, message = run(invocation, check_lines)
    assert verdict == EXIT_VERDICT[ref.exit_code]
    assert_same_message(message, ref, invocation.answer)


@pytest.mark.parametrize("invocation", [i for i in INVOCATIONS if i.program == "fcmp"],
                         ids=lambda i: f"fcmp-{i.ref}-{i.output}-{i.answer}")
def test_float_agrees_with_fcmp_verdicts(invocation: Invocation) -> None:
    ref = read_ref(RUN_SUITE, invocation.ref)
    _, verdict, _ = run(invocation, check_float)
    assert verdict == EXIT_VERDICT[ref.exit_code]


@pytest.mark.parametrize("ref_name", ["r4", "r5"])
def test_lines_ignores_bom_and_crlf_where_fcmp_refs_exist(ref_name: str) -> None:
    """Not in testlib's suite (it runs fcmp on the plain file only): our lines checker
    must give the same result on the BOM+CRLF copy as fcmp gives on the plain one."""
    ref = read_ref(RUN_SUITE, ref_name)
    answer = read_file("answer.01" if ref_name == "r4" else "output.01")
    outcome = check_lines(b"", read_file("output.01.bom") or b"", answer)
    assert format_testlib_message(outcome) == ref.stderr


def all_refs() -> list[tuple[Path, str]]:
    if not REFS.is_dir():
        return []
    return [(suite, folder.name) for suite in (RUN_SUITE, INTERACTOR_SUITE)
            for folder in sorted((suite / "refs").iterdir())]


@pytest.mark.parametrize("suite, ref_name", all_refs(),
                         ids=lambda value: value.name if isinstance(value, Path) else value)
def test_protocol_parser_reads_real_testlib_runs(suite: Path, ref_name: str) -> None:
    ref = read_ref(suite, ref_name)
    outcome = parse_testlib_result(ref.exit_code, ref.stdout.encode(), ref.stderr.encode())
    assert outcome.testlib_code == EXIT_VERDICT[ref.exit_code]
    if ref.stderr and ref.exit_code != 3:
        assert format_testlib_message(outcome) == ref.stderr

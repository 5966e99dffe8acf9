"""Semantics of the built-in checkers, the testlib protocol parser and the open-r1 Python
checker convention. Each case states an input pair and the verdict a judge must give."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sandbox.judge.checkers import (ExactSpec, FloatSpec, LinesSpec,
                                    NotBuiltinCheckerError, ProgramCheckerSpec,
                                    PythonCheckerSpec, TokensSpec, YesNoSpec,
                                    build_python_checker_invocation, build_testlib_invocation,
                                    check_exact, check_float, check_lines, check_tokens,
                                    check_yesno, format_testlib_message, get_checker,
                                    parse_checker_spec, parse_python_checker_result,
                                    parse_testlib_result)
from sandbox.judge.checkers.floats import parse_number

# Expected outcomes as testlib's exit codes, which tell every distinction apart (PE is a
# WA with `presentation`, FAIL a JUDGE_ERROR, partial credit a result with points).
OK, WA, PE, FAIL, PARTIAL = 0, 1, 2, 3, 7
BOM = b"\xef\xbb\xbf"


# --- tokens (wcmp) ---------------------------------------------------------------------

@pytest.mark.parametrize("output, answer, verdict", [
    (b"1 2 3\n", b"1 2 3\n", OK),
    (b"1 2 3   \n\n\n", b"1 2 3\n", OK),               # trailing whitespace
    (b"1 2 3", b"1 2 3\n", OK),                         # missing final newline
    (b"1\r\n2\r\n3\r\n", b"1 2 3\n", OK),               # CRLF
    (b"  1\t2\n3", b"1\n2 3", OK),                      # layout is free
    (BOM + b"1 2 3\n", b"1 2 3\n", OK),                 # BOM ignored
    (b"1 2 3 4\n", b"1 2 3\n", WA),                     # extra token
    (b"1 2\n", b"1 2 3\n", WA),                         # missing token
    (b"1 2 3", b"1 2 34", WA),                          # truncated output
    (b"", b"1\n", WA),                                  # empty output
    (b"", b"", OK),                                     # both empty
    (b"\n \n", b"", OK),
    (b"yes", b"YES", WA),                               # case-sensitive
    (b"1.0", b"1", WA),                                 # no numeric leniency
    (b"1\x0b2", b"1 2", WA),                            # \v is not a testlib blank
])
def test_tokens_verdicts(output: bytes, answer: bytes, verdict: int) -> None:
    assert check_tokens(b"", output, answer).testlib_code == verdict


def test_tokens_messages_follow_wcmp() -> None:
    assert check_tokens(b"", b"1 2 3", b"1 2 3").message == "3 tokens"
    assert check_tokens(b"", b"42\n", b"42").message == '"42"'
    assert check_tokens(b"", b"1 2 3 4", b"1 2 3").message == \
        "Participant output contains extra tokens"
    assert check_tokens(b"", b"1", b"1 2").message == "Unexpected EOF in the participants output"
    assert check_tokens(b"", b"1 5", b"1 2").message == \
        "2nd words differ - expected: '2', found: '5'"
    assert "11th words differ" in check_tokens(b"", b"0 " * 10 + b"x", b"0 " * 11).message
    assert "21st words differ" in check_tokens(b"", b"0 " * 20 + b"x", b"0 " * 21).message


def test_long_tokens_are_compressed_in_messages() -> None:
    outcome = check_tokens(b"", b"a" * 1000, b"b" * 1000)
    assert outcome.testlib_code == WA
    assert len(outcome.message) < 200 and "..." in outcome.message


def test_missing_answer_is_fail_for_every_builtin() -> None:
    for spec in (TokensSpec(), LinesSpec(), ExactSpec(), FloatSpec(), YesNoSpec()):
        outcome = get_checker(spec)(b"", b"1\n", None)
        assert outcome.testlib_code == FAIL, spec
        assert outcome.judge_error and not outcome.rejected


def test_large_output_is_accepted_quickly() -> None:
    answer = b"\n".join(str(i).encode() for i in range(300_000))
    output = answer.replace(b"\n", b" ")
    assert check_tokens(b"", output, answer).message == "300000 tokens"
    assert check_tokens(b"", output + b" 1", answer).testlib_code == WA


# --- lines -----------------------------------------------------------------------------

@pytest.mark.parametrize("output, answer, verdict", [
    (b"a b\nc\n", b"a b\nc\n", OK),
    (b"a b  \nc\t\n", b"a b\nc\n", OK),                 # trailing whitespace per line
    (b"a b\nc", b"a b\nc\n", OK),                       # missing final newline
    (b"a b\r\nc\r\n", b"a b\nc\n", OK),                 # CRLF
    (b"a b\nc\n\n\n", b"a b\nc\n", OK),                 # trailing empty lines
    (BOM + b"a b\nc\n", b"a b\nc\n", OK),
    (b"a  b\nc\n", b"a b\nc\n", WA),                    # inner spacing matters
    (b" a b\nc\n", b"a b\nc\n", WA),                    # leading spacing matters
    (b"a b\n\nc\n", b"a b\nc\n", WA),                   # inner empty line matters
    (b"a b\n", b"a b\nc\n", WA),                        # missing line
    (b"a b\nc\nd\n", b"a b\nc\n", PE),                  # extra line (testlib: PE)
    (b"", b"a\n", WA),
])
def test_lines_verdicts(output: bytes, answer: bytes, verdict: int) -> None:
    assert check_lines(b"", output, answer).testlib_code == verdict


def test_lines_split_tokens_is_lcmp() -> None:
    check = get_checker(LinesSpec(split_tokens=True))
    assert check(b"", b" a   b \nc\n", b"a b\nc\n").testlib_code == OK
    assert check(b"", b"a b c\n", b"a b\nc\n").testlib_code == WA
    assert get_checker("std::lcmp")(b"", b"a\tb\n", b"a b\n").testlib_code == OK


def test_lines_messages() -> None:
    assert check_lines(b"", b"x\n", b"x\n").message == "single line: 'x'"
    assert check_lines(b"", b"x\ny\n", b"x\nz\n").message == \
        "2nd lines differ - expected: 'z', found: 'y'"


# --- exact -----------------------------------------------------------------------------

@pytest.mark.parametrize("output, answer, verdict", [
    (b"1 2\n", b"1 2\n", OK),
    (b"1 2", b"1 2\n", WA),
    (b"1 2\n\n", b"1 2\n", WA),
    (b"1 2\r\n", b"1 2\n", WA),
    (BOM + b"1 2\n", b"1 2\n", WA),
    (b"", b"", OK),
])
def test_exact_verdicts(output: bytes, answer: bytes, verdict: int) -> None:
    assert check_exact(b"", output, answer).testlib_code == verdict


def test_exact_reports_the_first_differing_byte() -> None:
    assert "byte 2" in check_exact(b"", b"abXd", b"abcd").message


# --- float -----------------------------------------------------------------------------

@pytest.mark.parametrize("output, answer, verdict", [
    (b"1.000001", b"1", OK),                 # |d| == eps exactly: accepted
    (b"0.999999", b"1", OK),
    (b"1.0000010001", b"1", WA),             # just over eps
    (b"0.9999989999", b"1", WA),
    (b"1000001", b"1000000", OK),            # relative error 1e-6 exactly
    (b"1000001.0001", b"1000000", WA),
    (b"0.000001", b"0", OK),                 # absolute error near zero
    (b"0.0000010001", b"0", WA),
    (b"-1.000001", b"-1", OK),
    (b"1e-7", b"0", OK),
    (b"1E3", b"1000.0000001", OK),           # notations differ, value equal enough
    (b"+2", b"2.0", OK),
    (b"2.", b".2e1", OK),
    (b"1 2 3", b"1 2 3 4", WA),              # missing
    (b"1 2 3 4", b"1 2 3", PE),              # extra (rcmp: extra information)
    (b"", b"1.5", WA),
    (b"Case 1.0000001", b"Case 1", OK),      # text tokens exact, numbers tolerant
    (b"case 1", b"Case 1", WA),
    (b"abc", b"1.5", WA),                    # a number was expected
    (b"1.5", b"abc", WA),
    (b"nan", b"nan", OK),
    (b"NaN", b"nan", OK),
    (b"-nan", b"nan", OK),
    (b"1", b"nan", WA),
    (b"nan", b"1", WA),
    (b"inf", b"inf", OK),
    (b"Infinity", b"+inf", OK),
    (b"-inf", b"inf", WA),
    (b"1e308", b"inf", WA),
    (b"inf", b"1e308", WA),
    (b"1e400", b"1e400", OK),                # too big for a double: text compare
    (b"1.0e400", b"1e400", WA),
    (b"inf", b"1e400", WA),
    (b"1e-400", b"0", OK),                   # underflow is still a number
    (b"123456789012345678901234567890", b"123456789012345678901234567891", OK),
    (b"0x10", b"16", WA),                    # hex is text
    (b"1_000", b"1000", WA),                 # Python-only spelling is text
    (BOM + b"1.0000001\r\n", b"1\n", OK),
])
def test_float_verdicts(output: bytes, answer: bytes, verdict: int) -> None:
    assert check_float(b"", output, answer, eps=1e-6).testlib_code == verdict


def test_float_eps_and_absolute_mode() -> None:
    assert check_float(b"", b"1.0001", b"1", eps=1e-4).testlib_code == OK
    assert check_float(b"", b"1.00011", b"1", eps=1e-4).testlib_code == WA
    assert check_float(b"", b"1000001.01", b"1000000", eps=1e-6).testlib_code == WA
    assert check_float(b"", b"1000000.5", b"1000000", eps=1e-6).testlib_code == OK
    assert check_float(b"", b"1000000.5", b"1000000", eps=1e-6, relative=False).testlib_code == WA
    rcmp9 = get_checker("std::rcmp9")
    assert rcmp9(b"", b"1.000000001", b"1").testlib_code == OK
    assert rcmp9(b"", b"1.0000000011", b"1").testlib_code == WA


def test_float_messages_name_the_token_and_error() -> None:
    message = check_float(b"", b"1 2.5", b"1 2").message
    assert message.startswith("2nd token: numbers differ")
    assert "absolute error 0.5" in message and "relative error 0.25" in message
    assert check_float(b"", b"2", b"2.0").message == "1 token"


def test_parse_number() -> None:
    assert parse_number(b"1e400") is None
    assert parse_number(b"-INF") == "-inf"
    assert parse_number(b"nan") == "nan"
    assert parse_number(b"1.5") is not None and float(parse_number(b"1.5")) == 1.5
    assert parse_number(b"1.2.3") is None


# --- yesno -----------------------------------------------------------------------------

@pytest.mark.parametrize("output, answer, verdict", [
    (b"YES\n", b"YES\n", OK),
    (b"yes", b"YES", OK),
    (b"yEs", b"Yes", OK),
    (b"NO", b"YES", WA),
    (b"maybe", b"YES", WA),
    (b"", b"NO", WA),
    (b"YES NO yes", b"yes no YES", OK),
    (b"YES NO", b"YES YES", WA),
    (b"YES NO", b"YES", PE),
    (b"YES", b"YES NO", WA),
    (BOM + b"no\r\n", b"NO", OK),
    (b"YES", b"42", FAIL),                  # broken answer file
    (b"YES", b"", FAIL),
])
def test_yesno_verdicts(output: bytes, answer: bytes, verdict: int) -> None:
    assert check_yesno(b"", output, answer).testlib_code == verdict


# --- specs and registry ----------------------------------------------------------------

def test_spec_shorthands_and_testlib_names() -> None:
    assert parse_checker_spec("tokens") == TokensSpec()
    assert parse_checker_spec({"type": "float", "eps": 1e-9}) == FloatSpec(eps=1e-9)
    assert parse_checker_spec("std::rcmp6.cpp") == FloatSpec(eps=1e-6)
    assert parse_checker_spec("std::ncmp") == TokensSpec()
    assert parse_checker_spec("std::rcmp") == FloatSpec(eps=1.5e-6, relative=False)
    assert parse_checker_spec("std::nyesno") == YesNoSpec()
    program = parse_checker_spec({"type": "program", "source": "check.cpp"})
    assert isinstance(program, ProgramCheckerSpec) and not program.builtin


@pytest.mark.parametrize("bad", ["nonsense", {"type": "bogus"}, {"type": "float", "eps": 0},
                                 {"type": "float", "eps": -1}, {"type": "tokens", "x": 1},
                                 {"type": "program"}, 3])
def test_invalid_specs_are_rejected(bad: object) -> None:
    with pytest.raises(ValidationError):
        parse_checker_spec(bad)


def test_get_checker_rejects_sandboxed_specs() -> None:
    with pytest.raises(NotBuiltinCheckerError):
        get_checker(ProgramCheckerSpec(source="check.cpp", code=""))
    with pytest.raises(NotBuiltinCheckerError):
        get_checker({"type": "python", "code": "print(1)"})


def test_get_checker_accepts_models_strings_and_dicts() -> None:
    assert get_checker()(b"", b"1", b"1").ok
    assert get_checker("float")(b"", b"1.0000001", b"1").ok
    assert get_checker({"type": "exact"})(b"", b"1", b"1\n").testlib_code == WA


# --- testlib protocol ------------------------------------------------------------------

@pytest.mark.parametrize("code, stderr, verdict, message", [
    (0, "ok 4 tokens\n", OK, "4 tokens"),
    (1, "wrong answer 1st words differ\n", WA, "1st words differ"),
    (2, "wrong output format Extra information in the output file", PE,
     "Extra information in the output file"),
    (3, 'FAIL Answer file not found: "x"', FAIL, 'checker failed: Answer file not found: "x"'),
    (0, "", OK, ""),
    (1, "", WA, ""),
    (1, "no testlib prefix", WA, "no testlib prefix"),
])
def test_testlib_exit_codes(code: int, stderr: str, verdict: int,
                            message: str) -> None:
    outcome = parse_testlib_result(code, b"", stderr.encode())
    assert (outcome.testlib_code, outcome.message) == (verdict, message)


def test_testlib_message_falls_back_to_stdout() -> None:
    assert parse_testlib_result(1, "wrong answer from stdout", "").message == "from stdout"


def test_testlib_partial_points() -> None:
    outcome = parse_testlib_result(7, b"", b"points 42\n")
    assert outcome.testlib_code == PARTIAL and outcome.points == 42.0
    outcome = parse_testlib_result(7, b"", b"points 0.5 half of the pairs\n")
    assert (outcome.points, outcome.message) == (0.5, "half of the pairs")
    assert not outcome.rejected and not outcome.judge_error
    assert parse_testlib_result(7, b"", b"partial\n").testlib_code == FAIL
    assert parse_testlib_result(7, b"", b"points -1").testlib_code == FAIL
    assert parse_testlib_result(7, b"", b"points 11", max_points=10).testlib_code == FAIL
    assert parse_testlib_result(7, b"", b"points 10", max_points=10).points == 10


@pytest.mark.parametrize("kwargs, fragment", [
    ({"exit_code": 4}, "unexpected code 4"),
    ({"exit_code": 139}, "unexpected code 139"),
    ({"exit_code": -11}, "SIGSEGV"),
    ({"exit_code": None, "signal": 9}, "SIGKILL"),
    ({"exit_code": 0, "signal": 6}, "SIGABRT"),
    ({"exit_code": None, "timed_out": True}, "timed out"),
    ({"exit_code": None}, "did not report"),
])
def test_broken_checkers_are_fail_never_wa(kwargs: dict, fragment: str) -> None:
    outcome = parse_testlib_result(**kwargs)
    assert outcome.testlib_code == FAIL
    assert fragment in outcome.message


def test_testlib_invocation_order_is_input_output_answer() -> None:
    invocation = build_testlib_invocation(b"in", b"out", b"ans", time_limit=5)
    assert [invocation.files[name] for name in invocation.args] == [b"in", b"out", b"ans"]
    assert invocation.time_limit == 5


def test_format_testlib_message_round_trips() -> None:
    for code, line in ((0, "ok 4 tokens"), (1, "wrong answer x"), (2, "wrong output format y"),
                       (3, "FAIL z")):
        outcome = parse_testlib_result(code, b"", line.encode())
        expected = line if code != 3 else "FAIL checker failed: z"
        assert format_testlib_message(outcome) == expected


# --- open-r1 python checker -------------------------------------------------------------

def test_python_checker_invocation_order_is_input_answer_output() -> None:
    spec = PythonCheckerSpec(code="print(1)\n")
    invocation = build_python_checker_invocation(spec, b"in", b"out", b"ans")
    assert invocation.args[0] == "checker.py"
    assert invocation.files["checker.py"] == b"print(1)\n"
    assert [invocation.files[name] for name in invocation.args[1:]] == [b"in", b"ans", b"out"]
    assert invocation.time_limit == 10.0
    assert build_python_checker_invocation("print(1)", b"", b"", b"").files["checker.py"]
    with pytest.raises(ValueError):
        build_python_checker_invocation(PythonCheckerSpec(), b"", b"", b"")


@pytest.mark.parametrize("stdout, verdict", [
    (b"1\n", OK), (b"100", OK), (b" 1 \n", OK),
    (b"0\n", WA), (b"50", WA), (b"0.5", WA),
    (b"", FAIL), (b"True", FAIL), (b"1\n1", FAIL),
])
def test_python_checker_stdout(stdout: bytes, verdict: int) -> None:
    assert parse_python_checker_result(0, stdout, b"").testlib_code == verdict


def test_python_checker_crash_is_fail_unless_open_r1_compatible() -> None:
    crash = dict(exit_code=1, stdout=b"", stderr=b"Traceback ... ValueError")
    assert parse_python_checker_result(**crash).testlib_code == FAIL
    assert "ValueError" in parse_python_checker_result(**crash).message
    assert parse_python_checker_result(**crash, crash_as_wa=True).testlib_code == WA
    assert parse_python_checker_result(None, timed_out=True).testlib_code == FAIL
    assert parse_python_checker_result(-9, b"1").testlib_code == FAIL
    assert parse_python_checker_result(0, b"garbage", crash_as_wa=True).testlib_code == WA

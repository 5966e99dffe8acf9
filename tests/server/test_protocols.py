"""Wire shapes: cpforge's judge API, SandboxFusion's /run_code (as verl's client reads it),
OpenRLHF's /get_reward, and JUDGE_ERROR reported as a missing score, never as 0."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from .conftest import APLUSB_CPP, APLUSB_PY, aplusb_info, broken_checker_info, fenced


def post(server, headers, path, body, **params):
    return httpx.post(server.url + path, json=body, headers=headers, params=params, timeout=120)


def verl_case_status(data: dict, expected: str):
    """verl's `_process_single_case` classification of a SandboxFusion response."""
    status, compile_result, run_result = data["status"], data["compile_result"], data["run_result"]
    if status == "SandboxError":
        return -1
    if status == "Failed":
        if compile_result and (compile_result["status"] in ("Error", "TimeLimitExceeded")
                               or compile_result["return_code"] != 0):
            return -4
        if run_result and run_result["status"] == "TimeLimitExceeded":
            return -3
        if run_result and (run_result["status"] == "Error" or run_result["return_code"] != 0):
            return -2
        return -1
    if status == "Success" and run_result["status"] == "Finished":
        return run_result["stdout"].rstrip("\n") == expected.rstrip("\n")
    return -1


@pytest.mark.parametrize("code,language,expected", [
    (APLUSB_CPP, "cpp", True),
    (APLUSB_PY, "python", True),
    ("print(0)\n", "python", False),
    ("int main( {", "cpp", -4),
    ("print(input(\n", "python", -2),       # SandboxFusion has no Python compile step: a crash
    ("while True:\n    pass\n", "python", -3),
    ("raise SystemExit(3)\n", "python", -2),
    ("x = bytearray(900 << 20)\nprint(len(x))\n", "python", -2),  # MLE: a failed run, not an API error
    ("print(1)", "cobol", -1),
])
def test_run_code_reads_like_sandboxfusion_to_verl(server, headers, code, language, expected):
    response = post(server, headers, "/run_code", {"code": code, "language": language, "stdin": "1 3\n",
                                                   "compile_timeout": 10, "run_timeout": 1, "memory_limit_MB": 256,
                                                   "files": {}, "fetch_files": []})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"status", "message", "compile_result", "run_result", "executor_pod_name", "files"}
    assert verl_case_status(data, "4\n") == expected
    if data["run_result"]:
        assert set(data["run_result"]) == {"status", "execution_time", "return_code", "stdout", "stderr"}
    if language == "python":
        assert data["compile_result"] is None
    elif expected is True:
        assert data["compile_result"]["status"] == "Finished" and data["compile_result"]["return_code"] == 0


def test_a_python_syntax_error_is_the_runs_crash_with_no_compile_run(server, headers):
    """No syntax check runs before a Python `/run_code` (a sandboxed run of its own per
    source, on every cache-free request): the interpreter's own report comes back as the
    run's stderr, and cpforge's extra field calls it CE; a SyntaxError raised at run time
    (exec) is a crash with a traceback, RE."""
    def ask(code: str) -> dict:
        response = post(server, headers, "/run_code", {"code": code, "language": "python", "stdin": "",
                                                       "run_timeout": 2, "files": {}, "fetch_files": []})
        assert response.status_code == 200
        return response.json()

    broken = ask("print(input(\n")
    assert broken["status"] == "Failed" and broken["compile_result"] is None
    assert broken["run_result"]["return_code"] == 1 and "SyntaxError" in broken["run_result"]["stderr"]
    assert "Traceback" not in broken["run_result"]["stderr"] and broken["cpforge"]["verdict"] == "CE"
    raised = ask("exec('(')\n")
    assert raised["run_result"]["return_code"] == 1 and "Traceback" in raised["run_result"]["stderr"]
    assert raised["cpforge"]["verdict"] == "RE"


def test_run_code_files_round_trip(server, headers):
    code = "data = open('in.txt').read()\nopen('out.txt', 'w').write(data.upper())\n"
    response = post(server, headers, "/run_code", {"code": code, "language": "python",
                                                   "files": {"in.txt": base64.b64encode(b"hello").decode()},
                                                   "fetch_files": ["out.txt"]})
    data = response.json()
    assert data["status"] == "Success" and base64.b64decode(data["files"]["out.txt"]) == b"HELLO"
    bad = post(server, headers, "/run_code", {"code": code, "language": "python", "files": {"../x": ""}})
    assert bad.json()["status"] == "SandboxError"


def test_judge_endpoint_shapes(server, headers):
    info = aplusb_info("python")
    response = post(
        server, headers, "/v1/judge", {"completion": fenced(APLUSB_PY, "python"), "verification_info": info}
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["verdict"], data["score"], data["passed"], data["total"]) == ("AC", 1.0, 3, 3)
    assert len(data["tests"]) == 3 and data["tests"][0]["verdict"] == "AC" and data["compile"]["status"] == "OK"
    wrong = post(server, headers, "/v1/judge", {"code": "print(0)", "language": "python", "verification_info": info,
                                                "options": {"score": "pass_rate", "include_tests": False}}).json()
    assert wrong["verdict"] == "WA" and wrong["score"] == 0.0 and wrong["tests"] == [] and wrong["executed"] == 3
    by_id = post(server, headers, "/v1/judge", {"code": APLUSB_CPP, "language": "cpp", "problem_id": "1/A"}).json()
    assert by_id["verdict"] == "AC" and by_id["problem_id"] == "1/A"
    busy = "s = 0\nfor i in range(5 * 10 ** 6):\n    s += i\nprint(4)\n"  # about 0.4 s of CPU
    assert post(server, headers, "/v1/judge", {"code": busy, "language": "py",
                                               "verification_info": aplusb_info(tests=1)}).json()["verdict"] == "AC"
    limited = post(server, headers, "/v1/judge", {"code": busy, "language": "py",
                                                  "verification_info": aplusb_info(tests=1), "time_limit": 0.1})
    assert limited.json()["verdict"] == "TLE"  # the per-request limit applies
    assert post(server, headers, "/v1/judge", {"code": "x", "problem_id": "404/Z"}).status_code == 404
    bad_language = {"code": "x", "language": "x", "verification_info": info}
    assert post(server, headers, "/v1/judge", bad_language).status_code == 422
    assert post(server, headers, "/v1/judge", {"code": "x", "verification_info": {"nope": 1}}).status_code == 422
    assert post(server, headers, "/v1/judge", {"code": "x", "completion": "y", "problem_id": "1/A"}).status_code == 422


def test_batch_keeps_order_and_isolates_failures(server, headers):
    info = aplusb_info("cpp")
    subs = [{"code": APLUSB_CPP, "language": "cpp", "verification_info": info},
            {"code": "x", "problem_id": "404/Z"},
            {"code": APLUSB_CPP, "language": "cpp", "verification_info": broken_checker_info()},
            {"code": "int main( {", "language": "cpp", "verification_info": info},
            {"code": APLUSB_CPP, "language": "cpp", "verification_info": info}]
    data = post(server, headers, "/v1/judge/batch", {"submissions": subs, "options": {"score": "weighted_sum"}}).json()
    results = data["results"]
    assert [r["verdict"] for r in results] == ["AC", None, "JUDGE_ERROR", "CE", "AC"]
    assert [r["score"] for r in results] == [pytest.approx(1.1), None, None, 0.0, pytest.approx(1.1)]
    assert results[1]["error"]["kind"] == "not_found" and results[2]["error"]["kind"] == "judge_error"
    assert results[0]["compile"]["cached"] is False or results[4]["compile"]["cached"] is True


def test_judge_error_is_none_unless_asked(server, headers):
    body = {"code": APLUSB_CPP, "language": "cpp", "verification_info": broken_checker_info()}
    data = post(server, headers, "/v1/judge", body).json()
    assert data["verdict"] == "JUDGE_ERROR" and data["score"] is None
    assert data["error"]["kind"] == "judge_error" and "checker" in data["error"]["message"]
    asked = post(server, headers, "/v1/judge", {**body, "options": {"judge_error_score": 0.0}}).json()
    assert asked["score"] == 0.0 and asked["error"]["kind"] == "judge_error"


def test_openrlhf_shapes_and_failures(server, headers):
    good = {"query": ["Q" + fenced(APLUSB_CPP, "cpp")], "prompts": ["Q"], "labels": ["1/A"]}
    data = post(server, headers, "/get_reward", good).json()
    assert data == {"rewards": [1.0], "scores": [1.0], "extra_logs": data["extra_logs"]}
    weighted = post(server, headers, "/get_reward", {**good, "labels": [json.dumps(aplusb_info())]},
                    score="weighted_sum").json()
    assert weighted["rewards"] == [pytest.approx(1.1)]
    verl_style = {"inputs": ["1 1\n"], "outputs": ["2\n"]}
    assert post(server, headers, "/get_reward", {**good, "labels": [json.dumps(verl_style)]}).json()["rewards"] == [1.0]
    broken = {**good, "labels": ["3/C"]}
    refused = post(server, headers, "/get_reward", broken)
    assert refused.status_code == 503 and "judge_error" in refused.text  # no invented reward
    assert post(server, headers, "/get_reward", broken, judge_error_reward=0).json()["rewards"] == [0.0]
    assert post(server, headers, "/get_reward", {**good, "labels": ["404/Z"]}).status_code == 422
    assert post(server, headers, "/get_reward", {**good, "labels": []}).status_code == 422

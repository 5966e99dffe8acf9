"""The columns a trainer uses straight from a built dataset: open-r1's ``official_tests``
(filled with the tests the verdicts were earned on), ``executable``, a statement ``prompt``
and its ``language`` in ``problems``; ``verified`` rows that join back to their tests; and a
card whose snippets name the repo given to ``--push-to`` (pushed to the stand-in Hub)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hub_standin import DEFAULT_TOKEN, DEFAULT_USER, HubStandIn
from pipeline_helpers import candidate_rows, cli_env, run_build_dataset, write_jsonl, write_open_r1_set
from problems.pipeline import RunConfig, VerifyOptions, run_pipeline
from problems.pipeline.prompts import statement_prompt
from sandbox.judge.formats.verification import problem_from_verification_info

datasets = pytest.importorskip("datasets")


def _extra_problems(path: Path) -> Path:
    """An open-r1 file with two problems cpforge cannot judge: one with no tests at all, and an
    interactive one with tests but no interactor."""
    base = {"aliases": [], "contest_name": "Test Round", "contest_type": "CF", "contest_start": 1_700_000_000,
            "contest_start_year": 2023, "time_limit": 2.0, "memory_limit": 512.0, "description": "Nothing here.",
            "input_format": "None.", "output_format": "None.", "note": None, "editorial": None, "rating": 1000,
            "tags": [], "testset_size": 0, "official_tests_complete": False, "input_mode": "stdio",
            "generated_checker": None, "executable": False, "generated_tests": 0}
    rows = [
        {**base, "id": "991003/A", "contest_id": "991003", "index": "A", "title": "Empty", "examples": [],
         "official_tests": [], "interaction_format": None},
        {**base, "id": "991003/B", "contest_id": "991003", "index": "B", "title": "Guess",
         "description": "Guess the hidden number.", "examples": [{"input": "5\n", "output": "? 3\n! 5\n"}],
         "official_tests": [{"input": "5\n", "output": ""}],
         "interaction_format": "Print `? x` to ask, `! x` to answer."},
    ]
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def _config(work: Path, **extra: object) -> RunConfig:
    return RunConfig(source="files", problems=[str(work / "open-r1"), str(work / "extra.parquet")],
                     candidates=[str(work / "candidates.jsonl")], out=work / "dataset",
                     verify=VerifyOptions(jobs=2, progress=False, min_tests=5), **extra)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("columns")
    write_open_r1_set(work / "open-r1")
    _extra_problems(work / "extra.parquet")
    write_jsonl(work / "candidates.jsonl", candidate_rows())
    summary = run_pipeline(_config(work))
    problems = datasets.load_dataset(str(work / "dataset"), "problems", split="train")
    verified = datasets.load_dataset(str(work / "dataset"), "verified", split="train")
    return work, summary, problems, verified


def test_official_tests_hold_every_judged_test_in_open_r1_shape(built) -> None:
    _, _, problems, _ = built
    official = problems.features["official_tests"]  # a list of {input, output}, as open-r1 has it
    assert isinstance(official, datasets.List) and set(official.feature) == {"input", "output"}
    by_id = {row["id"]: row for row in problems}
    for pid in ("991001/A", "991001/B", "991002/A", "991002/B"):
        row = by_id[pid]
        judged = problem_from_verification_info(row["verification_info"])
        cases = json.loads(row["verification_info"])["test_cases"]
        assert row["official_tests"], pid
        assert row["official_tests"] == [{"input": c["input"], "output": c["output"]} for c in cases]
        assert row["testset_size"] == len(row["official_tests"]) == row["test_count"] == len(judged.tests)
        assert row["generated_tests"] == 0  # already inside official_tests: nothing separate to add
    # 991001/A: the sample, two more official tests (one repeats the sample) and four generated ones.
    sums = by_id["991001/A"]
    assert len(sums["official_tests"]) == 7 and sums["tests_generated"] == 4 and sums["tests_statement"] == 1
    assert {"input": "999 1\n", "output": "1000\n"} in sums["official_tests"]
    assert sums["official_tests_complete"] is True


def test_executable_says_whether_a_solution_can_be_judged(built) -> None:
    _, _, problems, _ = built
    executable = {row["id"]: row["executable"] for row in problems}
    assert executable == {"991001/A": True, "991001/B": True, "991002/A": True, "991002/B": True,
                          "991003/A": False, "991003/B": False}
    empty = next(row for row in problems if row["id"] == "991003/A")
    assert empty["official_tests"] == [] and empty["testset_size"] == 0 and empty["verification_info"] is None


def test_prompt_is_a_statement_prompt_in_the_language_column(built) -> None:
    _, _, problems, _ = built
    by_id = {row["id"]: row for row in problems}
    assert {row["language"] for row in problems} == {"python"}
    prompt = by_id["991001/A"]["prompt"]
    assert prompt.startswith("You are given a competitive programming problem.")
    assert "solution in Python 3" in prompt and "```python\n<your code here>\n```" in prompt
    assert "standard input" in prompt and "standard output" in prompt
    for section in ("# Problem: Sum", "## Limits", "Time limit per test: 1 second",
                    "Memory limit per test: 256 megabytes", "## Input Format", "## Output Format", "## Examples"):
        assert section in prompt, section
    assert "```input\n1 2\n```\n```output\n3\n```" in prompt
    assert prompt.index("## Input Format") < prompt.index("## Output Format") < prompt.index("## Examples")
    assert "`input.txt`" in by_id["991002/A"]["prompt"] and "`output.txt`" in by_id["991002/A"]["prompt"]
    guess = by_id["991003/B"]["prompt"]
    assert "interactive problem" in guess and "## Interaction Format" in guess and "flush" in guess
    assert "Time limit per test: 2 seconds" in guess and "Memory limit per test: 512 megabytes" in guess


def test_prompt_languages_and_an_empty_statement() -> None:
    row = {"id": "1/A", "title": "T", "description": "Do it.", "input_format": "n", "output_format": "m",
           "examples": [{"input": "1\n", "output": "2\n"}], "time_limit": 1.5, "memory_limit": 64.0}
    cpp = statement_prompt(row, "c++17")
    assert cpp is not None and "solution in C++17" in cpp and "```cpp\n" in cpp and "cin" in cpp
    assert "Time limit per test: 1.5 seconds" in cpp
    java = statement_prompt(row, "java")
    assert java is not None and "Java 17" in java and "```java\n" in java
    assert statement_prompt({**row, "description": None}, "python") is None
    with pytest.raises(ValueError, match="cobol"):
        statement_prompt(row, "cobol")
    with pytest.raises(ValueError, match="cobol"):
        RunConfig(prompt_language="cobol")


def test_verified_rows_join_to_their_problem_tests(built) -> None:
    """The join the card shows (`datasets` only, on `id`) gives each verified row the tests it
    was judged on: the same test-set hash, and tests the solution really passes."""
    _, summary, problems, verified = built
    assert verified.num_rows == summary.stats.verified_solutions == 4
    tests = dict(zip(problems["id"], problems["official_tests"]))
    hashes = dict(zip(problems["id"], problems["testset_hash"]))
    joined = verified.map(lambda row: {"official_tests": tests[row["id"]], "problem_hash": hashes[row["id"]]})
    for row in joined:
        assert row["official_tests"], row["id"]
        assert row["testset_hash"] == row["problem_hash"]
        assert len(row["official_tests"]) == row["total"]  # judged on exactly these
    # The same join with pandas, as many trainers do it.
    frame = verified.to_pandas().merge(problems.to_pandas()[["id", "official_tests", "testset_hash"]],
                                       on=["id", "testset_hash"], how="left", validate="many_to_one")
    assert len(frame) == verified.num_rows and frame["official_tests"].map(len).min() > 0


def test_a_new_prompt_language_rewrites_the_folder_and_reuses_every_verdict(built) -> None:
    """The state file written before keeps serving: a rerun that changes only the prompts
    judges nothing and rewrites the folder."""
    work, first, _, _ = built
    again = run_pipeline(_config(work, prompt_language="cpp"))
    assert again.judged_now == 0 and again.reused == first.judged_now and again.wrote
    rows = pq.read_table(next((work / "dataset" / "data" / "problems").glob("*.parquet"))).to_pylist()
    assert {row["language"] for row in rows} == {"cpp"} and all("C++17" in row["prompt"] for row in rows)
    # A cpforge dataset read back as problems (its own `problems` config): same tests, same hashes,
    # so the verdicts carry over.
    readback = run_pipeline(RunConfig(
        source="files", problems=[str(work / "dataset")], problems_config="problems",
        candidates=[str(work / "candidates.jsonl")], out=work / "again", state=work / "dataset.state.sqlite",
        verify=VerifyOptions(jobs=2, progress=False, min_tests=5)))
    assert readback.judged_now == 0 and readback.stats.verified_solutions == first.stats.verified_solutions
    run_pipeline(_config(work))  # back to the module's python prompts for the other tests


def test_local_card_names_its_folder() -> None:
    from problems.pipeline.card import CardContext

    assert CardContext(folder="out/ds").dataset_path == "out/ds"
    assert CardContext(folder="out/ds", repo_id="me/cf").dataset_path == "me/cf"


def _snippet_ids(card: str) -> set[str]:
    return set(re.findall(r'load_dataset\("([^"]+)"', card)) | set(re.findall(r"build-dataset export (\S+)", card))


def test_pushed_card_snippets_name_the_pushed_repo(tmp_path: Path) -> None:
    write_open_r1_set(tmp_path / "open-r1")
    write_jsonl(tmp_path / "candidates.jsonl", candidate_rows()[:1])
    args = ["run", "--problems", str(tmp_path / "open-r1"), "--candidates", str(tmp_path / "candidates.jsonl"),
            "--no-progress", "--jobs", "2", "--out", str(tmp_path / "ds")]
    repo = f"{DEFAULT_USER}/cf-columns"
    local = run_build_dataset(*args, env=cli_env(tmp_path, HF_HUB_OFFLINE="1"), cwd=tmp_path)
    assert local.returncode == 0, local.stderr[-3000:]
    assert _snippet_ids((tmp_path / "ds" / "README.md").read_text()) == {str(tmp_path / "ds")}
    with HubStandIn() as hub:
        env = cli_env(tmp_path, HF_TOKEN=DEFAULT_TOKEN, HF_ENDPOINT=hub.endpoint)
        done = run_build_dataset(*args, "--push-to", repo, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "written" in done.stdout  # the card changed with the repo, so the folder was rewritten
        card = hub.files(repo)["README.md"].decode()
    assert _snippet_ids(card) == {repo}
    assert f'load_dataset("{repo}", "verified", split="train")' in card and "OWNER/NAME" not in card
    assert card == (tmp_path / "ds" / "README.md").read_text()


def test_bad_push_to_is_refused_before_judging(tmp_path: Path) -> None:
    write_open_r1_set(tmp_path / "open-r1")
    done = run_build_dataset("run", "--problems", str(tmp_path / "open-r1"), "--no-progress", "--out",
                          str(tmp_path / "ds"), "--push-to", "not a repo", env=cli_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "invalid dataset repo id" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "ds").exists() and not (tmp_path / "ds.state.sqlite").exists()

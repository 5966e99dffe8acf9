"""API responses → problem metadata, on the full recorded problemset, plus twin merging."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cf_testlib import vcr_body
from codeforces import merge_twins, problems_from_api, statement_hash
from codeforces.normalize import load_contests, parallel_contests
from problems import Problem


def test_full_problemset(problemset_json, contests_json) -> None:
    raw = problemset_json["result"]
    problems = problems_from_api(problemset_json, contests_json)
    expected_ids = [f"{p['contestId']}/{p['index']}" for p in raw["problems"] if p["type"] == "PROGRAMMING"]
    assert len(raw["problems"]) == 10348
    assert [p.id for p in problems] == expected_ids
    by_id = {p.id: p for p in problems}
    rated = sum(1 for p in raw["problems"] if "rating" in p)
    assert sum(p.rating is not None for p in problems) == rated == 10067
    solved = {f"{s['contestId']}/{s['index']}": s["solvedCount"] for s in raw["problemStatistics"]}
    assert all(by_id[i].solved_count == solved[i] for i in by_id)
    contests = {c["id"]: c for c in contests_json}
    with_contest = [p for p in problems if int(p.contest_id) in contests]
    assert 0 < len(with_contest) < len(problems)  # the contest list is older than the problemset
    for p in with_contest[:: max(1, len(with_contest) // 500)]:
        c = contests[int(p.contest_id)]
        assert (p.contest_name, p.contest_type, p.contest_start) == (c["name"], c["type"], c["startTimeSeconds"])
        assert p.contest_start_year == datetime.fromtimestamp(c["startTimeSeconds"], tz=timezone.utc).year
    for p in problems:
        if int(p.contest_id) not in contests:
            assert p.contest_name is None and p.contest_start_year is None
    assert all(p.description is None and not p.has_statement for p in problems)
    odd = [p.index for p in problems if not p.index.isalpha()]
    assert "D10" in odd and "01" in odd  # unusual indices survive validation


def test_2015_schema_without_rating(cf_data: Path) -> None:
    recorded = cf_data / "api" / "recorded-2015-2020"
    body = (recorded / "problemset.problems.json").read_bytes()
    # The cassette's base64 body is the same bytes (README: "byte for byte").
    assert vcr_body(cf_data / "api" / "recorded-2015-raw" / "problemset.problems.vcr.yml") == body
    data = json.loads(body)
    contests = json.loads((recorded / "contest.list.json").read_text())
    problems = problems_from_api(data, contests)
    assert not any("rating" in p for p in data["result"]["problems"])
    assert len(problems) == len(data["result"]["problems"]) > 1000
    assert all(p.rating is None for p in problems)
    assert any(p.tags for p in problems) and any(p.contest_start_year == 2015 for p in problems)


def test_bad_input_gets_clear_errors() -> None:
    with pytest.raises(ValueError, match="Call limit exceeded"):
        problems_from_api({"status": "FAILED", "comment": "Call limit exceeded"})
    with pytest.raises(ValueError, match="expected shape"):
        problems_from_api({"problems": [{"contestId": 1}]})
    with pytest.raises(ValueError, match="list of contests"):
        load_contests({"status": "OK", "result": {"not": "a list"}})
    with pytest.raises(ValueError, match="does not match"):
        Problem(id="1/A", contest_id="2", index="A", title="x")
    with pytest.raises(ValueError):
        Problem(id="1/A!", contest_id="1", index="A!", title="x")


def test_parallel_rounds_found_in_contest_list(contests_json) -> None:
    siblings = parallel_contests(load_contests(contests_json))
    # README: Div.1/Div.2 twin rounds share a start time.
    for a, b in ((2006, 2007), (2018, 2019), (2023, 2024), (1967, 1972)):
        assert b in siblings.get(a, []) and a in siblings.get(b, [])


def _codeelo_problem(row: dict) -> Problem:
    pid = row["problem_id"]
    match = re.fullmatch(r"(\d+)([A-Z]\d*)", pid)
    assert match, pid
    contest, index = match.groups()
    fields = dict(
        title=row["title"],
        description=row["description"],
        input_format=row["input"],
        output_format=row["output"],
        interaction_format=row["interaction"] or None,
    )
    return Problem(
        id=f"{contest}/{index}", contest_id=contest, index=index, statement_hash=statement_hash(**fields), **fields
    )


def test_twins_from_independent_normalisation(cf_data: Path, problemset_json) -> None:
    """codeelo lists both halves of several twin pairs; hashing must pair exactly those."""
    rows = json.loads((cf_data / "normalized" / "codeelo-2024-problems.json").read_text())
    problems = [_codeelo_problem(r) for r in rows]
    listed = {f"{p['contestId']}/{p['index']}" for p in problemset_json["result"]["problems"]}
    groups = Counter(p.statement_hash for p in problems)
    pairs = sorted(sorted(p.id for p in problems if p.statement_hash == h) for h, n in groups.items() if n > 1)
    expected = sorted(
        [f"{d1}/{a}", f"{d2}/{b}"]
        for (d1, d2, first1, first2, n) in (
            (2006, 2007, "A", "D", 3), (2018, 2019, "A", "C", 4), (2023, 2024, "A", "C", 4)
        )
        for a, b in zip("ABCDEF"[:n], [chr(ord(first2) + k) for k in range(n)])
    )
    assert pairs == expected
    merged = merge_twins(problems, listed_ids=listed)
    assert len(merged) == len(problems) - len(expected)
    by_id = {p.id: p for p in merged}
    for keep, drop in expected:
        assert keep in listed and drop not in listed  # the API lists each twin once
        assert by_id[keep].aliases == [drop] and drop not in by_id
    # 1972C-F are twins of 1967A-D, which codeelo does not include: kept, not lost.
    ids_1972 = {p.id for p in problems if p.contest_id == "1972"}
    assert "1972/C" in ids_1972 and ids_1972 <= set(by_id)


def test_hash_ignores_whitespace_but_not_content() -> None:
    base = dict(title="T", description="a  $x$\nb", input_format="i", output_format="o",
                examples=[("1\n", "2\n")])
    same = dict(base, description="a $x$ b")
    other = dict(base, examples=[("1\n", "3\n")])
    assert statement_hash(**base) == statement_hash(**same) != statement_hash(**other)

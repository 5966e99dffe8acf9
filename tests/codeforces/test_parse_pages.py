"""Parsing the real recorded statement pages.

Expected values come from sources independent of the parser: the API problemset (titles,
``interactive`` tag), the data README's stated facts (1.5 s limit, 512 MB, interactive F
problems), a second HTML library (BeautifulSoup) for sample text and MathJax sources, and
another tool's rendering of 1211A for the LaTeX.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from codeforces import StatementPageError, parse_statements
from codeforces.parse import classify_page, parse_page
from cf_testlib import CHALLENGE_PAGE, read_page

PAGES = {
    "1715": ("contest-1715-problems.html", "https://codeforces.com/contest/1715/problems"),
    "1368": ("contest-1368-problems.html", "https://codeforces.com/contest/1368/problems"),
}


def _bs_samples(html: str) -> list[list[tuple[str, str]]]:
    """Sample pairs per statement, extracted with BeautifulSoup instead of selectolax."""
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for statement in soup.select("div.problem-statement"):
        pairs = []
        for test in statement.select("div.sample-test"):
            pres = [(d.get("class")[0], d.find("pre")) for d in test.find_all("div", recursive=False)]
            inputs = [p for c, p in pres if c == "input"]
            outputs = [p for c, p in pres if c == "output"]
            for i, o in zip(inputs, outputs):
                pairs.append((_bs_pre(i), _bs_pre(o)))
        out.append(pairs)
    return out


def _bs_pre(pre) -> str:
    lines = pre.find_all("div", class_="test-example-line")
    if lines:
        text = "\n".join(line.get_text() for line in lines)
    else:
        for br in pre.find_all("br"):
            br.replace_with("\n")
        text = pre.get_text()
        if text.startswith("\n"):  # HTML drops a newline right after <pre>; html.parser does not
            text = text[1:]
    rows = [r.replace("\xa0", " ").rstrip() for r in text.split("\n")]
    while rows and not rows[-1]:
        rows.pop()
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("contest", sorted(PAGES))
def test_contest_page_matches_api_and_independent_extraction(cf_data: Path, problemset_json, contest: str) -> None:
    name, url = PAGES[contest]
    html = read_page(cf_data, name)
    problems = parse_statements(html, url)
    api = {p["index"]: p for p in problemset_json["result"]["problems"] if str(p["contestId"]) == contest}

    assert [p.index for p in problems] == sorted(api), "every API problem of the contest, in page order"
    bs = _bs_samples(html)
    assert len(bs) == len(problems)
    for problem, samples in zip(problems, bs):
        meta = api[problem.index]
        assert problem.id == f"{contest}/{problem.index}"
        assert problem.contest_id == contest
        assert problem.title == meta["name"]
        assert problem.interactive == ("interactive" in meta["tags"]), problem.id
        assert [(e["input"], e["output"]) for e in problem.model_dump()["examples"]] == samples
        assert problem.examples, "every statement here has samples"
        assert problem.input_mode == "stdio" and problem.input_file is None
        assert problem.description and problem.output_format is not None or problem.interactive
        for text in (problem.description, problem.input_format, problem.output_format, problem.note):
            if text:
                assert "$$$" not in text and "MathJax" not in text and "<span" not in text
                assert "\xa0" not in text
        assert problem.statement_hash and len(problem.statement_hash) == 64
        assert problem.source_urls == [url]


def test_readme_facts_1715(cf_data: Path) -> None:
    page = read_page(cf_data, "contest-1715-problems.html")
    problems = {p.index: p for p in parse_statements(page, PAGES["1715"][1])}
    assert problems["D"].time_limit == 1.5
    assert {p.time_limit for i, p in problems.items() if i != "D"} >= {1.0}
    assert all(p.memory_limit == 256 for p in problems.values())
    # F is interactive: an Interaction section, and its sample is a transcript.
    assert problems["F"].interactive and problems["F"].interaction_format
    assert "flush" in problems["F"].interaction_format
    assert [i for i, p in problems.items() if p.interactive] == ["F"]
    # B accepts several answers; the parser must not hide that (the statement says "any").
    assert "any" in problems["B"].description.lower()
    # The multi-test sample of B uses test-example-line divs: one line per div.
    first = problems["B"].examples[0].read_input().decode()
    assert first.count("\n") == int(first.split("\n")[0]) + 1


def test_readme_facts_1368(cf_data: Path) -> None:
    page = read_page(cf_data, "contest-1368-problems.html")
    problems = {p.index: p for p in parse_statements(page, PAGES["1368"][1])}
    assert set(problems) == {"A", "B", "C", "D", "E", "F", "G", "H1", "H2"}
    assert all(p.memory_limit == 512 for p in problems.values())
    assert [i for i, p in problems.items() if p.interactive] == ["F"]
    assert problems["F"].interaction_format and problems["F"].input_format is None
    assert "any of them" in problems["B"].output_format


def test_mathjax_sources_become_latex(cf_data: Path) -> None:
    """Every MathJax <script type="math/tex"> source appears as $...$ / $$...$$ in order."""
    html = read_page(cf_data, "contest-1715-problems.html")
    soup = BeautifulSoup(html, "html.parser")
    problems = parse_statements(html, PAGES["1715"][1])
    for statement, problem in zip(soup.select("div.problem-statement"), problems):
        legend = statement.find("div", class_=False, recursive=False)
        expected = []
        for script in legend.find_all("script"):
            tex = script.get_text().strip()
            expected.append(f"$${tex}$$" if "mode=display" in script.get("type", "") else f"${tex}$")
        pos = 0
        for piece in expected:
            found = problem.description.find(piece, pos)
            assert found >= 0, (problem.id, piece)
            pos = found + len(piece)


def test_raw_dollar_latex_converted(cf_data: Path) -> None:
    """Every $$$x$$$ of the raw statement text (decoded by BeautifulSoup) becomes $x$."""
    html = read_page(cf_data, "contest-1368-problems.html")
    soup = BeautifulSoup(html, "html.parser")
    problems = parse_statements(html, PAGES["1368"][1])
    for statement, problem in zip(soup.select("div.problem-statement"), problems):
        for pre in statement.find_all("pre"):
            pre.decompose()
        raw = statement.get_text(" ")
        pieces = [
            (f"$${d.strip()}$$" if d else f"${i.strip()}$")
            for d, i in re.findall(r"\$\$\$\$\$\$(.+?)\$\$\$\$\$\$|\$\$\$(.+?)\$\$\$", raw, flags=re.S)
        ]
        assert pieces, problem.id
        text = " ".join(
            " ".join(filter(None, (
                problem.description, problem.input_format, problem.output_format,
                problem.interaction_format, problem.note,
            ))).split()
        )
        assert "$$$" not in text
        pos = 0
        for piece in pieces:
            piece = " ".join(piece.split())
            found = text.find(piece, pos)
            assert found >= 0, (problem.id, piece)
            pos = found + len(piece)


def test_images_are_absolute(cf_data: Path) -> None:
    for name, url in PAGES.values():
        html = read_page(cf_data, name)
        srcs = re.findall(r'<img class="tex-graphics"[^>]*src="([^"]+)"', html)
        text = " ".join(
            (p.description or "") + (p.note or "") + (p.input_format or "") + (p.output_format or "")
            for p in parse_statements(html, url)
        )
        images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
        assert len(images) == len(srcs) > 0
        assert all(i.startswith("https://") for i in images)


def test_pretty_printed_statement_matches_other_tools_rendering(cf_data: Path, api_names) -> None:
    html = read_page(cf_data, "problem-1211A-statement-div.html")
    (problem,) = parse_statements(html, "https://codeforces.com/contest/1211/problem/A")
    assert problem.id == "1211/A" and problem.title == api_names["1211/A"]
    assert problem.time_limit == 3.0 and problem.memory_limit == 256.0
    # Samples: pre-wrapped with a leading newline and a trailing space in the raw page.
    assert [e.read_answer() for e in problem.examples] == [b"4 1 3\n", b"-1 -1 -1\n", b"9 8 3\n"]
    rendered = (
        cf_data / "html" / "expected-rendered" / "Contest-1211-problem-A-expected-task-description.html"
    ).read_text()
    soup = BeautifulSoup(rendered, "html.parser")
    for cls, ours in (("input-specification", problem.input_format), ("output-specification", problem.output_format)):
        theirs = soup.find("div", class_=cls).get_text(" ")
        assert re.findall(r"\$[^$]+\$", " ".join(theirs.split())) == re.findall(r"\$[^$]+\$", ours)


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name
        for p in (
            Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "codeforces" / "html" / "expected-rendered"
        ).glob("Contest-*.html")
    )
    or ["missing"],
)
def test_other_tools_rendered_statements_parse(cf_data: Path, api_names, name: str) -> None:
    """Another tool's rendered statement divs (already `$x$` maths) still parse fully."""
    match = re.match(r"Contest-(\d+)-problem-(\w+)-", name)
    assert match
    html = (cf_data / "html" / "expected-rendered" / name).read_text()
    (problem,) = parse_statements(html, f"https://codeforces.com/contest/{match[1]}/problem/{match[2]}")
    assert problem.id == f"{match[1]}/{match[2]}"
    if problem.id in api_names:
        assert problem.title == api_names[problem.id]
    assert len(problem.examples) == html.count("<pre") // 2
    assert problem.time_limit and problem.memory_limit and problem.description


def test_non_statement_pages_are_refused(cf_data: Path) -> None:
    contests_page = read_page(cf_data, "contests-page.html")
    assert classify_page(contests_page) == "no_statement"
    assert classify_page(CHALLENGE_PAGE) == "challenge"
    assert classify_page("") == "empty"
    login = '<html><body><form id="enterForm"><input name="handleOrEmail"></form></body></html>'
    assert classify_page(login) == "login"
    full = read_page(cf_data, "contest-1715-problems.html")
    assert classify_page(full[: len(full) // 2]) == "truncated"
    pdf = ('<html><body><div id="pageContent"><embed src="/contest/100524/problems.pdf" type="application/pdf">'
           '</div></body></html>')
    assert classify_page(pdf) == "pdf_only"
    for page, kind in ((CHALLENGE_PAGE, "challenge"), ("", "empty"), (pdf, "pdf_only")):
        with pytest.raises(StatementPageError) as info:
            parse_statements(page, "https://codeforces.com/contest/1/problem/A")
        assert info.value.kind == kind


def test_contest_id_from_page_or_clear_error(cf_data: Path) -> None:
    html = read_page(cf_data, "contest-1368-problems.html")
    with pytest.raises(StatementPageError, match="pass url="):
        parse_statements(html)  # the recorded page has its contest links stripped
    linked = html.replace("<body", '<body><a href="/contest/1368">Contest</a>', 1)
    assert [p.id for p in parse_statements(linked)][:2] == ["1368/A", "1368/B"]


def test_single_problem_page_uses_url_index(cf_data: Path) -> None:
    html = read_page(cf_data, "contest-1715-problems.html")
    page = parse_page(html, "https://codeforces.com/contest/1715/problems")
    assert page.kind == "statements" and page.contest_id == "1715" and not page.pdf_only

"""Statement pages to `Problem` records, and telling real statements from everything else.

One function reads every page shape the scraper meets: a single problem page
(``/contest/N/problem/X`` or ``/problemset/problem/N/X``), a whole-contest page
(``/contest/N/problems``), a bare ``problem-statement`` div, saved-from-browser pages with
MathJax output, and pretty-printed HTML. Pages that are not statements (Cloudflare
challenges, login forms, empty bodies, PDF-only statements, truncated downloads) are
classified rather than parsed, so they can never be stored as statements.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from selectolax.lexbor import LexborHTMLParser, LexborNode

from codeforces.markdown import DEFAULT_BASE, convert_dollars, pre_text, to_markdown
from problems.model import Problem
from sandbox.judge.model import input_mode_from_flat

__all__ = [
    "PageKind",
    "ParsedPage",
    "StatementPageError",
    "classify_page",
    "parse_page",
    "parse_statements",
    "statement_hash",
    "parse_time_limit",
    "parse_memory_limit",
    "url_ids",
]

PageKind = Literal["statements", "pdf_only", "challenge", "login", "empty", "truncated", "no_statement"]
#: Page kinds worth retrying later: the site may serve the real page next time.
TRANSIENT_KINDS: frozenset[str] = frozenset({"challenge", "login", "empty", "truncated"})


class StatementPageError(ValueError):
    """Raised by `parse_statements` for a page that holds no usable statement."""

    def __init__(self, kind: str, url: str | None, detail: str = "") -> None:
        self.kind = kind
        self.url = url
        super().__init__(f"{url or 'page'} is not a statement page ({kind}){': ' + detail if detail else ''}")


class ParsedPage(BaseModel):
    """What one page yielded: problems with statements, and indices whose statement is a PDF."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    kind: PageKind
    problems: list[Problem] = Field(default_factory=list)
    pdf_only: list[str] = Field(default_factory=list, description="Indices with PDF-only statements")
    contest_id: str | None = None


# --- page classification ---------------------------------------------------------------

_CHALLENGE_MARKERS = (
    "cf-browser-verification",
    "cf_chl_opt",
    "challenge-form",
    "<title>just a moment...</title>",
    "attention required! | cloudflare",
    "checking your browser before accessing",
    "cf-challenge-running",
    "enable javascript and cookies to continue",
)
_LOGIN_MARKERS = ('id="enterform"', 'name="handleoremail"', "login into codeforces", "войти на codeforces")
_PDF_RE = re.compile(r"""(?:src|href|data)\s*=\s*["'][^"']*\.pdf(?:[?#][^"']*)?["']""", re.I)


def classify_page(html: str | bytes | None) -> PageKind:
    """Say what a fetched page is, without trusting that it is a statement.

    Cloudflare injects its beacon script even into real pages, so challenge markers only
    count when no statement is present; a page that opens ``<html`` but never closes it is
    a truncated download whatever it contains.
    """
    if html is None:
        return "empty"
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        return "empty"
    head, tail = html[:4096].lower(), html[-8192:].lower()
    if "<html" in head and "</html>" not in tail and "</body>" not in tail:
        return "truncated"
    if "problem-statement" in html:  # class names are lower-case on every Codeforces page
        return "statements"
    lower = html.lower()
    if any(marker in lower for marker in _CHALLENGE_MARKERS):
        return "challenge"
    if any(marker in lower for marker in _LOGIN_MARKERS):
        return "login"
    if _PDF_RE.search(html):
        return "pdf_only"
    body = LexborHTMLParser(html).body
    text = body.text(deep=True, separator=" ", strip=True) if body is not None else ""
    return "empty" if len(text) < 20 else "no_statement"


# --- small field parsers ---------------------------------------------------------------

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")
_TITLE_RE = re.compile(r"^\s*([A-Za-z0-9]{1,4})\s*\.\s*(.+?)\s*$", re.S)
_URL_PATTERNS = (
    re.compile(r"/(?:contest|gym)/(\d+)/problem/([A-Za-z0-9]+)"),
    re.compile(r"/problemset/problem/(\d+)/([A-Za-z0-9]+)"),
    re.compile(r"/(?:contest|gym)/(\d+)/problems\b"),
    re.compile(r"/(?:contest|gym)/(\d+)(?:[/?#]|$)"),
)
_HREF_CONTEST = re.compile(r"""href=["'](?:https?://codeforces\.com)?/(?:contest|gym)/(\d+)(?:/problem/|["'/])""")


def _number(text: str) -> float | None:
    match = _NUMBER.search(text)
    return float(match.group(1).replace(",", ".")) if match else None


def parse_time_limit(text: str) -> float | None:
    """``"2 seconds"``, ``"1.5 секунды"``, ``"500 milliseconds"`` → seconds."""
    value = _number(text)
    if value is None:
        return None
    lower = text.lower()
    if "millisec" in lower or "миллисек" in lower or re.search(r"\bms\b", lower):
        value /= 1000.0
    return value


def parse_memory_limit(text: str) -> float | None:
    """``"256 megabytes"``, ``"256 мегабайт"``, ``"1 gigabyte"`` → megabytes."""
    value = _number(text)
    if value is None:
        return None
    lower = text.lower()
    if "kilobyte" in lower or "килобайт" in lower or re.search(r"\bkb\b", lower):
        value /= 1024.0
    elif "gigabyte" in lower or "гигабайт" in lower or re.search(r"\bgb\b", lower):
        value *= 1024.0
    return value


def url_ids(url: str | None) -> tuple[str | None, str | None]:
    """(contest id, index) named by a Codeforces URL; either may be ``None``."""
    if not url:
        return None, None
    for pattern in _URL_PATTERNS:
        match = pattern.search(url)
        if match:
            groups = match.groups()
            return groups[0], (groups[1] if len(groups) > 1 else None)
    return None, None


def _norm_for_hash(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def statement_hash(
    *,
    title: str,
    description: str | None,
    input_format: str | None,
    output_format: str | None,
    interaction_format: str | None = None,
    examples: Iterable[tuple[str, str]] = (),
) -> str:
    """sha256 over the whitespace-normalised statement: equal for Div.1/Div.2 twin copies.

    Limits, notes and ids are left out on purpose: twin rounds show the same statement
    under different letters and sometimes with notes edited separately.
    """
    parts = [title, description, input_format, output_format, interaction_format]
    for inp, out in examples:
        parts.extend([inp, out])
    joined = "\x1f".join(_norm_for_hash(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _own_text(node: LexborNode) -> str:
    """Text of a header property without its ``property-title`` label."""
    parts: list[str] = []
    child = node.child
    while child is not None:
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif "property-title" not in (child.attributes.get("class") or ""):
            parts.append(child.text(deep=True))
        child = child.next
    return " ".join("".join(parts).split())


def _sample_text(text: str) -> str:
    """Normalise one sample: nbsp → space, trailing spaces and blank tail dropped, final newline."""
    lines = [line.replace("\u00a0", " ").rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def _io_file(text: str, standard: tuple[str, ...]) -> str | None:
    lower = text.lower()
    if not text or any(s in lower for s in standard):
        return None
    return text.strip()


_INTERACTION_TITLES = ("interaction", "протокол взаимодействия", "взаимодействие")
_INTERACTIVE_PHRASES = ("this is an interactive problem", "это интерактивная задача", "interactive problem")


def _section_title(node: LexborNode) -> str | None:
    title = node.css_first("div.section-title")
    return " ".join(title.text(deep=True).split()) if title is not None else None


def _direct_children(node: LexborNode) -> list[LexborNode]:
    out = []
    child = node.child
    while child is not None:
        if child.tag not in ("-text", "-comment"):
            out.append(child)
        child = child.next
    return out


def _samples(node: LexborNode) -> list[tuple[str, str]]:
    """The statement's sample tests as (input, output) text pairs."""
    examples: list[tuple[str, str]] = []
    for test in node.css("div.sample-test"):
        pending: str | None = None
        for part in _direct_children(test):
            cls = part.attributes.get("class") or ""
            pre = part.css_first("pre")
            if pre is None:
                continue
            if "input" in cls.split():
                pending = _sample_text(pre_text(pre))
            elif "output" in cls.split() and pending is not None:
                examples.append((pending, _sample_text(pre_text(pre))))
                pending = None
    return examples


def _is_pdf_statement(statement: LexborNode, sections_found: bool) -> bool:
    if sections_found:
        return False
    html = statement.html or ""
    return bool(_PDF_RE.search(html)) or "pdf" in html.lower()


def _statement_to_problem(
    statement: LexborNode,
    *,
    contest_id: str,
    index_hint: str | None,
    url: str | None,
    base: str,
    fetched_at: datetime | None,
) -> tuple[Problem | None, str | None]:
    """Parse one ``problem-statement`` div. Returns (problem, None) or (None, pdf_index)."""
    header = statement.css_first("div.header")
    title_node = header.css_first("div.title") if header is not None else statement.css_first("div.title")
    raw_title = convert_dollars(" ".join(title_node.text(deep=True).split())) if title_node is not None else ""
    match = _TITLE_RE.match(raw_title)
    index = index_hint or (match.group(1) if match else None)
    title = match.group(2) if match else raw_title
    if match and index_hint and match.group(1) != index_hint:
        title = raw_title  # the letter in the title is not this problem's index; keep it whole
    if not index:
        raise StatementPageError("no_statement", url, "cannot tell the problem index")

    def prop(cls: str) -> str:
        node = header.css_first(f"div.{cls}") if header is not None else None
        return _own_text(node) if node is not None else ""

    time_limit = parse_time_limit(prop("time-limit")) if prop("time-limit") else None
    memory_limit = parse_memory_limit(prop("memory-limit")) if prop("memory-limit") else None
    input_file = _io_file(prop("input-file"), ("standard input", "стандартный ввод"))
    output_file = _io_file(prop("output-file"), ("standard output", "стандартный вывод"))

    legend: list[LexborNode] = []
    extra: list[str] = []
    input_format = output_format = interaction_format = note = None
    examples: list[tuple[str, str]] = []
    for child in _direct_children(statement):
        classes = set((child.attributes.get("class") or "").split())
        if "header" in classes:
            continue
        if "input-specification" in classes:
            input_format = to_markdown(child, base)
        elif "output-specification" in classes:
            output_format = to_markdown(child, base)
        elif "sample-tests" in classes:
            examples = _samples(child)
        elif "note" in classes:
            note = to_markdown(child, base)
        elif child.tag == "div" and not classes - {"legend"}:
            section = _section_title(child)
            if section is None:
                legend.append(child)
            elif section.lower() in _INTERACTION_TITLES:
                interaction_format = to_markdown(child, base)
            else:
                body = to_markdown(child, base)
                extra.append(f"**{section}**\n\n{body}" if body else f"**{section}**")
    description = to_markdown(legend, base) if legend else None
    if extra:
        description = "\n\n".join(([description] if description else []) + extra)

    sections_found = any(x for x in (description, input_format, output_format, examples))
    if _is_pdf_statement(statement, sections_found):
        return None, index

    lower_desc = (description or "").lower()
    interactive = interaction_format is not None or any(p in lower_desc[:300] for p in _INTERACTIVE_PHRASES)
    problem_id = f"{int(contest_id)}/{index}"
    problem = Problem(
        id=problem_id,
        contest_id=str(int(contest_id)),
        index=index,
        title=title,
        description=description,
        input_format=input_format,
        output_format=output_format,
        interaction_format=interaction_format,
        note=note,
        examples=[{"input": inp, "output": out} for inp, out in examples],
        time_limit=time_limit,
        memory_limit=memory_limit,
        input_mode=input_mode_from_flat("file" if (input_file or output_file) else "stdio", input_file, output_file),
        interactive=interactive,
        source_urls=[url] if url else [f"{base.rstrip('/')}/contest/{int(contest_id)}/problem/{index}"],
        statement_hash=statement_hash(
            title=title,
            description=description,
            input_format=input_format,
            output_format=output_format,
            interaction_format=interaction_format,
            examples=examples,
        ),
        scraped_at=fetched_at,
    )
    return problem, None


def _contest_from_page(html: str) -> str | None:
    counts = Counter(_HREF_CONTEST.findall(html))
    return counts.most_common(1)[0][0] if counts else None


def _statement_region(html: str) -> str:
    """The page from the first statement on: site chrome before it (menus, scripts, MathJax
    config — often most of the bytes) never holds statement content, so skipping it halves
    parse time on full pages."""
    first = html.find("problemindexholder")
    if first < 0:
        first = html.find("problem-statement")
    start = html.rfind("<div", 0, first) if first > 0 else -1
    return html[start:] if start > 0 else html


def _base_of(url: str | None) -> str:
    if url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://{rest.split('/', 1)[0]}/"
    return DEFAULT_BASE


def parse_page(html: str | bytes, url: str | None = None, *, fetched_at: datetime | None = None) -> ParsedPage:
    """Classify a page and parse every statement on it.

    ``url`` supplies the contest id (and, for single-problem pages, the index) when the
    page itself does not name them; relative images and links resolve against its host.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    kind = classify_page(html)
    if kind != "statements":
        return ParsedPage(kind=kind)
    contest_id, url_index = url_ids(url)
    if contest_id is None:
        contest_id = _contest_from_page(html)
    if contest_id is None:
        raise StatementPageError(
            "no_statement", url, "cannot tell which contest this page belongs to; pass url="
        )
    tree = LexborHTMLParser(_statement_region(html))
    statements = tree.css("div.problem-statement")
    base = _base_of(url)
    single = len(statements) == 1
    problems: list[Problem] = []
    pdf_only: list[str] = []
    for statement in statements:
        index_hint = None
        holder = statement.parent
        while holder is not None and holder.tag != "body":
            if holder.attributes.get("problemindex"):
                index_hint = holder.attributes["problemindex"]
                break
            holder = holder.parent
        if index_hint is None and single and url_index:
            index_hint = url_index
        problem, pdf_index = _statement_to_problem(
            statement, contest_id=contest_id, index_hint=index_hint, url=url, base=base, fetched_at=fetched_at
        )
        if problem is not None:
            problems.append(problem)
        elif pdf_index is not None:
            pdf_only.append(pdf_index)
    if not problems and pdf_only:
        return ParsedPage(kind="pdf_only", pdf_only=pdf_only, contest_id=str(int(contest_id)))
    return ParsedPage(kind="statements", problems=problems, pdf_only=pdf_only, contest_id=str(int(contest_id)))


def parse_statements(html: str | bytes, url: str | None = None, *, fetched_at: datetime | None = None) -> list[Problem]:
    """Return a `Problem` for every statement on a Codeforces page.

    Works on a single problem page and on a whole ``/contest/N/problems`` page. Raises
    `StatementPageError` (a ``ValueError``) naming the page kind when the page is a
    challenge, login, empty, truncated or PDF-only page, so such pages are never taken
    for statements.
    """
    page = parse_page(html, url, fetched_at=fetched_at)
    if page.kind != "statements" or not page.problems:
        raise StatementPageError(page.kind, url)
    return page.problems


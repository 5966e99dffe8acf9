"""HTML statement fragments to Markdown with LaTeX mathematics.

Codeforces statements come in three generations of markup, and all must end up as the
same Markdown so that twins hash equal and downstream prompts look alike:

* raw ``$$$x$$$`` / ``$$$$$$x$$$$$$`` text (what the server sends today);
* MathJax-rendered DOM (pages saved from a browser): ``<script type="math/tex">`` holds
  the source, the surrounding ``MathJax*`` spans are only the rendering and are dropped;
* the old ``<span class="tex-span">`` HTML maths (``<i>``, ``<sup class="upper-index">``,
  entities such as ``&le;``), which is rebuilt as LaTeX.

A hand-written walker over selectolax nodes is used instead of a generic HTML-to-Markdown
library because those escape ``_`` and ``*`` (which would corrupt LaTeX) and because the
statement vocabulary is small and fixed, which keeps this fast enough for 10,000 pages.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

__all__ = ["to_markdown", "convert_dollars", "absolute_url", "DEFAULT_BASE"]

DEFAULT_BASE = "https://codeforces.com/"

_WS = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_DISPLAY = re.compile(r"\$\$\$\$\$\$(.+?)\$\$\$\$\$\$", re.S)
_INLINE = re.compile(r"\$\$\$(.+?)\$\$\$", re.S)
_MANY_NL = re.compile(r"\n{3,}")
_MANY_SPACES = re.compile(r" {2,}")
_INDENT = "\x00"  # placeholder for list indentation that survives line stripping

# MathJax rendering output: the TeX source is kept in a sibling <script>.
_SKIP_CLASSES = frozenset(
    {"MathJax_Preview", "MathJax", "MathJax_Display", "MJX_Assistive_MathML", "MathJax_SVG",
     "input-output-copier", "section-title"}
)
_BOLD = frozenset({"tex-font-style-bf", "tex-font-style-bf-it"})
_ITALIC = frozenset({"tex-font-style-it", "tex-font-style-sl"})
_MONO = frozenset({"tex-font-style-tt"})
_BLOCK = frozenset(
    {"p", "div", "center", "blockquote", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dd", "dt"}
)

# Unicode that old tex-span markup uses for operators, mapped back to TeX commands.
_TEX_SYMBOLS = {
    "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "·": r"\cdot ", "×": r"\times ", "…": r"\ldots ",
    "→": r"\to ", "←": r"\leftarrow ", "∞": r"\infty ", "±": r"\pm ", "−": "-", "∑": r"\sum ",
    "≈": r"\approx ", "∈": r"\in ", "⋅": r"\cdot ", "⌊": r"\lfloor ", "⌋": r"\rfloor ",
    "⌈": r"\lceil ", "⌉": r"\rceil ", "∪": r"\cup ", "∩": r"\cap ", "⊕": r"\oplus ",
    "α": r"\alpha ", "β": r"\beta ", "γ": r"\gamma ", "δ": r"\delta ", "ε": r"\varepsilon ",
    "π": r"\pi ", "σ": r"\sigma ", "φ": r"\varphi ", "λ": r"\lambda ", "μ": r"\mu ",
    "Δ": r"\Delta ", "Σ": r"\Sigma ", "√": r"\sqrt ", "\u00a0": " ",
}
_TEX_SYMBOL_RE = re.compile("|".join(map(re.escape, _TEX_SYMBOLS)))


def absolute_url(src: str, base: str | None) -> str:
    """Make an image or link target absolute so the Markdown works outside codeforces.com."""
    src = src.strip()
    if src.startswith("//"):
        return "https:" + src
    return urljoin(base or DEFAULT_BASE, src)


def convert_dollars(text: str) -> str:
    """Turn Codeforces' ``$$$$$$x$$$$$$`` into ``$$x$$`` and ``$$$x$$$`` into ``$x$``."""
    if "$$$" not in text:
        return text
    text = _DISPLAY.sub(lambda m: "$$" + m.group(1).strip() + "$$", text)
    return _INLINE.sub(lambda m: "$" + m.group(1).strip() + "$", text)


def _classes(node: LexborNode) -> set[str]:
    value = node.attributes.get("class") if node.attributes else None
    return set(value.split()) if value else set()


def _wrap(inner: str, marker: str) -> str:
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead and ' '}{marker}{core}{marker}{trail and ' '}"


class _Renderer:
    """Walks one statement section; `base` resolves relative image and link URLs."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.in_code = 0  # inside a code span emphasis markers would show literally

    def children(self, node: LexborNode) -> str:
        parts: list[str] = []
        child = node.child
        while child is not None:
            parts.append(self.node(child))
            child = child.next
        return "".join(parts)

    def node(self, node: LexborNode) -> str:  # one dispatch table, kept flat on purpose
        tag = node.tag
        if tag == "-text":
            return _WS.sub(" ", node.text_content or "")
        if tag in ("-comment", "style", "noscript", "nobr", "svg", "math", "head", "title", "input", "button"):
            return ""
        if tag == "script":
            kind = (node.attributes.get("type") or "").lower()
            if kind.startswith("math/tex"):
                tex = (node.text(deep=True) or "").strip()
                return f"$${tex}$$" if "mode=display" in kind else f"${tex}$"
            return ""
        classes = _classes(node)
        if classes & _SKIP_CLASSES:
            return ""
        if "tex-span" in classes:
            return "$" + _tex_span(node).strip() + "$"
        if tag == "br":
            return "\n"
        if tag == "img":
            src = node.attributes.get("src")
            if not src:
                return ""
            alt = _WS.sub(" ", node.attributes.get("alt") or "").strip()
            return f"![{alt}]({absolute_url(src, self.base)})"
        if tag == "pre":
            return "\n\n```\n" + pre_text(node).rstrip("\n") + "\n```\n\n"
        if tag in ("ul", "ol"):
            return "\n\n" + self.list_items(node, ordered=tag == "ol") + "\n\n"
        if tag == "table":
            return "\n\n" + self.table(node) + "\n\n"
        if tag in ("tt", "code", "kbd", "samp") or classes & _MONO:
            self.in_code += 1
            try:
                return _wrap(self.children(node), "`")
            finally:
                self.in_code -= 1
        inner = self.children(node)
        if tag in ("b", "strong") or classes & _BOLD:
            return inner if self.in_code else _wrap(inner, "**")
        if tag in ("i", "em") or classes & _ITALIC:
            return inner if self.in_code else _wrap(inner, "*")
        if tag == "a":
            href = node.attributes.get("href")
            text = inner.strip()
            if not href or href.startswith(("javascript:", "#")):
                return inner
            url = absolute_url(href, self.base)
            return f"[{text}]({url})" if text else f"<{url}>"
        if tag == "sup":
            return f"<sup>{inner.strip()}</sup>"
        if tag == "sub":
            return f"<sub>{inner.strip()}</sub>"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return "\n\n" + _wrap(inner, "**").strip() + "\n\n"
        if tag in _BLOCK:
            return "\n\n" + inner + "\n\n"
        return inner

    def list_items(self, node: LexborNode, ordered: bool) -> str:
        lines: list[str] = []
        number = 0
        child = node.child
        while child is not None:
            if child.tag == "li":
                number += 1
                body = _finish(self.children(child))
                bullet = f"{number}. " if ordered else "- "
                pad = _INDENT * len(bullet)
                body_lines = body.split("\n") if body else [""]
                lines.append(bullet + body_lines[0])
                lines.extend(pad + line if line else "" for line in body_lines[1:])
            child = child.next
        return "\n".join(lines)

    def table(self, node: LexborNode) -> str:
        rows: list[list[str]] = []
        for tr in node.css("tr"):
            cells = [
                _finish(self.children(cell)).replace("\n", " ").replace("|", r"\|")
                for cell in tr.iter()
                if cell.tag in ("td", "th")
            ]
            if cells:
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        out.extend("| " + " | ".join(r) + " |" for r in rows[1:])
        return "\n".join(out)


def _tex_span(node: LexborNode) -> str:
    """Rebuild LaTeX from old-style ``tex-span`` HTML maths."""
    parts: list[str] = []
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            text = _WS.sub(" ", child.text_content or "")
            parts.append(_TEX_SYMBOL_RE.sub(lambda m: _TEX_SYMBOLS[m.group(0)], text))
        elif tag == "sup":
            parts.append("^{" + _tex_span(child).strip() + "}")
        elif tag == "sub":
            parts.append("_{" + _tex_span(child).strip() + "}")
        elif tag in ("b", "strong"):
            parts.append(r"\mathbf{" + _tex_span(child).strip() + "}")
        elif tag not in ("-comment", "script", "style"):
            parts.append(_tex_span(child))  # <i>, plain spans: italic is TeX's default
        child = child.next
    return "".join(parts)


def pre_text(node: LexborNode) -> str:
    """Text of a ``<pre>``: ``<br>`` and ``test-example-line`` divs become line breaks."""
    out: list[str] = []

    def walk(n: LexborNode) -> None:
        child = n.child
        while child is not None:
            tag = child.tag
            if tag == "-text":
                out.append(child.text_content or "")
            elif tag == "br":
                out.append("\n")
            elif tag in ("div", "p"):
                if out and not out[-1].endswith("\n"):
                    out.append("\n")
                walk(child)
                if not out or not out[-1].endswith("\n"):
                    out.append("\n")
            elif tag not in ("-comment", "script", "style"):
                walk(child)
            child = child.next

    walk(node)
    return "".join(out)


def _finish(text: str) -> str:
    """Tidy rendered Markdown: trim lines, squeeze blank runs, keep code blocks verbatim."""
    lines = text.split("\n")
    cleaned: list[str] = []
    in_code = False
    for line in lines:
        if line.strip() == "```":
            in_code = not in_code
            cleaned.append("```")
            continue
        cleaned.append(line.rstrip() if in_code else _MANY_SPACES.sub(" ", line.strip()))
    result = "\n".join(cleaned)
    result = _MANY_NL.sub("\n\n", result).strip("\n")
    return result


def to_markdown(nodes: list[LexborNode] | LexborNode, base: str | None = None) -> str:
    """Render one or more sibling statement nodes as Markdown with LaTeX maths."""
    if isinstance(nodes, LexborNode):
        nodes = [nodes]
    renderer = _Renderer(base)
    raw = "\n\n".join(renderer.node(n) for n in nodes)
    return convert_dollars(_finish(raw)).replace(_INDENT, " ")

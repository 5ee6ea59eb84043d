"""Math in notes, typeset while the site builds: the page carries it as HTML and MathML, and runs no script.

Notes write math as GitHub and Obsidian read it: `$…$` and `\\(…\\)` inline, `$$…$$`, `\\[…\\]` and ```` ```math ````
fences displayed. A `$` opens only before a non-space and closes only after a non-space and not before a digit,
so `$5 and $10` stays money; `\\$` is a dollar sign. Nothing inside code is math.

blocks.py hands each paragraph's, heading's and table cell's text to `protect`, which puts a token in place of
each formula: letters and digits only, so no Markdown rule (emphasis, smart quotes, attr_list, tags, wikilinks,
line starts) ever reads inside a formula. The token carries the formula itself (Base32), so the Markdown written
for a note stays a pure function of the note (blocks.py's output is cached). Once Python-Markdown has made the
page's HTML, `Typesetter.page` puts the typeset formula in place of each token, and a copy with the formula's TeX
source (for search and plain text). KaTeX typesets, run by V8 (mini-racer); formulas are cached by (TeX, display).

Pure: imports no MkDocs.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

VENDOR = Path(__file__).parents[1] / "vendor"  # third-party files shipped as they came (vendor/VENDORED.md)
KATEX_JS = VENDOR / "katex" / "katex.min.js"

# A formula in the Markdown handed to Python-Markdown: `pdmath`, i(nline) or d(isplay), Base32, `x`.
TOKEN = re.compile(r"pdmath([id])([A-Z2-7]*)x")
DIAGRAM_TOKEN = re.compile(r"pddiagram([A-Z2-7]*)x")
# What may start a formula or a code span (or escape one of their characters): the scanner jumps between these.
CANDIDATE = re.compile(r"[\\`$]")
CITATION = re.compile(r"[\d\s,;.\-–]*$")
BLANK_LINE = re.compile(r"\n[ \t>]*\n")
FENCED_MATH = ("math",)
FENCED_DIAGRAM = ("mermaid",)


def _encode(text: str) -> str:
    return base64.b32encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _decode(code: str) -> str:
    return base64.b32decode(code + "=" * (-len(code) % 8)).decode("utf-8")


def token(tex: str, display: bool) -> str:
    return "pdmath" + ("d" if display else "i") + _encode(tex) + "x"


def diagram_token(source: str) -> str:
    return "pddiagram" + _encode(source) + "x"


@dataclass(frozen=True)
class Span:
    """A formula in a text: where it starts and ends (delimiters included), its TeX, displayed or inline."""

    start: int
    end: int
    tex: str
    display: bool


def spans(text: str) -> list[Span]:
    """Every formula of a paragraph's (or a whole note's) text, outside code spans; none crosses a blank line."""
    found: list[Span] = []
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return found
    i, n = 0, len(text)
    while True:
        m = CANDIDATE.search(text, i)
        if m is None:
            return found
        i = m.start()
        c = text[i]
        if c == "\\":
            opener = text[i + 1:i + 2]
            if opener in ("(", "["):
                end = _closing(text, i + 2, "\\)" if opener == "(" else "\\]")
                # `\[1\]`, `\[2, 5-7\]`: a citation's brackets escaped (so Markdown makes no link of them)
                if end != -1 and text[i + 2:end].strip() and not CITATION.match(text[i + 2:end]):
                    found.append(Span(i, end + 2, text[i + 2:end].strip(), opener == "["))
                    i = end + 2
                    continue
            i += 2  # an escaped character: `\$` is a dollar sign, `\\` a backslash
            continue
        if c == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(text, i + run)
            i = close.end() if close else i + run  # a code span, or backticks that open none
            continue
        if text.startswith("$$", i):
            end = _closing(text, i + 2, "$$")
            if end != -1 and text[i + 2:end].strip():
                found.append(Span(i, end + 2, text[i + 2:end].strip(), True))
                i = end + 2
            else:
                i += 2
            continue
        if i + 1 < n and not text[i + 1].isspace():
            end = _dollar_closing(text, i + 1)
            if end != -1:
                found.append(Span(i, end + 1, text[i + 1:end], False))
                i = end + 1
                continue
        i += 1


def _limit(text: str, start: int) -> int:
    blank = BLANK_LINE.search(text, start)
    return blank.start() if blank else len(text)


def _closing(text: str, start: int, close: str) -> int:
    """Where `close` is next, outside escapes (`\\$`, `\\\\`) and before a blank line; -1 if nowhere."""
    limit = _limit(text, start)
    i = start
    while i < limit:
        if text.startswith(close, i):
            return i if i + len(close) <= limit else -1
        i += 2 if text[i] == "\\" else 1
    return -1


def _dollar_closing(text: str, start: int) -> int:
    """The `$` that closes inline math opened before `start`: after a non-space, not before a digit."""
    limit = _limit(text, start)
    i = start
    while i < limit:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "$" and not text[i - 1].isspace() and not (i + 1 < len(text) and text[i + 1].isdigit()):
            return i
        i += 1
    return -1


def protect(text: str) -> str:
    """`text` (one paragraph, heading or table cell) with each formula replaced by its token, and each `\\$`
    outside code as the dollar sign it means (Python-Markdown does not read `\\$` as an escape)."""
    found = spans(text)
    if not found:
        return _dollars(text) if "\\$" in text else text
    return _each(text, found, lambda span: token(span.tex if span.display else " ".join(span.tex.split("\n")),
                                                 span.display), between=_dollars)


def _each(text: str, found: list[Span], formula: Callable[[Span], str], between: Callable[[str], str] = str) -> str:
    """`text` with each span in `found` replaced by `formula(span)`, and the text between them by `between`."""
    out, last = [], 0
    for span in found:
        out += [between(text[last:span.start]), formula(span)]
        last = span.end
    out.append(between(text[last:]))
    return "".join(out)


ESCAPED_DOLLAR = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)|\\\$")


def _dollars(text: str) -> str:
    if "\\$" not in text:
        return text
    return ESCAPED_DOLLAR.sub(lambda m: m.group(0) if m.group(1) else "&#36;", text)


def fenced(info: str, content: str) -> str | None:
    """The token for a fenced block that is a formula (```` ```math ````) or a diagram (```` ```mermaid ````)."""
    language = info.strip().split(" ")[0].lower() if info.strip() else ""
    if language in FENCED_MATH and content.strip():
        return token(content.strip("\n"), True)
    if language in FENCED_DIAGRAM:
        return diagram_token(content.rstrip("\n"))
    return None


def blank(text: str) -> str:
    """`text` with every formula blanked (same length, lines kept), so nothing reads inside it."""
    found = spans(text)
    return _each(text, found, lambda span: re.sub(r"[^\n]", " ", text[span.start:span.end])) if found else text


def plain(text: str) -> str:
    """`text` with each formula as its TeX source, without delimiters: for titles, summaries, feeds."""
    found = spans(text)
    return _each(text, found, lambda span: " ".join(span.tex.split())) if found else text


def tokens_as_text(text: str) -> str:
    """`text` (HTML or plain) with each formula's token as its TeX source, escaped: what search and titles read."""
    if "pdmath" not in text and "pddiagram" not in text:
        return text
    text = TOKEN.sub(lambda m: html.escape(" ".join(_decode(m.group(2)).split()), quote=False), text)
    return DIAGRAM_TOKEN.sub(lambda m: html.escape(_decode(m.group(1)), quote=False), text)


# A token inside an id or a link to one: lowercased by the toc extension's slugify.
ANCHOR_TOKEN = re.compile(r'((?:\sid="|href="#)[^"]*?)pdmath[id]([a-z2-7]*)x')


def anchor_ids(text: str) -> str:
    """`text` (HTML) with each formula in a heading's id (and links to it) as its TeX's letters and digits, as
    GitHub writes such an anchor (`## The loss $\\mathcal{L}$` -> `the-loss-mathcall`)."""
    if "pdmath" not in text:
        return text

    def slug(m: re.Match) -> str:
        tex = base64.b32decode(m.group(2).upper() + "=" * (-len(m.group(2)) % 8)).decode("utf-8")
        return m.group(1) + "-".join(re.sub(r"[^\w\s-]", "", tex).lower().split())

    while True:
        done = ANCHOR_TOKEN.sub(slug, text)
        if done == text:
            return text
        text = done


def anchor_id(value: str) -> str:
    """One id (a toc entry's), as `anchor_ids` writes it in the page."""
    return anchor_ids(f' id="{value}"')[5:-1] if "pdmath" in value else value


class TexError(Exception):
    """KaTeX could not typeset a formula: its message."""


class Katex:
    """KaTeX run by V8 (mini-racer), started at the first formula and kept for the process."""

    SETUP = """
    function pdTypeset(tex, display) {
      try {
        return "1" + katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: "ignore",
                                                 trust: false, output: "htmlAndMathml"});
      } catch (error) {
        return "0" + String(error && error.message || error);
      }
    }"""

    def __init__(self) -> None:
        self._context = None
        self._lock = threading.Lock()
        self.missing: str | None = None

    def _start(self) -> None:
        try:
            from py_mini_racer import MiniRacer
        except ImportError as error:  # the engine is a dependency: only a broken install lacks it
            self.missing = f"the JavaScript engine mini-racer is not installed ({error}); pip install mini-racer"
            raise TexError(self.missing) from None
        context = MiniRacer()
        context.eval(KATEX_JS.read_text(encoding="utf-8"))
        context.eval(self.SETUP)
        self._context = context

    def __call__(self, tex: str, display: bool) -> str:
        with self._lock:
            if self._context is None:
                if self.missing:
                    raise TexError(self.missing)
                self._start()
            # eval, not MiniRacer.call: a process that used call() waits forever at exit (mini-racer 0.14)
            answer = self._context.eval(f"pdTypeset({json.dumps(tex)}, {'true' if display else 'false'})")
        if answer[:1] != "1":
            raise TexError(answer[1:].replace("KaTeX parse error: ", "").split("\n")[0])
        return answer[1:]


ERROR_MARK = "<!--pd-math-error:"


def formula_html(tex: str, display: bool, engine: Callable[[str, bool], str]) -> str:
    """A formula's HTML: typeset, or (when it cannot be) its source as code, marked with the reason."""
    try:
        return engine(tex, display)
    except TexError as error:
        source = f"$${tex}$$" if display else f"${tex}$"
        why = str(error)
        return (f'{ERROR_MARK}{html.escape(why.replace("--", "- -"), quote=False)}-->'
                f'<code class="pd-math-error{" pd-math-error-display" if display else ""}" '
                f'title="{html.escape("Not typeset: " + why)}">{html.escape(source, quote=False)}</code>')


@dataclass
class PageMath:
    """One page's HTML with its formulas typeset (`html`), the same with their TeX (`text`), and what it holds."""

    html: str
    text: str
    math: bool = False
    diagrams: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)  # (TeX, why) of each formula not typeset


class Typesetter:
    """Typesets the formulas of a build's pages; each distinct (TeX, display) once per process.

    `memo(function, text)`, when given, may answer from an earlier build (the build cache's)."""

    def __init__(self, engine: Callable[[str, bool], str] | None = None, memo=None) -> None:
        self.engine = engine or _shared_katex()
        self.memo = memo if engine is None else None
        self.cache = _FORMULAS if engine is None else {}  # KaTeX's answers are kept for the process
        self.typeset = 0  # formulas typeset by the engine (not answered from a cache), for the build's log

    def formula(self, tex: str, display: bool) -> str:
        key = (tex, display)
        made = self.cache.get(key)
        if made is None:
            if self.memo is not None:
                made = self.memo(_INLINE if not display else _DISPLAY, tex)
            else:
                made = formula_html(tex, display, self.engine)
            self.typeset += 1
            self.cache[key] = made
        return made

    def page(self, text: str, diagram: Callable[[str], str]) -> PageMath:
        """`text` (a page's HTML from Python-Markdown) with its tokens replaced; `diagram(source)` gives a
        diagram's HTML."""
        out = PageMath(text, text)
        if "pdmath" not in text and "pddiagram" not in text:
            return out
        errors = out.errors

        def typeset(m: re.Match) -> str:
            tex, display = _decode(m.group(2)), m.group(1) == "d"
            made = self.formula(tex, display)
            if made.startswith(ERROR_MARK):
                errors.append((tex, made[len(ERROR_MARK):made.index("-->")]))
            return made

        def drawn(m: re.Match) -> str:
            out.diagrams = True
            return diagram(_decode(m.group(1)))

        if "pddiagram" in text:  # alone in its paragraph: the paragraph gives way to the diagram's block
            text = re.sub(r"<p>(" + DIAGRAM_TOKEN.pattern + r")</p>", lambda m: m.group(1), text)
            text = DIAGRAM_TOKEN.sub(drawn, text)
        text = anchor_ids(text) if 'id="' in text else text
        out.math = "pdmath" in text
        out.text = tokens_as_text(text)
        out.html = TOKEN.sub(typeset, text) if out.math else text
        return out


_FORMULAS: dict[tuple[str, bool], str] = {}
_KATEX: Katex | None = None


def _shared_katex() -> Katex:
    global _KATEX
    if _KATEX is None:
        _KATEX = Katex()
    return _KATEX


def inline_html(tex: str) -> str:
    return formula_html(tex, False, _shared_katex())


def display_html(tex: str) -> str:
    return formula_html(tex, True, _shared_katex())


_INLINE, _DISPLAY = inline_html, display_html


def line_of(source: str, tex: str) -> int:
    """The line of `source` (a note as written) where formula `tex` is, best effort: 1 if it is not found."""
    first = tex.strip().split("\n")[0].strip()
    at = source.find(first) if first else -1
    return source.count("\n", 0, at) + 1 if at >= 0 else 1

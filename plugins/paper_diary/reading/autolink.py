"""Bare web addresses as links, by the rules of GitHub's autolink extension.

GitHub (cmark-gfm, `extensions/autolink.c`) and Obsidian link `https://...`, `http://...`, `ftp://...` and
`www....` written in a sentence. The rules followed here are cmark-gfm's, line by line: an address starts with
its scheme (only letters before `://`, nothing else rewound) or with `www.` at the start of a line, after a space
or after one of `*_~(`; its domain is made of letters, digits, `-`, `_` and dots (no `_` in its last two parts,
and `www.` needs a dot after it); it runs to the next space or `<`; then, from its end, `?!.,:*_~'"` are left
out, a `)` is left out while the address holds more `)` than `(`, and `&name;` at its end is an entity, not part
of the address. `www.` addresses link to `http://`.

What CommonMark reads as code, a link, an image, an `<...>` autolink or raw HTML is never touched, nor is math
(`$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]`, as GitHub reads dollars): markdown-it-py's inline parser, with
only those rules, finds them. (linkify-it-py follows other rules: bare domains, e-mail addresses, a list of
top-level domains, its own trimming; the extension's rules are short and exact, so they are written here.)

The result is written for Python-Markdown: `<https://...>` (its autolink, whose text no other inline pattern
reads), or `[www.example.com](<http://www.example.com>)` with the text escaped. Nothing here imports MkDocs.
"""

from __future__ import annotations

import re
import string
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

SCHEMES = ("http", "https", "ftp")
CANDIDATE = re.compile(r"://|www\.")  # where an address may be: most text has neither
TRAILING = frozenset("?!.,:*_~'\"")
WWW_AFTER = frozenset("*_~(")  # besides a space or a line's start, what a `www.` address may follow
MAYBE_OPAQUE = re.compile(r"[`\[<$\\!]")  # without any of these, no code, link, HTML or math in the text
HOST_RUN = re.compile(r"[^\s!\"#$%&'()*+,/:;<=>?@\[\\\]^`{|}~]*")  # a domain's characters, up to its end
ADDRESS_RUN = re.compile(r"[^\s<]*")  # an address runs to a space or a `<`
# Where the inline scanner must look again: what may start code, a link, an image, an autolink, HTML or math.
TEXT_RUN = re.compile(r"[^`\[\]!<$\\]+")
TEX_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
# Characters Python-Markdown (or a Material extension) would read in a link's text: written as entities.
TEXT_ESCAPES = {c: f"&#{ord(c)};" for c in "\\`*_[]<>$~=^&"}
OPAQUE_RULES = ("backticks", "link", "image", "autolink", "html_inline", "math_inline", "tex_math")


def _hostchar(ch: str) -> bool:
    if ch.isspace():
        return False
    if ch < "\x80":
        return ch not in string.punctuation
    return not unicodedata.category(ch).startswith("P")


def _domain(text: str, start: int, short: bool) -> int:
    """cmark-gfm's `check_domain`: the domain's length from `start`, or 0 when it is none. A domain is letters,
    digits and `-`, `_`, `.` (its first character is known to be one); no `_` in its last two parts."""
    run = HOST_RUN.match(text, start + 1).group(0)
    if not run.isascii():  # a punctuation mark of another script ends it too
        run = next((run[:i] for i, ch in enumerate(run) if not _hostchar(ch)), run)
    parts = run.split(".")
    dots = len(parts) - 1
    if dots <= 10 and ("_" in parts[-1] or (dots and "_" in parts[-2])):
        return 0
    return 1 + len(run) if short or dots else 0


def _trim(text: str, lo: int, end: int) -> int:
    """cmark-gfm's `autolink_delim`: where an address running from `lo` to `end` really ends."""
    while end > lo:
        ch = text[end - 1]
        if ch in TRAILING:
            end -= 1
        elif ch == ";":
            k = end - 2
            while k > lo and text[k].isascii() and text[k].isalpha():
                k -= 1
            end = k if k < end - 2 and text[k] == "&" else end - 1
        elif ch == ")":
            part = text[lo:end]
            if part.count(")") <= part.count("("):
                break
            end -= 1
        else:
            break
    return end


def _run_end(text: str, end: int) -> int:
    return ADDRESS_RUN.match(text, end).end()


def addresses(text: str) -> list[tuple[int, int, str]]:
    """Every bare address in `text` as GitHub finds it: (start, end, href), by position."""
    found = []
    last = 0
    for m in CANDIDATE.finditer(text):
        at = m.start()
        if at < last:
            continue
        if m.group(0) == "://":
            start = at
            while start > last and text[start - 1].isascii() and text[start - 1].isalpha():
                start -= 1
            if text[start:at].lower() not in SCHEMES or at + 3 >= len(text) or \
                    not (text[at + 3].isascii() and text[at + 3].isalnum()):
                continue
            domain = _domain(text, at + 3, short=True)
            if not domain:
                continue
            end = _trim(text, at, _run_end(text, at + 3 + domain))
            href = text[start:end]
        else:
            start = at
            if start and not (text[start - 1].isspace() or text[start - 1] in WWW_AFTER):
                continue
            if at + 4 >= len(text) or not _hostchar(text[at + 4]):
                continue
            domain = _domain(text, at, short=False)
            if not domain:
                continue
            end = _trim(text, at, _run_end(text, at + domain))
            href = "http://" + text[start:end]
        if end > 0 and text[end - 1] == "\\" and (end == len(text) or text[end] == "\n"):
            end -= 1  # a backslash at the line's end breaks the line
            href = href[:-1]
        if end <= start:
            continue
        found.append((start, end, href))
        last = end
    return found


def _plain_run(state: StateInline, silent: bool) -> bool:
    """markdown-it's `text` rule, which stops at every punctuation mark (and tries every rule there), made to
    stop only where a rule of this scanner can match. Its text is not kept: only positions matter here."""
    m = TEXT_RUN.match(state.src, state.pos, state.posMax)
    if m is None:
        return False
    state.pos = m.end()
    return True


def _tex_math(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith(("\\(", "\\["), state.pos):
        return False
    m = TEX_MATH.match(state.src, state.pos)
    if m is None:
        return False
    if not silent:
        state.pos = m.end()
    return True


def _recording(rule):
    def record(state: StateInline, silent: bool) -> bool:
        start = state.pos
        ok = rule(state, silent)
        if ok and not silent:
            state.env["opaque"].append((start, state.pos))
        return ok
    return record


def _make_scanner() -> MarkdownIt:
    """An inline parser that only finds what bare addresses are never looked for in."""
    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=False, allow_digits=False,
                                        double_inline=True)
    md.inline.ruler.before("escape", "tex_math", _tex_math)
    md.inline.ruler.disable(["newline", "emphasis", "entity"])
    md.inline.ruler.at("text", _plain_run)
    md.inline.ruler2.disable(["balance_pairs", "emphasis", "fragments_join"])
    for name in OPAQUE_RULES:
        rule = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)]
        md.inline.ruler.at(name, _recording(rule.fn))
    return md


_scanner = _make_scanner()


def opaque(text: str, references: dict | None = None) -> list[tuple[int, int]]:
    """Where `text` holds code, a link, an image, an autolink, raw HTML or math: (start, end) spans."""
    env = {"references": references or {}, "opaque": []}
    state = StateInline(text, _scanner, env, [])
    _scanner.inline.tokenize(state)
    return env["opaque"]


def _escaped(shown: str) -> str:
    return "".join(TEXT_ESCAPES.get(c, c) for c in shown)


def _written(shown: str, href: str) -> str:
    if ">" not in href and not shown.startswith("www."):
        return f"<{href}>"
    href = href.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"[{_escaped(shown)}](<{href}>)"


def linkify(text: str, references: dict | None = None) -> str:
    """`text` (a paragraph, a heading, a table cell) with its bare addresses written as links."""
    if "://" not in text and "www." not in text:
        return text
    found = addresses(text)
    if not found:
        return text
    if MAYBE_OPAQUE.search(text):
        spans = opaque(text, references)
        if spans:
            found = [(s, e, h) for s, e, h in found if not any(a < e and s < b for a, b in spans)]
    out, last = [], 0
    for start, end, href in found:
        out += [text[last:start], _written(text[start:end], href)]
        last = end
    out.append(text[last:])
    return "".join(out)

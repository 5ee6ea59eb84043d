"""Obsidian's way of writing, turned into Markdown MkDocs understands, at build time (notes stay as written).

Wikilinks and embeds resolve over the whole diary (file name, then `aliases:`, then title); `%%comments%%` go;
inline `#tags` join the paper's tags. The plugin then hands the result to blocks.py, which gives its blocks the
structure CommonMark gives them. Every link between papers, whatever its syntax, goes into the link graph.
Code (fenced blocks and inline spans) is never touched.
"""

from __future__ import annotations

import heapq
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from paper_diary.model import Diary, Paper, Problem
from paper_diary.reading import encoding, mathtex
from paper_diary.reading.anchors import anchor_of

FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
# Each pattern starts with its first character (or looks ahead for it): the regex engine then jumps from one
# candidate to the next instead of trying every position of the note (up to 40 times faster).
WIKILINK = re.compile(r"(?=[!\[])(!?)\[\[([^\[\]|#^]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")
COMMENT = re.compile(r"%%.*?%%", re.S)
TAG = re.compile(r"#(?<![^\s(\[]#)([\w/-]*[^\W\d][\w/-]*)", re.U)  # after a space, ( or [, or first
# Where a `#` is never a tag: a link's text and target (`[Intro](#intro)`, a table of contents), a reference
# definition, an HTML tag's attributes (`<a href="#x">`, `color:#fff`), a web address.
NOT_TAGS = re.compile(r"(?=[!\[<hw])(?:!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\](?:\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)|\[[^\]\n]*\]|:[ \t]*\S+)"
                      r"|<[A-Za-z/!][^<>]*>|(?:https?|ftp)://[^\s<>]+|www\.[^\s<>]+)")
MD_LINK = re.compile(r"\[(?<!!\[)([^\]\n]*)\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")  # not an image
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
OPENING_SUBHEADING = re.compile(r"\A((?:[ \t]*\n)*[ ]{0,3})#{2,6}(?=[ \t])")
IMAGE_SIZE = re.compile(r"^(\d+)(?:x(\d+))?$")
MAX_EMBED_DEPTH = 3


@dataclass
class Link:
    """A link from one paper to another, with the sentence it sits in."""

    source: str
    target: str
    line: int
    sentence: str


@dataclass
class Linker:
    """Name indexes over the whole diary, built once per build."""

    diary: Diary
    pages: list[str]  # every Markdown page's src_uri
    files: list[str] = field(default_factory=list)  # every other file's src_uri (images, PDFs)
    read: Callable[[str], str] = lambda uri: ""  # the Markdown body of a page that is not a paper, read on demand

    def __post_init__(self) -> None:
        self.by_path: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_alias: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.by_file: dict[str, list[str]] = {}
        for uri in sorted(self.pages):
            stem = uri[:-3] if uri.endswith(".md") else uri
            self.by_path[stem.casefold()] = uri
            self.by_name.setdefault(posixpath.basename(stem).casefold(), []).append(uri)
        for paper in self.diary.papers.values():
            for alias in paper.aliases:
                self.by_alias.setdefault(alias.casefold(), []).append(paper.src_uri)
            self.by_title.setdefault(paper.title.casefold(), []).append(paper.src_uri)
        for uri in sorted(self.files):
            self.by_file.setdefault(posixpath.basename(uri).casefold(), []).append(uri)
        self._headings: dict[str, set[str]] = {}
        self.uris = set(self.pages)
        self._bodies: dict[str, str] = {}
        self.embedded: set[str] = set()  # notes some page embeds: their text shows on other pages too

    def find(self, name: str, source: str) -> tuple[str | None, list[str]]:
        """The page `name` means, seen from `source`, and every candidate when it is ambiguous."""
        name = name.strip()
        if name.lower().endswith(".md"):
            name = name[:-3]
        if "/" in name:
            key = posixpath.normpath(posixpath.join(posixpath.dirname(source), name)).casefold()
            uri = self.by_path.get(key) or self.by_path.get(name.strip("/").casefold())
            if uri:
                return uri, [uri]
        for table in (self.by_name, self.by_alias, self.by_title):
            candidates = table.get(posixpath.basename(name).casefold() if table is self.by_name else name.casefold())
            if candidates:
                return closest(candidates, source), candidates
        return None, []

    def headings(self, uri: str) -> set[str]:
        if uri not in self._headings:
            self._headings[uri] = {anchor_of(h) for h in HEADING.findall(strip_code(self.body(uri)))}
        return self._headings[uri]

    def body(self, uri: str) -> str:
        paper = self.diary.papers.get(uri)
        if paper is not None:
            return paper.body
        if uri not in self._bodies:
            self._bodies[uri] = self.read(uri) if uri in self.uris else ""
        return self._bodies[uri]


def closest(candidates: list[str], source: str) -> str:
    """The candidate nearest `source` in the folder tree (most folders in common), then by name."""
    here = posixpath.dirname(source).split("/")

    def shared(uri: str) -> int:
        there = posixpath.dirname(uri).split("/")
        n = 0
        for a, b in zip(here, there):
            if a != b:
                break
            n += 1
        return n
    return sorted(candidates, key=lambda uri: (-shared(uri), uri.count("/"), uri))[0]


def strip_code(text: str, math: bool = True) -> str:
    """The text with fenced blocks, inline code and (unless `math` is false) math blanked (same length), so
    nothing inside them is read."""
    if "`" not in text and "~~~" not in text:
        return mathtex.blank(text) if math else text
    out, fenced = [], None
    for line in text.split("\n"):
        m = FENCE_LINE.match(line)
        if fenced:
            if m and m.group(1)[0] == fenced[0] and len(m.group(1)) >= len(fenced):
                fenced = None
            out.append(" " * len(line))
            continue
        if m:
            fenced = m.group(1)
            out.append(" " * len(line))
            continue
        out.append(INLINE_CODE.sub(lambda c: " " * len(c.group(0)), line) if "`" in line else line)
    return mathtex.blank("\n".join(out)) if math else "\n".join(out)


@dataclass
class Converted:
    markdown: str
    problems: list[Problem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def convert(linker: Linker, source: str, text: str, first_line: int = 1, depth: int = 0,
            chain: tuple[str, ...] = (), plain: str | None = None) -> Converted:
    """`text` (the body of `source`, starting at line `first_line`) in Markdown MkDocs renders as Obsidian would.
    `plain` is `strip_code(text)`, when the caller has it already."""
    out = Converted("")
    plain = strip_code(text) if plain is None else plain
    # Work on the plain text's positions, copy code through untouched.
    pieces, last = [], 0

    def line_of(pos: int) -> int:
        return first_line + plain.count("\n", 0, pos)

    spans = []
    for m in COMMENT.finditer(plain):
        spans.append((m.start(), m.end(), "\n" * m.group(0).count("\n")))
    for m in WIKILINK.finditer(plain) if "[[" in plain else ():
        if not any(s <= m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), _wikilink(linker, source, m, line_of(m.start()), out, depth, chain)))
    for m in MD_LINK.finditer(plain):
        if not any(s <= m.start() < e for s, e, _ in spans):
            _markdown_link(linker, source, m, line_of(m.start()), out, plain)
    kept_out = None  # found at the first tag: most notes have none
    for m in TAG.finditer(plain):
        if kept_out is None:
            kept_out = [(k.start(), k.end()) for k in NOT_TAGS.finditer(plain)]
        if any(s <= m.start() < e for s, e, _ in spans) or any(s <= m.start() < e for s, e in kept_out):
            continue
        tag = m.group(1).strip("/")
        if tag and tag not in out.tags:
            out.tags.append(tag)
        spans.append((m.start(), m.end(), f'<span class="pd-tag pd-inline-tag">#{tag}</span>'))
    for start, end, replacement in sorted(spans):
        if start < last:
            continue
        pieces += [text[last:start], replacement]
        last = end
    pieces.append(text[last:])
    out.markdown = "".join(pieces)
    return out


def _sentence(line: str) -> str:
    """A link's line as a reader would quote it: links as their text, no list or quote markers."""
    line = WIKILINK.sub(lambda m: m.group(4) or m.group(2), line)
    line = MD_LINK.sub(lambda m: m.group(1), line)
    line = re.sub(r"^[\s>*+\-\d.)#]+", "", line).strip()
    return line if len(line) <= 240 else line[:237] + "..."


def _wikilink(linker: Linker, source: str, m: re.Match, line: int, out: Converted, depth: int,
              chain: tuple[str, ...]) -> str:
    embed, name, heading, label = m.group(1) == "!", m.group(2).strip(), (m.group(3) or "").strip(), m.group(4)
    here = posixpath.dirname(source)
    if embed and not name.lower().endswith(".md") and "." in posixpath.basename(name):
        return _embed_file(linker, source, name, label, line, out)
    if not name:  # [[#Heading]]: a heading of this very note
        if heading and anchor_of(heading) not in linker.headings(source):
            out.problems.append(Problem(source, line, f"[[#{heading}]] names no heading of this note; fix the "
                                                      "heading's text"))
            return f'<span class="pd-unresolved">{_text(label or heading)}</span>'
        return f"[{_md_text(label or heading)}](#{anchor_of(heading)})"
    target, candidates = linker.find(name, source)
    if target is None:
        out.problems.append(Problem(source, line, f"[[{name}]] matches no note (by file name, alias or title); "
                                                  "fix the name, or write the note"))
        return f'<span class="pd-unresolved" title="No note named {_attr(name)}">{_text(label or name)}</span>'
    if len(candidates) > 1:
        out.problems.append(Problem(source, line, f"[[{name}]] is ambiguous: {', '.join(candidates)}; "
                                                  f"{target} is used (the closest): write [[{target[:-3]}]] "
                                                  "to choose"))
    anchor = anchor_of(heading) if heading else ""
    if anchor and anchor not in linker.headings(target):
        out.problems.append(Problem(source, line, f"[[{name}#{heading}]]: {target} has no heading "
                                                  f"'{heading}'; fix the heading"))
        anchor = ""
    if target in linker.diary.papers and source in linker.diary.papers and target != source:
        out.links.append(Link(source, target, line, ""))
    if embed:
        return _embed_note(linker, source, target, heading, line, out, depth, chain)
    shown = label or (f"{name} › {heading}" if heading else name)
    rel = posixpath.relpath(target, here or ".")
    return f"[{_md_text(shown)}](<{rel}{'#' + anchor if anchor else ''}>)"


def _markdown_link(linker: Linker, source: str, m: re.Match, line: int, out: Converted, plain: str) -> None:
    target = m.group(2)
    if "://" in target or target.startswith(("#", "mailto:", "/")):
        return
    path = target.split("#", 1)[0]
    if not path.lower().endswith(".md"):
        return
    uri = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    exact = uri in linker.uris
    real = linker.by_path.get(uri[:-3].casefold())
    if real and not exact:
        right = posixpath.relpath(real, posixpath.dirname(source) or ".")
        out.problems.append(Problem(source, line, f"link '{path}' differs in case from the note '{right}': it "
                                                  "works on a case-insensitive disk and breaks on GitHub Pages; "
                                                  f"write '{right}'"))
    if real and real in linker.diary.papers and source in linker.diary.papers and real != source:
        out.links.append(Link(source, real, line, ""))


def _embed_file(linker: Linker, source: str, name: str, size: str | None, line: int, out: Converted) -> str:
    candidates = linker.by_file.get(posixpath.basename(name).casefold(), [])
    if not candidates:
        out.problems.append(Problem(source, line, f"![[{name}]]: no file of that name under docs/; add it, or fix "
                                                  "the name"))
        return f'<span class="pd-unresolved">{_text(name)}</span>'
    target = closest(candidates, source)
    rel = posixpath.relpath(target, posixpath.dirname(source) or ".")
    attrs = ""
    if size and (m := IMAGE_SIZE.match(size.strip())):
        attrs = f'{{ width="{m.group(1)}"' + (f' height="{m.group(2)}"' if m.group(2) else "") + " }"
    alt = "" if size and IMAGE_SIZE.match(size.strip()) else (size or "")
    return f"![{_md_text(alt)}](<{rel}>){attrs}"


def _embed_note(linker: Linker, source: str, target: str, heading: str, line: int, out: Converted, depth: int,
                chain: tuple[str, ...]) -> str:
    if target in chain or target == source:
        out.problems.append(Problem(source, line, f"embedding {target} here makes a cycle "
                                                  f"({' → '.join((*chain, source, target))}); remove one embed"))
        return f'<span class="pd-unresolved">{_text(target)}</span>'
    if depth >= MAX_EMBED_DEPTH:
        out.problems.append(Problem(source, line, f"embeds nest deeper than {MAX_EMBED_DEPTH}; {target} is linked "
                                                  "instead of embedded"))
        return f"[{_md_text(target)}](<{posixpath.relpath(target, posixpath.dirname(source) or '.')}>)"
    linker.embedded.add(target)
    text = linker.body(target)
    if heading:
        text = section(text, heading)
    inner = convert(linker, target, text, depth=depth + 1, chain=(*chain, source))
    out.problems.extend(p for p in inner.problems if "cycle" in p.message or "deeper" in p.message)
    return "\n\n" + inner.markdown.strip() + "\n\n"


def section(text: str, heading: str) -> str:
    """The part of `text` under `heading`, up to the next heading of the same or a higher level."""
    want = anchor_of(heading)
    lines, keep, level = text.split("\n"), [], 0
    for line in lines:
        m = re.match(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", line)
        if m and level and len(m.group(1)) <= level:
            break
        if level:
            keep.append(line)
        elif m and anchor_of(m.group(2)) == want:
            level = len(m.group(1))
    return "\n".join(keep)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _md_text(value: str) -> str:
    return re.sub(r"([\[\]\\*_`])", r"\\\1", _text(value))


def analyse(diary: Diary, pages: list[str], files: list[str], read: Callable[[str], str]) -> Linker:
    """Convert every paper, collect its links, inline tags and problems; fill the link graph of the diary."""
    linker = diary.linker = Linker(diary, pages, files, read)
    for paper in diary.papers.values():
        analyse_paper(linker, paper, diary.problems)
    for paper in diary.papers.values():
        for link in paper.links_out:
            diary.papers[link.target].links_in.append(link)
    return linker


def analyse_paper(linker: Linker, paper: Paper, problems: list[Problem]) -> None:
    """One paper: its Markdown converted, its inline tags and links (with their sentences), its problems."""
    code_free = strip_code(paper.body, math=False)
    plain = mathtex.blank(code_free)
    converted = convert(linker, paper.src_uri, paper.body, paper.body_line, plain=plain)
    paper.markdown = converted.markdown
    first = next((i for i, line in enumerate(paper.body.split("\n")) if line.strip()), -1)
    if paper.lines.get("title") == paper.body_line + first:  # the title is the `## Title` the note opens with:
        paper.markdown = OPENING_SUBHEADING.sub(r"\1#", paper.markdown, count=1)  # the page's <h1>, not a second one
    problems.extend(converted.problems)
    for tag in converted.tags:
        if tag.casefold() not in {t.casefold() for t in paper.tags}:
            paper.tags.append(tag)
    lines = code_free.split("\n")  # a link's sentence keeps its formulas, as TeX (mathtex.plain)
    for link in converted.links:
        index = link.line - paper.body_line
        link.sentence = _sentence(mathtex.plain(lines[index])) if 0 <= index < len(lines) else ""
        if link.target not in {ln.target for ln in paper.links_out}:
            paper.links_out.append(link)
    problems.extend(encoding.problems(paper.src_uri, paper.body, paper.body_line))


def relate(diary: Diary, n: int = 5) -> None:
    """Fill each paper's `related`: the papers sharing the most tags and links with it, best first (newest on a
    tie). Counted with Counter over paper numbers: a tag on hundreds of papers is counted in C, not in Python."""
    latest = diary.latest()
    number = {id(p): i for i, p in enumerate(latest)}  # reading order: the tie-break
    by_tag = {key: [number[id(p)] for p in tag.papers] for key, tag in diary.tags.items()}
    by_uri = {p.src_uri: number[id(p)] for p in latest}
    for paper in latest:
        scores: Counter[int] = Counter()
        for tag in {t.casefold() for t in paper.tags}:
            scores.update(by_tag.get(tag, ()))
        for link in paper.links_out:
            scores[by_uri[link.target]] += 2
        for link in paper.links_in:
            scores[by_uri[link.source]] += 2
        scores.pop(number[id(paper)], None)
        # Best first: the highest score, then the newest (the lowest number). Only candidates scoring at least the
        # n-th best are sorted: a popular tag brings hundreds.
        floor = heapq.nlargest(n, scores.values())[-1] if scores else 0
        best = sorted((-score, i) for i, score in scores.items() if score >= floor)[:n]
        paper.related = [latest[i] for _, i in best]


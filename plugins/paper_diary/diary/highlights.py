"""Highlights: the lessons learned, declared in the note they come from and gathered into themes.

A lesson is declared in a paper's front matter (`highlights:`, items a text or a mapping with title, text, theme,
order) or in its body as a callout `> [!highlight] Title` / `> [!highlight|THEME] Title`. Lessons that come from no
single paper live in the front matter of the highlights page itself (`docs/highlights.md`).
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, unquote

import markdown

from paper_diary.model import Diary, Paper, Problem, slugify
from paper_diary.reading import mathtex
from paper_diary.reading.anchors import anchor_of
from paper_diary.reading.obsidian import WIKILINK

OTHER = "other"
CALLOUT = re.compile(r"^>[ \t]*\[!highlight(?:\|([^\]]*))?\][-+]?[ \t]*(.*)$", re.I)
FENCE = re.compile(r"^[ \t]*(```|~~~)")
MD_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


@dataclass
class Theme:
    """A group of highlights on the highlights page, named and ordered in mkdocs.yml."""

    id: str
    title: str
    highlights: list[Highlight] = field(default_factory=list)


@dataclass
class Highlight:
    """One lesson learned."""

    text: str  # Markdown, links relative to `source`
    source: str  # src_uri of the note that declares it
    line: int
    title: str | None = None
    theme: str = OTHER
    order: int | None = None
    paper: Paper | None = None  # the paper it comes from; None for lessons of no single paper
    cites: list[Paper] = field(default_factory=list)  # every paper its text links, in order
    number: int = 0  # its place in its theme, from 1
    anchor: str = ""  # its stable id on the highlights page

    def sort_key(self) -> tuple:
        date = self.paper.date.toordinal() if self.paper and self.paper.date else 0
        return (self.order is None, self.order or 0, -date, (self.title or self.text).casefold(), self.source)


def declared(source: str, items: list[Any], body: str, body_line: int, problems: list[Problem]) -> list[Highlight]:
    """The lessons a note declares, in its front matter items and in `[!highlight]` callouts of its body."""
    found = []
    for item in items:
        line = item.get("line", 1)
        text, title = item.get("text"), item.get("title")
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(source, line, "a highlight needs a 'text' (the lesson itself): add text: ..."))
            continue
        if title is not None and not isinstance(title, (str, int, float)):
            problems.append(Problem(source, line, "a highlight's 'title' must be text"))
            title = None
        order = item.get("order")
        if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
            problems.append(Problem(source, line, f"a highlight's 'order' must be a whole number, not {order!r}"))
            order = None
        theme = item.get("theme")
        found.append(Highlight(text=text.strip(), source=source, line=line,
                               title=str(title).strip() if title is not None else None,
                               theme=str(theme).strip() if theme not in (None, "") else "", order=order))
    found.extend(_callouts(source, body, body_line))
    return found


def _callouts(source: str, body: str, body_line: int) -> list[Highlight]:
    found: list[Highlight] = []
    if "[!highlight" not in body.lower():  # most notes have none: no need to read them line by line
        return found
    current, fenced = None, False
    for number, line in enumerate(body.splitlines(), start=body_line):
        if FENCE.match(line):
            fenced = not fenced
        if fenced:
            current = None
            continue
        m = CALLOUT.match(line)
        if m:
            current = Highlight(text="", source=source, line=number, title=m.group(2).strip() or None,
                                theme=(m.group(1) or "").strip())
            found.append(current)
        elif current is not None and line.startswith(">"):
            current.text = (current.text + "\n" + line[1:].strip()).strip()
        else:
            current = None
    return [h for h in found if h.text or h.title]


def gather(diary: Diary, themes: list[tuple[str, str]], home: tuple[str, str] | None) -> None:
    """Collect every lesson of the diary into `diary.themes`, in the configured order, numbered and cross-linked.

    `home` is (src_uri, text) of the highlights page, whose front matter holds lessons of no single paper.
    """
    from paper_diary.reading.frontmatter import parse

    by_id = {tid: Theme(tid, title) for tid, title in themes}
    lessons: list[Highlight] = []
    for paper in diary.papers.values():
        for h in declared(paper.src_uri, paper.highlights, paper.body, paper.body_line, diary.problems):
            h.paper = paper
            lessons.append(h)
    if home is not None:
        fm = parse(*home)  # its problems are reported when MkDocs reads the page
        items = fm.values.get("highlights") or []
        lessons.extend(declared(home[0], items if isinstance(items, list) else [], "", 1, []))
    index = _name_index(diary)
    for h in lessons:
        _place(h, by_id, diary)
        h.text = _wikilinks_as_links(h, diary)
        h.cites = _cited(h, index, diary.problems)
    ordered = list(by_id.values())
    other = [h for h in lessons if h.theme == OTHER]
    if other:
        ordered.append(Theme(OTHER, "Other"))
    diary.themes = {t.id: t for t in ordered}
    for h in lessons:
        diary.themes[h.theme].highlights.append(h)
    used: set[str] = set()
    for theme in diary.themes.values():
        theme.highlights.sort(key=Highlight.sort_key)
        for number, h in enumerate(theme.highlights, start=1):
            h.number = number
            h.anchor = _unique(slugify(h.title or f"{theme.id} {number}"), used)
    diary.highlights = [h for t in diary.themes.values() for h in t.highlights]
    for h in diary.highlights:
        if h.paper is not None:
            h.paper.lessons.append(h)
        for cited in h.cites:
            if cited is not h.paper:
                cited.cited_in.append(h)


def lesson_problems(diary: Diary, lessons: list[Highlight]) -> list[Problem]:
    """What `gather` reports about these lessons of one note (their theme, their links), without changing the
    diary: `mkdocs serve` checks a saved note's lessons again this way."""
    by_id = {tid: Theme(tid, title) for tid, title in diary.options.themes}
    found = Diary(options=diary.options)  # gathers the problems only
    index = _name_index(diary)
    for h in [replace(h) for h in lessons]:
        _place(h, by_id, found)
        _cited(h, index, found.problems)
    return found.problems


def _place(h: Highlight, themes: dict[str, Theme], diary: Diary) -> None:
    """A lesson's theme: its own, else its paper's `theme:`, else its topic's when a theme has that id."""
    given = h.theme or (h.paper.theme if h.paper else None)
    if given:
        if given in themes:
            h.theme = given
            return
        known = ", ".join(themes) or "none are configured"
        diary.problems.append(Problem(h.source, h.line, f"highlight theme '{given}' is not one of the themes in "
                                                        f"mkdocs.yml ({known}); it is listed under Other: use a "
                                                        "known id or add the theme under the paper-diary plugin's "
                                                        "'themes:'"))
    elif h.paper and h.paper.topic in themes:
        h.theme = h.paper.topic
        return
    else:
        diary.problems.append(Problem(h.source, h.line, "highlight has no theme; it is listed under Other: give it "
                                                        "'theme: ID' (or the note a 'theme:')"))
    h.theme = OTHER


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


def _name_index(diary: Diary) -> dict[str, Paper]:
    return {uri.casefold(): paper for uri, paper in diary.papers.items()}


def resolve(source: str, target: str, index: dict[str, Paper]) -> Paper | None:
    """The paper a relative Markdown link in `source` points at (case-insensitive), or None."""
    path = unquote(target.split("#", 1)[0])
    if not path.endswith(".md") or "://" in path:
        return None
    uri = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    return index.get(uri.casefold())


def _wikilinks_as_links(h: Highlight, diary: Diary) -> str:
    """A lesson's `[[Note|text]]` as the Markdown link `[text](Note.md)`, found as the notes' wikilinks are: a
    lesson cites a paper whatever the syntax (an unresolved name stays text, reported)."""
    linker = diary.linker
    if linker is None or "[[" not in h.text:
        return h.text

    def link(m: re.Match) -> str:
        embed, name, heading, label = m.group(1), m.group(2).strip(), (m.group(3) or "").strip(), m.group(4)
        if embed or not name:
            return m.group(0)
        target, _ = linker.find(name, h.source)
        shown = (label or (f"{name} › {heading}" if heading else name)).replace("[", "(").replace("]", ")")
        if target is None:
            if h.paper is None or h.line < h.paper.body_line:  # a callout's, in the body, is reported with the body
                diary.problems.append(Problem(h.source, h.line, f"[[{name}]] matches no note (by file name, alias "
                                                                "or title); fix the name, or write the note"))
            return shown
        rel = posixpath.relpath(target, posixpath.dirname(h.source) or ".")
        return f"[{shown}]({quote(rel)}{'#' + anchor_of(heading) if heading else ''})"  # no spaces in a link

    return WIKILINK.sub(link, h.text)


def _cited(h: Highlight, index: dict[str, Paper], problems: list[Problem]) -> list[Paper]:
    cites: list[Paper] = []
    for label, target in MD_LINK.findall(h.text):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        paper = resolve(h.source, target, index)
        if paper is None:
            problems.append(Problem(h.source, h.line, f"highlight links '{target}', which is no paper of the diary; "
                                                      "fix the path (relative to this note)"))
        elif paper not in cites:
            cites.append(paper)
    return cites


def text_html(h: Highlight, at: str, url_of, relative, highlights_page: str = "highlights.md") -> str:
    """A lesson's text as HTML for the page built from `at`: escaped, Markdown rendered, links to pages.

    A lesson's `#anchor` is one of the highlights page (a theme or another lesson): the text shows on papers too."""
    rendered, targets = _lesson_html(h.source, h.text, tuple(p.src_uri for p in h.cites))
    here = url_of(at)

    def cite(m: re.Match) -> str:
        n = int(m.group(1))
        if n >= len(targets):  # a lesson that writes `pd:cite:7` itself keeps it as text
            return m.group(0)
        return relative(here, url_of(targets[n][0] or highlights_page)) + targets[n][1]

    return CITE.sub(cite, rendered)


CITE = re.compile(r"pd:cite:(\d+)")  # where a link to a page goes, once the page it shows on is known
_MD = markdown.Markdown(extensions=["fenced_code"])  # a lesson may hold code, as its README did
# A lesson's text is never HTML: with raw HTML off, Markdown escapes it as text, and code shows `&&` as written.
_MD.preprocessors.deregister("html_block")
_MD.inlinePatterns.deregister("html")
MARKUP = re.compile(r"[^\w .,;:?'\"()/%+-]|_|^\s|^[-+]|^\d+[.)]")  # anything Markdown might read


@functools.lru_cache(maxsize=16384)  # a lesson shows on /highlights/, on its paper and on the papers it cites
def _lesson_html(source: str, text: str, cites: tuple[str, ...]) -> tuple[str, list[tuple[str, str]]]:
    """The lesson rendered once, its links to papers left as `pd:cite:N` for each page to fill in."""
    targets: list[tuple[str, str]] = []  # (src_uri, "#anchor" or "")

    def link(m: re.Match) -> str:
        label, target = m.group(1), m.group(2)
        if target.startswith("#") and len(target) > 1:
            targets.append(("", target.replace('"', "&quot;")))  # "": the highlights page
            return f"[{label}](pd:cite:{len(targets) - 1})"
        if "://" in target or target.startswith(("#", "mailto:")):
            return m.group(0)
        path, _, anchor = target.partition("#")
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path))).casefold()
        for cited in cites:
            if cited.casefold() == uri:
                targets.append((cited, "#" + anchor.replace('"', "&quot;") if anchor else ""))  # in href="..."
                return f"[{label}](pd:cite:{len(targets) - 1})"
        return label

    text = MD_LINK.sub(link, mathtex.protect(text))  # formulas: typeset with the page's (see site/decor.py)
    if not MARKUP.search(text):  # plain words on one line: Markdown would only wrap them in <p>
        return text, targets
    # One Markdown for all (reset between texts): building one costs more than converting a lesson.
    rendered = _MD.reset().convert(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered, targets

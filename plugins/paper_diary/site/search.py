"""What the search index holds for a paper: its header facts, summary, highlights and headings, not its body.

The full text of 2,000 notes makes an 18 MB index that a phone downloads before search answers. A paper is
found by its title, authors, arXiv id, tags, summary and the words of its highlights; its headings keep
deep links into the note. No MkDocs here: the plugin swaps this in for the search plugin only.
"""

from __future__ import annotations

import re
from typing import Any

from paper_diary.model import Diary, Paper
from paper_diary.site.render import Renderer

# The note's own headings, as rendered (with their ids, so search results still link to sections).
HEADING = re.compile(r"<h([1-6])\b[^>]*\bid=\"[^\"]*\"[^>]*>.*?</h\1>", re.S)


def highlight_text(highlight: Any) -> str:
    """A highlight written as text, or as a mapping with title/text/theme: its words, as one line."""
    if isinstance(highlight, dict):
        return " ".join(str(highlight[k]) for k in ("title", "text", "theme") if highlight.get(k))
    if isinstance(highlight, str):
        return highlight
    parts = (getattr(highlight, "title", None), getattr(highlight, "text", None), getattr(highlight, "theme", None))
    return " ".join(str(part) for part in parts if part) or str(highlight)


def paper_facts(diary: Diary, renderer: Renderer, paper: Paper) -> str:
    """What a paper's search entry holds besides its headings, as HTML for the search plugin."""
    return renderer.render("paper_search.html", diary, paper.src_uri, paper=paper,
                           highlights=[highlight_text(h) for h in paper.lessons])


def headings(content: str) -> str:
    return "\n".join(m.group(0) for m in HEADING.finditer(content))


EXCLUDED = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\sdata-search-exclude\b[^>]*>")
TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)\b[^>]*?(/?)>")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def without_excluded(content: str) -> str:
    """`content` without the elements marked `data-search-exclude`, which Material's search skips anyway.

    The search plugin parses every tag of a page: on a tag page or /diary/ at 2,000 papers that is megabytes of
    lists it then throws away. Cut here (by counting the element's own opening and closing tags), they are never
    parsed; the few tags on which the search plugin starts a section stay, empty. An element whose end cannot be
    found is left whole for the search plugin to skip.
    """
    out, pos, first_tag = [], 0, content.find("<")
    while (m := EXCLUDED.search(content, pos)) is not None:
        name, depth, end = m.group(1).lower(), 1, None
        if name in VOID or m.group(0).endswith("/>"):
            end = m.end()
        else:
            for t in TAG.finditer(content, m.end()):
                if t.group(2).lower() != name or t.group(3):
                    continue
                depth += -1 if t.group(1) else 1
                if depth == 0:
                    end = t.end()
                    break
        if end is None:
            break
        out.append(content[pos:m.start()])
        if m.start() == first_tag or name in HEADINGS:  # the search plugin starts a section on these: keep the tag
            out.append(m.group(0) + (f"</{m.group(1)}>" if end > m.end() else ""))
        pos = end
    out.append(content[pos:])
    return "".join(out)

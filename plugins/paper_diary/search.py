"""What the search index holds for a paper: its header facts, summary, highlights and headings, not its body.

The full text of 2,000 notes makes an 18 MB index that a phone downloads before search answers. A paper is
found by its title, authors, arXiv id, tags, summary and the words of its highlights; its headings keep
deep links into the note. No MkDocs here: the plugin swaps this in for the search plugin only.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Diary, Paper
from .render import Renderer

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


def paper_digest(diary: Diary, renderer: Renderer, paper: Paper, content: str) -> str:
    """The HTML the search plugin indexes for a paper page whose rendered body is `content`."""
    facts = renderer.render("paper_search.html", diary, paper.src_uri, paper=paper,
                            highlights=[highlight_text(h) for h in paper.lessons])
    return facts + "\n" + headings(content)


def headings(content: str) -> str:
    return "\n".join(m.group(0) for m in HEADING.finditer(content))

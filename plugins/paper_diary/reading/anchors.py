"""Heading anchors as GitHub makes them, so a link written for GitHub (`[Data](#data-model--cassandra-tables)`)
lands on the site too.

GitHub's rule (html-pipeline's table of contents filter; github-slugger does the same): the heading's text,
lower-cased; every character that is not a letter, a digit, `_`, `-` or a space removed (so `&`, emoji and
backticks go, each space stays); each space then a `-`. A heading whose anchor was taken already gets `-1`,
`-2`, ... `## Data Model & Cassandra Tables` is `#data-model--cassandra-tables`, `## 📖 Full Diary` is
`#-full-diary`. (pymdownx.slugs' `slugify(case="lower")` comes close, but removes anything shaped like an HTML
tag, which GitHub keeps as text: `` ## `<div>` order `` is `#div-order` on GitHub.)

`GitHubAnchors` is a Python-Markdown extension: it gives every heading without an id GitHub's, just before the
`toc` extension would give one of its own (toc keeps an id it finds). Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import re
import unicodedata

from markdown import Extension, Markdown
from markdown.extensions.toc import strip_tags
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString
from markdown_it import MarkdownIt

NOT_IN_ANCHOR = re.compile(r"[^\w\- ]")
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
WIKILINK = re.compile(r"!?\[\[([^\[\]|#^]*)(?:#[^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
_inline = MarkdownIt("commonmark", {"html": True}).enable("strikethrough")


def slug(text: str) -> str:
    """GitHub's anchor for a heading whose text (as shown) is `text`, before duplicates are numbered."""
    return NOT_IN_ANCHOR.sub("", unicodedata.normalize("NFC", text).strip().lower()).replace(" ", "-")


class Slugger:
    """One page's anchors: a heading whose anchor is taken gets `-1`, `-2`, ... (github-slugger's rule)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        return self.unique(slug(text))

    def unique(self, base: str) -> str:
        anchor = base
        while anchor in self.seen:
            self.seen[base] += 1
            anchor = f"{base}-{self.seen[base]}"
        self.seen[anchor] = 0
        return anchor


def heading_text(markdown: str) -> str:
    """What a heading written as `markdown` shows (code without its backticks, links as their text, no HTML
    tags), as CommonMark reads it; wikilinks show their label or name."""
    markdown = WIKILINK.sub(lambda m: m.group(2) or m.group(1), markdown)
    if not any(c in markdown for c in "`*_[<&\\~!"):
        return markdown.strip()
    tokens = _inline.parseInline(markdown)
    return "".join(_text(t.children or [])for t in tokens).strip()


def _text(tokens) -> str:
    out = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "image":
            continue
    return "".join(out)


def anchor_of(markdown: str) -> str:
    """The anchor GitHub gives the first heading written as `markdown`."""
    return slug(heading_text(markdown))


class _Anchors(Treeprocessor):
    def run(self, root) -> None:
        slugger = Slugger()
        for el in root.iter():
            if el.tag not in HEADING_TAGS:
                continue
            if "id" in el.attrib:  # `{#id}`: the author's
                slugger.seen.setdefault(el.attrib["id"], 0)
                continue
            el.attrib["id"] = slugger(self._shown(el))

    def _shown(self, el) -> str:
        """A heading's text as shown, as toc reads it (code as written, raw HTML without its tags, no footnote
        marks), without rendering it to HTML as toc does (which costs as much as the rest of this)."""
        parts: list[str] = []

        def walk(node) -> None:
            if node.text:
                parts.append(html.unescape(node.text) if isinstance(node.text, AtomicString) else node.text)
            for child in node:
                if not (child.tag == "sup" and child.get("id", "").startswith("fnref")):
                    walk(child)
                if child.tail:
                    parts.append(child.tail)
        walk(el)
        text = "".join(parts)
        if "\x02" in text:  # raw HTML, an entity: kept aside by Python-Markdown until the end
            stash = self.md.htmlStash.rawHtmlBlocks

            def shown(m: re.Match) -> str:
                i = int(m.group(1))
                return html.unescape(strip_tags(str(stash[i]))) if i < len(stash) else ""
            text = HTML_PLACEHOLDER_RE.sub(shown, text)
        return text


class GitHubAnchors(Extension):
    """Every heading's id as GitHub makes it (see the module's text)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After attr_list (8), which sets the ids an author writes; before toc (5), which keeps an id it finds.
        md.treeprocessors.register(_Anchors(md), "github_anchors", 6)


def makeExtension(**kwargs) -> GitHubAnchors:  # noqa: N802 (Python-Markdown's name): `paper_diary.reading.anchors`
    return GitHubAnchors(**kwargs)

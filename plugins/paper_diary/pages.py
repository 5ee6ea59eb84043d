"""The Markdown of the pages the diary generates, from the model. No MkDocs here."""

from __future__ import annotations

import json

from .model import Diary, Topic
from .render import Renderer, slugify, tag_uri


def topic_listing(diary: Diary, renderer: Renderer, topic: Topic) -> str:
    return renderer.render("paper_list.html", diary, topic.index_uri, papers=topic.papers, show_topic=False)


def topic_page(diary: Diary, renderer: Renderer, topic: Topic) -> str:
    """A topic's index, when the author wrote none: its papers, newest first."""
    return _page(topic.title, topic_listing(diary, renderer, topic))


def tags(diary: Diary) -> dict[str, list]:
    """Every tag with its papers, newest first; a tag's slug names its page. Spellings that make the same
    page share it, under the spelling that sorts first (the core reports them)."""
    by_uri: dict[str, tuple[set[str], list]] = {}
    for paper in diary.latest():
        for tag in paper.tags:
            names, papers = by_uri.setdefault(tag_uri(tag), (set(), []))
            names.add(tag)
            if not papers or papers[-1] is not paper:
                papers.append(paper)
    merged = {min(names): papers for names, papers in by_uri.values()}
    return dict(sorted(merged.items(), key=lambda kv: (slugify(kv[0]), kv[0])))


def tags_page(diary: Diary, renderer: Renderer) -> str:
    body = renderer.render("tag_index.html", diary, "tags/index.md", tags=tags(diary))
    return _page("Tags", body)


def tag_page(diary: Diary, renderer: Renderer, tag: str, papers: list) -> str:
    uri = tag_uri(tag)
    body = renderer.render("paper_list.html", diary, uri, papers=papers, show_topic=True)
    return _page(f"#{tag}", body)


def _page(title: str, body: str) -> str:
    # JSON is YAML: any title survives; the theme writes the <h1> from it.
    return f"---\ntitle: {json.dumps(title)}\n---\n\n{body}\n"

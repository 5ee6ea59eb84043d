"""HTML fragments from Jinja templates that a site can override.

A site replaces any fragment by putting a file of the same name in `overrides/paper_diary/`
(the theme's `custom_dir`). Autoescape is on: every value from a note is text, never markup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from paper_diary.diary.highlights import text_html
from paper_diary.model import Diary, Paper, page_url, relative_url, slugify

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates, in the temporary folder: compiling costs more than rendering a
    fragment for every paper. Keyed by each template's source, so an edited template is compiled again."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no writable temporary folder: compile every time
        return None


class Renderer:
    """Renders `paper_diary/<name>.html` for a page at a given URL."""

    def __init__(self, custom_dirs: list[str | Path] = (), use_directory_urls: bool = True):
        search = [str(Path(d)) for d in custom_dirs if d] + [str(PACKAGE_TEMPLATES)]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,  # a Renderer lives for one build: no need to stat a template at each use
            bytecode_cache=bytecode_cache(),
        )
        self.use_directory_urls = use_directory_urls
        # The build cache's `reuse(what, inputs, make)` for lists of papers (None: each is made): a tag's, a
        # topic's or a month's list is made again only when what it shows of its papers changed.
        self.lists = None

    def url_of(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def render(self, name: str, diary: Diary, at: str, **context: Any) -> str:
        """Render fragment `name` for the page built from `at` (a docs-relative path)."""
        here = self.url_of(at)

        def link(src_uri: str, anchor: str = "") -> str:
            url = relative_url(here, self.url_of(src_uri))
            return url + ("#" + anchor if anchor else "")

        def tag_link(name: str) -> str:
            tag = diary.tags.get(name.casefold())
            return link(tag.uri) if tag else link("tags/index.md")

        def lesson_html(highlight) -> Markup:
            return Markup(text_html(highlight, at, self.url_of, relative_url, diary.options.highlights_page))

        def paper_list(papers, show_topic: bool = False) -> Markup:
            return Markup(self.list_html(diary, at, papers, show_topic))

        html = self.env.get_template(f"paper_diary/{name}").render(
            diary=diary, link=link, tag_link=tag_link, lesson_html=lesson_html, slugify=slugify,
            paper_list=paper_list, **context)
        # Python-Markdown ends a raw HTML block at the first blank line: keep the fragment in one block.
        return re.sub(r"\n\s*\n", "\n", html).strip()

    def list_html(self, diary: Diary, at: str, papers: list[Paper], show_topic: bool = False) -> str:
        """`LIST_FRAGMENT` for the page built from `at`: `{{ paper_list(papers, show_topic) }}` in a template."""
        def make() -> str:
            return self.render(LIST_FRAGMENT, diary, at, papers=papers, show_topic=show_topic)

        if self.lists is None:
            return make()
        return self.lists(("list", at, show_topic), list_inputs(diary, papers), make)


LIST_FRAGMENT = "paper_list.html"


def list_inputs(diary: Diary, papers: list[Paper]) -> list:
    """All that `LIST_FRAGMENT` reads of each paper it lists, as plain values."""
    return [(p.src_uri, p.title, p.date, diary.topics[p.topic].index_uri if p.topic in diary.topics else None,
             diary.topics[p.topic].title if p.topic in diary.topics else None,
             [(t, tag_uri(diary, t)) for t in p.tags], p.summary) for p in papers]


def tag_uri(diary: Diary, name: str) -> str | None:
    tag = diary.tags.get(name.casefold())
    return tag.uri if tag is not None else None

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

from .highlights import text_html
from .model import Diary, page_url, relative_url, slugify

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

        html = self.env.get_template(f"paper_diary/{name}").render(
            diary=diary, link=link, tag_link=tag_link, lesson_html=lesson_html, slugify=slugify, **context)
        # Python-Markdown ends a raw HTML block at the first blank line: keep the fragment in one block.
        return re.sub(r"\n\s*\n", "\n", html).strip()

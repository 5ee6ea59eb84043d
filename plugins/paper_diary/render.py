"""HTML fragments from Jinja templates that a site can override.

A site replaces any fragment by putting a file of the same name in `overrides/paper_diary/`
(the theme's `custom_dir`). Autoescape is on: every value from a note is text, never markup.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import jinja2

from .model import Diary, page_url, relative_url

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def slugify(text: str) -> str:
    """A URL-safe slug: ASCII letters, digits and hyphens, never empty, never a path."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


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
        )
        self.env.globals["tag_uri"] = tag_uri
        self.use_directory_urls = use_directory_urls

    def url_of(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def render(self, name: str, diary: Diary, at: str, **context: Any) -> str:
        """Render fragment `name` for the page built from `at` (a docs-relative path)."""
        here = self.url_of(at)

        def link(src_uri: str, anchor: str = "") -> str:
            url = relative_url(here, self.url_of(src_uri))
            return url + ("#" + anchor if anchor else "")

        html = self.env.get_template(f"paper_diary/{name}").render(
            diary=diary, link=link, slugify=slugify, **context)
        # Python-Markdown ends a raw HTML block at the first blank line: keep the fragment in one block.
        return re.sub(r"\n\s*\n", "\n", html).strip()


def tag_uri(tag: str) -> str:
    # Bounded: a file name has at most 255 bytes. A tag named "index" must not replace the tags page.
    slug = slugify(tag)[:100].strip("-") or "x"
    return f"tags/{'tag-index' if slug == 'index' else slug}.md"

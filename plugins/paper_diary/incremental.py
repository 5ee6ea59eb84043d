"""Reuse, during `mkdocs serve`, the work of the previous build for pages whose inputs did not change.

MkDocs 1.6 rebuilds every page on every save (`--dirty` is faster but wrong: it drops the other pages from
the search index and leaves generated pages stale). This cache keeps every step of the full build that is
cheap (reading, scanning, the model, generated pages, nav, search index, writing) and skips the two costly
per-page steps when their inputs are the same as last time:

- Markdown -> HTML (`Page.render`), keyed by the page's final Markdown, its place, the Markdown settings and
  every file's URL (links resolve against them). The log lines the render printed are printed again.
- The theme's template (`main.html`), keyed by everything the template reads: the page's content, toc,
  meta, title, URL, neighbours and ancestors, the whole nav, the configuration and the site's template files.

A changed title or a new note changes the nav, so every page is rendered again (slower, never wrong).
Only `serve` uses it: a one-off build has nothing to reuse. Keys are digests of the inputs, so a stale entry
can never be hit; entries not used by a build are dropped after it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs")
STANDARD_CONTEXT = {"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version",
                    "build_date_utc", "config", "page"}


def _digest(*parts: Any) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class RenderCache:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._html: dict[str, tuple] = {}
        self._output: dict[str, str] = {}
        self.new_build(None)

    def new_build(self, config) -> None:
        """Start a build: entries the previous build used stay, the rest are dropped."""
        if getattr(self, "_html_used", None) is not None:
            self._html, self._output = self._html_used, self._output_used
        self._html_used: dict[str, tuple] = {}
        self._output_used: dict[str, str] = {}
        self._config = config
        self._markdown_key: str | None = None
        self._site_key: str | None = None
        self.rendered = self.reused = self.templated = self.reused_output = 0  # counters, for tests

    # Markdown -> HTML -------------------------------------------------------------------------------------

    def attach(self, page: Page) -> None:
        """Route this page's `render` through the cache (called before MkDocs reads the page)."""
        if self.enabled:
            page.render = functools.partial(self._render, page)  # type: ignore[method-assign]

    def _render(self, page: Page, config, files) -> None:
        if self._markdown_key is None:
            self._markdown_key = _digest(
                config["markdown_extensions"], sorted((k, repr(v)) for k, v in (config["mdx_configs"] or {}).items()),
                config.use_directory_urls, repr(config.validation), config.docs_dir,
                *sorted((f.src_uri, f.url, f.dest_uri, str(f.inclusion)) for f in files))
        key = _digest(self._markdown_key, page.file.src_uri, page.markdown)
        entry = self._html.get(key) or self._html_used.get(key)
        if entry is None:
            capture = _Capture()
            log.addHandler(capture)
            try:
                Page.render(page, config, files)
            finally:
                log.removeHandler(capture)
            links = None
            if page.links_to_anchors is not None:
                links = {f.src_uri: dict(v) for f, v in page.links_to_anchors.items()}
            entry = (page.content, page.toc, page._title_from_render, set(page.present_anchor_ids or ()),
                     links, capture.records)
            self.rendered += 1
        else:
            page.content, page.toc, page._title_from_render, anchors, links, records = entry
            page.present_anchor_ids = set(anchors)
            if links is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): dict(v) for uri, v in links.items()}
            for record in records:  # what the render said, said again
                logging.getLogger(record.name).handle(record)
            self.reused += 1
        self._html_used[key] = entry

    # The theme's template ---------------------------------------------------------------------------------

    def wrap(self, env) -> None:
        """Serve the pages' templates through the cache (MkDocs asks `env.get_template` for each page)."""
        if not self.enabled:
            return
        get_template = env.get_template

        def cached_get_template(name, parent=None, globals=None):
            template = get_template(name, parent, globals)
            if parent is not None or globals is not None:  # Jinja's own extends/include
                return template
            return _CachedTemplate(template, self)

        env.get_template = cached_get_template

    def _site(self, context) -> str:
        if self._site_key is None:
            config, nav = context["config"], context["nav"]
            settings = sorted((k, repr(v)) for k, v in config.items() if k != "plugins")
            templates, uses_time = [], False
            for folder in [config.theme.custom_dir, Path(__file__).parent / "templates"]:
                for root, _, names in os.walk(folder or "", followlinks=True) if folder else ():
                    for name in names:
                        st = os.stat(os.path.join(root, name))
                        templates.append((root, name, st.st_mtime_ns, st.st_size))
                        if folder == config.theme.custom_dir and name.endswith((".html", ".xml")):
                            uses_time |= "build_date_utc" in Path(root, name).read_text("utf-8", "replace")
            # The build's clock changes every rebuild; Material's templates never print it, an override may.
            build_time = context.get("build_date_utc") if uses_time else None
            self._site_key = _digest(settings, sorted(templates), build_time,
                                     context.get("mkdocs_version"), _nav(nav.items))
        return self._site_key

    def render_template(self, template, context) -> str:
        page = context.get("page")
        if page is None:
            return template.render(context)
        extra = sorted((k, repr(v)) for k, v in context.items() if k not in STANDARD_CONTEXT)
        key = _digest(
            self._site(context), template.name, page.url, page.file.src_uri, page.title, page.content,
            json.dumps(page.meta, sort_keys=True, default=str), _toc(page.toc), page.canonical_url,
            page.edit_url, page.update_date, _link(page.previous_page), _link(page.next_page),
            [_link(a) for a in page.ancestors], extra)
        output = self._output.get(key) or self._output_used.get(key)
        if output is None:
            output = template.render(context)
            self.templated += 1
        else:
            self.reused_output += 1
        self._output_used[key] = output
        return output


class _CachedTemplate:
    def __init__(self, template, cache: RenderCache) -> None:
        self.template, self.cache = template, cache
        self.name = template.name

    def render(self, context) -> str:
        return self.cache.render_template(self.template, context)

    def __getattr__(self, name):
        return getattr(self.template, name)


def _link(item) -> tuple:
    if item is None:
        return ()
    return (type(item).__name__, getattr(item, "title", None), getattr(item, "url", None))


def _toc(items) -> list:
    return [(i.id, i.title, i.level, _toc(i.children)) for i in items]


def _nav(items) -> list:
    out = []
    for item in items:
        out.append((*_link(item), getattr(item, "is_index", None), _nav(getattr(item, "children", None) or [])))
    return out

"""The MkDocs plugin `paper-diary`: maps MkDocs events to the core (scan, model, pages, render)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from . import pages, search
from .incremental import RenderCache
from .model import DEFAULT_EXCLUDE, Diary, Options, Paper
from .render import Renderer, tag_uri
from .scan import read_note, scan

log = get_plugin_logger(__name__)
SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # Material's search removes these


class DiaryConfig(Config):
    topics_include = c.ListOfItems(c.Type(str), default=[])
    """Top-level folders of `docs/` that are topics (shell patterns); empty means every folder."""
    topics_exclude = c.ListOfItems(c.Type(str), default=list(DEFAULT_EXCLUDE))
    """Top-level folders that are never topics (shell patterns): assets, images, ..."""
    latest = c.Type(int, default=10)
    """How many papers the home page's `latest_papers()` lists by default."""


class PaperDiaryPlugin(BasePlugin[DiaryConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps one instance across `mkdocs serve` rebuilds: all state is reset in on_config.
        self.command = command
        self.cache = RenderCache(enabled=command == "serve")  # see incremental.py: serve reuses unchanged pages

    @event_priority(-100)  # after mkdocs-macros' own on_config, so registered names survive its reset
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.diary = Diary()
        if not hasattr(self, "cache"):
            self.cache = RenderCache(enabled=False)
        self.cache.new_build(config)
        self.docs_dir = Path(config.docs_dir)
        custom_dir = config.theme.custom_dir if config.theme else None
        self.renderer = Renderer([custom_dir] if custom_dir else [], config.use_directory_urls)
        self.current: Page | None = None
        self.off_nav: set[str] = set()  # src_uris kept out of the sidebar: papers and tag pages
        macros = config.plugins.get("macros")
        if macros is not None:
            macros.register_variables({"diary": self.diary})
            macros.register_macros({"latest_papers": self._latest_papers, "topic_list": self._topic_list})
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs = [f.src_uri for f in files.documentation_pages()]
        fresh = scan(self.docs_dir, self.options(config), src_uris=docs)
        # The macros variable points at this object: refresh it in place.
        self.diary.__dict__.update(fresh.__dict__)
        for problem in self.diary.problems:
            log.warning(str(problem))
        self.off_nav = set(self.diary.papers)
        for topic in self.diary.topics.values():
            if not topic.has_index:
                self._generate(files, config, topic.index_uri, pages.topic_page(self.diary, self.renderer, topic))
        all_tags = pages.tags(self.diary)
        if all_tags:
            self._generate(files, config, "tags/index.md", pages.tags_page(self.diary, self.renderer))
            for tag, papers in all_tags.items():
                self._generate(files, config, tag_uri(tag), pages.tag_page(self.diary, self.renderer, tag, papers))
                self.off_nav.add(tag_uri(tag))
        return files

    def options(self, config: MkDocsConfig) -> Options:
        return Options(topics_include=self.config.topics_include, topics_exclude=self.config.topics_exclude,
                       latest=self.config.latest, use_directory_urls=config.use_directory_urls)

    def _generate(self, files: Files, config: MkDocsConfig, src_uri: str, content: str) -> None:
        existing = files.get_file_from_path(src_uri)
        if existing is not None and not existing.generated_by:
            log.warning(f"{src_uri}:1: this file takes the place of a page the diary generates; "
                        "rename it, or remove it to get the generated page")
            return
        if existing is not None:
            files.remove(existing)
        file = File.generated(config, src_uri, content=content)
        files.append(file)

    @event_priority(-50)  # after awesome-pages has arranged the nav
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep papers and tag pages out of the sidebar: it lists topics and the diary's own pages, whatever
        the diary's size (every page carries the whole sidebar)."""
        nav.items = self._prune(nav.items)
        nav.pages = [p for p in nav.pages if p.file.src_uri not in self.off_nav]
        for i, page in enumerate(nav.pages):
            page.previous_page = nav.pages[i - 1] if i > 0 else None
            page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
        # A paper's previous and next are the papers of its topic read before and after it.
        for paper in self.diary.papers.values():
            page = files.get_file_from_path(paper.src_uri).page
            older, newer = self.diary.neighbours(paper)
            page.previous_page = files.get_file_from_path(older.src_uri).page if older else None
            page.next_page = files.get_file_from_path(newer.src_uri).page if newer else None
        return nav

    def _prune(self, items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, Page) and item.file.src_uri in self.off_nav:
                continue
            if isinstance(item, Section):
                item.children = self._prune(item.children)
                if not item.children:
                    continue
                only = item.children[0]
                if len(item.children) == 1 and isinstance(only, Page) and only.file.name == "index":
                    # A section reduced to its index (a topic, the tags) is one link, titled like the section.
                    topic = self.diary.topics.get(only.file.src_uri.split("/")[0])
                    only.parent = item.parent
                    if topic is not None and only.file.src_uri == topic.index_uri:
                        only.title = html.escape(topic.title)
                    item = only
            kept.append(item)
        return kept

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        self.cache.attach(page)
        return page

    @event_priority(-100)  # last: the cache wraps what every plugin's on_env left
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self.cache.wrap(env)
        return env

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        paper = self.diary.papers.get(page.file.src_uri)
        if paper is not None:
            return paper.body  # already read and parsed in on_files: front matter comes from the model
        if page.file.generated_by or page.file.abs_src_path is None:
            return None
        text, problem = read_note(self.docs_dir, page.file.src_uri)
        if problem:
            log.warning(str(problem))
        return text

    @event_priority(50)  # before mkdocs-macros, so it sees the meta the model gives
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.current = page
        paper = self.diary.papers.get(page.file.src_uri)
        if paper is not None:
            page.meta = paper_meta(paper)
        elif isinstance(page.meta.get("title"), str):
            page.meta["title"] = html.escape(page.meta["title"])  # the theme puts titles into HTML unescaped
        topic = self._topic_of_index(page)
        if topic is not None and topic.has_index:
            markdown += "\n\n" + pages.topic_listing(self.diary, self.renderer, topic) + "\n"
        return markdown

    def _topic_of_index(self, page: Page):
        uri = page.file.src_uri
        head, _, rest = uri.partition("/")
        topic = self.diary.topics.get(head)
        return topic if topic is not None and uri == topic.index_uri else None

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        paper = self.diary.papers.get(page.file.src_uri)
        if paper is None:
            return html_text
        topic = self.diary.topics[paper.topic]
        older, newer = self.diary.neighbours(paper)
        card = self.renderer.render("paper_header.html", self.diary, paper.src_uri, paper=paper, topic=topic)
        footer = self.renderer.render("paper_neighbours.html", self.diary, paper.src_uri, topic=topic,
                                      older=older, newer=newer)
        # The card goes right under the title: after the note's own leading <h1>, or first (the theme adds the <h1>).
        start = 0
        if html_text.lstrip().startswith("<h1"):
            start = html_text.find("</h1>") + len("</h1>")
        return html_text[:start] + "\n" + card + "\n" + html_text[start:] + "\n" + footer

    # Search indexes a paper by its digest (header facts, summary, highlights, headings), not its whole body:
    # the page's content is swapped for the search plugin's turn (priority 0) and put back after it.
    @event_priority(10)
    def _search_digest_in(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        paper = self.diary.papers.get(page.file.src_uri)
        if paper is not None:
            self._full_content = page.content
            page.content = search.paper_digest(self.diary, self.renderer, paper, page.content or "")
        return context

    @event_priority(-10)
    def _search_digest_out(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        full, self._full_content = getattr(self, "_full_content", None), None
        if full is not None:
            page.content = SEARCH_ATTRIBUTES.sub("", full)  # as the search plugin leaves any page it indexed
        return context

    on_page_context = CombinedEvent(_search_digest_in, _search_digest_out)

    # Macros for pages that opt in with `render_macros: true`.
    def _latest_papers(self, n: int | None = None) -> str:
        at = self.current.file.src_uri if self.current else "index.md"
        papers = self.diary.latest(n or self.config.latest)
        return self.renderer.render("paper_list.html", self.diary, at, papers=papers, show_topic=True)

    def _topic_list(self) -> str:
        at = self.current.file.src_uri if self.current else "index.md"
        return self.renderer.render("topic_list.html", self.diary, at)


def paper_meta(paper: Paper) -> dict:
    """The page meta MkDocs and the theme see for a paper: its extra keys, then the typed ones."""
    meta = dict(paper.extra)
    meta["title"] = html.escape(paper.title)
    for key in ("date", "tags", "authors", "year", "venue", "arxiv", "doi", "summary", "status", "draft"):
        value = getattr(paper, key)
        if value not in (None, [], False):
            meta[key] = value
    return meta

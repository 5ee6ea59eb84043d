"""The MkDocs plugin `paper-diary`: maps MkDocs events to the core (scan, model, pages, render)."""

from __future__ import annotations

import atexit
import gc
import html
import os
import re
import time
from pathlib import Path

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from paper_diary.diary import exports, integrity, timeline
from paper_diary.diary import map as paper_map
from paper_diary.diary.scan import paper_from_text, read_note, scan
from paper_diary.model import DEFAULT_EXCLUDE, Diary, Options, Paper, relative_url
from paper_diary.reading import blocks, frontmatter, obsidian
from paper_diary.site import decor, escape, inplace, offline, pages, search
from paper_diary.site.incremental import RenderCache
from paper_diary.site.quick import QuickRebuild
from paper_diary.site.render import LIST_FRAGMENT, Renderer, bytecode_cache

log = get_plugin_logger(__name__)
# As GitHub and Obsidian draw it: a task's box, not a bullet.
GFM_SETTINGS = {"pymdownx.tasklist": {"custom_checkbox": True}}
ANCHOR_ID = re.compile(r"<[a-zA-Z][^>]*?\sid=\"([^\"]+)\"")
SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # Material's search removes these
SEARCH_ATTRIBUTE = re.compile(r"data-search-\w+=\"")  # starts with a literal: finds one fast, or none
# Before a source MkDocs must read no metadata from: it reads MultiMarkdown metadata (`key: value` lines, until
# the first blank line) from a page without `---` front matter; a blank first line has none, and MkDocs drops it.
UNREAD_META = "\n"


class DiaryConfig(Config):
    topics_include = c.ListOfItems(c.Type(str), default=[])
    """Top-level folders of `docs/` that are topics (shell patterns); empty means every folder."""
    topics_exclude = c.ListOfItems(c.Type(str), default=list(DEFAULT_EXCLUDE))
    """Top-level folders that are never topics (shell patterns): assets, images, ..."""
    latest = c.Type(int, default=10)
    """How many papers the home page's `latest_papers()` lists by default."""
    themes = c.ListOfItems(c.Type(dict), default=[])
    """The highlights' themes in display order: a list of `{id: ..., title: ...}`."""
    highlights_page = c.Type(str, default="highlights.md")
    """The page that lists the highlights; its front matter holds lessons of no single paper."""
    cache = c.Type(bool, default=True)
    """Keep what builds can reuse (the map's layout, rendered pages) in `cache_dir`; `false`, or the
    environment variable `PAPER_DIARY_NO_CACHE=1`, builds from nothing every time."""
    cache_dir = c.Type(str, default=".cache/paper-diary")
    """The cache folder, relative to `mkdocs.yml`; keep it outside `docs/` and `site/`."""
    note_template = c.Type(str, default=".templates/paper.md")
    """The Jinja template `paper-diary new` writes notes from, relative to `docs/` (a dot folder: never a page)."""
    line_breaks = c.Choice(("github", "obsidian"), default="github")
    """A single newline in a paragraph: a space, as on GitHub (`github`), or a line break, as in Obsidian's
    reading view (`obsidian`). Two trailing spaces or a backslash break the line either way."""


class PaperDiaryPlugin(BasePlugin[DiaryConfig]):
    supports_multiple_instances = False

    command = "build"
    dirty = False  # `--dirty`: MkDocs does not empty site/
    quick: QuickRebuild | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps one instance across `mkdocs serve` rebuilds: all state is reset in on_config.
        self.command, self.dirty = command, dirty
        self.cache = RenderCache(enabled=command == "serve")  # see incremental.py: serve reuses unchanged pages
        self.quick = QuickRebuild() if command == "serve" else None  # see quick.py: a body edit builds one page

    @event_priority(-100)  # after mkdocs-macros' own on_config, so registered names survive its reset
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.diary = Diary()
        if not hasattr(self, "cache"):
            self.cache = RenderCache(enabled=False)
        self.cache_dir = cache_dir(self.config, config)
        self.cache.new_build(config, self.cache_dir / "pages" if self.cache_dir else None)
        if self.quick is not None:
            self.quick.start(config)
        self._files_env = self._nav = None  # what this build's pages are built with, for quick.py
        self._aside: Path | None = None  # site/ set aside, and when this build began (see on_pre_build)
        self._since: int | None = None
        self.search_headings: dict[str, str] = {}  # src_uri -> a paper's headings, as its search entry holds them
        self.docs_dir = Path(config.docs_dir)
        custom_dir = config.theme.custom_dir if config.theme else None
        self.renderer = Renderer([custom_dir] if custom_dir else [], config.use_directory_urls)
        self.current: Page | None = None
        self._theme_env: jinja2.Environment | None = None
        self.off_nav: set[str] = set()  # src_uris kept out of the sidebar: papers and tag pages
        self.titles: dict[str, str] = {}  # src_uri -> title of papers and generated pages, unescaped
        self.listings: dict[str, str] = {}
        self.parts: dict[str, tuple[str, str, str]] = {}  # src_uri -> a paper's card, footer, search facts
        self.sources: dict[str, str] = {}  # src_uri -> a paper's Markdown as MkDocs renders it
        # What notes written in Obsidian need: callouts (admonitions, foldable), ==marks==, image sizes, and
        # - [ ] task lists, as GitHub and Obsidian draw them. (~~strikethrough~~, pymdownx.tilde, costs 4% of a build
        # at 2,000 notes: the site opts in, see the README. Bare addresses are links already: see autolink.py.)
        # Headings get GitHub's anchors (anchors.py), so links written for GitHub land.
        wanted = ("admonition", "pymdownx.details", "pymdownx.mark", "attr_list", "pymdownx.tasklist",
                  "paper_diary.reading.anchors")
        for extension in wanted + (("nl2br",) if self.config.line_breaks == "obsidian" else ()):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
                config.mdx_configs.setdefault(extension, GFM_SETTINGS.get(extension, {}))
        # Math is typeset by the plugin at build time (decor.py): arithmatex would only wrap it for a script.
        if "pymdownx.arithmatex" in config.markdown_extensions:
            config.markdown_extensions.remove("pymdownx.arithmatex")
            log.info("math is typeset at build time by paper-diary: pymdownx.arithmatex is not used")
        self.decor = decor.PageDecor(self.renderer.env, log.warning, memo=self.cache.memo)
        # Read by overrides/main.html: the offline worker is registered on a published diary, never while serving.
        config.extra["paper_diary_offline"] = self.command != "serve"
        macros = config.plugins.get("macros")
        if macros is not None:
            macros.register_variables({"diary": self.diary})
            macros.register_macros({"latest_papers": self._latest_papers, "topic_list": self._topic_list,
                                    "reading_calendar": self._reading_calendar, "paper_map": self._paper_map})
        return config

    @event_priority(-100)  # last: whatever another plugin does to site/ first is what MkDocs would empty
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """With the build cache, site/ is rewritten in place (see inplace.py): set aside before MkDocs empties it,
        put back as the files are gathered, before anything is written."""
        if self.cache_dir is not None and not self.dirty and inplace.possible():
            aside = self.cache_dir / f"site-{self.command}"  # `serve` and `build` may run at once
            self._aside = aside if inplace.set_aside(Path(config.site_dir), aside) else None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self._aside is not None:
            self._since = inplace.put_back(self._aside, Path(config.site_dir))
            self._aside = None
        self._skip_unreachable(files)
        docs = [f.src_uri for f in files.documentation_pages()]
        others = [f.src_uri for f in files if not f.src_uri.endswith(".md") and not f.generated_by]
        fresh = scan(self.docs_dir, self.options(config), src_uris=docs, other_files=others,
                     # A note read anew will likely move the map: its process starts loading at once.
                     read=self.cache.read_paper(paper_from_text, changed=paper_map.warm))
        # The macros variable points at this object: refresh it in place.
        self.diary.__dict__.update(fresh.__dict__)
        for problem in self.diary.problems:
            log.warning(str(problem))
        self._lay_out_map()
        self.renderer.lists = self.cache.fragments(config, (LIST_FRAGMENT,))
        # The last build's, when nothing they are made from changed (see incremental.py).
        generated, off_nav, own_listings, self.parts, self.exports = self.cache.model_parts(
            config, self.diary, docs, self.command == "serve", lambda: self._model_parts(docs, config))
        # src_uri -> the HTML on_page_content adds to the page: generated pages, and the listing under a page the
        # author wrote for a topic or for the highlights.
        self.listings = {uri: html for uri, (title, html) in generated.items()
                         if self._generate(files, config, uri, title)}
        self.listings.update(own_listings)
        self.sources = {uri: self.cache.memo(obsidian_markdown, p.markdown or p.body)
                        for uri, p in self.diary.papers.items()}
        self.off_nav = set(self.diary.papers) | off_nav
        # Drafts are served with a badge and listed to refine; a build leaves them out (MkDocs' own draft level).
        for draft in self.diary.drafts:
            file = files.get_file_from_path(draft.src_uri)
            if file is not None:
                file.inclusion = InclusionLevel.DRAFT
        self._report_clashes(files)
        return files

    def _lay_out_map(self) -> None:
        """Begin the map (see map.py): from the cache when the notes have not changed, else laid out while the
        pages build; its HTML is filled in as they are written (`_fill_map`)."""
        self.diary.map = None
        self._cluster_lines: dict[str, str] | None = None  # src_uri -> its line, once the map is laid out
        self.map_job = paper_map.start(list(self.diary.papers.values()),
                                       self.cache_dir / "map" if self.cache_dir else None, memo=self.cache.memo)

    def _paper_map_ready(self) -> paper_map.PaperMap:
        if self.diary.map is None:
            started = time.perf_counter()
            self.diary.map = self.map_job.result()
            if self.diary.map.missing:
                log.info(f"/map/ is not built: {self.diary.map.missing}")
            else:
                log.debug(f"map of {len(self.diary.map.points)} papers {self.diary.map.how}; "
                          f"waited {time.perf_counter() - started:.2f} s for it")
        return self.diary.map

    def _fill_map(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """The map's HTML where a page holds its place: /map/, the home page's copy, a paper's cluster line."""
        self._paper_map_ready()
        uri = page.file.src_uri
        paper = self.diary.papers.get(uri)
        if paper is not None:
            if self._cluster_lines is None:  # all at once: one at a time, between pages, is 8 times slower
                self._cluster_lines = {u: pages.cluster_line(self.diary, self.renderer, p)
                                       for u, p in self.diary.papers.items()}
            output = output.replace(pages.CLUSTER_LINE, self._cluster_lines[uri], 1)
            if "<!--paper-diary:" not in output:
                return output
        reuse = self.cache.fragments(config, pages.MAP_FRAGMENTS)
        if pages.MAP_PAGE in output and uri == pages.MAP_URI:
            output = output.replace(pages.MAP_PAGE, pages.map_html(self.diary, self.renderer, reuse), 1)
        if pages.HOME_MAP in output:
            output = output.replace(pages.HOME_MAP, pages.home_map_html(self.diary, self.renderer, uri, reuse))
        return output

    def _model_parts(self, docs: list[str], config: MkDocsConfig) -> tuple[dict, set, dict, dict, dict]:
        generated, off_nav = pages.generated(self.diary, self.renderer, set(docs), self.command == "serve")
        own_listings = {}
        for topic in self.diary.topics.values():
            if topic.has_index:
                own_listings[topic.index_uri] = pages.topic_listing(self.diary, self.renderer, topic)
        if self.diary.options.highlights_page in docs:
            own_listings[self.diary.options.highlights_page] = pages.highlights_listing(self.diary, self.renderer)
        # Done for every paper at once, not page by page between Markdown runs that evict it from the CPU's caches.
        cards = self.cache.fragments(config, pages.PAPER_FRAGMENTS)
        url_of = self.renderer.url_of
        outputs = {  # the exports, written into the site after the build (never into docs/)
            "feed.xml": exports.atom(self.diary, config.site_name, config.site_url or "", url_of),
            "papers.bib": exports.bibtex(self.diary),
            "papers.json": exports.papers_json(self.diary, url_of),
        }
        return generated, off_nav, own_listings, pages.paper_parts(self.diary, self.renderer, cards), outputs

    def _skip_unreachable(self, files: Files) -> None:
        """MkDocs follows symbolic links: one that loops, or points nowhere, would stop the build."""
        skip, problems = integrity.unreachable(self.docs_dir, [f.src_uri for f in files if f.abs_src_path])
        for problem in problems:
            log.warning(str(problem))
        for file in [f for f in files if f.src_uri in skip]:
            files.remove(file)

    def _report_clashes(self, files: Files) -> None:
        """Two pages at one address: MkDocs writes both, and the last one silently replaces the other."""
        found = [(f.src_uri, f.dest_uri, bool(f.generated_by)) for f in files]
        for problem in integrity.address_clashes(found):
            log.warning(str(problem))

    def options(self, config: MkDocsConfig) -> Options:
        themes = []
        for item in self.config.themes:
            if not isinstance(item.get("id"), str) or not item["id"].strip():
                raise PluginError(f"paper-diary: every theme needs an 'id' (text): {item!r}; "
                                  "write themes as a list of {id: ..., title: ...}")
            themes.append((item["id"].strip(), str(item.get("title") or item["id"]).strip()))
        return Options(topics_include=self.config.topics_include, topics_exclude=self.config.topics_exclude,
                       latest=self.config.latest, use_directory_urls=config.use_directory_urls,
                       themes=themes, highlights_page=self.config.highlights_page,
                       drafts=self.command == "serve")

    def _generate(self, files: Files, config: MkDocsConfig, src_uri: str, title: str) -> bool:
        """Add the generated page `src_uri`, unless a file of the author's is there."""
        self.titles[src_uri] = title
        existing = files.get_file_from_path(src_uri)
        if existing is not None and not existing.generated_by:
            log.warning(f"{src_uri}:1: this file takes the place of a page the diary generates; "
                        "rename it, or remove it to get the generated page")
            return False
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=pages.front_matter(title)))
        return True

    @event_priority(100)  # before awesome-pages, which reads a title from disk when a page has none yet
    def _nav_titles(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Titles from the model for papers and generated pages: generated pages have no file to read."""
        for paper in self.diary.papers.values():
            self.titles.setdefault(paper.src_uri, paper.title)
        for page in nav.pages:
            title = self.titles.get(page.file.src_uri)
            if title is not None and page.title is None:
                page.title = html.escape(title)
        return nav

    @event_priority(-50)  # after awesome-pages has arranged the nav
    def _nav_prune(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep papers and tag pages out of the sidebar: it lists topics and the diary's own pages, whatever
        the diary's size (every page carries the whole sidebar)."""
        nav.items = self._prune(nav.items)
        nav.pages = [p for p in nav.pages if p.file.src_uri not in self.off_nav]
        for i, page in enumerate(nav.pages):
            page.previous_page = nav.pages[i - 1] if i > 0 else None
            page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
        # A paper's previous and next are the papers of its topic read before and after it.
        def page_of(paper: Paper | None) -> Page | None:
            file = files.get_file_from_path(paper.src_uri) if paper else None
            return file.page if file else None

        for paper in self.diary.papers.values():
            page = page_of(paper)
            if page is not None:  # None: a draft MkDocs does not build
                older, newer = self.diary.neighbours(paper)
                page.previous_page, page.next_page = page_of(older), page_of(newer)
        return nav

    on_nav = CombinedEvent(_nav_titles, _nav_prune)

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

    @event_priority(100)  # first: what is logged from here on is about this page (see quick.py)
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        self.cache.attach(page)
        if self.quick is not None:
            self.quick.about(page.file.src_uri)
            self.quick.attach(page)
        return page

    @event_priority(100)  # first: what is logged from here on is about the site, not the last page read
    def _site_env(self, env, *, config: MkDocsConfig, files: Files):
        if self.quick is not None:
            self.quick.about(None)
        return env

    @event_priority(-100)  # last: the cache wraps what every plugin's on_env left
    def _cached_env(self, env, *, config: MkDocsConfig, files: Files):
        if env.bytecode_cache is None:  # the theme's templates are compiled once, not at every build
            env.bytecode_cache = bytecode_cache()
        self.cache.wrap(env)
        self._files_env = (files, env)
        return env

    on_env = CombinedEvent(_site_env, _cached_env)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        if self.quick is not None:
            server.builder = self.quick.wrap(builder, self)
        return server

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        paper = self.diary.papers.get(page.file.src_uri)
        if paper is not None:
            # Read, parsed and converted from Obsidian's syntax in on_files: the front matter comes from the model.
            source = self.sources.pop(paper.src_uri, None)  # popped: a single page built again converts anew
            return UNREAD_META + (source if source is not None else obsidian_markdown(paper.markdown or paper.body))
        if page.file.generated_by or page.file.abs_src_path is None:
            return None
        text, problem = read_note(self.docs_dir, page.file.src_uri)
        if problem:
            log.warning(str(problem))
        return self._checked_page_source(page.file.src_uri, text)

    def _checked_page_source(self, src_uri: str, text: str) -> str:
        """A page that is not a paper (home, a topic's index): MkDocs reads its front matter, silently printing
        what YAML cannot read as text. Report its problems, and build it without unreadable front matter.
        Only `---` front matter is metadata: opening `key: value` lines of a page without it stay text."""
        fm = frontmatter.parse(src_uri, text)
        for problem in fm.problems:
            log.warning(str(problem))
        return text if fm.fenced and not fm.unreadable else UNREAD_META + fm.body

    @event_priority(50)  # before mkdocs-macros, so it sees the meta the model gives
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.current = page
        paper = self.diary.papers.get(page.file.src_uri)
        if paper is not None:
            page.meta = paper_meta(paper)
        elif not page.file.generated_by and self.diary.linker is not None:
            converted = obsidian.convert(self.diary.linker, page.file.src_uri, markdown)
            for problem in converted.problems:
                log.warning(str(problem))
            markdown = obsidian_markdown(converted.markdown)
        page.meta = escape.theme_meta(page.meta)  # the theme puts meta into HTML unescaped
        self._check_theme_names(page, config, paper)
        return markdown

    def _check_theme_names(self, page: Page, config: MkDocsConfig, paper: Paper | None) -> None:
        """`template:` and `icon:` name theme files: one that does not exist stops the build with a traceback."""
        for key in escape.TEMPLATE_KEYS.keys() & page.meta.keys():
            name = escape.template_name(key, page.meta[key])
            if name is not None:
                if self._theme_env is None:
                    self._theme_env = config.theme.get_env()
                try:
                    self._theme_env.get_template(name)
                    continue
                except jinja2.TemplateError:
                    pass
            uri = page.file.src_uri
            line = paper.lines.get(key, 1) if paper else frontmatter.parse(uri, read_note(self.docs_dir, uri)[0]
                                                                           ).lines.get(key, 1)
            log.warning(f"{uri}:{line}: '{key}: {page.meta[key]}' is not a file of the theme, so it is ignored; "
                        f"remove '{key}', or name a file the theme has")
            del page.meta[key]

    def _page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        listing = self.listings.get(page.file.src_uri)
        if listing is not None:  # links from notes to its anchors are checked like any other page's
            page.present_anchor_ids = (page.present_anchor_ids or set()) | set(ANCHOR_ID.findall(listing))
            return html_text + "\n" + listing
        parts = self.parts.get(page.file.src_uri)
        if parts is None:
            return html_text
        card, footer, _ = parts
        # The card goes right under the title: after the note's own leading <h1>, or first (the theme adds the <h1>).
        start = 0
        if html_text.lstrip().startswith("<h1"):
            start = html_text.find("</h1>") + len("</h1>")
        return html_text[:start] + "\n" + card + "\n" + html_text[start:] + "\n" + footer

    @event_priority(-90)  # after every plugin's own HTML: what search reads (formulas as TeX) is the whole page
    def _math(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Formulas typeset and diagrams' blocks in place (see decor.py); titles keep formulas as TeX."""
        uri = page.file.src_uri

        def source() -> tuple[str, int]:
            paper = self.diary.papers.get(uri)
            return (paper.body, paper.body_line) if paper else (read_note(self.docs_dir, uri)[0], 1)

        html_text = self.decor.content(html_text, uri, page.url, source)
        if self.decor.text(uri) is not None:
            items = list(page.toc)
            while items:
                item = items.pop()
                item.title, item.id = decor.as_text(item.title), decor.anchor_id(item.id)
                items.extend(item.children)
            page.title = decor.as_text(page.title)
            page.present_anchor_ids = {decor.anchor_id(i) for i in page.present_anchor_ids or ()}
        return html_text

    on_page_content = CombinedEvent(_page_content, _math)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Every page announces the feed, so a reader's feed app finds it from any page."""
        if "<!--paper-diary:" in output:
            output = self._fill_map(output, page, config)
        href = relative_url(page.url, "feed.xml")
        link = (f'<link rel="alternate" type="application/atom+xml" title="{html.escape(config.site_name)}" '
                f'href="{href}">')
        return output.replace("</head>", link + "\n</head>", 1)

    @event_priority(-100)  # last: the service worker lists every file of the site, search index included
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The exports: an Atom feed, BibTeX, the model and the map as JSON, written into the site (never into
        docs/)."""
        site = Path(config.site_dir)
        self.decor.write_assets(site)  # KaTeX's style sheet and fonts, Mermaid: when a page loads them
        outputs = dict(self.exports)
        outputs["map.json"] = paper_map.to_json(self._paper_map_ready(), self.renderer.url_of, self.diary.topics)
        for name, text in outputs.items():
            (site / name).write_text(text, encoding="utf-8")
        if self.quick is not None and self._files_env is not None and self._nav is not None:
            files, env = self._files_env
            self.quick.finish(config, files, self._nav, env)
        if self._since is not None:  # site/ rewritten in place: what this build did not write
            removed = inplace.sweep(site, self._since)
            log.debug(f"site/ rewritten in place; {removed} files of the last build removed")
        if self.command != "serve":  # a worker caching pages would fight live reload
            (site / "manifest.webmanifest").write_text(
                offline.manifest(config.site_name, config.site_description or ""), encoding="utf-8")
            (site / "sw.js").write_text(offline.service_worker(site), encoding="utf-8")  # last: it lists the rest
        self.cache.save()  # what the next build can reuse (see incremental.py)
        if self.command != "serve":
            leave_quickly()

    # Search indexes a paper by its digest (header facts, summary, highlights, headings), not its whole body, and
    # any other page without the lists it marks `data-search-exclude` (their papers have entries of their own):
    # the page's content is swapped for the search plugin's turn (priority 0) and put back after it.
    @event_priority(100)  # first: what is logged from here on is about this page (see quick.py)
    def _page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        if self.quick is not None:
            self.quick.about(page.file.src_uri)
        return context

    @event_priority(10)
    def _search_digest_in(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        self._nav = nav
        paper = self.diary.papers.get(page.file.src_uri)
        content = self.decor.text(page.file.src_uri) or page.content or ""  # formulas as TeX
        if paper is not None:
            headings = self.search_headings[paper.src_uri] = search.headings(content)
            digest = decor.as_text(self.parts[paper.src_uri][2]) + "\n" + headings
        elif "data-search-exclude" in content:
            digest = self.cache.memo(search.without_excluded, content)
        elif content is not page.content:
            digest = content
        else:
            return context
        self._full_content, page.content = page.content, digest
        return context

    @event_priority(-10)
    def _search_digest_out(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        full, self._full_content = getattr(self, "_full_content", None), None
        if full is not None:  # as the search plugin leaves any page it indexed
            page.content = SEARCH_ATTRIBUTES.sub("", full) if SEARCH_ATTRIBUTE.search(full) else full
        return context

    on_page_context = CombinedEvent(_page_context, _search_digest_in, _search_digest_out)

    # Macros for pages that opt in with `render_macros: true`.
    def _latest_papers(self, n: int | None = None) -> str:
        at = self.current.file.src_uri if self.current else "index.md"
        papers = self.diary.latest(n or self.config.latest)
        return self.renderer.list_html(self.diary, at, papers, show_topic=True)

    def _reading_calendar(self) -> str:
        at = self.current.file.src_uri if self.current else "index.md"
        return self.renderer.render("home_calendar.html", self.diary, at, stats=timeline.stats(self.diary),
                                    cal=timeline.reading_calendar(self.diary))

    def _paper_map(self) -> str:
        return pages.HOME_MAP  # filled in when the page is written: the map is laid out while pages build

    def _topic_list(self) -> str:
        at = self.current.file.src_uri if self.current else "index.md"
        return self.renderer.render("topic_list.html", self.diary, at)


def leave_quickly() -> None:
    """Once the process ends, Python searches the whole heap for cycles one last time (the build cache's entries,
    every page: 0.5 s at 2,000 papers) before the system takes the memory back anyway. Frozen at exit, the heap
    is left to it. Only at exit: a process that builds again collects as usual."""
    global _LEAVING
    if not _LEAVING:
        atexit.register(gc.freeze)
        _LEAVING = True


_LEAVING = False


def cache_dir(options: DiaryConfig, config: MkDocsConfig) -> Path | None:
    """The build cache's folder, or None when it is turned off."""
    if not options.cache or os.environ.get("PAPER_DIARY_NO_CACHE", "").strip() not in ("", "0"):
        return None
    folder = (Path(config.config_file_path or ".").resolve().parent / options.cache_dir).resolve()
    for name, kept in (("docs_dir", config.docs_dir), ("site_dir", config.site_dir)):
        kept = Path(kept).resolve()
        if folder == kept or kept in folder.parents:  # `serve` would rebuild forever, or a build wipe the cache
            where = Path(config.config_file_path or "mkdocs.yml")
            text = where.read_text("utf-8", "replace") if where.is_file() else ""
            line = next((i for i, t in enumerate(text.splitlines(), 1) if t.strip().startswith("cache_dir:")), 1)
            log.warning(f"{where.name}:{line}: cache_dir '{options.cache_dir}' is inside the {name} ({kept}); "
                        "the build cache is off: set cache_dir to a folder outside docs/ and site/")
            return None
    return folder


def obsidian_markdown(markdown: str) -> str:
    """The note's blocks as CommonMark reads them (as on GitHub and in Obsidian), written for Python-Markdown;
    callouts become Material's admonitions. See blocks.py."""
    return blocks.normalise(markdown)


def paper_meta(paper: Paper) -> dict:
    """The page meta MkDocs and the theme see for a paper: its extra keys, then the typed ones."""
    meta = dict(paper.extra)
    meta["title"] = paper.title  # escaped with the rest of the meta
    for key in ("date", "tags", "authors", "year", "venue", "arxiv", "doi", "summary", "status", "draft"):
        value = getattr(paper, key)
        if value not in (None, [], False):
            meta[key] = value
    return meta

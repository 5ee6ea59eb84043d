"""Reuse the work of earlier builds for pages whose inputs did not change: in memory under `mkdocs serve`, and
on disk (the plugin's `cache_dir`) from one `mkdocs build` to the next.

MkDocs 1.6 rebuilds every page on every save (`--dirty` is faster but wrong: it drops the other pages from
the search index and leaves generated pages stale). This cache keeps every step of the full build that must see
the whole diary (linking the notes, the model, nav, search index, writing) and skips the others when their inputs
are the same as last time:

- Markdown -> HTML (`Page.render`), keyed by the page's final Markdown, its place and the Markdown settings,
  and kept with every file the render looked up (links resolve against them: whether the file exists, its URL,
  whether it is built): the entry is used only while each of those is the same, so a new note re-renders the
  pages that link to it, not every page. The log lines the render printed are printed again.
- The theme's template (`main.html`), keyed by everything the template reads: the page's content, toc,
  meta, title, URL, neighbours and ancestors, the whole nav, the configuration and the site's template files.
- Material's search entries of a page, keyed by the page's content, toc, URL, title and meta.
- What the plugin makes from the model in `on_files` (generated pages, listings, cards and footers, the
  exports), keyed by every note's facts: a body edit reuses them all.
- Each paper's card, footer and search facts, each topic's and tag's list of papers, and the map's HTML, keyed
  by all the diary's own fragments read to make them (pages.paper_parts_inputs, list_inputs, map_inputs): a new
  paper makes again only its own card and those of the papers it changes (its neighbours, related papers), the
  lists it is on, and the map. A site that overrides one of those fragments gets them made every time: its
  templates may read anything.
- What reading each note gave (scan.paper_from_text: the paper's fields and the note's problems, reported
  again), keyed by its path, topic and text, all it reads: a repeat build parses only the notes that changed.
- What pure functions of one text gave (`memo`): each note's Markdown as written for Python-Markdown (blocks.py's
  CommonMark reading, a third of what a repeat build would spend otherwise), a listing page's text for search,
  a note's words for the map (its facts' and its body's), keyed by the function and the text.

A change to the sidebar (a topic added, a page in it renamed) puts every page in the theme again (slower, never
wrong).
Keys are digests of the inputs, so a stale entry can never be hit; entries not used by a build are dropped
after it. On disk, what a build used is kept in a file for each version of the code and the configuration
(store.py).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from paper_diary.diary import scan
from paper_diary.model import Paper, Problem
from paper_diary.reading import frontmatter
from paper_diary.site.store import PlainData, Store, canonical, code_version, digest, no_cycle_search, pack, unpack

log = logging.getLogger("mkdocs")
STANDARD_CONTEXT = {"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version",
                    "build_date_utc", "config", "page"}


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _looked_up(files, uri: str) -> tuple | None:
    """What a render learns of a file it links to (MkDocs' link checks read nothing else)."""
    file = files.get_file_from_path(uri)
    return None if file is None else (file.url, str(file.inclusion))


class _RecordingFiles:
    """The site's files as a page's render sees them, noting every file it looks up."""

    def __init__(self, files) -> None:
        self._files = files
        self.looked_up: dict[str, tuple | None] = {}

    def get_file_from_path(self, path: str):
        file = self._files.get_file_from_path(path)
        self.looked_up[path] = None if file is None else (file.url, str(file.inclusion))
        return file

    def __getattr__(self, name):
        return getattr(self._files, name)

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def _toc_data(items) -> list:
    return [(i.title, i.id, i.level, _toc_data(i.children)) for i in items]


def _toc_of(data: list, first: bool = True) -> list[AnchorLink]:
    items = []
    for title, id_, level, children in data:
        item = AnchorLink(title, id_, level)
        item.children = _toc_of(children, False)
        items.append(item)
    if first and items:
        items[0].active = True  # type: ignore[attr-defined]  # as MkDocs' get_toc marks it
    return items


class RenderCache:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled  # in memory across `mkdocs serve` rebuilds
        self._html: dict[str, tuple] = {}
        self._output: dict[str, bytes] = {}
        self._search: dict[str, list] = {}
        self._model: dict[str, Any] = {}  # {key: what on_files made from the model}: the last build's only
        self._memo: dict[str, bytes] = {}  # {digest of a function and a text: what it gave, compressed}
        self._parts: dict[str, Any] = {}  # {digest of what a fragment read: what it made (a card, a list, the map)}
        self._loaded = False
        self.new_build(None)

    def new_build(self, config, folder: Path | None = None) -> None:
        """Start a build: entries the previous build used stay, the rest are dropped. `folder`: the cache on disk,
        read at the first page and written after the build."""
        if getattr(self, "_html_used", None) is not None and self._loaded:
            self._html, self._output, self._search = self._html_used, self._output_used, self._search_used
            self._model, self._memo = self._model_used, self._memo_used
            self._parts = self._parts_used
        self._html_used: dict[str, tuple] = {}
        self._output_used: dict[str, bytes] = {}
        self._search_used: dict[str, list] = {}
        self._model_used: dict[str, Any] = {}
        self._memo_used: dict[str, bytes] = {}
        self._parts_used: dict[str, Any] = {}
        self._config = config
        self.store = Store(folder) if folder is not None else None
        self._version: str | None = None
        self._markdown_key: str | None = None
        self._site_key: str | None = None
        self.rendered = self.reused = self.templated = self.reused_output = self.indexed = 0  # counters, for tests
        self.made = self.remade = self.computed = self.parts_made = self.parts_reused = self.parsed = 0

    @property
    def active(self) -> bool:
        return self.enabled or self.store is not None

    def _load(self) -> None:
        """The cache on disk, once the configuration is final (every plugin's on_config has run)."""
        if self._version is not None or self._config is None:
            return
        config = self._config
        settings = {k: v for k, v in config.items() if k not in ("plugins", "strict")}  # strict changes no page
        self._version = digest(code_version(), canonical(settings),
                                *((name, canonical(dict(p.config.items()))) for name, p in config.plugins.items()))
        if self.store is not None and not self._loaded:
            with no_cycle_search():
                self._html, self._output, self._search, self._model, self._memo, self._parts = self.store.load(
                    self._version)
        self._loaded = True

    def save(self) -> None:
        """After a build: keep what it used, when that differs from what was on disk."""
        self._load()
        if self.store is None or self._version is None:
            return
        if self.rendered or self.templated or self.indexed or self.made or self.computed or self.parts_made \
                or self.parsed or len(self._html_used) != len(self._html) or len(self._output_used) != len(self._output) \
                or len(self._search_used) != len(self._search) or len(self._memo_used) != len(self._memo) \
                or len(self._parts_used) != len(self._parts) \
                or not self.store.path(self._version).exists():
            self.store.save(self._version, self._html_used, self._output_used, self._search_used, self._model_used,
                            self._memo_used, self._parts_used)

    # What the plugin makes from the model ----------------------------------------------------------------

    def model_parts(self, config, diary, written: list[str], serving: bool, make):
        """What `make()` returns (the generated pages, the listings, every paper's card and footer), or the
        last build's when nothing those read changed: every paper's facts (all but its body, as `scan.reread`
        tells them apart, which `mkdocs serve` relies on too), its lessons, the topics, tags and lessons as
        gathered, the options, the templates and today."""
        if not self.active:
            return make()
        self._load()
        custom = config.theme.custom_dir
        templates = []
        for root, _, names in os.walk(custom, followlinks=True) if custom else ():
            for name in names:
                templates.append((os.path.relpath(root, custom), name, Path(root, name).read_bytes()))
        key = digest(
            self._version, canonical(vars(diary.options)), diary.today, sorted(written), serving,
            *(part for item in sorted(templates) for part in item),
            [(t.id, t.title, t.has_index, [p.src_uri for p in t.papers]) for t in diary.topics.values()],
            [(k, t.name, t.slug, t.children, [p.src_uri for p in t.papers]) for k, t in diary.tags.items()],
            [(h.source, h.title, h.text, h.theme, h.order, h.number, h.anchor, [p.src_uri for p in h.cites])
             for h in diary.highlights],
            # repr, not canonical: facts are plain values read in the same order from the same text.
            repr([(uri, scan._facts(p), [(h.source, h.number) for h in p.lessons + p.cited_in],
                   [r.src_uri for r in p.related], [(ln.source, ln.sentence) for ln in p.links_in])
                  for uri, p in sorted(diary.papers.items())]),
            repr([(d.src_uri, scan._facts(d)) for d in diary.drafts]))
        made = self._model.get(key) or self._model_used.get(key)
        if made is None:
            made = make()
            self.made += 1
        else:
            self.remade += 1
            self._parts_used.update(self._parts)  # what it was made from: kept for the next build that makes anew
        self._model_used = {key: made}
        return made

    # Cards and lists of papers --------------------------------------------------------------------------

    def fragments(self, config, names: tuple[str, ...]):
        """`reuse(what, inputs, make)`: what `make()` made last time from the same `inputs`, else `make()`; None
        without a cache, or when the site overrides one of the fragments `names` (its templates may read
        anything of the diary, not only `inputs`)."""
        custom = config.theme.custom_dir
        if not self.active or (custom and any(Path(custom, "paper_diary", name).exists() for name in names)):
            return None
        self._load()

        def reuse(what: tuple, inputs: Any, make):
            key = digest(repr(what), repr(inputs))
            made = self._parts.get(key) or self._parts_used.get(key)
            if made is None:
                made = make()
                self.parts_made += 1
            else:
                self.parts_reused += 1
            self._parts_used[key] = made
            return made

        return reuse

    # What reading a note gives ----------------------------------------------------------------------------

    def read_paper(self, read, changed=lambda: None):
        """For scan: `read` (scan.paper_from_text), or the paper and problems it gave the last build for the same
        path, topic and text. Each paper is made anew from what is kept: the build changes the papers it reads
        (dates from git, tags found in the text, links, lessons), never the cache. `changed()` is called for each
        note read anew."""
        if not self.active:
            return read
        self._load()

        def cached_read(src_uri: str, topic: str, text: str, problems: list) -> Paper:
            key = digest("paper", src_uri, topic, text)
            stored = self._memo.get(key) or self._memo_used.get(key)
            if stored is not None:
                try:
                    values, found = PlainData(zlib.decompress(stored)).load()
                    paper = Paper(**values, body=frontmatter.split(text)[1])
                    problems.extend(Problem(*p) for p in found)
                    self._memo_used[key] = stored
                    return paper
                except Exception:  # not what this code writes, or not plain data: read again
                    pass
            changed()
            own: list[Problem] = []
            paper = read(src_uri, topic, text, own)
            problems.extend(own)
            values = {f.name: getattr(paper, f.name) for f in dataclasses.fields(Paper) if f.name != "body"}
            try:
                self._memo_used[key] = zlib.compress(pickle.dumps(
                    (values, [(p.path, p.line, p.message) for p in own]), protocol=pickle.HIGHEST_PROTOCOL), 1)
            except (pickle.PicklingError, TypeError, AttributeError):  # a value YAML made that is no plain data
                pass
            self.parsed += 1
            return paper

        return cached_read

    # Pure functions of one text ---------------------------------------------------------------------------

    def memo(self, function, text: str) -> str:
        """`function(text)`, or what it gave last time for the same text: `function` must read nothing else
        (the code's version is the cache's, so an edited function is never answered from an old build)."""
        if not self.active:
            return function(text)
        self._load()
        key = digest(function.__module__, function.__qualname__, text)
        stored = self._memo.get(key) or self._memo_used.get(key)
        made = unpack(stored)
        if made is None:
            made = function(text)
            stored = pack(made)
            self.computed += 1
        self._memo_used[key] = stored
        return made

    # Markdown -> HTML -------------------------------------------------------------------------------------

    def attach(self, page: Page) -> None:
        """Route this page's `render` through the cache (called before MkDocs reads the page)."""
        if self.active:
            page.render = functools.partial(self._render, page)  # type: ignore[method-assign]

    def _render(self, page: Page, config, files) -> None:
        self._load()
        if self._markdown_key is None:
            self._markdown_key = digest(
                config["markdown_extensions"], canonical(config["mdx_configs"] or {}),
                config.use_directory_urls, canonical(config.validation), config.docs_dir)
        # MkDocs keeps links to anchors only when it does not log debug lines.
        key = digest(self._markdown_key, log.getEffectiveLevel() > logging.DEBUG, page.file.src_uri,
                      page.file.url, str(page.file.inclusion), page.markdown)
        entry = self._html.get(key) or self._html_used.get(key)
        if entry is not None and any(_looked_up(files, uri) != found for uri, found in entry[6].items()):
            entry = None  # a file it links to is new, gone, moved or no longer built
        if entry is None:
            capture = _Capture()
            log.addHandler(capture)
            recording = _RecordingFiles(files)
            try:
                Page.render(page, config, recording)
            finally:
                log.removeHandler(capture)
            links = None
            if page.links_to_anchors is not None:
                links = {f.src_uri: dict(v) for f, v in page.links_to_anchors.items()}
            records = [(r.name, r.levelno, r.getMessage()) for r in capture.records]
            entry = (page.content, _toc_data(page.toc), page._title_from_render,
                     sorted(page.present_anchor_ids or ()), links, records, recording.looked_up)
            self.rendered += 1
        else:
            page.content, toc, page._title_from_render, anchors, links, records, _ = entry
            page.toc = TableOfContents(_toc_of(toc))
            page.present_anchor_ids = set(anchors)
            if links is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): dict(v) for uri, v in links.items()}
            for name, level, message in records:  # what the render said, said again
                logging.getLogger(name).handle(logging.makeLogRecord(
                    {"name": name, "levelno": level, "levelname": logging.getLevelName(level), "msg": message}))
            self.reused += 1
        self._html_used[key] = entry

    # The theme's template ---------------------------------------------------------------------------------

    def wrap(self, env) -> None:
        """Serve the pages' templates through the cache (MkDocs asks `env.get_template` for each page)."""
        if not self.active:
            return
        get_template = env.get_template

        def cached_get_template(name, parent=None, globals=None):
            template = get_template(name, parent, globals)
            if parent is not None or globals is not None:  # Jinja's own extends/include
                return template
            return _CachedTemplate(template, self)

        env.get_template = cached_get_template
        if self._config is not None:
            self._wrap_search(self._config.plugins.get("material/search") or self._config.plugins.get("search"))

    def _wrap_search(self, plugin) -> None:
        """Material's search index: the entries of a page are kept like its HTML, keyed by all they are made from
        (the page's content, toc, URL, title and meta, the search plugin's settings)."""
        index = getattr(plugin, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        if add is None or not isinstance(getattr(index, "entries", None), list) or hasattr(add, "paper_diary"):
            return  # not Material's search, or not as this cache knows it: it indexes every page itself
        settings = digest(type(plugin).__module__, canonical(dict(plugin.config.items())))

        def cached_add(page) -> None:
            key = digest(settings, page.url, page.title, page.content, _toc(page.toc),
                          json.dumps(page.meta, sort_keys=True, default=str))
            entries = self._search.get(key) or self._search_used.get(key)
            if entries is None:
                before = len(index.entries)
                add(page)
                entries = [dict(e) for e in index.entries[before:]]
                self.indexed += 1
            else:
                index.entries.extend({k: list(v) if isinstance(v, list) else v for k, v in e.items()}
                                     for e in entries)
            self._search_used[key] = entries

        cached_add.paper_diary = True  # type: ignore[attr-defined]
        index.add_entry_from_context = cached_add

    def _site(self, context) -> str:
        if self._site_key is None:
            config, nav = context["config"], context["nav"]
            settings = [(k, canonical(v)) for k, v in sorted(config.items()) if k not in ("plugins", "strict")]
            templates = []
            for folder in [config.theme.custom_dir, Path(__file__).parent / "templates"]:
                for root, _, names in os.walk(folder or "", followlinks=True) if folder else ():
                    for name in names:  # by content: a fresh checkout gives every file a new mtime
                        templates.append((os.path.relpath(root, folder), name, Path(root, name).read_bytes()))
            # The build's clock changes every rebuild, and `page.update_date` every day (or commit, with
            # SOURCE_DATE_EPOCH); Material's templates print neither, some themes and overrides do.
            uses_time = uses_date = False
            for folder in config.theme.dirs:
                for root, _, names in os.walk(folder, followlinks=True):
                    for name in names:
                        if name.endswith((".html", ".xml")):
                            text = Path(root, name).read_text("utf-8", "replace")
                            uses_time |= "build_date_utc" in text
                            uses_date |= "update_date" in text
            build_time = context.get("build_date_utc") if uses_time else None
            self._uses_date = uses_date
            self._site_key = digest(settings, *(part for item in sorted(templates) for part in item), build_time,
                                     context.get("mkdocs_version"), _nav(nav.items))
        return self._site_key

    def render_template(self, template, context) -> str:
        page = context.get("page")
        if page is None:
            return template.render(context)
        extra = sorted((k, canonical(v)) for k, v in context.items() if k not in STANDARD_CONTEXT)
        key = digest(
            self._site(context), template.name, page.url, page.file.src_uri, page.title, page.content,
            json.dumps(page.meta, sort_keys=True, default=str), _toc(page.toc), page.canonical_url,
            page.edit_url, page.update_date if self._uses_date else None, _link(page.previous_page),
            _link(page.next_page), [_link(a) for a in page.ancestors], extra)
        stored = self._output.get(key) or self._output_used.get(key)
        output = unpack(stored)
        if output is None:
            output = template.render(context)
            # Kept compressed: whole pages of every paper would double the build's memory.
            stored = pack(output)
            self.templated += 1
        else:
            self.reused_output += 1
        self._output_used[key] = stored
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

"""`mkdocs serve`: a saved note whose change shows on its own page only is built alone.

MkDocs rebuilds the whole site on every save. Even with every unchanged page reused (incremental.py), reading,
scanning and writing 2,000 papers takes seconds. When the only files changed are paper notes and
`scan.reread` finds that nothing other pages read from them changed (front matter, title, tags, links and
their sentences, lessons) and the page's headings (which the search index holds) are the same, the page is
built alone, through MkDocs' own page steps and every plugin's page events, with the configuration, files,
nav and theme of the last full build. Anything else (a new, deleted or renamed file, mkdocs.yml, a
template, a changed fact) takes the full build, which is never wrong.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import InclusionLevel

from . import scan, search

log = get_plugin_logger(__name__)
Snapshot = dict[str, tuple[int, int]]


def snapshot(roots: list[str]) -> Snapshot:
    """(mtime, size) of every file under `roots`: what a save changes."""
    found: Snapshot = {}
    for root in roots:
        if os.path.isfile(root):
            st = os.stat(root)
            found[root] = (st.st_mtime_ns, st.st_size)
        for folder, _, names in os.walk(root, followlinks=True):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:  # gone, or a link to nowhere
                    continue
                found[path] = (st.st_mtime_ns, st.st_size)
    return found


class QuickRebuild:
    def __init__(self) -> None:
        self.last = None  # (config, files, nav, env) of the last full build
        self.before: Snapshot = {}
        self.roots: list[str] = []

    def start(self, config) -> None:
        """A full build starts: what it reads is what is on disk now."""
        self.last = None
        self.roots = [p for p in (config.docs_dir, config.config_file_path, config.theme.custom_dir,
                                  *config.watch) if p]
        self.before = snapshot(self.roots)

    def finish(self, config, files, nav, env) -> None:
        self.last = (config, files, nav, env)

    def wrap(self, builder: Callable, plugin) -> Callable:
        def quick_builder(config=None) -> None:
            if config is None and self.last is not None:
                started = time.monotonic()
                try:
                    built = self._try(plugin)
                except Exception as e:  # whatever went wrong, the full build shows it the way MkDocs does
                    log.debug(f"building the changed notes alone failed ({e!r}): building the site")
                    built = []
                if built:
                    log.info(f"Built {', '.join(built)} alone in {1000 * (time.monotonic() - started):.0f} ms: "
                             "nothing any other page shows changed")
                    return
            builder(config)
        return quick_builder

    def _try(self, plugin) -> list[str]:
        """The pages built alone, or [] when the full build must run."""
        config, files, nav, env = self.last
        now = snapshot(self.roots)
        if now.keys() != self.before.keys():
            return []
        changed = [path for path, stat in now.items() if stat != self.before[path]]
        docs = Path(config.docs_dir)
        uris = []
        for path in changed:
            try:
                uri = Path(path).relative_to(docs).as_posix()
            except ValueError:  # mkdocs.yml, a template, a watched file
                return []
            file = files.get_file_from_path(uri)
            if uri not in plugin.diary.papers or file is None or file.page is None:
                return []
            uris.append(uri)
        if not uris or any(scan.reread(plugin.diary, docs, uri) is None for uri in uris):
            return []
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for uri in uris:
            page = files.get_file_from_path(uri).page
            headings = plugin.search_headings.get(uri)
            _populate_page(page, config, files)
            if search.headings(page.content or "") != headings:
                return []
        for uri in uris:
            page = files.get_file_from_path(uri).page
            _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        self.before = now
        return uris

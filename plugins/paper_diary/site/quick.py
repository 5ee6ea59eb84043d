"""`mkdocs serve`: a saved note whose change shows on its own page only is built alone.

MkDocs rebuilds the whole site on every save. Even with every unchanged page reused (incremental.py), reading,
scanning and writing 2,000 papers takes seconds. When the only files changed are paper notes and
`scan.reread` finds that nothing other pages read from them changed (front matter, title, tags, links and
their sentences, lessons) and the page's headings (which the search index holds) are the same, the page is
built alone, through MkDocs' own page steps and every plugin's page events, with the configuration, files,
nav and theme of the last full build. Anything else (a new, deleted or renamed file, mkdocs.yml, a
template, a changed fact) takes the full build, which is never wrong.

A note being written usually has problems (a highlight without a theme, a link to a note not yet written):
they do not stop the shortcut. The log of a build alone says what a full build would: the warnings of the
last full build are kept, each with what it is about (a page's own steps, the links to anchors, the rest),
and a build alone prints them again, with the edited notes' own found anew (the note's problems, its page's
warnings) and every page's links to anchors checked again. `--strict` stops it as it stops a full build.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.exceptions import Abort
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import CountHandler

from paper_diary.diary import scan
from paper_diary.site import search

log = get_plugin_logger(__name__)
problem_log = get_plugin_logger("paper_diary.site.plugin")  # the logger the full build reports problems with
Snapshot = dict[str, tuple[int, int]]
ANCHORS = "anchors"  # what a warning is about: this, a page's src_uri, or None (the site, the notes' problems)


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


class Warnings(logging.Handler):
    """Every warning a build prints, with what it is about (`about`, set as the build goes)."""

    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.about: str | None = None
        self.records: list[tuple[str | None, logging.LogRecord]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((self.about, record))

    def __enter__(self) -> Warnings:
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("mkdocs").removeHandler(self)

    @contextlib.contextmanager
    def held(self):
        """Only this handler hears the build's warnings meanwhile: they are printed later, or never."""
        logger = logging.getLogger("mkdocs")
        handlers, propagate = logger.handlers[:], logger.propagate
        logger.handlers, logger.propagate = [self], False
        try:
            yield self
        finally:
            logger.handlers, logger.propagate = handlers, propagate


class QuickRebuild:
    def __init__(self) -> None:
        self.last = None  # (config, files, nav, env) of the last full build
        self.before: Snapshot = {}
        self.roots: list[str] = []
        self.warnings: Warnings | None = None  # the last build's, full or alone

    def start(self, config) -> None:
        """A full build starts: what it reads is what is on disk now."""
        self.last = None
        self.roots = [p for p in (config.docs_dir, config.config_file_path, config.theme.custom_dir,
                                  *config.watch) if p]
        self.before = snapshot(self.roots)
        if self.warnings is not None:  # a build that failed never finished
            self.warnings.__exit__()
        self.warnings = Warnings().__enter__()

    def about(self, what: str | None) -> None:
        """The build now works on this page (its src_uri), on links to anchors, or on the site (None)."""
        if self.warnings is not None:
            self.warnings.about = what

    def attach(self, page) -> None:
        """Warnings of this page's links to anchors (checked after every page is built) are told apart."""
        validate = type(page).validate_anchor_links

        def validate_anchor_links(*, files, log_level) -> None:
            self.about(ANCHORS)
            try:
                validate(page, files=files, log_level=log_level)
            finally:
                self.about(None)

        page.validate_anchor_links = validate_anchor_links

    def finish(self, config, files, nav, env) -> None:
        self.last = (config, files, nav, env)
        if self.warnings is not None:
            self.warnings.__exit__()

    def wrap(self, builder: Callable, plugin) -> Callable:
        def quick_builder(config=None) -> None:
            if config is None and self.last is not None:
                started = time.monotonic()
                try:
                    built = self._try(plugin)
                except Exception as e:  # whatever went wrong, the full build shows it the way MkDocs does
                    log.debug(f"building the changed notes alone failed ({e!r}): building the site")
                    built = None
                if built:
                    uris, counts = built
                    log.info(f"Built {', '.join(uris)} alone in {1000 * (time.monotonic() - started):.0f} ms: "
                             "nothing any other page shows changed")
                    if counts and self.last[0].strict:  # as MkDocs' build ends in strict mode
                        msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
                        raise Abort(f"Aborted with {msg} in strict mode!")
                    return
            builder(config)
        return quick_builder

    def _try(self, plugin) -> tuple[list[str], list[tuple[str, int]]] | None:
        """The pages built alone and the warnings counted, or None when the full build must run."""
        config, files, nav, env = self.last
        now = snapshot(self.roots)
        if now.keys() != self.before.keys():
            return None
        changed = [path for path, stat in now.items() if stat != self.before[path]]
        docs = Path(config.docs_dir)
        uris = []
        for path in changed:
            try:
                uri = Path(path).relative_to(docs).as_posix()
            except ValueError:  # mkdocs.yml, a template, a watched file
                return None
            file = files.get_file_from_path(uri)
            if uri not in plugin.diary.papers or file is None or file.page is None:
                return None
            uris.append(uri)
        if not uris:
            return None
        old = Counter(f"paper_diary: {p}" for p in plugin.diary.problems if p.path in uris)
        diary_problems = list(plugin.diary.problems)
        found = []
        for uri in uris:
            reread = scan.reread(plugin.diary, docs, uri)
            if reread is None:
                plugin.diary.problems = diary_problems  # as the full build will find them
                return None
            found.extend(reread[1])
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        with Warnings(logging.DEBUG).held() as fresh:
            for uri in uris:
                page = files.get_file_from_path(uri).page
                headings = plugin.search_headings.get(uri)
                fresh.about = uri
                _populate_page(page, config, files)
                if search.headings(plugin.decor.text(uri) or page.content or "") != headings:  # formulas as TeX
                    plugin.diary.problems = diary_problems
                    return None
        # From here on the page is built: the log says all a full build would, in the order it would.
        kept = []
        for about, record in self.warnings.records if self.warnings else []:
            message = record.getMessage()
            if about is None and old[message] > 0:
                old[message] -= 1  # this note's problem, found again above
            elif about != ANCHORS and about not in uris:
                kept.append((about, record))
        counter = CountHandler()
        counter.setLevel(logging.WARNING)
        warnings = Warnings()
        root = logging.getLogger("mkdocs")
        root.addHandler(counter)
        try:
            with warnings:
                for about, record in [(a, r) for a, r in kept if a is None]:
                    warnings.about = about
                    logging.getLogger(record.name).handle(record)
                warnings.about = None
                for problem in found:
                    problem_log.warning(str(problem))
                for about, record in [(a, r) for a, r in kept if a is not None]:
                    warnings.about = about
                    logging.getLogger(record.name).handle(record)
                for about, record in fresh.records:  # the page's own, from reading and rendering it
                    warnings.about = about
                    logging.getLogger(record.name).handle(record)
                for uri in uris:
                    page = files.get_file_from_path(uri).page
                    warnings.about = uri
                    _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
                warnings.about = ANCHORS
                for file in doc_files:  # a note's anchors are other pages' links' targets
                    type(file.page).validate_anchor_links(file.page, files=files,
                                                          log_level=config.validation.links.anchors)
        finally:
            root.removeHandler(counter)
        self.warnings = warnings
        self.before = now
        return uris, counter.get_counts()

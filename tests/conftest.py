"""Real builds of small diaries in temporary folders, with `theme: material`, asserting on HTML and logs."""

from __future__ import annotations

import logging
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("SOURCE_DATE_EPOCH", "1751328000")  # 2025-07-01: "today" is pinned in tests
# No test reaches arXiv: `paper-diary new --arxiv` asks a port where nothing listens unless a test serves answers.
os.environ["PAPER_DIARY_ARXIV_API"] = "http://127.0.0.1:9/api/query"

BASE_CONFIG = {
    "site_name": "Test Diary",
    "site_url": "https://example.org/diary/",
    "theme": {"name": "material"},
    "plugins": ["search", "paper-diary"],
    "markdown_extensions": ["toc", "admonition", "attr_list", "md_in_html"],
    "validation": {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn",
                   "anchors": "warn"},
}


# The themes of sites whose notes declare highlights: one per topic of those tests' notes.
TOPIC_THEMES = {"plugins": ["search", {"paper-diary": {"themes": [
    {"id": "rl", "title": "Reinforcement Learning"}, {"id": "vision", "title": "Vision"}]}}]}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Site:
    root: Path
    warnings: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def out(self) -> Path:
        return self.root / "site"

    def html(self, url: str) -> str:
        """The built page at `url` (site-relative, e.g. 'topic/Note/')."""
        path = self.out / url
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def content(self, url: str) -> str:
        """The page's article (what the note renders to), without the theme's chrome."""
        page = self.html(url)
        m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page, re.S)
        assert m, f"no article in {url}"
        return m.group(1)

    def sidebar(self, url: str) -> list[str]:
        page = self.html(url)
        m = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', page, re.S)
        nav = m.group(0) if m else page
        return [t.strip() for t in re.findall(r'class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S)]


def write_site(root: Path, files: dict[str, str | bytes], config: dict | None = None) -> None:
    cfg = {**BASE_CONFIG, **(config or {})}
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    files = {"index.md": "# Home\n", **files}
    for name, text in files.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def build_site(root: Path, *, strict: bool = False, config_file: Path | None = None, config=None,
               serve_url: str | None = None) -> Site:
    """Build the site at `root` with MkDocs' own build, as `mkdocs build` does, collecting the log."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        if config is None:
            config = load_config(config_file=str(config_file or root / "mkdocs.yml"), strict=strict)
            config.plugins.on_startup(command="build", dirty=False)
        build(config, serve_url=serve_url)  # a serve_url builds what `mkdocs serve` shows (drafts too)
    finally:
        logger.removeHandler(handler)
    site = Site(root)
    for record in handler.records:
        message = record.getMessage()
        site.log.append(message)
        if record.levelno >= logging.WARNING:
            site.warnings.append(message)
    return site


def check_warnings(site: Site, *expected: str) -> None:
    """Every warning is expected (regexes), and every expected one was printed: a surprise fails the test."""
    unexpected = [w for w in site.warnings if not any(re.search(e, w) for e in expected)]
    missing = [e for e in expected if not any(re.search(e, w) for w in site.warnings)]
    assert not unexpected, f"unexpected warnings: {unexpected}"
    assert not missing, f"expected warnings not printed: {missing}; got {site.warnings}"


@pytest.fixture
def diary(tmp_path):
    """`diary(files, config=None, strict=False, expect=())` builds a site and checks its warnings."""

    def make(files: dict[str, str | bytes], config: dict | None = None, expect: tuple[str, ...] = ()) -> Site:
        write_site(tmp_path, files, config)
        site = build_site(tmp_path)
        check_warnings(site, *expect)
        return site

    return make


def tree(path: Path) -> dict[str, bytes]:
    """Every file under `path` with its bytes: to prove a build wrote nothing there."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


MAP_COORDINATE = re.compile(rb'\s(?:cx|cy|x|y)="-?[\d.]+"')


def without_layout(name: str, data: bytes) -> bytes:
    """A built file with the map's coordinates taken out. The layout is the one output that depends on the
    cache's history on purpose: a grown diary continues its previous map (so the map does not jump), where a build
    from nothing lays it out anew. Papers, clusters, names and everything else must still be the same."""
    if name == "map.json":
        import json

        found = json.loads(data)
        for item in found.get("papers", []) + found.get("clusters", []):
            item.pop("x", None), item.pop("y", None)
        return json.dumps(found, sort_keys=True).encode()
    if b"pd-map" in data:
        return MAP_COORDINATE.sub(b"", data)
    return data


def differences(built: dict[str, bytes], clean: dict[str, bytes]) -> list[str]:
    """The files of two builds (`tree`) that differ, the map's layout aside (see `without_layout`). The offline
    worker lists a hash of every file: its lines for files that differ only in their layout are left out too."""
    laid_out = {name for name in built.keys() & clean.keys() if built[name] != clean[name]
                and without_layout(name, built[name]) == without_layout(name, clean[name])}
    different = []
    for name in sorted(built.keys() | clean.keys()):
        a, b = built.get(name), clean.get(name)
        if name == "sw.js" and a is not None and b is not None and laid_out:
            skip = re.compile(r'"(?:' + "|".join(re.escape(n.removesuffix("index.html")) for n in laid_out) +
                              r')":"\w+",?|const PD_VERSION = "\w+";')
            a, b = skip.sub("", a.decode()).encode(), skip.sub("", b.decode()).encode()
        if a != b and name not in laid_out:
            different.append(name)
    return different


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    """(playwright, browser): Debian's Chromium, one for the whole session (Playwright's sync API runs one at a
    time). Skipped, with the reason shown, where Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed ({CHROMIUM}): apt-get install chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield p, browser
        browser.close()

"""Every value from a note reaches the reader as text: a diary full of hostile values is built, every file of
the site is checked for its format, and headless Chromium opens every page and searches: no script runs."""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import shutil
import threading
import xml.dom.minidom

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Each one runs script if it reaches the page as markup, in text, in an attribute or in a <script>.
IMG = "<img src=x onerror=window.__pwned=1;alert(1)>"
SCRIPT = "</script><script>window.__pwned=2;alert(2)</script>"
DQ = '" onmouseover="window.__pwned=3" autofocus onfocus="window.__pwned=3'
SQ = "' onmouseover='window.__pwned=4' autofocus onfocus='window.__pwned=4"
BIB = "Braces } { and @misc{evil, title={x}}"  # breaks BibTeX if not escaped
PAYLOADS = (IMG, SCRIPT, DQ, SQ, BIB)


def _yaml(text: str) -> str:
    return json.dumps(text)  # JSON is YAML: any text, quoted


def hostile_diary() -> dict[str, str]:
    notes = {}
    for i, evil in enumerate(PAYLOADS):
        notes[f"topic {i}/Note {i}.md"] = f"""\
---
title: {_yaml("Title " + evil)}
authors: [{_yaml("Author " + evil)}, Plain Author]
tags: [{_yaml("tag" + evil)}, plain]
summary: {_yaml("Summary " + evil)}
venue: {_yaml("Venue " + evil)}
status: {_yaml("read " + evil)}
year: 2024
date: 2025-01-0{i + 1}
description: {_yaml("Description " + evil)}
author: {_yaml("Meta author " + evil)}
subtitle: {_yaml("Subtitle " + evil)}
custom_key: {_yaml("Extra " + evil)}
highlights:
  - title: {_yaml("Lesson " + evil)}
    text: {_yaml("Lesson text " + evil)}
---

Body text pwned{i}.
"""
        notes[f"topic {i}/.pages"] = f"title: {_yaml('Topic ' + evil)}\n"
    notes["topic 0/From heading.md"] = f"# Heading {IMG}\n\nA heading that is HTML is text: pwnedheading.\n"
    notes["topic 0/index.md"] = f"---\ntitle: {_yaml('Index ' + SCRIPT)}\ndescription: {_yaml(DQ)}\n---\nIndex.\n"
    notes["about.md"] = f"---\ntitle: {_yaml('About ' + SQ)}\nsubtitle: {_yaml(IMG)}\nauthor: {_yaml(SCRIPT)}\n---\nAbout.\n"
    return notes


EXPECTED = (r"topic \d/Note \d\.md:4: tag ['\"]tag.* is not a word",
            r"topic \d/Note \d\.md:15: highlight has no theme")
CONFIG = {"theme": {"name": "material", "font": False, "features": ["navigation.instant", "search.suggest", "search.highlight"]},
          "nav": None}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import build_site, check_warnings, write_site
    root = tmp_path_factory.mktemp("hostile")
    write_site(root, hostile_diary(), CONFIG)
    site = build_site(root)
    check_warnings(site, *EXPECTED)
    return site


def test_every_file_of_the_site_keeps_hostile_values_as_text(hostile_site):
    """Whatever page a feature adds, its HTML carries no payload as markup, its XML and JSON parse."""
    checked = 0
    for path in sorted(hostile_site.out.rglob("*")):
        if path.suffix == ".html":
            found = _Markup.scan(path.read_text(encoding="utf-8"))
            assert not found, f"{path.relative_to(hostile_site.out)}: {found}"
            checked += 1
        elif path.suffix == ".xml":
            xml.dom.minidom.parse(str(path))
        elif path.suffix in (".json", ".webmanifest"):
            json.loads(path.read_text(encoding="utf-8"))
    assert checked >= 16  # home, about, 5 topics, 6 papers, tags index, tag pages, highlights, 404


class _Markup(html.parser.HTMLParser):
    """What a browser would run: event attributes, `javascript:` links, <img src=x>, scripts with a payload."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    @classmethod
    def scan(cls, text: str) -> list[str]:
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser.found

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and "__pwned" in (value or ""):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src") and (value or "").replace(" ", "").lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "__pwned" in data:
            self.found.append(f"<script>{data[:80]}")


def test_the_markup_check_finds_what_would_run():
    assert _Markup.scan('<p title="x" onmouseover="window.__pwned=3">') and _Markup.scan("<img src=x onerror=y>")
    assert _Markup.scan("<script>var a = 1;</script><script>window.__pwned=2</script>")
    assert not _Markup.scan('<p title="&#34; onmouseover=&#34;window.__pwned=3">" onmouseover="window.__pwned</p>')


TITLES = {"Title " + evil for evil in PAYLOADS}


def test_feeds_carry_hostile_values_exactly(hostile_site):
    """Escaped for their own format, so a reader of the feed or the data gets the text as written."""
    out = hostile_site.out
    feed = xml.dom.minidom.parse(str(out / "feed.xml"))
    entries = {e.getElementsByTagName("title")[0].firstChild.data for e in feed.getElementsByTagName("entry")}
    assert TITLES <= entries
    data = json.loads((out / "papers.json").read_text(encoding="utf-8"))
    assert TITLES <= {p["title"] for p in data["papers"]}
    assert {"Summary " + evil for evil in PAYLOADS} <= {p["summary"] for p in data["papers"]}
    assert {"tag" + evil for evil in PAYLOADS if "/" not in evil} <= {t for p in data["papers"] for t in p["tags"]}


def test_bibtex_keeps_every_entry_whole(hostile_site):
    bibtexparser = pytest.importorskip("bibtexparser", reason="bibtexparser is in the test extra")
    library = bibtexparser.loads((hostile_site.out / "papers.bib").read_text(encoding="utf-8"))
    assert len(library.entries) == len(PAYLOADS) + 1  # one entry per paper, none injected
    assert "evil" not in {e["ID"] for e in library.entries}
    titles = " ".join(e["title"] for e in library.entries)
    assert "Braces" in titles and "onerror" in titles


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(hostile_site):
    handler = functools.partial(_Quiet, directory=str(hostile_site.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", hostile_site
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium[1]


def test_no_script_runs_on_any_page_in_chromium(served, browser):
    base, site = served
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # wide: the search box is in the header
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    urls = sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*.html"))
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("load")
        page.mouse.move(200, 200)
        page.keyboard.press("Tab")
        assert page.evaluate("window.__pwned") is None, url
    assert not dialogs, dialogs
    # Search renders titles and text of every page, tags included.
    page.goto(base + "index.html")
    page.click("input.md-search__input")
    page.keyboard.type("title")  # every hostile title shows in the results
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_timeout(500)  # results are drawn as the words arrive
    assert page.locator(".md-search-result__item").count() >= 1
    page.fill("input.md-search__input", "")
    page.keyboard.type("onerror")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__pwned") is None
    assert not dialogs, dialogs
    # What the reader sees is the text itself.
    page.goto(base + "topic%200/Note%200/index.html")
    assert page.locator("h1").first.inner_text() == "Title " + IMG
    assert ("tag" + IMG) in page.locator(".pd-tags").inner_text()
    page.close()

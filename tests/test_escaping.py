"""Every value from a note reaches the reader as text: a diary full of hostile values is built, every file of
the site is checked for its format, and headless Chromium opens every page and searches: no script runs."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import xml.dom.minidom
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Each one runs script if it reaches the page as markup, in text, in an attribute or in a <script>.
IMG = "<img src=x onerror=window.__pwned=1;alert(1)>"
SCRIPT = "</script><script>window.__pwned=2;alert(2)</script>"
DQ = '" onmouseover="window.__pwned=3" autofocus onfocus="window.__pwned=3'
SQ = "' onmouseover='window.__pwned=4' autofocus onfocus='window.__pwned=4"
PAYLOADS = (IMG, SCRIPT, DQ, SQ)


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
---

Body text pwned{i}.
"""
        notes[f"topic {i}/.pages"] = f"title: {_yaml('Topic ' + evil)}\n"
    notes["topic 0/From heading.md"] = f"# Heading {IMG}\n\nA heading that is HTML is text: pwnedheading.\n"
    notes["topic 0/index.md"] = f"---\ntitle: {_yaml('Index ' + SCRIPT)}\ndescription: {_yaml(DQ)}\n---\nIndex.\n"
    notes["about.md"] = f"---\ntitle: {_yaml('About ' + SQ)}\nsubtitle: {_yaml(IMG)}\nauthor: {_yaml(SCRIPT)}\n---\nAbout.\n"
    return notes


EXPECTED = (r"topic \d/Note \d\.md:4: tag ['\"]tag.* is not a word",)
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
            text = path.read_text(encoding="utf-8")
            for marker in ("<img src=x", "<script>window.__pwned", "onmouseover=\"window", "onmouseover='window",
                           "\" onmouseover=", "' onmouseover="):
                assert marker not in text, f"{path.relative_to(hostile_site.out)}: {marker}"
            checked += 1
        elif path.suffix == ".xml":
            xml.dom.minidom.parse(str(path))
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    assert checked >= 14  # home, about, 4 topics, 5 papers, tags index, tag pages, 404


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

"""The diary as a person sees it on an iPad: Debian's Chromium driven by Playwright, pages served on 127.0.0.1.

Screenshots of every page land in tests/artifacts/screenshots/ (look at them when you change the look).
Without Chromium these tests are skipped with the reason shown; .ci/run installs it.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from conftest import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
PAGES = {  # name -> URL under the site root
    "home": "",
    "paper": "LLM_reinforcement_learning/AbsoluteZeroReasoner/",
    "topic": "marl/",
    "tags": "tags/",
    "tag": "tags/self-play/",
    "highlights": "highlights/",
    "diary": "diary/",
    "map": "map/",
    "wide": "zz_wide/WideTable/",
}
WIDE_NOTE = """---
title: A note with a wide table and a long word
date: 2025-06-29
tags: [self-play]
---
Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongunbrokenword.

| method | env 1 | env 2 | env 3 | env 4 | env 5 | env 6 | env 7 | env 8 | env 9 | env 10 | env 11 | env 12 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
| a baseline with a long name | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 | 0.123456 |
"""

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (/usr/bin/chromium): "
                                                                 "apt-get install chromium to run the browser tests")


@pytest.fixture(scope="session")
def web(tmp_path_factory):
    """The repository's diary (plus a note with a wide table), built into <web>/paper-diary/."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    work = tmp_path_factory.mktemp("browser")
    docs = work / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "zz_wide").mkdir()
    (docs / "zz_wide" / "WideTable.md").write_text(WIDE_NOTE, encoding="utf-8")
    web = work / "web"
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(docs),
                         site_dir=str(web / "paper-diary"), site_url="http://127.0.0.1/paper-diary/")
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    return web


class Server:
    """A folder over HTTP on 127.0.0.1 (a secure context: service workers run), in a thread, until stopped."""

    def __init__(self, folder: Path):
        self.paths: list[str] = []  # every path asked for, in order: what reached the network
        handler = functools.partial(type("Handler", (_Quiet,), {"paths": self.paths}), directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.handle_error = lambda request, address: None  # a browser that leaves mid-file is no failure
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join()


@pytest.fixture(scope="session")
def served(web):
    """The site's root URL, served under /paper-diary/ as GitHub Pages serves a project site."""
    server = Server(web)
    yield f"{server.origin}/paper-diary/"
    server.stop()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self):
        self.paths.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser(chromium):
    return chromium


def context(browser, landscape=False, scheme="light", **extra):
    p, b = browser
    device = dict(p.devices["iPad Pro 11"])
    if landscape:
        w, h = device["viewport"]["width"], device["viewport"]["height"]
        device["viewport"] = {"width": h, "height": w}
        device["screen"] = {"width": h, "height": w}
    return b.new_context(**device, color_scheme=scheme, **extra)


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways(served, browser, landscape, scheme):
    ctx = context(browser, landscape, scheme)
    page = ctx.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide = []
    for name, url in PAGES.items():
        page.goto(served + url)  # its load event: the layout no longer changes (no web fonts)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wide.append((name, width))
        page.screenshot(path=str(SHOTS / f"ipad-{'landscape' if landscape else 'portrait'}-{scheme}-{name}.png"),
                        full_page=True, scale="css")
    ctx.close()
    assert not wide, f"pages wider than the screen: {wide}"


TARGETS_JS = """() => {
  // What a finger can hit: shown (opacity and visibility included), on screen, not transparent to taps.
  const bad = [];
  const selector = 'a[href], button, label[for], input:not([type=hidden]), summary, [role=button]';
  for (const el of document.querySelectorAll(['.md-header', '.md-content', '.md-footer', '.md-sidebar'].map(s => s + ' :is(' + selector + ')').join(', '))) {
    const style = getComputedStyle(el);
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true}) || style.pointerEvents === 'none') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0 || r.left >= innerWidth) continue;
    if (el.closest('[hidden], .md-search, .md-dialog, details:not([open]) > :not(summary), .md-tooltip2')) continue;
    // A link inside running text keeps its word's width (WCAG 2.5.8 allows it) but gets a 44 px tall hit area.
    const inline = style.display === 'inline' && el.closest('p, li, td, blockquote, dd');
    const ok = inline ? (r.height >= 44 && r.width >= 10) : (r.width >= 44 && r.height >= 44);
    if (!ok) bad.push([el.className || el.tagName, (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30), Math.round(r.width), Math.round(r.height)]);
  }
  // Nothing is shown only on hover: a section's link is there to tap.
  for (const el of document.querySelectorAll('.md-content .headerlink')) {
    if (getComputedStyle(el).opacity === '0') bad.push(['headerlink (shown only on hover)', el.getAttribute('href'), 0, 0]);
  }
  return bad;
}"""


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_links_chips_and_buttons_are_big_enough_to_touch(served, browser, landscape):
    ctx = context(browser, landscape)
    page = ctx.new_page()
    small = {}
    for name, url in PAGES.items():
        page.goto(served + url)  # its load event: the layout no longer changes (no web fonts)
        bad = page.evaluate(TARGETS_JS)
        if bad:
            small[name] = bad[:12]
    ctx.close()
    assert not small, f"touch targets under 44x44 CSS px: {small}"


@pytest.mark.parametrize("query, title", [
    ("Absolute Zero", "Absolute Zero: Reinforced Self-play Reasoning with Zero Data"),
    ("Kenneth Stanley", "Enhanced POET"),
    ("2003.08536", "Enhanced POET"),
    ("self-play", "Absolute Zero"),
])
def test_search_finds_a_paper_and_a_tap_opens_it(served, browser, query, title):
    ctx = context(browser)
    page = ctx.new_page()
    page.goto(served)
    page.wait_for_load_state("networkidle")
    page.tap("label.md-header__button[for='__search']")
    page.locator("input.md-search__input").press_sequentially(query, delay=20)  # Material listens to keys
    result = page.locator(".md-search-result__item a", has_text=title.split(":")[0]).first
    result.wait_for(timeout=15000)
    result.tap()
    page.wait_for_load_state("networkidle")
    assert title.split(":")[0] in page.locator("article h1").first.inner_text()
    ctx.close()


def test_tapping_a_tag_chip_and_a_lesson_link(served, browser):
    ctx = context(browser)
    page = ctx.new_page()
    page.goto(served + PAGES["paper"])
    page.tap(".pd-paper-header .pd-tag >> text=#self-play")
    page.wait_for_url(re.compile(r"/tags/self-play/$"))
    assert page.locator("article h1").inner_text() == "#self-play"
    page.goto(served + "highlights/")
    page.wait_for_selector("html[data-pd-papers=ready]")
    page.tap("#llm-self-play-for-reasoning .pd-highlight-source")
    # The first tap on a link to a paper shows its preview; the preview's button opens it.
    page.tap(".pd-preview .pd-preview-open")
    page.wait_for_url(re.compile(r"AbsoluteZeroReasoner/#lesson-llm-self-play-for-reasoning$"))
    lesson = page.locator("#lesson-llm-self-play-for-reasoning")
    assert lesson.is_visible() and lesson.bounding_box()["y"] < page.viewport_size["height"]
    ctx.close()


def test_link_preview_on_touch_and_not_for_the_mouse(served, browser):
    ctx = context(browser)
    page = ctx.new_page()
    page.goto(served + PAGES["paper"])
    page.wait_for_selector("html[data-pd-papers=ready]")  # a touch screen loads the papers at once
    link = page.locator(".pd-related-link").first
    target_title = link.inner_text()
    link.tap()
    card = page.locator(".pd-preview")
    card.wait_for()
    here = lambda: page.url.split("#")[0]  # noqa: E731 (Material tracks the section scrolled to in the hash)
    assert target_title in card.inner_text() and here().endswith(PAGES["paper"])
    link.tap()  # a second tap on the same link opens it
    page.wait_for_url(lambda url: not url.split("#")[0].endswith(PAGES["paper"]))
    assert page.locator(".pd-preview").count() == 0
    ctx.close()
    desktop = browser[1].new_context(viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.goto(served + PAGES["paper"])
    page.locator(".pd-related-link").first.click()  # the mouse opens at once
    page.wait_for_url(lambda url: not url.split("#")[0].endswith(PAGES["paper"]))
    assert page.locator(".pd-preview").count() == 0
    desktop.close()


def test_calendar_and_wide_tables_scroll_inside_their_box(served, browser):
    ctx = context(browser)
    page = ctx.new_page()
    page.set_viewport_size({"width": 600, "height": 900})  # narrower than the calendar
    for url, selector in (("diary/", ".pd-calendar .pd-scroll"), (PAGES["wide"], ".md-typeset__scrollwrap")):
        page.goto(served + url)
        page.wait_for_load_state("networkidle")
        box = page.evaluate(f"""() => {{ const b = document.querySelector('{selector}');
            return [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX,
                    document.documentElement.scrollWidth, window.innerWidth]; }}""")
        assert box[0] > box[1] and box[2] == "auto", (url, box)
        assert box[3] <= box[4], (url, box)
    ctx.close()


def test_reads_offline_after_the_first_visit(web, browser):
    """One visit keeps the whole diary; then, with the server stopped and the browser offline (no network at
    all, so nothing can come from anywhere but the cache), pages open and search finds and opens a paper."""
    from paper_diary.site import offline

    kept = offline.site_files(web / "paper-diary")
    server = Server(web)  # its own server: this test stops it
    served = f"{server.origin}/paper-diary/"
    ctx = context(browser)
    try:
        page = ctx.new_page()
        page.goto(served)
        assert page.locator('meta[name="apple-mobile-web-app-capable"][content="yes"]').count() == 1
        manifest = page.evaluate("() => fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
        assert manifest["display"] == "standalone" and manifest["icons"]
        # The worker activates once its install step has kept every file, then takes control of the page.
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60000)
        cached = page.evaluate("""async () => {
            const registration = await navigator.serviceWorker.ready;
            const names = (await caches.keys()).filter(name => name.startsWith('paper-diary-'));
            const cache = await caches.open(names[0]);
            return {scope: registration.scope, names, count: (await cache.keys()).length};
        }""")
        assert cached["scope"] == served
        assert len(cached["names"]) == 1 and cached["count"] == len(kept), (cached, len(kept))
        server.stop()
        ctx.set_offline(True)
        for url in ("marl/JaxMARL/", "highlights/", "tags/rlvr/"):
            page.goto(served + url)
            assert "pd-" in page.content() and page.locator("article h1").count() == 1, url
        page.tap("label.md-header__button[for='__search']")
        page.locator("input.md-search__input").press_sequentially("JaxMARL", delay=20)
        result = page.locator(".md-search-result__item a", has_text="JaxMARL").first
        result.wait_for(timeout=15000)
        result.tap()  # a search result opens at once: link previews are for links in a page's content
        page.wait_for_url(re.compile(r"/marl/JaxMARL/"), wait_until="commit")
        page.locator("article .pd-paper-header").wait_for()
    finally:
        ctx.close()
        server.stop()


def test_a_new_deploy_updates_the_offline_copy_fetching_only_what_changed(web, browser, tmp_path):
    """Deploy a site where one page changed: the worker updates itself and downloads that page alone (every
    other file is copied from the previous version's cache), and the reader then sees the new page."""
    from paper_diary.site import offline

    shutil.copytree(web, tmp_path / "web")
    site = tmp_path / "web" / "paper-diary"
    server = Server(tmp_path / "web")
    served = f"{server.origin}/paper-diary/"
    ctx = context(browser)
    try:
        page = ctx.new_page()
        page.goto(served)
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60000)
        names = page.evaluate("caches.keys()")
        changed = site / "marl" / "JaxMARL" / "index.html"
        changed.write_text(changed.read_text(encoding="utf-8").replace(
            "</article>", '<p id="pd-redeployed">Deployed again.</p></article>', 1), encoding="utf-8")
        (site / "sw.js").write_text(offline.service_worker(site), encoding="utf-8")
        del server.paths[:]
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        # The new version is active when its cache is the only one left (activation drops the older one).
        settled = """async (old) => {
            const names = (await caches.keys()).filter(n => n.startsWith('paper-diary-'));
            return names.length === 1 && !old.includes(names[0]);
        }"""
        deadline = time.monotonic() + 60
        while not page.evaluate(settled, names):  # evaluate awaits the promise; wait_for_function would not
            assert time.monotonic() < deadline, "the new deploy's worker never took over"
            page.wait_for_timeout(200)
        assert sorted(set(server.paths)) == ["/paper-diary/marl/JaxMARL/", "/paper-diary/sw.js"], server.paths
        server.stop()
        ctx.set_offline(True)
        page.goto(served + "marl/JaxMARL/")
        assert page.locator("#pd-redeployed").inner_text() == "Deployed again."
    finally:
        ctx.close()
        server.stop()


def test_no_request_leaves_the_site(served, browser):
    ctx = context(browser)
    page = ctx.new_page()
    origin = served.split("/paper-diary/")[0]
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    for url in PAGES.values():
        page.goto(served + url)
        page.wait_for_load_state("networkidle")
    page.tap("label.md-header__button[for='__search']")
    page.locator("input.md-search__input").press_sequentially("robot", delay=20)
    page.wait_for_timeout(1000)
    ctx.close()
    outside = sorted({u for u in requests if not u.startswith(origin) and not u.startswith("data:")})
    assert len(requests) > 20 and not outside, outside


BROKEN_WORDS_JS = """() => {
  // Every word of every table cell: a word whose letters sit on two lines was broken inside ("Pape / rs").
  const broken = [];
  for (const cell of document.querySelectorAll('.md-content :is(th, td)')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-\u2010\u2011\u2013\u2014]+/g)) {  // a hyphen may end a line
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push([cell.tagName, m[0]]);
      }
    }
  }
  return broken;
}"""


def test_no_word_in_a_table_breaks_inside_on_an_ipad_in_portrait(served, browser):
    ctx = context(browser)  # iPad Pro 11, portrait: the home page's topic table is at its narrowest
    page = ctx.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    broken = {}
    for name in ("home", "wide"):
        page.goto(served + PAGES[name])
        assert page.locator(".md-content :is(th, td)").count() > 0, name
        if found := page.evaluate(BROKEN_WORDS_JS):
            broken[name] = found[:10]
        page.locator(".md-content table").first.screenshot(path=str(SHOTS / f"ipad-portrait-table-{name}.png"))
    ctx.close()
    assert not broken, f"words broken inside in tables: {broken}"


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_a_tap_on_the_map_opens_a_card_and_its_link_the_paper(served, browser, landscape):
    """On the iPad: the whole map fits the screen; a tap on a point shows its card (controls 44 px), and the
    card's link opens the paper."""
    ctx = context(browser, landscape)
    page = ctx.new_page()
    page.goto(served + "map/")
    page.wait_for_selector("[data-pd-map=ready]")
    box = page.locator(".pd-map-svg").bounding_box()
    view = page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"] and box["height"] <= view["height"], box
    point = page.locator(".pd-map-paper[data-title^='Absolute Zero']")
    title = point.get_attribute("data-title")
    point.tap()
    card = page.locator(".pd-map-card")
    card.wait_for()
    assert card.locator(".pd-map-card-title").inner_text() == title
    assert "Cluster: " in card.inner_text() and card.locator(".pd-map-card-summary").inner_text()
    for control in (".pd-map-card-open", ".pd-map-card-close", ".pd-map-zoom-in", ".pd-map-reset"):
        b = page.locator(control).bounding_box()
        assert b["width"] >= 44 and b["height"] >= 44, (control, b)
    card_box = card.bounding_box()
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= view["width"], card_box
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ipad-{'landscape' if landscape else 'portrait'}-light-map-card.png"))
    page.tap(".pd-map-card-open")
    page.wait_for_url(re.compile(r"/AbsoluteZeroReasoner/$"))
    assert title.split(":")[0] in page.locator("article h1").first.inner_text()
    ctx.close()


def test_a_paper_page_links_to_its_place_on_the_map(served, browser):
    ctx = context(browser)
    page = ctx.new_page()
    page.goto(served + PAGES["paper"])
    cluster = page.locator(".pd-cluster-link").inner_text()
    page.tap(".pd-cluster-link")
    page.wait_for_url(re.compile(r"/map/#paper-[0-9a-f]+$"))
    page.wait_for_selector("[data-pd-map=ready]")
    page.reload()  # instant navigation, then a fresh load of the same address: both show the card
    card = page.locator(".pd-map-card")
    card.wait_for()
    assert "Absolute Zero" in card.inner_text() and cluster in card.inner_text()
    assert page.locator(".pd-map-paper.pd-map-current").count() == 1
    ctx.close()


def test_pinch_and_buttons_zoom_the_map_and_the_mouse_hovers(served, browser):
    ctx = context(browser)
    page = ctx.new_page()
    page.goto(served + "map/")
    page.wait_for_selector("[data-pd-map=ready]")
    svg = page.locator(".pd-map-svg")
    assert svg.get_attribute("viewBox") == "0 0 1000 1000"
    page.tap(".pd-map-zoom-in")
    zoomed = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert zoomed[2] < 1000 and zoomed[2] == zoomed[3]
    # Two fingers spreading apart (touch pointers, as Safari sends them): closer still.
    b = svg.bounding_box()
    cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    cdp = ctx.new_cdp_session(page)

    def touch(kind, spread):
        points = [] if kind == "touchEnd" else [{"x": cx - spread, "y": cy, "id": 1}, {"x": cx + spread, "y": cy, "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 40)
    for spread in range(50, 160, 10):
        touch("touchMove", spread)
    touch("touchEnd", 0)
    pinched = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert pinched[2] < zoomed[2] * 0.6, (zoomed, pinched)
    page.tap(".pd-map-reset")
    assert svg.get_attribute("viewBox") == "0.00 0.00 1000.00 1000.00"
    ctx.close()
    desktop = browser[1].new_context(viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.goto(served + "map/")
    page.wait_for_selector("[data-pd-map=ready]")
    point = page.locator(".pd-map-paper").first
    b = point.bounding_box()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    page.locator(".pd-map-card").wait_for()
    assert point.get_attribute("data-title") in page.locator(".pd-map-card").inner_text()
    desktop.close()


def test_the_home_page_map_and_the_reading_curve(served, browser):
    ctx = context(browser)
    page = ctx.new_page()
    page.goto(served)
    small = page.locator(".pd-home-map-link")
    assert small.locator("circle").count() == page.evaluate(
        "fetch('map.json').then(r => r.json()).then(d => d.papers.length)")
    small.tap()
    page.wait_for_url(re.compile(r"/map/$"))
    page.goto(served + "diary/")
    curve = page.locator(".pd-curve-svg")
    assert curve.is_visible() and curve.bounding_box()["width"] <= page.viewport_size["width"]
    assert "a day on average" in page.locator(".pd-curve-caption").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    curve.screenshot(path=str(SHOTS / "ipad-portrait-light-reading-curve.png"))
    ctx.close()

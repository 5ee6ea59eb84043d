"""The diary in a real browser, as read on an iPad: Debian's Chromium driven by Playwright, emulating an
iPad Pro 11 (touch) in portrait and landscape, light and dark, against a realistic diary built once per session
with the repository's own `mkdocs.yml` and `overrides/`, served on 127.0.0.1 under the site's subpath.

Touch targets (Apple's 44 pt): every visible link, button, chip and control of the header, the content and
the footer has a hit box (getBoundingClientRect, padding included: the browser hit-tests that box) of at
least 44x44 CSS px. One exception, WCAG 2.5.8's "inline" one: a link inside running text (display: inline,
in a block that holds other text) is as wide as its words, but its hit box must still be 44 px high; the
diary's CSS pads such links vertically, which overlaps the lines above and below and moves nothing.

Screenshots of every page, device and scheme go to tests/artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, Server, build

ARTIFACTS = Path(__file__).parent / "artifacts" / "screenshots"
VIEWS = [("portrait", "light"), ("portrait", "dark"), ("landscape", "light"), ("landscape", "dark")]
MIN_TARGET = 44


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("ipad")
    site_dir, subpath, made, config = build(root)
    return {"root": root, "site_dir": site_dir, "subpath": subpath, "notes": made, "config": config}


@pytest.fixture(scope="session")
def server(built):
    srv = Server(built["root"] / "www", built["subpath"])
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def playwright_browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium); none found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright for Python (pip install playwright); not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield p, browser
        browser.close()


def device(p, orientation: str) -> dict:
    name = "iPad Pro 11" if orientation == "portrait" else "iPad Pro 11 landscape"
    return dict(p.devices[name])


@pytest.fixture(scope="session")
def contexts(playwright_browser):
    """One browser context per (orientation, scheme), made when first asked for and reused."""
    p, browser = playwright_browser
    made = {}

    def get(orientation: str = "portrait", scheme: str = "light", **extra):
        key = (orientation, scheme)
        if extra:
            return browser.new_context(**device(p, orientation), color_scheme=scheme, **extra)
        if key not in made:
            made[key] = browser.new_context(**device(p, orientation), color_scheme=scheme,
                                            service_workers="block")
        return made[key]

    yield get
    for context in made.values():
        context.close()


@pytest.fixture
def page(contexts):
    pg = contexts("portrait", "light").new_page()
    yield pg
    pg.close()


def pages_to_check(built) -> dict[str, str]:
    """The pages every view is checked on: name -> site-relative URL."""
    notes = built["notes"]
    return {
        "home": "",
        "paper": notes[2].url,  # the one with the wide table
        "paper-long-title": notes[5].url,
        "paper-long-word": notes[7].url,
        "topic": "rl/",
        "tags": "tags/",
        "tag": "tags/jax/",
        "highlights": "highlights/",
        "diary": "diary/",
    }


PAGE_NAMES = ["home", "paper", "paper-long-title", "paper-long-word", "topic", "tags", "tag", "highlights", "diary"]


def open_page(contexts, server, built, name: str, orientation: str = "portrait", scheme: str = "light"):
    url = pages_to_check(built)[name]
    path = built["site_dir"] / url / "index.html"
    if not path.exists():
        pytest.skip(f"the diary builds no /{url} page yet: nothing to check there")
    pg = contexts(orientation, scheme).new_page()
    pg.goto(server.url(url))
    pg.wait_for_load_state("load")
    return pg


@pytest.mark.parametrize("orientation,scheme", VIEWS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_fits_the_screen(contexts, server, built, name, orientation, scheme):
    """No page scrolls sideways; a screenshot of each is kept to be looked at."""
    pg = open_page(contexts, server, built, name, orientation, scheme)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{name}-{orientation}-{scheme}.png"), full_page=True)
        width = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"/{pages_to_check(built)[name]} scrolls sideways: {width[0]} > {width[1]} px"
    finally:
        pg.close()


TARGETS_JS = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], ' +
                   '[role=button], [tabindex]:not([tabindex="-1"])';
  const scopes = document.querySelectorAll('.md-header, .md-content, .md-footer, .md-sidebar');
  const display = (el) => getComputedStyle(el).display;
  const found = [];
  for (const scope of scopes) {
    for (const el of scope.querySelectorAll(selector)) {
      if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // Off screen (a closed drawer, a collapsed search) is not a target.
      if (box.right <= 0 || box.left >= innerWidth) continue;
      let block = el.parentElement;
      while (block && display(block).startsWith('inline')) block = block.parentElement;
      const inText = display(el) === 'inline' && block &&
                     block.textContent.trim().length > el.textContent.trim().length;
      const heights = Array.from(el.getClientRects(), (r) => r.height);
      found.push({
        what: el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
              ' "' + (el.textContent || el.getAttribute('aria-label') || el.title || '').trim().slice(0, 40) + '"',
        width: Math.round(box.width * 10) / 10,
        height: Math.round(Math.min(...heights) * 10) / 10,
        inText,
      });
    }
  }
  return found;
}
"""


@pytest.mark.parametrize("orientation,scheme", [("portrait", "light"), ("landscape", "dark")])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_target_is_big_enough_to_touch(contexts, server, built, name, orientation, scheme):
    pg = open_page(contexts, server, built, name, orientation, scheme)
    try:
        targets = pg.evaluate(TARGETS_JS)
    finally:
        pg.close()
    assert len(targets) >= 5, "the page shows almost nothing to touch: the check would prove nothing"
    small = [t for t in targets
             if t["height"] < MIN_TARGET or (t["width"] < MIN_TARGET and not t["inText"])]
    assert not small, "too small to touch (CSS px):\n" + "\n".join(
        f"{t['width']}x{t['height']} {'(in text) ' if t['inText'] else ''}{t['what']}" for t in small)

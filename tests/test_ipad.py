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
    if not (site_dir / "papers.json").exists():
        write_stand_in_papers_json(site_dir, made)
    return {"root": root, "site_dir": site_dir, "subpath": subpath, "notes": made, "config": config}


def write_stand_in_papers_json(site_dir: Path, made) -> None:
    """STAND-IN, to delete once the site writes `/papers.json` itself: the same shape, from the generated
    notes, and the service worker rewritten so that it keeps this file too."""
    from browser import TOPICS
    from paper_diary import offline

    papers = [{"title": n.title, "url": n.url, "topic": n.topic, "topic_title": TOPICS[n.topic], "date": n.date,
               "tags": list(n.tags), "authors": list(n.authors), "arxiv": n.arxiv, "summary": n.summary,
               "highlights": []} for n in made]
    (site_dir / "papers.json").write_text(json.dumps({"papers": papers, "stats": {"papers": len(papers)}}),
                                          encoding="utf-8")
    offline.write_service_worker(site_dir)


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
    tabs = {}

    def tab(orientation: str, scheme: str):
        """One page per view, reused from test to test: the layout tests only open pages and look."""
        if (orientation, scheme) not in tabs:
            tabs[orientation, scheme] = get(orientation, scheme).new_page()
        return tabs[orientation, scheme]

    def get(orientation: str = "portrait", scheme: str = "light", **extra):
        key = (orientation, scheme)
        if extra:
            return browser.new_context(**device(p, orientation), color_scheme=scheme, **extra)
        if key not in made:
            made[key] = browser.new_context(**device(p, orientation), color_scheme=scheme,
                                            service_workers="block")
        return made[key]

    get.tab = tab
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
        "paper": notes[2].url,  # the one with a long title, a wide table, a long line of code, a long word
        "topic": "rl/",
        "tags": "tags/",
        "tag": "tags/jax/",
        "highlights": "highlights/",
        "diary": "diary/",
    }


PAGE_NAMES = ["home", "paper", "topic", "tags", "tag", "highlights", "diary"]


def open_page(contexts, server, built, name: str, orientation: str = "portrait", scheme: str = "light"):
    url = pages_to_check(built)[name]
    path = built["site_dir"] / url / "index.html"
    if not path.exists():
        pytest.skip(f"the diary builds no /{url} page yet: nothing to check there")
    pg = contexts.tab(orientation, scheme)
    pg.goto(server.url(url))
    return pg


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
      if (getComputedStyle(el).pointerEvents === 'none') continue;  // a tap goes through it: not a target
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


def small_targets(targets: list[dict]) -> list[str]:
    return [f"{t['width']}x{t['height']} {'(in text) ' if t['inText'] else ''}{t['what']}" for t in targets
            if t["height"] < MIN_TARGET or (t["width"] < MIN_TARGET and not t["inText"])]


@pytest.mark.parametrize("orientation,scheme", VIEWS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_fits_the_screen_and_the_finger(contexts, server, built, name, orientation, scheme):
    """No page scrolls sideways; every target is big enough to touch; a screenshot of each is kept."""
    pg = open_page(contexts, server, built, name, orientation, scheme)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}-{orientation}-{scheme}.png"), full_page=True, scale="css")
    width, inner = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    targets = pg.evaluate(TARGETS_JS)
    url = "/" + pages_to_check(built)[name]
    assert width <= inner, f"{url} scrolls sideways: {width} > {inner} px"
    assert len(targets) >= 5, f"{url} shows almost nothing to touch: the check would prove nothing"
    small = small_targets(targets)
    assert not small, f"too small to touch on {url} (CSS px):\n" + "\n".join(small)


# Behaviour, on an iPad in portrait (touch): search, chips, tables, previews.

def open_search(pg, query: str) -> None:
    toggle = pg.locator('label.md-header__button[for="__search"]')
    if toggle.is_visible():
        toggle.tap()
    field = pg.locator("input.md-search__input")
    field.tap()
    field.fill("")
    pg.keyboard.type(query)  # keys, as a person types: Material's search listens to them


def search_and_open(pg, query: str, url: str) -> None:
    open_search(pg, query)
    hit = pg.locator(f'.md-search-result__item a.md-search-result__link[href*="{url}"]').first
    hit.wait_for(state="visible", timeout=15000)
    hit.tap()
    # Instant navigation changes the URL without a load event; search adds ?h=<the words found>.
    pg.wait_for_url(re.compile(re.escape(url) + r"(\?[^#]*)?(#.*)?$"), wait_until="commit")
    pg.locator("article h1").wait_for()


def test_search_finds_a_paper_by_title_author_arxiv_and_tag_and_a_tap_opens_it(contexts, server, built):
    notes = built["notes"]
    tagged = next(n for n in notes if "open-endedness" in n.tags and "Open" not in n.title)
    searches = [
        ("title", notes[0], notes[0].title.split(":")[0]),  # "JaxMARL 0"
        ("author", notes[7], "Rocktäschel"),
        ("arXiv id", notes[11], notes[11].arxiv),
        ("tag", tagged, "open-endedness"),
    ]
    pg = contexts().new_page()
    try:
        pg.goto(server.url(""))
        for how, note, query in searches:  # one after another, as a reader does, through instant navigation
            search_and_open(pg, query, note.url)
            assert pg.locator("article h1").inner_text() == note.title, f"search by {how}: {query!r}"
    finally:
        pg.close()


def test_tapping_a_tag_chip_opens_its_tag_page(page, server, built):
    note = built["notes"][4]
    page.goto(server.url(note.url))
    page.locator(".pd-paper-header a.pd-tag", has_text=f"#{note.tags[-1]}").tap()
    page.wait_for_url(re.compile(r"/tags/[a-z-]+/$"))
    assert page.locator("article h1").inner_text() == f"#{note.tags[-1]}"
    assert page.locator("article a.pd-paper-link", has_text=note.title).count() == 1


def test_wide_table_scrolls_inside_its_box(page, server, built):
    page.goto(server.url(built["notes"][2].url))
    box = page.locator("article table").first
    sizes = box.evaluate("""t => {
        const wrap = t.closest('.md-typeset__scrollwrap, .md-typeset__table') || t.parentElement;
        const scroller = [t, ...(function* () { for (let e = t.parentElement; e; e = e.parentElement) yield e; })()]
            .find(e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX !== 'visible');
        return {found: !!scroller, inside: scroller ? scroller.closest('article') !== null : false,
                page: document.documentElement.scrollWidth, inner: innerWidth};
    }""")
    assert sizes["found"] and sizes["inside"], "the wide table does not scroll in a box of its own"
    assert sizes["page"] <= sizes["inner"]


# Link previews: a tap shows a card, a second tap or the card's button opens the paper; mouse and keys unchanged.

def note_link(pg, note):
    return pg.locator("article p a:not([class])", has_text=note.title)


def test_a_tap_on_a_link_to_a_paper_shows_a_preview_then_opens_it(page, server, built):
    notes = built["notes"]
    page.goto(server.url(notes[0].url))
    target = notes[1]
    note_link(page, target).tap()
    card = page.locator(".pd-preview")
    card.wait_for(state="visible")
    assert page.url == server.url(notes[0].url), "the first tap must not leave the page"
    text = card.inner_text()
    assert target.title in text and target.summary in text and target.date in text
    assert all(f"#{tag}" in text for tag in target.tags)
    note_link(page, target).tap()  # a second tap opens it
    page.wait_for_url(server.url(target.url))
    assert page.locator("article h1").inner_text() == target.title
    assert page.locator(".pd-preview").count() == 0
    # On the page reached by instant navigation, the card's button opens the next paper.
    following = notes[2]
    note_link(page, following).tap()
    page.locator(".pd-preview .pd-preview__open").tap()
    page.wait_for_url(server.url(following.url))
    assert page.locator("article h1").inner_text() == following.title


def test_mouse_and_keyboard_open_a_link_at_once(playwright_browser, server, built):
    p, browser = playwright_browser
    notes = built["notes"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        pg = context.new_page()
        pg.goto(server.url(notes[0].url))
        note_link(pg, notes[1]).click()
        pg.wait_for_url(server.url(notes[1].url))
        assert pg.locator(".pd-preview").count() == 0
        note_link(pg, notes[2]).focus()
        pg.keyboard.press("Enter")
        pg.wait_for_url(server.url(notes[2].url))
        assert pg.locator(".pd-preview").count() == 0
    finally:
        context.close()


# Privacy: no request leaves the site's origin.

def test_no_request_leaves_the_site(playwright_browser, server, built):
    p, browser = playwright_browser
    context = browser.new_context(**device(p, "portrait"), service_workers="block")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        pg = context.new_page()
        notes = built["notes"]
        for url in ("", notes[2].url, "tags/jax/", "rl/"):
            pg.goto(server.url(url))
            pg.wait_for_load_state("networkidle")
        search_and_open(pg, notes[0].title.split(":")[0], notes[0].url)
        pg.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert len(requests) > 10, "the visit made almost no request: nothing was checked"
    foreign = sorted({url for url in requests if not url.startswith(server.origin + "/")
                      and not url.startswith(("data:", "blob:"))})
    assert not foreign, "requests to other origins:\n" + "\n".join(foreign)


# Offline: after one visit the whole diary is kept; with no network, pages open and search works.

def test_after_one_visit_the_diary_reads_offline(playwright_browser, built):
    from paper_diary import offline

    p, browser = playwright_browser
    notes = built["notes"]
    kept = offline.site_files(built["site_dir"])
    manifest = json.loads((built["site_dir"] / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["display"] == "standalone" and manifest["start_url"] == "./"
    own = Server(built["root"] / "www", built["subpath"])  # its own server: this test stops it
    context = browser.new_context(**device(p, "portrait"), service_workers="allow")
    try:
        pg = context.new_page()
        pg.goto(own.url(""))
        assert pg.locator('link[rel="manifest"]').count() == 1
        assert pg.locator('meta[name="apple-mobile-web-app-capable"][content="yes"]').count() == 1
        for icon in manifest["icons"]:
            assert (built["site_dir"] / icon["src"]).is_file(), icon["src"]
        # The worker activates once its install step has kept every file, then takes control of the page.
        pg.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60000)
        cached = pg.evaluate("""async () => {
            const registration = await navigator.serviceWorker.ready;
            const names = (await caches.keys()).filter(name => name.startsWith('paper-diary-'));
            const cache = await caches.open(names[0]);
            return {scope: registration.scope, names, count: (await cache.keys()).length};
        }""")
        assert cached["scope"] == own.url("")
        assert len(cached["names"]) == 1 and cached["count"] == len(kept), cached
        own.stop()
        context.set_offline(True)
        for note in (notes[3], notes[8], notes[13]):
            pg.goto(own.url(note.url))
            assert pg.locator("article h1").inner_text() == note.title
        pg.goto(own.url("tags/jax/"))
        assert pg.locator("article a.pd-paper-link").count() == sum("jax" in n.tags for n in notes)
        search_and_open(pg, notes[0].title.split(":")[0], notes[0].url)
        assert pg.locator("article h1").inner_text() == notes[0].title
    finally:
        context.close()
        own.stop()

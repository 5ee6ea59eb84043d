"""The map's cluster names as a person sees them: Debian's Chromium, on an iPad (portrait and landscape) and on a
phone, over a diary of 120 notes in six topic folders written in three styles (tests/map_corpus.py).

On first view no two names overlap (nor the zoom buttons), each is written at a size one can read (13 px at least) inside the map, and
the largest clusters are named; zooming in shows names that had no room. Screenshots land in
tests/artifacts/screenshots/ (look at them when the map changes).
"""

from __future__ import annotations

import shutil

import pytest

import map_corpus
from conftest import CHROMIUM
from test_browser import ROOT, SHOTS, Server, browser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (/usr/bin/chromium): "
                                                                 "apt-get install chromium to run the browser tests")

DEVICES = {  # name -> (Playwright device, landscape)
    "ipad-portrait": ("iPad Pro 11", False),
    "ipad-landscape": ("iPad Pro 11", True),
    "phone": ("Pixel 5", False),
}


@pytest.fixture(scope="module")
def map_site(tmp_path_factory):
    """The corpus built with the repository's mkdocs.yml (its theme, map.js and diary.css), served over HTTP."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    work = tmp_path_factory.mktemp("browser-map")
    docs = work / "docs"
    for path, text in {**map_corpus.notes(20), "index.md": "# Reading\n\nWhat I read.\n"}.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    site = work / "web" / "paper-diary"
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site),
                         site_url="http://127.0.0.1/paper-diary/")
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    server = Server(work / "web")
    yield f"{server.origin}/paper-diary/map/"
    server.stop()
    shutil.rmtree(work, ignore_errors=True)


def open_map(browser, url, device, landscape):
    p, b = browser
    settings = dict(p.devices[device])
    if landscape:
        w, h = settings["viewport"]["width"], settings["viewport"]["height"]
        settings["viewport"] = {"width": h, "height": w}
        settings["screen"] = {"width": h, "height": w}
    ctx = b.new_context(**settings)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector("[data-pd-map=ready]")
    return ctx, page


NAMES = """() => {
  const svg = document.querySelector('.pd-map-svg').getBoundingClientRect();
  return [...document.querySelectorAll('.pd-map-cluster-name')].map(el => {
    const r = el.getBoundingClientRect();
    return {text: el.textContent, shown: getComputedStyle(el).visibility !== 'hidden',
            font: r.height ? parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a : 0,
            l: r.left, r: r.right, t: r.top, b: r.bottom,
            inside: r.left >= svg.left - 1 && r.right <= svg.right + 1 && r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1};
  });
}"""


CONTROLS = """() => {
  const r = document.querySelector('.pd-map-controls').getBoundingClientRect();
  return {text: 'the zoom buttons', shown: true, l: r.left, r: r.right, t: r.top, b: r.bottom};
}"""


def overlapping(names, controls=None):
    """Pairs of shown names (or a name and the zoom buttons) whose boxes overlap."""
    shown = [n for n in names if n["shown"]] + ([controls] if controls else [])
    return [(a["text"], b["text"]) for i, a in enumerate(shown) for b in shown[i + 1:]
            if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]]


@pytest.mark.parametrize("name", DEVICES)
def test_cluster_names_never_overlap_and_can_be_read(map_site, browser, name):
    device, landscape = DEVICES[name]
    ctx, page = open_map(browser, map_site, device, landscape)
    try:
        names = page.evaluate(NAMES)
        page.locator(".pd-map-frame").screenshot(path=str(SHOTS / f"map-names-{name}.png"))
        shown = [n for n in names if n["shown"]]
        assert len(names) >= 4, names  # the corpus' topics make clusters worth naming
        controls = page.evaluate(CONTROLS)
        assert not overlapping(names, controls), overlapping(names, controls)
        assert len(shown) >= min(4, len(names)), [n["text"] for n in names]
        for n in shown:
            assert n["inside"], n
            assert n["font"] >= 12.5, n  # px on screen
        # Zoomed in, names that had no room come back, and still none overlaps.
        for _ in range(2):
            page.tap(".pd-map-zoom-in")
        zoomed = page.evaluate(NAMES)
        assert not overlapping(zoomed, controls), overlapping(zoomed, controls)
        assert all(n["font"] >= 12.5 for n in zoomed if n["shown"])
        page.locator(".pd-map-frame").screenshot(path=str(SHOTS / f"map-names-{name}-zoomed.png"))
    finally:
        ctx.close()

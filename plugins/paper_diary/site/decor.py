"""A page's math and Mermaid diagrams, once Python-Markdown has made its HTML (see mathtex.py for the tokens).

`PageDecor.content` typesets the page's formulas, puts a diagram's block in place of each ```` ```mermaid ````
fence, and adds what the page then needs to load (KaTeX's style sheet and fonts; Mermaid and diagrams.js): only a
page with math or a diagram loads anything more. `write_assets` copies those files into the site, under
`assets/paper-diary/`, when some page used them; the offline worker keeps them with the rest of the site.

Pure: imports no MkDocs.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import jinja2

from paper_diary.model import relative_url
from paper_diary.reading import mathtex

ASSETS = Path(__file__).parent / "assets"  # our own: math.css, diagrams.js, diagrams.css
VENDOR = Path(__file__).parents[1] / "vendor"  # KaTeX and Mermaid as they came (vendor/VENDORED.md)
SITE_FOLDER = "assets/paper-diary"
MATH_FILES = ["katex/katex.min.css", "katex/LICENSE", "math.css"] + sorted(
    "katex/fonts/" + p.name for p in (VENDOR / "katex" / "fonts").glob("*.woff2"))
DIAGRAM_FILES = ["mermaid/mermaid.min.js", "mermaid/LICENSE", "diagrams.js", "diagrams.css"]


class PageDecor:
    """Math and diagrams for one build's pages. `warn(message)` reports a formula that cannot be typeset."""

    def __init__(self, env: jinja2.Environment, warn: Callable[[str], None], memo=None) -> None:
        self.env = env
        self.warn = warn
        self.typesetter = mathtex.Typesetter(memo=memo)
        self.texts: dict[str, str] = {}  # src_uri -> the page's HTML with TeX for its formulas (for search)
        self.math = self.diagrams = False  # whether some page of this build has them

    def content(self, html: str, src_uri: str, page_url: str, source: Callable[[], tuple[str, int]]) -> str:
        """The page's HTML with its formulas typeset and its diagrams' blocks; `source()` gives the note's text
        and the line it starts at, read only to report a formula that cannot be typeset."""
        self.texts.pop(src_uri, None)
        if "pdmath" not in html and "pddiagram" not in html:
            return html
        template = self.env.get_template("paper_diary/diagram.html")
        done = self.typesetter.page(html, lambda text: template.render(source=text))
        if done.errors:
            text, first_line = source()
            for tex, why in done.errors:
                line = first_line - 1 + mathtex.line_of(text, tex)
                self.warn(f"{src_uri}:{line}: this formula cannot be typeset ({why}): {_short(tex)}; the page shows "
                          "its source as code: correct the TeX (KaTeX's functions: https://katex.org/docs/"
                          "supported), or write it as code if it is not math")
        if done.text != done.html:
            self.texts[src_uri] = done.text
        self.math |= done.math
        self.diagrams |= done.diagrams
        if not (done.math or done.diagrams):
            return done.html
        base = relative_url(page_url, SITE_FOLDER + "/")
        base = base if base.endswith("/") else base + "/"
        assets = self.env.get_template("paper_diary/page_assets.html").render(
            base=base, math=done.math, diagrams=done.diagrams)
        return done.html + "\n" + assets.strip()

    def text(self, src_uri: str) -> str | None:
        """The page's HTML with its formulas as TeX (what search reads), when it has any."""
        return self.texts.get(src_uri)

    def write_assets(self, site_dir: str | Path) -> None:
        """Copy into the site what this build's pages load (written anew: see inplace.py)."""
        wanted = (MATH_FILES if self.math else []) + (DIAGRAM_FILES if self.diagrams else [])
        for name in wanted:
            target = Path(site_dir) / SITE_FOLDER / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile((VENDOR if name.startswith(("katex/", "mermaid/")) else ASSETS) / name, target)


def _short(tex: str) -> str:
    tex = " ".join(tex.split())
    return tex if len(tex) <= 80 else tex[:77] + "..."


def as_text(title: str | None) -> str | None:
    """A title (or HTML) with its tokens' formulas as TeX: a page's title comes from its first heading."""
    return mathtex.tokens_as_text(title) if title and ("pdmath" in title or "pddiagram" in title) else title


anchor_id = mathtex.anchor_id  # a toc entry's id, as the page writes a heading's id with a formula in it

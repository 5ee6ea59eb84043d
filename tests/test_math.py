"""Math typeset at build time, and Mermaid diagrams: real builds of notes written as people write them."""

from __future__ import annotations

import html
import json
import re

import pytest

from conftest import build_site, check_warnings, write_site
from paper_diary.reading import blocks, mathtex, obsidian

KATEX = '<span class="katex">'
DISPLAY = '<span class="katex-display">'

# A phone-written note: no front matter, `## Title` first, math in every place people put it.
RL_NOTE = r"""## Learning from Demos with RL

Date read: 3rd March 2024

Loss is \(\mathcal{L}_{\text{demo}}\) plus the RL term, weighted by $\lambda(t)$ which decays.
costs about $5 and $10 per run on spot instances, and \$3 for storage

Key ideas:
- total loss
  $$\mathcal{L}_{\text{RL}} + \lambda(t)\,\mathcal{L}_{\text{demo}}$$
- policy gradient with $\nabla_\theta \log \pi_\theta(a_t \mid s_t)$ and baseline $b(s_t)$
- display with brackets: \[ \hat{A}_t = \sum_{l=0}^{\infty} (\gamma\lambda)^l \delta_{t+l} \]

> [!note] Why it works
> the demo term $\mathcal{L}_{\text{demo}}$ keeps $\pi$ near the expert early
>
> $$D_{\mathrm{KL}}(\pi \| \pi_E) \le \epsilon$$

> quote from the paper: "we set $\gamma = 0.99$"

| symbol | meaning |
| --- | --- |
| $\gamma$ | discount |
| $x_i * y_i$ | product, not emphasis |

```math
\begin{aligned}
  J(\theta) &= \mathbb{E}_{\tau \sim \pi_\theta}\left[\sum_{t=0}^{T} \gamma^t r_t\right] \\
  &\approx \frac{1}{N}\sum_{i=1}^{N} R(\tau_i)
\end{aligned}
```

code stays code: `$x$ and \(y\)`

```python
cost = "$5"  # $not math$
```

#rl #imitation
"""


def visible_text(fragment: str) -> str:
    """What a reader sees as text: tags out, KaTeX's MathML copy (for screen readers) out, code out."""
    fragment = re.sub(r'<span class="katex-mathml">.*?</math></span>', "", fragment, flags=re.S)
    fragment = re.sub(r"<(pre|code)\b.*?</\1>", "", fragment, flags=re.S)
    fragment = re.sub(r"<script\b.*?</script>", "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def rl_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("math")
    write_site(root, {
        "rl/Demos.md": RL_NOTE,
        "rl/Plain note.md": "## A note without math\n\nJust words, and $5 and $10.\n",
        "rl/Flow.md": """\
            ## World models

            The loop:

            ```mermaid
            graph LR
              Env -->|obs| Model
              Model -->|action| Env
            ```

            and a broken one

            ```mermaid
            graph LR
              A -->|oops B
              this is not mermaid ((
            ```
            """,
    }, {"theme": {"name": "material", "font": False}})  # as the diary's mkdocs.yml: no web fonts
    site = build_site(root)
    check_warnings(site)
    return site


def test_every_math_form_is_typeset_in_place(rl_site):
    page = rl_site.content("rl/Demos/")
    # inline \( \) and $ $ in a paragraph
    para = re.search(r"<p>Loss is (.*?)</p>", page, re.S).group(1)
    assert para.count(KATEX) == 2 and "\\(" not in visible_text(para)
    # display $$ inside a list item: typeset, not parsed as Markdown
    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    assert DISPLAY in items[0] and "<em" not in items[0]
    assert items[1].count(KATEX) == 2
    assert DISPLAY in items[2]  # \[ \] in a list item
    # a callout (admonition) with inline and display math; a plain quote
    callout = re.search(r'<div class="admonition note">(.*?)</div>', page, re.S).group(1)
    assert KATEX in callout and DISPLAY in callout
    assert KATEX in re.search(r"<blockquote>(.*?)</blockquote>", page, re.S).group(1)
    # a table's cells, `*` inside a formula is no emphasis
    table = re.search(r"<table>(.*?)</table>", page, re.S).group(1)
    assert table.count(KATEX) == 2 and "<em>" not in table
    # ```math fence with an aligned environment
    assert page.count(DISPLAY) == 4  # list item, list item, callout, ```math
    assert "katex-html" in page and "<math" in page  # HTML to see, MathML to read aloud


def test_no_tex_delimiters_left_in_what_the_reader_sees(rl_site):
    text = visible_text(rl_site.content("rl/Demos/"))
    for left in ("\\(", "\\)", "\\[", "\\]", "$$", "\\mathcal", "\\lambda", "\\begin{aligned}"):
        assert left not in text, left
    assert "$5 and $10 per run" in text  # money stays money
    assert "and $3 for storage" in text  # \$ is a dollar sign
    assert "pdmath" not in rl_site.html("rl/Demos/")


def test_code_is_never_math(rl_site):
    page = rl_site.content("rl/Demos/")
    assert "<code>$x$ and \\(y\\)</code>" in page
    assert "$not math$" in page


def test_markdown_never_reaches_inside_a_formula():
    note = ("## Note\n\n$a_{t}^{*} = \\arg\\max_a Q^{*}(s, a)$ and $p_{\\text{data}}$ with _emphasis_\n\n"
            "$\\{x\\}_{i}$ {: .cls } and \"quotes\" $[[Not a link]]$ $x \\#tag$\n")
    written = blocks.normalise(note)
    assert "_emphasis_" in written and "arg" not in written  # the formulas are tokens
    assert obsidian.strip_code(note).count("[[") == 0  # the Obsidian pass sees no wikilink inside math
    spans = mathtex.spans(note)
    assert [s.tex for s in spans][0] == "a_{t}^{*} = \\arg\\max_a Q^{*}(s, a)"


def test_math_does_not_become_tags_or_links(tmp_path):
    write_site(tmp_path, {"rl/Note.md": "## Note\n\nWe need $x \\#1$ and $[[Missing]]$ here. #real-tag\n"})
    site = build_site(tmp_path, strict=True)
    check_warnings(site)  # no 'no note named Missing' warning
    page = site.content("rl/Note/")
    assert 'pd-inline-tag">#real-tag' in page and "pd-inline-tag\">#1" not in page
    assert page.count(KATEX) == 2


def test_a_callouts_title_typesets_its_formula(tmp_path):
    write_site(tmp_path, {"rl/Note.md": "## Note\n\n> [!tip] Why $\\gamma < 1$ matters\n> it bounds the return\n"})
    site = build_site(tmp_path, strict=True)
    check_warnings(site)
    title = re.search(r'<p class="admonition-title">(.*?)</p>', site.content("rl/Note/"), re.S).group(1)
    assert title.startswith("Why ") and title.endswith(" matters") and KATEX in title and "$" not in title
    assert "pdmath" not in site.html("rl/Note/")


def test_dollar_rules_as_github():
    def tex(text):
        return [(s.tex, s.display) for s in mathtex.spans(text)]
    assert tex("$5 and $10") == []
    assert tex("costs \\$5, or $x$") == [("x", False)]
    assert tex("$ x$ and $x $") == []  # a space after the opener, before the closer
    assert tex("$x$5") == []  # a closer before a digit closes nothing
    assert tex("$$\\sum_i x_i$$") == [("\\sum_i x_i", True)]
    assert tex("`$x$` $y$") == [("y", False)]
    assert tex("\\(a\\) and \\[b\\]") == [("a", False), ("b", True)]
    assert tex("$a\n\nb$") == []  # never across paragraphs
    assert tex("as shown in \\[1\\] and \\[2, 5-7\\]") == []  # a citation's escaped brackets


def test_plain_text_keeps_tex_without_delimiters(tmp_path):
    write_site(tmp_path, {"rl/Loss.md": """\
        ---
        title: 'Why $\\mathcal{L}_{\\text{demo}}$ helps'
        summary: Adds $\\lambda(t)\\,\\mathcal{L}_{\\text{demo}}$ to the RL loss
        date: 2024-03-03
        ---
        ## Notes

        Body with $x^2$.
        """})
    site = build_site(tmp_path)
    check_warnings(site)
    page = site.html("rl/Loss/")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert html.unescape(title).startswith("Why \\mathcal{L}_{\\text{demo}} helps")
    feed = (site.out / "feed.xml").read_text()
    assert "Adds \\lambda(t)\\,\\mathcal{L}_{\\text{demo}} to the RL loss" in feed and "katex" not in feed
    papers = json.loads((site.out / "papers.json").read_text())
    assert "$" not in json.dumps(papers)
    index = json.loads((site.out / "search" / "search_index.json").read_text())
    texts = " ".join(d["text"] + d["title"] for d in index["docs"])
    assert "katex" not in texts and "<math" not in texts


def test_search_reads_formulas_as_tex(tmp_path):
    write_site(tmp_path, {"about.md": "# About\n\nThe loss $\\mathcal{L}_{\\text{demo}}$ is small.\n"})
    site = build_site(tmp_path)
    check_warnings(site)
    index = json.loads((site.out / "search" / "search_index.json").read_text())
    about = [d for d in index["docs"] if d["location"].startswith("about/")]
    text = " ".join(d["text"] for d in about)
    assert "\\mathcal{L}_{\\text{demo}}" in html.unescape(text) and "katex" not in text
    assert KATEX in site.content("about/")  # a page that is no paper gets math too


def test_a_formula_that_does_not_parse_is_reported_and_shown_as_code(tmp_path):
    note = "## Broken\n\nfine $x$\n\nthe loss $\\frac{a}{b$ is wrong\n"
    write_site(tmp_path, {"rl/Broken.md": note})
    site = build_site(tmp_path)
    check_warnings(site, r"rl/Broken\.md:5: this formula cannot be typeset .*\\frac\{a\}\{b")
    page = site.content("rl/Broken/")
    assert '<code class="pd-math-error" title="Not typeset:' in page and "$\\frac{a}{b$</code>" in page
    assert page.count(KATEX) == 1
    with pytest.raises(Exception):  # --strict fails the build
        build_site(tmp_path, strict=True)


def test_diagram_is_drawn_by_the_sites_own_mermaid(rl_site):
    page = rl_site.content("rl/Flow/")
    assert page.count('<div class="pd-diagram">') == 2
    assert "Env --&gt;|obs| Model" in page  # the source, for Mermaid (and shown without script)
    assert '<script src="../../assets/paper-diary/mermaid/mermaid.min.js"></script>' in page
    assert '<script src="../../assets/paper-diary/diagrams.js"></script>' in page
    assert "katex.min.css" not in page  # no math here: KaTeX is not loaded
    assert (rl_site.out / "assets/paper-diary/mermaid/mermaid.min.js").stat().st_size > 1_000_000
    assert (rl_site.out / "assets/paper-diary/mermaid/LICENSE").is_file()
    assert '<pre class="mermaid"' not in page and "language-mermaid" not in page  # Material never sees it


def test_math_pages_load_katex_and_pages_without_load_nothing_more(rl_site):
    math_page = rl_site.html("rl/Demos/")
    assert '<link rel="stylesheet" href="../../assets/paper-diary/katex/katex.min.css">' in math_page
    assert "mermaid" not in math_page
    plain = rl_site.html("rl/Plain note/")
    home = rl_site.html("")
    for page in (plain, home):
        assert "paper-diary/katex" not in page and "mermaid" not in page and "diagrams.js" not in page
    css = (rl_site.out / "assets/paper-diary/katex/katex.min.css").read_text()
    for font in re.findall(r"url\((fonts/[^)]+)\)", css):
        assert (rl_site.out / "assets/paper-diary/katex" / font).is_file(), font


def test_the_offline_worker_keeps_math_and_diagram_files(rl_site):
    worker = (rl_site.out / "sw.js").read_text()
    files = json.loads(re.search(r"const PD_FILES = (\{.*?\});", worker).group(1))
    assert "assets/paper-diary/katex/katex.min.css" in files
    assert "assets/paper-diary/katex/fonts/KaTeX_Main-Regular.woff2" in files
    assert "assets/paper-diary/mermaid/mermaid.min.js" in files


def test_nothing_is_loaded_from_another_host(rl_site):
    for path in rl_site.out.rglob("*"):
        if path.suffix not in (".html", ".css"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for address in re.findall(r'<script[^>]*\ssrc="([^"]+)"', text) + \
                re.findall(r'<link[^>]*\shref="([^"]+)"', text):
            assert not re.match(r"(https?:)?//", address) or address.startswith("https://example.org/"), \
                (path, address)
        for face in re.findall(r"@font-face\s*\{[^}]*\}", text):
            assert not re.search(r"url\((['\"]?)(https?:)?//", face), (path, face)


def test_sites_with_arithmatex_configured_get_typeset_math(tmp_path):
    config = {"markdown_extensions": ["toc", "attr_list", {"pymdownx.arithmatex": {"generic": True}}]}
    write_site(tmp_path, {"rl/Note.md": "## Note\n\n- loss\n  $$\\mathcal{L}_{\\text{RL}} + "
                                        "\\lambda(t)\\,\\mathcal{L}_{\\text{demo}}$$\n"}, config)
    site = build_site(tmp_path)
    check_warnings(site)
    page = site.content("rl/Note/")
    assert DISPLAY in page and "arithmatex" not in page and "<em" not in page


def test_repeat_formulas_are_typeset_once():
    calls = []

    def engine(tex, display):
        calls.append(tex)
        return f"<b>{tex}</b>"

    typesetter = mathtex.Typesetter(engine=engine)
    written = blocks.normalise("$\\alpha_{unique}$ and $\\alpha_{unique}$\n")
    page = typesetter.page(f"<p>{written.strip()}</p>", lambda source: "")
    assert page.html.count("<b>") == 2
    typesetter.page(f"<p>{written.strip()}</p>", lambda source: "")
    assert calls.count("\\alpha_{unique}") <= 1


def test_a_heading_with_math_is_typeset_and_its_anchor_reads_like_githubs(tmp_path):
    write_site(tmp_path, {
        "rl/PPO.md": "## PPO\n\n## The clipped objective $L^{\\text{CLIP}}$\n\nwords\n",
        "rl/Later.md": "## Later\n\nsee [the objective](PPO.md#the-clipped-objective-ltextclip)\n",
    })
    site = build_site(tmp_path, strict=True)
    check_warnings(site)  # the link's anchor exists
    page = site.html("rl/PPO/")
    heading = re.search(r'<h2 id="the-clipped-objective-ltextclip">(.*?)</h2>', page, re.S).group(1)
    assert KATEX in heading
    assert "pdmath" not in page
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', page, re.S).group(0)
    assert "The clipped objective L^{\\text{CLIP}}" in html.unescape(toc)


def test_a_lesson_and_a_links_sentence_keep_their_math(tmp_path):
    write_site(tmp_path, {
        "rl/PPO.md": """\
            ## PPO

            > [!highlight] Clip the ratio
            > keep $r_t(\\theta)$ within $1 \\pm \\epsilon$

            like [[GAE]] with $\\lambda = 0.95$
            """,
        "rl/GAE.md": "## GAE\n\nadvantages\n",
    }, {"plugins": ["search", {"paper-diary": {"themes": [{"id": "rl", "title": "RL"}]}}]})
    site = build_site(tmp_path)
    check_warnings(site)
    for url in ("rl/PPO/", "highlights/"):
        page = site.content(url)
        assert page.count(KATEX) >= 2 and "pdmath" not in site.html(url), url
    backlink = re.search(r'<blockquote class="pd-backlink-sentence">(.*?)</blockquote>', site.content("rl/GAE/"))
    assert "\\lambda = 0.95" in html.unescape(backlink.group(1)) and "$" not in backlink.group(1)
    index = (site.out / "search" / "search_index.json").read_text()
    assert "pdmath" not in index and "katex" not in index

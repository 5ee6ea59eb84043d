"""blocks.normalise, without a build: what Python-Markdown is handed for the constructs notes hold besides
CommonMark's own (callouts, Material's syntax, math, footnotes, references), and code copied exactly."""

from __future__ import annotations

import markdown
import pytest

from paper_diary.reading import blocks, mathtex, obsidian
from paper_diary.model import Diary
from paper_diary.diary.scan import paper_from_text

EXTENSIONS = ["toc", "admonition", "attr_list", "md_in_html", "tables", "footnotes", "pymdownx.details",
              "pymdownx.superfences", "pymdownx.arithmatex"]


def html(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(blocks.normalise(text))


@pytest.mark.parametrize("note, written", [
    ("> [!note] A title\n> Some text.\n", '!!! note "A title"\n\n    Some text.\n'),
    ("> [!tip]- Folded\n> Hidden.\n", '??? tip "Folded"\n\n    Hidden.\n'),
    ("> [!warning]+ Open\n> - a\n>   - b\n", '???+ warning "Open"\n\n    - a\n        - b\n'),
    ("> [!faq]\n> Why?\n", '!!! question "Faq"\n\n    Why?\n'),  # an alias keeps its name as the title
    ("> [!highlight|rl] A lesson\n> Text.\n", '!!! highlight "A lesson"\n\n    Text.\n'),
    ("> [!info|right] Aside\n", '!!! info inline end "Aside"\n'),
    ("> [!note]\n> > [!tip] Inner\n> > Text.\n", '!!! note\n\n    !!! tip "Inner"\n\n        Text.\n'),
    ("> [!quote] \"Quoted\" title\n", "!!! quote \"'Quoted' title\"\n"),
])
def test_callouts_are_admonitions(note, written):
    assert blocks.normalise(note) == written


def test_material_syntax_math_footnotes_and_references_keep_working():
    page = html("!!! note \"Kept\"\n    Body\n    - a\n      - b\n\n$$\nx\n- y\n$$\n\nText[^1] and [ref].\n\n"
                "[^1]: A footnote\n    on two lines.\n\n[ref]: https://example.org \"T\"\n\n"
                "<div markdown>\n**bold**\n</div>\n")
    assert '<div class="admonition note">\n<p class="admonition-title">Kept</p>' in page
    assert "<li>a<ul>\n<li>b</li>" in page
    assert mathtex.token("x\n- y", True) in page and "<li>y" not in page  # math is not a list (see mathtex.py)
    assert 'class="footnote"' in page and "A footnote\non two lines." in page
    assert '<a href="https://example.org" title="T">ref</a>' in page
    assert "<strong>bold</strong>" in page


@pytest.mark.parametrize("where", ["", "> ", "- item\n\n  ", "1. item\n   ", "> - item\n>   "])
def test_code_is_copied_exactly(where):
    code = ["- not a list", "# not a heading", "> not a quote", "    indented  ", "", "~~~", "```` not closing"]
    first, _, rest = where.rpartition("\n")
    lead = rest
    note = (first + "\n" if first else "") + "\n".join(lead + line if line else lead.rstrip()
                                                         for line in ["`````python", *code, "`````"]) + "\n"
    out = blocks.normalise(note).split("\n")
    start = next(i for i, line in enumerate(out) if line.strip(" >").startswith("`````python"))
    prefix = out[start][:out[start].index("`")]
    assert [line[len(prefix):] if line.strip() else "" for line in out[start + 1:start + 1 + len(code)]] == \
        [line.rstrip() if not line.strip() else line for line in code]


def test_paragraph_lines_python_markdown_would_read_as_blocks_stay_text():
    page = html("#5 bolt\n\nA line\n    - lazy, not a list\n    # not a heading either\n1986\\. A great year\n")
    assert "<h1" not in page and "<ul>" not in page and "<ol>" not in page
    assert "- lazy, not a list" in page and "# not a heading either" in page


@pytest.mark.parametrize("text, title", [
    ("## **Spurious Rewards: Rethinking Training Signals in RLVR**\n\nText", "Spurious Rewards: Rethinking Training "
                                                                              "Signals in RLVR"),
    ("\n\n### `Kinetix` \n", "Kinetix"),
    ("Intro line\n\n## Not the title\n\n# The Title\n", "The Title"),  # no opening heading: the first `# `
    ("Intro\n```\n# code\n```\n", "Some Note"),  # a heading in code is no title: the file name
    ("---\ntitle: Front Matter\n---\n## Opening\n", "Front Matter"),
])
def test_titles_from_the_note(text, title):
    assert paper_from_text("rl/SomeNote.md", "rl", text, []).title == title


@pytest.mark.parametrize("text, tags", [
    ("See [full diary section](#-full-diary) and [Intro](#intro), then #real.", ["real"]),
    ('<a href="#x">y</a> <span style="color:#fff">z</span>', []),
    ("https://x.org/a#b and www.x.org/#c, <https://x.org/#d>", []),
    ("![plot #3](fig.png#frag) [ref][#x]\n\n[intro]: #intro", []),
    ("(#inparens) [#bracketed] #rl/ppo `#code`", ["inparens", "bracketed", "rl/ppo"]),
])
def test_links_html_and_addresses_hold_no_tags(text, tags):
    assert obsidian.convert(obsidian.Linker(Diary(), []), "rl/a.md", text).tags == tags

"""Property test: notes made of the block constructs people write (lists at any indent and nesting, quotes,
fences, indented code, headings, breaks, tables, paragraphs), built into a real site, have the block structure
markdown-it-py (CommonMark) gives them."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parent / "commonmark"))
from conftest import build_site, write_site  # noqa: E402
from structure import show, structure  # noqa: E402

SITES = settings(max_examples=int(os.environ.get("PAPER_DIARY_BUILD_EXAMPLES", 4)), deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NOTES_PER_SITE = 12
COMMONMARK = MarkdownIt("commonmark").enable("table")

word = st.sampled_from(["policy", "reward", "model", "token", "value", "gradient", "agent", "loss", "data"])
words = st.lists(word, min_size=1, max_size=4).map(" ".join)
indent = st.sampled_from(["", " ", "  ", "   "])
step = st.sampled_from(["  ", "    ", "\t", "   "])  # how people nest: 2 spaces, 4, a tab, 3 after `1. `
marker = st.sampled_from(["-", "*", "+", "1.", "2.", "1)"])


@st.composite
def a_list(draw, depth=0):
    lines, mark, pad = [], draw(marker), draw(indent) if depth == 0 else ""
    for _ in range(draw(st.integers(1, 3))):
        lines.append(f"{pad}{mark} {draw(words)}")
        if depth < 2 and draw(st.booleans()):
            inner = draw(step)
            lines += [inner + line if line else line for line in draw(a_list(depth + 1))]
        if draw(st.integers(0, 5)) == 0:
            lines.append("")  # a loose list
    return lines


def fence(lines: list[str]) -> list[str]:
    return ["```", *lines, "```"]


code_line = st.sampled_from(["x = 1", "- not a list", "# not a heading", "> not a quote", "  indented", ""])
leaf = st.one_of(
    words.map(lambda w: [w]),
    st.lists(words, min_size=2, max_size=3),  # a paragraph of lines
    words.map(lambda w: [f"## {w}"]),
    words.map(lambda w: [w, "---"]),  # setext
    st.just(["***"]),
    st.lists(code_line, min_size=1, max_size=3).map(fence),
    st.lists(words, min_size=1, max_size=2).map(lambda ws: ["    " + w for w in ws]),
    st.just(["| a | b |", "|---|---|", "| 1 | 2 |"]),
)
block = st.one_of(leaf, a_list(), leaf.map(lambda ls: ["> " + line for line in ls]),
                  a_list().map(lambda ls: ["> " + line for line in ls]))


@st.composite
def note(draw) -> str:
    lines: list[str] = []
    for piece in draw(st.lists(block, min_size=1, max_size=5)):
        if lines:
            lines += [""] if draw(st.booleans()) or piece[0].startswith("    ") else []
        lines += piece
    return "\n".join(lines) + "\n"


@SITES
@given(st.lists(note(), min_size=NOTES_PER_SITE, max_size=NOTES_PER_SITE))
def test_generated_notes_have_commonmarks_structure(notes):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_site(root, {}, {"markdown_extensions": ["toc", "admonition", "attr_list", "tables",
                                                      "pymdownx.superfences", "pymdownx.highlight"]})
        for i, text in enumerate(notes):
            (root / "docs" / "rl").mkdir(exist_ok=True)
            (root / "docs" / "rl" / f"n{i}.md").write_text(f"---\ntitle: N{i}\n---\n{text}", encoding="utf-8")
        site = build_site(root)
        assert not site.warnings, site.warnings
        for i, text in enumerate(notes):
            page = site.content(f"rl/n{i}/")
            body = page.split('<div class="pd-paper-header"', 1)[1].split("</div>", 1)[1]
            body = body.split('<details class="pd-bibtex">', 1)[0]  # the note, between the card and the footer
            got, want = structure(body), structure(COMMONMARK.render(text))
            assert got == want, f"{text!r}\n got: {show(got)}\nwant: {show(want)}\n{body}"

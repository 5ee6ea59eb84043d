"""The CommonMark 0.31.2 spec's block examples through the site's real pipeline, compared by block structure.

Each example is a page of one site built with the plugin and this repository's own Markdown extensions
(mkdocs.yml). Its HTML's block structure (tests/commonmark/structure.py) is compared with the spec's. An example
that differs is listed, with its reason, in tests/commonmark/differences.yaml; a new difference fails, and so
does a listed one that agrees again (take it off the list).

    python tests/test_commonmark.py    # the agreement, section by section
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "commonmark"))
from conftest import build_site, write_site  # noqa: E402
from structure import show, structure  # noqa: E402

SPEC = json.loads((HERE / "commonmark" / "spec-0.31.2-blocks.json").read_text(encoding="utf-8"))
EXAMPLES = SPEC["examples"]
DIFFERENCES = yaml.safe_load((HERE / "commonmark" / "differences.yaml").read_text(encoding="utf-8")) or {}
LISTS = ("List items", "Lists")


def project_extensions() -> dict:
    """This repository's mkdocs.yml, as far as Markdown goes: its extensions and their options."""
    text = (HERE.parent / "mkdocs.yml").read_text(encoding="utf-8")
    return {"markdown_extensions": yaml.safe_load(text)["markdown_extensions"]}


def page(example: dict) -> str:
    return f"example-{example['example']:03}.md"


def build(root: Path):
    """One site, a page per example: the plugin's pipeline for pages, the project's extensions."""
    files = {page(e): f"---\ntitle: Example {e['example']}\n---\n" + e["markdown"] for e in EXAMPLES}
    write_site(root, {}, {**project_extensions(), "validation": {"links": {"not_found": "ignore",
                                                                          "anchors": "ignore"}}})
    for name, text in files.items():  # as written, not dedented
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return build_site(root)


def rendered(site, example: dict) -> list:
    html = site.content(page(example)[:-3] + "/")
    html = html.replace(f"<h1>Example {example['example']}</h1>", "", 1)  # Material's title for a page without
    return structure(html)


def agreement(site) -> dict[int, tuple[list, list]]:
    """example number -> (the site's structure, the spec's), for every example that differs."""
    out = {}
    for example in EXAMPLES:
        got, want = rendered(site, example), structure(example["html"])
        if got != want:
            out[example["example"]] = (got, want)
    return out


@pytest.fixture(scope="module")
def spec_site(tmp_path_factory):
    site = build(tmp_path_factory.mktemp("commonmark"))
    return site, agreement(site)


def test_every_difference_is_listed_with_its_reason(spec_site):
    site, differing = spec_site
    assert not site.warnings, site.warnings
    new = {n: f"got {show(g)}; the spec has {show(w)}" for n, (g, w) in differing.items() if n not in DIFFERENCES}
    assert not new, f"examples that now differ from CommonMark: {new}"
    fixed = sorted(set(DIFFERENCES) - set(differing))
    assert not fixed, f"examples listed in differences.yaml that agree now: take {fixed} off the list"
    for number, reason in DIFFERENCES.items():
        assert isinstance(reason, str) and len(reason.split()) >= 5, f"example {number}: say why it differs"


def test_agreement_is_at_least_97_percent_and_95_for_lists(spec_site):
    _, differing = spec_site
    lists = [e for e in EXAMPLES if e["section"] in LISTS]
    assert len(EXAMPLES) == 225 and len(lists) == 74
    assert 1 - len(differing) / len(EXAMPLES) >= 0.97
    assert 1 - sum(e["example"] in differing for e in lists) / len(lists) >= 0.95


def test_structure_tells_blocks_apart():
    """The comparison itself: it sees a list that became a paragraph, a wrong depth, a missing code block."""
    assert structure("<ul><li>a</li></ul>") != structure("<p>- a</p>")
    assert structure("<ul><li>a<ul><li>b</li></ul></li></ul>") != structure("<ul><li>a</li><li>b</li></ul>")
    assert structure("<pre><code>x\n</code></pre>") != structure("<pre><code>y\n</code></pre>")
    assert structure("<ul><li><p>a</p></li></ul>") == structure("<ul>\n<li>a</li>\n</ul>")
    assert structure('<div class="highlight"><pre><span></span><code>a\tb\n</code></pre></div>') == \
        structure("<pre><code>a   b</code></pre>")


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp))
        differing = agreement(site)
    total, agree = Counter(), Counter()
    for e in EXAMPLES:
        total[e["section"]] += 1
        agree[e["section"]] += e["example"] not in differing
    for section in total:
        print(f"{section}: {agree[section]} of {total[section]}")
    lists = sum(agree[s] for s in LISTS), sum(total[s] for s in LISTS)
    print(f"all: {sum(agree.values())} of {len(EXAMPLES)} ({100 * sum(agree.values()) / len(EXAMPLES):.0f}%); "
          f"lists and list items: {lists[0]} of {lists[1]} ({100 * lists[0] / lists[1]:.0f}%)")
    print("differing:", sorted(differing))

"""The search index holds a paper's digest, and every paper is still found the way Material's search finds it."""

import json
import re
from urllib.parse import quote

from conftest import TOPIC_THEMES, build_site, check_warnings, write_site

NOTE = """\
---
title: "{title}"
date: 2024-0{month}-1{month}
tags: [{tags}]
authors: [{authors}]
arxiv: "{arxiv}"
summary: {summary}
highlights:
  - {highlight}
  - title: A lesson with a title
    text: {lesson}
---

## Method

The body talks about {body_word} at length, which search does not need.

### Details {month}

More of the body.
"""

PAPERS = [
    dict(path="rl/Reward Models.md", title="Reward Models Are Verifiers", month=1, tags="rlhf, reward-models",
         authors="Ada Lovelace, Noam Chen-Müller", arxiv="2401.12345", summary="Rewards verify answers.",
         highlight="Entropy collapses early under clipping.", lesson="Calibrate the verifier first.",
         body_word="zanzibarium"),
    dict(path="vision/Patches.md", title="Patches: Worth 16x16 Words", month=2, tags="vision",
         authors="Kenji Sato", arxiv="2010.11929", summary="Images as sequences of patches.",
         highlight="Pretraining scale beats inductive bias.", lesson="Position embeddings matter little.",
         body_word="quokkalith"),
]


def tokens(text: str, separator: str) -> set[str]:
    """Material's search (lunr) tokenising: split on the configured separator, lower-case, trim non-word ends."""
    out = set()
    for token in re.split(separator, text.lower()):
        token = re.sub(r"^\W+|\W+$", "", token)
        if token:
            out.add(token)
    return out


def find(index: dict, query: str) -> set[str]:
    """Pages (locations without anchors) having every word of `query` in one entry's title, text or tags."""
    sep = index["config"]["separator"]
    wanted = tokens(query, sep)
    found = set()
    for doc in index["docs"]:
        text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"] + " " + " ".join(doc.get("tags", [])))
        if wanted <= tokens(text, sep):
            found.add(doc["location"].split("#")[0])
    return found


def test_every_paper_is_found_by_title_author_arxiv_tag_and_highlight(tmp_path):
    write_site(tmp_path, {p["path"]: NOTE.format(**p) for p in PAPERS}, TOPIC_THEMES)
    site = build_site(tmp_path)
    check_warnings(site)
    index = json.loads((site.out / "search/search_index.json").read_text(encoding="utf-8"))
    for p in PAPERS:
        url = quote(p["path"][:-3] + "/")
        queries = [p["title"], p["arxiv"], p["summary"], p["highlight"], p["lesson"], "A lesson with a title",
                   *p["authors"].split(", "), *p["tags"].split(", "), f"Details {p['month']}"]
        for query in queries:
            assert url in find(index, query), f"{url} not found by {query!r}"
        # the body is not indexed, but the page still shows it, with the header card
        assert not find(index, p["body_word"])
        page = site.content(p["path"][:-3] + "/")
        assert p["body_word"] in page and "pd-paper-header" in page
    # section entries keep their deep links
    assert any(d["location"] == "rl/Reward%20Models/#details-1" for d in index["docs"])


def test_other_pages_are_indexed_in_full(tmp_path):
    write_site(tmp_path, {"about.md": "# About\n\nThe word xylophonic is searchable.\n",
                          PAPERS[0]["path"]: NOTE.format(**PAPERS[0])}, TOPIC_THEMES)
    site = build_site(tmp_path)
    check_warnings(site)
    index = json.loads((site.out / "search/search_index.json").read_text(encoding="utf-8"))
    assert find(index, "xylophonic") == {"about/"}


def test_listings_are_left_to_each_papers_own_entry(tmp_path):
    """Tag, topic, diary and highlights pages list papers a search finds through each paper's own entry: indexing
    those lists again would grow the index with the diary's size (18 MB at 2,000 papers) for nothing."""
    highlights_page = ("---\nhighlights:\n  - title: Paper-less lesson\n    text: Only here, the word quillwort.\n"
                       "    theme: rl\n---\n\n# Highlights\n\nThe author's own words: marmalite.\n")
    write_site(tmp_path, {"highlights.md": highlights_page, **{p["path"]: NOTE.format(**p) for p in PAPERS}},
               TOPIC_THEMES)
    site = build_site(tmp_path)
    check_warnings(site)
    index = json.loads((site.out / "search/search_index.json").read_text(encoding="utf-8"))
    paper = quote(PAPERS[0]["path"][:-3] + "/")
    for query in (PAPERS[0]["title"], PAPERS[0]["summary"], PAPERS[0]["highlight"]):
        assert find(index, query) == {paper}, query  # its own page, not the tag, topic, diary or highlights pages
    assert find(index, "quillwort") == {"highlights/"}  # a lesson of no paper is found where it is
    assert find(index, "marmalite") == {"highlights/"}
    assert {"tags/rlhf/", "rl/", "diary/"} <= {d["location"] for d in index["docs"]}  # the pages still are
    for page in ("tags/rlhf/", "rl/", "diary/", "highlights/"):  # and still show the papers
        assert PAPERS[0]["title"] in site.content(page), page


def test_cutting_excluded_lists_gives_the_search_plugin_the_same_index(tmp_path):
    """The lists the search plugin would skip are cut before it parses the page: same sections, same text."""
    from material.plugins.search.plugin import Parser
    from paper_diary.site.search import without_excluded

    write_site(tmp_path, {p["path"]: NOTE.format(**p) for p in PAPERS}, TOPIC_THEMES)
    site = build_site(tmp_path)
    checked = 0
    for page in ("diary/", "highlights/", "tags/rlhf/", "rl/", "tags/"):
        html = re.sub(r"<h1.*?</h1>", "", site.content(page), flags=re.S)  # the search plugin sees the content, not the theme's <h1>
        cut = without_excluded(html)
        if "data-search-exclude" in html:
            assert len(cut) < len(html) / 2 and PAPERS[0]["title"] not in cut, page  # the lists are emptied
            checked += 1

        def sections(text):
            parser = Parser()
            parser.feed(text)
            parser.close()
            return [(s.id, "".join(s.title).strip(), " ".join("".join(s.text).split())) for s in parser.data]
        assert sections(cut) == sections(html), page
    assert checked >= 3

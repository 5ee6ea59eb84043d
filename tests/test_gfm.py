"""Every line a note's author wrote shows, as GitHub and Obsidian show it: bare addresses are links, opening
`key: value` lines are text, a paragraph's `[x]:` line stays in it, and heading anchors are GitHub's."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from conftest import build_site, check_warnings, write_site
from paper_diary.reading import anchors, autolink, frontmatter


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link, text without tags."""
    return [(h, re.sub(r"<[^>]+>", "", t)) for h, t in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)]


# --- bare addresses ---------------------------------------------------------------------------------------------

ADDRESSES_NOTE = """\
## Spanner notes

Read 2024-03-02. Blog post: https://blog.cloudflare.com/how-we-built-it. Also the talk
(https://www.youtube.com/watch?v=abc123), and the wiki page https://en.wikipedia.org/wiki/Spanner_(database),
see also www.cockroachlabs.com/docs, www.example.org.

Already linked: [the paper](https://research.google/pubs/spanner/) and <https://arxiv.org/abs/1234.5678>.
Code: `curl https://api.example.com/v1` never a link.

```bash
wget https://data.example.com/dump.tar.gz
```

Cost model: $latency = https://not.a.link/x$ as math, and $5 or $10 per query at https://pricing.example.com!

| what | where |
| --- | --- |
| slides | https://slides.example.com/spanner.pdf |

- phone note: http://old.example.com/a_(b)_c, then more
"""


def test_bare_addresses_are_links_as_on_github(diary):
    site = diary({"db/Spanner.md": ADDRESSES_NOTE})
    html = site.content("db/Spanner/")
    found = links(html)
    for href, text in [
        ("https://blog.cloudflare.com/how-we-built-it", "https://blog.cloudflare.com/how-we-built-it"),
        ("https://www.youtube.com/watch?v=abc123", "https://www.youtube.com/watch?v=abc123"),
        ("https://en.wikipedia.org/wiki/Spanner_(database)", "https://en.wikipedia.org/wiki/Spanner_(database)"),
        ("http://www.cockroachlabs.com/docs", "www.cockroachlabs.com/docs"),
        ("http://www.example.org", "www.example.org"),
        ("https://pricing.example.com", "https://pricing.example.com"),
        ("https://slides.example.com/spanner.pdf", "https://slides.example.com/spanner.pdf"),
        ("http://old.example.com/a_(b)_c", "http://old.example.com/a_(b)_c"),
    ]:
        assert (href, text) in found, (href, found)
    # Trailing punctuation stays text, after the link.
    assert "how-we-built-it</a>. Also" in html
    assert "watch?v=abc123</a>), and" in html
    assert "Spanner_(database)</a>,\n" in html or "Spanner_(database)</a>, " in html
    assert "pricing.example.com</a>!" in html
    # Links written as links are linked once.
    assert hrefs(html).count("https://research.google/pubs/spanner/") == 1
    assert hrefs(html).count("https://arxiv.org/abs/1234.5678") == 1
    assert not re.search(r"<a [^>]*>(?:(?!</a>).)*<a ", html, re.S), "a link inside a link"
    # Code and math are never linked.
    for text in ("https://api.example.com/v1", "https://data.example.com/dump.tar.gz", "https://not.a.link/x"):
        assert text in html and not any(text in h for h in hrefs(html)), text


def test_a_note_whose_first_line_is_an_address(diary):
    site = diary({"db/Cloudflare.md": "https://blog.cloudflare.com/sqlite-in-durable-objects/\n"
                                      "good post on storage, read on the train\n"})
    html = site.content("db/Cloudflare/")
    assert ('https://blog.cloudflare.com/sqlite-in-durable-objects/', 
            'https://blog.cloudflare.com/sqlite-in-durable-objects/') in links(html)
    assert "read on the train" in html


def test_a_page_that_is_no_paper_keeps_its_first_line(diary):
    site = diary({"about.md": "Source: https://github.com/someone/notes\nWritten on the bus.\n"})
    html = site.content("about/")
    assert "Source: <a" in html and "Written on the bus." in html


def test_addresses_are_found_by_githubs_rules():
    cases = {  # from the GFM spec's autolink examples, and notes
        "Visit www.commonmark.org/help for more information.": "http://www.commonmark.org/help",
        "Visit www.commonmark.org.": "http://www.commonmark.org",
        "Visit www.commonmark.org/a.b.": "http://www.commonmark.org/a.b",
        "www.google.com/search?q=Markup+(business)))": "http://www.google.com/search?q=Markup+(business)",
        "(www.google.com/search?q=Markup+(business))": "http://www.google.com/search?q=Markup+(business)",
        "www.google.com/search?q=commonmark&hl;": "http://www.google.com/search?q=commonmark",
        "www.commonmark.org/he<lp": "http://www.commonmark.org/he",
        "http://commonmark.org": "http://commonmark.org",
        "(Visit https://encrypted.google.com/search?q=Markup+(business))":
            "https://encrypted.google.com/search?q=Markup+(business)",
        "https://example.com/path_end_": "https://example.com/path_end",
        "**https://example.com/bold**": "https://example.com/bold",
    }
    for text, href in cases.items():
        assert [h for _, _, h in autolink.addresses(text)] == [href], text
    for text in ("www.a_b.c_d", "xhttps://example.com", "mailto://x", "see www", "http://_bad", "awww.example.com"):
        assert autolink.linkify(text) == text, text
    # \( \) and \[ \] are math too.
    assert autolink.linkify(r"\(f = https://x.org\) and https://y.org") == r"\(f = https://x.org\) and <https://y.org>"


# --- opening lines ------------------------------------------------------------------------------------------------

def test_opening_key_lines_without_fences_show_as_text_and_are_reported(tmp_path):
    write_site(tmp_path, {
        "db/Spanner.md": "tags: [Spanner, Databases]\nTrueTime gives bounded clock uncertainty.\n",
        "db/Dynamo.md": "title: Dynamo\naliases:\n  - dynamo paper\n\nSloppy quorums, hinted handoff.\n",
        "notes.md": "date: 2024-05-01\nMet with the group about the reading list.\n",
    })
    site = build_site(tmp_path)
    check_warnings(site, r"db/Spanner\.md:1: 'tags:' opens the note like front matter.*add a line '---' above it",
                   r"db/Dynamo\.md:1: 'title:'.*lines 1-3 front matter", r"notes\.md:1: 'date:'")
    html = site.content("db/Spanner/")
    assert "tags: [Spanner, Databases]" in html and "TrueTime" in html
    assert "title: Dynamo" in site.content("db/Dynamo/")
    assert "date: 2024-05-01" in site.content("notes/")
    # Never read as metadata: no tag pages were made from them.
    assert not (tmp_path / "site" / "tags" / "spanner").exists()
    with pytest.raises(Exception):
        build_site(tmp_path, strict=True)


def test_real_front_matter_and_other_openings_are_unchanged(diary):
    site = diary({
        "db/Spanner.md": "---\ntags: [spanner]\n---\nhttps://research.google/pubs/spanner/\nread twice\n",
        "db/Raft.md": "# Raft\n\nNote: leader election first.\n",
    })
    html = site.content("db/Spanner/")
    assert "https://research.google/pubs/spanner/</a>" in html
    assert "Note: leader election first." in site.content("db/Raft/")


def test_unfenced_only_for_known_keys():
    assert frontmatter.unfenced("a.md", "https://x.org/\nmore\n") is None
    assert frontmatter.unfenced("a.md", "Note: this one is prose\n") is None
    assert frontmatter.unfenced("a.md", "# T\ntags: [x]\n") is None
    assert frontmatter.unfenced("a.md", "Source: book\nTags: [x]\n").line == 2


# --- paragraph lines --------------------------------------------------------------------------------------------

def test_a_reference_shaped_line_inside_a_paragraph_stays_text(diary):
    site = diary({"robotics/DAPG.md": """\
        ## Learning Complex Dexterous Manipulation
        _Sep 2017_
        [arXiv Link]:(https://arxiv.org/pdf/1709.10087)
        [code]: https://github.com/aravindr93/hand_dapg

        Demonstrations make RL sample efficient; see [the project page][site].

        [site]: https://sites.google.com/view/deeprl-dexterous-manipulation
        """})
    html = site.content("robotics/DAPG/")
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "[arXiv Link]:(https://arxiv.org/pdf/1709.10087)" in text
    assert "[code]: https://github.com/aravindr93/hand_dapg" in text
    assert ("https://arxiv.org/pdf/1709.10087", "https://arxiv.org/pdf/1709.10087") in links(html)
    assert ("https://sites.google.com/view/deeprl-dexterous-manipulation", "the project page") in links(html)


# --- heading anchors ----------------------------------------------------------------------------------------------

TOC_NOTE = """\
# Cassandra at work

## Contents
- [Data model](#data-model--cassandra-tables)
- [Diary](#-full-diary)
- [The `nodetool` commands](#the-nodetool-commands)
- [First questions](#questions)
- [More questions](#questions-1)
- [Last questions](#questions-2)
- [C++ & Rust](#c--rust)
- [Compaction](#compaction-stcs-vs-lcs)

## Data Model & Cassandra Tables
Partition key first.

## 📖 Full Diary
Read over a week.

## The `nodetool` commands

## Questions
## Questions
## Questions

### C++ & Rust

## Compaction: STCS vs. LCS?
"""


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id"]


def test_links_written_for_github_land_on_headings(diary):
    site = diary({"db/Cassandra.md": TOC_NOTE, "db/Other.md": "See [[Cassandra#Data Model & Cassandra Tables]] "
                  "and [[Cassandra#📖 Full Diary|the diary]].\n"})
    html = site.content("db/Cassandra/")
    parser = _Ids()
    parser.feed(html)
    targets = [h[1:] for h in hrefs(html) if h.startswith("#")]
    assert len(targets) >= 8 and all(t in parser.ids for t in targets), (targets, parser.ids)
    for target in ("data-model--cassandra-tables", "-full-diary", "the-nodetool-commands", "questions",
                   "questions-1", "questions-2", "c--rust", "compaction-stcs-vs-lcs"):
        assert target in parser.ids, (target, parser.ids)
        assert f'href="#{target}"' in html
    other = site.content("db/Other/")
    assert "Cassandra/#data-model--cassandra-tables" in other and "Cassandra/#-full-diary" in other


def test_a_link_broken_on_github_is_reported(tmp_path):
    write_site(tmp_path, {"db/Cassandra.md": "## Data Model & Cassandra Tables\n\n[there](#data-model-cassandra-tables)\n"})
    site = build_site(tmp_path)
    check_warnings(site, r"data-model-cassandra-tables")


def test_slugs_are_githubs():
    slugger = anchors.Slugger()
    assert [slugger(t) for t in ("Data Model & Cassandra Tables", "📖 Full Diary", "Questions", "Questions",
                                 "Questions-1", "Über Straße", "a  b")] == \
        ["data-model--cassandra-tables", "-full-diary", "questions", "questions-1", "questions-1-1",
         "über-straße", "a--b"]
    assert anchors.anchor_of("The `<div>` order") == "the-div-order"
    assert anchors.anchor_of("See [[Other Note|other]] and **this**") == "see-other-and-this"

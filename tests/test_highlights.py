"""Highlights and tags: declared in notes, gathered into themes and tag pages, linked both ways."""

import re

import pytest

from conftest import build_site, check_warnings, write_site

THEMES = {"plugins": ["search", {"paper-diary": {"themes": [{"id": "rl", "title": "Reinforcement Learning"},
                                                            {"id": "robots", "title": "Robotics & Control"}]}}]}


def lessons(site):
    page = site.content("highlights/")
    return re.findall(r'<li class="pd-highlight" id="([^"]+)" value="(\d+)"[^>]*>\s*(?:<strong class="pd-highlight-title">(.*?)</strong>)?', page)


def test_each_declaration_form_and_theme_fallbacks(diary):
    site = diary({
        "rl/A.md": """\
            ---
            title: Paper A
            date: 2025-01-02
            highlights:
              - Plain text lesson with no title.
              - title: Second
                text: With a title and an explicit theme.
                theme: robots
                order: 1
            ---
            Body.

            > [!highlight] From a callout
            > The callout's body is the lesson.

            > [!highlight|robots] Themed callout
            > Goes to robots.
            """,
        "robots/B.md": "---\ntitle: Paper B\ntheme: robots\nhighlights: [From the note's theme]\n---\n",
    }, config=THEMES)
    page = site.content("highlights/")
    rl, robots = page.split('id="robots"')
    assert "Plain text lesson with no title." in rl and "From a callout" in rl and "The callout's body is the lesson." in rl
    assert "With a title and an explicit theme." in robots and "Goes to robots." in robots
    assert "From the note&#39;s theme" in robots or "From the note's theme" in robots
    # explicit order first, then the rest
    assert robots.index("With a title") < robots.index("Goes to robots.")
    assert rl.index("Reinforcement Learning") < rl.index("Plain text")
    # the theme of the topic: rl/A.md's untitled lessons go to theme "rl" (the topic's id)
    assert [n for _, n, _ in lessons(site)] == ["1", "2", "1", "2", "3"]


def test_lesson_links_paper_and_cited_papers_both_ways(diary):
    site = diary({
        "rl/Source.md": "---\ntitle: Source Paper\nhighlights:\n  - title: Big Lesson\n    theme: rl\n"
                        "    text: \"Like [Other](../robots/Other.md) shows, **bold** works.\"\n---\n",
        "robots/Other.md": "---\ntitle: Other Paper\n---\n",
    }, config=THEMES)
    page = site.content("highlights/")
    assert '<li class="pd-highlight" id="big-lesson" value="1" data-search-exclude>' in page
    assert '<a href="../robots/Other/">Other</a> shows, <strong>bold</strong> works.' in page
    assert 'href="../rl/Source/#lesson-big-lesson">from Source Paper</a>' in page
    assert 'href="../robots/Other/">cites Other Paper</a>' in page
    source = site.content("rl/Source/")
    assert '<li class="pd-highlight" id="lesson-big-lesson">' in source
    assert 'href="../../highlights/#big-lesson">Reinforcement Learning, lesson 1</a>' in source
    other = site.content("robots/Other/")
    assert "Cited in highlights" in other and 'href="../../highlights/#big-lesson">Big Lesson</a>' in other


def test_unknown_theme_missing_theme_and_bad_links_are_reported(diary):
    site = diary({
        "misc/A.md": "---\ntitle: A\nhighlights:\n  - title: Lost\n    theme: nope\n    text: x\n"
                     "  - text: no theme here\n  - title: Broken link\n    theme: rl\n    text: see [x](Missing.md)\n---\n",
    }, config=THEMES, expect=(
        r"misc/A\.md:4: highlight theme 'nope' is not one of the themes in mkdocs\.yml \(rl, robots\)",
        r"misc/A\.md:7: highlight has no theme; it is listed under Other",
        r"misc/A\.md:8: highlight links 'Missing\.md', which is no paper of the diary",
    ))
    page = site.content("highlights/")
    assert 'id="other"' in page and "Lost" in page.split('id="other"')[1]


def test_lessons_of_no_paper_live_in_the_highlights_page(diary):
    site = diary({
        "highlights.md": "---\ntitle: My Lessons\nhighlights:\n  - title: Free lesson\n    theme: rl\n"
                         "    text: From no single paper.\n---\n\nMy introduction.\n",
        "rl/A.md": "---\ntitle: A\nhighlights: [{title: Paper lesson, theme: rl, order: 1, text: t}]\n---\n",
    }, config=THEMES)
    page = site.content("highlights/")
    assert "<h1>My Lessons</h1>" in page and "My introduction." in page
    assert page.index("Paper lesson") < page.index("Free lesson")


def test_tag_pages_nested_tags_and_counts(diary):
    site = diary({
        "rl/A.md": "---\ntitle: A\ndate: 2025-01-01\ntags: [rl/ppo, Vision]\nsummary: Sum A.\n---\n",
        "rl/B.md": "---\ntitle: B\ndate: 2025-02-01\ntags: [rl, vision]\n---\n",
        "rl/C.md": "---\ntitle: C\ndate: 2025-03-01\ntags: [rl/ppo/clip]\n---\n",
    })
    index = site.content("tags/")
    by_name, by_count = index.split('id="by-count"')
    assert re.findall(r'#([\w/]+) <span class="pd-count">(\d+)', by_name) == [
        ("rl", "3"), ("rl/ppo", "2"), ("rl/ppo/clip", "1"), ("Vision", "2")]
    assert re.findall(r'#([\w/]+) <span class="pd-count">(\d+)', by_count)[0] == ("rl", "3")
    rl = site.content("tags/rl/")
    assert rl.index(">C<") < rl.index(">B<") < rl.index(">A<")  # newest first, nested tags rolled up
    assert "Sum A." in rl and 'href="../rl-ppo/">#rl/ppo</a>' in rl
    assert 'href="../../tags/rl-ppo/">#rl/ppo</a>' in site.content("rl/A/")


def test_slug_collisions_and_traversal_stay_inside_the_site(diary, tmp_path):
    site = diary({
        "t/A.md": "---\ntitle: A\ntags: [\"c++\", \"c--\", \"../../x\", \"index\", \"<b>\"]\n---\n",
    }, expect=(r"t/A\.md:3: tag '\.\./\.\./x' has empty, '\.' or '\.\.' parts; it is read as 'x'",
               r"t/A\.md:3: tag '<b>' is not a word; it is shown as text"))
    pages = sorted(p.relative_to(site.out).as_posix() for p in (site.out / "tags").rglob("index.html"))
    assert pages == ["tags/b/index.html", "tags/c-2/index.html", "tags/c/index.html", "tags/index-2/index.html",
                     "tags/index.html", "tags/x/index.html"]
    assert not (tmp_path / "x").exists()
    page = site.content("t/A/")
    for slug, name in (("c", "c++"), ("c-2", "c--"), ("x", "x"), ("index-2", "index"), ("b", "&lt;b&gt;")):
        assert f'href="../../tags/{slug}/">#{name}</a>' in page


def test_diary_variable_for_macros(diary):
    site = diary({
        "index.md": "---\nrender_macros: true\n---\n# Home\n\n"
                    "Papers: {{ diary.papers | length }}; topics: {{ diary.topics | length }}; "
                    "tags: {{ diary.tags | length }}; lessons: {{ diary.highlights | length }}; "
                    "first theme: {{ (diary.themes.values() | list)[0].title }}.\n",
        "rl/A.md": "---\ntitle: A\ntags: [x, y]\nhighlights: [{text: t, theme: rl}]\n---\n",
        "robots/B.md": "---\ntitle: B\n---\n",
    }, config={"plugins": ["search", {"macros": {"render_by_default": False}}, THEMES["plugins"][1]]})
    assert "Papers: 2; topics: 2; tags: 2; lessons: 1; first theme: Reinforcement Learning." in site.content("")


@pytest.mark.parametrize("order", ["title", "filename"])
def test_awesome_pages_order_by_title_with_generated_pages(diary, order):
    site = diary({
        ".pages": "nav:\n  - index.md\n  - ...\n",
        "rl/.pages": f"title: RL\norder_by: {order}\n",
        "rl/Zeta.md": "---\ntitle: Alpha\ntags: [x]\n---\n",
        "rl/Alpha.md": "---\ntitle: Zeta\n---\n",
        "tags/.pages": f"order_by: {order}\n",
    }, config={"plugins": ["search", "awesome-pages", "paper-diary"]})
    assert site.sidebar("") == ["Home", "Diary", "Map", "RL", "Tags"]
    assert "Alpha" in site.content("rl/")


def test_notes_link_to_anchors_of_the_generated_pages(tmp_path):
    """Generated pages get their HTML after Markdown, yet a link to one of their anchors is checked as usual."""
    note = ("---\ntitle: Linker\nhighlights:\n  - title: Big Lesson\n    text: Learn.\n    theme: rl\n---\n\n"
            "See [the theme](../highlights.md#rl), [the lesson](../highlights.md#big-lesson), "
            "[the month](../diary/index.md#{month}) and [nothing](../highlights.md#no-such-anchor).\n")
    write_site(tmp_path, {"rl/Linker.md": note.format(month="undated")}, {**THEMES, "validation": {"anchors": "warn"}})
    site = build_site(tmp_path)
    check_warnings(site, r"contains a link '\.\./highlights\.md#no-such-anchor', but the doc 'highlights\.md' "
                         r"does not contain an anchor '#no-such-anchor'")
    assert 'id="big-lesson"' in site.content("highlights/") and 'id="undated"' in site.content("diary/")


def test_a_lesson_that_writes_the_placeholder_of_a_link_keeps_it_as_text():
    from paper_diary.diary.highlights import Highlight, text_html

    h = Highlight(text="written as pd:cite:7 in prose, with `a && b < c`", source="t/N.md", line=1)
    assert text_html(h, "highlights.md", lambda uri: uri, lambda a, b: b) == \
        "written as pd:cite:7 in prose, with <code>a &amp;&amp; b &lt; c</code>"

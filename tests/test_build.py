"""Real builds of small diaries: pages, header cards, topics, navigation, problems in notes."""

import html
import re
import subprocess
import sys

from conftest import build_site, check_warnings, tree, write_site

FULL = """\
---
title: Attention Is All You Need
date: 2025-06-30
tags: [transformers, nlp]
authors: [Ashish Vaswani, Noam Shazeer]
year: 2017
venue: NeurIPS
arxiv: "1706.03762"
doi: 10.5555/3295222.3295349
code: https://github.com/tensorflow/tensor2tensor
summary: Self-attention replaces recurrence.
status: read
rating: 5
reviewer_notes: kept as written
---

The body of the note.
"""


def test_paper_with_full_front_matter_gets_a_header_card(diary):
    site = diary({"nlp/Attention.md": FULL})
    page = site.content("nlp/Attention/")
    assert "<h1>Attention Is All You Need</h1>" in page
    card = re.search(r'<div class="pd-paper-header".*?</div>', page, re.S).group(0)
    assert "Ashish Vaswani, Noam Shazeer" in card
    assert "NeurIPS · 2017" in card
    assert 'href="https://arxiv.org/abs/1706.03762"' in card
    assert 'href="https://arxiv.org/pdf/1706.03762"' in card
    assert 'href="https://doi.org/10.5555/3295222.3295349"' in card
    assert 'href="https://github.com/tensorflow/tensor2tensor"' in card
    assert 'read <time datetime="2025-06-30">' in card
    assert "pd-status--read" in card and "★★★★★" in card
    assert "Self-attention replaces recurrence." in card
    # tag chips link to tag pages that exist
    for tag in ("transformers", "nlp"):
        assert f'href="../../tags/{tag}/">#{tag}</a>' in card
        assert "Attention Is All You Need" in site.content(f"tags/{tag}/")
    assert 'href="../">Nlp</a>' in card
    assert page.index("pd-paper-header") < page.index("The body of the note.")


def test_paper_without_front_matter(diary):
    note = "# Learning From a Phone\n\nRead on the train: https://arxiv.org/abs/2401.12345v2 is great.\n"
    site = diary({"rl/phone note.md": note, "rl/No Heading.md": "just text\n"})
    page = site.content("rl/phone%20note/".replace("%20", " "))
    assert page.count("<h1") == 1 and "Learning From a Phone" in page
    assert '<a class="pd-link md-button" href="https://arxiv.org/abs/2401.12345">arXiv:2401.12345 (v2)</a>' in page
    assert "undated" in page
    other = site.content("rl/No Heading/")
    assert "<h1>No Heading</h1>" in other
    listing = site.content("rl/")
    assert "Learning From a Phone" in listing and "No Heading" in listing


def test_date_from_git_is_shown_as_added(tmp_path):
    write_site(tmp_path, {"rl/Note.md": "# Note\n"})
    env = {"GIT_AUTHOR_DATE": "2025-03-04T23:30:00-08:00", "GIT_COMMITTER_DATE": "2025-03-04T23:30:00-08:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin", "TZ": "Asia/Tokyo"}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=tmp_path, check=True, env=env)
    site = build_site(tmp_path)
    check_warnings(site)
    assert 'added <time datetime="2025-03-04">' in site.content("rl/Note/")


def test_broken_yaml_is_reported_and_the_page_still_builds(tmp_path):
    files = {"rl/Broken.md": "---\ntitle: Broken\ntags: [a, b\n---\n\nThe body survives.\n"}
    write_site(tmp_path, files)
    site = build_site(tmp_path)
    check_warnings(site, r"^paper_diary: rl/Broken\.md:3: front matter is not valid YAML .*fix the YAML")
    page = site.content("rl/Broken/")
    assert "The body survives." in page
    assert "tags: [a, b" not in page  # the broken YAML is not printed as text
    strict = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert strict.returncode == 1
    assert "rl/Broken.md:3: front matter is not valid YAML" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_every_problem_is_reported_in_one_build(diary):
    site = diary({
        "rl/Float.md": "---\narxiv: 2401.10\n---\nbody\n",
        "rl/Date.md": "---\ntitle: ok\ndate: 2024-02-30\n---\nbody\n",
    }, expect=(
        r'rl/Float\.md:2: \'arxiv: 2401\.10\' is read by YAML as the number 2401\.1.*quote it: arxiv: "2401\.10"',
        r"rl/Date\.md:3: 'date: 2024-02-30' is not a real date.*YYYY-MM-DD",
    ))
    assert "undated" in site.content("rl/Date/")


def test_html_in_a_title_reads_as_text_everywhere(diary):
    site = diary({"rl/Evil.md": "---\ntitle: A <b> & B\ntags: [x]\n---\nbody\n",
                  "rl/index.md": "---\ntitle: RL <i>\n---\nAuthor's words.\n"},
                 config={"nav": None})
    for url in ("rl/Evil/", "rl/", "tags/x/", ""):
        page = site.html(url)
        assert "<b>" not in page, url
    assert "<h1>A &lt;b&gt; &amp; B</h1>" in site.html("rl/Evil/")
    assert "<title>A &lt;b&gt; &amp; B - Test Diary</title>" in site.html("rl/Evil/")
    assert "A &lt;b&gt; &amp; B</a>" in site.content("rl/")
    assert "<i>" not in site.html("rl/")


def test_a_file_that_is_not_utf8_is_reported_never_a_traceback(diary):
    site = diary({"rl/Latin.md": b"# Caf\xe9\n\nline two\n", "notes.md": b"first\nsecond \xff\n"},
                 expect=(r"rl/Latin\.md:1: is not UTF-8 .*re-save the file as UTF-8",
                         r"notes\.md:2: is not UTF-8"))
    assert "Caf\ufffd" in site.content("rl/Latin/")
    assert "second" in site.content("notes/")


def test_topics_with_and_without_pages_file(diary):
    site = diary({
        "LLM_reinforcement_learning/A.md": "---\ntitle: Paper A\ndate: 2025-01-01\n---\n",
        "LLM_reinforcement_learning/B.md": "---\ntitle: Paper B\ndate: 2025-02-01\n---\n",
        "marl/.pages": "title: Multi-Agent RL & Games\n",
        "marl/C.md": "---\ntitle: Paper C\n---\n",
        "robotics/index.md": "# Robots\n\nWhat I read about robots.\n",
        "robotics/D.md": "---\ntitle: Paper D\n---\n",
    })
    # The sidebar names each topic by its .pages title, else its folder's name made readable.
    assert site.sidebar("") == ["Home", "LLM Reinforcement Learning", "Diary", "Map", "Multi-Agent RL &amp; Games", "Robotics"]
    listing = site.content("LLM_reinforcement_learning/")
    assert "<h1>LLM Reinforcement Learning</h1>" in listing
    assert listing.index("Paper B") < listing.index("Paper A")  # newest first
    assert "<h1>Multi-Agent RL &amp; Games</h1>" in site.content("marl/")
    robots = site.content("robotics/")
    assert "What I read about robots." in robots and "Paper D" in robots  # the author's index is kept


def test_home_page_fills_from_the_model_with_macros(diary):
    home = """\
    ---
    render_macros: true
    ---
    # My diary

    {{ topic_list() }}

    {{ latest_papers(2) }}
    """
    note = "---\ntitle: Uses {{ braces }} N\ndate: 2025-01-0N\n---\n$$\\frac{{a}}{b}$$\n"
    site = diary({
        "index.md": home,
        "rl/One.md": note.replace("N", "1"), "rl/Two.md": note.replace("N", "2"),
        "marl/Three.md": note.replace("N", "3"),
    }, config={"plugins": ["search", {"macros": {"render_by_default": False}}, "paper-diary"]})
    page = site.content("")
    assert re.search(r'href="rl/">Rl</a></td>\s*<td class="pd-count">2</td>', page)
    assert re.search(r'href="marl/">Marl</a></td>\s*<td class="pd-count">1</td>', page)
    latest = page[page.index("pd-paper-list"):]
    assert latest.count("pd-paper-item") == 2 and "marl/Three/" in latest
    assert "\\frac{{a}}{b}" in site.content("rl/One/")  # notes are not run through Jinja


def test_sidebar_lists_topics_not_papers_and_paper_pages_do_not_grow(tmp_path):
    def make(n):
        root = tmp_path / str(n)
        notes = {f"t{i % 7}/Paper{i:04d}.md": f"---\ntitle: Paper {i:04d}\ndate: 2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
                                              f"tags: [tag{i % 5}]\n---\nText of paper {i}.\n" for i in range(n)}
        write_site(root, notes)
        site = build_site(root)
        check_warnings(site)
        return site
    small, large = make(30), make(300)
    assert small.sidebar("t1/Paper0001/") == ["Home", "Diary", "Map", "T0", "T1", "T2", "T3", "T4", "T5", "T6", "Tags"]
    assert large.sidebar("t1/Paper0001/") == small.sidebar("t1/Paper0001/")
    size_small = len(small.html("t1/Paper0001/"))
    size_large = len(large.html("t1/Paper0001/"))
    assert abs(size_large - size_small) < 300, (size_small, size_large)


def test_paper_page_links_previous_and_next_paper_of_its_topic(diary):
    notes = {f"rl/P{d}.md": f"---\ntitle: Paper {d}\ndate: 2025-01-0{d}\n---\n" for d in (1, 2, 3)}
    notes["marl/Other.md"] = "---\ntitle: Other\ndate: 2025-01-02\n---\n"
    site = diary(notes)
    nav = re.search(r'<nav class="pd-neighbours".*?</nav>', site.content("rl/P2/"), re.S).group(0)
    assert re.search(r'class="pd-older" rel="prev" href="../P1/"><span class="pd-direction">Read before</span> Paper 1<', nav)
    assert re.search(r'class="pd-newer" rel="next" href="../P3/"><span class="pd-direction">Read after</span> Paper 3<', nav)
    assert "Other" not in nav
    first = site.content("rl/P1/")
    assert "pd-older" not in first and 'href="../P2/"' in first
    # With Material's navigation.footer, its footer follows the same order.
    site = diary(notes, config={"theme": {"name": "material", "features": ["navigation.footer"]}})
    footer = re.search(r'<footer.*</footer>', site.html("rl/P2/"), re.S).group(0)
    assert 'href="../P1/" class="md-footer__link md-footer__link--prev" aria-label="Previous: Paper 1"' in footer
    assert 'href="../P3/" class="md-footer__link md-footer__link--next" aria-label="Next: Paper 3"' in footer


def test_one_instance_building_twice_as_serve_does_doubles_nothing(tmp_path):
    from mkdocs.config import load_config
    write_site(tmp_path, {"rl/A.md": "---\ntitle: A\ntags: [x]\n---\n", "rl/B.md": "# B\n\n#x is not a tag here\n"})
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["paper-diary"]
    first = build_site(tmp_path, config=config)
    pages_first = {k: v for k, v in tree(tmp_path / "site").items() if k.endswith(".html")}
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    assert config.plugins["paper-diary"] is plugin  # serve keeps the instance that defines on_startup
    second = build_site(tmp_path, config=config)
    pages_second = {k: v for k, v in tree(tmp_path / "site").items() if k.endswith(".html")}
    assert first.warnings == second.warnings == []
    assert pages_first == pages_second
    assert len(plugin.diary.papers) == 2
    assert site_listing_count(pages_second["rl/index.html"].decode()) == 2


def site_listing_count(page: str) -> int:
    return page.count('class="pd-paper-item"')


def test_build_never_writes_into_docs(tmp_path):
    write_site(tmp_path, {"rl/A.md": FULL, "rl/Bad.md": "---\n: [\n---\n"})
    before = tree(tmp_path / "docs")
    build_site(tmp_path)
    assert tree(tmp_path / "docs") == before


def test_escaped_titles_do_not_double_escape(diary):
    site = diary({"rl/Amp.md": "---\ntitle: Q&A\n---\n"})
    assert "<h1>Q&amp;A</h1>" in site.content("rl/Amp/")
    assert html.escape("Q&amp;A") not in site.html("rl/Amp/")

"""Notes as other authors write them: dates known to the month, dates in file names and Obsidian properties,
titles written as links or hidden behind a section heading, `tl;dr:` summaries, and a blog's source imported.

Every fixture is written here, in the manner of its convention; "today" is 2025-07-01 (conftest)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import build_site, check_warnings, write_site
from paper_diary.commands import cli
from paper_diary.reading import dates
from paper_diary.diary import timeline
from paper_diary.model import Diary, Paper, Topic
from paper_diary.diary.scan import paper_from_text

D = datetime.date
M = dates.Month


# Written dates ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("March 2019", M(2019, 3)),
    ("Mar 2019", M(2019, 3)),
    ("Mar. 2019", M(2019, 3)),
    ("sept 2020", M(2020, 9)),
    ("2019-03", M(2019, 3)),
    ("March 4, 2019", D(2019, 3, 4)),  # a day stays a day
    ("4th March 2019", D(2019, 3, 4)),
    ("2019-03-04", D(2019, 3, 4)),
])
def test_month_forms_are_read_with_their_precision(written, expected):
    day, problem = dates.parse(written)
    assert problem is None and day == expected and type(day) is type(expected)
    assert dates.precision(day) == ("month" if isinstance(expected, M) else "day")


def test_a_month_is_no_first_of_the_month():
    march = M(2019, 3)
    assert march.isoformat() == "2019-03" and str(march) == "2019-03" and dates.show(march) == "March 2019"
    assert sorted([D(2019, 3, 5), march, D(2019, 2, 27)]) == [D(2019, 2, 27), march, D(2019, 3, 5)]
    assert dates.parse("2019-13")[1].startswith("'2019-13' has no month 13")


@pytest.mark.parametrize("name, day, rest", [
    ("2019-08-29-PHYRE - A New Benchmark for Physical Reasoning", D(2019, 8, 29),
     "PHYRE - A New Benchmark for Physical Reasoning"),
    ("2019-8-9-quick-look", D(2019, 8, 9), "quick-look"),
    ("20190829 Daily paper", D(2019, 8, 29), "Daily paper"),
    ("2024-01-15", D(2024, 1, 15), ""),
    ("2019Paper", None, "2019Paper"),  # a year in a name is no date
    ("1908.10045 notes", None, "1908.10045 notes"),  # nor is an arXiv id
])
def test_dates_at_the_start_of_file_names(name, day, rest):
    found, problem, left = dates.from_file_name(name)
    assert (found, problem, left) == (day, None, rest)


def test_an_impossible_day_in_a_file_name_is_reported_never_guessed():
    found, problem, _ = dates.from_file_name("2019-02-30-typo")
    assert found is None and "'2019-02-30' that starts the file name is not a real day" in problem
    problems = []
    paper = paper_from_text("posts/2019-02-30-typo.md", "posts", "pretty sure i read this on a friday\n", problems)
    assert paper.date is None and [(p.path, p.line) for p in problems] == [("posts/2019-02-30-typo.md", 1)]
    assert "rename the file" in problems[0].message


# Where a date comes from, in order --------------------------------------------------------------------------

@pytest.mark.parametrize("uri, text, day, source", [
    ("t/2019-01-02-x.md", "---\ndate: 2020-05-06\ncreated: 2021-01-01\n---\n_Mar 2019_\n", D(2020, 5, 6),
     "front matter"),
    ("t/2019-01-02-x.md", "---\ncreated: 2021-01-01T09:14\n---\n_Mar 2019_\n", D(2021, 1, 1), "created"),
    ("t/x.md", "---\ndate created: Wednesday, May 1st 2024, 10:22:11 am\ntags: [x]\n---\nnotes\n", D(2024, 5, 1),
     "created"),
    ("t/2019-01-02-x.md", "# X\n\n_Mar 2019_\n\ntext\n", M(2019, 3), "date line"),
    ("t/x.md", "# X\n*January 2021*\n", M(2021, 1), "date line"),
    ("t/x.md", "# X\n**Date:** March 2022\n", M(2022, 3), "date line"),
    ("t/x.md", "---\ndate: 2019-03\n---\n# X\n", M(2019, 3), "front matter"),
    ("t/2019-01-02-x.md", "# X\n\nno date in here\n", D(2019, 1, 2), "file name"),
    ("t/x.md", "# X\n*Published in March 2022 at a workshop*\n", None, ""),  # a sentence, not a date line
])
def test_where_a_date_comes_from(uri, text, day, source):
    problems = []
    paper = paper_from_text(uri, "t", text, problems)
    assert not problems
    assert (paper.date, type(paper.date), paper.date_source) == (day, type(day), source)


# Titles and summaries ---------------------------------------------------------------------------------------

def title_of(uri: str, text: str) -> Paper:
    problems = []
    paper = paper_from_text(uri, "t", text, problems)
    assert not problems
    return paper


@pytest.mark.parametrize("uri, text, title", [
    # Sections: the note is titled by its file name, as Obsidian titles it.
    ("t/Swin Transformer.md", "## Overview\nshifted windows, hierarchical\n\n## Architecture\n4 stages\n",
     "Swin Transformer"),
    ("t/Depth Anything.md", "## Key Ideas & Results\nrelative depth\n## Training\n", "Depth Anything"),
    ("t/DETR.md", "## Table of Contents\n- [[#Overview]]\n\n## Overview\nset prediction\n", "DETR"),
    ("t/Mask R-CNN.md", "## Overview\nadds a mask head\n#### Background\nfaster rcnn\n## Results\n", "Mask R-CNN"),
    ("t/ViTDet.md", "# Introduction\nplain backbone\n# Method\nsimple fpn\n", "ViTDet"),
    ("t/LoRA.md", "## Architecture\nlow rank\n\n## Results\nsame as ft\n", "LoRA"),
    # Paper names: they stay titles even with `##` sections after them.
    ("t/UltimateGuideToSFT.md", "## Ultimate Guide to Fine-Tuning\nlong read\n\n## Data\n\n## Training\n",
     "Ultimate Guide to Fine-Tuning"),
    ("t/transformer.md", "## Attention Is All You Need\n\n## Method\nself attention only\n",
     "Attention Is All You Need"),  # longer than a section's name
    ("t/Note.md", "## PPO\nclipped objective\n## Method\n## Results\n", "PPO"),  # a name, not a section's
    ("t/notes.md", "## Overview\njust one heading in this one\n", "Overview"),  # no sibling: its only heading
    ("t/BERT.md", "## BERT\n### Overview\n### Results\n", "BERT"),  # its sections are below it
    # Emphasis and code keep their text.
    ("t/x.md", "# **Deep** `ResNet` _revisited_\n", "Deep ResNet revisited"),
])
def test_an_opening_heading_is_a_title_or_a_section(uri, text, title):
    assert title_of(uri, text).title == title


@pytest.mark.parametrize("text, title, url, arxiv", [
    ("# [3DSSD: Point-based 3D Single Stage Object Detector](https://arxiv.org/abs/2002.10187)\n",
     "3DSSD: Point-based 3D Single Stage Object Detector", None, "2002.10187"),
    ("## [FCOS: Fully Convolutional One-Stage Object Detection](https://arxiv.org/pdf/1904.01355v5.pdf)\n## Idea\n",
     "FCOS: Fully Convolutional One-Stage Object Detection", None, "1904.01355"),
    ("#### [Objects as Points](https://github.com/xingyizhou/CenterNet \"code\")\n", "Objects as Points",
     "https://github.com/xingyizhou/CenterNet", None),
    ("# [**PointPillars**](<https://example.org/pp paper>)\n", "PointPillars", "https://example.org/pp paper", None),
    ("# [SECOND](../detection/SECOND.md)\n", "SECOND", None, None),  # a link to a note is no paper's address
    ("---\nurl: https://github.com/x/y\n---\n# [Y](https://arxiv.org/abs/2401.00001)\n", "Y",
     "https://github.com/x/y", "2401.00001"),
])
def test_a_title_written_as_a_link(text, title, url, arxiv):
    paper = title_of("t/x.md", text)
    assert (paper.title, paper.url, paper.arxiv) == (title, url, arxiv)


@pytest.mark.parametrize("text, summary", [
    ("# X\n_Mar 2020_\n\ntl;dr: Single-stage, anchor-free point-based lidar detector.\n",
     "Single-stage, anchor-free point-based lidar detector."),
    ("# X\n**TL;DR:** keypoints at box centres, no NMS\n", "keypoints at box centres, no NMS"),
    ("# X\nTL;DR: see [the paper](https://x.org) for *all* of it\n", "see the paper for all of it"),
    ("# X\nSummary: a decoder only model\n", "a decoder only model"),
    ("---\nsummary: from front matter\n---\n# X\ntl;dr: from the text\n", "from front matter"),
    ("# X\nthe summary: nothing here is one\n", None),
])
def test_summary_lines(text, summary):
    assert title_of("t/x.md", text).summary == summary


# The diary of an author who dates by month ------------------------------------------------------------------

MONTHLY = {
    # Day-precise papers on 2025-05-31 and 2025-06-02, and yesterday: streaks of 1 each...
    "detection/PointRCNN.md": """
        ---
        date: 2025-05-31
        ---
        # PointRCNN
        two stage, points directly
    """,
    "detection/VoteNet.md": """
        # VoteNet
        Date read: 2nd June 2025

        hough voting for point clouds
    """,
    "detection/PV-RCNN.md": """
        # PV-RCNN
        date: 2025-06-30
    """,
    # ...and papers known to their month only: June 2025 (whose first day would join a streak), July 2025 (today's).
    "detection/3DSSD.md": """
        # [3DSSD: Point-based 3D Single Stage Object Detector](https://arxiv.org/abs/2002.10187)

        _Jun 2025_

        tl;dr: Single-stage, anchor-free point-based lidar object detector.

        #### Overall impression
        faster than pointrcnn, about 25fps
        #### Key ideas
        - F-FPS + D-FPS fusion sampling
    """,
    "detection/CenterPoint.md": """
        # CenterPoint
        *July 2025*

        **TL;DR:** centres as keypoints, for 3D
    """,
    "detection/SECOND.md": """
        ---
        date: 2023-11
        ---
        # SECOND
        sparse conv
    """,
}


def test_month_precise_papers_in_the_built_diary(tmp_path):
    write_site(tmp_path, MONTHLY)
    site = build_site(tmp_path)
    check_warnings(site)
    # The paper's own card says the month, and where it comes from.
    card = site.content("detection/3DSSD/")
    assert ('title="date read, from the note&#39;s date line" data-date-source="date line">read '
            '<time datetime="2025-06">June 2025</time>') in card
    assert 'href="https://arxiv.org/abs/2002.10187"' in card and "arXiv:2002.10187" in card
    assert "Single-stage, anchor-free point-based lidar object detector." in card
    assert re.search(r'<h1 id="3dssd[^"]*"><a href="https://arxiv.org/abs/2002.10187">3DSSD: Point-based', card)
    assert "title = {{3DSSD: Point-based 3D Single Stage Object Detector}}" in card  # BibTeX
    assert "read <time datetime=\"2025-05-31\">2025-05-31</time>" in site.content("detection/PointRCNN/")
    # Lists say "read June 2025"; the month section holds it, after the papers read on a known day of June.
    diary = site.content("diary/")
    june = diary[diary.index('id="2025-06"'):diary.index('id="2025-05"')]
    assert re.findall(r'class="pd-paper-link"[^>]*>([^<]*)<', june) == [
        "PV-RCNN", "VoteNet", "3DSSD: Point-based 3D Single Stage Object Detector"]
    assert 'read <time class="pd-date--month" datetime="2025-06"' in june and ">June 2025</time>" in june
    assert '>July 2025 <span class="pd-count">1</span>' in diary and '>November 2023 <span class="pd-count">1' in diary
    # The calendar marks June and July 2025 as months, and no day for them.
    assert re.search(r'class="pd-cal-month-mark"[^>]*data-month="2025-06" data-count="1"><title>June 2025: 1 paper '
                     r'read that month, on no known day</title>', diary)
    assert 'data-month="2025-07" data-count="1"' in diary
    assert 'data-date="2025-06-01" data-count="0"' in diary and 'data-date="2025-07-01" data-count="0"' in diary
    assert 'data-date="2025-06-02" data-count="1"' in diary
    # Papers per month and the reading curve count them in their month.
    assert "May 2025 1, Jun 2025 3, Jul 2025 1</title>" in diary and "<td>Nov 2023</td><td>1</td>" in diary
    assert "<tr><td>Jun 2025</td><td>3</td><td>5</td></tr><tr><td>Jul 2025</td><td>1</td><td>6</td></tr>" in diary
        # Streaks: only the days (a month on its first day would make 2025-05-31..06-02 a run of 3, and today 2).
    assert '<dd class="pd-current-streak">1 day</dd>' in diary and '<dd class="pd-longest-streak">1 day</dd>' in diary
    # papers.json and the feed.
    data = json.loads((site.out / "papers.json").read_text(encoding="utf-8"))
    by_title = {p["title"]: p for p in data["papers"]}
    assert by_title["3DSSD: Point-based 3D Single Stage Object Detector"]["date"] == "2025-06"
    assert by_title["3DSSD: Point-based 3D Single Stage Object Detector"]["arxiv"] == "2002.10187"
    assert by_title["3DSSD: Point-based 3D Single Stage Object Detector"]["summary"].startswith("Single-stage")
    assert [(by_title[t]["date"], by_title[t]["date_source"]) for t in ("SECOND", "VoteNet", "PointRCNN")] == [
        ("2023-11", "front matter"), ("2025-06-02", "date line"), ("2025-05-31", "front matter")]
    assert (data["stats"]["current_streak"], data["stats"]["longest_streak"]) == (1, 1)
    assert (data["stats"]["this_month"], data["stats"]["this_year"]) == (1, 6 - 1)
    feed = ET.fromstring((site.out / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    updated = {e.find("a:title", ns).text: e.find("a:updated", ns).text for e in feed.findall("a:entry", ns)}
    assert updated["3DSSD: Point-based 3D Single Stage Object Detector"] == "2025-06-01T00:00:00Z"
    assert updated["CenterPoint"] == "2025-07-01T00:00:00Z" and updated["SECOND"] == "2023-11-01T00:00:00Z"
    # The year page of 2023 (before the calendar's twelve months) marks November.
    assert 'data-month="2023-11" data-count="1"' in site.content("diary/2023/")
    # BibTeX and search carry the title, not the link.
    assert "[3DSSD" not in (site.out / "search" / "search_index.json").read_text(encoding="utf-8")
    # The map's card says the month as the paper's card does.
    assert re.search(r'data-title="3DSSD: Point-based[^"]*" data-date="June 2025"', site.html("map/"))


def test_month_precise_papers_count_in_their_month_never_as_a_day():
    diary = Diary(today=D(2025, 7, 1))
    topic = Topic("t", "T")
    for i, day in enumerate([D(2025, 5, 31), M(2025, 6), D(2025, 6, 2), M(2025, 7), D(2025, 6, 30), M(2024, 2)]):
        paper = Paper(src_uri=f"t/P{i}.md", topic="t", title=f"P{i}", date=day)
        diary.papers[paper.src_uri] = paper
        topic.papers.append(paper)
    diary.topics = {"t": topic}
    stats = timeline.stats(diary)
    assert (stats.current_streak, stats.longest_streak, stats.dated) == (1, 1, 6)
    assert (stats.this_week, stats.this_month, stats.this_year) == (1, 1, 5)  # 06-30 is Monday's... week: Mon 30th
    assert dict(timeline.per_month(diary, 3)) == {"May 2025": 1, "Jun 2025": 3, "Jul 2025": 1}
    curve = timeline.reading_curve(diary)
    assert curve.total == 6 and curve.first == D(2024, 2, 29)  # read by February's last day
    assert [(m, n) for m, n, _ in curve.months if n] == [("Feb 2024", 1), ("May 2025", 1), ("Jun 2025", 3),
                                                         ("Jul 2025", 1)]
    cal = timeline.reading_calendar(diary)
    assert [(m.anchor, m.count) for m in cal.marks] == [("2025-06", 1), ("2025-07", 1)]
    assert cal.total == 5 and sum(c.count for c in cal.cells) == 3
    assert [p.title for p in diary.latest()][:4] == ["P3", "P4", "P2", "P1"]  # the month after its known days


# An Obsidian vault: sections first, created: properties --------------------------------------------------

VAULT = {
    "vision/Swin Transformer.md": """
        ---
        created: 2025-06-10
        tags: [vit]
        ---
        ## Overview
        hierarchical ViT, shifted windows between blocks

        ## Architecture
        patch merging at each of the 4 stages
        #### Background
        ViT is quadratic in tokens
    """,
    "vision/Mask R-CNN.md": """
        ---
        date created: 2025-06-12
        ---
        ## Overview
        faster r-cnn + a mask branch, RoIAlign instead of RoIPool

        ## Results
        coco instance seg SOTA (2017)
    """,
    "vision/DETR.md": """
        ## Table of Contents
        - [[#Overview]]
        - [[#Loss]]

        ## Overview
        detection as set prediction w/ transformers

        ## Loss
        hungarian matching
    """,
    "vision/UltimateGuideToSFT.md": """
        ## Ultimate Guide to Fine-Tuning
        a long blog post more than a paper

        ## Data
        quality > quantity

        ## Training
        lr 2e-5, 3 epochs
    """,
}


def test_a_vault_of_notes_that_open_with_sections(tmp_path):
    write_site(tmp_path, VAULT)
    site = build_site(tmp_path)
    check_warnings(site)  # no two notes titled "Overview": no duplicate title is reported
    swin = site.content("vision/Swin%20Transformer/") if (site.out / "vision/Swin%20Transformer").exists() else \
        site.content("vision/Swin Transformer/")
    assert re.search(r"<h1[^>]*>Swin Transformer</h1>", swin)
    assert re.search(r'<h2 id="overview">Overview</h2>', swin) and 'id="architecture">Architecture</h2>' in swin
    assert 'data-date-source="created">read <time datetime="2025-06-10">2025-06-10</time>' in swin
    assert "from its properties" in swin
    sft = site.content("vision/UltimateGuideToSFT/")
    assert re.search(r"<h1[^>]*>Ultimate Guide to Fine-Tuning</h1>", sft) and 'id="data">Data</h2>' in sft
    topic = site.content("vision/")
    assert re.findall(r'class="pd-paper-link"[^>]*>([^<]*)<', topic) == [
        "Mask R-CNN", "Swin Transformer", "DETR", "Ultimate Guide to Fine-Tuning"]
    data = json.loads((site.out / "papers.json").read_text(encoding="utf-8"))
    assert {p["title"]: (p["date"], p["date_source"]) for p in data["papers"]}["Mask R-CNN"] == ("2025-06-12",
                                                                                                "created")


# A blog's source, imported ----------------------------------------------------------------------------------

def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


JEKYLL = {
    "README.md": "# Paper notes\n\nMy notes on papers, as a blog: https://someone.github.io/notes\n",
    "_config.yml": "title: Paper notes\ntheme: minima\n",
    "Gemfile": "source 'https://rubygems.org'\ngem 'jekyll'\n",
    "about.md": "---\nlayout: page\ntitle: About\n---\nhi\n",
    "_posts/2019-08-29-PHYRE - A New Benchmark for Physical Reasoning.md":
        "---\nlayout: post\ntitle: \"PHYRE: A New Benchmark for Physical Reasoning\"\ncategories: [physics]\n---\n\n"
        "Puzzles in a 2D physics sim; the agent places one ball.\n",
    "_posts/2019-9-3-world-models.markdown":
        "---\nlayout: post\n---\n\n# World Models\n\nvae + rnn + tiny controller\n\n![the loop](wm.png)\n",
    "_posts/wm.png": "not really a png\n",
    "_posts/2019-02-30-typo-in-the-date.md": "---\nlayout: post\ntitle: Dreamer\n---\n\nlatent imagination\n",
    "_drafts/half-written.md": "---\nlayout: post\ntitle: MuZero\n---\n\ntodo\n",
    "_oldposts/2017-01-01-old.md": "# Old\n",
    "_layouts/post.html": "<article>{{ content }}</article>\n",
    "_includes/head.html": "<head></head>\n",
    "_site/index.html": "<html>built</html>\n",
    "_site/2019/08/29/phyre.html": "<html>built post</html>\n",
    "node_modules/x/README.md": "# a package\n",
    "public/index.html": "<html>a built site</html>\n",
    "public/notes.md": "# built\n",
}


def run_cli(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(list(args))
    return code, out.getvalue()


def test_a_jekyll_blog_imports_as_posts_with_its_generator_folders_left_out(tmp_path):
    source, root = tmp_path / "blog", tmp_path / "diary"
    write_tree(source, JEKYLL)
    code, dry = run_cli("import", str(source), "--docs", str(root / "docs"))
    assert code == 1  # the impossible date is a problem to fix
    left_out = dry[dry.index("left out ("):]
    for folder, why in [("_site/", "what Jekyll built"), ("_drafts/", "unpublished drafts"),
                        ("_oldposts/", "old posts"), ("_layouts/", "page layouts"), ("_includes/", "page fragments"),
                        ("node_modules/", "JavaScript packages"), ("public/", "holds index.html")]:
        assert re.search(rf"^  {re.escape(folder)}: [^\n]*{why}[^\n]*; left out$", left_out, re.M), folder
    assert "_config.yml: the blog's settings" in left_out and "Gemfile" in left_out
    assert "about.md: a page beside the README" in left_out
    assert "_posts/: a blog's posts (Jekyll), imported as the topic 'Posts' (docs/posts/, 3 notes)" in dry
    assert ("_posts/2019-02-30-typo-in-the-date.md:1: the date '2019-02-30' that starts the file name is not a "
            "real day; rename the file") in dry
    assert "dry run: nothing was written" in dry and not root.exists()
    assert "_site" not in dry[:dry.index("left out (")] and "MuZero" not in dry

    code, _ = run_cli("import", str(source), "--docs", str(root / "docs"), "--write")
    assert sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*") if p.is_file()) == [
        "highlights.md", "index.md", "posts/.pages", "posts/2019-02-30-typo-in-the-date.md",
        "posts/2019-08-29-PHYRE - A New Benchmark for Physical Reasoning.md", "posts/2019-9-3-world-models.md",
        "posts/wm.png"]
    site = build_site(root)
    check_warnings(site, r"posts/2019-02-30-typo-in-the-date\.md:1: the date '2019-02-30' that starts the file "
                         r"name is not a real day")
    assert "Posts" in site.sidebar("")
    data = json.loads((site.out / "papers.json").read_text(encoding="utf-8"))
    assert {p["title"]: (p["topic_title"], p["date"], p["date_source"]) for p in data["papers"]} == {
        "PHYRE: A New Benchmark for Physical Reasoning": ("Posts", "2019-08-29", "file name"),
        "World Models": ("Posts", "2019-09-03", "file name"),
        "Dreamer": ("Posts", None, None),
    }
    phyre = next(p for p in (site.out / "posts").iterdir() if p.name.startswith("2019-08-29"))
    assert 'data-date-source="file name">read <time datetime="2019-08-29">' in (phyre / "index.html").read_text()


def test_a_readme_reading_list_by_month(tmp_path):
    source, root = tmp_path / "notes", tmp_path / "diary"
    write_tree(source, {
        "README.md": "# Reading\n\n## 2025-04\n\n- [Mamba](ssm/Mamba.md): selective state spaces\n"
                     "- [S4](ssm/S4.md)\n\n### March 2025\n\n* [Hyena](ssm/Hyena.md) - long convs\n",
        "ssm/Mamba.md": "# Mamba\n\nselection mechanism\n",
        "ssm/S4.md": "# S4\nRead on 12th April 2025\n\nHiPPO init\n",  # its own line names the day
        "ssm/Hyena.md": "## Hyena Hierarchy\n\nimplicit long convolutions\n",
    })
    code, out = run_cli("import", str(source), "--docs", str(root / "docs"), "--write")
    assert code == 0, out
    assert (root / "docs/ssm/Mamba.md").read_text().startswith('---\ndate: 2025-04\nsummary: "selective state')
    assert (root / "docs/ssm/Hyena.md").read_text().startswith("---\ndate: 2025-03\n")
    assert "date:" not in (root / "docs/ssm/S4.md").read_text().split("# S4")[0]
    site = build_site(root)
    check_warnings(site)
    data = json.loads((site.out / "papers.json").read_text(encoding="utf-8"))
    assert {p["title"]: p["date"] for p in data["papers"]} == {
        "S4": "2025-04-12", "Mamba": "2025-04", "Hyena": "2025-03"}  # the list names it
    assert 'read <time datetime="2025-04">April 2025</time>' in site.content("ssm/Mamba/")


def test_a_changed_file_name_date_or_created_property_is_read_again_by_the_build_cache(tmp_path):
    from test_build_cache import fresh_build

    write_site(tmp_path, {"rl/2025-06-01-PPO.md": "# PPO\n", "rl/A3C.md": "---\ncreated: 2025-05-01\n---\n# A3C\n",
                          "rl/TRPO.md": "# TRPO\n_Feb 2025_\n"})
    fresh_build(tmp_path)
    cache, _ = fresh_build(tmp_path)
    assert cache.parsed == 0  # every note as before: none read again
    (tmp_path / "docs/rl/2025-06-01-PPO.md").rename(tmp_path / "docs/rl/2025-06-03-PPO.md")
    (tmp_path / "docs/rl/A3C.md").write_text("---\ncreated: 2025-05\n---\n# A3C\n", encoding="utf-8")
    cache, log = fresh_build(tmp_path)
    assert cache.parsed == 2 and not [m for m in log if "WARNING" in m]
    data = json.loads((tmp_path / "site/papers.json").read_text(encoding="utf-8"))
    assert {p["title"]: p["date"] for p in data["papers"]} == {"PPO": "2025-06-03", "A3C": "2025-05",
                                                               "TRPO": "2025-02"}

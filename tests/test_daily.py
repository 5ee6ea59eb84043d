"""The daily log: streaks and counts with a pinned "today", the calendar, the exports, and drafts."""

import datetime
import json
import re
from xml.etree import ElementTree as ET

import bibtexparser
import pytest

from conftest import build_site, check_warnings, write_site
from paper_diary.diary import timeline
from paper_diary.model import Diary, Paper, Topic

D = datetime.date


def make_diary(today, *days):
    diary = Diary(today=today)
    topic = Topic("t", "T")
    for i, day in enumerate(days):
        paper = Paper(src_uri=f"t/P{i}.md", topic="t", title=f"P{i}", date=day)
        diary.papers[paper.src_uri] = paper
        topic.papers.append(paper)
    diary.topics = {"t": topic}
    return diary


@pytest.mark.parametrize("today, days, current, longest", [
    (D(2025, 7, 1), [], 0, 0),
    (D(2025, 7, 1), [D(2025, 7, 1)], 1, 1),
    (D(2025, 7, 1), [D(2025, 6, 30)], 1, 1),  # ends yesterday: still on
    (D(2025, 7, 1), [D(2025, 6, 29)], 0, 1),  # a gap of a day breaks it
    (D(2025, 3, 2), [D(2025, 2, 27), D(2025, 2, 28), D(2025, 3, 1), D(2025, 3, 2)], 4, 4),  # across a month
    (D(2025, 1, 1), [D(2024, 12, 30), D(2024, 12, 31), D(2025, 1, 1)], 3, 3),  # across a year
    (D(2024, 3, 1), [D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1)], 3, 3),  # a leap day
    (D(2025, 7, 1), [D(2025, 7, 1), D(2025, 7, 1), D(2025, 6, 30), None], 2, 2),  # two on one day, one undated
    (D(2025, 7, 1), [D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 3), D(2025, 6, 30)], 1, 3),
])
def test_streaks(today, days, current, longest):
    stats = timeline.stats(make_diary(today, *days))
    assert (stats.current_streak, stats.longest_streak) == (current, longest)
    assert stats.total == len(days) and stats.dated == len([d for d in days if d])


def test_week_month_year_counts():
    today = D(2025, 7, 2)  # a Wednesday
    stats = timeline.stats(make_diary(today, D(2025, 6, 30), D(2025, 7, 1), D(2025, 7, 1), D(2025, 6, 29),
                                      D(2025, 1, 5), D(2024, 12, 31), D(2025, 7, 9)))
    assert (stats.this_week, stats.this_month, stats.this_year) == (3, 2, 5)


def test_months_and_undated():
    diary = make_diary(D(2025, 7, 1), D(2025, 6, 3), D(2025, 6, 20), D(2024, 12, 1), None)
    months, undated = timeline.months(diary)
    assert [(m.title, len(m.papers)) for m in months] == [("June 2025", 2), ("December 2024", 1)]
    assert [p.title for p in months[0].papers] == ["P1", "P0"] and [p.title for p in undated] == ["P3"]


def test_calendar_cells_are_weeks_by_weekday():
    cal = timeline.reading_calendar(make_diary(D(2025, 7, 1), D(2025, 7, 1), D(2025, 7, 1), D(2025, 6, 30)))
    assert cal.first == D(2024, 7, 2) and cal.last == D(2025, 7, 1) and len(cal.cells) == 365
    last = cal.cells[-1]
    assert (last.day, last.count, last.row) == (D(2025, 7, 1), 2, 1)  # a Tuesday
    assert cal.cells[-2].column == last.column and cal.level(2) == 4 and cal.level(1) == 2 and cal.level(0) == 0
    assert cal.months[0] == (0, "Jul") and len(cal.months) == 13


NOTES = {
    "rl/A.md": "---\ntitle: Alpha & <Omega>\ndate: 2025-07-01\nauthors: [Ann Lee, Bo Chen]\nyear: 2024\narxiv: \"2401.12345\"\n"
               "tags: [rl]\nsummary: First.\nhighlights: [{title: Lesson, text: Learned it., theme: rl}]\n---\nBody.\n",
    "rl/B.md": "---\ntitle: Beta\ndate: 2025-06-30\nauthors: [Ann Lee]\nyear: 2024\nvenue: ICML\n---\n",
    "rl/C.md": "---\ntitle: Gamma\ndate: 2023-03-04\n---\n",
    "rl/U.md": "# Undated\n",
}
CONFIG = {"plugins": ["search", {"paper-diary": {"themes": [{"id": "rl", "title": "RL"}]}}]}


def test_diary_page_calendar_and_year_pages(diary):
    site = diary(NOTES, config=CONFIG)
    page = site.content("diary/")
    svg = re.search(r'<svg class="pd-calendar-svg".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg and "Papers read per day from 2024-07-02 to 2025-07-01: 2 papers on 2 days" in svg
    assert len(re.findall(r'<rect class="pd-cal-day', svg)) == 365
    assert re.search(r'data-date="2025-07-01" data-count="1"><title>2025-07-01: 1 paper</title>', svg)
    assert '<div class="pd-scroll" tabindex="0" role="region"' in page
    assert '<dd class="pd-current-streak">2 days</dd>' in page and '<dd class="pd-total">4</dd>' in page
    assert re.search(r'<h2 id="2025-07">July 2025 <span class="pd-count">1</span></h2>', page)
    assert page.index("July 2025") < page.index("June 2025") < page.index("March 2023") < page.index("Undated")
    assert 'href="2023/">2023</a>' in page
    assert "Papers read per day from 2023-01-01 to 2023-12-31: 1 papers on 1 days" in site.content("diary/2023/")


def test_feed_bibtex_and_json(diary):
    site = diary(NOTES, config=CONFIG)
    feed = ET.fromstring((site.out / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["Alpha & <Omega>", "Beta", "Gamma"]
    assert entries[0].find("a:link", ns).get("href") == "https://example.org/diary/rl/A/"
    assert "First." in entries[0].findtext("a:summary", namespaces=ns)
    assert "Lesson: Learned it." in entries[0].findtext("a:summary", namespaces=ns)
    assert '<link rel="alternate" type="application/atom+xml" title="Test Diary" href="../../feed.xml">' \
        in site.html("rl/A/")
    bib = bibtexparser.loads((site.out / "papers.bib").read_text(encoding="utf-8"))
    by_key = {e["ID"]: e for e in bib.entries}
    assert len(by_key) == 4
    alpha = next(e for e in bib.entries if e["eprint"] == "2401.12345") if any("eprint" in e for e in bib.entries) else None
    assert alpha and alpha["ENTRYTYPE"] == "misc" and alpha["archiveprefix"] == "arXiv"
    assert alpha["author"] == "Ann Lee and Bo Chen"
    beta = next(e for e in bib.entries if "Beta" in e["title"])
    assert beta["ENTRYTYPE"] == "inproceedings" and beta["booktitle"] == "ICML"
    assert alpha["ID"] != beta["ID"]
    assert f"@misc{{{alpha['ID']}," in site.content("rl/A/")  # the copyable block on the page
    data = json.loads((site.out / "papers.json").read_text(encoding="utf-8"))
    assert [p["title"] for p in data["papers"]] == ["Alpha & <Omega>", "Beta", "Gamma", "Undated"]
    for paper in data["papers"]:
        assert paper["title"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in site.html(paper["url"])
    assert data["papers"][0]["highlights"] == [{"title": "Lesson", "text": "Learned it."}]
    assert data["stats"]["current_streak"] == 2 and data["stats"]["total"] == 4
    assert "<Omega>" not in (site.out / "papers.json").read_text()  # safe to inline in a script


def test_drafts_are_served_with_a_badge_and_left_out_of_a_build(tmp_path):
    from mkdocs.config import load_config

    notes = {"rl/Done.md": "---\ntitle: Done\ndate: 2025-06-30\n---\n",
             "rl/Half.md": "---\ntitle: Half written\ndraft: true\ndate: 2025-07-01\n---\n",
             "inbox/Quick.md": "# Quick thought\n"}
    write_site(tmp_path, notes)
    built = build_site(tmp_path)
    check_warnings(built)
    assert not (built.out / "rl" / "Half").exists() and not (built.out / "inbox").exists()
    assert "Half written" not in (built.out / "feed.xml").read_text()
    assert "Half written" not in built.content("diary/") and "Half written" not in built.content("rl/")
    assert json.loads((built.out / "papers.json").read_text())["stats"]["total"] == 1
    assert not (built.out / "to-refine").exists()

    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    config.plugins.on_startup(command="serve", dirty=False)
    served = build_site(tmp_path, config=config, serve_url="http://127.0.0.1:8000/")
    check_warnings(served)
    page = (tmp_path / "served" / "rl" / "Half" / "index.html").read_text()
    assert 'class="pd-draft-badge"' in page
    refine = (tmp_path / "served" / "to-refine" / "index.html").read_text()
    assert "Half written" in refine and "Quick thought" in refine and "Done" not in refine
    config.plugins.on_startup(command="build", dirty=False)  # the instance is shared by later tests

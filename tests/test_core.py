"""The pure core: front matter, names, URLs, scanning. No MkDocs build here."""

import datetime
import subprocess

import pytest

from paper_diary.reading import frontmatter
from paper_diary.model import page_url, relative_url
from paper_diary.diary.scan import readable, scan


@pytest.mark.parametrize("text, key, value", [
    ("title: Hello\n", "title", "Hello"),
    ("date: 2025-07-09\n", "date", datetime.date(2025, 7, 9)),
    ("tags: [rl, ppo, rl]\n", "tags", ["rl", "ppo"]),
    ("tags: rl, ppo\n", "tags", ["rl", "ppo"]),
    ("authors: Ann One\n", "authors", ["Ann One"]),
    ("arxiv: \"2401.10123\"\n", "arxiv", ("2401.10123", None)),  # (id, version): the id never keeps its version
    ("arxiv: https://arxiv.org/pdf/2401.10123v2.pdf\n", "arxiv", ("2401.10123", 2)),
    ("arxiv: hep-th/9901001v3\n", "arxiv", ("hep-th/9901001", 3)),
    ("arxiv_version: v2\n", "arxiv_version", 2),
    ("year: 2024\n", "year", 2024),
    ("rating: 4.5\n", "rating", 4.5),
    ("draft: true\n", "draft", True),
    ("title: 2024\n", "title", "2024"),
    ("custom:\n  a: 1\n", "custom", {"a": 1}),
])
def test_front_matter_values_are_typed(text, key, value):
    fm = frontmatter.parse("t/N.md", f"---\n{text}---\nbody\n")
    assert fm.problems == []
    assert fm.values[key] == value
    assert fm.body == "body\n"
    assert fm.body_line == 3 + text.count("\n")  # the line after the closing ---


@pytest.mark.parametrize("text, line, words", [
    ("title: ok\narxiv: 2401.10\n", 3, "quote it: arxiv: \"2401.10\""),
    ("date: 2024-02-30\n", 2, "not a real date"),
    ("date: yesterday\n", 2, "YYYY-MM-DD"),
    ("year: soon\n", 2, "four-digit year"),
    ("rating: 9\n", 2, "from 0 to 5"),
    ("draft: maybe\n", 2, "true or false"),
    ("tags: {a: 1}\n", 2, "must be a list"),
    ("title: [a, b\n", 2, "not valid YAML"),
    ("a: 1\nb: c: d\n", 3, "not valid YAML"),
    ("x: !!python/object/apply:os.system [ls]\n", 2, "will not read"),
    ("title: a\ntitle: b\n", 3, "given twice"),
])
def test_front_matter_problems_name_the_line(text, line, words):
    fm = frontmatter.parse("t/N.md", f"---\n{text}---\nbody\n")
    assert len(fm.problems) == 1, fm.problems
    problem = fm.problems[0]
    assert (problem.path, problem.line) == ("t/N.md", line)
    assert words in problem.message
    assert fm.body == "body\n"


def test_unclosed_front_matter_is_reported():
    fm = frontmatter.parse("t/N.md", "---\ntitle: x\n\nbody\n")
    assert [p.line for p in fm.problems] == [1]
    assert "no closing" in fm.problems[0].message


def test_no_front_matter_is_a_plain_note():
    fm = frontmatter.parse("t/N.md", "# Title\n\ntext\n")
    assert fm.values == {} and fm.problems == [] and fm.body == "# Title\n\ntext\n"


@pytest.mark.parametrize("name, title", [
    ("LLM_reinforcement_learning", "LLM Reinforcement Learning"),
    ("marl", "Marl"),
    ("TokenEntropyRLVR", "Token Entropy RLVR"),
    ("self-improvement", "Self Improvement"),
    ("LLMs", "LLMs"),
    ("GPU_kernels", "GPU Kernels"),
    ("LLMsForRL", "LLMs For RL"),
    ("VLMs_and_robotics", "VLMs And Robotics"),
])
def test_readable_names(name, title):
    assert readable(name) == title


@pytest.mark.parametrize("src, dst, rel", [
    ("index.md", "a/B.md", "a/B/"),
    ("a/B.md", "a/index.md", "../"),
    ("a/B.md", "index.md", "../../"),
    ("a/index.md", "a/B.md", "B/"),
    ("tags/x.md", "a/B.md", "../../a/B/"),
    ("index.md", "index.md", "./"),
])
def test_relative_urls(src, dst, rel):
    assert relative_url(page_url(src), page_url(dst)) == rel


def test_page_url_quotes_and_flat_urls():
    assert page_url("a b/Pi0.5 VLA.md") == "a%20b/Pi0.5%20VLA/"
    assert page_url("a/B.md", use_directory_urls=False) == "a/B.html"


def test_scan_reads_topics_titles_and_git_dates(tmp_path):
    docs = tmp_path / "docs"
    (docs / "rl_with_llms").mkdir(parents=True)
    (docs / "robotics").mkdir()
    (docs / "assets").mkdir()
    (docs / "robotics" / ".pages").write_text("title: Robots & Control\n")
    (docs / "rl_with_llms" / "Old.md").write_text("---\ndate: 2024-01-02\n---\n# Old one\n")
    (docs / "rl_with_llms" / "NoDate.md").write_text("# Found in git\n")
    (docs / "robotics" / "Arm.md").write_text("See <https://arxiv.org/abs/2410.24164v3>.\n")
    (docs / "assets" / "Not a paper.md").write_text("x")
    (docs / "index.md").write_text("home")
    env = {"GIT_AUTHOR_DATE": "2025-03-04T10:00:00+00:00", "GIT_COMMITTER_DATE": "2025-03-04T10:00:00+00:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=tmp_path, check=True, env=env)
    diary = scan(docs)
    assert list(diary.topics) == ["rl_with_llms", "robotics"]
    assert [t.title for t in diary.topics.values()] == ["Rl With Llms", "Robots & Control"]
    old, nodate = diary.papers["rl_with_llms/Old.md"], diary.papers["rl_with_llms/NoDate.md"]
    assert (old.title, old.date, old.date_source) == ("Old one", datetime.date(2024, 1, 2), "front matter")
    assert (nodate.title, nodate.date, nodate.date_source) == ("Found in git", datetime.date(2025, 3, 4), "git")
    arm = diary.papers["robotics/Arm.md"]
    assert (arm.title, arm.arxiv, arm.arxiv_version) == ("Arm", "2410.24164", 3)
    assert [p.title for p in diary.topics["rl_with_llms"].papers] == ["Found in git", "Old one"]  # newest first


def test_today_is_source_date_epoch(monkeypatch):
    from paper_diary.diary.scan import today
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert today() == datetime.date(2023, 11, 14)


def test_the_core_imports_no_mkdocs():
    import subprocess
    import sys
    code = ("import sys, paper_diary.diary.scan, paper_diary.commands.cli, paper_diary.commands.importer, paper_diary.site.render, paper_diary.site.pages,"
            " paper_diary.reading.blocks;"
            "print([m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'mkdocs_callouts', 'material')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_lesson_of_plain_words_skips_markdown_with_the_same_html():
    """Lessons are mostly plain sentences: they skip Python-Markdown, which must not change a thing."""
    import html as html_lib
    import markdown
    from paper_diary.diary.highlights import MARKUP, _lesson_html
    samples = ["Entropy collapses early, under clipping.", "Use *less* clipping", "a_b c", "_a_ b", "1. first",
               "- item", "+ plus", "Ends with two  ", "it's 50% (roughly) +3", "x\n\ny", "A -> B", "Tom & Jerry",
               "3.14 is pi", "1) one", "-5 points", 'He said "hi"', "Über naïve café", "tab\there",
               "    code here", " lead", "trail ", "2024. A year", "# Heading", "`code`", "a <b> c", "x ==y=="]
    plain = 0
    for text in samples:
        expected = markdown.markdown(html_lib.escape(text, quote=False))
        if expected.startswith("<p>") and expected.endswith("</p>") and expected.count("<p>") == 1:
            expected = expected[3:-4]
        assert _lesson_html("rl/a.md", text, ())[0] == expected, text
        plain += not MARKUP.search(html_lib.escape(text, quote=False))
    assert plain >= 6  # the fast way is taken


def test_related_papers_are_the_best_scored_newest_first(tmp_path):
    """`relate` only sorts the candidates that can make the top: the result is the plain definition's."""
    import random
    from collections import Counter

    rng = random.Random(7)
    tags = [f"t{i}" for i in range(6)]
    for i in range(80):
        links = " ".join(f"[[P{rng.randrange(80)}]]" for _ in range(rng.randrange(3)))
        (tmp_path / "rl").mkdir(exist_ok=True)
        (tmp_path / "rl" / f"P{i}.md").write_text(
            f"---\ndate: 2024-01-{1 + i % 28:02d}\ntags: [{', '.join(rng.sample(tags, rng.randint(1, 3)))}]\n---\n\n"
            f"Body {links}\n", encoding="utf-8")
    diary = scan(tmp_path)
    latest = diary.latest()
    number = {p.src_uri: i for i, p in enumerate(latest)}
    for paper in latest:
        scores = Counter()
        for tag in paper.tags:
            for other in diary.tags[tag.casefold()].papers:
                scores[other.src_uri] += 1
        for link in paper.links_out:
            scores[link.target] += 2
        for link in paper.links_in:
            scores[link.source] += 2
        scores.pop(paper.src_uri, None)
        expected = sorted(scores, key=lambda uri: (-scores[uri], number[uri]))[:5]
        assert [p.src_uri for p in paper.related] == expected, paper.src_uri

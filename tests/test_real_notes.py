"""Notes written the way GitHub and Obsidian users write them (tests/real_notes/: no front matter, `## Title`
first, a date line, lists right after a paragraph line, indented by 2 spaces, nested by a tab), built with
`theme: material`: the lists are lists, nothing became code, each paper has its title and date, the calendar
counts them, and the date lines that cannot be read are reported with file and line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build_site, check_warnings, write_site

NOTES = Path(__file__).resolve().parent / "real_notes"
BAD_DATES = (
    r"open_endedness/Genie 2\.md:3: the date line 'Date read: 1st June 2p25' is not read: '1st June 2p25' is not a "
    r"date the diary can read; write it like 4th June 2025, June 4, 2025 or 2025-06-04",
    r"open_endedness/Voyager\.md:3: the date line '\*\*Date:\*\* 04/06/2025' is not read: '04/06/2025' could be the "
    r"4th of June or the 6th of April",
)
CONFIG = {"markdown_extensions": ["toc", "admonition", "attr_list", "md_in_html", "tables", "pymdownx.details",
                                  "pymdownx.superfences", "pymdownx.highlight"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    write_site(root, {}, CONFIG)
    shutil.copytree(NOTES, root / "docs", dirs_exist_ok=True)
    built = build_site(root)
    check_warnings(built, *BAD_DATES)
    return built


def article(site, url: str) -> str:
    """The note as rendered: the page's article without the card and the footer the diary adds."""
    page = site.content(url)
    return page.split('<div class="pd-paper-header"', 1)[1].split("</div>", 1)[1].split('<details class="pd-bibtex">')[0]


def test_a_title_the_note_opens_with_at_any_level(site):
    page = site.html("LLM_reinforcement_learning/Spurious Rewards RL/")
    title = "Spurious Rewards: Rethinking Training Signals in RLVR"
    assert f"<title>{title} - Test Diary</title>" in page
    headings = re.findall(r"<(h[1-6])[^>]*>(.*?)</h\d>", site.content("LLM_reinforcement_learning/Spurious Rewards RL/"),
                          re.S)
    shown = [(tag, re.sub(r"<[^>]+>", "", text).replace("¶", "")) for tag, text in headings]
    assert shown[0] == ("h1", title) and [t for t, _ in shown].count("h1") == 1  # the page's title, once
    assert all(text != title for _, text in shown[1:])
    assert f"title = {{{{{title}}}}}" in page  # the BibTeX entry too
    assert "Kinetix: Investigating the Training of General Agents" in site.html("robotics/Kinetix/")
    assert "<title>Learning Latent Plans from Play - Test Diary</title>" in site.html("robotics/Robot Learning From Play/")


def test_a_list_right_after_a_paragraph_line_is_a_list(site):
    note = article(site, "LLM_reinforcement_learning/Spurious Rewards RL/")
    assert "<p><strong>Key Points:</strong></p>" in note
    assert re.search(r"<li>Even <em>incorrect</em> rewards help, which is wierd\s*<ul>\s*<li>the effect is specific",
                     note)
    assert "- Random" not in note and "<li>Llama and OLMo do not improve</li>" in note
    omni = article(site, "open_endedness/OMNI-EPIC/")
    assert re.search(r"<p>Key Points:</p>\s*<ul>\s*<li>a foundation model writes", omni)
    assert re.search(r"<li>a model of interestingness picks which tasks to try next\s*<ul>\s*<li>(&quot;|\")interesting",
                     omni)  # nested by 3 spaces
    assert re.search(r"<p>The archive grows like this:</p>\s*<ol>\s*<li>generate a task</li>", omni)  # `1)`
    play = article(site, "robotics/Robot Learning From Play/")
    assert re.search(r"<p>The setup is simple</p>\s*<ul>\s*<li>collect teleoperated", play)
    assert re.search(r"<li>learn a latent plan space with a CVAE\s*<ul>\s*<li>plans are sampled", play)
    assert len(re.findall(r"<tr>", play)) == 3


def test_lists_indented_by_two_spaces_or_nested_by_a_tab_are_lists_not_code(site):
    entropy = article(site, "LLM_reinforcement_learning/TokenEntropyRLVR/")
    assert "<pre" not in entropy and "<code" not in entropy
    assert re.search(r"<h2[^>]*>Key ideas.*?</h2>\s*<ul>\s*<li>Only ~20% of tokens have high entropy", entropy)
    assert re.search(r"<li>Training on those alone matches full-gradient RLVR\s*<ul>\s*<li>and beats it on the 32B "
                     r"model</li>\s*</ul>\s*</li>\s*<li>The low entropy tokens barely change during RL</li>", entropy)
    assert re.search(r"<li>RLVR mostly adjusts the high-entropy tokens\s*<ol>\s*<li>so the 80/20", entropy)
    assert '<div class="admonition tip">' in entropy
    assert re.search(r"<li>high-entropy tokens = decisions\s*<ul>\s*<li>low-entropy = following through", entropy)
    kinetix = article(site, "robotics/Kinetix/")
    assert re.search(r"<li>open-ended 2D physics environments \(rigid bodies, joints, thrusters\)\s*<ul>\s*"
                     r"<li>every level is a random arrangement of shapes\s*<ul>\s*<li>the agent controls", kinetix)
    assert re.search(r"<li>levels are generated on the GPU</li>\s*</ul>\s*</li>\s*<li>one general agent", kinetix)
    assert kinetix.count("<pre") == 1 and "for level in sample_levels():" in kinetix  # its one code block
    assert "<hr" in kinetix


def test_task_lists_render_as_on_github(site):
    page = article(site, "robotics/Robot Learning From Play/")
    boxes = re.findall(r'<input type="checkbox"[^>]*>', page)
    assert len(boxes) == 2 and "checked" in boxes[0] and "checked" not in boxes[1], boxes


def test_strikethrough_and_bare_addresses_when_the_site_adds_tilde_and_magiclink(tmp_path):
    root = tmp_path / "site"
    extensions = CONFIG["markdown_extensions"] + [{"pymdownx.tilde": {"subscript": False}}, "pymdownx.magiclink"]
    write_site(root, {}, {"markdown_extensions": extensions})
    shutil.copytree(NOTES / "robotics", root / "docs" / "robotics")
    page = article(build_site(root, strict=True), "robotics/Robot Learning From Play/")
    assert '<a href="https://arxiv.org/abs/2104.07749">https://arxiv.org/abs/2104.07749</a>' in page
    assert 'href="http://www.corl.org"' in page
    assert "<del>read the appendix</del>" in page and "~~" not in page


def test_code_stays_code_right_after_a_paragraph_line(site):
    note = article(site, "LLM_reinforcement_learning/Spurious Rewards RL/")
    assert note.count("<pre") == 1
    code = re.search(r'<div class="highlight"><pre.*?</pre>', note, re.S).group(0)
    text = re.sub(r"<[^>]+>", "", code)
    assert "def reward(completion):\n    return 1.0 if random.random() &lt; 0.5 else 0.0" in text
    assert "<p>They train with GRPO and swap the reward for:</p>" in note


def test_dates_from_date_lines_and_the_calendar_counts_them(site):
    expected = {"LLM_reinforcement_learning/Spurious Rewards RL/": "2025-06-11",
                "LLM_reinforcement_learning/TokenEntropyRLVR/": "2025-06-04", "robotics/Kinetix/": "2025-06-05",
                "robotics/Robot Learning From Play/": "2025-06-06", "open_endedness/OMNI-EPIC/": "2025-06-07",
                "open_endedness/POET/": "2025-06-09"}
    for url, day in expected.items():
        assert f'read <time datetime="{day}">{day}</time>' in site.content(url), url
    for url in ("open_endedness/Genie 2/", "open_endedness/Voyager/"):
        assert "pd-undated" in site.content(url)
    diary = site.content("diary/")
    for day in expected.values():
        assert f'data-date="{day}" data-count="1"' in diary
    assert "6 papers in" in diary


def test_links_to_anchors_are_links_not_tags(site):
    note = article(site, "LLM_reinforcement_learning/Spurious Rewards RL/")
    assert '<a href="#key-points">Key points</a>' in note and '<a href="#full-diary">full diary section</a>' in note
    assert "pd-inline-tag\">#key-points" not in note and "pd-inline-tag\">#full-diary" not in note
    assert '<span class="pd-tag pd-inline-tag">#rlvr</span>' in note
    assert (site.out / "tags" / "rlvr" / "index.html").exists()
    assert not (site.out / "tags" / "key-points").exists() and not (site.out / "tags" / "full-diary").exists()
    assert '<a href="#summary">the summary</a>' in article(site, "robotics/Kinetix/")


def test_the_arxiv_id_of_a_versioned_link(site):
    assert "arxiv.org/abs/2506.10947" in site.content("LLM_reinforcement_learning/Spurious Rewards RL/")


def test_a_date_line_that_cannot_be_read_fails_a_strict_build(site):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "strict-site"],
                            cwd=site.root, capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "Genie 2.md:3: the date line" in result.stderr and "Voyager.md:3:" in result.stderr
    assert "Traceback" not in result.stderr


def test_line_breaks_obsidian_makes_a_newline_a_break(tmp_path):
    note = "## Two lines\n\nfirst line\nsecond line  \nthird\\\nfourth\n"
    write_site(tmp_path, {"rl/Note.md": note}, {"plugins": ["search", {"paper-diary": {"line_breaks": "obsidian"}}]})
    obsidian = build_site(tmp_path)
    check_warnings(obsidian)
    assert "<p>first line<br />\nsecond line<br />\nthird<br />\nfourth</p>" in obsidian.content("rl/Note/")
    write_site(tmp_path, {"rl/Note.md": note})
    github = build_site(tmp_path)
    check_warnings(github)
    assert "<p>first line\nsecond line<br />\nthird<br />\nfourth</p>" in github.content("rl/Note/")

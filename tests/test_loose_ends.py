"""What a new user sees first: versioned arXiv ids, lessons citing with wikilinks, damaged text named by every
build, separators a reader can see, and the legacy diary's addresses kept. One diary built once for the module."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import build_site, check_warnings, write_site
from paper_diary.commands import cli

LEGACY = Path(__file__).resolve().parent.parent.parent / "shared" / "legacy" / "README.md"

NOTES = {
    # As notes are written: no front matter, `## Title` or `# Title` first, links pasted as they were copied.
    "index.md": "---\nrender_macros: true\n---\n# Home\n\n{{ latest_papers(10) }}\n",
    "rl/Versioned.md": "---\narxiv: 2505.08264v1\n---\n## Versioned Paper\n\nRead it on the train.\n",
    "rl/Again.md": "# The Same Paper Again\n\nRead at https://arxiv.org/abs/2505.08264v2 before the talk.\n",
    "self_improvement/JaxMARL.md": "# JaxMARL\n\nMulti-agent environments on the GPU.\n",
    "self_improvement/KinetixGeneralRL.md": "# Kinetix\n\nPhysics control tasks.\n",
    "rl/Throughput.md": """\
        ---
        title: Prolonged RL
        highlights:
          - title: GPU-Based Training
            theme: rl
            text: Frameworks like [[KinetixGeneralRL|Kinetix]] and [[JaxMARL]] maximize throughput.
        ---
        Notes on throughput.
        """,
    "rl/Dangling.md": """\
        ---
        title: Dangling Links
        highlights:
          - theme: rl
            text: See [[Nowhere]] for more.
        ---
        > [!highlight|rl] Callout
        > Also [[Nowhere Else]].
        """,
    # What an import left: a lesson whose closing quote lost a byte between phone and laptop.
    "self_improvement/SelfDialogueGames.md": """\
        ---
        title: Self Dialogue Games
        highlights:
          - theme: rl
            text: "VLMs play in‑domain “Guess Whoâ€ style games to self‑improve."
        ---
        Two copies of a VLM play a game.
        """,
}
CONFIG = {"plugins": ["search", {"macros": {"render_by_default": False}},
                      {"paper-diary": {"themes": [{"id": "rl", "title": "RL"}]}}]}
DAMAGED = (r"self_improvement/SelfDialogueGames\.md:5: 'â€' looks double-encoded; its bytes are lost, so no repair "
           r"is certain: replace it by hand")
DANGLING = (r"rl/Dangling\.md:4: \[\[Nowhere\]\] matches no note",
            r"rl/Dangling\.md:8: \[\[Nowhere Else\]\] matches no note")
SAME_ARXIV = r"rl/Versioned\.md:2: is about the same arXiv paper \(2505\.08264\) as rl/Again\.md:3"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("loose")
    write_site(root, NOTES, CONFIG)
    return build_site(root)


class _Text(HTMLParser):
    """The text of the elements of one class, as a browser's `textContent` gives it."""

    def __init__(self, cls: str):
        super().__init__()
        self.cls, self.depth, self.texts = cls, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in ("br", "img", "input", "meta", "link")
        elif self.cls in (dict(attrs).get("class") or "").split():
            self.depth, self.texts = 1, [*self.texts, ""]

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def texts(page: str, cls: str) -> list[str]:
    parser = _Text(cls)
    parser.feed(page)
    return [" ".join(t.split()) for t in parser.texts]


def test_the_build_reports_what_it_found_and_nothing_else(site):
    check_warnings(site, DAMAGED, SAME_ARXIV, *DANGLING)
    assert len(site.warnings) == 4  # an unresolved name in a lesson is reported once, where it is written


def test_a_versioned_id_is_one_paper_with_its_version_on_the_card(site):
    card = texts(site.html("rl/Versioned/"), "pd-links")
    assert card == ["arXiv:2505.08264 (v1) PDF"]
    assert texts(site.html("rl/Again/"), "pd-links") == ["arXiv:2505.08264 (v2) PDF"]
    assert 'href="https://arxiv.org/abs/2505.08264"' in site.html("rl/Versioned/")
    papers = {p["url"]: p for p in json.loads((site.out / "papers.json").read_text(encoding="utf-8"))["papers"]}
    assert [(papers[u]["arxiv"], papers[u]["arxiv_version"]) for u in ("rl/Versioned/", "rl/Again/")] \
        == [("2505.08264", 1), ("2505.08264", 2)]


def test_wikilinks_in_a_lesson_count_as_citations(site):
    for url in ("self_improvement/KinetixGeneralRL/", "self_improvement/JaxMARL/"):
        page = site.content(url)
        assert 'id="cited-in-highlights"' in page, url
        assert "GPU-Based Training" in texts(page, "pd-paper-highlights")[0]
    lessons = texts(site.html("highlights/"), "pd-highlight-text")
    assert "Frameworks like Kinetix and JaxMARL maximize throughput." in lessons  # links, not [[...]]
    assert "See Nowhere for more." in lessons
    assert '<a href="../self_improvement/KinetixGeneralRL/">Kinetix</a>' in site.content("highlights/")


def test_separators_are_in_the_text_a_reader_gets(site):
    papers = texts(site.html(""), "pd-paper-item")
    assert "JaxMARL · undated · Self Improvement" in papers, papers
    lessons = texts(site.html("highlights/"), "pd-highlight-papers")
    assert "from Prolonged RL · cites Kinetix · cites JaxMARL" in lessons, lessons
    own = texts(site.html("rl/Throughput/"), "pd-highlight")
    assert [re.sub(r"\d+$", "N", t) for t in own] == [
        "GPU-Based Training — Frameworks like Kinetix and JaxMARL maximize throughput. · RL, lesson N"]
    topic = texts(site.html("rl/"), "pd-paper-item")
    assert all(" · undated" in t for t in topic), topic


def test_damaged_text_fails_a_strict_build(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    write_site(tmp_path, {"self_improvement/SelfDialogueGames.md": NOTES["self_improvement/SelfDialogueGames.md"]},
               CONFIG)
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        site = build_site(tmp_path, config=config)
    site = build_site(tmp_path)  # not strict: the page is built, and the log says why strict stopped
    check_warnings(site, DAMAGED)
    assert "Guess Who" in site.content("self_improvement/SelfDialogueGames/")


def test_check_names_damaged_text_in_front_matter(site, capsys, monkeypatch):
    monkeypatch.chdir(site.root)
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert re.search(DAMAGED, out) and len(re.findall("looks double-encoded", out)) == 1


def test_import_keeps_the_legacy_address_of_kinetix(tmp_path, capsys):
    if not LEGACY.exists():
        pytest.skip(f"the legacy diary is not beside the repository ({LEGACY})")
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    shutil.copy(LEGACY, legacy / "README.md")
    cli.main(["import", str(legacy), "--docs", str(tmp_path / "new" / "docs"), "--write"])
    capsys.readouterr()
    docs = tmp_path / "new" / "docs" / "distribution_and_gpu_acceleration"
    assert [p.name for p in docs.glob("*.md")] == ["KInetixGeneralRL.md"]
    assert "[Kinetix](KInetixGeneralRL.md)" in (docs / "KInetixGeneralRL.md").read_text(encoding="utf-8")


def test_the_diarys_own_kinetix_note_is_at_the_legacy_address():
    docs = Path(__file__).resolve().parent.parent / "docs"
    assert (docs / "distribution_and_gpu_acceleration" / "KInetixGeneralRL.md").is_file()
    assert not list(docs.rglob("KinetixGeneralRL.md"))
    links = [m for p in docs.rglob("*.md") for m in re.findall(r"\(([^)]*[Kk][Ii]netixGeneralRL\.md)\)", p.read_text())]
    assert links and all("KInetixGeneralRL.md" in link for link in links)

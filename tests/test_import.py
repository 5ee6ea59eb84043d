"""Importing the legacy diary: every lesson comes across, repaired, linked, and nothing is guessed."""

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import build_site, check_warnings
from paper_diary import cli
from paper_diary.encoding import repair

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT.parent / "shared" / "legacy" / "README.md"
LOST = {16: "ğŸ”", 23: "â€", 42: "â€", 92: "ï¸"}  # where the legacy README lost bytes for good


def legacy_lessons():
    """(theme title, lesson title or None, text without links' targets, [link targets]) from the README itself."""
    if not LEGACY.exists():
        pytest.skip(f"the legacy diary is not beside the repository ({LEGACY})")
    text, _ = repair(LEGACY.read_text(encoding="utf-8"))
    section = text.split("Highlights & Lessons Learned", 1)[1].split("\n---\n", 1)[0]
    lessons = []
    for block in re.split(r"^### ", section, flags=re.M)[1:]:
        theme = re.sub(r"^\d+\.\s*", "", block.splitlines()[0]).strip()
        for title, body in re.findall(r"^\d+\. \*\*(.+?)\*\*\\\n\s+(.+)$", block, re.M):
            lessons.append((theme, title, body.strip()))
        for body in re.findall(r"^- (.+)$", block, re.M):
            lessons.append((theme, None, body.strip()))
    return lessons


def plain(text_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text_html)).strip()


def built_lessons(site):
    page = site.content("highlights/")
    found = []
    for theme_html in page.split('<section class="pd-theme"')[1:]:
        theme = plain(re.search(r'<h2 class="pd-theme-title">(.*?)</h2>', theme_html, re.S).group(1))
        theme = re.sub(r"^\d+\.\s*", "", theme)
        for item in re.findall(r'<li class="pd-highlight".*?</li>', theme_html, re.S):
            title = re.search(r'<strong class="pd-highlight-title">(.*?)</strong>', item, re.S)
            text = re.search(r'<span class="pd-highlight-text">(.*?)</span>', item, re.S).group(1)
            links = re.findall(r'<a href="([^"]+)">', text)
            found.append((theme, plain(title.group(1)) if title else None, plain(text), links))
    return found


def without_links(markdown_text: str) -> str:
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)


def expected_pages(markdown_text: str, legacy_names: bool = False) -> list[str]:
    """The pages a lesson's links lead to: as the README spells them (the diary keeps KInetixGeneralRL.md), or,
    imported beside a note spelt KinetixGeneralRL.md, that note."""
    pages = [t[:-3] + "/" for t in re.findall(r"\]\(([^)]+\.md)\)", markdown_text)]
    return pages if legacy_names else [p.replace("KInetix", "Kinetix") for p in pages]


@pytest.fixture
def imported(tmp_path, capsys):
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    shutil.copy(LEGACY if LEGACY.exists() else pytest.skip("no legacy diary"), legacy / "README.md")
    for topic in ("LLM_reinforcement_learning", "marl", "robotics"):
        (legacy / topic).mkdir()
    (legacy / "marl" / "JaxMARL.md").write_text("---\ntitle: JaxMARL\n---\nMy note: caf\u00c3\u00a9.\n", encoding="utf-8")
    (legacy / "distribution_and_gpu_acceleration").mkdir()
    (legacy / "distribution_and_gpu_acceleration" / "KinetixGeneralRL.md").write_text("# Kinetix\n")
    return tmp_path, legacy


def test_import_is_a_dry_run_by_default(imported, capsys):
    root, legacy = imported
    code = cli.main(["import", str(legacy), "--docs", str(root / "site" / "docs")])
    out = capsys.readouterr().out
    assert code == 1  # it found spots it could not repair
    assert not (root / "site").exists()
    assert "would write" in out and "dry run: nothing was written" in out
    for line, text in LOST.items():
        assert f"README.md:{line}: '{text}' is double-encoded text whose bytes are lost" in out
    assert len(re.findall(r"bytes are lost", out)) == len(LOST)


def test_imported_legacy_diary_builds_every_lesson(imported, capsys):
    root, legacy = imported
    cli.main(["import", str(legacy), "--docs", str(root / "site" / "docs"), "--write"])
    out = capsys.readouterr().out
    assert "KInetixGeneralRL.md' differs in case" in out
    docs = root / "site" / "docs"
    assert "My note: café." in (docs / "marl" / "JaxMARL.md").read_text(encoding="utf-8")
    site = build_site(root / "site")
    # What the import could not repair, the build names again, in the note it went to.
    lost = r"\.md:6: 'â€' looks double-encoded; its bytes are lost, so no repair is certain: replace it by hand"
    check_warnings(site, "TokenEntropyRLVR" + lost, "SelfDialogueGames" + lost)
    built = built_lessons(site)
    expected = legacy_lessons()
    assert len(built) == len(expected) == 27
    assert [b[0] for b in built] == [e[0] for e in expected]  # same themes, same order
    for (theme, title, text, links), (e_theme, e_title, e_text) in zip(built, expected):
        assert title == e_title
        assert text == without_links(e_text)
        assert [link.split("/", 1)[1] if link.startswith("../") else link for link in links] == expected_pages(e_text)
        for link in links:  # every link resolves to a paper page
            assert 'class="pd-paper-header"' in site.content(link.replace("../", "", 1))


def test_import_refuses_to_overwrite_without_force(imported, capsys):
    root, legacy = imported
    docs = root / "site" / "docs"
    cli.main(["import", str(legacy), "--docs", str(docs), "--write"])
    (docs / "index.md").write_text("my own home\n")
    capsys.readouterr()
    code = cli.main(["import", str(legacy), "--docs", str(docs), "--write"])
    captured = capsys.readouterr()
    assert code == 1 and "exists; nothing was written (use --force" in captured.err
    assert (docs / "index.md").read_text() == "my own home\n"
    assert "is left alone; add these themes" in captured.out
    cli.main(["import", str(legacy), "--docs", str(docs), "--write", "--force"])
    assert "render_macros: true" in (docs / "index.md").read_text()


def test_import_of_a_missing_folder_is_bad_usage(tmp_path, capsys):
    assert cli.main(["import", str(tmp_path / "nowhere")]) == 2
    assert "README.md not found" in capsys.readouterr().err


def test_own_highlights_hold_the_legacy_lessons(tmp_path):
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    site = build_site(tmp_path, config=config)
    check_warnings(site)
    built = built_lessons(site)
    expected = legacy_lessons()
    assert len(built) == len(expected)
    own_themes = [re.sub(r"\s+", " ", b[0]) for b in built]
    assert own_themes == [e[0] for e in expected]
    for (theme, title, text, links), (_, e_title, e_text) in zip(built, expected):
        assert title == e_title
        # The notes finish the quotes whose bytes the legacy README lost.
        assert text == without_links(e_text).replace("â€", "”")
        assert [link.split("/", 1)[1] for link in links] == expected_pages(e_text, legacy_names=True)

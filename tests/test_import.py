"""Importing the legacy diary: every lesson comes across, repaired, linked, and nothing is guessed."""

import datetime
import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_site, check_warnings, tree
from paper_diary.commands import cli
from paper_diary.reading.encoding import repair

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
            text = re.search(r'<div class="pd-highlight-text">(.*?)</div>', item, re.S).group(1)
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


# A diary whose README kept growing: a dated reading list over months, lessons with nested lists, quotes and
# code, a level-4 theme, links to its own sections, a centred HTML title, plots beside the notes.
GROWN = Path(__file__).resolve().parent / "grown_diary"
GROWN_README = (GROWN / "README.md").read_text(encoding="utf-8")


def readme_line(text: str) -> int:
    """The README line that holds `text` (the last one, for a paper listed twice)."""
    numbers = [n for n, line in enumerate(GROWN_README.split("\n"), start=1) if text in line]
    assert numbers, text
    return numbers[-1]


def listed_entries() -> dict[str, tuple[str, str]]:
    """{note: (date, title)} of the reading list as its author means it: `January` follows December 2024."""
    found: dict[str, list[tuple[str, str]]] = {}
    month = year = None
    for line in GROWN_README.split("# 📖 Full Diary", 1)[1].split("\n"):
        if line.startswith("### "):
            words = line[4:].split()
            month = datetime.datetime.strptime(words[0], "%B").month
            year = int(words[1]) if len(words) > 1 else 2025
        m = re.match(r"\* (\d+)\w*(?: - \d+\w*)?:? \[([^\]]+)\]\(([^)]+)\)", line)
        if m and (GROWN / m.group(3)).exists():
            found.setdefault(m.group(3), []).append((datetime.date(year, month, int(m.group(1))).isoformat(),
                                                     m.group(2)))
    return {note: days[0] for note, days in found.items() if len({d for d, _ in days}) == 1}


def groups(out: str) -> dict[str, list[str]]:
    """The import's report: {kind: its lines}, from `kind (N):` and the indented lines under it."""
    found: dict[str, list[str]] = {}
    for line in out.splitlines():
        m = re.match(r"^(\S.*) \((\d+)\):$", line)
        if m:
            kind = found.setdefault(m.group(1), [])
        elif line.startswith("  ") and found:
            kind.append(line.strip())
    return found


def run_import(*args: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["import", *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """The grown diary imported with --write and built with --strict (shared by the tests below)."""
    root = tmp_path_factory.mktemp("grown")
    code, out, err = run_import(str(GROWN), "--docs", str(root / "docs"), "--write")
    site = build_site(root, strict=True)
    check_warnings(site)
    return root, site, code, out, err


def test_grown_dry_run_reports_each_planted_problem_at_its_readme_line(tmp_path):
    code, out, err = run_import(str(GROWN), "--docs", str(tmp_path / "docs"))
    assert code == 1 and not err
    assert list(tmp_path.iterdir()) == []  # a dry run writes nothing
    for kind in ("notes (13):", "pages (2):", "topic titles (7):", "files copied (5):", "site (1):", "left out (3):"):
        assert f"\n{kind}\n" in "\n" + out, kind
    assert f"would write {tmp_path}/docs/data_analysis/tsne_papers.html" in out
    problems = [line for line in groups(out)["reading list"] if "no year;" not in line]
    expected = {
        readme_line("optimisers/Muon.md"): "links 'optimisers/Muon.md', which is no note of the diary",
        readme_line("re-read the PPO paper"): "links no note",
        readme_line("[Scaling Laws"): "LLMs/ScalingLaws.md is listed on several days",
        readme_line("[JIT Compilation in JAX]"): "but its own line says 'Date read: 24th June 2025' "
                                                 "(distribution/JaxJIT.md:3)",
        readme_line("[AWQ: Activation"): "but its front matter says date: 2025-03-12",
    }
    assert len(problems) == len(expected), problems
    for line, message in expected.items():
        assert any(p.startswith(f"README.md:{line}: ") and message in p for p in problems), (line, message, problems)
    assert f"README.md:{readme_line('### January')}: 'January' has no year; 2025 keeps the list in order" in out
    assert ".obsidian/: hidden" in out and "'⚙️ Repository Structure' (the folders of the diary) is left out" in out


def test_grown_listed_notes_are_dated_titled_and_summarised(grown):
    root, site, code, out, _ = grown
    papers = {p["url"]: p for p in json.loads((site.out / "papers.json").read_text(encoding="utf-8"))["papers"]}
    listed = listed_entries()
    assert len(listed) == 12
    own_titles = {"LLMs/ScalingLaws.md", "marl/JaxMARL.md", "quantisation/AWQ.md"}  # front matter or `# Title`
    for note, (day, title) in listed.items():
        paper = papers[note[:-3] + "/"]
        assert paper["date"] == ("2025-03-12" if note == "quantisation/AWQ.md" else day), note  # front matter wins
        if note not in own_titles:
            assert paper["title"] == title, note
    assert papers["LLMs/ChainOfThought/"]["summary"] == ("asking for the steps makes large models better at "
                                                         "arithmetic and commonsense reasoning.")  # wrapped
    assert papers["quantisation/GPTQ/"]["summary"] == "one layer at a time, a week after AWQ"  # text, no link
    assert papers["LLM_reinforcement_learning/ProlongedRL/"]["summary"].endswith("what the model’s able to reason about.")
    # Listed on two days: the list does not choose (the note's own date line, or git, dates it at build time).
    assert "date:" not in (root / "docs" / "LLMs" / "ScalingLaws.md").read_text(encoding="utf-8")
    # The notes keep every line they had.
    for note in listed:
        original = (GROWN / note).read_text(encoding="utf-8")
        assert original.split("---\n", 2)[-1] in (root / "docs" / note).read_text(encoding="utf-8")


def test_grown_diary_and_calendar_count_the_listed_notes(grown):
    _, site, _, _, _ = grown
    papers = json.loads((site.out / "papers.json").read_text(encoding="utf-8"))["papers"]
    dated = Counter(p["date"] for p in papers if p["date"])
    listed = Counter(day if note != "quantisation/AWQ.md" else "2025-03-12" for note, (day, _) in listed_entries().items())
    assert all(dated[day] >= n for day, n in listed.items())  # every listed note counts on its day
    page = site.html("diary/")
    counted = {d: int(n) for d, n in re.findall(r'data-date="([\d-]+)" data-count="(\d+)"', page) if n != "0"}
    assert counted == dict(dated)
    assert f"{sum(dated.values())} papers in July 2024" in page
    chart = re.search(r'<title id="pd-months-title">Papers per month: (.*?)</title>', page).group(1)
    for month, n in re.findall(r"(\w{3} \d{4}) (\d+)", chart):
        start = datetime.datetime.strptime(month, "%b %Y").strftime("%Y-%m")
        assert int(n) == sum(c for day, c in dated.items() if day.startswith(start)), month
    for note, (_, title) in listed_entries().items():  # and every paper by month
        assert f'href="../{note[:-3]}/">' in page, note


def lesson_items(site, url: str) -> dict[str, str]:
    """{lesson title or text start: its HTML} on a page."""
    page = site.content(url)
    items = {}
    for item in re.findall(r'<li class="pd-highlight".*?</li>\s*(?=<li class="pd-highlight"|</ol>|</ul>\s*</aside>)',
                           page, re.S):
        title = re.search(r"<strong[^>]*>(.*?)</strong>", item)
        items[html.unescape(title.group(1)) if title else plain(item)[:30]] = item
    return items


def test_grown_lessons_keep_their_lists_quotes_and_code(grown):
    _, site, _, _, _ = grown
    lessons = lesson_items(site, "highlights/")
    zone = lessons["Zone of Proximal Development"]
    assert re.search(r"<ul>\s*<li>drop prompts the model always solves</li>\s*<li>drop prompts it never solves"
                     r"<ul>\s*<li>ProRL also resets", zone)
    assert "<blockquote>" in zone and "*" not in plain(zone) and "- drop" not in zone
    assert re.search(r"<ol>\s*<li>a model proposes a task as Python code</li>",
                     lessons["LLM‑Driven Environment Generation"])
    code = lessons["Trace once, run many times"]
    assert '<pre><code class="language-python">@jax.jit' in code
    assert "# traced again when a shape &amp;&amp; a dtype change" in code  # escaped once, shown as written
    assert lessons["High‑Entropy Token Training"].count("<p>") == 0  # one line of text stays one line
    # The same lesson, as its paper's page shows it.
    own = site.content("LLM_reinforcement_learning/ProlongedRL/")
    assert re.search(r"<li>drop prompts it never solves<ul>\s*<li>ProRL also resets", own)


def test_grown_level_four_theme_and_sub_headings(grown):
    root, site, _, _, _ = grown
    page = site.content("highlights/")
    titles = [plain(t) for t in re.findall(r'<h2 class="pd-theme-title">(.*?)</h2>', page, re.S)]
    assert titles == ["1. Reinforcement Learning (RL)", "2. Open‑Endedness & Auto‑Curricula", "3. Systems & GPUs",
                      "4. Quantisation", "5. Multi‑Agent Reinforcement Learning (MARL)"]
    quantisation = page.split('id="quantisation"', 1)[1].split("</section>", 1)[0]
    texts = [plain(t) for t in re.findall(r'<div class="pd-highlight-text">(.*?)</div>', quantisation, re.S)]
    assert [t.split(":")[0].split(" ")[0] for t in texts] == ["AWQ", "Weight-only", "Most", "GPTQ"]
    assert "Post-training methods" in quantisation  # an un-numbered sub-heading stays in its theme
    assert "from AWQ: Activation-aware Weight Quantization" in quantisation
    assert "5. Multi" in page and plain(page).count("Agent selection via ELO") == 1  # not in Quantisation


def test_grown_section_links_reach_their_theme_and_no_anchor_becomes_a_file(grown):
    root, site, _, _, _ = grown
    verifier = lesson_items(site, "highlights/")["Self-play needs a verifier"]
    assert '<a href="./#open-endedness-auto-curricula">section 2</a>' in verifier
    memory = lesson_items(site, "highlights/")["Memory moves cost more than maths"]
    assert '<a href="./#post-training-methods">post-training methods</a>' in memory  # a lesson's own heading
    assert 'id="post-training-methods"' in site.content("highlights/")
    assert 'id="open-endedness-auto-curricula"' in site.content("highlights/")
    paper = site.content("LLM_reinforcement_learning/AbsoluteZeroReasoner/")
    assert '<a href="../../highlights/#open-endedness-auto-curricula">section 2</a>' in paper
    home = site.content("")
    assert '<a href="highlights/">Highlights</a>' in home and '<a href="#-plots">Plots</a>' in home  # GitHub's
    assert 'id="-plots"' in home and '<a href="diary/">the full diary</a>' in home
    assert not [p for p in root.rglob("*") if p.name.startswith("#")]


def test_grown_site_is_named_by_its_readme_and_serves_its_plot(grown):
    root, site, _, _, _ = grown
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Paper Diary" and config["site_author"] == "Dom Rigby"
    assert "<title>Highlights &amp; Lessons Learned - Paper Diary</title>" in site.html("highlights/")
    assert '<meta name="author" content="Dom Rigby">' in site.html("")
    home = site.content("")
    assert "research papers—summarising key methods" in home  # repaired: it read 'papersâ€”summarising'
    assert "Full Diary" not in home and "Repository Structure" not in home and "├──" not in home
    assert '<iframe src="data_analysis/tsne_papers.html"' in home
    assert (site.out / "data_analysis" / "tsne_papers.html").read_bytes() == \
        (GROWN / "data_analysis" / "tsne_papers.html").read_bytes()
    assert (site.out / "images" / "poet_overview.png").exists()  # an image a note embeds
    assert '<img alt="POET overview" src="../../images/poet_overview.png"' in site.content("open_endedness/POET/")
    assert not (root / "docs" / ".obsidian").exists()


def test_grown_topics_keep_their_capitals_in_pages_files(grown):
    root, site, _, _, _ = grown
    assert (root / "docs" / "LLMs" / ".pages").read_text(encoding="utf-8") == 'title: "LLMs"\n'
    assert (root / "docs" / "GPU_kernels" / ".pages").read_text(encoding="utf-8") == 'title: "GPU Kernels"\n'
    sidebar = site.sidebar("")
    assert "LLMs" in sidebar and "GPU Kernels" in sidebar and "LL Ms" not in sidebar


def test_grown_import_refuses_then_is_idempotent_with_force(grown, tmp_path):
    root, _, code, out, _ = grown
    assert code == 1 and "wrote" in out  # it wrote, and says what it found wrong
    before = tree(root / "docs")
    code, out, err = run_import(str(GROWN), "--docs", str(root / "docs"), "--write")
    assert "tsne_papers.html exists; nothing was written (use --force" in err
    assert tree(root / "docs") == before
    run_import(str(GROWN), "--docs", str(root / "docs"), "--write", "--force")
    run_import(str(GROWN), "--docs", str(root / "docs"), "--write", "--force")
    after = tree(root / "docs")
    assert after == before, sorted(k for k in after if after.get(k) != before.get(k))


def reading_list(months: list[str], entry: str = "* 3rd: [Note](t/Note.md)") -> list:
    from paper_diary.commands.readme import parse_readme

    readme = parse_readme("# Diary\n\n# Full Diary\n\n" + "".join(f"### {m}\n{entry}\n" for m in months))
    return readme


@pytest.mark.parametrize("months, years", [
    (["November 2024", "December", "January", "February 2025"], [2024, 2024, 2025, 2025]),  # oldest first
    (["March 2025", "February", "January", "December", "November 2024"], [2025, 2025, 2025, 2024, 2024]),  # newest first
    (["October", "November 2024", "December 2024"], [2024, 2024, 2024]),  # before the first dated month
    (["May 2025", "June 2025", "October"], [2025, 2025, 2025]),
])
def test_a_month_without_a_year_takes_the_year_that_keeps_the_list_in_order(months, years):
    readme = reading_list(months)
    assert [e.date.year for e in readme.entries] == years
    assert not readme.problems


@pytest.mark.parametrize("days, year", [("* 3rd: [A](t/A.md)\n* 20th: [B](t/B.md)", 2025),  # day after day
                                        ("* 20th: [A](t/A.md)\n* 3rd: [B](t/B.md)", 2024)])  # newest first
def test_with_one_dated_month_the_days_tell_which_way_the_list_runs(days, year):
    readme = reading_list(["May 2025", "October"], days)
    assert [e.date.year for e in readme.entries] == [2025, 2025, year, year] and not readme.problems


def test_a_month_whose_year_the_list_cannot_tell_is_reported_and_left_undated():
    readme = reading_list(["May 2025", "October"])  # oldest or newest first? one dated month cannot say
    assert [e.date for e in readme.entries] == [datetime.date(2025, 5, 3), None]
    assert [(p.line, p.message.split(";")[0]) for p in readme.problems] == [
        (7, "this month has no year, and the headings around it do not tell it")]


@pytest.mark.parametrize("entry, day, title, summary", [
    ("* 23rd: [Absolute Zero Reasoner](t/Note.md): creates a self-play\nparadigm.", 23, "Absolute Zero Reasoner",
     "creates a self-play paradigm."),
    ("* 14th - 15th: [How to think about GPUs](t/Note.md)", 14, "How to think about GPUs", ""),
    ("* 23rd [JIT Compilation in JAX](t/Note.md)", 23, "JIT Compilation in JAX", ""),
    ("- **5th**: [*ProRL*](t/Note.md) - longer RL\n  keeps going", 5, "ProRL", "longer RL keeps going"),
    ("* 6th: [GPT_4 Technical Report](t/Note.md)", 6, "GPT_4 Technical Report", ""),
    ("1. 2nd – 4th: [A](t/Note.md): b", 2, "A", "b"),
])
def test_reading_list_entries_as_people_write_them(entry, day, title, summary):
    (found,) = reading_list(["May 2025"], entry).entries
    assert (found.date, found.title, found.summary, found.target) == (datetime.date(2025, 5, day), title, summary,
                                                                      "t/Note.md")


def test_reading_list_entries_under_no_month_are_reported_once_and_left_undated():
    from paper_diary.commands.readme import parse_readme

    readme = parse_readme("# Diary\n\n# Full Diary\n\n* 3rd: [A](t/A.md)\n\n### Re-reads\n* 4th: [B](t/B.md)\n\n"
                          "### May 2025\n* 5th: [C](t/C.md)\n")
    assert [e.date for e in readme.entries] == [None, None, datetime.date(2025, 5, 5)]
    assert [(p.line, "under no month" in p.message) for p in readme.problems] == [(5, True), (7, True)]


def test_reading_list_entries_that_cannot_be_read_are_reported_with_their_line():
    readme = reading_list(["February 2025"], "* 30th: [A](t/A.md)\n* [B](t/B.md)\n* 4th: read B again")
    assert [p.line for p in readme.problems] == [6, 7, 8]
    assert "'30th' is not a day of February 2025" in readme.problems[0].message
    assert "starts with no day" in readme.problems[1].message and "links no note" in readme.problems[2].message


def test_import_into_a_diary_made_by_init_names_it_and_sets_its_themes_with_force(tmp_path):
    root = tmp_path / "diary"
    assert cli.main(["init", str(root)]) == 0
    made = (root / "mkdocs.yml").read_text(encoding="utf-8")
    code, out, _ = run_import(str(GROWN), "--docs", str(root / "docs"), "--write")
    assert (root / "mkdocs.yml").read_text(encoding="utf-8") == made  # left alone without --force
    assert "exists and is left alone; add these themes" in out
    assert 'site_name: "Paper Diary", site_author: "Dom Rigby"' in out
    code, out, _ = run_import(str(GROWN), "--docs", str(root / "docs"), "--force")
    assert f"would update {root}/mkdocs.yml" in out and (root / "mkdocs.yml").read_text(encoding="utf-8") == made
    run_import(str(GROWN), "--docs", str(root / "docs"), "--write", "--force")
    from mkdocs.utils.yaml import yaml_load  # init's site_url is `!ENV [SITE_URL, ...]`, as MkDocs reads it

    config = yaml_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Paper Diary" and config["site_author"] == "Dom Rigby"
    assert config["site_url"] == yaml_load(made)["site_url"]  # the rest of init's file is kept
    assert "site_url: !ENV [SITE_URL, " in (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "# The published address" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    themes = next(p["paper-diary"]["themes"] for p in config["plugins"] if isinstance(p, dict) and "paper-diary" in p)
    assert [t["id"] for t in themes] == ["rl", "open-endedness-auto-curricula", "systems-gpus", "quantisation", "marl"]
    site = build_site(root, strict=True)
    check_warnings(site)
    assert "Zone of Proximal Development" in site.content("highlights/")


README_LINES = (GROWN_README + (LEGACY.read_text(encoding="utf-8") if LEGACY.exists() else "")).split("\n")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(README_LINES), st.sampled_from(["", "", " ", "  ", "   ", "    "])),
                max_size=50))
def test_any_readme_made_of_real_lines_imports_and_its_lessons_read_back(picked):
    """READMEs are edited on phones: any shuffle of real lines, indented anyhow, is read without an error, and
    every lesson's Markdown comes back from the front matter it is written into exactly as it was taken."""
    from paper_diary.reading import frontmatter
    from paper_diary.commands.importer import _lessons_yaml
    from paper_diary.commands.readme import parse_readme

    readme = parse_readme("\n".join(indent + line for line, indent in picked))
    if readme.lessons:
        fm = frontmatter.parse("t/N.md", "---\n" + _lessons_yaml(readme.lessons) + "---\n")
        assert not fm.problems
        assert [h["text"] for h in fm.values["highlights"]] == [lesson.text for lesson in readme.lessons]
    assert all(lesson.text.strip() for lesson in readme.lessons)


def test_a_topic_that_has_its_pages_file_keeps_it(tmp_path):
    legacy = tmp_path / "old"
    (legacy / "marl").mkdir(parents=True)
    (legacy / "README.md").write_text("# My diary\n\nA paper a day.\n", encoding="utf-8")
    (legacy / "marl" / "JaxMARL.md").write_text("## JaxMARL\n\nDate read: 3rd February 2025\n", encoding="utf-8")
    (legacy / "marl" / ".pages").write_text("title: Multi-Agent RL\n", encoding="utf-8")
    code, out, _ = run_import(str(legacy), "--docs", str(tmp_path / "docs"), "--write")
    assert code == 0, out
    assert (tmp_path / "docs" / "marl" / ".pages").read_text(encoding="utf-8") == "title: Multi-Agent RL\n"
    assert "left out" not in out and "topic titles" not in out


def test_a_readme_with_latex_braces_makes_a_home_page_macros_leave_alone(tmp_path):
    legacy = tmp_path / "old"
    (legacy / "rl").mkdir(parents=True)
    (legacy / "README.md").write_text("# Diary\n\nThe objective: $\\mathbb{E}_{x}[{{r}}]$ and {% not a tag %}.\n",
                                      encoding="utf-8")
    (legacy / "rl" / "PPO.md").write_text("## PPO\n\nDate read: 3rd February 2025\n", encoding="utf-8")
    code, out, _ = run_import(str(legacy), "--docs", str(tmp_path / "docs"), "--write")
    assert code == 0, out
    site = build_site(tmp_path, strict=True)
    check_warnings(site)
    page = html.unescape(site.content(""))
    # macros ran over neither: the formula is typeset from its TeX as written, and the text after it is kept
    assert '<annotation encoding="application/x-tex">\\mathbb{E}_{x}[{{r}}]</annotation>' in page
    assert " and {% not a tag %}." in page


def test_a_note_that_is_not_utf8_is_copied_byte_for_byte_and_reported(tmp_path):
    legacy = tmp_path / "old"
    (legacy / "rl").mkdir(parents=True)
    (legacy / "README.md").write_text(
        "# Diary\n\n## Highlights\n\n### 1. RL\n\n1. **Clip the ratio**\\\n   [PPO](rl/PPO.md) clips it.\n\n"
        "# Full Diary\n\n### February 2025\n* 3rd: [PPO](rl/PPO.md): proximal policy optimisation\n",
        encoding="utf-8")
    latin1 = "## PPO\n\nDate read: 3rd February 2025\n\nSchulman et al., caf\u00e9 notes.\n".encode("latin-1")
    (legacy / "rl" / "PPO.md").write_bytes(latin1)
    code, out, _ = run_import(str(legacy), "--docs", str(tmp_path / "docs"), "--write")
    assert code == 1
    assert (tmp_path / "docs" / "rl" / "PPO.md").read_bytes() == latin1
    assert ("rl/PPO.md:5: is not UTF-8 (byte 0xe9); it is copied as it is, without front matter (no date from the "
            "list; its README lessons go to the highlights page): re-save it as UTF-8 and import again") in out
    site = build_site(tmp_path)
    check_warnings(site, r"rl/PPO\.md:5: is not UTF-8")
    assert "Clip the ratio" in site.content("highlights/") and 'href="../rl/PPO/"' in site.content("highlights/")

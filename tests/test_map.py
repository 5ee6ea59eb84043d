"""The map of papers (/map/) and the reading curve (/diary/), built into real sites with `theme: material`.

The map's quality is scored on notes of a few topic folders, each with words of its own (tests/map_notes.py):
the folders are the answer key, never the map's input (it reads the notes' text alone).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys

import numpy as np
import pytest
from scipy.spatial import procrustes
from sklearn.manifold import trustworthiness

import map_notes
from conftest import Site, build_site, check_warnings, without_layout, write_site
from paper_diary.diary import layout as map_layout
from paper_diary.diary import map_text
from paper_diary.diary import map as paper_map
from paper_diary.diary.scan import scan

PER_TOPIC = 40  # 4 topics: 160 papers; 2 more per topic (5%) for the grown diary
MACROS = {"plugins": ["search", {"macros": {"render_by_default": False}}, "paper-diary"]}
HOME = "---\nrender_macros: true\n---\n# Home\n\n{{ paper_map() }}\n"


def layout(site) -> dict[str, tuple[float, float, str]]:
    """{paper URL: (x, y, topic)} from the site's map.json."""
    data = json.loads((site.out / "map.json").read_text(encoding="utf-8"))
    return {p["url"]: (p["x"], p["y"], p["topic"]) for p in data["papers"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The diary of 160 notes built once with the cache on; then grown by 5% and built again, from the cache."""
    root = tmp_path_factory.mktemp("map") / "diary"
    write_site(root, {**map_notes.notes(PER_TOPIC), "index.md": HOME}, MACROS)
    first = build_site(root)
    check_warnings(first)
    before = {"map": first.html("map/"), "json": (first.out / "map.json").read_bytes(),
              "layout": layout(first), "home": first.html(""),
              "paper": first.html("robot_grasping/" + sorted((root / "docs/robot_grasping").glob("*.md"))[0].stem + "/")}
    cached = sorted(p.name for p in (root / ".cache/paper-diary/map").glob("*.json"))
    write_site(root, {**map_notes.notes(PER_TOPIC), **map_notes.notes(2, start=PER_TOPIC), "index.md": HOME},
               MACROS)
    grown = build_site(root)
    check_warnings(grown)
    return {"root": root, "before": before, "cached": cached, "grown": layout(grown), "site": grown}


def test_neighbours_on_the_map_share_their_folder(built):
    points = built["before"]["layout"]
    xy = np.array([(x, y) for x, y, _ in points.values()])
    topics = np.array([t for _, _, t in points.values()])
    distance = ((xy[:, None] - xy[None]) ** 2).sum(-1)
    np.fill_diagonal(distance, np.inf)
    nearest = np.argsort(distance, axis=1, kind="stable")[:, :10]
    share = (topics[nearest] == topics[:, None]).mean(axis=1)  # per paper
    chance = np.array([(topics == t).sum() - 1 for t in topics]) / (len(topics) - 1)
    assert len(points) == 4 * PER_TOPIC
    assert share.min() >= 0.8, sorted(share)[:5]
    assert (share >= 3 * chance).all(), (share.min(), chance.max())


def test_the_map_keeps_neighbours_it_shows(built):
    """Trustworthiness (10 neighbours): papers near on the map are near in the vectors the map was made from."""
    diary = scan(built["root"] / "docs")
    # The first build's papers (the docs hold the grown diary now); their notes are as they were.
    papers = sorted((p for p in diary.papers.values() if int(re.search(r"(\d+)$", p.name).group(1)) < PER_TOPIC),
                    key=lambda p: p.src_uri)
    _, _, vectors = map_layout.vectors([map_text.paper_text(p) for p in papers])
    points = built["before"]["layout"]
    xy = np.array([points[f"{p.topic}/{p.name}/"][:2] for p in papers])
    assert len(papers) == 4 * PER_TOPIC
    assert trustworthiness(vectors, xy, n_neighbors=10) >= 0.95


def test_a_grown_diary_keeps_its_map(built):
    """5% more papers: the old points move by a Procrustes disparity of at most 0.05 (the layout continues from
    the cached one); the cache kept both layouts and the latest."""
    old, new = built["before"]["layout"], built["grown"]
    assert len(new) == len(old) + 8 and old.keys() <= new.keys()
    a = np.array([old[u][:2] for u in sorted(old)])
    b = np.array([new[u][:2] for u in sorted(old)])
    _, _, disparity = procrustes(a, b)
    assert disparity <= 0.05, disparity
    assert len(built["cached"]) == 2 and "latest.json" in built["cached"]
    assert len(list((built["root"] / ".cache/paper-diary/map").glob("*.json"))) == 3


def test_a_paper_added_to_a_grown_map_is_placed_by_its_neighbours(built, tmp_path, monkeypatch):
    """One new paper (under 2% of the diary): t-SNE does not run; every old point stays exactly where it was and
    the new one lies among papers of its folder. Its clusters and their names are those of a map laid out from
    nothing. Once the papers placed so add up to more than 2%, the map is laid out again (and the points move)."""
    root = tmp_path / "diary"
    shutil.copytree(built["root"], root)
    shutil.rmtree(root / "site")
    grown = {**map_notes.notes(PER_TOPIC), **map_notes.notes(2, start=PER_TOPIC), "index.md": HOME}
    third = {k: v for k, v in map_notes.notes(3, start=PER_TOPIC).items() if k not in grown}  # one per folder
    one = {k: v for k, v in third.items() if k.startswith("speech_recognition/")}
    assert len(one) == 1 and len(third) == 4
    tsne, real_tsne = [], map_layout._tsne
    monkeypatch.setattr(map_layout, "_tsne", lambda *a: tsne.append(1) or real_tsne(*a))
    monkeypatch.setattr(paper_map.Job, "BACKGROUND_FROM", 10**6)  # here, where the stub is
    write_site(root, {**grown, **one}, MACROS)
    site = build_site(root)
    check_warnings(site)
    placed = layout(site)
    assert not tsne
    # /map/ and the home page's map are made anew (the build cache keeps them for the same papers and places).
    for page, circle in ((site.html("map/"), '<circle id="paper-'), (site.html(""), "<circle ")):
        assert page.count(circle) == len(layout(site)), "a stale map"
    old = built["grown"]
    assert {u: placed[u] for u in old} == old
    (url,) = placed.keys() - old.keys()
    x, y, topic = placed[url]
    others = sorted(old.values(), key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)[:5]
    assert [t for _, _, t in others].count(topic) >= 4, (topic, others)
    # The clusters and names of a map from nothing.
    monkeypatch.setenv("PAPER_DIARY_NO_CACHE", "1")
    write_site(tmp_path / "clean", {**grown, **one}, MACROS)
    clean = build_site(tmp_path / "clean")
    monkeypatch.delenv("PAPER_DIARY_NO_CACHE")
    strip = lambda site: without_layout("map.json", (site.out / "map.json").read_bytes())  # noqa: E731
    assert strip(site) == strip(clean)
    # Three more, of three folders: 4 placed of 172 is over 2%, so t-SNE runs again, from the last layout.
    three = {k: v for k, v in third.items() if k not in one}
    write_site(root, {**grown, **one, **three}, MACROS)
    again = layout(build_site(root))
    assert tsne and len(again) == len(placed) + 3
    assert any(again[u] != placed[u] for u in placed)


def test_the_map_page_home_and_paper_pages(built):
    page, home, paper = built["before"]["map"], built["before"]["home"], built["before"]["paper"]
    svg = re.search(r'<svg class="pd-map-svg".*?</svg>', page, re.S).group(0)
    circles = re.findall(r'<circle id="(paper-[0-9a-f]{10})" class="pd-map-paper pd-map-topic-\d+"', svg)
    assert len(circles) == len(set(circles)) == 4 * PER_TOPIC
    names = re.findall(r'<text class="pd-map-cluster-name"[^>]*>([^<]+)</text>', svg)
    assert 2 <= len(names) <= 12 and all(" · " in n for n in names)
    # Every topic has a word of its own among the names (the clusters are the folders here).
    for topic, own in map_notes.TOPICS.items():
        assert any(w in n.split(" · ") for n in names for w in own), (topic, names)
    # The text alternative: every cluster with its papers, linked.
    clusters = re.findall(r'<h3 id="cluster-\d+" class="pd-map-cluster">', page)
    assert len(clusters) == len(names)
    listed = re.findall(r'<ul class="pd-map-cluster-papers">(.*?)</ul>', page, re.S)
    assert sum(len(re.findall(r"<li><a href=", ul)) for ul in listed) == 4 * PER_TOPIC
    assert 'class="pd-map-legend"' in page and page.count('class="pd-map-swatch') == 4
    assert 'data-title="' in svg and 'data-cluster="' in svg and "data-href=" in svg
    # A paper page names its cluster and links to its point.
    line = re.search(r'<p class="pd-cluster">On the map: <a class="pd-cluster-link" href="../../map/#(paper-[0-9a-f]+)">'
                     r'([^<]+)</a></p>', paper)
    assert line and line.group(1) in circles and line.group(2) in names
    # The home page's small map: the picture as a link to /map/, the clusters named in text.
    small = re.search(r'<div class="pd-home-map".*?</div>', home, re.S).group(0)
    assert 'href="map/"' in small and len(re.findall(r"<circle ", small)) == 4 * PER_TOPIC
    assert all(n in small for n in names)


def test_a_paper_in_a_group_too_small_to_name_says_so(tmp_path):
    """Two notes make one group of two, which gets no name: the card links to its place without calling it
    anything, and /map/ names no cluster."""
    write_site(tmp_path, {"rl/PPO.md": "## PPO\n\nClipped policy gradient updates.\n",
                          "rl/TRPO.md": "## TRPO\n\nTrust region policy updates.\n"})
    site = build_site(tmp_path, strict=True)
    check_warnings(site)
    card = re.search(r'<p class="pd-cluster">.*?</p>', site.html("rl/PPO/"), re.S).group(0)
    assert re.fullmatch(r'<p class="pd-cluster"><a class="pd-cluster-link" href="../../map/#paper-[0-9a-f]+">'
                        r'On the map</a>, in a group too small to name</p>', card), card
    assert "pd-map-cluster-name" not in site.html("map/")


def test_the_map_reads_the_body(built, tmp_path, monkeypatch):
    """A note whose prose (not its title, headings or facts) is rewritten to speak of another folder's subject
    moves to that folder's cluster at `mkdocs build`, with the clusters and names of a build from nothing; its
    code and URLs are not read."""
    root = tmp_path / "diary"
    shutil.copytree(built["root"], root)
    shutil.rmtree(root / "site")
    notes = {**map_notes.notes(PER_TOPIC), **map_notes.notes(2, start=PER_TOPIC), "index.md": HOME}
    name = sorted(n for n in notes if n.startswith("robot_grasping/"))[0]
    rng = random.Random(1)
    prose = ". ".join(map_notes.words(rng, map_notes.TOPICS["protein_folding"], 14, 0.8).capitalize()
                      for _ in range(8))
    title = notes[name].split("\n")[0]  # its robot words stay, and no heading says anything new
    notes[name] = f"{title}\n\n{prose}.\n\n```python\ngripper = grasp(suction, bin)\n```\nhttps://example.org/gripper\n"
    write_site(root, notes, MACROS)
    site = build_site(root)
    check_warnings(site)
    data = json.loads((site.out / "map.json").read_text(encoding="utf-8"))
    cluster = {p["url"]: p["cluster"] for p in data["papers"]}
    url = name[:-3] + "/"
    protein = [c for u, c in cluster.items() if u.startswith("protein_folding/")]
    assert cluster[url] == max(set(protein), key=protein.count)
    monkeypatch.setenv("PAPER_DIARY_NO_CACHE", "1")
    write_site(tmp_path / "clean", notes, MACROS)
    clean = build_site(tmp_path / "clean")
    strip = lambda site: without_layout("map.json", (site.out / "map.json").read_bytes())  # noqa: E731
    assert strip(site) == strip(clean)


def test_two_builds_give_the_same_bytes(built, tmp_path, monkeypatch):
    """From nothing, twice (no cache): the same /map/ and map.json, byte for byte; and the same as the build
    that stored the layout in its cache."""
    monkeypatch.setenv("PAPER_DIARY_NO_CACHE", "1")
    out = []
    for name in ("one", "two"):
        if name == "two":  # laid out in a second process, as a build of a large diary does it
            monkeypatch.setattr(paper_map.Job, "BACKGROUND_FROM", 0)
        write_site(tmp_path / name, {**map_notes.notes(PER_TOPIC), "index.md": HOME}, MACROS)
        site = build_site(tmp_path / name)
        check_warnings(site)
        out.append((site.html("map/"), (site.out / "map.json").read_bytes()))
        assert not (tmp_path / name / ".cache").exists()
    assert out[0] == out[1]
    assert out[0] == (built["before"]["map"], built["before"]["json"])


def test_an_unchanged_build_never_computes_the_map(built, monkeypatch):
    root = built["root"]
    shutil.rmtree(root / "site")

    def no(*args, **kwargs):
        raise AssertionError("the map was computed again")

    monkeypatch.setattr(paper_map, "compute", no)
    site = build_site(root)
    check_warnings(site)
    assert layout(site) == built["grown"]


def test_a_changed_note_starts_the_maps_process_while_notes_are_read(built, tmp_path, monkeypatch):
    """The map's process (and scikit-learn's second of imports) starts as soon as a note is read anew, not once
    every note is linked; a build of unchanged notes never starts it. The process so started lays out the map
    the build laid out before, byte for byte."""
    root, other = tmp_path / "diary", tmp_path / "other"
    shutil.copytree(built["root"], root)
    shutil.copytree(built["root"], other)
    check_warnings(build_site(root))  # the build cache is the folder's: a copy starts it again
    warmed = []
    monkeypatch.setattr(paper_map, "warm", lambda: warmed.append(1))
    check_warnings(build_site(root))
    assert not warmed
    files = {**map_notes.notes(PER_TOPIC), **map_notes.notes(2, start=PER_TOPIC), "index.md": HOME,
             "robot_grasping/A Paper Read Today.md": "## A Paper Read Today\n\nGrasping with a robot hand.\n"}
    write_site(other, files, MACROS)
    monkeypatch.setattr(paper_map.Job, "BACKGROUND_FROM", 10**6)  # as before: laid out here, when asked
    before = build_site(other)
    check_warnings(before)
    assert warmed
    monkeypatch.undo()
    # The tests load scikit-learn here, where a build does not: forget it, as `warm` would find it.
    monkeypatch.delitem(sys.modules, "sklearn")
    took, real_init = [], paper_map.Job.__init__

    def init(self, *args, **kwargs):
        spare = paper_map._spare
        real_init(self, *args, **kwargs)
        took.append(spare is not None and self._worker is spare)

    monkeypatch.setattr(paper_map.Job, "__init__", init)
    write_site(root, files, MACROS)
    site = build_site(root)
    check_warnings(site)
    assert took == [True] and paper_map._spare is None
    assert (site.out / "map.json").read_bytes() == (before.out / "map.json").read_bytes()
    # A sentence added to a note's prose: read anew, so the process starts; the map reads none of it and comes
    # from its cache, so the process is stopped at once rather than left loading beside the build.
    started, real_start = [], paper_map._Worker.start
    monkeypatch.setattr(paper_map._Worker, "start", lambda: started.append(real_start()) or started[-1])
    note = next((root / "docs/robot_grasping").glob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more sentence of prose.\n", encoding="utf-8")
    check_warnings(build_site(root))
    assert len(started) == 1 and not started[0]._process.is_alive() and paper_map._spare is None


def test_a_map_process_that_dies_is_done_again_here(built):
    """The map's process killed (out of memory, by hand) before it answers: the build lays the map out itself,
    the same map."""
    papers = list(scan(built["root"] / "docs").papers.values())
    here = paper_map.build(papers)
    job = paper_map.start(papers, background=True)
    job._worker._process.kill()
    there = job.result()
    assert job._worker is None and there.how == here.how == "computed"
    assert [(p.paper.src_uri, p.x, p.y, p.cluster) for p in there.points] == \
        [(p.paper.src_uri, p.x, p.y, p.cluster) for p in here.points]


def test_without_scikit_learn_the_diary_builds_and_the_map_says_how(tmp_path, monkeypatch):
    """The extra `paper-diary[map]` not installed (the import fails): a strict build passes, /map/ names the
    command, paper pages have no cluster line, and nothing is cached."""
    for name in [m for m in sys.modules if m == "sklearn" or m.startswith("sklearn.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sklearn", None)  # `import sklearn` raises ImportError
    write_site(tmp_path, {**map_notes.notes(3), "index.md": HOME}, MACROS)
    site = build_site(tmp_path, strict=True)
    check_warnings(site)
    page = site.content("map/")
    assert "The map is not built: the map needs scikit-learn, numpy and scipy (sklearn is not installed): " \
           "pip install &#39;paper-diary[map]&#39;, then build the diary again." in page
    assert "<svg" not in page and "pd-cluster" not in site.html("robot_grasping/")
    note = sorted((tmp_path / "docs/graph_networks").glob("*.md"))[0].stem
    assert 'class="pd-cluster"' not in site.html(f"graph_networks/{note}/")
    assert "pip install" in site.html("")  # the home page's macro says it too
    assert json.loads((site.out / "map.json").read_text())["missing"].endswith("pip install 'paper-diary[map]'")
    assert not (tmp_path / ".cache/paper-diary/map").exists()


EXPECT = {("rl/Empty.md", "rl/Blank.md", "rl/Code.md", "rl/T.md"): (r"rl/Empty\.md:1: is empty", r"rl/Blank\.md:1: is empty")}


@pytest.mark.parametrize("files", [
    {},
    {"rl/Only.md": "## Only one paper\n\nDate read: 3rd March 2025\n"},
    {"rl/A.md": "## A\n", "rl/B.md": "## B\n"},
    {"rl/Empty.md": "", "rl/Blank.md": "\n\n", "rl/Code.md": "```\nx = 1\n```\n", "rl/T.md": "## Tiny\n"},
], ids=["no papers", "one", "two", "no words"])
def test_tiny_diaries_have_a_map_and_never_a_traceback(diary, files):
    site = diary(files, expect=EXPECT.get(tuple(files), ()))
    page = site.content("map/")
    papers = len(json.loads((site.out / "map.json").read_text())["papers"])
    assert papers == len(re.findall(r"<circle ", page)) and ("<svg" in page) == (papers > 0)
    if not papers:
        assert "No papers yet" in page


CURVE = {
    "rl/First.md": "---\ndate: 2025-06-01\n---\n## First\n\nText.\n",
    "rl/Second.md": "---\ndate: 2025-06-01\n---\n## Second\n\nText.\n",
    "rl/Third.md": "---\ndate: 2025-06-20\n---\n## Third\n\nText.\n",
    "rl/Undated.md": "## No date at all\n\nText.\n",
}


def test_the_reading_curve_on_the_diary_page(diary):
    """3 dated papers from 1 June to today (1 July 2025, pinned): 31 days, 0.10 a day; a step per day read."""
    site = diary(CURVE)
    page = site.content("diary/")
    curve = re.search(r'<figure class="pd-curve".*?</figure>', page, re.S).group(0)
    assert '<h2 id="reading-curve">Papers read over time</h2>' in page
    assert re.search(r'<strong class="pd-curve-total">3</strong> papers in <strong class="pd-curve-days">31'
                     r'</strong> days .*<strong class="pd-curve-per-day">0.10</strong> a day on average', curve)
    assert "<title id=\"pd-curve-title\">Papers read over time: 3 from 2025-06-01 to 2025-07-01, 31 days" in curve
    # Two steps: 2 papers on 1 June (of 30 days' span), 3 on 20 June.
    path = re.search(r'<path class="pd-curve-line" d="([^"]+)"', curve).group(1)
    assert path == "M44,192H44.0V72.0H449.3V12.0H684"
    rows = re.findall(r"<tr><td>(\w+ \d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", curve)
    assert rows == [("Jun 2025", "3", "3"), ("Jul 2025", "0", "3")]
    assert "<script" not in curve


def test_no_dated_paper_no_curve(diary):
    site = diary({"rl/Undated.md": "## No date at all\n\nText.\n"})
    assert "No paper has a date yet" in site.content("diary/")


def test_a_map_from_the_cache_never_loads_scikit_learn(built):
    """What the benchmark's "from the cache" row rests on: in a fresh process, a build of unchanged notes reads
    the layout and never imports scikit-learn or numpy (a second and more of a build)."""
    import subprocess

    code = ("import sys\nfrom mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
            f"c = load_config(config_file={str(built['root'] / 'mkdocs.yml')!r})\n"
            "c.plugins.on_startup(command='build', dirty=False)\nbuild(c)\n"
            "print('loaded:', sorted(m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "loaded: []" in out.stdout, out.stdout
    assert layout(Site(built["root"])) == built["grown"]

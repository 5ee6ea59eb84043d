"""`mkdocs build` keeps what it rendered in the build cache (`.cache/paper-diary/` beside mkdocs.yml): a repeat
build redoes only the pages whose inputs changed, and equals a build from nothing byte for byte, whatever the
cache holds (another version's, truncated, damaged, or left by an interrupted build)."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import TOPIC_THEMES, differences, tree, write_site
from paper_diary.site import incremental, store
from test_incremental import FILES, edits, no_cache, note

PAPERS = 5
PAGES = 16  # FILES' five papers, the home page and the pages the diary generates for them (/map/ among them)


def fresh_build(root, site_dir=None, cache=True, command="build"):
    """A build as a new `mkdocs build` process runs it: plugin instances of its own. Returns its RenderCache and
    its log."""
    instances = dict(MkDocsConfig._schema)["plugins"].plugin_cache
    saved = dict(instances)
    instances.clear()
    records = []
    handler = logging.Handler(logging.INFO)
    handler.emit = records.append
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # as `mkdocs build` shows it
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"),
                             **({"site_dir": str(site_dir)} if site_dir else {}))
        config.plugins.on_startup(command=command, dirty=False)
        serve_url = "http://127.0.0.1:8000/" if command == "serve" else None
        if cache:
            build(config, serve_url=serve_url)
        else:
            with no_cache():
                build(config, serve_url=serve_url)
        return config.plugins["paper-diary"].cache, [r.getMessage() for r in records]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        instances.clear()
        instances.update(saved)


def assert_same_as_clean(root, tmp_path, what):
    fresh_build(root, tmp_path / "clean", cache=False)
    built, clean = tree(root / "site"), tree(tmp_path / "clean")
    assert built.keys() == clean.keys(), what
    different = differences(built, clean)
    assert not different, f"{what}: the cached build differs from a build from nothing: {different}"


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "diary"
    write_site(root, FILES, TOPIC_THEMES)
    return root


def cache_file(root):
    """The cache file the last build wrote (one for each version of the code and configuration)."""
    return max((root / ".cache/paper-diary/pages").glob("pages-*.cache"), key=lambda p: p.stat().st_mtime_ns)


def test_a_repeat_build_redoes_only_what_changed_and_equals_a_clean_build(site, tmp_path):
    cache, _ = fresh_build(site)
    assert cache.rendered == PAGES and cache.reused == 0, (cache.rendered, cache.reused)
    assert cache.computed >= PAPERS and cache.parsed == PAPERS  # each note read, and as CommonMark
    assert cache_file(site).is_file() and not (site / "docs/.cache").exists()
    cache, _ = fresh_build(site)  # nothing changed
    assert (cache.rendered, cache.templated, cache.indexed, cache.computed, cache.parsed) == (0, 0, 0, 0, 0)
    assert cache.reused == cache.reused_output == PAGES
    assert_same_as_clean(site, tmp_path, "nothing changed")
    for what, change in edits(site / "docs"):
        change()
        cache, _ = fresh_build(site)
        assert_same_as_clean(site, tmp_path, what)
        if what == "body edited":  # the note's page alone is rendered again
            # Its search entry holds its facts and headings, not its body: the same entry. No other page shows
            # its body: the generated pages, cards and footers are the last build's.
            assert (cache.rendered, cache.templated, cache.indexed) == (1, 1, 0)
            # Read again, and its Markdown and its body's words (for the map) made again: nothing else.
            assert (cache.made, cache.remade, cache.computed, cache.parsed) == (0, 1, 2, 1)
            assert cache.reused == cache.reused_output == PAGES - 1
        else:  # every other edit shows on other pages: they are made again
            assert (cache.made, cache.remade) == (1, 0), what
            # The cards and footers of the papers it changes (its own, its neighbours') and the lists it is on,
            # not every paper's: the others are kept, through builds that made none too (the body edit before).
            assert cache.parts_made >= 1 and cache.parts_reused >= 1, (what, cache.parts_made, cache.parts_reused)
        if what in ("note added", "note renamed"):  # the new note alone: no other note links to it
            assert cache.rendered == 1 and cache.reused >= PAGES - 1, (cache.rendered, cache.reused)
        elif what == "highlight edited":  # its page and the pages that list the lesson; the others are reused
            assert 2 <= cache.templated < PAGES and cache.reused_output > 5, (cache.templated, cache.reused_output)


def test_a_repeat_build_writes_over_the_last_sites_files_and_removes_the_rest(site, tmp_path):
    """site/ is rewritten in place (the same files, not new ones: seconds on some disks), and what this build
    does not write is removed, folders and all: the site of a build from nothing. Entries at the top of site/
    whose names start with "." stay, as MkDocs keeps them."""
    fresh_build(site)
    out = site / "site"
    page = out / "rl/Policies/index.html"
    os.link(page, tmp_path / "Policies.html")  # the same file while it is written over, not once made anew
    (out / ".nojekyll").write_text("", encoding="utf-8")
    (out / ".git").mkdir()
    (out / ".git/HEAD").write_text("ref\n", encoding="utf-8")
    (out / "stray.txt").write_text("not the build's\n", encoding="utf-8")
    (out / "old/deep").mkdir(parents=True)
    (out / "old/deep/page.html").write_text("<p>gone</p>\n", encoding="utf-8")
    (out / "rl/.hidden").write_text("", encoding="utf-8")
    (out / "rl/linked").symlink_to(out / "old")
    (site / "docs/vision/Pixels.md").unlink()
    assert (out / "vision/Pixels/index.html").is_file()
    fresh_build(site)
    assert page.stat().st_nlink == 2, "site/ was emptied and written anew"
    for gone in ("stray.txt", "old", "rl/.hidden", "rl/linked", "vision/Pixels"):
        assert not os.path.lexists(out / gone), gone
    assert (out / ".nojekyll").is_file() and (out / ".git/HEAD").read_text(encoding="utf-8") == "ref\n"
    assert not (site / ".cache/paper-diary/site-build").exists()
    assert not [d for d in out.rglob("*") if d.is_dir() and not any(d.iterdir())], "empty folders left"
    for hidden in (".nojekyll", ".git"):  # a build from nothing has none: MkDocs never writes them
        (out / hidden).unlink() if (out / hidden).is_file() else shutil.rmtree(out / hidden)
    assert_same_as_clean(site, tmp_path, "a note deleted, files not the build's in site/")
    # A build stopped after it set site/ aside leaves it in the cache folder: the next one starts from nothing.
    aside = site / ".cache/paper-diary/site-build"
    out.rename(aside)
    fresh_build(site)
    assert not aside.exists()
    assert_same_as_clean(site, tmp_path, "site/ left aside by a stopped build")
    # Without the cache, MkDocs empties site/ as it always does.
    (tmp_path / "Policies.html").unlink()
    os.link(page, tmp_path / "Policies.html")
    fresh_build(site, cache=False)
    assert page.stat().st_nlink == 1


def test_written_means_written_by_this_build_whatever_the_files_times(tmp_path, monkeypatch):
    """A file copied in with its source's old modification time is this build's (its status-change time says
    so); a file system that keeps times to the second cannot tell builds apart: site/ is emptied instead."""
    from paper_diary.site import inplace

    site, aside, source = tmp_path / "site", tmp_path / "cache/site", tmp_path / "old.css"
    (site / "a").mkdir(parents=True)
    for name in ("a/kept.css", "a/stale.html", "top.html"):
        (site / name).write_text(name, encoding="utf-8")
    source.write_text("old", encoding="utf-8")
    os.utime(source, (0, 0))
    assert inplace.set_aside(site, aside) and not site.exists()
    since = inplace.put_back(aside, site)
    assert since is not None and (site / "a/stale.html").is_file()
    shutil.copy2(source, site / "a/kept.css")
    (site / "top.html").write_text("new", encoding="utf-8")
    assert (site / "a/kept.css").stat().st_mtime == 0
    assert inplace.sweep(site, since) == 1
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == ["a", "a/kept.css", "top.html"]
    real_stat = os.stat

    def coarse(path, *args, **kwargs):
        found = real_stat(path, *args, **kwargs)
        if str(path).endswith(inplace.MARK):
            return SimpleNamespace(st_ctime_ns=1_700_000_000 * 10**9)
        return found

    assert inplace.set_aside(site, aside)
    monkeypatch.setattr(os, "stat", coarse)
    assert inplace.put_back(aside, site) is None
    monkeypatch.undo()
    assert site.is_dir() and not any(site.iterdir())


def test_mkdocs_build_leaves_without_searching_its_heap_again(site):
    """`mkdocs build` freezes the heap as the process ends (Python's last search for cycles took 0.5 s of every
    build at 2,000 papers); `mkdocs serve` does not (a serve that builds again must collect)."""
    import subprocess
    import sys

    for command, frozen in (("build", True), ("serve", False)):
        code = ("import atexit, gc\n"  # registered first, so it runs last: after the plugin's
                "atexit.register(lambda: print('frozen:', gc.get_freeze_count() > 0))\n"
                "from mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
                f"c = load_config(config_file={str(site / 'mkdocs.yml')!r})\n"
                f"c.plugins.on_startup(command={command!r}, dirty=False)\nbuild(c)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        assert f"frozen: {frozen}" in out.stdout, (command, out.stdout)


def test_an_unchanged_note_is_not_read_again_and_its_problems_are_still_reported(site, tmp_path):
    """What reading a note found wrong (a date line that is not a date, a tag with an empty part, front matter YAML
    cannot read) comes from the cache with the rest of what reading it gave: every build reports it."""
    docs = site / "docs"
    (docs / "rl/Odd.md").write_text("## Odd Note\n\nDate read: 31st Febuary 2025\n\nText. #rl\n", "utf-8")
    (docs / "vision/Broken.md").write_text("---\ntitle: [unclosed\n---\n\n## Broken\n\nText.\n", "utf-8")
    (docs / "vision/Tags.md").write_text('---\ntitle: Tags\ntags: ["rl//ppo", "vision"]\n---\n\nText.\n', "utf-8")
    _, first = fresh_build(site)
    wanted = [line for line in first if line.startswith(("rl/Odd.md", "vision/Broken.md", "vision/Tags.md"))
              or "paper_diary: rl/Odd.md" in line or "paper_diary: vision/" in line]
    assert any("Febuary" in line for line in wanted) and any("not valid YAML" in line for line in wanted) \
        and any("has empty" in line for line in wanted), first
    cache, again = fresh_build(site)
    assert cache.parsed == 0
    assert [line for line in again if line in wanted] == wanted
    assert_same_as_clean(site, tmp_path, "notes with problems, read from the cache")


def test_a_note_written_after_a_link_to_it_renders_the_linking_page_again(site, tmp_path):
    docs = site / "docs"
    (docs / "rl/Entropy.md").write_text(note("Entropy", "rl", "Entropy collapses, as [depth](../vision/Depth.md) "
                                                              "shows."), encoding="utf-8")
    _, log = fresh_build(site)
    assert any("contains a link '../vision/Depth.md', but the target" in line for line in log), log
    (docs / "vision/Depth.md").write_text(note("Depth", "vision", "Depth from one image.", arxiv="2401.00008"),
                                          encoding="utf-8")
    cache, log = fresh_build(site)
    assert cache.rendered == 2, cache.rendered  # the new note, and the one whose link now finds it
    assert not any("Depth.md', but the target" in line for line in log), log
    assert 'href="../../vision/Depth/"' in (site / "site/rl/Entropy/index.html").read_text(encoding="utf-8")
    assert_same_as_clean(site, tmp_path, "a note written after a link to it")


def test_an_overridden_fragment_is_used_at_once(site, tmp_path):
    """A site's own `overrides/paper_diary/` template changes cards and footers: they are made again."""
    write_site(site, FILES, {**TOPIC_THEMES, "theme": {"name": "material", "custom_dir": "overrides"}})
    (site / "overrides").mkdir()
    fresh_build(site)
    (site / "overrides/paper_diary").mkdir()
    (site / "overrides/paper_diary/paper_neighbours.html").write_text(
        '<nav class="pd-neighbours">Read around {{ topic.title }}</nav>\n', encoding="utf-8")
    cache, _ = fresh_build(site)
    assert cache.made == 1
    assert "Read around Rl" in (site / "site/rl/Policies/index.html").read_text(encoding="utf-8")
    assert_same_as_clean(site, tmp_path, "an overridden fragment")
    # The lists of papers too: a topic's, a tag's and the diary's pages show the site's own list at once.
    (site / "overrides/paper_diary/paper_list.html").write_text(
        '<ul class="own-list">{% for paper in papers %}<li>{{ paper.title }}</li>{% endfor %}</ul>\n',
        encoding="utf-8")
    cache, _ = fresh_build(site)
    assert 'class="own-list"' in (site / "site/rl/index.html").read_text(encoding="utf-8")
    assert 'class="own-list"' in (site / "site/tags/rl/index.html").read_text(encoding="utf-8")
    assert 'class="own-list"' in (site / "site/diary/index.html").read_text(encoding="utf-8")  # each month
    assert_same_as_clean(site, tmp_path, "an overridden list")


def test_serve_and_build_keep_a_cache_each(site, tmp_path):
    fresh_build(site)
    cache, _ = fresh_build(site, tmp_path / "served", command="serve")  # its own configuration: its own cache
    assert cache.rendered == PAGES
    cache, _ = fresh_build(site, tmp_path / "served", command="serve")
    assert cache.reused == PAGES
    cache, _ = fresh_build(site)
    assert cache.reused == PAGES and cache.rendered == 0
    for name in ("A", "B", "C"):  # three more configurations: the three last used are kept
        write_site(site, FILES, {**TOPIC_THEMES, "site_name": name})
        fresh_build(site)
    assert len(list(cache_file(site).parent.glob("pages-*.cache"))) == store.Store.KEEP


def test_the_cache_is_off_with_the_option_or_the_environment_variable(site, tmp_path):
    fresh_build(site, cache=False)
    assert not (site / ".cache").exists()
    write_site(site, FILES, {"plugins": ["search", {"paper-diary": {
        "cache": False, "themes": TOPIC_THEMES["plugins"][1]["paper-diary"]["themes"]}}]})
    cache, _ = fresh_build(site)
    assert not (site / ".cache").exists() and cache.rendered == cache.reused == 0  # not even in memory
    write_site(site, FILES, {"plugins": ["search", {"paper-diary": {
        "cache_dir": "build-cache", "themes": TOPIC_THEMES["plugins"][1]["paper-diary"]["themes"]}}]})
    fresh_build(site)
    cache, _ = fresh_build(site)
    assert list((site / "build-cache/pages").glob("pages-*.cache")) and cache.reused == PAGES


@pytest.mark.parametrize("folder", ["docs/.cache", "site/cache"])
def test_a_cache_folder_inside_docs_or_site_is_refused(site, folder):
    write_site(site, FILES, {"plugins": ["search", {"paper-diary": {
        "cache_dir": folder, "themes": TOPIC_THEMES["plugins"][1]["paper-diary"]["themes"]}}]})
    before = tree(site / "docs")
    cache, log = fresh_build(site)
    kept = "docs_dir" if folder.startswith("docs") else "site_dir"
    assert any(line.startswith("paper_diary: mkdocs.yml:") and f"is inside the {kept}" in line
               and "the build cache is off" in line for line in log), log
    assert tree(site / "docs") == before and not (site / folder).exists()
    assert cache.rendered == 0 and cache.reused == 0  # off: pages are rendered by MkDocs itself


def poison(path, version=None):
    """Rewrite the cache so that using it would show: every page's HTML replaced by STALE."""
    data = path.read_bytes()
    magic, old_version, _, payload = data.split(b"\n", 3)
    html, output, *rest = pickle.loads(payload)
    output = {key: zlib.compress(b"STALE") for key in output}
    payload = pickle.dumps((html, output, *rest))
    digest = store._payload_digest(payload).encode()
    path.write_bytes(b"\n".join([magic, (version or old_version.decode()).encode(), digest, payload]))


def stale(root):
    return [name for name, data in tree(root / "site").items() if data == b"STALE"]


def test_a_cache_from_another_version_of_the_code_is_not_used(site, tmp_path, monkeypatch):
    fresh_build(site)
    poison(cache_file(site))
    cache, _ = fresh_build(site)
    assert stale(site), "a cache of the same version is used: the poisoned pages should show"
    poison(cache_file(site), version="0" * 40)  # written by other code (another plugin, MkDocs or Material)
    cache, log = fresh_build(site)
    assert not stale(site) and cache.rendered == PAGES and cache.reused == 0
    assert any("written by other code or for another configuration" in line for line in log), log
    assert_same_as_clean(site, tmp_path, "another version's cache")
    # One of the plugin's own files changed (an editable install keeps its version number): also cold.
    fresh_build(site)
    poison(cache_file(site))
    monkeypatch.setattr(incremental, "code_version", lambda: "an edited plugin")
    cache, _ = fresh_build(site)
    assert not stale(site) and cache.rendered == PAGES


def test_a_changed_configuration_is_a_cold_build(site, tmp_path):
    fresh_build(site)
    poison(cache_file(site))
    write_site(site, FILES, {**TOPIC_THEMES, "site_name": "Another Diary"})
    cache, _ = fresh_build(site)
    assert not stale(site) and cache.rendered == PAGES
    assert_same_as_clean(site, tmp_path, "a changed configuration")


def test_a_small_change_writes_a_change_file_not_the_whole_cache(site, tmp_path):
    """One note's body edited: the build writes what changed (a few kilobytes) beside the cache file, which stays
    as it was; the next build reads both and renders nothing. A change file of an older cache is not used, and
    a damaged one means a cold build."""
    fresh_build(site)
    base = cache_file(site)
    before = base.read_bytes()
    (site / "docs/rl/Policies.md").write_text(note("Policies", "rl", "Policies explore widely, again.", date="2024-02-01"), "utf-8")
    cache, _ = fresh_build(site)
    assert cache.rendered == 1
    changes = base.with_suffix(".changes")
    assert base.read_bytes() == before and changes.is_file()
    assert changes.stat().st_size < len(before) / 4, (changes.stat().st_size, len(before))
    cache, _ = fresh_build(site)
    assert (cache.rendered, cache.templated, cache.computed) == (0, 0, 0)
    assert_same_as_clean(site, tmp_path, "the cache and its changes")
    # Changes to an older cache file: never applied to a newer one (the file names the cache it changes).
    old_changes = changes.read_bytes()
    base.unlink()
    changes.unlink()
    cache, log = fresh_build(site)
    assert cache.rendered == PAGES and not changes.exists()
    changes.write_bytes(old_changes)
    cache, log = fresh_build(site)
    assert cache.rendered == 0 and not any("damaged" in line for line in log), log
    assert_same_as_clean(site, tmp_path, "changes to another cache")
    # A damaged change file: a cold build.
    (site / "docs/rl/Policies.md").write_text(note("Policies", "rl", "Policies explore widely once more.", date="2024-02-01"), "utf-8")
    fresh_build(site)
    data = changes.read_bytes()
    changes.write_bytes(data[: len(data) - 10])
    cache, log = fresh_build(site)
    assert cache.rendered == PAGES and any("is damaged" in line for line in log), log
    assert_same_as_clean(site, tmp_path, "a damaged change file")


@pytest.mark.parametrize("damage", ["truncated", "a byte changed", "empty", "not a cache"])
def test_a_damaged_cache_means_a_cold_build(site, tmp_path, damage):
    fresh_build(site)
    path = cache_file(site)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "a byte changed":
        middle = len(data) * 2 // 3
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1:])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("some other program's file\n\x00\x01", encoding="utf-8")
    (site / "docs/rl/Policies.md").write_text(note("Policies", "rl", "Policies explore widely."), "utf-8")
    cache, log = fresh_build(site)
    assert cache.rendered == PAGES and cache.reused == 0
    if damage != "empty":
        assert any("is damaged" in line for line in log), log
    assert_same_as_clean(site, tmp_path, damage)
    cache, _ = fresh_build(site)  # and the next build has a good cache again
    assert cache.reused == PAGES


def test_an_interrupted_build_leaves_a_cache_that_gives_a_correct_build(site, tmp_path, monkeypatch):
    fresh_build(site)
    docs = site / "docs"
    (docs / "rl/Policies.md").write_text(note("Policies", "rl", "Policies explore widely."), "utf-8")

    # Stopped (Ctrl-C) while writing the cache, half of it written.
    fdopen = os.fdopen

    def half_written(fd, mode):
        class Half:
            def __init__(self):
                self.f = fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, data):
                self.f.write(data[: len(data) // 2])
                raise KeyboardInterrupt
        return Half()

    monkeypatch.setattr(store.os, "fdopen", half_written)
    with pytest.raises(KeyboardInterrupt):
        fresh_build(site)
    monkeypatch.undo()
    assert not list(cache_file(site).parent.glob("*.tmp")), "the half-written file is removed"
    # A build killed at once (no clean-up) leaves its temporary file: never read as the cache.
    (cache_file(site).parent / ".pages-killed.tmp").write_bytes(cache_file(site).read_bytes()[:1000])
    # Stopped while building pages: nothing is written.
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    original = incremental.Page.render
    monkeypatch.setattr(incremental.Page, "render", interrupted)
    (docs / "rl/Entropy.md").write_text(note("Entropy", "rl", "Entropy collapses fast."), "utf-8")
    (docs / "vision/Patches.md").write_text(note("Patches", "vision", "Images are many patches."), "utf-8")
    (docs / "vision/Pixels.md").write_text(note("Pixels", "vision", "Pixels are very many."), "utf-8")
    with pytest.raises(KeyboardInterrupt):
        fresh_build(site)
    monkeypatch.undo()
    cache, _ = fresh_build(site)
    assert 1 <= cache.rendered < PAGES and cache.reused > 5, (cache.rendered, cache.reused)
    assert_same_as_clean(site, tmp_path, "after interrupted builds")


def test_the_cache_folder_is_ignored_by_git():
    ignored = (Path(__file__).parent.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert "/.cache/" in ignored


def test_the_publishing_workflow_restores_and_saves_the_cache():
    flow = yaml.safe_load((Path(__file__).parent.parent / ".github/workflows/publish.yml").read_text("utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") or step.get("uses", "") for step in steps]
    cache = next(i for i, run in enumerate(runs) if run.startswith("actions/cache@"))
    strict = next(i for i, run in enumerate(runs) if "mkdocs build --strict" in run)
    assert cache < strict and "paper-diary check" in runs[cache - 1]  # the check never needs it
    settings = steps[cache]["with"]
    assert settings["path"] == ".cache/paper-diary"  # the plugin's default cache_dir, beside mkdocs.yml
    lock = "${{ hashFiles('requirements.lock') }}"
    # Saved by every run under a key of its own, restored from the newest run with the same locked versions.
    assert lock in settings["key"] and "${{ github.run_id }}" in settings["key"]
    assert settings["restore-keys"].strip() == settings["key"].replace("${{ github.run_id }}", "")


def test_paper_diary_check_never_needs_the_cache(site, capsys):
    from paper_diary.commands import cli

    assert cli.main(["check", "-f", str(site / "mkdocs.yml")]) in (0, 1)
    assert not (site / ".cache").exists()  # neither read nor written
    fresh_build(site)
    cache_file(site).write_bytes(b"damaged")
    capsys.readouterr()
    assert cli.main(["check", "-f", str(site / "mkdocs.yml")]) in (0, 1)
    assert "cache" not in capsys.readouterr().err and cache_file(site).read_bytes() == b"damaged"

"""The offline copy: which files the service worker keeps, and that a new deploy makes a new worker."""

import json
import re

from conftest import build_site, check_warnings, write_site

from paper_diary.site import offline


def listing(worker: str) -> tuple[str, dict]:
    version = re.search(r'^const PD_VERSION = "([0-9a-f]{16})";$', worker, re.M).group(1)
    files = json.loads(re.search(r"^const PD_FILES = (\{.*\});$", worker, re.M).group(1))
    return version, files


def test_site_files_lists_every_file_by_its_url(tmp_path):
    for name, text in {"index.html": "home", "rl/Note/index.html": "note", "404.html": "missing",
                       "search/search_index.json": "{}", "sitemap.xml": "<urlset/>", "sitemap.xml.gz": "gz",
                       "assets/app.js": "js", "assets/app.js.map": "map", "sw.js": "old worker",
                       ".hidden/x": "no", "a b/é.html": "unicode"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = offline.site_files(tmp_path)
    assert sorted(files) == sorted(["", "rl/Note/", "404.html", "search/search_index.json", "assets/app.js",
                                    "a b/é.html"])
    assert all(re.fullmatch(r"[0-9a-f]{16}", h) for h in files.values())


def test_a_changed_file_makes_a_new_version_and_only_its_hash_changes(tmp_path):
    (tmp_path / "index.html").write_text("home", encoding="utf-8")
    (tmp_path / "a.css").write_text("a {}", encoding="utf-8")
    before = listing(offline.service_worker(tmp_path))
    assert before == listing(offline.service_worker(tmp_path)), "same site, same worker"
    (tmp_path / "index.html").write_text("home, new", encoding="utf-8")
    after = listing(offline.service_worker(tmp_path))
    assert after[0] != before[0]
    assert after[1]["a.css"] == before[1]["a.css"] and after[1][""] != before[1][""]


def test_the_build_writes_a_worker_that_keeps_every_page(diary):
    site = diary({"rl/Note.md": "---\ntitle: A note\ntags: [jax]\n---\n\nText.\n"})
    version, files = listing((site.out / "sw.js").read_text(encoding="utf-8"))
    for url in ("", "rl/", "rl/Note/", "tags/", "tags/jax/", "search/search_index.json", "404.html"):
        assert url in files, url
    assert "sw.js" not in files and "rl/Note/index.html" not in files  # a page is kept once
    assert "papers.json" in files and "manifest.webmanifest" in files  # written in the same event, before it
    assert any(re.match(r"assets/javascripts/bundle\..*\.js$", f) for f in files)


def test_no_worker_under_serve(tmp_path):
    from mkdocs.config import load_config

    write_site(tmp_path, {"rl/Note.md": "# Note\n"})
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    check_warnings(build_site(tmp_path, config=config))
    assert (tmp_path / "site" / "index.html").exists()
    assert not (tmp_path / "site" / "sw.js").exists()

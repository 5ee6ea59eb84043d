"""`paper-diary init DIR` makes a repository that stands on its own: the diary, a README that says how to write and
publish it, requirements.txt, a workflow that builds strictly and publishes to GitHub Pages, and a .gitignore.
Nothing that exists is overwritten."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from paper_diary import __version__
from paper_diary.commands import cli
from paper_diary.commands import init as init_module
from paper_diary.site.plugin import PaperDiaryPlugin

ROOT = Path(__file__).parent.parent
FORK = "https://github.com/ada-lovelace/paper-diary"
WRITTEN = ["README.md", "requirements.txt", ".github/workflows/publish.yml", ".gitignore", "mkdocs.yml",
           "docs/index.md", "docs/.templates/paper.md", "overrides/main.html"]


@pytest.fixture
def diary(tmp_path, capsys):
    target = tmp_path / "my-diary"
    assert cli.main(["init", str(target), "--repo", FORK]) == 0
    capsys.readouterr()
    return target


def _pins(text: str) -> list[Requirement]:
    return [Requirement(line) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _locked() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    return {canonicalize_name(n): v for n, v in (line.split("==") for line in lines if "==" in line)}


def _runtime_dependencies() -> set[str]:
    """Every package paper-diary[map] needs on this platform, as installed here (the tested set)."""
    found: set[str] = set()

    def walk(name: str, extras: tuple[str, ...]) -> None:
        for text in metadata.distribution(name).requires or []:
            req = Requirement(text)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in ("", *extras)):
                continue
            key = canonicalize_name(req.name)
            if key not in found:
                found.add(key)
                walk(req.name, tuple(req.extras))

    walk("paper-diary", ("map",))
    return found


def test_init_writes_every_part(diary):
    for name in WRITTEN:
        assert (diary / name).is_file(), name
    assert (diary / "docs" / "inbox").is_dir()


def test_the_readme_says_how_to_write_serve_build_and_publish(diary):
    readme = (diary / "README.md").read_text(encoding="utf-8")
    for text in ("mkdocs serve", "mkdocs build --strict", "pip install -r requirements.txt", "paper-diary new",
                 "docs/.templates/paper.md", "Settings > Pages", "GitHub Actions", ".github/workflows/publish.yml",
                 f"paper-diary[map] @ git+{FORK}@v{__version__}", "change that address"):
        assert text in readme, text
    assert "__" not in readme.replace("__init__", "")  # every placeholder filled


def test_requirements_pin_paper_diary_at_its_tag_and_the_tested_versions(diary):
    pins = _pins((diary / "requirements.txt").read_text(encoding="utf-8"))
    ours = [r for r in pins if canonicalize_name(r.name) == "paper-diary"]
    assert len(ours) == 1 and ours[0].url == f"git+{FORK}@v{__version__}" and ours[0].extras == {"map"}
    others = {canonicalize_name(r.name): str(r.specifier) for r in pins if r not in ours}
    locked = _locked()
    # Each at the version requirements.lock tests, and every package the diary needs is pinned.
    assert {name: f"=={locked[name]}" for name in others} == others
    assert _runtime_dependencies() <= set(others), _runtime_dependencies() - set(others)
    # Nothing the tests alone need.
    assert not {"pytest", "playwright", "hypothesis", "properdocs"} & set(others)


def test_the_workflow_checks_builds_strictly_with_the_cache_and_deploys_to_pages(diary):
    text = (diary / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    on = flow.pop(True, flow.get("on"))  # YAML 1.1 reads the key `on` as true
    assert "push" in on
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    steps = build["steps"]

    def index(text: str) -> int:
        found = [i for i, s in enumerate(steps) if text in (s.get("run") or s.get("uses") or "")]
        assert found, text
        return found[0]

    install, check, cache, strict, upload = (index("pip install -r requirements.txt"), index("paper-diary check"),
                                             index("actions/cache@"), index("mkdocs build --strict"),
                                             index("actions/upload-pages-artifact@"))
    assert install < check < strict < upload and cache < strict
    # The cache step restores and saves the plugin's cache_dir, keyed by the pinned versions.
    cache_dir = PaperDiaryPlugin.config_class.cache_dir.default
    assert cache_dir == ".cache/paper-diary" and steps[cache]["with"]["path"] == cache_dir
    assert "hashFiles('requirements.txt')" in steps[cache]["with"]["key"]
    assert steps[cache]["with"]["restore-keys"].strip()
    # The published address reaches mkdocs.yml's site_url.
    assert "steps.pages.outputs.base_url" in steps[strict]["env"]["SITE_URL"]
    assert steps[index("actions/configure-pages@")]["id"] == "pages"
    assert steps[upload]["with"]["path"] == "site"
    assert deploy["needs"] == "build" and "default_branch" in deploy["if"]
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert flow["permissions"] == {"contents": "read"}
    for job in flow["jobs"].values():
        assert all("@v" in s["uses"] for s in job["steps"] if "uses" in s)


def test_gitignore_leaves_out_the_site_the_cache_and_the_venv(diary):
    assert {"/site/", "/.cache/", "/.venv/"} <= set((diary / ".gitignore").read_text().splitlines())
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q"], cwd=diary, check=True, env=env)
    paths = ["site/index.html", ".cache/paper-diary/pages/x", ".venv/bin/python", "docs/.templates/paper.md",
             "docs/index.md", "requirements.txt", ".github/workflows/publish.yml"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=diary, env=env,
                             capture_output=True, text=True).stdout.split()
    assert ignored == paths[:3]


def test_site_url_comes_from_the_workflow(diary):
    """mkdocs.yml reads SITE_URL (the workflow sets it to the Pages address); without it, its own default."""
    for env, address in (({"SITE_URL": "https://ada.github.io/reading/"}, "https://ada.github.io/reading/"),
                         ({}, "https://example.github.io/paper-diary/")):
        os.environ.pop("SITE_URL", None)
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=diary,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert f'<link rel="canonical" href="{address}">' in (diary / "site" / "index.html").read_text()


def test_existing_files_are_kept_and_the_rest_written(tmp_path, capsys):
    """A repository made on GitHub (a README and a licence) becomes a diary; its README stays as it was."""
    repo = tmp_path / "reading"
    repo.mkdir()
    (repo / "README.md").write_text("# reading\nmy papers\n", encoding="utf-8")
    (repo / "LICENSE").write_text("MIT\n", encoding="utf-8")
    assert cli.main(["init", str(repo), "--repo", FORK]) == 0
    out, err = capsys.readouterr()
    assert (repo / "README.md").read_text(encoding="utf-8") == "# reading\nmy papers\n"
    assert f"{repo / 'README.md'} exists; it is kept as it is" in err
    assert all((repo / name).is_file() for name in WRITTEN)
    assert "README.md" not in out.split("next:")[0] and "requirements.txt" in out

    (repo / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert cli.main(["init", str(repo)]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_a_file_is_no_folder(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("x\n")
    assert cli.main(["init", str(tmp_path / "notes.md")]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert (tmp_path / "notes.md").read_text() == "x\n"


def test_the_address_comes_from_where_paper_diary_was_installed(tmp_path, capsys, monkeypatch):
    class Installed:
        def __init__(self, origin):
            self.origin = origin

        def read_text(self, name):
            return json.dumps(self.origin) if name == "direct_url.json" else None

    git = {"url": "https://github.com/grace/paper-diary.git", "vcs_info": {"vcs": "git", "commit_id": "ab" * 20,
                                                                              "requested_revision": "main"}}
    monkeypatch.setattr(init_module.metadata, "distribution", lambda name: Installed(git))
    assert cli.main(["init", str(tmp_path / "a")]) == 0
    line = _pins((tmp_path / "a" / "requirements.txt").read_text())[0]
    assert line.url == f"git+https://github.com/grace/paper-diary.git@v{__version__}"
    assert "github.com/grace/paper-diary)" in (tmp_path / "a" / "README.md").read_text()  # the link, without .git
    assert "OWNER" not in capsys.readouterr().out
    assert "at `v9.9.9`" not in (tmp_path / "a" / "README.md").read_text()

    # Installed from a wheel or an editable checkout: the placeholder, and a line that says to change it.
    monkeypatch.setattr(init_module.metadata, "distribution", lambda name: Installed({"url": "file:///w.whl"}))
    assert cli.main(["init", str(tmp_path / "b"), "--ref", "v9.9.9"]) == 0
    assert _pins((tmp_path / "b" / "requirements.txt").read_text())[0].url == \
        "git+https://github.com/OWNER/paper-diary@v9.9.9"
    assert "from `https://github.com/OWNER/paper-diary` at `v9.9.9`" in (tmp_path / "b" / "README.md").read_text()
    assert re.search(r"takes Paper Diary from https://github.com/OWNER/paper-diary: put your copy's address",
                     capsys.readouterr().out)


def test_init_with_import_makes_the_old_diary_a_repository_that_publishes_itself(tmp_path, capsys):
    """A diary kept in a README (the grown one the import tests use) becomes a new repository in one step."""
    from mkdocs.utils.yaml import yaml_load

    grown = Path(__file__).resolve().parent / "grown_diary"
    target = tmp_path / "diary"
    # 1, as `paper-diary import` says: the grown README has entries the import cannot date, listed with their line.
    assert cli.main(["init", str(target), "--import", str(grown), "--repo", FORK]) == 1
    out, err = capsys.readouterr()
    assert "reading list (" in out and "README.md:" in out and f"created a diary in {target}" in out
    assert "exists; it is kept" not in err  # what the import wrote is no file of the user's
    config = yaml_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Paper Diary" and config["site_author"] == "Dom Rigby"
    assert config["site_url"] == "https://example.github.io/paper-diary/"
    themes = next(p["paper-diary"]["themes"] for p in config["plugins"] if isinstance(p, dict) and "paper-diary" in p)
    assert [t["id"] for t in themes][:2] == ["rl", "open-endedness-auto-curricula"]
    for name in WRITTEN:
        assert (target / name).is_file(), name
    # The diary's README is init's, and the old README's text is the home page.
    assert "mkdocs build --strict" in (target / "README.md").read_text(encoding="utf-8")
    assert "{{ topic_list() }}" in (target / "docs" / "index.md").read_text(encoding="utf-8")
    assert (target / "docs" / "highlights.md").is_file() and any((target / "docs" / "marl").glob("*.md"))
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=target,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    # Into a folder that is not empty, --import writes nothing: the import would overwrite what is there.
    assert cli.main(["init", str(target), "--import", str(grown)]) == 1
    assert "--import needs a new or empty folder" in capsys.readouterr().err
    assert cli.main(["init", str(tmp_path / "other"), "--import", str(tmp_path / "nowhere")]) == 2
    assert "README.md not found; nothing was written" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()

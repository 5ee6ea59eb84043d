"""Publishing is one safe command: `mkdocs gh-deploy` pushes the built diary to a gh-pages branch (here a local
bare repository), and a diary that fails the strict build pushes nothing. The workflows do the same on GitHub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import write_site

ROOT = Path(__file__).parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "Diary Test", "GIT_AUTHOR_EMAIL": "diary@example.org",
           "GIT_COMMITTER_NAME": "Diary Test", "GIT_COMMITTER_EMAIL": "diary@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

DIARY = {
    "rl/.pages": "title: Reinforcement Learning\n",
    "rl/PPO.md": "---\ntitle: PPO\ndate: 2025-06-30\ntags: [rl]\n---\nClipped objective.\n",
    "nlp/BERT Paper.md": "# BERT\n\nMasked words.\n",
}
# What the published branch holds. Features that add files to the site add them here.
PUBLISHED = [
    ".nojekyll", "404.html", "index.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json",
    "rl/index.html", "rl/PPO/index.html", "nlp/index.html", "nlp/BERT Paper/index.html",
    "tags/index.html", "tags/rl/index.html",
]
# What must never be published (drafts, sources, the build's own files).
NOT_PUBLISHED = ["mkdocs.yml", "docs/index.md", "rl/PPO.md"]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                          capture_output=True, text=True).stdout


def make_repo(root: Path, files: dict[str, str]) -> Path:
    write_site(root / "diary", files)
    (root / "diary" / ".gitignore").write_text("site/\n")
    git("init", "-q", "-b", "main", cwd=root / "diary")
    git("add", ".", cwd=root / "diary")
    git("commit", "-qm", "diary", cwd=root / "diary")
    bare = root / "remote.git"
    git("init", "-q", "--bare", str(bare), cwd=root)
    git("remote", "add", "publish", str(bare), cwd=root / "diary")
    return bare


def gh_deploy(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--remote-name", "publish", *args],
                          cwd=repo, env={**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1"},
                          capture_output=True, text=True, timeout=300)


def test_gh_deploy_publishes_the_diary(tmp_path):
    bare = make_repo(tmp_path, DIARY)
    result = gh_deploy(tmp_path / "diary", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    published = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare).splitlines())
    missing = [p for p in PUBLISHED if p not in published]
    assert not missing, f"not published: {missing}"
    assert not [p for p in NOT_PUBLISHED if p in published]
    page = git("show", "gh-pages:rl/PPO/index.html", cwd=bare)
    assert "Clipped objective." in page and "pd-paper-header" in page
    # The author's branch is untouched: only gh-pages was pushed.
    assert git("branch", "--format=%(refname:short)", cwd=bare).split() == ["gh-pages"]


def test_a_diary_that_fails_the_strict_build_is_never_published(tmp_path):
    bare = make_repo(tmp_path, {**DIARY, "rl/Broken.md": "---\ntitle: [\n---\nbody\n"})
    result = gh_deploy(tmp_path / "diary", "--strict")
    assert result.returncode == 1
    assert "rl/Broken.md:2: front matter is not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    assert git("branch", "--list", cwd=bare).strip() == ""


def _workflow(name: str) -> dict:
    path = ROOT / ".github" / "workflows" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _runs(job: dict) -> list[str]:
    return [step.get("run", "") or step.get("uses", "") for step in job["steps"]]


def _index(runs: list[str], text: str) -> int:
    found = [i for i, run in enumerate(runs) if text in run]
    assert found, f"no step runs {text!r}: {runs}"
    return found[0]


def test_publish_workflow_checks_builds_strictly_then_deploys_main_only():
    flow = _workflow("publish.yml")
    assert "push" in flow["on"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    runs = _runs(build)
    check, strict, upload = (_index(runs, "paper-diary check"), _index(runs, "mkdocs build --strict"),
                             _index(runs, "actions/upload-pages-artifact"))
    assert check < strict < upload
    assert any("python-version" in (s.get("with") or {}) and str(s["with"]["python-version"]) == "3.11"
               for s in build["steps"])
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert "build" in needs  # nothing is published unless the check and the strict build passed
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    assert any("actions/deploy-pages" in s.get("uses", "") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert flow["permissions"] == {"contents": "read"}


def test_pull_request_workflow_builds_and_never_publishes():
    flow = _workflow("pull-request.yml")
    assert "pull_request" in flow["on"] and "push" not in flow["on"]
    text = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    for publishing in ("deploy-pages", "upload-pages-artifact", "gh-deploy", "pages: write"):
        assert publishing not in text
    for job in flow["jobs"].values():
        runs = _runs(job)
        assert _index(runs, "paper-diary check") < _index(runs, "mkdocs build --strict")


@pytest.mark.parametrize("name", ["publish.yml", "pull-request.yml"])
def test_workflows_pin_major_versions_of_actions(name):
    for job in _workflow(name)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert "@v" in step["uses"], step["uses"]

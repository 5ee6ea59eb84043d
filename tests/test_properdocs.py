"""ProperDocs, the maintained continuation of MkDocs 1.x, builds the diary to the same site as MkDocs.

It loads the plugin from the same `mkdocs.plugins` entry point and reads the same `mkdocs.yml`; only the
generator's name in the pages and the sitemap's dates differ.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from conftest import write_site
from test_bad_diaries import strict_build
from test_reproducible import CONFIG, NOTES, normalise

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("properdocs") is None,
    reason="ProperDocs is not installed (pip install properdocs; it is in the test extra)")

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def site_of(root, command):
    result = strict_build(root, "-f", "mkdocs.yml", "-d", f"site-{command}", command=(command,))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = root / f"site-{command}"
    return {p.relative_to(out).as_posix(): GENERATOR.sub(b"<generator/>", normalise(p))
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    write_site(tmp_path, NOTES, CONFIG)
    with_mkdocs = site_of(tmp_path, "mkdocs")
    with_properdocs = site_of(tmp_path, "properdocs")
    assert sorted(with_mkdocs) == sorted(with_properdocs)
    # sw.js names a version hashed from every page, and every page names its generator: it differs by design.
    different = [name for name in with_mkdocs if with_mkdocs[name] != with_properdocs[name] and name != "sw.js"]
    assert not different, f"built differently: {different}"
    assert b"pd-paper-header" in with_properdocs["rl/PPO/index.html"]


def test_properdocs_strict_build_reports_the_diary_problems(tmp_path):
    write_site(tmp_path, {"rl/Broken.md": "---\ntitle: [\n---\nbody\n"})
    result = strict_build(tmp_path, "-f", "mkdocs.yml", command=("properdocs",))
    assert result.returncode == 1
    assert "rl/Broken.md:2: front matter is not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr

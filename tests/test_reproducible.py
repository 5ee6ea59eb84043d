"""Reproducible builds: one diary built twice (files created in another order, another time zone, another hash
seed, another folder) gives the same site byte for byte, except the date MkDocs stamps into the sitemap."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import write_site

NOTES = {
    "index.md": "---\nrender_macros: true\n---\n# Home\n\n{{ topic_list() }}\n\n{{ latest_papers(5) }}\n",
    "rl/.pages": "title: Reinforcement Learning\n",
    "rl/PPO.md": "---\ntitle: PPO\ndate: 2025-06-30\ntags: [rl, policy-gradient]\narxiv: \"1707.06347\"\n---\nClipped.\n",
    "rl/DQN.md": "---\ntitle: DQN\ndate: 2025-06-30\ntags: [rl, value]\n---\nSame day as PPO.\n",
    "rl/Undated A.md": "# Undated A\n\n#rl in the text\n",
    "rl/Undated B.md": "# Undated B\n",
    "nlp/BERT.md": "---\ntitle: BERT\ntags: [nlp, Rl]\n---\nDated by git.\n",
    "nlp/GPT.md": "---\ntitle: GPT\ndate: 2024-12-31\ntags: [nlp]\n---\n",
    "Vision Stuff/ViT é.md": "---\ntitle: ViT\ntags: [vision, nlp]\nsummary: Patches.\n---\n",
}
CONFIG = {"plugins": ["search", "awesome-pages", {"macros": {"render_by_default": False}}, "paper-diary"]}
GIT = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
       "GIT_AUTHOR_DATE": "2025-03-04T23:30:00-08:00", "GIT_COMMITTER_DATE": "2025-03-04T23:30:00-08:00"}


def make(root: Path, order: list[str], env: dict[str, str]) -> dict[str, bytes]:
    write_site(root, {name: NOTES[name] for name in order}, CONFIG)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "diary"], cwd=root, check=True, env={**os.environ, **GIT, **env})
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return {p.relative_to(root / "site").as_posix(): normalise(p) for p in sorted((root / "site").rglob("*"))
            if p.is_file()}


def normalise(path: Path) -> bytes:
    """Only what MkDocs stamps with the clock: the sitemap's <lastmod> (and its gzip copy)."""
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"<lastmod/>", data)
    return data


def test_the_same_diary_builds_to_the_same_bytes(tmp_path):
    order = list(NOTES)
    first = make(tmp_path / "one", order, {"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "1"})
    second = make(tmp_path / "second copy", order[::-1], {"TZ": "Etc/GMT+12", "PYTHONHASHSEED": "2"})
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"built differently: {different}"
    assert len(first) > 20
    # Git's own day for the note without a date, in the author's zone, whatever the machine's zone.
    assert b'added <time datetime="2025-03-04">' in first["nlp/BERT/index.html"]
    # Same-day papers are ordered by title, never by the disk.
    home = first["index.html"].decode()
    assert home.index(">DQN<") < home.index(">PPO<")

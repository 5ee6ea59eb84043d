"""A corpus of bad diaries, each built with `mkdocs build --strict` as an author would: the expected warnings
(file and line), exit 1, no traceback, nothing written outside `site/`.

Each case is a folder of `tests/bad_diaries/` (its `docs/` and a `case.yml`: the warnings, as regexes, and
pages that must still be built), or is made below where a file cannot live in git.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import write_site

CORPUS = Path(__file__).parent / "bad_diaries"


def _five_mb_note(docs: Path) -> None:
    (docs / "rl").mkdir(parents=True)
    line = "A long line of pasted text that goes on and on, as a PDF pasted from a phone does.\n"
    (docs / "rl" / "Pasted.md").write_text("---\ntitle: Pasted\n---\n" + line * (5_000_000 // len(line)))


def _non_utf8(docs: Path) -> None:
    (docs / "rl").mkdir(parents=True)
    (docs / "rl" / "Latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\nR\xe9sum\xe9 of the paper.\n")


def _binary(docs: Path) -> None:
    (docs / "rl").mkdir(parents=True)
    (docs / "rl" / "Photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4)


def _symlink_loop(docs: Path) -> None:
    (docs / "rl").mkdir(parents=True)
    (docs / "rl" / "Real.md").write_text("# Real note\n")
    os.symlink(".", docs / "rl" / "again")  # a folder that contains itself
    os.symlink("b.md", docs / "rl" / "a.md")  # two links that point at each other
    os.symlink("a.md", docs / "rl" / "b.md")


def _ten_thousand_tags(docs: Path) -> None:
    (docs / "rl").mkdir(parents=True)
    tags = ", ".join(f"tag{i}" for i in range(10_000))
    (docs / "rl" / "Tagged.md").write_text(f"---\ntitle: Tagged\ntags: [{tags}]\n---\nBody.\n")


GENERATED = {
    "five_mb_note": (_five_mb_note, {"warnings": [r"rl/Pasted\.md:1: is 5\.0 MB, more than a note should be"],
                                     "pages": {"rl/Pasted/": "as a PDF pasted"}}),
    "non_utf8": (_non_utf8, {"warnings": [r"rl/Latin1\.md:2: is not UTF-8 \(byte 0xe9\).*re-save the file as UTF-8"],
                             "pages": {"rl/Latin1/": "of the paper."}}),
    "binary": (_binary, {"warnings": [r"rl/Photo\.md:1: is a binary file, not a Markdown note"],
                         "pages": {"rl/": "Photo"}}),
    "symlink_loop": (_symlink_loop, {"warnings": [
        r"rl/again:1: is a symbolic link to a folder that contains it.*remove the link",
        r"rl/a\.md:1: is a symbolic link that points nowhere",
        r"rl/b\.md:1: is a symbolic link that points nowhere"], "pages": {"rl/Real/": "Real note"}}),
    "ten_thousand_tags": (_ten_thousand_tags, {"warnings": [r"rl/Tagged\.md:3: has 10000 tags; only the first 50"],
                                               "pages": {"tags/tag49/": "Tagged"}, "absent": ["tags/tag50/"]}),
}

CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yml").is_file()) + sorted(GENERATED)


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file (its bytes) and link (its target) under `root` except `site/` and the build cache (`.cache/`),
    without following links."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in ("site", ".cache")]
        for name in dirs + files:
            path = Path(folder) / name
            key = (rel / name).as_posix()
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = path.read_bytes()
            else:
                found[key] = "dir"
    return found


def strict_build(root: Path, *args: str, command: tuple[str, ...] = ("mkdocs",)) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", *command, "build", "--strict", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def warnings_of(stderr: str) -> list[str]:
    return [line.split("-", 1)[1].strip() for line in stderr.splitlines() if line.startswith("WARNING")]


@pytest.mark.parametrize("case", CASES)
def test_bad_diary_is_reported_and_never_breaks_the_build(case, tmp_path):
    root = tmp_path / case
    if case in GENERATED:
        make, spec = GENERATED[case]
        write_site(root, {})
        make(root / "docs")
    else:
        write_site(root, {})  # then the case's own files, its index.md too
        shutil.copytree(CORPUS / case / "docs", root / "docs", symlinks=True, dirs_exist_ok=True)
        spec = yaml.safe_load((CORPUS / case / "case.yml").read_text(encoding="utf-8"))
    before = snapshot(root)

    result = strict_build(root)

    assert "Traceback" not in result.stderr, result.stderr
    warnings = warnings_of(result.stderr)
    expected = spec["warnings"]
    unexpected = [w for w in warnings if not any(re.search(e, w) for e in expected)]
    missing = [e for e in expected if not any(re.search(e, w) for w in warnings)]
    assert not unexpected and not missing, f"unexpected: {unexpected}\nmissing: {missing}\n{result.stderr}"
    assert result.returncode == (1 if expected else 0), result.stderr
    if expected:
        assert f"Aborted with {len(warnings)} warnings in strict mode!" in result.stdout + result.stderr
    assert snapshot(root) == before, "the build changed something outside site/"
    for url, text in spec.get("pages", {}).items():
        page = root / "site" / url / "index.html"
        assert page.is_file(), f"{url} was not built"
        assert text in page.read_text(encoding="utf-8"), url
    for url, text in spec.get("pages_without", {}).items():
        assert text not in (root / "site" / url / "index.html").read_text(encoding="utf-8"), url
    for url in spec.get("absent", []):
        assert not (root / "site" / url).exists(), url


def test_the_corpus_covers_every_kind_of_bad_diary():
    wanted = {"broken_yaml", "object_yaml", "five_mb_note", "empty_file", "front_matter_only", "non_utf8", "binary",
              "symlink_loop", "same_name", "same_title", "same_arxiv", "odd_tags", "ten_thousand_tags",
              "punctuation_names"}
    assert wanted <= set(CASES)

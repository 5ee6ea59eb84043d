"""The command line: new, check, init (import has its own tests). Exit 0 fine, 1 problems, 2 bad usage."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import build_site, check_warnings, write_site
from paper_diary.commands import cli


@pytest.fixture
def site(tmp_path, monkeypatch):
    write_site(tmp_path, {"rl/A.md": "---\ntitle: A\n---\n"})
    # As Material's docs write it: the command line must read past YAML tags it does not know.
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ntheme: {name: material}\nplugins:\n  - search\n  - paper-diary:\n      themes:\n"
        "        - {id: rl, title: RL}\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_command_has_help(capsys):
    for command in ("new", "check", "init", "import"):
        with pytest.raises(SystemExit) as exit:
            cli.main([command, "--help"])
        assert exit.value.code == 0 and "usage: paper-diary" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit:
        cli.main(["nonsense"])
    assert exit.value.code == 2


@pytest.mark.parametrize("given", ["2401.12345", "https://arxiv.org/abs/2401.12345v2",
                                   "https://arxiv.org/pdf/2401.12345v2.pdf", "arXiv:2401.12345"])
def test_new_writes_a_note_with_todays_date_and_refuses_to_overwrite(site, capsys, given):
    assert cli.main(["new", "Attention: All You Need?", "--topic", "marl", "--arxiv", given, "--tags", "a, #b",
                     "--no-fetch"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == Path("docs/marl/AttentionAllYouNeed.md")
    text = path.read_text()
    assert 'title: "Attention: All You Need?"' in text and "date: 2025-07-01" in text
    assert 'arxiv: "2401.12345"\n' in text  # the id never keeps its version; the version is kept apart
    assert ("arxiv_version: 2\n" in text) == ("v2" in given)
    assert 'tags: ["a", "b"]' in text
    assert cli.main(["new", "Attention: All You Need?", "--topic", "marl"]) == 1
    assert "has this title already" in capsys.readouterr().err
    assert cli.main(["new", "Attention: All You Need?", "--topic", "marl", "--force"]) == 1
    assert "exists; nothing was written" in capsys.readouterr().err
    assert path.read_text() == text
    check_warnings(build_site(site))  # the new note builds cleanly


@pytest.mark.parametrize("args, words", [
    (["--topic", "../x"], "not a topic folder name"),
    (["--topic", "marl", "--arxiv", "not-an-id"], "no arXiv id"),
])
def test_new_refuses_bad_input(site, capsys, args, words):
    assert cli.main(["new", "T", *args]) == 2
    assert words in capsys.readouterr().err
    assert not Path("docs/marl").exists() and not Path("x").exists()


def test_check_reports_what_the_build_reports_in_a_fraction_of_the_time(site, capsys):
    Path("docs/rl/Bad.md").write_text("---\narxiv: 2401.10\n---\n[[Nowhere]]\n\n> [!highlight|nope] L\n> t\n")
    start = time.perf_counter()
    assert cli.main(["check"]) == 1
    check_time = time.perf_counter() - start
    lines = capsys.readouterr().out.splitlines()
    built = build_site(site)
    build_time = time.perf_counter() - start - check_time
    assert sorted(lines) == sorted(w.split(": ", 1)[1] for w in built.warnings)
    assert len(lines) == 3
    assert cli.main(["check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {(d["path"], d["line"]) for d in data} == {("rl/Bad.md", 2), ("rl/Bad.md", 4), ("rl/Bad.md", 6)}
    assert check_time < build_time / 3, (check_time, build_time)


def test_check_of_a_clean_diary_and_of_a_missing_config(site, tmp_path, capsys):
    assert cli.main(["check"]) == 0 and capsys.readouterr().out == ""
    assert cli.main(["check", "-f", str(tmp_path / "nope.yml")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_init_creates_a_diary_that_builds_strict(tmp_path, capsys):
    target = tmp_path / "mine"
    assert cli.main(["init", str(target)]) == 0
    os.chdir(target)
    assert cli.main(["new", "First Paper", "--topic", "reading"]) == 0
    strict = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=target,
                            capture_output=True, text=True)
    assert strict.returncode == 0, strict.stderr
    assert "First Paper" in (target / "site" / "reading" / "FirstPaper" / "index.html").read_text()
    assert cli.main(["init", str(target)]) == 1
    assert "nothing was written" in capsys.readouterr().err


def test_console_script_is_installed(tmp_path):
    script = Path(sys.executable).with_name("paper-diary")
    done = subprocess.run([str(script), "init", str(tmp_path / "d")], capture_output=True, text=True)
    assert done.returncode == 0 and "created a diary" in done.stdout
    bad = subprocess.run([str(script), "new"], capture_output=True, text=True)
    assert bad.returncode == 2 and "usage:" in bad.stderr

"""Nothing lost: a build never writes under docs/, and a write that is interrupted leaves the old file whole."""

from __future__ import annotations

import os

import pytest

from conftest import build_site, check_warnings, write_site
from paper_diary.commands import files


def stat_tree(path):
    """Every file and folder under `path`, with its bytes and its modification time: a rewrite shows."""
    found = {}
    for p in sorted(path.rglob("*")):
        st = p.lstat()
        found[p.relative_to(path).as_posix()] = (p.read_bytes() if p.is_file() else None, st.st_mtime_ns)
    return found


def test_builds_never_write_under_docs(tmp_path):
    notes = {
        "rl/.pages": "title: RL\n",
        "rl/A.md": "---\ntitle: A\ntags: [x, y]\ndate: 2025-01-01\n---\nBody with [[B]] and #tag.\n",
        "rl/B.md": "# B\n",
        "rl/Bad.md": "---\ntitle: [\n---\nbody\n",
        "nlp/index.md": "# NLP\n\nMy words.\n",
        "nlp/C.md": b"caf\xe9\n",
    }
    write_site(tmp_path, notes)
    before = stat_tree(tmp_path / "docs")
    for _ in range(2):  # a second build finds the site of the first one
        site = build_site(tmp_path)
        check_warnings(site, r"rl/Bad\.md:2: front matter is not valid YAML", r"nlp/C\.md:1: is not UTF-8")
    assert stat_tree(tmp_path / "docs") == before
    assert not list(tmp_path.glob("docs/**/*.tmp"))


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_refuses_to_overwrite(tmp_path):
    note = tmp_path / "rl" / "Note.md"
    files.write_text(note, "first\n")
    with pytest.raises(files.Refused, match="exists; nothing was written"):
        files.write_text(note, "second\n")
    assert note.read_text() == "first\n"
    files.write_text(note, "second\n", force=True)
    assert note.read_text() == "second\n"
    assert _leftovers(note.parent) == []


def test_a_rename_that_fails_leaves_the_old_file_whole(tmp_path, monkeypatch):
    note = tmp_path / "Note.md"
    note.write_text("years of reading\n")

    def no_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(OSError, match="No space left"):
        files.write_text(note, "new text\n", force=True)
    assert note.read_text() == "years of reading\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, OSError])
def test_a_write_interrupted_half_way_leaves_the_old_file_whole(tmp_path, monkeypatch, interrupt):
    note = tmp_path / "Note.md"
    note.write_text("years of reading\n")
    real_fsync = os.fsync
    written = {}

    def interrupted(fd):
        written["partial"] = os.pread(fd, 100, 0)  # half the new text is in the temporary file...
        raise interrupt()  # ...when the power goes

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(interrupt):
        files.write_text(note, "new text " * 1000, force=True)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert written["partial"].startswith(b"new text")
    assert note.read_text() == "years of reading\n"
    assert _leftovers(tmp_path) == []


def test_an_interrupted_first_write_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        files.write_text(tmp_path / "New.md", "text\n")
    assert list(tmp_path.iterdir()) == []

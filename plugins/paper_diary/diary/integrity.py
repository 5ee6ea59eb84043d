"""Checks that keep a diary whole: notes that cannot be told apart, pages that would hide each other,
links that loop, notes too large or with too many tags. Each finding is a `Problem` with its fix.

No MkDocs here: the plugin passes in what MkDocs found.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from paper_diary.model import Diary, Paper, Problem
from paper_diary.reading import encoding

MAX_NOTE_BYTES = 1_000_000  # a note larger than this is a pasted PDF or log, not a note
MAX_TAGS = 50  # per paper: every tag is a page of the site
ODD_TAG = re.compile(r"[<>\"'`\\]|(?:^|/)\.\.?(?:/|$)|^/")

EMPTY_NOTE = "is empty; write the note, or delete the file"


def note_problems(paper: Paper, text: str) -> list[Problem]:
    """What is wrong with one note as a whole (its front matter was checked by `frontmatter.parse`)."""
    problems = []
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_NOTE_BYTES:
        problems.append(Problem(paper.src_uri, 1, f"is {size / 1e6:.1f} MB, more than a note should be "
                                                  f"({MAX_NOTE_BYTES / 1e6:.0f} MB) and it slows every build; "
                                                  "move the long text to a file under assets/ and link it"))
    # The body's damaged text is found with its Obsidian syntax (obsidian.analyse_paper); the front matter's here:
    # lessons, titles and summaries carried over by an import are where damage the import could not repair ends up.
    head = text.lstrip("\ufeff").split("\n", paper.body_line - 1)[:paper.body_line - 1]
    problems.extend(encoding.problems(paper.src_uri, "\n".join(head)))
    line = paper.lines.get("tags", 1)
    if len(paper.tags) > MAX_TAGS:
        problems.append(Problem(paper.src_uri, line, f"has {len(paper.tags)} tags; only the first {MAX_TAGS} "
                                                     "are used (each tag is a page): keep a paper's tags to a few"))
        del paper.tags[MAX_TAGS:]
    for tag in paper.tags:
        if ODD_TAG.search(tag):
            problems.append(Problem(paper.src_uri, line, f"tag {tag!r} is not a word; it is shown as text: "
                                                         "write tags as words such as rl or rl/ppo, without "
                                                         "< > \" ' ` \\, '..' or a leading '/'"))
    return problems


def diary_problems(diary: Diary) -> list[Problem]:
    """Notes that cannot be told apart: the same title, the same arXiv paper. (Tags cannot share a page: `tags`
    gives each its own slug, and spellings differing only in case are one tag, as in Obsidian.)"""
    problems: list[Problem] = []
    papers = sorted(diary.papers.values(), key=lambda p: p.src_uri)
    first_title: dict[str, Paper] = {}
    first_arxiv: dict[str, Paper] = {}
    for paper in papers:
        other = first_title.setdefault(paper.title.casefold(), paper)
        if other is not paper:
            problems.append(Problem(paper.src_uri, paper.lines.get("title", 1),
                                    f"has the same title as {_at(other, 'title')} ({paper.title!r}); lists and "
                                    "search cannot tell them apart: give one of them another title"))
        if paper.arxiv:
            base = paper.arxiv  # without its version: one paper at any version
            other = first_arxiv.setdefault(base, paper)
            if other is not paper:
                problems.append(Problem(paper.src_uri, paper.lines.get("arxiv", 1),
                                        f"is about the same arXiv paper ({base}) as {_at(other, 'arxiv')}; one "
                                        "paper, one note: merge the two notes, or correct the id"))
    return _unique(problems)


def address_clashes(files: list[tuple[str, str, bool]]) -> list[Problem]:
    """Pages published at the same address hide one another: `files` is (src_uri, dest_uri, generated)."""
    problems = []
    seen: dict[str, str] = {}
    for src_uri, dest_uri, generated in sorted(files, key=lambda f: (f[2], f[0])):  # the author's files first
        other = seen.setdefault(dest_uri, src_uri)
        if other == src_uri:
            continue
        if generated:
            problems.append(Problem(other, 1, f"is published at {dest_uri}, the address of the page the diary "
                                              f"generates ({src_uri}), so one of them is lost: rename the note"))
        else:
            problems.append(Problem(src_uri, 1, f"is published at {dest_uri} like {other}, so one of them is "
                                                "lost: rename the note, or the folder"))
    return problems


def unreachable(docs_dir: str | Path, src_uris: list[str]) -> tuple[set[str], list[Problem]]:
    """Files MkDocs found through a symbolic link that loops back to a folder holding it, or that points
    nowhere: they are skipped (`set` of src_uris), each link reported once. One `lstat` per file and folder."""
    docs_dir = Path(docs_dir)
    loops: dict[str, bool] = {}
    skip: set[str] = set()
    problems: list[Problem] = []
    for uri in sorted(src_uris):
        parts = uri.split("/")
        loop = None
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder not in loops:
                loops[folder] = _loops(docs_dir / folder)
                if loops[folder]:
                    problems.append(Problem(folder, 1, "is a symbolic link to a folder that contains it, so the "
                                                       "folder never ends; it is skipped: remove the link"))
            if loops[folder]:
                loop = folder
                break
        path = docs_dir / uri
        if loop is None and path.is_symlink() and not path.exists():
            problems.append(Problem(uri, 1, "is a symbolic link that points nowhere (or to itself); it is "
                                            "skipped: point it at a file, or remove it"))
            loop = uri
        if loop is not None:
            skip.add(uri)
    return skip, problems


def _loops(folder: Path) -> bool:
    if not folder.is_symlink():
        return False
    target = os.path.realpath(folder)
    parent = os.path.realpath(folder.parent)
    return parent == target or parent.startswith(target.rstrip(os.sep) + os.sep)


def _at(paper: Paper, key: str) -> str:
    return f"{paper.src_uri}:{paper.lines.get(key, 1)}"


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))

"""The site rewritten in place. No MkDocs here.

MkDocs empties site/ before each build and writes every file again. On some disks making 2,000 folders and
files costs ten times what writing over them does: on this project's benchmark machine (ext4 mounted with
`discard`) emptying site/ and writing the diary's 2,000 pages took 2 to 3 s, writing over them 0.2 s. So a
build with the build cache sets site/ aside before MkDocs empties it (`set_aside`), puts it back before
anything is written (`put_back`), and once every file is written removes what this build did not write
(`sweep`): the files of an emptied site/, byte for byte, kept where they were.

"Written by this build" is a file's status-change time (ctime) at or after the build's start, as the file
system tells it: writing a file sets it, and nothing can set it back (a copy that keeps the source's
modification time still gets a new ctime). Windows has no such time (its ctime is the creation time), and a
file system that keeps times to the second or coarser cannot tell the last build's files from this one's:
there MkDocs empties site/ as it always does.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MARK = ".paper-diary-build"  # written at the start to learn the file system's time, removed at once


def possible() -> bool:
    return os.name == "posix"


def set_aside(site_dir: Path, aside: Path) -> bool:
    """Move site/ to `aside` (a folder of the build cache), so that MkDocs finds nothing to empty. False when it
    cannot be moved there (another file system, no site yet): MkDocs empties it then."""
    if aside.exists():  # left by a build stopped before it put site/ back: what it held is written again
        shutil.rmtree(aside, ignore_errors=True)
    if not site_dir.is_dir():
        return False
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.rename(site_dir, aside)
    except OSError:
        return False
    return True


def put_back(aside: Path, site_dir: Path) -> int | None:
    """Move site/ back (before anything is written into it) and return the build's start in the file system's
    time (ns), for `sweep`. None when there is nothing to sweep: site/ could not be put back (the old one is
    dropped), or the file system's times are too coarse (site/ is emptied, as MkDocs does)."""
    if site_dir.exists():  # made meanwhile (by another plugin): all it holds is this build's
        shutil.rmtree(aside, ignore_errors=True)
        return None
    try:
        os.rename(aside, site_dir)
    except OSError:
        shutil.rmtree(aside, ignore_errors=True)
        return None
    try:
        mark = site_dir / MARK
        mark.write_bytes(b"")
        since = mark.stat().st_ctime_ns
        mark.unlink()
    except OSError:
        since = 0
    if since % 1_000_000_000 == 0:  # times to the second: the last build's files could pass as this one's
        empty(site_dir)
        return None
    return since


def sweep(site_dir: Path, since: int) -> int:
    """Remove every file of site/ not written since `since` (ns), and the folders that leaves empty; entries at
    the top whose names start with "." stay, as MkDocs keeps them. Returns how many files were removed."""
    removed = 0
    emptied: set[str] = set()  # folders this removed something from: removed in turn when nothing is left
    for entry in os.scandir(site_dir):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir(follow_symlinks=False):
            if entry.stat(follow_symlinks=False).st_ctime_ns < since:
                os.unlink(entry.path)
                removed += 1
            continue
        for root, folders, names in os.walk(entry.path, topdown=False):
            links = [f for f in folders if os.path.islink(os.path.join(root, f))]  # to folders: files here
            for name in names + links:
                path = os.path.join(root, name)
                if os.lstat(path).st_ctime_ns < since:
                    os.unlink(path)
                    removed += 1
                    emptied.add(root)
            if root in emptied and not os.listdir(root):
                os.rmdir(root)
                emptied.add(os.path.dirname(root))
    return removed


def empty(site_dir: Path) -> None:
    """What MkDocs does before a build: remove everything in site/ but the entries whose names start with "."."""
    if not site_dir.is_dir():
        return
    for entry in os.scandir(site_dir):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)

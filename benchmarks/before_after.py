"""The diary built by another checkout (with its own Python, so its own locked dependencies) and by this one, on
the same generated notes, alternating, best of each: the ratio of two versions in one run.

    git worktree add /tmp/old <commit>
    python3 -m venv /tmp/old-venv && /tmp/old-venv/bin/pip install --no-deps -r /tmp/old/requirements.lock \
        && /tmp/old-venv/bin/pip install --no-deps --no-build-isolation -e /tmp/old
    python benchmarks/before_after.py /tmp/old /tmp/old-venv/bin/python [--n 2000] [--rounds 2]

`run.py --before` swaps only the plugin's code; this also swaps the dependencies (needed when they changed). Each
build starts its pages from nothing; this checkout's map comes from its cache, laid out once before the timed
builds (its own cost is measured by run.py). Ratios only: absolute times depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def site(root: Path, notes: Path, repo: Path) -> Path:
    """The notes with `repo`'s home page, overrides and mkdocs.yml."""
    shutil.copytree(notes, root / "docs")
    shutil.copy(repo / "docs" / "index.md", root / "docs" / "index.md")
    shutil.copytree(repo / "overrides", root / "overrides")
    (root / "mkdocs.yml").write_text(f"INHERIT: {repo / 'mkdocs.yml'}\ndocs_dir: docs\nsite_dir: site\n"
                                     "theme:\n  custom_dir: overrides\n", encoding="utf-8")
    return root


def build(python: str, root: Path) -> tuple[float, float]:
    """Wall and CPU time (this child and what it waited for) of one `mkdocs build`."""
    shutil.rmtree(root / ".cache" / "paper-diary" / "pages", ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    before, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    out = subprocess.run([python, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")], env=env,
                         capture_output=True, text=True)
    wall, after = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"{python} could not build {root}:\n{out.stderr[-3000:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path, help="the other checkout")
    ap.add_argument("python", help="a Python with the other checkout's dependencies and plugin installed")
    ap.add_argument("--n", type=int, default=2000, help="papers (default 2000)")
    ap.add_argument("--rounds", type=int, default=2, help="builds of each, alternating (default 2)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="paper-diary-ab-") as tmp:
        root = Path(tmp)
        generate(root / "notes", args.n)
        sites = {"before": (args.python, site(root / "before", root / "notes", args.before.resolve())),
                 "now": (sys.executable, site(root / "now", root / "notes", REPO))}
        build(*sites["now"])  # lays the map out once: the timed builds take it from the cache
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in sites}
        for _ in range(args.rounds):
            for name, (python, path) in sites.items():
                times[name].append(build(python, path))
                print(f"{name}: {times[name][-1][0]:.1f} s, CPU {times[name][-1][1]:.1f} s", flush=True)
    wall = {name: min(w for w, _ in t) for name, t in times.items()}
    cpu = {name: min(c for _, c in t) for name, t in times.items()}
    print(f"N = {args.n}, best of {args.rounds}: before {wall['before']:.1f} s, now {wall['now']:.1f} s, "
          f"ratio {wall['now'] / wall['before']:.2f}; CPU {cpu['before']:.1f} / {cpu['now']:.1f} s, "
          f"ratio {cpu['now'] / cpu['before']:.2f}")


if __name__ == "__main__":
    main()

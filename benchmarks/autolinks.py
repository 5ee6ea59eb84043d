"""What bare addresses as links cost, in one run: the CommonMark pass (blocks.normalise) with and without
autolink.py, against Python-Markdown with and without `pymdownx.magiclink`, on the same generated notes; and
what GitHub's heading anchors (anchors.py) add to Python-Markdown.

    python benchmarks/autolinks.py [--n 2000] [--rounds 3]

The generated notes hold Markdown links and math but no bare address; `--addresses` (the default) adds to each
note what real notes hold: a bare address or two in a sentence, one in parentheses, a `www.` one, one in inline
code and a `[text](https://...)` link. Rounds alternate, best of each. Ratios only: absolute times depend on the
machine and its load; the build's own time at the same N is in the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import markdown

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

from paper_diary.reading import anchors, blocks, frontmatter

ADDRESSES = ("\n\nFrom the authors' blog: https://blog.example.org/posts/{i}/rl-at-scale. The code "
             "(https://github.com/example/repo-{i}) and www.example.com/project/{i}, see `curl https://api.example.com/{i}` "
             "and [the slides](https://slides.example.org/{i}.pdf).\n")
EXTENSIONS = ["toc", "admonition", "attr_list", "md_in_html", "tables", "footnotes", "pymdownx.superfences",
              "pymdownx.arithmatex", "pymdownx.details", "pymdownx.mark", "pymdownx.tasklist"]


def bodies(n: int, addresses: bool) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), n)
        out = []
        for i, path in enumerate(sorted(Path(tmp).rglob("*.md"))):
            body = frontmatter.split(path.read_text(encoding="utf-8"))[1]
            if addresses:
                head, sep, rest = body.partition("\n## Method")
                body = head.rstrip("\n") + ADDRESSES.format(i=i) + sep + rest
            out.append(body)
        return out


def timed(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-addresses", dest="addresses", action="store_false")
    args = ap.parse_args()
    notes = bodies(args.n, args.addresses)
    # Our own steps are timed from inside (a timer around each call): on a shared machine, the difference of two
    # whole runs is mostly noise. magiclink's work is spread over Python-Markdown's inline patterns: A/B.
    spent = {"autolinks": 0.0, "anchors": 0.0}

    def timing(name, fn):
        def timed_call(*a, **k):
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] += time.perf_counter() - start
        return timed_call

    blocks.linkify = timing("autolinks", blocks.linkify)
    anchors._Anchors.run = timing("anchors", anchors._Anchors.run)
    plain = markdown.Markdown(extensions=EXTENSIONS)
    magic = markdown.Markdown(extensions=EXTENSIONS + ["pymdownx.magiclink"])
    github = markdown.Markdown(extensions=EXTENSIONS + ["paper_diary.reading.anchors"])

    def convert(md):
        def one(text):
            md.reset()
            md.convert(text)
        return one

    best = {k: float("inf") for k in ("normalise", "markdown", "markdown+magiclink", "markdown+anchors")}
    ours = {k: float("inf") for k in spent}
    normalised = [blocks.normalise(t) for t in notes]  # (warm)
    for _ in range(args.rounds):
        spent.update(dict.fromkeys(spent, 0.0))
        best["normalise"] = min(best["normalise"], timed(blocks.normalise, notes))
        best["markdown"] = min(best["markdown"], timed(convert(plain), normalised))
        best["markdown+magiclink"] = min(best["markdown+magiclink"], timed(convert(magic), normalised))
        best["markdown+anchors"] = min(best["markdown+anchors"], timed(convert(github), normalised))
        ours = {k: min(ours[k], v) for k, v in spent.items()}
    for name, seconds in best.items():
        print(f"{name:24} {seconds:7.3f} s")
    magiclink = best["markdown+magiclink"] - best["markdown"]
    print(f"at N = {args.n}: bare addresses (autolink.py, in the CommonMark pass) {ours['autolinks']:.3f} s; "
          f"GitHub's heading anchors (anchors.py) {ours['anchors']:.3f} s; pymdownx.magiclink {magiclink:.3f} s "
          f"({magiclink / ours['autolinks'] if ours['autolinks'] > 0 else float('inf'):.0f} times autolink.py)")


if __name__ == "__main__":
    main()

"""`paper-diary new`: a note for a paper just read, from a phone's terminal or a laptop, in seconds."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .config import ConfigError, load
from .files import Refused, write_text
from .frontmatter import arxiv_id
from .scan import today


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("new", help="write docs/<topic>/<Name>.md for a paper read today",
                              description="Write a new note with front matter (today's date, the arXiv id, tags) "
                                          "and a short template. Never overwrites a note; prints its path.")
    p.add_argument("title")
    p.add_argument("--topic", required=True, help="the topic folder (created if new)")
    p.add_argument("--arxiv", help="an arXiv id or any arxiv.org link (abs, pdf, versioned)")
    p.add_argument("--tags", default="", help="comma-separated tags")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path, help="the diary's mkdocs.yml")
    p.set_defaults(run=run)


def file_name(title: str) -> str:
    """`Attention Is All You Need` -> `AttentionIsAllYouNeed` (the diary's CamelCase note names)."""
    words = re.findall(r"[^\W_]+(?:\.[^\W_]+)*", title)
    return "".join(w[:1].upper() + w[1:] for w in words)[:80] or "Note"


def note_text(title: str, arxiv: str | None, tags: list[str], day) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"date: {day.isoformat()}"]
    if arxiv:
        lines.append(f'arxiv: "{arxiv}"')
    if tags:
        lines.append("tags: [" + ", ".join(json.dumps(t, ensure_ascii=False) for t in tags) + "]")
    lines += ["status: to-read", "summary: ", "---", "", "## Idea", "", "## Method", "", "## Takeaways", ""]
    return "\n".join(lines)


def run(args) -> int:
    try:
        docs_dir, options = load(args.config_file)
    except ConfigError as e:
        print(f"paper-diary new: {e}", file=sys.stderr)
        return 2
    topic = args.topic.strip().strip("/")
    if not topic or any(part in ("", ".", "..") for part in topic.split("/")) or "/" in topic:
        print(f"paper-diary new: '{args.topic}' is not a topic folder name; give one folder, e.g. --topic marl",
              file=sys.stderr)
        return 2
    arxiv = None
    if args.arxiv:
        arxiv = arxiv_id(args.arxiv)
        if arxiv is None:
            print(f"paper-diary new: '{args.arxiv}' is no arXiv id or arxiv.org link (e.g. 2401.12345)",
                  file=sys.stderr)
            return 2
    tags = [t.strip().lstrip("#") for t in args.tags.split(",") if t.strip().lstrip("#")]
    path = docs_dir / topic / f"{file_name(args.title)}.md"
    try:
        write_text(path, note_text(args.title.strip(), arxiv, tags, today()))
    except Refused:
        print(f"paper-diary new: {path} exists; nothing was written (choose another title)", file=sys.stderr)
        return 1
    print(path)
    return 0

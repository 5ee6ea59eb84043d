"""`paper-diary check`: every problem a build would report about the notes, without rendering the site."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from paper_diary.commands.config import ConfigError, load
from paper_diary.diary.scan import scan


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("check", help="report every problem in the notes (front matter, links, encoding, "
                                            "themes) as path:line: message",
                              description="Read the diary as a build does, without rendering it, and report every "
                                          "problem. Exit 0 when there is none, 1 when there are some.")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path, help="the diary's mkdocs.yml")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        docs_dir, options = load(args.config_file)
    except ConfigError as e:
        print(f"paper-diary check: {e}", file=sys.stderr)
        return 2
    if not docs_dir.is_dir():
        print(f"paper-diary check: {docs_dir} is not a folder; set docs_dir in {args.config_file}", file=sys.stderr)
        return 2
    diary = scan(docs_dir, options)
    if args.format == "json":
        print(json.dumps([{"path": p.path, "line": p.line, "message": p.message} for p in diary.problems], indent=1))
    else:
        for problem in diary.problems:
            print(problem)
    return 1 if diary.problems else 0

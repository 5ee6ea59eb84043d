"""`paper-diary`: the diary's command line. Exit 0 when fine, 1 when it found problems, 2 for bad usage.

Each command lives in its own module with `add_parser(subparsers)`, which sets `run(args) -> int` as default.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules of paper_diary.commands that each add one command.
COMMANDS: tuple[str, ...] = ("new", "check", "init", "importer")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="paper-diary", description="Keep a diary of research papers as a MkDocs site.")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"paper_diary.commands.{name}").add_parser(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # argparse exits 2 on bad usage, with the usage line
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("paper-diary: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

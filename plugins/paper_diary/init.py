"""`paper-diary init DIR`: a new, empty diary that builds, for anyone who wants one of their own."""

from __future__ import annotations

import sys
from pathlib import Path

from .files import write_text

MKDOCS_YML = """\
site_name: My Paper Diary
# The published address, e.g. https://<user>.github.io/<repository>/ (instant navigation and the 404 page need it).
site_url: https://example.github.io/paper-diary/
theme:
  name: material
  custom_dir: overrides
  features: [navigation.instant, navigation.indexes, navigation.footer, search.suggest, content.code.copy]
plugins:
  - search
  - awesome-pages
  - macros:
      render_by_default: false
  - paper-diary:
      themes:
        - {id: general, title: General}
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.arithmatex:
      generic: true
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

FILES = {
    "mkdocs.yml": MKDOCS_YML,
    "docs/index.md": "---\ntitle: My Paper Diary\nrender_macros: true\n---\n\n# My Paper Diary\n\n"
                     "A paper a day.\n\n{{ reading_calendar() }}\n\n## Topics\n\n{{ topic_list() }}\n\n"
                     "## Latest papers\n\n{{ latest_papers(10) }}\n",
    "docs/inbox/.gitkeep": "",
    "overrides/main.html": '{% extends "base.html" %}\n',
    ".gitignore": "/site/\n/.cache/\n",  # the built site, and what builds and `new` keep (arXiv's answers)
}
# The note `paper-diary new` writes: the diary's own copy, to change as the diary's author writes notes.
TEMPLATE = "docs/.templates/paper.md"


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("init", help="create a new, empty diary in DIR",
                              description="Create mkdocs.yml, docs/ and overrides/ for a new diary in DIR (which "
                                          "must be empty or not exist yet). Add notes with 'paper-diary new'.")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.set_defaults(run=run)


def run(args) -> int:
    target: Path = args.dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"paper-diary init: {target} is not empty; nothing was written (give a new or empty folder)",
              file=sys.stderr)
        return 1
    from .notes import DEFAULT_TEMPLATE

    for name, text in {**FILES, TEMPLATE: DEFAULT_TEMPLATE.read_text(encoding="utf-8")}.items():
        write_text(target / name, text)
    print(f"created a diary in {target}: cd {target} && mkdocs serve")
    return 0

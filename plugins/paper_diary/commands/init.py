"""`paper-diary init DIR`: a new, empty diary for anyone who wants one of their own, in a repository that stands on
its own: the diary (mkdocs.yml, docs/, overrides/), a README that says how to write and publish it, requirements.txt
(Paper Diary from a git address at its version's tag, and the versions it was tested with), a GitHub Actions
workflow that builds it strictly and publishes it to GitHub Pages, and a .gitignore."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import metadata
from pathlib import Path

from paper_diary import __version__
from paper_diary.commands.files import write_text

MKDOCS_YML = """\
site_name: My Paper Diary
# The published address, e.g. https://<user>.github.io/<repository>/ (instant navigation and the 404 page need it).
# The publishing workflow sets SITE_URL to the address GitHub Pages gives; the second value is the one used without it.
site_url: !ENV [SITE_URL, "https://example.github.io/paper-diary/"]
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
    # The built site, what builds and `new` keep (the build cache, arXiv's answers), the virtual environment.
    ".gitignore": "/site/\n/.cache/\n/.venv/\n__pycache__/\n",
}
# The note `paper-diary new` writes: the diary's own copy, to change as the diary's author writes notes.
TEMPLATE = "docs/.templates/paper.md"
# Files made from templates/init/: where each goes.
FROM_TEMPLATES = {"README.md": "README.md", "requirements.txt": "requirements.txt",
                  ".github/workflows/publish.yml": "publish.yml"}
TEMPLATES = Path(__file__).parent / "templates" / "init"
# Where requirements.txt takes Paper Diary from when neither --repo nor the installed copy says.
DEFAULT_REPO = "https://github.com/OWNER/paper-diary"


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "init", help="create a new diary, ready to publish, in DIR",
        description="Create a new, empty diary in DIR: mkdocs.yml, docs/ (with the note template) and overrides/, "
                    "a README, requirements.txt, a GitHub Actions workflow that publishes it to GitHub Pages, and "
                    ".gitignore. A file that exists already is kept as it is. Add notes with 'paper-diary new'.")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--repo", metavar="URL",
                   help="the git repository requirements.txt takes Paper Diary from, e.g. your fork "
                        "https://github.com/<you>/paper-diary (default: the one this copy was installed from, "
                        f"else {DEFAULT_REPO})")
    p.add_argument("--ref", metavar="TAG", default=f"v{__version__}",
                   help="the tag (or branch, or commit) of that repository (default: %(default)s)")
    p.add_argument("--import", dest="legacy_dir", metavar="OLD", type=Path,
                   help="also import OLD, a diary kept in a README (as 'paper-diary import OLD --write' does): its "
                        "notes, lessons and home page go into DIR's docs/, its title and themes into mkdocs.yml; "
                        "DIR must be new or empty")
    p.set_defaults(run=run)


def installed_from() -> str | None:
    """The git address this copy of Paper Diary was installed from (`pip install git+URL@tag`), if it was."""
    try:
        text = metadata.distribution("paper-diary").read_text("direct_url.json")
        origin = json.loads(text) if text else {}
    except (metadata.PackageNotFoundError, ValueError):
        return None
    if isinstance(origin, dict) and (origin.get("vcs_info") or {}).get("vcs") == "git":
        url = origin.get("url")
        return url if isinstance(url, str) and url else None
    return None


def requirement(repo: str, ref: str) -> str:
    """requirements.txt's line for Paper Diary (with the map's extra), from `repo` at `ref`."""
    repo = repo.strip().removeprefix("git+").rstrip("/")
    return f"paper-diary[map] @ git+{repo}@{ref}"


def files(repo: str, ref: str) -> dict[str, str]:
    """What init writes: path in the new diary -> text."""
    from paper_diary.commands.new import DEFAULT_TEMPLATE

    web = repo.strip().removeprefix("git+").rstrip("/").removesuffix(".git")
    fill = {"__REQUIREMENT__": requirement(repo, ref), "__VERSION__": __version__, "__REPO__": web,
            "__REF__": ref}
    made = {}
    for target, name in FROM_TEMPLATES.items():
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        for key, value in fill.items():
            text = text.replace(key, value)
        made[target] = text
    return {**made, **FILES, TEMPLATE: DEFAULT_TEMPLATE.read_text(encoding="utf-8")}


def run(args) -> int:
    target: Path = args.dir
    if target.exists() and not target.is_dir():
        print(f"paper-diary init: {target} is a file, not a folder; nothing was written (give a new or empty folder)",
              file=sys.stderr)
        return 1
    repo = args.repo or installed_from() or DEFAULT_REPO
    made = files(repo, args.ref)
    imported, importing = 0, getattr(args, "legacy_dir", None)
    if importing is not None:
        if target.exists() and any(target.iterdir()):
            print(f"paper-diary init: {target} is not empty; nothing was written (--import needs a new or empty "
                  "folder; or run 'paper-diary import OLD --docs DIR/docs --write' into it)", file=sys.stderr)
            return 1
        from paper_diary.commands import importer

        if not (importing / "README.md").is_file():
            print(f"paper-diary init: {importing}/README.md not found; nothing was written (give the folder "
                  "that holds the legacy README and its topic folders)", file=sys.stderr)
            return 2
        # The import names the site and sets its themes in init's mkdocs.yml (every other line kept), and writes
        # the home page; init then writes what the import did not.
        write_text(target / "mkdocs.yml", made["mkdocs.yml"])
        imported = importer.run(argparse.Namespace(legacy_dir=importing, docs=target / "docs", write=True,
                                                   force=True))
    written, kept = [], []
    for name, text in made.items():
        path = target / name
        if path.exists():
            if importing is None:  # else the import wrote it, into a folder that was empty (mkdocs.yml, docs/index.md)
                kept.append(name)
            continue
        write_text(path, text)
        written.append(name)
    for name in kept:
        print(f"paper-diary init: {target / name} exists; it is kept as it is", file=sys.stderr)
    if not written and importing is None:
        print(f"paper-diary init: {target} has every file of a diary already; nothing was written", file=sys.stderr)
        return 1
    print(f"created a diary in {target}: {', '.join(sorted(written))}")
    if repo == DEFAULT_REPO:
        print(f"requirements.txt takes Paper Diary from {DEFAULT_REPO}: put your copy's address there (or give "
              "init --repo URL)")
    print(f"next: cd {target} && python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && "
          ".venv/bin/mkdocs serve")
    return 1 if imported else 0  # the import found problems: it listed them above

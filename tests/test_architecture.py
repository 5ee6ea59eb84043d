"""The package's layout is its architecture: which part may import which, only `site` imports MkDocs, and no module
is too long to read. ARCHITECTURE.md draws the same rules; a change that breaks one fails here, naming the line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "paper_diary"

# What each part may import of the package besides itself. `model` (plain data) and `__init__` (the version) are
# the only modules at the top.
MAY_IMPORT = {
    "__init__": set(),
    "model": set(),
    "reading": {"model"},
    "diary": {"model", "reading"},
    "site": {"model", "reading", "diary"},
    "commands": {"model", "reading", "diary"},
}
MKDOCS = {"mkdocs", "material"}  # only `site` adapts MkDocs and its theme
MAX_LINES = 600


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def part_of(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def violations(rel: Path, source: str) -> list[str]:
    """What the module at `rel` (relative to the package) imports that its part may not."""
    here = part_of(rel)
    allowed = MAY_IMPORT[here] | {here}
    package = ["paper_diary", *rel.parent.parts]
    wrong = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [module] + ([f"{module}.{alias.name}" for alias in node.names] if module == "paper_diary" else [])
        else:
            continue
        for name in names:
            top, *rest = name.split(".")
            if top in MKDOCS and here != "site":
                wrong.append(f"{rel}:{node.lineno} imports {name}: only paper_diary.site may import MkDocs")
            elif top == "paper_diary" and rest and rest[0] not in allowed | {"__version__", "__init__"}:
                wrong.append(f"{rel}:{node.lineno} imports {name}: {here} may import only {sorted(allowed)}")
    return wrong


def test_the_package_has_its_parts():
    parts = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert parts == {"reading", "diary", "site", "commands"}
    assert {p.stem for p in PACKAGE.glob("*.py")} == {"__init__", "model"}


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_one_way(path):
    assert violations(path.relative_to(PACKAGE), path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("rel, source", [
    ("reading/blocks.py", "from mkdocs.structure.pages import Page\n"),
    ("diary/scan.py", "import material.plugins\n"),
    ("reading/dates.py", "from paper_diary.diary import timeline\n"),
    ("diary/tags.py", "from ..site import render\n"),
    ("model.py", "from paper_diary import reading\n"),
    ("commands/check.py", "from paper_diary.site.plugin import PaperDiaryPlugin\n"),
])
def test_a_forbidden_import_is_found(rel, source):
    assert len(violations(Path(rel), source)) == 1


@pytest.mark.parametrize("rel, source", [
    ("site/plugin.py", "from mkdocs.plugins import BasePlugin\nfrom paper_diary.diary import scan\n"),
    ("diary/scan.py", "from . import tags\nfrom ..reading import dates\nfrom paper_diary.model import Paper\n"),
    ("commands/new.py", "from paper_diary import __version__\n"),
])
def test_an_allowed_import_passes(rel, source):
    assert violations(Path(rel), source) == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_too_long_to_read(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)}: {lines} lines; split it where it holds separate things"

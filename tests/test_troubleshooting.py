"""Every message the diary can print has its fix in the troubleshooting guide (guide/troubleshooting.md).

The messages are read from the source: every `Problem(...)`, `_Bad(...)` (a front matter value), `Refused(...)`
and `log.warning/error(...)` of the package, with the literal parts of each. A new message without an entry in
guide/troubleshooting.md fails this test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "plugins" / "paper_diary"
CALLS = {"Problem": 2, "_Bad": 0, "Refused": 0}  # the message's position among the arguments
LOGS = {"warning", "error"}
MIN_PART = 12  # shorter literal parts ("tag ", "': ") say nothing on their own


def troubleshooting() -> tuple[str, str]:
    """The troubleshooting guide's text, and any guide page's own "Troubleshooting" section."""
    path = ROOT / "guide" / "troubleshooting.md"
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^# Troubleshooting$", text, re.M), f"{path} has no Troubleshooting heading"
    sections = [g.group(0) for page in sorted((ROOT / "guide").glob("*.md")) if page != path
                for g in re.finditer(r"^(#+) Troubleshooting\b.*?(?=^\1 |\Z)", page.read_text(encoding="utf-8"),
                                     re.M | re.S)]
    return "guide/troubleshooting.md", "\n".join([text, *sections])


def _constants() -> dict[str, str]:
    """Module-level `NAME = "text"` of the package: messages kept in constants."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = node.value.value
    return found


def _parts(node: ast.AST, constants: dict[str, str]) -> list[str] | None:
    """The literal text of a message expression, split where values are put in; None if it is not a message."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts, current = [], ""
        for value in node.values:
            if isinstance(value, ast.Constant):
                current += value.value
            else:
                parts.append(current)
                current = ""
        return parts + [current]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _parts(node.left, constants), _parts(node.right, constants)
        return None if left is None or right is None else left + right
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    if name in constants:
        return [constants[name]]
    return None


def messages() -> list[tuple[str, list[str]]]:
    """(where, literal parts) of every message in the package's source."""
    constants = _constants()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in CALLS:
                index = CALLS[name]
                arg = node.args[index] if len(node.args) > index else next(
                    (k.value for k in node.keywords if k.arg == "message"), None)
            elif name in LOGS and isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "log":
                arg = node.args[0] if node.args else None
            else:
                continue
            parts = _parts(arg, constants) if arg is not None else None
            if parts is None:
                continue  # e.g. log.warning(str(problem)): the message itself is found where it is made
            parts = [re.sub(r"^[:\d]+:\s*", "", p).strip() for p in parts]
            parts = [p for p in parts if len(p) >= MIN_PART]
            if parts:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", parts))
    return found


def test_the_source_has_messages_to_check():
    found = messages()
    assert len(found) >= 25, found  # the extractor finds them: an empty list would check nothing
    assert any("front matter is not valid YAML" in " ".join(parts) for _, parts in found)


@pytest.mark.parametrize("where, parts", messages(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_message_has_its_fix_in_the_troubleshooting_section(where, parts):
    name, text = troubleshooting()
    missing = [p for p in parts if p not in text]
    assert not missing, f"{where}: add this message and its fix to {name}: {missing}"

"""Import a legacy diary: topic folders at its root and a README with a "Highlights & Lessons Learned" section.

Each lesson moves into the note it comes from (the first paper it links), lessons of no paper into the highlights
page, themes into mkdocs.yml, the introduction into the home page. Double encoding is repaired with ftfy; what
cannot be repaired with certainty is listed as `file:line` and left as written, never guessed.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import encoding, frontmatter
from .model import Problem, slugify

THEME_HEADING = re.compile(r"^###\s+(?:\d+\.\s*)?(.+?)\s*$")
NUMBERED = re.compile(r"^(\d+)\.\s+\*\*(.+?)\*\*\\?\s*$")
BULLET = re.compile(r"^[-*]\s+(.+)$")
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")


@dataclass
class Lesson:
    theme: str
    order: int
    title: str | None
    text: str
    line: int


@dataclass
class Plan:
    """What an import would write (docs-relative or root-relative path -> text), and what it could not repair."""

    writes: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)


def repair(path: str, text: str, problems: list[Problem]) -> str:
    """Undo double encoding; list every spot that stays damaged because bytes were lost."""
    fixed, lost = encoding.repair(text)
    for spot in lost:
        problems.append(Problem(path, spot.line, f"'{spot.text}' is double-encoded text whose bytes are lost; it "
                                                 "cannot be repaired with certainty and is left as written: "
                                                 "replace it by hand"))
    return fixed


def theme_id(title: str) -> str:
    """`Multi-Agent Reinforcement Learning (MARL)` -> `marl`; otherwise a slug of the title."""
    m = re.search(r"\(([A-Za-z][\w‑-]*)\)\s*$", title)
    return slugify(m.group(1)) if m else slugify(title)


def parse_readme(text: str) -> tuple[list[str], list[tuple[str, str]], list[Lesson], str]:
    """(introduction lines, themes (id, title), lessons, the highlights section's opening sentence)."""
    intro: list[str] = []
    themes: list[tuple[str, str]] = []
    lessons: list[Lesson] = []
    opening = ""
    section = "top"
    current: Lesson | None = None
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.startswith("## "):
            # Everything before the highlights is the introduction; after them, the rest is left out.
            heading = line[3:].casefold()
            if "highlight" in heading:
                section = "highlights"
            elif section in ("top", "intro"):
                section = "intro"
                intro.append(line)
            else:
                section = "other"
            current = None
            continue
        if section in ("top", "intro") and line.strip() != "---" and not line.startswith("# "):
            intro.append(line)
        elif section == "highlights":
            m = THEME_HEADING.match(line)
            if m:
                title = m.group(1)
                themes.append((theme_id(title), title))
                current = None
                continue
            if not themes:
                if line.strip() and line.strip() != "---":
                    opening = (opening + " " + line.strip()).strip()
                continue
            theme = themes[-1][0]
            order = sum(1 for lesson in lessons if lesson.theme == theme) + 1
            if m := NUMBERED.match(line):
                current = Lesson(theme, int(m.group(1)), m.group(2).strip(), "", number)
                lessons.append(current)
            elif m := BULLET.match(line):
                current = None
                lessons.append(Lesson(theme, order, None, m.group(1).strip(), number))
            elif current is not None and line.startswith("   ") and line.strip():
                current.text = (current.text + " " + line.strip()).strip()
            elif not line.strip() or line.strip() == "---":
                current = None
    while intro and not intro[-1].strip():
        intro.pop()
    return intro, themes, lessons, opening


def plan_import(legacy: Path, docs: str = "docs") -> Plan:
    """Everything an import of `legacy` (a folder with README.md) would write, without writing anything."""
    plan = Plan()
    readme_path = legacy / "README.md"
    raw = readme_path.read_bytes()
    text = repair("README.md", raw.decode("utf-8", errors="replace"), plan.problems)
    intro, themes, lessons, opening = parse_readme(text)
    plan.themes = themes

    # Notes: every Markdown file of the topic folders, repaired; every linked note that does not exist, a stub.
    on_disk = {p.relative_to(legacy).as_posix(): p for p in sorted(legacy.rglob("*.md"))
               if p != readme_path and len(p.relative_to(legacy).parts) > 1}
    by_fold = {uri.casefold(): uri for uri in on_disk}
    notes: dict[str, str] = {}
    for uri, path in on_disk.items():
        notes[uri] = repair(uri, path.read_bytes().decode("utf-8", errors="replace"), plan.problems)
    lessons_of: dict[str, list[Lesson]] = {}
    home_lessons: list[Lesson] = []
    for lesson in lessons:
        links = [(label, target) for label, target in LINK.findall(lesson.text) if "://" not in target]
        if not links:
            home_lessons.append(lesson)
            continue
        fixed_links = {}
        for label, target in links:
            uri = posixpath.normpath(target)
            real = by_fold.get(uri.casefold())
            if real is None:
                real = uri
                notes.setdefault(real, f"# {label}\n")
                by_fold[real.casefold()] = real
                plan.notices.append(f"{real}: the README links it but the folder has no such note; a stub is written")
            elif real != uri:
                plan.notices.append(f"README.md:{lesson.line}: link '{target}' differs in case from the note "
                                    f"'{real}'; it now points at '{real}'")
            fixed_links[target] = real
        source = fixed_links[links[0][1]]
        lesson.text = LINK.sub(lambda m: _relink(m, fixed_links, source), lesson.text)
        lessons_of.setdefault(source, []).append(lesson)

    for uri, body in notes.items():
        plan.writes[f"{docs}/{uri}"] = _with_lessons(uri, body, lessons_of.get(uri, []), plan.problems)
    home_text = opening or "Lessons learned, grouped by theme. Each lesson links the paper it comes from."
    plan.writes[f"{docs}/highlights.md"] = (
        "---\ntitle: Highlights & Lessons Learned\n" + _lessons_yaml(home_lessons) + "---\n\n" + home_text + "\n")
    plan.writes[f"{docs}/index.md"] = _home(text, intro)
    plan.writes["mkdocs.yml"] = _mkdocs_yml(text, themes)
    return plan


def _relink(m: re.Match, fixed: dict[str, str], source: str) -> str:
    label, target = m.group(1), m.group(2)
    if target not in fixed:
        return m.group(0)
    rel = posixpath.relpath(fixed[target], posixpath.dirname(source) or ".")
    return f"[{label}]({rel})"


def _lessons_yaml(lessons: list[Lesson]) -> str:
    if not lessons:
        return ""
    out = ["highlights:"]
    for lesson in lessons:
        first = "  - "
        if lesson.title:
            out.append(f"{first}title: {json.dumps(lesson.title, ensure_ascii=False)}")
            first = "    "
        out.append(f"{first}theme: {lesson.theme}")
        out.append(f"    order: {lesson.order}")
        out.append(f"    text: {json.dumps(lesson.text, ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def _with_lessons(uri: str, text: str, lessons: list[Lesson], problems: list[Problem]) -> str:
    """The note with its lessons added to its front matter (kept as written otherwise)."""
    if not lessons:
        return text
    raw, body, _ = frontmatter.split(text)
    if raw is None:
        return "---\n" + _lessons_yaml(lessons) + "---\n\n" + text
    if re.search(r"^highlights\s*:", raw, re.M):
        problems.append(Problem(uri, 2, "already has 'highlights:'; the README's lessons for it are not added: "
                                        "merge them by hand"))
        return text
    return "---\n" + raw + _lessons_yaml(lessons) + "---\n" + body


def _home(text: str, intro: list[str]) -> str:
    m = re.search(r"^#\s+(.+)$", text, re.M)
    title = m.group(1).strip() if m else "Paper Diary"
    body = "\n".join(intro).strip()
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nrender_macros: true\n---\n\n# {title}\n\n{body}\n\n"
            "## Topics\n\n{{ topic_list() }}\n\n## Latest papers\n\n{{ latest_papers(10) }}\n")


def _mkdocs_yml(text: str, themes: list[tuple[str, str]]) -> str:
    m = re.search(r"^#\s+(.+)$", text, re.M)
    name = m.group(1).strip() if m else "Paper Diary"
    lines = [f"site_name: {json.dumps(name, ensure_ascii=False)}", "theme:", "  name: material", "plugins:",
             "  - search", "  - awesome-pages", "  - macros:", "      render_by_default: false", "  - paper-diary:",
             "      themes:"]
    lines += [f"        - {{id: {tid}, title: {json.dumps(title, ensure_ascii=False)}}}" for tid, title in themes]
    lines += ["markdown_extensions:", "  - toc:", "      permalink: true", "  - admonition", "  - attr_list",
              "  - md_in_html", "validation:", "  omitted_files: warn", "  absolute_links: warn",
              "  unrecognized_links: warn", "  anchors: warn"]
    return "\n".join(lines) + "\n"


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="turn a legacy diary (topic folders and a README with highlights) into this layout",
        description="Import LEGACY_DIR: its topic folders' notes go under DOCS with each README lesson moved into "
                    "the note it comes from, lessons of no paper into DOCS/highlights.md, the introduction into "
                    "DOCS/index.md and the themes into mkdocs.yml (beside DOCS). A dry run unless --write.")
    p.add_argument("legacy_dir", metavar="LEGACY_DIR", type=Path)
    p.add_argument("--docs", default="docs", type=Path, help="the docs folder to write (default: docs)")
    p.add_argument("--write", action="store_true", help="write the files (default: only show what would be written)")
    p.add_argument("--force", action="store_true", help="overwrite files that exist")
    p.set_defaults(run=run)


def run(args) -> int:
    from .files import Refused, write_text

    if not (args.legacy_dir / "README.md").is_file():
        print(f"paper-diary import: {args.legacy_dir}/README.md not found; give the folder that holds the legacy "
              "README and its topic folders", file=sys.stderr)
        return 2
    docs = Path(args.docs)
    plan = plan_import(args.legacy_dir, docs=docs.name)
    root = docs.parent
    refused = 0
    for rel, text in plan.writes.items():
        target = root / rel
        if rel == "mkdocs.yml" and target.exists() and not args.force:
            print(f"{target} exists and is left alone; add these themes under the paper-diary plugin:\n"
                  + "\n".join(f"  - {{id: {tid}, title: {json.dumps(t, ensure_ascii=False)}}}" for tid, t in plan.themes))
            continue
        if not args.write:
            state = "overwrite" if target.exists() else "write"
            print(f"would {state} {target} ({len(text.encode('utf-8'))} bytes)")
            continue
        try:
            write_text(target, text, force=args.force)
            print(f"wrote {target}")
        except Refused as e:
            refused += 1
            print(f"paper-diary import: {e}", file=sys.stderr)
    for notice in plan.notices:
        print(notice)
    for problem in plan.problems:
        print(problem)
    if not args.write:
        print("dry run: nothing was written; run again with --write")
    return 1 if plan.problems or refused else 0

"""Import a diary kept in a README: topic folders of notes at its root, and a README that grew around them.

The README is read as GitHub shows it (readme.py), section by section:

- the highlights ("Highlights & Lessons Learned"): each numbered theme (`### 1. RL`, `#### 9. Quantisation`) goes
  into mkdocs.yml, each lesson into the note it comes from (the first note it links), with its Markdown kept as
  written, lessons of no paper and the themes' other text into the highlights page;
- the dated reading list (`### May 2025` then `* 23rd: [Title](topic/Note.md): summary`): each note gets its
  `date`, and its `title` and `summary` where it has none;
- the repository tree, which the sidebar replaces, is left out; the title and author line name the site;
  everything else becomes the home page.

Non-note files (images, plots, data, scripts) are copied at the same relative paths. Double encoding is repaired
with ftfy; what cannot be repaired with certainty, and every entry or link that cannot be read, is listed as
`README.md:LINE` and left as written, never guessed.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from paper_diary.commands.readme import ANY_LINK, LINK, MD, Entry, Lesson, Readme, parse_readme, repair
from paper_diary.diary.scan import decode, readable
from paper_diary.model import Problem
from paper_diary.reading import dates, frontmatter


@dataclass
class Plan:
    """What an import would write (docs-relative or root-relative path -> text), copy, and could not repair."""

    writes: dict[str, str] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)  # target (root-relative) -> file of the old diary
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)
    site_name: str = "Paper Diary"
    site_author: str | None = None
    found: dict[str, list[str]] = field(default_factory=dict)  # what it found, by kind, as printed

    def problem(self, kind: str, problem: Problem) -> None:
        """Something to fix by hand: the import says so and exits 1."""
        self.problems.append(problem)
        self.found.setdefault(kind, []).append(str(problem))

    def notice(self, kind: str, text: str) -> None:
        """Something the import did that the author should know of."""
        self.notices.append(text)
        self.found.setdefault(kind, []).append(text)



# Folders a site generator keeps to itself: its output, old or unpublished posts, its templates, its packages.
GENERATOR_FOLDERS = {
    "_site": "what Jekyll built (the site, not its notes)",
    "_oldposts": "a blog's old posts, kept out of its site",
    "_drafts": "a blog's unpublished drafts",
    "_includes": "a site generator's page fragments (templates, not notes)",
    "_layouts": "a site generator's page layouts (templates, not notes)",
    "node_modules": "JavaScript packages a site generator installed",
    "_sass": "a site generator's style sheets (a theme, not notes)",
    "_data": "a site generator's data files",
    "_plugins": "a site generator's plugins (code, not notes)",
}
# The files that make a folder a Jekyll site's source, and the ones that come with it.
GENERATOR_FILES = {"_config.yml", "_config.yaml", "Gemfile", "Gemfile.lock", "package.json", "package-lock.json"}


def _built_sites(legacy: Path) -> set[tuple[str, ...]]:
    """Folders named `public` or `site` that hold a built `index.html`: a generator's output (Hugo, MkDocs)."""
    found = set()
    for name in ("public", "site"):
        for index in legacy.rglob(f"{name}/index.html"):
            found.add(index.parent.relative_to(legacy).parts)
    return found


def _generator_folder(rel: Path, built: set[tuple[str, ...]]) -> tuple[str, str] | None:
    """(folder, why) when `rel` lies in a folder a site generator keeps to itself; else None."""
    for i, part in enumerate(rel.parts[:-1]):
        if part in GENERATOR_FOLDERS:
            return "/".join(rel.parts[:i + 1]), GENERATOR_FOLDERS[part]
        if rel.parts[:i + 1] in built:
            return "/".join(rel.parts[:i + 1]), "a site a generator built (it holds index.html), not its notes"
    return None


def plan_import(legacy: Path, docs: str = "docs") -> Plan:
    """Everything an import of `legacy` (a folder with README.md) would write, without writing anything."""
    plan = Plan()
    readme_path = legacy / "README.md"
    damaged: list[Problem] = []
    text, bad = decode("README.md", readme_path.read_bytes())
    if bad:
        damaged.append(bad)
    text = repair("README.md", text, damaged)
    readme = parse_readme(text)
    plan.themes, plan.left_out = readme.themes, readme.left_out
    for notice in readme.notices:
        plan.notice("reading list", notice)
    for problem in readme.problems:
        plan.problem("reading list", problem)
    plan.site_name, plan.site_author = readme.title or "Paper Diary", readme.author

    # Notes: every Markdown file of the topic folders, repaired; every linked note that does not exist, a stub.
    on_disk: dict[str, Path] = {}
    built = _built_sites(legacy)
    posts: dict[str, str] = {}  # note in the diary -> where it is in the repository, for Jekyll's posts
    for path in sorted(legacy.rglob("*")):
        rel = path.relative_to(legacy)
        if not path.is_file() or path == readme_path:
            continue
        generated = _generator_folder(rel, built)
        blog = (path.parent / "_config.yml").is_file() or (path.parent / "_config.yaml").is_file()
        if generated is None and blog and rel.name in GENERATOR_FILES:
            generated = (rel.as_posix(), "the blog's settings for its generator (Jekyll), not part of the diary")
        elif generated is None and blog and len(rel.parts) > 1 and path.suffix.lower() in (".md", ".markdown", ".html"):
            generated = (rel.as_posix(), "a page of the blog itself (Jekyll: about, index), not a paper's note")
        if generated is not None:
            folder, why = generated
            note = f"{folder}{'' if path.name == folder.rsplit('/', 1)[-1] else '/'}: {why}; left out"
            if note not in plan.left_out:
                plan.left_out.append(note)
            continue
        if "_posts" in rel.parts[:-1] and not path.name.startswith("."):  # Jekyll's posts: the topic "Posts"
            uri = posixpath.join("posts", *rel.parts[rel.parts.index("_posts") + 1:])
            if path.suffix.lower() in (".md", ".markdown"):  # Jekyll's posts are often `.markdown`
                uri = posixpath.splitext(uri)[0] + ".md"
                posts[uri] = rel.as_posix()
                on_disk[uri] = path
            else:
                plan.copies[f"{docs}/{uri}"] = path  # its images, beside it as before
            continue
        if any(part.startswith(".") for part in rel.parts) and rel.name != ".pages":  # a topic's title is kept
            hidden = rel.parts[0] + ("/" if len(rel.parts) > 1 else "")
            note = f"{hidden}: hidden (settings of an app or of git), not part of the diary; left out"
            if note not in plan.left_out:
                plan.left_out.append(note)
        elif path.suffix.lower() == ".md" and len(rel.parts) > 1:
            on_disk[rel.as_posix()] = path
        elif path.suffix.lower() == ".md":
            plan.left_out.append(f"{rel.as_posix()}: a page beside the README, in no topic folder; left out: move "
                                 "it into a folder to import it as a note")
        else:
            plan.copies[f"{docs}/{rel.as_posix()}"] = path
    for uri in on_disk:
        _, wrong, _ = dates.from_file_name(posixpath.splitext(posixpath.basename(uri))[0])
        if wrong:
            plan.problem("notes", Problem(posts.get(uri, uri), 1, wrong))
    by_fold = {uri.casefold(): uri for uri in on_disk}
    notes: dict[str, str] = {}
    as_is: set[str] = set()  # notes whose bytes are not UTF-8 text: copied untouched, never re-encoded
    for uri, path in on_disk.items():
        body, bad = decode(uri, path.read_bytes())
        if bad:
            damaged.append(Problem(uri, bad.line, bad.message.split(";")[0] + "; it is copied as it is, without "
                                                  "front matter (no date from the list; its README lessons go to the highlights page): "
                                                  "re-save it as UTF-8 and import again"))
            as_is.add(uri)
            plan.copies[f"{docs}/{uri}"] = path
            continue
        notes[uri] = repair(uri, body, damaged)
    for problem in damaged:
        plan.problem("damaged text", problem)

    lessons_of: dict[str, list[Lesson]] = {}
    home_lessons: list[Lesson] = []
    for lesson in readme.lessons:
        links = [(label, target) for label, target in LINK.findall(lesson.text)
                 if "://" not in target and target.split("#")[0].endswith(".md")]
        fixed_links: dict[str, str] = {}
        for label, target in links:
            uri = posixpath.normpath(target.split("#")[0])
            real = by_fold.get(uri.casefold())
            if real is None:
                real = uri
                notes.setdefault(real, f"# {label}\n")
                by_fold[real.casefold()] = real
                plan.notice("links", f"README.md:{lesson.line}: links '{target}', but the folder has no such note; "
                                    "a stub is written there: write the note")
            elif real != uri:
                plan.notice("links", f"README.md:{lesson.line}: link '{target}' differs in case from the note "
                                    f"'{real}'; it now points at '{real}'")
            fixed_links[target] = real
        source = fixed_links[links[0][1]] if links else "highlights.md"
        if source in as_is:
            source = "highlights.md"
        lesson.text = ANY_LINK.sub(lambda m: _relink(m, fixed_links, source, readme, lesson.line, plan, True),
                                   lesson.text)
        (home_lessons if source == "highlights.md" else lessons_of.setdefault(source, [])).append(lesson)

    listed = _listed(readme.entries, by_fold, plan)
    for uri, body in notes.items():
        plan.writes[f"{docs}/{uri}"] = _with_front_matter(uri, body, listed.get(uri), lessons_of.get(uri, []), plan)
    if posts:
        folders = sorted({posixpath.dirname(source) for source in posts.values()})
        plan.notice("notes", f"{', '.join(f + '/' for f in folders)}: a blog's posts (Jekyll), imported as the topic "
                             f"'Posts' (docs/posts/, {len(posts)} notes), each dated by the day its file name starts "
                             "with")
    for topic in sorted({uri.split("/", 1)[0] for uri in notes}):
        if topic == "posts" and posts and not (legacy / "posts" / ".pages").is_file():
            plan.writes[f"{docs}/posts/.pages"] = 'title: "Posts"\n'
        elif not (legacy / topic / ".pages").is_file():
            plan.writes[f"{docs}/{topic}/.pages"] = f"title: {json.dumps(readable(topic), ensure_ascii=False)}\n"
    home_text = readme.opening or "Lessons learned, grouped by theme. Each lesson links the paper it comes from."
    plan.writes[f"{docs}/highlights.md"] = (
        "---\ntitle: Highlights & Lessons Learned\n" + _lessons_yaml(home_lessons) + "---\n\n" + home_text + "\n")
    home = [ANY_LINK.sub(lambda m: _relink(m, {}, "index.md", readme, line, plan, False), block)
            for line, block in readme.home]
    plan.writes[f"{docs}/index.md"] = _home(plan.site_name, home)
    plan.writes["mkdocs.yml"] = _mkdocs_yml(plan.site_name, plan.site_author, readme.themes)
    return plan


def _relink(m: re.Match, fixed: dict[str, str], source: str, readme: Readme, line: int, plan: Plan,
            lesson: bool) -> str:
    """A README link made to work from `source`: notes and files by their docs path, the README's own anchors
    at the theme or section they name (a lesson's `#anchor` is one of the highlights page)."""
    bang, label, target, title = m.groups()
    if "://" in target or target.startswith("mailto:"):
        return m.group(0)
    here = posixpath.dirname(source) or "."
    if target.startswith("#"):
        page, anchor = readme.anchors.get(target[1:], (None, None))
        if page is None:
            plan.notice("links", f"README.md:{line}: link '{target}' names no heading of the README; it is kept "
                                f"as text: link a heading")
            return label
        if lesson:
            if page == "highlights.md":
                return f"[{label}](#{anchor})" if anchor else label
            plan.notice("links", f"README.md:{line}: link '{target}' goes to a part of the README that is no "
                                "theme; in a lesson it is kept as text")
            return label
        if page == "index.md":
            return f"[{label}](#{anchor})" if anchor else label
        rel = posixpath.relpath(page, here)
        return f"{bang}[{label}]({rel}{'#' + anchor if anchor else ''}{title})"
    path, _, anchor = target.partition("#")
    real = fixed.get(target, posixpath.normpath(path))
    rel = posixpath.relpath(real, here)
    return f"{bang}[{label}]({rel}{'#' + anchor if anchor else ''}{title})"


def _listed(entries: list[Entry | None], by_fold: dict[str, str], plan: Plan) -> dict[str, Entry]:
    """The entry of each listed note; a note listed twice on different days gets no date from the list."""
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry is None:
            continue
        uri = posixpath.normpath(entry.target)
        real = by_fold.get(uri.casefold())
        if real is None:
            plan.problem("reading list", Problem("README.md", entry.line, f"the reading list links '{entry.target}', which "
                                                                  "is no note of the diary; nothing is written for "
                                                                  "it: fix the path, or add the note"))
            continue
        if real != uri:
            plan.notice("reading list", f"README.md:{entry.line}: link '{entry.target}' differs in case from the note "
                                f"'{real}'; it is read as '{real}'")
        found.setdefault(real, []).append(entry)
    chosen: dict[str, Entry] = {}
    for uri, listed in found.items():
        days = sorted({e.date for e in listed if e.date})
        first = listed[0]
        if len(days) > 1:
            where = ", ".join(f"{e.date} at README.md:{e.line}" for e in listed if e.date)
            for e in listed[1:]:
                plan.problem("reading list", Problem("README.md", e.line, f"{uri} is listed on several days ({where}); "
                                                                  "no date is taken from the list: keep one entry, "
                                                                  "or give the note a date: in its front matter"))
            first = Entry(first.line, first.target, first.title, first.summary, None)
        chosen[uri] = first
    return chosen


def _with_front_matter(uri: str, text: str, entry: Entry | None, lessons: list[Lesson], plan: Plan) -> str:
    """The note with its reading-list facts and lessons added to its front matter; its text is kept as written.

    The note's own front matter wins over the list, and the list over the date line of its text: a disagreement
    is reported, never settled by a guess."""
    raw, body, body_line = frontmatter.split(text)
    fm = frontmatter.parse(uri, text) if raw is not None else None
    values = fm.values if fm else {}
    lines: list[str] = []
    if entry is not None:
        own = dates.find(body)
        if "date" in values:
            if entry.date and values["date"] != entry.date:
                plan.problem("reading list", Problem("README.md", entry.line, f"{uri} is listed on {entry.date}, but its front "
                                                                 f"matter says date: {values['date']} ({uri}:"
                                                                 f"{fm.lines.get('date', 2)}); the front matter's "
                                                                 "date is kept: correct the one that is wrong"))
        elif entry.date and isinstance(entry.date, dates.Month) and own and own.date and \
                (own.date.year, own.date.month) == (entry.date.year, entry.date.month):
            pass  # listed in its month; the note's own line names the day
        elif entry.date:
            lines.append(f"date: {entry.date.isoformat()}")
            if own and own.date and own.date != entry.date:
                plan.problem("reading list", Problem("README.md", entry.line, f"{uri} is listed on {entry.date}, but its own "
                                                                 f"line says '{own.written}' ({uri}:"
                                                                 f"{body_line + own.line}); the list's date goes "
                                                                 "into its front matter: correct the one that is "
                                                                 "wrong"))
        if "title" not in values and not _has_title(body) and entry.title:
            lines.append(f"title: {json.dumps(entry.title, ensure_ascii=False)}")
        if "summary" not in values and entry.summary:
            lines.append(f"summary: {json.dumps(entry.summary, ensure_ascii=False)}")
    added = "\n".join(lines) + ("\n" if lines else "")
    if lessons:
        if raw is not None and re.search(r"^highlights\s*:", raw, re.M):
            plan.problem("notes", Problem(uri, 2, "already has 'highlights:'; the README's lessons for it are not added: "
                                            "merge them by hand"))
        else:
            added += _lessons_yaml(lessons)
    if not added:
        return text
    if raw is None:
        return "---\n" + added + "---\n\n" + text
    return "---\n" + raw + ("" if raw.endswith("\n") or not raw else "\n") + added + "---\n" + body


def _has_title(body: str) -> bool:
    """Whether the note names itself with a `# heading` (outside code)."""
    return any(t.type == "heading_open" and t.tag == "h1" for t in MD.parse(body))


def _yaml_text(text: str, indent: str) -> str:
    """A lesson's Markdown as YAML: a literal block the author can edit when it is several lines, else quoted."""
    if "\n" in text:
        block = "|-\n" + "\n".join(indent + x if x else "" for x in text.split("\n"))
        try:
            if yaml.safe_load("k: " + block) == {"k": text}:
                return block
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


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
        out.append(f"    text: {_yaml_text(lesson.text, '      ')}")
    return "\n".join(out) + "\n"


def _home(title: str, blocks: list[str]) -> str:
    body = "\n\n".join(b for b in blocks if b.strip()).strip()
    if re.search(r"\{[{%#]", body):  # the home page runs macros: the README's own `{{` (LaTeX) stays text
        body = "{% raw %}\n" + body + "\n{% endraw %}"
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nrender_macros: true\n---\n\n# {title}\n\n{body}\n\n"
            "## Topics\n\n{{ topic_list() }}\n\n## Latest papers\n\n{{ latest_papers(10) }}\n")


def _mkdocs_yml(name: str, author: str | None, themes: list[tuple[str, str]]) -> str:
    lines = [f"site_name: {json.dumps(name, ensure_ascii=False)}"]
    if author:
        lines.append(f"site_author: {json.dumps(author, ensure_ascii=False)}")
    lines += ["theme:", "  name: material", "plugins:",
              "  - search", "  - awesome-pages", "  - macros:", "      render_by_default: false", "  - paper-diary:",
              "      themes:" + ("" if themes else " []")]  # a README without highlights has no themes
    lines += [f"        - {{id: {tid}, title: {json.dumps(title, ensure_ascii=False)}}}" for tid, title in themes]
    lines += ["markdown_extensions:", "  - toc:", "      permalink: true", "  - admonition", "  - attr_list",
              "  - md_in_html", "validation:", "  omitted_files: warn", "  absolute_links: warn",
              "  unrecognized_links: warn", "  anchors: warn"]
    return "\n".join(lines) + "\n"


def merged_mkdocs_yml(old: str, name: str, author: str | None, themes: list[tuple[str, str]]) -> str | None:
    """An existing mkdocs.yml with the import's site_name, site_author and themes, every other line kept as it was
    (comments too); None when it has no paper-diary plugin to give the themes to, or the edit would not read back."""
    from paper_diary.commands.config import _Tolerant

    lines = old.split("\n")

    def put(key: str, value: str | None, after: str | None) -> None:
        at = next((k for k, x in enumerate(lines) if re.match(rf"{key}\s*:", x)), None)
        if value is None:
            return
        line = f"{key}: {json.dumps(value, ensure_ascii=False)}"
        if at is not None:
            lines[at] = line
        else:
            where = next((k + 1 for k, x in enumerate(lines) if after and re.match(rf"{after}\s*:", x)), 0)
            lines.insert(where, line)

    put("site_name", name, None)
    put("site_author", author, "site_name")
    at = next((k for k, x in enumerate(lines) if re.match(r"^(\s*)-\s+paper-diary\s*:?\s*(#.*)?$", x)), None)
    if at is None:
        return None
    dash = len(lines[at]) - len(lines[at].lstrip())
    end = at + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > dash + 1):
        end += 1
    while end > at + 1 and not lines[end - 1].strip():
        end -= 1
    options = [k for k in range(at + 1, end) if lines[k].strip()]
    indent = (len(lines[options[0]]) - len(lines[options[0]].lstrip())) if options else dash + 4
    lines[at] = re.sub(r"paper-diary\s*:?", "paper-diary:", lines[at], count=1)
    new = [" " * indent + "themes:" + ("" if themes else " []")] + [" " * (indent + 2) + f"- {{id: {tid}, title: "
                                        f"{json.dumps(title, ensure_ascii=False)}}}" for tid, title in themes]
    start = next((k for k in options if re.match(rf"^\s{{{indent}}}themes\s*:", lines[k])), None)
    if start is None:
        lines[end:end] = new
    else:
        stop = start + 1
        while stop < end and (not lines[stop].strip() or len(lines[stop]) - len(lines[stop].lstrip()) > indent):
            stop += 1
        lines[start:stop] = new
    text = "\n".join(lines)
    try:
        data = yaml.load(text, Loader=_Tolerant) or {}
        plugin = next(p["paper-diary"] for p in data.get("plugins") or [] if isinstance(p, dict) and "paper-diary" in p)
        read = [(t["id"], t["title"]) for t in plugin["themes"]]
    except (yaml.YAMLError, StopIteration, KeyError, TypeError, AttributeError):
        return None
    return text if data.get("site_name") == name and read == list(themes) else None


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="turn a diary kept in a README (topic folders, highlights, a dated list) into this layout",
        description="Import LEGACY_DIR: its topic folders' notes go under DOCS, each dated, titled and summarised "
                    "from the README's reading list and given the README lessons it is the source of; lessons of "
                    "no paper go into DOCS/highlights.md, the rest of the README into DOCS/index.md, the themes, "
                    "title and author into mkdocs.yml (beside DOCS), each topic's title into its .pages, and "
                    "every other file is copied. A dry run unless --write.")
    p.add_argument("legacy_dir", metavar="LEGACY_DIR", type=Path)
    p.add_argument("--docs", default="docs", type=Path, help="the docs folder to write (default: docs)")
    p.add_argument("--write", action="store_true", help="write the files (default: only show what would be written)")
    p.add_argument("--force", action="store_true", help="overwrite files that exist")
    p.set_defaults(run=run)


def _kind(rel: str, docs: str) -> str:
    if rel == "mkdocs.yml":
        return "site"
    if rel.endswith("/.pages"):
        return "topic titles"
    if rel in (f"{docs}/index.md", f"{docs}/highlights.md"):
        return "pages"
    return "notes"


def run(args) -> int:
    from paper_diary.commands.files import Refused, write_text

    if not (args.legacy_dir / "README.md").is_file():
        print(f"paper-diary import: {args.legacy_dir}/README.md not found; give the folder that holds the legacy "
              "README and its topic folders", file=sys.stderr)
        return 2
    docs = Path(args.docs)
    plan = plan_import(args.legacy_dir, docs=docs.name)
    root = docs.parent
    refused = 0
    groups: dict[str, list[tuple[str, str | Path]]] = {}
    for rel, text in plan.writes.items():
        groups.setdefault(_kind(rel, docs.name), []).append((rel, text))
    groups["files copied"] = list(plan.copies.items())
    for kind in ("notes", "pages", "topic titles", "files copied", "site"):
        items = groups.get(kind, [])
        if not items:
            continue
        print(f"{kind} ({len(items)}):")
        for rel, content in items:
            target = root / rel
            data = content.read_bytes() if isinstance(content, Path) else content.encode("utf-8")
            merged = None
            if rel == "mkdocs.yml" and target.exists() and args.force:
                merged = merged_mkdocs_yml(target.read_text(encoding="utf-8"), plan.site_name, plan.site_author,
                                           plan.themes)
                if merged is not None:
                    content, data = merged, merged.encode("utf-8")
            if rel == "mkdocs.yml" and target.exists() and merged is None:
                why = "has no paper-diary plugin the import can edit" if args.force else "exists"
                print(f"  {target} {why} and is left alone; add these themes under the paper-diary plugin:\n"
                      + "\n".join(f"    - {{id: {tid}, title: {json.dumps(t, ensure_ascii=False)}}}"
                                  for tid, t in plan.themes)
                      + f"\n  and name the site: site_name: {json.dumps(plan.site_name, ensure_ascii=False)}"
                      + (f", site_author: {json.dumps(plan.site_author, ensure_ascii=False)}"
                         if plan.site_author else ""))
                continue
            if not args.write:
                state = "update" if merged else "overwrite" if target.exists() else "write"
                print(f"  would {state} {target} ({len(data)} bytes)")
                continue
            try:
                if isinstance(content, Path):
                    _copy(content, target, args.force)
                else:
                    write_text(target, content, force=args.force)
                print(f"  {'updated' if merged else 'wrote'} {target}"
                      + (" (site_name, site_author and themes; every other line kept)" if merged else ""))
            except Refused as e:
                refused += 1
                print(f"paper-diary import: {e}", file=sys.stderr)
    if plan.left_out:
        print(f"left out ({len(plan.left_out)}):")
        for note in plan.left_out:
            print(f"  {note}")
    for kind in ("damaged text", "reading list", "links", "notes"):
        if plan.found.get(kind):
            print(f"{kind} ({len(plan.found[kind])}):")
            for line in sorted(plan.found[kind], key=_where):
                print(f"  {line}")
    if not args.write:
        print("dry run: nothing was written; run again with --write")
    return 1 if plan.problems or refused else 0


def _where(message: str) -> tuple:
    """`README.md:12: ...` sorts by file, then line."""
    m = re.match(r"([^:]*):(\d+):", message)
    return (m.group(1) != "README.md", m.group(1), int(m.group(2))) if m else (True, message, 0)


def _copy(source: Path, target: Path, force: bool) -> None:
    """A file of the old diary copied byte for byte, refusing to overwrite unless told (atomically, like notes)."""
    import os
    import tempfile

    from paper_diary.commands.files import Refused

    if target.exists() and not force:
        raise Refused(f"{target} exists; nothing was written (use --force to overwrite it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

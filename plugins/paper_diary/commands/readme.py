"""A diary's README read as GitHub shows it (CommonMark with tables, by markdown-it-py), section by section.

- the highlights ("Highlights & Lessons Learned"): each numbered theme (`### 1. RL`, `#### 9. Quantisation`) and
  its lessons, each with its Markdown kept as written;
- the dated reading list (`### May 2025` then `* 23rd: [Title](topic/Note.md): summary`, or month sections such as
  `## 2026-04`): an `Entry` per note, with its date, title and summary;
- the repository tree, the title and the author line; everything else is kept for the home page.

`parse_readme` gives a `Readme`; `importer.py` plans and writes the import from it. Every entry or link that cannot
be read is a `Problem` at `README.md:LINE`, never guessed.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from paper_diary.diary.scan import today
from paper_diary.model import Problem, slugify
from paper_diary.reading import dates, encoding
from paper_diary.reading.anchors import Slugger
from paper_diary.reading.anchors import slug as anchor_slug

# GitHub renders a README as CommonMark with tables and strikethrough.
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
NUMBERED_THEME = re.compile(r"^(\d+)[.)]\s+(.+)$")
MONTH_HEADING = re.compile(r"^(?P<month>[A-Za-z]+)\.?(?:,?\s+(?P<year>\d{4}))?\s*(?:\(.*\))?:?$")  # May 2025 (9)
NUMERIC_MONTH = re.compile(r"^(?P<year>(?:19|20)\d\d)-(?P<month>\d{1,2})\s*(?:\(.*\))?:?$")  # 2026-04 (3)
ENTRY_DAY = re.compile(r"^" + dates.DAY_RANGE + r"\b\s*:?\s*")
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
ANY_LINK = re.compile(r"(!?)\[([^\]]*)\]\(<?([^)\s>]+)>?((?:\s+\"[^\"]*\")?)\)")
LESSON_TITLE = re.compile(r"^\*\*(?P<title>[^*\n]+?)\*\*[ \t]*(?::[ \t]*)?(?:\\[ \t]*)?(?:\n|$)|"
                          r"^\*\*(?P<inline>[^*\n]+?)\*\*[ \t]*[:—–-][ \t]+")
HTML_H1 = re.compile(r"^\s*<h1\b[^>]*>(.*?)</h1>\s*$", re.I | re.S)
AUTHOR = re.compile(r"^(?:by|author\s*:?|written by)\s+(?P<name>\S.*)$", re.I)
TREE = re.compile(r"[├└]──")
TAG = re.compile(r"<[^>]+>")


@dataclass
class Lesson:
    theme: str
    order: int
    title: str | None
    text: str
    line: int


@dataclass
class Entry:
    """One paper of the dated reading list."""

    line: int
    target: str  # as written, relative to the README
    title: str
    summary: str
    date: datetime.date | None


@dataclass
class Readme:
    """What the README holds, section by section."""

    title: str | None = None
    author: str | None = None
    home: list[tuple[int, str]] = field(default_factory=list)  # (README line, Markdown block) for the home page
    themes: list[tuple[str, str]] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    opening: str = ""
    entries: list[Entry] = field(default_factory=list)
    anchors: dict[str, tuple[str, str]] = field(default_factory=dict)  # GitHub slug -> (page, anchor)
    left_out: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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


def plain(node: SyntaxTreeNode) -> str:
    """The text of a heading or paragraph as a reader sees it (markup and HTML tags dropped)."""
    out = []
    for child in node.walk():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out).strip()


def _level(node: SyntaxTreeNode) -> int:
    return int(node.tag[1]) if node.type == "heading" else 0


def _source(node: SyntaxTreeNode, lines: list[str]) -> list[str]:
    """A block's lines as written, its common indent removed."""
    block = lines[node.map[0]:node.map[1]] if node.map else []
    while block and not block[-1].strip():
        block.pop()
    indent = min((len(x) - len(x.lstrip(" ")) for x in block if x.strip()), default=0)
    return [x[indent:] for x in block]


def blocks_markdown(nodes: list[SyntaxTreeNode], lines: list[str], tight: bool = False) -> list[str]:
    """Blocks as Markdown Python-Markdown reads the way CommonMark did: a blank line before each block, list
    content indented by four, code kept byte for byte. In a tight list item a nested list follows its line."""
    out: list[str] = []
    for node in nodes:
        block = _block(node, lines)
        if out and block and not (tight and node.type in ("bullet_list", "ordered_list")):
            out.append("")
        out.extend(block)
    return out


def _block(node: SyntaxTreeNode, lines: list[str]) -> list[str]:
    kind = node.type
    if kind == "paragraph":
        text = node.children[0].content if node.children else ""
        # Leading spaces of a paragraph's lines mean nothing; a CommonMark `\` line break is two spaces here.
        return [re.sub(r"\\$", "  ", x.strip()) for x in text.split("\n")]
    if kind == "heading":
        return ["#" * _level(node) + " " + (node.children[0].content if node.children else "")]
    if kind in ("bullet_list", "ordered_list"):
        out: list[str] = []
        start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
        for k, item in enumerate(node.children):
            marker = "-" if kind == "bullet_list" else f"{start + k}."
            tight = all(c.hidden for c in item.children if c.type == "paragraph")
            body = blocks_markdown(item.children, lines, tight=tight) or [""]
            out.append(f"{marker} {body[0]}".rstrip())
            out.extend("    " + x if x else "" for x in body[1:])
            if not tight and k + 1 < len(node.children):
                out.append("")
        return out
    if kind == "blockquote":
        return ["> " + x if x else ">" for x in blocks_markdown(node.children, lines)]
    if kind == "fence":
        return [node.markup + node.info, *node.content.rstrip("\n").split("\n"), node.markup]
    if kind == "code_block":
        return ["    " + x for x in node.content.rstrip("\n").split("\n")]
    if kind == "hr":
        return ["* * *"]  # never `---`, which under a line of text makes it a heading
    return _source(node, lines)  # HTML and tables, as written


def _month(text: str) -> tuple[int, int | None] | None:
    text = re.sub(r"^[^\w]+", "", text).strip()
    numeric = NUMERIC_MONTH.match(text)  # `## 2026-04`
    if numeric:
        return (int(numeric["month"]), int(numeric["year"])) if 1 <= int(numeric["month"]) <= 12 else None
    m = MONTH_HEADING.match(text)
    if not m or m["month"].lower() not in dates.MONTHS:
        return None
    return dates.MONTHS[m["month"].lower()], int(m["year"]) if m["year"] else None


def _sections(tree: SyntaxTreeNode) -> list[tuple[SyntaxTreeNode | None, list[SyntaxTreeNode]]]:
    """Top-level blocks grouped under their `#` or `##` heading (the first group has none)."""
    sections: list[tuple[SyntaxTreeNode | None, list[SyntaxTreeNode]]] = [(None, [])]
    for node in tree.children:
        if node.type == "heading" and _level(node) <= 2:
            sections.append((node, []))
        else:
            sections[-1][1].append(node)
    return sections


def parse_readme(text: str) -> Readme:
    lines = text.split("\n")
    tree = SyntaxTreeNode(MD.parse(text))
    readme = Readme()
    slugger = Slugger()  # the anchors GitHub gives the README's headings, which its links point at
    slugs = {id(n): slugger(plain(n)) for n in tree.walk() if n.type == "heading"}
    sections = _sections(tree)
    for number, (heading, nodes) in enumerate(sections):
        name = plain(heading) if heading else ""
        line = heading.map[0] + 1 if heading else 1
        if heading is not None and not readme.title and _level(heading) == 1 and not _is_reading_list(nodes):
            readme.title = name
            _anchor(readme, slugs, heading, ("index.md", ""))
            heading = None
        elif heading is not None and readme.author is None and number <= 2 and AUTHOR.match(name):
            readme.author = _name(AUTHOR.match(name)["name"])
            readme.home.append((line, name))
            heading = None
        if heading is not None and "highlight" in name.casefold():
            _anchor(readme, slugs, heading, ("highlights.md", ""))
            _highlights(readme, nodes, lines, slugs)
            continue
        if _is_reading_list(nodes) or (heading is not None and _month(name)):
            if heading is not None:
                _anchor(readme, slugs, heading, ("diary/index.md", ""))
            readme.left_out.append(f"README.md:{line}: '{name or 'the reading list'}' is read into the notes' "
                                   "dates, titles and summaries (the diary shows them at /diary/); not copied")
            month_section = heading is not None and _month(name)  # `## 2026-04`: the section is the month
            _reading_list(readme, ([heading] if month_section else []) + nodes, slugs)
            continue
        if any(n.type in ("fence", "code_block") and TREE.search(n.content) for n in nodes):
            readme.left_out.append(f"README.md:{line}: '{name}' (the folders of the diary) is left out: the "
                                   "sidebar and the topic pages list them")
            continue
        if heading is not None:
            level = max(2, _level(heading))
            readme.home.append((line, "#" * level + " " + heading.children[0].content))
            _anchor(readme, slugs, heading, ("index.md", anchor_slug(name)))
        for node in nodes:
            if node.type == "hr":
                continue
            if node.type == "html_block":
                kept = [x for x in _source(node, lines) if not _title_or_author(readme, x)]
                if any(x.strip() for x in kept):
                    readme.home.append((node.map[0] + 1, "\n".join(kept)))
                continue
            if node.type == "heading":
                _anchor(readme, slugs, node, ("index.md", anchor_slug(plain(node))))
            if number == 0 and node.type == "paragraph" and readme.author is None and AUTHOR.match(plain(node)):
                readme.author = _name(AUTHOR.match(plain(node))["name"])
            readme.home.append((node.map[0] + 1, "\n".join(_block(node, lines))))
    return readme


def _name(written: str) -> str:
    """An author's name from their line: `BY DOM RIGBY` is the README's styling, the name is Dom Rigby."""
    name = written.strip().strip("*_").strip()
    return name.title() if name.isupper() else name


def _title_or_author(readme: Readme, line: str) -> bool:
    """Whether an HTML line is the README's centred title or author line (which name the site)."""
    m = HTML_H1.match(line)
    if m and readme.title is None:
        readme.title = html.unescape(TAG.sub("", m.group(1))).strip()
        return True
    words = html.unescape(TAG.sub("", line)).strip()
    m = AUTHOR.match(words)
    if m and readme.author is None and line.lstrip().startswith("<"):
        readme.author = _name(m["name"])
        readme.home.append((0, words))  # the home page still says who writes the diary
        return True
    return False


def _anchor(readme: Readme, slugs: dict[int, str], node: SyntaxTreeNode, target: tuple[str, str]) -> None:
    readme.anchors.setdefault(slugs[id(node)], target)


def _is_reading_list(nodes: list[SyntaxTreeNode]) -> bool:
    """A section whose sub-headings are months, each followed by a list."""
    return any(n.type == "heading" and _month(plain(n)) and k + 1 < len(nodes) and
               nodes[k + 1].type in ("bullet_list", "ordered_list") for k, n in enumerate(nodes))


def _highlights(readme: Readme, nodes: list[SyntaxTreeNode], lines: list[str], slugs: dict[int, str]) -> None:
    """Themes and lessons. A theme is a numbered heading of level 3 or 4 (any level-3 heading when none is
    numbered); a lesson, an item of a list in it; its other text and un-numbered sub-headings stay in the theme,
    as lessons of no paper."""
    numbered = any(n.type == "heading" and _level(n) in (3, 4) and NUMBERED_THEME.match(plain(n)) for n in nodes)
    theme: str | None = None
    pending: list[SyntaxTreeNode] = []  # text of the theme that is no lesson
    pending_title: list[str | None] = [None]
    pending_heading: list[SyntaxTreeNode | None] = [None]
    opening: list[str] = []
    ids: set[str] = set()

    first = [0]  # the index of the theme's first lesson: its lessons are numbered in the order they come

    def order() -> int:
        return len(readme.lessons) - first[0] + 1

    def flush() -> None:
        title = pending_title[0]
        body = "\n".join(blocks_markdown(pending, lines)).strip()
        if theme is not None and (body or title):
            line = (pending[0].map[0] if pending else 0) + 1
            readme.lessons.append(Lesson(theme, order(), title if body else None, body or title or "", line))
            if body and title and pending_heading[0] is not None:  # a link to the heading finds its lesson
                readme.anchors[slugs[id(pending_heading[0])]] = ("highlights.md", slugify(title))
        pending.clear()
        pending_title[0] = pending_heading[0] = None

    for node in nodes:
        name = plain(node) if node.type == "heading" else ""
        m = NUMBERED_THEME.match(name) if numbered else None
        if node.type == "heading" and ((m and _level(node) in (3, 4)) or (not numbered and _level(node) == 3)):
            flush()
            title = re.sub(r"[\s:]+$", "", m.group(2) if m else name)
            tid, n = theme_id(title), 2
            while tid in ids:
                tid, n = f"{theme_id(title)}-{n}", n + 1
            ids.add(tid)
            readme.themes.append((tid, title))
            theme, first[0] = tid, len(readme.lessons)
            _anchor(readme, slugs, node, ("highlights.md", tid))
            continue
        if theme is None:
            if node.type not in ("hr",):
                opening.append("\n".join(_block(node, lines)))
            continue
        if node.type == "heading":
            flush()
            pending_title[0], pending_heading[0] = re.sub(r"[\s:]+$", "", name), node
            _anchor(readme, slugs, node, ("highlights.md", theme))
        elif node.type in ("bullet_list", "ordered_list"):
            flush()
            for item in node.children:
                lesson = _lesson(theme, order(), item, lines)
                if lesson.text.strip():  # an empty `-` is no lesson
                    readme.lessons.append(lesson)
        elif node.type != "hr":
            pending.append(node)
    flush()
    readme.opening = "\n\n".join(opening).strip()


def _lesson(theme: str, order: int, item: SyntaxTreeNode, lines: list[str]) -> Lesson:
    """A list item as a lesson: `**Title**` alone on its first line (or `**Title**: ...`) is its title."""
    body = "\n".join(blocks_markdown(item.children, lines))  # its own text, at the top: a blank line per block
    title = None
    m = LESSON_TITLE.match(body)
    if m:
        title = re.sub(r"[\s:]+$", "", m["title"] or m["inline"])
        body = body[m.end():].lstrip("\n")
    return Lesson(theme, order, title, body.strip("\n") or (title or ""), item.map[0] + 1)


def _reading_list(readme: Readme, nodes: list[SyntaxTreeNode], slugs: dict[int, str]) -> None:
    """Every entry under a month heading, its date taken from the day and the month's heading."""
    months: list[list] = []  # [month, year or None, line, [list nodes]]
    for node in nodes:
        if node.type == "heading":
            month = _month(plain(node))
            _anchor(readme, slugs, node, ("diary/index.md", ""))
            months.append([*month, node.map[0] + 1, []] if month else [None, None, node.map[0] + 1, []])
        elif node.type in ("bullet_list", "ordered_list"):
            if not months:
                months.append([None, None, node.map[0] + 1, []])
            months[-1][3].append(node)
    for month, _, line, lists in months:
        if month is None and lists:
            readme.problems.append(Problem("README.md", line, "these entries of the reading list are under no "
                                                              "month; they are left undated: put them under a "
                                                              "month's heading, e.g. ### May 2025"))
    _years(readme, months)
    for month, year, line, lists in months:
        by_month = not _days(lists)  # a month's list with no days (`## 2026-04`, then its papers): read that month
        for item in (i for lst in lists for i in lst.children):
            readme.entries.append(_entry(readme, item, month, year, by_month))


def _days(lists: list[SyntaxTreeNode]) -> list[int]:
    days = []
    for item in (i for lst in lists for i in lst.children):
        para = next((c for c in item.children if c.type == "paragraph"), None)
        m = ENTRY_DAY.match(re.sub(r"^([*_]+)(\d[^*_]*)\1", r"\2", para.children[0].content)) if para else None
        if m:
            days.append(int(m["day"]))
    return days


def _years(readme: Readme, months: list[list]) -> None:
    """A month heading without a year takes the year that keeps the list in order: oldest or newest first, as
    its dated headings show (or, when they cannot, the days within its months); when neither shows it, the
    month's entries are left undated and reported."""
    known = [(y, m) for m, y, _, _ in months if m and y]
    rising = _direction([b > a for a, b in zip(known, known[1:]) if a != b])
    if rising is None:
        rising = _direction([b > a for *_, lists in months for a, b in zip(_days(lists), _days(lists)[1:])
                             if a != b])
    previous: tuple[int, int] | None = None
    for k, entry in enumerate(months):
        month, year, line = entry[0], entry[1], entry[2]
        if month is None:
            continue
        if year is None and rising is not None:
            nxt = next(((m[1], m[0]) for m in months[k + 1:] if m[0] and m[1]), None)
            if previous:
                py, pm = previous
                year = (py if month >= pm else py + 1) if rising else (py if month <= pm else py - 1)
            elif nxt:
                ny, nm = nxt
                year = (ny if month <= nm else ny - 1) if rising else (ny if month >= nm else ny + 1)
            if year is not None:
                entry[1] = year
                readme.notices.append(f"README.md:{line}: '{datetime.date(2000, month, 1):%B}' has no year; "
                                      f"{year} keeps the list in order")
        if entry[1] is None:
            readme.problems.append(Problem("README.md", line, "this month has no year, and the headings around it "
                                                              "do not tell it; its entries are left undated: write "
                                                              f"the year, e.g. ### {datetime.date(2000, month, 1):%B} "
                                                              f"{known[0][0] if known else today().year}"))
        else:
            previous = (entry[1], month)


def _direction(steps: list[bool]) -> bool | None:
    """True when most steps go up, False when most go down, None when they do not say."""
    up = steps.count(True)
    return None if up * 2 == len(steps) else up * 2 > len(steps)


def _entry(readme: Readme, item: SyntaxTreeNode, month: int | None, year: int | None,
           by_month: bool = False) -> Entry | None:
    line = item.map[0] + 1
    para = next((c for c in item.children if c.type == "paragraph"), None)
    text = " ".join(x.strip() for x in (para.children[0].content if para else "").split("\n")).strip()
    day = ENTRY_DAY.match(re.sub(r"^([*_]+)(\d[^*_]*)\1", r"\2", text))  # `**23rd**: ...` too
    link = next((m for m in LINK.finditer(text) if "://" not in m.group(2) and not m.group(2).startswith("#")),
                None)
    if link is None or not link.group(2).split("#")[0].endswith(".md"):
        readme.problems.append(Problem("README.md", line, f"the reading list's entry '{text}' links no note; it "
                                                          "is left out: link the note, e.g. "
                                                          "* 23rd: [Title](topic/Note.md)"))
        return None
    date = None
    if day is None and month and year and by_month:
        date = dates.Month(year, month)  # listed in its month, on no day: known to the month
    elif day is None:
        readme.problems.append(Problem("README.md", line, f"the reading list's entry '{text}' starts with no day; "
                                                          "the note is left undated: start it with the day, "
                                                          "e.g. * 23rd: [Title](topic/Note.md)"))
    elif month and year:
        try:
            date = datetime.date(year, month, int(day["day"]))
        except ValueError:
            readme.problems.append(Problem("README.md", line, f"'{day.group(0).strip(' :')}' is not a day of "
                                                              f"{datetime.date(2000, month, 1):%B} {year}; the "
                                                              "note is left undated: correct the day"))
    title = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", link.group(1)).strip()  # `*ProRL*` reads ProRL
    summary = LINK.sub(r"\1", text[link.end():]).lstrip(" :–—-").strip()  # a summary is text: links keep their words
    return Entry(line, link.group(2).split("#")[0], title, summary, date)



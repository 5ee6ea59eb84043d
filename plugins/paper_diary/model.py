"""The diary's model: plain data keyed by the docs-relative path of each note (its `src_uri`)."""

from __future__ import annotations

import datetime
import functools
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote


class Month(datetime.date):
    """A date known to its month only (`March 2019`): it sorts with its month, never counts as a day of it.

    It is a `datetime.date` (the month's first day) so that it sorts and groups with other dates; `isoformat()`
    gives `2019-03`, what `papers.json` and the `<time>` element carry."""

    __slots__ = ()
    precision = "month"

    def __new__(cls, year: int, month: int, day: int = 1):
        return super().__new__(cls, year, month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __reduce__(self):
        return (Month, (self.year, self.month))


def precision(day: datetime.date | None) -> str:
    """'day', 'month', or '' for no date."""
    return "" if day is None else getattr(day, "precision", "day")


def show(day: datetime.date | None) -> str:
    """How a date shows: `2019-03-04`, or `March 2019` when only the month is known."""
    if day is None:
        return ""
    return f"{day:%B %Y}" if isinstance(day, Month) else day.isoformat()


@dataclass(frozen=True)
class Problem:
    """Something wrong in the diary, located in a file so the author can fix it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(eq=False)  # a paper is itself: compared and hashed by identity, never field by field
class Paper:
    """One note about one paper: `docs/<topic>/<name>.md`."""

    src_uri: str
    topic: str
    title: str
    body: str = ""
    body_line: int = 1
    date: datetime.date | None = None  # a `Month` when only the month is known
    # Where the date comes from: "front matter" (date:), "created" (Obsidian's created: or date created:),
    # "date line" (`Date read: ...`, `_Mar 2019_` near the top), "file name" (`2019-08-29-Title.md`),
    # "git" (the day the note was added), "" (undated).
    date_source: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    arxiv: str | None = None
    arxiv_version: int | None = None  # the version the note names (`2505.08264v1`); `arxiv` never carries it
    doi: str | None = None
    url: str | None = None
    pdf: str | None = None
    code: str | None = None
    summary: str | None = None
    status: str | None = None
    rating: float | None = None
    aliases: list[str] = field(default_factory=list)
    theme: str | None = None
    draft: bool = False
    highlights: list[Any] = field(default_factory=list)  # as the front matter declares them
    lessons: list[Any] = field(default_factory=list)  # highlights.Highlight it is the source of
    cited_in: list[Any] = field(default_factory=list)  # highlights.Highlight of other papers that cite it
    markdown: str | None = None  # the body as MkDocs renders it (Obsidian syntax converted)
    links_out: list[Any] = field(default_factory=list)  # obsidian.Link to other papers
    links_in: list[Any] = field(default_factory=list)  # obsidian.Link from other papers ("Linked from")
    related: list[Paper] = field(default_factory=list)  # sharing the most tags and links, best first
    extra: dict[str, Any] = field(default_factory=dict)  # unknown front matter keys, kept as written
    lines: dict[str, int] = field(default_factory=dict)  # where the title, tags, arxiv... are written (1-based)

    @property
    def name(self) -> str:
        return posixpath.splitext(posixpath.basename(self.src_uri))[0]

    @property
    def date_precision(self) -> str:
        """'day', 'month' (`March 2019`), or '' when undated."""
        return precision(self.date)

    @property
    def date_text(self) -> str:
        """The date as it shows: `2019-03-04`, or `March 2019` when only the month is known."""
        return show(self.date)

    @property
    def date_read(self) -> bool:
        """Whether the date says when the paper was read (the note says so), not when its note was added."""
        return self.date is not None and self.date_source != "git"

    @property
    def date_note(self) -> str:
        """Where the date comes from, said for a reader (a card's tooltip)."""
        return {"front matter": "date read, from the note's front matter",
                "created": "date the note was created, from its properties",
                "date line": "date read, from the note's date line",
                "file name": "date from the note's file name",
                "git": "date the note was added to git"}.get(self.date_source, "")

    @property
    def arxiv_abs(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def arxiv_pdf(self) -> str | None:
        return f"https://arxiv.org/pdf/{self.arxiv}" if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        if not self.doi:
            return None
        return self.doi if self.doi.startswith(("https://", "http://")) else f"https://doi.org/{self.doi}"

    def sort_key(self) -> tuple:
        """Newest first; undated last; ties by title then path so the order never depends on the disk."""
        return (self.date is None, -(self.date.toordinal() if self.date else 0), self.title.casefold(), self.src_uri)


@dataclass
class Topic:
    """A top-level folder of `docs/` holding paper notes."""

    id: str  # the folder name
    title: str
    papers: list[Paper] = field(default_factory=list)  # newest first
    has_index: bool = False  # the author wrote <topic>/index.md
    _positions: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def position(self, paper: Paper) -> int:
        """Where `paper` is in `papers` (a dict, not list.index: every paper page asks)."""
        i = self._positions.get(id(paper))
        if i is None or i >= len(self.papers) or self.papers[i] is not paper:  # the list changed: index again
            self._positions = {id(p): n for n, p in enumerate(self.papers)}
            i = self._positions[id(paper)]
        return i

    @property
    def index_uri(self) -> str:
        return f"{self.id}/index.md"


DEFAULT_EXCLUDE = ["assets", "images", "img", "stylesheets", "javascripts", "overrides", "includes"]


@dataclass
class Options:
    """How a diary is read: the plugin fills it from `mkdocs.yml`, the command line from the same file."""

    topics_include: list[str] = field(default_factory=list)
    topics_exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    latest: int = 10
    use_directory_urls: bool = True
    themes: list[tuple[str, str]] = field(default_factory=list)  # (id, title) of each highlight theme, in order
    highlights_page: str = "highlights.md"  # where /highlights/ is built; its front matter holds paper-less lessons
    drafts: bool = False  # keep drafts (draft: true, and notes in the inbox) in the model: while serving
    inbox: str = "inbox"  # the folder of notes written on the go, not filed yet: all drafts


@dataclass
class Diary:
    """Everything one build knows about the notes."""

    papers: dict[str, Paper] = field(default_factory=dict)  # by src_uri
    topics: dict[str, Topic] = field(default_factory=dict)  # by id, in display order
    problems: list[Problem] = field(default_factory=list)
    options: Options = field(default_factory=Options)
    themes: dict[str, Any] = field(default_factory=dict)  # id -> highlights.Theme, in display order
    highlights: list[Any] = field(default_factory=list)  # every highlights.Highlight, in page order
    tags: dict[str, Any] = field(default_factory=dict)  # casefolded name -> tags.Tag, in name order
    drafts: list[Paper] = field(default_factory=list)  # every draft, kept in the model or not
    linker: Any = None  # obsidian.Linker: resolves names for pages that are not papers
    map: Any = None  # map.PaperMap: where each paper is on /map/ (laid out by the plugin; None: not yet)
    today: datetime.date = field(default_factory=datetime.date.today)

    def latest(self, n: int | None = None) -> list[Paper]:
        papers = sorted(self.papers.values(), key=Paper.sort_key)
        return papers if n is None else papers[:n]

    def neighbours(self, paper: Paper) -> tuple[Paper | None, Paper | None]:
        """The papers of the same topic read just before and just after this one."""
        papers = self.topics[paper.topic].papers  # newest first
        i = self.topics[paper.topic].position(paper)
        older = papers[i + 1] if i + 1 < len(papers) else None
        newer = papers[i - 1] if i > 0 else None
        return older, newer


@functools.lru_cache(maxsize=1 << 18)  # pure, and asked for every link of every page the diary generates
def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page built from `src_uri`, relative to the site root."""
    stem, _ = posixpath.splitext(src_uri)
    parent, name = posixpath.split(stem)
    if name in ("index", "README"):
        url = parent + "/" if parent else ""
        return quote(url) if use_directory_urls else quote(posixpath.join(parent, "index.html"))
    if use_directory_urls:
        return quote(f"{stem}/")
    return quote(f"{stem}.html")


@functools.lru_cache(maxsize=1 << 18)
def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both relative to the site root."""
    base = posixpath.dirname(from_url) if not from_url.endswith("/") else from_url.rstrip("/")
    target = posixpath.relpath("/" + to_url, "/" + base) if base else to_url or "."
    if (to_url == "" or to_url.endswith("/")) and not target.endswith("/"):
        target += "/"
    return "./" if target in ("./", ".") else target


def slugify(text: str) -> str:
    """A URL-safe slug: ASCII letters, digits and hyphens, never empty, never a path."""
    # Accents fold to their letter (é -> e); any other character separates words (so ‑ and / are hyphens).
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if unicodedata.category(ch) != "Mn").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"

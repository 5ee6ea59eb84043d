"""Read the notes under `docs/` into a `Diary`. No MkDocs here: the plugin and the CLI both call `scan`."""

from __future__ import annotations

import datetime
import fnmatch
import os
import posixpath
import re
import subprocess
from dataclasses import fields
from pathlib import Path

import yaml

from paper_diary.diary import highlights, integrity, tags
from paper_diary.model import Diary, Options, Paper, Problem, Topic
from paper_diary.reading import dates, encoding, frontmatter, mathtex, obsidian

HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
# A heading of any level on the note's first line (`## Title`, as GitHub and Obsidian notes often open).
OPENING_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE_BLOCK = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.M | re.S)
PAPER_FIELDS = {f.name for f in fields(Paper)} - {"src_uri", "topic", "body", "body_line", "extra",
                                                  "date_source", "lines"}


def today() -> datetime.date:
    """'Today' for the diary: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def readable(name: str) -> str:
    """`LLM_reinforcement_learning` -> `LLM Reinforcement Learning`; `TokenEntropyRLVR` -> `Token Entropy RLVR`."""
    spaced = re.sub(r"[_\-]+", " ", name).strip()
    # An acronym's plural stays whole: `LLMs`, `LLMsForRL` -> `LLMs For RL`.
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z](?!s(?![a-z]))[a-z])", " ", spaced)
    words = [w[0].upper() + w[1:] if w.islower() else w for w in spaced.split()]
    return " ".join(words) or name  # a name of only '-' or '_' stays as it is: never an empty title


def decode(path: str, raw: bytes) -> tuple[str, Problem | None]:
    """The text of a note; bytes that are not UTF-8 are replaced and reported, never raised."""
    if b"\0" in raw[:8192]:
        return "", Problem(path, 1, "is a binary file, not a Markdown note; the page is left empty: "
                                    "rename it if it is not a note, or restore its text")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        return raw.decode("utf-8", errors="replace"), Problem(
            path, line, f"is not UTF-8 (byte 0x{raw[e.start]:02x}); the page is built with the bad bytes shown "
                        "as \ufffd: re-save the file as UTF-8")


def read_note(docs_dir: Path, src_uri: str) -> tuple[str, Problem | None]:
    try:
        raw = (docs_dir / src_uri).read_bytes()
    except OSError as e:
        return "", Problem(src_uri, 1, f"cannot be read ({e.strerror}); check the file's permissions")
    return decode(src_uri, raw)


def git_added_dates(docs_dir: Path) -> dict[str, datetime.date]:
    """The day each note was added to git, by docs-relative path: one git call for the whole tree."""
    try:
        out = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "--diff-filter=A", "--no-renames", "--relative",
             "--format=%x00%as", "--name-only", "--", "."],
            cwd=docs_dir, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    dates: dict[str, datetime.date] = {}
    for chunk in out.stdout.split("\0")[1:]:
        day, _, names = chunk.partition("\n")
        try:
            date = datetime.date.fromisoformat(day.strip())
        except ValueError:
            continue
        for name in names.splitlines():
            if name.strip():
                dates[name.strip()] = date  # newest first: the last one seen is the first add
    return dates


ANY_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)
# A title written as a link: `# [3DSSD: Point-based 3D Single Stage Object Detector](https://arxiv.org/abs/2002.10187)`.
LINKED = re.compile(r"^\[(?P<text>.+)\]\((?P<url><[^>]*>|\S+?)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'))?\)$")
# Headings that name a part of a note, not its paper: `## Overview` then `## Architecture` is a note's outline.
SECTIONS = {
    "abstract", "approach", "architecture", "background", "conclusion", "conclusions", "contents", "contributions",
    "details", "discussion", "experiments", "overview", "intro", "introduction", "key ideas", "key points",
    "key takeaways", "limitations", "method", "methods", "methodology", "motivation", "notes", "my notes",
    "problem", "questions", "related work", "results", "setup", "summary", "table of contents", "takeaways",
    "thoughts", "tl;dr", "tldr", "toc", "main idea", "key contributions", "evaluation", "training", "data",
    "dataset", "model", "idea", "ideas", "highlights", "references", "links", "resources", "code",
}
SECTION_WORDS = {w for name in SECTIONS for w in re.findall(r"[a-z]+", name)} - {"my"}
STOPWORDS = {"a", "an", "and", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or", "the", "to", "via",
             "with", "what", "how", "why", "are", "be", "you", "your", "all", "need"}
# Summary lines near a note's top: `tl;dr: ...`, `**TL;DR:** ...`, `Summary: ...`.
SUMMARY = re.compile(r"^[ \t]*(?:[>*+-][ \t]+)?[*_]{0,2}(?:tl;?dr|summary)[ \t]*:?[*_]{0,2}[ \t]*:[ \t]*(?:[*_]{2})?"
                     r"[ \t]*(?P<text>\S.*?)[ \t]*$", re.I)


def _title_from_body(body: str, name: str = "") -> tuple[str | None, int, str | None]:
    """The heading the note opens with (any level, on its first non-blank line), else its first `# heading`
    outside code blocks; its 0-based line in the body (-1: the opening heading is a section, and the note is
    titled by its file name as written); and the address it links to when it is written as a link.

    An opening heading that is one of the note's sections (`## Overview` then `## Architecture`) is no title."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    m = OPENING_HEADING.match(lines[first]) if first is not None else None
    if m and _bare(m.group(1)):
        level = len(lines[first].lstrip(" ")) - len(lines[first].lstrip(" ").lstrip("#"))
        after = sum(len(line) + 1 for line in lines[:first + 1])
        if _is_section(m.group(1), level, body, after, name):
            return None, -1, None  # titled by its file name, as Obsidian titles it; the text keeps the heading
        title, url = _linked(m.group(1))
        return title, first, url
    blanked = FENCE_BLOCK.sub(lambda f: "\n" * f.group(0).count("\n"), body)  # keep line numbers
    h = HEADING.search(blanked)
    if h is None:
        return None, 0, None
    title, url = _linked(h.group(1))
    return (title, blanked.count("\n", 0, h.start()), url) if title else (None, 0, None)


def _linked(heading: str) -> tuple[str, str | None]:
    """A heading's title and, when it is written as a link (`[Title](url)`), the link's address."""
    text = heading.strip()
    m = LINKED.match(text)
    if m:
        return _bare(m["text"]), m["url"].strip("<>")
    return _bare(text), None


def _is_section(heading: str, level: int, body: str, after: int, name: str) -> bool:
    """Whether the heading a note opens with is one of its sections rather than its paper's name.

    A reader decides by the heading's level against the note's other headings (a section has siblings at its
    level or above) and by its words: a section's name (`Overview`, `Table of Contents`), or a few words the file
    name does not share. A heading whose words the file's name shares names the paper."""
    if LINKED.match(heading.strip()):
        return False  # a linked title points at its paper
    text = _bare(heading)
    if _words(text) & _words(name):
        return False  # the file's name shares its words: it names the paper
    if text.casefold().rstrip(": ") not in SECTIONS:
        plain = [w for w in re.findall(r"[a-z]+", text.casefold()) if w not in STOPWORDS]
        if not plain or not all(w in SECTION_WORDS for w in plain):  # `Key Ideas & Results` reads as a section
            return False
    rest = body[after:]
    for h in ANY_HEADING.finditer(rest):  # a sibling at its level or above, outside code
        if len(h.group(1)) <= level:
            before = rest[:h.start()]
            if "```" not in before and "~~~" not in before:
                return True
            break
    else:
        return False
    rest = FENCE_BLOCK.sub("", rest)
    return any(len(h.group(1)) <= level for h in ANY_HEADING.finditer(rest))


def _words(text: str) -> set[str]:
    """The words that could name a paper: `UltimateGuideToSFT` -> {ultimate, guide, sft}."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)", " ", text)
    return {w for w in re.findall(r"[a-z0-9]+", spaced.casefold()) if w not in STOPWORDS and len(w) > 1}


def _bare(heading: str) -> str:
    """A heading's words without their emphasis or code marks: `**Title**`, `` `Title` ``, `A *new* model`."""
    text = re.sub(r"`+([^`]*)`+", r"\1", heading.strip())
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)
    return text.strip().strip("*_`").strip()


def _summary_line(body: str, lines: int = 12) -> tuple[str | None, int]:
    """A `tl;dr:` or `Summary:` line among the note's first non-blank lines, and its 0-based line."""
    head = body[:6000].casefold()
    if "tl;dr" not in head and "tldr" not in head and "summary" not in head:
        return None, 0
    for number, raw in dates.top_lines(body, lines):
        m = SUMMARY.match(raw)
        if m:
            text = _bare(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m["text"]))
            if text:
                return text, number
    return None, 0


def _created(values: dict, lines: dict, path: str, problems: list[Problem]) -> tuple[datetime.date | None, str]:
    """The day an Obsidian template wrote in `created:` or `date created:`, and the key."""
    for key in ("created", "date created"):
        value = values.get(key)
        if value in (None, ""):
            continue
        text = str(value).strip()
        try:
            return datetime.date.fromisoformat(text[:10]), key
        except ValueError:
            day, problem = dates.parse(text)
            if day is not None:
                return day, key
            problems.append(Problem(path, lines.get(key, 1), f"'{key}: {text}' is not read: {problem}"))
    return None, ""


def file_title(src_uri: str, as_written: bool = False) -> str:
    """The title a note's file name gives: as written when it has spaces (Obsidian titles notes so), else made
    readable (`TokenEntropyRLVR` -> `Token Entropy RLVR`); a leading date (`2019-08-29-`) is no part of it."""
    stem = posixpath.splitext(posixpath.basename(src_uri))[0]
    _, _, rest = dates.from_file_name(stem)
    rest = rest.strip() or stem
    return rest if as_written or " " in rest else readable(rest)


def _pages_title(folder: Path, problems: list[Problem], docs_dir: Path) -> str | None:
    pages = folder / ".pages"
    if not pages.is_file():
        return None
    rel = pages.relative_to(docs_dir).as_posix()
    try:
        data = yaml.safe_load(pages.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as e:
        mark = getattr(e, "problem_mark", None)
        problems.append(Problem(rel, (mark.line + 1) if mark else 1, f"is not valid YAML ({e.__class__.__name__}); "
                                                                      "its title is not used: fix the YAML"))
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return str(title).strip() if title not in (None, "") else None


def paper_from_text(src_uri: str, topic: str, text: str, problems: list[Problem]) -> Paper:
    """Build one `Paper` from its note's text; what is wrong goes to `problems`."""
    fm = frontmatter.parse(src_uri, text)
    problems.extend(fm.problems)
    values = fm.values
    name = posixpath.splitext(posixpath.basename(src_uri))[0]
    heading, heading_line, heading_url = _title_from_body(fm.body, name) if not values.get("title") else (None, 0, None)
    title = values.get("title") or heading or file_title(src_uri, as_written=heading_line < 0)
    paper = Paper(src_uri=src_uri, topic=topic, title=title, body=fm.body, body_line=fm.body_line,
                  lines=dict(fm.lines))
    if not values.get("title") and heading:
        paper.lines["title"] = fm.body_line + heading_line
    for key, value in values.items():
        if key in PAPER_FIELDS and key != "title":
            setattr(paper, key, value)
        elif key not in PAPER_FIELDS:
            paper.extra[key] = value
    if heading_url and heading_url.startswith(("https://", "http://")):  # `# [Title](https://arxiv.org/abs/...)`
        found = frontmatter.arxiv_ref(heading_url) if "arxiv.org/" in heading_url else None
        if found and not paper.arxiv:
            paper.arxiv, paper.arxiv_version = found
            paper.lines["arxiv"] = paper.lines["title"]
        elif not found and not paper.url:
            paper.url = heading_url
    if not paper.summary and "summary" not in fm.lines:  # `tl;dr: ...` near the top
        summary, line = _summary_line(fm.body)
        if summary:
            paper.summary = summary
            paper.lines["summary"] = fm.body_line + line
    # Titles and summaries are plain text wherever they go (nav, cards, the feed): a formula there is its TeX.
    paper.title = mathtex.plain(paper.title) if isinstance(paper.title, str) else paper.title
    if isinstance(paper.summary, str):
        paper.summary = mathtex.plain(paper.summary)
    if paper.date:
        paper.date_source = "front matter"
    elif "date" not in fm.lines:
        created, key = _created(paper.extra, fm.lines, src_uri, problems)
        if created is not None:
            paper.date, paper.date_source = created, "created"
            paper.lines["date"] = fm.lines.get(key, 1)
        elif (line := dates.find(fm.body)) is not None:  # `Date read: 11th August 2025`, `_Mar 2019_`
            if line.date is not None:
                paper.date, paper.date_source = line.date, "date line"
                paper.lines["date"] = fm.body_line + line.line
            else:
                problems.append(Problem(src_uri, fm.body_line + line.line, f"the date line '{line.written}' is not "
                                        f"read: {line.problem}; or put the date in front matter (date: 2025-06-04)"))
        elif name[:2] in ("19", "20"):  # `2019-08-29-Title.md`, `20190829 Title.md`
            day, problem, _ = dates.from_file_name(name)
            if day is not None:
                paper.date, paper.date_source = day, "file name"
            elif problem:
                problems.append(Problem(src_uri, 1, problem))
    if isinstance(paper.arxiv, tuple):  # front matter gives (id, version); `arxiv_version:` may name the version
        paper.arxiv, version = paper.arxiv
        paper.arxiv_version = version or paper.arxiv_version
    if not paper.arxiv and "arxiv.org/" in fm.body and (found := frontmatter.arxiv_ref(fm.body)):
        paper.arxiv, paper.arxiv_version = found
        paper.lines["arxiv"] = fm.body_line + fm.body.count("\n", 0, fm.body.find("arxiv.org/"))
    paper.tags = clean_tags(paper.tags, src_uri, fm.lines.get("tags", 1), problems)
    problems.extend(integrity.note_problems(paper, text))
    return paper


def clean_tags(tags: list[str], path: str, line: int, problems: list[Problem]) -> list[str]:
    """Tags without '#', nested with '/' (no empty, '.' or '..' parts: a tag is never a path)."""
    clean: list[str] = []
    for tag in tags:
        parts = [p.strip() for p in tag.strip().lstrip("#").split("/")]
        kept = [p for p in parts if p not in ("", ".", "..")]
        name = "/".join(kept)
        if kept != parts:
            if name:
                problems.append(Problem(path, line, f"tag '{tag}' has empty, '.' or '..' parts; it is read as "
                                                    f"'{name}': write it that way"))
            elif tag.strip().lstrip("#"):
                problems.append(Problem(path, line, f"tag '{tag}' has no name; remove it"))
        if name and name not in clean:
            clean.append(name)
    return clean


def _other_files(docs_dir: Path) -> list[str]:
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*")
                  if p.is_file() and p.suffix != ".md" and not p.name.startswith("."))


def is_topic(name: str, include: list[str], exclude: list[str]) -> bool:
    if name.startswith((".", "_")):
        return False
    if include and not any(fnmatch.fnmatch(name, pattern) for pattern in include):
        return False
    return not any(fnmatch.fnmatch(name, pattern) for pattern in exclude)


def scan(docs_dir: str | Path, options: Options | None = None, src_uris: list[str] | None = None,
         other_files: list[str] | None = None, read=None) -> Diary:
    """Read every paper note of the diary at `docs_dir` into the model, with every problem found.

    The plugin and the command line both call this: whatever the model learns, it learns here.

    `src_uris`, when given, is the list of docs-relative Markdown files to consider (MkDocs' own file list,
    so `exclude_docs` and `not_in_nav` are respected); otherwise the folder is walked. `other_files` likewise lists
    the files that are not Markdown (images to embed). `read` reads one note (`paper_from_text`, the default;
    the build cache gives one that remembers).
    """
    read = read or paper_from_text
    docs_dir = Path(docs_dir)
    options = options or Options()
    include, exclude = options.topics_include, options.topics_exclude
    diary = Diary(today=today(), options=options)
    if src_uris is None:
        src_uris = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md") if p.is_file())
    by_topic: dict[str, list[str]] = {}
    topic_index: set[str] = set()
    for uri in sorted(src_uris):
        head, _, rest = uri.partition("/")
        if not rest or not (is_topic(head, include, exclude) or head == options.inbox):
            continue
        if rest in ("index.md", "README.md"):
            topic_index.add(head)
            continue
        by_topic.setdefault(head, []).append(uri)
    dates = git_added_dates(docs_dir) if by_topic else {}
    topics = []
    for topic_id, uris in by_topic.items():
        title = _pages_title(docs_dir / topic_id, diary.problems, docs_dir) or readable(topic_id)
        topic = Topic(id=topic_id, title=title, has_index=topic_id in topic_index)
        for uri in uris:
            text, problem = read_note(docs_dir, uri)
            if problem:
                diary.problems.append(problem)
            elif not text.strip():
                diary.problems.append(Problem(uri, 1, integrity.EMPTY_NOTE))
            paper = read(uri, topic_id, text, diary.problems)
            if paper.date is None and uri in dates:
                paper.date, paper.date_source = dates[uri], "git"
            paper.draft = paper.draft or topic_id == options.inbox
            if paper.draft:
                diary.drafts.append(paper)
                if not options.drafts:
                    continue  # left out of the site, its counts, calendar and feeds
            diary.papers[uri] = paper
            topic.papers.append(paper)
        topic.papers.sort(key=Paper.sort_key)
        if topic.papers:
            topics.append(topic)
    topics.sort(key=lambda t: (t.title.casefold(), t.id))
    diary.topics = {t.id: t for t in topics}
    files = other_files if other_files is not None else _other_files(docs_dir)
    obsidian.analyse(diary, list(src_uris), files, lambda uri: frontmatter.split(read_note(docs_dir, uri)[0])[1])
    tags.gather(diary)
    obsidian.relate(diary)
    home = None
    if options.highlights_page in src_uris:
        text, _ = read_note(docs_dir, options.highlights_page)
        home = (options.highlights_page, text)
    highlights.gather(diary, options.themes, home)
    drafts = {p.src_uri for p in diary.drafts}
    for uri in src_uris:  # the pages that are no paper (home, highlights, a topic's index) show damaged text too
        if uri not in diary.papers and uri not in drafts and not any(p.startswith(".") for p in uri.split("/")):
            diary.problems.extend(encoding.problems(uri, home[1] if home and uri == home[0] else
                                                    read_note(docs_dir, uri)[0]))
    diary.problems.extend(integrity.diary_problems(diary))
    diary.problems = list(dict.fromkeys(diary.problems))  # an embed cycle is found from each of its notes
    return diary


# What the rest of the site reads from a paper besides its own page: everything but its body.
OWN_PAGE_ONLY = {"body", "markdown", "lessons", "cited_in", "links_out", "links_in", "related"}


def reread(diary: Diary, docs_dir: str | Path, uri: str) -> tuple[Paper, list[Problem]] | None:
    """The paper at `uri` with its saved text and its problems, when the change shows on its own page only;
    else None.

    `mkdocs serve` then builds that one page instead of the site. Everything other pages, the search index and
    the feeds read from a note must be as before: its front matter, title and inline tags, the links it makes and
    the sentences around them, its lessons. A note another page embeds is never taken this way. A note with
    problems is: they are found again, exactly as a full scan finds them, and replace its old ones in
    `diary.problems`.
    """
    old = diary.papers.get(uri)
    if old is None or diary.linker is None or uri in diary.linker.embedded:
        return None
    text, problem = read_note(Path(docs_dir), uri)
    problems: list[Problem] = [problem] if problem else []
    if not problem and not text.strip():
        problems.append(Problem(uri, 1, integrity.EMPTY_NOTE))
    new = paper_from_text(uri, old.topic, text, problems)
    if new.date is None and old.date_source == "git":
        new.date, new.date_source = old.date, old.date_source
    new.draft = new.draft or old.topic == diary.options.inbox
    obsidian.analyse_paper(diary.linker, new, problems)
    if _facts(new) != _facts(old):
        return None
    lessons = highlights.declared(uri, new.highlights, new.body, new.body_line, problems)
    if [_lesson(h) for h in lessons] != _lessons(old, []):
        return None
    for h in lessons:
        h.paper = old
    problems.extend(highlights.lesson_problems(diary, lessons))
    old.body, old.markdown = new.body, new.markdown
    # The problems a whole diary has with this note (a title or arXiv id another note has) are facts: the same.
    problems.extend(p for p in integrity.diary_problems(diary) if p.path == uri)
    problems = list(dict.fromkeys(problems))
    diary.problems = [p for p in diary.problems if p.path != uri] + problems
    return old, problems


def _facts(paper: Paper) -> tuple:
    own = tuple(getattr(paper, f.name) for f in fields(Paper) if f.name not in OWN_PAGE_ONLY)
    return own, [(link.target, link.sentence) for link in paper.links_out]


def _lessons(paper: Paper, problems: list[Problem]) -> list[tuple]:
    found = highlights.declared(paper.src_uri, paper.highlights, paper.body, paper.body_line, problems)
    return [_lesson(h) for h in found]


def _lesson(h: highlights.Highlight) -> tuple:
    return (h.title, h.text, h.theme, h.order)

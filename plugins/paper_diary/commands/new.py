"""`paper-diary new`: a note for a paper just read, from a phone's terminal or a laptop, in seconds.

With `--arxiv` the paper's title, authors, year, summary and links come from arXiv (see `arxiv.py`). The note is
rendered from the diary's own template (`docs/.templates/paper.md`, a Jinja template; the package's default when
the diary has none). A paper the diary already has is refused, and up to three notes that share its tags or title
words are linked as related.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
import sys
import traceback
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from paper_diary.commands import arxiv as arxiv_api
from paper_diary.commands.config import ConfigError, load, plugin_settings
from paper_diary.commands.files import Refused, write_text
from paper_diary.diary.scan import scan, today
from paper_diary.model import Paper
from paper_diary.reading import dates
from paper_diary.reading.frontmatter import arxiv_ref

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "note" / "paper.md"
TEMPLATE_OPTION = "note_template"  # under the paper-diary plugin in mkdocs.yml, relative to docs/
TEMPLATE_PATH = ".templates/paper.md"
CACHE_OPTION, CACHE_DIR = "cache_dir", ".cache/paper-diary"  # as the plugin's own option
# Words too common to make two titles related.
STOPWORDS = {"with", "from", "that", "this", "into", "your", "their", "learning", "model", "models", "using",
             "towards", "toward", "what", "when", "where", "which", "through", "via", "for", "and", "the"}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("new", help="write docs/<topic>/<Name>.md for a paper read today",
                              description="Write a new note from the diary's template (docs/.templates/paper.md): "
                                          "today's date, the arXiv id, tags and, looked up on arXiv, the title, "
                                          "authors, year, summary and links. Refuses a paper the diary already has; "
                                          "never overwrites a note; prints its path.")
    p.add_argument("title", nargs="?", help="the paper's title (optional with --arxiv: arXiv's is used)")
    p.add_argument("--topic", required=True, help="the topic folder (created if new)")
    p.add_argument("--arxiv", help="an arXiv id or any arxiv.org link (abs, pdf, versioned)")
    p.add_argument("--tags", default="", help="comma-separated tags")
    p.add_argument("--code", help="the address of the paper's code")
    p.add_argument("--no-fetch", action="store_true", help="do not look the paper up on arXiv")
    p.add_argument("--force", action="store_true",
                   help="add the note even when the diary has this paper already (an existing file is still kept)")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path, help="the diary's mkdocs.yml")
    p.set_defaults(run=run)


def file_name(title: str) -> str:
    """`Attention Is All You Need` -> `AttentionIsAllYouNeed` (the diary's CamelCase note names)."""
    words = re.findall(r"[^\W_]+(?:\.[^\W_]+)*", title)
    return "".join(w[:1].upper() + w[1:] for w in words)[:80] or "Note"


def long_date(day: datetime.date) -> str:
    """`2025-08-11` -> `11th August 2025`, as notes written by hand date themselves."""
    return f"{dates.ordinal(day.day)} {day:%B %Y}"


def _yaml(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON is YAML: a quoted string, a flow list


def _link_text(value: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", str(value))


class TemplateError(Exception):
    """The diary's template cannot be read or rendered; `str()` names file:line and the fix."""


def _where(template: Path) -> int:
    """The template's line of the error being handled (Jinja maps its frames to template lines)."""
    line = 1
    for frame in traceback.extract_tb(sys.exc_info()[2]):
        if frame.filename == str(template):
            line = frame.lineno or line
    return line


def render(template: Path, fields: dict) -> str:
    """The note from `template` (a Jinja template, sandboxed: a template never runs code) and `fields`."""
    env = SandboxedEnvironment(loader=jinja2.FileSystemLoader(str(template.parent)), undefined=jinja2.StrictUndefined,
                               keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                               autoescape=False,  # Markdown, not HTML: nothing to escape
                               finalize=lambda value: "" if value is None else value)  # no "None" in a note
    env.filters.update(yaml=_yaml, long_date=long_date, link_text=_link_text)
    try:
        return env.get_template(template.name).render(**fields)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"{template}:{e.lineno}: is not a valid template ({e.message}); fix it") from None
    except (OSError, UnicodeDecodeError) as e:
        raise TemplateError(f"{template}:1: cannot be read ({getattr(e, 'strerror', None) or e}); "
                            "fix it, or remove it to use the default note") from None
    except Exception as e:  # the template is the diary's own code: whatever it raises (`year + 1` on no year) is its
        known = ", ".join(sorted(fields))
        raise TemplateError(f"{template}:{_where(template)}: {e}; the fields are {known}: fix the template") from None


def existing(docs_dir: Path, options) -> list[Paper]:
    """Every note of the diary (drafts too), read as the build reads them (front matter, title, arXiv id, tags)."""
    if not docs_dir.is_dir():
        return []
    return list(scan(docs_dir, dataclasses.replace(options, drafts=True)).papers.values())


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]{4,}", title.casefold()) if w not in STOPWORDS}


def related(papers: list[Paper], title: str, tags: list[str], n: int = 3) -> list[Paper]:
    """Up to `n` notes sharing the most tags (twice a title word) and title words with the new one."""
    want_tags, want_words = {t.casefold() for t in tags}, _words(title)
    scored = []
    for paper in papers:
        score = 2 * len(want_tags & {t.casefold() for t in paper.tags}) + len(want_words & _words(paper.title))
        if score:
            scored.append((-score, paper.title.casefold(), paper.src_uri, paper))
    return [s[-1] for s in sorted(scored)[:n]]


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def look_up(paper_id: str, cache_file: Path) -> tuple[arxiv_api.Entry | None, str | None]:
    """(what arXiv says, or None; the one line to tell the user, or None)."""
    try:
        entry, _ = arxiv_api.look_up(paper_id, arxiv_api.Cache(cache_file))
    except arxiv_api.ArxivError as e:
        return None, f"{e}; the note is written without arXiv's title, authors and links"
    if entry.withdrawn:
        return entry, f"arXiv lists {paper_id} as withdrawn; its abstract is not used: check the id"
    return entry, None


def run(args) -> int:
    def fail(message: str, code: int) -> int:
        print(f"paper-diary new: {message}", file=sys.stderr)
        return code

    try:
        docs_dir, options = load(args.config_file)
        settings = plugin_settings(args.config_file)
    except ConfigError as e:
        return fail(str(e), 2)
    topic = args.topic.strip().strip("/")
    if not topic or any(part in ("", ".", "..") for part in topic.split("/")) or "/" in topic:
        return fail(f"'{args.topic}' is not a topic folder name; give one folder, e.g. --topic marl", 2)
    paper_id = version = None
    if args.arxiv:
        found = arxiv_ref(args.arxiv)
        if found is None:
            return fail(f"'{args.arxiv}' is no arXiv id or arxiv.org link (e.g. 2401.12345)", 2)
        paper_id, version = found
    given = (args.title or "").strip()
    if not given and not paper_id:
        return fail("give the paper's title, or --arxiv ID to take arXiv's", 2)
    if args.code and not re.match(r"https?://", args.code.strip()):
        return fail(f"--code '{args.code}' is not a web address; write it as https://...", 2)
    template = docs_dir / str(settings.get(TEMPLATE_OPTION) or TEMPLATE_PATH)
    if not template.is_file():
        template = DEFAULT_TEMPLATE
    tags = [t.strip().lstrip("#") for t in args.tags.split(",") if t.strip().lstrip("#")]
    papers = existing(docs_dir, options)

    if paper_id and not args.force:
        for paper in papers:
            if paper.arxiv == paper_id:
                return fail(f"{_at(docs_dir, paper, 'arxiv')}: is this paper already (arXiv {paper_id}); nothing "
                            "was written (use --force to add it anyway)", 1)
    entry = None
    if paper_id and not args.no_fetch:
        cache_file = args.config_file.parent / str(settings.get(CACHE_OPTION) or CACHE_DIR) / "arxiv.json"
        entry, notice = look_up(paper_id, cache_file)
        if notice:
            print(f"paper-diary new: {notice}", file=sys.stderr)
    title = given or (entry.title if entry else f"arXiv {paper_id}")
    if not args.force:
        for paper in papers:
            if _same_title(paper.title, title):
                return fail(f"{_at(docs_dir, paper, 'title')}: has this title already ({paper.title!r}); nothing "
                            "was written (use --force to add it anyway)", 1)

    path = docs_dir / topic / f"{file_name(title)}.md"
    day = today()
    fields = {
        "title": title, "date": day, "topic": topic, "tags": tags,
        "authors": entry.authors if entry else [], "year": entry.year if entry else None,
        "arxiv": paper_id, "arxiv_version": version or (entry.version if entry else None),
        "abs": f"https://arxiv.org/abs/{paper_id}" if paper_id else None,
        "pdf": (entry.pdf_url if entry else None) or (f"https://arxiv.org/pdf/{paper_id}" if paper_id else None),
        "code": args.code.strip() if args.code else None,
        "summary": entry.summary if entry else None, "abstract": entry.abstract if entry else None,
        # Spaces as %20: a Markdown link's address has none, on GitHub, in Obsidian and in MkDocs alike.
        "related": [{"title": p.title, "link": quote(Path(os.path.relpath(docs_dir / p.src_uri, path.parent))
                                                    .as_posix())} for p in related(papers, title, tags)],
    }
    try:
        text = render(template, fields)
    except TemplateError as e:
        return fail(str(e), 1)
    try:
        write_text(path, text)
    except Refused:
        return fail(f"{path} exists; nothing was written (choose another title)", 1)
    except OSError as e:
        return fail(f"{path}: cannot be written ({e.strerror}); check the folder's permissions", 1)
    print(path)
    return 0


def _at(docs_dir: Path, paper: Paper, key: str) -> str:
    return f"{docs_dir / paper.src_uri}:{paper.lines.get(key, 1)}"

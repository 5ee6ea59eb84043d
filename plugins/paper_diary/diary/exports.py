"""What the diary exports for readers and programs: an Atom feed, BibTeX, and the model as JSON."""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from xml.etree import ElementTree as ET

from paper_diary.diary import timeline
from paper_diary.model import Diary, Paper
from paper_diary.reading import mathtex

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _absolute(site_url: str, url: str) -> str:
    return (site_url.rstrip("/") + "/" + url) if site_url else url


def _when(paper: Paper) -> str:
    """Atom's timestamp: a paper known to its month only is stamped with the month's first day."""
    day = paper.date or datetime.date(1970, 1, 1)
    return f"{datetime.date(day.year, day.month, day.day).isoformat()}T00:00:00Z"


def atom(diary: Diary, site_name: str, site_url: str, url_of) -> str:
    """An Atom feed of the latest dated papers, with summaries and highlights."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    papers = [p for p in diary.latest() if p.date is not None][:FEED_SIZE]
    ET.SubElement(feed, f"{{{ATOM}}}title").text = site_name
    ET.SubElement(feed, f"{{{ATOM}}}id").text = site_url or "urn:paper-diary"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _when(papers[0]) if papers else "1970-01-01T00:00:00Z"
    ET.SubElement(feed, f"{{{ATOM}}}link", href=_absolute(site_url, ""))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=_absolute(site_url, "feed.xml"))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site_name
    for paper in papers:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = _absolute(site_url, url_of(paper.src_uri))
        ET.SubElement(entry, f"{{{ATOM}}}title").text = paper.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _when(paper)
        for tag in paper.tags:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=tag)
        lines = [paper.summary] if paper.summary else []
        lines += [mathtex.plain(f"{h.title}: {h.text}" if h.title else h.text) for h in paper.lessons]
        if lines:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = "\n\n".join(lines)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def bibtex_keys(diary: Diary) -> dict[str, str]:
    """A stable, unique key for each paper: first author's surname (or the note's name), year, first title word."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    for paper in sorted(diary.papers.values(), key=lambda p: p.src_uri):
        surname = paper.authors[0].split()[-1] if paper.authors else paper.name
        word = next((w for w in re.findall(r"[A-Za-z0-9]+", paper.title) if len(w) > 3), "paper")
        base = _ascii(f"{surname}{paper.year or ''}{word}").lower() or "paper"
        key, n = base, 2
        while key in used:
            key, n = f"{base}{chr(ord('a') + n - 2)}" if n < 28 else f"{base}{n}", n + 1
        used.add(key)
        keys[paper.src_uri] = key
    return keys


def _ascii(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
    return re.sub(r"[^A-Za-z0-9]", "", text)


def _bib_value(text: str) -> str:
    """A BibTeX field value in braces: braces balanced, TeX specials escaped.

    BibTeX counts every brace, escaped or not: braces that do not nest (`} {`) become TeX's brace commands,
    and a backslash is spelt out, so a value can never close its field early."""
    text = str(text).replace("\\", "\x00")
    text = re.sub(r"([&%$#_])", r"\\\1", text)
    if not _nested(text):
        text = re.sub(r"[{}]", lambda m: r"\textbraceleft{}" if m.group() == "{" else r"\textbraceright{}", text)
    text = text.replace("\x00", r"\textbackslash{}")
    return "{" + text.replace("\n", " ") + "}"


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def bibtex_entry(paper: Paper, key: str, site_url: str = "", url_of=None) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + paper.title + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv:
        kind = "misc"
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv"), ("url", paper.arxiv_abs)]
    elif paper.venue:
        kind = "inproceedings"
        fields.append(("booktitle", paper.venue))
    else:
        kind = "misc"
    if paper.venue and paper.arxiv:
        fields.append(("note", paper.venue))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.url and not paper.arxiv:
        fields.append(("url", paper.url))
    body = ",\n".join(f"  {name} = {_bib_value(value)}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}"


def bibtex(diary: Diary) -> str:
    keys = bibtex_keys(diary)
    return "\n\n".join(bibtex_entry(p, keys[p.src_uri]) for p in diary.latest()) + "\n"


def papers_json(diary: Diary, url_of) -> str:
    """The model for programs and for the site's own scripts (link previews)."""
    s = timeline.stats(diary)
    data = {
        "papers": [{
            "title": p.title,
            "url": url_of(p.src_uri),
            "topic": p.topic,
            "topic_title": diary.topics[p.topic].title,
            "date": p.date.isoformat() if p.date else None,  # `2019-03` when only the month is known
            "date_source": p.date_source or None,
            "tags": p.tags,
            "authors": p.authors,
            "arxiv": p.arxiv,
            "arxiv_version": p.arxiv_version,
            "summary": p.summary,
            "highlights": [{"title": h.title, "text": h.text} for h in p.lessons],
        } for p in diary.latest()],
        "stats": {"current_streak": s.current_streak, "longest_streak": s.longest_streak, "this_week": s.this_week,
                  "this_month": s.this_month, "this_year": s.this_year, "total": s.total},
    }
    # Safe to inline in a <script>: no '<', '>' or '&' survive as such.
    text = json_text(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def json_text(data: dict, sort_keys: bool = False) -> str:
    """`data` as JSON with each item of its lists on a line of its own: readable, and written by the json
    module's C encoder (with `indent` it falls back to Python's, a tenth of a second at 2,000 papers)."""
    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)

    parts = []
    for key, value in sorted(data.items()) if sort_keys else data.items():
        if isinstance(value, list) and value:
            parts.append(f"{dumps(key)}: [\n" + ",\n".join(dumps(item) for item in value) + "\n]")
        else:
            parts.append(f"{dumps(key)}: {dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"

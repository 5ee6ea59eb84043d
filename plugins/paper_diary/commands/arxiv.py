"""arXiv's API, politely: one paper's title, authors, year, abstract and links from its Atom `query?id_list=`.

One request per look-up, a 10 s timeout, at most one request every 3 s (arXiv asks this of every client), a
User-Agent that says who asks. Answers are kept in a small JSON file, so an id is fetched once. Every failure is an
`ArxivError` with a one-line reason: the caller writes the note with what it has. No MkDocs here.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import defusedxml.ElementTree as ET
from defusedxml import DefusedXmlException

from paper_diary import __version__
from paper_diary.commands.files import write_text

API = "https://export.arxiv.org/api/query"
API_ENV = "PAPER_DIARY_ARXIV_API"  # tests and offline mirrors point the look-up elsewhere
TIMEOUT = 10.0  # seconds
INTERVAL = 3.0  # seconds between two requests, as arXiv's terms of use ask
USER_AGENT = f"paper-diary/{__version__} (a diary of research papers; one look-up per note written)"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
# How arXiv's withdrawal notice starts, in the comment and in place of the abstract.
WITHDRAWN = re.compile(r"^(?:this (?:paper|article|submission|manuscript) (?:has been|is|was) )?withdrawn\b", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")  # "e.g. a" or "Fig. 2" do not end a sentence


class ArxivError(Exception):
    """The look-up failed; `str()` is one line saying why."""


@dataclass
class Entry:
    """What arXiv says of one paper."""

    id: str  # without its version
    version: int | None
    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    abstract: str = ""
    abs_url: str = ""
    pdf_url: str = ""
    withdrawn: bool = False

    @property
    def summary(self) -> str:
        """The abstract's first sentence."""
        return SENTENCE_END.split(self.abstract, maxsplit=1)[0] if self.abstract else ""


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _split_id(text: str) -> tuple[str, int | None]:
    m = re.search(r"(?:abs|pdf)/(.+?)(?:v(\d+))?(?:\.pdf)?$", text)
    if not m:
        return "", None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def parse(data: bytes, wanted: str) -> Entry:
    """The entry for `wanted` (an id without version) in arXiv's Atom answer."""
    try:
        feed = ET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:  # entities could make a few bytes into gigabytes: such an answer is never read
        raise ArxivError("arXiv's answer is not readable XML (it declares a DTD, which is refused)") from None
    except (ET.ParseError, ValueError) as e:
        raise ArxivError(f"arXiv's answer is not readable XML ({e})") from None
    if feed.tag != f"{ATOM}feed":
        raise ArxivError("arXiv's answer is not an Atom feed")
    for entry in feed.iter(f"{ATOM}entry"):
        raw_id = _clean(entry.findtext(f"{ATOM}id"))
        if "/api/errors" in raw_id:  # arXiv answers a bad id with an entry that describes the error
            raise ArxivError(f"arXiv says: {_clean(entry.findtext(f'{ATOM}summary')) or 'error'}")
        paper_id, version = _split_id(raw_id)
        if paper_id != wanted:
            continue
        title = _clean(entry.findtext(f"{ATOM}title"))
        if not title:
            break  # an empty entry: arXiv's way of saying it has no such paper
        abstract = _clean(entry.findtext(f"{ATOM}summary"))
        comment = _clean(entry.findtext(f"{ARXIV}comment"))
        published = _clean(entry.findtext(f"{ATOM}published"))
        links = {(link.get("title") or link.get("rel") or ""): link.get("href", "")
                 for link in entry.findall(f"{ATOM}link")}
        withdrawn = bool(WITHDRAWN.match(comment) or WITHDRAWN.match(abstract))
        return Entry(
            id=paper_id, version=version, title=title,
            authors=[a for a in (_clean(n.findtext(f"{ATOM}name")) for n in entry.findall(f"{ATOM}author")) if a],
            year=int(published[:4]) if published[:4].isdigit() else None,
            abstract="" if withdrawn else abstract,
            abs_url=_https(links.get("alternate")) or f"https://arxiv.org/abs/{paper_id}",
            pdf_url=_https(links.get("pdf")) or f"https://arxiv.org/pdf/{paper_id}",
            withdrawn=withdrawn,
        )
    raise ArxivError(f"arXiv has no paper {wanted}; check the id")


def _https(url: str | None) -> str:
    """arXiv's own links without their version (the note names the paper, the version is kept apart)."""
    if not url:
        return ""
    url = re.sub(r"^http://", "https://", url.strip())
    return re.sub(r"v\d+(\.pdf)?$", "", url)


class Cache:
    """Answers by id, and when the last request left, in one JSON file (beside `docs/`, never under it)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.data: dict = {"entries": {}, "last_request": 0.0}
        if path is not None and path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and isinstance(loaded.get("entries"), dict):
                    self.data = loaded
            except (OSError, ValueError):
                pass  # a damaged cache is only a cache: it is written anew

    def get(self, paper_id: str) -> Entry | None:
        raw = self.data["entries"].get(paper_id)
        try:
            return Entry(**raw) if isinstance(raw, dict) else None
        except TypeError:
            return None

    def put(self, entry: Entry) -> None:
        self.data["entries"][entry.id] = asdict(entry)

    def save(self) -> None:
        if self.path is None:
            return
        try:
            write_text(self.path, json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       force=True)
        except OSError:
            pass  # the note matters, the cache does not


def _wait(cache: Cache, clock=time.time, sleep=time.sleep) -> None:
    last = float(cache.data.get("last_request") or 0.0)
    pause = last + INTERVAL - clock()
    if 0 < pause <= INTERVAL:
        sleep(pause)
    cache.data["last_request"] = clock()


def look_up(paper_id: str, cache: Cache, api: str | None = None, timeout: float | None = None) -> tuple[Entry, bool]:
    """(entry, from_cache) for `paper_id` (without version). Raises `ArxivError`."""
    timeout = timeout or TIMEOUT
    cached = cache.get(paper_id)
    if cached is not None:
        return cached, True
    api = api or os.environ.get(API_ENV, "").strip() or API
    if not re.match(r"https?://[^/\s]", api):
        raise ArxivError(f"{API_ENV}={api!r} is not a web address; set it to https://... (or unset it for arXiv's own)")
    url = f"{api}?{urllib.parse.urlencode({'id_list': paper_id, 'max_results': 1})}"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml"})
    _wait(cache)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data = answer.read(5_000_000)
    except urllib.error.HTTPError as e:
        raise ArxivError(f"arXiv answered {e.code} {e.reason}".rstrip()) from None
    except (TimeoutError, socket.timeout):
        raise ArxivError(f"arXiv did not answer within {timeout:g} s") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise ArxivError(f"arXiv did not answer within {timeout:g} s") from None
        raise ArxivError(f"arXiv cannot be reached ({getattr(reason, 'strerror', None) or reason})") from None
    # A dropped connection, a bad address in PAPER_DIARY_ARXIV_API:
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise ArxivError(f"arXiv cannot be reached ({e})") from None
    finally:
        cache.save()  # the time of the request, even when it failed: the next one waits its turn
    entry = parse(data, paper_id)
    cache.put(entry)
    cache.save()
    return entry, False

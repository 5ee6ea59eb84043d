"""The map of what was read: papers laid out in 2-D by what their notes say, in groups named by their words.

Pure: no MkDocs. Each paper's text (map_text.py: title, summary, tags, highlights, the sentences its links sit
in, and its body's prose and headings, without code, math, URLs, front matter or the date line) becomes a TF-IDF
vector of its words; truncated SVD, t-SNE and K-Means lay the vectors out and group them, each group (a
`Cluster`) named by the words or two-word phrases that set it apart (layout.py). This module runs that in a
process of its own while the build goes on (`start`, `Job`), caches the result under a digest of its inputs and
parameters, and places the clusters' names apart. A diary that grew starts from its previous layout, so the map
does not jump.

scikit-learn, numpy and scipy are the optional extra `paper-diary[map]`: without them `build()` returns a map
with `missing` set, and the diary builds as before.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import queue
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from paper_diary.diary.exports import json_text
from paper_diary.diary.layout import PARAMS, SIZE, compute
from paper_diary.diary.map_text import HTML_TAG, INLINE_CODE, paper_text
from paper_diary.model import Paper
from paper_diary.reading import mathtex

INSTALL = "pip install 'paper-diary[map]'"
KEEP = 6  # cached layouts kept (the newest), besides the latest one a grown diary starts from
LABEL = 22  # the clusters' names' font size, in the box's units (map.css keeps to it)


@dataclass
class Point:
    """One paper's place on the map, in the SVG's box (0 to SIZE; y grows downwards)."""

    paper: Paper
    x: float
    y: float
    cluster: int


@dataclass
class Cluster:
    """A group of neighbouring papers, named by the words that set it apart from the rest."""

    id: int
    terms: list[str]
    papers: list[Paper] = field(default_factory=list)  # newest first
    x: float = 0.0  # where its name is written: the middle of its papers
    y: float = 0.0

    @property
    def name(self) -> str:
        return " · ".join(self.terms) or "unnamed"

    @property
    def anchor(self) -> str:
        return f"cluster-{self.id + 1}"


@dataclass
class PaperMap:
    points: list[Point] = field(default_factory=list)  # by src_uri
    clusters: list[Cluster] = field(default_factory=list)
    missing: str | None = None  # why there is no map: what to install
    how: str = ""  # "computed", "continued" (from the previous layout), "placed" (new papers by their
    # neighbours, the rest where they were), "cached"
    _by_uri: dict[str, Point] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_uri = {p.paper.src_uri: p for p in self.points}
        self.clusters_by_id = {c.id: c for c in self.clusters}

    def place(self, paper: Paper) -> Point | None:
        return self._by_uri.get(paper.src_uri)

    def cluster_of(self, paper: Paper) -> Cluster | None:
        point = self.place(paper)
        return self.clusters_by_id.get(point.cluster) if point else None


def anchor(paper: Paper) -> str:
    """The id of a paper's point on /map/: stable, from its path."""
    return "paper-" + hashlib.sha1(paper.src_uri.encode("utf-8")).hexdigest()[:10]


def one_line(paper: Paper, most: int = 160) -> str:
    """The card's line about a paper: its summary, else its first highlight (what other pages show of it too,
    so a body edit built alone leaves the map's page as it is)."""
    first = paper.lessons[0].text if paper.lessons else ""
    text = mathtex.plain(paper.summary or first)  # a formula as its TeX, without delimiters
    for pattern in (INLINE_CODE, HTML_TAG):
        text = pattern.sub(" ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [words](link) -> words
    text = " ".join(re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text).split())
    return text if len(text) <= most else text[:most - 1].rsplit(" ", 1)[0] + "…"


def available() -> str | None:
    """None when the map can be computed; else what to install. Looked up, not imported: a map taken from the
    cache never loads scikit-learn (a second of a build)."""
    for module in ("numpy", "scipy", "sklearn", "threadpoolctl"):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return _missing(module)
    return None


def _missing(module: str) -> str:
    return f"the map needs scikit-learn, numpy and scipy ({module} is not installed): {INSTALL}"


def build(papers: list[Paper], cache_dir: Path | None = None) -> PaperMap:
    """The map of `papers`, from `cache_dir` (a folder the map owns; None: no cache) when it holds it."""
    return start(papers, cache_dir, background=False).result()


def start(papers: list[Paper], cache_dir: Path | None = None, background: bool | None = None,
          memo=None) -> Job:
    """Begin the map of `papers`: from the cache at once, else laid out in another process while the caller goes
    on (`background`; None: when that pays, see `Job`). `Job.result()` waits for it. `memo`: see `paper_text`."""
    global _spare
    missing = available()
    if missing:
        return Job(done=PaperMap(missing=missing))
    papers = sorted(papers, key=lambda p: p.src_uri)
    if not papers:
        return Job(done=PaperMap(how="computed"))
    texts = [paper_text(p, memo) for p in papers]
    digest = _digest(papers, texts)
    layout = _read(cache_dir, digest)
    if layout is not None:
        if _spare is not None:  # warmed for nothing (the note changed, not what the map reads): not kept busy
            _spare.stop()
            _spare = None
        return Job(done=_assemble(papers, layout, "cached"))
    return Job(papers=papers, texts=texts, previous=_read(cache_dir, "latest"), cache_dir=cache_dir,
               digest=digest, background=background)


_spare: _Worker | None = None  # the process `warm` started, for the next Job to take


def warm() -> None:
    """Start the map's process now, and load scikit-learn in it: for a caller that knows, before it has the
    texts, that the map will likely be laid out again (a note changed). The second of imports then overlaps the
    caller's own work, and the next `Job` takes the process. Where scikit-learn is loaded already, a map is laid
    out as fast here."""
    global _spare
    if _spare is None and "sklearn" not in sys.modules and available() is None:
        _spare = _Worker.start()


class _Worker:
    """The map's second process: it loads scikit-learn at once, then lays out the one map it is sent. Killed
    once done (or not needed): leaving in good order, with scikit-learn loaded, would keep the build 0.2 s more."""

    def __init__(self, process, inbox, outbox) -> None:
        self._process, self._inbox, self._outbox = process, inbox, outbox

    @classmethod
    def start(cls) -> _Worker | None:
        """None where processes cannot be had."""
        try:
            import multiprocessing

            # spawn, not fork: a forked copy of a build in progress (threads, open files) is not safe
            context = multiprocessing.get_context("spawn")
            inbox, outbox = context.Queue(), context.Queue()  # a queue's put never waits for the other side
            process = context.Process(target=_work, args=(inbox, outbox), daemon=True, name="paper-diary map")
            process.start()
        except (OSError, RuntimeError, ImportError):
            return None
        return cls(process, inbox, outbox)

    def submit(self, *args) -> None:
        self._inbox.put(args)

    def result(self):
        """What `compute` returned, or raised; RuntimeError when the process died."""
        while True:
            try:
                ok, value = self._outbox.get(timeout=0.1)
                break
            except queue.Empty:
                if not self._process.is_alive():
                    raise RuntimeError("the map's process ended") from None
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        self._inbox.cancel_join_thread()  # what it was sent and never read must not hold this process's exit
        self._process.kill()
        self._process.join()
        for box in (self._inbox, self._outbox):
            box.close()


def _work(inbox, outbox) -> None:
    """In the map's process."""
    try:
        _load()
    except ImportError:  # `compute` raises it again, and it is sent back
        pass
    args = inbox.get()
    try:
        outbox.put((True, compute(*args)))
    except BaseException as error:
        outbox.put((False, error))


def _load() -> None:
    for module in ("sklearn.cluster", "sklearn.decomposition", "sklearn.feature_extraction.text", "sklearn.manifold",
                   "sklearn.metrics", "sklearn.preprocessing", "scipy.linalg", "threadpoolctl"):
        importlib.import_module(module)


class Job:
    """A map being laid out. In the background it is a second process: the site's build runs in one thread, so on
    a machine with two cores the map (and scikit-learn's import, a second of it) costs the build next to nothing.
    The same computation, one thread, the same bytes, wherever it runs."""

    BACKGROUND_FROM = 300  # papers; below, and once scikit-learn is loaded, laying out here takes under a second

    def __init__(self, done: PaperMap | None = None, papers: list[Paper] = (), texts: list[str] = (),
                 previous: dict | None = None, cache_dir: Path | None = None, digest: str = "",
                 background: bool | None = None) -> None:
        self.done, self.papers, self.texts, self.previous = done, list(papers), list(texts), previous
        self.cache_dir, self.digest = cache_dir, digest
        self._worker: _Worker | None = None
        if done is not None:
            return
        global _spare
        if background is None:
            background = (len(self.papers) >= self.BACKGROUND_FROM or "sklearn" not in sys.modules
                          or _spare is not None)
        if background:
            self._worker, _spare = _spare or _Worker.start(), None
            if self._worker is not None:  # else no processes to be had: laid out here, when asked
                self._worker.submit([p.src_uri for p in self.papers], self.texts, self.previous)

    def result(self) -> PaperMap:
        if self.done is not None:
            return self.done
        uris = [p.src_uri for p in self.papers]
        try:
            try:
                layout, continued = (self._worker.result() if self._worker else
                                     compute(uris, self.texts, self.previous))
            except ImportError as error:  # installed, yet it does not load (a broken or partial install)
                self.done = PaperMap(missing=_missing(error.name or "scikit-learn"))
                return self.done
            except Exception:  # the other process died (killed, out of memory): the same work, here
                layout, continued = compute(uris, self.texts, self.previous)
        finally:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None
        _write(self.cache_dir, self.digest, layout)
        how = "computed" if not continued else "placed" if layout.get("placed") else "continued"
        self.done = _assemble(self.papers, layout, how)
        return self.done


def _digest(papers: list[Paper], texts: list[str]) -> str:
    try:
        versions = [importlib.metadata.version(name) for name in ("scikit-learn", "numpy", "scipy")]
    except importlib.metadata.PackageNotFoundError:
        versions = []
    h = hashlib.sha256(json.dumps({**PARAMS, "versions": versions}, sort_keys=True).encode())
    for paper, text in zip(papers, texts):
        h.update(b"\0" + paper.src_uri.encode("utf-8") + b"\0" + text.encode("utf-8", "replace"))
    return h.hexdigest()[:32]


def _assemble(papers: list[Paper], layout: dict, how: str) -> PaperMap:
    terms = layout["terms"]
    clusters = [Cluster(id=i, terms=list(t)) for i, t in enumerate(terms)]
    points = []
    for paper in papers:
        x, y = layout["xy"][paper.src_uri]
        c = int(layout["cluster"][paper.src_uri])
        points.append(Point(paper, x, y, c))
        clusters[c].papers.append(paper)
    for cluster in clusters:
        cluster.papers.sort(key=Paper.sort_key)
        mine = [p for p in points if p.cluster == cluster.id]
        if mine:  # the name sits over the median point (inside the group even when it is curved), in the box
            half = len(cluster.name) * LABEL * 0.3
            cluster.x = min(max(sorted(p.x for p in mine)[len(mine) // 2], half + 4), SIZE - half - 4)
            cluster.y = min(max(sorted(p.y for p in mine)[len(mine) // 2] - LABEL, LABEL + 4), SIZE - 8)
    clusters = [c for c in clusters if c.papers]
    _apart(clusters)
    return PaperMap(points=points, clusters=clusters, how=how)


def _apart(clusters: list[Cluster]) -> None:
    """Names that would overlap move down (or up, at the bottom) a line at a time until they do not."""
    placed: list[tuple[float, float, float]] = []  # (x, y, half width) of the names written so far

    def overlaps(c: Cluster, half: float) -> bool:
        return any(abs(c.x - x) < half + h + 6 and abs(c.y - y) < LABEL * 1.2 for x, y, h in placed)

    named = [c for c in clusters if c.terms]  # a cluster of one or two papers has no name written
    for cluster in sorted(named, key=lambda c: (-len(c.papers), c.id)):  # the biggest keep their place
        half = len(cluster.name) * LABEL * 0.3
        step = LABEL * 1.2 if cluster.y < SIZE / 2 else -LABEL * 1.2
        for _ in range(12):
            if not overlaps(cluster, half):
                break
            cluster.y = min(max(cluster.y + step, LABEL + 4), SIZE - 8)
        cluster.y = round(cluster.y, 1)
        placed.append((cluster.x, cluster.y, half))


def _read(cache_dir: Path | None, name: str) -> dict | None:
    if cache_dir is None:
        return None
    try:
        data = json.loads((cache_dir / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and {"xy", "cluster", "terms"} <= data.keys()
    return data if ok else None


def _write(cache_dir: Path | None, digest: str, layout: dict) -> None:
    """The layout under its digest, and as `latest` for the next, grown diary; the oldest ones dropped."""
    if cache_dir is None:
        return
    text = json.dumps(layout, sort_keys=True, separators=(",", ":"))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for name in (digest, "latest"):
            tmp = cache_dir / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, cache_dir / f"{name}.json")  # whole or not at all, even with two builds at once
        old = sorted((p for p in cache_dir.glob("*.json") if p.stem != "latest"),
                     key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for path in old:
            path.unlink(missing_ok=True)
    except OSError:  # a read-only cache folder: the map is computed, just not kept
        pass


def to_json(paper_map: PaperMap, url_of, topics: dict) -> str:
    """map.json: every paper's place and cluster, and the clusters' names; sorted keys, the same bytes each time."""
    data = {
        "papers": [{"title": p.paper.title, "url": url_of(p.paper.src_uri), "topic": p.paper.topic,
                    "date": p.paper.date.isoformat() if p.paper.date else None, "x": p.x, "y": p.y,
                    "cluster": p.cluster} for p in paper_map.points],
        "clusters": [{"id": c.id, "name": c.name, "terms": c.terms, "x": c.x, "y": c.y,
                      "papers": len(c.papers)} for c in paper_map.clusters],
        "topics": [{"id": t.id, "title": t.title} for t in topics.values()],
        "size": SIZE,
    }
    if paper_map.missing:
        data["missing"] = paper_map.missing
    return json_text(data, sort_keys=True)

"""The map of what was read: papers laid out in 2-D by what their notes say, in groups named by their words.

Pure: no MkDocs. Each paper's text (title, summary, tags, highlights, the sentences its links sit in, and its
body's prose and headings, without code, math, URLs, front matter or the date line) becomes a TF-IDF vector of
its words: headings a template gives many notes and words most notes use weigh nothing. Truncated SVD reduces
the vectors; t-SNE lays them out in 2-D and K-Means groups them, each group (a `Cluster`) named by the words or
two-word phrases that set it apart (c-TF-IDF). Fixed seeds and one thread make a build reproducible; the result
is cached under a digest of its inputs and parameters, and a diary that grew starts from its previous layout, so
the map does not jump.

scikit-learn, numpy and scipy are the optional extra `paper-diary[map]`: without them `build()` returns a map
with `missing` set, and the diary builds as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import queue
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import mathtex
from .exports import json_text
from .model import Paper

INSTALL = "pip install 'paper-diary[map]'"
# Everything that shapes the layout: changing one computes the map again (it is part of the cache's digest).
PARAMS = {"version": 2, "max_df": 0.5, "svd": 100, "perplexity": 30.0, "max_iter": 500, "angle": 0.8, "seed": 0,
          "max_clusters": 12, "terms": 3}
# A grown diary whose new or changed papers, since t-SNE last ran, are at most this share of it (and at most
# PLACE_MOST) keeps every old point where it was and puts each new one among its nearest neighbours: t-SNE is
# most of the map's time (2.6 of 4.4 s of a core at 2,000 papers), and a paper a day would pay it every day.
PLACE_SHARE, PLACE_MOST = 0.02, 50
KEEP = 6  # cached layouts kept (the newest), besides the latest one a grown diary starts from
SIZE = 1000  # the SVG's coordinate box: points lie in [PAD, SIZE - PAD]
PAD = 60
LABEL = 22  # the clusters' names' font size, in the box's units (map.css keeps to it)

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
MATH = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\$[^$\n]+\$", re.S)
# [text](link), <https://…>, https://…, www.…; the look-ahead first passes over most places at once
URL = re.compile(r"(?=[\]<fhw])(?:\]\([^)\s]*\)|<?(?:https?|ftp)://[^\s>)]+>?|www\.[^\s)]+)")
HTML_TAG = re.compile(r"<[^>\n]+>")
COMMENT = re.compile(r"<!--.*?-->", re.S)
MARKUP = re.compile(r"[_/#*=\[\]|>-]+")
HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
TOKEN = r"(?u)\b[^\W\d_][^\W_]+\b"  # a word starts with a letter: no numbers, no underscores
WORD = re.compile(TOKEN)


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


def paper_text(paper: Paper, memo=None) -> str:
    """What a paper says, as words: its title, summary, tags, highlights and the sentences its links sit in,
    then its body's prose and headings; code, math, URLs, markup and the date line left out. The body's headings
    come on lines of their own, marked (`HEAD`), so that `vectors` can leave out the headings a template gives
    every note ("Key Points", "Results").

    A body edit changes it: a full build lays the map out again (by the new paper's neighbours, when few papers
    changed), while `mkdocs serve` builds the edited page alone and the served map shows the change at the next
    full build (see quick.py). `memo(function, text)`, when given, may answer `function(text)` from an earlier
    build (the build cache's)."""
    memo = memo or (lambda function, text: function(text))
    lessons = [h.text for h in paper.lessons]
    declared = [h if isinstance(h, str) else str(h.get("text", "")) for h in paper.highlights
                if isinstance(h, (str, dict))]
    sentences = [link.sentence for link in paper.links_out]
    text = "\n".join([paper.title, paper.summary or "", ", ".join(paper.tags), *lessons, *declared, *sentences])
    return memo(_words, text) + "\n" + memo(_prose, paper.body)


HEAD = "\u00a7\u00a7 "  # marks a heading's line in a paper's text (no word starts with it)
# `Date read: 11th August 2025`, `**Read on** June 4, 2025`: a date line has a number (prose that starts with
# "Read" has none, and stays)
DATE_LINE = re.compile(r"^[ \t*_>-]*(?:date(?:[ \t]+read)?|read(?:[ \t]+on)?)\b(?=.*\d).*$", re.I | re.M)
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()


def _prose(body: str) -> str:
    """A note's body as words: its headings each on a line marked `HEAD`, then the rest of its text; code,
    math, URLs, HTML and the date line (among its first lines) left out."""
    lines = FENCE.sub(" ", body).split("\n")
    body = _unmarked("\n".join([DATE_LINE.sub(" ", "\n".join(lines[:12]), count=1), *lines[12:]]))
    headings = [HEAD + _normal(h) for h in HEADING.findall(body)]
    return "\n".join([*headings, _normal(HEADING.sub(" ", body))])


def _words(text: str) -> str:
    """A text as the map's words: code, math, URLs and markup left out; lower case, without accents, one
    space between words and ` | ` where a phrase cannot go on (a comma, a sentence's end, a line's). Made once
    for each note (and kept by the build cache), so the map's own process only splits it."""
    return _normal(_unmarked(text))


def _unmarked(text: str) -> str:
    for pattern in (COMMENT, INLINE_CODE, MATH, URL, HTML_TAG):
        text = pattern.sub(" ", text)
    return text


def _normal(text: str) -> str:
    text = MARKUP.sub(" ", text).lower()
    if not text.isascii():  # é -> e, as a reader searching for it types it
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    segments = (" ".join(WORD.findall(segment)) for segment in SEGMENT.split(text))
    return " | ".join(s for s in segments if s)


def _template_free(texts: list[str]) -> list[str]:
    """The texts without the headings a template gives many notes ("Key Points", "Results", "Thoughts"): a
    heading in at least 3 notes and 5% of them says what kind of note it is, not what the paper is about."""
    from collections import Counter

    def key(line: str) -> str:
        return " ".join(re.findall(TOKEN, line.lower()))

    split = [[(line.startswith(HEAD), line[len(HEAD):] if line.startswith(HEAD) else line)
              for line in text.split("\n")] for text in texts]
    seen = Counter(k for lines in split for k in {key(line) for heading, line in lines if heading})
    common = {k for k, c in seen.items() if c >= max(3, 0.05 * len(texts))}
    return ["\n".join(line for heading, line in lines if not (heading and key(line) in common))
            for lines in split]


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


def compute(uris: list[str], texts: list[str], previous: dict | None = None) -> tuple[dict, bool]:
    """({"xy": {src_uri: [x, y]}, "cluster": {src_uri: n}, "terms": [[...], ...], ...}, continued): the layout
    in the SVG's box, and whether it started from `previous`.

    `previous` is an earlier layout of the same diary: when it holds most of these papers, t-SNE starts from it
    (new papers beside their nearest old neighbours) and the result is turned to match it; when only a few
    papers are new or changed (`PLACE_SHARE`), t-SNE does not run: they are put beside their neighbours, and
    the others stay. The clusters and their names are computed from all the papers either way, so they are
    those of a map laid out from nothing."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    # One thread: the same notes give the same bytes on one machine (parallel sums change the last digits).
    with threadpool_limits(limits=1), _one_thread(), warnings.catch_warnings():
        # Notes that say the same thing give fewer distinct points than clusters tried: not a problem to report.
        warnings.simplefilter("ignore", ConvergenceWarning)
        # A tiny diary's vectors can have no variance: the SVD's explained share is then 0/0, which is not used.
        warnings.filterwarnings("ignore", "divide by zero", RuntimeWarning)
        return _compute(uris, texts, previous)


@contextlib.contextmanager
def _one_thread():
    old = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = old


def vectors(texts: list[str]):
    """(word counts, vocabulary, reduced vectors) of the papers' texts; vectors None when there are too few
    papers or words to lay out. Rows of length 1: near rows are papers that say similar things.

    Words and two-word phrases ("policy gradient"), English stop words and month names left out, and so are
    the headings a template gives many notes (`_template_free`). A word most notes use (the field's name,
    "paper", "results") tells no note from another: a term in more than `max_df` of the notes weighs nothing,
    and the others weigh by TF-IDF with sublinear counts (a word said ten times is not ten times the topic)."""
    import numpy as np
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer

    n = len(texts)
    global _stop
    _stop = _stop or frozenset(ENGLISH_STOP_WORDS | set(MONTHS))
    counts = CountVectorizer(analyzer=_terms, min_df=2 if n >= 20 else 1, max_df=PARAMS["max_df"] if n >= 20 else 1.0)
    try:
        C = counts.fit_transform(_template_free(texts))
    except ValueError:  # no words at all (empty notes)
        return None, [], None
    vocabulary = counts.get_feature_names_out()
    if C.shape[1] < 2 or n < 3:
        return C, vocabulary, None
    # The vectors are of words: a phrase's words are in them already, and phrases would make the SVD's input
    # twenty times wider (its time with it). Phrases name clusters (`_names`).
    words = np.flatnonzero(np.char.find(vocabulary.astype(str), " ") < 0)
    X = TfidfTransformer(sublinear_tf=True).fit_transform(C[:, words])
    return C, vocabulary, _reduce(X, n, PARAMS["seed"])


_stop: frozenset = frozenset()
SEGMENT = re.compile(r"[.!?;:,()\n\"]+")  # a phrase never reaches over these


def _terms(text: str) -> list[str]:
    """A paper's terms (its text made by `_words`): its words but stop words, and each two that follow each
    other (a phrase: "policy gradient"; never over a stop word, a comma or a line's end)."""
    out: list[str] = []
    previous = None
    for word in text.replace("\n", " | ").split():
        if word == "|" or word in _stop or word[0] == HEAD[0]:
            previous = None
            continue
        out.append(word)
        if previous is not None:
            out.append(previous + " " + word)
        previous = word
    return out


def _compute(uris: list[str], texts: list[str], previous: dict | None) -> tuple[dict, bool]:
    import numpy as np

    n, seed = len(uris), PARAMS["seed"]
    C, vocabulary, Z = vectors(texts)
    continued, spread, placed = False, 0.0, 0
    digests = [_text_digest(t) for t in texts]
    if Z is None:
        xy = _circle(n)
        labels = np.zeros(n, dtype=int)
        terms = [[]]
    else:
        labels = _clusters(Z, n, seed)
        terms = _names(C, labels, vocabulary)
        start, continued = _start(Z, uris, previous)
        placed = _to_place(uris, digests, previous) if continued else None
        if placed is not None:  # a few new papers: beside their neighbours, the rest where they were
            xy, spread = start, float(previous.get("spread") or 20.0)
        else:
            placed = 0
            xy = _tsne(Z, n, seed, start, float((previous or {}).get("spread") or 20.0))
            spread = round(float(np.std(xy[:, 0] - xy[:, 0].mean())), 3)
            if continued:
                xy = _turn(xy, start)
            xy = _fit(xy)
    if Z is None:
        xy = _fit(xy)
    out = {"xy": {u: [float(x), float(y)] for u, (x, y) in zip(uris, np.round(xy, 1))},
           "cluster": {u: int(c) for u, c in zip(uris, labels)}, "terms": terms, "spread": spread,
           "texts": dict(zip(uris, digests)), "placed": placed}
    return out, continued


def _text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=6).hexdigest()


def _to_place(uris: list[str], digests: list[str], previous: dict) -> int | None:
    """How many papers have been put by their neighbours since t-SNE last ran, these included, when that is few
    enough to place them without it (`PLACE_SHARE`); else None. New papers count, and so do papers whose text
    changed (a layout that does not say counts none)."""
    old_xy, old_texts = previous["xy"], previous.get("texts")
    old_texts = old_texts if isinstance(old_texts, dict) else {}
    fresh = sum(1 for u, d in zip(uris, digests) if u not in old_xy or old_texts.get(u, d) != d)
    if fresh == 0:
        return None  # the same papers, saying the same (another version of the code, say): laid out anew
    total = fresh + int(previous.get("placed") or 0)
    return total if total <= min(PLACE_MOST, PLACE_SHARE * len(uris)) else None


def _reduce(X, n: int, seed: int):
    """TF-IDF to about 100 dimensions (truncated SVD, latent semantic analysis), rows of length 1."""
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    k = min(PARAMS["svd"], X.shape[1] - 1, n - 1)
    Z = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized", n_iter=7).fit_transform(X)
    Z = normalize(Z)
    # An SVD's axes have no sign: fix each one's (the largest entry positive), for the same layout every time.
    signs = np.sign(Z[np.argmax(np.abs(Z), axis=0), np.arange(Z.shape[1])])
    return Z * np.where(signs == 0, 1, signs)


def _clusters(Z, n: int, seed: int):
    """K-Means on the reduced vectors; the number of clusters with the best silhouette (at most 12)."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    most = min(PARAMS["max_clusters"], n // 3)
    if most < 2:
        return np.zeros(n, dtype=int)
    best, best_score = None, -2.0
    for k in range(2, most + 1):
        labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(Z)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(Z, labels, sample_size=min(n, 1000), random_state=seed)
        if score > best_score + 1e-9:
            best, best_score = labels, score
    if best is None:
        return np.zeros(n, dtype=int)
    # Clusters numbered by their first paper (by path), so numbers do not depend on K-Means' own order.
    order = {old: new for new, old in enumerate(dict.fromkeys(best.tolist()))}
    return np.array([order[c] for c in best.tolist()])


def _names(C, labels, vocabulary) -> list[list[str]]:
    """Each cluster's name: the terms that set it apart, by c-TF-IDF (frequent in the cluster, rarer in the
    rest of the diary), two or three words, or a phrase and a word ("policy gradient · robots"). A term used by
    half the notes names nothing, nor one of a single paper; a cluster of one or two papers has no name."""
    import numpy as np

    n, k = len(labels), int(labels.max()) + 1
    per = np.vstack([np.asarray(C[labels == c].sum(axis=0)).ravel() for c in range(k)]).astype(float)
    docs = np.vstack([np.asarray((C[labels == c] > 0).sum(axis=0)).ravel() for c in range(k)]).astype(float)
    sizes = np.bincount(labels, minlength=k).astype(float)
    inside = (per + 0.5) / (per.sum(axis=1, keepdims=True) + 0.5 * per.shape[1])
    rest = per.sum(axis=0, keepdims=True) - per
    outside = (rest + 0.5) / (rest.sum(axis=1, keepdims=True) + 0.5 * per.shape[1])
    # The term's share in the cluster times how much more it is used there, and by how many of its papers:
    # a word of one paper in ten names no cluster.
    score = inside * np.log(inside / outside) * (docs / sizes[:, None])
    common = docs.sum(axis=0) >= 0.5 * n  # a word half the notes use tells no cluster apart
    names = []
    for c in range(k):
        if sizes[c] < MIN_NAMED:
            names.append([])
            continue
        ok = (score[c] > 0) & ~common & (docs[c] >= 2)
        top = sorted(np.flatnonzero(ok).tolist(), key=lambda t: (-round(float(score[c, t]), 12), vocabulary[t]))
        names.append(_name([str(vocabulary[t]) for t in top[:12]]))
    return names


MIN_NAMED = 3  # papers: a smaller cluster gets no name


def _name(ranked: list[str]) -> list[str]:
    """The best terms, as a name: a phrase takes the place of its words ("multi agent", not "multi · agent ·
    multi agent"); at most three words in all."""
    chosen: list[str] = []
    for term in ranked:
        words = term.split()
        if any(term in other.split() for other in chosen if " " in other):  # a word of a phrase already in
            continue
        then = [c for c in chosen if c not in words] + [term]
        if sum(len(t.split()) for t in then) <= PARAMS["terms"]:  # else a shorter term may still fit
            chosen = then
        if sum(len(t.split()) for t in chosen) == PARAMS["terms"]:
            break
    return chosen


def _start(Z, uris: list[str], previous: dict | None):
    """Where t-SNE starts: the previous layout when it holds most of these papers (else PCA, t-SNE's own)."""
    import numpy as np

    if not previous or not isinstance(previous.get("xy"), dict):
        return "pca", False
    old = previous["xy"]
    known = np.array([u in old for u in uris])
    if known.sum() < max(3, 0.5 * len(uris)):
        return "pca", False
    start = np.zeros((len(uris), 2))
    start[known] = [old[u] for u, k in zip(uris, known) if k]
    if (~known).any():  # a new paper starts at the middle of its five nearest old papers
        similar = Z[~known] @ Z[known].T
        nearest = np.argsort(-similar, axis=1, kind="stable")[:, :5]
        start[~known] = start[known][nearest].mean(axis=1)
    return start, True


def _tsne(Z, n: int, seed: int, start, spread: float):
    """t-SNE from PCA; or, continuing a previous layout, from it at its own scale and without the early
    exaggeration that first pulls clusters apart (they are apart already): measured, the old points then move
    by a Procrustes disparity of 0.01, against 0.2 when it starts over from the old layout shrunk."""
    import numpy as np
    from sklearn.manifold import TSNE

    init, exaggeration = start, 12.0
    if isinstance(start, str) and Z.shape[1] < 2:  # PCA needs two dimensions to start from
        init = "random"
    if not isinstance(start, str):
        centred = start - start.mean(axis=0)
        init, exaggeration = centred / (np.std(centred[:, 0]) or 1.0) * spread, 1.0
    perplexity = min(PARAMS["perplexity"], max(1.0, (n - 1) / 3.0))
    tsne = TSNE(n_components=2, perplexity=perplexity, init=init, random_state=seed, max_iter=PARAMS["max_iter"],
                early_exaggeration=exaggeration, angle=PARAMS["angle"], learning_rate="auto",
                method="barnes_hut" if n > 60 else "exact", n_jobs=1)
    return tsne.fit_transform(Z.astype(np.float64))


def _turn(xy, start):
    """Rotate, mirror, scale and shift `xy` onto `start` (orthogonal Procrustes): a grown map keeps its look."""
    import numpy as np
    from scipy.linalg import orthogonal_procrustes

    a, b = xy - xy.mean(axis=0), start - start.mean(axis=0)
    rotation, _ = orthogonal_procrustes(a, b)
    turned = a @ rotation
    scale = np.linalg.norm(b) / (np.linalg.norm(turned) or 1.0)
    return turned * scale + start.mean(axis=0)


def _fit(xy):
    """Into the SVG's box, aspect kept, centred; rounded so the bytes do not depend on the last digits."""
    import numpy as np

    xy = np.asarray(xy, dtype=float)
    if len(xy) == 0:
        return xy
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = float(max((high - low).max(), 1e-9))
    scaled = (xy - (low + high) / 2) / span * (SIZE - 2 * PAD) + SIZE / 2
    return np.round(scaled, 1)


def _circle(n: int):
    """Too few papers or words to lay out: a ring (one paper: the middle)."""
    import numpy as np

    if n == 1:
        return np.array([[SIZE / 2, SIZE / 2]])
    angles = np.arange(n) * 2 * np.pi / max(n, 1)
    return np.c_[np.cos(angles), np.sin(angles)]


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

"""The map's numbers: TF-IDF vectors of the papers' texts, reduced by truncated SVD, laid out in 2-D by t-SNE
and grouped by K-Means, each group named by the words or two-word phrases that set it apart (c-TF-IDF).

Numerical and pure: scikit-learn, numpy and scipy are imported inside the functions, in the map's own process
(see map.py). Fixed seeds and one thread make a layout reproducible. A grown diary starts from its previous
layout, and a few new papers are placed among their nearest neighbours instead of running t-SNE again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os

from paper_diary.diary import map_text

# Everything that shapes the layout: changing one computes the map again (it is part of the cache's digest).
PARAMS = {"version": 2, "max_df": 0.5, "svd": 100, "perplexity": 30.0, "max_iter": 500, "angle": 0.8, "seed": 0,
          "max_clusters": 12, "terms": 3}


# A grown diary whose new or changed papers, since t-SNE last ran, are at most this share of it (and at most
# PLACE_MOST) keeps every old point where it was and puts each new one among its nearest neighbours: t-SNE is
# most of the map's time (2.6 of 4.4 s of a core at 2,000 papers), and a paper a day would pay it every day.
PLACE_SHARE, PLACE_MOST = 0.02, 50
SIZE = 1000  # the SVG's coordinate box: points lie in [PAD, SIZE - PAD]
PAD = 60


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
    the headings a template gives many notes (`map_text.template_free`). A word most notes use (the field's name,
    "paper", "results") tells no note from another: a term in more than `max_df` of the notes weighs nothing,
    and the others weigh by TF-IDF with sublinear counts (a word said ten times is not ten times the topic)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    n = len(texts)
    map_text.stop_words()
    counts = CountVectorizer(analyzer=map_text.terms, min_df=2 if n >= 20 else 1, max_df=PARAMS["max_df"] if n >= 20 else 1.0)
    try:
        C = counts.fit_transform(map_text.template_free(texts))
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
